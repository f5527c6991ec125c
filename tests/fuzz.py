#!/usr/bin/env python3
"""fuzz.py - tshark with a sanitizer build of macchk over mutated and random
captures: zero sanitizer reports, zero crashes, zero macchk dissector bugs.

Normally started by tests/fuzz.sh, which builds the plugin with
-DMACCHK_SANITIZE=ON (AddressSanitizer + UndefinedBehaviorSanitizer).

Inputs (each written into a work folder, never into the repository):
  - the bundled captures, as they are and mutated with `editcap -E RATE
    --seed S` (some mutations skip the first 14 bytes of each frame, `-o 14`,
    so Ethernet headers survive and the ARP bodies take the damage);
  - real captures (../shared/captures-real, when there), the same way;
  - randpkt output of the link types that carry MAC addresses or ARP
    (arp, eth, llc, tr, fddi; randpkt cannot be seeded, so its files are
    kept with any failure);
  - structured random frames from flood_gen.py fuzz (seeded): ARP of every
    shape over every link layer macchk reads.
Inputs are concatenated into batches (mergecap -a) to spare tshark start-ups.
Each batch is dissected as uid 65534 (when root) with the plugin in a
private HOME, four ways: -nr, -nVxr, -2 -nr, -2 -nVxr, plus
`-q -2 -z macchk,report -z macchk,tree` when the plugin has those; the
macchk preferences rotate through a few sets (tiny table caps, zero and huge
ARP timeouts, Notes off, an allow-list) so that every mode meets every set.

A run fails on: a signal or non-zero exit, "ERROR: AddressSanitizer",
"runtime error" (UBSan), LeakSanitizer, any "Dissector bug, protocol MACCHK"
or "Malformed Packet: MACCHK", any stderr line naming macchk, a timeout.
A failing batch is narrowed to the inputs that fail alone; they are copied to
the --keep folder (default: WORK/failures) with a README of how to replay them.
Reports that are not ours (dissector bugs of other protocols) are counted
and listed, not failed.

Prints "fuzz: N passed, N failed" (one check per tshark run) at the end.
"""
import argparse
import concurrent.futures
import glob
import os
import random
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from macchk_harness import Results, Tshark  # noqa: E402
import flood_gen  # noqa: E402

MODES = [
    ("r", ["-n", "-r"]),
    ("Vxr", ["-n", "-V", "-x", "-r"]),
    ("2r", ["-2", "-n", "-r"]),
    ("2Vxr", ["-2", "-n", "-V", "-x", "-r"]),
]
TAP_MODE = ("2qz", ["-2", "-n", "-q", "-z", "macchk,report", "-z", "macchk,tree", "-r"])

ALLOW_UAT = ('uat:macchk_allow:"52:54:00:12:34:56","qemu default"')
PREFS = [
    [],
    ["macchk.table_cap:1", "macchk.arp_timeout_ms:0", "macchk.dup_mac_severity:note"],
    ["macchk.table_cap:3", "macchk.arp_timeout_ms:4000000000", "macchk.note_unicast_request:FALSE",
     "macchk.note_target_mismatch:FALSE", "macchk.note_unsolicited:FALSE", "macchk.note_changes:FALSE",
     "macchk.note_qemu_default:FALSE", "macchk.note_slap_reserved:FALSE"],
    ["macchk.table_cap:64", "macchk.arp_timeout_ms:1", ALLOW_UAT],
]

RANDPKT_TYPES = ["arp", "eth", "llc", "tr", "fddi"]

# (rate, offset) pairs for editcap -E
MUTATIONS = [(0.005, 0), (0.02, 14), (0.05, 0), (0.1, 14), (0.3, 0), (0.02, 0)]

OURS = [
    re.compile(r"ERROR: AddressSanitizer"),
    re.compile(r"ERROR: LeakSanitizer"),
    re.compile(r"AddressSanitizer:DEADLYSIGNAL"),
    re.compile(r"runtime error"),
    re.compile(r"Dissector bug, protocol MACCHK", re.I),
    re.compile(r"Malformed Packet: MACCHK", re.I),
    re.compile(r"macchk", re.I),
]
THEIRS = re.compile(r"Dissector bug, protocol ([^,:\]]+)")
STDOUT_OURS = re.compile(rb"Malformed Packet: MACCHK|Dissector bug, protocol MACCHK", re.I)
STDOUT_THEIRS = re.compile(rb"Dissector bug, protocol ([^,:\]\n]+)")

PROFILES = {
    # name: (bundled-capture mutation seeds, real-capture seeds, randpkt count per type,
    #        structured seeds, structured frames per seed, batch frame budget)
    "smoke": (48, 3, 500, 6, 4000, 50000),
    "long": (400, 24, 5000, 40, 20000, 150000),
}


