// p3pctl anomaly feed FILE|- [--rate HZ] [-o json]   anomaly_feed, one chunk of samples after another
// Streams a signal (cli/anomaly_input.hpp: CSV or JSON lines, one sample per line, channels as columns)
// through the detector the last `p3pctl experiment seizure_detect` trained on the running cluster, and
// prints each anomaly event as its chunk is answered: for people "anomaly at 12.25 s ..."; with -o json one
// JSON line per event. A chunk goes out only once the one before it is answered, so a stream faster than
// the cluster is held back (a pipe simply waits), never dropped; the summary on stderr says how many
// samples went through and that none was dropped. A bad line stops the feed with its line number, exit 1.
#include <fstream>
#include <iostream>
#include <memory>

#include "cli/anomaly_input.hpp"
#include "cli/cluster_args.hpp"
#include "cli/command.hpp"
#include "cli/experiment_run.hpp"
#include "cli/output.hpp"
#include "client/command_table.hpp"

namespace p3p::cli {
namespace {

constexpr std::size_t kChunkSamples = 1024;  // 32 steps of 32 samples: 8 s of signal at 128 Hz

struct FeedArgs {
  RunPlace where;
  Format format = Format::table;
  std::string file;
  double rate = 128.0;
};

struct Totals {
  std::int64_t samples = 0, events = 0, dropped = 0;
};

void print_event(const FeedArgs& a, const nlohmann::json& e) {
  if (a.format != Format::table) {
    std::cout << nlohmann::json{{"event", "anomaly"}, {"tick", e["tick"]}, {"sample", e["sample"]}, {"time_s", e["time_s"]},
                                {"channels", e["channels"]}, {"score", e["score"]}}.dump() << std::endl;
    return;
  }
  std::string channels;
  for (const auto& c : e["channels"]) channels += (channels.empty() ? "" : ",") + c.dump();
  char line[160];
  std::snprintf(line, sizeof line, "anomaly at %.2f s of signal (tick %lld): channels %s, score %.2f", e["time_s"].get<double>(),
                static_cast<long long>(e["tick"].get<std::int64_t>()), channels.c_str(), e["score"].get<double>());
  std::cout << line << std::endl;
}

// One chunk to the control port; prints its events. False (message printed) when it failed.
bool send(const FeedArgs& a, const std::vector<std::vector<double>>& chunk, bool start, bool end, int first_line, Totals& t) {
  const auto& spec = control::command_spec("anomaly_feed");
  const nlohmann::json request = control::request_json(spec, {{"samples", samples_text(chunk)}, {"rate", a.rate}, {"start", start}, {"end", end}});
  const auto reply = ask_control(a.where, request);
  if (!reply) {
    std::cerr << "p3pctl anomaly feed: " << reply.error() << "\n";
    return false;
  }
  if (!reply->value("ok", false)) {
    const nlohmann::json& error = (*reply)["error"];
    std::cerr << "p3pctl anomaly feed: " << error.value("message", std::string("failed")) << " (" << error.value("code", std::string("?"))
              << ") [the samples from input line " << first_line << " on]\n";
    return false;
  }
  const nlohmann::json& result = (*reply)["result"];
  for (const auto& e : result["events"]) print_event(a, e);
  t.samples += result.value("samples", std::int64_t{0});
  t.events += static_cast<std::int64_t>(result["events"].size());
  t.dropped += result.value("dropped", std::int64_t{0});
  return true;
}

int feed(const FeedArgs& a) {
  std::ifstream file;
  if (a.file != "-") {
    file.open(a.file);
    if (!file) {
      std::cerr << "p3pctl anomaly feed: cannot read " << a.file << "\n";
      return kExitFailed;
    }
  }
  SampleReader reader(a.file == "-" ? std::cin : file);
  const std::string name = a.file == "-" ? "stdin" : a.file;
  std::vector<std::vector<double>> chunk;
  Totals totals;
  bool start = true;
  int first_line = 1;
  while (true) {
    auto sample = reader.next();
    if (!sample) {
      std::cerr << "p3pctl anomaly feed: " << name << " " << sample.error() << " (fed " << totals.samples << " samples before it)\n";
      return kExitFailed;
    }
    const bool at_end = !*sample;
    if (!at_end) chunk.push_back(std::move(**sample));
    if (chunk.size() < kChunkSamples && !at_end) continue;
    if ((!chunk.empty() || !start) && !send(a, chunk, start, at_end, first_line, totals)) return kExitFailed;
    start = false;
    chunk.clear();
    first_line = reader.line() + 1;
    if (at_end) break;
  }
  std::cerr << "fed " << totals.samples << " samples (" << static_cast<double>(totals.samples) / a.rate << " s of signal), "
            << totals.events << " anomaly events, " << totals.dropped << " dropped\n";
  return kExitOk;
}

}  // namespace

void add_anomaly_command(CLI::App& app, int& exit_code) {
  auto* anomaly = app.add_subcommand("anomaly", "anomaly detection on the running cluster (seizure_detect's trained detector)");
  anomaly->require_subcommand(1);
  auto a = std::make_shared<FeedArgs>();
  auto* sub = anomaly->add_subcommand("feed", "stream a signal (CSV or JSON lines, one sample per line, channels as columns) "
                                              "through the trained detector and print the anomaly events as they happen");
  sub->add_option("file", a->file, "the signal file, or - for stdin")->required();
  sub->add_option("--rate", a->rate, "the signal's sample rate in Hz (the detector's: 128)")->check(CLI::PositiveNumber);
  sub->add_option("--endpoint", a->where.endpoint, "control port HOST:PORT (default: $P3P_ENDPOINT, then the topology's)");
  sub->add_option("--topology", a->where.topology, "topology YAML file (default: $P3P_TOPOLOGY, then the cluster last brought up)");
  add_run_dir_option(*sub, a->where.run_dir);
  add_output_option(*sub, a->format);
  sub->callback([a, &exit_code] { exit_code = feed(*a); });
}

}  // namespace p3p::cli
