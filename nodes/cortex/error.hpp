#pragma once
// Errors the engine returns at its boundaries (building, state import, remote delivery). Nothing is
// half-applied when one of these is returned.
#include <cstdint>
#include <string>
#include <string_view>

namespace p3p::cortex {

enum class ErrorCode {
  invalid_spec,      // a population or projection description is inconsistent
  invalid_argument,  // a call's argument is out of range (neuron index, tick, ...)
  too_late,          // remote spikes arrive after the tick they should affect was computed
  state_mismatch,    // an imported state does not fit the engine's network
};

struct Error {
  ErrorCode code = ErrorCode::invalid_argument;
  std::string message;
};

// "pattern neuron 9 is out of range: column 'c' has neurons 0 to 3" - the valid range, so the caller can
// fix the request without looking the column's size up.
inline std::string neuron_range_message(std::string_view what, std::uint64_t neuron, std::string_view column,
                                        std::uint32_t size) {
  return std::string(what) + " " + std::to_string(neuron) + " is out of range: column '" + std::string(column) +
         "' has neurons 0 to " + std::to_string(size == 0 ? 0 : size - 1);
}

}  // namespace p3p::cortex
