// The simulation's side of snapshots: holding at an epoch boundary, writing this node's part, and loading
// one in two steps (stage: read, verify, decode, check; restore: apply - so a cluster-wide load applies on
// every node or on none). All of it runs in the simulation thread, between epochs.
#include <chrono>

#include "nodes/persistence/file_ops.hpp"
#include "nodes/runtime/simulation.hpp"

namespace p3p::runtime {
namespace {

CallOutcome error(ErrorCode code, std::string message) { return unexpected(Failure{code, std::move(message)}); }

}  // namespace

CallOutcome Simulation::hold(std::optional<std::uint64_t> epoch) {
  hold_ = epoch.value_or(lockstep_->next_epoch());  // commands run between epochs: this is a boundary
  publish();
  return nlohmann::json{{"hold_epoch", *hold_}, {"next_epoch", lockstep_->next_epoch()}, {"tick", engine_.tick()}};
}

CallOutcome Simulation::release() {
  hold_.reset();
  publish();
  return nlohmann::json{{"next_epoch", lockstep_->next_epoch()}, {"tick", engine_.tick()}};
}

CallOutcome Simulation::save_part(const PartSave& r) {
  const auto start = Clock::now();
  const std::uint64_t epoch = lockstep_->next_epoch();
  if (!hold_ || *hold_ != epoch) return error(ErrorCode::not_ready, "not held at this epoch boundary (" + std::to_string(epoch) + ")");
  if (!lockstep_->inputs_complete()) return error(ErrorCode::not_ready, "the peers' batches of the last epoch have not all arrived");
  persistence::SnapshotPart part;
  part.cluster = r.cluster;
  part.node = r.node;
  part.topology_hash = r.topology_hash;
  part.next_epoch = epoch;
  part.engine = engine_.export_state();
  for (auto& [peer, spikes] : lockstep_->held_inputs()) part.inputs.push_back({peer, std::move(spikes)});
  part.spikes = stats_.spikes;
  part.raster_sum = raster_.value();
  part.population_spikes = stats_.population_spikes;
  part.neuron_spikes = neuron_spikes_;
  part.regions_version = r.regions_version;
  part.regions_json = r.regions_json;
  const bus::Bytes bytes = persistence::encode_part(part);
  const std::string sha = persistence::sha256_hex(bus::ByteView(bytes));
  std::error_code ec;
  std::filesystem::create_directories(r.file.parent_path(), ec);
  if (auto ok = persistence::write_atomically(persistence::posix_file_ops(), r.file, bus::ByteView(bytes), false); !ok)
    return error(ErrorCode::io_error, "cannot write " + r.file.filename().string() + ": " + ok.error());
  ++saves_;
  save_s_ += std::chrono::duration<double>(Clock::now() - start).count();
  return nlohmann::json{{"file", r.file.filename().string()},
                        {"sha256", sha},
                        {"bytes", bytes.size()},
                        {"tick", engine_.tick()},
                        {"epoch", epoch},
                        {"write_s", std::chrono::duration<double>(Clock::now() - start).count()}};
}

CallOutcome Simulation::stage_part(const PartLoad& r) {
  const auto start = Clock::now();
  const std::string name = r.file.filename().string();
  if (!part_cap_)  // the network's shape never changes: worked out once, from the engine's own state
    part_cap_ = persistence::max_part_bytes(engine_.export_state(),
                                            mesh::Lockstep::kMaxBlockEpochs * static_cast<std::uint64_t>(lockstep_->epoch_ticks()) * config_.total_neurons);
  auto bytes = persistence::read_file(r.file, *part_cap_);
  if (!bytes) return error(ErrorCode::snapshot_corrupt, "part " + name + " of " + r.node + ": " + bytes.error());
  if (persistence::sha256_hex(bus::ByteView(*bytes)) != r.sha256)
    return error(ErrorCode::snapshot_corrupt, "part " + name + " of " + r.node + ": its SHA-256 is not the manifest's");
  auto part = persistence::decode_part(bus::ByteView(*bytes));
  if (!part) return error(ErrorCode::snapshot_corrupt, "part " + name + " of " + r.node + ": " + part.error());
  if (part->cluster != r.cluster || part->node != r.node)
    return error(ErrorCode::snapshot_corrupt, "part " + name + " belongs to " + part->node + " of cluster " + part->cluster);
  if (part->topology_hash != r.topology_hash)
    return error(ErrorCode::topology_mismatch, "part " + name + " was taken with another topology");
  const std::int64_t epoch_ticks = lockstep_->epoch_ticks();
  if (part->engine.tick != static_cast<std::int64_t>(part->next_epoch) * epoch_ticks)
    return error(ErrorCode::snapshot_corrupt, "part " + name + ": its tick is not at the start of its epoch");
  if (part->population_spikes.size() != stats_.population_spikes.size() || part->neuron_spikes.size() != neuron_spikes_.size())
    return error(ErrorCode::topology_mismatch, "part " + name + " counts another number of columns");
  for (std::size_t p = 0; p < neuron_spikes_.size(); ++p)
    if (part->neuron_spikes[p].size() != neuron_spikes_[p].size())
      return error(ErrorCode::topology_mismatch, "part " + name + " counts another number of neurons in a column");
  // Inputs are the spikes in flight: of the peers' last block, which may cover several epochs.
  const std::uint64_t oldest = part->next_epoch - std::min(part->next_epoch, mesh::Lockstep::kMaxBlockEpochs);
  for (const persistence::PeerInput& in : part->inputs) {
    if (std::find(peers_.begin(), peers_.end(), in.node) == peers_.end())
      return error(ErrorCode::snapshot_corrupt, "part " + name + ": input from a node that is not a peer");
    for (const cortex::Spike& s : in.spikes)
      if (s.neuron >= config_.total_neurons || s.tick < lockstep_->first_tick(oldest) ||
          s.tick >= lockstep_->first_tick(part->next_epoch))
        return error(ErrorCode::snapshot_corrupt, "part " + name + ": an input spike outside its last block");
  }
  if (auto fits = engine_.check_state(part->engine); !fits)
    return error(ErrorCode::topology_mismatch, "part " + name + ": " + fits.error().message);
  nlohmann::json result = {{"tick", part->engine.tick}, {"epoch", part->next_epoch}, {"regions_version", part->regions_version},
                           {"regions_json", part->regions_json}};
  staged_ = std::make_unique<persistence::SnapshotPart>(std::move(*part));
  stage_s_ = std::chrono::duration<double>(Clock::now() - start).count();
  return result;
}

CallOutcome Simulation::restore_staged(std::uint64_t generation) {
  if (!staged_) return error(ErrorCode::conflict, "no snapshot part is staged on this node");
  persistence::SnapshotPart& part = *staged_;
  if (auto ok = engine_.import_state(part.engine); !ok) {  // checked when staged: cannot happen
    failure_ = "snapshot load failed after it was checked: " + ok.error().message;
    post(events_, failed(failure_));
    return error(ErrorCode::internal, failure_);
  }
  mesh::Lockstep::PeerInputs inputs;
  for (auto& in : part.inputs) inputs.emplace_back(in.node, std::move(in.spikes));
  lockstep_->restart(part.next_epoch, std::move(inputs));
  // Whichever boot a peer is in now holds the same snapshot (the generation tells old batches apart): a
  // peer that restarted before the load must not have the loaded inputs it sent forgotten on its next batch.
  boots_.clear();
  stats_.tick = engine_.tick();
  stats_.spikes = part.spikes;
  stats_.population_spikes = part.population_spikes;
  neuron_spikes_ = std::move(part.neuron_spikes);
  ++loads_;
  load_s_ += stage_s_;
  stats_.raster_sum = part.raster_sum;
  raster_.restore(part.raster_sum);
  telemetry_.clear();  // spikes of the abandoned future are not published
  telemetry_from_ = engine_.tick();
  paced_from_.reset();
  barrier_since_.reset();
  generation_ = generation;
  // The cluster stands at the snapshot's tick: held until every node has loaded (a node running ahead would
  // send batches of the new generation to peers still in the old one), and with no target left over from
  // before, so it runs on only when told to.
  hold_ = lockstep_->next_epoch();
  target_epochs_ = lockstep_->next_epoch();
  staged_.reset();
  publish();
  return nlohmann::json{{"tick", engine_.tick()}, {"epoch", lockstep_->next_epoch()}};
}

CallOutcome Simulation::drop_staged() {
  staged_.reset();
  return nlohmann::json::object();
}

CallOutcome Simulation::neuron_spikes() const {
  nlohmann::json populations = nlohmann::json::object();
  for (std::size_t p = 0; p < neuron_spikes_.size(); ++p)
    if (!neuron_spikes_[p].empty()) populations[std::to_string(p)] = neuron_spikes_[p];
  return nlohmann::json{{"populations", populations}};
}

CallOutcome Simulation::tick_view() const {
  CallOutcome view = neuron_spikes();
  if (!view) return view;
  (*view)["tick"] = engine_.tick();
  (*view)["raster_sum"] = raster_.value();
  return view;
}

}  // namespace p3p::runtime
