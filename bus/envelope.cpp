#include "bus/envelope.hpp"

#include <algorithm>

namespace p3p::bus {

EnvelopeView Envelope::view() const {
  return EnvelopeView{version,  cluster_id, sender,       target_node, target_module, kind,
                      seq,      boot_id,    timestamp_ns, ByteView(body), mac};
}

Envelope Envelope::from(const EnvelopeView& v) {
  return Envelope{v.version,
                  std::string(v.cluster_id),
                  std::string(v.sender),
                  std::string(v.target_node),
                  std::string(v.target_module),
                  std::string(v.kind),
                  v.seq,
                  v.boot_id,
                  v.timestamp_ns,
                  Bytes(v.body.begin(), v.body.end()),
                  v.mac};
}

bool operator==(const Envelope& a, const Envelope& b) {
  return a.version == b.version && a.cluster_id == b.cluster_id && a.sender == b.sender &&
         a.target_node == b.target_node && a.target_module == b.target_module && a.kind == b.kind &&
         a.seq == b.seq && a.boot_id == b.boot_id && a.timestamp_ns == b.timestamp_ns && a.body == b.body &&
         a.mac == b.mac;
}

}  // namespace p3p::bus
