#pragma once
// Every request a node serves, with its arguments: name, type, whether required, and range. The node
// checks a request's body against its row before serving it, so no handler ever sees a value out of its
// range (a client that skips the control port - p3pctl, a peer, a bug - meets the same limits), and the
// limits live in one place. Handlers read the checked values; what a table cannot say (a column on this
// node, a snapshot file name) they still check themselves.
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error_code.hpp"
#include "common/expected.hpp"

namespace p3p::runtime {

enum class ArgKind { integer, number, boolean, string, list, map };

struct RequestArg {
  const char* name;
  ArgKind kind;
  bool required;
  // integer, number: the closed range [lo, hi]
  double lo = -std::numeric_limits<double>::max();
  double hi = std::numeric_limits<double>::max();
};

struct RequestSpec {
  std::string_view module;
  std::string_view kind;
  std::vector<RequestArg> args;
};

inline Failure bad_args(std::string message) { return {ErrorCode::bad_args, std::move(message)}; }

// The largest |current| one stimulation item may inject (the engine clamps to the same).
inline constexpr double kMaxItemCurrent = 1e6;

// The row for module/kind, or null: not a request of the table.
const RequestSpec* find_request(std::string_view module, std::string_view kind);

// bad_args naming the first argument that is missing, of the wrong type or out of range. `body` is a map.
Expected<void, Failure> check_request(const RequestSpec& spec, const nlohmann::json& body);

}  // namespace p3p::runtime
