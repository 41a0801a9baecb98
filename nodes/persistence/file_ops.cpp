#include "nodes/persistence/file_ops.hpp"

#include <fcntl.h>
#include <linux/fs.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace p3p::persistence {
namespace {

std::string fail(const std::string& what, const std::filesystem::path& p) {
  return what + " " + p.string() + ": " + std::strerror(errno);
}

}  // namespace

Expected<int, std::string> FileOps::create(const std::filesystem::path& p) {
  const int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0640);
  if (fd < 0) return unexpected(fail("cannot create", p));
  return fd;
}

Expected<void, std::string> FileOps::write(int fd, bus::ByteView data) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return unexpected(std::string("write failed: ") + std::strerror(errno));
    done += static_cast<std::size_t>(n);
  }
  return {};
}

Expected<void, std::string> FileOps::fsync(int fd) {
  if (::fsync(fd) != 0) return unexpected(std::string("fsync failed: ") + std::strerror(errno));
  return {};
}

void FileOps::close(int fd) { ::close(fd); }

Expected<void, std::string> FileOps::rename(const std::filesystem::path& from, const std::filesystem::path& to, bool replace) {
  // renameat2(RENAME_NOREPLACE) makes "never overwrite" atomic, not a check followed by a rename.
  const long r = replace ? ::rename(from.c_str(), to.c_str())
                         : ::syscall(SYS_renameat2, AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE);
  if (r != 0) return unexpected(fail("cannot rename to", to));
  return {};
}

Expected<void, std::string> FileOps::fsync_dir(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return unexpected(fail("cannot open directory", dir));
  const int r = ::fsync(fd);
  ::close(fd);
  if (r != 0) return unexpected(fail("cannot fsync directory", dir));
  return {};
}

FileOps& posix_file_ops() {
  static FileOps ops;
  return ops;
}

Expected<void, std::string> write_atomically(FileOps& ops, const std::filesystem::path& target, bus::ByteView data, bool replace) {
  const std::filesystem::path dir = target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
  std::string tmp_name = target.filename().string();  // appended step by step: GCC 12 misreports "." + s + ...
  tmp_name.insert(0, 1, '.');
  tmp_name.append(".tmp-").append(std::to_string(::getpid()));
  const std::filesystem::path tmp = dir / tmp_name;
  auto fd = ops.create(tmp);
  if (!fd) return unexpected(fd.error());
  auto ok = ops.write(*fd, data);
  if (ok) ok = ops.fsync(*fd);
  ops.close(*fd);
  if (ok) ok = ops.rename(tmp, target, replace);
  if (!ok) {
    std::error_code ec;
    std::filesystem::remove(tmp, ec);
    return unexpected(ok.error());
  }
  return ops.fsync_dir(dir);  // the rename itself durable; the file is complete either way
}

Expected<bus::Bytes, std::string> read_file(const std::filesystem::path& p, std::uint64_t max_bytes) {
  const int fd = ::open(p.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return unexpected(errno == ELOOP ? "refusing " + p.string() + ": it is a symbolic link" : fail("cannot open", p));
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st{};
  if (::fstat(fd, &st) != 0) return unexpected(fail("cannot stat", p));
  if (!S_ISREG(st.st_mode)) return unexpected("refusing " + p.string() + ": not a regular file");
  const auto size = static_cast<std::uint64_t>(st.st_size);
  if (size > max_bytes)
    return unexpected("refusing " + p.string() + ": " + std::to_string(size) + " bytes, more than the " +
                      std::to_string(max_bytes) + " it can hold");
  bus::Bytes out(static_cast<std::size_t>(size));
  std::size_t done = 0;
  while (done < out.size()) {  // a file that shrank meanwhile is short: the checksum or the decoder says so
    const ssize_t n = ::read(fd, out.data() + done, out.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return unexpected(fail("cannot read", p));
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  out.resize(done);
  return out;
}

std::string sha256_hex(bus::ByteView data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md.data(), &len, EVP_sha256(), nullptr);
  std::string hex;
  char buf[3];
  for (unsigned i = 0; i < len; ++i) {
    std::snprintf(buf, sizeof buf, "%02x", md[i]);
    hex += buf;
  }
  return hex;
}

}  // namespace p3p::persistence
