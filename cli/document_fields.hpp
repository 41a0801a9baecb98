#pragma once
// Reading fields of a JSON document (a result document, a reply) for display, whatever shape it has: a
// missing member reads as an empty object, a value as the text a person reads.
#include <string>

#include <nlohmann/json.hpp>

namespace p3p::cli {

// A string as itself, a float with 4 significant digits, anything else as JSON.
std::string cell(const nlohmann::json& v);
// doc[key], or an empty object when doc has no such member (or is not an object).
const nlohmann::json& member(const nlohmann::json& doc, const char* key);
// doc[key], or "-" when doc has no such member: for one cell of a table (a document missing it is shown,
// not a crash).
const nlohmann::json& field(const nlohmann::json& doc, const char* key);

}  // namespace p3p::cli
