#include "cli/usage_errors.hpp"

#include <cstdlib>

#include "common/closest_match.hpp"

namespace p3p::cli {
namespace {

bool is_number(const std::string& word) {
  char* end = nullptr;
  std::strtod(word.c_str(), &end);
  return !word.empty() && end == word.c_str() + word.size();
}

bool is_option(const std::string& word) { return word.size() > 1 && word[0] == '-' && !is_number(word); }

std::vector<std::string> option_names(const CLI::App& at) {
  std::vector<std::string> names;
  for (const CLI::Option* o : at.get_options()) {
    for (const auto& n : o->get_lnames()) names.push_back("--" + n);
    for (const auto& n : o->get_snames()) names.push_back("-" + n);
  }
  return names;
}

std::vector<std::string> subcommand_names(const CLI::App& at) {
  std::vector<std::string> names;
  for (const CLI::App* sub : at.get_subcommands({})) names.push_back(sub->get_name());
  return names;
}

std::string listed(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : ", ") + w;
  return out;
}

// How many positional words `at` takes (its positionals' maximum counts; a list counts as unbounded).
std::size_t positional_room(const CLI::App& at) {
  std::size_t room = 0;
  for (const CLI::Option* o : at.get_options())
    if (o->get_positional()) room += o->get_expected_max() > 1000 ? 1000 : static_cast<std::size_t>(o->get_expected_max());
  return room;
}

const CLI::App* subcommand_named(const CLI::App& at, const std::string& name) {
  for (const CLI::App* sub : at.get_subcommands({}))
    if (sub->check_name(name)) return sub;
  return nullptr;
}

}  // namespace

std::vector<std::string> expand_help_verb(std::vector<std::string> args) {
  if (args.empty() || args.front() != "help") return args;
  args.erase(args.begin());
  args.push_back("--help");
  return args;
}

UsageError explain_usage_error(const CLI::App& app, const std::vector<std::string>& args, const CLI::ParseError& error) {
  const CLI::App* at = &app;
  std::string path = app.get_name();
  std::size_t positionals = 0;
  for (std::size_t i = 0; i < args.size() && args[i] != "--"; ++i) {
    const std::string& word = args[i];
    if (is_option(word)) {
      const bool joined = word.find('=') != std::string::npos || (word[1] != '-' && word.size() > 2);
      const std::string name = word[1] == '-' ? word.substr(0, word.find('=')) : word.substr(0, 2);
      const CLI::Option* o = at->get_option_no_throw(name);
      if (o == nullptr) return {"unknown option '" + name + "' for '" + path + "'" + did_you_mean(name, option_names(*at)), path};
      if (!joined && o->get_type_size_min() > 0 && o->get_expected_min() > 0) ++i;  // its value
      continue;
    }
    if (const CLI::App* sub = subcommand_named(*at, word)) {
      at = sub, path += " " + word, positionals = 0;
      continue;
    }
    if (positionals < positional_room(*at)) {
      ++positionals;
      continue;
    }
    const auto subs = subcommand_names(*at);
    if (at == &app)  // ~25 verbs: too many to list in one line; the --help hint follows
      return {"unknown command '" + word + "'" + did_you_mean(word, subs), path};
    if (!subs.empty())
      return {"unknown command '" + word + "' for '" + path + "'" + did_you_mean(word, subs) + " (commands: " + listed(subs) + ")", path};
    return {"unexpected argument '" + word + "' for '" + path + "'", path};
  }
  if (at->get_require_subcommand_min() > 0)  // the walk would have stepped into one given
    return {"'" + path + "' needs a command: " + listed(subcommand_names(*at)), path};
  return {error.what(), path};
}

}  // namespace p3p::cli
