#pragma once
// A snapshot's manifest: the JSON file that names its parts (one per node, with their SHA-256 and size),
// the topology hash, tick, epoch, reason and time. It is written last, atomically, once every part is on
// disk - so a manifest that exists names a complete snapshot, and `latest` never picks a half one.
// Names: snapshot_<control node>_<UTC yyyymmddThhmmss.mmmZ>[-n].json (the original's naming, to the
// millisecond; -n when two share a millisecond: never overwritten). Parts: <manifest stem>.<node>.part.
// Only such names are accepted when loading: no paths, no traversal, nothing outside the snapshot dir.
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error_code.hpp"
#include "common/expected.hpp"

namespace p3p::persistence {

inline constexpr std::string_view kManifestFormat = "p3p-snapshot/1";
// A manifest names one part per node: far below this; a larger file is refused unread.
inline constexpr std::uint64_t kMaxManifestBytes = 16u << 20;

struct ManifestPart {
  std::string node;
  std::string file;    // in the snapshot dir of that node's host
  std::string sha256;  // lowercase hex
  std::uint64_t bytes = 0;
};

struct Manifest {
  std::string name;  // the manifest's file name
  std::string cluster;
  std::uint64_t topology_hash = 0;
  std::int64_t tick = 0;
  std::uint64_t epoch = 0;
  std::string reason;
  std::uint64_t created_unix_ms = 0;
  std::vector<ManifestPart> parts;

  nlohmann::json to_json() const;
  static Expected<Manifest, std::string> from_json(const nlohmann::json& j);
};

// "20261129T012345.678Z"
std::string utc_stamp(std::uint64_t unix_ms);
// snapshot_<node>_<stamp>.json, or with -n before .json for n > 0.
std::string manifest_name(const std::string& control_node, std::uint64_t unix_ms, unsigned n = 0);
std::string part_name(const std::string& manifest, const std::string& node);
bool is_manifest_name(std::string_view name);
bool is_part_name(std::string_view name);

// The manifests in `dir`, oldest first (by time, then -n).
std::vector<std::string> list_manifests(const std::filesystem::path& dir);

// The file a temporary file of write_atomically was to become (".<name>.tmp-<pid>" -> name), or nothing.
std::optional<std::string> temporary_of(std::string_view name);
// `node`'s part files in `dir` - and temporary files left while writing one - whose snapshot is not among
// `manifests`: the leftovers of a snapshot whose manifest was never written (a full disk, kill -9).
std::vector<std::string> orphan_parts(const std::filesystem::path& dir, const std::string& node,
                                      const std::vector<std::string>& manifests);

// Reads and checks a manifest by name ("latest" = the newest). Errors carry the control error codes:
// snapshot_not_found, snapshot_corrupt, bad_args (a name that is not a manifest name).
Expected<Manifest, Failure> read_manifest(const std::filesystem::path& dir, const std::string& name);

}  // namespace p3p::persistence
