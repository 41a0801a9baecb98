// seq_gen's environment alone: the taught sequence from the arguments (and the bad ones refused, naming
// what is wrong), symbols-in-context, the read-out and the score.
#include <algorithm>
#include <set>

#include <catch2/catch.hpp>

#include "experiments/experiment.hpp"
#include "experiments/seq_gen_task.hpp"

namespace p3p::experiments::seq_gen {
namespace {

Task must(const nlohmann::json& args) {
  auto t = make_task(args);
  if (!t) FAIL(t.error().text());
  return std::move(t).value();
}

std::string refusal(const nlohmann::json& args) {
  const auto t = make_task(args);
  REQUIRE_FALSE(t);
  CHECK(t.error().code == ErrorCode::bad_args);
  return t.error().message;
}

}  // namespace

TEST_CASE("seq_gen task: a given sequence, its alphabet from its largest symbol unless given") {
  CHECK(must({{"sequence", "010101"}}).symbols == std::vector<int>{0, 1, 0, 1, 0, 1});
  CHECK(must({{"sequence", "010101"}}).alphabet == 2);
  CHECK(must({{"sequence", "0120"}}).alphabet == 3);
  CHECK(must({{"sequence", "0000"}}).alphabet == 2);
  CHECK(must({{"sequence", "0101"}, {"alphabet", 4}}).alphabet == 4);
  CHECK(must({{"sequence", "0123012301230123"}, {"seq_len", 16}}).text() == "0123012301230123");
  CHECK(must(nlohmann::json::object()).text() == "010101");  // the default
}

TEST_CASE("seq_gen task: bad sequences get bad_args naming the symbol, the length or the disagreement") {
  const std::string outside = refusal({{"sequence", "0103"}, {"alphabet", 3}});
  CHECK_THAT(outside, Catch::Contains("'3'") && Catch::Contains("position 3") && Catch::Contains("alphabet 0-2"));
  CHECK_THAT(refusal({{"sequence", "01x1"}}), Catch::Contains("'x'") && Catch::Contains("position 2"));
  CHECK_THAT(refusal({{"sequence", "0140"}}), Catch::Contains("'4'"));
  CHECK_THAT(refusal({{"sequence", "01010101010101010"}}), Catch::Contains("17 symbols"));
  CHECK_THAT(refusal({{"sequence", "0"}}), Catch::Contains("1 symbols"));
  CHECK_THAT(refusal({{"sequence", "0101"}, {"seq_len", 6}}), Catch::Contains("seq_len 6 does not match"));
  CHECK_THAT(refusal({{"sequence", "random"}, {"seq_len", 17}}), Catch::Contains("seq_len 17"));
  CHECK_THAT(refusal({{"sequence", "random"}, {"alphabet", 5}}), Catch::Contains("alphabet 5"));
}

TEST_CASE("seq_gen task: a random sequence comes from the seed alone, over the alphabet, seq_len long") {
  const nlohmann::json a = {{"sequence", "random"}, {"seq_len", 16}, {"alphabet", 4}, {"seed", 7}};
  const Task t = must(a);
  CHECK(t.symbols.size() == 16);
  CHECK(t.alphabet == 4);
  CHECK(std::all_of(t.symbols.begin(), t.symbols.end(), [](int s) { return s >= 0 && s < 4; }));
  CHECK(must(a).symbols == t.symbols);
  std::set<std::string> seen;
  for (int seed = 0; seed < 8; ++seed) seen.insert(must({{"sequence", "random"}, {"seed", seed}}).text());
  CHECK(seen.size() == 8);  // 4^8 sequences: eight seeds drawing the same one would be a broken generator
  const Task d = must({{"sequence", "random"}, {"seed", 1}});
  CHECK(d.symbols.size() == kDefaultRandomLength);
  CHECK(d.alphabet == kMaxAlphabet);
  const Task three = must({{"sequence", "random"}, {"seq_len", 8}, {"alphabet", 3}, {"seed", 3}});
  CHECK(std::all_of(three.symbols.begin(), three.symbols.end(), [](int s) { return s >= 0 && s < 3; }));
}

TEST_CASE("seq_gen task: occurrences give each repeated symbol its own context") {
  const std::vector<int> s{0, 1, 0, 1, 2, 0};
  CHECK(occurrences(s) == std::vector<int>{0, 0, 1, 1, 0, 2});
}

TEST_CASE("seq_gen task: the read-out takes the unique most-spiking symbol, and the score counts after the cue") {
  CHECK(winner(std::vector<std::uint64_t>{0, 9, 3}) == 1);
  CHECK(winner(std::vector<std::uint64_t>{0, 0, 0}) == -1);
  CHECK(winner(std::vector<std::uint64_t>{5, 5, 1}) == -1);
  const std::vector<int> taught{0, 1, 0, 1};
  CHECK(score(std::vector<int>{0, 1, 0, 1}, taught, 1) == 1.0);
  CHECK(score(std::vector<int>{0, 1, -1, 0}, taught, 1) == Approx(1.0 / 3));
  CHECK(score(std::vector<int>{0}, taught, 1) == 0.0);
  CHECK(presentations_to_perfect(std::vector<double>{0.2, 1.0, 1.0}) == 2);
  CHECK(presentations_to_perfect(std::vector<double>{1.0, 0.8, 1.0}) == 3);
  CHECK(presentations_to_perfect(std::vector<double>{1.0, 1.0, 0.8}) == -1);
  CHECK(presentations_to_perfect(std::vector<double>{1.0}) == 1);
}

TEST_CASE("seq_gen's registry check refuses a symbol outside the alphabet, naming it") {
  const Experiment* e = find("seq_gen");
  REQUIRE(e);
  REQUIRE(e->check);
  const auto r = e->check({{"epochs", 3}, {"sequence", "0130"}, {"alphabet", 3}, {"seed", 1}});
  REQUIRE_FALSE(r);
  CHECK(r.error().code == ErrorCode::bad_args);
  CHECK_THAT(r.error().message, Catch::Contains("'3'") && Catch::Contains("alphabet"));
  CHECK(e->check({{"epochs", 3}, {"sequence", "0120"}, {"alphabet", 3}, {"seed", 1}}));
}

}  // namespace p3p::experiments::seq_gen
