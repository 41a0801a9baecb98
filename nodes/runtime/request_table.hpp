#pragma once
// Every request a node serves, one row each, keyed by its id (client/node_requests.hpp names them for
// both sides): its arguments - name, type, whether required, and range - and its handler. The node
// checks a request's body against its row before serving it, so no handler ever sees a value out of its
// range (a client that skips the control port - p3pctl, a peer, a bug - meets the same limits), and the
// limits live in one place. Handlers read the checked values; what a table cannot say (a column on this
// node, a snapshot file name) they still check themselves.
//
// A new request: its id, name and builder in client/node_requests.*, its row here and its handler (a
// Node member) - tests/nodes/unit_test.cpp fails when an id has no row or two.
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bus/bytes.hpp"
#include "client/node_requests.hpp"
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

class Node;

// Where a client's reply goes: its DEALER's routing id and the sender name it signed with.
struct ReplyTo {
  bus::Bytes identity;
  std::string sender;
};

using RequestHandler = void (Node::*)(const nlohmann::json& body, const ReplyTo& to);

struct RequestSpec {
  node_api::RequestId id;
  std::vector<RequestArg> args;
  RequestHandler serve = nullptr;
  bool needs_engine = true;  // refused not_ready until the engine is built (and once it has failed)
  bool any_body = false;     // served whatever its body (echo/ping returns it): no argument checks
};

// Every row, in no particular order.
const std::vector<RequestSpec>& request_table();

inline Failure bad_args(std::string message) { return {ErrorCode::bad_args, std::move(message)}; }

// The largest |current| one stimulation item may inject (the engine clamps to the same).
inline constexpr double kMaxItemCurrent = 1e6;

// The row for module/kind, or null: not a request of the table.
const RequestSpec* find_request(std::string_view module, std::string_view kind);
const RequestSpec* find_request(node_api::RequestId id);

// bad_args naming the first argument that is missing, of the wrong type or out of range. `body` is a map.
Expected<void, Failure> check_request(const RequestSpec& spec, const nlohmann::json& body);

}  // namespace p3p::runtime
