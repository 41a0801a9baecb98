#include "bus/key_file.hpp"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>

namespace p3p::bus {
namespace {

using Code = KeyFileError::Code;

KeyFileError error(Code code, std::string message) { return KeyFileError{code, std::move(message)}; }

std::string quoted(const std::filesystem::path& p) {
  // Built with += rather than "'" + s + "'": the latter trips GCC 12's -Wrestrict false positive (PR105329).
  std::string out(1, '\'');
  out += p.string();
  out += '\'';
  return out;
}

KeyFileError os_error(const char* what, const std::filesystem::path& p, int err) {
  if (err == ENOENT) return error(Code::missing, std::string(what) + " " + quoted(p) + ": no such file or directory");
  return error(Code::io_error, std::string(what) + " " + quoted(p) + ": " + std::strerror(err));
}

// Closes on scope exit, so no early return leaks a descriptor.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { close(); }
  int get() const { return fd_; }
  bool ok() const { return fd_ >= 0; }
  int close() {
    int rc = fd_ >= 0 ? ::close(fd_) : 0;
    fd_ = -1;
    return rc;
  }

 private:
  int fd_;
};

bool write_all(int fd, const std::uint8_t* data, std::size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

std::filesystem::path directory_of(const std::filesystem::path& p) {
  return p.has_parent_path() ? p.parent_path() : std::filesystem::path(".");
}

// Makes a rename or a new directory entry durable.
bool fsync_directory(const std::filesystem::path& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  return fd.ok() && ::fsync(fd.get()) == 0;
}

// Fills, syncs and closes an already created 0600 file. On failure the caller removes the file.
Expected<void, KeyFileError> fill_key_file(Fd& fd, const std::filesystem::path& shown_as) {
  std::array<std::uint8_t, kKeyBytes> key{};
  if (RAND_bytes(key.data(), static_cast<int>(key.size())) != 1) {
    return unexpected(error(Code::random_failed, "cannot make key " + quoted(shown_as) + ": RAND_bytes failed"));
  }
  const bool written = ::fchmod(fd.get(), 0600) == 0 && write_all(fd.get(), key.data(), key.size());
  OPENSSL_cleanse(key.data(), key.size());
  if (!written || ::fsync(fd.get()) != 0 || fd.close() != 0) {
    return unexpected(os_error("cannot write", shown_as, errno));
  }
  return {};
}

Expected<void, KeyFileError> create_exclusive(const std::filesystem::path& path) {
  // O_EXCL: fail rather than follow or truncate anything already there (symlinks included).
  Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (!fd.ok()) {
    const int err = errno;
    if (err == EEXIST) {
      return unexpected(error(Code::already_exists, "key file " + quoted(path) +
                                                        " already exists; refusing to overwrite it (use --force "
                                                        "to replace it: every node then needs the new key)"));
    }
    return unexpected(os_error("cannot create", path, err));
  }
  auto filled = fill_key_file(fd, path);
  if (!filled) {
    ::unlink(path.c_str());
    return filled;
  }
  if (!fsync_directory(directory_of(path))) return unexpected(os_error("cannot sync directory of", path, errno));
  return {};
}

Expected<void, KeyFileError> replace_atomically(const std::filesystem::path& path) {
  // A hidden name beside the target, so the final rename stays within one filesystem.
  std::string name = ".";
  name += path.filename().string();
  name += ".tmp-XXXXXX";
  std::string temp = (directory_of(path) / name).string();
  Fd fd(::mkostemp(temp.data(), O_CLOEXEC));  // mkostemp creates with mode 0600 and O_EXCL
  if (!fd.ok()) return unexpected(os_error("cannot create a temporary file beside", path, errno));
  auto filled = fill_key_file(fd, temp);
  if (filled && ::rename(temp.c_str(), path.c_str()) != 0) filled = unexpected(os_error("cannot replace", path, errno));
  if (!filled) {
    ::unlink(temp.c_str());
    return filled;
  }
  if (!fsync_directory(directory_of(path))) return unexpected(os_error("cannot sync directory of", path, errno));
  return {};
}

// Reads until `buffer` is full or end of file; `got` = bytes read. False on a read error (errno set).
bool read_up_to(int fd, Bytes& buffer, std::size_t& got) {
  got = 0;
  while (got < buffer.size()) {
    const ssize_t n = ::read(fd, buffer.data() + got, buffer.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  return true;
}

// Key material read into a plain buffer is wiped however the function leaves.
struct WipeOnExit {
  Bytes& bytes;
  ~WipeOnExit() { OPENSSL_cleanse(bytes.data(), bytes.size()); }
};

std::string octal_mode(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

// The checks that need only the inode: type, permissions, size.
Expected<void, KeyFileError> check_key_inode(const struct stat& st, const std::filesystem::path& path) {
  if (!S_ISREG(st.st_mode)) {
    return unexpected(error(Code::not_a_regular_file, "key file " + quoted(path) + " is not a regular file"));
  }
  if ((st.st_mode & 077) != 0) {
    return unexpected(error(Code::insecure_permissions,
                            "key file " + quoted(path) + " has mode " + octal_mode(st.st_mode) +
                                ": group or others may access it; it must be readable by its owner only "
                                "(fix: chmod 600 " + quoted(path) + ")"));
  }
  const auto size = static_cast<std::size_t>(st.st_size);
  if (size < kMinKeyBytes) {
    return unexpected(error(Code::too_short, "key file " + quoted(path) + " holds " + std::to_string(size) +
                                                 " bytes; a cluster key needs at least 32 (make a new one with: "
                                                 "p3pctl keygen --force " + path.string() + ")"));
  }
  if (size > kMaxKeyBytes) {
    return unexpected(error(Code::too_long, "key file " + quoted(path) + " holds " + std::to_string(size) +
                                                " bytes; a cluster key has at most 4096: is this the right file?"));
  }
  return {};
}

}  // namespace

ClusterKey::ClusterKey(ClusterKey&& other) noexcept : bytes_(std::move(other.bytes_)) { other.bytes_.clear(); }

ClusterKey& ClusterKey::operator=(ClusterKey&& other) noexcept {
  if (this != &other) {
    wipe();
    bytes_ = std::move(other.bytes_);
    other.bytes_.clear();
  }
  return *this;
}

ClusterKey::~ClusterKey() { wipe(); }

void ClusterKey::wipe() {
  if (!bytes_.empty()) OPENSSL_cleanse(bytes_.data(), bytes_.size());
}

Expected<void, KeyFileError> write_new_key(const std::filesystem::path& path, bool force) {
  return force ? replace_atomically(path) : create_exclusive(path);
}

Expected<ClusterKey, KeyFileError> load_key(const std::filesystem::path& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.ok()) {
    const int err = errno;
    if (err == ENOENT) {
      return unexpected(error(Code::missing, "key file " + quoted(path) + " does not exist (make one with: " +
                                                 "p3pctl keygen " + path.string() + ")"));
    }
    return unexpected(os_error("cannot open key file", path, err));
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return unexpected(os_error("cannot stat key file", path, errno));
  if (auto ok = check_key_inode(st, path); !ok) return unexpected(ok.error());
  Bytes buffer(static_cast<std::size_t>(st.st_size) + 1);  // +1 to notice a file that grew meanwhile
  const WipeOnExit wipe{buffer};
  std::size_t got = 0;
  if (!read_up_to(fd.get(), buffer, got)) return unexpected(os_error("cannot read key file", path, errno));
  if (got != static_cast<std::size_t>(st.st_size)) {
    return unexpected(error(Code::io_error, "key file " + quoted(path) + " changed while being read"));
  }
  return ClusterKey(Bytes(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(got)));
}

}  // namespace p3p::bus
