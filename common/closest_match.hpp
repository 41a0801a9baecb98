#pragma once
// The one "did you mean" rule, used by p3pctl, the control port, the node and the topology loader alike:
//   1. a candidate equal to the word but for case wins (`nodeb` -> `nodeB`);
//   2. else the candidate with the fewest edits, compared case-insensitively, if that is at most a third of
//      the word's length (at least one edit): `stauts` -> `status`, `valeu` -> `value`, `hots` -> `host`;
//   3. else nothing: `no_such_command` suggests no command at all, `id` does not suggest `p`.
// Ties go to the earlier candidate, so callers list candidates in the order they want them preferred.
#include <algorithm>
#include <cctype>
#include <cstddef>
#include <string>
#include <string_view>

#include "common/edit_distance.hpp"

namespace p3p {

inline std::string lower_case(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// The candidate the word was probably meant to be, or "" when none is close. `candidates` is any range of
// things convertible to std::string_view.
template <class Range>
std::string closest_match(std::string_view word, const Range& candidates) {
  const std::string lower = lower_case(word);
  for (const auto& c : candidates)
    if (lower_case(std::string_view(c)) == lower) return std::string(std::string_view(c));
  const std::size_t budget = std::max<std::size_t>(1, word.size() / 3);
  std::string best;
  std::size_t best_distance = budget + 1;
  for (const auto& c : candidates) {
    const std::string_view name(c);
    // The distance is at least the difference in length: skip early, which also bounds the cost for a
    // long word sent by a client.
    const std::size_t gap = name.size() > word.size() ? name.size() - word.size() : word.size() - name.size();
    if (gap >= best_distance) continue;
    const std::size_t d = edit_distance(lower, lower_case(name));
    if (d < best_distance) best_distance = d, best = std::string(name);
  }
  return best;
}

// "; did you mean 'x'?" when closest_match finds one, else "": appended to "unknown ..." messages.
template <class Range>
std::string did_you_mean(std::string_view word, const Range& candidates) {
  const std::string best = closest_match(word, candidates);
  return best.empty() ? std::string() : "; did you mean '" + best + "'?";
}

}  // namespace p3p
