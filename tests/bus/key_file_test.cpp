// Cluster key files: created 0600 with 32 random bytes, never overwritten by accident, and refused with a
// message that says what is wrong when missing, short, or open to group/others.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "bus/key_file.hpp"
#include "tests/support/temp_dir.hpp"

using namespace p3p::bus;
using p3p::test::TempDir;

namespace {

std::string read_all(const std::filesystem::path& p) {
  // Sized read rather than istreambuf_iterator, which trips GCC 12's -Wnull-dereference.
  std::string out(std::filesystem::file_size(p), '\0');
  std::ifstream in(p, std::ios::binary);
  in.read(out.data(), static_cast<std::streamsize>(out.size()));
  return out;
}

unsigned mode_of(const std::filesystem::path& p) {
  struct stat st {};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

void write_file(const std::filesystem::path& p, const std::string& content, mode_t mode) {
  std::ofstream(p, std::ios::binary) << content;
  REQUIRE(::chmod(p.c_str(), mode) == 0);
}

// Restores the process umask when the test ends.
struct UmaskGuard {
  mode_t old;
  explicit UmaskGuard(mode_t m) : old(::umask(m)) {}
  ~UmaskGuard() { ::umask(old); }
};

}  // namespace

TEST_CASE("key file: keygen makes a 0600 file of 32 random bytes, whatever the umask") {
  TempDir dir;
  UmaskGuard open_umask(0);  // even a umask that allows everything must not widen the mode
  REQUIRE(write_new_key(dir / "a.key", false));
  REQUIRE(write_new_key(dir / "b.key", false));
  CHECK(mode_of(dir / "a.key") == 0600);
  const std::string a = read_all(dir / "a.key");
  CHECK(a.size() == 32);
  CHECK(a != read_all(dir / "b.key"));
  auto key = load_key(dir / "a.key");
  REQUIRE(key);
  CHECK(std::string(as_chars(key->bytes())) == a);
}

TEST_CASE("key file: keygen refuses to overwrite unless forced and force replaces atomically") {
  TempDir dir;
  const auto path = dir / "cluster.key";
  REQUIRE(write_new_key(path, false));
  const std::string first = read_all(path);

  auto refused = write_new_key(path, false);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == KeyFileError::Code::already_exists);
  CHECK_THAT(refused.error().message, Catch::Contains("already exists") && Catch::Contains(path.string()));
  CHECK(read_all(path) == first);

  ::chmod(path.c_str(), 0644);  // the replacement is 0600 regardless of the old file's mode
  REQUIRE(write_new_key(path, true));
  const std::string second = read_all(path);
  CHECK(second.size() == 32);
  CHECK(second != first);
  CHECK(mode_of(path) == 0600);
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path())) ++entries;
  CHECK(entries == 1);  // no temporary file left behind
}

TEST_CASE("key file: keygen into a missing directory fails with a message") {
  TempDir dir;
  auto r = write_new_key(dir / "no/such/dir/k.key", false);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == KeyFileError::Code::missing);
  CHECK_THAT(r.error().message, Catch::Contains("no/such/dir/k.key"));
  CHECK_FALSE(write_new_key(dir / "no/such/dir/k.key", true));
}

TEST_CASE("key file: load refuses a missing file and says how to make one") {
  TempDir dir;
  auto r = load_key(dir / "absent.key");
  REQUIRE_FALSE(r);
  CHECK(r.error().code == KeyFileError::Code::missing);
  CHECK_THAT(r.error().message, Catch::Contains("does not exist") && Catch::Contains("absent.key") &&
                                    Catch::Contains("p3pctl keygen"));
}

TEST_CASE("key file: load refuses a key shorter than 32 bytes, saying its length") {
  TempDir dir;
  write_file(dir / "short.key", std::string(31, 'x'), 0600);
  auto r = load_key(dir / "short.key");
  REQUIRE_FALSE(r);
  CHECK(r.error().code == KeyFileError::Code::too_short);
  CHECK_THAT(r.error().message, Catch::Contains("31 bytes") && Catch::Contains("at least 32"));
  write_file(dir / "empty.key", "", 0600);
  CHECK(load_key(dir / "empty.key").error().code == KeyFileError::Code::too_short);
}

TEST_CASE("key file: load refuses a key readable or writable by group or others, naming mode and fix") {
  TempDir dir;
  const auto path = dir / "open.key";
  for (mode_t mode : {0640, 0604, 0620, 0602, 0601, 0610, 0660, 0644}) {
    write_file(path, std::string(32, 'k'), mode);
    auto r = load_key(path);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == KeyFileError::Code::insecure_permissions);
    char expected_mode[8];
    std::snprintf(expected_mode, sizeof expected_mode, "%04o", static_cast<unsigned>(mode));
    CHECK_THAT(r.error().message, Catch::Contains(expected_mode) && Catch::Contains("chmod 600") &&
                                      Catch::Contains(path.string()));
  }
  write_file(path, std::string(32, 'k'), 0400);  // read-only for the owner is fine
  CHECK(load_key(path));
}

TEST_CASE("key file: load accepts 32..4096 bytes and refuses directories and huge files") {
  TempDir dir;
  write_file(dir / "long.key", std::string(64, 'L'), 0600);
  auto longer = load_key(dir / "long.key");
  REQUIRE(longer);
  CHECK(longer->bytes().size() == 64);
  write_file(dir / "huge.key", std::string(4097, 'H'), 0600);
  CHECK(load_key(dir / "huge.key").error().code == KeyFileError::Code::too_long);
  std::filesystem::create_directory(dir / "d.key");
  ::chmod((dir / "d.key").c_str(), 0700);
  CHECK(load_key(dir / "d.key").error().code == KeyFileError::Code::not_a_regular_file);
}
