#pragma once
// Metrics: what a node counts (runtime/metrics, node_metrics.cpp), how the control node gathers them
// (the `metrics` command), and the three ways out - the Prometheus text exposition each node serves at
// /metrics, the metrics dump file (written by nodes/control/metrics_dump.hpp), and the original's summary text.
//
// A node's metrics document:
//   {"node", "unix_ms", "state", "tick", "epochs", "neurons", "synapses", "spikes",
//    "columns": [{"id", "region", "neurons", "spikes", "per_neuron"?: [count...]}],   (local columns)
//    "regions": {name: spikes},                                                     (local columns only)
//    "envelopes": {"sent", "received", "rejected": {reason: n}},
//    "dropped": {"misaddressed", "bad_batch", "stale_batch", "misshapen"},
//    "telemetry": {"published", "dropped"},
//    "commands"?: {"served", "errors": {code: n}},                                   (the control node)
//    "exchange": {"bounds_us": [...], "cumulative": [...], "count", "sum_us"},       (epoch barrier waits)
//    "snapshots": {"saved", "save_seconds", "loaded", "load_seconds"}}
//
// The cluster's (the `metrics` command's result, and the dump file, format "p3p-metrics/1"):
//   {"format", "cluster", "unix_ms", "written" (UTC),
//    "spike_counts": {"<node>.<column>.<neuron>": n},   (the original's keys; with per-neuron counts only)
//    "region_spike_counts": {region: n}, "node_spike_counts": {node: n}, "last_t": {node: tick},
//    "total_spikes", "nodes": {id: node document, or {"error": ...} for a node that did not answer}}
#include <nlohmann/json.hpp>
#include <string>

namespace p3p::control {

// The Prometheus text exposition format (version 0.0.4) of one node's document: p3p_ names, units in the
// names, node/region/column labels.
std::string prometheus_text(const nlohmann::json& node_metrics);

// The cluster document from every node's (by node id; a string value = that node's error).
nlohmann::json cluster_metrics(const std::string& cluster, const nlohmann::json& per_node);

// The original's summary: "==== METRICS SUMMARY ====", total spikes, spikes per node and per region, the
// top neurons (when per-neuron counts are in), the last tick per node.
std::string metrics_summary(const nlohmann::json& cluster);

}  // namespace p3p::control
