// Requests a node serves to clients (p3pctl now, the control dispatcher later), besides status:
//   cortex7/stimulate {column, pattern: [{neuron, current}], pattern_len = 1, start_tick?}
//       the original's stimulate_region for one local column: item i of repetition r is injected at tick
//       start + r*|pattern| + i. Answered once the engine has taken it: {column, start_tick, ticks}.
//   cortex7/reward {value}            reward_global on this node: {reward_level}
//   cortex7/set_thresholds {threshold}  debug_low_thresholds on this node (1.0 = the presets' own): {changed}
//   cortex7/weights {column}          get_weights: the synapses onto a local column
//   runtime/pause {paused}            the operator's pause (true) or resume (false) of this node's epochs
//   runtime/set_pacing {tick_ms}      pacing from now on (0 = as fast as possible)
//   runtime/metrics {neurons?}        the metrics document (node_metrics.cpp)
//   runtime/regions {phase: prepare, version, regions} | {phase: commit|abort, version}
//       update_regions in two phases: prepare checks the layout (region_layout.hpp) and holds it; commit
//       applies the held one (it cannot fail), abort drops it. Answered {version, regions}.
//   runtime/run_until {tick}
//       raises this node's lockstep target (never lowers it); every node must be told, the cluster only
//       moves together. Answered at once: {tick, target_tick}.
// Bad requests get an `error` reply {code, message} and change nothing. Codes: bad_args, not_here (the
// column lives on another node), not_ready (the engine is still starting or has failed).
#include <cmath>
#include <limits>

#include "nodes/runtime/node.hpp"

