#include "topology/detail/parse_context.hpp"

#include <algorithm>

namespace p3p::topology::detail {

std::vector<std::string> NameSet::list() const {
  std::vector<std::string> out;
  for (const auto& [name, pos] : names) out.push_back(name);
  std::sort(out.begin(), out.end());
  return out;
}

std::filesystem::path ParseContext::resolve(const std::string& path) const {
  std::filesystem::path p(path);
  if (p.is_relative()) p = base_dir / p;
  return p.lexically_normal();
}

const Declared* check_reference(ParseContext& ctx, const Field& f, const std::string& name, const NameSet& known,
                                std::string_view noun) {
  if (const auto it = known.names.find(name); it != known.names.end()) return &it->second;
  if (known.complete)
    ctx.diag.error(f.pos(), f.path() + ": unknown " + std::string(noun) + " '" + name + "'" + hint(name, known.list()));
  return nullptr;
}

Declared* declare(ParseContext& ctx, NameSet& set, const std::string& name, Pos pos, std::string_view noun) {
  auto [it, inserted] = set.names.emplace(name, Declared{pos});
  if (inserted) return &it->second;
  ctx.diag.error(pos, "duplicate " + std::string(noun) + " '" + name + "' (first defined at line " +
                          std::to_string(it->second.pos.line) + ")");
  return nullptr;
}

}  // namespace p3p::topology::detail
