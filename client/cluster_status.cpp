#include "client/cluster_status.hpp"

#include <algorithm>
#include <cstdio>
#include <set>
#include <string>

#include "client/port_probe.hpp"

namespace p3p::control {
namespace {

std::string hex64(std::uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

}  // namespace

nlohmann::json cluster_status(const topology::Topology& t, NodeClient& client, std::chrono::milliseconds timeout) {
  nlohmann::json nodes = nlohmann::json::array();
  std::set<std::string> reported_lost;
  for (const auto& n : t.nodes) {
    nlohmann::json entry = {{"id", n.id}, {"endpoint", router_endpoint(n)}};
    const std::string host = n.host == "localhost" ? std::string("127.0.0.1") : n.host;
    if (probe_port(host, n.router_port, std::min(timeout, std::chrono::milliseconds(200))) == PortProbe::refused) {
      entry["state"] = "down";
      entry["error"] = "nothing listens at " + router_endpoint(n);
      nodes.push_back(std::move(entry));
      continue;
    }
    auto s = client.call(n, node_api::status(), timeout);
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

}  // namespace p3p::control
