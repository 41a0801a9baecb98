// Parsing control lines against the command table: every error has its code, names what is wrong, and
// carries the request's id; defaults are applied.
#include <catch2/catch.hpp>

#include "client/request.hpp"

using namespace p3p::control;
using p3p::Expected;
using p3p::Failure;
using p3p::unexpected;

namespace {
std::string code_of(std::string_view line) {
  const ParsedLine p = parse_line(line);
  return p.request ? std::string("ok") : std::string(to_string(p.request.error().code));
}
nlohmann::json reply_of(std::string_view line) {
  const ParsedLine p = parse_line(line);
  Expected<nlohmann::json, Failure> outcome = p.request ? Expected<nlohmann::json, Failure>(nlohmann::json("done"))
                                                        : Expected<nlohmann::json, Failure>(unexpected(p.request.error()));
  const std::string text = reply_line(p, outcome);
  REQUIRE(text.back() == '\n');
  REQUIRE(text.find('\n') == text.size() - 1);  // one line
  return nlohmann::json::parse(text);
}
}  // namespace

TEST_CASE("control lines: the error codes of the protocol") {
  CHECK(code_of("not json") == "bad_json");
  CHECK(code_of("{\"cmd\": ") == "bad_json");
  CHECK(code_of("[]") == "not_object");
  CHECK(code_of("42") == "not_object");
  CHECK(code_of("{}") == "missing_cmd");
  CHECK(code_of("{\"cmd\": 5}") == "missing_cmd");
  CHECK(code_of("{\"cmd\": \"statsu\"}") == "unknown_command");
  CHECK(code_of("{\"cmd\": \"status\", \"args\": 5}") == "bad_args");
  CHECK(code_of("{\"cmd\": \"status\", \"args\": {\"x\": 1}}") == "bad_args");
  CHECK(code_of("{\"cmd\": \"status\", \"extra\": 1}") == "bad_args");
  CHECK(code_of("{\"cmd\": \"run_demo\", \"args\": {\"stim_cycles\": \"x\"}}") == "bad_args");
  CHECK(code_of("{\"cmd\": \"run_demo\", \"args\": {\"stim_cycles\": 1.5}}") == "bad_args");
  CHECK(code_of("{\"cmd\": \"run_demo\", \"args\": {\"stim_cycles\": -1}}") == "bad_args");
  CHECK(code_of("{\"cmd\": \"stimulate_region\", \"args\": {\"pattern\": [{\"neuron\": 0, \"current\": 1}]}}") == "bad_args");
  CHECK(code_of("{\"cmd\": \"stimulate_region\", \"args\": {\"region\": \"R\", \"pattern\": [{\"neuron\": -1, \"current\": 1}]}}") == "bad_args");
  CHECK(code_of("{\"cmd\": \"stimulate_region\", \"args\": {\"region\": \"R\", \"pattern\": [{\"neuron\": 0}]}}") == "bad_args");
  CHECK(code_of("{\"cmd\": \"stimulate_region\", \"args\": {\"region\": \"R\", \"pattern\": []}}") == "bad_args");
  CHECK(code_of("{\"cmd\": \"reward_global\", \"args\": {\"value\": \"high\"}}") == "bad_args");
  CHECK(code_of("{\"cmd\": \"snapshot\"}") == "ok");  // parsed; served by the dispatcher
  CHECK(code_of("{\"cmd\": \"prune_snapshots\"}") == "bad_args");  // keep is required
  CHECK(code_of("{\"cmd\": \"experiment_boid_swarm\", \"args\": {\"train_steps\": 3}}") == "ok");
  CHECK(code_of("{\"cmd\": \"experiment_boid_swarm\", \"args\": {\"train_steps\": \"x\"}}") == "bad_args");
  CHECK(code_of("{\"cmd\": \"experiment_boid_swarm\", \"args\": {\"epochs\": 3}}") == "bad_args");  // not one of its arguments
}

