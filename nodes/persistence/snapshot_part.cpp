#include "nodes/persistence/snapshot_part.hpp"

#include <msgpack.hpp>

#include <bit>
#include <cstring>
#include <type_traits>

#include "bus/byte_sink.hpp"
#include "bus/msgpack_reader.hpp"

namespace p3p::persistence {
namespace {

static_assert(std::endian::native == std::endian::little, "snapshot parts store vectors as little-endian bytes");


class Writer {
 public:
  explicit Writer(bus::Bytes& out) : sink_{&out}, pk_(sink_) {}
  void array(std::uint32_t n) { pk_.pack_array(n); }
  void u(std::uint64_t v) { pk_.pack_uint64(v); }
  void i(std::int64_t v) { pk_.pack_uint64(static_cast<std::uint64_t>(v)); }
  void d(double v) { pk_.pack_uint64(std::bit_cast<std::uint64_t>(v)); }
  void str(const std::string& s) { pk_.pack(s); }
  template <class T>
  void vec(const std::vector<T>& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    const std::size_t bytes = v.size() * sizeof(T);
    pk_.pack_bin(static_cast<std::uint32_t>(bytes));
    pk_.pack_bin_body(reinterpret_cast<const char*>(v.data()), static_cast<std::uint32_t>(bytes));
  }

 private:
  bus::ByteSink sink_;
  msgpack::packer<bus::ByteSink> pk_;
};

struct Broken {};  // thrown inside the reader only, turned into an error at the top

class Reader {
 public:
  explicit Reader(bus::ByteView in) : in_(in) {}
  std::uint32_t array() {
    std::uint32_t n = 0;
    if (!in_.array_header(n) || n > in_.remaining()) throw Broken{};
    return n;
  }
  void array(std::uint32_t expected) {
    if (array() != expected) throw Broken{};
  }
  std::uint64_t u() {
    std::uint64_t v = 0;
    if (!in_.uint(v)) throw Broken{};
    return v;
  }
  std::int64_t i() { return static_cast<std::int64_t>(u()); }
  double d() { return std::bit_cast<double>(u()); }
  std::string str() {
    std::string_view s;
    if (!in_.str(s)) throw Broken{};
    return std::string(s);
  }
  template <class T>
  std::vector<T> vec() {
    bus::ByteView b;
    if (!in_.bin(b) || b.size() % sizeof(T)) throw Broken{};
    std::vector<T> v(b.size() / sizeof(T));
    if (!b.empty()) std::memcpy(v.data(), b.data(), b.size());
    return v;
  }
  bool at_end() const { return in_.at_end(); }

