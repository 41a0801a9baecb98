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
    : topo_(t), held_(t.nodes.size()), idle_(t.nodes.size(), false), behind_(t.nodes.size(), false),
      rasters_(t.nodes.size(), 0), links_(std::move(links)), timeout_(timeout) {
  for (const topology::Region& r : topo_.regions) column_count_ += r.columns.size();
}

// A driver that goes away leaves every node at the same tick (best effort: a node that does not answer has
// failed the last call already).
NodeClusterDriver::~NodeClusterDriver() { (void)catch_up(std::vector<bool>(topo_.nodes.size(), true)); }

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
  return links_->steps_known() ? step_to(tick) : wait_for(tick);
}

// The step path: what is held and the run to `tick` in one message per node, to its simulation thread.
Expected<ClusterDriver::Stop, Error> NodeClusterDriver::step_to(std::int64_t tick, const nlohmann::json* focus) {
  std::vector<nlohmann::json> bodies(topo_.nodes.size());
  std::vector<bool> stepped(bodies.size());
  for (std::size_t n = 0; n < bodies.size(); ++n) stepped[n] = focus || !skips(n);
  if (auto ok = catch_up(stepped); !ok) return unexpected(ok.error());
  const bool every_column = counted().size() == column_count_;
  for (std::size_t n = 0; n < bodies.size(); ++n) {
    if (!stepped[n]) {
      behind_[n] = true;
      continue;  // a null body: not stepped
    }
    Held& h = held_[n];
    nlohmann::json& b = bodies[n];
    b = {{"until", tick}};
    if (!h.currents.empty()) b["currents"] = std::move(h.currents);
    if (!h.rewards.empty()) b["rewards"] = std::move(h.rewards);
    if (!h.normalise.empty()) b["normalise"] = std::move(h.normalise);
    h = Held{};
    if (!every_column) b["columns"] = nlohmann::json::array();
    if (focus) b["focus"] = *focus;
  }
  if (!every_column)
    for (const std::string& c : counted()) bodies[node_of(c)]["columns"].push_back(c);
  auto answers = links_->step(bodies, timeout_);
  if (auto ok = first_error(answers, "step to tick " + std::to_string(tick)); !ok) return unexpected(ok.error());
  try {
    return stop_of(answers);
  } catch (const nlohmann::json::exception& e) {  // signed, but not what a step answers
    return unexpected(Error{ErrorCode::bad_reply, "step to tick " + std::to_string(tick) + ": " + e.what()});
  }
}

// Every node takes it at the same tick, where they all stand: a step that runs nothing. A node that has
// not named its step endpoint yet is asked to first (a run_until to where it stands).
Expected<void, Error> NodeClusterDriver::set_focus(const std::vector<std::string>& live) {
  if (!links_->steps_known())
    if (auto stop = wait_for(tick()); !stop) return unexpected(stop.error());
  const nlohmann::json focus = nlohmann::json::array({tick(), live});
  auto stop = step_to(tick(), &focus);
  if (!stop) return unexpected(stop.error());
  // Idle from now on: no live column on it, and no projection from a live column onto one of its columns.
  std::vector<bool> active(topo_.nodes.size(), live.empty());
  for (const std::string& c : live) active[node_of(c)] = true;
  for (const topology::Projection& p : topo_.projections)
    if (std::find(live.begin(), live.end(), p.from) != live.end()) active[node_of(p.to)] = true;
  for (std::size_t n = 0; n < idle_.size(); ++n) idle_[n] = !active[n];
  return {};
}

bool NodeClusterDriver::skips(std::size_t node) const {
  if (!idle_[node] || !held_[node].currents.empty() || !held_[node].rewards.empty() || !held_[node].normalise.empty()) return false;
  if (counted().size() == column_count_) return false;  // every column counted: every node answers
  return std::none_of(counted().begin(), counted().end(), [&](const std::string& c) { return node_of(c) == node; });
}

// A step to tick() for each of `nodes` that is behind (nothing held goes with it: it is for tick()).
Expected<void, Error> NodeClusterDriver::catch_up(const std::vector<bool>& nodes) {
  std::vector<nlohmann::json> bodies(topo_.nodes.size());
  bool any = false;
  for (std::size_t n = 0; n < bodies.size(); ++n)
    if (nodes[n] && behind_[n]) {
      bodies[n] = {{"until", tick()}, {"columns", nlohmann::json::array()}};
      any = true;
    }
  if (!any) return {};
  auto answers = links_->step(bodies, timeout_);
  if (auto ok = first_error(answers, "bring idle nodes to tick " + std::to_string(tick())); !ok) return unexpected(ok.error());
  for (std::size_t n = 0; n < bodies.size(); ++n)
    if (!bodies[n].is_null()) behind_[n] = false;
  return {};
}

