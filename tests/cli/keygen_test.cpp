// p3pctl keygen, run as a user would: a real process writing a real file in a temp dir.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

using p3p::test::built_binary;
using p3p::test::run_process;
using p3p::test::TempDir;

namespace {
std::string read_all(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}
unsigned mode_of(const std::filesystem::path& p) {
  struct stat st {};
  REQUIRE(stat(p.c_str(), &st) == 0);
  return st.st_mode & 0777;
}
}  // namespace

TEST_CASE("keygen writes 32 random bytes readable only by the owner") {
  TempDir dir;
  auto key = dir / "cluster.key";
  auto r = run_process({built_binary("cli/p3pctl"), "keygen", key.string()});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(read_all(key).size() == 32);
  CHECK(mode_of(key) == 0600);

  auto other = dir / "other.key";
  REQUIRE(run_process({built_binary("cli/p3pctl"), "keygen", other.string()}).exit_code == 0);
  CHECK(read_all(key) != read_all(other));  // random, not a constant
}

TEST_CASE("keygen refuses to overwrite an existing key unless --force") {
  TempDir dir;
  auto key = dir / "cluster.key";
  REQUIRE(run_process({built_binary("cli/p3pctl"), "keygen", key.string()}).exit_code == 0);
  const std::string first = read_all(key);

  auto refused = run_process({built_binary("cli/p3pctl"), "keygen", key.string()});
  CHECK(refused.exit_code == 1);
  CHECK_THAT(refused.err, Catch::Contains("--force"));
  CHECK(read_all(key) == first);

  auto forced = run_process({built_binary("cli/p3pctl"), "keygen", "--force", key.string()});
  CHECK(forced.exit_code == 0);
  CHECK(read_all(key).size() == 32);
  CHECK(read_all(key) != first);
  CHECK(mode_of(key) == 0600);
}

TEST_CASE("keygen into a missing directory fails with a message, not a crash") {
  TempDir dir;
  auto r = run_process({built_binary("cli/p3pctl"), "keygen", (dir / "no/such/dir/k.key").string()});
  CHECK(r.exit_code == 1);
  CHECK_FALSE(r.err.empty());
}

TEST_CASE("p3pctl usage errors exit 2, --version prints the version") {
  CHECK(run_process({built_binary("cli/p3pctl")}).exit_code == 2);
  CHECK(run_process({built_binary("cli/p3pctl"), "no-such-verb"}).exit_code == 2);
  CHECK(run_process({built_binary("cli/p3pctl"), "keygen"}).exit_code == 2);
  auto v = run_process({built_binary("cli/p3pctl"), "--version"});
  CHECK(v.exit_code == 0);
  CHECK_THAT(v.out, Catch::StartsWith("p3pctl ") && Catch::Contains("."));
}
