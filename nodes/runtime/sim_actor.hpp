#pragma once
// The simulation thread. It owns the engine, the lockstep and the spike path to the peers (spike_exchange):
// it runs epoch after epoch on its own - deliver the peers' batches of the last epoch, compute, send each
// peer what it needs, wait for theirs - as long as the event loop keeps the gate open and the target tick
// is ahead. The loop steers it with commands over an inproc PAIR socket (gate, target, peers' endpoints,
// calls on the engine), reads where it is from a snapshot under a mutex, and hears events (ready, failed,
// call done, target reached) on the same socket. The loop is therefore never on an epoch's critical path,
// and it keeps serving status, heartbeats and commands while an epoch computes.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>
#include <zmq.hpp>

#include "bus/reason.hpp"
#include "client/telemetry_format.hpp"
#include "common/error_code.hpp"
#include "common/expected.hpp"
#include "nodes/cortex/engine.hpp"
#include "nodes/runtime/exchange_timings.hpp"
#include "nodes/loop/logger.hpp"
#include "nodes/runtime/spike_exchange.hpp"

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
  std::uint64_t silenced = 0;      // columns silenced by the driver's focus (0: none)
  std::vector<std::uint64_t> population_spikes;  // per population (column) so far; 0 for remote ones
};

// Where the simulation is, as the loop reads it.
struct SimSnapshot {
  bool ready = false;
  SimStats stats;
  std::uint64_t next_epoch = 0;
  std::uint64_t target_epochs = 0;
  bool in_flight = false;
  std::vector<int> waiting_for;  // peers (node indices) whose batch the next epoch needs
  std::optional<std::uint64_t> run_started_ns;    // unix time epoch 0 started
  std::optional<std::uint64_t> target_reached_ns; // unix time the last target was reached
  std::string spikes_endpoint;                    // where peers send batches (announced in heartbeats)
  bus::RejectionCounts rejected{};                // on the spike path, by reason
  std::uint64_t bad_batches = 0;                  // authentic but refused (outside the window, duplicate, malformed)
  std::uint64_t stale_batches = 0;                // from before a snapshot load (another generation), dropped
  bool held = false;                              // a snapshot holds the cluster at an epoch boundary
  std::uint64_t generation = 0;                   // the last snapshot load's id (0: none)
  std::uint64_t exchange_sent = 0;                // spike-path envelopes sent and accepted
  std::uint64_t exchange_accepted = 0;
  std::uint64_t snapshot_saves = 0;               // parts written / loaded, and the seconds they took
  double snapshot_save_s = 0;
  std::uint64_t snapshot_loads = 0;
  double snapshot_load_s = 0;
  std::uint64_t misaddressed = 0;
  std::uint64_t spike_disconnects = 0;  // connections the spike ROUTER lost (socket_monitor.hpp)
  std::uint64_t steps_served = 0;       // the cluster driver's steps answered (runtime/step, sim_step.hpp)
  std::uint64_t steps_refused = 0;      // and refused (a bad step changes nothing)
  std::uint64_t late_spikes = 0;        // remote spikes dropped as too late: only if nodes disagree on a focus
  std::uint64_t batches_sent = 0;       // spike batches sent to peers
  std::uint64_t blocks = 0;             // blocks of more than one epoch run (a focus lets the lockstep look ahead)
};

// Work the loop hands to the simulation thread (stimulate, reward, thresholds, ...). It runs between
// epochs, at the tick the last epoch ended.
using CallOutcome = Expected<nlohmann::json, Failure>;  // the result, or why the call failed
using EngineCall = std::function<CallOutcome(cortex::Engine&)>;

struct SimEvent {
  enum class Kind { ready, failed, call_done, target_reached, spikes };
  Kind kind = Kind::ready;
  std::string error;        // failed
  std::uint64_t call_id = 0;  // call_done
  CallOutcome outcome = nlohmann::json();  // call_done
  std::vector<control::WireSpike> spikes;  // spikes: local spikes since the last batch (telemetry, ~every 10 ms)
  std::int64_t first_tick = 0;        // spikes: the batch covers ticks [first_tick, end_tick)
  std::int64_t end_tick = 0;
  std::uint64_t suppressed = 0;       // target_reached: how many were not posted since the last one
};

