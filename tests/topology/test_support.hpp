#pragma once
// Helpers for topology tests: a temporary directory with a key file, and loading YAML written inline.
#include <stdlib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "topology/loader.hpp"

namespace p3p::topology::test {

// A fresh directory under the system temp dir, removed with everything in it when the object goes away.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "p3p-topology-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

  // Writes a file relative to the directory and returns its path.
  std::filesystem::path write(const std::string& name, const std::string& content) const {
    const auto p = path_ / name;
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }

 private:
  std::filesystem::path path_;
};

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
