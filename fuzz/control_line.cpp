// One line of the control port (JSON lines, client/request.hpp), as the port handles it: parsed and
// checked against the command table, then answered. A request that parses is complete (defaults applied),
// so checking it again must give the same request.
#include "fuzz/fuzz_input.hpp"
#include "client/request.hpp"

using namespace p3p;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const control::ParsedLine line = control::parse_line(fuzz::text(data, size));
  if (!line.request) {
    fuzz::require(!to_string(line.request.error().code).empty(), "an error without a code");
    (void)control::reply_line(line, unexpected(line.request.error()));
    return 0;
  }
  const control::Request& r = *line.request;
  const auto again = control::make_request(r.cmd, r.args);
  fuzz::require(again && again->spec == r.spec && again->args == r.args, "a parsed request does not check again the same");
  (void)control::reply_line(line, nlohmann::json(r.args));
  (void)control::reply_line_ok(line, "{}");
  return 0;
}
