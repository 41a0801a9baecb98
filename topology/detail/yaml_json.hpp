#pragma once
// YAML values as JSON text, for job arguments: the command dispatcher takes JSON arguments, so a scheduled
// job reaches it exactly like a command typed on the control port.
#include <string>
#include <string_view>

#include "topology/detail/yaml_document.hpp"

namespace p3p::topology::detail {

// Plain scalars that read as null, booleans or finite numbers become those JSON values; everything else
// (including every quoted scalar) becomes a string.
std::string to_json(const YamlNode& node);
// A mapping as a JSON object, leaving out one key (e.g. "cmd" of a command job).
std::string to_json_object_without(const YamlNode& map, std::string_view skip_key);

}  // namespace p3p::topology::detail
