// The error codes' wire strings are a contract with every client (common/error_code.hpp): this test holds
// the list of them, once, and fails when a code's string changes, a code is added without its string here,
// or a string maps back to another code.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "common/error_code.hpp"

using namespace p3p;

namespace {

// The wire contract, in the enum's order. Never edit a string here to make a change pass: clients match them.
const std::vector<std::string> kWireCodes = {
    "bad_json", "too_deep", "not_object", "missing_cmd", "unknown_command", "bad_args", "not_implemented",
    "too_large", "busy", "unauthorized", "internal",
    "unknown_region", "unknown_column", "unknown_node", "unreachable", "cluster_not_running", "timeout", "stalled",
    "partial_update",
    "snapshot_not_found", "snapshot_corrupt", "topology_mismatch", "io_error",
    "not_here", "not_ready", "conflict", "unknown_target",
    "bad_reply",
    "insufficient_memory",
    "cancelled",
};

}  // namespace

TEST_CASE("every error code has its documented wire string and parses back to itself") {
  REQUIRE(kErrorCodeCount == kWireCodes.size());
  std::set<std::string> seen;
  for (std::size_t i = 0; i < kErrorCodeCount; ++i) {
    const auto code = static_cast<ErrorCode>(i);
    CAPTURE(i);
    CHECK(std::string(to_string(code)) == kWireCodes[i]);
    const auto back = error_code_from_string(kWireCodes[i]);
    REQUIRE(back);
    CHECK(*back == code);
    CHECK(seen.insert(kWireCodes[i]).second);  // no two codes share a string
  }
}

TEST_CASE("a string that names no error code is refused") {
  for (const char* text : {"", "BAD_ARGS", "bad_args ", " bad_args", "bad-args", "bad", "bad_argss", "?", "ok",
                           "needs_snapshot_load"})
    CHECK_FALSE(error_code_from_string(text));
  CHECK(to_string(static_cast<ErrorCode>(kErrorCodeCount)).empty());  // past the last code: no string
}

TEST_CASE("an error code in a JSON or msgpack body is its wire string, not the enum's number") {
  const nlohmann::json body = {{"code", ErrorCode::snapshot_corrupt}, {"message", "m"}};
  CHECK(body.dump() == R"({"code":"snapshot_corrupt","message":"m"})");
  CHECK(nlohmann::json::from_msgpack(nlohmann::json::to_msgpack(body))["code"] == "snapshot_corrupt");
  nlohmann::json j;
  j["code"] = ErrorCode::busy;
  CHECK(j["code"] == "busy");
}

TEST_CASE("a failure's text names its message and its code") {
  CHECK(Failure{ErrorCode::unreachable, "no reply from n1"}.text() == "no reply from n1 (unreachable)");
  CHECK(Failure{}.code == ErrorCode::internal);
}
