#!/bin/bash
# bench/profile.sh [--modes r,Y,V,2Y,report] [--frames N] [--top N]
#
# Callgrind instruction counts of tshark with and without macchk on a
# 50k-frame mixed capture, and macchk's most expensive functions
# (bench/profile.py).  Instruction counts repeat from run to run (to a few
# thousand: Wireshark's hash seeds are fixed, see profile.py), so this is
# the tool when bench/run.sh misses a target on a noisy machine.
# A few minutes per mode.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
command -v valgrind >/dev/null || { echo "profile.sh: valgrind is not installed" >&2; exit 2; }
cmake -S "$ROOT" -B "$ROOT/build-bench" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMACCHK_SANITIZE=OFF >/dev/null
cmake --build "$ROOT/build-bench" --target macchk -j"$(nproc)" >/dev/null
exec python3 "$ROOT/bench/profile.py" --plugin "$ROOT/build-bench/macchk.so" "$@"