TEST_CASE("control lines: good requests get their defaults, messages name what is wrong") {
  const ParsedLine demo = parse_line("{\"cmd\": \"run_demo\", \"args\": null}");
  REQUIRE(demo.request);
  CHECK(demo.request->args == nlohmann::json({{"stim_cycles", 5}, {"advance_ticks", 5}}));
  const ParsedLine stim = parse_line(
      "{\"cmd\": \"stimulate_region\", \"args\": {\"region\": \"Region_AB\", \"pattern\": [{\"neuron\": 0, \"current\": 0.7}]}}");
  REQUIRE(stim.request);
  CHECK(stim.request->args["pattern_len"] == 1);
  CHECK_FALSE(stim.request->args.contains("column"));  // optional, no default
  const ParsedLine reward = parse_line("{\"cmd\": \"reward_global\"}");
  REQUIRE(reward.request);
  CHECK(reward.request->args["value"] == 0.0);

  CHECK_THAT(parse_line("{\"cmd\": \"statsu\"}").request.error().message, Catch::Contains("'status'"));
  CHECK_THAT(parse_line("{\"cmd\": \"run_demo\", \"args\": {\"stim_cycles\": 5000}}").request.error().message,
             Catch::Contains("'stim_cycles'") && Catch::Contains("[0, 1000]"));
  CHECK_THAT(parse_line("{\"cmd\": \"advance\"}").request.error().message, Catch::Contains("missing argument 'ticks'"));
}

TEST_CASE("control replies: one line, ok or error, the id copied back") {
  const auto ok = reply_of("{\"cmd\": \"status\", \"id\": 7}");
  CHECK(ok["ok"] == true);
  CHECK(ok["cmd"] == "status");
  CHECK(ok["result"] == "done");
  CHECK(ok["id"] == 7);
  const auto bad = reply_of("{\"cmd\": \"nope\", \"id\": \"abc\"}");
  CHECK(bad["ok"] == false);
  CHECK(bad["error"]["code"] == "unknown_command");
  CHECK(bad["id"] == "abc");
  const auto garbage = reply_of("\xff\xfe not json");
  CHECK(garbage["ok"] == false);
  CHECK(garbage["cmd"].is_null());
  CHECK(garbage["error"]["code"] == "bad_json");
}

TEST_CASE("list_commands describes every command of the table, the original's included") {
  const auto all = describe_commands();
  std::vector<std::string> names;
  for (const auto& c : all) names.push_back(c["name"]);
  for (const char* n : {"status", "run_demo", "stimulate_region", "update_regions", "reward_global", "debug_low_thresholds",
                        "snapshot", "load_snapshot", "experiment_pattern_classify", "experiment_rhythm_gen",
                        "experiment_hopfield_assoc", "experiment_cart_balance", "experiment_boid_swarm", "experiment_seq_gen",
                        "experiment_seizure_detect", "list_commands", "advance", "pause", "resume", "set_pacing",
                        "get_weights", "echo", "set_weights", "reset_region"})
    CHECK(std::find(names.begin(), names.end(), n) != names.end());
  const auto& demo = all[2];
  REQUIRE(demo["name"] == "run_demo");
  CHECK(demo["args"][0] == nlohmann::json({{"name", "stim_cycles"}, {"type", "integer"}, {"required", false},
                                           {"help", "stimulation cycles"}, {"default", 5}, {"min", 0.0}, {"max", 1000.0}}));
}

