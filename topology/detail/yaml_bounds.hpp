#pragma once
// Bounds on the shape of a parsed document, checked before any section is read. yaml-cpp resolves an
// alias to the anchored node itself, so a document is a graph, not a tree: an alias inside its own anchor
// makes a cycle (every recursive walk of it would never end), and aliases of aliases repeat a node
// exponentially often (the "billion laughs": a few lines that expand to billions of nodes). The section
// parsers and the job-args conversion walk the expanded tree, so its size and depth must be bounded first.
#include <cstdint>

#include <yaml-cpp/yaml.h>

#include "topology/detail/diagnostics.hpp"

namespace p3p::topology::detail {

// Lists and mappings inside each other. A topology needs about six levels; job args a few more.
inline constexpr int kMaxNesting = 64;

// What the expanded document may weigh, counting one per node plus the bytes of each scalar, every time an
// alias repeats them. Without aliases a document weighs less than twice its text, so this bound only ever
// stops aliases; small files get a floor of 1 Mi.
std::uint64_t expansion_budget(std::uint64_t text_bytes);

// Walks the document (iteratively, never recursing) and reports, located: a node that contains itself
// through an alias, nesting deeper than kMaxNesting, an expansion over `budget`. Stops at the first such
// problem (the rest of the graph cannot be walked safely). True when the document is within bounds.
bool check_bounds(Diagnostics& diag, const YAML::Node& root, std::uint64_t budget);

}  // namespace p3p::topology::detail
