#pragma once
// The error codes of the wire: what the control port answers, what a node's `error` reply carries, what a
// call on the simulation thread fails with, what p3pctl reports. One enum and, in to_string, its strings
// as they travel (JSON lines, msgpack bodies, logs, metrics labels). The strings are a contract with every
// client: never rename one; add a code only when a client must tell a new case apart. This is the one
// list of them (the README points here).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace p3p {

// What each code tells a client. The enum counts from 0 without gaps (kErrorCodeCount relies on it).
enum class ErrorCode {
  // A control line that is not a request (the control port's parser), or a request that does not fit.
  bad_json,             // not JSON (also a number out of range such as 1e400, or a NUL byte in the line)
  too_deep,             // arrays and objects nested deeper than the parser allows (256 levels)
  not_object,           // JSON, but not an object {"cmd": ...}
  missing_cmd,          // no "cmd" naming a command
  unknown_command,      // no such command; the message names the closest one (list_commands lists them)
  bad_args,             // an argument is missing, unknown, of the wrong type or out of range; the message names it
  not_implemented,      // the command is listed but not served by this build
  // The control port itself.
  too_large,            // a line over the port's limit (1 MiB): the lines before it are answered, then it closes
  busy,                 // another long command is running, or every client slot has a request in flight: retry
  unauthorized,         // the port needs a token and the request carried none or another
  internal,             // a bug met on the serving side; the request may be half served, the server runs on
  // The cluster, as the control node sees it.
  unknown_region,       // no region of that name in the cluster's regions
  unknown_column,       // no column of that name in the topology (or in the region named)
  unknown_node,         // no node of that name in the topology
  unreachable,          // a node did not answer in time (down, or the network between)
  cluster_not_running,  // a node is not in a state to do it (the message names the node, its state and why)
  timeout,              // the nodes did not come to rest at one epoch boundary in time (snapshots)
  stalled,              // no node's tick moved for the command's bound; the message names every node and tick
  partial_update,       // a node vanished between the two phases of update_regions; the message names who applied it
  // Snapshots.
  snapshot_not_found,   // no snapshot of that name (or none at all) in the snapshot dir
  snapshot_corrupt,     // a manifest or part is unreadable, fails its checksum, or contradicts itself (named)
  topology_mismatch,    // the snapshot was taken with another topology
  io_error,             // a snapshot file could not be written
  // A node's own answers to a request.
  not_here,             // the column lives on another node (named in the message)
  not_ready,            // the node's engine is still starting or has failed, or it is not held where asked
  conflict,             // the request needs a step that did not happen (nothing staged, no such version prepared)
  unknown_target,       // the node serves no such module/request
  // What a client of a node says of its reply.
  bad_reply,            // the reply was refused (signature, replay) or unreadable, or named no known code
  // p3pctl validate.
  insufficient_memory,  // the topology needs more memory on a host than the machine has
  cancelled,            // an experiment stopped at its next step on request (experiment_cancel, Ctrl-C)
};

// The wire string of a code; empty for a value that is no ErrorCode.
constexpr std::string_view to_string(ErrorCode code) {
  switch (code) {  // no default: -Wswitch (an error here) names a code without its string
    case ErrorCode::bad_json: return "bad_json";
    case ErrorCode::too_deep: return "too_deep";
    case ErrorCode::not_object: return "not_object";
    case ErrorCode::missing_cmd: return "missing_cmd";
    case ErrorCode::unknown_command: return "unknown_command";
    case ErrorCode::bad_args: return "bad_args";
    case ErrorCode::not_implemented: return "not_implemented";
    case ErrorCode::too_large: return "too_large";
    case ErrorCode::busy: return "busy";
    case ErrorCode::unauthorized: return "unauthorized";
    case ErrorCode::internal: return "internal";
    case ErrorCode::unknown_region: return "unknown_region";
    case ErrorCode::unknown_column: return "unknown_column";
    case ErrorCode::unknown_node: return "unknown_node";
    case ErrorCode::unreachable: return "unreachable";
    case ErrorCode::cluster_not_running: return "cluster_not_running";
    case ErrorCode::timeout: return "timeout";
    case ErrorCode::stalled: return "stalled";
    case ErrorCode::partial_update: return "partial_update";
    case ErrorCode::snapshot_not_found: return "snapshot_not_found";
    case ErrorCode::snapshot_corrupt: return "snapshot_corrupt";
    case ErrorCode::topology_mismatch: return "topology_mismatch";
    case ErrorCode::io_error: return "io_error";
    case ErrorCode::not_here: return "not_here";
    case ErrorCode::not_ready: return "not_ready";
    case ErrorCode::conflict: return "conflict";
    case ErrorCode::unknown_target: return "unknown_target";
    case ErrorCode::bad_reply: return "bad_reply";
    case ErrorCode::insufficient_memory: return "insufficient_memory";
    case ErrorCode::cancelled: return "cancelled";
  }
  return {};
}

// How many codes there are: the first value without a string ends the enum.
inline constexpr std::size_t kErrorCodeCount = [] {
  std::size_t n = 0;
  while (!to_string(static_cast<ErrorCode>(n)).empty()) ++n;
  return n;
}();

// The code a received string names, or nothing: a client meets codes it does not know (a newer peer, a
// forged reply) and must not take them for one it does.
constexpr std::optional<ErrorCode> error_code_from_string(std::string_view text) {
  for (std::size_t i = 0; i < kErrorCodeCount; ++i)
    if (to_string(static_cast<ErrorCode>(i)) == text) return static_cast<ErrorCode>(i);
  return std::nullopt;
}

// nlohmann::json finds this by ADL: a code put in a JSON (or msgpack) body is its wire string, never the
// enum's number (what nlohmann would write for an enum otherwise).
template <class Json>
void to_json(Json& j, ErrorCode code) {
  j = to_string(code);
}

// What every boundary returns when it does not serve: a stable code for programs and a message for people.
struct Failure {
  ErrorCode code = ErrorCode::internal;
  std::string message;
  std::string text() const { return message + " (" + std::string(to_string(code)) + ")"; }
};

}  // namespace p3p
