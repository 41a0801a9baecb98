#pragma once
// The default topology in a temp dir with free ports and a fresh key, for tests that bring it up with
// `p3pctl up`; and a guard that brings it down whatever happens in the test.
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/text_file.hpp"

namespace p3p::test {

inline std::filesystem::path default_topology_with_free_ports(const TempDir& dir) {
  std::string text = read_file(std::string(P3P_SOURCE_DIR) + "/topology/default.yaml");
  for (const char* port : {"10001", "10002", "10003", "10101", "10102", "10103", "9464", "9465", "9466", "10080"})
    replace_all(text, std::string(": ") + port, ": " + std::to_string(free_tcp_port()));
  const auto yaml = dir / "default.yaml";
  std::ofstream(yaml) << text;
  REQUIRE(run_process({built_binary("cli/p3pctl"), "keygen", (dir / "cluster.key").string()}).exit_code == 0);
  return yaml;
}

// Whatever happens in the test, the nodes `up` started are stopped at the end.
struct DownOnExit {
  std::vector<std::string> argv;
  ~DownOnExit() { run_process(argv, std::chrono::seconds(30)); }
};

}  // namespace p3p::test
