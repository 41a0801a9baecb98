// Sections "neuron_params" and "presets", and explicit synapse lists (shared with list projections).
#include <set>
#include <utility>

#include "topology/builtin.hpp"
#include "topology/detail/parsers.hpp"

namespace p3p::topology::detail {
namespace {

NeuronParams parse_param_set(ParseContext& ctx, const Field& f) {
  NeuronParams p = builtin_default_params();
  MapReader r(ctx.diag, f, {"leak", "baseline", "noise", "threshold", "reset", "v_min"});
  if (!r.ok()) return p;
  if (auto v = r.number("leak", between(0, 1))) p.leak = *v;
  if (auto v = r.number("baseline")) p.baseline = *v;
  if (auto v = r.number("noise", at_least(0))) p.noise = *v;
  const auto threshold = r.number("threshold");
  const auto reset = r.number("reset");
  if (threshold) p.threshold = *threshold;
  if (reset) p.reset = *reset;
  if (auto v = r.number("v_min")) p.v_min = *v;
  // A reset at or above threshold would make a neuron fire on every tick after its first spike.
  if ((threshold || !r.get("threshold")) && (reset || !r.get("reset")) && p.reset >= p.threshold) {
    const Field* at = r.get("reset") ? r.get("reset") : r.get("threshold");
    ctx.diag.error(at ? at->pos() : r.pos(), r.path() + ": reset (" + format_number(p.reset) +
                                                 ") must be below threshold (" + format_number(p.threshold) + ")");
  }
  if (p.v_min && *p.v_min > p.reset && (reset || !r.get("reset")))
    ctx.diag.error(r.get("v_min")->pos(), r.path() + ": v_min (" + format_number(*p.v_min) +
                                              ") must not exceed reset (" + format_number(p.reset) + ")");
  return p;
}

std::vector<double> parse_thresholds(ParseContext& ctx, const Field& f, std::uint32_t size) {
  std::vector<double> out;
  auto items = read_list(ctx.diag, f, "a list of numbers (one threshold per neuron)");
  if (!items) return out;
  for (const Field& item : *items) {
    if (auto v = read_number(ctx.diag, item)) out.push_back(*v);
  }
  if (size > 0 && items->size() != size)
    ctx.diag.error(f.pos(), f.path() + ": expected " + std::to_string(size) + " thresholds (one per neuron), got " +
                                std::to_string(items->size()));
  return out;
}

Preset parse_preset(ParseContext& ctx, const Field& f) {
  Preset p;
  p.size = 0;  // unknown until read, so columns using a broken preset skip size checks
  MapReader r(ctx.diag, f, {"size", "params", "thresholds", "plastic", "synapses"});
  if (!r.ok()) return p;
  if (auto v = r.uint<std::uint32_t>("size", 1, std::numeric_limits<std::uint32_t>::max(), Need::required)) p.size = *v;
  if (const Field* params = r.get("params")) {
    if (auto name = read_string(ctx.diag, *params)) {
      check_reference(ctx, *params, *name, ctx.param_names, "parameter set");
      p.params = *name;
    }
  }
  if (auto v = r.boolean("plastic")) p.plastic = *v;
  if (const Field* t = r.get("thresholds")) p.thresholds = parse_thresholds(ctx, *t, p.size);
  if (const Field* s = r.get("synapses")) p.synapses = parse_synapse_list(ctx, *s, p.size, p.size);
  return p;
}

std::optional<std::uint32_t> read_index(ParseContext& ctx, const MapReader& r, std::string_view key, std::uint32_t size,
                                        std::string_view side) {
  auto v = r.uint<std::uint32_t>(key, 0, std::numeric_limits<std::uint32_t>::max(), Need::required);
  if (v && size > 0 && *v >= size) {
    ctx.diag.error(r.get(key)->pos(), r.path() + "." + std::string(key) + ": neuron index " + std::to_string(*v) +
                                          " is out of range for the " + std::string(side) + " column of " +
                                          std::to_string(size) + " neurons (0.." + std::to_string(size - 1) + ")");
    return std::nullopt;
  }
  return v;
}

}  // namespace

void parse_neuron_params(ParseContext& ctx, const Field* f) {
  auto& sets = ctx.topo.neuron_params;
  if (f) {
    MapReader r = MapReader::any_keys(ctx.diag, *f, "parameter set name");
    if (!r.ok()) ctx.param_names.complete = false;
    for (const Field& entry : r.fields()) {
      sets[std::string(entry.key)] = parse_param_set(ctx, entry);
      ctx.param_names.names.emplace(entry.key, Declared{entry.key_pos});
    }
  }
  // "default" always exists; a file may override it.
  const std::string def(kDefaultParamsName);
  if (sets.emplace(def, builtin_default_params()).second) ctx.param_names.names.emplace(def, Declared{});
}

void parse_presets(ParseContext& ctx, const Field* f) {
  auto& presets = ctx.topo.presets;
  if (f) {
    MapReader r = MapReader::any_keys(ctx.diag, *f, "preset name");
    if (!r.ok()) ctx.preset_names.complete = false;
    for (const Field& entry : r.fields()) {
      presets[std::string(entry.key)] = parse_preset(ctx, entry);
      ctx.preset_names.names.emplace(entry.key, Declared{entry.key_pos});
    }
  }
  // "cortex7" always exists; a file may override it.
  const std::string c7(kCortex7PresetName);
  if (presets.emplace(c7, builtin_cortex7_preset()).second) ctx.preset_names.names.emplace(c7, Declared{});
}

std::vector<Synapse> parse_synapse_list(ParseContext& ctx, const Field& f, std::uint32_t pre_size,
                                        std::uint32_t post_size) {
  std::vector<Synapse> out;
  auto items = read_list(ctx.diag, f, "a list of synapses {pre, post, weight}");
  if (!items) return out;
  // The engine keeps one synapse per (pre, post); a repeated pair would silently overwrite the first.
  std::set<std::pair<std::uint32_t, std::uint32_t>> seen;
  for (const Field& item : *items) {
    MapReader r(ctx.diag, item, {"pre", "post", "weight"});
    if (!r.ok()) continue;
    auto pre = read_index(ctx, r, "pre", pre_size, "source");
    auto post = read_index(ctx, r, "post", post_size, "target");
    auto weight = r.number("weight", {}, Need::required);
    if (!pre || !post || !weight) continue;
    if (!seen.emplace(*pre, *post).second) {
      ctx.diag.error(item.pos(),
                     item.path() + ": duplicate synapse " + std::to_string(*pre) + " -> " + std::to_string(*post));
      continue;
    }
    out.push_back(Synapse{*pre, *post, *weight});
  }
  return out;
}

}  // namespace p3p::topology::detail
