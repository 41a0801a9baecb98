#include "topology/detail/yaml_bounds.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "topology/detail/map_reader.hpp"

namespace p3p::topology::detail {
namespace {

// A list or mapping being walked: where its iteration stands and how its parent names it.
struct Frame {
  YAML::Node node;
  YAML::const_iterator it;
  YAML::const_iterator end;
  std::string name;                  // "key" or "[i]" inside the parent; empty for the root
  std::size_t index = 0;             // next item of a list
  std::optional<YAML::Node> value;   // a mapping's value, walked after its key
  std::string value_name;
  Pos value_pos;
};

// A node to visit: the node, its name inside the parent, and where to point at it (for a mapping's value,
// its key: an alias's own position is lost, yaml-cpp marks the node it stands for).
struct Child {
  YAML::Node node;
  std::string name;
  Pos pos;
};

class Walker {
 public:
  Walker(Diagnostics& d, std::uint64_t budget) : diag_(d), budget_(budget) {}

  bool run(const YAML::Node& root) {
    if (!visit(Child{root, "", pos_of(root)})) return false;
    while (!stack_.empty()) {
      auto child = next(stack_.back());
      if (!child) {
        stack_.pop_back();
        continue;
      }
      if (!visit(*child)) return false;
    }
    return true;
  }

 private:
  // The next child of the frame (a mapping yields each key, then its value), or nothing when done.
  std::optional<Child> next(Frame& f) {
    if (f.value) {
      Child c{*f.value, f.value_name, f.value_pos};
      f.value.reset();
      return c;
    }
    if (f.it == f.end) return std::nullopt;
    if (f.node.IsSequence()) {
      const YAML::Node item = *f.it;
      ++f.it;
      const Pos p = pos_of(item);
      std::string name(1, '[');  // appended, not "[" + ...: GCC 12 warns falsely (-Wrestrict) on that
      name.append(std::to_string(f.index++)).push_back(']');
      return Child{item, std::move(name), p.known() ? p : pos_of(f.node)};
    }
    const YAML::Node key = f.it->first;
    f.value = f.it->second;
    ++f.it;
    f.value_name = key.IsScalar() ? key.Scalar() : std::string("?");
    f.value_pos = pos_of(key).known() ? pos_of(key) : pos_of(f.node);
    return Child{key, f.value_name, f.value_pos};
  }

  bool visit(const Child& c) {
    weight_ += 1 + (c.node.IsScalar() ? c.node.Scalar().size() : 0);
    if (weight_ > budget_) {
      diag_.error(c.pos, where(c) + ": aliases expand the document past " + std::to_string(budget_) +
                             " nodes and scalar bytes (aliases inside aliases multiply: an alias bomb?); "
                             "write the repeated parts out, or use fewer levels of aliases");
      return false;
    }
    if (!c.node.IsSequence() && !c.node.IsMap()) return true;
    for (const Frame& f : stack_) {
      if (!f.node.is(c.node)) continue;
      const Pos anchor = pos_of(c.node);
      diag_.error(c.pos, where(c) + ": an alias refers to a node that contains it (the one at line " +
                             std::to_string(anchor.line) + ", column " + std::to_string(anchor.column) +
                             "), a cycle that never ends; an alias may only name a node defined before it, "
                             "outside it");
      return false;
    }
    if (static_cast<int>(stack_.size()) >= kMaxNesting) {
      diag_.error(c.pos, where(c) + ": lists and mappings nested deeper than " + std::to_string(kMaxNesting) +
                             " levels; a topology needs far fewer (an unclosed bracket?)");
      return false;
    }
    stack_.push_back(Frame{c.node, c.node.begin(), c.node.end(), c.name, 0, std::nullopt, {}, {}});
    return true;
  }

  // The child's path as messages write it: "jobs[0].args.x".
  std::string where(const Child& c) const {
    std::string path;
    auto add = [&path](const std::string& name) {
      if (name.empty()) return;
      if (name.front() == '[')
        path.append(name);
      else
        path = child_path(path, name);
    };
    for (const Frame& f : stack_) add(f.name);
    add(c.name);
    return label(path);
  }

  Diagnostics& diag_;
  std::uint64_t budget_;
  std::uint64_t weight_ = 0;
  std::vector<Frame> stack_;
};

}  // namespace

std::uint64_t expansion_budget(std::uint64_t text_bytes) {
  return std::max<std::uint64_t>(std::uint64_t{1} << 20, 2 * text_bytes);
}

bool check_bounds(Diagnostics& diag, const YAML::Node& root, std::uint64_t budget) {
  return Walker(diag, budget).run(root);
}

}  // namespace p3p::topology::detail
