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
// The table's name closest to `name` (edit distance), for `unknown_command` messages.
std::string closest_command(std::string_view name);
// What list_commands returns: [{name, help, args: [{name, type, default?, required, min?, max?, help}], implemented}].
nlohmann::json describe_commands();

}  // namespace p3p::control
