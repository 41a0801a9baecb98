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

TEST_CASE("p3pctl experiment results --plot: a baseline in another unit than the curve is named under the plot, not drawn") {
  TempDir dir;
  const std::string ctl = built_binary("cli/p3pctl");
  const auto yaml = dir.write("t.yaml", read_file(std::string(P3P_SOURCE_DIR) + "/topology/default.yaml"));
  REQUIRE(run_process({ctl, "keygen", (dir / "cluster.key").string()}).exit_code == 0);
  std::filesystem::create_directories(dir / "results");
  const nlohmann::json doc = {{"experiment", "seizure_detect"}, {"seed", 1}, {"score", 1.0}, {"curve", {0.95, 0.99}},
                              {"curve_unit", "step ROC area"}, {"baselines", {{"chance", 0.5}, {"line_length_latency_s", 0.89}}},
                              {"baseline_units", {{"chance", "step ROC area"}, {"line_length_latency_s", "s"}}}, {"passed", true}};
  std::ofstream(dir / "results" / "seizure_detect_20261202T070000.000Z.json") << doc.dump();
  const auto svg = dir / "seizure_detect.svg";
  auto r = run_process({ctl, "experiment", "results", "seizure_detect", "--plot", svg.string(), "--topology", yaml.string()});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  const std::string picture = read_file(svg);
  INFO(picture);
  std::size_t dashed = 0;
  for (auto at = picture.find("stroke-dasharray"); at != std::string::npos; at = picture.find("stroke-dasharray", at + 1)) ++dashed;
  CHECK(dashed == 1);  // chance, on the ROC-area axis; the latency is not
  CHECK_THAT(picture, Catch::Contains(">chance 0.5</text>") && Catch::Contains(">line_length_latency_s 0.89 s</text>"));
  // The document has no ticks nor duration: shown as "-", not a crash (p3pctl read doc["first_tick"] of a
  // const document, an assertion in a debug build).
  CHECK_THAT(r.out, Catch::Contains("- to -"));
  auto summary = run_process({ctl, "experiment", "results", "--topology", yaml.string()});
  INFO(summary.out << summary.err);
  CHECK(summary.exit_code == 0);
  CHECK_THAT(summary.out, Catch::Contains("seizure_detect"));
}
