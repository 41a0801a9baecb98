#pragma once
// seq_gen's environment, apart from any network: the taught sequence from the arguments, the sub-population
// each position uses (its symbol-in-context), and the read-out and score of a generated sequence.
// Pure functions, tested alone (tests/experiments/seq_gen_task_test.cpp).
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/error_code.hpp"
#include "common/expected.hpp"

namespace p3p::experiments::seq_gen {

inline constexpr std::size_t kMaxLength = 16;
inline constexpr std::size_t kMinLength = 2;  // a cue and at least one symbol to generate
inline constexpr int kMaxAlphabet = 4;
inline constexpr std::size_t kDefaultRandomLength = 8;

struct Task {
  std::vector<int> symbols;  // each in [0, alphabet)
  int alphabet = 2;
  std::string text() const;  // "010101"
};

// From the arguments `sequence` (digits, or "random"), `seq_len` and `alphabet` (both optional) and `seed`:
// bad_args naming what is wrong (a symbol outside the alphabet, a length out of range, seq_len disagreeing
// with the sequence). A random sequence is drawn from the seed alone, the same on every platform.
Expected<Task, Failure> make_task(const nlohmann::json& args);

// Which occurrence of its symbol each position is (0 for the first): with the symbol, its context. A symbol
// repeated at several positions is a different symbol-in-context at each, so each position gets its own
// sub-population and the network can tell "0 after the first 1" from "0 after the second 1".
std::vector<int> occurrences(std::span<const int> symbols);

// The symbol of a read-out window: the one whose sub-populations fired most in it, or -1 when none fired or
// the most are tied (a tie is no answer).
int winner(std::span<const std::uint64_t> spikes_per_symbol);

// Fraction of the positions from `cue` on where `generated` (one entry per position, -1 = none) is right.
double score(std::span<const int> generated, std::span<const int> taught, std::size_t cue);

// The first presentation (1-based) from which every score in `curve` is perfect, or -1 if it ends imperfect.
int presentations_to_perfect(std::span<const double> curve);

}  // namespace p3p::experiments::seq_gen
