// What a node counts, as a metrics document (client/metrics_format.hpp): served as `runtime/metrics`
// (with per-neuron counts on request, fetched from the simulation thread) and, as Prometheus text, over
// HTTP at /metrics on the node's metrics_port.
#include "client/metrics_format.hpp"
#include "client/node_client.hpp"
#include "nodes/control/metrics_dump.hpp"
#include "nodes/runtime/node.hpp"

namespace p3p::runtime {

nlohmann::json Node::metrics_doc() const {
  const SimSnapshot sim = sim_->snapshot();
  const SimStats& stats = sim.stats;
  nlohmann::json columns = nlohmann::json::array();
  nlohmann::json regions = nlohmann::json::object();
  for (std::size_t p = 0; p < column_ids_.size() && p < stats.population_spikes.size(); ++p) {
    if (population_regions_[p].empty()) continue;  // not local
    const topology::Column* c = topology::find_column(topo_, column_ids_[p]);
    columns.push_back({{"id", column_ids_[p]}, {"region", population_regions_[p]}, {"neurons", c ? c->size : 0},
                       {"spikes", stats.population_spikes[p]}});
    regions[population_regions_[p]] = regions.value(population_regions_[p], std::uint64_t{0}) + stats.population_spikes[p];
  }
  const nlohmann::json rejected = rejected_by_reason(sim);
  const std::uint64_t misshapen = misshapen_dropped();
  nlohmann::json doc = {
      {"node", options_.node_id},
      {"unix_ms", bus::unix_now_ns() / 1'000'000},
      {"state", state_name(sim)},
      {"tick", stats.tick},
      {"epochs", sim.next_epoch},
      {"neurons", stats.neurons},
      {"synapses", stats.synapses},
      {"spikes", stats.spikes},
      {"columns", columns},
      {"regions", regions},
      {"envelopes", {{"sent", outbox_.next_seq() - 1 + sim.exchange_sent}, {"received", inbox_.accepted() + sim.exchange_accepted},
                     {"rejected", rejected}}},
      {"dropped", {{"misaddressed", misaddressed_ + sim.misaddressed}, {"bad_batch", bad_batches_ + sim.bad_batches},
                   {"stale_batch", sim.stale_batches}, {"misshapen", misshapen}}},
      {"disconnects", {{"router", router_->disconnects()}, {"spikes", sim.spike_disconnects}}},
      {"telemetry", {{"published", telemetry_published_}, {"dropped", pub_->dropped()}}},
      {"exchange", sim_->exchange_histogram()},
      {"snapshots", {{"saved", sim.snapshot_saves}, {"save_seconds", sim.snapshot_save_s}, {"loaded", sim.snapshot_loads},
                     {"load_seconds", sim.snapshot_load_s}}}};
  if (control_) {
    const nlohmann::json c = control_->status();
    doc["commands"] = {{"served", c["served"]}, {"errors", c["errors"]}};
  }
  return doc;
}

// runtime/metrics {neurons: bool}: the document; with neurons, every local column gets per_neuron counts
// (asked of the simulation thread, so answered after its current epoch).
void Node::serve_metrics(const nlohmann::json& body, const ReplyTo& to) {
  if (!body.value("neurons", false)) return send_reply(to, "metrics", metrics_doc());  // checked: a boolean
  auto [id, call] = await_call(to);
  call->reply = [this](const nlohmann::json& counts) {
    nlohmann::json doc = metrics_doc();
    const nlohmann::json populations = counts.value("populations", nlohmann::json::object());
    for (auto& c : doc["columns"]) {
      const auto p = std::find(column_ids_.begin(), column_ids_.end(), c["id"].get<std::string>()) - column_ids_.begin();
      const std::string key = std::to_string(p);
      if (populations.contains(key)) c["per_neuron"] = populations[key];
    }
    return doc;
  };
  sim_->neuron_spikes(id);
}

std::string Node::prometheus() const { return control::prometheus_text(metrics_doc()); }

// The control node, on its way out (the loop has stopped): its own document and every peer's still
// answering, written atomically to the topology's metrics.dump_path.
void Node::write_metrics_dump() {
  auto client = control::NodeClient::open(topo_);
  const control::OwnMetrics own{options_.node_id, [this] { return metrics_doc(); }};
  const nlohmann::json cluster = control::gather_cluster_metrics(topo_, client ? client->get() : nullptr, false,
                                                                 std::chrono::milliseconds(500), &own);
  auto ok = control::write_metrics_dump(topo_.metrics.dump_path, cluster);
  if (ok) log_.log(Level::info, "metrics", "metrics dump written", {{"path", topo_.metrics.dump_path.string()}});
  else log_.log(Level::error, "metrics", "metrics dump failed", {{"error", ok.error()}});
}

nlohmann::json Node::rejected_by_reason(const SimSnapshot& sim) const {
  nlohmann::json rejected = nlohmann::json::object();
  for (std::size_t i = 0; i < bus::kReasonCount; ++i)
    rejected[std::string(bus::to_string(static_cast<bus::Reason>(i)))] = inbox_.rejections()[i] + sim.rejected[i];
  return rejected;
}

std::uint64_t Node::misshapen_dropped() const {
  std::uint64_t misshapen = router_->misshapen_dropped();
  for (const PeerLink& l : links_) misshapen += l.dealer->misshapen_dropped();
  return misshapen;
}

}  // namespace p3p::runtime
