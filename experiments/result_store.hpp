#pragma once
// Writes a result document into the results dir (client/experiment_results.hpp names it), atomically: a
// reader sees the whole document or none (persistence::write_atomically), and two runs never overwrite
// each other (the second gets -1, -2, ...).
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "common/expected.hpp"
#include "experiments/experiment.hpp"

namespace p3p::experiments {

// The file name written (in `dir`, made if missing); io_error naming the dir when it cannot be written.
Expected<std::string, Error> write_result(const std::filesystem::path& dir, const nlohmann::json& document);

}  // namespace p3p::experiments
