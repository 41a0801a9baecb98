// Documents that would make a walk of them never end or never fit: aliases that contain themselves or
// multiply, nesting thousands of levels deep, files of many megabytes. Each is a located error, found fast.
#include <chrono>

#include "test_support.hpp"

namespace p3p::topology::test {
namespace {

const std::string kOneColumn = kHeader + "    columns:\n      - {id: c1, node: nA, preset: cortex7}\n";  // 8 lines

// `levels` anchors, each a list of nine aliases of the one before: 9^levels leaves from a few hundred bytes.
std::string alias_bomb(int levels) {
  std::string out = "jobs:\n  - id: j\n    type: command\n    args:\n      cmd: echo\n";
  out += "      l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int i = 1; i <= levels; ++i) {
    const std::string prev = "*l" + std::to_string(i - 1);
    out += "      l" + std::to_string(i) + ": &l" + std::to_string(i) + " [";
    for (int k = 0; k < 9; ++k) out += (k ? ", " : "") + prev;
    out += "]\n";
  }
  return out;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

TEST_CASE("an alias inside its own anchor is a located error, not an endless walk") {
  Fixture f;
  // Line 13: the key whose value is the alias of the mapping that holds it.
  const Errors e = f.load_errors(kOneColumn + R"(jobs:
  - id: j
    type: command
    args: &a
      cmd: echo
      self: *a
)");
  require_single_error(e, 14, 7, "jobs[0].args.self: an alias refers to a node that contains it");
  CHECK(e[0].message.find("line 12, column 11") != std::string::npos);  // where the anchored mapping starts

  // A list that holds itself, in a section the parsers read rather than in job args.
  const Errors list = f.load_errors(kOneColumn + "projections: &p [*p]\n");
  require_single_error(list, 9, 18, "projections[0]: an alias refers to a node that contains it");
  CHECK(list[0].message.find("line 9, column 14") != std::string::npos);
}

TEST_CASE("an alias of no anchor is a located error") {
  Fixture f;
  require_single_error(f.load_errors(kOneColumn + "projections: [*nowhere]\n"), 9, 15,
                       "projections[0]: alias '*nowhere' names no anchor");
}

TEST_CASE("aliases repeated inside aliases (an alias bomb) are refused quickly, located") {
  Fixture f;
  const auto start = std::chrono::steady_clock::now();
  const Errors e = f.load_errors(kOneColumn + alias_bomb(10));  // 9^10 = 3.5e9 leaves if expanded
  // Expanding it took a minute and 3.9 GB; refusing takes the walk of a mebibyte of nodes. The bound is
  // loose on purpose (a loaded CI machine): it only has to tell milliseconds from a minute.
  CHECK(seconds_since(start) < 10.0);
  REQUIRE(e.size() == 1);
  CHECK(e[0].line > 13);
  CHECK(e[0].column > 0);
  CHECK(e[0].message.find("jobs[0].args.l") == 0);
  CHECK(e[0].message.find("alias bomb") != std::string::npos);
}

TEST_CASE("aliases that share a node without multiplying it load as usual") {
  Fixture f;
  const Topology t = f.load_ok(kHeader + R"(    columns:
      - {id: c1, node: nA, preset: cortex7}
      - {id: c2, node: nB, preset: cortex7}
projections:
  - {from: c1, to: c2, rule: one_to_one, weight: 0.5, plastic: true, plasticity: &slow {a_plus: 0.002}}
  - {from: c2, to: c1, rule: one_to_one, weight: 0.5, plastic: true, plasticity: *slow}
jobs:
  - {id: j, type: command, args: {cmd: echo, a: &x [1, 2], b: *x}}
)");
  REQUIRE(t.projections.size() == 2);
  CHECK(t.projections[1].plasticity.a_plus == 0.002);
  CHECK(t.jobs[0].args_json == R"({"a":[1,2],"b":[1,2]})");
}

TEST_CASE("nesting deeper than the bound is a located error at the first level too deep") {
  Fixture f;
  // The root mapping is level 1, so the 64th '[' opens level 65.
  const std::string prefix = "cluster: ";
  const Errors e = f.load_errors(prefix + std::string(70, '[') + std::string(70, ']') + "\n");
  require_single_error(e, 1, static_cast<int>(prefix.size()) + 64, "nested deeper than 64 levels");

  // 100,000 levels: the parser stops at the same place, without reading (or recursing into) the rest.
  const auto start = std::chrono::steady_clock::now();
  const Errors deep = f.load_errors(prefix + std::string(100000, '[') + std::string(100000, ']') + "\n");
  CHECK(seconds_since(start) < 10.0);
  require_single_error(deep, 1, static_cast<int>(prefix.size()) + 64, "nested deeper than 64 levels");

  // The same in block style: mappings inside mappings.
  std::string block;
  for (int i = 0; i < 70; ++i) block += std::string(static_cast<std::size_t>(2 * i), ' ') + "k" + std::to_string(i) + ":\n";
  const Errors b = f.load_errors(block);
  require_single_error(b, 64, 127, "nested deeper than 64 levels");
}

TEST_CASE("a file over the size bound is refused before it is parsed") {
  Fixture f;
  const std::string big = "# " + std::string(kMaxFileBytes, 'x') + "\n";
  const Errors e = f.load_errors(big);
  REQUIRE(e.size() == 1);
  CHECK(e[0].line == 0);
  CHECK(e[0].message.find("at most " + std::to_string(kMaxFileBytes) + " bytes (64 MiB)") != std::string::npos);

  f.dir.write("big.yaml", big);
  auto r = load_file(f.dir / "big.yaml");
  REQUIRE(!r);
  CHECK(r.error()[0].message.find("64 MiB") != std::string::npos);
}

}  // namespace p3p::topology::test

namespace p3p::topology::test {

// Each of these made yaml-cpp 0.7 (used before libyaml) loop, allocating, until memory ran out (found by
// fuzz/topology_yaml.cpp); each is a located error.
TEST_CASE("a ',' outside the topology's root mapping is a located error, not a parser that never returns") {
  Fixture f;
  const auto start = std::chrono::steady_clock::now();
  const std::string after_root = "<document start> (text after the end of the document's root node)";
  const struct {
    std::string yaml;
    int line, column;
    std::string says;
  } cases[] = {
      {", a\n", 1, 1, "did not find expected node content"},
      {"\"q\" ,\n", 1, 5, after_root},
      {"[1] ,\n", 1, 5, after_root},
      {"{cluster: {}} ,\n", 1, 15, after_root},
      {"!!map {cluster: {}} ,\n", 1, 21, after_root},
      {"cluster: {}\n...\n,\n", 3, 1, after_root},
      {"cluster: {}\n---\n,}\n", 2, 1, "another one starts here"},
      {"      - {a: b}\n , node: nodeC}\n", 2, 2, after_root},
  };
  for (const auto& c : cases) {
    INFO(c.yaml);
    const Errors e = f.load_errors(c.yaml);
    REQUIRE(e.size() == 1);
    CHECK(e[0].line == c.line);
    CHECK(e[0].column == c.column);
    CHECK(e[0].message.find(c.says) != std::string::npos);
  }
  CHECK(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() < 10.0);
  // A flow-mapping root followed by a comment, and an indented root, are still read.
  CHECK(f.load_errors("{cluster: {}}  # a comment\n").front().message.find("invalid YAML") == std::string::npos);
  CHECK(f.load_errors("  cluster: {}\n  nodes: []\n").front().message.find("invalid YAML") == std::string::npos);
}

}  // namespace p3p::topology::test
