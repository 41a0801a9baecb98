#include "cli/cluster_views.hpp"

#include <algorithm>
#include <ostream>
#include <string>

#include "cli/output.hpp"

namespace p3p::cli {
namespace {

std::string text(const nlohmann::json& v) {
  if (v.is_null()) return "-";
  return v.is_string() ? v.get<std::string>() : v.dump();
}

std::string rejected_text(const nlohmann::json& rejected) {
  std::string out;
  if (!rejected.is_object()) return "-";
  for (const auto& [reason, count] : rejected.items())
    if (count.is_number() && count.get<std::uint64_t>() > 0) out += (out.empty() ? "" : " ") + reason + "=" + count.dump();
  return out.empty() ? "0" : out;
}

}  // namespace

void print_status_table(std::ostream& out, const nlohmann::json& status) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& n : status["nodes"]) {
    if (n["state"] != "up") {
      rows.push_back({text(n["id"]), text(n["state"]), "-", "-", "-", "-", "-", "-", "-", "-", "-", "-"});
      continue;
    }
    const auto& ex = n.value("exchange_us", nlohmann::json::object());
    const std::string peers = text(n.value("peers_connected", nlohmann::json())) + "/" +
                              std::to_string(n.value("peers", nlohmann::json::array()).size());
    rows.push_back({text(n["id"]), "up", text(n.value("node_state", nlohmann::json())), text(n.value("tick", nlohmann::json())),
                    text(n.value("epoch", nlohmann::json())), text(n.value("columns", nlohmann::json())),
                    text(n.value("neurons", nlohmann::json())), text(n.value("synapses", nlohmann::json())),
                    text(n.value("spikes", nlohmann::json())), peers, rejected_text(n.value("rejected", nlohmann::json())),
                    text(ex.value("p50", nlohmann::json())) + "/" + text(ex.value("p99", nlohmann::json()))});
  }
  out << "cluster " << text(status["cluster"]) << " (" << text(status["topology"]) << ")\n";
  print_table(out, {"node", "state", "phase", "tick", "epoch", "columns", "neurons", "synapses", "spikes", "peers",
                    "rejected", "exchange p50/p99 us"},
              rows);
  for (const auto& n : status["nodes"]) {
    const std::string reason = n.value("reason", std::string());
    if (!reason.empty()) out << n["id"].get<std::string>() << ": " << reason << '\n';
  }
  if (!status["raster_hash"].is_null()) out << "raster_hash " << status["raster_hash"].get<std::string>() << '\n';
}

void print_demo_table(std::ostream& out, const nlohmann::json& report) {
  std::string regions;
  for (const auto& r : report["regions"]) regions += (regions.empty() ? "" : ", ") + r.get<std::string>();
  out << "demo: stimulated " << regions << ' ' << report["stim_cycles"] << " times (pattern " << report["pattern"].dump()
      << " x " << report["pattern_len"] << "), then " << report["advance_ticks"] << " more ticks: ticks "
      << report["start_tick"] << " to " << report["end_tick"] << "\n\n";
  std::vector<std::vector<std::string>> rows;
  for (const auto& [node, spikes] : report["spikes_per_node"].items()) rows.push_back({node, spikes.dump()});
  print_table(out, {"NODE", "SPIKES"}, rows);
  out << '\n';
  rows.clear();
  for (const auto& [region, spikes] : report["spikes_per_region"].items())
    if (spikes.get<std::uint64_t>() > 0 ||
        std::find(report["regions"].begin(), report["regions"].end(), region) != report["regions"].end())
      rows.push_back({region, spikes.dump()});
  print_table(out, {"REGION", "SPIKES"}, rows);
  out << "\ntotal spikes: " << report["spikes_total"] << " (" << report["end_tick"].get<std::int64_t>() - report["start_tick"].get<std::int64_t>()
      << " ticks in " << report["run_wall_s"].get<double>() * 1000 << " ms)\n";
}

}  // namespace p3p::cli
