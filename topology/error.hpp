#pragma once
// A problem found in a topology file, as a value. The loader collects every problem it can find in one pass,
// so a user fixes a file in one round instead of one error per run.
#include <string>
#include <vector>

namespace p3p::topology {

struct Error {
  std::string file;     // the name the file was loaded under (as given by the caller)
  int line = 0;         // 1-based; 0 when the problem has no position (e.g. the file cannot be read)
  int column = 0;       // 1-based; 0 when unknown
  std::string message;  // says what was expected

  // "file:line:col: message" (or "file: message" without a position), the format editors and compilers use.
  std::string to_string() const;
};

using Errors = std::vector<Error>;

// One error per line, in the order given.
std::string to_string(const Errors& errors);

}  // namespace p3p::topology
