#pragma once
// State shared by the section parsers while one file is loaded: the topology being built, where errors go,
// and the names declared so far for cross-references.
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "common/string_map.hpp"
#include "topology/detail/map_reader.hpp"
#include "topology/topology.hpp"

namespace p3p::topology::detail {

// Names of one kind declared so far. A name is recorded even when the rest of its entry is invalid, and a
// section that could not be read at all marks the set incomplete; either way a reference to it is then not
// reported a second time (no cascades).
struct Declared {
  Pos pos;
  // Columns only, what projections need: the size (0 = unknown, its definition had errors) and the position
  // in file order (Projection::from_index).
  std::uint32_t column_size = 0;
  std::uint32_t column_index = 0;
};
struct NameSet {
  StringMap<Declared> names;
  bool complete = true;

  std::vector<std::string> list() const;  // sorted
};

// A preset's vectors as its columns share them.
struct PresetParts {
  std::shared_ptr<const std::vector<double>> thresholds;
  std::shared_ptr<const std::vector<Synapse>> synapses;
};

// A port bound on a host, to find two users of the same one.
struct PortUse {
  std::string host;  // canonical (localhost == 127.0.0.1)
  std::uint16_t port = 0;
  std::string owner;  // "nodes[0].router_port (nodeA)"
  Pos pos;
};

struct ParseContext {
  ParseContext(Diagnostics& d, std::filesystem::path base, bool check_key, Topology& t)
      : diag(d), base_dir(std::move(base)), check_key_file(check_key), topo(t) {}

  Diagnostics& diag;
  std::filesystem::path base_dir;
  bool check_key_file = true;
  Topology& topo;

  NameSet node_names;
  NameSet param_names;
  NameSet preset_names;
  NameSet column_names;
  NameSet region_names;
  StringMap<PresetParts> preset_parts;
  std::uint32_t columns_kept = 0;  // columns declared so far: the next one's position in file order
  std::vector<PortUse> ports;
  // Nodes listing module control_port and where, checked against the control section once both are read.
  std::vector<std::pair<std::string, Pos>> control_port_modules;

  // Relative paths resolve against the topology file's directory, so a topology works from any CWD.
  std::filesystem::path resolve(const std::string& path) const;
};

// Reports an unknown name at f (with a "did you mean" hint) unless the set is incomplete. The name's entry when
// it is known, else null.
const Declared* check_reference(ParseContext& ctx, const Field& f, const std::string& name, const NameSet& known,
                                std::string_view noun);

// Records a name; reports a duplicate (pointing back at the first definition). The new entry, or null for a
// duplicate.
Declared* declare(ParseContext& ctx, NameSet& set, const std::string& name, Pos pos, std::string_view noun);

}  // namespace p3p::topology::detail

namespace p3p::topology::detail {

// A name from a fixed vocabulary (rule, dopamine mode, module, job type) converted to its enum.
template <class E>
std::optional<E> read_choice(Diagnostics& d, const Field& f, std::optional<E> (*from_string)(std::string_view),
                             std::span<const std::string_view> names, std::string_view noun) {
  auto s = read_string(d, f);
  if (!s) return std::nullopt;
  if (auto e = from_string(*s)) return e;
  d.error(f.pos(), f.path() + ": unknown " + std::string(noun) + " '" + *s + "'" +
                       hint(*s, std::vector<std::string>(names.begin(), names.end())));
  return std::nullopt;
}

}  // namespace p3p::topology::detail
