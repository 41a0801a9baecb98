// Validation across entries: duplicates, references to names, port clashes, the control port, the key file.
#include "test_support.hpp"

namespace p3p::topology::test {

TEST_CASE("duplicate node ids, region names and column ids (across regions)") {
  Fixture f;
  const Errors e = f.load_errors(R"(cluster: {name: t, key_file: k.key}
nodes:
  - {id: nA, host: 127.0.0.1, router_port: 20001, pub_port: 20101, modules: [cortex7]}
  - {id: nA, host: 127.0.0.2, router_port: 20001, pub_port: 20101, modules: [cortex7]}
regions:
  - name: R
    columns:
      - {id: c1, node: nA, preset: cortex7}
  - name: R
    columns:
      - {id: c1, node: nA, preset: cortex7}
)");
  REQUIRE(e.size() == 3);
  CHECK(e[0].line == 4);
  CHECK(e[0].column == 10);
  CHECK(e[0].message == "duplicate node id 'nA' (first defined at line 3)");
  CHECK(e[1].line == 9);
  CHECK(e[1].message == "duplicate region name 'R' (first defined at line 6)");
  CHECK(e[2].line == 11);
  CHECK(e[2].column == 14);
  CHECK(e[2].message == "duplicate column id 'c1' (first defined at line 8)");
}

TEST_CASE("duplicate preset and parameter set names") {
  Fixture f;
  const Errors e = f.load_errors(kHeader + R"(    columns:
      - {id: c1, node: nA, preset: p}
neuron_params:
  fast: {leak: 0.5}
  fast: {leak: 0.6}
presets:
  p: {size: 2}
  p: {size: 3}
)");
  REQUIRE(e.size() == 2);
  CHECK(e[0].line == 11);
  CHECK(e[0].message == "duplicate parameter set name 'fast' in neuron_params (first defined at line 10)");
  CHECK(e[1].line == 14);
  CHECK(e[1].message == "duplicate preset name 'p' in presets (first defined at line 13)");
}

TEST_CASE("a column on an unknown node, with an unknown preset or parameter set") {
  Fixture f;
  const Errors e = f.load_errors(kHeader + R"(    columns:
      - {id: c1, node: nC, preset: cortex7}
      - {id: c2, node: nA, preset: cortex8}
      - {id: c3, node: nA, size: 3, params: fsat}
neuron_params:
  fast: {leak: 0.5}
)");
  REQUIRE(e.size() == 3);
  CHECK(e[0].line == 8);
  CHECK(e[0].column == 24);
  CHECK(e[0].message == "regions[0].columns[0].node: unknown node 'nC'; did you mean 'nA'?");
  CHECK(e[1].line == 9);
  CHECK(e[1].column == 36);
  CHECK(e[1].message == "regions[0].columns[1].preset: unknown preset 'cortex8'; did you mean 'cortex7'?");
  CHECK(e[2].line == 10);
  CHECK(e[2].message == "regions[0].columns[2].params: unknown parameter set 'fsat'; did you mean 'fast'?");
}

TEST_CASE("a projection from or to an unknown column") {
  Fixture f;
  const Errors e = f.load_errors(kHeader + R"(    columns:
      - {id: in, node: nA, preset: cortex7}
      - {id: out, node: nB, preset: cortex7}
projections:
  - {from: inn, to: out, rule: all_to_all, weight: 0.3}
  - {from: in, to: elsewhere, rule: all_to_all, weight: 0.3}
)");
  REQUIRE(e.size() == 2);
  CHECK(e[0].line == 11);
  CHECK(e[0].column == 12);
  CHECK(e[0].message == "projections[0].from: unknown column 'inn'; did you mean 'in'?");
  CHECK(e[1].line == 12);
  CHECK(e[1].message == "projections[1].to: unknown column 'elsewhere'; expected one of: 'in', 'out'");
}

TEST_CASE("a broken entry does not cause errors in the entries that refer to it") {
  Fixture f;
  // The node has no id and the first column no preset/size: references to them are not reported again.
  const Errors e = f.load_errors(R"(cluster: {name: t, key_file: k.key}
nodes:
  - {host: 127.0.0.1, router_port: 20001, pub_port: 20101, modules: [cortex7]}
regions:
  - name: R
    columns:
      - {id: c1, node: nA}
      - {id: c2, node: nA, preset: cortex7}
projections:
  - {from: c1, to: c2, rule: one_to_one, weight: 0.3}
)");
  REQUIRE(e.size() == 2);
  CHECK(e[0].line == 3);
  CHECK(e[0].message == "nodes[0]: missing required key 'id'");
  CHECK(e[1].line == 7);
  CHECK(e[1].message == "regions[0].columns[0]: a column needs 'preset' or 'size'");
}

TEST_CASE("router, pub and metrics ports clash on one host but not across hosts") {
  Fixture f;
  const Errors e = f.load_errors(R"(cluster: {name: t, key_file: k.key}
nodes:
  - {id: nA, host: 127.0.0.1, router_port: 20001, pub_port: 20101, metrics_port: 9464, modules: [cortex7]}
  - {id: nB, host: localhost, router_port: 20101, pub_port: 20102, metrics_port: 9465, modules: [cortex7]}
  - {id: nC, host: 127.0.0.1, router_port: 20003, pub_port: 20003, metrics_port: 9464, modules: [cortex7]}
  - {id: nD, host: 10.0.0.2, router_port: 20001, pub_port: 20101, metrics_port: 9464, modules: [cortex7]}
regions:
  - name: R
    columns:
      - {id: c1, node: nA, preset: cortex7}
)");
  REQUIRE(e.size() == 3);
  CHECK(e[0].line == 4);
  CHECK(e[0].column == 44);
  CHECK(e[0].message ==
        "nodes[1].router_port (nB): port 20101 on host localhost is already used by nodes[0].pub_port (nA) (line 3)");
  CHECK(e[1].line == 5);
  CHECK(e[1].message.find("nodes[2].pub_port (nC): port 20003 on host 127.0.0.1 is already used by "
                          "nodes[2].router_port (nC)") == 0);
  CHECK(e[2].line == 5);
  CHECK(e[2].message.find("nodes[2].metrics_port (nC): port 9464") == 0);
}

TEST_CASE("the control port clashes with a node port on the control node's host") {
  Fixture f;
  const Errors e = f.load_errors(kHeader + R"(    columns:
      - {id: c1, node: nA, preset: cortex7}
control:
  node: nA
  port: 20102
)");
  // nA's modules lack control_port too; both problems are reported.
  REQUIRE(e.size() == 2);
  CHECK(e[0].line == 10);
  CHECK(e[0].message == "control.node: node 'nA' does not run module 'control_port'; add it to its modules");
  CHECK(e[1].line == 11);
  CHECK(e[1].column == 9);
  CHECK(e[1].message.find("control.port: port 20102 on host 127.0.0.1 is already used by nodes[1].pub_port (nB)") == 0);
}

TEST_CASE("the control node must exist and run control_port, and only it may run control_port") {
  Fixture f;
  const std::string nodes = R"(cluster: {name: t, key_file: k.key}
nodes:
  - {id: nA, host: 127.0.0.1, router_port: 20001, pub_port: 20101, modules: [cortex7, control_port]}
  - {id: nB, host: 127.0.0.1, router_port: 20002, pub_port: 20102, modules: [cortex7, control_port]}
regions:
  - name: R
    columns:
      - {id: c1, node: nA, preset: cortex7}
)";
  SECTION("unknown control node") {
    const Errors e = f.load_errors(nodes + "control: {node: nZ}\n");
    REQUIRE(e.size() == 3);
    CHECK(e[0].line == 3);
    CHECK(e[0].message ==
          "node 'nA' runs module 'control_port' but control.node is 'nZ'; only the control node runs it");
    CHECK(e[2].line == 9);
    CHECK(e[2].column == 17);
    CHECK(e[2].message.find("control.node: unknown node 'nZ'") == 0);
  }
  SECTION("no control section") {
    const Errors e = f.load_errors(nodes);
    REQUIRE(e.size() == 2);
    CHECK(e[0].line == 3);
    CHECK(e[0].column == 87);
    CHECK(e[0].message == "node 'nA' runs module 'control_port' but the topology has no 'control' section");
  }
  SECTION("one control node is fine once the other drops the module") {
    std::string yaml = nodes + "control: {node: nA}\n";
    yaml.replace(yaml.find("[cortex7, control_port]}\nregions"), 23, "[cortex7]");
    const Topology t = f.load_ok(yaml);
    REQUIRE(t.control);
    CHECK(t.control->node == "nA");
    CHECK(t.control->host == "127.0.0.1");
    CHECK(t.control->port == 10080);
    CHECK(t.control->max_clients == 64);
    CHECK(t.control->idle_timeout_s == 300);
    CHECK(t.control->line_timeout_s == 10);
  }
  SECTION("the control port's timeouts are read and must be positive") {
    std::string yaml = nodes + "control: {node: nA, idle_timeout_s: 0.5, line_timeout_s: 0.25}\n";
    yaml.replace(yaml.find("[cortex7, control_port]}\nregions"), 23, "[cortex7]");
    const Topology t = f.load_ok(yaml);
    CHECK(t.control->idle_timeout_s == 0.5);
    CHECK(t.control->line_timeout_s == 0.25);
    yaml.replace(yaml.find("line_timeout_s: 0.25"), 20, "line_timeout_s: 0");
    const Errors e = f.load_errors(yaml);
    REQUIRE(e.size() == 1);
    CHECK_THAT(e[0].message, Catch::Contains("control.line_timeout_s"));
  }
}

