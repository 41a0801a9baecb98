#pragma once
// One parser per top-level section. Each reads its part of the file into ctx.topo and reports what is wrong to
// ctx.diag; none throws. They run in dependency order (see loader.cpp), not file order, so a reference can
// point forward in the file. A nullptr field means the section is absent.
#include "topology/detail/parse_context.hpp"

namespace p3p::topology::detail {

void parse_cluster(ParseContext& ctx, const Field& f);
// Applies the keys present in f on top of p (cluster default or a projection's override).
void parse_plasticity(ParseContext& ctx, const Field& f, Plasticity& p);
void parse_neuron_params(ParseContext& ctx, const Field* f);
void parse_presets(ParseContext& ctx, const Field* f);
void parse_nodes(ParseContext& ctx, const Field& f);
void parse_control(ParseContext& ctx, const Field* f);
void parse_regions(ParseContext& ctx, const Field& f);
void parse_projections(ParseContext& ctx, const Field* f);
void parse_persistence(ParseContext& ctx, const Field* f);
void parse_metrics(ParseContext& ctx, const Field* f);
void parse_results(ParseContext& ctx, const Field* f);
void parse_jobs(ParseContext& ctx, const Field* f);

// Explicit synapses [{pre, post, weight}]; indices are checked against the sizes when known (non-zero).
std::vector<Synapse> parse_synapse_list(ParseContext& ctx, const Field& f, std::uint32_t pre_size,
                                        std::uint32_t post_size);

}  // namespace p3p::topology::detail
