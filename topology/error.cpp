#include "topology/error.hpp"

namespace p3p::topology {

std::string Error::to_string() const {
  std::string out = file;
  if (line > 0) {
    out += ':' + std::to_string(line);
    if (column > 0) out += ':' + std::to_string(column);
  }
  out += ": ";
  out += message;
  return out;
}

std::string to_string(const Errors& errors) {
  std::string out;
  for (const Error& e : errors) {
    out += e.to_string();
    out += '\n';
  }
  return out;
}

}  // namespace p3p::topology
