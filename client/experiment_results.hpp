#pragma once
// Experiment result documents on disk, for both sides: the control node writes them (experiments/
// result_store.hpp), p3pctl reads them (`p3pctl experiment results`). One file per run, named like the
// snapshots: <experiment>_<UTC time>[-n].json (20261202T061500.123Z; -n when two runs end in the same ms),
// in the topology's results dir (`results: {dir}`, default results/ beside the topology).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace p3p::control {

inline constexpr int kResultVersion = 1;  // the document's "version"; bumped when a field changes meaning

std::string result_file_name(std::string_view experiment, std::uint64_t unix_ms, unsigned n = 0);
// The experiment a file name is a result of, or nothing when it is not a result's name.
std::optional<std::string> result_experiment(std::string_view file_name);
// The result files in `dir` (of `experiment`, or every one when empty), oldest first; none when no dir.
std::vector<std::filesystem::path> list_results(const std::filesystem::path& dir, std::string_view experiment = {});

}  // namespace p3p::control
