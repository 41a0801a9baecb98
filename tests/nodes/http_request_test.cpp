// The metrics port's verdict on a request head (nodes/runtime/http_request.hpp), apart from its socket.
#include <catch2/catch.hpp>
#include <string>

#include "nodes/runtime/http_request.hpp"

using p3p::runtime::HttpVerdict;
using p3p::runtime::parse_http_request;

TEST_CASE("http request head: GET and HEAD of /metrics, with or without a query") {
  CHECK(parse_http_request("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", 8192) == HttpVerdict::metrics_get);
  CHECK(parse_http_request("GET /metrics?name=x HTTP/1.0\r\n\r\n", 8192) == HttpVerdict::metrics_get);
  CHECK(parse_http_request("HEAD /metrics HTTP/1.1\r\n\r\n", 8192) == HttpVerdict::metrics_head);
}

TEST_CASE("http request head: other paths, methods and malformed lines are told apart") {
  CHECK(parse_http_request("GET / HTTP/1.1\r\n\r\n", 8192) == HttpVerdict::not_found);
  CHECK(parse_http_request("GET /metricsx HTTP/1.1\r\n\r\n", 8192) == HttpVerdict::not_found);
  CHECK(parse_http_request("POST /metrics HTTP/1.1\r\n\r\n", 8192) == HttpVerdict::bad_method);
  CHECK(parse_http_request("GET /metrics\r\n\r\n", 8192) == HttpVerdict::malformed);
  CHECK(parse_http_request("GET /metrics FTP/1.1\r\n\r\n", 8192) == HttpVerdict::malformed);
  CHECK(parse_http_request("\r\n\r\n", 8192) == HttpVerdict::malformed);
}

TEST_CASE("http request head: without its blank line it waits, up to the limit") {
  CHECK(parse_http_request("", 8192) == HttpVerdict::incomplete);
  CHECK(parse_http_request("GET /metrics HTTP/1.1\r\nHost: x\r\n", 8192) == HttpVerdict::incomplete);
  CHECK(parse_http_request(std::string(8192, 'a'), 8192) == HttpVerdict::incomplete);
  CHECK(parse_http_request(std::string(8193, 'a'), 8192) == HttpVerdict::too_large);
}
