#include "topology/detail/map_reader.hpp"

#include <charconv>
#include <cmath>
#include <algorithm>
#include <map>

namespace p3p::topology::detail {
namespace {

// A plain (unquoted) scalar; quoted scalars are strings even when they look like numbers, so "5" where an
// integer is expected is reported rather than silently converted.
bool is_plain_scalar(const YAML::Node& n) { return n.IsScalar() && n.Tag() != "!"; }

void expected(Diagnostics& d, const Field& f, std::string_view what) {
  d.error(f.pos(), label(f.path) + ": expected " + std::string(what) + ", got " + describe(f.value));
}

std::string describe_int(std::int64_t min, std::int64_t max, bool type_max) {
  if (type_max) return min == 0 ? "a non-negative integer" : "an integer >= " + std::to_string(min);
  return "an integer between " + std::to_string(min) + " and " + std::to_string(max);
}

std::string describe_range(const Range& r) {
  if (r.min && r.max) return "a number between " + format_number(*r.min) + " and " + format_number(*r.max);
  if (r.min) return std::string("a number ") + (r.min_open ? "> " : ">= ") + format_number(*r.min);
  if (r.max) return std::string("a number ") + (r.max_open ? "< " : "<= ") + format_number(*r.max);
  return "a number";
}

bool in_range(double v, const Range& r) {
  if (r.min && (r.min_open ? v <= *r.min : v < *r.min)) return false;
  if (r.max && (r.max_open ? v >= *r.max : v > *r.max)) return false;
  return true;
}

// Digits with an optional sign, nothing else (no "1.0", no "0x10", no "1e3").
bool looks_integral(std::string_view s) {
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) s.remove_prefix(1);
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

}  // namespace

Pos Field::pos() const {
  if (!value || (value.IsNull() && key_pos.known())) return key_pos;
  Pos p = pos_of(value);
  return p.known() ? p : key_pos;
}

Range at_least(double min) { return Range{min, std::nullopt, false, false}; }
Range above(double min) { return Range{min, std::nullopt, true, false}; }
Range between(double min, double max) { return Range{min, max, false, false}; }

std::string describe(const YAML::Node& n) {
  if (!n || n.IsNull()) return "nothing (null)";
  if (n.IsMap()) return "a mapping";
  if (n.IsSequence()) return "a list";
  if (!is_plain_scalar(n)) return "the string '" + n.Scalar() + "'";
  return "'" + n.Scalar() + "'";
}

std::string format_number(double v) {
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

std::optional<std::string> read_string(Diagnostics& d, const Field& f, bool allow_empty) {
  if (!f.value || !f.value.IsScalar()) {
    expected(d, f, allow_empty ? "a string" : "a non-empty string");
    return std::nullopt;
  }
  if (!allow_empty && f.value.Scalar().empty()) {
    d.error(f.pos(), f.path + ": expected a non-empty string");
    return std::nullopt;
  }
  return f.value.Scalar();
}

std::optional<bool> read_bool(Diagnostics& d, const Field& f) {
  if (is_plain_scalar(f.value)) {
    const std::string& s = f.value.Scalar();
    if (s == "true" || s == "True" || s == "TRUE") return true;
    if (s == "false" || s == "False" || s == "FALSE") return false;
  }
  expected(d, f, "true or false");
  return std::nullopt;
}

std::optional<double> read_number(Diagnostics& d, const Field& f, const Range& range) {
  const std::string what = describe_range(range);
  if (!is_plain_scalar(f.value)) {
    expected(d, f, what);
    return std::nullopt;
  }
  std::string_view s = f.value.Scalar();
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);  // from_chars rejects a leading '+'
  double v = 0.0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v) || !in_range(v, range)) {
    expected(d, f, what);
    return std::nullopt;
  }
  return v;
}

std::optional<std::int64_t> read_int(Diagnostics& d, const Field& f, std::int64_t min, std::int64_t max,
                                     bool type_max) {
  std::int64_t v = 0;
  bool parsed = false;
  if (is_plain_scalar(f.value) && looks_integral(f.value.Scalar())) {
    std::string_view s = f.value.Scalar();
    if (s.front() == '+') s.remove_prefix(1);
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    parsed = ec == std::errc() && end == s.data() + s.size();
  }
  if (!parsed || v < min) {
    expected(d, f, describe_int(min, max, type_max));
    return std::nullopt;
  }
  if (v > max) {
    expected(d, f, describe_int(min, max, false));
    return std::nullopt;
  }
  return v;
}

