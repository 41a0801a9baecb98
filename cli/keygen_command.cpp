// p3pctl keygen PATH: make a new cluster key (32 random bytes, mode 0600).
#include <iostream>

#include "bus/key_file.hpp"
#include "cli/command.hpp"

namespace p3p::cli {
namespace {

struct KeygenArgs {
  std::string path;
  bool force = false;
};

int run_keygen(const KeygenArgs& args) {
  if (auto written = bus::write_new_key(args.path, args.force); !written) {
    std::cerr << "p3pctl keygen: " << written.error().message << '\n';
    return kExitFailed;
  }
  std::cout << "wrote a new 32-byte cluster key to " << args.path << " (mode 0600)\n";
  return kExitOk;
}

}  // namespace

void add_keygen_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<KeygenArgs>();
  auto* sub = app.add_subcommand("keygen", "write a new random cluster key file (mode 0600)");
  sub->add_option("path", args->path, "where to write the key")->required();
  sub->add_flag("-f,--force", args->force, "replace an existing key file");
  sub->callback([args, &exit_code] { exit_code = run_keygen(*args); });
}

}  // namespace p3p::cli
