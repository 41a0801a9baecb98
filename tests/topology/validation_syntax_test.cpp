// Validation of the file's shape: YAML syntax, unknown keys, value types, required keys.
#include "test_support.hpp"

namespace p3p::topology::test {

TEST_CASE("malformed YAML is an error at the parser's mark, not an exception") {
  Fixture f;
  const Errors e = f.load_errors(R"(cluster: {name: t, key_file: k.key}
nodes: [1, 2
regions: []
)");
  REQUIRE(e.size() == 1);
  CHECK(e[0].file == "t.yaml");
  CHECK(e[0].line == 3);
  CHECK(e[0].message.find("invalid YAML") == 0);
  CHECK(e[0].to_string().rfind("t.yaml:3:", 0) == 0);
}

TEST_CASE("bad indentation and unterminated strings are located errors") {
  Fixture f;
  require_single_error(f.load_errors("cluster:\n  name: t\n   key_file: k.key\n"), 3, 0, "invalid YAML");
  // libyaml reads an unterminated quote to the end of the input and reports it there.
  require_single_error(f.load_errors("cluster: {name: \"t}\n"), 2, 1, "invalid YAML");
}

TEST_CASE("no input ever throws out of the loader") {
  Fixture f;
  const std::vector<std::string> inputs = {
      "",
      "\n\n",
      "---",
      "- 1\n- 2",
      "just text",
      "{",
      "[[[[",
      "a: &x 1\nb: *y",
      "\t\tcluster: 1",
      std::string("\0\xff\xfe key: v", 10),
      "cluster: !!binary x",
      "? [a]\n: 1",
      "--- 1\n--- 2\n",
      std::string(3000, '['),
      "nodes: {a: {b: {c: {d: [1, {e: f}]}}}}",
  };
  for (const std::string& in : inputs) {
    INFO(in.substr(0, 40));
    auto r = f.load(in);
    CHECK_FALSE(r.has_value());
    if (!r) {
      CHECK_FALSE(r.error().empty());
    }
  }
}

TEST_CASE("an empty file and a second document are errors") {
  Fixture f;
  require_single_error(f.load_errors("# only a comment\n"), 1, 1, "empty");
  require_single_error(f.load_errors("cluster: {name: t, key_file: k.key}\n---\nnodes: []\n"), 2, 1,
                       "single YAML document");
}

TEST_CASE("unknown top-level key suggests the close one") {
  Fixture f;
  const Errors e = f.load_errors(kHeader + R"(    columns:
      - {id: c1, node: nA, preset: cortex7}
projection:
  - {from: c1, to: c1, rule: all_to_all, weight: 0.1}
)");
  require_single_error(e, 9, 1, "unknown key 'projection' at top level; did you mean 'projections'?");
}

TEST_CASE("unknown nested keys are errors with a suggestion or the list of keys") {
  Fixture f;
  const Errors e = f.load_errors(R"(cluster: {name: t, key_file: k.key, sed: 3}
nodes:
  - id: nA
    hots: 127.0.0.1
    host: 127.0.0.1
    router_port: 20001
    pub_port: 20101
    modules: [cortex7]
    colour: blue
regions:
  - name: R
    columns:
      - {id: c1, node: nA, preset: cortex7}
)");
  REQUIRE(e.size() == 3);
  CHECK(e[0].line == 1);
  CHECK(e[0].column == 37);
  CHECK(e[0].message == "unknown key 'sed' in cluster; did you mean 'seed'?");
  CHECK(e[1].line == 4);
  CHECK(e[1].column == 5);
  CHECK(e[1].message == "unknown key 'hots' in nodes[0]; did you mean 'host'?");
  CHECK(e[2].line == 9);
  CHECK(e[2].message.find("unknown key 'colour' in nodes[0]; expected one of: 'id', 'host'") == 0);
}

TEST_CASE("a string where an integer is expected is located at the value") {
  Fixture f;
  const Errors e = f.load_errors(R"(cluster: {name: t, key_file: k.key}
nodes:
  - id: nA
    host: 127.0.0.1
    router_port: ten
    pub_port: "20101"
    modules: [cortex7]
regions:
  - name: R
    columns:
      - {id: c1, node: nA, preset: cortex7}
)");
  REQUIRE(e.size() == 2);
  CHECK(e[0].line == 5);
  CHECK(e[0].column == 18);
  CHECK(e[0].message == "nodes[0].router_port: expected an integer >= 1, got 'ten'");
  CHECK(e[1].line == 6);
  CHECK(e[1].column == 15);
  CHECK(e[1].message == "nodes[0].pub_port: expected an integer >= 1, got the string '20101'");
}

TEST_CASE("negative values where unsigned ones are expected") {
  Fixture f;
  const Errors e = f.load_errors(R"(cluster:
  name: t
  key_file: k.key
  seed: -3
  tick_ms: -1
  heartbeat_timeout_ms: 0
nodes:
  - {id: nA, host: 127.0.0.1, router_port: 20001, pub_port: 70000, modules: [cortex7]}
regions:
  - name: R
    columns:
      - {id: c1, node: nA, preset: cortex7}
)");
  REQUIRE(e.size() == 4);
  CHECK(e[0].line == 4);
  CHECK(e[0].column == 9);
  CHECK(e[0].message.find("cluster.seed: expected a non-negative integer") == 0);
  CHECK(e[1].line == 5);
  CHECK(e[1].message == "cluster.tick_ms: expected a non-negative integer, got '-1'");
  CHECK(e[2].line == 6);
  CHECK(e[2].message == "cluster.heartbeat_timeout_ms: expected an integer >= 1, got '0'");
  CHECK(e[3].line == 8);
  CHECK(e[3].column == 61);
  CHECK(e[3].message == "nodes[0].pub_port: expected an integer between 1 and 65535, got '70000'");
}

TEST_CASE("wrong kinds of values: list for mapping, mapping for list, bad boolean, bad number") {
  Fixture f;
  const Errors e = f.load_errors(kHeader + R"(    columns:
      - {id: c1, node: nA, preset: cortex7}
      - {id: c2, node: nB, preset: cortex7}
projections:
  - {from: c1, to: c2, rule: all_to_all, weight: heavy, plastic: maybe}
neuron_params: [1, 2]
jobs: {id: j}
)");
  REQUIRE(e.size() == 4);
  CHECK(e[0].line == 11);
  CHECK(e[0].message == "projections[0].weight: expected a number, got 'heavy'");
  CHECK(e[1].line == 11);
  CHECK(e[1].message == "projections[0].plastic: expected true or false, got 'maybe'");
  CHECK(e[2].line == 12);
  CHECK(e[2].message == "neuron_params: expected a mapping, got a list");
  CHECK(e[3].line == 13);
  CHECK(e[3].message == "jobs: expected a list of jobs, got a mapping");
}

TEST_CASE("missing required keys are reported at the mapping that lacks them") {
  Fixture f;
  const Errors e = f.load_errors(R"(cluster:
  key_file: k.key
nodes:
  - id: nA
    host: 127.0.0.1
    pub_port: 20101
    modules: [cortex7]
)");
  REQUIRE(e.size() == 3);
  CHECK(e[0].line == 1);
  CHECK(e[0].message == "topology: missing required key 'regions'");
  CHECK(e[1].line == 2);
  CHECK(e[1].column == 3);
  CHECK(e[1].message == "cluster: missing required key 'name'");
  CHECK(e[2].line == 4);
  CHECK(e[2].column == 5);
  CHECK(e[2].message == "nodes[0]: missing required key 'router_port'");
}

TEST_CASE("an empty value is located at its key") {
  Fixture f;
  const Errors e = f.load_errors(R"(cluster:
  name:
  key_file: k.key
nodes:
  - {id: nA, host: 127.0.0.1, router_port: 20001, pub_port: 20101, modules: [cortex7]}
regions:
  - name: R
    columns:
      - {id: c1, node: nA, preset: cortex7}
)");
  require_single_error(e, 2, 3, "cluster.name: expected a non-empty string, got nothing (null)");
}

TEST_CASE("errors are sorted by position and all of them are reported") {
  Fixture f;
  const Errors e = f.load_errors(R"(cluster: {name: t, key_file: k.key, seed: x}
nodes:
  - {id: nA, host: 127.0.0.1, router_port: 0, pub_port: 20101, modules: [cortex7, brain]}
regions:
  - name: R
    columns:
      - {id: c1, node: nA, preset: cortex7, size: 0}
projections:
  - {from: c1, to: c1, rule: all_to_all, weight: 0.1, delay: 0}
)");
  REQUIRE(e.size() == 5);
  for (std::size_t i = 1; i < e.size(); ++i) {
    CHECK((e[i - 1].line < e[i].line || (e[i - 1].line == e[i].line && e[i - 1].column <= e[i].column)));
  }
  CHECK(e[0].line == 1);
  CHECK(e[1].line == 3);
  CHECK(e[2].line == 3);
  CHECK(e[3].line == 7);
  CHECK(e[4].line == 9);
}

TEST_CASE("duplicate keys in one mapping are errors") {
  Fixture f;
  const Errors e = f.load_errors(R"(cluster:
  name: t
  name: u
  key_file: k.key
nodes:
  - {id: nA, host: 127.0.0.1, router_port: 20001, pub_port: 20101, modules: [cortex7]}
regions:
  - name: R
    columns:
      - {id: c1, node: nA, preset: cortex7}
)");
  require_single_error(e, 3, 3, "duplicate key 'name' in cluster (first defined at line 2)");
}

}  // namespace p3p::topology::test
