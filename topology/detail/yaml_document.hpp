#pragma once
// A topology's YAML text as one flat array of nodes, read with libyaml's event parser (Debian's libyaml, the
// C parser under PyYAML and Ruby's Psych). yaml-cpp, used before, built a graph of reference-counted nodes
// through a regex scanner: 200,000 columns took 15 s and 1.8 GB; libyaml's events into this array take a
// tenth of that, linear in the text.
//
// Everything that could make a later walk of the document unbounded is refused while it is built, located:
// a second document, nesting deeper than kMaxNesting, an alias of a node that contains it (a cycle), an
// alias of no anchor, and aliases that expand the document past a budget (the "billion laughs": a few lines
// of aliases of aliases that stand for billions of nodes). An alias is the anchored node itself (an index),
// never a copy, so the array stays the size of the text.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "topology/detail/diagnostics.hpp"

namespace p3p::topology::detail {

// Lists and mappings inside each other. A topology needs about six levels; job args a few more.
inline constexpr int kMaxNesting = 64;

// What the expanded document may weigh, counting one per node plus the bytes of each scalar, every time an
// alias repeats them. Without aliases a document weighs less than twice its text, so this bound only ever
// stops aliases; small files get a floor of 1 Mi.
std::uint64_t expansion_budget(std::uint64_t text_bytes);

class YamlDocument;

// One node of a document, or none (default-constructed: e.g. an absent key). A small handle: copy freely,
// valid while its document lives.
class YamlNode {
 public:
  YamlNode() = default;

  explicit operator bool() const { return doc_ != nullptr; }
  // null, ~, Null, NULL or nothing, written without quotes.
  bool is_null() const;
  bool is_scalar() const;  // any other scalar
  bool is_list() const;
  bool is_map() const;
  // A scalar written without quotes or a string tag: only these may be read as numbers, booleans or null.
  bool is_plain() const;
  // The scalar's text; empty for anything else.
  std::string_view scalar() const;
  // The items of a list, or the pairs of a mapping; 0 for anything else.
  std::size_t size() const;
  YamlNode item(std::size_t i) const;
  YamlNode key(std::size_t i) const;
  YamlNode value(std::size_t i) const;
  // Where the node starts (its anchor or tag, when it has one).
  Pos pos() const;

 private:
  friend class YamlDocument;
  YamlNode(const YamlDocument* doc, std::uint32_t index) : doc_(doc), index_(index) {}
  YamlNode child(std::size_t i) const;

  const YamlDocument* doc_ = nullptr;
  std::uint32_t index_ = 0;
};

class YamlDocument {
 public:
  enum class Kind : std::uint8_t { null, scalar, list, map };
  struct Entry {
    Kind kind = Kind::null;
    bool plain = false;
    std::uint32_t line = 0;    // 1-based
    std::uint32_t column = 0;  // 1-based
    std::uint32_t begin = 0;   // scalar: offset in text_; list and map: offset in children_
    std::uint32_t count = 0;   // scalar: bytes; list: items; map: 2 x pairs (key, value, key, value, ...)
  };

  // The single document of `text`, or nothing after reporting why (malformed YAML, or a bound above).
  // A text with no document gives a document whose root() is none.
  static std::optional<YamlDocument> parse(Diagnostics& diag, std::string_view text, std::uint64_t budget);

  YamlNode root() const { return entries_.empty() ? YamlNode() : YamlNode(this, root_); }

 private:
  friend class YamlNode;
  friend class YamlBuilder;

  std::vector<Entry> entries_;
  std::vector<std::uint32_t> children_;
  std::string text_;  // every scalar's bytes, one after another
  std::uint32_t root_ = 0;
};

}  // namespace p3p::topology::detail
