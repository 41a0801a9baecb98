#pragma once
// The server half of the control commands: one handler per implemented command of the command table
// (client/command_table.cpp holds the other half - names, arguments, help - because p3pctl reads it
// too and links no server code). The dispatcher looks a request's command up here; nothing else
// matches command names. tests/control/command_handlers_test.cpp fails when an implemented command has
// no handler, or a handler names no command or one that is not implemented.
//
// A new command: its spec in client/command_table.cpp, its handler in command_handlers.cpp (+ tests).
#include <atomic>
#include <nlohmann/json.hpp>
#include <span>
#include <string_view>

#include "client/node_client.hpp"
#include "client/request.hpp"
#include "common/error_code.hpp"
#include "common/expected.hpp"
#include "nodes/control/region_layout.hpp"
#include "topology/topology.hpp"

namespace p3p::control {

// What a handler works with: the cluster, a client to its nodes, the region layout, and the flag set
// when the control node stops (a command waiting on the cluster then gives up; may be null).
class ExperimentState;  // experiment_commands.hpp

struct CommandContext {
  const topology::Topology& topo;
  NodeClient& client;
  RegionStore& regions;
  const std::atomic<bool>* cancel = nullptr;
  ExperimentState* experiments = nullptr;  // the running experiment, shared by both workers (null: none yet)
};

using CommandResult = Expected<nlohmann::json, Failure>;
// Serves one request already checked against its spec: every argument present, typed, in range.
using CommandHandler = CommandResult (*)(CommandContext& cx, const Request& request);

struct HandlerEntry {
  std::string_view command;
  CommandHandler handle;
};

std::span<const HandlerEntry> command_handlers();
// The handler of `command`, or null. Every experiment_<name> shares one.
CommandHandler find_handler(std::string_view command);

}  // namespace p3p::control
