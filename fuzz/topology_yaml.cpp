// A topology file's text (topology/loader.hpp load_string), as `p3pctl validate` and every node read it.
// The loader promises never to throw whatever the text holds, and to return errors with their position.
#include "fuzz/fuzz_input.hpp"
#include "topology/loader.hpp"
#include "topology/summary.hpp"

using namespace p3p;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  topology::LoadOptions options;
  options.check_key_file = false;  // no file system look-ups: the same input gives the same result
  const auto t = topology::load_string(fuzz::text(data, size), "fuzz.yaml", "/nonexistent", options);
  if (!t) {
    fuzz::require(!t.error().empty(), "a failed load with no error");
    (void)topology::to_string(t.error());
    return 0;
  }
  (void)topology::format_summary(topology::summary(*t));  // what `p3pctl validate` prints next
  return 0;
}
