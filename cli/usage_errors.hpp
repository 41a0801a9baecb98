#pragma once
// What p3pctl says when a command line does not parse, in the user's terms rather than CLI11's: CLI11 answers
// `p3pctl stauts` with "A subcommand is required" and `--rundir` with "The following arguments were not
// expected"; these walk the words given over the verb tree and name the first one that is wrong, with a
// did-you-mean (common/closest_match.hpp), or the subcommands a verb needs.
#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace p3p::cli {

// `help [VERB...]` is `[VERB...] --help`; other command lines are returned as they are.
std::vector<std::string> expand_help_verb(std::vector<std::string> args);

struct UsageError {
  std::string message;  // e.g. "unknown command 'stauts'; did you mean 'status'?"
  std::string command;  // the verb path it concerns, e.g. "p3pctl snapshot", for the --help hint
};

// `args` are the words after the program name; `error` is what CLI11 threw for them.
UsageError explain_usage_error(const CLI::App& app, const std::vector<std::string>& args, const CLI::ParseError& error);

}  // namespace p3p::cli
