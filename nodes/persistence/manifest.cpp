#include "nodes/persistence/manifest.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <tuple>

#include "nodes/persistence/file_ops.hpp"

namespace p3p::persistence {
namespace {

constexpr std::string_view kPrefix = "snapshot_";
constexpr std::size_t kStampSize = 20;  // 20261129T012345.678Z

bool safe_id(std::string_view s) {
  if (s.empty() || s.size() > 128) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
  });
}

bool is_stamp(std::string_view s) {
  if (s.size() != kStampSize || s[8] != 'T' || s[15] != '.' || s[19] != 'Z') return false;
  for (std::size_t i : {0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14, 16, 17, 18})
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

// snapshot_<node>_<stamp>[-n] (the stem): the stamp and n, or nothing.
std::optional<std::pair<std::string, unsigned>> parse_stem(std::string_view stem) {
  if (stem.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  stem.remove_prefix(kPrefix.size());
  unsigned n = 0;
  if (const auto dash = stem.rfind('-'); dash != std::string_view::npos && dash + 1 < stem.size() && stem.size() - dash <= 4 &&
                                         std::all_of(stem.begin() + static_cast<long>(dash) + 1, stem.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
                                         dash > kStampSize) {
    n = static_cast<unsigned>(std::stoul(std::string(stem.substr(dash + 1))));
    stem = stem.substr(0, dash);
  }
  if (stem.size() < kStampSize + 2 || stem[stem.size() - kStampSize - 1] != '_') return std::nullopt;
  const std::string_view node = stem.substr(0, stem.size() - kStampSize - 1);
  const std::string_view stamp = stem.substr(stem.size() - kStampSize);
  if (!safe_id(node) || !is_stamp(stamp)) return std::nullopt;
  return std::make_pair(std::string(stamp), n);
}

Failure corrupt(const std::string& name, const std::string& why) {
  return {ErrorCode::snapshot_corrupt, "manifest " + name + ": " + why};
}

}  // namespace

std::string utc_stamp(std::uint64_t unix_ms) {
  const std::time_t secs = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[80];
  std::snprintf(buf, sizeof buf, "%04d%02d%02dT%02d%02d%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                tm.tm_min, tm.tm_sec, static_cast<int>(unix_ms % 1000));
  return buf;
}

std::string manifest_name(const std::string& control_node, std::uint64_t unix_ms, unsigned n) {
  std::string name(kPrefix);  // appended step by step: GCC 12 misreports chains of + (-Wrestrict)
  name.append(control_node).append("_").append(utc_stamp(unix_ms));
  if (n) name.append("-").append(std::to_string(n));
  return name.append(".json");
}

std::string part_name(const std::string& manifest, const std::string& node) {
  std::string name = manifest.substr(0, manifest.size() - 5);
  return name.append(".").append(node).append(".part");
}

bool is_manifest_name(std::string_view name) {
  return name.size() > 5 && name.substr(name.size() - 5) == ".json" && parse_stem(name.substr(0, name.size() - 5));
}

bool is_part_name(std::string_view name) {
  if (name.size() < 6 || name.substr(name.size() - 5) != ".part") return false;
  name.remove_suffix(5);
  const auto dot = name.rfind('.');
  return dot != std::string_view::npos && safe_id(name.substr(dot + 1)) && name.substr(dot + 1).find('.') == std::string_view::npos &&
         parse_stem(name.substr(0, dot));
}

std::vector<std::string> list_manifests(const std::filesystem::path& dir) {
  std::vector<std::tuple<std::string, unsigned, std::string>> found;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_regular_file(ec) || !is_manifest_name(name)) continue;
    const auto key = parse_stem(std::string_view(name).substr(0, name.size() - 5));
    found.emplace_back(key->first, key->second, name);
  }
  std::sort(found.begin(), found.end());
  std::vector<std::string> out;
  for (auto& f : found) out.push_back(std::move(std::get<2>(f)));
  return out;
}

std::optional<std::string> temporary_of(std::string_view name) {
  const auto tmp = name.rfind(".tmp-");
  if (name.size() < 2 || name[0] != '.' || tmp == std::string_view::npos || tmp + 5 == name.size()) return std::nullopt;
  const std::string_view pid = name.substr(tmp + 5);
  if (!std::all_of(pid.begin(), pid.end(), [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
  return std::string(name.substr(1, tmp - 1));
}

std::vector<std::string> orphan_parts(const std::filesystem::path& dir, const std::string& node,
                                      const std::vector<std::string>& manifests) {
  std::string suffix(".");  // appended step by step: GCC 12 -Wrestrict
  suffix.append(node).append(".part");
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.symlink_status(ec).type() == std::filesystem::file_type::directory) continue;
    const std::string name = entry.path().filename().string();
    const std::string part = temporary_of(name).value_or(name);
    if (!is_part_name(part) || part.size() <= suffix.size() || part.compare(part.size() - suffix.size(), suffix.size(), suffix) != 0)
      continue;
    const std::string manifest = part.substr(0, part.size() - suffix.size()) + ".json";
    if (std::find(manifests.begin(), manifests.end(), manifest) == manifests.end()) out.push_back(name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

nlohmann::json Manifest::to_json() const {
  nlohmann::json ps = nlohmann::json::array();
  for (const auto& p : parts) ps.push_back({{"node", p.node}, {"file", p.file}, {"sha256", p.sha256}, {"bytes", p.bytes}});
  char hash[17];
  std::snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(topology_hash));
  return {{"format", kManifestFormat}, {"name", name},     {"cluster", cluster},
          {"topology_hash", hash},     {"tick", tick},     {"epoch", epoch},
          {"reason", reason},          {"created", utc_stamp(created_unix_ms)}, {"created_unix_ms", created_unix_ms},
          {"parts", ps}};
}

Expected<Manifest, std::string> Manifest::from_json(const nlohmann::json& j) {
  try {
    if (!j.is_object() || j.at("format") != kManifestFormat) return unexpected(std::string("not a ") + std::string(kManifestFormat) + " manifest");
    Manifest m;
    m.name = j.at("name").get<std::string>();
    m.cluster = j.at("cluster").get<std::string>();
    m.topology_hash = std::stoull(j.at("topology_hash").get<std::string>(), nullptr, 16);
    m.tick = j.at("tick").get<std::int64_t>();
    m.epoch = j.at("epoch").get<std::uint64_t>();
    m.reason = j.at("reason").get<std::string>();
    m.created_unix_ms = j.at("created_unix_ms").get<std::uint64_t>();
    for (const auto& p : j.at("parts")) {
      ManifestPart part{p.at("node").get<std::string>(), p.at("file").get<std::string>(), p.at("sha256").get<std::string>(),
                        p.at("bytes").get<std::uint64_t>()};
      if (!is_part_name(part.file)) return unexpected("part file name '" + part.file + "' is not a snapshot part's");
      m.parts.push_back(std::move(part));
    }
    if (m.parts.empty()) return unexpected(std::string("no parts"));
    return m;
  } catch (const std::exception& e) {
    return unexpected(std::string("missing or mistyped field: ") + e.what());
  }
}

Expected<Manifest, Failure> read_manifest(const std::filesystem::path& dir, const std::string& requested) {
  std::string name = requested;
  if (name == "latest") {
    const auto all = list_manifests(dir);
    if (all.empty()) return unexpected(Failure{ErrorCode::snapshot_not_found, "no snapshot in " + dir.string()});
    name = all.back();
  } else if (!is_manifest_name(name)) {
    std::string message = requested.substr(0, 200);  // appended step by step: GCC 12 -Wrestrict
    message.insert(0, 1, '\'');
    message.append("' is not a snapshot name (snapshot_<node>_<time>.json, as `p3pctl snapshot list` shows, or latest)");
    return unexpected(Failure{ErrorCode::bad_args, message});
  }
  const auto path = dir / name;
  std::error_code ec;
  if (!std::filesystem::exists(std::filesystem::symlink_status(path, ec)))  // anything else there: read_file refuses it
    return unexpected(Failure{ErrorCode::snapshot_not_found, "no snapshot " + name + " in the snapshot dir"});
  auto bytes = read_file(path, kMaxManifestBytes);
  if (!bytes) return unexpected(corrupt(name, bytes.error()));
  const auto j = nlohmann::json::parse(bytes->begin(), bytes->end(), nullptr, false);
  if (j.is_discarded()) return unexpected(corrupt(name, "not JSON"));
  auto m = Manifest::from_json(j);
  if (!m) return unexpected(corrupt(name, m.error()));
  if (m->name != name) return unexpected(corrupt(name, "it names itself " + m->name));
  return *m;
}

}  // namespace p3p::persistence
