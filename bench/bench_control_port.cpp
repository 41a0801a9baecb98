// Load on a running cluster's control port: C concurrent clients, each sending R requests one after the
// other (a request, wait for its reply line, the next), all timed. Prints one JSON line:
//   {"bench":"control_port","cmd","clients","requests_per_client","answered","ok","p50_us","p99_us","max_us",
//    "seconds","requests_per_s"}
// Usage: bench_control_port [--endpoint HOST:PORT] [--clients 50] [--requests 200] [--cmd status]
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct ClientResult {
  std::vector<double> latencies_us;
  int ok = 0;
};

ClientResult run_client(const std::string& host, int port, int requests, const std::string& line) {
  ClientResult r;
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  inet_pton(AF_INET, host.c_str(), &addr.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return r;
  }
  const int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  timeval tv{30, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::string buf;
  char tmp[1 << 16];
  for (int i = 0; i < requests; ++i) {
    const auto t0 = Clock::now();
    if (send(fd, line.data(), line.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(line.size())) break;
    std::size_t nl;
    while ((nl = buf.find('\n')) == std::string::npos) {
      const ssize_t n = recv(fd, tmp, sizeof tmp, 0);
      if (n <= 0) {
        close(fd);
        return r;
      }
      buf.append(tmp, static_cast<std::size_t>(n));
    }
    r.latencies_us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
    if (buf.find("\"ok\":true") < nl) ++r.ok;
    buf.erase(0, nl + 1);
  }
  close(fd);
  return r;
}

double quantile(std::vector<double>& v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(q * static_cast<double>(v.size() - 1))];
}

}  // namespace

int main(int argc, char** argv) {
  std::string endpoint = "127.0.0.1:10080", cmd = "status";
  int clients = 50, requests = 200;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--endpoint") endpoint = v;
    else if (k == "--clients") clients = std::stoi(v);
    else if (k == "--requests") requests = std::stoi(v);
    else if (k == "--cmd") cmd = v;
    else {
      std::fprintf(stderr, "usage: bench_control_port [--endpoint HOST:PORT] [--clients N] [--requests N] [--cmd NAME]\n");
      return 2;
    }
  }
  const auto colon = endpoint.rfind(':');
  const std::string host = endpoint.substr(0, colon);
  const int port = std::stoi(endpoint.substr(colon + 1));
  const std::string line = "{\"cmd\": \"" + cmd + "\"}\n";
  std::vector<ClientResult> results(static_cast<std::size_t>(clients));
  std::vector<std::thread> threads;
  const auto t0 = Clock::now();
  for (int c = 0; c < clients; ++c)
    threads.emplace_back([&, c] { results[static_cast<std::size_t>(c)] = run_client(host, port, requests, line); });
  for (auto& t : threads) t.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  std::vector<double> all;
  int ok = 0;
  for (auto& r : results) {
    all.insert(all.end(), r.latencies_us.begin(), r.latencies_us.end());
    ok += r.ok;
  }
  const auto answered = all.size();
  const double p50 = quantile(all, 0.50), p99 = quantile(all, 0.99), max = all.empty() ? 0 : all.back();
  std::printf("{\"bench\":\"control_port\",\"cmd\":\"%s\",\"clients\":%d,\"requests_per_client\":%d,\"answered\":%zu,\"ok\":%d,"
              "\"p50_us\":%.0f,\"p99_us\":%.0f,\"max_us\":%.0f,\"seconds\":%.3f,\"requests_per_s\":%.0f}\n",
              cmd.c_str(), clients, requests, answered, ok, p50, p99, max, seconds, seconds > 0 ? answered / seconds : 0.0);
  return answered == static_cast<std::size_t>(clients) * static_cast<std::size_t>(requests) ? 0 : 1;
}
