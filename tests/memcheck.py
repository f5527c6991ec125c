#!/usr/bin/env python3
"""memcheck.py - tshark with macchk under valgrind memcheck: no invalid
reads or writes, no uninitialised values, no bad frees and no leaks in the
plugin.  Normally started by tests/memcheck.sh.

Captures (written into a work folder):
  bundled   every bundled capture, concatenated:     -2 -nVxr
  fuzz      flood_gen.py fuzz, 3000 frames, seed 5:   -2 -nVxr, tiny table cap
  mixed     flood_gen.py mixed, 5000 frames:         -2 -nr (and -q -z macchk,report
                                                     -z macchk,tree when the plugin has them)
  flood     flood_gen.py flood, 20000 frames:         -nr, table cap 1000 (cap reached)
  (--long: ten times the frames)

tshark runs as uid 65534 (when root) with the plugin in a private HOME, with
WIRESHARK_DEBUG_WMEM_OVERRIDE=simple and G_SLICE=always-malloc so that every
wmem and GLib allocation is a malloc valgrind can see.  An error or a
definite/indirect/possible leak is the plugin's when a frame of its stack is
in macchk.so (or in a macchk*.c / packet-macchk.c source file); those fail
the run.  Errors and leaks elsewhere (tshark's own) are counted and shown,
not failed.  "Still reachable" memory is not a leak (registration data).
Not failed either, only counted: memory handed to Wireshark (allocated by
stats_tree_* or registration functions on the plugin's behalf), and the data
of -z listeners allocated while tshark starts them: tshark 4.0 never calls
a listener's finish callback (tap_cleanup just drops the listeners), so every
tap with a finish callback leaks it at exit, stock ones included.
valgrind runs with --keep-debuginfo=yes: tshark unloads plugins before the
leak check, and the plugin's frames would otherwise show as "???".

Prints "memcheck: N passed, N failed" at the end (one check per run, plus
one per finding of ours).
"""
import argparse
import collections
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from macchk_harness import Results, Tshark  # noqa: E402
import flood_gen  # noqa: E402

OUR_FILE = re.compile(r"^(packet-)?macchk[\w-]*\.[ch]$")
# Memory these Wireshark functions allocate belongs to Wireshark even when
# the plugin called them: tshark never frees its statistics trees (the stock
# stats_tree plugins "leak" the same way) nor registration data.
WIRESHARK_OWNED = re.compile(r"^(stats_tree_|proto_register_|expert_register_|prefs_register_|register_|"
                             r"uat_new|create_dissector_handle|dissector_add_|find_dissector)")
LEAK_KINDS = ("Leak_DefinitelyLost", "Leak_IndirectlyLost", "Leak_PossiblyLost")


def log(msg):
    print(msg, flush=True)


def is_ours(frame):
    obj = os.path.basename(frame.findtext("obj") or "")
    src = frame.findtext("file") or ""
    return obj == "macchk.so" or bool(OUR_FILE.match(src))


def describe(err):
    lines = ["%s: %s" % (err.findtext("kind"), err.findtext("what") or err.findtext("xwhat/text") or "")]
    for stack in err.findall("stack"):
        for frame in stack.findall("frame")[:14]:
            where = frame.findtext("file")
            where = "%s:%s" % (where, frame.findtext("line")) if where else os.path.basename(
                frame.findtext("obj") or "?")
            lines.append("    %s (%s)" % (frame.findtext("fn") or "?", where))
        lines.append("   --")
    return "\n".join(lines)


