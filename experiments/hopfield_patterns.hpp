#pragma once
// hopfield_assoc's environment, pure and tested alone: sparse random patterns, noisy cues made from them,
// the overlap of a recalled state with its pattern, and the recall weights made from learned ones.
#include <cstdint>
#include <random>
#include <vector>

#include "driver/cluster_driver.hpp"

namespace p3p::experiments::hopfield {

using Pattern = std::vector<bool>;  // one entry per neuron: active or not

// `count` patterns of `active` active neurons out of `neurons`, each drawn independently.
std::vector<Pattern> make_patterns(std::size_t count, std::size_t neurons, std::size_t active, std::mt19937_64& rng);

// The pattern with round(noise x active) of its active neurons moved to as many silent ones (the cue keeps
// the pattern's sparseness, so its activity alone does not tell it from the pattern).
Pattern noisy_cue(const Pattern& p, double noise, std::mt19937_64& rng);

// Pearson correlation of two binary states (1 = the same, 0 = unrelated); 0 when either is constant.
double overlap(const Pattern& a, const Pattern& b);

struct RecallScaling {
  double mean_weight = 0.4;  // W0: the learned positive weights are scaled to this mean
  double inhibition = 0.36;  // G: subtracted from every weight (uniform feedback inhibition)
  double w_min = -2.0, w_max = 2.0;
};

// Every pair (source != target) of `neurons` x `neurons`: W0 x learned / mean(positive learned) - G, clipped
// to [w_min, w_max]. Pairs the learned list lacks count as 0; with nothing learned, only -G.
std::vector<driver::Synapse> recall_weights(const std::vector<driver::Synapse>& learned, std::uint32_t neurons,
                                            const RecallScaling& s);

}  // namespace p3p::experiments::hopfield
