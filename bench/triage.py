#!/usr/bin/env python3
"""triage.py - how much faster fast triage (tools/macchk-triage's default)
is than a full dissection, on the mixed benchmark capture (tests/flood_gen.py
mixed, deterministic; made once into the work folder, as bench.py does).

Rows, each run --reps times, interleaved, medians of wall and CPU time and
of peak RSS (tshark as uid 65534 when root, plugin in a private HOME):
  plain        tshark -n -r F                     (summary lines to /dev/null)
  full         tshark -n -q -r F -z macchk,report,json          (macchk-triage --full)
  fast         the same with fast triage's --disable-protocol list  (macchk-triage)
  triage-full  macchk-triage --full F (the whole script: its setup and tshark's start too)
  triage       macchk-triage F
and whether full and fast print the same report (they must).

    python3 bench/triage.py --plugin build/macchk.so [--frames 1000000] [--reps 3]
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests"))
sys.path.insert(0, HERE)
from bench import benchmark_capture, machine, run_once  # noqa: E402
from macchk_harness import Tshark  # noqa: E402

TRIAGE = os.path.join(HERE, "..", "tools", "macchk-triage")


def script_once(args):
    """(wall seconds, cpu seconds of the script and its children, 0)"""
    before = os.times()
    start = time.perf_counter()
    subprocess.run([sys.executable, TRIAGE] + args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = os.times()
    return wall, after.children_user + after.children_system - before.children_user - before.children_system, 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--plugin", required=True)
    parser.add_argument("--work", default="/var/tmp/macchk-bench", help="where the capture is made and kept")
    parser.add_argument("--frames", type=int, default=1_000_000)
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()

    capture = benchmark_capture(args.work, args.frames)

    plugin = os.path.abspath(args.plugin)
    disabled = subprocess.run([sys.executable, TRIAGE, "--plugin", plugin, "--list-disabled"], capture_output=True,
                              text=True, check=True).stdout.split()
    fast_args = sum((["--disable-protocol", p] for p in disabled), [])
    report = ["-n", "-q", "-r", capture, "-z", "macchk,report,json"]
    ts = Tshark(plugin)
    try:
        same = ts.run(report).stdout == ts.run(report + fast_args).stdout
        rows = [("plain", lambda: run_once(ts, ["-n", "-r", capture])),
                ("full", lambda: run_once(ts, report)),
                ("fast", lambda: run_once(ts, report + fast_args)),
                ("triage-full", lambda: script_once(["--plugin", plugin, "--full", capture])),
                ("triage", lambda: script_once(["--plugin", plugin, capture]))]
        info = machine()
        print("bench/triage.py: %s, %d frames, %d protocols disabled, %d reps" % (
            os.path.basename(capture), args.frames, len(disabled), args.reps))
        print("machine: %s, %d cores, %.1f GiB, %s, load %.2f" % (
            info["cpu"], info["cores"], info["ram_gib"], info["tshark"], info["load_before"][0]), flush=True)
        times = {name: [] for name, _ in rows}
        for _ in range(args.reps):
            for name, run in rows:
                times[name].append(run())
        median = {name: [statistics.median(t[i] for t in times[name]) for i in range(3)] for name in times}
        print("%-12s %9s %9s %10s %14s %14s" % ("row", "wall s", "cpu s", "peak MiB", "plain/row wall",
                                               "full/row wall"))
        for name, _ in rows:
            wall, cpu, rss = median[name]
            print("%-12s %9.2f %9.2f %10s %14.2f %14.2f" % (
                name, wall, cpu, "%.0f" % (rss / 2**20) if rss else "-", median["plain"][0] / wall,
                median["full" if not name.startswith("triage") else "triage-full"][0] / wall))
        print("fast and full reports identical: %s" % ("yes" if same else "NO"))
        return 0 if same else 1
    finally:
        ts.close()


if __name__ == "__main__":
    sys.exit(main())
