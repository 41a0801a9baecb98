#pragma once
// The control commands, in one table: names, arguments (type, default, range), help text, and whether
// the command is served yet. Everything that takes commands - the JSON-lines port, p3pctl, the scheduler
// - parses against this table (request.hpp), and `list_commands` prints it. The original's names and
// defaults are kept (docs/original.md, "Commands"); new commands are added beside them.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace p3p::control {

enum class ArgType { integer, number, string, boolean, object, pattern, synapses };
std::string_view to_string(ArgType t);

struct ArgSpec {
  std::string name;
  ArgType type = ArgType::integer;
  nlohmann::json fallback;  // null = required (unless `optional`)
  bool optional = false;    // may be absent with no default
  std::optional<double> min, max;
  std::string help;
};

struct CommandSpec {
  std::string name;
  std::string help;
  std::vector<ArgSpec> args;
  std::string not_implemented;  // non-empty: answered with the error `not_implemented`, saying this
  bool long_running = false;    // runs the cluster on (one at a time; another one meanwhile is `busy`)
};

const std::vector<CommandSpec>& command_table();
const CommandSpec* find_command(std::string_view name);
// The spec of a command the caller knows by name (p3pctl's verbs): a name or argument the table lacks is
// a bug, thrown as std::logic_error when p3pctl sets its verbs up, so no verb can drift from the table.
const CommandSpec& command_spec(std::string_view name);
const ArgSpec& arg_spec(const CommandSpec& command, std::string_view arg);
// {"cmd": name, "args": args} for the port, every key of `args` an argument of the spec (else logic_error).
nlohmann::json request_json(const CommandSpec& command, const nlohmann::json& args = nlohmann::json::object());
// The table's name `name` was probably meant to be (closest_match), "" if none is close: for `unknown_command`.
std::string closest_command(std::string_view name);
// What list_commands returns: [{name, help, args: [{name, type, default?, required, min?, max?, help}], implemented}].
nlohmann::json describe_commands();
// The "args" part of it for one list of arguments (experiment_list uses it too).
nlohmann::json describe_args(const std::vector<ArgSpec>& args);

}  // namespace p3p::control
