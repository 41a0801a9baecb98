// The runner around every experiment (experiments/runner.hpp), with a test experiment on the in-process
// driver: arguments checked before anything moves, roles found or named as missing, the region back to
// its built state whatever ran before, the result document, cancellation, and the atomic write.
#include "experiments/runner.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <set>

#include "client/experiment_results.hpp"
#include "driver/engine_driver.hpp"
#include "experiments/result_store.hpp"
#include "tests/driver/driver_script.hpp"
#include "tests/experiments/probe_experiment.hpp"
#include "tests/support/temp_dir.hpp"
#include "topology/hash.hpp"
#include "topology/loader.hpp"

using namespace p3p;
using namespace p3p::test;

namespace {

struct Fixture {
  TempDir dir;
  topology::Topology topo;
  std::unique_ptr<driver::EngineDriver> driver;
  ProbeLog log;
  experiments::Experiment probe = probe_experiment(log);
  experiments::Hooks hooks;

  explicit Fixture(const std::string& text = probe_topology()) {
    auto t = topology::load_string(text, "probe.yaml", dir.path(), {.check_key_file = false});
    REQUIRE(t);
    topo = std::move(*t);
    driver = must(driver::EngineDriver::create(topo));
    hooks.results_dir = dir.path() / "results";
  }
  Expected<nlohmann::json, experiments::Error> run(const nlohmann::json& args = nlohmann::json::object()) {
    return experiments::run_experiment(*driver, topo, probe, args, hooks);
  }
};

std::string code(const Expected<nlohmann::json, experiments::Error>& r) {
  return r ? "ok" : std::string(to_string(r.error().code));
}

nlohmann::json read_json(const std::filesystem::path& p) { return nlohmann::json::parse(std::ifstream(p)); }

}  // namespace

TEST_CASE("runner: the result document holds the run, defaults filled in, and is written to the results dir") {
  Fixture f;
  auto doc = must(f.run({{"epochs", 2}}));
  CHECK(doc["experiment"] == "probe");
  CHECK(doc["version"] == control::kResultVersion);
  CHECK(doc["seed"] == 1);
  CHECK(doc["arguments"] == nlohmann::json({{"epochs", 2}, {"drive", 0.7}, {"seed", 1}}));
  CHECK(doc["region"] == "Region_Probe");
  CHECK(doc["columns"] == nlohmann::json({{"input", "probe_in"}, {"output", "probe_out"}}));
  CHECK(doc["nodes"] == nlohmann::json({"nA", "nB"}));
  CHECK(doc["topology_hash"] == topology::hash_hex(f.topo.source_hash));
  CHECK(doc["first_tick"] == f.log.start_ticks.at(0));
  CHECK(doc["last_tick"] == f.driver->tick());
  CHECK(doc["last_tick"].get<std::int64_t>() >= doc["first_tick"].get<std::int64_t>() + 60);
  REQUIRE(doc["curve"].size() == 2);
  CHECK(doc["score"] == doc["curve"][1]);
  CHECK(doc["score"].get<double>() > 0);
  CHECK(doc["passed"] == true);
  CHECK(doc["pass_criterion"] == probe_info().pass_criterion);
  CHECK(doc["baselines"] == nlohmann::json({{"silent", 0.0}}));
  CHECK(doc["curve_unit"] == "spikes per epoch");  // what the plot reads to know which baselines share the curve's axis
  CHECK(doc["baseline_units"] == nlohmann::json({{"silent", "spikes per epoch"}}));
  CHECK(doc["raster_hash"].get<std::string>().size() == 16);
  CHECK(doc["raster_hash"] != topology::hash_hex(0));  // the experiment's spikes are in it
  CHECK(doc["duration_s"].get<double>() >= 0);
  CHECK(doc.contains("started_utc"));
  // Written whole, under a name like the snapshots', without "file" (that is the reply's).
  const auto files = control::list_results(f.dir.path() / "results");
  REQUIRE(files.size() == 1);
  CHECK(files[0].filename() == doc["file"].get<std::string>());
  nlohmann::json on_disk = read_json(files[0]);
  doc.erase("file");
  CHECK(on_disk == doc);
}

TEST_CASE("runner: bad arguments get bad_args naming the argument, and nothing moves") {
  Fixture f;
  const std::int64_t tick = f.driver->tick();
  for (const auto& [args, name] : std::vector<std::pair<nlohmann::json, std::string>>{
           {{{"epochs", 0}}, "'epochs'"}, {{{"epochs", 1000000000}}, "'epochs'"}, {{{"epochs", "x"}}, "'epochs'"},
           {{{"bogus", 1}}, "'bogus'"}, {{{"seed", -1}}, "'seed'"}, {{{"drive", 4.0}}, "'drive'"}, {nlohmann::json::array(), "'args'"}}) {
    INFO(args.dump());
    const auto r = f.run(args);
    REQUIRE(code(r) == "bad_args");
    CHECK_THAT(r.error().message, Catch::Contains(name));
  }
  CHECK(f.driver->tick() == tick);
  CHECK(f.log.start_ticks.empty());
  CHECK(!std::filesystem::exists(f.dir.path() / "results"));
}

