// pattern_classify refuses what it cannot run, naming what is wrong, before it moves the cluster: arguments
// out of range (the command table, built from the catalog), a pattern longer than the input column, a
// region without its roles or without the plastic projection it learns in.
#include <catch2/catch.hpp>

#include "client/request.hpp"
#include "pattern_support.hpp"

namespace p3p::experiments {
namespace {

topology::Topology load(const std::string& text) {
  auto t = topology::load_string(text, "test.yaml", "/tmp", {.check_key_file = false});
  REQUIRE(t.has_value());
  return std::move(*t);
}

// Runs it on `t`; returns the error, and checks the cluster did not move.
Failure refusal(const topology::Topology& t, const nlohmann::json& args) {
  const test::PatternRun r = test::run_pattern(t, args);
  REQUIRE_FALSE(r.outcome.has_value());
  CHECK(r.driver->tick() == r.first_tick);
  return r.outcome.error();
}

const std::string kHead = R"(
cluster: {name: t, key_file: k}
nodes:
  - {id: a, host: 127.0.0.1, router_port: 20001, pub_port: 20002, modules: [cortex7]}
)";

}  // namespace

TEST_CASE("pattern_classify's arguments out of range are bad_args naming the argument") {
  for (const auto& [name, value] : std::vector<std::pair<std::string, long long>>{
           {"epochs", 0}, {"epochs", 1000000000}, {"pattern_len", 0}, {"test_trials", 0}}) {
    INFO(name << " = " << value);
    auto r = control::make_request("experiment_pattern_classify", {{name, value}});
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == ErrorCode::bad_args);
    CHECK_THAT(r.error().message, Catch::Contains(name));
  }
  CHECK(control::make_request("experiment_pattern_classify", {{"epochs", 20}, {"seed", 3}}).has_value());
}

TEST_CASE("pattern_classify refuses a pattern longer than its input column holds, naming both") {
  const Failure f = refusal(test::default_topology(), test::pattern_args(1, {{"pattern_len", 9}}));
  CHECK(f.code == ErrorCode::bad_args);
  CHECK_THAT(f.message, Catch::Contains("pattern_len 9") && Catch::Contains("pattern_sens_A has 32"));
}

TEST_CASE("pattern_classify on a region without its roles names the missing role") {
  const Failure f = refusal(load(kHead + R"(
regions:
  - name: Region_Pattern
    columns:
      - {id: in, node: a, size: 32, role: input}
      - {id: out, node: a, size: 16}
)"), test::pattern_args(1));
  CHECK(f.code == ErrorCode::bad_args);
  CHECK_THAT(f.message, Catch::Contains("Region_Pattern") && Catch::Contains("'hidden'"));
}

TEST_CASE("pattern_classify on a region without a plastic hidden -> output projection names it") {
  const Failure f = refusal(load(kHead + R"(
regions:
  - name: Region_Pattern
    columns:
      - {id: in, node: a, size: 32, role: input}
      - {id: mid, node: a, size: 32, role: hidden}
      - {id: out, node: a, size: 16, role: output}
projections:
  - {from: in, to: mid, rule: one_to_one, weight: 1.2}
  - {from: mid, to: out, rule: all_to_all, weight: 0.01}
)"), test::pattern_args(1));
  CHECK(f.code == ErrorCode::bad_args);
  CHECK_THAT(f.message, Catch::Contains("plastic projection mid -> out"));
}

TEST_CASE("pattern_classify needs four classes of equal size at its output") {
  const Failure f = refusal(load(kHead + R"(
regions:
  - name: Region_Pattern
    columns:
      - {id: in, node: a, size: 32, role: input}
      - {id: mid, node: a, size: 32, role: hidden}
      - {id: out, node: a, size: 10, role: output}
projections:
  - {from: mid, to: out, rule: all_to_all, weight: 0.01, plastic: true}
)"), test::pattern_args(1));
  CHECK(f.code == ErrorCode::bad_args);
  CHECK_THAT(f.message, Catch::Contains("multiple of 4") && Catch::Contains("not 10"));
}

}  // namespace p3p::experiments
