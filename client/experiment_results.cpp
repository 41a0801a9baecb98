#include "client/experiment_results.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <tuple>


namespace p3p::control {
namespace {

constexpr std::size_t kStampSize = 20;  // 20261202T061500.123Z

bool digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_stamp(std::string_view s) {
  return s.size() == kStampSize && digits(s.substr(0, 8)) && s[8] == 'T' && digits(s.substr(9, 6)) && s[15] == '.' &&
         digits(s.substr(16, 3)) && s[19] == 'Z';
}

// "<stamp>[-n].json" after the experiment's name and '_': the stamp and n, or nothing.
std::optional<std::pair<std::string, unsigned>> parse_tail(std::string_view tail) {
  if (tail.size() < kStampSize + 5 || tail.substr(tail.size() - 5) != ".json") return std::nullopt;
  tail.remove_suffix(5);
  const std::string_view stamp = tail.substr(0, kStampSize);
  if (!is_stamp(stamp)) return std::nullopt;
  tail.remove_prefix(kStampSize);
  if (tail.empty()) return std::make_pair(std::string(stamp), 0u);
  if (tail[0] != '-' || !digits(tail.substr(1)) || tail.size() > 4) return std::nullopt;
  return std::make_pair(std::string(stamp), static_cast<unsigned>(std::stoul(std::string(tail.substr(1)))));
}

}  // namespace

std::string result_file_name(std::string_view experiment, std::uint64_t unix_ms, unsigned n) {
  const std::time_t secs = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char stamp[80];
  std::snprintf(stamp, sizeof stamp, "%04d%02d%02dT%02d%02d%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                tm.tm_min, tm.tm_sec, static_cast<int>(unix_ms % 1000));
  std::string name(experiment);
  name.append("_").append(stamp);
  if (n) name.append("-").append(std::to_string(n));
  return name.append(".json");
}

std::optional<std::string> result_experiment(std::string_view file_name) {
  // The stamp is fixed-size, so the name is what comes before "_<stamp>" with or without -n.
  for (std::size_t suffix : {kStampSize + 6, kStampSize + 8, kStampSize + 9, kStampSize + 10}) {
    if (file_name.size() <= suffix || file_name[file_name.size() - suffix] != '_') continue;
    const std::string_view name = file_name.substr(0, file_name.size() - suffix);
    const bool safe = std::all_of(name.begin(), name.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
    if (safe && parse_tail(file_name.substr(name.size() + 1))) return std::string(name);
  }
  return std::nullopt;
}

std::vector<std::filesystem::path> list_results(const std::filesystem::path& dir, std::string_view experiment) {
  std::vector<std::tuple<std::string, unsigned, std::filesystem::path>> found;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    const auto owner = result_experiment(name);
    if (!entry.is_regular_file(ec) || !owner || (!experiment.empty() && *owner != experiment)) continue;
    const auto key = parse_tail(std::string_view(name).substr(owner->size() + 1));
    found.emplace_back(key->first, key->second, entry.path());
  }
  std::sort(found.begin(), found.end());
  std::vector<std::filesystem::path> out;
  for (auto& f : found) out.push_back(std::move(std::get<2>(f)));
  return out;
}

}  // namespace p3p::control
