// The man pages are the programs' own help texts: every verb and sub-verb of p3pctl has its section with
// what its --help says, and man renders them without a warning.
#include <catch2/catch.hpp>

#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

using p3p::test::built_binary;
using p3p::test::run_process;

namespace {
// The page as man shows it (plain text).
std::string rendered_page(const std::string& program, const std::string& name) {
  p3p::test::TempDir dir;
  const std::string page = (dir / (name + ".1.gz")).string();
  auto made = run_process({std::string(P3P_SOURCE_DIR) + "/scripts/man-page.sh", program, name, "a summary", page});
  INFO(made.err);
  REQUIRE(made.exit_code == 0);
  auto shown = run_process({"/usr/bin/man", "-l", page}, std::chrono::seconds(30), {}, {"LC_ALL=C.UTF-8", "MANWIDTH=200"});
  INFO(shown.err);
  REQUIRE(shown.exit_code == 0);
  CHECK(shown.err.empty());  // no roff warning
  return shown.out;
}
}  // namespace

TEST_CASE("man pages generated from the help text") {
  const std::string ctl = built_binary("cli/p3pctl");
  const std::string page = rendered_page(ctl, "p3pctl");
  CHECK_THAT(page, Catch::Contains("p3pctl - a summary"));
  for (const char* verb : {"up", "down", "status", "watch", "snapshot", "completion"}) {
    INFO(verb);
    CHECK_THAT(page, Catch::Contains(std::string("Usage: p3pctl ") + verb + " "));
  }
  CHECK_THAT(page, Catch::Contains("Usage: p3pctl snapshot create") && Catch::Contains("Usage: p3pctl experiment results"));
  // The help text, word for word: each line of `down --help` is a line of the page (indented).
  const auto help = run_process({ctl, "down", "--help"}).out;
  std::size_t lines = 0;
  for (std::size_t at = 0, end; (end = help.find('\n', at)) != std::string::npos; at = end + 1) {
    const std::string line = help.substr(at, end - at);
    if (line.empty()) continue;
    INFO(line);
    CHECK_THAT(page, Catch::Contains(line));
    ++lines;
  }
  CHECK(lines >= 5);

  const std::string node = rendered_page(built_binary("nodes/p3p-node"), "p3p-node");
  CHECK_THAT(node, Catch::Contains("Usage: p3p-node [OPTIONS]") && Catch::Contains("--log-level") &&
                       Catch::Contains("Usage: p3p-node bench"));
  CHECK_THAT(node, !Catch::Contains(built_binary("nodes/p3p-node")));  // named, not the build's path
}