 private:
  bus::StrictReader in_;
};

void put_spikes(Writer& w, const std::vector<cortex::Spike>& spikes) {
  std::vector<std::int64_t> ticks;
  std::vector<std::uint64_t> neurons;
  for (const cortex::Spike& s : spikes) ticks.push_back(s.tick), neurons.push_back(s.neuron);
  w.vec(ticks);
  w.vec(neurons);
}

std::vector<cortex::Spike> get_spikes(Reader& r) {
  const auto ticks = r.vec<std::int64_t>();
  const auto neurons = r.vec<std::uint64_t>();
  if (ticks.size() != neurons.size()) throw Broken{};
  std::vector<cortex::Spike> out(ticks.size());
  for (std::size_t k = 0; k < out.size(); ++k) out[k] = {ticks[k], neurons[k]};
  return out;
}

}  // namespace

bus::Bytes encode_part(const SnapshotPart& p) {
  bus::Bytes out;
  Writer w(out);
  const cortex::EngineState& e = p.engine;
  w.array(13);
  w.str(std::string(kPartFormat));
  w.str(p.cluster);
  w.str(p.node);
  w.u(p.topology_hash);
  w.u(p.next_epoch);
  // engine: [tick, settled, populations, projections, injections]
  w.array(5);
  w.i(e.tick);
  w.i(e.settled);
  w.array(static_cast<std::uint32_t>(e.populations.size()));
  for (const auto& s : e.populations) {
    w.array(4);
    w.vec(s.v);
    w.vec(s.threshold);
    w.vec(s.last_spike);
    w.vec(s.pending_input);
  }
  w.array(static_cast<std::uint32_t>(e.projections.size()));
  for (const auto& s : e.projections) {
    // [weights, pre, post, eligibility, offsets, arrivals, reward_level, [dopamine, pending, base, history]]
    w.array(8);
    w.vec(s.weights);
    w.vec(s.pre_traces);
    w.vec(s.post_traces);
    w.vec(s.eligibility);
    w.vec(s.eligibility_offsets);
    w.array(static_cast<std::uint32_t>(s.arrivals.size()));
    for (const auto& a : s.arrivals) w.vec(a);
    w.d(s.reward_level);
    w.array(4);
    w.d(s.dopamine.dopamine);
    w.d(s.dopamine.pending);
    w.i(s.dopamine.base);
    w.vec(s.dopamine.history);
  }
  w.array(static_cast<std::uint32_t>(e.injections.size()));
  for (const auto& inj : e.injections) {
    w.array(4);
    w.i(inj.tick);
    w.u(inj.population);
    w.u(inj.neuron);
    w.i(inj.amount);
  }
  w.array(static_cast<std::uint32_t>(p.inputs.size()));
  for (const auto& in : p.inputs) {
    w.array(3);
    w.u(static_cast<std::uint64_t>(in.node));
    put_spikes(w, in.spikes);
  }
  w.u(p.spikes);
  w.u(p.raster_sum);
  w.vec(p.population_spikes);
  w.array(static_cast<std::uint32_t>(p.neuron_spikes.size()));
  for (const auto& v : p.neuron_spikes) w.vec(v);
  w.u(p.regions_version);
  w.str(p.regions_json);
  return out;
}

std::uint64_t max_part_bytes(const cortex::EngineState& shape, std::uint64_t max_input_spikes) {
  const auto bytes = [](const auto& v) { return std::uint64_t{v.size()} * sizeof(v[0]); };
  std::uint64_t total = kPartSlackBytes + max_input_spikes * (sizeof(std::int64_t) + sizeof(std::uint64_t));
  for (const auto& p : shape.populations)  // v, threshold, last_spike, pending_input; the per-neuron spike counts
    total += bytes(p.v) + bytes(p.threshold) + bytes(p.last_spike) + bytes(p.pending_input) + p.v.size() * sizeof(std::uint64_t);
  total += shape.populations.size() * sizeof(std::uint64_t);  // spikes per population
  for (const auto& p : shape.projections)
    total += bytes(p.weights) + bytes(p.pre_traces) + bytes(p.post_traces) + bytes(p.eligibility) + bytes(p.eligibility_offsets) +
             p.arrivals.size() * p.pre_traces.size() * sizeof(std::uint32_t);
  return total;
}

Expected<SnapshotPart, std::string> decode_part(bus::ByteView bytes) {
  try {
    Reader r(bytes);
    SnapshotPart p;
    r.array(13);
    if (const std::string format = r.str(); format != kPartFormat)
      return unexpected(format.starts_with("p3p-snapshot-part/")
                            ? "the part is in format " + format.substr(0, 40) + ", which this build does not read (it reads " +
                                  std::string(kPartFormat) + "): take the snapshot again with this build"
                            : "not a " + std::string(kPartFormat) + " file");
    p.cluster = r.str();
    p.node = r.str();
    p.topology_hash = r.u();
    p.next_epoch = r.u();
    cortex::EngineState& e = p.engine;
    r.array(5);
    e.tick = r.i();
    e.settled = r.i();
    e.populations.resize(r.array());
    for (auto& s : e.populations) {
      r.array(4);
      s.v = r.vec<double>();
      s.threshold = r.vec<double>();
      s.last_spike = r.vec<std::int64_t>();
      s.pending_input = r.vec<std::int64_t>();
    }
    e.projections.resize(r.array());
    for (auto& s : e.projections) {
      r.array(8);
      s.weights = r.vec<double>();
      s.pre_traces = r.vec<double>();
      s.post_traces = r.vec<double>();
      s.eligibility = r.vec<double>();
      s.eligibility_offsets = r.vec<std::int32_t>();
      s.arrivals.resize(r.array());
      for (auto& a : s.arrivals) a = r.vec<std::uint32_t>();
      s.reward_level = r.d();
      r.array(4);
      s.dopamine.dopamine = r.d();
      s.dopamine.pending = r.d();
      s.dopamine.base = r.i();
      s.dopamine.history = r.vec<double>();
    }
    e.injections.resize(r.array());
    for (auto& inj : e.injections) {
      r.array(4);
      inj.tick = r.i();
      const std::uint64_t population = r.u(), neuron = r.u();
      if (population > UINT32_MAX || neuron > UINT32_MAX) throw Broken{};
      inj.population = static_cast<std::uint32_t>(population);
      inj.neuron = static_cast<std::uint32_t>(neuron);
      inj.amount = r.i();
    }
    p.inputs.resize(r.array());
    for (auto& in : p.inputs) {
      r.array(3);
      const std::uint64_t node = r.u();
      if (node > 1'000'000) throw Broken{};
      in.node = static_cast<int>(node);
      in.spikes = get_spikes(r);
    }
    p.spikes = r.u();
    p.raster_sum = r.u();
    p.population_spikes = r.vec<std::uint64_t>();
    p.neuron_spikes.resize(r.array());
    for (auto& v : p.neuron_spikes) v = r.vec<std::uint64_t>();
    p.regions_version = r.u();
    p.regions_json = r.str();
    if (!r.at_end()) return unexpected(std::string("trailing bytes after the part"));
    return p;
  } catch (const Broken&) {
    return unexpected(std::string("the part is truncated or malformed"));
  } catch (const std::bad_alloc&) {
    return unexpected(std::string("the part is malformed (sizes out of range)"));
  }
}

}  // namespace p3p::persistence
