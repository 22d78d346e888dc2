#!/usr/bin/env bash
# build-aux/deps.sh on a machine without apt (TAP): it installs nothing,
# names what is missing with the packages that give it on Debian, Fedora
# and Arch, and fails only when something is missing.
set -uo pipefail

deps="$1"
scratch="$(mktemp -d "${TMPDIR:-/tmp}/oppmanager-deps.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
n=0
failed=0

check ()
{
  n=$((n + 1))
  if "$@"; then
    echo "ok $n - $description"
  else
    echo "not ok $n - $description"
    failed=1
  fi
}

# A PATH with what this machine has, less apt and less what $1.. name
fake_path ()
{
  local bin="$scratch/bin-$RANDOM" cmd dir
  mkdir "$bin"
  for dir in ${PATH//:/ }; do
    [ -d "$dir" ] || continue
    for cmd in "$dir"/*; do
      [ -x "$cmd" ] || continue
      [ -e "$bin/${cmd##*/}" ] || ln -s "$cmd" "$bin/${cmd##*/}"
    done
  done
  rm -f "$bin/apt-get" "$bin/dpkg-query"
  for cmd in "$@"; do
    rm -f "$bin/$cmd"
  done
  echo "$bin"
}

run_deps ()
{
  PATH="$1" bash -c '. "$0"; om_install_deps' "$deps" 2>"$scratch/err"
}

echo "1..4"

# everything there (this machine has it all, from build-aux/deps.sh itself)
description="nothing missing: succeeds and installs nothing"
check run_deps "$(fake_path)"

# a tool missing: named, with its packages, and a failure
all_but_xdotool="$(fake_path xdotool)"
description="xdotool missing: fails"
check bash -c '! PATH="$1" bash -c ". \"\$0\"; om_install_deps" "$2" 2>/dev/null' _ "$all_but_xdotool" "$deps"
run_deps "$all_but_xdotool"
description="xdotool missing: named with the packages of each distribution"
check grep -Eq 'the command xdotool +xdotool +xdotool +xdotool' "$scratch/err"

# a library too old or missing: checked with pkg-config
mkdir "$scratch/pc"
printf 'Name: gtk4\nDescription: old\nVersion: 4.6.0\n' >"$scratch/pc/gtk4.pc"
description="GTK older than 4.8: named as gtk4>=4.8 with gtk4-devel and gtk4"
PKG_CONFIG_PATH="$scratch/pc" PKG_CONFIG_LIBDIR="$scratch/pc" run_deps "$(fake_path)"
check grep -Eq 'gtk4>=4.8 +libgtk-4-dev +gtk4-devel +gtk4' "$scratch/err"

exit $failed
