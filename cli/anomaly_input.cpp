#include "cli/anomaly_input.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include <nlohmann/json.hpp>

namespace p3p::cli {
namespace {

// A CSV cell as a finite number, or nothing.
std::optional<double> number(const std::string& cell) {
  char* end = nullptr;
  const double v = std::strtod(cell.c_str(), &end);
  if (end == cell.c_str() || cell.find_first_not_of(" \t", static_cast<std::size_t>(end - cell.c_str())) != std::string::npos) return std::nullopt;
  if (!std::isfinite(v) || std::abs(v) > 3e38) return std::nullopt;  // beyond a float: not a sample value
  return v;
}

std::vector<std::string> split(const std::string& row) {
  std::vector<std::string> cells;
  std::size_t at = 0;
  while (true) {
    const std::size_t comma = row.find(',', at);
    cells.push_back(row.substr(at, comma == std::string::npos ? std::string::npos : comma - at));
    if (comma == std::string::npos) return cells;
    at = comma + 1;
  }
}

// Pieces appended one by one: GCC 12 misreports chains of + (-Wrestrict).
std::string join(std::initializer_list<std::string> parts) {
  std::string out;
  for (const std::string& p : parts) out.append(p);
  return out;
}

}  // namespace

Expected<std::optional<std::vector<double>>, std::string> SampleReader::parse(const std::string& text) {
  const auto fail = [this](const std::string& why) { return unexpected(join({"line ", std::to_string(line_), ": ", why})); };
  std::vector<double> values;
  if (text.front() == '[' || text.front() == '{') {
    const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded()) return fail("not JSON");
    if (j.is_object() && keys_.empty())
      for (const auto& [k, v] : j.items()) keys_.push_back(k);
    std::vector<nlohmann::json> cells;
    if (j.is_array()) cells.assign(j.begin(), j.end());
    else if (j.is_object())
      for (const std::string& k : keys_) {
        if (!j.contains(k)) return fail(join({"no channel '", k, "' (the first line's keys are the channels)"}));
        cells.push_back(j[k]);
      }
    else return fail("a JSON line must be an array of numbers or an object of them");
    if (j.is_object() && j.size() != keys_.size()) return fail(join({std::to_string(j.size()), " values, expected ", std::to_string(keys_.size())}));
    for (const nlohmann::json& c : cells) {
      if (!c.is_number() || !std::isfinite(c.get<double>()) || std::abs(c.get<double>()) > 3e38) return fail(join({"'", c.dump(), "' is not a finite number"}));
      values.push_back(c.get<double>());
    }
  } else {
    const std::vector<std::string> cells = split(text);
    for (const std::string& c : cells) {
      const auto v = number(c);
      if (!v) {
        if (line_ == 1 && channels_ == 0) return std::optional<std::vector<double>>{};  // a header: skipped
        return fail(join({"'", c, "' is not a finite number"}));
      }
      values.push_back(*v);
    }
  }
  if (channels_ == 0) channels_ = static_cast<int>(values.size());
  if (static_cast<int>(values.size()) != channels_)
    return fail(join({std::to_string(values.size()), " values, and the first sample has ", std::to_string(channels_), " channels"}));
  return std::optional<std::vector<double>>(std::move(values));
}

Expected<std::optional<std::vector<double>>, std::string> SampleReader::next() {
  std::string text;
  while (std::getline(in_, text)) {
    ++line_;
    if (!text.empty() && text.back() == '\r') text.pop_back();
    const std::size_t first = text.find_first_not_of(" \t");
    if (first == std::string::npos) continue;
    auto sample = parse(text.substr(first));
    if (!sample) return unexpected(sample.error());
    if (*sample) return sample;  // else a header line
  }
  return std::optional<std::vector<double>>{};
}

std::string samples_text(const std::vector<std::vector<double>>& samples) {
  std::string out;
  char buf[32];
  for (const auto& s : samples) {
    for (std::size_t c = 0; c < s.size(); ++c) {
      std::snprintf(buf, sizeof buf, c == 0 ? "%.9g" : ",%.9g", s[c]);
      out += buf;
    }
    out += '\n';
  }
  return out;
}

}  // namespace p3p::cli
