#pragma once
// Structured logs: one JSON object per line - time (UTC, ISO 8601 with ms), node, module, level, message,
// fields - to stderr or a file. Lines are written whole under a mutex, so threads never interleave them,
// and flushed per line: a killed node loses nothing it has logged.
#include <cstdint>
#include <cstdio>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace p3p::runtime {

enum class Level { debug, info, warn, error };

std::string_view to_string(Level l);

class Logger {
 public:
  // `path` empty = stderr. Throws std::runtime_error (naming the path) if the file cannot be opened.
  Logger(std::string node, const std::string& path, Level min_level = Level::info);
  ~Logger();
  Logger(const Logger&) = delete;
  Logger& operator=(const Logger&) = delete;

  void log(Level level, std::string_view module, std::string_view message,
           const nlohmann::json& fields = nlohmann::json::object());
  void flush();
  std::uint64_t lines() const { return lines_; }

 private:
  std::string node_;
  std::FILE* out_;
  bool owns_;
  Level min_level_;
  std::mutex mutex_;
  std::uint64_t lines_ = 0;
};

// Logs at most one line per key per interval, with how many were held back: floods (e.g. garbage from a
// rogue peer) cannot fill the disk, and the counts still add up.
class RateLimitedLog {
 public:
  explicit RateLimitedLog(std::uint64_t interval_ms = 1000) : interval_ms_(interval_ms) {}
  // Returns true (and fills `suppressed` with the lines held back since the last one) if this key may log now.
  bool allow(const std::string& key, std::uint64_t now_ms, std::uint64_t& suppressed);

 private:
  struct Slot {
    std::uint64_t last_ms = 0;
    std::uint64_t held = 0;
    bool used = false;
  };
  std::uint64_t interval_ms_;
  std::map<std::string, Slot> slots_;
};

}  // namespace p3p::runtime
