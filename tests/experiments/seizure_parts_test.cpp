// seizure_detect's pure parts: the recording generator, the slope encoder and line length, event scoring
// and threshold tuning, the read-out (its JSON and the streaming alarm), and the experiment's argument and
// region checks. Fast: runs under the sanitizers.
#include <cmath>
#include <numeric>

#include <catch2/catch.hpp>

#include "experiments/seizure_detector.hpp"
#include "tests/experiments/experiment_support.hpp"

using namespace p3p;
using namespace p3p::experiments::seizure;

namespace {

Timing timing() { return {32, 128.0}; }  // 0.25 s steps

// Alarm steps [from, to) in a run of n steps.
std::vector<bool> alarms_at(std::size_t n, std::vector<std::pair<std::size_t, std::size_t>> runs) {
  std::vector<bool> a(n, false);
  for (const auto& [from, to] : runs)
    for (std::size_t i = from; i < to; ++i) a[i] = true;
  return a;
}

}  // namespace

TEST_CASE("the recording is seeded, its background has unit spread, its episodes keep to the spec", "[seizure]") {
  const SignalSpec spec{3, 300.0, 2.0, 5.0};
  const Recording a = generate(spec, 7), b = generate(spec, 7), c = generate(spec, 8);
  CHECK(a.samples == b.samples);
  CHECK(a.samples != c.samples);
  REQUIRE(a.length() == 300 * 128);
  REQUIRE(a.episodes.size() >= 3);
  for (const Episode& e : a.episodes) {
    const double seconds = static_cast<double>(e.end - e.onset) / a.rate;
    CHECK(seconds >= 2.0);
    CHECK(seconds <= 20.0);
    CHECK(e.amplitude >= 2.0);
    CHECK(e.amplitude <= 5.0);
  }
  // Background spread ~1 per channel; an episode's RMS well above it (amplitude >= 2 x 0.7 channel gain).
  for (int ch = 0; ch < a.channels; ++ch) {
    double bg = 0, in = 0;
    std::int64_t nb = 0, ni = 0;
    for (std::int64_t n = 0; n < a.length(); ++n) {
      const double v = a.sample(n)[static_cast<std::size_t>(ch)];
      (in_episode(a.episodes, n) ? in : bg) += v * v;
      ++(in_episode(a.episodes, n) ? ni : nb);
    }
    CHECK(std::sqrt(bg / nb) == Approx(1.0).margin(0.1));
    CHECK(std::sqrt(in / ni) > 1.5);
  }
}

TEST_CASE("the slope encoder fires a thermometer code of each channel's slope, line length sums the slopes", "[seizure]") {
  SlopeEncoder enc({1.0, 2.0});
  std::vector<InputSpike> spikes;
  // Samples (ch0, ch1): (0,0) then (2.2, 0) then (2.2, 10.2): slope 2.2 on ch0, then 5.1 scaled on ch1.
  const std::vector<float> block = {0, 0, 2.2f, 0, 2.2f, 10.2f};
  enc.encode(block, spikes);
  std::vector<std::uint32_t> at1, at2;
  for (const InputSpike& s : spikes) (s.sample == 1 ? at1 : at2).push_back(s.neuron);
  CHECK(at1 == std::vector<std::uint32_t>{0, 1});  // 1.5 and 2.0 of channel 0
  CHECK(at2 == std::vector<std::uint32_t>{6, 7, 8, 9, 10, 11});  // every level of channel 1
  // The next block's first difference is taken from this block's last sample.
  spikes.clear();
  enc.encode(std::vector<float>{2.2f, 10.2f}, spikes);
  CHECK(spikes.empty());
  LineLength ll({1.0, 2.0});
  CHECK(ll.block(block) == Approx((2.2 + 0 + 0 + 10.2 / 2.0) / 2.0));
  CHECK(trailing_sum(std::vector<double>{1, 2, 3, 4}, 2) == std::vector<double>{1, 3, 5, 7});
}

TEST_CASE("slope scale: the RMS of the background's sample-to-sample difference", "[seizure]") {
  Recording r;
  r.channels = 1;
  r.samples = {0, 1, 0, 1, 0, 9, 0, 1};
  r.episodes = {{4, 7, 3.0}};  // the 9 is inside
  CHECK(slope_scale(r) == std::vector<double>{1.0});
}

