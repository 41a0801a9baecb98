#include "nodes/control/experiment_commands.hpp"

#include <algorithm>

#include "client/experiment_catalog.hpp"
#include "driver/node_cluster_driver.hpp"
#include "experiments/runner.hpp"

namespace p3p::control {
namespace {

// One answer of the cluster during an experiment (a whole advance of one step included) may take this long.
constexpr auto kStepTimeout = std::chrono::seconds(60);
constexpr std::size_t kMaxQueuedEvents = 10000;  // a loop that stopped taking them loses the oldest

ExperimentState& state_of(CommandContext& cx) {
  static ExperimentState none;  // a context without one (a dispatcher built by a test): the default registry
  return cx.experiments ? *cx.experiments : none;
}

}  // namespace

ExperimentState::ExperimentState(const std::vector<experiments::Experiment>* registry)
    : registry_(registry ? registry : &experiments::registry()) {}

const experiments::Experiment* ExperimentState::find(std::string_view name) const {
  const auto it = std::find_if(registry_->begin(), registry_->end(),
                               [&](const experiments::Experiment& e) { return e.info && e.info->name == name; });
  return it == registry_->end() ? nullptr : &*it;
}

void ExperimentState::started(const std::string& name) {
  std::lock_guard lock(mutex_);
  running_ = name;
  cancel_ = false;
}

void ExperimentState::finished() {
  std::lock_guard lock(mutex_);
  running_.clear();
  cancel_ = false;
}

std::string ExperimentState::running() const {
  std::lock_guard lock(mutex_);
  return running_;
}

std::string ExperimentState::request_cancel() {
  std::lock_guard lock(mutex_);
  if (!running_.empty()) cancel_ = true;
  return running_;
}

void ExperimentState::publish(nlohmann::json event) {
  std::lock_guard lock(mutex_);
  if (events_.size() >= kMaxQueuedEvents) events_.erase(events_.begin());
  events_.push_back(std::move(event));
}

std::vector<nlohmann::json> ExperimentState::take_events() {
  std::lock_guard lock(mutex_);
  return std::exchange(events_, {});
}

void ExperimentState::publish_anomaly(nlohmann::json event) {
  std::lock_guard lock(mutex_);
  if (anomalies_.size() >= kMaxQueuedEvents) anomalies_.erase(anomalies_.begin());
  anomalies_.push_back(std::move(event));
}

std::vector<nlohmann::json> ExperimentState::take_anomalies() {
  std::lock_guard lock(mutex_);
  return std::exchange(anomalies_, {});
}

CommandResult run_experiment_command(CommandContext& cx, const Request& request) {
  ExperimentState& state = state_of(cx);
  const std::string name = request.cmd.substr(kExperimentPrefix.size());
  const experiments::Experiment* e = state.find(name);
  if (!e) return unexpected(Failure{ErrorCode::bad_args, "no experiment '" + name + "'"});
  auto driver = driver::NodeClusterDriver::open(cx.topo, kStepTimeout);
  if (!driver) return unexpected(driver.error());
  experiments::Hooks hooks;
  hooks.cancelled = [&state, stop = cx.cancel] { return state.cancel_requested() || (stop && stop->load()); };
  hooks.progress = [&state, name](const experiments::Progress& p) {
    state.publish({{"experiment", name}, {"epoch", p.epoch}, {"epochs", p.epochs}, {"score", p.score}});
  };
  state.started(name);
  auto result = experiments::run_experiment(**driver, cx.topo, *e, request.args, hooks);
  state.finished();
  return result;
}

CommandResult list_experiments(CommandContext& cx, const Request&) {
  nlohmann::json out = nlohmann::json::array();
  for (const experiments::Experiment& e : state_of(cx).registry()) {
    const ExperimentInfo& info = *e.info;
    out.push_back({{"name", info.name}, {"description", info.description}, {"region", info.region}, {"roles", info.roles},
                   {"args", describe_args(experiment_command(info).args)}, {"pass_criterion", info.pass_criterion},
                   {"implemented", static_cast<bool>(e.run)}});
  }
  return out;
}

CommandResult cancel_experiment(CommandContext& cx, const Request&) {
  const std::string name = state_of(cx).request_cancel();
  return nlohmann::json{{"cancelling", name.empty() ? nlohmann::json(nullptr) : nlohmann::json(name)}};
}

}  // namespace p3p::control
