#pragma once
// The simulation thread's own link to its peers' simulation threads: the per-epoch spike batches travel
// sim -> sim, never through the event loop, so an epoch's exchange costs one ZeroMQ hop each way (the
// loop used to add a thread hand-off on both sides, about half the cost of an epoch on a small network).
//   - a ROUTER bound on the node's host at a port the kernel picks; the event loop announces it to the
//     peers in its heartbeats ("spikes" endpoint) and tells this side the peers' endpoints;
//   - one DEALER per peer, (re)connected when the peer announces an endpoint (a restarted peer has a new one);
//   - its own Outbox/Inbox: signed like everything else, with a replay guard of its own (the sender names
//     are the node ids; the loop's guard never sees this traffic, so the two never disagree on seq numbers).
// Batches are never dropped here: a peer whose endpoint is not known yet, or whose queue is full, gets
// them in order from a backlog that flush() retries.
// The same ROUTER takes the cluster driver's steps (runtime/step from the client sender, sim_step.hpp) and
// answers them with reply(): the driver's closed loop then never waits on the event loop.
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>
#include <zmq.hpp>

#include "bus/inbox.hpp"
#include "bus/outbox.hpp"
#include "bus/sockets.hpp"
#include "common/expected.hpp"

namespace p3p::runtime {

struct SpikeExchangeConfig {
  std::vector<std::uint8_t> key;
  std::string cluster;
  std::vector<std::string> node_ids;  // index = node
  int self = 0;
  std::string host;                   // where to bind (the node's host)
  std::uint32_t replay_window_ms = 0;
};

class SpikeExchange {
 public:
  // One authenticated batch: from which node, which boot of it, and its msgpack body.
  using OnBatch = std::function<void(int node, std::uint64_t boot_id, bus::ByteView body)>;
  // One authenticated step from the client sender: who to answer (the ROUTER's routing id) and its body.
  using OnStep = std::function<void(bus::ByteView identity, bus::ByteView body)>;

  SpikeExchange(zmq::context_t& context, SpikeExchangeConfig config);
  Expected<std::string, std::string> bind();  // the endpoint peers connect to
  void set_peer_endpoint(int node, const std::string& endpoint);
  void send(int node, bus::ByteView body);    // seals and sends, or queues behind the backlog
  // Retries the backlogs; false while a connected peer's queue is still full (retry soon). Batches for a
  // peer whose endpoint is not known yet wait for set_peer_endpoint, which the caller hears about anyway.
  bool flush();
  // Takes what has arrived (bounded), calls `on_batch` for each authentic batch addressed here and
  // `on_step` for each authentic step. false: stopped at its budget with messages left (not drained).
  bool receive(const OnBatch& on_batch, const OnStep& on_step);
  // Answers a step: an envelope of `kind` (result or error) to the client sender at `identity`.
  void reply(bus::ByteView identity, std::string_view kind, bus::ByteView body);
  void* router_handle() { return router_->native_handle(); }
  void* disconnects_handle() { return router_->disconnect_events_handle(); }  // wakes the idle thread

  const bus::Inbox& inbox() const { return inbox_; }
  std::uint64_t misaddressed() const { return misaddressed_; }
  std::uint64_t disconnects() const { return router_->disconnects(); }  // peers stay connected: any is news
  std::uint64_t sent() const { return outbox_.next_seq() - 1; }  // envelopes sealed (this boot)

 private:
  struct Peer {
    std::string endpoint;
    std::unique_ptr<bus::Dealer> dealer;
    std::deque<bus::Bytes> backlog;
  };

  zmq::context_t& context_;
  SpikeExchangeConfig config_;
  std::unique_ptr<bus::Router> router_;
  std::vector<Peer> peers_;  // index = node (own slot unused)
  bus::Outbox outbox_;
  bus::Inbox inbox_;
  bus::Bytes frame_;
  std::uint64_t misaddressed_ = 0;
};

}  // namespace p3p::runtime
