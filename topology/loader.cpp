#include "topology/loader.hpp"

#include <optional>

#include "topology/detail/parsers.hpp"
#include "topology/detail/read_file.hpp"
#include "topology/detail/yaml_document.hpp"
#include "topology/hash.hpp"

namespace p3p::topology {
namespace {

using detail::Diagnostics;
using detail::Field;
using detail::MapReader;
using detail::ParseContext;
using detail::Pos;

std::string too_big(std::uint64_t bytes) {
  return "the file is " + std::to_string(bytes) + " bytes; a topology may be at most " +
         std::to_string(kMaxFileBytes) + " bytes (64 MiB)";
}

// The file's single document, parsed and checked against the bounds of yaml_document.hpp.
std::optional<detail::YamlDocument> parse_yaml(Diagnostics& diag, std::string_view text) {
  auto doc = detail::YamlDocument::parse(diag, text, detail::expansion_budget(text.size()));
  if (doc && !doc->root()) {
    diag.error({1, 1}, "the file is empty; expected a mapping with keys 'cluster', 'nodes' and 'regions'");
    return std::nullopt;
  }
  return doc;
}

// Sections are read in dependency order (names before the references to them), whatever the file's order.
void parse_document(ParseContext& ctx, const detail::YamlNode& root) {
  const Field root_field{root, Pos{1, 1}, {}, nullptr, 0};
  MapReader top(ctx.diag, root_field,
                {"cluster", "neuron_params", "presets", "plasticity", "nodes", "regions", "projections", "control",
                 "persistence", "metrics", "results", "jobs"});
  if (!top.ok()) return;
  if (const Field* f = top.require("cluster")) detail::parse_cluster(ctx, *f);
  if (const Field* f = top.get("plasticity")) detail::parse_plasticity(ctx, *f, ctx.topo.plasticity);
  detail::parse_neuron_params(ctx, top.get("neuron_params"));
  detail::parse_presets(ctx, top.get("presets"));
  if (const Field* f = top.require("nodes"))
    detail::parse_nodes(ctx, *f);
  else
    ctx.node_names.complete = false;
  detail::parse_control(ctx, top.get("control"));
  if (const Field* f = top.require("regions"))
    detail::parse_regions(ctx, *f);
  else
    ctx.column_names.complete = false;
  detail::parse_projections(ctx, top.get("projections"));
  detail::parse_persistence(ctx, top.get("persistence"));
  detail::parse_metrics(ctx, top.get("metrics"));
  detail::parse_results(ctx, top.get("results"));
  detail::parse_jobs(ctx, top.get("jobs"));
}

}  // namespace

Expected<Topology, Errors> load_string(std::string_view text, const std::string& display_name,
                                       const std::filesystem::path& base_dir, const LoadOptions& options) {
  if (text.size() > kMaxFileBytes) return unexpected(Errors{Error{display_name, 0, 0, too_big(text.size())}});
  Diagnostics diag(display_name);
  Topology topo;
  topo.source = display_name;
  std::error_code ec;
  topo.base_dir = std::filesystem::absolute(base_dir, ec).lexically_normal();
  if (ec) topo.base_dir = base_dir;
  topo.source_hash = fnv1a64(text);
  ParseContext ctx(diag, topo.base_dir, options.check_key_file, topo);
  try {
    if (const auto doc = parse_yaml(diag, text)) parse_document(ctx, doc->root());
  } catch (const std::exception& e) {
    // Nothing above is meant to throw; if something does (e.g. out of memory), it is still an error value.
    diag.error({}, std::string("internal error while reading the topology: ") + e.what());
  }
  if (diag.count() > 0) return unexpected(diag.sorted());
  return topo;
}

Expected<Topology, Errors> load_file(const std::filesystem::path& path, const LoadOptions& options) {
  std::error_code size_ec;
  if (const auto size = std::filesystem::file_size(path, size_ec); !size_ec && size > kMaxFileBytes)
    return unexpected(Errors{Error{path.string(), 0, 0, too_big(size)}});
  auto text = detail::read_file(path);
  if (!text) return unexpected(Errors{Error{path.string(), 0, 0, "cannot read the topology file: " + detail::read_failure(path)}});
  std::error_code ec;
  const std::filesystem::path dir = std::filesystem::absolute(path, ec).parent_path();
  auto result = load_string(*text, path.string(), dir, options);
  if (result) result->source = std::filesystem::absolute(path, ec).lexically_normal();
  return result;
}

}  // namespace p3p::topology
