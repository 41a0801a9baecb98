#include "nodes/control/cluster_snapshot.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

#include "bus/clock.hpp"
#include "nodes/persistence/file_ops.hpp"
#include "nodes/persistence/manifest.hpp"

namespace p3p::control {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kQuick = std::chrono::milliseconds(2000);
constexpr auto kDiskWork = std::chrono::seconds(120);  // writing or reading a large part
constexpr auto kSettle = std::chrono::seconds(30);

double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

Expected<void, Failure> to_all(const topology::Topology& t, NodeClient& client, const node_api::NodeCall& call) {
  for (const auto& n : t.nodes)
    if (auto r = client.call(n, call, kQuick); !r)
      return unexpected(Failure{r.error().code, n.id + ": " + r.error().message});
  return {};
}

void release_all(const topology::Topology& t, NodeClient& client) { (void)to_all(t, client, node_api::release()); }

struct NodeAt {
  std::uint64_t epoch = 0;
  bool settled = false;  // not computing, and every peer's last batch in
};

// Every node's place; fails at once if one is down, failed or cut off (waiting would not help).
Expected<std::vector<NodeAt>, Failure> where(const topology::Topology& t, NodeClient& client, bool need_inputs) {
  std::vector<NodeAt> out;
  for (const auto& n : t.nodes) {
    auto s = client.call(n, node_api::status(), kQuick);
    if (!s) return unexpected(Failure{s.error().code, n.id + ": " + s.error().message});
    const std::string state = s->value("state", "");
    if (state == "failed" || state == "stopping" || state == "starting")
      return unexpected(Failure{ErrorCode::cluster_not_running, n.id + " is " + state + " (" + s->value("reason", std::string("-")) + ")"});
    if (need_inputs && state != "held" && state != "running" && state != "idle")
      return unexpected(Failure{ErrorCode::cluster_not_running, n.id + " is " + state + " (" + s->value("reason", std::string("-")) +
                                                                    "); a snapshot needs every node connected"});
    const bool in_flight = s->value("epoch_in_flight", false);
    const bool inputs = s->value("waiting_for", nlohmann::json::array()).empty();
    out.push_back({s->value("epoch", std::uint64_t{0}), !in_flight && (!need_inputs || inputs)});
  }
  return out;
}

// Polls until every node is settled (and, with `epoch`, at exactly that epoch).
Expected<std::vector<NodeAt>, Failure> wait_settled(const topology::Topology& t, NodeClient& client, bool need_inputs,
                                                    std::optional<std::uint64_t> epoch) {
  const auto deadline = Clock::now() + kSettle;
  for (;;) {
    auto at = where(t, client, need_inputs);
    if (!at) return at;
    if (std::all_of(at->begin(), at->end(), [&](const NodeAt& a) { return a.settled && (!epoch || a.epoch == *epoch); })) return at;
    if (Clock::now() > deadline)
      return unexpected(Failure{ErrorCode::timeout, "the nodes did not come to rest at one epoch boundary within 30 s"});
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

// Parts without a manifest: nobody could load them. A node that does not answer keeps its part until the
// next prune finds it orphaned.
void remove_parts(const topology::Topology& t, NodeClient& client, const std::vector<persistence::ManifestPart>& parts) {
  for (const auto& p : parts)
    (void)client.call(*topology::find_node(t, p.node), node_api::remove({p.file}), kQuick);
}

// A part holds the tick and epoch the manifest names - or it is from another snapshot (each part's own
// checksum proves only that the file is whole), and loading it would put the nodes at different ticks.
Expected<nlohmann::json, Failure> matches_manifest(const persistence::Manifest& m, const persistence::ManifestPart& part,
                                                   nlohmann::json staged) {
  const auto tick = staged.value("tick", std::int64_t{-1});
  const auto epoch = staged.value("epoch", std::uint64_t{0});
  if (tick == m.tick && epoch == m.epoch) return staged;
  return unexpected(Failure{ErrorCode::snapshot_corrupt, "part " + part.file + " of " + part.node + " holds tick " + std::to_string(tick) +
                                                             " (epoch " + std::to_string(epoch) + "), but the manifest " + m.name +
                                                             " says tick " + std::to_string(m.tick) + " (epoch " +
                                                             std::to_string(m.epoch) + "): its parts are not one snapshot"});
}

std::string free_manifest_name(const topology::Topology& t) {
  const std::uint64_t now_ms = bus::unix_now_ns() / 1'000'000;
  for (unsigned n = 0;; ++n) {
    const std::string name = persistence::manifest_name(t.control ? t.control->node : t.nodes.front().id, now_ms, n);
    std::error_code ec;
    if (!std::filesystem::exists(t.persistence.snapshot_dir / name, ec)) return name;
  }
}

}  // namespace

Expected<nlohmann::json, Failure> take_snapshot(const topology::Topology& t, NodeClient& client, const std::string& reason,
                                                persistence::FileOps& ops) {
  const auto start = Clock::now();
  // Stop everyone at their next boundary; the furthest node's epoch is where all meet.
  if (auto ok = to_all(t, client, node_api::hold()); !ok) return release_all(t, client), unexpected(ok.error());
  auto stopped = wait_settled(t, client, false, std::nullopt);
  if (!stopped) return release_all(t, client), unexpected(stopped.error());
  std::uint64_t epoch = 0;
  for (const NodeAt& a : *stopped) epoch = std::max(epoch, a.epoch);
  if (auto ok = to_all(t, client, node_api::hold(epoch)); !ok) return release_all(t, client), unexpected(ok.error());
  auto met = wait_settled(t, client, true, epoch);
  if (!met) return release_all(t, client), unexpected(met.error());
  const double hold_s = since(start);

  const std::string name = free_manifest_name(t);
  persistence::Manifest m;
  m.name = name;
  m.cluster = t.cluster.name;
  m.topology_hash = t.source_hash;
  m.epoch = epoch;
  m.reason = reason;
  m.created_unix_ms = bus::unix_now_ns() / 1'000'000;
  std::uint64_t total = 0;
  for (const auto& n : t.nodes) {
    auto r = client.call(n, node_api::save(name), kDiskWork);
    if (!r) {
      remove_parts(t, client, m.parts);
      release_all(t, client);
      return unexpected(Failure{r.error().code, "snapshot part of " + n.id + ": " + r.error().message});
    }
    m.tick = (*r)["tick"].get<std::int64_t>();
    m.parts.push_back({n.id, (*r)["file"].get<std::string>(), (*r)["sha256"].get<std::string>(), (*r)["bytes"].get<std::uint64_t>()});
    total += m.parts.back().bytes;
  }
  const std::string text = m.to_json().dump(2);
  std::error_code ec;
  std::filesystem::create_directories(t.persistence.snapshot_dir, ec);  // the nodes made theirs; this host's too
  auto written = persistence::write_atomically(ops, t.persistence.snapshot_dir / name, bus::as_bytes(text), false);
  if (!written) remove_parts(t, client, m.parts);
  release_all(t, client);
  if (!written)
    return unexpected(Failure{ErrorCode::io_error, "cannot write manifest " + name + ": " + written.error() + " (its parts were removed)"});
  nlohmann::json result = {{"name", name},         {"tick", m.tick},   {"epoch", epoch},      {"reason", reason},
                           {"bytes", total},       {"hold_s", hold_s}, {"total_s", since(start)},
                           {"parts", m.to_json()["parts"]}};
  if (t.persistence.keep > 0) {
    auto pruned = prune_snapshots(t, client, t.persistence.keep);
    if (pruned) result["pruned"] = (*pruned)["removed"];
  }
  return result;
}

Expected<nlohmann::json, Failure> load_snapshot(const topology::Topology& t, NodeClient& client, RegionStore& regions,
                                                const std::string& requested) {
  const auto start = Clock::now();
  auto m = persistence::read_manifest(t.persistence.snapshot_dir, requested);
  if (!m) return unexpected(m.error());
  if (m->cluster != t.cluster.name || m->topology_hash != t.source_hash)
    return unexpected(Failure{ErrorCode::topology_mismatch, "snapshot " + m->name + " was taken with another topology (cluster " +
                                                                m->cluster + "); load it with the topology file it was taken with"});
  for (const auto& n : t.nodes)
    if (std::count_if(m->parts.begin(), m->parts.end(), [&](const auto& p) { return p.node == n.id; }) != 1)
      return unexpected(Failure{ErrorCode::snapshot_corrupt, "snapshot " + m->name + " has no single part for " + n.id});

  // Stage everywhere first: checksums, decoding, fit. Nothing changes unless every node can take its part.
  std::optional<RegionLayout> layout;
  for (const auto& n : t.nodes) {
    const auto& part = *std::find_if(m->parts.begin(), m->parts.end(), [&](const auto& p) { return p.node == n.id; });
    auto r = client.call(n, node_api::stage(part.file, part.sha256), kDiskWork);
    if (r) r = matches_manifest(*m, part, std::move(*r));
    if (r && !layout) {
      auto parsed = parse_region_layout(t, nlohmann::json::parse((*r)["regions_json"].get<std::string>(), nullptr, false),
                                        (*r)["regions_version"].get<std::uint64_t>());
      if (!parsed) r = unexpected(Failure{ErrorCode::snapshot_corrupt, "part " + part.file + ": its regions: " + parsed.error().message});
      else layout = std::move(*parsed);
    }
    if (!r) {
      (void)to_all(t, client, node_api::drop());
      return unexpected(Failure{r.error().code, r.error().message + " (nothing was changed)"});
    }
  }
  const double stage_s = since(start);
  if (auto ok = to_all(t, client, node_api::hold()); !ok) {
    (void)to_all(t, client, node_api::drop());
    return release_all(t, client), unexpected(ok.error());
  }
  if (auto settled = wait_settled(t, client, false, std::nullopt); !settled) {
    (void)to_all(t, client, node_api::drop());
    return release_all(t, client), unexpected(settled.error());
  }
  const std::uint64_t generation = bus::unix_now_ns();
  std::vector<std::string> restored;
  nlohmann::json at = nlohmann::json::object();  // what each node holds now, as it says: the reply reports that
  for (const auto& n : t.nodes) {
    auto r = client.call(n, node_api::restore(generation), kQuick);
    if (r) at[n.id] = {{"tick", (*r)["tick"]}, {"epoch", (*r)["epoch"]}};
    if (!r) {
      release_all(t, client);
      std::string done;
      for (const auto& id : restored) done += (done.empty() ? "" : ", ") + id;
      return unexpected(Failure{r.error().code, "restoring " + n.id + " failed after " + (done.empty() ? "no node" : done) +
                                                    " had loaded: " + r.error().message + "; load again"});
    }
    restored.push_back(n.id);
  }
  regions.set(std::move(*layout));
  release_all(t, client);
  const nlohmann::json& first = at[t.nodes.front().id];
  return nlohmann::json{{"name", m->name},   {"tick", first["tick"]}, {"epoch", first["epoch"]}, {"reason", m->reason},
                        {"nodes", restored}, {"at", at},              {"stage_s", stage_s},      {"total_s", since(start)}};
}

Expected<nlohmann::json, Failure> list_snapshots(const topology::Topology& t) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& name : persistence::list_manifests(t.persistence.snapshot_dir)) {
    auto m = persistence::read_manifest(t.persistence.snapshot_dir, name);
    if (!m) {
      out.push_back({{"name", name}, {"error", m.error().message}});
      continue;
    }
    std::uint64_t bytes = 0;
    for (const auto& p : m->parts) bytes += p.bytes;
    out.push_back({{"name", name}, {"tick", m->tick}, {"epoch", m->epoch}, {"reason", m->reason},
                   {"created", persistence::utc_stamp(m->created_unix_ms)}, {"bytes", bytes},
                   {"topology_matches", m->topology_hash == t.source_hash}});
  }
  return out;
}

