#include "nodes/runtime/request_table.hpp"

#include "nodes/runtime/node.hpp"

#include <cmath>
#include <cstdint>

namespace p3p::runtime {
namespace {

// Powers of two: exact as doubles, and far inside int64 (tick arithmetic must never overflow).
constexpr double kTickLimit = 0x1p61;
constexpr double kUint = 0x1p62;  // counts, versions, epochs, generations

RequestArg integer(const char* name, bool required, double lo, double hi) { return {name, ArgKind::integer, required, lo, hi}; }
RequestArg number(const char* name, bool required, double lo, double hi) { return {name, ArgKind::number, required, lo, hi}; }
RequestArg of(const char* name, ArgKind kind, bool required) { return {name, kind, required}; }

}  // namespace

// The same limits as the control port's command table where a command maps onto a request.
const std::vector<RequestSpec>& request_table() {
  using Id = node_api::RequestId;
  static const std::vector<RequestSpec> t = {
      {Id::status, {}, &Node::serve_status, false},
      {Id::run_until, {integer("tick", true, 0, kTickLimit), of("wait", ArgKind::boolean, false)}, &Node::serve_run_until},
      {Id::pause, {of("paused", ArgKind::boolean, true)}, &Node::serve_pause},
      {Id::set_pacing, {integer("tick_ms", true, 0, 60000)}, &Node::serve_set_pacing},
      {Id::metrics, {of("neurons", ArgKind::boolean, false)}, &Node::serve_metrics},
      {Id::regions, {of("phase", ArgKind::string, true), integer("version", true, 1, kUint), of("regions", ArgKind::map, false)},
       &Node::serve_regions},
      {Id::stimulate, {of("column", ArgKind::string, true), of("pattern", ArgKind::list, true),
                       integer("pattern_len", false, 1, 1'000'000), integer("start_tick", false, 0, kTickLimit)},
       &Node::serve_stimulate},
      {Id::reward, {number("value", true, -1000, 1000), of("columns", ArgKind::list, false)}, &Node::serve_reward},
      {Id::set_thresholds, {number("threshold", true, 0.0001, 1000)}, &Node::serve_thresholds},
      {Id::weights, {of("column", ArgKind::string, true)}, &Node::serve_weights},
      {Id::set_weights, {of("column", ArgKind::string, true), of("from", ArgKind::string, true), of("synapses", ArgKind::list, true)},
       &Node::serve_set_weights},
      {Id::reset, {of("columns", ArgKind::list, true), of("weights", ArgKind::boolean, false)}, &Node::serve_reset},
      // The sum's bound is cortex::kMaxNormaliseSum (the drivers check it too).
      {Id::normalise, {of("column", ArgKind::string, true), of("from", ArgKind::string, true), number("target_sum", true, -1e6, 1e6)},
       &Node::serve_normalise},
      {Id::hold, {integer("epoch", false, 0, kUint)}, &Node::serve_hold},
      {Id::release, {}, &Node::serve_release},
      {Id::save, {of("manifest", ArgKind::string, true)}, &Node::serve_save},
      {Id::stage, {of("file", ArgKind::string, true), of("sha256", ArgKind::string, true)}, &Node::serve_stage},
      {Id::restore, {integer("generation", true, 0, kUint)}, &Node::serve_restore},
      {Id::drop, {}, &Node::serve_drop},
      {Id::remove, {of("files", ArgKind::list, true)}, &Node::serve_remove},
      {Id::remove_orphans, {of("manifests", ArgKind::list, true)}, &Node::serve_remove_orphans},
      // Peers ping each other for the round-trip time; what comes is what goes back.
      {Id::ping, {}, &Node::serve_ping, false, true},
  };
  return t;
}

namespace {

const char* kind_name(ArgKind k) {
  switch (k) {
    case ArgKind::integer: return "an integer";
    case ArgKind::number: return "a finite number";
    case ArgKind::boolean: return "true or false";
    case ArgKind::string: return "a string";
    case ArgKind::list: return "a list";
    case ArgKind::map: return "a map";
  }
  return "?";
}

bool has_kind(const nlohmann::json& v, ArgKind k) {
  switch (k) {
    case ArgKind::integer: return v.is_number_integer();
    case ArgKind::number: return v.is_number() && std::isfinite(v.get<double>());
    case ArgKind::boolean: return v.is_boolean();
    case ArgKind::string: return v.is_string();
    case ArgKind::list: return v.is_array();
    case ArgKind::map: return v.is_object();
  }
  return false;
}

std::string text(double x) {
  nlohmann::json j = x == std::floor(x) && std::fabs(x) < 1e15 ? nlohmann::json(static_cast<std::int64_t>(x)) : nlohmann::json(x);
  return j.dump();
}

}  // namespace

const RequestSpec* find_request(node_api::RequestId id) {
  for (const RequestSpec& r : request_table())
    if (r.id == id) return &r;
  return nullptr;
}

const RequestSpec* find_request(std::string_view module, std::string_view kind) {
  const auto id = node_api::find_request(module, kind);
  return id ? find_request(*id) : nullptr;
}

Expected<void, Failure> check_request(const RequestSpec& spec, const nlohmann::json& body) {
  for (const RequestArg& a : spec.args) {
    const auto it = body.find(a.name);
    const std::string quoted = std::string("'") + a.name + "'";
    if (it == body.end()) {
      if (a.required) return unexpected(bad_args("missing argument " + quoted));
      continue;
    }
    if (!has_kind(*it, a.kind)) return unexpected(bad_args(quoted + " must be " + kind_name(a.kind)));
    if (a.kind != ArgKind::integer && a.kind != ArgKind::number) continue;
    // An unsigned integer above int64's range reads as a negative int64: compare it as unsigned.
    const double v = it->is_number_unsigned() ? static_cast<double>(it->get<std::uint64_t>()) : it->get<double>();
    if (v < a.lo || v > a.hi)
      return unexpected(bad_args(quoted + " must be in [" + text(a.lo) + ", " + text(a.hi) + "], got " + it->dump()));
  }
  return {};
}

}  // namespace p3p::runtime
