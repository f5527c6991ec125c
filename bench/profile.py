#!/usr/bin/env python3
"""profile.py - where macchk's time goes: callgrind instruction counts
(repeatable, unlike wall time on a shared machine) of tshark with and
without the plugin on a 50k-frame mixed capture, and the plugin's own
functions, self and inclusive.  Normally started by bench/profile.sh.

For each mode (-r, -Y macchk.invalid, -V by default) prints the total
instructions with and without the plugin, their ratio, the ratio per frame
(start-up taken out: each command is also counted on the capture's first
frame alone; on 50k frames start-up is a fifth of a plain -r run, on 1M
frames nothing), and the macchk functions with the most inclusive
instructions (share of the whole run).  The callgrind files stay in the
work folder for callgrind_annotate or kcachegrind.

Wireshark's hash maps (wmem_map) seed their hash from g_random_int(), so
collisions, and with them the counts, change from run to run (by 2% of a
-V run, seen).  tshark runs here with a preloaded g_random_int that always
returns the same number: the counts then repeat to a few thousand.
"""
import argparse
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests"))
from macchk_harness import Tshark  # noqa: E402
from bench import benchmark_capture  # noqa: E402

MODES = {
    "r": ["-n"],
    "Y": ["-n", "-Y", "macchk.invalid"],
    "V": ["-n", "-V"],
    "2Y": ["-2", "-n", "-Y", "macchk.invalid"],
    "report": ["-n", "-q", "-z", "macchk,report"],
}
BASELINE = {"r": ["-n"], "Y": ["-n", "-Y", "macchk.invalid", "--disable-protocol", "macchk"],
            "V": ["-n", "-V"], "2Y": ["-2", "-n", "-Y", "macchk.invalid", "--disable-protocol", "macchk"],
            "report": ["-n", "-q"]}
LINE = re.compile(r"^\s*([\d,]+)\s+\(\s*([\d.]+)%\)\s+(\S.*)$")


SEED_SOURCE = """/* profile.py: the same hash seeds in every run */
unsigned int g_random_int(void) { return 0x9e3779b1u; }
"""


def fixed_seed_preload(work):
    source, lib = os.path.join(work, "fixed-seed.c"), os.path.join(work, "fixed-seed.so")
    with open(source, "w") as f:
        f.write(SEED_SOURCE)
    subprocess.run(["cc", "-O2", "-shared", "-fPIC", "-o", lib, source], check=True)
    os.chmod(lib, 0o755)
    return lib


def first_frame(capture, work):
    """The capture's first frame alone (classic pcap): what start-up costs."""
    path = os.path.join(work, "first-frame.pcap")
    with open(capture, "rb") as f:
        header, record = f.read(24), f.read(16)
        little = header[:4] == b"\xd4\xc3\xb2\xa1"
        length = int.from_bytes(record[8:12], "little" if little else "big")
        data = f.read(length)
    with open(path, "wb") as f:
        f.write(header + record + data)
    os.chmod(path, 0o644)
    return path


def callgrind(ts, args, out):
    if os.path.exists(out):
        os.unlink(out)
    cmd = ts.prefix + ["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out, "tshark"] + args
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=ts.env, cwd=ts.root)
    if proc.returncode != 0:
        raise RuntimeError("callgrind failed: " + proc.stderr[-1500:])
    total = re.search(r"Collected : (\d+)", proc.stderr)
    return int(total.group(1)) if total else None


def annotate(out, inclusive):
    text = subprocess.run(["callgrind_annotate", "--inclusive=%s" % ("yes" if inclusive else "no"),
                           "--threshold=100", out], capture_output=True, text=True, check=True).stdout
    rows = []
    for line in text.splitlines():
        m = LINE.match(line)
        if m and ("macchk" in m.group(3)):
            rows.append((int(m.group(1).replace(",", "")), m.group(3)))
    return rows


def short(name):
    # "/path/packet-macchk.c:dissect_macchk [/path/macchk.so]" -> "dissect_macchk"
    # (inlined copies show as "???:fn"; all count as fn)
    name = re.sub(r"\s*\[.*\]$", "", name)
    return name.rsplit(":", 1)[-1]


def by_function(rows):
    """Highest count per function name, sorted."""
    best = {}
    for ir, name in rows:
        fn = short(name)
        best[fn] = max(best.get(fn, 0), ir)
    return sorted(((ir, fn) for fn, ir in best.items()), reverse=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--plugin", required=True)
    parser.add_argument("--work", default="/var/tmp/macchk-bench")
    parser.add_argument("--frames", type=int, default=50_000)
    parser.add_argument("--modes", default="r,Y,V")
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()

    capture = benchmark_capture(args.work, args.frames, mode=0o777)
    start_capture = first_frame(capture, args.work)
    preload = fixed_seed_preload(args.work)
    with_plugin = Tshark(args.plugin)
    without = Tshark(args.plugin)
    for ts in (with_plugin, without):
        ts.env["LD_PRELOAD"] = preload
    for folder, _, files in os.walk(without.root):
        for name in files:
            if name == "macchk.so":
                os.unlink(os.path.join(folder, name))
    try:
        for mode in args.modes.split(","):
            base_ts = with_plugin if "--disable-protocol" in BASELINE[mode] else without
            out_with = os.path.join(args.work, "callgrind.%s.with" % mode)
            out_without = os.path.join(args.work, "callgrind.%s.without" % mode)
            total_with = callgrind(with_plugin, MODES[mode] + ["-r", capture], out_with)
            total_without = callgrind(base_ts, BASELINE[mode] + ["-r", capture], out_without)
            start_with = callgrind(with_plugin, MODES[mode] + ["-r", start_capture], out_with + ".start")
            start_without = callgrind(base_ts, BASELINE[mode] + ["-r", start_capture], out_without + ".start")
            per_with = (total_with - start_with) / (args.frames - 1)
            per_without = (total_without - start_without) / (args.frames - 1)
            print("== %s: tshark %s" % (mode, " ".join(MODES[mode])))
            print("   instructions: %s with, %s without%s: ratio %.3f" % (
                format(total_with, ","), format(total_without, ","),
                " (plugin disabled)" if base_ts is with_plugin else " (no plugin)", total_with / total_without))
            print("   start-up: %s with, %s without; per frame after it: %.0f with, %.0f without: "
                  "ratio %.4f, +%.0f per frame" % (format(start_with, ","), format(start_without, ","),
                                                   per_with, per_without, per_with / per_without,
                                                   per_with - per_without))
            incl = by_function(annotate(out_with, True))
            self_ = dict((fn, ir) for ir, fn in by_function(annotate(out_with, False)))
            print("   %14s %7s %14s %7s  %s" % ("inclusive Ir", "of run", "self Ir", "of run", "function"))
            for ir, name in incl[:args.top]:
                s = self_.get(name, 0)
                print("   %14s %6.2f%% %14s %6.2f%%  %s" % (format(ir, ","), 100.0 * ir / total_with, format(s, ","),
                                                           100.0 * s / total_with, name))
    finally:
        with_plugin.close()
        without.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
