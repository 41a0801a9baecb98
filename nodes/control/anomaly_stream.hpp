#pragma once
// What anomaly_feed (anomaly_feed.hpp) keeps from one request to the next of one stream: the trained
// detector's read-out, the encoder (it takes each block's first difference from the last sample it saw),
// the alarm stream, and the samples of a step not yet complete.
#include <cstdint>
#include <vector>

#include "experiments/seizure_detector.hpp"

namespace p3p::control {

struct AnomalyStream {
  experiments::seizure::Readout readout;
  experiments::seizure::DetectorColumns columns;
  experiments::seizure::SlopeEncoder encoder;
  experiments::seizure::AlarmStream alarms;
  std::vector<float> pending;  // whole samples of the step being filled
  std::int64_t samples = 0;    // fed so far (whole stream)
  std::int64_t steps = 0;      // run so far
  std::int64_t events = 0;     // raised so far

  AnomalyStream(experiments::seizure::Readout r, experiments::seizure::DetectorColumns c)
      : readout(r), columns(std::move(c)), encoder(r.scale), alarms(r) {}
};

}  // namespace p3p::control
