#include "client/request.hpp"

#include <cmath>

#include "common/closest_match.hpp"

namespace p3p::control {
namespace {

constexpr std::size_t kMaxPatternItems = 4096;
constexpr std::size_t kMaxSynapseItems = 100000;  // a node takes as many in one set_weights

// Whether brackets outside strings nest deeper than kMaxJsonDepth, found before parsing: a line nested
// 100,000 deep parses, but writing it back (the id echoed in the reply) recurses once per level.
bool nests_too_deep(std::string_view text) {
  std::size_t depth = 0;
  bool in_string = false, escaped = false;
  for (const char ch : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (ch == '\\') escaped = true;
      else if (ch == '"') in_string = false;
    } else if (ch == '"') {
      in_string = true;
    } else if (ch == '[' || ch == '{') {
      if (++depth > kMaxJsonDepth) return true;
    } else if ((ch == ']' || ch == '}') && depth > 0) {
      --depth;
    }
  }
  return false;
}

Failure bad_args(std::string message) { return {ErrorCode::bad_args, std::move(message)}; }

// 'text' (at most 100 characters of it), appended piece by piece: GCC 12 misreports "'" + s + "'" (-Wrestrict).
std::string quote(std::string_view text) {
  std::string out;
  out += '\'';
  out.append(text.substr(0, 100));
  out += '\'';
  return out;
}

std::string range_text(const ArgSpec& a) {
  auto num = [](double v) {
    nlohmann::json j = v == std::floor(v) && std::fabs(v) < 1e15 ? nlohmann::json(static_cast<std::int64_t>(v)) : nlohmann::json(v);
    return j.dump();
  };
  std::string out = "[";  // appended piece by piece: GCC 12 misreports chained + here (-Wrestrict)
  out += a.min ? num(*a.min) : std::string("-inf");
  out += ", ";
  out += a.max ? num(*a.max) : std::string("inf");
  out += "]";
  return out;
}

Expected<nlohmann::json, Failure> check_pattern(const nlohmann::json& v) {
  if (!v.is_array() || v.empty() || v.size() > kMaxPatternItems)
    return unexpected(bad_args("'pattern' must be a list of 1 to " + std::to_string(kMaxPatternItems) + " {neuron, current} items"));
  for (const auto& item : v) {
    if (!item.is_object() || !item.contains("neuron") || !item.contains("current"))
      return unexpected(bad_args("each 'pattern' item must be {\"neuron\": integer >= 0, \"current\": number}"));
    const auto& n = item["neuron"];
    const auto& c = item["current"];
    if (!n.is_number_integer() || (n.is_number_integer() && !n.is_number_unsigned() && n.get<std::int64_t>() < 0))
      return unexpected(bad_args("'pattern' item 'neuron' must be an integer >= 0"));
    if (!c.is_number() || !std::isfinite(c.get<double>()))
      return unexpected(bad_args("'pattern' item 'current' must be a finite number"));
    for (const auto& [key, value] : item.items())
      if (key != "neuron" && key != "current") return unexpected(bad_args("'pattern' item has an unknown key " + quote(key)));
  }
  return v;
}

// [[source, target, weight], ...] - the shape only; the node checks that each synapse exists and its bounds.
Expected<nlohmann::json, Failure> check_synapses(const nlohmann::json& v) {
  if (!v.is_array() || v.empty() || v.size() > kMaxSynapseItems)
    return unexpected(bad_args("'synapses' must be a list of 1 to " + std::to_string(kMaxSynapseItems) +
                               " [source neuron, target neuron, weight] items"));
  const auto index = [](const nlohmann::json& n) {
    return n.is_number_integer() && n.get<std::int64_t>() >= 0 && n.get<std::int64_t>() <= 0xFFFFFFFFLL;
  };
  for (const auto& item : v)
    if (!item.is_array() || item.size() != 3 || !index(item[0]) || !index(item[1]) || !item[2].is_number() ||
        !std::isfinite(item[2].get<double>()))
      return unexpected(bad_args("each 'synapses' item must be [source neuron, target neuron, weight]: two integers >= 0 "
                                 "and a finite number"));
  return v;
}

Expected<nlohmann::json, Failure> check_arg(const ArgSpec& a, const nlohmann::json& v) {
  const std::string name = quote(a.name);
  switch (a.type) {
    case ArgType::integer:
    case ArgType::number: {
      const bool ok = a.type == ArgType::integer ? v.is_number_integer() : v.is_number() && std::isfinite(v.get<double>());
      if (!ok) return unexpected(bad_args(name + " must be " + (a.type == ArgType::integer ? "an integer" : "a number")));
      const double d = v.get<double>();
      if ((a.min && d < *a.min) || (a.max && d > *a.max))
        return unexpected(bad_args(name + " must be in " + range_text(a) + ", got " + v.dump()));
      return v;
    }
    case ArgType::string:
      if (!v.is_string()) return unexpected(bad_args(name + " must be a string"));
      return v;
    case ArgType::boolean:
      if (!v.is_boolean()) return unexpected(bad_args(name + " must be true or false"));
      return v;
    case ArgType::object:
      if (!v.is_object()) return unexpected(bad_args(name + " must be an object"));
      return v;
    case ArgType::pattern: return check_pattern(v);
    case ArgType::synapses: return check_synapses(v);
  }
  return unexpected(Failure{ErrorCode::internal, "unknown argument type"});
}

}  // namespace

