#include "nodes/control/region_layout.hpp"

#include <algorithm>
#include <map>

#include "common/closest_match.hpp"

namespace p3p::control {
namespace {

constexpr std::size_t kMaxRegions = 4096;
constexpr std::size_t kMaxName = 128;

Failure bad(std::string message) { return {ErrorCode::bad_args, "update_regions: " + std::move(message)}; }

std::string closest_column(const topology::Topology& t, std::string_view id) {
  std::vector<std::string_view> ids;
  for (const topology::Column* c : topology::all_columns(t)) ids.push_back(c->id);
  return closest_match(id, ids);
}

// One list entry: a column id, or {"id", "node"?, "module"?}.
Expected<const topology::Column*, Failure> column_entry(const topology::Topology& t, const std::string& region,
                                                        const nlohmann::json& entry) {
  const nlohmann::json* id = &entry;
  if (entry.is_object()) {
    for (const auto& [key, value] : entry.items())
      if (key != "id" && key != "node" && key != "module")
        return unexpected(bad("region '" + region + "': unknown key '" + key + "' in a column (id, node, module)"));
    if (!entry.contains("id")) return unexpected(bad("region '" + region + "': a column needs an 'id'"));
    id = &entry["id"];
  }
  if (!id->is_string()) return unexpected(bad("region '" + region + "': a column is a column id or {id, node, module}"));
  const std::string name = id->get<std::string>();
  const topology::Column* c = topology::find_column(t, name);
  if (!c) {
    const std::string hint = closest_column(t, name);
    return unexpected(bad("region '" + region + "': no column '" + name.substr(0, 200) + "' in the topology" +
                          (hint.empty() ? std::string() : " (did you mean '" + hint + "'?)")));
  }
  if (entry.is_object() && entry.contains("node") && entry["node"] != c->node)
    return unexpected(bad("region '" + region + "': column '" + name + "' lives on " + c->node +
                          "; columns cannot move between nodes while the cluster runs"));
  if (entry.is_object() && entry.contains("module") && entry["module"] != "cortex7")
    return unexpected(bad("region '" + region + "': column '" + name + "' has module " + entry["module"].dump() +
                          "; every column is cortex7"));
  return c;
}

}  // namespace

RegionLayout RegionLayout::from_topology(const topology::Topology& t) {
  RegionLayout layout;
  for (const auto& r : t.regions) {
    Region region{r.name, {}};
    for (const auto& c : r.columns) region.columns.push_back(&c);
    layout.regions.push_back(std::move(region));
  }
  return layout;
}

const RegionLayout::Region* RegionLayout::find(std::string_view name) const {
  for (const Region& r : regions)
    if (r.name == name) return &r;
  return nullptr;
}

std::string RegionLayout::unknown_region(std::string_view name) const {
  std::vector<std::string_view> names;
  for (const Region& r : regions) names.push_back(r.name);
  return "no region '" + std::string(name.substr(0, kMaxName)) + "' in the cluster's regions" + did_you_mean(name, names);
}

const std::string& RegionLayout::region_of(std::string_view column_id) const {
  static const std::string none;
  for (const Region& r : regions)
    for (const topology::Column* c : r.columns)
      if (c->id == column_id) return r.name;
  return none;
}

nlohmann::json RegionLayout::describe() const {
  nlohmann::json out = nlohmann::json::array();
  for (const Region& r : regions) {
    nlohmann::json columns = nlohmann::json::array();
    for (const topology::Column* c : r.columns) columns.push_back({{"id", c->id}, {"node", c->node}, {"neurons", c->size}});
    out.push_back({{"name", r.name}, {"columns", columns}});
  }
  return {{"version", version}, {"regions", out}};
}

nlohmann::json RegionLayout::to_argument() const {
  nlohmann::json out = nlohmann::json::object();
  for (const Region& r : regions) {
    nlohmann::json ids = nlohmann::json::array();
    for (const topology::Column* c : r.columns) ids.push_back(c->id);
    out[r.name] = ids;
  }
  return out;
}

Expected<RegionLayout, Failure> parse_region_layout(const topology::Topology& t, const nlohmann::json& regions,
                                                    std::uint64_t version) {
  if (!regions.is_object() || regions.empty())
    return unexpected(bad("'regions' must be a non-empty map from region name to its columns"));
  if (regions.size() > kMaxRegions) return unexpected(bad("at most " + std::to_string(kMaxRegions) + " regions"));
  RegionLayout layout;
  layout.version = version;
  std::map<std::string, std::string, std::less<>> owner;  // column id -> region
  for (const auto& [name, list] : regions.items()) {
    if (name.empty() || name.size() > kMaxName)
      return unexpected(bad("a region name must have 1 to " + std::to_string(kMaxName) + " characters"));
    if (!list.is_array() || list.empty())
      return unexpected(bad("region '" + name + "' must be a non-empty list of columns"));
    RegionLayout::Region region{name, {}};
    for (const auto& entry : list) {
      auto c = column_entry(t, name, entry);
      if (!c) return unexpected(c.error());
      const auto [it, fresh] = owner.emplace((*c)->id, name);
      if (!fresh)
        return unexpected(bad("column '" + (*c)->id + "' is in both '" + it->second + "' and '" + name +
                              "'; a column belongs to exactly one region"));
      region.columns.push_back(*c);
    }
    layout.regions.push_back(std::move(region));
  }
  std::string missing;
  std::size_t missing_count = 0;
  for (const topology::Column* c : topology::all_columns(t))
    if (!owner.contains(c->id) && missing_count++ < 5) missing += (missing.empty() ? "" : ", ") + c->id;
  if (missing_count)
    return unexpected(bad(std::to_string(missing_count) + " column(s) in no region: " + missing +
                          (missing_count > 5 ? ", ..." : "") + "; every column belongs to exactly one region"));
  return layout;
}

}  // namespace p3p::control
