#pragma once
// The simulation thread. It owns the engine and does nothing on its own: the event loop posts "run this
// epoch with these remote spikes" and gets back "done, here is what each peer needs" (CZMQ actor style,
// over an inproc PAIR socket). While it computes, the loop keeps serving the network - status, heartbeats,
// peers' batches - so a node never goes deaf during a long epoch.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>
#include <nlohmann/json.hpp>
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
  std::uint64_t compute_ns = 0;    // time spent computing epochs so far (the rest of a run is exchange)
  std::vector<std::uint64_t> population_spikes;  // per population (column) so far; 0 for remote ones
};

// Work the loop hands to the simulation thread between epochs (stimulate, reward, thresholds, ...).
// It runs on the engine after every epoch posted before it, so its tick is the end of the last epoch.
struct CallOutcome {
  nlohmann::json result;   // when ok
  std::string error_code;  // empty = ok
  std::string error_message;
};
using EngineCall = std::function<CallOutcome(cortex::Engine&)>;

struct SimRequest {
  enum class Kind { run_epoch, call, stop };
  Kind kind = Kind::run_epoch;
  std::uint64_t epoch = 0;
  std::int64_t ticks = 0;                 // to run (the epoch length)
  std::vector<cortex::Spike> inputs;      // remote spikes, delivered before running
  std::uint64_t call_id = 0;              // call
  EngineCall call;
};

struct SimReply {
  enum class Kind { ready, epoch_done, call_done, failed };
  Kind kind = Kind::ready;
  std::string error;                                  // failed
  std::uint64_t epoch = 0;                            // epoch_done
  std::vector<std::vector<cortex::Spike>> for_node;   // epoch_done: index = node index; own index empty
  std::uint64_t call_id = 0;                          // call_done
  CallOutcome outcome;                                // call_done
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
  void call(std::uint64_t call_id, EngineCall call);  // answered by a call_done reply with the same id
  std::unique_ptr<SimReply> take_reply();  // nullptr if none waiting

 private:
  zmq::socket_t loop_end_;
  std::thread thread_;
};

}  // namespace p3p::runtime
