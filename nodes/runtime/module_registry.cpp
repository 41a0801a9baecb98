#include "nodes/runtime/module_registry.hpp"

namespace p3p::runtime {

Expected<void, std::string> ModuleRegistry::add(std::unique_ptr<Module> m) {
  if (find(m->name())) return unexpected("module '" + std::string(m->name()) + "' already registered");
  modules_.push_back(std::move(m));
  return {};
}

const Module* ModuleRegistry::find(std::string_view name) const {
  for (const auto& m : modules_)
    if (m->name() == name) return m.get();
  return nullptr;
}

nlohmann::json ModuleRegistry::describe() const {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& m : modules_) {
    nlohmann::json entry = {{"name", m->name()}, {"state", m->state()}};
    const nlohmann::json extra = m->status();  // a named value: iterating a temporary trips GCC 12's analysis
    if (extra.is_object()) entry.update(extra);
    out.push_back(std::move(entry));
  }
  return out;
}

}  // namespace p3p::runtime
