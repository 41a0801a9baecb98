// A snapshot part file's bytes (nodes/persistence/snapshot_part.hpp), as a node reads one to load a
// snapshot: decoding is strict and never crashes; what it accepts encodes back to the same part.
#include "fuzz/fuzz_input.hpp"
#include "nodes/persistence/snapshot_part.hpp"

using namespace p3p;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto part = persistence::decode_part(fuzz::bytes(data, size));
  if (!part) {
    fuzz::require(!part.error().empty(), "a refused part with no reason");
    return 0;
  }
  // Compared as encodings, not values: a part holds doubles by their bit patterns (NaN included).
  const bus::Bytes bytes = persistence::encode_part(*part);
  const auto again = persistence::decode_part(bytes);
  fuzz::require(again && persistence::encode_part(*again) == bytes, "a part does not survive re-encoding");
  return 0;
}
