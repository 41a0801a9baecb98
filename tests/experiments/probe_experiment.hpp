#pragma once
// A test-only experiment for the runtime's tests (the runner, the control commands): a two-column region
// (roles input, output) where it drives the input, lets the plastic projection learn, and scores the output's
// spikes per epoch. It records what it saw when it started (the tick, the weights onto the output), and
// can wait for a test's signal before each epoch, so a test can act while it is running.
#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "client/experiment_catalog.hpp"
#include "experiments/experiment.hpp"

namespace p3p::test {

inline const control::ExperimentInfo& probe_info() {
  static const control::ExperimentInfo info{
      "probe", "a test experiment", "Region_Probe", {"input", "output"},
      {{"epochs", control::ArgType::integer, 3, false, 1, 1000, "epochs"},
       {"drive", control::ArgType::number, 0.7, false, 0, 5, "current into the input per tick"}},
      "output spikes in the last epoch > 0", true};
  return info;
}

// Two nodes, the probe's region across them, and a region it must leave alone.
inline std::string probe_topology(const std::string& extra = "") {
  return R"(cluster: {name: probe, key_file: cluster.key, seed: 7}
nodes:
  - {id: nA, host: 127.0.0.1, router_port: 20001, pub_port: 20101, modules: [cortex7]}
  - {id: nB, host: 127.0.0.1, router_port: 20002, pub_port: 20102, modules: [cortex7]}
regions:
  - name: Region_Probe
    columns:
      - {id: probe_in, node: nA, preset: cortex7, role: input}
      - {id: probe_out, node: nB, preset: cortex7, role: output}
  - name: Region_Other
    columns:
      - {id: other_1, node: nA, preset: cortex7}
      - {id: other_2, node: nB, preset: cortex7}
projections:
  - {from: probe_in, to: probe_out, rule: all_to_all, weight: 0.35, delay: 3, plastic: true}
  - {from: other_1, to: other_2, rule: all_to_all, weight: 0.35, delay: 1, plastic: true}
)" + extra;
}

struct ProbeLog {
  std::vector<std::int64_t> start_ticks;
  std::vector<std::vector<driver::ProjectionWeights>> start_weights;  // onto the output, as each run began
  std::atomic<int> epochs_run{0};
  std::function<void(int epoch)> before_epoch = [](int) {};  // called in the run, before each epoch
};

inline experiments::Experiment probe_experiment(ProbeLog& log) {
  experiments::Experiment e;
  e.info = &probe_info();
  e.check = [](const nlohmann::json& args) -> Expected<void, experiments::Error> {
    if (args["drive"].get<double>() == 4.0) return unexpected(experiments::Error{ErrorCode::bad_args, "'drive' 4 is unlucky"});
    return {};
  };
  e.run = [&log](experiments::Run& run) -> Expected<experiments::Outcome, experiments::Error> {
    driver::ClusterDriver& d = run.driver;
    const std::string in = run.columns.at("input"), out = run.columns.at("output");
    log.start_ticks.push_back(d.tick());
    auto w = d.weights(out);
    if (!w) return unexpected(w.error());
    log.start_weights.push_back(*w);
    experiments::Outcome o;
    const int epochs = run.args["epochs"].get<int>();
    for (int epoch = 0; epoch < epochs; ++epoch) {
      log.before_epoch(epoch);
      if (run.cancelled()) return unexpected(experiments::Error{ErrorCode::cancelled, "probe cancelled"});
      const std::int64_t from = d.tick();
      std::vector<driver::Current> currents;
      for (std::int64_t t = from; t < from + 20; ++t)
        for (std::uint32_t n = 0; n < 4; ++n) currents.push_back({in, n, t, run.args["drive"].get<double>()});
      if (auto ok = d.schedule(currents); !ok) return unexpected(ok.error());
      auto to = d.advance_to(from + 30);
      if (!to) return unexpected(to.error());
      auto counts = d.spike_counts(from, *to);
      if (!counts) return unexpected(counts.error());
      o.curve.push_back(static_cast<double>(counts->per_column.at(out)));
      ++log.epochs_run;
      run.progress({epoch + 1, epochs, o.curve.back()});
    }
    o.score = o.curve.back();
    o.parts = {{"output_spikes", o.score}};
    o.baselines = {{"silent", 0.0}};
    o.curve_unit = "spikes per epoch";
    o.baseline_units = {{"silent", "spikes per epoch"}};
    o.passed = o.score > 0;
    o.details = {{"epochs", epochs}};
    return o;
  };
  return e;
}

}  // namespace p3p::test
