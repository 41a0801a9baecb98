// p3pctl anomaly feed against the default cluster (real processes on free ports): refused with a clear
// error before any training, then, after a short `p3pctl experiment seizure_detect`, a file with known
// episodes gives anomaly events inside them (table and -o json, from a file and from stdin; the same events
// on the telemetry stream, as `p3pctl watch events` prints them), and bad input
// (a wrong column count, a non-number, another rate) gets its line and reason, exit 1, and moves nothing.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <nlohmann/json.hpp>

#include "experiments/seizure_signal.hpp"
#include "tests/control/port_support.hpp"
#include "tests/support/poll.hpp"

using namespace p3p::test;
using namespace p3p::experiments::seizure;

namespace {

// A 4-channel recording as CSV (with a header), and its episodes.
Recording write_csv(const std::filesystem::path& file, std::uint64_t seed) {
  const Recording r = generate({4, 90.0, 3.0, 5.0, 2.0, 20.0, 20.0, 40.0}, seed);
  std::ofstream out(file);
  out << "c0,c1,c2,c3\n";
  for (std::int64_t n = 0; n < r.length(); ++n) {
    const auto s = r.sample(n);
    out << s[0] << ',' << s[1] << ',' << s[2] << ',' << s[3] << '\n';
  }
  return r;
}

}  // namespace

TEST_CASE("p3pctl anomaly feed refuses an untrained detector, raises events in a file's episodes once trained and refuses bad input", "[cluster]") {
  Cluster cluster;
  const auto& dir = cluster.dir;
  const auto p3pctl = [&](std::vector<std::string> args, const std::string& input = {}) {
    args.insert(args.begin(), cluster.ctl);
    args.insert(args.end(), {"--topology", cluster.yaml.string(), "--run-dir", (dir / "run").string()});
    return run_process(args, std::chrono::seconds(300), {}, {}, input);
  };
  const Recording r = write_csv(dir / "eeg.csv", 11);
  REQUIRE(r.episodes.size() >= 2);

  auto before = p3pctl({"anomaly", "feed", (dir / "eeg.csv").string()});
  CHECK(before.exit_code == 1);
  CHECK_THAT(before.err, Catch::Contains("never trained") && Catch::Contains("p3pctl experiment seizure_detect") && Catch::Contains("conflict"));

  auto trained = p3pctl({"experiment", "seizure_detect", "--set", "epochs=2", "--set", "epoch_seconds=40", "--set", "test_seconds=60", "-o", "json"});
  INFO(trained.out << trained.err);
  REQUIRE(trained.exit_code == 0);

  Watch watch(cluster, {"events", "--timeout", "600"}, "watch");
  REQUIRE(watch.subscribed()["nodes"].size() == 3);  // every node's events from here on
  auto fed = p3pctl({"anomaly", "feed", (dir / "eeg.csv").string(), "-o", "json"});
  INFO(fed.out << fed.err);
  REQUIRE(fed.exit_code == 0);
  // The same events on the telemetry stream, kind anomaly, with the tick each was raised at.
  const auto anomalies = [&] {
    std::vector<nlohmann::json> out;
    for (const auto& j : watch.lines())
      if (j.value("event", "") == "anomaly") out.push_back(j);
    return out;
  };
  poll_until([&] { return anomalies().size() >= r.episodes.size(); }, std::chrono::seconds(30));
  watch.proc.stop(SIGINT);
  CHECK_THAT(fed.err, Catch::Contains("fed " + std::to_string(r.length()) + " samples") && Catch::Contains(" 0 dropped"));
  std::vector<nlohmann::json> events;
  std::istringstream lines(fed.out);
  for (std::string line; std::getline(lines, line);) events.push_back(nlohmann::json::parse(line));
  // Every episode raises one event, inside it (or within the 2 s grace after it), and nothing else does.
  CHECK(events.size() == r.episodes.size());
  for (const Episode& e : r.episodes) {
    INFO("episode " << e.onset / r.rate << " - " << e.end / r.rate << " s");
    const auto hit = std::count_if(events.begin(), events.end(), [&](const nlohmann::json& ev) {
      const double t = ev["time_s"].get<double>();
      return t > e.onset / r.rate && t <= e.end / r.rate + 2.0;
    });
    CHECK(hit == 1);
  }
  const std::vector<nlohmann::json> published = anomalies();
  REQUIRE(published.size() == events.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    CHECK(published[i]["tick"] == events[i]["tick"]);
    CHECK(published[i]["channels"] == events[i]["channels"]);
    CHECK(published[i]["score"] == events[i]["score"]);
    CHECK(published[i]["node"] == "nodeA");  // the control node
  }
  for (const auto& ev : events) {
    CHECK(ev["event"] == "anomaly");
    CHECK(ev["score"].get<double>() >= 1.0);
    CHECK_FALSE(ev["channels"].empty());
    CHECK(ev["tick"].get<std::int64_t>() > 0);
  }

  // The same file from stdin, for people: one line per event.
  std::ifstream csv(dir / "eeg.csv");
  const std::string text((std::istreambuf_iterator<char>(csv)), {});
  auto piped = p3pctl({"anomaly", "feed", "-"}, text);
  CHECK(piped.exit_code == 0);
  CHECK(static_cast<std::size_t>(std::count(piped.out.begin(), piped.out.end(), '\n')) == r.episodes.size());
  CHECK_THAT(piped.out, Catch::Contains("anomaly at "));

  // Bad input: the line and the reason, exit 1.
  std::ofstream(dir / "short.csv") << "1,2,3,4\n5,6,7\n";
  auto short_row = p3pctl({"anomaly", "feed", (dir / "short.csv").string()});
  CHECK(short_row.exit_code == 1);
  CHECK_THAT(short_row.err, Catch::Contains("line 2") && Catch::Contains("3 values"));
  std::ofstream(dir / "nan.csv") << "1,2,3,4\n1,2,x,4\n";
  auto nan = p3pctl({"anomaly", "feed", (dir / "nan.csv").string()});
  CHECK(nan.exit_code == 1);
  CHECK_THAT(nan.err, Catch::Contains("line 2") && Catch::Contains("'x' is not a finite number"));
  std::ofstream(dir / "three.jsonl") << "[1,2,3]\n[4,5,6]\n";
  auto three = p3pctl({"anomaly", "feed", (dir / "three.jsonl").string()});
  CHECK(three.exit_code == 1);
  CHECK_THAT(three.err, Catch::Contains("3 values") && Catch::Contains("4 channels") && Catch::Contains("bad_args"));
  auto rate = p3pctl({"anomaly", "feed", (dir / "eeg.csv").string(), "--rate", "256"});
  CHECK(rate.exit_code == 1);
  CHECK_THAT(rate.err, Catch::Contains("trained at 128") && Catch::Contains("bad_args"));
}