std::optional<std::uint64_t> read_u64(Diagnostics& d, const Field& f) {
  std::uint64_t v = 0;
  if (is_plain_scalar(f.value) && looks_integral(f.value.Scalar()) && f.value.Scalar().front() != '-') {
    std::string_view s = f.value.Scalar();
    if (s.front() == '+') s.remove_prefix(1);
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec == std::errc() && end == s.data() + s.size()) return v;
  }
  expected(d, f, "a non-negative integer below 2^64");
  return std::nullopt;
}

std::optional<std::vector<Field>> read_list(Diagnostics& d, const Field& f, std::string_view what) {
  if (!f.value || !f.value.IsSequence()) {
    expected(d, f, what);
    return std::nullopt;
  }
  std::vector<Field> items;
  std::size_t i = 0;
  for (const YAML::Node& item : f.value) {
    Pos p = pos_of(item);
    items.push_back(Field{f.path + "[" + std::to_string(i++) + "]", item, p.known() ? p : f.pos(), ""});
  }
  return items;
}

std::string label(const std::string& path) { return path.empty() ? std::string("topology") : path; }

std::string child_path(const std::string& parent, std::string_view key) {
  return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

MapReader::MapReader(Diagnostics& d, const Field& f, std::vector<std::string> allowed)
    : MapReader(d, f, std::move(allowed), false, "key") {}

MapReader MapReader::any_keys(Diagnostics& d, const Field& f, std::string_view key_noun) {
  return MapReader(d, f, {}, true, key_noun);
}

MapReader::MapReader(Diagnostics& d, const Field& f, std::vector<std::string> allowed, bool any, std::string_view noun)
    : diag_(&d), self_(f), allowed_(std::move(allowed)) {
  if (!f.value || !f.value.IsMap()) {
    expected(d, f, "a mapping");
    return;
  }
  ok_ = true;
  collect(any, noun);
}

void MapReader::collect(bool any, std::string_view key_noun) {
  std::map<std::string, Pos, std::less<>> seen;
  for (auto it = self_.value.begin(); it != self_.value.end(); ++it) {
    // A copy, not a reference: yaml-cpp's iterator hands out a temporary pair, so a reference would dangle.
    const YAML::Node key = it->first;
    const Pos kp = pos_of(key).known() ? pos_of(key) : self_.pos();
    if (!key.IsScalar()) {
      diag_->error(kp, self_.path + ": expected a name as key, got " + describe(key));
      continue;
    }
    const std::string& name = key.Scalar();
    const std::string where = self_.path.empty() ? std::string(" at top level") : " in " + self_.path;
    if (auto prev = seen.find(name); prev != seen.end()) {
      diag_->error(kp, "duplicate " + std::string(key_noun) + " '" + name + "'" + where + " (first defined at line " +
                           std::to_string(prev->second.line) + ")");
      continue;
    }
    seen.emplace(name, kp);
    if (!any && std::find(allowed_.begin(), allowed_.end(), name) == allowed_.end()) {
      diag_->error(kp, "unknown key '" + name + "'" + where + hint(name, allowed_));
      continue;
    }
    fields_.push_back(Field{child_path(self_.path, name), it->second, kp, name});
  }
}

const Field* MapReader::get(std::string_view key) const {
  const std::string wanted = child_path(self_.path, key);
  for (const Field& f : fields_)
    if (f.path == wanted) return &f;
  return nullptr;
}

const Field* MapReader::require(std::string_view key) const {
  const Field* f = get(key);
  if (!f && ok_) diag_->error(pos(), label(self_.path) + ": missing required key '" + std::string(key) + "'");
  return f;
}

const Field* MapReader::lookup(std::string_view key, Need need) const {
  return need == Need::required ? require(key) : get(key);
}

std::optional<std::string> MapReader::string(std::string_view key, Need need) const {
  const Field* f = lookup(key, need);
  return f ? read_string(*diag_, *f) : std::nullopt;
}

std::optional<bool> MapReader::boolean(std::string_view key, Need need) const {
  const Field* f = lookup(key, need);
  return f ? read_bool(*diag_, *f) : std::nullopt;
}

std::optional<double> MapReader::number(std::string_view key, const Range& range, Need need) const {
  const Field* f = lookup(key, need);
  return f ? read_number(*diag_, *f, range) : std::nullopt;
}

std::optional<std::uint64_t> MapReader::u64(std::string_view key, Need need) const {
  const Field* f = lookup(key, need);
  return f ? read_u64(*diag_, *f) : std::nullopt;
}

}  // namespace p3p::topology::detail
