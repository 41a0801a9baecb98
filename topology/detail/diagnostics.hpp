#pragma once
// Error collection for the loader: located errors and "did you mean" hints.
#include <string>
#include <string_view>
#include <vector>

#include "topology/error.hpp"

namespace p3p::topology::detail {

// 1-based line and column; {0, 0} when unknown.
struct Pos {
  int line = 0;
  int column = 0;
  bool known() const { return line > 0; }
};

class Diagnostics {
 public:
  explicit Diagnostics(std::string file) : file_(std::move(file)) {}

  void error(Pos pos, std::string message);
  std::size_t count() const { return errors_.size(); }
  // By position (stable for equal positions), exact duplicates removed.
  Errors sorted() const;

 private:
  std::string file_;
  Errors errors_;
};

// The candidate closest to word if it is a plausible typo (small edit distance), else empty.
std::string closest(std::string_view word, const std::vector<std::string>& candidates);
// "; did you mean 'x'?" when a candidate is close, otherwise "; expected one of: 'a', 'b', ..." (or "" when there
// are no candidates). Appended to "unknown ..." messages.
std::string hint(std::string_view word, const std::vector<std::string>& candidates);
// 'a', 'b', 'c' — at most max_items, then ", ...".
std::string quoted_list(const std::vector<std::string>& items, std::size_t max_items = 12);

}  // namespace p3p::topology::detail