// Snapshots (simulation_snapshot.cpp): this node's part written to / read from `file`.
struct PartSave {
  std::filesystem::path file;
  std::string cluster;
  std::string node;
  std::uint64_t topology_hash = 0;
  std::uint64_t regions_version = 0;
  std::string regions_json;
};

struct PartLoad {
  std::filesystem::path file;
  std::string sha256;  // expected; checked before anything is decoded
  std::string cluster;
  std::string node;
  std::uint64_t topology_hash = 0;
};

struct SimConfig {
  cortex::NetworkSpec spec;
  cortex::EngineOptions options;
  SpikeExchangeConfig exchange;
  std::uint64_t total_neurons = 0;  // cluster-wide, to validate batches
  std::int64_t target_tick = 0;     // run until this tick (raised by run_until)
  std::uint32_t tick_ms = 0;        // pacing: epoch e starts no earlier than e*E*tick_ms after epoch 0
  std::uint64_t estimated_bytes = 0;  // this node's memory estimate (topology/memory_estimate.hpp), for the log
};

class SimActor {
 public:
  // Starts the thread, which binds the spike path, builds the engine and reports `ready` (or `failed`).
  SimActor(zmq::context_t& context, SimConfig config, Logger& log);
  ~SimActor();  // stop()
  // Asks the thread to stop after its current epoch (its batches still go out) and joins it; the snapshot
  // stays readable. Idempotent.
  void stop();
  SimActor(const SimActor&) = delete;
  SimActor& operator=(const SimActor&) = delete;

  void* socket_handle() { return loop_end_.handle(); }
  std::unique_ptr<SimEvent> take_event();  // nullptr if none waiting
  // Cheap (a copy under the mutex): the loop reads it for every request, so what takes work to summarise
  // is read apart, only by what shows it (status, metrics).
  SimSnapshot snapshot() const;
  nlohmann::json exchange_summary() const;    // barrier wait per epoch: samples, p50, p99
  nlohmann::json exchange_histogram() const;  // ExchangeTimings::histogram()

  // Commands, applied in order between epochs.
  void set_gate(bool open);  // closed: no new epoch starts (a peer lost, connecting, needs a snapshot)
  void run_until(std::int64_t tick);  // raises the target (never lowers it)
  void set_pacing(std::uint32_t tick_ms);  // 0 = as fast as possible
  void set_peer_endpoint(int node, std::string endpoint);
  void call(std::uint64_t call_id, EngineCall call);  // answered by a call_done event with the same id

  // Snapshots, applied in order with the rest; each answered by call_done with `call_id`.
  //   hold: start no epoch at or past `epoch` (nullopt: the next one, i.e. stop at this boundary);
  //   release: run on. save_part: write this node's part (held, with complete inputs) - result {file,
  //   sha256, bytes, tick, epoch, write_s}. stage_part: read, verify the checksum, decode and check it fits
  //   the engine - result {tick, epoch, regions_version, regions_json}; restore_staged: apply it (cannot
  //   fail once staged) with the load's generation; drop_staged: forget it.
  void hold(std::uint64_t call_id, std::optional<std::uint64_t> epoch);
  void release(std::uint64_t call_id);
  void save_part(std::uint64_t call_id, PartSave request);
  void stage_part(std::uint64_t call_id, PartLoad request);
  void restore_staged(std::uint64_t call_id, std::uint64_t generation);
  void drop_staged(std::uint64_t call_id);
  // Spikes per local neuron so far: result {"populations": {"<index>": [count per neuron]}}.
  void neuron_spikes(std::uint64_t call_id);
  // run_until(tick), answered once the engine has computed up to `tick` (at once if it has), with where it
  // stands then: result {tick, raster_sum, populations} (populations as neuron_spikes). One command, so the
  // thread cannot run the epoch that reaches `tick` between a target and a wait sent apart, and then wake
  // again only to answer.
  void run_until_and_wait(std::uint64_t call_id, std::int64_t tick);

  struct Shared;

 private:
  zmq::socket_t loop_end_;
  std::shared_ptr<Shared> shared_;
  std::thread thread_;
};

}  // namespace p3p::runtime
