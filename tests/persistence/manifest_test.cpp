// Manifest names, ordering, "latest", and refusals: traversal, foreign names, missing and corrupt files.
#include <catch2/catch.hpp>

#include "nodes/persistence/file_ops.hpp"
#include "nodes/persistence/manifest.hpp"
#include "tests/support/temp_dir.hpp"

using namespace p3p;
using namespace p3p::persistence;

namespace {

Manifest a_manifest(const std::string& name) {
  Manifest m;
  m.name = name;
  m.cluster = "c";
  m.topology_hash = 42;
  m.tick = 100;
  m.epoch = 100;
  m.reason = "test";
  m.created_unix_ms = 1795914436274;
  m.parts = {{"nodeA", part_name(name, "nodeA"), std::string(64, 'a'), 10}};
  return m;
}

void store(const test::TempDir& dir, const Manifest& m) { dir.write(m.name, m.to_json().dump()); }

}  // namespace

TEST_CASE("manifest names: the original's pattern to the millisecond, parts beside them") {
  const auto name = manifest_name("nodeA", 1795914436274);
  CHECK(name == "snapshot_nodeA_20261129T010716.274Z.json");
  CHECK(manifest_name("nodeA", 1795914436274, 2) == "snapshot_nodeA_20261129T010716.274Z-2.json");
  CHECK(part_name(name, "nodeB") == "snapshot_nodeA_20261129T010716.274Z.nodeB.part");
  CHECK(is_manifest_name(name));
  CHECK(is_part_name(part_name(name, "nodeB")));
  for (const char* bad : {"../snapshot_nodeA_20261129T010716.274Z.json", "/etc/passwd", "snapshot_nodeA_1.json", "x.json",
                          "snapshot_node/A_20261129T010716.274Z.json", "snapshot_nodeA_20261129T010716.274Z.json/..", ""})
    CHECK_FALSE(is_manifest_name(bad));
  CHECK_FALSE(is_part_name("../" + part_name(name, "nodeB")));
}

TEST_CASE("manifests: listed oldest first, latest is the newest, round trip through JSON") {
  test::TempDir dir;
  const std::vector<std::string> names = {manifest_name("nodeA", 1795914436274), manifest_name("nodeA", 1795914436274, 1),
                                          manifest_name("nodeA", 1795914436274, 10), manifest_name("nodeA", 1795914436275)};
  for (auto it = names.rbegin(); it != names.rend(); ++it) store(dir, a_manifest(*it));
  dir.write("notes.txt", "not a manifest");
  dir.write(part_name(names[0], "nodeA"), "a part");
  CHECK(list_manifests(dir.path()) == names);
  auto latest = read_manifest(dir.path(), "latest");
  REQUIRE(latest);
  CHECK(latest->name == names.back());
  auto first = read_manifest(dir.path(), names.front());
  REQUIRE(first);
  CHECK(first->to_json() == a_manifest(names.front()).to_json());
}

TEST_CASE("read_manifest refuses traversal, unknown names, corrupt and self-contradicting manifests") {
  test::TempDir dir;
  std::filesystem::create_directory(dir / "snaps");
  const auto snaps = dir.path() / "snaps";
  CHECK(to_string(read_manifest(snaps, "latest").error().code) == "snapshot_not_found");
  dir.write(manifest_name("nodeA", 1795914436274), a_manifest(manifest_name("nodeA", 1795914436274)).to_json().dump());
  CHECK(to_string(read_manifest(snaps, "../" + manifest_name("nodeA", 1795914436274)).error().code) == "bad_args");
  CHECK(to_string(read_manifest(snaps, "/etc/passwd").error().code) == "bad_args");
  CHECK(to_string(read_manifest(snaps, manifest_name("nodeA", 1795914436999)).error().code) == "snapshot_not_found");

  const auto broken = manifest_name("nodeA", 1795914437000);
  std::ofstream(snaps / broken) << "{\"format\": \"p3p-snapshot/1\", \"na";
  CHECK(to_string(read_manifest(snaps, broken).error().code) == "snapshot_corrupt");
  const auto liar = manifest_name("nodeA", 1795914437001);
  std::ofstream(snaps / liar) << a_manifest(manifest_name("nodeA", 1795914437002)).to_json().dump();
  CHECK_THAT(read_manifest(snaps, liar).error().message, Catch::Contains("names itself"));
  auto evil = a_manifest(manifest_name("nodeA", 1795914437003));
  auto j = evil.to_json();
  j["parts"][0]["file"] = "../../etc/shadow";
  std::ofstream(snaps / evil.name) << j.dump();
  CHECK(to_string(read_manifest(snaps, evil.name).error().code) == "snapshot_corrupt");
}

TEST_CASE("orphan parts: this node's parts (and their temporary files) that no manifest names, nothing else") {
  test::TempDir dir;
  const std::string kept = manifest_name("nodeA", 1795914436000), lost = manifest_name("nodeA", 1795914437000);
  for (const auto& f : {kept, part_name(kept, "nodeB"), part_name(kept, "nodeA"), part_name(lost, "nodeB"), part_name(lost, "nodeA"),
                        "." + part_name(lost, "nodeB") + ".tmp-123", "." + part_name(kept, "nodeB") + ".tmp-9", std::string("notes.txt"),
                        "." + lost + ".tmp-77"})
    dir.write(f, "x");
  std::filesystem::create_directory(dir / (part_name(manifest_name("nodeA", 1795914438000), "nodeB")));  // never a directory
  const auto orphans = orphan_parts(dir.path(), "nodeB", {kept});
  CHECK(orphans == std::vector<std::string>{"." + part_name(lost, "nodeB") + ".tmp-123", part_name(lost, "nodeB")});
  CHECK(orphan_parts(dir.path(), "nodeB", {kept, lost}).empty());
  CHECK(temporary_of("." + lost + ".tmp-77") == lost);
  CHECK_FALSE(temporary_of(lost));
  CHECK_FALSE(temporary_of(".x.tmp-"));
  CHECK_FALSE(temporary_of(".x.tmp-12a"));
}
