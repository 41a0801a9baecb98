#include "nodes/control/control_service.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "nodes/control/dispatcher.hpp"
#include "client/node_client.hpp"
#include "client/request.hpp"
#include "nodes/loop/mailbox.hpp"

namespace p3p::control {
namespace {

// Connection ids 0 and kScheduled are not clients: a status refresh, and a scheduled job.
constexpr std::uint64_t kScheduled = UINT64_MAX;

struct Job {
  bool stop = false;
  std::uint64_t connection = 0;
  ParsedLine line;
  runtime::Clock::time_point started = runtime::Clock::now();
  std::size_t scheduled = 0;  // connection kScheduled: index of the topology job
};

struct Done {
  std::uint64_t connection = 0;  // 0: a status refresh for everyone waiting on one
  ParsedLine line;
  runtime::Clock::time_point started;
  std::size_t scheduled = 0;
  Expected<nlohmann::json, Failure> outcome = unexpected(Failure{ErrorCode::internal, "not run"});
};

constexpr auto kStatusFreshFor = std::chrono::milliseconds(50);

void worker_main(zmq::context_t& context, std::string endpoint, const topology::Topology& topo, RegionStore& regions,
                 ExperimentState& experiments, const std::atomic<bool>& stopping) {
  zmq::socket_t sock(context, zmq::socket_type::pair);
  sock.set(zmq::sockopt::linger, 0);
  sock.connect(endpoint);
  auto client = NodeClient::open(topo);
  std::optional<Dispatcher> dispatcher;
  if (client) dispatcher.emplace(topo, **client, regions, &stopping, &experiments);
  for (;;) {
    auto job = runtime::take<Job>(sock, zmq::recv_flags::none);
    if (!job || job->stop) return;
    auto done = std::make_unique<Done>();
    done->connection = job->connection;
    done->started = job->started;
    done->scheduled = job->scheduled;
    Expected<nlohmann::json, Failure>& outcome = done->outcome;
    outcome = unexpected(Failure{ErrorCode::internal, "no cluster client"});
    if (dispatcher) {
      try {
        outcome = dispatcher->execute(*job->line.request);
      } catch (const std::exception& e) {  // a bug, not the client's fault: say so, keep serving
        outcome = unexpected(Failure{ErrorCode::internal, std::string("internal error: ") + e.what()});
      }
    } else if (!client) {
      outcome = unexpected(Failure{ErrorCode::internal, "cannot reach the cluster: " + client.error()});
    }
    done->line = std::move(job->line);
    runtime::post(sock, std::move(done));
  }
}

}  // namespace

struct ControlService::Worker {
  zmq::socket_t loop_end;
  std::thread thread;
  bool busy = false;
  Worker(zmq::context_t& context, const topology::Topology& topo, RegionStore& regions, ExperimentState& experiments,
         const std::string& name, const std::atomic<bool>& stopping)
      : loop_end(context, zmq::socket_type::pair) {
    const std::string endpoint = "inproc://p3p-control-" + name + "-" + std::to_string(reinterpret_cast<std::uintptr_t>(this));
    loop_end.set(zmq::sockopt::linger, 0);
    loop_end.bind(endpoint);
    thread = std::thread(worker_main, std::ref(context), endpoint, std::cref(topo), std::ref(regions), std::ref(experiments),
                         std::cref(stopping));
  }
  ~Worker() {
    auto stop = std::make_unique<Job>();
    stop->stop = true;
    runtime::post(loop_end, std::move(stop));
    thread.join();
    while (runtime::take<Done>(loop_end)) {
    }
  }
};


Expected<std::unique_ptr<ControlService>, std::string> ControlService::start(zmq::context_t& context, const topology::Topology& t,
                                                                             runtime::EventLoop& loop, runtime::Logger& log,
                                                                             const std::vector<experiments::Experiment>* experiments) {
  std::unique_ptr<ControlService> s(new ControlService(context, t, loop, log, experiments));
  const topology::Control& settings = *t.control;
  const std::string host = settings.host == "localhost" ? "127.0.0.1" : settings.host;
  s->address_ = host + ":" + std::to_string(settings.port);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(settings.port);
  if (inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1) return unexpected("control port: bad IPv4 address " + host);
  s->listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  const int one = 1;
  setsockopt(s->listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(s->listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(s->listen_fd_, 128) != 0)
    return unexpected("control port: cannot listen on " + s->address_ + ": " + std::strerror(errno));
  s->quick_ = std::make_unique<Worker>(context, t, s->regions_, s->experiments_, "quick", s->stopping_);
  s->slow_ = std::make_unique<Worker>(context, t, s->regions_, s->experiments_, "slow", s->stopping_);
  ControlService* self = s.get();
  loop.add_fd(s->listen_fd_, [self] { self->on_accept(); });
  loop.add_socket(s->quick_->loop_end.handle(), [self] { self->on_worker_done(*self->quick_); });
  loop.add_socket(s->slow_->loop_end.handle(), [self] { self->on_worker_done(*self->slow_); });
  loop.every(std::chrono::milliseconds(10), [self] { self->on_tick(); });
  return s;
}

ControlService::ControlService(zmq::context_t& context, const topology::Topology& t, runtime::EventLoop& loop, runtime::Logger& log,
                               const std::vector<experiments::Experiment>* experiments)
    : context_(context), topo_(t), loop_(loop), log_(log), regions_(RegionLayout::from_topology(t)), experiments_(experiments) {}

ControlService::~ControlService() {
  stopping_ = true;  // a command waiting on the cluster gives up at its next look
  quick_.reset();    // joins: a command in flight finishes first (bounded by its own timeouts)
  slow_.reset();
  for (auto& [id, c] : connections_) ::close(c->fd);
  if (listen_fd_ >= 0) ::close(listen_fd_);
}

void ControlService::start_jobs() {
  if (jobs_started_) return;
  jobs_started_ = true;
  for (std::size_t i = 0; i < topo_.jobs.size(); ++i) {
    const topology::Job& job = topo_.jobs[i];
    const auto args = nlohmann::json::parse(job.args_json, nullptr, false);
    if (auto r = make_request(job.command, args.is_discarded() ? nlohmann::json() : args); !r) {
      log_.log(runtime::Level::error, "scheduler", "job refused; it will not run",
               {{"job", job.id}, {"cmd", job.command}, {"code", r.error().code}, {"error", r.error().message}});
      continue;
    }
    schedule(i, job.repeat, job.delay_s);
  }
}

void ControlService::schedule(std::size_t index, std::uint32_t runs_left, double after_s) {
  const auto when = runtime::Clock::now() + std::chrono::microseconds(static_cast<std::int64_t>(after_s * 1e6));
  loop_.at(when, [this, index, runs_left] { run_job(index, runs_left); });
}

// One run of a scheduled job through the same workers as the port's commands. A long job waits (100 ms
// at a time) while another long command runs, rather than being refused as `busy`.
void ControlService::run_job(std::size_t index, std::uint32_t runs_left) {
  const topology::Job& job = topo_.jobs[index];
  auto request = make_request(job.command, nlohmann::json::parse(job.args_json, nullptr, false));
  if (!request) return;  // refused at start (logged there)
  if (request->spec->long_running && slow_->busy) return schedule(index, runs_left, 0.1);
  status_cache_.reset();
  ++commands_seen_;
  auto work = std::make_unique<Job>();
  work->connection = kScheduled;
  work->scheduled = index;
  work->line.cmd = job.command;
  work->line.request = std::move(request);
  Worker& w = work->line.request->spec->long_running ? *slow_ : *quick_;
  if (&w == slow_.get()) w.busy = true;
  runtime::post(w.loop_end, std::move(work));
  if (runs_left > 1) schedule(index, runs_left - 1, std::max(job.interval_s, 0.001));
}

nlohmann::json ControlService::status() const {
  return {{"address", address_}, {"clients", connections_.size()}, {"max_clients", topo_.control->max_clients},
          {"served", served_}, {"errors", errors_}, {"long_command_running", slow_ && slow_->busy},
          {"experiment_running", experiments_.running()},
          {"jobs", topo_.jobs.size()}, {"jobs_started", jobs_started_}, {"dropped", dropped_}, {"held_bytes", held_by_all()}};
}

// Serves queued lines until one is in flight, or the client has too many replies to take. Once all it sent
// is answered: too_large after an overlong line, and the end after the client's end of input.
void ControlService::serve_next(Connection& c) {
  while (!c.in_flight && !c.closing && !c.broken && may_serve(c)) {
    auto text = c.next_line();
    if (!text) break;
    serve_line(c, *text);
  }
  if (!c.in_flight && !c.closing && !c.broken && c.lines.empty()) {
    if (c.overlong) {
      count_error(ErrorCode::too_large);
      c.closing = true;
      answer(c, error_reply({}, ErrorCode::too_large, "line longer than " + std::to_string(kMaxLineBytes) + " bytes; closing the connection"));
    } else if (c.peer_closed) {
      c.closing = true;
    }
  }
  update_reading(c);
}

void ControlService::serve_line(Connection& c, const std::string& text) {
  ParsedLine line = parse_line(text);
  const auto& token = topo_.control->token;
  std::optional<Failure> refusal;
  if (token && line.token != *token)
    refusal = Failure{ErrorCode::unauthorized, "this control port needs the topology's token in every request (\"token\": ...)"};
  else if (!line.request)
    refusal = line.request.error();
  else if (line.request->spec->long_running && slow_->busy)
    refusal = Failure{ErrorCode::busy, busy_message()};
  if (refusal) {
    count_error(refusal->code);
    answer(c, error_reply(line, refusal->code, refusal->message));
    return;
  }
  if (line.request->cmd == "list_commands") {  // the table never changes: serialised once
    static const std::string table = describe_commands().dump();
    ++served_;
    answer(c, reply_line_ok(line, table));
    return;
  }
  if (line.request->cmd == "status") {
    // Many clients asking at once share one look at the cluster: answered from a view at most
    // kStatusFreshFor old with no command served since, else all waiting on one refresh.
    if (status_cache_ && runtime::Clock::now() - status_at_ < kStatusFreshFor) {
      ++served_;
      answer(c, reply_line_ok(line, *status_cache_));
      return;
    }
    c.in_flight = true;
    status_waiters_.push_back({c.id, std::move(line), commands_seen_});
    if (!status_refreshing_) start_status_refresh();
    return;
  }
  status_cache_.reset();  // a command may change what status shows
  ++commands_seen_;
  Worker& w = line.request->spec->long_running ? *slow_ : *quick_;
  auto job = std::make_unique<Job>();
  job->connection = c.id;
  job->line = std::move(line);
  runtime::post(w.loop_end, std::move(job));
  w.busy = &w == slow_.get();
  c.in_flight = true;
}

std::string ControlService::busy_message() const {
  if (const std::string running = experiments_.running(); !running.empty())
    return "experiment " + running + " is running (experiment_cancel stops it); try again when it has answered";
  return "another long command is running; try again when it has answered";
}

void ControlService::publish_progress() {
  for (auto& event : experiments_.take_events())
    if (on_progress_) on_progress_(event);
  for (auto& event : experiments_.take_anomalies())
    if (on_anomaly_) on_anomaly_(event);
}

void ControlService::on_worker_done(Worker& w) {
  while (auto done = runtime::take<Done>(w.loop_end)) {
    if (&w == slow_.get()) w.busy = false;
    if (done->connection == 0) {  // a status refresh: everyone who asked before it started gets it
      status_refreshing_ = false;
      std::vector<StatusWaiter> later;
      std::optional<std::string> text;
      if (done->outcome) text = done->outcome->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      if (text && refresh_started_at_ == commands_seen_) {  // no command ran meanwhile: later askers may reuse it
        status_cache_ = *text;
        status_at_ = runtime::Clock::now();
      }
      const std::uint64_t covers = refresh_started_at_;
      auto waiting = std::move(status_waiters_);  // delivering may queue new waiters (pipelined status lines)
      status_waiters_.clear();
      for (auto& waiter : waiting) {
        if (waiter.needs > covers) {
          later.push_back(std::move(waiter));
        } else if (text) {
          deliver_text(waiter.connection, reply_line_ok(waiter.line, *text), false);
        } else {
          deliver(waiter.connection, waiter.line, done->outcome);
        }
      }
      for (auto& waiter : later) status_waiters_.push_back(std::move(waiter));
      if (!status_waiters_.empty() && !status_refreshing_) start_status_refresh();
      continue;
    }
    status_cache_.reset();
    ++commands_seen_;
    nlohmann::json served = {{"cmd", done->line.cmd}, {"ok", done->outcome.has_value()},
                             {"ms", std::chrono::duration<double, std::milli>(runtime::Clock::now() - done->started).count()}};
    if (!done->outcome) served["code"] = done->outcome.error().code;
    if (done->connection == kScheduled) {
      const topology::Job& job = topo_.jobs[done->scheduled];
      served["job"] = job.id;
      if (!done->outcome) served["message"] = done->outcome.error().message;
      log_.log(done->outcome ? runtime::Level::info : runtime::Level::warn, "scheduler", "job done", served);
      if (on_served_) on_served_(served);
      if (done->outcome) ++served_;
      else count_error(done->outcome.error().code);
      continue;
    }
    if (on_served_) on_served_(served);
    deliver(done->connection, done->line, done->outcome);
  }
  reap();
}

void ControlService::start_status_refresh() {
  auto job = std::make_unique<Job>();
  job->line.cmd = "status";
  job->line.request = make_request("status", nlohmann::json::object());
  runtime::post(quick_->loop_end, std::move(job));
  status_refreshing_ = true;
  refresh_started_at_ = commands_seen_;
}

void ControlService::deliver(std::uint64_t id, const ParsedLine& line, const Expected<nlohmann::json, Failure>& outcome) {
  if (!outcome) count_error(outcome.error().code);
  deliver_text(id, reply_line(line, outcome), !outcome);
}

void ControlService::deliver_text(std::uint64_t id, const std::string& reply, bool /*failed*/) {
  ++served_;
  const auto it = connections_.find(id);
  if (it == connections_.end()) return;
  Connection& c = *it->second;
  c.in_flight = false;
  if (c.broken) return;
  answer(c, reply);
  serve_next(c);
}

}  // namespace p3p::control
