#pragma once
// Sizes of `total` split into `parts` as evenly as possible, the larger ones first. The reference
// workload's blocks: p3pctl writes a topology with these sizes and p3p-node insists on them, so both
// read this one definition (header-only: p3pctl links no bench or engine library).
#include <cstdint>
#include <vector>

namespace p3p {

inline std::vector<std::uint32_t> even_split(std::uint32_t total, std::uint32_t parts) {
  std::vector<std::uint32_t> sizes(parts, parts ? total / parts : 0);
  for (std::uint32_t i = 0; parts && i < total % parts; ++i) ++sizes[i];
  return sizes;
}

}  // namespace p3p
