#include "topology/detail/map_reader.hpp"

#include <charconv>
#include <cmath>
#include <algorithm>
#include <array>
#include <unordered_map>

namespace p3p::topology::detail {
namespace {

void expected(Diagnostics& d, const Field& f, std::string_view what) {
  d.error(f.pos(), label(f.path()) + ": expected " + std::string(what) + ", got " + describe(f.value));
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

std::string Field::path() const {
  if (!parent) return {};
  if (!key.empty()) return child_path(parent->path(), key);
  std::string out = parent->path();
  out.append("[").append(std::to_string(index)).append("]");
  return out;
}

Pos Field::pos() const {
  if (!value || (value.is_null() && key_pos.known())) return key_pos;
  Pos p = value.pos();
  return p.known() ? p : key_pos;
}

Range at_least(double min) { return Range{min, std::nullopt, false, false}; }
Range above(double min) { return Range{min, std::nullopt, true, false}; }
Range between(double min, double max) { return Range{min, max, false, false}; }

// Quoted scalars are strings even when they look like numbers, so "5" where an integer is expected is
// reported rather than silently converted.
std::string describe(const YamlNode& n) {
  if (!n || n.is_null()) return "nothing (null)";
  if (n.is_map()) return "a mapping";
  if (n.is_list()) return "a list";
  // Appended, not "'" + ...: GCC 12 warns falsely (-Wrestrict) on that.
  std::string out = n.is_plain() ? "'" : "the string '";
  out.append(n.scalar()).push_back('\'');
  return out;
}

std::string format_number(double v) {
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

std::optional<std::string> read_string(Diagnostics& d, const Field& f, bool allow_empty) {
  if (!f.value.is_scalar()) {
    expected(d, f, allow_empty ? "a string" : "a non-empty string");
    return std::nullopt;
  }
  if (!allow_empty && f.value.scalar().empty()) {
    d.error(f.pos(), f.path() + ": expected a non-empty string");
    return std::nullopt;
  }
  return std::string(f.value.scalar());
}

std::optional<bool> read_bool(Diagnostics& d, const Field& f) {
  if (f.value.is_plain()) {
    const std::string_view s = f.value.scalar();
    if (s == "true" || s == "True" || s == "TRUE") return true;
    if (s == "false" || s == "False" || s == "FALSE") return false;
  }
  expected(d, f, "true or false");
  return std::nullopt;
}

std::optional<double> read_number(Diagnostics& d, const Field& f, const Range& range) {
  const std::string what = describe_range(range);
  if (!f.value.is_plain()) {
    expected(d, f, what);
    return std::nullopt;
  }
  std::string_view s = f.value.scalar();
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
  if (f.value.is_plain() && looks_integral(f.value.scalar())) {
    std::string_view s = f.value.scalar();
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
  if (f.value.is_plain() && looks_integral(f.value.scalar()) && f.value.scalar().front() != '-') {
    std::string_view s = f.value.scalar();
    if (s.front() == '+') s.remove_prefix(1);
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec == std::errc() && end == s.data() + s.size()) return v;
  }
  expected(d, f, "a non-negative integer below 2^64");
  return std::nullopt;
}

std::optional<std::vector<Field>> read_list(Diagnostics& d, const Field& f, std::string_view what) {
  if (!f.value.is_list()) {
    expected(d, f, what);
    return std::nullopt;
  }
  std::vector<Field> items;
  items.reserve(f.value.size());
  for (std::size_t i = 0; i < f.value.size(); ++i) {
    const YamlNode item = f.value.item(i);
    items.push_back(Field{item, item.pos(), {}, &f, i});
  }
  return items;
}

std::string label(const std::string& path) { return path.empty() ? std::string("topology") : path; }

std::string child_path(const std::string& parent, std::string_view key) {
  return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

MapReader::MapReader(Diagnostics& d, const Field& f, std::initializer_list<std::string_view> allowed)
    : MapReader(d, f, allowed, false, "key") {}

MapReader MapReader::any_keys(Diagnostics& d, const Field& f, std::string_view key_noun) {
  return MapReader(d, f, std::initializer_list<std::string_view>{}, true, key_noun);
}

MapReader::MapReader(Diagnostics& d, const Field& f, std::initializer_list<std::string_view> allowed, bool any,
                     std::string_view noun)
    : diag_(&d), self_(&f) {
  if (!f.value.is_map()) {
    expected(d, f, "a mapping");
    return;
  }
  ok_ = true;
  collect(allowed, any, noun);
}

void MapReader::collect(std::initializer_list<std::string_view> allowed, bool any, std::string_view key_noun) {
  const YamlNode& map = self_->value;
  fields_.reserve(map.size());
  // Most mappings are small: their keys are compared in place. A mapping of user-chosen names can be large,
  // and gets a hash map.
  constexpr std::size_t kSmall = 16;
  std::array<std::pair<std::string_view, Pos>, kSmall> few;
  std::size_t few_count = 0;
  std::unordered_map<std::string_view, Pos> many;
  auto first_seen = [&](std::string_view name, Pos pos) -> std::optional<Pos> {
    if (map.size() > kSmall) {
      const auto [it, inserted] = many.emplace(name, pos);
      return inserted ? std::nullopt : std::optional<Pos>(it->second);
    }
    for (std::size_t k = 0; k < few_count; ++k)
      if (few[k].first == name) return few[k].second;
    few[few_count++] = {name, pos};
    return std::nullopt;
  };
  auto where = [this] {
    const std::string path = self_->path();
    return path.empty() ? std::string(" at top level") : " in " + path;
  };
  for (std::size_t i = 0; i < map.size(); ++i) {
    const YamlNode key = map.key(i);
    const Pos kp = key.pos();
    if (!key.is_scalar()) {
      diag_->error(kp, self_->path() + ": expected a name as key, got " + describe(key));
      continue;
    }
    const std::string_view name = key.scalar();
    if (const auto prev = first_seen(name, kp)) {
      diag_->error(kp, "duplicate " + std::string(key_noun) + " '" + std::string(name) + "'" + where() +
                           " (first defined at line " + std::to_string(prev->line) + ")");
      continue;
    }
    if (!any && std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      diag_->error(kp, "unknown key '" + std::string(name) + "'" + where() +
                           hint(name, std::vector<std::string>(allowed.begin(), allowed.end())));
      continue;
    }
    fields_.push_back(Field{map.value(i), kp, name, self_, 0});
  }
}

const Field* MapReader::get(std::string_view key) const {
  for (const Field& f : fields_)
    if (f.key == key) return &f;
  return nullptr;
}

const Field* MapReader::require(std::string_view key) const {
  const Field* f = get(key);
  if (!f && ok_) diag_->error(pos(), label(self_->path()) + ": missing required key '" + std::string(key) + "'");
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
