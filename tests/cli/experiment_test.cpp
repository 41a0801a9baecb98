// p3pctl experiment results/--plot from the results dir beside the topology (the commands that run
// experiments on a cluster are tested in tests/experiments/p3pctl_experiment_test.cpp: long, no sanitizers).
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/support/background_process.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/text_file.hpp"

using namespace p3p::test;


TEST_CASE("p3pctl experiment results: the newest result per experiment, one in full, its learning curve as SVG") {
  TempDir dir;
  const std::string ctl = built_binary("cli/p3pctl");
  const auto yaml = dir.write("t.yaml", read_file(std::string(P3P_SOURCE_DIR) + "/topology/default.yaml"));
  REQUIRE(run_process({ctl, "keygen", (dir / "cluster.key").string()}).exit_code == 0);
  std::filesystem::create_directories(dir / "results");
  const nlohmann::json older = {{"experiment", "seq_gen"}, {"seed", 1}, {"score", 0.5}, {"curve", {0.2, 0.5}},
                                {"baselines", {{"chance", 0.5}}}, {"passed", false}, {"first_tick", 10}, {"last_tick", 90}, {"duration_s", 1.5}};
  nlohmann::json newer = older;
  newer["score"] = 1.0;
  newer["curve"] = {0.25, 0.75, 1.0};
  newer["passed"] = true;
  newer["details"] = {{"taught", "010101"}, {"generated", "010101"}};
  std::ofstream(dir / "results" / "seq_gen_20261202T060000.000Z.json") << older.dump();
  std::ofstream(dir / "results" / "seq_gen_20261202T070000.000Z.json") << newer.dump();
  std::ofstream(dir / "results" / "notes.json") << "{}";  // not a result: ignored

  auto summary = run_process({ctl, "experiment", "results", "--topology", yaml.string(), "-o", "json"});
  INFO(summary.out << summary.err);
  REQUIRE(summary.exit_code == 0);
  const auto docs = nlohmann::json::parse(summary.out);
  REQUIRE(docs.size() == 1);
  CHECK(docs[0]["score"] == 1.0);
  CHECK(docs[0]["file"] == "seq_gen_20261202T070000.000Z.json");

  const auto svg = dir / "seq_gen.svg";
  auto one = run_process({ctl, "experiment", "results", "seq_gen", "--plot", svg.string(), "--topology", yaml.string()});
  INFO(one.out << one.err);
  REQUIRE(one.exit_code == 0);
  CHECK_THAT(one.out, Catch::Contains("taught") && Catch::Contains("010101") && Catch::Contains("passed") && Catch::Contains("chance 0.5"));
  const std::string picture = read_file(svg);
  CHECK_THAT(picture, Catch::StartsWith("<svg") && Catch::Contains("chance 0.5") && Catch::Contains("seq_gen (seed 1)"));
  const auto points = picture.substr(picture.find("points=\""), picture.find("\"/>", picture.find("points=\"")) - picture.find("points=\""));
  CHECK(std::count(points.begin(), points.end(), ',') == 3);  // one point per epoch

  auto none = run_process({ctl, "experiment", "results", "hopfield_assoc", "--topology", yaml.string()});
  CHECK(none.exit_code == 1);
  CHECK_THAT(none.err, Catch::Contains("no result of 'hopfield_assoc'"));
  CHECK(run_process({ctl, "experiment", "results", "--plot", "x.svg", "--topology", yaml.string()}).exit_code == 2);
  CHECK(run_process({ctl, "experiment"}).exit_code == 2);
}
