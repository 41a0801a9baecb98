#pragma once
// What the metrics port makes of the bytes a client has sent so far: the request head's verdict, apart from
// the socket code so that it can be tested and fuzzed on its own (fuzz/metrics_http_request.cpp).
#include <cstddef>
#include <string_view>

namespace p3p::runtime {

enum class HttpVerdict {
  incomplete,    // no blank line yet and still within the head limit: wait for more
  too_large,     // no blank line within the head limit: 431
  malformed,     // the request line is not "METHOD TARGET HTTP/x": 400
  bad_method,    // not GET or HEAD: 405
  not_found,     // a path other than /metrics (the query is ignored): 404
  metrics_get,   // GET /metrics: 200 with the text
  metrics_head,  // HEAD /metrics: 200 without a body
};

HttpVerdict parse_http_request(std::string_view received, std::size_t max_head);

}  // namespace p3p::runtime
