# ctest: the p3pctl binary (BINARY) defines no symbol of the server's libraries - engine (p3p::cortex),
# persistence, node runtime, topology-to-engine (p3p::mesocortex), p3p-node's subcommands (p3p::node) and
# the bench's engine side (p3p::bench: the workload's network and runner), the experiments and the cluster
# driver (p3p::experiments, p3p::driver) - so it links none of them. `nm -C
# --defined-only` lists what the binary holds; a static library's object linked in shows up there.
if(NOT BINARY OR NOT EXISTS "${BINARY}")
  message(FATAL_ERROR "no binary to check: '${BINARY}'")
endif()
execute_process(COMMAND nm -C --defined-only "${BINARY}" OUTPUT_VARIABLE symbols RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "nm failed on ${BINARY} (${rc})")
endif()
# A binary with no p3p symbol at all would pass for the wrong reason (stripped, say): require the client's.
if(NOT symbols MATCHES "p3p::control::NodeClient::")
  message(FATAL_ERROR "${BINARY} holds no p3p::control::NodeClient symbol: is it stripped? The check needs symbols")
endif()
string(REGEX MATCHALL "[^\n]*p3p::(cortex|persistence|runtime|mesocortex|node|bench|experiments|driver)::[^\n]*" server "${symbols}")
list(LENGTH server count)
if(count GREATER 0)
  list(SUBLIST server 0 10 some)
  list(JOIN some "\n  " shown)
  message(FATAL_ERROR "${BINARY} holds ${count} server symbols, e.g.\n  ${shown}")
endif()
message(STATUS "${BINARY}: no engine, persistence or runtime symbol")
