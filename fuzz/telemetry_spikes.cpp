// The telemetry spike body p3pctl watch and the benches read (client/telemetry_format.hpp), against
// a small fixed topology. decode_spikes and count_spikes walk the same bytes: they must agree on whether
// a body is valid and on its counts, and every spike they report must be inside its column and its ticks.
#include "fuzz/fixtures.hpp"
#include "fuzz/fuzz_input.hpp"
#include "client/telemetry_format.hpp"

using namespace p3p;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const topology::Topology topology = fuzz::small_topology();
  static const control::ColumnIndex index(topology);
  const bus::ByteView body = fuzz::bytes(data, size);
  const auto counts = control::count_spikes(index, body);
  const auto all = control::decode_spikes(index, body);
  const auto only_r2 = control::decode_spikes(index, body, "r2");
  fuzz::require(counts.has_value() == all.has_value() && all.has_value() == only_r2.has_value(),
                "count_spikes and decode_spikes disagree on validity");
  if (!counts) return 0;
  fuzz::require((*all)["spikes"] == counts->spikes, "decode_spikes and count_spikes count differently");
  fuzz::require((*only_r2)["spikes"].get<std::uint64_t>() <= counts->spikes, "a region filter kept more spikes");
  for (const auto& column : (*all)["columns"])
    for (const auto& spike : column["spikes"]) {
      const auto tick = spike[0].get<std::int64_t>();
      fuzz::require(tick >= counts->first_tick && tick < counts->end_tick, "a spike outside the batch's ticks");
    }
  (void)all->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return 0;
}
