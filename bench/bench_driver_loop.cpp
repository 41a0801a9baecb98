// The closed loop an experiment runs through the cluster driver: advance a window, read the window's spike
// counts, schedule the next currents from them - on a running cluster at rest (p3pctl up FILE), or with
// --in-process on one engine built from the same topology. Each step is timed; prints one JSON line:
//   {"bench":"driver_closed_loop","driver","nodes","region","window_ticks","steps","step_p50_us","step_p99_us",
//    "step_max_us","ticks_per_s","spikes" (in the watched columns),"raster_hash" (every spike)}
// Without --region the loop drives the demo relay (col_A1 -> col_B1). With --region R it runs as an
// experiment on R does: it watches and focuses on R (ClusterDriver::focus), and each step drives every
// column of R (one current each, stronger while R was quiet) and gives R a reward.
// Usage: bench_driver_loop --topology FILE [--window 1] [--steps 2000] [--region NAME] [--in-process] [--quick]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "driver/engine_driver.hpp"
#include "driver/node_cluster_driver.hpp"
#include "topology/loader.hpp"

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string topology;
  std::int64_t window = 1;
  int steps = 2000;
  bool in_process = false;
  std::string region;  // empty: the demo relay
};

bool parse(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const bool has_value = i + 1 < argc;
    if (a == "--topology" && has_value) o.topology = argv[++i];
    else if (a == "--window" && has_value) o.window = std::stoll(argv[++i]);
    else if (a == "--steps" && has_value) o.steps = std::stoi(argv[++i]);
    else if (a == "--region" && has_value) o.region = argv[++i];
    else if (a == "--in-process") o.in_process = true;
    else if (a == "--quick") o.steps = 100;
    else return false;
  }
  return !o.topology.empty() && o.window >= 1 && o.steps >= 1;
}

double percentile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size())))];
}

// The controller: drive the demo relay's input neuron harder while its target column is quiet, softer
// while it fires - currents depend on the last window's counts, as a closed loop's do.
p3p::Expected<void, p3p::driver::Error> step(p3p::driver::ClusterDriver& d, std::int64_t window) {
  const std::int64_t from = d.tick();
  auto reached = d.advance_to(from + window);
  if (!reached) return p3p::unexpected(reached.error());
  auto counts = d.spike_counts(from, *reached);
  if (!counts) return p3p::unexpected(counts.error());
  const double current = counts->per_column.at("col_B1") == 0 ? 1.2 : 0.4;
  const std::vector<p3p::driver::Current> next{{"col_A1", 0, *reached, current}};
  return d.schedule(next);
}

// An experiment's step on a region: every column driven (a neuron that moves with the step), a reward.
p3p::Expected<void, p3p::driver::Error> region_step(p3p::driver::ClusterDriver& d, const p3p::topology::Region& r,
                                                     std::int64_t window, int i) {
  const std::int64_t from = d.tick();
  auto reached = d.advance_to(from + window);
  if (!reached) return p3p::unexpected(reached.error());
  auto counts = d.spike_counts(from, *reached);
  if (!counts) return p3p::unexpected(counts.error());
  const double current = counts->total == 0 ? 1.5 : 0.5;
  std::vector<p3p::driver::Current> next;
  for (const p3p::topology::Column& c : r.columns) next.push_back({c.id, static_cast<std::uint32_t>(i) % c.size, *reached, current});
  if (auto ok = d.schedule(next); !ok) return ok;
  return d.set_reward(counts->total % 2 == 0 ? 0.1 : -0.1, *reached, r.name);
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!parse(argc, argv, o)) {
    std::fprintf(stderr, "usage: bench_driver_loop --topology FILE [--window TICKS] [--steps N] [--region NAME] [--in-process] [--quick]\n");
    return 2;
  }
  auto t = p3p::topology::load_file(o.topology, {.check_key_file = !o.in_process});
  if (!t) {
    std::fprintf(stderr, "cannot load %s\n", o.topology.c_str());
    return 1;
  }
  std::unique_ptr<p3p::driver::ClusterDriver> d;
  if (o.in_process) {
    auto e = p3p::driver::EngineDriver::create(*t);
    if (e) d = std::move(*e);
    else return std::fprintf(stderr, "%s\n", e.error().text().c_str()), 1;
  } else {
    auto c = p3p::driver::NodeClusterDriver::open(*t);
    if (c) d = std::move(*c);
    else return std::fprintf(stderr, "%s (is the cluster up and at rest?)\n", c.error().text().c_str()), 1;
  }
  // The controller watches what it reads, as an experiment watches its region, so a step carries their
  // counts, not every neuron of the cluster: the relay's two columns, or the region's (also its focus).
  const p3p::topology::Region* region = o.region.empty() ? nullptr : p3p::topology::find_region(*t, o.region);
  if (!o.region.empty() && !region) return std::fprintf(stderr, "no region %s in the topology\n", o.region.c_str()), 1;
  std::vector<std::string> watched{"col_A1", "col_B1"};
  if (region) {
    watched.clear();
    for (const p3p::topology::Column& c : region->columns) watched.push_back(c.id);
  }
  if (auto ok = d->watch(watched); !ok) return std::fprintf(stderr, "%s\n", ok.error().text().c_str()), 1;
  if (region)
    if (auto ok = d->focus(watched); !ok) return std::fprintf(stderr, "%s\n", ok.error().text().c_str()), 1;
  const std::int64_t first = d->tick();
  std::vector<double> us;
  const auto start = Clock::now();
  for (int i = 0; i < o.steps; ++i) {
    const auto t0 = Clock::now();
    auto ok = region ? region_step(*d, *region, o.window, i) : step(*d, o.window);
    if (!ok) return std::fprintf(stderr, "step %d: %s\n", i, ok.error().text().c_str()), 1;
    us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  const auto spikes = d->spike_counts(first, d->tick());
  if (region)
    if (auto ok = d->focus({}); !ok) return std::fprintf(stderr, "%s\n", ok.error().text().c_str()), 1;
  std::printf("{\"bench\":\"driver_closed_loop\",\"driver\":\"%s\",\"nodes\":%zu,\"region\":\"%s\",\"window_ticks\":%lld,\"steps\":%d,"
              "\"step_p50_us\":%.1f,\"step_p99_us\":%.1f,\"step_max_us\":%.1f,\"ticks_per_s\":%.0f,\"spikes\":%llu,"
              "\"raster_hash\":\"%016llx\"}\n",
              o.in_process ? "in_process" : "cluster", t->nodes.size(), region ? region->name.c_str() : "", static_cast<long long>(o.window), o.steps,
              percentile(us, 0.5), percentile(us, 0.99), *std::max_element(us.begin(), us.end()),
              static_cast<double>(d->tick() - first) / seconds,
              static_cast<unsigned long long>(spikes ? spikes->total : 0), static_cast<unsigned long long>(d->raster_hash()));
  return 0;
}
