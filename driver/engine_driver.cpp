#include "driver/engine_driver.hpp"

#include <algorithm>

#include "nodes/cortex/engine.hpp"
#include "nodes/mesocortex/network_spec.hpp"
#include "nodes/mesocortex/raster_sum.hpp"

namespace p3p::driver {
namespace {

// The cluster's lockstep epoch: the smallest delay of a projection between columns on different nodes, or
// 1 when none crosses (nodes/README.md, "Epoch").
std::int64_t epoch_ticks(const cortex::NetworkSpec& spec) {
  std::int64_t epoch = 0;
  for (const cortex::ProjectionSpec& p : spec.projections)
    if (spec.populations[p.source].node != spec.populations[p.target].node)
      epoch = epoch == 0 ? p.delay : std::min<std::int64_t>(epoch, p.delay);
  return epoch == 0 ? 1 : epoch;
}

}  // namespace

struct EngineDriver::State {
  cortex::Engine engine;
  std::vector<std::string> column_ids;  // population index -> column id
  std::int64_t epoch = 1;
  std::vector<std::uint64_t> first_ids;  // population index -> global id of its neuron 0
  std::vector<std::vector<std::uint64_t>> counts;  // [population][neuron] spikes so far
  mesocortex::RasterSum raster;

  std::uint32_t population(const std::string& column) const {
    return static_cast<std::uint32_t>(std::find(column_ids.begin(), column_ids.end(), column) - column_ids.begin());
  }
  void count(std::span<const cortex::Spike> spikes) {
    raster.add(spikes);
    for (const cortex::Spike& s : spikes) {
      const auto p = static_cast<std::size_t>(std::upper_bound(first_ids.begin(), first_ids.end(), s.neuron) - first_ids.begin() - 1);
      ++counts[p][s.neuron - first_ids[p]];
    }
  }
};

Expected<std::unique_ptr<EngineDriver>, Error> EngineDriver::create(const topology::Topology& t) {
  auto translation = mesocortex::build_network_spec(t);
  if (!translation) return unexpected(Error{ErrorCode::bad_args, "topology: " + translation.error()});
  const std::int64_t epoch = epoch_ticks(translation->spec);
  cortex::NetworkSpec spec = translation->spec;
  for (auto& p : spec.populations) p.node = 0;  // every column in this one engine
  auto engine = cortex::Engine::create(spec);
  if (!engine) return unexpected(Error{ErrorCode::bad_args, "cannot build the engine: " + engine.error().message});
  auto state = std::unique_ptr<State>(new State{std::move(*engine), translation->column_ids, epoch, {}, {}, {}});
  for (std::uint32_t p = 0; p < spec.populations.size(); ++p) {
    state->first_ids.push_back(state->engine.global_id(p, 0));
    state->counts.emplace_back(spec.populations[p].size, 0);
  }
  auto driver = std::unique_ptr<EngineDriver>(new EngineDriver(std::move(state)));
  driver->start_at(driver->stop(), regions_of(t));
  return driver;
}

EngineDriver::EngineDriver(std::unique_ptr<State> state) : s_(std::move(state)) {}
EngineDriver::~EngineDriver() = default;

ClusterDriver::Stop EngineDriver::stop() const {
  Stop stop{s_->engine.tick(), s_->raster.value(), {}};
  if (counted().empty()) {  // taking over: every column
    for (std::size_t p = 0; p < s_->column_ids.size(); ++p) stop.counts[s_->column_ids[p]] = s_->counts[p];
  } else {
    for (const std::string& c : counted()) stop.counts[c] = s_->counts[s_->population(c)];
  }
  return stop;
}

Expected<ClusterDriver::Stop, Error> EngineDriver::run_to(std::int64_t tick) {
  const std::int64_t target = (tick + s_->epoch - 1) / s_->epoch * s_->epoch;  // as the nodes round a target
  while (s_->engine.tick() < target) s_->count(s_->engine.step());
  return stop();
}

Expected<void, Error> EngineDriver::inject(std::span<const Current> currents) {
  for (const Current& c : currents)
    if (auto ok = s_->engine.inject(s_->population(c.column), c.neuron, c.current, c.tick); !ok)
      return unexpected(Error{ErrorCode::bad_args, ok.error().message});
  return {};
}

Expected<void, Error> EngineDriver::reward(double value, const std::vector<std::string>* columns) {
  if (!columns) {
    s_->engine.reward(value);
    return {};
  }
  std::vector<std::uint32_t> populations;
  for (const std::string& c : *columns) populations.push_back(s_->population(c));
  if (auto ok = s_->engine.reward(value, populations); !ok) return unexpected(Error{ErrorCode::bad_args, ok.error().message});
  return {};
}

Expected<std::vector<ProjectionWeights>, Error> EngineDriver::read_weights(const std::string& column) {
  const std::uint32_t target = s_->population(column);
  const auto& spec = s_->engine.spec();
  std::vector<ProjectionWeights> out;
  for (std::uint32_t j = 0; j < spec.projections.size(); ++j) {
    if (spec.projections[j].target != target) continue;
    ProjectionWeights& w = out.emplace_back();
    w.from = s_->column_ids[spec.projections[j].source];
    w.plastic = spec.projections[j].stdp.rule != cortex::StdpRule::none;
    for (const cortex::SynapseView& v : s_->engine.synapses(j)) w.synapses.push_back({v.source, v.target, v.weight});
  }
  return out;
}

// The engine's own checks answer bad_args, as a node answers them.
Expected<void, Error> EngineDriver::write_weights(const std::string& column, const std::string& from,
                                                  std::span<const Synapse> synapses) {
  auto projection = cortex::projection_between(s_->engine.spec(), s_->population(from), s_->population(column));
  if (!projection) return unexpected(Error{ErrorCode::bad_args, "from " + from + " onto " + column + ": " + projection.error().message});
  std::vector<cortex::SynapseView> items;
  for (const Synapse& s : synapses) items.push_back({s.source, s.target, s.weight});
  auto written = s_->engine.set_weights(*projection, items);
  if (!written) return unexpected(Error{ErrorCode::bad_args, written.error().message});
  return {};
}

Expected<void, Error> EngineDriver::scale_weights(const std::string& column, const std::string& from, double target_sum) {
  auto projection = cortex::projection_between(s_->engine.spec(), s_->population(from), s_->population(column));
  if (!projection) return unexpected(Error{ErrorCode::bad_args, "from " + from + " onto " + column + ": " + projection.error().message});
  if (auto ok = s_->engine.normalise(*projection, target_sum); !ok) return unexpected(Error{ErrorCode::bad_args, ok.error().message});
  return {};
}

Expected<void, Error> EngineDriver::reset(const std::vector<std::string>& columns, bool weights, std::optional<std::uint64_t> noise_seed) {
  std::vector<std::uint32_t> populations;
  for (const std::string& c : columns) populations.push_back(s_->population(c));
  if (auto ok = s_->engine.reset(populations, weights, noise_seed); !ok) return unexpected(Error{ErrorCode::bad_args, ok.error().message});
  return {};
}

Expected<void, Error> EngineDriver::set_focus(const std::vector<std::string>& live) {
  std::vector<std::uint32_t> silenced;
  if (!live.empty()) {
    std::vector<bool> keep(s_->engine.spec().populations.size(), false);
    for (const std::string& c : live) keep[s_->population(c)] = true;
    for (std::uint32_t p = 0; p < static_cast<std::uint32_t>(keep.size()); ++p)
      if (!keep[p]) silenced.push_back(p);
  }
  if (auto ok = s_->engine.set_silent(silenced); !ok) return unexpected(Error{ErrorCode::bad_args, ok.error().message});
  return {};
}

}  // namespace p3p::driver
