#pragma once
// The signed node client with a fault seam at the transport, for tests of the protocols above the nodes:
// every request goes over the wire as NodeClient sends it, unless the test's rule drops it - then the node
// never sees it and the caller gets what NodeClient reports when no reply comes (unreachable), at once
// rather than after its timeout. The rule runs before the request leaves, so it may also act at that very
// moment (stop an in-process node between two phases of a protocol). Every request is logged with its
// outcome. Nothing above the transport is replaced: the dispatcher and the nodes run their own code.
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bus/key_file.hpp"
#include "client/node_client.hpp"

namespace p3p::test {

class FaultClient final : public control::NodeClient {
 public:
  // true: drop this request.
  using Rule = std::function<bool(const topology::Node& node, std::string_view module, std::string_view kind,
                                  const nlohmann::json& body)>;

  struct Sent {
    std::string node, module, kind;
    nlohmann::json body;
    bool dropped = false;
    std::optional<ErrorCode> failed;  // the request's outcome: none = a result
  };

  static std::unique_ptr<FaultClient> open(const topology::Topology& t) {
    auto key = bus::load_key(t.cluster.key_file);
    if (!key) throw std::runtime_error("cluster key: " + key.error().message);
    return std::unique_ptr<FaultClient>(new FaultClient(t, std::move(*key)));
  }

  void set_rule(Rule rule) { rule_ = std::move(rule); }
  const std::vector<Sent>& sent() const { return sent_; }
  // The logged requests of one kind with a body field equal to `value` (e.g. regions with phase commit).
  std::vector<Sent> sent(std::string_view kind, const std::string& field, const nlohmann::json& value) const {
    std::vector<Sent> out;
    for (const Sent& s : sent_)
      if (s.kind == kind && s.body.is_object() && s.body.value(field, nlohmann::json()) == value) out.push_back(s);
    return out;
  }

  Expected<nlohmann::json, Failure> request(const topology::Node& node, std::string_view module, std::string_view kind,
                                           const nlohmann::json& body, std::chrono::milliseconds timeout) override {
    Sent s{node.id, std::string(module), std::string(kind), body, false, std::nullopt};
    s.dropped = rule_ && rule_(node, module, kind, body);
    Expected<nlohmann::json, Failure> r =
        s.dropped ? Expected<nlohmann::json, Failure>(unexpected(Failure{ErrorCode::unreachable, "no reply from " + node.id + " (dropped by the test)"}))
                  : NodeClient::request(node, module, kind, body, timeout);
    if (!r) s.failed = r.error().code;
    sent_.push_back(std::move(s));
    return r;
  }

 private:
  FaultClient(const topology::Topology& t, bus::ClusterKey key) : NodeClient(t, std::move(key)) {}

  Rule rule_;
  std::vector<Sent> sent_;
};

}  // namespace p3p::test
