#include "topology/detail/read_file.hpp"

#include <array>
#include <fstream>

namespace p3p::topology::detail {

std::optional<std::string> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  // Chunked reads rather than istreambuf_iterator, which trips GCC 12's -Wnull-dereference at -O2.
  std::string out;
  std::error_code ec;
  if (const auto size = std::filesystem::file_size(path, ec); !ec) out.reserve(size);
  std::array<char, 65536> buf;
  while (in.read(buf.data(), buf.size()) || in.gcount() > 0)
    out.append(buf.data(), static_cast<std::size_t>(in.gcount()));
  if (in.bad()) return std::nullopt;
  return out;
}

}  // namespace p3p::topology::detail