// Through the nodes' event loops (runtime/run_until with wait), which also name their step endpoints.
Expected<ClusterDriver::Stop, Error> NodeClusterDriver::wait_for(std::int64_t tick) {
  std::vector<NodeRequest> requests;
  for (std::size_t n = 0; n < topo_.nodes.size(); ++n)
    requests.push_back({n, node_api::run_until(tick, true)});
  auto answers = send(std::move(requests));
  if (!answers) return unexpected(answers.error());
  if (auto ok = first_error(*answers, "run until tick " + std::to_string(tick)); !ok) return unexpected(ok.error());
  try {
    auto stop = stop_of(*answers);
    for (std::size_t n = 0; n < answers->size(); ++n)
      if (const auto e = (*answers)[n]->find("step_endpoint"); e != (*answers)[n]->end() && e->is_string())
        links_->set_step_endpoint(n, e->get<std::string>());
    return stop;
  } catch (const nlohmann::json::exception& e) {  // signed, but not what run_until answers
    return unexpected(Error{ErrorCode::bad_reply, "run until tick " + std::to_string(tick) + ": " + e.what()});
  }
}

// A node not stepped (a null answer) adds the raster sum it last answered: idle, it has not spiked since.
Expected<ClusterDriver::Stop, Error> NodeClusterDriver::stop_of(const std::vector<Expected<nlohmann::json, Error>>& answers) {
  const auto first = std::find_if(answers.begin(), answers.end(), [](const auto& a) { return !a->is_null(); });
  if (first == answers.end()) return unexpected(Error{ErrorCode::bad_args, "a stop needs at least one node's answer"});
  Stop stop{(*first)->at("tick").get<std::int64_t>(), 0, {}};
  const std::size_t by = static_cast<std::size_t>(first - answers.begin());
  for (std::size_t n = 0; n < answers.size(); ++n) {
    const nlohmann::json& a = *answers[n];
    if (a.is_null()) {
      stop.raster += rasters_[n];
      continue;
    }
    if (a.at("tick").get<std::int64_t>() != stop.tick)
      return unexpected(Error{ErrorCode::cluster_not_running, "the nodes stopped at different ticks (" + topo_.nodes[by].id + " at " +
                                                         std::to_string(stop.tick) + ", " + topo_.nodes[n].id + " at " +
                                                         a.at("tick").dump() + "): something else moves the cluster"});
    rasters_[n] = a.at("raster_sum").get<std::uint64_t>();
    stop.raster += rasters_[n];
    for (const auto& [column, counts] : a.at("columns").items()) stop.counts[column] = counts.get<std::vector<std::uint64_t>>();
  }
  return stop;
}

// Held until the next call that goes to the nodes (node_cluster_driver.hpp): a closed-loop step (advance,
// counts, currents) then costs one round trip. One entry per (column, tick) with every current of it: an
// experiment's trial of hundreds of currents costs a handful of entries, not hundreds. The checks every
// node would make were made (cluster_driver.cpp).
Expected<void, Error> NodeClusterDriver::inject(std::span<const Current> currents) {
  std::map<std::pair<std::string, std::int64_t>, std::pair<nlohmann::json, nlohmann::json>> groups;
  for (const Current& c : currents) {
    auto& [neurons, values] = groups[{c.column, c.tick}];
    neurons.push_back(c.neuron);
    values.push_back(c.current);
  }
  // The same currents into the same neurons at consecutive ticks (a tonic drive over a step) travel once,
  // with how many ticks they repeat for: an experiment's step sends a fifth of the numbers.
  nlohmann::json* last = nullptr;  // the entry held last, [column, tick, neurons, currents, ticks]
  std::pair<std::string, std::int64_t> last_at;
  for (auto& [at, items] : groups) {
    if (last && at.first == last_at.first && at.second == last_at.second + 1 && (*last)[4].get<std::int64_t>() < kMaxRepeatTicks &&
        items.first == (*last)[2] && items.second == (*last)[3]) {
      (*last)[4] = (*last)[4].get<std::int64_t>() + 1;
      last_at = at;
      continue;
    }
    auto& held = held_[node_of(at.first)].currents;
    held.push_back({at.first, at.second, std::move(items.first), std::move(items.second), 1});
    last = &held.back();
    last_at = at;
  }
  return {};
}

