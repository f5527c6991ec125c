#!/bin/bash
# bench/run.sh [--reps N] [--frames N] [--only r,Y,2Y,V,report] [--plugin SO] [--json FILE]
#
# What macchk costs tshark (bench/bench.py): builds the plugin as users do
# (RelWithDebInfo, in build-bench/), makes a deterministic 1M-frame mixed
# capture in /var/tmp/macchk-bench (once), and prints the ratios of wall
# time, CPU time and peak RSS with the plugin over without it for -r,
# -Y macchk.invalid, -2 -Y macchk.invalid, -V and -q -z macchk,report.
# Sequential runs, alternating with/without, median of --reps (default 5).
# About 20 minutes on 2 cores.  Not a test: it fails only if tshark does.
#
# bench/memory.sh: the 1M-frame ARP flood memory check.
# bench/profile.sh: instruction counts of macchk's functions (callgrind).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PLUGIN=""
ARGS=()
while [ $# -gt 0 ]; do
    case $1 in
        --plugin) PLUGIN=$2; shift 2 ;;
        -h|--help) sed -n '2,13s/^# \{0,1\}//p' "$0"; exit 0 ;;
        *) ARGS+=("$1"); shift ;;
    esac
done
if [ -z "$PLUGIN" ]; then
    cmake -S "$ROOT" -B "$ROOT/build-bench" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMACCHK_SANITIZE=OFF >/dev/null
    cmake --build "$ROOT/build-bench" --target macchk -j"$(nproc)" >/dev/null
    PLUGIN=$ROOT/build-bench/macchk.so
fi
exec python3 "$ROOT/bench/bench.py" --plugin "$PLUGIN" "${ARGS[@]}"
