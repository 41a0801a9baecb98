#include "nodes/loop/logger.hpp"

#include <chrono>
#include <cstring>
#include <ctime>
#include <stdexcept>

namespace p3p::runtime {
namespace {

std::string utc_now() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t secs = std::chrono::system_clock::to_time_t(now);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];  // room for any int the format could print
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

}  // namespace

std::string_view to_string(Level l) {
  switch (l) {
    case Level::debug: return "debug";
    case Level::info: return "info";
    case Level::warn: return "warn";
    case Level::error: return "error";
  }
  return "info";
}

Logger::Logger(std::string node, const std::string& path, Level min_level)
    : node_(std::move(node)), out_(stderr), owns_(false), min_level_(min_level) {
  if (path.empty()) return;
  out_ = std::fopen(path.c_str(), "a");
  if (!out_) throw std::runtime_error("cannot open log file " + path + ": " + std::strerror(errno));
  owns_ = true;
}

Logger::~Logger() {
  flush();
  if (owns_) std::fclose(out_);
}

void Logger::log(Level level, std::string_view module, std::string_view message, const nlohmann::json& fields) {
  if (level < min_level_) return;
  const nlohmann::json line = {{"time", utc_now()}, {"node", node_},          {"module", module},
                               {"level", to_string(level)}, {"message", message}, {"fields", fields}};
  // Replace invalid UTF-8 from peers instead of throwing: a log line must never take the node down.
  const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  std::lock_guard lock(mutex_);
  std::fwrite(text.data(), 1, text.size(), out_);
  std::fflush(out_);
  ++lines_;
}

void Logger::flush() {
  std::lock_guard lock(mutex_);
  std::fflush(out_);
}

bool RateLimitedLog::allow(const std::string& key, std::uint64_t now_ms, std::uint64_t& suppressed) {
  Slot& s = slots_[key];
  if (s.used && now_ms - s.last_ms < interval_ms_) {
    ++s.held;
    return false;
  }
  suppressed = s.held;
  s = Slot{now_ms, 0, true};
  return true;
}

}  // namespace p3p::runtime
