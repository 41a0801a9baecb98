#pragma once
// The one "did you mean" rule, used by p3pctl, the control port, the node and the topology loader alike:
//   1. a candidate equal to the word but for case wins (`nodeb` -> `nodeB`);
//   2. else the candidate with the fewest edits, compared case-insensitively, if that is at most a third of
//      the part of the word that differs from it (what is left without the prefix and suffix they share;
//      at least one edit): `stauts` -> `status`, `valeu` -> `value`, `hots` -> `host`. Not a third of the
//      whole word: names share long prefixes, and `Region_Nope` is not a typo of `Region_Osc`;
//   3. else nothing: `no_such_command` suggests no command at all, `id` does not suggest `p`.
// Ties go to the earlier candidate, so callers list candidates in the order they want them preferred.
#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
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
// How many edits `word` may be from `name` to be a typo of it (both lower case): a third of what differs.
inline std::size_t typo_budget(std::string_view word, std::string_view name) {
  std::size_t prefix = 0, suffix = 0;
  while (prefix < word.size() && prefix < name.size() && word[prefix] == name[prefix]) ++prefix;
  while (suffix < word.size() - prefix && suffix < name.size() - prefix &&
         word[word.size() - 1 - suffix] == name[name.size() - 1 - suffix])
    ++suffix;
  return std::max<std::size_t>(1, (word.size() - prefix - suffix) / 3);
}

// The candidate the word was probably meant to be, or "" when none is close. `candidates` is any range of
// things convertible to std::string_view.
template <class Range>
std::string closest_match(std::string_view word, const Range& candidates) {
  const std::string lower = lower_case(word);
  for (const auto& c : candidates)
    if (lower_case(std::string_view(c)) == lower) return std::string(std::string_view(c));
  std::string best;
  std::size_t best_distance = SIZE_MAX;
  for (const auto& c : candidates) {
    const std::string_view name(c);
    const std::string lower_name = lower_case(name);
    const std::size_t budget = typo_budget(lower, lower_name);
    // The distance is at least the difference in length: skip early, which also bounds the cost for a
    // long word sent by a client.
    const std::size_t gap = name.size() > word.size() ? name.size() - word.size() : word.size() - name.size();
    if (gap > budget || gap >= best_distance) continue;
    const std::size_t d = edit_distance(lower, lower_name);
    if (d <= budget && d < best_distance) best_distance = d, best = std::string(name);
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
