#include "nodes/control/metrics_dump.hpp"

#include "bus/clock.hpp"
#include "client/metrics_format.hpp"
#include "nodes/persistence/file_ops.hpp"
#include "nodes/persistence/manifest.hpp"

namespace p3p::control {

nlohmann::json gather_cluster_metrics(const topology::Topology& t, NodeClient* client, bool neurons,
                                      std::chrono::milliseconds timeout, const OwnMetrics* own) {
  nlohmann::json per_node = nlohmann::json::object();
  for (const auto& n : t.nodes) {
    if (own && n.id == own->node) {
      per_node[n.id] = own->document();
    } else if (!client) {
      per_node[n.id] = Failure{ErrorCode::unreachable, "no client to the nodes"}.text();
    } else {
      auto r = client->call(n, node_api::metrics(neurons), timeout);
      per_node[n.id] = r ? *r : nlohmann::json(r.error().text());
    }
  }
  return cluster_metrics(t.cluster.name, per_node);
}

Expected<void, std::string> write_metrics_dump(const std::filesystem::path& path, nlohmann::json cluster) {
  const std::uint64_t now_ms = bus::unix_now_ns() / 1'000'000;
  cluster["unix_ms"] = now_ms;
  cluster["written"] = persistence::utc_stamp(now_ms);
  const std::string text = cluster.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  auto ok = persistence::write_atomically(persistence::posix_file_ops(), path, bus::as_bytes(text));
  if (!ok) return unexpected("cannot write the metrics dump " + path.string() + ": " + ok.error());
  return {};
}

}  // namespace p3p::control
