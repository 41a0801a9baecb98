#pragma once
// How p3pctl shows cluster results as tables for people (the data comes from nodes/control).
#include <iosfwd>
#include <nlohmann/json.hpp>

namespace p3p::cli {

void print_status_table(std::ostream& out, const nlohmann::json& status);  // control::cluster_status
void print_demo_table(std::ostream& out, const nlohmann::json& report);    // control::run_demo

}  // namespace p3p::cli
