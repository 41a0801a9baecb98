// The memory estimate's figures and the check of it against a machine: refused when the nodes here cannot
// fit, warned when they may not, remote nodes pointed out. The machine is given, so no test depends on the
// one it runs on. (tests/nodes/memory_estimate_test.cpp checks the figures against real engines.)
#include "test_support.hpp"
#include "topology/memory_check.hpp"

namespace p3p::topology::test {
namespace {

constexpr std::uint64_t kGiB = std::uint64_t{1} << 30;

// Two columns of n neurons on nA, all to all from the first to the second: n^2 static synapses.
std::string square(std::uint32_t n, const std::string& host_b = "127.0.0.1") {
  return "cluster: {name: t, key_file: k.key}\nnodes:\n"
         "  - {id: nA, host: 127.0.0.1, router_port: 20001, pub_port: 20101, modules: [cortex7, mesh]}\n"
         "  - {id: nB, host: " + host_b + ", router_port: 20002, pub_port: 20102, modules: [cortex7, mesh]}\n"
         "regions:\n  - name: R\n    columns:\n"
         "      - {id: a, node: nA, size: " + std::to_string(n) + "}\n"
         "      - {id: b, node: nB, size: " + std::to_string(n) + "}\n"
         "projections:\n  - {from: a, to: b, rule: all_to_all, weight: 0.1}\n";
}

bool loopback_only(std::string_view host) { return host == "127.0.0.1"; }

}  // namespace

TEST_CASE("the estimate counts neurons, delay rings and synapses on the node that holds them") {
  Fixture f;
  const Topology t = f.load_ok(square(100000));
  const auto m = estimate_memory(t);
  REQUIRE(m.size() == 2);
  // nA: the source column only (32 B per neuron, one ring slot of 8 B). nB: the target column, with two
  // ring slots (delay 1), and the 10^10 synapses at 4 B each plus a row index and a weight per source.
  CHECK(m[0].engine_bytes() == 100000ULL * 40);
  CHECK(m[1].neuron_bytes == 100000ULL * 48);
  CHECK(m[1].synapse_bytes == 10000000000ULL * 4 + 100001ULL * 8 + 100000ULL * 8);
  CHECK(m[1].total_bytes() > 37 * kGiB);
}

TEST_CASE("sizes beyond 2^64 bytes saturate instead of wrapping to something small") {
  Fixture f;
  const Topology t = f.load_ok(square(4000000000U));
  const auto m = estimate_memory(t);
  CHECK(m[1].synapse_bytes == UINT64_MAX);
  CHECK(m[1].total_bytes() == UINT64_MAX);
}

TEST_CASE("nodes on this machine that cannot fit are refused, with the estimate in the message") {
  Fixture f;
  const Topology t = f.load_ok(square(100000));
  const auto m = estimate_memory(t);
  const MemoryCheck c = check_memory(t, m, MachineMemory{16 * kGiB, 12 * kGiB}, loopback_only);
  REQUIRE(c.errors.size() == 1);
  CHECK(c.errors[0].find("not enough memory: node 'nB' needs about " + format_bytes(m[1].total_bytes())) == 0);
  CHECK(c.errors[0].find("this machine has 16.0 GiB (MemTotal)") != std::string::npos);

  // Each fits, together they do not: both run here.
  const Topology small = f.load_ok(square(40000));
  const auto ms = estimate_memory(small);
  const std::uint64_t both = ms[0].total_bytes() + ms[1].total_bytes();
  const MemoryCheck together = check_memory(small, ms, MachineMemory{both - 1, both - 1}, [](std::string_view) { return true; });
  REQUIRE(together.errors.size() == 1);
  CHECK(together.errors[0].find("the nodes on this machine (nA, nB) together need") != std::string::npos);
}

TEST_CASE("more than is available now is a warning, remote nodes get one with their figure") {
  Fixture f;
  const Topology t = f.load_ok(square(40000));
  const auto m = estimate_memory(t);
  const std::uint64_t need = m[1].total_bytes();
  const MemoryCheck tight = check_memory(t, m, MachineMemory{need * 4, need / 2}, [](std::string_view) { return true; });
  CHECK(tight.errors.empty());
  REQUIRE(tight.warnings.size() == 1);
  CHECK(tight.warnings[0].find("(MemAvailable)") != std::string::npos);
  CHECK(check_memory(t, m, MachineMemory{need * 4, need * 4}, loopback_only).warnings.empty());

  const Topology remote = f.load_ok(square(100000, "10.0.0.2"));
  const auto mr = estimate_memory(remote);
  const MemoryCheck c = check_memory(remote, mr, MachineMemory{kGiB, kGiB}, loopback_only);
  CHECK(c.errors.empty());
  REQUIRE(c.warnings.size() == 1);
  CHECK(c.warnings[0].find("node 'nB' on host 10.0.0.2 needs about " + format_bytes(mr[1].total_bytes())) == 0);
}

TEST_CASE("machine memory is read from meminfo, byte counts print in binary units") {
  TempDir dir;
  dir.write("meminfo", "MemTotal:       24578324 kB\nMemFree:        1000 kB\nMemAvailable:   22000000 kB\n");
  auto m = machine_memory(dir / "meminfo");
  REQUIRE(m);
  CHECK(m->total == 24578324ULL * 1024);
  CHECK(m->available == 22000000ULL * 1024);
  CHECK_FALSE(machine_memory(dir / "missing"));
  CHECK(is_local_host("localhost"));
  CHECK(is_local_host("127.0.0.2"));
  CHECK_FALSE(is_local_host("10.1.2.3"));
  CHECK(format_bytes(900) == "900 B");
  CHECK(format_bytes(1536) == "1.5 KiB");
  CHECK(format_bytes(37 * kGiB) == "37.0 GiB");
}

}  // namespace p3p::topology::test
