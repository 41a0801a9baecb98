#pragma once
// How long each epoch's barrier took: from sending this node's batches to holding every peer's. The last
// 1024 samples, summarised as p50/p99 in microseconds for `status`.
#include <algorithm>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <vector>

namespace p3p::runtime {

class ExchangeTimings {
 public:
  void add(std::uint64_t us) {
    if (samples_.size() < kKeep) {
      samples_.push_back(us);
    } else {
      samples_[next_] = us;
    }
    next_ = (next_ + 1) % kKeep;
    ++count_;
  }
  nlohmann::json summary() const {
    if (samples_.empty()) return {{"samples", 0}, {"p50", nullptr}, {"p99", nullptr}};
    std::vector<std::uint64_t> s = samples_;
    std::sort(s.begin(), s.end());
    auto at = [&](double q) { return s[static_cast<std::size_t>(q * static_cast<double>(s.size() - 1))]; };
    return {{"samples", count_}, {"p50", at(0.50)}, {"p99", at(0.99)}};
  }

 private:
  static constexpr std::size_t kKeep = 1024;
  std::vector<std::uint64_t> samples_;
  std::size_t next_ = 0;
  std::uint64_t count_ = 0;
};

}  // namespace p3p::runtime
