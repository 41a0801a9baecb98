// bench_validate: `p3pctl validate` on a generated topology of many columns (default 200,000: regions of 100
// cortex7 columns over three nodes, each column projecting one_to_one to the next), run as a real process
// the way a user runs it. Prints one JSON line: the file's size, validate's wall time and its peak RSS (from
// wait4). `--quick` = 2,000 columns, for the smoke test.
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

extern char** environ;

namespace {

struct Options {
  std::uint32_t columns = 200000;
  bool projections = true;
  std::string p3pctl = P3P_P3PCTL;
};

std::string topology_text(const Options& o) {
  std::string out = "cluster: {name: bench, key_file: bench.key}\nnodes:\n";
  for (int i = 0; i < 3; ++i)
    out += "  - {id: n" + std::to_string(i) + ", host: 127.0.0.1, router_port: " + std::to_string(21001 + i) +
           ", pub_port: " + std::to_string(21101 + i) + ", modules: [cortex7, mesh]}\n";
  out += "regions:\n";
  for (std::uint32_t c = 0; c < o.columns; ++c) {
    if (c % 100 == 0) out += "  - name: R" + std::to_string(c / 100) + "\n    columns:\n";
    out += "      - {id: c" + std::to_string(c) + ", node: n" + std::to_string(c % 3) + ", preset: cortex7}\n";
  }
  if (o.projections && o.columns > 1) {
    out += "projections:\n";
    for (std::uint32_t c = 0; c + 1 < o.columns; ++c)
      out += "  - {from: c" + std::to_string(c) + ", to: c" + std::to_string(c + 1) +
             ", rule: one_to_one, weight: 0.3}\n";
  }
  return out;
}

bool write_key(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) return false;
  std::ifstream random("/dev/urandom", std::ios::binary);
  char key[32] = {};
  random.read(key, sizeof key);
  const bool ok = random && ::write(fd, key, sizeof key) == static_cast<ssize_t>(sizeof key);
  ::close(fd);
  return ok;
}

struct Run {
  int status = -1;
  double seconds = 0;
  long peak_rss_kib = 0;
};

// Runs `p3pctl validate FILE -o json` (stdout to `out`) and measures it: wall time and the child's peak RSS.
Run run_validate(const Options& o, const std::filesystem::path& file, const std::filesystem::path& out) {
  Run r;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  std::vector<std::string> args{o.p3pctl, "validate", file.string(), "-o", "json"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const auto start = std::chrono::steady_clock::now();
  pid_t pid = -1;
  const int spawned = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) return r;
  rusage usage{};
  if (::wait4(pid, &r.status, 0, &usage) != pid) return r;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  r.peak_rss_kib = usage.ru_maxrss;
  return r;
}

bool parse_args(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--quick") {
      o.columns = 2000;
    } else if (a == "--columns" && i + 1 < argc) {
      o.columns = static_cast<std::uint32_t>(std::strtoul(argv[++i], nullptr, 10));
    } else if (a == "--no-projections") {
      o.projections = false;
    } else if (a == "--p3pctl" && i + 1 < argc) {
      o.p3pctl = argv[++i];
    } else {
      std::fprintf(stderr, "usage: bench_validate [--quick] [--columns N] [--no-projections] [--p3pctl PATH]\n");
      return false;
    }
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!parse_args(argc, argv, o)) return 2;
  std::string pattern = (std::filesystem::temp_directory_path() / "bench_validate.XXXXXX").string();
  if (!::mkdtemp(pattern.data())) return 1;
  const std::filesystem::path dir = pattern;
  const std::string text = topology_text(o);
  std::ofstream(dir / "bench.yaml", std::ios::binary) << text;
  const bool keyed = write_key(dir / "bench.key");
  const Run r = keyed ? run_validate(o, dir / "bench.yaml", dir / "out.json") : Run{};
  std::filesystem::remove_all(dir);
  const bool ok = WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0;
  if (!ok) {
    std::fprintf(stderr, "bench_validate: %s validate failed (status %d)\n", o.p3pctl.c_str(), r.status);
    return 1;
  }
  std::printf(
      "{\"bench\":\"validate\",\"columns\":%u,\"projections\":%u,\"file_bytes\":%zu,\"validate_s\":%.3f,"
      "\"peak_rss_bytes\":%ld}\n",
      o.columns, o.projections && o.columns > 0 ? o.columns - 1 : 0, text.size(), r.seconds, r.peak_rss_kib * 1024);
  return 0;
}
