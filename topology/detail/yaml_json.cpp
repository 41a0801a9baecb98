#include "topology/detail/yaml_json.hpp"

#include <cstdio>

namespace p3p::topology::detail {
namespace {

void append_string(std::string& out, std::string_view s) {
  out += '"';
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
          out += buf;
        } else {
          out += c;  // UTF-8 passes through unchanged; JSON allows it
        }
    }
  }
  out += '"';
}

// JSON's number grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
bool is_json_number(std::string_view s) {
  std::size_t i = 0;
  auto digits = [&] {
    const std::size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i > start;
  };
  if (i < s.size() && s[i] == '-') ++i;
  if (i < s.size() && s[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == s.size();
}

// The JSON literal a plain YAML scalar stands for, or empty when it is a string. Numbers keep their text
// (no float round trip), so 0.1 stays 0.1.
std::string plain_literal(std::string_view s) {
  if (s == "true" || s == "True" || s == "TRUE") return "true";
  if (s == "false" || s == "False" || s == "FALSE") return "false";
  return is_json_number(s) ? std::string(s) : "";
}

void append(std::string& out, const YamlNode& n, std::string_view skip_key) {
  if (!n || n.is_null()) {
    out += "null";
  } else if (n.is_scalar()) {
    std::string lit = n.is_plain() ? plain_literal(n.scalar()) : std::string();
    if (lit.empty())
      append_string(out, n.scalar());
    else
      out += lit;
  } else if (n.is_list()) {
    out += '[';
    for (std::size_t i = 0; i < n.size(); ++i) {
      if (i > 0) out += ',';
      append(out, n.item(i), {});
    }
    out += ']';
  } else if (n.is_map()) {
    out += '{';
    bool first = true;
    for (std::size_t i = 0; i < n.size(); ++i) {
      const std::string_view key = n.key(i).scalar();
      if (!skip_key.empty() && key == skip_key) continue;
      if (!first) out += ',';
      first = false;
      append_string(out, key);
      out += ':';
      append(out, n.value(i), {});
    }
    out += '}';
  }
}

}  // namespace

std::string to_json(const YamlNode& node) {
  std::string out;
  append(out, node, {});
  return out;
}

std::string to_json_object_without(const YamlNode& map, std::string_view skip_key) {
  std::string out;
  append(out, map, skip_key);
  return out;
}

}  // namespace p3p::topology::detail
