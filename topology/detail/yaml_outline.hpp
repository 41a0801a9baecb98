#pragma once
// yaml-cpp 0.7 never returns from a ',' found where a document's root node has ended or not yet begun
// (", a", "\"q\" ,", "[1] ,", "{a: 1} ,", "a: 1\n...\n,", "  - {a: b}\n ,"): its parser makes nodes in a
// loop until memory runs out (found by fuzz/topology_yaml). A topology is one document whose root is a
// mapping, so its outline is checked in the text before yaml-cpp sees it: a block mapping with no second
// document and no line less indented than its first key, or one flow mapping {...} followed by comments only.
#include <string_view>

#include "topology/detail/diagnostics.hpp"

namespace p3p::topology::detail {

// True when the outline is a topology's; otherwise reports where it is not, located, and returns false.
bool check_outline(Diagnostics& diag, std::string_view text);

}  // namespace p3p::topology::detail
