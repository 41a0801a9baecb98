#pragma once
// The experiment commands on the control node. experiment_<name> runs the experiment (experiments/
// runner.hpp) on the real cluster through a NodeClusterDriver, in the long-command worker: the port keeps
// answering quick commands meanwhile, and a second experiment or another cluster-moving command is `busy`
// (control_service.cpp). The reply is the result document. experiment_cancel (a quick command) asks the
// running one to stop at its next step; experiment_list describes every experiment.
// Progress after each epoch goes out as `experiment_progress` events ({experiment, epoch, epochs, score})
// on the telemetry stream: the worker queues them here, the node's loop publishes them (take_events); the
// anomaly events of anomaly_feed (anomaly_feed.hpp) likewise as `anomaly` events.
#include <atomic>
#include <mutex>
#include <optional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "experiments/experiment.hpp"
#include "nodes/control/anomaly_stream.hpp"
#include "nodes/control/command_handlers.hpp"

namespace p3p::control {

class ExperimentState {
 public:
  // `registry`: the experiments served (default: experiments::registry(); tests pass their own).
  explicit ExperimentState(const std::vector<experiments::Experiment>* registry = nullptr);
  const std::vector<experiments::Experiment>& registry() const { return *registry_; }
  const experiments::Experiment* find(std::string_view name) const;

  void started(const std::string& name);
  void finished();
  std::string running() const;  // empty when none
  bool cancel_requested() const { return cancel_; }
  std::string request_cancel();  // the one asked to stop, or empty when none runs

  void publish(nlohmann::json event);     // from the worker
  std::vector<nlohmann::json> take_events();  // in the loop
  // Anomaly events ({tick, channels, score, ...}) of anomaly_feed, published as kind `anomaly` the same way.
  void publish_anomaly(nlohmann::json event);
  std::vector<nlohmann::json> take_anomalies();

  // The stream anomaly_feed continues from one request to the next; only the long-command worker uses it.
  std::optional<AnomalyStream> anomaly_stream;

 private:
  const std::vector<experiments::Experiment>* registry_;
  std::atomic<bool> cancel_{false};
  mutable std::mutex mutex_;
  std::string running_;
  std::vector<nlohmann::json> events_;
  std::vector<nlohmann::json> anomalies_;
};

CommandResult run_experiment_command(CommandContext& cx, const Request& request);
CommandResult list_experiments(CommandContext& cx, const Request& request);
CommandResult cancel_experiment(CommandContext& cx, const Request& request);

}  // namespace p3p::control
