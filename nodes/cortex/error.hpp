#pragma once
// Errors the engine returns at its boundaries (building, state import, remote delivery). Nothing is
// half-applied when one of these is returned.
#include <string>

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

}  // namespace p3p::cortex
