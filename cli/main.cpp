// p3pctl: the command-line tool people drive a P3P Neuron cluster with.
#include <iostream>

#include "cli/command.hpp"
#include "cli/usage_errors.hpp"
#include "p3p_version.hpp"

int main(int argc, char** argv) {
  using namespace p3p::cli;
  CLI::App app{"p3pctl - set up, run and inspect a P3P Neuron cluster", "p3pctl"};
  app.set_version_flag("-V,--version", std::string("p3pctl ") + p3p::kVersion);
  app.require_subcommand(1);
  app.fallthrough(false);

  int exit_code = kExitOk;
  add_keygen_command(app, exit_code);
  add_validate_command(app, exit_code);
  add_up_command(app, exit_code);
  add_down_command(app, exit_code);
  add_status_command(app, exit_code);
  add_control_verbs(app, exit_code);
  add_watch_command(app, exit_code);
  add_experiment_command(app, exit_code);
  add_anomaly_command(app, exit_code);
  add_bench_command(app, exit_code);
  add_completion_command(app, exit_code);  // last: it lists the verbs above

  const std::vector<std::string> args = expand_help_verb({argv + 1, argv + argc});
  try {
    app.parse(std::vector<std::string>(args.rbegin(), args.rend()));  // CLI11 takes them last first
  } catch (const CLI::Success& e) {  // --help, --version
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    const UsageError usage = explain_usage_error(app, args, e);
    std::cerr << "p3pctl: " << usage.message << "\nRun '" << usage.command << " --help' for more information.\n";
    return kExitUsage;
  }
  return exit_code;
}