def analyse(xml_path):
    """(our errors, counts of other errors by kind, tap-lifetime leaks of ours)"""
    ours, others, tap_lifetime = [], collections.Counter(), []
    root = ET.parse(xml_path).getroot()
    for err in root.findall("error"):
        kind = err.findtext("kind") or "?"
        if kind.startswith("Leak_") and kind not in LEAK_KINDS:
            continue
        frames = [f for stack in err.findall("stack") for f in stack.findall("frame")]
        if kind in LEAK_KINDS:
            # walk from the allocator outwards: a Wireshark-owned allocator
            # before any frame of ours makes it Wireshark's memory
            for f in frames:
                if is_ours(f):
                    break
                if WIRESHARK_OWNED.match(f.findtext("fn") or ""):
                    frames = []
                    break
        if not any(is_ours(f) for f in frames):
            others[kind] += 1
        elif kind in LEAK_KINDS and any(f.findtext("fn") == "plugin_if_get_capture_file" for f in frames[:4]):
            # Wireshark's plugin_if copies a key and never frees it when no
            # GUI answers (tshark): the GUI check asks once per file
            tap_lifetime.append(describe(err))
        elif kind in LEAK_KINDS and any(f.findtext("fn") == "start_requested_stats" for f in frames):
            # allocated while starting a -z statistic: the listener's data,
            # freed by its finish callback, which tshark 4.0 never calls
            # (tap_cleanup drops the listeners; stock taps leak the same)
            tap_lifetime.append(describe(err))
        else:
            ours.append(describe(err))
    return ours, others, tap_lifetime


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--plugin", required=True, help="macchk.so (not a sanitizer build)")
    parser.add_argument("--captures", required=True, help="the bundled captures (captures/)")
    parser.add_argument("--long", action="store_true", help="ten times the generated frames")
    parser.add_argument("--work", help="work folder (default: a temporary one, removed unless something failed)")
    parser.add_argument("--track-origins", action="store_true", help="valgrind --track-origins=yes (slower)")
    parser.add_argument("--verbose", action="store_true", help="also show the leaks not failed")
    args = parser.parse_args()

    start = time.time()
    scale = 10 if args.long else 1
    work = args.work or tempfile.mkdtemp(prefix="macchk-memcheck-")
    os.makedirs(work, exist_ok=True)
    captures = os.path.abspath(args.captures)
    bundled = sorted(os.path.join(captures, n) for n in os.listdir(captures) if n.endswith((".pcap", ".pcapng")))
    subprocess.run(["mergecap", "-a", "-F", "pcapng", "-w", os.path.join(work, "bundled.pcapng")] + bundled,
                   check=True)
    flood_gen.gen_fuzz(os.path.join(work, "fuzz.pcapng"), 3000 * scale, 5)
    flood_gen.gen_mixed(os.path.join(work, "mixed.pcap"), 5000 * scale, 1, hosts=500)
    flood_gen.gen_flood(os.path.join(work, "flood.pcap"), 20000 * scale, 1)
    os.chmod(work, 0o777)
    for name in os.listdir(work):
        os.chmod(os.path.join(work, name), 0o666)

    ts = Tshark(args.plugin)
    ts.env["WIRESHARK_DEBUG_WMEM_OVERRIDE"] = "simple"
    ts.env["G_SLICE"] = "always-malloc"
    runs = [
        ("bundled", ["-2", "-n", "-V", "-x"], "bundled.pcapng", []),
        ("fuzz", ["-2", "-n", "-V", "-x"], "fuzz.pcapng", ["macchk.table_cap:5", "macchk.arp_timeout_ms:0"]),
        ("mixed", ["-2", "-n"], "mixed.pcap", []),
        ("flood", ["-n"], "flood.pcap", ["macchk.table_cap:1000"]),
    ]
    # the statistics taps, when this build has them
    probe = ts.run(["-n", "-q", "-z", "macchk,report", "-r", os.path.join(captures, "clean.pcap")], check=False)
    if probe.returncode == 0:
        runs.append(("mixed-taps", ["-2", "-n", "-q", "-z", "macchk,report", "-z", "macchk,tree"], "mixed.pcap", []))
    else:
        log("memcheck: -z macchk,report not available in this build: taps not checked")

    results = Results()
    failed_any = False
    seen = {}  # finding without sizes -> first run that had it
    try:
        for name, mode, capture, prefs in runs:
            xml_path = os.path.join(work, name + ".xml")
            # --keep-debuginfo: tshark unloads plugins before the leak check;
            # without it the plugin's frames in leak stacks show as "???"
            cmd = ts.prefix + ["valgrind", "--tool=memcheck", "--leak-check=full", "--keep-debuginfo=yes",
                               "--show-leak-kinds=definite,indirect,possible",
                               "--errors-for-leak-kinds=definite,indirect,possible", "--num-callers=40",
                               "--xml=yes", "--xml-file=" + xml_path]
            if args.track_origins:
                cmd.append("--track-origins=yes")
            cmd += ["tshark"] + mode + ["-r", os.path.join(work, capture)]
            for p in prefs:
                cmd += ["-o", p]
            t0 = time.time()
            out_path = os.path.join(work, name + ".out")
            with open(out_path, "w") as out:
                proc = subprocess.run(cmd, stdout=out, stderr=subprocess.PIPE, text=True, env=ts.env,
                                      cwd=ts.root, timeout=3600)
            secs = time.time() - t0
            with open(out_path, errors="replace") as out:
                annotated = sum(1 for line in out if line.startswith("MAC Address Check"))
            if not results.check(proc.returncode == 0 and os.path.exists(xml_path),
                                 "%s: valgrind/tshark exit status %d: %s" % (name, proc.returncode,
                                                                          proc.stderr.strip()[-2000:])):
                failed_any = True
                continue
            if "-V" in mode:
                results.check(annotated > 0, "%s: no \"MAC Address Check\" tree in the output: plugin not loaded?"
                              % name)
            ours, others, tap_lifetime = analyse(xml_path)
            log("memcheck: %-10s %6.1f s, errors/leaks in macchk: %d%s; elsewhere: %s  [tshark %s]" % (
                name, secs, len(ours), " (+%d of Wireshark's own: -z listener data tshark never finishes, plugin_if keys)" % len(tap_lifetime)
                if tap_lifetime else "", ", ".join("%s x%d" % kv for kv in sorted(others.items())) or "none",
                " ".join(mode + ["-o " + p for p in prefs])))
            if tap_lifetime and args.verbose:
                log("\n".join(tap_lifetime))
            for finding in ours:
                signature = re.sub(r"\d[\d,]* (\(.*?\) )?bytes in \d+ blocks|loss record \d+ of \d+", "", finding)
                failed_any = True
                if signature in seen:
                    results.check(False, "%s: the same as in %s: %s" % (name, seen[signature],
                                                                      finding.splitlines()[0]))
                else:
                    seen[signature] = name
                    results.check(False, "%s: %s" % (name, finding))
            if not ours:
                results.check(True, name)
    finally:
        ts.close()
    log("memcheck: %.0f s in all" % (time.time() - start))
    status = results.close("memcheck")
    if failed_any:
        log("memcheck: valgrind XML and tshark output kept in %s" % work)
    elif not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
