#pragma once
// The samples `p3pctl anomaly feed` reads: one per line, its channels as columns, either CSV (commas; a
// first line that is not all numbers is a header and skipped) or JSON lines (an array of numbers, or an
// object whose values are the channels in the order of the first line's keys). Blank lines are skipped.
// Every sample must have the first one's number of channels, and every value must be a finite number: a
// line that is not says which line and why.
#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "common/expected.hpp"

namespace p3p::cli {

class SampleReader {
 public:
  explicit SampleReader(std::istream& in) : in_(in) {}
  // The next sample, nothing at the end, or the error naming the line.
  Expected<std::optional<std::vector<double>>, std::string> next();
  int line() const { return line_; }
  int channels() const { return channels_; }
 private:
  Expected<std::optional<std::vector<double>>, std::string> parse(const std::string& text);
  std::istream& in_;
  int line_ = 0;
  int channels_ = 0;                  // 0 until the first sample
  std::vector<std::string> keys_;     // JSON objects: the first line's keys
};

// The samples as the anomaly_feed command takes them: one line each, channels comma separated, each value
// printed so it reads back to the same float.
std::string samples_text(const std::vector<std::vector<double>>& samples);

}  // namespace p3p::cli
