// Sections "persistence", "metrics", "results" and "jobs": where files go and what the scheduler runs.
#include "topology/detail/parsers.hpp"
#include "topology/detail/yaml_json.hpp"

namespace p3p::topology::detail {
namespace {

// Fills job.command and job.args_json from the job's type and its "args" mapping (absent or null = none).
void parse_job_args(ParseContext& ctx, const Field* args, const MapReader& job_map, Job& job) {
  std::optional<MapReader> r;
  if (args && !args->value.is_null()) {
    r.emplace(MapReader::any_keys(ctx.diag, *args, "argument"));
    if (!r->ok()) return;
  }
  if (job.type != JobType::command) {
    job.command = job.type == JobType::snapshot ? "snapshot" : "run_demo";
    job.args_json = r ? to_json(args->value) : "{}";
    return;
  }
  // The command's name travels inside args, so a job reads like a control-port request {cmd, args}.
  const Field* cmd = nullptr;
  if (r)
    for (const Field& e : r->fields())
      if (e.key == "cmd") cmd = &e;
  if (!cmd && args) {
    ctx.diag.error(args->pos(), args->path() + ": missing required key 'cmd' (the command to run)");
    return;
  }
  if (!cmd) {
    ctx.diag.error(job_map.pos(), job_map.path() + ": a job of type command needs args.cmd (the command to run)");
    return;
  }
  if (auto name = read_string(ctx.diag, *cmd)) job.command = *name;
  job.args_json = to_json_object_without(args->value, "cmd");
}

void parse_job(ParseContext& ctx, const Field& f, NameSet& ids) {
  MapReader r(ctx.diag, f, {"id", "type", "delay_s", "repeat", "interval_s", "args"});
  if (!r.ok()) return;
  Job job;
  auto id = r.string("id", Need::required);
  if (id) job.id = *id;
  std::optional<JobType> type;
  if (const Field* t = r.require("type"))
    type = read_choice(ctx.diag, *t, job_type_from_string, job_type_names(), "job type");
  if (auto v = r.number("delay_s", at_least(0))) job.delay_s = *v;
  if (auto v = r.uint<std::uint32_t>("repeat", 1)) job.repeat = *v;
  if (auto v = r.number("interval_s", at_least(0))) job.interval_s = *v;
  if (type) {
    job.type = *type;
    parse_job_args(ctx, r.get("args"), r, job);
  }
  if (id && declare(ctx, ids, job.id, r.get("id")->pos(), "job id")) ctx.topo.jobs.push_back(std::move(job));
}

}  // namespace

void parse_persistence(ParseContext& ctx, const Field* f) {
  Persistence& p = ctx.topo.persistence;
  p.snapshot_dir = ctx.resolve("snapshots");
  if (!f) return;
  MapReader r(ctx.diag, *f, {"snapshot_dir", "keep"});
  if (!r.ok()) return;
  if (auto v = r.string("snapshot_dir")) p.snapshot_dir = ctx.resolve(*v);
  if (auto v = r.uint<std::uint32_t>("keep")) p.keep = *v;
}

void parse_metrics(ParseContext& ctx, const Field* f) {
  ctx.topo.metrics.dump_path = ctx.resolve("metrics_dump_core.json");
  if (!f) return;
  MapReader r(ctx.diag, *f, {"dump_path"});
  if (!r.ok()) return;
  if (auto v = r.string("dump_path")) ctx.topo.metrics.dump_path = ctx.resolve(*v);
}

void parse_results(ParseContext& ctx, const Field* f) {
  ctx.topo.results.dir = ctx.resolve("results");
  if (!f) return;
  MapReader r(ctx.diag, *f, {"dir"});
  if (!r.ok()) return;
  if (auto v = r.string("dir")) ctx.topo.results.dir = ctx.resolve(*v);
}

void parse_jobs(ParseContext& ctx, const Field* f) {
  if (!f) return;
  auto items = read_list(ctx.diag, *f, "a list of jobs");
  if (!items) return;
  NameSet ids;
  for (const Field& item : *items) parse_job(ctx, item, ids);
}

}  // namespace p3p::topology::detail
