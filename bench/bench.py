#!/usr/bin/env python3
"""bench.py - what macchk costs tshark: wall time, CPU time and peak RSS of
tshark with the plugin over tshark without it, on a 1M-frame mixed capture.
Normally started by bench/run.sh (which builds the plugin).

The capture (tests/flood_gen.py mixed, deterministic): IPv4 UDP and TCP
between 3000 hosts, about 10% ARP (answered requests, retries, unanswered
requests, announcements), a few hosts with bad MACs.  Made once into the work
folder and reused.

Rows (each "with" command against its "without" command):
  r          -n -r F                      vs the same, no plugin
  Y          -n -r F -Y macchk.invalid    vs the same with --disable-protocol macchk
  2Y         -2 -n -r F -Y macchk.invalid vs the same with --disable-protocol macchk
  V          -n -V -r F                   vs the same, no plugin
  report     -n -q -z macchk,report -r F  vs the same with --disable-protocol macchk
  rt         -n -q -z macchk,report -r F  vs -n -q -z macchk,tree -r F (the stats tree: what
             the report costs beyond counting)
  rt-flood   the same on a 1M-frame ARP flood (tests/flood_gen.py flood: every frame a new
             host, most a new unanswered exchange: the report's worst case), target 2x
  (stdout to /dev/null.)  macchk.invalid is no filter without the plugin, so
  those rows compare against the plugin loaded but disabled: the same filter
  is compiled and the same tree is primed, only macchk's work is missing.
  For the report row, plain -q is no baseline: with -q and no tap, tshark
  does not dissect at all (0.26 s for 1M frames).  Nor is a stock tap: the
  Ethernet conversation table (-z conv,eth) costs more than macchk's report
  (9.3 s against 7.7 s), io,stat wants a tree on every frame.  So the
  baseline is the same command with macchk disabled: the macchk tap is there
  (so tshark dissects every frame, without a tree), gets no packets and
  prints an empty report; the difference is exactly macchk's work.

Every row runs --reps times each way, alternating with and without so that
drift (other jobs, thermal, page cache) hits both alike; the median counts.
"pairs" is the median (and quartiles) of each run with the plugin over the
run without it that follows: on a VM whose speed drifts between runs it
shows how far the medians' ratio can be trusted.
Time is wall-clock (perf_counter around the child); CPU is its user+sys
time; peak RSS is ru_maxrss, all from wait4 of the tshark process (run as
uid 65534 when root, plugin in a private HOME, as the tests do).
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests"))
from macchk_harness import Tshark  # noqa: E402
import flood_gen  # noqa: E402

TARGETS = {"r": 1.05, "Y": 1.15, "2Y": 1.15, "V": 1.10, "report": 1.15, "rt": 2.0, "rt-flood": 2.0}
NO_RSS_TARGET = {"rt", "rt-flood"}  # the report keeps hosts and groups the tree does not
RSS_TARGET = 1.05


def rows(capture, flood):
    r = ["-n", "-r", capture]
    report, tree = ["-q", "-z", "macchk,report"], ["-q", "-z", "macchk,tree"]
    return [
        ("r", "-r (summary lines)", r, r, "no plugin"),
        ("Y", "-Y macchk.invalid", r + ["-Y", "macchk.invalid"],
         r + ["-Y", "macchk.invalid", "--disable-protocol", "macchk"], "plugin disabled"),
        ("2Y", "-2 -Y macchk.invalid", ["-2"] + r + ["-Y", "macchk.invalid"],
         ["-2"] + r + ["-Y", "macchk.invalid", "--disable-protocol", "macchk"], "plugin disabled"),
        ("V", "-V", ["-V"] + r, ["-V"] + r, "no plugin"),
        ("report", "-q -z macchk,report", ["-q", "-z", "macchk,report"] + r,
         ["-q", "-z", "macchk,report", "--disable-protocol", "macchk"] + r, "plugin disabled"),
        ("rt", "report vs tree", report + r, tree + r, "stats tree"),
        ("rt-flood", "report vs tree, flood", report + ["-n", "-r", flood], tree + ["-n", "-r", flood], "stats tree"),
    ]


def run_once(ts, args):
    """(wall seconds, cpu seconds, peak RSS bytes)"""
    with open(os.devnull, "w") as null:
        start = time.perf_counter()
        proc = subprocess.Popen(ts.prefix + ["tshark"] + args, stdout=null, stderr=subprocess.PIPE,
                                env=ts.env, cwd=ts.root)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        err = proc.stderr.read().decode(errors="replace")
        proc.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise RuntimeError("tshark %s failed (%d): %s" % (" ".join(args), code, err.strip()[:800]))
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024


def remove_plugin(ts):
    for folder, _, files in os.walk(ts.root):
        for name in files:
            if name == "macchk.so":
                os.unlink(os.path.join(folder, name))


def benchmark_capture(work, frames, mode=0o755):
    """The deterministic mixed capture of `frames` frames in work (made once,
    kept), readable by tshark run as nobody."""
    os.makedirs(work, exist_ok=True)
    os.chmod(work, mode)
    capture = os.path.join(work, "mixed-%d.pcap" % frames)
    if not os.path.exists(capture):
        t0 = time.time()
        flood_gen.gen_mixed(capture + ".tmp", frames, 1)
        os.rename(capture + ".tmp", capture)
        print("bench: made %s in %.1f s" % (capture, time.time() - t0), flush=True)
    os.chmod(capture, 0o644)
    return capture


def machine():
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_kb = int(f.readline().split()[1])
    version = subprocess.run(["tshark", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    return {"cpu": cpu, "cores": os.cpu_count(), "ram_gib": round(mem_kb / 1048576, 1), "tshark": version,
            "kernel": platform.release(), "load_before": os.getloadavg()}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--plugin", required=True)
    parser.add_argument("--work", default="/var/tmp/macchk-bench", help="where the capture is made and kept")
    parser.add_argument("--frames", type=int, default=1_000_000)
    parser.add_argument("--reps", type=int, default=5, help="runs each way per row (median)")
    parser.add_argument("--only", help="comma-separated row keys (r,Y,2Y,V,report,rt,rt-flood)")
    parser.add_argument("--json", help="also write the results here")
    args = parser.parse_args()

    capture = benchmark_capture(args.work, args.frames)
    flood = os.path.join(args.work, "flood-%d.pcap" % args.frames)
    if not os.path.exists(flood):
        flood_gen.gen_flood(flood + ".tmp", args.frames, 1)
        os.rename(flood + ".tmp", flood)
    os.chmod(flood, 0o644)

    info = machine()
    with_plugin = Tshark(args.plugin)
    without = Tshark(args.plugin)
    remove_plugin(without)
    results = []
    try:
        listing = subprocess.run(with_plugin.prefix + ["tshark", "-z", "help"], capture_output=True, text=True,
                                 env=with_plugin.env, cwd=with_plugin.root)
        has_report = "macchk,report" in listing.stdout + listing.stderr  # tshark lists them on stderr
        selected = set(args.only.split(",")) if args.only else None
        print("bench: %s, %d cores, %.1f GiB RAM, %s; %d runs each way per row" % (
            info["cpu"], info["cores"], info["ram_gib"], info["tshark"], args.reps), flush=True)
        for key, title, with_args, without_args, baseline in rows(capture, flood):
            if selected and key not in selected:
                continue
            if key == "report" and not has_report:
                print("bench: %-22s pending (no -z macchk,report in this build)" % title, flush=True)
                results.append({"key": key, "title": title, "pending": True})
                continue
            w, wo = [], []
            run_once(with_plugin, with_args)  # warm the page cache and the plugin folder
            run_once(without if baseline == "no plugin" else with_plugin, without_args)
            for i in range(args.reps):
                w.append(run_once(with_plugin, with_args))
                wo.append(run_once(without if baseline == "no plugin" else with_plugin, without_args))
            med = lambda xs, i: statistics.median(x[i] for x in xs)  # noqa: E731
            row = {"key": key, "title": title, "baseline": baseline,
                   "with": {"wall": med(w, 0), "cpu": med(w, 1), "rss": med(w, 2)},
                   "without": {"wall": med(wo, 0), "cpu": med(wo, 1), "rss": med(wo, 2)},
                   "walls_with": [x[0] for x in w], "walls_without": [x[0] for x in wo]}
            row["wall_ratio"] = row["with"]["wall"] / row["without"]["wall"]
            row["cpu_ratio"] = row["with"]["cpu"] / row["without"]["cpu"]
            row["rss_ratio"] = row["with"]["rss"] / row["without"]["rss"]
            row["spread"] = (max(x[0] for x in w + wo) - min(x[0] for x in w + wo)) / row["without"]["wall"]
            # each run with the plugin against the run without it right after:
            # the two share the machine's state of the moment (this VM's
            # speed drifts by 10-15% from minute to minute)
            pairs = [a[0] / b[0] for a, b in zip(w, wo)]
            row["pair_ratio"] = statistics.median(pairs)
            row["pair_quartiles"] = statistics.quantiles(pairs, n=4)[::2] if len(pairs) > 1 else [pairs[0]] * 2
            results.append(row)
            print("bench: %-22s wall %6.2f s / %6.2f s = %.3f (target %.2f)  pairs %.3f [%.3f-%.3f]  cpu %.3f  "
                  "RSS %6.1f / %6.1f MiB = %.3f  [vs %s]" % (
                      title, row["with"]["wall"], row["without"]["wall"], row["wall_ratio"], TARGETS[key],
                      row["pair_ratio"], row["pair_quartiles"][0], row["pair_quartiles"][1],
                      row["cpu_ratio"], row["with"]["rss"] / 1048576, row["without"]["rss"] / 1048576,
                      row["rss_ratio"], baseline), flush=True)
    finally:
        with_plugin.close()
        without.close()
    info["load_after"] = os.getloadavg()

    print("\n| Row | with plugin | without | wall ratio (target) | pairs: median [quartiles] | CPU ratio "
          "| peak RSS with / without | RSS ratio |")
    print("|---|---|---|---|---|---|---|---|")
    for row in results:
        if row.get("pending"):
            print("| `%s` | pending | | | | | | |" % row["title"])
            continue
        print("| `%s` | %.2f s | %.2f s (%s) | **%.3f** (≤ %.2f) | %.3f [%.3f-%.3f] | %.3f | %.0f / %.0f MiB | %.3f |" % (
            row["title"], row["with"]["wall"], row["without"]["wall"], row["baseline"], row["wall_ratio"],
            TARGETS[row["key"]], row["pair_ratio"], row["pair_quartiles"][0], row["pair_quartiles"][1], row["cpu_ratio"], row["with"]["rss"] / 1048576, row["without"]["rss"] / 1048576,
            row["rss_ratio"]))
    print("\nload average before %s, after %s" % (
        " ".join("%.2f" % x for x in info["load_before"]), " ".join("%.2f" % x for x in info["load_after"])))
    missed = [r["title"] + (" (time)" if r["wall_ratio"] > TARGETS[r["key"]] else " (RSS)")
              for r in results if not r.get("pending") and
              (r["wall_ratio"] > TARGETS[r["key"]] or (r["rss_ratio"] > RSS_TARGET and r["key"] not in NO_RSS_TARGET))]
    print("targets missed: %s" % (", ".join(missed) if missed else "none"))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"machine": info, "frames": args.frames, "reps": args.reps, "rows": results}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
