#!/bin/bash
# tests/fuzz.sh [--long] [--build-dir DIR] [--plugin SO] [fuzz.py options...]
#
# Build macchk with AddressSanitizer + UndefinedBehaviorSanitizer
# (cmake -DMACCHK_SANITIZE=ON, in its own build folder) and run
# tests/fuzz.py: tshark, as uid 65534 with gcc's libasan and libubsan
# preloaded, over the bundled captures mutated with editcap -E, the real
# captures beside the checkout (../shared/captures-real, when there),
# randpkt output and structured random ARP; -nr, -nVxr, one pass and -2.
# Fails on any sanitizer report, crash, timeout or macchk dissector bug.
#
#   (default)   smoke run, about a minute on 2 cores (the ctest entry)
#   --long      the long run, by hand (tens of minutes)
#   --build-dir DIR   where the sanitizer build goes (default build-asan/)
#   --plugin SO       use this sanitizer build of macchk.so instead of building
#   --seed N, --jobs N, --work DIR, --keep DIR, --timeout S: see fuzz.py --help
#
# Failing inputs are kept (WORK/failures, or --keep DIR) with a README.txt
# telling how to replay them; add them to captures/regressions/.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=$ROOT/build-asan
PLUGIN=""
ARGS=()
while [ $# -gt 0 ]; do
    case $1 in
        --build-dir) BUILD=$2; shift 2 ;;
        --plugin) PLUGIN=$2; shift 2 ;;
        -h|--help) sed -n '2,20s/^# \{0,1\}//p' "$0"; exit 0 ;;
        *) ARGS+=("$1"); shift ;;
    esac
done

for tool in tshark editcap mergecap randpkt capinfos gcc cmake; do
    command -v "$tool" >/dev/null || { echo "fuzz.sh: $tool is missing" >&2; exit 2; }
done

if [ -z "$PLUGIN" ]; then
    echo "fuzz.sh: building the sanitizer plugin in $BUILD"
    cmake -S "$ROOT" -B "$BUILD" -DMACCHK_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    cmake --build "$BUILD" --target macchk -j"$(nproc)" >/dev/null
    PLUGIN=$BUILD/macchk.so
fi
[ -f "$PLUGIN" ] || { echo "fuzz.sh: $PLUGIN not found" >&2; exit 2; }
if ! nm -D "$PLUGIN" 2>/dev/null | grep -c __asan_init >/dev/null; then
    echo "fuzz.sh: $PLUGIN is not an AddressSanitizer build (cmake -DMACCHK_SANITIZE=ON)" >&2
    exit 2
fi

REAL=$ROOT/../shared/captures-real
exec python3 "$ROOT/tests/fuzz.py" --plugin "$PLUGIN" --captures "$ROOT/captures" --real "$REAL" "${ARGS[@]}"
