#include "topology/detail/parse_context.hpp"

namespace p3p::topology::detail {

std::vector<std::string> NameSet::list() const {
  std::vector<std::string> out;
  for (const auto& [name, pos] : names) out.push_back(name);
  return out;
}

std::filesystem::path ParseContext::resolve(const std::string& path) const {
  std::filesystem::path p(path);
  if (p.is_relative()) p = base_dir / p;
  return p.lexically_normal();
}

bool check_reference(ParseContext& ctx, const Field& f, const std::string& name, const NameSet& known,
                     std::string_view noun) {
  if (known.contains(name)) return true;
  if (known.complete)
    ctx.diag.error(f.pos(), f.path + ": unknown " + std::string(noun) + " '" + name + "'" + hint(name, known.list()));
  return false;
}

bool declare(ParseContext& ctx, NameSet& set, const std::string& name, Pos pos, std::string_view noun) {
  auto [it, inserted] = set.names.emplace(name, pos);
  if (!inserted)
    ctx.diag.error(pos, "duplicate " + std::string(noun) + " '" + name + "' (first defined at line " +
                            std::to_string(it->second.line) + ")");
  return inserted;
}

}  // namespace p3p::topology::detail
