#include "cli/experiment_run.hpp"

#include <signal.h>

#include <cstdio>
#include <future>
#include <iostream>
#include <memory>

#include "bus/key_file.hpp"
#include "cli/cluster_args.hpp"
#include "cli/control_endpoint.hpp"
#include "client/command_table.hpp"
#include "client/experiment_catalog.hpp"
#include "client/msgpack_body.hpp"
#include "client/telemetry_subscriber.hpp"

namespace p3p::cli {
namespace {

// SIGINT held for the whole run (this thread and every thread started meanwhile: the request's, ZeroMQ's),
// so Ctrl-C is picked up here between waits instead of interrupting a read or ending p3pctl.
class HeldInterrupt {
 public:
  HeldInterrupt() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set_, &old_);
  }
  ~HeldInterrupt() {
    while (taken()) {
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  bool taken() {
    const timespec now{0, 0};
    return sigtimedwait(&set_, nullptr, &now) == SIGINT;
  }

 private:
  sigset_t set_, old_;
};

// The subscriber to every node's events, or null (no topology, no key, no node answering in time).
std::unique_ptr<control::TelemetrySubscriber> subscribe_events(const RunPlace& where) {
  const std::string file = resolve_topology_file(where.topology, where.run_dir);
  if (file.empty()) return nullptr;
  auto topo = load_topology(file);
  if (!topo) return nullptr;
  auto key = bus::load_key(topo->cluster.key_file);
  if (!key) return nullptr;
  std::vector<std::string> nodes;
  if (topo->control) nodes.push_back(topo->control->node);  // the control node publishes the progress
  auto sub = control::TelemetrySubscriber::open(*topo, *key, nodes, {"events."});
  if (!sub) return nullptr;
  (*sub)->wait_subscribed(std::chrono::seconds(2));
  return std::move(*sub);
}

void draw_bar(const nlohmann::json& p) {
  const int epoch = p.value("epoch", 0), epochs = std::max(1, p.value("epochs", 1));
  const int filled = 30 * std::min(epoch, epochs) / epochs;
  std::fprintf(stderr, "\r%s [%s%s] epoch %d/%d  score %.3f   ", p.value("experiment", "").c_str(), std::string(filled, '#').c_str(),
               std::string(30 - filled, '.').c_str(), epoch, epochs, p.value("score", 0.0));
  std::fflush(stderr);
}

}  // namespace

Expected<nlohmann::json, std::string> ask_control(const RunPlace& where, const nlohmann::json& request) {
  auto at = resolve_control_endpoint(where.endpoint, where.topology, where.run_dir);
  if (!at) return unexpected(at.error());
  return control::call_control(*at, request);
}

Expected<nlohmann::json, std::string> run_experiment(const RunPlace& where, const std::string& name, const nlohmann::json& args,
                                                     bool progress) {
  auto at = resolve_control_endpoint(where.endpoint, where.topology, where.run_dir);
  if (!at) return unexpected(at.error());
  HeldInterrupt interrupt;
  auto events = progress ? subscribe_events(where) : nullptr;
  const nlohmann::json request = {{"cmd", std::string(control::kExperimentPrefix) + name}, {"args", args}};
  auto reply = std::async(std::launch::async, [at = *at, request] { return control::call_control(at, request); });
  bool drawn = false, cancelling = false;
  control::Telemetry t;
  while (reply.wait_for(std::chrono::milliseconds(events ? 0 : 100)) != std::future_status::ready) {
    if (!cancelling && interrupt.taken()) {
      cancelling = true;
      std::cerr << (drawn ? "\n" : "") << "p3pctl: cancelling " << name << " (it stops at its next step)\n";
      drawn = false;
      (void)control::call_control(*at, control::request_json(control::command_spec("experiment_cancel")));
    }
    if (!events || events->next(t, std::chrono::milliseconds(100)) != control::TelemetrySubscriber::Got::message) continue;
    if (t.env.kind != "event") continue;
    auto body = control::decode_body(t.env.body);
    if (body && body->is_object() && body->value("event", "") == "experiment_progress" && body->value("experiment", "") == name) {
      draw_bar(*body);
      drawn = true;
    }
  }
  if (drawn) std::cerr << '\n';
  return reply.get();
}

}  // namespace p3p::cli
