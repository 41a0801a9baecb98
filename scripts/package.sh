#!/usr/bin/env bash
# Builds the packages: dist/p3p-neuron_<version>_<arch>.deb and dist/p3p-neuron-<version>.<arch>.rpm, from
# the Release build in BUILD_DIR (default build/, built first if needed) installed under /usr. Needs
# dpkg-dev (dpkg-shlibdeps) and rpm (rpmbuild): scripts/install-deps.sh --test installs them.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
BUILD_DIR="$build" "$root/scripts/build.sh"
rm -rf "$root/dist"
mkdir -p "$root/dist"
log="$build/cpack.log"
(cd "$build" && cpack -G DEB -B "$root/dist" && cpack -G RPM -B "$root/dist") >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
rm -rf "$root/dist/_CPack_Packages"
ls "$root"/dist/*.deb "$root"/dist/*.rpm
