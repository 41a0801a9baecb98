// A snapshot manifest's text (nodes/persistence/manifest.hpp), read as read_manifest reads the file: JSON,
// then the fields. A manifest it accepts names only part files (no paths) and writes back to the same one.
#include "fuzz/fuzz_input.hpp"
#include "nodes/persistence/manifest.hpp"

using namespace p3p;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::text(data, size);
  (void)persistence::is_manifest_name(text);  // the names a client asks for go through these
  (void)persistence::is_part_name(text);
  const auto j = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded()) return 0;
  const auto m = persistence::Manifest::from_json(j);
  if (!m) return 0;
  for (const persistence::ManifestPart& p : m->parts) fuzz::require(persistence::is_part_name(p.file), "a part file that is not a part name");
  const auto again = persistence::Manifest::from_json(m->to_json());
  fuzz::require(again && again->to_json() == m->to_json(), "a manifest does not survive writing");
  return 0;
}
