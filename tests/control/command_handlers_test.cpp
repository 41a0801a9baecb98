// The control commands are declared in two halves that must match: the specs (client/command_table.cpp,
// which p3pctl reads) and the handlers (nodes/control/command_handlers.cpp). A command added to one half
// only fails here.
#include <catch2/catch.hpp>
#include <set>
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
