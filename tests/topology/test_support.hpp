#pragma once
// Helpers for topology tests: a temporary directory with a key file, and loading YAML written inline.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "tests/support/temp_dir.hpp"
#include "topology/loader.hpp"

namespace p3p::topology::test {

using p3p::test::TempDir;

// A directory holding a dummy key file "k.key", which the inline topologies name.
struct Fixture {
  TempDir dir;
  Fixture() { dir.write("k.key", std::string(32, 'k')); }

  Expected<Topology, Errors> load(const std::string& yaml) const { return load_string(yaml, "t.yaml", dir.path()); }

  Topology load_ok(const std::string& yaml) const {
    auto r = load(yaml);
    if (!r) FAIL("unexpected errors:\n" << to_string(r.error()));
    return std::move(r).value();
  }

  Errors load_errors(const std::string& yaml) const {
    auto r = load(yaml);
    if (r) FAIL("expected errors, but the topology loaded");
    return r.error();
  }
};

// The error whose message contains `text`; fails the test when there is none.
inline const Error& find_error(const Errors& errors, const std::string& text) {
  for (const Error& e : errors)
    if (e.message.find(text) != std::string::npos) return e;
  FAIL("no error containing '" << text << "' in:\n" << to_string(errors));
  throw std::logic_error("unreachable");
}

// Exactly one error, at line:column, containing `text`.
inline void require_single_error(const Errors& errors, int line, int column, const std::string& text) {
  INFO(to_string(errors));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].line == line);
  if (column > 0) CHECK(errors[0].column == column);
  CHECK(errors[0].message.find(text) != std::string::npos);
}

// A valid header used by tests that only vary later sections: 6 lines, so the next line is line 7.
inline const std::string kHeader = R"(cluster: {name: t, key_file: k.key}
nodes:
  - {id: nA, host: 127.0.0.1, router_port: 20001, pub_port: 20101, modules: [cortex7, mesh]}
  - {id: nB, host: 127.0.0.1, router_port: 20002, pub_port: 20102, modules: [cortex7, mesh]}
regions:
  - name: R
)";

}  // namespace p3p::topology::test
