#include "nodes/runtime/http_request.hpp"

namespace p3p::runtime {

HttpVerdict parse_http_request(std::string_view received, std::size_t max_head) {
  if (received.find("\r\n\r\n") == std::string_view::npos)
    return received.size() <= max_head ? HttpVerdict::incomplete : HttpVerdict::too_large;
  const std::string_view line = received.substr(0, received.find("\r\n"));
  const auto sp1 = line.find(' '), sp2 = line.rfind(' ');
  if (sp1 == std::string_view::npos || sp2 == sp1 || line.compare(sp2 + 1, 5, "HTTP/") != 0) return HttpVerdict::malformed;
  const std::string_view method = line.substr(0, sp1), target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  if (method != "GET" && method != "HEAD") return HttpVerdict::bad_method;
  if (target.substr(0, target.find('?')) != "/metrics") return HttpVerdict::not_found;
  return method == "HEAD" ? HttpVerdict::metrics_head : HttpVerdict::metrics_get;
}

}  // namespace p3p::runtime
