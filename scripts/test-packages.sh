#!/usr/bin/env bash
# The packages end to end, as root (scripts/test.sh runs it): build the .deb and the .rpm; lintian shows no
# tag but those packaging/README.md explains; systemd-analyze verifies the units; the .deb installs, its
# p3pctl and p3p-node run, its topology validates with the key the install made, its cluster comes up
# (without systemd), answers the installed Python client (python3 -c 'import p3p') and goes down; a reinstall keeps the key and an edited topology; remove keeps the data,
# purge deletes it; the .rpm holds the same files.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
fail() { echo "test-packages: FAILED: $*" >&2; exit 1; }
step() { echo "test-packages: $*"; }
[ "$(id -u)" -eq 0 ] || fail "must run as root (it installs the package)"
if dpkg-query -W -f='${Status}' p3p-neuron 2>/dev/null | grep -q "install ok installed"; then
  fail "p3p-neuron is already installed on this machine; this test installs and purges it"
fi

"$root/scripts/package.sh" >/dev/null
deb=$(ls "$root"/dist/p3p-neuron_*.deb)
rpm=$(ls "$root"/dist/p3p-neuron-*.rpm)
version=$(sed -n 's/^project(p3p_neuron VERSION \([0-9.]*\).*/\1/p' "$root/CMakeLists.txt")
[ "$(basename "$deb")" = "p3p-neuron_${version}_$(dpkg --print-architecture).deb" ] || fail "deb name $(basename "$deb")"
[ "$(basename "$rpm")" = "p3p-neuron-${version}.$(uname -m).rpm" ] || fail "rpm name $(basename "$rpm")"

step "lintian"
explained='bogus-mail-host|bogus-mail-host-in-debian-changelog|maintainer-script-calls-systemctl|systemd-service-file-refers-to-unusual-wantedby-target'
tags=$( (lintian "$deb" 2>/dev/null || true) | awk '$1 ~ /^[EWIP]:$/ {print $3}' | sort -u)
unexplained=$(printf '%s\n' "$tags" | grep -Ev "^($explained)?$" || true)
[ -z "$unexplained" ] || { lintian "$deb"; fail "lintian tags not explained in packaging/README.md: $unexplained"; }

step "file lists: .deb and .rpm"
diff <(dpkg -c "$deb" | awk '$1 ~ /^-/ {print $6}' | sed 's|^\./|/|' | sort) \
     <(rpm -qplv "$rpm" 2>/dev/null | awk '$1 ~ /^-/ {print $9}' | sort) || fail "the .deb and the .rpm hold different files"
rpm -qpc "$rpm" 2>/dev/null | grep -qx /etc/p3p/topology.yaml || fail "the topology is not %config in the .rpm"

step "install the .deb"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq "$deb" >/dev/null
trap 'apt-get purge -y -qq p3p-neuron >/dev/null 2>&1 || true' EXIT
for program in p3pctl p3p-node; do
  case "$($program --version)" in *"$version") ;; *) fail "$program --version: $($program --version)" ;; esac
done
getent passwd p3p >/dev/null || fail "no p3p user"
[ "$(stat -c '%a %U' /etc/p3p/cluster.key)" = "600 p3p" ] || fail "key: $(stat -c '%a %U' /etc/p3p/cluster.key)"
[ "$(stat -c '%U' /var/lib/p3p)" = p3p ] || fail "/var/lib/p3p is not p3p's"
[ -s /usr/share/bash-completion/completions/p3pctl ] || fail "no bash completion"
for program in p3pctl p3p-node; do
  [ -s "/usr/share/man/man1/$program.1.gz" ] || fail "no man page for $program"
  LC_ALL=C.UTF-8 man -l "/usr/share/man/man1/$program.1.gz" 2>&1 >/dev/null | grep . && fail "man $program warns"
  LC_ALL=C.UTF-8 man -l "/usr/share/man/man1/$program.1.gz" 2>/dev/null | grep -q "Usage: $program" || fail "man $program has no usage"
done
systemd-analyze verify /usr/lib/systemd/system/p3p-node@nodeA.service /usr/lib/systemd/system/p3p.target \
  || fail "systemd-analyze verify"
p3pctl validate /etc/p3p/topology.yaml >/dev/null || fail "the installed topology does not validate"

step "the installed cluster, without systemd"
work=$(mktemp -d)
(cd "$work" && p3pctl up /etc/p3p/topology.yaml --run-dir "$work/run" >/dev/null) || fail "p3pctl up"
status=$(p3pctl status --topology /etc/p3p/topology.yaml -o json || true)  # exit 1 unless all up: said below
python_status=$(cd "$work" && /usr/bin/python3 -c 'import p3p
assert p3p.__file__ == "/usr/lib/python3/dist-packages/p3p/__init__.py", p3p.__file__
print(p3p.Cluster("/etc/p3p/topology.yaml").status()["all_up"])' 2>&1) || true
p3pctl down /etc/p3p/topology.yaml --run-dir "$work/run" >/dev/null
echo "$status" | grep -q '"all_up":true' || fail "status after up: $status"
[ "$python_status" = True ] || fail "the installed Python client (import p3p; Cluster(...).status()): $python_status"
[ -s /var/lib/p3p/metrics_dump_core.json ] || fail "no metrics dump in /var/lib/p3p after down"

step "reinstall keeps the key and an edited topology"
key=$(sha256sum /etc/p3p/cluster.key)
echo "# edited by the operator" >> /etc/p3p/topology.yaml
apt-get install -y -qq --reinstall -o Dpkg::Options::=--force-confold "$deb" >/dev/null
[ "$(sha256sum /etc/p3p/cluster.key)" = "$key" ] || fail "the key changed on reinstall"
grep -q "edited by the operator" /etc/p3p/topology.yaml || fail "the edited topology was replaced"

step "remove keeps the data, purge deletes it"
apt-get remove -y -qq p3p-neuron >/dev/null
[ ! -e /usr/bin/p3pctl ] || fail "p3pctl still installed after remove"
[ -e /etc/p3p/cluster.key ] && [ -d /var/lib/p3p ] || fail "remove deleted the data"
apt-get purge -y -qq p3p-neuron >/dev/null
[ ! -e /etc/p3p/cluster.key ] && [ ! -e /var/lib/p3p ] || fail "purge left the data"
rm -rf "$work"
step "ok"