TEST_CASE("control lines: numbers out of range, NUL bytes and deep nesting are refused, never thrown") {
  // nlohmann reports number overflow as out_of_range, not parse_error.
  CHECK(code_of("1e400") == "bad_json");
  CHECK(code_of("{\"cmd\": \"status\", \"id\": -1e999}") == "bad_json");
  CHECK(code_of("{\"cmd\": \"advance\", \"args\": {\"ticks\": 1" + std::string(400, '0') + "}}") == "bad_json");
  CHECK(code_of("{\"cmd\": \"reward_global\", \"args\": {\"value\": 1e400}}") == "bad_json");

  // What follows a NUL is part of the line: the line is not JSON, and the command before it does not run.
  const std::string with_nul("{\"cmd\": \"status\"}\0{\"cmd\": \"advance\"}", 37);
  CHECK(code_of(with_nul) == "bad_json");
  CHECK(code_of(std::string("{\"cmd\": \"status\"}\0", 18)) == "bad_json");
  CHECK_THAT(parse_line(with_nul).request.error().message, Catch::Contains("NUL"));

  const auto nested = [](std::size_t depth) {
    return "{\"cmd\": \"status\", \"id\": " + std::string(depth, '[') + std::string(depth, ']') + "}";
  };
  CHECK(code_of(nested(kMaxJsonDepth - 1)) == "ok");  // the request object itself is one level
  CHECK(code_of(nested(kMaxJsonDepth)) == "too_deep");
  const auto deep = reply_of(nested(100000));  // 200 KB: refused before parsing, and the reply has no id to echo
  CHECK(deep["error"]["code"] == "too_deep");
  CHECK_FALSE(deep.contains("id"));
  // Brackets inside strings are text, escaped quotes included.
  CHECK(code_of("{\"cmd\": \"status\", \"id\": \"" + std::string(1000, '[') + "\\\"" + std::string(1000, '{') + "\"}") == "ok");
}

TEST_CASE("set_weights takes source-target-weight triples only and reset_region a region and a boolean") {
  const auto code = [](const char* cmd, const nlohmann::json& args) {
    auto r = make_request(cmd, args);
    return r ? std::string("ok") : std::string(p3p::to_string(r.error().code));
  };
  const nlohmann::json ok = {{"column", "c"}, {"from", "d"}, {"synapses", {{0, 1, 0.5}, {2, 3, -1}}}};
  CHECK(code("set_weights", ok) == "ok");
  for (const nlohmann::json& bad : {nlohmann::json::array(), nlohmann::json("all"), nlohmann::json({{0, 1}}),
                                    nlohmann::json({{0, 1, "x"}}), nlohmann::json({{-1, 1, 0.5}}), nlohmann::json({{0, 1.5, 0.5}}),
                                    nlohmann::json({{0, 4294967296LL, 0.5}}), nlohmann::json({nlohmann::json::object()})}) {
    nlohmann::json args = ok;
    args["synapses"] = bad;
    INFO(bad.dump());
    CHECK(code("set_weights", args) == "bad_args");
  }
  CHECK(code("set_weights", {{"column", "c"}, {"synapses", {{0, 1, 0.5}}}}) == "bad_args");  // no 'from'
  auto reset = make_request("reset_region", {{"region", "R"}});
  REQUIRE(reset);
  CHECK(reset->args["weights"] == false);
  CHECK(code("reset_region", {{"region", "R"}, {"weights", 1}}) == "bad_args");
  CHECK(code("reset_region", nlohmann::json::object()) == "bad_args");
}

TEST_CASE("control lines: did-you-mean only for what is close") {
  const auto message_of = [](std::string_view line) { return parse_line(line).request.error().message; };
  CHECK_THAT(message_of(R"({"cmd": "statsu"})"), Catch::Contains("unknown command 'statsu'; did you mean 'status'?"));
  CHECK_THAT(message_of(R"({"cmd": "Status"})"), Catch::Contains("did you mean 'status'?"));
  const std::string far = message_of(R"({"cmd": "no_such_command"})");
  CHECK_THAT(far, Catch::Contains("unknown command 'no_such_command'") && !Catch::Contains("did you mean"));
  CHECK_THAT(far, Catch::Contains("list_commands lists them"));
  CHECK_THAT(message_of(R"({"cmd": "reward_global", "args": {"valeu": 1}})"),
             Catch::Contains("'valeu' is not an argument of reward_global; did you mean 'value'?"));
  CHECK_THAT(message_of(R"({"cmd": "reward_global", "args": {"zzzzzz": 1}})"), !Catch::Contains("did you mean"));
}
