// hopfield_assoc in-process on the default topology: it recalls its patterns from noisy cues to the
// criterion, better than the cue itself, while the unlearned network recalls nothing; same seed, same
// outcome; bad arguments and a topology without the roles are refused by name.
#include <catch2/catch.hpp>

#include "tests/experiments/experiment_support.hpp"

using namespace p3p;
using namespace p3p::test;

TEST_CASE("hopfield_assoc: recall at 20% noise reaches mean 0.95 and every probe 0.9, above the cue and the unlearned network", "[experiments]") {
  for (std::uint64_t seed : {1u, 2u}) {
    InProcessExperiment x;
    x.args = experiment_args("hopfield_assoc", seed);
    const auto out = must(x.run("hopfield_assoc"));
    INFO(out.parts.dump() << "\n" << out.baselines.dump());
    CHECK(out.passed);
    CHECK(out.score >= 0.95);
    CHECK(out.parts.at("min_overlap").at("20").get<double>() >= 0.9);
    for (const char* noise : {"10", "20", "30"}) {
      CHECK(out.parts.at("overlap").at(noise).get<double>() > out.baselines.at("cue").at(noise).get<double>());
      CHECK(out.baselines.at("plasticity_off").at(noise).get<double>() < 0.5);
    }
    CHECK(out.curve.size() == 2);
    // The recall projection is back at 0: the region is a relay again.
    for (const auto& p : must(x.driver->weights("mem_assoc_B")))
      if (p.from == "mem_out_C")
        for (const auto& s : p.synapses) REQUIRE(s.weight == 0.0);
  }
}

TEST_CASE("hopfield_assoc: the same seed gives the same outcome, whatever tick it starts at", "[experiments]") {
  auto once = [](std::uint64_t seed, std::int64_t start) {
    InProcessExperiment x;
    if (start > 0) must(x.driver->advance_to(start));
    x.args = experiment_args("hopfield_assoc", seed, {{"probes", 5}});
    auto out = must(x.run("hopfield_assoc"));
    return out.parts.dump() + out.baselines.dump() + nlohmann::json(out.curve).dump();
  };
  const std::string first = once(3, 0);
  CHECK(first == once(3, 0));
  CHECK(first == once(3, 37));
}

TEST_CASE("hopfield_assoc: patterns that are not sparse and a region without its roles are refused by name", "[experiments]") {
  {
    InProcessExperiment x;
    x.args = experiment_args("hopfield_assoc", 1, {{"pattern_len", 40}});
    const auto out = x.run("hopfield_assoc");
    REQUIRE_FALSE(out);
    CHECK(out.error().code == ErrorCode::bad_args);
    CHECK_THAT(out.error().message, Catch::Contains("pattern_len 40"));
  }
  {
    InProcessExperiment x{topology_with("{id: mem_out_C, node: nodeC, size: 64, role: output}", "{id: mem_out_C, node: nodeC, size: 64}")};
    x.args = experiment_args("hopfield_assoc", 1);
    const experiments::Experiment* e = experiments::find("hopfield_assoc");
    REQUIRE(e);
    std::map<std::string, std::string> columns{{"cue", "mem_in_A"}, {"associative", "mem_assoc_B"}};
    experiments::Run r{*x.driver, x.topology, x.args, "Region_Memory", columns};
    const auto out = e->run(r);
    REQUIRE_FALSE(out);
    CHECK(out.error().code == ErrorCode::bad_args);
    CHECK_THAT(out.error().message, Catch::Contains("role output"));
  }
}
