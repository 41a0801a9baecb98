// Requests a node serves to clients (p3pctl now, the control dispatcher later), besides status:
//   cortex7/stimulate {column, pattern: [{neuron, current}], pattern_len = 1, start_tick?}
//       the original's stimulate_region for one local column: item i of repetition r is injected at tick
//       start + r*|pattern| + i. Answered once the engine has taken it: {column, start_tick, ticks}.
//   cortex7/reward {value, columns?}  reward_global on this node, or (columns: ids, all on this node) only
//                                     to the projections onto those columns (a region's): {reward_level}
//   cortex7/set_thresholds {threshold}  debug_low_thresholds on this node (1.0 = the presets' own): {changed}
//   cortex7/weights {column}          get_weights: the synapses onto a local column
//   cortex7/set_weights, cortex7/reset  node_engine_requests.cpp
//   runtime/pause {paused}            the operator's pause (true) or resume (false) of this node's epochs
//   runtime/set_pacing {tick_ms}      pacing from now on (0 = as fast as possible)
//   runtime/metrics {neurons?}        the metrics document (node_metrics.cpp)
//   runtime/regions {phase: prepare, version, regions} | {phase: commit|abort, version}
//       update_regions in two phases: prepare checks the layout (region_layout.hpp) and holds it; commit
//       applies the held one (it cannot fail), abort drops it. Answered {version, regions}.
//   echo/ping {anything}              -> pong with the same body (peers measure their round trip with it)
//   runtime/run_until {tick, wait = false}
//       raises this node's lockstep target (never lowers it); every node must be told, the cluster only
//       moves together. Answered at once: {tick, target_tick}; with wait, once the node has computed up to
//       `tick` (the lockstep needs every node told): {tick, target_tick, raster_sum, columns: {column id:
//       [spikes per neuron so far]}} - so a client learns the tick is reached without polling status
//       (busy: 256 waits are pending already), and step_endpoint: where this node's simulation thread takes
//       the cluster driver's steps (runtime/step, sim_step.hpp).
// Bad requests get an `error` reply {code, message} and change nothing. Codes (common/error_code.hpp):
// bad_args, not_here (the column lives on another node), not_ready (the engine is still starting or has failed).
#include <cmath>
#include <limits>

#include "nodes/runtime/node.hpp"

