#pragma once
// An option or argument that takes one of a few words (-o table|json|yaml, watch spikes|metrics|events).
// CLI11's own IsMember/CheckedTransformer print their internals ("Check csv value in {json->1,...} OR
// {1,0,2} FAILED", and "value in {json->1,...}" in every --help); this says "'csv' is not one of table, json,
// yaml" instead, and is how `completion` finds the words to offer (by the validator's name).
#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace p3p::cli {

inline constexpr const char* kChoicesValidator = "one_of";

// Accepts one of `words` (case-insensitively; the value becomes the word as listed), with a did-you-mean
// otherwise. Add it with ->transform(one_of(...)).
CLI::Validator one_of(const std::vector<std::string>& words);

// The words of an option's one_of validator; empty if it has none.
std::vector<std::string> choices_of(const CLI::Option& option);

}  // namespace p3p::cli
