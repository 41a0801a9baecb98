#pragma once
// Each p3pctl verb lives in its own file and registers itself on the application through one of these
// functions. The verb's callback stores its exit code in `exit_code`: 0 success, 1 the command failed.
// Usage errors (exit 2) are CLI11's parse errors, handled once in main.
#include <CLI/CLI.hpp>

namespace p3p::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;

void add_keygen_command(CLI::App& app, int& exit_code);
void add_validate_command(CLI::App& app, int& exit_code);
void add_up_command(CLI::App& app, int& exit_code);
void add_down_command(CLI::App& app, int& exit_code);
void add_status_command(CLI::App& app, int& exit_code);
void add_bench_command(CLI::App& app, int& exit_code);
void add_watch_command(CLI::App& app, int& exit_code);
void add_completion_command(CLI::App& app, int& exit_code);  // bash completion from the verbs and the command table
void add_control_verbs(CLI::App& app, int& exit_code);
void add_anomaly_command(CLI::App& app, int& exit_code);     // anomaly feed FILE|- (anomaly_command.cpp)
void add_experiment_command(CLI::App& app, int& exit_code);  // experiment NAME | list | all | results  // demo, stimulate, reward, ... (control_verbs.cpp)

}  // namespace p3p::cli
