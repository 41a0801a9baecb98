// The experiment commands of the control node (nodes/control/experiment_commands.hpp) against real nodes in
// this process: the handler runs a test experiment (tests/experiments/probe_experiment.hpp) through a
// NodeClusterDriver while a second dispatcher - the control node's quick worker - answers status, lists
// the experiments and cancels the run. Both dispatchers share one ExperimentState, as the two workers do.
#include <catch2/catch.hpp>
#include <fstream>
#include <future>
#include <nlohmann/json.hpp>

#include "client/experiment_results.hpp"
#include "client/request.hpp"
#include "driver/engine_driver.hpp"
#include "experiments/runner.hpp"
#include "nodes/control/dispatcher.hpp"
#include "nodes/control/experiment_commands.hpp"
#include "tests/experiments/probe_experiment.hpp"
#include "tests/support/in_process_cluster.hpp"
#include "tests/support/poll.hpp"

using namespace p3p;
using namespace p3p::test;
using nlohmann::json;

namespace {

// Region_AB of the default topology as the probe's region (its two columns across nodeA and nodeB).
std::vector<std::pair<std::string, std::string>> probe_edits() {
  return {{"name: Region_AB", "name: Region_Probe"},
          {"{id: col_A1, node: nodeA, preset: cortex7}", "{id: col_A1, node: nodeA, preset: cortex7, role: input}"},
          {"{id: col_B1, node: nodeB, preset: cortex7}", "{id: col_B1, node: nodeB, preset: cortex7, role: output}"}};
}

struct Worker {
  std::unique_ptr<control::NodeClient> client;
  control::Dispatcher dispatcher;
  Worker(const topology::Topology& t, control::RegionStore& regions, control::ExperimentState& state)
      : client(open(t)), dispatcher(t, *client, regions, nullptr, &state) {}
  static std::unique_ptr<control::NodeClient> open(const topology::Topology& t) {
    auto c = control::NodeClient::open(t);
    REQUIRE(c);
    return std::move(*c);
  }
  Expected<json, Failure> run(const std::string& cmd, const json& args = json::object()) {
    control::Request r;
    r.cmd = cmd;
    r.args = args;
    return dispatcher.execute(r);
  }
};

struct ExperimentControl {
  InProcessCluster cluster{probe_edits()};
  ProbeLog log;
  std::vector<experiments::Experiment> registry{probe_experiment(log)};
  control::ExperimentState state{&registry};
  control::RegionStore regions{control::RegionLayout::from_topology(cluster.topology())};
  Worker slow{cluster.topology(), regions, state};
  Worker quick{cluster.topology(), regions, state};
};

std::string code(const Expected<json, Failure>& r) { return r ? "ok" : std::string(to_string(r.error().code)); }

}  // namespace

TEST_CASE("experiment command: the reply is the result document, the same as the in-process driver's, written to the results dir") {
  ExperimentControl c;
  const auto doc = c.slow.run("experiment_probe", {{"epochs", 3}, {"seed", 5}});
  INFO((doc ? doc->dump() : doc.error().text()));
  REQUIRE(doc);
  CHECK((*doc)["experiment"] == "probe");
  CHECK((*doc)["nodes"] == json({"nodeA", "nodeB"}));
  CHECK((*doc)["curve"].size() == 3);
  CHECK((*doc)["passed"] == true);
  const auto files = control::list_results(c.cluster.topology().results.dir, "probe");
  REQUIRE(files.size() == 1);
  CHECK(files[0].filename() == (*doc)["file"].get<std::string>());
  // One progress report per epoch, queued for the node's loop to publish.
  const auto events = c.state.take_events();
  REQUIRE(events.size() == 3);
  CHECK(events[2] == json({{"experiment", "probe"}, {"epoch", 3}, {"epochs", 3}, {"score", (*doc)["curve"][2]}}));
  // The same run on one in-process engine: the same spikes across nodes as in it.
  auto engine = driver::EngineDriver::create(c.cluster.topology());
  REQUIRE(engine);
  experiments::Hooks hooks;
  hooks.write = false;
  const auto local = experiments::run_experiment(**engine, c.cluster.topology(), c.registry[0], {{"epochs", 3}, {"seed", 5}}, hooks);
  REQUIRE(local);
  for (const char* key : {"curve", "score", "raster_hash", "first_tick", "last_tick", "arguments"}) {
    INFO(key);
    CHECK((*local)[key] == (*doc)[key]);
  }
}

TEST_CASE("experiment command: while it runs, quick commands answer, experiment_cancel stops it and the cluster stays usable") {
  ExperimentControl c;
  CHECK(c.quick.run("experiment_cancel").value() == json({{"cancelling", nullptr}}));  // none runs: nothing to stop
  auto running = std::async(std::launch::async, [&] { return c.slow.run("experiment_probe", {{"epochs", 1000}}); });
  REQUIRE(poll_until([&] { return c.log.epochs_run >= 2; }, std::chrono::seconds(30)));
  CHECK(c.state.running() == "probe");
  CHECK(code(c.quick.run("status")) == "ok");
  const auto list = c.quick.run("experiment_list");
  REQUIRE(list);
  REQUIRE(list->size() == 1);
  CHECK((*list)[0]["name"] == "probe");
  CHECK((*list)[0]["implemented"] == true);
  CHECK((*list)[0]["roles"] == json({"input", "output"}));
  CHECK((*list)[0]["args"][0]["default"] == 3);
  CHECK((*list)[0]["args"].back()["name"] == "seed");
  CHECK(c.quick.run("experiment_cancel").value() == json({{"cancelling", "probe"}}));
  REQUIRE(running.wait_for(std::chrono::seconds(60)) == std::future_status::ready);
  const auto result = running.get();
  REQUIRE(code(result) == "cancelled");
  CHECK(c.log.epochs_run < 1000);
  CHECK(c.state.running().empty());
  CHECK(control::list_results(c.cluster.topology().results.dir).empty());
  // The cluster is usable: the next experiment runs to its end.
  CHECK(code(c.slow.run("experiment_probe", {{"epochs", 1}})) == "ok");
}

TEST_CASE("experiment command: bad arguments and unknown experiments are refused before the cluster moves") {
  ExperimentControl c;
  const auto before = c.quick.run("status");
  REQUIRE(before);
  const auto zero = c.slow.run("experiment_probe", {{"epochs", 0}});
  REQUIRE(code(zero) == "bad_args");
  CHECK_THAT(zero.error().message, Catch::Contains("epochs"));
  const auto unknown = c.slow.run("experiment_nope");
  REQUIRE(code(unknown) == "bad_args");
  CHECK_THAT(unknown.error().message, Catch::Contains("nope"));
  CHECK(c.log.start_ticks.empty());
  CHECK(c.state.take_events().empty());
}
