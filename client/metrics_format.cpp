#include "client/metrics_format.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <sstream>
#include <vector>

namespace p3p::control {
namespace {

std::string escape(const std::string& v) {
  std::string out;
  for (const char c : v) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

class Exposition {
 public:
  void family(const std::string& name, const char* type, const char* help) {
    out_ << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n';
  }
  void sample(const std::string& name, const std::vector<std::pair<std::string, std::string>>& labels, const nlohmann::json& v) {
    out_ << name;
    if (!labels.empty()) {
      out_ << '{';
      for (std::size_t i = 0; i < labels.size(); ++i)
        out_ << (i ? "," : "") << labels[i].first << "=\"" << escape(labels[i].second) << '"';
      out_ << '}';
    }
    out_ << ' ' << (v.is_number_float() ? number(v.get<double>()) : v.is_number() ? v.dump() : "0") << '\n';
  }
  std::string text() const { return out_.str(); }

 private:
  std::ostringstream out_;
};

// A member as a value that outlives the loop over it (json::value() returns a temporary, and a range-for
// over .items() of a temporary would dangle).
nlohmann::json member(const nlohmann::json& j, const char* key, nlohmann::json fallback = nlohmann::json::object()) {
  return j.is_object() && j.contains(key) ? j[key] : fallback;
}

}  // namespace

std::string prometheus_text(const nlohmann::json& m) {
  Exposition e;
  const std::string node = m.value("node", "");
  const std::vector<std::pair<std::string, std::string>> n = {{"node", node}};
  const auto simple = [&](const char* name, const char* type, const char* help, const nlohmann::json& v) {
    e.family(name, type, help);
    e.sample(name, n, v);
  };
  simple("p3p_ticks_total", "counter", "Ticks simulated (the next tick to compute).", m.value("tick", 0));
  simple("p3p_epochs_total", "counter", "Lockstep epochs completed.", m.value("epochs", 0));
  simple("p3p_neurons", "gauge", "Neurons simulated on this node.", m.value("neurons", 0));
  simple("p3p_synapses", "gauge", "Synapses held on this node (their targets are local).", m.value("synapses", 0));
  simple("p3p_spikes_total", "counter", "Spikes of this node's neurons.", m.value("spikes", 0));
  e.family("p3p_column_spikes_total", "counter", "Spikes per column.");
  for (const auto& c : m.value("columns", nlohmann::json::array()))
    e.sample("p3p_column_spikes_total", {{"node", node}, {"region", c.value("region", "")}, {"column", c.value("id", "")}},
             c.value("spikes", 0));
  e.family("p3p_region_spikes_total", "counter", "Spikes per region, of this node's columns.");
  const nlohmann::json regions = member(m, "regions");
  for (const auto& [region, v] : regions.items())
    e.sample("p3p_region_spikes_total", {{"node", node}, {"region", region}}, v);
  const nlohmann::json env = member(m, "envelopes");
  simple("p3p_envelopes_sent_total", "counter", "Signed envelopes sent (requests, replies, heartbeats, spike batches).", env.value("sent", 0));
  simple("p3p_envelopes_received_total", "counter", "Envelopes received and accepted.", env.value("received", 0));
  e.family("p3p_envelopes_rejected_total", "counter", "Envelopes refused, by reason.");
  const nlohmann::json rejected = member(env, "rejected");
  for (const auto& [reason, v] : rejected.items())
    e.sample("p3p_envelopes_rejected_total", {{"node", node}, {"reason", reason}}, v);
  e.family("p3p_dropped_messages_total", "counter", "Authentic messages dropped, by why.");
  const nlohmann::json dropped = member(m, "dropped");
  for (const auto& [why, v] : dropped.items())
    e.sample("p3p_dropped_messages_total", {{"node", node}, {"why", why}}, v);
  const nlohmann::json tel = m.value("telemetry", nlohmann::json::object());
  simple("p3p_telemetry_published_total", "counter", "Telemetry messages published.", tel.value("published", 0));
  simple("p3p_telemetry_dropped_total", "counter", "Telemetry messages a slow subscriber lost.", tel.value("dropped", 0));
  if (m.contains("commands")) {
    simple("p3p_control_commands_served_total", "counter", "Control commands answered.", m["commands"].value("served", 0));
    e.family("p3p_control_command_errors_total", "counter", "Control commands answered with an error, by code.");
    const nlohmann::json errors = member(m["commands"], "errors");
    for (const auto& [code, v] : errors.items())
      e.sample("p3p_control_command_errors_total", {{"node", node}, {"code", code}}, v);
  }
  const nlohmann::json ex = m.value("exchange", nlohmann::json::object());
  e.family("p3p_epoch_exchange_seconds", "histogram", "Wait at each epoch barrier for the peers' spike batches.");
  const auto bounds = ex.value("bounds_us", nlohmann::json::array());
  const auto cumulative = ex.value("cumulative", nlohmann::json::array());
  for (std::size_t b = 0; b < bounds.size() && b < cumulative.size(); ++b)
    e.sample("p3p_epoch_exchange_seconds_bucket", {{"node", node}, {"le", number(bounds[b].get<double>() / 1e6)}}, cumulative[b]);
  e.sample("p3p_epoch_exchange_seconds_bucket", {{"node", node}, {"le", "+Inf"}}, ex.value("count", 0));
  e.sample("p3p_epoch_exchange_seconds_sum", n, static_cast<double>(ex.value("sum_us", 0)) / 1e6);
  e.sample("p3p_epoch_exchange_seconds_count", n, ex.value("count", 0));
  const nlohmann::json snap = m.value("snapshots", nlohmann::json::object());
  simple("p3p_snapshot_parts_saved_total", "counter", "Snapshot parts this node wrote.", snap.value("saved", 0));
  simple("p3p_snapshot_save_seconds_total", "counter", "Time spent writing snapshot parts.", snap.value("save_seconds", 0.0));
  simple("p3p_snapshot_parts_loaded_total", "counter", "Snapshot parts this node loaded.", snap.value("loaded", 0));
  simple("p3p_snapshot_load_seconds_total", "counter", "Time spent reading and checking snapshot parts.", snap.value("load_seconds", 0.0));
  return e.text();
}

nlohmann::json cluster_metrics(const std::string& cluster, const nlohmann::json& per_node) {
  nlohmann::json spike_counts = nlohmann::json::object(), regions = nlohmann::json::object(), nodes = nlohmann::json::object(),
                 last_t = nlohmann::json::object();
  std::uint64_t total = 0;
  for (const auto& [id, m] : per_node.items()) {
    if (!m.is_object()) continue;
    nodes[id] = m.value("spikes", std::uint64_t{0});
    last_t[id] = m.value("tick", std::int64_t{0});
    total += m.value("spikes", std::uint64_t{0});
    const nlohmann::json node_regions = member(m, "regions");
    for (const auto& [region, v] : node_regions.items())
      regions[region] = regions.value(region, std::uint64_t{0}) + v.get<std::uint64_t>();
    for (const auto& c : m.value("columns", nlohmann::json::array())) {
      const auto per = c.value("per_neuron", nlohmann::json::array());
      for (std::size_t i = 0; i < per.size(); ++i) {
        std::string key = id;  // appended: GCC 12 misreports chains of + (-Wrestrict)
        key.append(".").append(c.value("id", "")).append(".").append(std::to_string(i));
        spike_counts[key] = per[i];
      }
    }
  }
  nlohmann::json all = nlohmann::json::object();
  for (const auto& [id, m] : per_node.items()) all[id] = m.is_object() ? m : nlohmann::json{{"error", m}};
  return {{"format", "p3p-metrics/1"}, {"cluster", cluster}, {"spike_counts", spike_counts}, {"region_spike_counts", regions},
          {"node_spike_counts", nodes}, {"last_t", last_t}, {"total_spikes", total}, {"nodes", all}};
}

std::string metrics_summary(const nlohmann::json& c) {
  std::ostringstream out;
  out << "\n==== METRICS SUMMARY ====\n";
  out << "Total spikes: " << c.value("total_spikes", 0) << "\n\nSpikes per node:\n";
  const nlohmann::json per_node = member(c, "node_spike_counts");
  for (const auto& [id, v] : per_node.items()) out << "  " << id << ": " << v << '\n';
  const auto regions = c.value("region_spike_counts", nlohmann::json::object());
  if (!regions.empty()) {
    out << "\nSpikes per region:\n";
    for (const auto& [name, v] : regions.items()) out << "  " << name << ": " << v << '\n';
  }
  const auto counts = c.value("spike_counts", nlohmann::json::object());
  if (!counts.empty()) {
    std::vector<std::pair<std::uint64_t, std::string>> top;
    for (const auto& [key, v] : counts.items())
      if (v.get<std::uint64_t>() > 0) top.emplace_back(v.get<std::uint64_t>(), key);
    std::stable_sort(top.begin(), top.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    if (top.size() > 20) top.resize(20);
    out << "\nTop (node, column, neuron) spike counts:\n";
    for (const auto& [v, key] : top) {
      const auto dot = key.rfind('.');
      out << "  " << key.substr(0, dot) << '[' << key.substr(dot + 1) << "] = " << v << " spikes\n";
    }
  }
  out << "\nLast t per node:\n";
  const nlohmann::json last_t = member(c, "last_t");
  for (const auto& [id, v] : last_t.items()) out << "  " << id << ": t=" << v << '\n';
  out << "==========================\n";
  return out.str();
}

}  // namespace p3p::control
