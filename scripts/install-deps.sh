#!/usr/bin/env bash
# Installs the Debian 12 packages P3P Neuron builds and tests with, skipping those already present.
# --test adds what only the tests need: python3 runs the layering and reference checks (tests/layering,
# tests/docs); promtool (package prometheus) checks the /metrics text;
# dpkg-dev and rpm build the packages, lintian and systemd (systemd-analyze) check them, man-db (man -l) renders
# the man pages; clang with its libFuzzer and sanitizer runtimes builds the fuzz targets (scripts/fuzz.sh);
# python3-pytest, -zmq, -msgpack, -numpy, -yaml and -neo test the Python client (python/tests; matplotlib, for
# its example's plot only, is left out).
set -euo pipefail
packages=(
  cmake g++ make pkg-config
  libzmq3-dev cppzmq-dev libmsgpack-cxx-dev nlohmann-json3-dev libssl-dev
  libcli11-dev libyaml-dev catch2
)
[ "${1:-}" = --test ] && packages+=(python3 prometheus dpkg-dev rpm lintian systemd man-db clang libfuzzer-14-dev
  libclang-rt-14-dev python3-pytest python3-zmq python3-msgpack python3-numpy python3-yaml python3-neo)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "missing packages: ${missing[*]}; run as root or: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
