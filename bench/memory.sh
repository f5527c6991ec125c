#!/bin/bash
# bench/memory.sh [--frames N] [--cap N] [--runs N]
#
# tests/memory_bound.py on a 1M-frame ARP flood (the CI test uses 100k):
# peak RSS of tshark with and without macchk, default table cap and
# -o macchk.table_cap:10000, one pass and -2, against the bound derived from
# macchk_track.h's sizes.  About a minute.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cmake -S "$ROOT" -B "$ROOT/build-bench" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMACCHK_SANITIZE=OFF >/dev/null
cmake --build "$ROOT/build-bench" --target macchk -j"$(nproc)" >/dev/null
exec python3 "$ROOT/tests/memory_bound.py" --plugin "$ROOT/build-bench/macchk.so" --frames 1000000 "$@"