Expected<nlohmann::json, Failure> check_args(const CommandSpec& spec, const nlohmann::json& args_in) {
  const nlohmann::json args = args_in.is_null() ? nlohmann::json::object() : args_in;
  if (!args.is_object()) return unexpected(bad_args("'args' must be an object"));
  for (const auto& item : args.items()) {
    const std::string& key = item.key();  // not a structured binding: clang 14 (the fuzz build) cannot capture one
    const bool known = std::any_of(spec.args.begin(), spec.args.end(), [&](const ArgSpec& a) { return a.name == key; });
    if (!known) {
      std::vector<std::string_view> names;
      for (const ArgSpec& a : spec.args) names.push_back(a.name);
      return unexpected(bad_args(quote(key) + " is not an argument of " + spec.name + did_you_mean(key, names)));
    }
  }
  nlohmann::json out = nlohmann::json::object();
  for (const ArgSpec& a : spec.args) {
    const auto it = args.find(a.name);
    if (it == args.end() || it->is_null()) {
      if (!a.fallback.is_null()) out[a.name] = a.fallback;
      else if (!a.optional) return unexpected(bad_args("missing argument " + quote(a.name)));
      continue;
    }
    auto checked = check_arg(a, *it);
    if (!checked) return unexpected(checked.error());
    out[a.name] = std::move(*checked);
  }
  return out;
}

Expected<Request, Failure> make_request(const std::string& cmd, const nlohmann::json& args) {
  const CommandSpec* spec = find_command(cmd);
  if (!spec) {
    const std::string close = closest_command(cmd);
    return unexpected(Failure{ErrorCode::unknown_command, "unknown command " + quote(cmd) +
                                                              (close.empty() ? "" : "; did you mean " + quote(close) + "?") +
                                                              " (list_commands lists them)"});
  }
  auto checked = check_args(*spec, args);
  if (!checked) return unexpected(checked.error());
  if (!spec->not_implemented.empty()) return unexpected(Failure{ErrorCode::not_implemented, cmd + ": " + spec->not_implemented});
  Request r;
  r.spec = spec;
  r.cmd = cmd;
  r.args = std::move(*checked);
  return r;
}

ParsedLine parse_line(std::string_view line) {
  ParsedLine out;
  if (const auto nul = line.find('\0'); nul != std::string_view::npos) {
    out.request = unexpected(Failure{ErrorCode::bad_json, "not JSON: a NUL byte at offset " + std::to_string(nul)});
    return out;
  }
  if (nests_too_deep(line)) {
    out.request = unexpected(Failure{ErrorCode::too_deep, "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels"});
    return out;
  }
  nlohmann::json v;
  try {
    v = nlohmann::json::parse(line);
  } catch (const nlohmann::json::exception& e) {  // parse_error, and out_of_range for numbers like 1e400
    out.request = unexpected(Failure{ErrorCode::bad_json, std::string("not JSON: ") + e.what()});
    return out;
  }
  if (!v.is_object()) {
    out.request = unexpected(Failure{ErrorCode::not_object, "a request is a JSON object, e.g. {\"cmd\": \"status\"}"});
    return out;
  }
  if (auto id = v.find("id"); id != v.end()) out.id = *id;
  if (auto token = v.find("token"); token != v.end() && token->is_string()) out.token = token->get<std::string>();
  const auto cmd = v.find("cmd");
  if (cmd == v.end() || !cmd->is_string()) {
    out.request = unexpected(Failure{ErrorCode::missing_cmd, "the request needs \"cmd\": a command name (list_commands lists them)"});
    return out;
  }
  out.cmd = cmd->get<std::string>();
  for (const auto& [key, value] : v.items()) {
    (void)value;
    if (key != "cmd" && key != "args" && key != "id" && key != "token") {
      out.request = unexpected(bad_args("unknown request field " + quote(key) + " (fields: cmd, args, id, token)"));
      return out;
    }
  }
  out.request = make_request(out.cmd, v.value("args", nlohmann::json()));
  return out;
}

std::string reply_line(const ParsedLine& line, const Expected<nlohmann::json, Failure>& outcome) {
  nlohmann::json reply = {{"ok", outcome.has_value()}, {"cmd", line.cmd.empty() ? nlohmann::json(nullptr) : nlohmann::json(line.cmd)}};
  if (outcome) {
    reply["result"] = *outcome;
  } else {
    reply["error"] = {{"code", outcome.error().code}, {"message", outcome.error().message}};
  }
  if (!line.id.is_null()) reply["id"] = line.id;
  return reply.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string error_reply(const ParsedLine& line, ErrorCode code, std::string message) {
  return reply_line(line, unexpected(Failure{code, std::move(message)}));
}

std::string reply_line_ok(const ParsedLine& line, const std::string& result_text) {
  // Keys in the order nlohmann::json writes them (sorted), so both builders give the same bytes.
  std::string out = "{\"cmd\":" + nlohmann::json(line.cmd).dump();
  if (!line.id.is_null()) out += ",\"id\":" + line.id.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  out += ",\"ok\":true,\"result\":";
  out += result_text;
  out += "}\n";
  return out;
}

}  // namespace p3p::control
