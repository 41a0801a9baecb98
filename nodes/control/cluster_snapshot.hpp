#pragma once
// Cluster-wide snapshots, driven by the control dispatcher through signed requests to every node
// (node_snapshot.cpp on the node side):
//   take:  hold every node at its next epoch boundary; let the ones behind catch up to the furthest
//          (E); wait until every node is at E with its peers' batches in (nothing in flight anywhere);
//          each node writes its part; the manifest is written last, atomically; release. Retention
//          (persistence.keep) then prunes the oldest.
//   load:  read the manifest (a name in the snapshot dir, or latest) and check its topology hash; every
//          node stages its part (checksum, decode, fit); only if all did: hold every node, restore all
//          with one new generation (so no spike batch from before the load is taken for a loaded epoch),
//          release. Any refusal before the restore changes nothing anywhere.
// Errors (ErrorCode): cluster_not_running, timeout, snapshot_not_found, snapshot_corrupt (naming
// the part), topology_mismatch, bad_args, io_error, and the nodes' own (unreachable, ...).
#include <nlohmann/json.hpp>
#include <string>

#include "common/error_code.hpp"
#include "common/expected.hpp"
#include "client/node_client.hpp"
#include "nodes/control/region_layout.hpp"
#include "nodes/persistence/file_ops.hpp"
#include "topology/topology.hpp"

namespace p3p::control {

// `ops`: how the manifest is written (tests inject failures there); a manifest that cannot be written
// takes the snapshot's parts with it.
Expected<nlohmann::json, Failure> take_snapshot(const topology::Topology& t, NodeClient& client, const std::string& reason,
                                                persistence::FileOps& ops = persistence::posix_file_ops());
Expected<nlohmann::json, Failure> load_snapshot(const topology::Topology& t, NodeClient& client, RegionStore& regions,
                                                const std::string& name);
// [{name, tick, epoch, reason, created, bytes}], oldest first.
Expected<nlohmann::json, Failure> list_snapshots(const topology::Topology& t);
// Removes all but the newest `keep` (manifest first, then every node's parts), then every node's parts that
// no manifest names and the manifests' leftover temporary files: {removed: [names], kept, orphans_removed}.
Expected<nlohmann::json, Failure> prune_snapshots(const topology::Topology& t, NodeClient& client, std::size_t keep);

}  // namespace p3p::control