namespace p3p::runtime {
namespace {

constexpr std::size_t kMaxPatternItems = 4096;
constexpr std::int64_t kMaxStimulusTicks = 1'000'000;  // what one request may schedule (memory bound)

// An argument the request table has already checked (present, of its type, in range).
template <class T>
T arg(const nlohmann::json& body, const char* name, T fallback = {}) {
  const auto it = body.find(name);
  return it == body.end() ? fallback : it->get<T>();
}

Expected<std::vector<cortex::PatternItem>, Failure> pattern_arg(const nlohmann::json& body) {
  const auto it = body.find("pattern");
  if (it == body.end() || !it->is_array() || it->empty() || it->size() > kMaxPatternItems)
    return unexpected(bad_args("'pattern' must be a list of 1 to " + std::to_string(kMaxPatternItems) +
                               " {neuron, current} items"));
  std::vector<cortex::PatternItem> items;
  for (const auto& item : *it) {
    if (!item.is_object()) return unexpected(bad_args("each 'pattern' item must be a map {neuron, current}"));
    const auto neuron = item.find("neuron");
    if (neuron != item.end() && (!neuron->is_number_unsigned() || neuron->get<std::uint64_t>() > std::numeric_limits<std::uint32_t>::max()))
      return unexpected(bad_args("each 'pattern' item's 'neuron' must be a neuron index"));
    const auto current = item.find("current");
    if (current == item.end() || !current->is_number() || !(std::fabs(current->get<double>()) <= kMaxItemCurrent))
      return unexpected(bad_args("each 'pattern' item needs a number 'current' in [-1e6, 1e6]"));
    items.push_back({neuron == item.end() ? 0U : neuron->get<std::uint32_t>(), current->get<double>()});
  }
  return items;
}

}  // namespace

bool Node::serve_request(const bus::EnvelopeView& env, const nlohmann::json& body, const bus::RoutedMessage& from) {
  const RequestSpec* spec = find_request(env.target_module, env.kind);
  if (!spec) return false;
  const ReplyTo to{bus::Bytes(from.identity_bytes().begin(), from.identity_bytes().end()), std::string(env.sender)};
  if (!spec->any_body) {
    if (!body.is_object()) return fail(to, bad_args("the request body must be a map")), true;
    if (auto checked = check_request(*spec, body); !checked) return fail(to, checked.error()), true;
  }
  if (spec->needs_engine && (!sim_ready_ || !failure_.empty()))
    return fail(to, {ErrorCode::not_ready, failure_.empty() ? "the engine is still starting" : "the engine failed: " + failure_}), true;
  (this->*spec->serve)(body, to);
  return true;
}

void Node::fail(const ReplyTo& to, const Failure& e) { send_reply(to, "error", {{"code", e.code}, {"message", e.message}}); }

void Node::serve_status(const nlohmann::json&, const ReplyTo& to) { send_reply(to, "status", status()); }

void Node::serve_ping(const nlohmann::json& body, const ReplyTo& to) {
  ++echo_pings_;
  send_reply(to, "pong", body);  // at most kMaxBodyDepth deep: encoding it cannot run out of stack
}

void Node::serve_weights(const nlohmann::json& body, const ReplyTo& to) {
  auto population = local_column(arg<std::string>(body, "column"));
  if (!population) return fail(to, population.error());
  post_engine_call(to, weights_call(*population));
}

void Node::serve_reward(const nlohmann::json& body, const ReplyTo& to) {
  const double value = arg<double>(body, "value");
  if (!body.contains("columns")) return post_engine_call(to, reward_call(value, std::nullopt), "reward", {{"value", value}});
  auto populations = engine_columns(body["columns"]);
  if (!populations) return fail(to, populations.error());
  post_engine_call(to, reward_call(value, std::move(*populations)), "reward", {{"value", value}, {"columns", body["columns"]}});
}

void Node::serve_thresholds(const nlohmann::json& body, const ReplyTo& to) {
  const double value = arg<double>(body, "threshold");
  post_engine_call(to, thresholds_call(value), "thresholds", {{"threshold", value}});
}

void Node::serve_run_until(const nlohmann::json& body, const ReplyTo& to) {
  const auto tick = arg<std::int64_t>(body, "tick");
  const bool wait = arg<bool>(body, "wait");
  PendingCall* waiter = nullptr;
  if (wait) {  // one command: the simulation learns the target and the wait together
    auto [id, pending] = await_call(to);
    waiter = pending;
    sim_->run_until_and_wait(id, tick);
  } else {
    sim_->run_until(tick);
  }
  const SimSnapshot sim = sim_->snapshot();
  // The target as the simulation will hold it: rounded up to a whole epoch, never lowered.
  const std::int64_t rounded = (tick + epoch_ticks_ - 1) / epoch_ticks_ * epoch_ticks_;
  const std::int64_t held = static_cast<std::int64_t>(sim.target_epochs) * epoch_ticks_;
  const std::int64_t target = std::max(rounded, held);
  if (!wait) return send_reply(to, "run_until", {{"tick", sim.stats.tick}, {"target_tick", target}});
  // With wait, answered when this node has computed up to `tick`: where it stands then, and every local
  // column's spikes per neuron so far (a client subtracts two such answers for a window's counts).
  waiter->reply = [this, target](const nlohmann::json& view) {
    nlohmann::json columns = nlohmann::json::object();
    for (const auto& [population, counts] : view["populations"].items())
      columns[column_ids_.at(std::stoul(population))] = counts;
    return nlohmann::json{{"tick", view["tick"]}, {"target_tick", target}, {"raster_sum", view["raster_sum"]}, {"columns", columns},
                          {"step_endpoint", sim_->snapshot().spikes_endpoint}};
  };
}

void Node::serve_pause(const nlohmann::json& body, const ReplyTo& to) {
  const bool paused = arg<bool>(body, "paused");
  if (operator_paused_ != paused) emit_event(paused ? "paused" : "resumed");
  operator_paused_ = paused;
  update_gate();
  const SimSnapshot sim = sim_->snapshot();
  send_reply(to, "pause", {{"paused", operator_paused_}, {"tick", sim.stats.tick}});
}

void Node::serve_set_pacing(const nlohmann::json& body, const ReplyTo& to) {
  const auto ms = arg<std::uint32_t>(body, "tick_ms");
  sim_->set_pacing(ms);
  emit_event("pacing", {{"tick_ms", ms}});
  send_reply(to, "set_pacing", {{"tick_ms", ms}});
}

// A column of the topology that lives on this node: its population index, or bad_args / not_here.
Expected<std::uint32_t, Failure> Node::local_column(const std::string& name) const {
  const auto pop = std::find(column_ids_.begin(), column_ids_.end(), name);
  if (pop == column_ids_.end()) return unexpected(bad_args("no column '" + name + "' in the topology"));
  const topology::Column* where = topology::find_column(topo_, name);
  if (where && where->node != options_.node_id)
    return unexpected(Failure{ErrorCode::not_here, "column '" + name + "' lives on " + where->node + ", not on " + options_.node_id});
  return static_cast<std::uint32_t>(pop - column_ids_.begin());
}

// get_weights: every synapse onto one local column, projection by projection (at most kMaxWeights).
EngineCall Node::weights_call(std::uint32_t population) const {
  return [population, ids = column_ids_](cortex::Engine& engine) {
    constexpr std::size_t kMaxWeights = 100000;
    nlohmann::json projections = nlohmann::json::array();
    std::size_t total = 0;
    bool truncated = false;
    const auto& spec = engine.spec();
    for (std::uint32_t j = 0; j < spec.projections.size(); ++j) {
      if (spec.projections[j].target != population) continue;
      nlohmann::json synapses = nlohmann::json::array();
      for (const cortex::SynapseView& v : engine.synapses(j)) {
        if (total == kMaxWeights) {
          truncated = true;
          break;
        }
        synapses.push_back({v.source, v.target, v.weight});
        ++total;
      }
      const std::uint32_t source = spec.projections[j].source;
      projections.push_back({{"from", source < ids.size() ? ids[source] : std::to_string(source)},
                             {"plastic", spec.projections[j].stdp.rule != cortex::StdpRule::none},
                             {"synapses", synapses}});
    }
    return CallOutcome(nlohmann::json{{"column", ids[population]}, {"projections", projections}, {"synapses", total},
                                      {"truncated", truncated}, {"format", "[source neuron, target neuron, weight]"}});
  };
}

// reward_global on this node: each plastic projection's reward level or dopamine event by its mode
// (Engine::reward); with `populations`, only the projections onto them.
EngineCall Node::reward_call(double value, std::optional<std::vector<std::uint32_t>> populations) {
  return [value, populations = std::move(populations)](cortex::Engine& engine) {
    if (!populations) {
      engine.reward(value);
    } else if (auto ok = engine.reward(value, *populations); !ok) {
      return CallOutcome(unexpected(bad_args(ok.error().message)));
    }
    return CallOutcome(nlohmann::json{{"reward_level", value}});
  };
}

// debug_low_thresholds on this node: every local neuron's threshold; 1.0 restores the presets' own
// (the original could only go back through a snapshot load). Returns how many thresholds changed.
EngineCall Node::thresholds_call(double value) {
  return [value](cortex::Engine& engine) {
    std::uint64_t changed = 0;
    for (std::uint32_t p = 0; p < engine.spec().populations.size(); ++p) {
      if (!engine.is_local(p)) continue;
      const auto before = std::vector<double>(engine.thresholds(p).begin(), engine.thresholds(p).end());
      if (value == 1.0) (void)engine.restore_thresholds(p);
      else (void)engine.set_thresholds(p, value);
      const auto after = engine.thresholds(p);
      for (std::size_t i = 0; i < before.size(); ++i) changed += before[i] != after[i];
    }
    return CallOutcome(nlohmann::json{{"changed", changed}});
  };
}

void Node::post_engine_call(const ReplyTo& to, EngineCall call, std::string event, nlohmann::json fields) {
  auto [id, pending] = await_call(to);
  pending->event = std::move(event);
  if (!fields.is_null()) pending->fields = std::move(fields);
  sim_->call(id, std::move(call));
}

void Node::serve_stimulate(const nlohmann::json& body, const ReplyTo& to) {
  const auto name = arg<std::string>(body, "column");
  auto population = local_column(name);
  if (!population) return fail(to, population.error());
  auto pattern = pattern_arg(body);
  if (!pattern) return fail(to, pattern.error());
  const auto len = arg<std::int64_t>(body, "pattern_len", 1);
  if (len * static_cast<std::int64_t>(pattern->size()) > kMaxStimulusTicks)
    return fail(to, bad_args("pattern_len x |pattern| may schedule at most " + std::to_string(kMaxStimulusTicks) + " ticks"));
  std::optional<std::int64_t> start;
  if (body.contains("start_tick")) start = arg<std::int64_t>(body, "start_tick");
  // at_once: every item at the start tick (the cluster driver's currents of one column and tick, in one request).
  const bool at_once = body.value("at_once", false);
  if (at_once && body.contains("pattern_len")) return fail(to, bad_args("'at_once' puts every item at one tick: no 'pattern_len' with it"));
  post_engine_call(to, [population = *population, name, items = std::move(*pattern), len = static_cast<int>(len), start, at_once](cortex::Engine& engine) {
    const std::int64_t first = start.value_or(engine.tick());
    Expected<std::int64_t, cortex::Error> ticks = std::int64_t{1};
    if (!at_once)
      ticks = engine.stimulate(population, items, len, first);
    else if (auto ok = engine.inject_all(population, items, first); !ok)
      ticks = unexpected(ok.error());
    if (!ticks) return CallOutcome(unexpected(bad_args(ticks.error().message + " (engine at tick " + std::to_string(engine.tick()) + ")")));
    return CallOutcome(nlohmann::json{{"column", name}, {"start_tick", first}, {"ticks", *ticks}});
  });
}

void Node::on_call_done(const SimEvent& e) {
  const auto it = pending_calls_.find(e.call_id);
  if (it == pending_calls_.end()) return;
  PendingCall& call = it->second;
  if (e.outcome) {
    if (call.then) call.then(*e.outcome);
    send_reply(call.to, "result", call.reply ? call.reply(*e.outcome) : *e.outcome);
    if (!call.event.empty()) {
      call.fields.update(*e.outcome);
      emit_event(call.event, std::move(call.fields));
    }
  } else {
    send_reply(call.to, "error", {{"code", e.outcome.error().code}, {"message", e.outcome.error().message}});
  }
  pending_calls_.erase(it);
}

void Node::send_reply(const ReplyTo& to, std::string_view kind, const nlohmann::json& body) {
  const auto bytes = nlohmann::json::to_msgpack(body);
  if (!outbox_.seal({to.sender, "client", kind}, bus::ByteView(bytes), frame_)) return;
  router_->send(bus::ByteView(to.identity), frame_);  // a client gone away is not our problem
}

}  // namespace p3p::runtime

