#pragma once
// Runs a real program the way a user would and captures what it prints. Bounded in time: a child that
// outlives its timeout is killed, so no test can hang on a stuck process.
#include <chrono>
#include <string>
#include <vector>

namespace p3p::test {

struct ProcessResult {
  int exit_code = -1;       // -1 when killed by a signal (see term_signal)
  int term_signal = 0;
  bool timed_out = false;
  std::string out;
  std::string err;
};

// argv[0] is the program path. `cwd` empty = inherit. Extra environment entries are "NAME=value".
ProcessResult run_process(const std::vector<std::string>& argv,
                          std::chrono::milliseconds timeout = std::chrono::seconds(30),
                          const std::string& cwd = {}, const std::vector<std::string>& extra_env = {},
                          const std::string& stdin_data = {});

// Path of a binary built by this project, e.g. built_binary("cli/p3pctl").
std::string built_binary(const std::string& relative);

}  // namespace p3p::test
