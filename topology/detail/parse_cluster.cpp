// Sections "cluster" and "plasticity".
#include <system_error>

#include "topology/detail/parsers.hpp"

namespace p3p::topology::detail {
namespace {

// The key is a secret the user makes once; say exactly where it is expected and how to make it, since a
// missing key is the first thing a new user hits.
void check_key_file(ParseContext& ctx, const Field& f, const std::filesystem::path& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (!std::filesystem::exists(status)) {
    ctx.diag.error(f.pos(), f.path() + ": key file '" + path.string() +
                                "' does not exist; create one with `p3pctl keygen " + path.string() + "`");
  } else if (!std::filesystem::is_regular_file(status)) {
    ctx.diag.error(f.pos(), f.path() + ": key file '" + path.string() + "' is not a regular file");
  }
}

// Points at the key that made w_min > w_max: the one written in this mapping, else the mapping itself.
void check_weight_bounds(ParseContext& ctx, const MapReader& r, const Plasticity& p) {
  if (p.w_min <= p.w_max) return;
  const Field* at = r.get("w_min") ? r.get("w_min") : r.get("w_max");
  const Pos pos = at ? at->pos() : r.pos();
  ctx.diag.error(pos, label(r.path()) + ": w_min (" + format_number(p.w_min) + ") must not exceed w_max (" +
                          format_number(p.w_max) + ")");
}

}  // namespace

void parse_cluster(ParseContext& ctx, const Field& f) {
  MapReader r(ctx.diag, f, {"name", "key_file", "seed", "tick_ms", "heartbeat_timeout_ms", "replay_window_ms"});
  if (!r.ok()) return;
  Cluster& c = ctx.topo.cluster;
  if (auto v = r.string("name", Need::required)) c.name = *v;
  if (auto v = r.string("key_file", Need::required)) {
    c.key_file = ctx.resolve(*v);
    if (ctx.check_key_file) check_key_file(ctx, *r.get("key_file"), c.key_file);
  }
  if (auto v = r.u64("seed")) c.seed = *v;
  if (auto v = r.uint<std::uint32_t>("tick_ms")) c.tick_ms = *v;
  if (auto v = r.uint<std::uint32_t>("heartbeat_timeout_ms", 1)) c.heartbeat_timeout_ms = *v;
  if (auto v = r.uint<std::uint32_t>("replay_window_ms", 1)) c.replay_window_ms = *v;
}

void parse_plasticity(ParseContext& ctx, const Field& f, Plasticity& p) {
  MapReader r(ctx.diag, f,
              {"rule", "a_plus", "a_minus", "tau_plus", "tau_minus", "w_min", "w_max", "dopamine", "tau_c", "tau_d", "eta"});
  if (!r.ok()) return;
  if (const Field* rule = r.get("rule")) {
    if (auto v = read_choice(ctx.diag, *rule, plasticity_rule_from_string, plasticity_rule_names(), "plasticity rule"))
      p.rule = *v;
  }
  if (const Field* mode = r.get("dopamine")) {
    if (auto v = read_choice(ctx.diag, *mode, dopamine_from_string, dopamine_names(), "dopamine mode")) p.dopamine = *v;
  }
  if (auto v = r.number("a_plus", at_least(0))) p.a_plus = *v;
  if (auto v = r.number("a_minus", at_least(0))) p.a_minus = *v;
  if (auto v = r.number("tau_plus", above(0))) p.tau_plus = *v;
  if (auto v = r.number("tau_minus", above(0))) p.tau_minus = *v;
  if (auto v = r.number("tau_c", above(0))) p.tau_c = *v;
  if (auto v = r.number("tau_d", above(0))) p.tau_d = *v;
  if (auto v = r.number("eta", at_least(0))) p.eta = *v;
  const std::optional<double> w_min = r.number("w_min");
  const std::optional<double> w_max = r.number("w_max");
  if (w_min) p.w_min = *w_min;
  if (w_max) p.w_max = *w_max;
  p.w_min_given = p.w_min_given || r.get("w_min") != nullptr;
  p.w_max_given = p.w_max_given || r.get("w_max") != nullptr;
  // Only compare bounds that were read; an unreadable one is already reported.
  if ((w_min || !r.get("w_min")) && (w_max || !r.get("w_max"))) check_weight_bounds(ctx, r, p);
}

}  // namespace p3p::topology::detail
