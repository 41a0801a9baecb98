#pragma once
// One node of a cluster: loads the topology, binds its ROUTER (commands, spike batches, heartbeats) and
// PUB, connects a DEALER to every peer, registers its modules, starts the simulation thread, and runs the
// event loop until SIGTERM/SIGINT. The pieces live in their own files; this class only wires them:
//   node.cpp         - creation, the loop, envelope dispatch, graceful stop
//   node_mesh.cpp    - heartbeats, peer liveness, the lockstep spike exchange, pacing
//   node_requests.cpp - client requests besides status: stimulate a column, run until a tick
//   node_status.cpp  - the status document (what `p3pctl status` shows) and the module registry
#include <cstdint>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>
#include <zmq.hpp>

#include "bus/inbox.hpp"
#include "bus/key_file.hpp"
#include "bus/outbox.hpp"
#include "bus/sockets.hpp"
#include "common/expected.hpp"
#include "nodes/cortex/presets.hpp"
#include "nodes/mesh/lockstep.hpp"
#include "nodes/mesh/peer_table.hpp"
#include "nodes/runtime/event_loop.hpp"
#include "nodes/runtime/exchange_timings.hpp"
#include "nodes/runtime/logger.hpp"
#include "nodes/runtime/module_registry.hpp"
#include "nodes/runtime/sim_actor.hpp"
#include "nodes/runtime/signals.hpp"
#include "topology/topology.hpp"

namespace p3p::runtime {

// The sender name p3pctl signs with. Nodes accept it in their replay guard besides the node ids, so no
// node may be called this (checked at start).
inline constexpr std::string_view kClientSender = "p3pctl";

struct NodeOptions {
  std::filesystem::path topology;
  std::string node_id;
  std::int64_t ticks = 0;  // run until this tick (cluster-wide lockstep), then idle; 0 = stay at tick 0
  // Set: the topology's columns are the blocks of the Brian2 reference network (the distributed
  // benchmark); their sizes must be the workload's even split.
  std::optional<cortex::ReferenceParams> reference;
};

class Node {
 public:
  // Everything that can fail before the loop: topology, key, module list, binding the ports.
  static Expected<std::unique_ptr<Node>, std::string> create(const NodeOptions& options, Logger& log);
  ~Node();
  // Runs until a stop signal; returns the process exit code.
  int run(StopSignals& signals);

 private:
  struct PeerLink {
    std::string id;
    int node = 0;
    std::unique_ptr<bus::Dealer> dealer;
    std::deque<bus::Bytes> backlog;  // spike batches the socket refused (HWM): retried, never dropped
  };

  // Where a client's reply goes: its DEALER's routing id and the sender name it signed with.
  struct ReplyTo {
    bus::Bytes identity;
    std::string sender;
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
  void finish_stop();

  // node_mesh.cpp
  void on_sim_reply();
  void on_sim_ready(const SimReply& r);
  void on_epoch_done(SimReply& r);
  void on_heartbeat_timer();
  void on_echo_timer();
  void handle_mesh(const bus::EnvelopeView& env, mesh::PeerInfo& peer);
  void handle_batch(const bus::EnvelopeView& env, mesh::PeerInfo& peer);
  void send_to_peer(PeerLink& link, std::string_view module, std::string_view kind, const bus::Bytes& body, bool must_arrive);
  void flush_backlog(PeerLink& link);
  void maybe_start_epoch();
  std::string blocked_reason() const;
  std::uint64_t now_ms() const;

  // node_requests.cpp
  bool serve_request(const bus::EnvelopeView& env, const bus::RoutedMessage& from);  // false: not one of ours
  void stimulate_column(const nlohmann::json& body, const ReplyTo& to);
  void on_call_done(const SimReply& r);

  // node_status.cpp
  nlohmann::json status() const;
  std::string state_name() const;
  std::vector<std::string> waiting_for() const;  // peers whose batch the next epoch needs

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
  std::optional<mesh::Lockstep> lockstep_;
  SimStats stats_;
  std::string failure_;                 // the engine refused something: the node stops computing
  std::vector<std::string> dopamine_overrides_;
  std::vector<std::string> column_ids_;  // engine population index -> column id
  std::map<std::uint64_t, ReplyTo> pending_calls_;  // engine calls in flight -> who asked
  std::uint64_t last_call_id_ = 0;
  std::uint64_t target_epochs_ = 0;
  std::optional<Clock::time_point> paced_from_;  // wall time of epoch 0 (tick_ms pacing)
  std::optional<EventLoop::TimerId> pacing_timer_;
  std::optional<Clock::time_point> barrier_since_;  // batches of the last epoch sent, waiting for peers'
  ExchangeTimings exchange_;
  std::optional<std::uint64_t> run_started_ns_;    // unix time epoch 0 was handed to the engine
  std::optional<std::uint64_t> target_reached_ns_; // unix time the last target tick was reached
  bool stopping_ = false;
  std::string logged_state_ = "starting";  // state changes are logged (from the heartbeat timer)

  RateLimitedLog rejection_log_;
  std::uint64_t misaddressed_ = 0;
  std::uint64_t bad_batches_ = 0;
  std::uint64_t echo_pings_ = 0;
};

}  // namespace p3p::runtime
