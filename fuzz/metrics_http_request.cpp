// The request head a client sends to a node's /metrics port (nodes/runtime/http_request.hpp), judged on
// the bytes received so far. The verdict must not depend on bytes after the head's end, and a head that
// is not complete stays "incomplete" until the limit, then "too_large".
#include "fuzz/fuzz_input.hpp"
#include "nodes/runtime/http_request.hpp"

using namespace p3p;
using runtime::HttpVerdict;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  constexpr std::size_t kMaxHead = 8192;
  const std::string_view in = fuzz::text(data, size);
  const HttpVerdict verdict = runtime::parse_http_request(in, kMaxHead);
  const auto end = in.find("\r\n\r\n");
  if (end == std::string_view::npos) {
    fuzz::require(verdict == (size <= kMaxHead ? HttpVerdict::incomplete : HttpVerdict::too_large),
                  "a head without its end judged as complete");
    return 0;
  }
  fuzz::require(verdict != HttpVerdict::incomplete && verdict != HttpVerdict::too_large, "a complete head not judged");
  fuzz::require(runtime::parse_http_request(in.substr(0, end + 4), kMaxHead) == verdict, "bytes after the head changed the verdict");
  return 0;
}
