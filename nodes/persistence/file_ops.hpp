#pragma once
// The file operations snapshots and dumps are written with, behind an interface: the OS boundary, where
// tests inject failures (fail at write, at fsync, at rename) to show a crash at any step leaves the old
// files complete. write_atomically: a temporary file in the same directory, written, fsynced, renamed over
// the target, then the directory fsynced - a reader sees the old file or the new one, never a part.
#include <cstdint>
#include <filesystem>
#include <string>

#include "bus/bytes.hpp"
#include "common/expected.hpp"

namespace p3p::persistence {

class FileOps {
 public:
  virtual ~FileOps() = default;
  virtual Expected<int, std::string> create(const std::filesystem::path& p);  // new or truncated, mode 0640, never through a link
  virtual Expected<void, std::string> write(int fd, bus::ByteView data);      // all of it
  virtual Expected<void, std::string> fsync(int fd);
  virtual void close(int fd);
  // Fails if `to` exists and `replace` is false (two snapshots never overwrite each other).
  virtual Expected<void, std::string> rename(const std::filesystem::path& from, const std::filesystem::path& to, bool replace);
  virtual Expected<void, std::string> fsync_dir(const std::filesystem::path& dir);
};

FileOps& posix_file_ops();

// On failure the temporary file is removed and `target` is as it was.
Expected<void, std::string> write_atomically(FileOps& ops, const std::filesystem::path& target, bus::ByteView data,
                                             bool replace = true);

// The whole file, or why not. Only a regular file that is not a symbolic link (O_NOFOLLOW: a snapshot file
// swapped for a link is refused, not followed) and holds at most `max_bytes` - checked with fstat before
// anything is allocated, so a directory, a fifo (opened without blocking) or a huge sparse file is an
// error, never an allocation failure or a hang.
Expected<bus::Bytes, std::string> read_file(const std::filesystem::path& p, std::uint64_t max_bytes);

// Lowercase hex SHA-256 of `data`.
std::string sha256_hex(bus::ByteView data);

}  // namespace p3p::persistence