TEST_CASE("a control host off the loopback interface needs a token") {
  Fixture f;
  const std::string base = R"(cluster: {name: t, key_file: k.key}
nodes:
  - {id: nA, host: 127.0.0.1, router_port: 20001, pub_port: 20101, modules: [control_port]}
regions:
  - name: R
    columns:
      - {id: c1, node: nA, preset: cortex7}
control:
  node: nA
)";
  const Errors e = f.load_errors(base + "  host: 0.0.0.0\n  token: null\n");
  require_single_error(e, 10, 9, "control.host: '0.0.0.0' is not a loopback address, so control.token");
  require_single_error(f.load_errors(base + "  host: 192.168.1.5\n  token: \"\"\n"), 11, 10,
                       "control.token: expected a non-empty string");
  const Topology t = f.load_ok(base + "  host: 0.0.0.0\n  token: s3cret\n");
  CHECK(t.control->token == std::optional<std::string>("s3cret"));
  CHECK(f.load(base + "  host: localhost\n").has_value());
  CHECK(f.load(base + "  host: 127.0.0.5\n").has_value());
  CHECK(f.load(base + "  host: ::1\n").has_value());
}

TEST_CASE("a missing key file names the resolved path and suggests p3pctl keygen") {
  Fixture f;
  const Errors e = f.load_errors(R"(cluster:
  name: t
  key_file: keys/missing.key
nodes:
  - {id: nA, host: 127.0.0.1, router_port: 20001, pub_port: 20101, modules: [cortex7]}
regions:
  - name: R
    columns:
      - {id: c1, node: nA, preset: cortex7}
)");
  const std::string resolved = (f.dir.path() / "keys" / "missing.key").string();
  require_single_error(
      e, 3, 13,
      "cluster.key_file: key file '" + resolved + "' does not exist; create one with `p3pctl keygen " + resolved + "`");
}

