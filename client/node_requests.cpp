#include "client/node_requests.hpp"

namespace p3p::node_api {
namespace {

NodeCall call(RequestId id, nlohmann::json body = nlohmann::json::object()) { return {id, std::move(body)}; }

}  // namespace

std::optional<RequestId> find_request(std::string_view module, std::string_view kind) {
  for (const RequestName& r : kRequests)
    if (r.module == module && r.kind == kind) return r.id;
  return std::nullopt;
}

NodeCall status() { return call(RequestId::status); }

NodeCall run_until(std::int64_t tick, bool wait) {
  nlohmann::json body = {{"tick", tick}};
  if (wait) body["wait"] = true;
  return call(RequestId::run_until, std::move(body));
}

NodeCall pause(bool paused) { return call(RequestId::pause, {{"paused", paused}}); }
NodeCall set_pacing(std::int64_t tick_ms) { return call(RequestId::set_pacing, {{"tick_ms", tick_ms}}); }
NodeCall metrics(bool neurons) { return call(RequestId::metrics, {{"neurons", neurons}}); }

NodeCall regions_prepare(std::uint64_t version, nlohmann::json regions) {
  return call(RequestId::regions, {{"phase", "prepare"}, {"version", version}, {"regions", std::move(regions)}});
}
NodeCall regions_commit(std::uint64_t version) { return call(RequestId::regions, {{"phase", "commit"}, {"version", version}}); }
NodeCall regions_abort(std::uint64_t version) { return call(RequestId::regions, {{"phase", "abort"}, {"version", version}}); }

NodeCall stimulate(const std::string& column, nlohmann::json pattern, std::optional<std::int64_t> pattern_len,
                   std::optional<std::int64_t> start_tick) {
  nlohmann::json body = {{"column", column}, {"pattern", std::move(pattern)}};
  if (pattern_len) body["pattern_len"] = *pattern_len;
  if (start_tick) body["start_tick"] = *start_tick;
  return call(RequestId::stimulate, std::move(body));
}

NodeCall reward(double value, std::optional<std::vector<std::string>> columns) {
  nlohmann::json body{{"value", value}};
  if (columns) body["columns"] = *columns;
  return call(RequestId::reward, std::move(body));
}
NodeCall set_thresholds(double threshold) { return call(RequestId::set_thresholds, {{"threshold", threshold}}); }
NodeCall weights(const std::string& column) { return call(RequestId::weights, {{"column", column}}); }
NodeCall set_weights(const std::string& column, const std::string& from, nlohmann::json synapses) {
  return call(RequestId::set_weights, {{"column", column}, {"from", from}, {"synapses", std::move(synapses)}});
}
NodeCall reset(const std::vector<std::string>& columns, bool weights) {
  return call(RequestId::reset, {{"columns", columns}, {"weights", weights}});
}
NodeCall normalise(const std::string& column, const std::string& from, double target_sum) {
  return call(RequestId::normalise, {{"column", column}, {"from", from}, {"target_sum", target_sum}});
}

NodeCall hold(std::optional<std::uint64_t> epoch) {
  return call(RequestId::hold, epoch ? nlohmann::json{{"epoch", *epoch}} : nlohmann::json::object());
}
NodeCall release() { return call(RequestId::release); }
NodeCall save(const std::string& manifest) { return call(RequestId::save, {{"manifest", manifest}}); }
NodeCall stage(const std::string& file, const std::string& sha256) {
  return call(RequestId::stage, {{"file", file}, {"sha256", sha256}});
}
NodeCall restore(std::uint64_t generation) { return call(RequestId::restore, {{"generation", generation}}); }
NodeCall drop() { return call(RequestId::drop); }
NodeCall remove(const std::vector<std::string>& files) { return call(RequestId::remove, {{"files", files}}); }
NodeCall remove_orphans(const std::vector<std::string>& manifests) {
  return call(RequestId::remove_orphans, {{"manifests", manifests}});
}

NodeCall ping(std::uint64_t sent_ns) { return call(RequestId::ping, {{"sent_ns", sent_ns}}); }

}  // namespace p3p::node_api
