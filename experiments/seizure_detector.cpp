#include "experiments/seizure_detector.hpp"

#include <cmath>
#include <cstdio>

namespace p3p::experiments::seizure {

Expected<StepCounts, Error> detector_step(driver::ClusterDriver& d, const DetectorColumns& columns, SlopeEncoder& encoder,
                                          std::span<const float> block, std::span<const driver::Current> extra) {
  const std::int64_t t0 = d.tick();
  const auto samples = static_cast<std::int64_t>(block.size()) / encoder.channels();
  std::vector<InputSpike> spikes;
  encoder.encode(block, spikes);
  std::vector<driver::Current> currents(extra.begin(), extra.end());
  StepCounts out;
  out.channel_kicks.assign(static_cast<std::size_t>(encoder.channels()), 0);
  for (const InputSpike& s : spikes) {
    currents.push_back({columns.input, s.neuron, t0 + s.sample, kKick});
    if (static_cast<int>(s.neuron % kLevelCount) >= kLevelCount - 2) ++out.channel_kicks[s.neuron / kLevelCount];
  }
  if (!currents.empty())
    if (auto r = d.schedule(currents); !r) return unexpected(r.error());
  const auto reached = d.advance_to(t0 + samples);
  if (!reached) return unexpected(reached.error());
  const auto counts = d.spike_counts(t0, *reached);
  if (!counts) return unexpected(counts.error());
  const auto it = counts->per_column.find(columns.alert);
  out.alert = it == counts->per_column.end() ? 0 : it->second;
  return out;
}

nlohmann::json Readout::to_json() const {
  return {{"channels", channels}, {"rate", rate}, {"samples_per_step", samples_per_step}, {"window", window},
          {"threshold", threshold}, {"scale", scale}, {"weights", weights}};
}

std::optional<Readout> Readout::from_json(const nlohmann::json& j) {
  try {
    Readout r;
    r.channels = j.at("channels").get<int>();
    r.rate = j.at("rate").get<double>();
    r.samples_per_step = j.at("samples_per_step").get<int>();
    r.window = j.at("window").get<int>();
    r.threshold = j.at("threshold").get<double>();
    r.scale = j.at("scale").get<std::vector<double>>();
    r.weights = j.at("weights").get<std::string>();
    const bool ok = r.channels >= 1 && r.scale.size() == static_cast<std::size_t>(r.channels) && r.rate > 0 &&
                    r.samples_per_step >= 1 && r.window >= 1 && std::isfinite(r.threshold);
    for (const double s : r.scale)
      if (!(s > 0) || !std::isfinite(s)) return std::nullopt;
    return ok ? std::optional<Readout>(r) : std::nullopt;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

Expected<std::string, Error> weights_fingerprint(driver::ClusterDriver& d, const DetectorColumns& columns) {
  const auto weights = d.weights(columns.detector);
  if (!weights) return unexpected(weights.error());
  std::uint64_t h = 0xcbf29ce484222325ULL;
  const auto mix = [&h](const void* data, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) h = (h ^ static_cast<const unsigned char*>(data)[i]) * 0x100000001b3ULL;
  };
  for (const driver::ProjectionWeights& p : *weights) {
    if (p.from != columns.input || !p.plastic) continue;
    for (const driver::Synapse& w : p.synapses) {
      mix(&w.source, sizeof w.source);
      mix(&w.target, sizeof w.target);
      mix(&w.weight, sizeof w.weight);
    }
  }
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(h));
  return std::string(text);
}

AlarmStream::AlarmStream(const Readout& r) : r_(r) {}

std::optional<AnomalyEvent> AlarmStream::push(const StepCounts& counts) {
  ++step_;
  recent_.push_back(counts);
  if (recent_.size() > static_cast<std::size_t>(r_.window)) recent_.erase(recent_.begin());
  double sum = 0.0;
  for (const StepCounts& c : recent_) sum += static_cast<double>(c.alert);
  if (sum < r_.threshold) return std::nullopt;
  const auto merge = static_cast<std::int64_t>(std::ceil(kMergeSeconds / r_.timing().step_seconds()));
  const bool starts = step_ - last_alarm_ > merge;
  last_alarm_ = step_;
  if (!starts) return std::nullopt;
  AnomalyEvent e{step_, {}, r_.threshold > 0 ? sum / r_.threshold : sum};
  std::vector<std::uint32_t> kicks(static_cast<std::size_t>(r_.channels), 0);
  std::uint32_t most = 0;
  for (const StepCounts& c : recent_)
    for (std::size_t ch = 0; ch < kicks.size() && ch < c.channel_kicks.size(); ++ch) most = std::max(most, kicks[ch] += c.channel_kicks[ch]);
  // The channels with at least a quarter of the busiest one's sharp slopes: where the episode shows.
  for (std::size_t ch = 0; ch < kicks.size(); ++ch)
    if (most > 0 && kicks[ch] * 4 >= most) e.channels.push_back(static_cast<int>(ch));
  return e;
}

}  // namespace p3p::experiments::seizure
