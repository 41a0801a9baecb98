// Snapshot requests a node serves (the control dispatcher drives them, cluster_snapshot.hpp):
//   persist/hold {epoch?}     start no epoch at or past `epoch` (absent: stop at the next boundary)
//   persist/release {}        run on
//   persist/save {manifest}   write this node's part <manifest stem>.<node>.part into the snapshot dir
//   persist/stage {file, sha256}  read, verify and check this node's part of a snapshot; held until...
//   persist/restore {generation}  ... applied (cannot fail once staged); or persist/drop {} forgets it
//   persist/remove {files}    delete snapshot files (manifests, this node's parts) from the snapshot dir
//   persist/remove_orphans {manifests}  delete this node's parts whose snapshot is not among `manifests`
//                             (the control node's, which lists every complete snapshot): leftovers of a
//                             snapshot whose manifest was never written
// Every answer comes after the simulation thread has done the work. File names are checked against the
// snapshot naming rules: nothing outside the snapshot dir is ever read, written or removed.
#include <algorithm>
#include <limits>

#include "nodes/persistence/manifest.hpp"
#include "nodes/runtime/node.hpp"

namespace p3p::runtime {
namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

void Node::serve_hold(const nlohmann::json& body, const ReplyTo& to) {
  std::optional<std::uint64_t> epoch;  // the request table checked it
  if (body.contains("epoch")) epoch = body["epoch"].get<std::uint64_t>();
  auto [id, call] = await_call(to);  // answered when the simulation thread is done
  // The hold first, then the gate: an operator pause does not block a held cluster, the hold bounds it -
  // so the simulation must have its bound before the gate opens, or a paused node runs on in between.
  sim_->hold(id, epoch);
  snapshot_hold_ = true;
  update_gate();
}

void Node::serve_release(const nlohmann::json&, const ReplyTo& to) {
  auto [id, call] = await_call(to);
  snapshot_hold_ = false;
  update_gate();
  sim_->release(id);
}

void Node::serve_save(const nlohmann::json& body, const ReplyTo& to) {
  const auto manifest = body["manifest"].get<std::string>();  // a string: the request table checked it
  if (!persistence::is_manifest_name(manifest)) return fail(to, bad_args("'manifest' must be a snapshot manifest name"));
  auto [id, call] = await_call(to);
  const std::string layout = regions_.to_argument().dump();
  call->event = "snapshot_saved";
  call->fields = {{"manifest", manifest}};
  sim_->save_part(id, {topo_.persistence.snapshot_dir / persistence::part_name(manifest, options_.node_id), topo_.cluster.name,
                       options_.node_id, topo_.source_hash, regions_.version, layout});
}

void Node::serve_stage(const nlohmann::json& body, const ReplyTo& to) {
  const auto file = body["file"].get<std::string>();
  const auto sha = body["sha256"].get<std::string>();
  const std::string own_suffix = "." + options_.node_id + ".part";
  if (!persistence::is_part_name(file) || !ends_with(file, own_suffix))
    return fail(to, bad_args("'file' must be one of this node's snapshot parts (…" + own_suffix + ")"));
  auto [id, call] = await_call(to);
  call->then = [this](const nlohmann::json& r) {
    snapshot_regions_ = std::make_pair(r["regions_version"].get<std::uint64_t>(), r["regions_json"].get<std::string>());
  };
  sim_->stage_part(id, {topo_.persistence.snapshot_dir / file, sha, topo_.cluster.name, options_.node_id, topo_.source_hash});
}

void Node::serve_restore(const nlohmann::json& body, const ReplyTo& to) {
  if (!snapshot_regions_) return fail(to, {ErrorCode::conflict, "no snapshot part is staged on " + options_.node_id});
  auto [id, call] = await_call(to);
  call->event = "snapshot_loaded";
  call->then = [this](const nlohmann::json&) {
    auto [version, text] = std::move(*snapshot_regions_);
    snapshot_regions_.reset();
    auto layout = control::parse_region_layout(topo_, nlohmann::json::parse(text, nullptr, false), version);
    if (layout) apply_regions(std::move(*layout));  // checked by the dispatcher too
    peers_.after_load();
    update_gate();
  };
  sim_->restore_staged(id, body["generation"].get<std::uint64_t>());
}

void Node::serve_drop(const nlohmann::json&, const ReplyTo& to) {
  auto [id, call] = await_call(to);
  snapshot_regions_.reset();
  sim_->drop_staged(id);
}

// Answered here, not by the simulation: files only.
void Node::serve_remove(const nlohmann::json& body, const ReplyTo& to) {
  const auto& files = body["files"];
  const std::string own_suffix = "." + options_.node_id + ".part";
  for (const auto& f : files) {
    const std::string name = f.is_string() ? f.get<std::string>() : "";
    if (!persistence::is_manifest_name(name) && !(persistence::is_part_name(name) && ends_with(name, own_suffix)))
      return fail(to, bad_args("'" + name.substr(0, 200) + "' is not a snapshot file of " + options_.node_id));
  }
  std::uint64_t removed = 0;
  for (const auto& f : files) {
    std::error_code ec;
    removed += std::filesystem::remove(topo_.persistence.snapshot_dir / f.get<std::string>(), ec) ? 1 : 0;
  }
  send_reply(to, "result", {{"removed", removed}});
}

void Node::serve_remove_orphans(const nlohmann::json& body, const ReplyTo& to) {
  const auto& manifests = body["manifests"];  // a list: the request table checked it
  if (!std::all_of(manifests.begin(), manifests.end(),
                   [](const nlohmann::json& m) { return m.is_string() && persistence::is_manifest_name(m.get<std::string>()); }))
    return fail(to, bad_args("'manifests' must be a list of snapshot manifest names"));
  const std::filesystem::path& dir = topo_.persistence.snapshot_dir;
  const auto orphans = persistence::orphan_parts(dir, options_.node_id, manifests.get<std::vector<std::string>>());
  for (const auto& f : orphans) {
    std::error_code ec;
    std::filesystem::remove(dir / f, ec);
  }
  send_reply(to, "result", {{"removed", orphans}});
}

}  // namespace p3p::runtime