TEST_CASE("the key file check can be turned off and a directory is not a key file") {
  Fixture f;
  const std::string yaml = R"(cluster: {name: t, key_file: nokey}
nodes:
  - {id: nA, host: 127.0.0.1, router_port: 20001, pub_port: 20101, modules: [cortex7]}
regions:
  - name: R
    columns:
      - {id: c1, node: nA, preset: cortex7}
)";
  CHECK(load_string(yaml, "t.yaml", f.dir.path(), LoadOptions{false}).has_value());
  std::filesystem::create_directory(f.dir.path() / "nokey");
  require_single_error(f.load_errors(yaml), 1, 30, "is not a regular file");
}

}  // namespace p3p::topology::test

namespace p3p::topology::test {

TEST_CASE("an unreadable control section is reported once, not again for the control_port module") {
  Fixture f;
  const Errors e = f.load_errors(R"(cluster: {name: t, key_file: k.key}
nodes:
  - {id: nA, host: 127.0.0.1, router_port: 20001, pub_port: 20101, modules: [control_port]}
regions:
  - name: R
    columns:
      - {id: c1, node: nA, preset: cortex7}
control: nA
)");
  require_single_error(e, 8, 10, "control: expected a mapping, got 'nA'");
}

}  // namespace p3p::topology::test
