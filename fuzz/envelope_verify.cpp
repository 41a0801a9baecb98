// The receiving path a peer's bytes take: the Inbox (size, structure, MAC, fields, cluster, sender, clock,
// replay). The input goes in twice: as a frame (a forger's: it must never pass the MAC), and as the
// unsigned part U signed with the cluster key (a peer's that holds the key: it reaches every check after
// the MAC). A fresh Inbox per input keeps runs reproducible: nothing carries over from one input to the next.
#include "bus/codec.hpp"
#include "bus/inbox.hpp"
#include "fuzz/fixtures.hpp"
#include "fuzz/fuzz_input.hpp"

using namespace p3p;

namespace {

bus::Inbox make_inbox() {
  bus::InboxConfig config;
  config.cluster_id = fuzz::kCluster;
  config.guard.known_senders = {"a", "b"};
  config.max_frame_bytes = 4096;
  return bus::Inbox(bus::as_bytes(fuzz::kKey), config);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const bus::ByteView in = fuzz::bytes(data, size);
  bus::Inbox inbox = make_inbox();
  const auto forged = inbox.accept(in, fuzz::kNow);
  fuzz::require(!forged, "accepted a frame nobody signed");

  bus::HmacSha256 hmac(bus::as_bytes(fuzz::kKey));
  bus::Bytes frame;
  bus::frame_unsigned(in, hmac, frame);
  const auto signed_in = inbox.accept(frame, fuzz::kNow);
  const auto again = inbox.accept(frame, fuzz::kNow);
  if (signed_in) {
    fuzz::require(signed_in->cluster_id == fuzz::kCluster, "accepted another cluster's message");
    fuzz::require(signed_in->sender == "a" || signed_in->sender == "b", "accepted an unknown sender");
    fuzz::require(!again && again.error().reason == bus::Reason::replayed, "accepted the same message twice");
  }
  fuzz::require(inbox.accepted() == (signed_in ? 1u : 0u), "the accepted count is off");
  return 0;
}
