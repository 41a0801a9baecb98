#pragma once
// One control request, parsed once and checked against the command table: what every entry point (the
// JSON-lines port, p3pctl, the scheduler) hands to the dispatcher. Errors are values with stable codes
// (common/error_code.hpp):
//   bad_json (also a number out of range, e.g. 1e400, or a NUL byte), too_deep (nested deeper than
//   kMaxJsonDepth), not_object, missing_cmd, unknown_command (naming the closest command), bad_args (naming the
//   argument), not_implemented - plus, from the port and the dispatcher: too_large, busy, unauthorized,
//   internal, and the dispatcher's own (e.g. unknown_region, unreachable).
// Reply lines: {"ok": true, "cmd", "result"} or {"ok": false, "cmd", "error": {code, message}}, with the
// request's "id" copied when it had one.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "common/error_code.hpp"
#include "common/expected.hpp"
#include "client/command_table.hpp"

namespace p3p::control {

// Arrays and objects nested deeper than this are refused (too_deep) before parsing.
inline constexpr std::size_t kMaxJsonDepth = 256;

struct Request {
  const CommandSpec* spec = nullptr;
  std::string cmd;
  nlohmann::json args = nlohmann::json::object();  // every argument of the spec, defaults applied
};

// What a line turned into: the request, or the error to answer; `id` and `cmd` as far as they could be read.
struct ParsedLine {
  nlohmann::json id;       // null when the request had none
  std::string cmd;         // empty when there was none
  std::optional<std::string> token;  // "token", when the request carried one (non-loopback ports need it)
  Expected<Request, Failure> request = unexpected(Failure{ErrorCode::internal, "not parsed"});
};

ParsedLine parse_line(std::string_view line);
// The same checks for a request that is already a JSON value (p3pctl call, the scheduler).
Expected<Request, Failure> make_request(const std::string& cmd, const nlohmann::json& args);
// The arguments checked against `spec` (unknown ones, types, ranges: bad_args naming the argument), defaults
// filled in: what make_request does after finding the command.
Expected<nlohmann::json, Failure> check_args(const CommandSpec& spec, const nlohmann::json& args);

std::string reply_line(const ParsedLine& line, const Expected<nlohmann::json, Failure>& outcome);
std::string error_reply(const ParsedLine& line, ErrorCode code, std::string message);
// The same line for an ok result already serialised (a cached status): no JSON work per request.
std::string reply_line_ok(const ParsedLine& line, const std::string& result_text);

}  // namespace p3p::control
