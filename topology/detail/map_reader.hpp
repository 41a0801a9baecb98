#pragma once
// Strict, located reading of YAML values. Every conversion reports "path: expected X, got Y" at the value's
// position and returns nullopt, so the parsers stay a flat list of reads and never throw.
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "topology/detail/diagnostics.hpp"
#include "topology/detail/yaml_document.hpp"

namespace p3p::topology::detail {

// A value in the file, and how messages name it (e.g. "nodes[1].router_port"): its key or index inside its
// parent. The name is built only when a message needs it, so reading a file of 10^5 columns does not build
// 10^6 strings. A Field's parent must outlive it (fields live in the reader or list of their parent).
struct Field {
  YamlNode value;
  Pos key_pos;                    // where the key (or list item) starts
  std::string_view key;           // the key as written (in the document's text); empty for list items
  const Field* parent = nullptr;  // null for the file's root mapping
  std::size_t index = 0;          // a list item's index

  // "nodes[1].router_port"; "" for the root.
  std::string path() const;
  // Where to point at the value. libyaml marks an empty value ("key:") at the next token, which may be on
  // another line, so empty values point at their key instead.
  Pos pos() const;
};

// Bounds for a floating-point value; open bounds exclude the limit.
struct Range {
  std::optional<double> min;
  std::optional<double> max;
  bool min_open = false;
  bool max_open = false;
};
Range at_least(double min);
Range above(double min);
Range between(double min, double max);

enum class Need { optional, required };

// What a value is, for "got ..." in messages: "a mapping", "a list", "null", "'abc'", "the string '5'".
std::string describe(const YamlNode& node);
std::string format_number(double v);

std::optional<std::string> read_string(Diagnostics& d, const Field& f, bool allow_empty = false);
std::optional<bool> read_bool(Diagnostics& d, const Field& f);
std::optional<double> read_number(Diagnostics& d, const Field& f, const Range& range = {});
// Integers in [min, max]; type_max says max is only the type's limit, which changes the wording.
std::optional<std::int64_t> read_int(Diagnostics& d, const Field& f, std::int64_t min, std::int64_t max, bool type_max);
std::optional<std::uint64_t> read_u64(Diagnostics& d, const Field& f);

template <class T>
std::optional<T> read_uint(Diagnostics& d, const Field& f, T min = 0, T max = std::numeric_limits<T>::max()) {
  const bool type_max = max == std::numeric_limits<T>::max();
  auto v = read_int(d, f, static_cast<std::int64_t>(min), static_cast<std::int64_t>(max), type_max);
  if (!v) return std::nullopt;
  return static_cast<T>(*v);
}

// The items of a list, each named path[i]; reports (expecting `what`, e.g. "a list of nodes") when f is not one.
std::optional<std::vector<Field>> read_list(Diagnostics& d, const Field& f, std::string_view what);

// A mapping read key by key. The constructor reports, once, everything wrong with the mapping itself: not a
// mapping, non-scalar or duplicate keys, keys not in the allowed set (with "did you mean").
class MapReader {
 public:
  // f must outlive the reader: its fields name themselves through it.
  MapReader(Diagnostics& d, const Field& f, std::initializer_list<std::string_view> allowed);
  // A mapping whose keys are user-chosen names (parameter sets, presets); key_noun names them in messages.
  static MapReader any_keys(Diagnostics& d, const Field& f, std::string_view key_noun);

  bool ok() const { return ok_; }
  Pos pos() const { return self_->pos(); }
  std::string path() const { return self_->path(); }
  Diagnostics& diag() const { return *diag_; }
  const std::vector<Field>& fields() const { return fields_; }  // in file order, duplicates dropped

  const Field* get(std::string_view key) const;
  // As get, but reports "path: missing required key 'key'" at the mapping when absent.
  const Field* require(std::string_view key) const;

  std::optional<std::string> string(std::string_view key, Need need = Need::optional) const;
  std::optional<bool> boolean(std::string_view key, Need need = Need::optional) const;
  std::optional<double> number(std::string_view key, const Range& range = {}, Need need = Need::optional) const;
  std::optional<std::uint64_t> u64(std::string_view key, Need need = Need::optional) const;
  template <class T>
  std::optional<T> uint(std::string_view key, T min = 0, T max = std::numeric_limits<T>::max(),
                        Need need = Need::optional) const {
    const Field* f = lookup(key, need);
    return f ? read_uint<T>(*diag_, *f, min, max) : std::nullopt;
  }

 private:
  MapReader(Diagnostics& d, const Field& f, std::initializer_list<std::string_view> allowed, bool any,
            std::string_view noun);
  const Field* lookup(std::string_view key, Need need) const;
  void collect(std::initializer_list<std::string_view> allowed, bool any, std::string_view key_noun);

  Diagnostics* diag_;
  const Field* self_;
  std::vector<Field> fields_;
  bool ok_ = false;
};

// The path as shown in messages; the file's root mapping is "topology".
std::string label(const std::string& path);
// Joins a parent path and a key: "" + "cluster" -> "cluster", "cluster" + "seed" -> "cluster.seed".
std::string child_path(const std::string& parent, std::string_view key);

}  // namespace p3p::topology::detail
