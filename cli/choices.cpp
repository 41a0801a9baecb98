#include "cli/choices.hpp"

#include "common/closest_match.hpp"

namespace p3p::cli {
namespace {

std::string joined(const std::vector<std::string>& words, const char* separator) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : separator) + w;
  return out;
}

}  // namespace

CLI::Validator one_of(const std::vector<std::string>& words) {
  // The description is what --help shows after the type, e.g. TEXT:{table,json,yaml}; choices_of reads it back.
  return CLI::Validator(
      [words](std::string& value) -> std::string {
        for (const auto& w : words)
          if (lower_case(w) == lower_case(value)) {
            value = w;
            return {};
          }
        return "'" + value.substr(0, 100) + "' is not one of " + joined(words, ", ") + did_you_mean(value, words);
      },
      "{" + joined(words, ",") + "}", kChoicesValidator);
}

std::vector<std::string> choices_of(const CLI::Option& option) {
  std::string desc;
  try {  // get_validator is not const in CLI11 2.1 (it only looks), and throws when there is none
    desc = const_cast<CLI::Option&>(option).get_validator(kChoicesValidator)->get_description();
  } catch (const CLI::OptionNotFound&) {
    return {};
  }
  if (desc.size() < 2) return {};
  desc = desc.substr(1, desc.size() - 2);
  std::vector<std::string> words;
  for (std::size_t start = 0; start <= desc.size();) {
    const std::size_t comma = std::min(desc.find(',', start), desc.size());
    words.push_back(desc.substr(start, comma - start));
    start = comma + 1;
  }
  return words;
}

}  // namespace p3p::cli
