#include "cli/cluster_status.hpp"

#include <cstdio>
#include <ostream>
#include <set>
#include <string>

#include "cli/output.hpp"

namespace p3p::cli {
namespace {

std::string hex64(std::uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

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

nlohmann::json cluster_status(const topology::Topology& t, NodeClient& client, std::chrono::milliseconds timeout) {
  nlohmann::json nodes = nlohmann::json::array();
  std::set<std::string> reported_lost;
  for (const auto& n : t.nodes) {
    auto s = client.request(n, "runtime", "status", nlohmann::json::object(), timeout);
    nlohmann::json entry = {{"id", n.id}, {"endpoint", router_endpoint(n)}};
    if (s && s->is_object()) {
      entry["state"] = "up";
      entry["node_state"] = (*s).value("state", "");
      for (const auto& [k, v] : s->items())
        if (k != "id" && k != "state") entry[k] = v;
      for (const auto& lost : (*s).value("lost", nlohmann::json::array()))
        if (lost.is_string()) reported_lost.insert(lost.get<std::string>());
    } else {
      entry["state"] = "down";
      entry["error"] = s ? std::string("status reply is not an object") : s.error().text();
    }
    nodes.push_back(std::move(entry));
  }
  bool all_up = true;
  std::uint64_t raster = 0;
  for (auto& entry : nodes) {
    if (entry["state"] == "down" && reported_lost.count(entry["id"].get<std::string>())) entry["state"] = "lost";
    if (entry["state"] != "up") {
      all_up = false;
      continue;
    }
    try {
      raster += std::stoull(entry.value("raster_hash", std::string("0")), nullptr, 16);
    } catch (const std::exception&) {
      all_up = false;  // a node that cannot say its digest leaves the cluster's unknown
    }
  }
  return {{"cluster", t.cluster.name},
          {"topology", t.source.string()},
          {"nodes", nodes},
          {"all_up", all_up},
          {"raster_hash", all_up ? nlohmann::json(hex64(raster)) : nlohmann::json(nullptr)}};
}

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

}  // namespace p3p::cli
