#pragma once
// How long each epoch's barrier took: from sending this node's batches to holding every peer's. The last
// 1024 samples, summarised as p50/p99 in microseconds for `status`; and every sample in a histogram with
// fixed bounds (cumulative counts, as Prometheus wants them) for `metrics`.
#include <algorithm>
#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <vector>

namespace p3p::runtime {

class ExchangeTimings {
 public:
  static constexpr std::array<std::uint64_t, 12> kBoundsUs = {10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 25000, 100000};

  void add(std::uint64_t us) {
    for (std::size_t b = 0; b < kBoundsUs.size(); ++b)
      if (us <= kBoundsUs[b]) ++buckets_[b];
    sum_us_ += us;
    if (samples_.size() < kKeep) {
      samples_.push_back(us);
    } else {
      samples_[next_] = us;
    }
    next_ = (next_ + 1) % kKeep;
    ++count_;
  }
  // {"bounds_us": [...], "cumulative": [...], "count", "sum_us"}: cumulative[b] = samples <= bounds_us[b].
  nlohmann::json histogram() const {
    return {{"bounds_us", kBoundsUs}, {"cumulative", buckets_}, {"count", count_}, {"sum_us", sum_us_}};
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
  std::array<std::uint64_t, kBoundsUs.size()> buckets_{};
  std::uint64_t sum_us_ = 0;
};

}  // namespace p3p::runtime
