# cmake -DBENCH=<binary> -DNAME=<expected "bench" value> -P check_bench_json.cmake
# Runs the benchmark with --quick; fails unless it exits 0 and prints exactly one line of JSON whose
# "bench" field is NAME.
execute_process(COMMAND ${BENCH} --quick RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 100)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${BENCH} --quick exited with '${rc}'\nstdout: ${out}\nstderr: ${err}")
endif()
string(REGEX REPLACE "\n$" "" line "${out}")
if(line STREQUAL "" OR line MATCHES "\n")
  message(FATAL_ERROR "${BENCH} --quick must print exactly one line, got:\n${out}")
endif()
string(JSON bench ERROR_VARIABLE json_error GET "${line}" bench)
if(json_error)
  message(FATAL_ERROR "${BENCH} --quick printed invalid JSON (${json_error}):\n${line}")
endif()
if(NOT bench STREQUAL NAME)
  message(FATAL_ERROR "expected \"bench\":\"${NAME}\", got \"${bench}\"")
endif()
message(STATUS "${line}")
