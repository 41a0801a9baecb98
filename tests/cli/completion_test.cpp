// `p3pctl completion` prints a bash script that really completes: verbs, a verb's options, output formats
// and, for `call`, a request per control command of the table.
#include <catch2/catch.hpp>
#include <fstream>

#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

using p3p::test::built_binary;
using p3p::test::run_process;

namespace {
// What bash's completion function offers for the words typed so far (the last one being completed).
std::string complete(const std::string& words, const std::string& cwd = {}) {
  const std::string script = "source <(" + built_binary("cli/p3pctl") + " completion) && COMP_WORDS=(" + words +
                             ") && COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )) && _p3pctl && echo \"${COMPREPLY[*]}\"";
  auto r = run_process({"/bin/bash", "-c", script}, std::chrono::seconds(30), cwd);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return r.out;
}
}  // namespace

TEST_CASE("bash completion from the verbs and the command table") {
  CHECK(complete("p3pctl st") == "status stimulate\n");
  CHECK(complete("p3pctl demo --st") == "--stim-cycles\n");
  CHECK(complete("p3pctl status -o y") == "yaml\n");
  CHECK(complete("p3pctl call \"'{\\\"cmd\\\":\\\"run\"") == "'{\"cmd\":\"run_demo\"}'\n");
  CHECK_THAT(complete("p3pctl call \"'{\\\"cmd\\\":\\\"experiment_s\""),
             Catch::Contains("experiment_seq_gen") && Catch::Contains("experiment_seizure_detect"));
}

TEST_CASE("completion follows the verb tree: subcommands, fixed words, files, per-verb option values") {
  CHECK_THAT(complete("p3pctl snapshot ''"), Catch::StartsWith("create list load prune "));
  CHECK_THAT(complete("p3pctl watch ''"), Catch::Contains("spikes metrics events"));
  CHECK(complete("p3pctl watch m") == "metrics\n");
  CHECK(complete("p3pctl snapshot create -o j") == "json\n");
  CHECK(complete("p3pctl snapshot load --top") == "--topology\n");
  CHECK(complete("p3pctl experiment l") == "list\n");
  p3p::test::TempDir dir;
  std::ofstream(dir / "topo-one.yaml") << "x";
  std::ofstream(dir / "topo-two.yaml") << "x";
  const std::string files = complete("p3pctl up topo", dir.path().string());  // in directory order
  CHECK((files == "topo-one.yaml topo-two.yaml\n" || files == "topo-two.yaml topo-one.yaml\n"));
  CHECK(complete("p3pctl validate topo-o", dir.path().string()) == "topo-one.yaml\n");
  CHECK(complete("p3pctl up --ti", dir.path().string()) == "--timeout\n");  // a flag, not a file
}
