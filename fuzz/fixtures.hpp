#pragma once
// What a fuzz target and the seed generator (make_corpus.cpp) must agree on: the cluster a verifier
// accepts, its clock, and the topology telemetry bodies are read against. Seeds made with other values
// would be refused at the first check and teach the fuzzer nothing.
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "topology/topology.hpp"

namespace p3p::fuzz {

inline constexpr std::string_view kKey = "fuzz cluster key, 32 bytes long!";
inline constexpr std::string_view kCluster = "fuzz";
inline constexpr std::uint64_t kNow = 1'800'000'000'000'000'000;  // ns since the epoch, the verifier's clock

// Three columns of 4, 10 and 1 neurons in two regions, r1 and r2.
inline topology::Topology small_topology() {
  topology::Topology t;
  std::uint64_t first = 0;
  const std::vector<std::pair<const char*, std::vector<std::uint32_t>>> layout = {{"r1", {4, 10}}, {"r2", {1}}};
  for (const auto& [region, sizes] : layout) {
    topology::Region r;
    r.name = region;
    for (const std::uint32_t n : sizes) {
      topology::Column c;
      c.id = "c" + std::to_string(first);
      c.region = region;
      c.size = n;
      c.first_neuron = first;
      first += n;
      r.columns.push_back(c);
    }
    t.regions.push_back(r);
  }
  return t;
}

}  // namespace p3p::fuzz
