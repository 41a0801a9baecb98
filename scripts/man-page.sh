#!/usr/bin/env bash
# man-page.sh PROGRAM NAME SUMMARY OUT.gz: writes the man page (section 1, gzipped without a timestamp) of a
# CLI11 program from its own help text - `PROGRAM --help`, then `--help` of every subcommand and of theirs -
# so the page says exactly what --help says and cannot drift from it. The build runs it for p3pctl and
# p3p-node (cmake/packaging.cmake); the packages install the pages.
set -euo pipefail
[ $# -eq 4 ] || { echo "usage: $0 PROGRAM NAME SUMMARY OUT.gz" >&2; exit 2; }
program=$1 name=$2 summary=$3 out=$4

# roff: backslashes escaped, a line starting with . or ' not taken for a request.
escape() { sed -e 's/\\/\\e/g' -e 's/^\([.'"'"']\)/\\\&\1/'; }
# The names listed under "Subcommands:" in a CLI11 help text.
subcommands() { awk '/^Subcommands:/ {on = 1; next} on && /^  [a-z]/ {print $1} on && /^[^ ]/ {on = 0}'; }
# A program that names itself by argv[0] in its usage line is named by NAME instead of the build's path.
help_block() { echo ".nf"; "$program" "$@" --help | sed "s|$program|$name|g" | escape; echo ".fi"; }

page() {
  local version upper
  version=$("$program" --version | awk '{print $NF}')
  upper=$(echo "$name" | tr '[:lower:]' '[:upper:]')
  echo ".TH $upper 1 \"\" \"$name $version\" \"User Commands\""
  echo ".SH NAME"
  echo "$name \\- $summary"
  echo ".SH SYNOPSIS"
  echo ".B $name"
  echo "[OPTIONS] [COMMAND] [ARGS]"
  echo ".SH DESCRIPTION"
  help_block
  local sub subsub
  for sub in $("$program" --help | subcommands); do
    echo ".SH \"$name $sub\""
    help_block "$sub"
    for subsub in $("$program" "$sub" --help | subcommands); do
      echo ".SS \"$name $sub $subsub\""
      help_block "$sub" "$subsub"
    done
  done
  echo ".SH SEE ALSO"
  echo "The README in /usr/share/doc/p3p-neuron/."
}

page > "$out.tmp"
gzip -9n -c "$out.tmp" > "$out"
rm -f "$out.tmp"
