// Section "regions": each region a list of columns, each column on a node, built from a preset or a size.
#include "topology/detail/parsers.hpp"

namespace p3p::topology::detail {
namespace {

// Copies what the column inherits from its preset. Returns the preset's size (0 if unknown).
std::uint32_t apply_preset(ParseContext& ctx, const Field& f, Column& col) {
  auto name = read_string(ctx.diag, f);
  if (!name || !check_reference(ctx, f, *name, ctx.preset_names, "preset")) return 0;
  auto it = ctx.topo.presets.find(*name);
  if (it == ctx.topo.presets.end()) return 0;
  const Preset& p = it->second;
  // One shared copy of the preset's vectors, made by its first column.
  auto [shared, first] = ctx.preset_parts.try_emplace(*name);
  if (first) {
    shared->second.thresholds = std::make_shared<const std::vector<double>>(p.thresholds);
    shared->second.synapses = std::make_shared<const std::vector<Synapse>>(p.synapses);
  }
  col.preset = *name;
  col.params_name = p.params;
  col.preset_thresholds = shared->second.thresholds;
  col.plastic = p.plastic;
  col.preset_synapses = shared->second.synapses;
  return p.size;
}

// Size from the column's own "size" and/or its preset; 0 when unknown (already reported).
std::uint32_t resolve_size(ParseContext& ctx, const MapReader& r, std::uint32_t preset_size) {
  const Field* size_field = r.get("size");
  const Field* preset_field = r.get("preset");
  if (!size_field && !preset_field) {
    ctx.diag.error(r.pos(), r.path() + ": a column needs 'preset' or 'size'");
    return 0;
  }
  if (!size_field) return preset_size;
  auto size = read_uint<std::uint32_t>(ctx.diag, *size_field, 1);
  if (!size) return 0;
  if (preset_field && preset_size > 0 && *size != preset_size) {
    const std::string preset(preset_field->value.scalar());
    ctx.diag.error(size_field->pos(), size_field->path() + ": size " + std::to_string(*size) + " differs from size " +
                                          std::to_string(preset_size) + " of preset '" + preset +
                                          "'; give one of them, or equal values");
    return 0;
  }
  return *size;
}

void parse_column(ParseContext& ctx, const Field& f, Region& region, std::uint64_t& next_neuron) {
  MapReader r(ctx.diag, f, {"id", "node", "preset", "size", "params", "role"});
  if (!r.ok()) {
    ctx.column_names.complete = false;
    return;
  }
  Column col;
  col.region = region.name;
  auto id = r.string("id", Need::required);
  if (auto node = r.string("node", Need::required)) {
    check_reference(ctx, *r.get("node"), *node, ctx.node_names, "node");
    col.node = *node;
  }
  const std::uint32_t preset_size = r.get("preset") ? apply_preset(ctx, *r.get("preset"), col) : 0;
  col.size = resolve_size(ctx, r, preset_size);
  if (const Field* params = r.get("params")) {
    if (auto name = read_string(ctx.diag, *params)) {
      check_reference(ctx, *params, *name, ctx.param_names, "parameter set");
      col.params_name = *name;
    }
  }
  if (auto role = r.string("role")) col.role = *role;
  if (auto it = ctx.topo.neuron_params.find(col.params_name); it != ctx.topo.neuron_params.end())
    col.params = it->second;
  col.first_neuron = next_neuron;
  next_neuron += col.size;
  if (!id) {
    ctx.column_names.complete = false;  // projections naming it cannot be checked
    return;
  }
  col.id = *id;
  Declared* declared = declare(ctx, ctx.column_names, col.id, r.get("id")->pos(), "column id");
  if (!declared) return;
  declared->column_size = col.size;
  declared->column_index = ctx.columns_kept++;
  region.columns.push_back(std::move(col));
}

// How many columns the regions list, as far as their shape is right: to size the name table once.
std::size_t column_count(const YamlNode& regions) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < regions.size(); ++i) {
    const YamlNode region = regions.item(i);
    for (std::size_t k = 0; k < region.size(); ++k)
      if (region.key(k).scalar() == "columns") n += region.value(k).size();
  }
  return n;
}

void parse_region(ParseContext& ctx, const Field& f, std::uint64_t& next_neuron) {
  MapReader r(ctx.diag, f, {"name", "columns"});
  if (!r.ok()) {
    ctx.column_names.complete = false;
    return;
  }
  Region region;
  auto name = r.string("name", Need::required);
  if (name) region.name = *name;
  if (const Field* cols = r.require("columns")) {
    auto items = read_list(ctx.diag, *cols, "a list of columns");
    if (!items) {
      ctx.column_names.complete = false;
    } else if (items->empty()) {
      ctx.diag.error(cols->pos(), cols->path() + ": expected at least one column");
    } else {
      region.columns.reserve(items->size());
      for (const Field& item : *items) parse_column(ctx, item, region, next_neuron);
    }
  } else {
    ctx.column_names.complete = false;
  }
  if (name && declare(ctx, ctx.region_names, region.name, r.get("name")->pos(), "region name"))
    ctx.topo.regions.push_back(std::move(region));
}

}  // namespace

void parse_regions(ParseContext& ctx, const Field& f) {
  auto items = read_list(ctx.diag, f, "a list of regions");
  if (!items) {
    ctx.column_names.complete = false;
    return;
  }
  if (items->empty()) ctx.diag.error(f.pos(), f.path() + ": expected at least one region");
  ctx.topo.regions.reserve(items->size());
  ctx.column_names.names.reserve(column_count(f.value));
  std::uint64_t next_neuron = 0;
  for (const Field& item : *items) parse_region(ctx, item, next_neuron);
}

}  // namespace p3p::topology::detail
