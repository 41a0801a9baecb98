#pragma once
// An experiment: a program that drives a cluster from outside the engine through the cluster driver
// (driver/cluster_driver.hpp), learns in one region, measures itself against baselines run in the same run,
// and says whether it passed. It knows nothing of sockets or processes: the same code runs against the real
// cluster (NodeClusterDriver, on the control node) and in-process (EngineDriver, in tests), with the same
// result for the same seed.
//
// What the runner (runner.hpp) does around run(), so an experiment need not:
//   - checks and completes the arguments against the catalog (client/experiment_catalog.hpp), then check();
//   - finds the region and its columns by role (topology `role:` keys), or a clear error naming what is missing;
//   - prepares the region: every column back to its built state (weights too), its noise re-keyed by the
//     seed from the current tick, its reward 0, nothing of it in flight - so a run does not depend on
//     what ran before, nor on the tick it starts at;
//   - wraps the Outcome into the versioned result document and writes it.
// An experiment that resets its region between phases (a baseline with plasticity off, then learning)
// does it itself with the driver.
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "client/experiment_catalog.hpp"
#include "common/expected.hpp"
#include "driver/cluster_driver.hpp"
#include "topology/topology.hpp"

namespace p3p::experiments {

using Error = Failure;

struct Progress {
  int epoch = 0;       // epochs done (1-based after the first)
  int epochs = 0;      // of how many
  double score = 0.0;  // the running score (e.g. the last epoch's)
};

// What run() gets.
struct Run {
  driver::ClusterDriver& driver;
  const topology::Topology& topology;
  const nlohmann::json& args;                  // every catalog argument, defaults filled in, and "seed"
  std::string region;                          // the region's name
  std::map<std::string, std::string> columns;  // role -> column id
  std::function<void(const Progress&)> progress = [](const Progress&) {};  // after each epoch
  std::function<bool()> cancelled = [] { return false; };  // polled between steps: stop with ErrorCode::cancelled
};

// What run() returns; the runner adds the rest of the result document (experiment, seed, arguments,
// topology hash, nodes, ticks, raster hash, duration).
struct Outcome {
  double score = 0.0;
  nlohmann::json parts = nlohmann::json::object();      // the score's parts (per noise level, confusion matrix, ...)
  nlohmann::json baselines = nlohmann::json::object();  // name -> value, measured in this run
  bool passed = false;                                  // against the catalog's pass criterion
  std::vector<double> curve;                            // score per epoch
  nlohmann::json details = nlohmann::json::object();    // what a person wants to see (taught vs generated, ...)
  // The units, so a reader (the plot of the curve) can tell which baselines compare with the curve: a
  // baseline whose unit is the curve's is drawn on its axis, any other is only named with its unit.
  std::string curve_unit;                               // e.g. "accuracy", "steps per episode"
  std::map<std::string, std::string> baseline_units;   // baseline name -> its unit
};

struct Experiment {
  const control::ExperimentInfo* info = nullptr;
  // Checks across arguments beyond the catalog's ranges (a symbol outside the alphabet): bad_args naming
  // what is wrong. May be empty.
  std::function<Expected<void, Error>(const nlohmann::json& args)> check;
  // Empty: not implemented yet (the command answers not_implemented).
  std::function<Expected<Outcome, Error>(Run&)> run;
};

// The seven, in the catalog's order (registry.cpp).
const std::vector<Experiment>& registry();
const Experiment* find(std::string_view name);

}  // namespace p3p::experiments
