#include "nodes/control/dispatcher.hpp"

namespace p3p::control {

Expected<nlohmann::json, Failure> Dispatcher::execute(const Request& r) {
  const CommandHandler handle = find_handler(r.cmd);
  // The command table's test keeps every implemented command handled; this answers a bug, not a client.
  if (!handle) return unexpected(Failure{ErrorCode::not_implemented, r.cmd + " is in the command table but has no handler"});
  return handle(context_, r);
}

}  // namespace p3p::control
