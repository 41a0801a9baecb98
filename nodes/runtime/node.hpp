#pragma once
// One node of a cluster: loads the topology, binds its ROUTER (client requests, heartbeats, pings) and
// PUB, connects a DEALER to every peer, registers its modules, starts the simulation thread, and runs the
// event loop until SIGTERM/SIGINT (or, for nodes a test runs in its own threads, a stop handle). The pieces live in their own files; this class only wires them:
//   node.cpp         - creation, the loop, envelope dispatch, graceful stop
//   node_mesh.cpp    - heartbeats, peer liveness, steering the simulation (gate, peers' spike endpoints)
//   node_requests.cpp - client requests besides status: stimulate a column, run until a tick
//   node_engine_requests.cpp - set a projection's weights, reset columns, normalise incoming weights
//   node_status.cpp  - the status document (what `p3pctl status` shows) and the module registry
//   node_telemetry.cpp - what the node publishes: spike batches, metrics once a second, events
//   node_snapshot.cpp - snapshot requests: hold, save, stage, restore
//   node_metrics.cpp  - the metrics document, Prometheus text, the shutdown dump
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>
#include <zmq.hpp>

#include "bench/workload/reference_network.hpp"
#include "bus/inbox.hpp"
#include "bus/key_file.hpp"
#include "bus/outbox.hpp"
#include "bus/sockets.hpp"
#include "client/msgpack_body.hpp"
#include "client/node_client.hpp"
#include "client/telemetry_format.hpp"
#include "common/expected.hpp"
#include "nodes/control/control_service.hpp"
#include "nodes/control/region_layout.hpp"
#include "nodes/runtime/request_table.hpp"
#include "nodes/mesh/peer_table.hpp"
#include "nodes/loop/event_loop.hpp"
#include "nodes/loop/logger.hpp"
#include "nodes/runtime/metrics_http.hpp"
#include "nodes/runtime/module_registry.hpp"
#include "nodes/runtime/sim_actor.hpp"
#include "nodes/runtime/signals.hpp"
#include "topology/topology.hpp"

namespace p3p::runtime {

// The sender name p3pctl signs with (client/node_client.hpp). Nodes accept it in their replay guard besides
// the node ids, so no node may be called this (checked at start).
using control::kClientSender;

// A peer's heartbeat body, checked whole before it touches the peer table (node_mesh.cpp).
struct Heartbeat {
  std::uint64_t epoch = 0;
  std::int64_t tick = 0;
  std::string state;
  std::string spikes;  // the peer's spike endpoint, tcp://
  bool restart = false;
};
Expected<Heartbeat, std::string> parse_heartbeat(const nlohmann::json& body);

struct NodeOptions {
  std::filesystem::path topology;
  std::string node_id;
  std::int64_t ticks = 0;  // run until this tick (cluster-wide lockstep), then idle; 0 = stay at tick 0
  // Set: the topology's columns are the blocks of the Brian2 reference network (the distributed
  // benchmark); their sizes must be the workload's even split.
  std::optional<bench::ReferenceParams> reference;
};

class Node {
 public:
  // Everything that can fail before the loop: topology, key, module list, binding the ports.
  static Expected<std::unique_ptr<Node>, std::string> create(const NodeOptions& options, Logger& log);
  ~Node();
  // Runs until `stop` fires (p3p-node: SIGTERM/SIGINT); returns the process exit code.
  int run(StopSource& stop);
  // Why the simulation failed (e.g. the engine could not be built); empty when it did not.
  const std::string& failure() const { return failure_; }

 private:
  // Heartbeats, pings and pongs to one peer's ROUTER (spike batches go sim to sim, see sim_actor.hpp).
  struct PeerLink {
    std::string id;
    int node = 0;
    std::unique_ptr<bus::Dealer> dealer;
  };

  Node(const NodeOptions& options, topology::Topology topo, bus::ClusterKey key, Logger& log);
  Expected<void, std::string> open_sockets();
  void register_modules();

  // node.cpp
  void on_router();
  void on_peer_reply(PeerLink& link);
  void dispatch(const bus::EnvelopeView& env, const bus::RoutedMessage* from);
  void reply(const bus::RoutedMessage& to, const bus::EnvelopeView& req, std::string_view kind, const nlohmann::json& body);
  void send_reply(const ReplyTo& to, std::string_view kind, const nlohmann::json& body);
  void note_rejection(const bus::WireError& e, std::string_view where);
  void begin_stop(int signal);

