// The node's requests are named once (client/node_requests.hpp) and served by one table
// (nodes/runtime/request_table.cpp): every name has exactly one row with a handler, every row a name.
#include <catch2/catch.hpp>
#include <map>
#include <string>

#include "client/node_requests.hpp"
#include "nodes/runtime/request_table.hpp"

using namespace p3p;

TEST_CASE("request table: every declared request has exactly one row with a handler, and every row is declared") {
  std::map<node_api::RequestId, int> rows;
  for (const runtime::RequestSpec& r : runtime::request_table()) {
    const node_api::RequestName& name = node_api::name_of(r.id);
    INFO(std::string(name.module) + "/" + std::string(name.kind));
    CHECK(r.serve != nullptr);
    ++rows[r.id];
  }
  for (const node_api::RequestName& name : node_api::kRequests) {
    INFO(std::string(name.module) + "/" + std::string(name.kind));
    CHECK(rows[name.id] == 1);
    const runtime::RequestSpec* row = runtime::find_request(name.module, name.kind);
    REQUIRE(row != nullptr);
    CHECK(row->id == name.id);
  }
  CHECK(rows.size() == node_api::kRequests.size());
  CHECK(runtime::find_request("runtime", "no_such_request") == nullptr);
}

TEST_CASE("request builders: each names its request and builds the body the node's row accepts") {
  using namespace node_api;
  const NodeCall calls[] = {status(), run_until(7), run_until(7, true), pause(true), set_pacing(10), metrics(true),
                            regions_prepare(2, nlohmann::json::object()), regions_commit(2), regions_abort(2),
                            stimulate("col", nlohmann::json::array({{{"neuron", 0}, {"current", 1.0}}}), 3, 40),
                            reward(0.5), set_thresholds(0.4), weights("col"), hold(), hold(3), release(),
                            save("m.manifest"), stage("m.A.part", "00"), restore(1), drop(), node_api::remove({"a"}),
                            remove_orphans({"b"}), ping(5)};
  for (const NodeCall& c : calls) {
    INFO(std::string(c.module()) + "/" + std::string(c.kind()) + " " + c.body.dump());
    const runtime::RequestSpec* row = runtime::find_request(c.module(), c.kind());
    REQUIRE(row != nullptr);
    CHECK(c.body.is_object());
    CHECK(runtime::check_request(*row, c.body));
  }
  CHECK(run_until(7).body == nlohmann::json{{"tick", 7}});  // without wait, the body of before
  CHECK(run_until(7, true).body == nlohmann::json{{"tick", 7}, {"wait", true}});
  CHECK(stimulate("c", nlohmann::json::array()).body == nlohmann::json{{"column", "c"}, {"pattern", nlohmann::json::array()}});
}
