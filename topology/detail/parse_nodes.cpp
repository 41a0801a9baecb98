// Sections "nodes" and "control": ids, ports (no two users of one port on a host) and modules.
#include <algorithm>
#include <cctype>

#include "topology/detail/parsers.hpp"

namespace p3p::topology::detail {
namespace {

// "localhost" and "127.0.0.1" are the same place for a bind; other spellings are compared as written.
std::string canonical_host(std::string host) {
  std::transform(host.begin(), host.end(), host.begin(), [](unsigned char c) { return std::tolower(c); });
  return host == "localhost" ? "127.0.0.1" : host;
}

bool is_loopback(const std::string& host) {
  const std::string h = canonical_host(host);
  return h.rfind("127.", 0) == 0 || h == "::1" || h == "[::1]";
}

// Records a bound port; reports it when an earlier user holds the same port on the same host.
void use_port(ParseContext& ctx, const std::string& host, std::uint16_t port, std::string owner, Pos pos) {
  const std::string h = canonical_host(host);
  for (const PortUse& u : ctx.ports) {
    if (u.host == h && u.port == port) {
      ctx.diag.error(pos, owner + ": port " + std::to_string(port) + " on host " + host + " is already used by " +
                              u.owner + " (line " + std::to_string(u.pos.line) + ")");
      return;
    }
  }
  ctx.ports.push_back(PortUse{h, port, std::move(owner), pos});
}

std::vector<Module> parse_modules(ParseContext& ctx, const Field& f, const std::string& node_id) {
  std::vector<Module> out;
  auto items = read_list(ctx.diag, f, "a list of module names");
  if (!items) return out;
  for (const Field& item : *items) {
    auto m = read_choice(ctx.diag, item, module_from_string, module_names(), "module");
    if (!m) continue;
    if (std::find(out.begin(), out.end(), *m) != out.end()) {
      ctx.diag.error(item.pos(), item.path() + ": module '" + std::string(to_string(*m)) + "' is listed twice");
      continue;
    }
    if (*m == Module::control_port && !node_id.empty()) ctx.control_port_modules.emplace_back(node_id, item.pos());
    out.push_back(*m);
  }
  return out;
}

void parse_node(ParseContext& ctx, const Field& f) {
  MapReader r(ctx.diag, f, {"id", "host", "router_port", "pub_port", "metrics_port", "threads", "modules"});
  if (!r.ok()) {
    ctx.node_names.complete = false;
    return;
  }
  Node n;
  auto id = r.string("id", Need::required);
  if (id) n.id = *id;
  auto host = r.string("host", Need::required);
  if (host) n.host = *host;
  auto router = r.uint<std::uint16_t>("router_port", 1, 65535, Need::required);
  auto pub = r.uint<std::uint16_t>("pub_port", 1, 65535, Need::required);
  n.metrics_port = r.uint<std::uint16_t>("metrics_port", 1);
  if (router) n.router_port = *router;
  if (pub) n.pub_port = *pub;
  if (auto v = r.uint<std::uint32_t>("threads", 1)) n.threads = *v;
  if (const Field* m = r.require("modules")) n.modules = parse_modules(ctx, *m, n.id);
  if (host) {
    const std::string who = " (" + (id ? *id : std::string("?")) + ")";
    if (router) use_port(ctx, *host, *router, r.path() + ".router_port" + who, r.get("router_port")->pos());
    if (pub) use_port(ctx, *host, *pub, r.path() + ".pub_port" + who, r.get("pub_port")->pos());
    if (n.metrics_port)
      use_port(ctx, *host, *n.metrics_port, r.path() + ".metrics_port" + who, r.get("metrics_port")->pos());
  }
  if (!id) {
    ctx.node_names.complete = false;  // references to this node cannot be checked
    return;
  }
  if (declare(ctx, ctx.node_names, n.id, r.get("id")->pos(), "node id")) ctx.topo.nodes.push_back(std::move(n));
}

// The control section names its node; a node that lists control_port must be that node.
void check_control_port_modules(ParseContext& ctx) {
  const std::string control_node = ctx.topo.control ? ctx.topo.control->node : std::string();
  for (const auto& [node, pos] : ctx.control_port_modules) {
    if (node == control_node) continue;
    if (control_node.empty())
      ctx.diag.error(pos, "node '" + node + "' runs module 'control_port' but the topology has no 'control' section");
    else
      ctx.diag.error(pos, "node '" + node + "' runs module 'control_port' but control.node is '" + control_node +
                              "'; only the control node runs it");
  }
}

void check_control_node(ParseContext& ctx, const Field& f, const std::string& id, std::optional<std::uint16_t> port,
                        Pos port_pos) {
  if (!check_reference(ctx, f, id, ctx.node_names, "node")) return;
  const Node* node = find_node(ctx.topo, id);
  if (!node) return;  // declared, but its entry had errors of its own
  if (!node->runs(Module::control_port))
    ctx.diag.error(f.pos(), f.path() + ": node '" + id + "' does not run module 'control_port'; add it to its modules");
  // The control port is bound on the control node's machine, next to that node's own ports.
  if (port && !node->host.empty()) use_port(ctx, node->host, *port, "control.port", port_pos);
}

void read_control(ParseContext& ctx, const Field& f) {
  MapReader r(ctx.diag, f, {"node", "host", "port", "token", "max_clients", "idle_timeout_s", "line_timeout_s"});
  if (!r.ok()) return;
  Control c;
  auto node = r.string("node", Need::required);
  auto host = r.string("host");
  if (host) c.host = *host;
  const Field* port_field = r.get("port");
  auto port = r.uint<std::uint16_t>("port", 1);
  if (port) c.port = *port;
  const Field* token = r.get("token");
  const bool has_token = token && !token->value.is_null();  // "token: null" means none
  if (has_token) c.token = read_string(ctx.diag, *token);
  if (auto v = r.uint<std::uint32_t>("max_clients", 1)) c.max_clients = *v;
  if (auto v = r.number("idle_timeout_s", between(0.01, 86400))) c.idle_timeout_s = *v;
  if (auto v = r.number("line_timeout_s", between(0.01, 86400))) c.line_timeout_s = *v;
  // Off the loopback interface anyone on the network can reach the port, so it must authenticate.
  if (host && !is_loopback(*host) && !has_token)
    ctx.diag.error(r.get("host")->pos(), "control.host: '" + *host +
                                             "' is not a loopback address, so control.token (a non-empty string) "
                                             "is required");
  if (node) {
    c.node = *node;
    const std::optional<std::uint16_t> bound = port_field ? port : std::optional<std::uint16_t>(c.port);
    check_control_node(ctx, *r.get("node"), *node, bound, port_field ? port_field->pos() : r.pos());
  }
  ctx.topo.control = std::move(c);
}

}  // namespace

void parse_nodes(ParseContext& ctx, const Field& f) {
  auto items = read_list(ctx.diag, f, "a list of nodes");
  if (!items) {
    ctx.node_names.complete = false;
    return;
  }
  if (items->empty()) ctx.diag.error(f.pos(), f.path() + ": expected at least one node");
  for (const Field& item : *items) parse_node(ctx, item);
}

void parse_control(ParseContext& ctx, const Field* f) {
  if (f) read_control(ctx, *f);
  // With an unreadable control section (already reported) the control node is unknown: nothing to compare.
  const bool control_known = f ? ctx.topo.control && !ctx.topo.control->node.empty() : true;
  if (control_known) check_control_port_modules(ctx);
}

}  // namespace p3p::topology::detail