namespace p3p::runtime {
namespace {

constexpr std::size_t kMaxPatternItems = 4096;
constexpr std::int64_t kMaxStimulusTicks = 1'000'000;  // what one request may schedule (memory bound)

struct RequestError {
  std::string code;
  std::string message;
};

RequestError bad_args(std::string message) { return {"bad_args", std::move(message)}; }

Expected<nlohmann::json, RequestError> body_object(const bus::EnvelopeView& env) {
  try {
    auto body = nlohmann::json::from_msgpack(env.body.begin(), env.body.end());
    if (!body.is_object()) return unexpected(bad_args("the request body must be a map"));
    return body;
  } catch (const std::exception&) {
    return unexpected(bad_args("the request body is not msgpack"));
  }
}

// An integer argument in [lo, hi]; `fallback` when absent (nullopt = required).
Expected<std::int64_t, RequestError> int_arg(const nlohmann::json& body, const char* name, std::int64_t lo,
                                             std::int64_t hi, std::optional<std::int64_t> fallback = {}) {
  const auto it = body.find(name);
  if (it == body.end()) {
    if (fallback) return *fallback;
    return unexpected(bad_args(std::string("missing argument '") + name + "'"));
  }
  if (!it->is_number_integer()) return unexpected(bad_args(std::string("'") + name + "' must be an integer"));
  const auto v = it->get<std::int64_t>();
  if (v < lo || v > hi)
    return unexpected(bad_args(std::string("'") + name + "' must be in [" + std::to_string(lo) + ", " +
                               std::to_string(hi) + "], got " + std::to_string(v)));
  return v;
}

Expected<std::vector<cortex::PatternItem>, RequestError> pattern_arg(const nlohmann::json& body) {
  const auto it = body.find("pattern");
  if (it == body.end() || !it->is_array() || it->empty() || it->size() > kMaxPatternItems)
    return unexpected(bad_args("'pattern' must be a list of 1 to " + std::to_string(kMaxPatternItems) +
                               " {neuron, current} items"));
  std::vector<cortex::PatternItem> items;
  for (const auto& item : *it) {
    if (!item.is_object()) return unexpected(bad_args("each 'pattern' item must be a map {neuron, current}"));
    auto neuron = int_arg(item, "neuron", 0, std::numeric_limits<std::uint32_t>::max(), 0);
    if (!neuron) return unexpected(neuron.error());
    const auto current = item.find("current");
    if (current == item.end() || !current->is_number() || !std::isfinite(current->get<double>()))
      return unexpected(bad_args("each 'pattern' item needs a finite number 'current'"));
    items.push_back({static_cast<std::uint32_t>(*neuron), current->get<double>()});
  }
  return items;
}

}  // namespace

bool Node::serve_request(const bus::EnvelopeView& env, const bus::RoutedMessage& from) {
  const bool cortex = env.target_module == "cortex7";
  const bool stimulate = cortex && env.kind == "stimulate";
  const bool reward = cortex && env.kind == "reward";
  const bool thresholds = cortex && env.kind == "set_thresholds";
  const bool weights = cortex && env.kind == "weights";
  const bool runtime = env.target_module == "runtime";
  const bool run_until = runtime && env.kind == "run_until";
  const bool pause = runtime && env.kind == "pause";
  const bool pacing = runtime && env.kind == "set_pacing";
  const bool regions = runtime && env.kind == "regions";
  const bool persist = env.target_module == "persist";
  const bool metrics = runtime && env.kind == "metrics";
  if (!stimulate && !reward && !thresholds && !weights && !run_until && !pause && !pacing && !regions && !persist && !metrics)
    return false;
  const ReplyTo to{bus::Bytes(from.identity_bytes().begin(), from.identity_bytes().end()), std::string(env.sender)};
  const auto fail = [&](const RequestError& e) { send_reply(to, "error", {{"code", e.code}, {"message", e.message}}); };
  auto body = body_object(env);
  if (!body) return fail(body.error()), true;
  if (!sim_ready_ || !failure_.empty())
    return fail({"not_ready", failure_.empty() ? "the engine is still starting" : "the engine failed: " + failure_}), true;
  if (persist) return serve_persist(env, *body, to);
  if (metrics) return serve_metrics(*body, to), true;
  if (regions) return serve_regions(*body, to), true;
  if (run_until) {
    auto tick = int_arg(*body, "tick", 0, std::numeric_limits<std::int64_t>::max() / 4);
    if (!tick) return fail(tick.error()), true;
    sim_->run_until(*tick);
    const SimSnapshot sim = sim_->snapshot();
    // The target as the simulation will hold it: rounded up to a whole epoch, never lowered.
    const std::int64_t rounded = (*tick + epoch_ticks_ - 1) / epoch_ticks_ * epoch_ticks_;
    const std::int64_t held = static_cast<std::int64_t>(sim.target_epochs) * epoch_ticks_;
    send_reply(to, "run_until", {{"tick", sim.stats.tick}, {"target_tick", std::max(rounded, held)}});
    return true;
  }
  if (pause) {
    const auto v = body->find("paused");
    if (v == body->end() || !v->is_boolean()) return fail(bad_args("'paused' must be true or false")), true;
    if (operator_paused_ != v->get<bool>()) emit_event(v->get<bool>() ? "paused" : "resumed");
    operator_paused_ = v->get<bool>();
    update_gate();
    const SimSnapshot sim = sim_->snapshot();
    send_reply(to, "pause", {{"paused", operator_paused_}, {"tick", sim.stats.tick}});
    return true;
  }
  if (pacing) {
    auto ms = int_arg(*body, "tick_ms", 0, 60000);
    if (!ms) return fail(ms.error()), true;
    sim_->set_pacing(static_cast<std::uint32_t>(*ms));
    emit_event("pacing", {{"tick_ms", *ms}});
    send_reply(to, "set_pacing", {{"tick_ms", *ms}});
    return true;
  }
  if (weights) {
    const auto column = body->find("column");
    if (column == body->end() || !column->is_string()) return fail(bad_args("'column' must be a column id")), true;
    const auto pop = std::find(column_ids_.begin(), column_ids_.end(), column->get<std::string>());
    if (pop == column_ids_.end()) return fail(bad_args("no column '" + column->get<std::string>() + "' in the topology")), true;
    const topology::Column* where = topology::find_column(topo_, *pop);
    if (where && where->node != options_.node_id)
      return fail({"not_here", "column '" + *pop + "' lives on " + where->node}), true;
    post_engine_call(to, weights_call(static_cast<std::uint32_t>(pop - column_ids_.begin())));
    return true;
  }
  if (reward || thresholds) {
    const char* name = reward ? "value" : "threshold";
    const auto v = body->find(name);
    if (v == body->end() || !v->is_number() || !std::isfinite(v->get<double>()) || (thresholds && v->get<double>() <= 0))
      return fail(bad_args(std::string("'") + name + "' must be a finite number" + (thresholds ? " > 0" : ""))), true;
    const double value = v->get<double>();
    if (reward) post_engine_call(to, reward_call(value), "reward", {{"value", value}});
    else post_engine_call(to, thresholds_call(value), "thresholds", {{"threshold", value}});
    return true;
  }
  stimulate_column(*body, to);
  return true;
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
    return CallOutcome{{{"column", ids[population]}, {"projections", projections}, {"synapses", total},
                        {"truncated", truncated}, {"format", "[source neuron, target neuron, weight]"}}, {}, {}};
  };
}

