#include "cli/document_fields.hpp"

#include <cstdio>

namespace p3p::cli {

std::string cell(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_float()) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4g", v.get<double>());
    return buf;
  }
  return v.dump();
}

const nlohmann::json& member(const nlohmann::json& doc, const char* key) {
  static const nlohmann::json none = nlohmann::json::object();
  if (!doc.is_object()) return none;
  const auto it = doc.find(key);
  return it == doc.end() ? none : *it;
}

const nlohmann::json& field(const nlohmann::json& doc, const char* key) {
  static const nlohmann::json dash = "-";
  if (!doc.is_object()) return dash;
  const auto it = doc.find(key);
  return it == doc.end() ? dash : *it;
}

}  // namespace p3p::cli