def log(msg):
    print(msg, flush=True)


def sanitizer_preload():
    """libasan + libubsan of the compiler that built the plugin."""
    libs = []
    for name in ("libasan.so", "libubsan.so"):
        path = subprocess.run([os.environ.get("CC", "gcc"), "-print-file-name=" + name],
                              capture_output=True, text=True).stdout.strip()
        if not path or not os.path.exists(path):
            raise SystemExit("fuzz: cannot find %s (gcc -print-file-name=%s)" % (name, name))
        libs.append(os.path.realpath(path))
    return " ".join(libs)


class Runner:
    """Runs tshark (as the harness does) with the sanitizer environment."""

    def __init__(self, plugin, work, preload, timeout):
        self.ts = Tshark(plugin)
        self.work = work
        self.timeout = timeout
        env = self.ts.env
        env["LD_PRELOAD"] = preload
        env["ASAN_OPTIONS"] = ("detect_leaks=0:halt_on_error=1:abort_on_error=1:allocator_may_return_null=0:"
                               "detect_odr_violation=0:print_summary=1")
        env["UBSAN_OPTIONS"] = "halt_on_error=1:abort_on_error=1:print_stacktrace=1:report_error_type=1"
        env["WIRESHARK_DEBUG_WMEM_OVERRIDE"] = "simple"  # every wmem allocation is a malloc ASan can guard
        env["G_SLICE"] = "always-malloc"
        self.env = env

    def close(self):
        self.ts.close()

    def run(self, mode_args, prefs, capture):
        """Returns (ok, problems, foreign, seconds).  stdout is scanned as it
        streams (a -V -x run of a big batch prints gigabytes)."""
        args = list(mode_args) + [capture]
        for p in prefs:
            args += ["-o", p]
        start = time.time()
        proc = subprocess.Popen(self.ts.prefix + ["tshark"] + args, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=self.env, cwd=self.ts.root, start_new_session=True)
        err_chunks = []
        reader = threading.Thread(target=lambda: err_chunks.append(proc.stderr.read()))
        reader.start()
        timed_out = []

        def kill():
            timed_out.append(True)
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        timer = threading.Timer(self.timeout, kill)
        timer.start()
        annotated, flagged, foreign, tail = 0, [], set(), b""
        while True:
            chunk = proc.stdout.read(1 << 20)
            if not chunk:
                break
            text = tail + chunk
            annotated += text.count(b"\nMAC Address Check")
            for m in STDOUT_OURS.finditer(text):
                if len(flagged) < 20:
                    line = text[text.rfind(b"\n", 0, m.start()) + 1:text.find(b"\n", m.end()) % (len(text) + 1)]
                    flagged.append("stdout: " + line.decode(errors="replace").strip())
            for m in STDOUT_THEIRS.finditer(text):
                foreign.add(m.group(1).decode(errors="replace"))
            tail = text[-200:]  # matches may straddle chunks (counted twice at worst)
        proc.wait()
        timer.cancel()
        reader.join()
        seconds = time.time() - start
        err = b"".join(err_chunks).decode(errors="replace")
        problems = []
        if timed_out:
            problems.append("timed out after %d s" % self.timeout)
        elif proc.returncode != 0:
            problems.append("exit status %d%s" % (proc.returncode, " (signal %s)" % signal.Signals(
                -proc.returncode).name if -64 < proc.returncode < 0 else ""))
        lines = err.splitlines()
        problems += flagged
        for line in lines:
            if any(p.search(line) for p in OURS):
                problems.append(line.strip())
            else:
                m = THEIRS.search(line)
                if m:
                    foreign.add(m.group(1))
        if "-V" in mode_args and not annotated and not problems:
            problems.append("no frame shows a \"MAC Address Check\" tree: is the plugin loaded?")
        if problems and (proc.returncode != 0 or timed_out):
            problems.append("stderr tail:\n    " + "\n    ".join(lines[-40:]))
        return not problems, problems, foreign, seconds


