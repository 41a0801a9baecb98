#pragma once
// The run and check functions of each implemented experiment, one file each (seq_gen.cpp, ...), listed by
// registry.cpp.
#include "experiments/experiment.hpp"

namespace p3p::experiments {

Expected<Outcome, Error> run_pattern_classify(Run& run);  // pattern_classify.cpp
Expected<Outcome, Error> run_rhythm_gen(Run& run);      // rhythm_gen.cpp
Expected<Outcome, Error> run_hopfield_assoc(Run& run);  // hopfield_assoc.cpp
Expected<Outcome, Error> run_cart_balance(Run& run);    // cart_balance.cpp
// seq_gen.cpp
Expected<void, Error> check_seq_gen(const nlohmann::json& args);
Expected<Outcome, Error> run_seq_gen(Run& run);
// boid_swarm.cpp
Expected<void, Error> check_boid_swarm(const nlohmann::json& args);
Expected<Outcome, Error> run_boid_swarm(Run& run);
Expected<Outcome, Error> run_seizure_detect(Run& run);  // seizure_detect.cpp

}  // namespace p3p::experiments
