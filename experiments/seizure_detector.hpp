#pragma once
// The spiking detector on a cluster (Region_Anomaly), one environment step at a time, and its read-out:
// what the experiment trains and scores, and what `p3pctl anomaly feed` streams a user's signal through.
//
// One step = one block of samples, one tick per sample: ONE schedule (the encoder's kicks into the input
// column, plus any exploration kicks into the detector), ONE advance, ONE spike_counts. The detector
// population (input -> detector, the plastic projection) relays every spike to the alert column on the
// next node; the step's value is the alert column's spike count.
// Read-out: an alarm is a step whose alert spikes over the last `window` steps reach `threshold`; an
// anomaly event is raised where an alarm run starts (runs closer than kMergeSeconds are one event).
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "driver/cluster_driver.hpp"
#include "experiments/seizure_encoder.hpp"
#include "experiments/seizure_scoring.hpp"

namespace p3p::experiments::seizure {

using Error = Failure;

inline constexpr double kKick = 1.5;  // (rest 0.2 + 1.5) * leak > threshold: the neuron fires that very tick

struct DetectorColumns {
  std::string input, detector, alert;
};

struct StepCounts {
  std::uint64_t alert = 0;                   // alert spikes in the step
  std::vector<std::uint32_t> channel_kicks;  // input kicks per channel at the upper two levels
};

// One step of `block` (whole samples); `extra` joins the step's single schedule call.
Expected<StepCounts, Error> detector_step(driver::ClusterDriver& d, const DetectorColumns& columns, SlopeEncoder& encoder,
                                          std::span<const float> block, std::span<const driver::Current> extra = {});

// What a trained detector needs besides its weights: the encoder's calibration and the read-out, as the
// seizure_detect result document records them (details.detector).
struct Readout {
  int channels = 0;
  double rate = kSampleRate;
  int samples_per_step = 32;
  int window = 4;           // steps
  double threshold = 0.0;   // alert spikes over the window
  std::vector<double> scale;
  std::string weights;      // weights_fingerprint of the trained projection: the feed checks it is still there
  nlohmann::json to_json() const;
  static std::optional<Readout> from_json(const nlohmann::json& j);  // nullopt if anything is missing or wrong
  Timing timing() const { return {samples_per_step, rate}; }
};

struct AnomalyEvent {
  std::int64_t step = 0;       // the step the alarm run starts at
  std::vector<int> channels;   // the channels whose sharp slopes drove it, over the window
  double score = 0.0;          // alert spikes over the window / threshold (>= 1)
};

// A fingerprint (FNV-1a, hex) of the synapses of the plastic projection input -> detector, as weights()
// reads them: it tells whether the detector still holds what a run trained.
Expected<std::string, Error> weights_fingerprint(driver::ClusterDriver& d, const DetectorColumns& columns);

// Streaming read-out: push each step's counts, get an event where an alarm run starts.
class AlarmStream {
 public:
  explicit AlarmStream(const Readout& r);
  std::optional<AnomalyEvent> push(const StepCounts& counts);
 private:
  Readout r_;
  std::int64_t step_ = -1;
  std::int64_t last_alarm_ = -1000000;
  std::vector<StepCounts> recent_;  // the last `window` steps
};

}  // namespace p3p::experiments::seizure