TEST_CASE("runner: a topology without the experiment's region or roles gets an error naming what is missing") {
  SECTION("no role") {
    std::string text = probe_topology();
    text.replace(text.find(", role: output"), 14, "");
    Fixture f(text);
    const auto r = f.run();
    REQUIRE(code(r) == "bad_args");
    CHECK_THAT(r.error().message, Catch::Contains("no column with role output") && Catch::Contains("Region_Probe"));
    CHECK(f.log.start_ticks.empty());
  }
  SECTION("a role twice") {
    std::string text = probe_topology();
    text.replace(text.find("role: output"), 12, "role: input");
    Fixture f(text);
    const auto r = f.run();
    REQUIRE(code(r) == "bad_args");
    CHECK_THAT(r.error().message, Catch::Contains("several columns with role 'input'"));
  }
  SECTION("no region") {
    std::string text = probe_topology();
    text.replace(text.find("Region_Probe"), 12, "Region_Else");
    Fixture f(text);
    const auto r = f.run();
    REQUIRE(code(r) == "unknown_region");
    CHECK_THAT(r.error().message, Catch::Contains("Region_Probe") && Catch::Contains("probe"));
  }
}

TEST_CASE("runner: every run starts from the region's built state, whatever ran before") {
  Fixture f;
  const auto built = must(f.driver->weights("probe_out"));
  must(f.run());
  REQUIRE(must(f.driver->weights("probe_out")) != built);  // the first run learned
  // Something else leaves the region excited with spikes in flight (the projection's delay is 3).
  std::vector<driver::Current> kick;
  for (std::uint32_t n = 0; n < 4; ++n) kick.push_back({"probe_in", n, f.driver->tick(), 3.0});
  must(f.driver->schedule(kick));
  must(f.driver->advance_to(f.driver->tick() + 2));
  must(f.run());
  REQUIRE(f.log.start_weights.size() == 2);
  CHECK(f.log.start_weights[0] == built);
  CHECK(f.log.start_weights[1] == built);
  // Nothing it had sent arrived during the run: its first window counted the same as the first run's.
  auto first = read_json(control::list_results(f.dir.path() / "results").at(0));
  auto second = read_json(control::list_results(f.dir.path() / "results").at(1));
  CHECK(first["curve"] == second["curve"]);
}

TEST_CASE("runner: by name, an unknown experiment is bad_args naming it, one that comes later not_implemented") {
  Fixture f;
  const auto unknown = experiments::run_experiment(*f.driver, f.topo, "no_such", {}, f.hooks);
  REQUIRE(code(unknown) == "bad_args");
  CHECK_THAT(unknown.error().message, Catch::Contains("no_such") && Catch::Contains("seq_gen"));
  const experiments::Experiment later{experiments::find("seq_gen")->info, {}, {}};  // a catalog entry without its program
  CHECK(code(experiments::run_experiment(*f.driver, f.topo, later, {}, f.hooks)) == "not_implemented");
}

TEST_CASE("runner: a run cancelled through its hooks answers cancelled, writes nothing, and leaves the region built") {
  Fixture f;
  const auto built = must(f.driver->weights("probe_out"));
  std::atomic<bool> cancel{false};
  f.log.before_epoch = [&](int epoch) { cancel = epoch == 2; };
  f.hooks.cancelled = [&] { return cancel.load(); };
  std::vector<experiments::Progress> seen;
  f.hooks.progress = [&](const experiments::Progress& p) { seen.push_back(p); };
  const auto r = f.run({{"epochs", 5}});
  REQUIRE(code(r) == "cancelled");
  CHECK(f.log.epochs_run == 2);
  REQUIRE(seen.size() == 2);
  CHECK(seen[1].epoch == 2);
  CHECK(seen[1].epochs == 5);
  CHECK(!std::filesystem::exists(f.dir.path() / "results"));
  CHECK(must(f.driver->weights("probe_out")) == built);
  // The driver is usable: the next run goes through.
  f.log.before_epoch = [](int) {};
  cancel = false;
  CHECK(code(f.run({{"epochs", 1}})) == "ok");
}

TEST_CASE("result store: each document gets its own file, whole, and a dir that cannot be written is io_error") {
  TempDir dir;
  const nlohmann::json doc = {{"experiment", "seq_gen"}, {"score", 1.0}};
  std::set<std::string> names;
  for (int i = 0; i < 3; ++i) names.insert(must(experiments::write_result(dir.path() / "r", doc)));
  CHECK(names.size() == 3);  // same millisecond or not, never overwritten
  const auto files = control::list_results(dir.path() / "r", "seq_gen");
  REQUIRE(files.size() == 3);
  for (const auto& p : files) CHECK(read_json(p) == doc);
  for (const auto& e : std::filesystem::directory_iterator(dir.path() / "r")) CHECK(e.path().filename().string()[0] != '.');
  CHECK(control::list_results(dir.path() / "r", "hopfield_assoc").empty());
  dir.write("blocked", "a file, not a dir");
  const auto r = experiments::write_result(dir.path() / "blocked", doc);
  REQUIRE(!r);
  CHECK(r.error().code == ErrorCode::io_error);
  CHECK_THAT(r.error().message, Catch::Contains("blocked"));
}

TEST_CASE("result names: only <experiment>_<UTC time>[-n].json is a result, whatever else lies in the dir") {
  const std::string name = control::result_file_name("seq_gen", 1764650100123ULL);
  CHECK(name == "seq_gen_20251202T043500.123Z.json");
  CHECK(control::result_experiment(name) == "seq_gen");
  CHECK(control::result_experiment(control::result_file_name("hopfield_assoc", 5, 2)) == "hopfield_assoc");
  CHECK(control::result_experiment("seq_gen_20251202T043500.123Z-12.json") == "seq_gen");
  for (const char* bad : {"seq_gen.json", "_20251202T043500.123Z.json", "Seq_20251202T043500.123Z.json", "seq_gen_20251202T043500.123Z.txt",
                          "seq_gen_2025120XT043500.123Z.json", "seq_gen_20251202T043500.123Z-x.json", "seq_gen_20251202T043500.123Z-1234.json", "../seq_gen_20251202T043500.123Z.json"})
    CHECK(!control::result_experiment(bad));
}
