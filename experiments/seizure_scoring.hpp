#pragma once
// Event-level scoring of a detector that decides once per step (a block of samples), and the tuning of its
// threshold on labelled data. The same code scores the spiking detector and the classical one.
//
// An alarm is a step whose value reaches the threshold. An episode (extended by kGraceSeconds after its
// end) is detected if any alarm step overlaps it; its latency is the end of the first such step minus the
// onset. Alarm steps that overlap no episode are false: each run of them (runs less than kMergeSeconds
// apart merged into one) is one false alarm. So an alarm that never stops is one false alarm per gap
// between episodes, not a perfect score. precision = detected / (detected + false alarms).
#include <cstdint>
#include <span>
#include <vector>

#include <nlohmann/json.hpp>

#include "experiments/seizure_signal.hpp"

namespace p3p::experiments::seizure {

inline constexpr double kMergeSeconds = 2.0;
inline constexpr double kGraceSeconds = 2.0;

struct Timing {
  int samples_per_step = 32;
  double rate = kSampleRate;
  double step_seconds() const { return samples_per_step / rate; }
};

struct EventScore {
  int episodes = 0, detected = 0, events = 0, false_alarms = 0;  // events = detected + false alarms
  double precision = 0.0, recall = 0.0, f1 = 0.0;
  double latency_s = 0.0;  // mean over the detected episodes
  double false_alarms_per_hour = 0.0;
  nlohmann::json to_json() const;
};

struct Event {
  std::int64_t first = 0, last = 0;  // steps, inclusive
};

// The detection events of a per-step alarm sequence.
std::vector<Event> events_of(const std::vector<bool>& alarms, const Timing& timing);

EventScore score(const std::vector<bool>& alarms, const std::vector<Episode>& episodes, const Timing& timing);
EventScore score(std::span<const double> values, double threshold, const std::vector<Episode>& episodes, const Timing& timing);

struct Tuned {
  double threshold = 0.0;
  EventScore score;
};
// The threshold that maximises F1 on this labelled data; of several, the one a quarter of the way from the
// lowest to the highest (candidates: midpoints between distinct values).
Tuned tune(std::span<const double> values, const std::vector<Episode>& episodes, const Timing& timing);

}  // namespace p3p::experiments::seizure
