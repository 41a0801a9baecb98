#pragma once
// The error every control path returns: a stable code for programs and a message for people.
#include <string>

namespace p3p::control {

struct ControlError {
  std::string code;
  std::string message;
  std::string text() const { return message + " (" + code + ")"; }
};

}  // namespace p3p::control
