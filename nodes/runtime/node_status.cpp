// What a node says about itself (`runtime/status`, shown by `p3pctl status`), and its module registry.
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>

#include "nodes/runtime/node.hpp"

namespace p3p::runtime {
namespace {

std::string hex64(std::uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

std::uint64_t peak_rss_bytes() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<std::uint64_t>(u.ru_maxrss) * 1024ULL;  // Linux reports KiB
}

}  // namespace

std::string Node::state_name() const { return state_name(sim_->snapshot()); }

std::string Node::state_name(const SimSnapshot& sim) const {
  if (stopping_) return "stopping";
  if (!failure_.empty()) return "failed";
  if (!sim_ready_) return "starting";
  const std::string reason = blocked_reason();
  if (reason.rfind("needs snapshot load", 0) == 0) return "needs_snapshot_load";
  if (reason.rfind("paused", 0) == 0) return "paused";
  if (reason.rfind("connecting", 0) == 0) return "connecting";
  if (sim.held && !sim.in_flight) return "held";  // a snapshot is being taken or loaded
  return sim.in_flight || sim.next_epoch < sim.target_epochs ? "running" : "idle";
}

nlohmann::json Node::status() const {
  const SimSnapshot sim = sim_->snapshot();
  const SimStats& stats = sim.stats;
  nlohmann::json peers = nlohmann::json::array();
  std::uint64_t connected = 0;
  for (const mesh::PeerInfo& p : peers_.peers()) {
    connected += p.state == mesh::PeerState::connected;
    peers.push_back({{"id", p.id}, {"state", mesh::to_string(p.state)}, {"tick", p.reported_tick},
                     {"silent_ms", p.boot_id ? nlohmann::json(now_ms() - p.last_heard_ms) : nlohmann::json(nullptr)},
                     {"rtt_us", p.rtt_us ? nlohmann::json(*p.rtt_us) : nlohmann::json(nullptr)},
                     {"restarts", p.restarts}});
  }
  const nlohmann::json rejected = rejected_by_reason(sim);
  const std::uint64_t misshapen = misshapen_dropped();
  std::vector<std::string> waiting_for;
  if (!sim.in_flight)
    for (int n : sim.waiting_for) waiting_for.push_back(topo_.nodes[static_cast<std::size_t>(n)].id);
  nlohmann::json column_spikes = nlohmann::json::object();
  for (std::size_t p = 0; p < stats.population_spikes.size() && p < column_ids_.size(); ++p) {
    const topology::Column* c = topology::find_column(topo_, column_ids_[p]);
    if (c && c->node == options_.node_id) column_spikes[column_ids_[p]] = stats.population_spikes[p];
  }
  return {{"id", options_.node_id},
          {"cluster", topo_.cluster.name},
          {"state", state_name(sim)},
          {"reason", failure_.empty() ? blocked_reason() : failure_},
          {"pid", ::getpid()},
          {"boot_id", hex64(outbox_.boot_id())},
          {"uptime_ms", now_ms()},
          {"tick", stats.tick},
          {"epoch", sim.next_epoch},
          {"epoch_ticks", stats.epoch_ticks},
          {"target_tick", sim_ready_ ? static_cast<std::int64_t>(sim.target_epochs) * stats.epoch_ticks : options_.ticks},
          {"epoch_in_flight", sim.in_flight},
          {"waiting_for", waiting_for},
          {"spikes_endpoint", sim.spikes_endpoint},
          {"driver_steps", {{"served", sim.steps_served}, {"refused", sim.steps_refused}}},
          {"focus", {{"silenced_columns", stats.silenced}, {"late_spikes", sim.late_spikes}, {"batches_sent", sim.batches_sent},
                     {"blocks", sim.blocks}}},
          {"columns", stats.columns},
          {"neurons", stats.neurons},
          {"synapses", stats.synapses},
          {"spikes", stats.spikes},
          {"column_spikes", column_spikes},
          {"raster_hash", hex64(stats.raster_sum)},
          {"raster_hash_kind", "sum64(mix(tick,global_id)) of this node's spikes; the cluster's is the sum over nodes"},
          {"peers", peers},
          {"peers_connected", connected},
          {"lost", peers_.in_state(mesh::PeerState::lost)},
          {"accepted", inbox_.accepted()},
          {"rejected", rejected},
          {"dropped", {{"misaddressed", misaddressed_ + sim.misaddressed}, {"bad_batch", bad_batches_ + sim.bad_batches},
                       {"misshapen", misshapen}}},
          {"disconnects", {{"router", router_->disconnects()}, {"spikes", sim.spike_disconnects}}},
          {"exchange_us", sim_->exchange_summary()},
          {"telemetry", {{"published", telemetry_published_}, {"spike_batches", spike_batch_seq_}, {"dropped", pub_->dropped()},
                         {"subscriptions", subscriptions_answered_}}},
          {"regions_version", regions_.version},
          {"snapshot_held", sim.held},
          {"load_generation", sim.generation},
          {"stale_batches", sim.stale_batches},
          // From epoch 0 handed to the engine to the last target tick reached (a --ticks run's wall time).
          {"run_started_unix_ns", sim.run_started_ns ? nlohmann::json(*sim.run_started_ns) : nlohmann::json(nullptr)},
          {"target_reached_unix_ns", sim.target_reached_ns ? nlohmann::json(*sim.target_reached_ns) : nlohmann::json(nullptr)},
          {"peak_rss_bytes", peak_rss_bytes()},
          {"compute_s", static_cast<double>(stats.compute_ns) / 1e9},
          {"modules", modules_.describe()}};
}

void Node::register_modules() {
  const topology::Node& me = topo_.nodes[static_cast<std::size_t>(self_)];
  for (topology::Module m : me.modules) {
    const std::string name(topology::to_string(m));
    std::unique_ptr<Module> module;
    switch (m) {
      case topology::Module::logger:
        module = std::make_unique<FunctionModule>(name, [this] { return nlohmann::json{{"lines", log_.lines()}}; });
        break;
      case topology::Module::echo:
        module = std::make_unique<FunctionModule>(name, [this] { return nlohmann::json{{"pings_answered", echo_pings_}}; });
        break;
      case topology::Module::cortex7:
        module = std::make_unique<FunctionModule>(name, [this] {
          const SimStats s = sim_->snapshot().stats;
          return nlohmann::json{{"columns", s.columns}, {"neurons", s.neurons}, {"tick", s.tick}};
        });
        break;
      case topology::Module::mesocortex:
        module = std::make_unique<FunctionModule>(name, [this] {
          nlohmann::json regions = nlohmann::json::array();
          for (const auto& r : regions_.regions) regions.push_back(r.name);
          return nlohmann::json{{"regions", regions}, {"version", regions_.version}};
        });
        break;
      case topology::Module::mesh:
        module = std::make_unique<FunctionModule>(name, [this] {
          return nlohmann::json{{"peers", peers_.peers().size()}, {"lost", peers_.in_state(mesh::PeerState::lost)}};
        });
        break;
      case topology::Module::metrics:
        module = std::make_unique<FunctionModule>(name, [this] {
          const topology::Node& self = topo_.nodes[static_cast<std::size_t>(self_)];
          return nlohmann::json{{"prometheus", self.metrics_port ? nlohmann::json("http://" + self.host + ":" +
                                                                                   std::to_string(*self.metrics_port) + "/metrics")
                                                                 : nlohmann::json(nullptr)},
                                {"scrapes", metrics_http_ ? metrics_http_->served() : 0},
                                {"dump_path", topo_.metrics.dump_path.string()}};
        });
        break;
      case topology::Module::control:
      case topology::Module::control_port:
        module = std::make_unique<FunctionModule>(name, [this] {
          return control_ ? control_->status() : nlohmann::json{{"note", "the control port runs on " + (topo_.control ? topo_.control->node : std::string("no node"))}};
        });
        break;
      case topology::Module::persistence:
        module = std::make_unique<FunctionModule>(name, [this] {
          return nlohmann::json{{"snapshot_dir", topo_.persistence.snapshot_dir.string()}, {"keep", topo_.persistence.keep}};
        });
        break;
      case topology::Module::scheduler:
        module = std::make_unique<FunctionModule>(name, [this] {
          if (!control_) return nlohmann::json{{"note", "jobs run on the control node only"}};
          const nlohmann::json s = control_->status();
          return nlohmann::json{{"jobs", s["jobs"]}, {"started", s["jobs_started"]}};
        });
        break;
    }
    (void)modules_.add(std::move(module));  // the loader already refused repeated module names
  }
}

}  // namespace p3p::runtime