TEST_CASE("event scoring: hits, latency, false alarms, and an alarm that never stops is no perfect score", "[seizure]") {
  // Episodes at 10-20 s and 60-70 s; 100 s = 400 steps.
  const std::vector<Episode> episodes = {{10 * 128, 20 * 128, 3.0}, {60 * 128, 70 * 128, 3.0}};
  const EventScore perfect = score(alarms_at(400, {{41, 80}, {243, 280}}), episodes, timing());
  CHECK(perfect.detected == 2);
  CHECK(perfect.false_alarms == 0);
  CHECK(perfect.f1 == 1.0);
  CHECK(perfect.latency_s == Approx((0.5 + 1.0) / 2));  // steps end at 10.5 s and 61 s
  const EventScore noisy = score(alarms_at(400, {{41, 80}, {150, 152}, {157, 158}, {300, 301}}), episodes, timing());
  CHECK(noisy.detected == 1);
  CHECK(noisy.false_alarms == 2);  // 150-151 and 157 are 1.5 s apart: one; 300: another
  CHECK(noisy.precision == Approx(1.0 / 3));
  CHECK(noisy.recall == 0.5);
  CHECK(noisy.false_alarms_per_hour == Approx(2 / (100.0 / 3600)));
  const EventScore always = score(std::vector<bool>(400, true), episodes, timing());
  CHECK(always.recall == 1.0);
  CHECK(always.false_alarms == 3);  // the background before, between (after the grace) and after: one run each
  CHECK(always.f1 < 0.7);
  const EventScore never = score(std::vector<bool>(400, false), episodes, timing());
  CHECK(never.f1 == 0.0);
}

TEST_CASE("tuning picks a threshold between background and seizure values, in the middle of the best ones", "[seizure]") {
  const std::vector<Episode> episodes = {{10 * 128, 20 * 128, 3.0}};
  std::vector<double> v(200, 1.0);
  for (std::size_t i = 40; i < 80; ++i) v[i] = 10.0;
  v[150] = 4.0;  // a background outlier
  const Tuned t = tune(v, episodes, timing());
  CHECK(t.threshold > 4.0);
  CHECK(t.threshold < 10.0);
  CHECK(t.score.f1 == 1.0);
}

TEST_CASE("the read-out: JSON round trip, refused when incomplete, and one event per alarm run", "[seizure]") {
  const Readout r{2, 128.0, 32, 4, 10.0, {0.5, 0.7}, "00ff00ff00ff00ff"};
  const auto back = Readout::from_json(r.to_json());
  REQUIRE(back);
  CHECK(back->to_json() == r.to_json());
  nlohmann::json wrong = r.to_json();
  wrong["scale"] = {0.5};
  CHECK_FALSE(Readout::from_json(wrong));
  wrong = r.to_json();
  wrong.erase("threshold");
  CHECK_FALSE(Readout::from_json(wrong));
  CHECK_FALSE(Readout::from_json("nonsense"));
  AlarmStream stream(r);
  std::vector<std::optional<AnomalyEvent>> out;
  const auto quiet = StepCounts{0, {0, 0}};
  const auto loud = StepCounts{6, {5, 0}};
  for (const StepCounts& c : {quiet, loud, loud, loud, quiet, quiet, quiet, quiet, quiet, quiet, quiet, quiet, quiet, quiet, loud, loud})
    out.push_back(stream.push(c));
  REQUIRE(out[2]);  // 12 spikes over the window >= 10
  CHECK(out[2]->step == 2);
  CHECK(out[2]->channels == std::vector<int>{0});
  CHECK(out[2]->score == Approx(1.2));
  CHECK_FALSE(out[3]);  // the same run
  CHECK(out[15]);       // after more than 2 s without an alarm: a new event
  int events = 0;
  for (const auto& e : out) events += e ? 1 : 0;
  CHECK(events == 2);
}

TEST_CASE("seizure_detect refuses more channels than its input column has room for", "[seizure]") {
  p3p::test::InProcessExperiment x(p3p::test::topology_with("{id: anom_norm_A, node: nodeA, size: 96", "{id: anom_norm_A, node: nodeA, size: 12"));
  x.args = p3p::test::experiment_args("seizure_detect", 1, {{"channels", 3}});
  const auto o = x.run("seizure_detect");
  REQUIRE_FALSE(o);
  CHECK(o.error().code == ErrorCode::bad_args);
  CHECK_THAT(o.error().text(), Catch::Contains("18 input neurons"));
}
