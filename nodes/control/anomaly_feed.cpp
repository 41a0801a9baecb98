#include "nodes/control/anomaly_feed.hpp"

#include <cmath>
#include <cstdlib>
#include <fstream>

#include "client/experiment_catalog.hpp"
#include "client/experiment_results.hpp"
#include "driver/node_cluster_driver.hpp"
#include "experiments/runner.hpp"
#include "nodes/control/experiment_commands.hpp"

namespace p3p::control {
namespace {

using namespace experiments::seizure;

constexpr auto kStepTimeout = std::chrono::seconds(60);
constexpr std::string_view kTrainFirst = "run `p3pctl experiment seizure_detect` first";

Unexpected<Failure> bad_args(std::string m) { return unexpected(Failure{ErrorCode::bad_args, std::move(m)}); }
Unexpected<Failure> untrained(std::string why) { return unexpected(Failure{ErrorCode::conflict, why + ": " + std::string(kTrainFirst)}); }

// The samples of `text`, sample-major, each line exactly `channels` finite numbers; blank lines skipped.
Expected<std::vector<float>, Failure> parse_samples(const std::string& text, int channels) {
  std::vector<float> out;
  std::size_t line_start = 0;
  for (int line = 1; line_start < text.size(); ++line) {
    std::size_t line_end = text.find('\n', line_start);
    if (line_end == std::string::npos) line_end = text.size();
    std::string row = text.substr(line_start, line_end - line_start);
    line_start = line_end + 1;
    if (!row.empty() && row.back() == '\r') row.pop_back();
    if (row.find_first_not_of(" \t") == std::string::npos) continue;
    int values = 0;
    for (std::size_t at = 0; at <= row.size();) {
      std::size_t comma = row.find(',', at);
      if (comma == std::string::npos) comma = row.size();
      const std::string cell = row.substr(at, comma - at);
      char* end = nullptr;
      const double v = std::strtod(cell.c_str(), &end);
      const bool number = end != cell.c_str() && cell.find_first_not_of(" \t", static_cast<std::size_t>(end - cell.c_str())) == std::string::npos;
      if (!number || !std::isfinite(v) || std::abs(v) > 3e38)
        return bad_args("samples line " + std::to_string(line) + ": '" + cell + "' is not a finite number");
      if (++values <= channels) out.push_back(static_cast<float>(v));
      at = comma + 1;
    }
    if (values != channels)
      return bad_args("samples line " + std::to_string(line) + ": " + std::to_string(values) + " values, and the detector has " +
                      std::to_string(channels) + " channels");
  }
  return out;
}

// The read-out of the last seizure_detect run, from its result document.
Expected<Readout, Failure> last_readout(const topology::Topology& topo) {
  const auto files = list_results(topo.results.dir, "seizure_detect");
  if (files.empty()) return untrained("the detector in Region_Anomaly was never trained (no seizure_detect result in " + topo.results.dir.string() + ")");
  std::ifstream in(files.back());
  const nlohmann::json doc = nlohmann::json::parse(in, nullptr, false);
  const nlohmann::json* detector = nullptr;
  if (doc.is_object() && doc.contains("details") && doc["details"].is_object() && doc["details"].contains("detector"))
    detector = &doc["details"]["detector"];
  const auto readout = detector ? Readout::from_json(*detector) : std::nullopt;
  if (!readout) return untrained("the last seizure_detect result (" + files.back().filename().string() + ") has no detector read-out");
  return *readout;
}

// A new stream: the read-out, the columns, and the weights it was trained with still in place.
Expected<AnomalyStream, Failure> open_stream(const topology::Topology& topo, driver::ClusterDriver& d) {
  const ExperimentInfo* info = find_experiment("seizure_detect");
  if (info == nullptr) return unexpected(Failure{ErrorCode::internal, "seizure_detect is not in the catalog"});
  const auto placed = experiments::place(topo, *info);
  if (!placed) return unexpected(placed.error());
  auto readout = last_readout(topo);
  if (!readout) return unexpected(readout.error());
  const DetectorColumns columns{placed->columns.at("input"), placed->columns.at("detector"), placed->columns.at("alert")};
  const auto now = weights_fingerprint(d, columns);
  if (!now) return unexpected(now.error());
  if (*now != readout->weights)
    return untrained("Region_Anomaly no longer holds the weights the last seizure_detect run trained (the cluster restarted, or they changed)");
  return AnomalyStream(*readout, columns);
}

// One step of `samples` whole samples from the front of the pending ones; an event if the alarm starts.
Expected<void, Failure> run_step(AnomalyStream& s, driver::ClusterDriver& d, std::size_t samples, ExperimentState& state,
                                 nlohmann::json& events) {
  const std::size_t values = samples * static_cast<std::size_t>(s.readout.channels);
  const auto counts = detector_step(d, s.columns, s.encoder, std::span<const float>(s.pending.data(), values));
  if (!counts) return unexpected(counts.error());
  s.pending.erase(s.pending.begin(), s.pending.begin() + static_cast<std::ptrdiff_t>(values));
  s.samples += static_cast<std::int64_t>(samples);
  ++s.steps;
  if (const auto e = s.alarms.push(*counts)) {
    ++s.events;
    const nlohmann::json event = {{"tick", d.tick()}, {"sample", s.samples}, {"time_s", static_cast<double>(s.samples) / s.readout.rate},
                                  {"channels", e->channels}, {"score", std::round(e->score * 1000) / 1000}};
    state.publish_anomaly(event);
    events.push_back(event);
  }
  return {};
}

}  // namespace

CommandResult feed_anomaly(CommandContext& cx, const Request& request) {
  if (cx.experiments == nullptr) return unexpected(Failure{ErrorCode::internal, "anomaly_feed needs the control node's experiment state"});
  ExperimentState& state = *cx.experiments;
  auto driver = driver::NodeClusterDriver::open(cx.topo, kStepTimeout);
  if (!driver) return unexpected(driver.error());
  std::optional<AnomalyStream> fresh;
  if (request.args.at("start").get<bool>() || !state.anomaly_stream) {
    auto opened = open_stream(cx.topo, **driver);
    if (!opened) return unexpected(opened.error());
    fresh.emplace(std::move(*opened));
  }
  AnomalyStream& s = fresh ? *fresh : *state.anomaly_stream;
  if (const double rate = request.args.at("rate").get<double>(); rate != s.readout.rate)
    return bad_args("rate " + std::to_string(rate) + " Hz: the detector was trained at " + std::to_string(s.readout.rate) +
                    " Hz; resample the signal to it");
  const auto samples = parse_samples(request.args.at("samples").get<std::string>(), s.readout.channels);
  if (!samples) return unexpected(samples.error());
  if (fresh) state.anomaly_stream = std::move(*fresh);  // checked: from here on this is the stream
  AnomalyStream& stream = *state.anomaly_stream;
  stream.pending.insert(stream.pending.end(), samples->begin(), samples->end());
  nlohmann::json events = nlohmann::json::array();
  const auto step = static_cast<std::size_t>(stream.readout.samples_per_step);
  const auto channels = static_cast<std::size_t>(stream.readout.channels);
  while (stream.pending.size() >= step * channels) {
    if (cx.cancel && cx.cancel->load()) return unexpected(Failure{ErrorCode::cancelled, "anomaly_feed cancelled"});
    if (auto r = run_step(stream, **driver, step, state, events); !r) return unexpected(r.error());
  }
  if (request.args.at("end").get<bool>() && !stream.pending.empty())
    if (auto r = run_step(stream, **driver, stream.pending.size() / channels, state, events); !r) return unexpected(r.error());
  return nlohmann::json{{"events", events}, {"samples", samples->size() / channels}, {"total_samples", stream.samples},
                        {"steps", stream.steps}, {"pending", stream.pending.size() / channels}, {"dropped", 0},
                        {"tick", (*driver)->tick()}};
}

}  // namespace p3p::control
