#pragma once
// The run and check functions of each implemented experiment, one file each (seq_gen.cpp, ...), listed by
// registry.cpp.
#include "experiments/experiment.hpp"

namespace p3p::experiments {

Expected<Outcome, Error> run_pattern_classify(Run& run);  // pattern_classify.cpp
}  // namespace p3p::experiments
