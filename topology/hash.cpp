#include "topology/hash.hpp"

#include "topology/detail/read_file.hpp"

namespace p3p::topology {

std::uint64_t fnv1a64(std::string_view bytes) {
  std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV offset basis
  for (char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;  // FNV prime
  }
  return h;
}

std::string hash_hex(std::uint64_t hash) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i) {
    out[static_cast<std::size_t>(i)] = kDigits[hash & 0xfU];
    hash >>= 4;
  }
  return out;
}

Expected<std::uint64_t, Error> hash_file(const std::filesystem::path& path) {
  auto bytes = detail::read_file(path);
  if (!bytes) return unexpected(Error{path.string(), 0, 0, "cannot read file"});
  return fnv1a64(*bytes);
}

}  // namespace p3p::topology