def run_tool(args):
    proc = subprocess.run(args, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit("fuzz: %s failed: %s" % (" ".join(args), proc.stderr.strip()[:500]))
    return proc


def frame_count(path):
    out = run_tool(["capinfos", "-c", "-M", "-T", path]).stdout.strip().splitlines()
    return int(out[-1].split("\t")[1]) if out else 0


def concat(paths, dest):
    run_tool(["mergecap", "-a", "-F", "pcapng", "-w", dest] + paths)
    return dest


class Inputs:
    """Makes the inputs and groups them into batches of about budget frames."""

    def __init__(self, work, profile, captures, real, seed):
        self.work = work
        self.profile = profile
        self.captures = captures
        self.real = real
        self.rng = random.Random(seed)
        self.seed = seed
        self.parts = []  # (path, frames, what)

    def add(self, path, what):
        n = frame_count(path)
        if n:
            self.parts.append((path, n, what))

    def mutate(self, src, tag, seeds):
        for i in range(seeds):
            rate, offset = MUTATIONS[i % len(MUTATIONS)]
            s = self.seed * 100_000 + i
            dest = os.path.join(self.work, "%s.E%g.o%d.s%d.pcapng" % (tag, rate, offset, s))
            args = ["editcap", "-F", "pcapng", "-E", str(rate), "--seed", str(s)]
            if offset:
                args += ["-o", str(offset)]
            run_tool(args + [src, dest])
            self.add(dest, "editcap -E %g%s --seed %d %s" % (rate, " -o %d" % offset if offset else "", s, tag))

    def make(self):
        cap_seeds, real_seeds, randpkt_count, gen_seeds, gen_frames, _ = PROFILES[self.profile]
        bundled = sorted(glob.glob(os.path.join(self.captures, "*.pcap")) +
                         glob.glob(os.path.join(self.captures, "*.pcapng")) +
                         glob.glob(os.path.join(self.captures, "regressions", "*")))
        bundled = [p for p in bundled if os.path.isfile(p) and not p.endswith((".md", ".txt"))]
        for p in bundled:
            self.add(p, "bundled " + os.path.relpath(p, os.path.dirname(self.captures)))
        all_bundled = concat(bundled, os.path.join(self.work, "bundled.pcapng"))
        self.mutate(all_bundled, "bundled", cap_seeds)

        if self.real and os.path.isdir(self.real):
            reals = sorted(p for p in glob.glob(os.path.join(self.real, "*"))
                           if os.path.isfile(p) and not p.endswith((".tsv", ".md", ".txt")))
            readable = []
            for p in reals:
                try:
                    if frame_count(p):
                        readable.append(p)
                except SystemExit as e:
                    log("fuzz: skipping unreadable real capture %s (%s)" % (p, e))
            if readable:
                all_real = concat(readable, os.path.join(self.work, "real.pcapng"))
                self.add(all_real, "real captures (%d files from %s)" % (len(readable), self.real))
                self.mutate(all_real, "real", real_seeds)
        else:
            log("fuzz: no real captures at %s (skipped)" % self.real)

        for t in RANDPKT_TYPES:
            dest = os.path.join(self.work, "randpkt-%s.pcap" % t)
            run_tool(["randpkt", "-c", str(randpkt_count), "-t", t, dest])
            self.add(dest, "randpkt -t %s (kept: randpkt cannot be seeded)" % t)

        for i in range(gen_seeds):
            s = self.seed * 1000 + i
            dest = os.path.join(self.work, "gen-%d.pcapng" % s)
            flood_gen.gen_fuzz(dest, gen_frames, s)
            self.add(dest, "flood_gen.py fuzz --seed %d --frames %d" % (s, gen_frames))
            self.mutate(dest, "gen-%d" % s, 1)

    def batches(self):
        budget = PROFILES[self.profile][5]
        parts = list(self.parts)
        self.rng.shuffle(parts)
        batches, current, frames = [], [], 0
        for part in parts:
            if current and frames + part[1] > budget:
                batches.append(current)
                current, frames = [], 0
            current.append(part)
            frames += part[1]
        if current:
            batches.append(current)
        result = []
        for i, parts_ in enumerate(batches):
            path = os.path.join(self.work, "batch-%03d.pcapng" % i)
            concat([p[0] for p in parts_], path)
            result.append((path, parts_))
        return result


def save_failure(keep, capture, what, mode, prefs, problems):
    os.makedirs(keep, exist_ok=True)
    dest = os.path.join(keep, os.path.basename(capture))
    shutil.copy(capture, dest)
    with open(os.path.join(keep, "README.txt"), "a") as f:
        f.write("%s\n  from: %s\n  replay: tshark %s %s%s\n  %s\n\n" % (
            os.path.basename(dest), what, " ".join(mode), os.path.basename(dest),
            "".join(" -o '%s'" % p for p in prefs), "\n  ".join(problems[:6])))
    return dest


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--plugin", required=True, help="macchk.so built with -DMACCHK_SANITIZE=ON")
    parser.add_argument("--captures", required=True, help="the bundled captures (captures/)")
    parser.add_argument("--real", help="real captures to use as seeds (skipped when missing)")
    parser.add_argument("--long", action="store_true", help="the long run (by hand): many more inputs")
    parser.add_argument("--seed", type=int, default=int(os.environ.get("MACCHK_FUZZ_SEED", "1")),
                        help="base seed of mutations and generated frames (default 1, or $MACCHK_FUZZ_SEED)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=int, default=0, help="per tshark run, seconds (default 180; long 900)")
    parser.add_argument("--work", help="work folder (default: a temporary one, removed unless something failed)")
    parser.add_argument("--keep", help="where failing inputs go (default WORK/failures)")
    parser.add_argument("--preload", help="LD_PRELOAD for tshark (default: gcc's libasan and libubsan)")
    args = parser.parse_args()

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # aborting tsharks leave no core files
    profile = "long" if args.long else "smoke"
    timeout = args.timeout or (900 if args.long else 180)
    work = args.work or tempfile.mkdtemp(prefix="macchk-fuzz-")
    os.makedirs(work, exist_ok=True)
    os.chmod(work, 0o755)
    keep = args.keep or os.path.join(work, "failures")
    preload = args.preload or sanitizer_preload()
    start = time.time()
    log("fuzz: %s run, seed %d, work folder %s" % (profile, args.seed, work))
    log("fuzz: LD_PRELOAD=%s" % preload)

    inputs = Inputs(work, profile, os.path.abspath(args.captures), args.real, args.seed)
    inputs.make()
    batches = inputs.batches()
    # tshark runs as nobody: everything it reads must be readable
    for folder, _, files in os.walk(work):
        os.chmod(folder, 0o755)
        for name in files:
            os.chmod(os.path.join(folder, name), 0o644)
    total_frames = sum(p[1] for p in inputs.parts)
    log("fuzz: %d inputs, %d frames, %d batches (%.0f s to make)" % (
        len(inputs.parts), total_frames, len(batches), time.time() - start))

    runner = Runner(args.plugin, work, preload, timeout)
    results = Results()
    foreign = {}
    saved = []
    failed_parts = {}  # input -> where it was kept
    try:
        # the plugin must be loaded (an instrumented plugin without the
        # preloaded runtime would not load) and must see the bad guest
        ok, problems, _, _ = runner.run(["-n", "-Y", "macchk.invalid", "-T", "fields", "-e", "frame.number", "-r"],
                                        [], os.path.join(os.path.abspath(args.captures), "bad-guest-mac.pcap"))
        if not results.check(ok, "sanity run with the sanitizer build failed: %s" % "; ".join(problems)):
            return results.close("fuzz")

        modes = list(MODES)
        ok, problems, _, _ = runner.run(TAP_MODE[1], [], os.path.join(os.path.abspath(args.captures),
                                                                      "arp-conflicts.pcap"))
        if ok:
            modes.append(TAP_MODE)
        elif any("invalid -z argument" in p for p in problems) and \
                not any("Sanitizer" in p or "runtime error" in p for p in problems):
            log("fuzz: -z macchk,report / macchk,tree not available in this build: tap mode skipped")
        else:
            results.check(False, "tap mode on arp-conflicts.pcap: %s" % "\n".join(problems))

        jobs = []
        for b, (path, parts) in enumerate(batches):
            for m, (name, mode) in enumerate(modes):
                jobs.append((path, parts, name, mode, PREFS[(b + m) % len(PREFS)]))

        def one(job):
            path, parts, name, mode, prefs = job
            return job, runner.run(mode, prefs, path)

        seconds = 0.0
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            for job, (ok, problems, theirs, secs) in pool.map(one, jobs):
                path, parts, name, mode, prefs = job
                seconds += secs
                for proto in theirs:
                    foreign[proto] = foreign.get(proto, 0) + 1
                if results.check(ok, "%s, mode %s, prefs %s:\n  %s" % (os.path.basename(path), name, prefs,
                                                                      "\n  ".join(problems))):
                    continue
                # narrow down: which inputs fail alone?  Smallest first, a few at most.
                culprits = []
                for part, _, what in sorted(parts, key=lambda p: p[1]):
                    if len(culprits) >= 3:
                        break
                    if part in failed_parts:
                        culprits.append(failed_parts[part])
                        continue
                    ok1, problems1, _, _ = runner.run(mode, prefs, part)
                    if not ok1:
                        failed_parts[part] = save_failure(keep, part, what, mode, prefs, problems1)
                        culprits.append(failed_parts[part])
                if not culprits:
                    culprits.append(save_failure(keep, path, "batch of: " + ", ".join(p[2] for p in parts),
                                                 mode, prefs, problems))
                saved += culprits
                log("fuzz: failing input(s) kept: %s" % " ".join(sorted(set(culprits))))
        log("fuzz: %d tshark runs, %.0f s of tshark time, %.0f s in all" % (
            len(jobs), seconds, time.time() - start))
        if foreign:
            log("fuzz: dissector bugs of other protocols (not ours, not failed): %s" % ", ".join(
                "%s x%d" % kv for kv in sorted(foreign.items())))
    finally:
        runner.close()
    status = results.close("fuzz")
    if saved:
        log("fuzz: failing inputs in %s (see README.txt there); add them to captures/regressions/" % keep)
    elif not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
