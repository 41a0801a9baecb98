// The same seed gives the same result document (apart from its times, ticks and raster hash) whatever ran before, in
// whatever order the experiments run (`experiment all` forwards, then backwards), and with every column on
// one node instead of three: the engine's spikes do not depend on the split, and the runner re-keys the
// region's noise by the seed, so nothing depends on the tick a run starts at.
#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "driver/engine_driver.hpp"
#include "experiments/runner.hpp"
#include "topology/loader.hpp"

namespace p3p::experiments {
namespace {

std::string default_yaml() {
  std::ifstream in(std::string(P3P_SOURCE_DIR) + "/topology/default.yaml");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

topology::Topology load(const std::string& text) {
  auto t = topology::load_string(text, "default.yaml", std::string(P3P_SOURCE_DIR) + "/topology", {.check_key_file = false});
  REQUIRE(t);
  return std::move(*t);
}

// What must not depend on order or placement: everything the run measured.
nlohmann::json measured(const nlohmann::json& doc) {
  return {{"score", doc.at("score")}, {"parts", doc.at("parts")}, {"baselines", doc.at("baselines")},
          {"passed", doc.at("passed")}, {"curve", doc.at("curve")}, {"details", doc.at("details")},
          {"raster_hash", doc.at("raster_hash")}, {"ticks", doc.at("last_tick").get<std::int64_t>() - doc.at("first_tick").get<std::int64_t>()}};
}

// The closed-loop experiments take minutes at their defaults: a short run of each is enough to compare
// (their own long tests check their floors).
const std::map<std::string, nlohmann::json> kShort{
    {"cart_balance", {{"episodes", 30}, {"random_episodes", 5}}},
    {"boid_swarm", {{"train_steps", 300}, {"eval_steps", 100}, {"checkpoint_steps", 100}, {"epoch_steps", 100}}},
    {"seizure_detect", {{"epochs", 2}, {"test_seconds", 120}}}};

// Every implemented experiment with seed 3 on one fresh in-process driver, in the given order.
std::map<std::string, nlohmann::json> run_all(const topology::Topology& t, bool backwards) {
  std::vector<const Experiment*> order;
  for (const Experiment& e : registry())
    if (e.run) order.push_back(&e);
  if (backwards) std::reverse(order.begin(), order.end());
  auto driver = driver::EngineDriver::create(t);
  REQUIRE(driver);
  Hooks hooks;
  hooks.write = false;
  std::map<std::string, nlohmann::json> out;
  for (const Experiment* e : order) {
    nlohmann::json args = kShort.contains(e->info->name) ? kShort.at(e->info->name) : nlohmann::json::object();
    args["seed"] = 3;
    auto doc = run_experiment(**driver, t, *e, args, hooks);
    INFO(e->info->name << ": " << (doc ? "" : doc.error().text()));
    REQUIRE(doc);
    // Units for the plot of the curve (cli/learning_curve_svg.hpp): the curve's, and one per baseline.
    CHECK(!doc->at("curve_unit").get<std::string>().empty());
    for (const auto& [baseline, value] : doc->at("baselines").items()) CHECK(doc->at("baseline_units").contains(baseline));
    out[e->info->name] = measured(*doc);
  }
  return out;
}

}  // namespace

TEST_CASE("experiments give the same result in any order and with every column on one node", "[experiments]") {
  const std::string yaml = default_yaml();
  const auto forwards = run_all(load(yaml), false);
  REQUIRE(forwards.size() >= 4);
  const auto backwards = run_all(load(yaml), true);
  const std::string one_node = std::regex_replace(yaml, std::regex(R"(node: node[BC]\b)"), "node: nodeA");
  REQUIRE(one_node != yaml);
  const auto together = run_all(load(one_node), false);
  for (const auto& [name, result] : forwards) {
    INFO(name);
    if (!kShort.contains(name)) CHECK(result.at("passed") == true);
    // The raster hash hashes each spike with its absolute tick (mesocortex::RasterSum), so it names where a
    // run happened too: equal for the same ticks (one node vs three), not across orders.
    for (const auto& [key, value] : result.items()) {
      INFO(key);
      if (key != "raster_hash") CHECK(backwards.at(name).at(key) == value);
    }
    CHECK(together.at(name) == result);
  }
}

}  // namespace p3p::experiments
