#pragma once
// The cluster key: the shared HMAC secret, kept in a file that only its owner may read. Nothing secret is
// compiled in anywhere; every process loads the file named in the topology.
//
// File rules (bus/README.md "Key file"): the key is the file's raw bytes, all of them, 32 to 4096; the
// mode must grant nothing to group or others (mode & 077 == 0). write_new_key makes 32 bytes from
// OpenSSL's CSPRNG in a file created 0600 (never wider, not even for a moment).
#include <cstddef>
#include <filesystem>
#include <string>

#include "bus/bytes.hpp"
#include "common/expected.hpp"

namespace p3p::bus {

inline constexpr std::size_t kKeyBytes = 32;       // what write_new_key makes
inline constexpr std::size_t kMinKeyBytes = 32;    // HMAC-SHA256 wants at least its output size
inline constexpr std::size_t kMaxKeyBytes = 4096;  // bigger is some other file named by mistake

// Key bytes that are wiped (OPENSSL_cleanse) when dropped. Move-only, so copies of the secret do not
// spread through the program by accident.
class ClusterKey {
 public:
  explicit ClusterKey(Bytes bytes) : bytes_(std::move(bytes)) {}
  ClusterKey(ClusterKey&& other) noexcept;
  ClusterKey& operator=(ClusterKey&& other) noexcept;
  ClusterKey(const ClusterKey&) = delete;
  ClusterKey& operator=(const ClusterKey&) = delete;
  ~ClusterKey();

  ByteView bytes() const { return bytes_; }

 private:
  void wipe();
  Bytes bytes_;
};

struct KeyFileError {
  enum class Code {
    missing,               // no such file (or its directory does not exist)
    already_exists,        // write_new_key without force
    not_a_regular_file,
    insecure_permissions,  // group or others have some access
    too_short,
    too_long,
    io_error,              // any other OS failure; the message carries strerror
    random_failed,         // RAND_bytes could not produce key material
  };
  Code code = Code::io_error;
  std::string message;  // says what is wrong and how to fix it, naming the path
};

// Creates `path` holding 32 random bytes, mode 0600. Without `force` an existing file is left alone
// (already_exists). With `force` it is replaced atomically: temp file in the same directory, fsync,
// rename over, fsync the directory - a crash leaves either the old key or the new one, never a mix.
Expected<void, KeyFileError> write_new_key(const std::filesystem::path& path, bool force);

// Reads a key file, refusing one that is missing, not a regular file, accessible to group/others, or
// not 32..4096 bytes long.
Expected<ClusterKey, KeyFileError> load_key(const std::filesystem::path& path);

}  // namespace p3p::bus
