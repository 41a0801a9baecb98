#include "experiments/seizure_scoring.hpp"

#include <algorithm>
#include <cmath>

namespace p3p::experiments::seizure {
namespace {

double round4(double v) { return std::round(v * 1e4) / 1e4; }

}  // namespace

nlohmann::json EventScore::to_json() const {
  return {{"precision", round4(precision)}, {"recall", round4(recall)}, {"f1", round4(f1)},
          {"latency_s", round4(latency_s)}, {"false_alarms_per_hour", round4(false_alarms_per_hour)},
          {"episodes", episodes}, {"detected", detected}, {"events", events}, {"false_alarms", false_alarms}};
}

std::vector<Event> events_of(const std::vector<bool>& alarms, const Timing& timing) {
  const auto merge = static_cast<std::int64_t>(std::ceil(kMergeSeconds / timing.step_seconds()));
  std::vector<Event> out;
  for (std::int64_t s = 0; s < static_cast<std::int64_t>(alarms.size()); ++s) {
    if (!alarms[static_cast<std::size_t>(s)]) continue;
    if (!out.empty() && s - out.back().last <= merge) out.back().last = s;
    else out.push_back({s, s});
  }
  return out;
}

EventScore score(const std::vector<bool>& alarms, const std::vector<Episode>& episodes, const Timing& timing) {
  const double dt = timing.step_seconds();
  const auto overlaps = [&](std::size_t step, const Episode& e) {
    const double from = static_cast<double>(step) * dt, to = from + dt;
    return to > static_cast<double>(e.onset) / timing.rate && from < static_cast<double>(e.end) / timing.rate + kGraceSeconds;
  };
  EventScore s;
  s.episodes = static_cast<int>(episodes.size());
  double latency = 0.0;
  std::vector<bool> outside = alarms;  // alarm steps that overlap no episode: the false alarms
  for (const Episode& e : episodes) {
    bool hit = false;
    for (std::size_t i = 0; i < alarms.size(); ++i) {
      if (!alarms[i] || !overlaps(i, e)) continue;
      if (!hit) latency += std::max(0.0, static_cast<double>(i + 1) * dt - static_cast<double>(e.onset) / timing.rate);
      hit = true;
      outside[i] = false;
    }
    s.detected += hit ? 1 : 0;
  }
  s.false_alarms = static_cast<int>(events_of(outside, timing).size());
  s.events = s.detected + s.false_alarms;
  s.precision = s.events == 0 ? (s.episodes == 0 ? 1.0 : 0.0) : static_cast<double>(s.detected) / s.events;
  s.recall = s.episodes == 0 ? 1.0 : static_cast<double>(s.detected) / s.episodes;
  s.f1 = s.precision + s.recall == 0.0 ? 0.0 : 2.0 * s.precision * s.recall / (s.precision + s.recall);
  s.latency_s = s.detected == 0 ? 0.0 : latency / s.detected;
  const double hours = static_cast<double>(alarms.size()) * dt / 3600.0;
  s.false_alarms_per_hour = hours == 0.0 ? 0.0 : s.false_alarms / hours;
  return s;
}

EventScore score(std::span<const double> values, double threshold, const std::vector<Episode>& episodes, const Timing& timing) {
  std::vector<bool> alarms(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) alarms[i] = values[i] >= threshold;
  return score(alarms, episodes, timing);
}

Tuned tune(std::span<const double> values, const std::vector<Episode>& episodes, const Timing& timing) {
  std::vector<double> sorted(values.begin(), values.end());
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  // At most ~400 candidates spread over the distinct values, plus every one of the top 400: that is where
  // the threshold between background and seizure lies.
  const std::size_t stride = std::max<std::size_t>(1, sorted.size() / 400);
  const std::size_t dense_from = sorted.size() > 400 ? sorted.size() - 400 : 0;
  std::vector<Tuned> best;
  for (std::size_t i = 0; i + 1 < sorted.size(); i += (i >= dense_from ? 1 : stride)) {
    const double threshold = 0.5 * (sorted[i] + sorted[i + 1]);
    const EventScore s = score(values, threshold, episodes, timing);
    if (!best.empty() && s.f1 < best.front().score.f1 - 1e-12) continue;
    if (!best.empty() && s.f1 > best.front().score.f1 + 1e-12) best.clear();
    best.push_back({threshold, s});
  }
  if (best.empty()) {
    const double above = sorted.empty() ? 1.0 : sorted.back() + 1.0;
    return {above, score(values, above, episodes, timing)};
  }
  // A quarter of the way up the thresholds that score best: a margin above the background's highest values
  // on unseen data, and most of the range kept for weaker episodes than the training showed.
  return best[best.size() / 4];
}

}  // namespace p3p::experiments::seizure
