#pragma once
// The JSON-lines control port (the `control_port` module) and the two control workers behind it (the
// `control` module), on the node the topology names for control.
//   Port: a TCP listener served by the node's event loop. One JSON object per line in, one per line out,
//   in order per connection (a connection has one request in flight; later lines wait behind it). Lines
//   are checked by request.hpp; a bad line gets its error and changes nothing; a line over 1 MiB gets
//   `too_large` and the connection is closed. A client that shuts down its sending side still gets the
//   replies to everything it sent. With a token in the topology every request must carry it
//   (`unauthorized` otherwise).
//   Hostile clients (control_port.cpp): a connection idle for control.idle_timeout_s, or whose line is not
//   complete within control.line_timeout_s, is closed; at max_clients a new client evicts the connection
//   idle longest (`busy` only when every one has a request in flight); the bytes held per client and for
//   all clients are bounded (port_connection.hpp) by not reading, or not serving, past the limits.
//   Workers: threads that run the Dispatcher (blocking, it talks to the nodes), reached over inproc PAIR
//   sockets. Long-running commands (run_demo, advance, stimulate_region, ...) go to one worker - one at a
//   time, another meanwhile is `busy` - and quick ones (status, list_commands, reward_global, ...) to the
//   other, so a status is answered promptly while the cluster runs.
//   Scheduler: the topology's jobs (start_jobs) go through the same workers, as commands without a client.
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>
#include <string>
#include <thread>
#include <zmq.hpp>

#include "common/expected.hpp"
#include "nodes/control/experiment_commands.hpp"
#include "nodes/control/port_connection.hpp"
#include "nodes/control/region_layout.hpp"
#include "client/request.hpp"
#include "nodes/loop/event_loop.hpp"
#include "nodes/loop/logger.hpp"
#include "topology/topology.hpp"

namespace p3p::control {

class ControlService {
 public:
  // Binds the topology's control host:port and starts the workers; fails (naming the address) if it
  // cannot bind. `experiments`: what experiment_* serve (default: experiments::registry(); tests pass
  // their own, which must outlive the service).
  static Expected<std::unique_ptr<ControlService>, std::string> start(zmq::context_t& context, const topology::Topology& t,
                                                                      runtime::EventLoop& loop, runtime::Logger& log,
                                                                      const std::vector<experiments::Experiment>* experiments = nullptr);
  ~ControlService();
  ControlService(const ControlService&) = delete;
  ControlService& operator=(const ControlService&) = delete;

  nlohmann::json status() const;  // address, clients, requests served, errors by code, connections dropped, bytes held
  // The scheduler: the topology's jobs, each a control command run `repeat` times, the first `delay_s`
  // after this call (the node calls it once the cluster has formed), then every `interval_s`. Results are
  // logged and published as command events with the job's id. Idempotent.
  void start_jobs();
  // Called (in the loop) for every command a worker served - not for status or list_commands, which are
  // asked all the time - with {cmd, ok, code?, ms}: the node publishes it as an event.
  void on_served(std::function<void(const nlohmann::json&)> f) { on_served_ = std::move(f); }
  // Called (in the loop) with each progress report of a running experiment ({experiment, epoch, epochs,
  // score}): the node publishes it as an `experiment_progress` event.
  void on_experiment_progress(std::function<void(const nlohmann::json&)> f) { on_progress_ = std::move(f); }
  // Called (in the loop) with each anomaly event of anomaly_feed ({tick, channels, score, ...}): the node
  // publishes it as an `anomaly` event.
  void on_anomaly(std::function<void(const nlohmann::json&)> f) { on_anomaly_ = std::move(f); }

  struct Worker;
  using Connection = PortConnection;

 private:
  ControlService(zmq::context_t& context, const topology::Topology& t, runtime::EventLoop& loop, runtime::Logger& log,
                 const std::vector<experiments::Experiment>* experiments);
  // control_port.cpp: the sockets, the limits and the timeouts.
  void on_accept();
  bool evict_one();
  void on_readable(std::uint64_t id);
  void read_from(Connection& c);
  bool may_read(const Connection& c) const;
  bool may_serve(const Connection& c) const;
  std::size_t held_by_all() const;
  void update_reading(Connection& c);
  void on_tick();
  std::string busy_message() const;
  void publish_progress();  // the running experiment's progress reports, as events
  std::optional<std::string> expired(const Connection& c, runtime::Clock::time_point now) const;

  void on_worker_done(Worker& w);
  void deliver(std::uint64_t connection, const ParsedLine& line, const Expected<nlohmann::json, Failure>& outcome);
  void deliver_text(std::uint64_t connection, const std::string& reply, bool failed);
  void start_status_refresh();
  void serve_next(Connection& c);
  void serve_line(Connection& c, const std::string& text);
  void answer(Connection& c, const std::string& line);
  void count_error(ErrorCode code) { ++errors_[std::string(to_string(code))]; }
  void flush(Connection& c);
  void reap();
  void schedule(std::size_t index, std::uint32_t runs_left, double after_s);
  void run_job(std::size_t index, std::uint32_t runs_left);

  zmq::context_t& context_;
  const topology::Topology& topo_;
  runtime::EventLoop& loop_;
  runtime::Logger& log_;
  RegionStore regions_;  // update_regions' current layout, for both workers
  ExperimentState experiments_;  // the running experiment, for both workers
  int listen_fd_ = -1;
  std::string address_;
  std::map<std::uint64_t, std::unique_ptr<Connection>> connections_;
  std::uint64_t next_connection_ = 1;
  std::atomic<bool> stopping_{false};  // the workers' dispatchers stop waiting on the cluster when set
  std::unique_ptr<Worker> quick_, slow_;
  std::uint64_t served_ = 0;
  std::map<std::string, std::uint64_t> errors_;  // by code, as its wire string: status names them
  std::map<std::string, std::uint64_t> dropped_;  // connections closed by the node: idle, line_timeout, evicted
  std::optional<std::string> status_cache_;      // the last status result (serialised), while fresh and nothing ran since
  runtime::Clock::time_point status_at_;
  bool status_refreshing_ = false;
  std::uint64_t commands_seen_ = 0;           // bumped when any other command is sent or answered
  std::uint64_t refresh_started_at_ = 0;      // commands_seen_ when the refresh in flight started
  struct StatusWaiter {
    std::uint64_t connection;
    ParsedLine line;
    std::uint64_t needs;  // commands_seen_ when asked: a refresh started earlier is too old for it
  };
  std::vector<StatusWaiter> status_waiters_;
  std::function<void(const nlohmann::json&)> on_served_;
  std::function<void(const nlohmann::json&)> on_progress_;
  std::function<void(const nlohmann::json&)> on_anomaly_;
  bool jobs_started_ = false;
};

}  // namespace p3p::control
