#include "cli/output.hpp"

#include "cli/choices.hpp"

#include <algorithm>
#include <map>
#include <ostream>
#include <sstream>

namespace p3p::cli {

void add_output_option(CLI::App& sub, Format& format) {
  sub.add_option_function<std::string>(
         "-o,--output", [&format](const std::string& name) { format = name == "json" ? Format::json : name == "yaml" ? Format::yaml : Format::table; },
         "output format: table (default), json or yaml")
      ->transform(one_of({"table", "json", "yaml"}));
}

void print_result(std::ostream& out, Format format, const nlohmann::json& value,
                  const std::function<void(std::ostream&)>& table) {
  switch (format) {
    case Format::json:
      out << value.dump() << '\n';
      break;
    case Format::yaml:
      out << to_yaml(value);
      break;
    case Format::table:
      table(out);
      break;
  }
}

namespace {

bool needs_quotes(const std::string& s) {
  if (s.empty()) return true;
  static const std::string special = ":#{}[],&*?|<>=!%@`'\"\\-";
  if (special.find(s.front()) != std::string::npos || s.front() == ' ' || s.back() == ' ') return true;
  if (s.find(": ") != std::string::npos || s.find(" #") != std::string::npos) return true;
  if (s.find('\n') != std::string::npos) return true;
  static const char* reserved[] = {"true", "false", "null", "yes", "no", "on", "off", "~"};
  for (const char* r : reserved) {
    if (s == r) return true;
  }
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.' || c == '+'; });
}

std::string scalar(const nlohmann::json& v) {
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    return needs_quotes(s) ? nlohmann::json(s).dump() : s;  // JSON string syntax is valid YAML
  }
  return v.dump();
}

bool is_empty_container(const nlohmann::json& v) { return (v.is_object() || v.is_array()) && v.empty(); }

void emit(std::ostringstream& out, const nlohmann::json& v, int indent);

void emit_child(std::ostringstream& out, const nlohmann::json& child, int indent) {
  if (child.is_structured() && !child.empty()) {
    out << '\n';
    emit(out, child, indent + 2);
  } else {
    out << ' ' << (is_empty_container(child) ? child.dump() : scalar(child)) << '\n';
  }
}

void emit(std::ostringstream& out, const nlohmann::json& v, int indent) {
  const std::string pad(static_cast<size_t>(indent), ' ');
  if (v.is_object()) {
    for (const auto& [key, child] : v.items()) {
      out << pad << scalar(key) << ':';
      emit_child(out, child, indent);
    }
  } else if (v.is_array()) {
    for (const auto& child : v) {
      out << pad << '-';
      emit_child(out, child, indent);
    }
  } else {
    out << pad << scalar(v) << '\n';
  }
}

}  // namespace

std::string to_yaml(const nlohmann::json& value) {
  std::ostringstream out;
  if (is_empty_container(value)) return value.dump() + "\n";
  emit(out, value, 0);
  return out.str();
}

void print_table(std::ostream& out, const std::vector<std::string>& header,
                 const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width(header.size());
  for (size_t c = 0; c < header.size(); ++c) width[c] = header[c].size();
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size() && c < width.size(); ++c) width[c] = std::max(width[c], row[c].size());
  }
  auto line = [&](const std::vector<std::string>& cells) {
    for (size_t c = 0; c < cells.size() && c < width.size(); ++c) {
      out << cells[c];
      if (c + 1 < cells.size()) out << std::string(width[c] - cells[c].size() + 2, ' ');
    }
    out << '\n';
  };
  line(header);
  for (const auto& row : rows) line(row);
}

}  // namespace p3p::cli
