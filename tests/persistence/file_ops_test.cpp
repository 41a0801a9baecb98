// Atomic writes under injected failures: whatever step fails, the previous file is complete and no
// temporary file is left behind; a successful write replaces it whole.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>

#include "nodes/persistence/file_ops.hpp"
#include "nodes/persistence/manifest.hpp"
#include "tests/support/temp_dir.hpp"

using namespace p3p;
using persistence::FileOps;

namespace {

// The OS boundary with one step made to fail (as a full disk, an I/O error or a crash would).
class FailingOps : public FileOps {
 public:
  enum class Step { none, write, fsync, rename, fsync_dir };
  explicit FailingOps(Step s) : step_(s) {}
  Expected<void, std::string> write(int fd, bus::ByteView data) override {
    if (step_ == Step::write) {  // half the bytes reach the temporary file, then the disk is full
      (void)FileOps::write(fd, data.first(data.size() / 2));
      return unexpected(std::string("injected: write failed"));
    }
    return FileOps::write(fd, data);
  }
  Expected<void, std::string> fsync(int fd) override {
    if (step_ == Step::fsync) return unexpected(std::string("injected: fsync failed"));
    return FileOps::fsync(fd);
  }
  Expected<void, std::string> rename(const std::filesystem::path& from, const std::filesystem::path& to, bool replace) override {
    if (step_ == Step::rename) return unexpected(std::string("injected: rename failed"));
    return FileOps::rename(from, to, replace);
  }
  Expected<void, std::string> fsync_dir(const std::filesystem::path& dir) override {
    if (step_ == Step::fsync_dir) return unexpected(std::string("injected: directory fsync failed"));
    return FileOps::fsync_dir(dir);
  }

 private:
  Step step_;
};

std::string text_of(const std::filesystem::path& p) {
  auto b = persistence::read_file(p, 1 << 20);
  REQUIRE(b);
  return std::string(b->begin(), b->end());
}

bus::ByteView as_bytes_of(const std::string& s) { return bus::as_bytes(s); }

std::size_t files_in(const std::filesystem::path& dir) {
  return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(dir), std::filesystem::directory_iterator()));
}

}  // namespace

TEST_CASE("write_atomically: a failure at write, fsync or rename leaves the old file whole and no temporary") {
  test::TempDir dir;
  const auto target = dir / "state.json";
  REQUIRE(persistence::write_atomically(persistence::posix_file_ops(), target, bus::as_bytes("old and complete")));
  const std::string fresh(100000, 'n');
  for (auto step : {FailingOps::Step::write, FailingOps::Step::fsync, FailingOps::Step::rename}) {
    FailingOps ops(step);
    auto r = persistence::write_atomically(ops, target, bus::as_bytes(fresh));
    REQUIRE_FALSE(r);
    CHECK_THAT(r.error(), Catch::Contains("injected"));
    CHECK(text_of(target) == "old and complete");
    CHECK(files_in(dir.path()) == 1);  // the temporary file is gone
  }
  // The rename happened but the directory fsync failed: reported, and the new file is complete.
  FailingOps late(FailingOps::Step::fsync_dir);
  CHECK_FALSE(persistence::write_atomically(late, target, bus::as_bytes(fresh)));
  CHECK(text_of(target) == fresh);
  FailingOps none(FailingOps::Step::none);
  REQUIRE(persistence::write_atomically(none, target, bus::as_bytes("newest")));
  CHECK(text_of(target) == "newest");
}

TEST_CASE("write_atomically without replace never overwrites an existing file") {
  test::TempDir dir;
  const auto target = dir / "snapshot.json";
  REQUIRE(persistence::write_atomically(persistence::posix_file_ops(), target, bus::as_bytes("first"), false));
  auto second = persistence::write_atomically(persistence::posix_file_ops(), target, bus::as_bytes("second"), false);
  CHECK_FALSE(second);
  CHECK(text_of(target) == "first");
  CHECK(files_in(dir.path()) == 1);
}

TEST_CASE("sha256_hex matches the FIPS 180-2 test vector") {
  CHECK(persistence::sha256_hex(bus::as_bytes("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("a snapshot whose writing fails at any step leaves the previous one the latest, whole and loadable") {
  using namespace p3p::persistence;
  test::TempDir dir;
  // The previous snapshot: a part, then its manifest (the order cluster_snapshot.cpp writes them in).
  const auto save = [&](FileOps& ops, std::uint64_t ms, const std::string& payload) -> Expected<void, std::string> {
    const std::string name = manifest_name("nodeA", ms);
    const std::string part = part_name(name, "nodeA");
    if (auto ok = write_atomically(ops, dir / part, as_bytes_of(payload), false); !ok) return ok;
    Manifest m;
    m.name = name;
    m.tick = static_cast<std::int64_t>(ms);
    m.created_unix_ms = ms;
    m.parts = {{"nodeA", part, sha256_hex(as_bytes_of(payload)), payload.size()}};
    return write_atomically(ops, dir / name, as_bytes_of(m.to_json().dump()), false);
  };
  REQUIRE(save(posix_file_ops(), 1795914436000, "the first state"));
  for (auto step : {FailingOps::Step::write, FailingOps::Step::fsync, FailingOps::Step::rename}) {
    FailingOps ops(step);
    CHECK_FALSE(save(ops, 1795914437000 + static_cast<std::uint64_t>(step), std::string(50000, 's')));
    auto latest = read_manifest(dir.path(), "latest");
    REQUIRE(latest);
    CHECK(latest->tick == 1795914436000);
    auto part = read_file(dir / latest->parts[0].file, 1 << 20);
    REQUIRE(part);
    CHECK(sha256_hex(bus::ByteView(*part)) == latest->parts[0].sha256);
  }
}

TEST_CASE("read_file refuses a directory, a link, a fifo and a file over its cap, without reading or blocking") {
  test::TempDir dir;
  const auto cap = std::uint64_t{1} << 20;
  const auto refused = [&](const std::filesystem::path& p, const std::string& says) {
    const auto start = std::chrono::steady_clock::now();
    auto r = persistence::read_file(p, cap);
    REQUIRE_FALSE(r);
    CHECK_THAT(r.error(), Catch::Contains(says));
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));  // no read of 64 GiB, no wait on a fifo
  };
  std::filesystem::create_directory(dir / "a_directory");
  refused(dir / "a_directory", "not a regular file");
  // 64 GiB that take no disk: sizing a buffer from it used to throw bad_alloc in the node.
  const auto huge = dir / "huge";
  { std::ofstream touch(huge); }
  std::filesystem::resize_file(huge, std::uint64_t{64} << 30);
  refused(huge, "more than the");
  std::filesystem::create_symlink(huge, dir / "link_to_huge");
  refused(dir / "link_to_huge", "symbolic link");
  dir.write("small", "small and fine");
  std::filesystem::create_symlink(dir / "small", dir / "link_to_small");
  refused(dir / "link_to_small", "symbolic link");  // a link is refused whatever it points to
  REQUIRE(::mkfifo((dir / "fifo").c_str(), 0600) == 0);
  refused(dir / "fifo", "not a regular file");
  refused(dir / "missing", "cannot open");
  dir.write("exactly", std::string(cap, 'x'));
  CHECK(persistence::read_file(dir / "exactly", cap));
  dir.write("one_more", std::string(cap + 1, 'x'));
  refused(dir / "one_more", "more than the");
  CHECK(text_of(dir / "small") == "small and fine");
}
