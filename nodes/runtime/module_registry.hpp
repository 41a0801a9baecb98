#pragma once
// The node's modules, in one registry: what `status` lists. A module has a name (the topology's module
// name, also the envelope's target_module), a state, and status fields.
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/expected.hpp"

namespace p3p::runtime {

class Module {
 public:
  virtual ~Module() = default;
  virtual std::string_view name() const = 0;
  virtual std::string state() const = 0;  // "running"
  virtual nlohmann::json status() const { return nlohmann::json::object(); }
};

// A module whose status is computed by the component that owns its state (the node wires it).
class FunctionModule final : public Module {
 public:
  using StatusFn = std::function<nlohmann::json()>;
  FunctionModule(std::string name, StatusFn fn) : name_(std::move(name)), fn_(std::move(fn)) {}
  std::string_view name() const override { return name_; }
  std::string state() const override { return "running"; }
  nlohmann::json status() const override { return fn_ ? fn_() : nlohmann::json::object(); }

 private:
  std::string name_;
  StatusFn fn_;
};

class ModuleRegistry {
 public:
  // Fails (naming the module) on a duplicate name.
  Expected<void, std::string> add(std::unique_ptr<Module> m);
  const Module* find(std::string_view name) const;
  bool runs(std::string_view name) const { return find(name) && find(name)->state() == "running"; }
  // [{name, state, ...status}] in registration order.
  nlohmann::json describe() const;

 private:
  std::vector<std::unique_ptr<Module>> modules_;
};

}  // namespace p3p::runtime
