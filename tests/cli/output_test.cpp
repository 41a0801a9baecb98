#include <catch2/catch.hpp>
#include <sstream>

#include "cli/output.hpp"

using p3p::cli::to_yaml;

TEST_CASE("YAML output of nested results") {
  nlohmann::json v = {{"nodes", 3}, {"name", "p3p-default"}, {"per_node", {{{"id", "nodeA"}, {"neurons", 32}}}}};
  CHECK(to_yaml(v) == "name: p3p-default\nnodes: 3\nper_node:\n  -\n    id: nodeA\n    neurons: 32\n");
}

TEST_CASE("YAML quotes strings that would change meaning") {
  CHECK(to_yaml({{"a", "true"}}) == "a: \"true\"\n");
  CHECK(to_yaml({{"a", "12"}}) == "a: \"12\"\n");
  CHECK(to_yaml({{"a", "x: y"}}) == "a: \"x: y\"\n");
  CHECK(to_yaml({{"a", ""}}) == "a: \"\"\n");
  CHECK(to_yaml({{"a", nlohmann::json::array()}}) == "a: []\n");
}

TEST_CASE("tables align columns") {
  std::ostringstream out;
  p3p::cli::print_table(out, {"node", "neurons"}, {{"nodeA", "32"}, {"b", "4"}});
  CHECK(out.str() == "node   neurons\nnodeA  32\nb      4\n");
}