// What is held, as requests to the nodes' event loops (in a step's order: currents, rewards, normalise).
std::vector<NodeRequest> NodeClusterDriver::pending_requests() {
  std::vector<NodeRequest> out;
  for (std::size_t n = 0; n < held_.size(); ++n) {
    for (const auto& c : held_[n].currents) {
      const auto& neurons = c[2];
      for (std::int64_t r = 0; r < c[4].get<std::int64_t>(); ++r)
        for (std::size_t first = 0; first < neurons.size(); first += kMaxCurrentsPerRequest) {
          nlohmann::json pattern = nlohmann::json::array();
          for (std::size_t i = first; i < std::min(neurons.size(), first + kMaxCurrentsPerRequest); ++i)
            pattern.push_back({{"neuron", neurons[i]}, {"current", c[3][i]}});
          out.push_back({n, node_api::stimulate(c[0].get<std::string>(), std::move(pattern), std::nullopt, c[1].get<std::int64_t>() + r, true)});
        }
    }
    for (const auto& r : held_[n].rewards)
      out.push_back({n, r[1].is_null() ? node_api::reward(r[0].get<double>())
                                       : node_api::reward(r[0].get<double>(), r[1].get<std::vector<std::string>>())});
    for (const auto& m : held_[n].normalise)
      out.push_back({n, node_api::normalise(m[0].get<std::string>(), m[1].get<std::string>(), m[2].get<double>())});
    held_[n] = Held{};
  }
  return out;
}

// What is held, then `requests`, in one batch: the answers to `requests`, or the first error of what was
// held (a node refused it, or did not answer).
Expected<std::vector<Expected<nlohmann::json, Error>>, Error> NodeClusterDriver::send(std::vector<NodeRequest> requests) {
  if (auto ok = catch_up(std::vector<bool>(topo_.nodes.size(), true)); !ok) return unexpected(ok.error());
  std::vector<NodeRequest> batch = pending_requests();
  const std::size_t held = batch.size();
  batch.insert(batch.end(), std::make_move_iterator(requests.begin()), std::make_move_iterator(requests.end()));
  auto answers = links_->exchange(batch, timeout_);
  std::vector<Expected<nlohmann::json, Error>> earlier(std::make_move_iterator(answers.begin()),
                                                       std::make_move_iterator(answers.begin() + static_cast<std::ptrdiff_t>(held)));
  if (auto ok = first_error(earlier, "held currents, rewards or normalisations"); !ok) return unexpected(ok.error());
  answers.erase(answers.begin(), answers.begin() + static_cast<std::ptrdiff_t>(held));
  return answers;
}

// Held like the currents: the cluster stands at tick() until the next call, so it lands at the same tick.
Expected<void, Error> NodeClusterDriver::reward(double value, const std::vector<std::string>* columns) {
  if (!columns) {
    for (Held& h : held_) h.rewards.push_back({value, nullptr});
  } else {
    for (const auto& [node, names] : columns_per_node(*columns)) held_[node].rewards.push_back({value, names});
  }
  return {};
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

// Held like the currents; what the node would refuse is refused now, from the topology the nodes run.
Expected<void, Error> NodeClusterDriver::scale_weights(const std::string& column, const std::string& from, double target_sum) {
  const auto between = std::count_if(topo_.projections.begin(), topo_.projections.end(),
                                     [&](const topology::Projection& p) { return p.from == from && p.to == column; });
  const auto plastic = std::find_if(topo_.projections.begin(), topo_.projections.end(),
                                    [&](const topology::Projection& p) { return p.from == from && p.to == column && p.plastic; });
  if (between != 1 || plastic == topo_.projections.end())
    return unexpected(Error{ErrorCode::bad_args, "normalise " + column + " from " + from + ": " +
                                                     (between == 0 ? "no projection between them" : between > 1 ? "several projections between them" : "a static projection")});
  held_[node_of(column)].normalise.push_back({column, from, target_sum});
  return {};
}

Expected<void, Error> NodeClusterDriver::reset(const std::vector<std::string>& columns, bool weights,
                                               std::optional<std::uint64_t> noise_seed) {
  std::vector<NodeRequest> requests;
  for (const auto& [node, names] : columns_per_node(columns)) requests.push_back({node, node_api::reset(names, weights, noise_seed)});
  auto answers = send(std::move(requests));
  return answers ? first_error(*answers, "reset") : unexpected(answers.error());
}

}  // namespace p3p::driver
