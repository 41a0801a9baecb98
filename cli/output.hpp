#pragma once
// How p3pctl prints results: a table for people, one JSON line or YAML for scripts. Commands build a JSON
// value once and say how it looks as a table; this file does the rest.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <functional>
#include <iosfwd>
#include <string>

namespace p3p::cli {

enum class Format { table, json, yaml };

// Adds `-o/--output table|json|yaml` to a subcommand.
void add_output_option(CLI::App& sub, Format& format);

// Prints `value` in `format`; `table` renders the people's view (called only for Format::table).
void print_result(std::ostream& out, Format format, const nlohmann::json& value,
                  const std::function<void(std::ostream&)>& table);

// YAML rendering of any JSON value (block style, strings quoted when needed).
std::string to_yaml(const nlohmann::json& value);

// Left-aligned text table; `rows` cells are already strings.
void print_table(std::ostream& out, const std::vector<std::string>& header,
                 const std::vector<std::vector<std::string>>& rows);

}  // namespace p3p::cli
