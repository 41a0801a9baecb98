#include "driver/node_cluster_driver.hpp"

#include <algorithm>
#include <map>

namespace p3p::driver {

Expected<std::unique_ptr<NodeClusterDriver>, Error> NodeClusterDriver::open(const topology::Topology& t,
                                                                           std::chrono::milliseconds timeout) {
  auto links = NodeLinks::open(t);
  if (!links) return unexpected(links.error());
  auto driver = std::unique_ptr<NodeClusterDriver>(new NodeClusterDriver(t, std::move(*links), timeout));
  // Where every node stands: a wait for tick 0 is answered at once, with the node's tick and counts.
  auto here = driver->run_to(0);
  if (!here) return unexpected(here.error());
  driver->start_at(std::move(*here), regions_of(t));
  return driver;
}

NodeClusterDriver::NodeClusterDriver(const topology::Topology& t, std::unique_ptr<NodeLinks> links, std::chrono::milliseconds timeout)
    : topo_(t), links_(std::move(links)), timeout_(timeout) {}

std::map<std::size_t, std::vector<std::string>> NodeClusterDriver::columns_per_node(const std::vector<std::string>& columns) const {
  std::map<std::size_t, std::vector<std::string>> per_node;
  for (const std::string& c : columns) per_node[node_of(c)].push_back(c);
  return per_node;
}

std::size_t NodeClusterDriver::node_of(const std::string& column) const {
  const topology::Column* c = topology::find_column(topo_, column);
  const auto it = std::find_if(topo_.nodes.begin(), topo_.nodes.end(), [&](const topology::Node& n) { return n.id == c->node; });
  return static_cast<std::size_t>(it - topo_.nodes.begin());
}

// Every node asked at once; each answers when it has computed up to `tick`. The nodes move together, so
// they answer at the same tick - unless the cluster was not at rest at one tick (a node behind, or moved
// by someone else), which the driver cannot make exact: cluster_not_running.
Expected<ClusterDriver::Stop, Error> NodeClusterDriver::run_to(std::int64_t tick) {
  std::vector<NodeRequest> requests;
  for (std::size_t n = 0; n < topo_.nodes.size(); ++n)
    requests.push_back({n, node_api::run_until(tick, true)});
  auto answers = send(std::move(requests));
  if (!answers) return unexpected(answers.error());
  if (auto ok = first_error(*answers, "run until tick " + std::to_string(tick)); !ok) return unexpected(ok.error());
  try {
    return stop_of(*answers);
  } catch (const nlohmann::json::exception& e) {  // signed, but not what run_until answers
    return unexpected(Error{ErrorCode::bad_reply, "run until tick " + std::to_string(tick) + ": " + e.what()});
  }
}

Expected<ClusterDriver::Stop, Error> NodeClusterDriver::stop_of(const std::vector<Expected<nlohmann::json, Error>>& answers) const {
  Stop stop{answers[0]->at("tick").get<std::int64_t>(), 0, {}};
  for (std::size_t n = 0; n < answers.size(); ++n) {
    const nlohmann::json& a = *answers[n];
    if (a.at("tick").get<std::int64_t>() != stop.tick)
      return unexpected(Error{ErrorCode::cluster_not_running, "the nodes stopped at different ticks (" + topo_.nodes[0].id + " at " +
                                                         std::to_string(stop.tick) + ", " + topo_.nodes[n].id + " at " +
                                                         a.at("tick").dump() + "): something else moves the cluster"});
    stop.raster += a.at("raster_sum").get<std::uint64_t>();
    for (const auto& [column, counts] : a.at("columns").items()) stop.counts[column] = counts.get<std::vector<std::uint64_t>>();
  }
  return stop;
}

// Held until the next call that goes to the nodes, and sent ahead of it in the same batch: a node serves
// its requests in order, so they reach the engine before that call does, and a closed-loop step (advance,
// counts, currents) costs one round trip. The checks every node would make were made (cluster_driver.cpp).
Expected<void, Error> NodeClusterDriver::inject(std::span<const Current> currents) {
  for (const Current& c : currents)
    pending_.push_back({node_of(c.column), node_api::stimulate(c.column, nlohmann::json::array({{{"neuron", c.neuron}, {"current", c.current}}}),
                                                               std::nullopt, c.tick)});
  return {};
}

// The held currents, then `requests`, in one batch: the answers to `requests`, or the first error of the
// currents (a node refused one, or did not answer).
Expected<std::vector<Expected<nlohmann::json, Error>>, Error> NodeClusterDriver::send(std::vector<NodeRequest> requests) {
  const std::size_t held = pending_.size();
  std::vector<NodeRequest> batch = std::move(pending_);
  pending_.clear();
  batch.insert(batch.end(), std::make_move_iterator(requests.begin()), std::make_move_iterator(requests.end()));
  auto answers = links_->exchange(batch, timeout_);
  std::vector<Expected<nlohmann::json, Error>> currents(std::make_move_iterator(answers.begin()),
                                                        std::make_move_iterator(answers.begin() + static_cast<std::ptrdiff_t>(held)));
  if (auto ok = first_error(currents, "scheduled currents"); !ok) return unexpected(ok.error());
  answers.erase(answers.begin(), answers.begin() + static_cast<std::ptrdiff_t>(held));
  return answers;
}

Expected<void, Error> NodeClusterDriver::reward(double value, const std::vector<std::string>* columns) {
  std::vector<NodeRequest> requests;
  if (!columns) {
    for (std::size_t n = 0; n < topo_.nodes.size(); ++n) requests.push_back({n, node_api::reward(value)});
  } else {
    for (const auto& [node, names] : columns_per_node(*columns)) requests.push_back({node, node_api::reward(value, names)});
  }
  auto answers = send(std::move(requests));
  return answers ? first_error(*answers, "reward") : unexpected(answers.error());
}

Expected<std::vector<ProjectionWeights>, Error> NodeClusterDriver::read_weights(const std::string& column) {
  auto answers = send({{node_of(column), node_api::weights(column)}});
  if (!answers) return unexpected(answers.error());
  auto answer = std::move((*answers)[0]);
  if (!answer) return unexpected(answer.error());
  if (answer->value("truncated", false))
    return unexpected(Error{ErrorCode::too_large, "column " + column + " has more synapses than one get_weights answer holds"});
  std::vector<ProjectionWeights> out;
  try {
    for (const auto& p : answer->at("projections")) {
      ProjectionWeights& w = out.emplace_back();
      w.from = p.at("from").get<std::string>();
      w.plastic = p.at("plastic").get<bool>();
      for (const auto& s : p.at("synapses")) w.synapses.push_back({s.at(0).get<std::uint32_t>(), s.at(1).get<std::uint32_t>(), s.at(2).get<double>()});
    }
  } catch (const nlohmann::json::exception& e) {
    return unexpected(Error{ErrorCode::bad_reply, "weights of " + column + ": " + e.what()});
  }
  return out;
}

Expected<void, Error> NodeClusterDriver::write_weights(const std::string& column, const std::string& from,
                                                       std::span<const Synapse> synapses) {
  nlohmann::json items = nlohmann::json::array();
  for (const Synapse& s : synapses) items.push_back({s.source, s.target, s.weight});
  auto answers = send({{node_of(column), node_api::set_weights(column, from, std::move(items))}});
  return answers ? first_error(*answers, "set weights of " + column) : unexpected(answers.error());
}

Expected<void, Error> NodeClusterDriver::scale_weights(const std::string& column, const std::string& from, double target_sum) {
  auto answers = send({{node_of(column), node_api::normalise(column, from, target_sum)}});
  return answers ? first_error(*answers, "normalise " + column) : unexpected(answers.error());
}

Expected<void, Error> NodeClusterDriver::reset(const std::vector<std::string>& columns, bool weights) {
  std::vector<NodeRequest> requests;
  for (const auto& [node, names] : columns_per_node(columns)) requests.push_back({node, node_api::reset(names, weights)});
  auto answers = send(std::move(requests));
  return answers ? first_error(*answers, "reset") : unexpected(answers.error());
}

}  // namespace p3p::driver
