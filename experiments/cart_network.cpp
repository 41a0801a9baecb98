#include "experiments/cart_network.hpp"


namespace p3p::experiments::cart {
namespace {

constexpr double kPlaceDrive = 1.0;  // the active place cell: 0 + baseline + 1.0 >= threshold every tick

Unexpected<Error> bad_args(std::string message) { return unexpected(Error{ErrorCode::bad_args, std::move(message)}); }

// The one plastic projection from `from` onto `to` in the topology, or null.
const topology::Projection* plastic_between(const topology::Topology& t, const std::string& from, const std::string& to) {
  const topology::Projection* found = nullptr;
  for (const topology::Projection& p : t.projections) {
    if (p.from != from || p.to != to || !p.plastic) continue;
    if (found != nullptr) return nullptr;
    found = &p;
  }
  return found;
}

// The column of `role`, checked to hold at least `size` neurons.
Expected<const topology::Column*, Error> column_of(const Run& run, const std::string& role, std::uint32_t size) {
  if (!run.columns.contains(role)) return bad_args(run.region + " has no column with role '" + role + "'");
  const std::string& id = run.columns.at(role);
  const topology::Column* c = topology::find_column(run.topology, id);
  if (c == nullptr) return unexpected(Error{ErrorCode::unknown_column, "column " + id + " of " + run.region + " is missing"});
  if (c->size < size)
    return bad_args("the " + role + " column " + id + " needs " + std::to_string(size) + " neurons, not " + std::to_string(c->size));
  if (c->params.leak <= 0.0) return bad_args("column " + id + " needs a leak above 0 (currents are sent divided by it)");
  return c;
}

}  // namespace

Expected<Network, Error> network(const Run& run, double tonic_lo, double tonic_hi, Random& rng) {
  const auto actor_place = column_of(run, "actor_sensors", kBoxes);
  if (!actor_place) return unexpected(actor_place.error());
  const auto critic_place = column_of(run, "critic_sensors", kBoxes);
  if (!critic_place) return unexpected(critic_place.error());
  const auto actor = column_of(run, "actor", 2);
  if (!actor) return unexpected(actor.error());
  const auto critic = column_of(run, "critic", 1);
  if (!critic) return unexpected(critic.error());
  if ((*actor)->size % 2 != 0)
    return bad_args("the actor column " + (*actor)->id + " needs an even number of neurons (left, right halves), not " +
                    std::to_string((*actor)->size));
  if (plastic_between(run.topology, (*actor_place)->id, (*actor)->id) == nullptr)
    return bad_args(run.region + " needs one plastic projection " + (*actor_place)->id + " -> " + (*actor)->id);
  const topology::Projection* to_critic = plastic_between(run.topology, (*critic_place)->id, (*critic)->id);
  if (to_critic == nullptr)
    return bad_args(run.region + " needs one plastic projection " + (*critic_place)->id + " -> " + (*critic)->id);
  Network n;
  n.place_cells = {(*actor_place)->id, (*critic_place)->id};
  n.actor = (*actor)->id;
  n.critic = (*critic)->id;
  n.per_side = static_cast<int>((*actor)->size) / 2;
  n.actor_place_leak = (*actor_place)->params.leak;
  n.critic_place_leak = (*critic_place)->params.leak;
  n.actor_leak = (*actor)->params.leak;
  n.critic_leak = (*critic)->params.leak;
  n.critic_w_min = to_critic->plasticity.w_min;
  n.critic_tonic.resize((*critic)->size);
  for (double& c : n.critic_tonic) c = rng.uniform(tonic_lo, tonic_hi);
  return n;
}

std::vector<driver::Current> step_currents(const Network& n, const StepDrive& d, std::int64_t t0) {
  std::vector<driver::Current> c;
  c.reserve(static_cast<std::size_t>(kTicksPerStep) * (2 + 2 * static_cast<std::size_t>(n.per_side) + n.critic_tonic.size()));
  for (std::int64_t t = t0; t < t0 + kTicksPerStep; ++t) {
    if (d.box >= 0) {
      const auto b = static_cast<std::uint32_t>(d.box);
      c.push_back({n.place_cells[0], b, t, kPlaceDrive / n.actor_place_leak});
      c.push_back({n.place_cells[1], b, t, kPlaceDrive / n.critic_place_leak});
    }
    for (int i = 0; i < 2 * n.per_side; ++i)
      c.push_back({n.actor, static_cast<std::uint32_t>(i), t, (i < n.per_side ? d.actor_left : d.actor_right) / n.actor_leak});
    for (std::size_t i = 0; i < n.critic_tonic.size(); ++i)
      c.push_back({n.critic, static_cast<std::uint32_t>(i), t, (n.critic_tonic[i] + d.critic_offset) / n.critic_leak});
  }
  return c;
}

StepSpikes read_step(const Network& n, const driver::SpikeCounts& counts) {
  StepSpikes s;
  const std::vector<std::uint64_t>& actor = counts.per_neuron.at(n.actor);
  for (std::size_t i = 0; i < actor.size(); ++i) (i < static_cast<std::size_t>(n.per_side) ? s.left : s.right) += actor[i];
  s.critic = counts.per_column.at(n.critic);
  return s;
}

}  // namespace p3p::experiments::cart
