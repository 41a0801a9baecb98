// What a node publishes on its PUB socket (telemetry_format.hpp): spike batches, metrics once a second,
// events when something happens, and a marker answering each subscription. A slow subscriber loses
// messages (the socket counts them), never the simulation's time: publishing never blocks.
#include <chrono>
#include <map>

#include "bus/utf8.hpp"
#include "nodes/runtime/node.hpp"

namespace p3p::runtime {
namespace {

std::uint64_t unix_ms() { return bus::unix_now_ns() / 1'000'000; }

double per_s(std::uint64_t delta, double seconds) { return seconds > 0 ? static_cast<double>(delta) / seconds : 0.0; }

// Longer than any topic the node publishes on ("metrics." and a node id of at most 255 bytes): a longer
// subscription matches nothing, so it gets no marker either.
constexpr std::size_t kMaxTopicBytes = 512;

}  // namespace

// Every subscription gets a signed marker on its own topic: the subscriber then knows its subscription is
// in place (ZeroMQ's slow joiner would otherwise lose what the node publishes first, silently). Bounded
// per turn, so a flood of subscriptions cannot starve the loop; a topic no subscriber of ours would use
// (too long, not UTF-8) is ignored.
void Node::on_subscriptions() {
  for (int budget = 0; budget < 1000; ++budget) {
    const auto topic = pub_->next_subscription();
    if (!topic) return;
    if (topic->size() > kMaxTopicBytes || !bus::is_valid_utf8(*topic)) continue;
    ++subscriptions_answered_;
    publish(*topic, control::kSubscribedKind, control::encode_subscribed(*topic));
  }
}

void Node::publish(const std::string& topic, std::string_view kind, const bus::Bytes& body) {
  if (!outbox_.seal({"", "telemetry", kind}, bus::ByteView(body), frame_)) return;
  if (pub_->publish(topic, frame_)) ++telemetry_published_;
}

void Node::publish_spikes(const SimEvent& e) {
  const control::SpikeBatch batch{++spike_batch_seq_, e.first_tick, e.end_tick, e.spikes};
  publish("spikes." + options_.node_id, "spikes", control::encode_spikes(column_index_, column_regions_, batch));
}

void Node::emit_event(std::string_view name, nlohmann::json fields) {
  fields["event"] = name;
  fields["node"] = options_.node_id;
  if (!fields.contains("tick")) fields["tick"] = sim_->snapshot().stats.tick;  // an anomaly names its own tick
  fields["unix_ms"] = unix_ms();
  publish("events." + options_.node_id, "event", nlohmann::json::to_msgpack(fields));
}

void Node::publish_metrics() {
  const SimSnapshot sim = sim_->snapshot();
  const SimStats& stats = sim.stats;
  const auto now = Clock::now();
  const double seconds = std::chrono::duration<double>(now - metrics_mark_.at).count();
  nlohmann::json columns = nlohmann::json::object();
  std::map<std::string, std::pair<std::uint64_t, std::uint64_t>> by_region;  // total, since the last message
  metrics_mark_.columns.resize(stats.population_spikes.size(), 0);
  for (std::size_t p = 0; p < stats.population_spikes.size() && p < column_ids_.size(); ++p) {
    if (population_regions_[p].empty()) continue;  // a column of another node
    const std::uint64_t total = stats.population_spikes[p];
    const std::uint64_t delta = total - metrics_mark_.columns[p];
    columns[column_ids_[p]] = {{"region", population_regions_[p]}, {"spikes", total}, {"spikes_per_s", per_s(delta, seconds)}};
    auto& [region_total, region_delta] = by_region[population_regions_[p]];
    region_total += total;
    region_delta += delta;
    metrics_mark_.columns[p] = total;
  }
  nlohmann::json regions = nlohmann::json::object();
  for (const auto& [name, counts] : by_region)
    regions[name] = {{"spikes", counts.first}, {"spikes_per_s", per_s(counts.second, seconds)}};
  const nlohmann::json body = {
      {"node", options_.node_id},
      {"unix_ms", unix_ms()},
      {"state", state_name(sim)},
      {"tick", stats.tick},
      {"epoch", sim.next_epoch},
      {"interval_s", seconds},
      {"ticks_per_s", per_s(static_cast<std::uint64_t>(stats.tick - metrics_mark_.tick), seconds)},
      {"spikes", stats.spikes},
      {"spikes_per_s", per_s(stats.spikes - metrics_mark_.spikes, seconds)},
      {"columns", columns},
      {"regions", regions},
      {"regions_version", regions_.version},
      {"peers_connected", peers_.in_state(mesh::PeerState::connected).size()},
      {"telemetry", {{"published", telemetry_published_}, {"dropped", pub_->dropped()}}}};
  metrics_mark_.at = now;
  metrics_mark_.tick = stats.tick;
  metrics_mark_.spikes = stats.spikes;
  publish("metrics." + options_.node_id, "metrics", nlohmann::json::to_msgpack(body));
}

void Node::apply_regions(control::RegionLayout layout) {
  regions_ = std::move(layout);
  column_regions_.clear();
  for (const topology::Column* c : column_index_.columns) column_regions_.push_back(regions_.region_of(c->id));
  population_regions_.assign(column_ids_.size(), std::string());
  for (std::size_t p = 0; p < column_ids_.size(); ++p) {
    const topology::Column* c = topology::find_column(topo_, column_ids_[p]);
    if (c && c->node == options_.node_id) population_regions_[p] = regions_.region_of(c->id);
  }
}

}  // namespace p3p::runtime
