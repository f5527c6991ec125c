#!/usr/bin/env python3
"""memory_bound.py - macchk's extra memory on an ARP flood stays under what
its table cap allows.

A flood (flood_gen.py flood) gives every frame a new source MAC and a new
ARP sender IP, and nine frames in ten are requests for a new (sender,
target) pair: every frame asks for a new binding and most for a new
exchange, the worst case for the tracker.  tshark reads it (summary lines to
/dev/null) as uid 65534 when root, and its peak RSS (getrusage of the child)
is measured:

    without  the same tshark, HOME without the plugin
    default  with the plugin, default table cap (1048576)
    cap      with the plugin, -o macchk.table_cap:CAP (default 10000)
    report   the same with -q -z macchk,report (the triage report drawn too)

one pass (-r) and two passes (-2).  extra = RSS(plugin) - RSS(without).

The bound for the capped runs, from the sizes macchk_track.h/.c document
(each table holds at most CAP entries):
    records   CAP bindings x 40 B + CAP exchanges x 56 B (pools of 128)
    indexes   4 hash tables of 24-byte slots, at most pow2(CAP*4/3) each;
              counted twice (every smaller generation a table grew through)
    frames    a 32-byte record per frame that created or extended an entry:
              at most 3*CAP in this flood (each entry is created once and a
              reply extends at most one exchange), 32 B x 3 x CAP
    per ARP frame, whatever the cap (Wireshark's proto data that finds the
    frame's record again, the price of "the same answer on every visit"):
    a 16-byte proto_data_t + 8 B wmem chunk header in the file scope, and a
    16-byte GSList node (kept: tshark's one-pass loop never frees a frame's
    list either), 40 B
    dropped-pair filter 8 KiB
  x 1.5 for allocator rounding and fragmentation, + 4 MiB for the plugin
  itself, its registration and page-granular RSS.
The report (macchk_report.h, README's memory section) adds at most, each
table being capped at CAP: a host record (32 B, 48 with growth slack, plus
index) per host, a group record (56 B, 84 with slack, plus index) per
group in each of its three problem tables, a pending frame (40 B), and
while drawing a copy of each binding with its sort index (40 B) and a
problem record (40 B) per group: REPORT_PER_CAP bytes x CAP, with the same
slack factor.
Asserted: extra(cap) <= bound(cap), one pass and -2, the report too; and the default-cap
run needs more than the capped one (the cap is what limits it).  The
default-cap run's extra is reported against its own bound (1M entries).

Prints "memory_bound: N passed, N failed".
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from macchk_harness import Results, Tshark  # noqa: E402
import flood_gen  # noqa: E402

DEFAULT_CAP = 1 << 20
BINDING, EXCHANGE, SLOT, FRAME_RECORD = 48, 72, 24, 56
PROTO_DATA = 16 + 8 + 16
DROPPED_PAIRS = 8192
REPORT_HOST, REPORT_GROUP, REPORT_PENDING, REPORT_BINDING, REPORT_PROBLEM = 48 + 11, 84 + 11, 40, 40, 40
REPORT_PER_CAP = REPORT_HOST + 3 * (REPORT_GROUP + REPORT_PROBLEM) + REPORT_PENDING + REPORT_BINDING
SLACK_FACTOR, SLACK_BYTES = 1.5, 4 << 20


def pow2_capacity(keys):
    """Slots a table holding keys entries grows to (load <= 3/4, start 16)."""
    cap = 16
    while keys * 4 > cap * 3:
        cap *= 2
    return cap


def bound(cap, frames, two_pass, report=False):
    """Most extra bytes the plugin may use on the flood with table cap cap (and the report)."""
    entries = min(cap, frames)
    if report:
        return bound(cap, frames, two_pass) + int(min(cap, frames) * REPORT_PER_CAP * SLACK_FACTOR)
    records = entries * BINDING + entries * EXCHANGE
    indexes = 4 * 2 * SLOT * pow2_capacity(entries)
    frame_records = FRAME_RECORD * min(frames, 3 * entries)
    per_frame = frames * PROTO_DATA
    return int((records + indexes + frame_records + per_frame + DROPPED_PAIRS) * SLACK_FACTOR) + SLACK_BYTES


def peak_rss(ts, args):
    """Run tshark; (peak RSS in bytes, seconds)."""
    start = time.time()
    with open(os.devnull, "w") as null:
        proc = subprocess.Popen(ts.prefix + ["tshark"] + args, stdout=null, stderr=subprocess.PIPE,
                                env=ts.env, cwd=ts.root)
        _, status, usage = os.wait4(proc.pid, 0)
        err = proc.stderr.read().decode(errors="replace")
        proc.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise RuntimeError("tshark %s failed (%d): %s" % (" ".join(args), code, err.strip()[:1000]))
    return usage.ru_maxrss * 1024, time.time() - start


def remove_plugin(ts):
    """The same private tshark setup, without macchk.so."""
    for folder, _, files in os.walk(ts.root):
        for name in files:
            if name == "macchk.so":
                os.unlink(os.path.join(folder, name))


def mib(n):
    return "%.1f MiB" % (n / 1048576.0)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--plugin", required=True)
    parser.add_argument("--frames", type=int, default=100_000)
    parser.add_argument("--cap", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=1, help="runs per configuration; the smallest peak counts")
    parser.add_argument("--capture", help="use this flood instead of generating one")
    args = parser.parse_args()

    symbols = subprocess.run(["nm", "-D", args.plugin], capture_output=True, text=True).stdout
    if "__asan_init" in symbols:
        print("memory_bound: %s is a sanitizer build (its memory is not the plugin's): skipped" % args.plugin)
        return 77
    start = time.time()
    work = tempfile.mkdtemp(prefix="macchk-membound-")
    os.chmod(work, 0o755)
    capture = args.capture
    if not capture:
        capture = os.path.join(work, "flood.pcap")
        flood_gen.gen_flood(capture, args.frames, 1)
        os.chmod(capture, 0o644)
    frames = args.frames
    with_plugin = Tshark(args.plugin)
    without = Tshark(args.plugin)
    remove_plugin(without)

    results = Results()
    rows = []
    try:
        # the plugin is there in one and not in the other
        def has_macchk(ts):
            out = ts.run(["-G", "protocols"], check=True).stdout
            # "name, short name, filter name" (4.0); later versions add columns
            return any("macchk" in line.split("\t")[1:] for line in out.splitlines())
        results.check(has_macchk(with_plugin), "the plugin does not load")
        results.check(not has_macchk(without), "the plugin loads without being installed")

        measured = {}
        for two_pass in (False, True):
            base = ["-n", "-r", capture] + (["-2"] if two_pass else [])
            configs = [("without", without, []), ("default", with_plugin, []),
                       ("cap", with_plugin, ["-o", "macchk.table_cap:%d" % args.cap]),
                       ("report", with_plugin, ["-o", "macchk.table_cap:%d" % args.cap, "-q", "-z", "macchk,report"])]
            for name, ts, extra in configs:
                best, secs = None, 0.0
                for _ in range(max(1, args.runs)):
                    rss, s = peak_rss(ts, base + extra)
                    best = rss if best is None else min(best, rss)
                    secs += s
                measured[(two_pass, name)] = best
                rows.append((two_pass, name, best, secs / max(1, args.runs)))

        passes = {False: "one pass", True: "-2"}
        print("memory_bound: %d-frame flood, table_cap %d vs default %d" % (frames, args.cap, DEFAULT_CAP))
        print("  %-9s %-8s %12s %12s %12s %8s" % ("passes", "config", "peak RSS", "extra", "bound", "time"))
        for two_pass, name, rss, secs in rows:
            base = measured[(two_pass, "without")]
            extra = rss - base
            b = {"without": None, "default": bound(DEFAULT_CAP, frames, two_pass),
                 "cap": bound(args.cap, frames, two_pass),
                 "report": bound(args.cap, frames, two_pass, report=True)}[name]
            print("  %-9s %-8s %12s %12s %12s %7.1fs" % (passes[two_pass], name, mib(rss),
                                                         mib(extra) if name != "without" else "",
                                                         mib(b) if b else "", secs))
        for two_pass in (False, True):
            base = measured[(two_pass, "without")]
            extra_cap = measured[(two_pass, "cap")] - base
            extra_default = measured[(two_pass, "default")] - base
            extra_report = measured[(two_pass, "report")] - base
            results.check(extra_report <= bound(args.cap, frames, two_pass, report=True),
                          "%s: extra memory with the report and table_cap %d is %s, over the bound %s" % (
                              passes[two_pass], args.cap, mib(extra_report),
                              mib(bound(args.cap, frames, two_pass, report=True))))
            results.check(extra_cap <= bound(args.cap, frames, two_pass),
                          "%s: extra memory with table_cap %d is %s, over the bound %s" % (
                              passes[two_pass], args.cap, mib(extra_cap), mib(bound(args.cap, frames, two_pass))))
            results.check(extra_default <= bound(DEFAULT_CAP, frames, two_pass),
                          "%s: extra memory with the default cap is %s, over the bound %s" % (
                              passes[two_pass], mib(extra_default), mib(bound(DEFAULT_CAP, frames, two_pass))))
            if frames > 2 * args.cap:
                results.check(extra_default > extra_cap,
                              "%s: the default cap (%s extra) needs no more than table_cap %d (%s): is the cap "
                              "doing anything?" % (passes[two_pass], mib(extra_default), args.cap, mib(extra_cap)))
        print("memory_bound: %.0f s" % (time.time() - start))
    finally:
        with_plugin.close()
        without.close()
        shutil.rmtree(work, ignore_errors=True)
    return results.close("memory_bound")


if __name__ == "__main__":
    sys.exit(main())
