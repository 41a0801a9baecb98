// The control commands are declared in two halves that must match: the specs (client/command_table.cpp,
// which p3pctl reads) and the handlers (nodes/control/command_handlers.cpp). A command added to one half
// only fails here.
#include <catch2/catch.hpp>
#include <set>
#include <stdexcept>
#include <string>

#include "client/command_table.hpp"
#include "nodes/control/command_handlers.hpp"

using namespace p3p::control;

TEST_CASE("command table: every implemented command has a handler") {
  for (const CommandSpec& c : command_table()) {
    if (!c.not_implemented.empty()) continue;
    INFO(c.name);
    CHECK(find_handler(c.name) != nullptr);
  }
}

TEST_CASE("command table: every handler serves one implemented command of the table") {
  std::set<std::string> seen;
  for (const HandlerEntry& h : command_handlers()) {
    INFO(std::string(h.command));
    CHECK(h.handle != nullptr);
    CHECK(seen.insert(std::string(h.command)).second);  // one handler per command
    const CommandSpec* spec = find_command(h.command);
    REQUIRE(spec != nullptr);
    CHECK(spec->not_implemented.empty());
  }
}

TEST_CASE("command table: p3pctl's look-ups refuse a command or an argument the table lacks") {
  const CommandSpec& advance = command_spec("advance");
  CHECK(advance.name == "advance");
  CHECK(arg_spec(advance, "ticks").type == ArgType::integer);
  CHECK(request_json(advance, {{"ticks", 5}}) == nlohmann::json{{"cmd", "advance"}, {"args", {{"ticks", 5}}}});
  CHECK(request_json(command_spec("pause")) == nlohmann::json{{"cmd", "pause"}});
  CHECK_THROWS_AS(command_spec("advnace"), std::logic_error);
  CHECK_THROWS_AS(arg_spec(advance, "tick"), std::logic_error);
  CHECK_THROWS_AS(request_json(advance, {{"tick", 5}}), std::logic_error);
}
