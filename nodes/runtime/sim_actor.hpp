#pragma once
// The simulation thread. It owns the engine and does nothing on its own: the event loop posts "run this
// epoch with these remote spikes" and gets back "done, here is what each peer needs" (CZMQ actor style,
// over an inproc PAIR socket). While it computes, the loop keeps serving the network - status, heartbeats,
// peers' batches - so a node never goes deaf during a long epoch.
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>
#include <zmq.hpp>

#include "nodes/cortex/engine.hpp"

namespace p3p::runtime {

struct SimStats {
  std::int64_t tick = 0;           // the next tick to compute
  std::uint64_t spikes = 0;        // local spikes so far
  std::uint64_t raster_sum = 0;    // mesocortex::RasterSum of the local spikes so far
  std::uint64_t neurons = 0;       // local
  std::uint64_t synapses = 0;      // held here (targets local)
  std::uint64_t columns = 0;       // local
  std::int32_t epoch_ticks = 1;    // min cross-node delay, or 1 when nothing crosses
  bool crossing = false;           // whether any projection crosses nodes
  std::uint64_t last_compute_us = 0;
};

struct SimRequest {
  enum class Kind { run_epoch, stop };
  Kind kind = Kind::run_epoch;
  std::uint64_t epoch = 0;
  std::int64_t ticks = 0;                 // to run (the epoch length)
  std::vector<cortex::Spike> inputs;      // remote spikes, delivered before running
};

struct SimReply {
  enum class Kind { ready, epoch_done, failed };
  Kind kind = Kind::ready;
  std::string error;                                  // failed
  std::uint64_t epoch = 0;                            // epoch_done
  std::vector<std::vector<cortex::Spike>> for_node;   // epoch_done: index = node index; own index empty
  SimStats stats;
};

class SimActor {
 public:
  // Starts the thread, which builds the engine and replies `ready` (or `failed`).
  SimActor(zmq::context_t& context, cortex::NetworkSpec spec, cortex::EngineOptions options, int node_count);
  ~SimActor();  // asks the thread to stop after its current epoch and joins it
  SimActor(const SimActor&) = delete;
  SimActor& operator=(const SimActor&) = delete;

  void* socket_handle() { return loop_end_.handle(); }
  void run_epoch(std::uint64_t epoch, std::int64_t ticks, std::vector<cortex::Spike> inputs);
  std::unique_ptr<SimReply> take_reply();  // nullptr if none waiting

 private:
  zmq::socket_t loop_end_;
  std::thread thread_;
};

}  // namespace p3p::runtime
