// What p3pctl says about a command line it cannot run: the word that is wrong, with a did-you-mean from the
// one closest_match rule, never CLI11's internals; exit 2 (usage).
#include <catch2/catch.hpp>

#include "tests/support/process.hpp"

using p3p::test::built_binary;
using p3p::test::ProcessResult;
using p3p::test::run_process;

namespace {
ProcessResult ctl(std::vector<std::string> args) {
  args.insert(args.begin(), built_binary("cli/p3pctl"));
  return run_process(args);
}
}  // namespace

TEST_CASE("an unknown verb is named, with the verb it was probably meant to be") {
  auto r = ctl({"stauts"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::StartsWith("p3pctl: unknown command 'stauts'; did you mean 'status'?\n"));
  CHECK_THAT(r.err, Catch::Contains("Run 'p3pctl --help'"));
  CHECK_THAT(r.err, !Catch::Contains("A subcommand is required"));
  CHECK_THAT(ctl({"Status"}).err, Catch::Contains("did you mean 'status'?"));
  auto far = ctl({"frobnicate"});  // nothing is close: no suggestion at all
  CHECK(far.exit_code == 2);
  CHECK_THAT(far.err, Catch::Contains("unknown command 'frobnicate'") && !Catch::Contains("did you mean"));
}

TEST_CASE("a verb's unknown or missing subcommand names the verb and its subcommands") {
  auto typo = ctl({"snapshot", "lst"});
  CHECK(typo.exit_code == 2);
  CHECK_THAT(typo.err, Catch::Contains("unknown command 'lst' for 'p3pctl snapshot'; did you mean 'list'?") &&
                           Catch::Contains("create, list, load, prune"));
  CHECK_THAT(typo.err, Catch::Contains("Run 'p3pctl snapshot --help'"));
  auto none = ctl({"snapshot"});
  CHECK(none.exit_code == 2);
  CHECK_THAT(none.err, Catch::Contains("'p3pctl snapshot' needs a command: create, list, load, prune"));
  CHECK_THAT(ctl({"anomaly", "fed"}).err, Catch::Contains("did you mean 'feed'?"));
}

TEST_CASE("help VERB is VERB --help") {
  auto top = ctl({"help"});
  CHECK(top.exit_code == 0);
  CHECK_THAT(top.out, Catch::Contains("Usage: p3pctl") && Catch::Contains("status"));
  auto verb = ctl({"help", "snapshot", "load"});
  CHECK(verb.exit_code == 0);
  CHECK_THAT(verb.out, Catch::Contains("Usage: p3pctl snapshot load"));
}

TEST_CASE("an unknown flag is named, with the flag it was probably meant to be") {
  auto r = ctl({"status", "--rundir", "x"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("unknown option '--rundir' for 'p3pctl status'; did you mean '--run-dir'?"));
  CHECK_THAT(ctl({"down", "t.yaml", "--timout=3"}).err, Catch::Contains("did you mean '--timeout'?"));
  // A negative number is a value, not a flag.
  CHECK_THAT(ctl({"stimulate", "R", "--neuron", "0", "--current", "-1", "extra"}).err,
             Catch::Contains("unexpected argument 'extra' for 'p3pctl stimulate'"));
}

TEST_CASE("a word outside a fixed set lists the set, in words, in errors and in --help") {
  auto r = ctl({"status", "-o", "csv"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("'csv' is not one of table, json, yaml"));
  CHECK_THAT(r.err, !Catch::Contains("->") && !Catch::Contains("FAILED"));
  CHECK_THAT(ctl({"watch", "spike"}).err, Catch::Contains("'spike' is not one of spikes, metrics, events; did you mean 'spikes'?"));
  auto help = ctl({"status", "--help"});
  CHECK_THAT(help.out, Catch::Contains("{table,json,yaml}") && !Catch::Contains("->"));
  auto upper = ctl({"validate", "absent.yaml", "-o", "YAML"});  // case-insensitive, as before: not a usage error
  CHECK(upper.exit_code == 1);
  CHECK_THAT(upper.out, Catch::Contains("valid: false"));
}
