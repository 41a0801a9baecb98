#pragma once
// anomaly_feed on the control node: a user's samples through the detector the last seizure_detect run
// trained (its weights in Region_Anomaly, its read-out in that run's result document, details.detector), on
// the real cluster through a NodeClusterDriver, in the long-command worker.
//
// A request carries samples as text, one per line, channels comma separated. All of it is checked before
// anything runs (bad_args naming the line: a wrong number of values, a value that is not a finite number,
// a rate other than the detector's), so bad input changes nothing. Whole steps run (one schedule, one
// advance, one spike_counts per 32 samples); the rest waits for the next request of the stream, or runs
// as a shorter step with `end`. The requests of a stream are answered one at a time (a long command), so
// a client sending the next only after the answer can never outrun the cluster: nothing is dropped.
// Never trained, or the weights changed since (a restarted cluster, another run's reset): conflict, saying
// to run `p3pctl experiment seizure_detect` first.
// Reply: {events: [{tick, sample, time_s, channels, score}], samples, total_samples, steps, pending,
// dropped: 0, tick}; each event also goes out on telemetry as kind `anomaly` (experiment_commands.hpp).
#include "nodes/control/command_handlers.hpp"

namespace p3p::control {

CommandResult feed_anomaly(CommandContext& cx, const Request& request);

}  // namespace p3p::control
