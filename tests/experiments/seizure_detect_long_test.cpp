// seizure_detect in-process over topology/default.yaml, with its default arguments, 2 seeds: the spiking
// detector passes the floors against the line-length detector measured in the same run, and it
// learned which slopes mean a seizure.
#include <chrono>
#include <cstdio>

#include "tests/experiments/experiment_support.hpp"

using namespace p3p;
using namespace p3p::test;

namespace {

void print(std::uint64_t seed, const experiments::Outcome& o, double seconds) {
  std::printf("seizure_detect seed %llu (%.1f s): passed %d\n  parts %s\n  curve", static_cast<unsigned long long>(seed), seconds,
              o.passed ? 1 : 0, o.parts.dump().c_str());
  for (const double v : o.curve) std::printf(" %.3f", v);
  std::printf("\n  weights %s threshold %s\n", o.details["level_weights"].dump().c_str(), o.details["detector"]["threshold"].dump().c_str());
}

}  // namespace

TEST_CASE("seizure_detect passes its floors with 2 seeds, against the line-length detector of the same run", "[seizure_detect]") {
  for (const std::uint64_t seed : {1u, 2u}) {
    INFO("seed " << seed);
    InProcessExperiment x;
    x.args = experiment_args("seizure_detect", seed);
    const auto start = std::chrono::steady_clock::now();
    const auto o = x.run("seizure_detect");
    REQUIRE(o);
    print(seed, *o, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    const nlohmann::json& main = o->parts["spiking_3_5x"];
    const nlohmann::json& classical = o->parts["line_length_3_5x"];
    CHECK(main["f1"].get<double>() >= 0.95);
    CHECK(main["latency_s"].get<double>() <= 1.0);
    CHECK(main["latency_s"].get<double>() <= 1.2 * classical["latency_s"].get<double>());
    CHECK(o->parts["spiking_2x"]["f1"].get<double>() >= o->parts["line_length_2x"]["f1"].get<double>());
    CHECK(main["episodes"].get<int>() >= 10);
    // It learned from the labels (every weight starts in [0, 0.02]): the sharp slopes that come with
    // seizures drive the detector, the slopes of the background do not; its alert spikes tell seizure
    // steps from background ones in the last training epoch.
    const nlohmann::json& w = o->details["level_weights"];
    CHECK(w["5.0"].get<double>() >= 0.4);
    CHECK(w["4.0"].get<double>() >= 0.4);
    CHECK(w["1.5"].get<double>() <= 0.02);
    REQUIRE(o->curve.size() == 10);
    CHECK(o->curve.back() >= 0.9);
    CHECK(o->score == Approx(main["f1"].get<double>()).margin(1e-4));  // the part is rounded to 4 places
    CHECK(o->passed);
  }
}