namespace p3p::runtime {

void Node::serve_regions(const nlohmann::json& body, const ReplyTo& to) {
  const auto fail = [&](const Failure& e) { this->fail(to, e); };
  const auto v = arg<std::uint64_t>(body, "version");
  const auto phase = arg<std::string>(body, "phase");
  if (phase == "prepare") {
    if (!body.contains("regions")) return fail(bad_args("missing argument 'regions'"));
    auto layout = control::parse_region_layout(topo_, body["regions"], v);
    if (!layout) return fail(layout.error());
    staged_regions_ = std::move(*layout);
  } else if (phase == "commit") {
    if (!staged_regions_ || staged_regions_->version != v)
      return fail({ErrorCode::conflict, "no layout version " + std::to_string(v) + " prepared on " + options_.node_id});
    apply_regions(std::move(*staged_regions_));
    staged_regions_.reset();
    nlohmann::json names = nlohmann::json::array();
    for (const auto& r : regions_.regions) names.push_back(r.name);
    emit_event("regions_updated", {{"version", v}, {"regions", names}});
  } else if (phase == "abort") {
    if (staged_regions_ && staged_regions_->version == v) staged_regions_.reset();
  } else {
    return fail(bad_args("'phase' must be prepare, commit or abort"));
  }
  send_reply(to, "regions", {{"phase", phase}, {"version", regions_.version}});
}

}  // namespace p3p::runtime
