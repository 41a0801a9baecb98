#include "topology/detail/diagnostics.hpp"

#include <algorithm>

#include "common/closest_match.hpp"

namespace p3p::topology::detail {

void Diagnostics::error(Pos pos, std::string message) {
  errors_.push_back(Error{file_, pos.line, pos.column, std::move(message)});
}

Errors Diagnostics::sorted() const {
  Errors out = errors_;
  std::stable_sort(out.begin(), out.end(), [](const Error& a, const Error& b) {
    return a.line != b.line ? a.line < b.line : a.column < b.column;
  });
  auto same = [](const Error& a, const Error& b) {
    return a.line == b.line && a.column == b.column && a.message == b.message;
  };
  out.erase(std::unique(out.begin(), out.end(), same), out.end());
  return out;
}

std::string closest(std::string_view word, const std::vector<std::string>& candidates) {
  return closest_match(word, candidates);
}

std::string hint(std::string_view word, const std::vector<std::string>& candidates) {
  if (candidates.empty()) return "";
  std::string best = closest(word, candidates);
  if (!best.empty()) return "; did you mean '" + best + "'?";
  return "; expected one of: " + quoted_list(candidates);
}

std::string quoted_list(const std::vector<std::string>& items, std::size_t max_items) {
  std::string out;
  for (std::size_t i = 0; i < items.size() && i < max_items; ++i) {
    if (i > 0) out += ", ";
    out += '\'' + items[i] + '\'';
  }
  if (items.size() > max_items) out += ", ...";
  return out;
}

}  // namespace p3p::topology::detail
