#pragma once
// Which columns make up which region: the grouping stimulate_region, run_demo, the spike telemetry and the
// per-region counts use. It starts as the topology's; `update_regions` replaces it on every node at once.
// A layout only regroups columns - their neurons, node and synapses are fixed by the topology (global
// neuron ids follow the file, so noise and raster hashes do not change with the grouping).
#include <cstdint>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/error_code.hpp"
#include "common/expected.hpp"
#include "topology/topology.hpp"

namespace p3p::control {

struct RegionLayout {
  struct Region {
    std::string name;
    std::vector<const topology::Column*> columns;
  };
  std::uint64_t version = 0;  // 0 = the topology's; every applied update_regions adds one
  std::vector<Region> regions;

  static RegionLayout from_topology(const topology::Topology& t);
  const Region* find(std::string_view name) const;
  // "no region 'X' in the cluster's regions", with a did-you-mean when a region's name is close.
  std::string unknown_region(std::string_view name) const;
  // The region holding a column ("" if none - cannot happen in a checked layout).
  const std::string& region_of(std::string_view column_id) const;
  // {"version", "regions": [{"name", "columns": [{id, node, neurons}]}]}
  nlohmann::json describe() const;
  // {name: [column ids]}: the form update_regions takes (and nodes are sent).
  nlohmann::json to_argument() const;
};

// Checks an update_regions argument against the topology and returns the layout it describes (with the
// given version). `regions` maps a region name to a non-empty list of columns, each a column id or the
// original's {"id", "node"?, "module"?}. The rules: every column of the topology in exactly one region,
// each named by an existing id (a misspelling gets "did you mean"); a node, if given, is where the column
// lives (columns cannot move while running); a module, if given, is cortex7; names are 1-128 characters;
// at most 4096 regions. Every error is bad_args and names what is wrong.
Expected<RegionLayout, Failure> parse_region_layout(const topology::Topology& t, const nlohmann::json& regions,
                                                    std::uint64_t version);

// The control node's current layout, shared by its dispatchers (they run in two worker threads).
class RegionStore {
 public:
  explicit RegionStore(RegionLayout initial) : layout_(std::move(initial)) {}
  RegionLayout get() const {
    std::lock_guard lock(mutex_);
    return layout_;
  }
  void set(RegionLayout layout) {
    std::lock_guard lock(mutex_);
    layout_ = std::move(layout);
  }

 private:
  mutable std::mutex mutex_;
  RegionLayout layout_;
};

}  // namespace p3p::control