Expected<nlohmann::json, Failure> prune_snapshots(const topology::Topology& t, NodeClient& client, std::size_t keep) {
  const auto all = persistence::list_manifests(t.persistence.snapshot_dir);
  nlohmann::json removed = nlohmann::json::array();
  for (std::size_t i = 0; i + keep < all.size(); ++i) {
    const std::string& name = all[i];
    auto m = persistence::read_manifest(t.persistence.snapshot_dir, name);
    std::error_code ec;
    std::filesystem::remove(t.persistence.snapshot_dir / name, ec);  // first: it is no longer loadable
    for (const auto& n : t.nodes) {  // each node removes its own parts (they may live on another host)
      if (!m) break;
      std::vector<std::string> files;
      for (const auto& p : m->parts)
        if (p.node == n.id) files.push_back(p.file);
      if (!files.empty()) (void)client.call(n, node_api::remove(files), kQuick);
    }
    removed.push_back(name);
  }
  // Parts no manifest names (a snapshot whose manifest was never written) go too, on every node, judged
  // by this host's manifests - the only complete list. Nothing can be half-written at this moment: prune
  // runs on the control node's one long-command worker, as every snapshot does, so never during one.
  const auto manifests = persistence::list_manifests(t.persistence.snapshot_dir);
  nlohmann::json orphans = nlohmann::json::array();
  for (const auto& n : t.nodes)
    if (auto r = client.call(n, node_api::remove_orphans(manifests), kQuick); r)
      for (const auto& f : (*r)["removed"]) orphans.push_back(f);
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(t.persistence.snapshot_dir, ec)) {  // a manifest's leftover temporary
    const std::string file = entry.path().filename().string();
    if (const auto target = persistence::temporary_of(file); target && persistence::is_manifest_name(*target)) {
      std::error_code rm;
      if (std::filesystem::remove(entry.path(), rm)) orphans.push_back(file);
    }
  }
  return nlohmann::json{{"removed", removed}, {"kept", std::min(keep, all.size())}, {"orphans_removed", orphans}};
}

}  // namespace p3p::control