  // node_mesh.cpp
  void on_sim_event();
  void on_sim_ready();
  void on_heartbeat_timer();
  void on_echo_timer();
  void handle_mesh(const Heartbeat& hb, mesh::PeerInfo& peer);
  void refuse_body(const bus::EnvelopeView& env, const bus::RoutedMessage* from, const mesh::PeerInfo* peer,
                   const std::string& problem);
  void send_to_peer(PeerLink& link, std::string_view module, std::string_view kind, const bus::Bytes& body);
  void update_gate();  // opens the simulation's gate exactly when nothing blocks the cluster
  std::string blocked_reason() const;
  std::uint64_t now_ms() const;

  // The handlers of the request table's rows (request_table.cpp): each gets a body its row has checked.
  friend const std::vector<RequestSpec>& request_table();

  // node_requests.cpp
  // Every request of the table (request_table.hpp), status included: checked against its row, then served.
  bool serve_request(const bus::EnvelopeView& env, const nlohmann::json& body, const bus::RoutedMessage& from);  // false: not ours
  void serve_status(const nlohmann::json& body, const ReplyTo& to);
  void serve_run_until(const nlohmann::json& body, const ReplyTo& to);
  void serve_pause(const nlohmann::json& body, const ReplyTo& to);
  void serve_set_pacing(const nlohmann::json& body, const ReplyTo& to);
  void serve_stimulate(const nlohmann::json& body, const ReplyTo& to);
  void serve_reward(const nlohmann::json& body, const ReplyTo& to);
  void serve_thresholds(const nlohmann::json& body, const ReplyTo& to);
  void serve_weights(const nlohmann::json& body, const ReplyTo& to);
  void serve_ping(const nlohmann::json& body, const ReplyTo& to);
  Expected<std::uint32_t, Failure> local_column(const std::string& name) const;
  EngineCall weights_call(std::uint32_t population) const;
  static EngineCall reward_call(double value, std::optional<std::vector<std::uint32_t>> populations);
  static EngineCall thresholds_call(double value);
  // Answered when the simulation has run it; on success, `event` (if any) is published with `fields` and
  // the call's result.
  void post_engine_call(const ReplyTo& to, EngineCall call, std::string event = {}, nlohmann::json fields = {});
  void on_call_done(const SimEvent& e);
  void serve_regions(const nlohmann::json& body, const ReplyTo& to);

  // node_snapshot.cpp: persist/*
  void serve_hold(const nlohmann::json& body, const ReplyTo& to);
  void serve_release(const nlohmann::json& body, const ReplyTo& to);
  void serve_save(const nlohmann::json& body, const ReplyTo& to);
  void serve_stage(const nlohmann::json& body, const ReplyTo& to);
  void serve_restore(const nlohmann::json& body, const ReplyTo& to);
  void serve_drop(const nlohmann::json& body, const ReplyTo& to);
  void serve_remove(const nlohmann::json& body, const ReplyTo& to);
  void serve_remove_orphans(const nlohmann::json& body, const ReplyTo& to);
  void fail(const ReplyTo& to, const Failure& e);  // an `error` reply {code, message}
  // node_engine_requests.cpp: cortex7/set_weights, cortex7/reset and cortex7/normalise
  void serve_set_weights(const nlohmann::json& body, const ReplyTo& to);
  void serve_reset(const nlohmann::json& body, const ReplyTo& to);
  void serve_normalise(const nlohmann::json& body, const ReplyTo& to);
  Expected<std::pair<std::uint32_t, std::uint32_t>, Failure> engine_projection_ends(const std::string& from,
                                                                                   const std::string& column) const;
  Expected<std::uint32_t, Failure> engine_column(const std::string& name) const;
  Expected<std::vector<std::uint32_t>, Failure> engine_columns(const nlohmann::json& names) const;

  // node_metrics.cpp
  nlohmann::json metrics_doc() const;
  void serve_metrics(const nlohmann::json& body, const ReplyTo& to);
  std::string prometheus() const;
  void write_metrics_dump();  // the control node, on shutdown: the cluster's metrics to metrics.dump_path
  nlohmann::json rejected_by_reason(const SimSnapshot& sim) const;  // loop and spike path together
  std::uint64_t misshapen_dropped() const;

