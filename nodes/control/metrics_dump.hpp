#pragma once
// The metrics dump file (client/metrics_format.hpp has its format): written by the control node, on
// `metrics --dump` and as it stops.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "common/expected.hpp"

namespace p3p::control {

// Writes the cluster document to `path` atomically (temporary file, fsync, rename): a reader - or a crash at
// any moment - sees the previous dump or this one, whole. Adds "written" (UTC) and "unix_ms".
Expected<void, std::string> write_metrics_dump(const std::filesystem::path& path, nlohmann::json cluster);

}  // namespace p3p::control
