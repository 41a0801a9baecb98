// The one did-you-mean rule: the same letters in another case first, then a bounded edit distance, else
// nothing.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "common/closest_match.hpp"

using p3p::closest_match;
using p3p::did_you_mean;

TEST_CASE("closest_match: another case wins over an edit") {
  const std::vector<std::string> nodes{"nodeA", "nodeB", "nodeC"};
  CHECK(closest_match("nodeb", nodes) == "nodeB");  // was nodeA: one edit from both, and nodeA came first
  CHECK(closest_match("NODEC", nodes) == "nodeC");
  CHECK(closest_match("status", std::vector<std::string>{"Status", "status"}) == "Status");  // the first of equals
}

TEST_CASE("closest_match: typos within a third of the word's length") {
  const std::vector<std::string> verbs{"status", "stimulate", "snapshot", "down", "up"};
  CHECK(closest_match("stauts", verbs) == "status");  // a transposition is one edit
  CHECK(closest_match("Stauts", verbs) == "status");
  CHECK(closest_match("valeu", std::vector<std::string>{"value", "region"}) == "value");
  CHECK(closest_match("Region_Patern", std::vector<std::string>{"Region_AB", "Region_Pattern", "Region_Osc"}) == "Region_Pattern");
  CHECK(closest_match("--rundir", std::vector<std::string>{"--run-dir", "--topology", "-o", "--output"}) == "--run-dir");
  CHECK(closest_match("dwn", verbs) == "down");
}

TEST_CASE("closest_match: nothing when nothing is close") {
  const std::vector<std::string> commands{"status", "list_commands", "run_demo", "echo"};
  CHECK(closest_match("no_such_command", commands).empty());  // was list_commands
  CHECK(closest_match("frobnicate", commands).empty());
  // A long shared prefix does not make a guess close: only the part that differs counts.
  CHECK(closest_match("Region_Nope", std::vector<std::string>{"Region_AB", "Region_Osc", "Region_Memory"}).empty());
  CHECK(closest_match("id", std::vector<std::string>{"p"}).empty());
  CHECK(closest_match("", commands).empty());
  CHECK(closest_match("x", std::vector<std::string>{}).empty());
  CHECK(closest_match(std::string(100000, 'a'), commands).empty());  // a client's long word is cheap to refuse
  CHECK(did_you_mean("stauts", std::vector<std::string>{"status"}) == "; did you mean 'status'?");
  CHECK(did_you_mean("zzz", std::vector<std::string>{"status"}).empty());
}