  // node_telemetry.cpp
  void publish(const std::string& topic, std::string_view kind, const bus::Bytes& body);
  void publish_spikes(const SimEvent& e);
  void publish_metrics();
  void on_subscriptions();  // answers each new subscription with a marker (telemetry_format.hpp)
  void emit_event(std::string_view name, nlohmann::json fields = nlohmann::json::object());
  void apply_regions(control::RegionLayout layout);

  // node_status.cpp
  nlohmann::json status() const;
  std::string state_name() const;
  std::string state_name(const SimSnapshot& sim) const;

  NodeOptions options_;
  topology::Topology topo_;
  bus::ClusterKey key_;
  Logger& log_;
  int self_ = 0;
  std::uint64_t total_neurons_ = 0;
  Clock::time_point started_ = Clock::now();

  zmq::context_t context_{1};
  std::unique_ptr<bus::Router> router_;
  std::unique_ptr<bus::Pub> pub_;
  std::vector<PeerLink> links_;
  bus::Outbox outbox_;
  bus::Inbox inbox_;
  bus::Bytes frame_;  // reused for sealing

  EventLoop loop_;
  ModuleRegistry modules_;
  mesh::PeerTable peers_;
  std::unique_ptr<SimActor> sim_;
  std::unique_ptr<control::ControlService> control_;  // on the node the topology names for control
  std::unique_ptr<MetricsHttp> metrics_http_;          // Prometheus /metrics, when the node has a metrics_port
  control::ColumnIndex column_index_{topo_};          // telemetry: global id -> column
  control::RegionLayout regions_;                     // the columns' grouping (update_regions changes it)
  std::optional<control::RegionLayout> staged_regions_;  // prepared by update_regions, not yet committed
  std::vector<std::string> column_regions_;           // region of each column_index_ column
  std::vector<std::string> population_regions_;       // region of each local population ("" = not local)
  std::uint64_t telemetry_published_ = 0;
  std::uint64_t spike_batch_seq_ = 0;
  std::uint64_t subscriptions_answered_ = 0;
  struct MetricsMark {  // the last metrics message, for rates
    Clock::time_point at = Clock::now();
    std::int64_t tick = 0;
    std::uint64_t spikes = 0;
    std::vector<std::uint64_t> columns;
  } metrics_mark_;
  bool sim_ready_ = false;
  std::int32_t epoch_ticks_ = 1;         // known once the simulation is ready
  std::optional<bool> gate_;             // what the simulation was last told
  std::string failure_;                 // the engine refused something: the node stops computing
  std::vector<std::string> column_ids_;  // engine population index -> column id
  struct PendingCall {
    ReplyTo to;
    std::string event = {};   // published on success, with `fields` and the result
    nlohmann::json fields = nlohmann::json::object();
    std::function<void(const nlohmann::json&)> then = {};  // run with the result when the call succeeded
    std::function<nlohmann::json(const nlohmann::json&)> reply = {};  // what to answer instead of the result
  };
  // A new call id whose outcome goes to `to` (set the returned entry's other fields as needed).
  std::pair<std::uint64_t, PendingCall*> await_call(const ReplyTo& to) {
    const std::uint64_t id = ++last_call_id_;
    return {id, &pending_calls_.emplace(id, PendingCall{to}).first->second};
  }
  std::map<std::uint64_t, PendingCall> pending_calls_;  // engine calls in flight -> who asked
  std::uint64_t last_call_id_ = 0;
  bool stopping_ = false;
  bool operator_paused_ = false;  // the pause command: no new epoch until resume
  bool snapshot_hold_ = false;    // a snapshot holds the simulation at a boundary (the pause then waits)
  std::optional<std::pair<std::uint64_t, std::string>> snapshot_regions_;  // a staged snapshot's region layout
  std::string logged_state_ = "starting";  // state changes are logged (from the heartbeat timer)

  RateLimitedLog rejection_log_;
  std::uint64_t misaddressed_ = 0;
  std::uint64_t bad_batches_ = 0;
  std::uint64_t echo_pings_ = 0;
};

}  // namespace p3p::runtime
