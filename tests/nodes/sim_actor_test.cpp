// The simulation thread survives a call that throws: the caller gets an `internal` error, the next call is
// served (a node must never die from one request's work - it has no other catch on that thread).
#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <thread>

#include "bench/workload/reference_network.hpp"
#include "nodes/runtime/sim_actor.hpp"
#include "tests/support/poll.hpp"
#include "tests/support/temp_dir.hpp"

using namespace p3p;

namespace {

runtime::SimConfig one_node_config() {
  runtime::SimConfig c;
  c.spec = bench::reference_network({.neurons = 50, .in_degree = 5, .plastic = false, .seed = 1});
  c.total_neurons = 50;
  // Initialised, not assigned field by field: GCC 12 misreports assigning a short string (-Wrestrict).
  c.exchange = runtime::SpikeExchangeConfig{.key = std::vector<std::uint8_t>(32, 7),
                                            .cluster = "c",
                                            .node_ids = {"n1"},
                                            .self = 0,
                                            .host = "127.0.0.1",
                                            .replay_window_ms = 0};
  return c;
}

// The next event of `kind` (bounded: 10 s).
std::unique_ptr<runtime::SimEvent> next_event(runtime::SimActor& actor, runtime::SimEvent::Kind kind) {
  std::unique_ptr<runtime::SimEvent> found;
  const auto take = [&] {
    while (auto e = actor.take_event())
      if (e->kind == kind) return (found = std::move(e)) != nullptr;
    return false;
  };
  if (!test::poll_until(take, std::chrono::seconds(10), std::chrono::milliseconds(1)))
    FAIL("no event of the expected kind within 10 s");
  return found;
}

}  // namespace

TEST_CASE("a call that throws on the simulation thread is answered internal, and the thread serves the next one") {
  test::TempDir dir;
  runtime::Logger log("n1", (dir / "log.jsonl").string());
  zmq::context_t context;
  runtime::SimActor actor(context, one_node_config(), log);
  REQUIRE(next_event(actor, runtime::SimEvent::Kind::ready));

  actor.call(7, [](cortex::Engine&) -> runtime::CallOutcome { throw std::bad_alloc(); });
  auto failed = next_event(actor, runtime::SimEvent::Kind::call_done);
  CHECK(failed->call_id == 7);
  REQUIRE_FALSE(failed->outcome);
  CHECK(to_string(failed->outcome.error().code) == "internal");
  CHECK_THAT(failed->outcome.error().message, Catch::Contains("bad_alloc"));

  actor.call(8, [](cortex::Engine& e) { return runtime::CallOutcome(nlohmann::json{{"tick", e.tick()}}); });
  auto served = next_event(actor, runtime::SimEvent::Kind::call_done);
  CHECK(served->call_id == 8);
  REQUIRE(served->outcome);
  CHECK((*served->outcome)["tick"] == 0);
  log.flush();
  std::ifstream in(dir / "log.jsonl");
  const std::string logged{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  CHECK_THAT(logged, Catch::Contains("a call on the simulation thread failed"));
}
