#include "experiments/seq_gen_task.hpp"

#include <algorithm>
#include <map>
#include <optional>

namespace p3p::experiments::seq_gen {
namespace {

Unexpected<Failure> bad(std::string message) { return unexpected(Failure{ErrorCode::bad_args, std::move(message)}); }

// splitmix64: the same stream from the same seed everywhere (std:: distributions differ between libraries).
std::uint64_t next(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::uint64_t seed_of(const nlohmann::json& args) {
  const auto it = args.find("seed");
  if (it == args.end() || !it->is_number_integer()) return 0;
  return it->is_number_unsigned() ? it->get<std::uint64_t>() : static_cast<std::uint64_t>(it->get<std::int64_t>());
}

std::optional<long long> integer_arg(const nlohmann::json& args, const char* name) {
  const auto it = args.find(name);
  if (it == args.end() || it->is_null()) return std::nullopt;
  return it->get<long long>();
}

Expected<Task, Failure> random_task(std::optional<long long> length, std::optional<long long> alphabet, std::uint64_t seed) {
  Task t;
  t.alphabet = static_cast<int>(alphabet.value_or(kMaxAlphabet));
  std::uint64_t state = seed ^ 0x5E9'0000'0000'0000ULL;  // a stream of its own, apart from the noise's
  const auto n = static_cast<std::size_t>(length.value_or(static_cast<long long>(kDefaultRandomLength)));
  for (std::size_t i = 0; i < n; ++i) t.symbols.push_back(static_cast<int>(next(state) % static_cast<std::uint64_t>(t.alphabet)));
  return t;
}

Expected<Task, Failure> given_task(const std::string& text, std::optional<long long> length, std::optional<long long> alphabet) {
  if (text.size() < kMinLength || text.size() > kMaxLength)
    return bad("sequence '" + text + "' has " + std::to_string(text.size()) + " symbols; give " +
               std::to_string(kMinLength) + " to " + std::to_string(kMaxLength) + " digits 0-3, or `random`");
  if (length && static_cast<std::size_t>(*length) != text.size())
    return bad("seq_len " + std::to_string(*length) + " does not match sequence '" + text + "' (" +
               std::to_string(text.size()) + " symbols); leave seq_len out, or use sequence=random");
  Task t;
  int largest = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c < '0' || c > '3')
      return bad("symbol '" + std::string(1, c) + "' at position " + std::to_string(i) + " of sequence '" + text +
                 "' is not a digit 0-3");
    t.symbols.push_back(c - '0');
    largest = std::max(largest, c - '0');
  }
  t.alphabet = static_cast<int>(alphabet.value_or(std::max(2, largest + 1)));
  for (std::size_t i = 0; i < text.size(); ++i)
    if (t.symbols[i] >= t.alphabet)
      return bad("symbol '" + std::string(1, text[i]) + "' at position " + std::to_string(i) + " of sequence '" + text +
                 "' is outside the alphabet 0-" + std::to_string(t.alphabet - 1) + " (alphabet " +
                 std::to_string(t.alphabet) + ")");
  return t;
}

}  // namespace

std::string Task::text() const {
  std::string s;
  for (const int x : symbols) s += static_cast<char>('0' + x);
  return s;
}

Expected<Task, Failure> make_task(const nlohmann::json& args) {
  const auto length = integer_arg(args, "seq_len");
  const auto alphabet = integer_arg(args, "alphabet");
  if (length && (*length < static_cast<long long>(kMinLength) || *length > static_cast<long long>(kMaxLength)))
    return bad("seq_len " + std::to_string(*length) + " is outside " + std::to_string(kMinLength) + ".." + std::to_string(kMaxLength));
  if (alphabet && (*alphabet < 2 || *alphabet > kMaxAlphabet))
    return bad("alphabet " + std::to_string(*alphabet) + " is outside 2.." + std::to_string(kMaxAlphabet));
  const auto it = args.find("sequence");
  const std::string text = it != args.end() && it->is_string() ? it->get<std::string>() : std::string("010101");
  if (text == "random") return random_task(length, alphabet, seed_of(args));
  return given_task(text, length, alphabet);
}

std::vector<int> occurrences(std::span<const int> symbols) {
  std::map<int, int> seen;
  std::vector<int> r;
  for (const int s : symbols) r.push_back(seen[s]++);
  return r;
}

int winner(std::span<const std::uint64_t> spikes_per_symbol) {
  const auto best = std::max_element(spikes_per_symbol.begin(), spikes_per_symbol.end());
  if (best == spikes_per_symbol.end() || *best == 0) return -1;
  if (std::count(spikes_per_symbol.begin(), spikes_per_symbol.end(), *best) > 1) return -1;
  return static_cast<int>(best - spikes_per_symbol.begin());
}

double score(std::span<const int> generated, std::span<const int> taught, std::size_t cue) {
  if (taught.size() <= cue) return 0.0;
  std::size_t right = 0;
  for (std::size_t i = cue; i < taught.size(); ++i) right += i < generated.size() && generated[i] == taught[i];
  return static_cast<double>(right) / static_cast<double>(taught.size() - cue);
}

int presentations_to_perfect(std::span<const double> curve) {
  std::size_t first = curve.size();
  while (first > 0 && curve[first - 1] >= 1.0) --first;
  return first == curve.size() ? -1 : static_cast<int>(first) + 1;
}

}  // namespace p3p::experiments::seq_gen
