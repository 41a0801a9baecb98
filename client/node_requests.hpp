#pragma once
// Every request a node serves, named once: its id, and the (module, kind) it travels as. The node's table
// (nodes/runtime/request_table.cpp) has one row per id - the argument checks and the handler - and a test
// holds the two together. Clients build their requests here, typed (node_api::run_until(tick, true)),
// and send them with NodeClient::call or the driver's links; nobody else spells a module or a kind.
// The bodies are exactly what the nodes read (nodes/README.md, "Clients", lists what each one answers).
//
// A new request: an id and its name below, a builder, a row in the node's table (+ its tests).
#include <array>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace p3p::node_api {

enum class RequestId : std::uint8_t {
  status, run_until, pause, set_pacing, metrics, regions,               // module runtime
  stimulate, reward, set_thresholds, weights, set_weights, reset, normalise,  // module cortex7
  hold, release, save, stage, restore, drop, remove, remove_orphans,    // module persist
  ping,                                                                  // module echo
};

struct RequestName {
  RequestId id;
  std::string_view module;
  std::string_view kind;
};

inline constexpr std::array<RequestName, 22> kRequests = {{
    {RequestId::status, "runtime", "status"},
    {RequestId::run_until, "runtime", "run_until"},
    {RequestId::pause, "runtime", "pause"},
    {RequestId::set_pacing, "runtime", "set_pacing"},
    {RequestId::metrics, "runtime", "metrics"},
    {RequestId::regions, "runtime", "regions"},
    {RequestId::stimulate, "cortex7", "stimulate"},
    {RequestId::reward, "cortex7", "reward"},
    {RequestId::set_thresholds, "cortex7", "set_thresholds"},
    {RequestId::weights, "cortex7", "weights"},
    {RequestId::set_weights, "cortex7", "set_weights"},
    {RequestId::reset, "cortex7", "reset"},
    {RequestId::normalise, "cortex7", "normalise"},
    {RequestId::hold, "persist", "hold"},
    {RequestId::release, "persist", "release"},
    {RequestId::save, "persist", "save"},
    {RequestId::stage, "persist", "stage"},
    {RequestId::restore, "persist", "restore"},
    {RequestId::drop, "persist", "drop"},
    {RequestId::remove, "persist", "remove"},
    {RequestId::remove_orphans, "persist", "remove_orphans"},
    {RequestId::ping, "echo", "ping"},
}};

// Entry i is the id i: name_of is an index, and a row out of place does not compile.
constexpr bool ids_in_order() {
  for (std::size_t i = 0; i < kRequests.size(); ++i)
    if (static_cast<std::size_t>(kRequests[i].id) != i) return false;
  return true;
}
static_assert(ids_in_order(), "kRequests must list the ids in the enum's order");

constexpr const RequestName& name_of(RequestId id) { return kRequests[static_cast<std::size_t>(id)]; }
// The id travelling as module/kind, if any.
std::optional<RequestId> find_request(std::string_view module, std::string_view kind);

// One request, ready to send: which, and its body (a map).
struct NodeCall {
  RequestId id;
  nlohmann::json body;
  std::string_view module() const { return name_of(id).module; }
  std::string_view kind() const { return name_of(id).kind; }
};

// module runtime
NodeCall status();
// Raises the node's target to `tick`; with wait, answered once the node has computed up to it.
NodeCall run_until(std::int64_t tick, bool wait = false);
NodeCall pause(bool paused);
NodeCall set_pacing(std::int64_t tick_ms);
NodeCall metrics(bool neurons);
// update_regions' two phases: prepare holds `regions` (RegionLayout::to_argument) as `version`.
NodeCall regions_prepare(std::uint64_t version, nlohmann::json regions);
NodeCall regions_commit(std::uint64_t version);
NodeCall regions_abort(std::uint64_t version);

// module cortex7
// `pattern`: [{neuron, current}]; absent pattern_len is 1, absent start_tick the node's tick.
NodeCall stimulate(const std::string& column, nlohmann::json pattern, std::optional<std::int64_t> pattern_len = std::nullopt,
                   std::optional<std::int64_t> start_tick = std::nullopt);
// Without `columns` every plastic projection on the node; with them (all on the node) only those onto them.
NodeCall reward(double value, std::optional<std::vector<std::string>> columns = std::nullopt);
NodeCall set_thresholds(double threshold);
NodeCall weights(const std::string& column);
// `synapses`: [[source neuron, target neuron, weight]] of the plastic projection from `from` onto `column`.
NodeCall set_weights(const std::string& column, const std::string& from, nlohmann::json synapses);
// Every listed column (all on the node) back to how it was built; with `weights`, its weights too.
NodeCall reset(const std::vector<std::string>& columns, bool weights);
// Each neuron of `column` gets its incoming weights of the plastic projection from `from` scaled to sum `target_sum`.
NodeCall normalise(const std::string& column, const std::string& from, double target_sum);

// module persist (the snapshot protocol, nodes/control/cluster_snapshot.cpp)
NodeCall hold(std::optional<std::uint64_t> epoch = std::nullopt);
NodeCall release();
NodeCall save(const std::string& manifest);
NodeCall stage(const std::string& file, const std::string& sha256);
NodeCall restore(std::uint64_t generation);
NodeCall drop();
NodeCall remove(const std::vector<std::string>& files);
NodeCall remove_orphans(const std::vector<std::string>& manifests);

// module echo
NodeCall ping(std::uint64_t sent_ns);

}  // namespace p3p::node_api