// reward_global on this node: the engine's reward level (and, in eligibility mode, a dopamine event).
EngineCall Node::reward_call(double value) {
  return [value](cortex::Engine& engine) {
    engine.reward(value);
    return CallOutcome{{{"reward_level", engine.reward_level()}}, {}, {}};
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
    return CallOutcome{{{"changed", changed}}, {}, {}};
  };
}

void Node::post_engine_call(const ReplyTo& to, EngineCall call, std::string event, nlohmann::json fields) {
  auto [id, pending] = await_call(to);
  pending->event = std::move(event);
  if (!fields.is_null()) pending->fields = std::move(fields);
  sim_->call(id, std::move(call));
}

void Node::stimulate_column(const nlohmann::json& body, const ReplyTo& to) {
  const auto fail = [&](const RequestError& e) { send_reply(to, "error", {{"code", e.code}, {"message", e.message}}); };
  const auto column = body.find("column");
  if (column == body.end() || !column->is_string()) return fail(bad_args("'column' must be a column id"));
  const auto name = column->get<std::string>();
  const auto pop = std::find(column_ids_.begin(), column_ids_.end(), name);
  if (pop == column_ids_.end()) return fail(bad_args("no column '" + name + "' in the topology"));
  const auto population = static_cast<std::uint32_t>(pop - column_ids_.begin());
  const topology::Column* where = topology::find_column(topo_, name);
  if (where && where->node != options_.node_id)
    return fail({"not_here", "column '" + name + "' lives on " + where->node + ", not on " + options_.node_id});
  auto pattern = pattern_arg(body);
  if (!pattern) return fail(pattern.error());
  auto len = int_arg(body, "pattern_len", 1, kMaxStimulusTicks, 1);
  if (!len) return fail(len.error());
  if (*len * static_cast<std::int64_t>(pattern->size()) > kMaxStimulusTicks)
    return fail(bad_args("pattern_len x |pattern| may schedule at most " + std::to_string(kMaxStimulusTicks) + " ticks"));
  std::optional<std::int64_t> start;
  if (body.contains("start_tick")) {
    auto s = int_arg(body, "start_tick", 0, std::numeric_limits<std::int64_t>::max() / 4);
    if (!s) return fail(s.error());
    start = *s;
  }
  post_engine_call(to, [population, name, items = std::move(*pattern), len = static_cast<int>(*len), start](cortex::Engine& engine) {
    const std::int64_t first = start.value_or(engine.tick());
    auto ticks = engine.stimulate(population, items, len, first);
    if (!ticks) return CallOutcome{{}, "bad_args", ticks.error().message + " (engine at tick " + std::to_string(engine.tick()) + ")"};
    return CallOutcome{{{"column", name}, {"start_tick", first}, {"ticks", *ticks}}, {}, {}};
  });
}

void Node::on_call_done(const SimEvent& e) {
  const auto it = pending_calls_.find(e.call_id);
  if (it == pending_calls_.end()) return;
  PendingCall& call = it->second;
  if (e.outcome.error_code.empty()) {
    if (call.then) call.then(e.outcome.result);
    send_reply(call.to, "result", call.reply ? call.reply(e.outcome.result) : e.outcome.result);
    if (!call.event.empty()) {
      call.fields.update(e.outcome.result);
      emit_event(call.event, std::move(call.fields));
    }
  } else {
    send_reply(call.to, "error", {{"code", e.outcome.error_code}, {"message", e.outcome.error_message}});
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
  const auto fail = [&](const RequestError& e) { send_reply(to, "error", {{"code", e.code}, {"message", e.message}}); };
  auto version = int_arg(body, "version", 1, std::numeric_limits<std::int64_t>::max());
  if (!version) return fail(version.error());
  const auto v = static_cast<std::uint64_t>(*version);
  const std::string phase = body.value("phase", nlohmann::json()).is_string() ? body["phase"].get<std::string>() : "";
  if (phase == "prepare") {
    if (!body.contains("regions")) return fail(bad_args("missing argument 'regions'"));
    auto layout = control::parse_region_layout(topo_, body["regions"], v);
    if (!layout) return fail({layout.error().code, layout.error().message});
    staged_regions_ = std::move(*layout);
  } else if (phase == "commit") {
    if (!staged_regions_ || staged_regions_->version != v)
      return fail({"conflict", "no layout version " + std::to_string(v) + " prepared on " + options_.node_id});
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
