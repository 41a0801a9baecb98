// The envelope decoder on hostile bytes, without the MAC: the input is tried both as a whole frame
// (split_frame) and as the unsigned part U (decode_unsigned), so that the inner decoder sees every input
// the fuzzer makes, not only those a forger could sign. Everything returned must point into the input.
#include "bus/codec.hpp"
#include "bus/utf8.hpp"
#include "fuzz/fuzz_input.hpp"

using namespace p3p;

namespace {

bool inside(bus::ByteView part, bus::ByteView whole) {
  return part.empty() || (part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size());
}
bool inside(std::string_view part, bus::ByteView whole) { return inside(bus::as_bytes(part), whole); }

void check_envelope(const bus::EnvelopeView& e, bus::ByteView u) {
  fuzz::require(e.version == bus::kProtocolVersion, "decoded a version other than the protocol's");
  for (std::string_view name : {e.cluster_id, e.sender, e.target_node, e.target_module, e.kind}) {
    fuzz::require(inside(name, u), "a name points outside the input");
    fuzz::require(name.size() <= bus::kMaxNameBytes && bus::is_valid_utf8(name), "accepted a bad name");
  }
  fuzz::require(inside(e.body, u), "the body points outside the input");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const bus::ByteView in = fuzz::bytes(data, size);
  if (auto parts = bus::split_frame(in)) {
    fuzz::require(parts->mac.size() == bus::kMacBytes, "a MAC of the wrong size");
    fuzz::require(inside(parts->unsigned_bytes, in) && inside(parts->mac, in), "a part points outside the frame");
    if (auto e = bus::decode_unsigned(parts->unsigned_bytes)) check_envelope(*e, parts->unsigned_bytes);
  }
  if (auto e = bus::decode_unsigned(in)) check_envelope(*e, in);
  return 0;
}
