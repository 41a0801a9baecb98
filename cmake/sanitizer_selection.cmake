# What a sanitizer build (-DP3P_SANITIZE=ON) builds by default: what its pass runs (scripts/test.sh:
# ctest -LE no_sanitize), and nothing else, since every file costs twice as much to compile there.
#   - test executables labelled no_sanitize are left out (p3p_add_test in tests/CMakeLists.txt), with their tests;
#   - the benchmark programs of bench/ are left out, except those a test runs (p3p_test_runs in tests/);
#   - the libraries, p3p-node, p3pctl and every other test executable are built as usual.
# Included after every directory is added, so a benchmark added anywhere in bench/ is covered.
if(NOT P3P_SANITIZE)
  return()
endif()
get_property(p3p_bench_targets DIRECTORY ${PROJECT_SOURCE_DIR}/bench PROPERTY BUILDSYSTEM_TARGETS)
foreach(target IN LISTS p3p_bench_targets)
  get_target_property(type ${target} TYPE)
  if(type STREQUAL "EXECUTABLE")
    set_target_properties(${target} PROPERTIES EXCLUDE_FROM_ALL ON)
  endif()
endforeach()
