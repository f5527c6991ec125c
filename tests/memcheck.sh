#!/bin/bash
# tests/memcheck.sh [--plugin SO | --build-dir DIR] [--long] [--track-origins] [--work DIR]
#
# tshark with macchk under valgrind memcheck (tests/memcheck.py): the bundled
# captures and generated ones (random ARP with a tiny table cap, mixed
# traffic, a flood that fills the tables), one pass and -2, with and without
# a tree.  Exits non-zero on any invalid read/write, uninitialised value, bad
# free or leak whose stack is in the plugin; other findings (tshark's own)
# are shown, not failed.  About a minute; exit 77 (skipped) without valgrind.
#
#   --plugin SO       macchk.so to check (not a sanitizer build)
#   --build-dir DIR   build it there first (default build-memcheck/)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=$ROOT/build-memcheck
PLUGIN=""
ARGS=()
while [ $# -gt 0 ]; do
    case $1 in
        --build-dir) BUILD=$2; shift 2 ;;
        --plugin) PLUGIN=$2; shift 2 ;;
        -h|--help) sed -n '2,13s/^# \{0,1\}//p' "$0"; exit 0 ;;
        *) ARGS+=("$1"); shift ;;
    esac
done

if ! command -v valgrind >/dev/null; then
    echo "memcheck.sh: valgrind is not installed (apt-get install valgrind): skipped"
    exit 77
fi
if [ -z "$PLUGIN" ]; then
    echo "memcheck.sh: building macchk in $BUILD"
    cmake -S "$ROOT" -B "$BUILD" -DMACCHK_SANITIZE=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    cmake --build "$BUILD" --target macchk -j"$(nproc)" >/dev/null
    PLUGIN=$BUILD/macchk.so
fi
[ -f "$PLUGIN" ] || { echo "memcheck.sh: $PLUGIN not found" >&2; exit 2; }
if nm -D "$PLUGIN" 2>/dev/null | grep -c __asan_init >/dev/null; then
    echo "memcheck.sh: $PLUGIN is a sanitizer build; valgrind needs a plain one: skipped"
    exit 77
fi
exec python3 "$ROOT/tests/memcheck.py" --plugin "$PLUGIN" --captures "$ROOT/captures" "${ARGS[@]}"
