#!/usr/bin/env python3
"""The triage report over a live ring-buffer capture (issue 10).

`tshark -i IF -w F -b duration:1 -q -z macchk,report` reads the capture
file by file, and Wireshark dissects each file on its own (frame numbers
restart, the dissection state is freed between files).  The report must not
mix them: it says that the capture comes in several files, writes each
file's report as that file ends, and ends with the run's totals.

In a private network namespace a veth pair carries crafted ARP frames
(sent on one end, captured on the other) for about five seconds: a host
asking for an address nobody has (retried: unanswered), a host asking for
one that answers, and replies from a group-bit source MAC (bridge-dropped).
tshark runs live as nobody with capture capabilities, twice: text report,
and stats tree plus JSON report.  Then every ring file is read offline, on
its own, and the test asserts that:
- the live text report is the preamble, then for each file with frames
  "File k of the capture:" and exactly the offline report of that file,
  then the totals, whose counts are the sums of the files' counts;
- the live JSON is one document whose "files" are the offline JSON reports,
  with totals summed and the files with Warnings listed;
- the live stats tree's findings are the sums of the files' trees (each
  file's requests settled before the next file starts).
Traffic never leaves the namespace.  Exits 77 (skipped) when not root or
when namespaces, veth devices or capturing are not permitted.
"""
import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from macchk_harness import SKIPPED, Results, Tshark  # noqa: E402

NS = "macchk-ring-%d" % os.getpid()
CAPS = ["--inh-caps", "+net_raw,+net_admin", "--ambient-caps", "+net_raw,+net_admin"]

# Sent on vb, captured on va: every 0.2 s a request for 10.9.0.7 (nobody);
# every second a request for 10.9.0.2 answered 10 ms later, and a reply
# from the group-bit MAC 53:54:00:12:34:56.
TRAFFIC = r"""
import socket, struct, time
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("vb", 0))
def mac(t): return bytes(int(x, 16) for x in t.split(":"))
def ip(t): return socket.inet_aton(t)
def arp(op, src, sha, spa, dst, tha, tpa):
    s.send(mac(dst) + mac(src) + b"\x08\x06" + struct.pack("!HHBBH", 1, 0x0800, 6, 4, op)
           + mac(sha) + ip(spa) + mac(tha) + ip(tpa))
A, B, BAD, BC, Z = "02:00:00:00:00:01", "02:00:00:00:00:02", "53:54:00:12:34:56", "ff:ff:ff:ff:ff:ff", "00:00:00:00:00:00"
for i in range(25):
    arp(1, A, A, "10.9.0.1", BC, Z, "10.9.0.7")
    if i % 5 == 0:
        arp(1, A, A, "10.9.0.1", BC, Z, "10.9.0.2")
        time.sleep(0.01)
        arp(2, B, B, "10.9.0.2", A, A, "10.9.0.1")
        arp(2, BAD, BAD, "10.9.0.50", A, A, "10.9.0.1")
    time.sleep(0.2)
"""


class Skip(Exception):
    pass


def check(results, condition, message, detail=""):
    if not results.check(condition, message) and detail:
        print(detail)


def ns_run(args, **kwargs):
    return subprocess.run(["ip", "netns", "exec", NS] + args, capture_output=True, text=True, **kwargs)


def setup():
    if os.geteuid() != 0:
        raise Skip("not root")
    missing = [tool for tool in ("ip", "setpriv", "dumpcap") if not shutil.which(tool)]
    if missing:
        raise Skip("not installed: " + ", ".join(missing))
    if subprocess.run(["ip", "netns", "add", NS], capture_output=True).returncode:
        raise Skip("network namespaces are not permitted")
    for args in (["link", "add", "name", "va", "type", "veth", "peer", "name", "vb"],
                 ["link", "set", "va", "up"], ["link", "set", "vb", "up"], ["link", "set", "lo", "up"]):
        if subprocess.run(["ip", "-n", NS] + args, capture_output=True).returncode:
            raise Skip("cannot make a veth pair in a namespace: ip " + " ".join(args))


def live_run(tshark, folder, stats):
    """tshark capturing on va into a 1 s ring buffer while the traffic is sent; its stdout."""
    os.makedirs(folder)
    os.chmod(folder, 0o777)
    cmd = ["ip", "netns", "exec", NS] + tshark.prefix + CAPS + [
        "tshark", "-n", "-i", "va", "-w", os.path.join(folder, "ring.pcapng"), "-b", "duration:1", "-q"] + stats
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=tshark.env)
    time.sleep(1.5)  # capture started
    sent = ns_run(["python3", "-c", TRAFFIC], timeout=60)
    time.sleep(1.5)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    if sent.returncode:
        raise RuntimeError("traffic: " + sent.stderr)
    if "Capturing on" not in err:
        raise Skip("tshark could not capture: " + err.strip()[-300:])
    return out


def ring_files(folder):
    return sorted(os.path.join(folder, n) for n in os.listdir(folder) if n.startswith("ring_"))


def offline(tshark, path, stat):
    return tshark.run(["-n", "-r", path, "-q", "-z", stat]).stdout


def tree_findings(text):
    """{finding name: count} of a stats tree's Findings node."""
    counts, inside = {}, False
    for line in text.splitlines():
        if line.startswith("Findings "):
            inside = True
        elif inside and line.startswith(" "):
            match = re.match(r"\s+(.*?)\s{2,}(\d+)\s", line)
            if match:
                counts[match.group(1)] = int(match.group(2))
        elif inside:
            break
    return counts


def check_text(results, tshark, folder, out):
    files = ring_files(folder)
    reports = [offline(tshark, f, "macchk,report") for f in files]
    with_frames = [r for r in reports if "Nothing to check" not in r]
    check(results, len(with_frames) >= 3, "text: at least 3 ring files with frames (%d of %d)"
                  % (len(with_frames), len(files)))
    check(results, out.startswith("MAC Address Check: this capture comes in several files"),
                  "text: the report says first that the capture comes in several files")
    parts = re.split(r"\nFile (\d+) of the capture:\n", out)
    numbers = [int(n) for n in parts[1::2]]
    sections = parts[2::2]
    check(results, numbers == list(range(1, len(with_frames) + 1)),
                  "text: one section per file with frames, numbered 1..%d (got %s)" % (len(with_frames), numbers))
    last, _, totals = sections[-1].partition("\n=====================================================================\n"
                                             "MAC Address Check: totals over")
    sections[-1] = last
    for k, (live, off) in enumerate(zip(sections, with_frames), 1):
        check(results, live == off, "text: file %d's section is the file's own offline report" % k,
                      detail="live:\n%s\noffline:\n%s" % (live, off))
    sums = {"frames": 0, "invalid": 0, "warnings": 0, "notes": 0}
    for off in with_frames:
        m = re.search(r"^(\d+) frames checked, (\d+) invalid \(with a Warning\); (\d+) warnings?, (\d+) notes?$",
                      off, re.M)
        for key, value in zip(("frames", "invalid", "warnings", "notes"), m.groups()):
            sums[key] += int(value)
    expected = "%d frames checked, %d invalid (with a Warning); %d warning%s, %d note%s" % (
        sums["frames"], sums["invalid"], sums["warnings"], "" if sums["warnings"] == 1 else "s",
        sums["notes"], "" if sums["notes"] == 1 else "s")
    check(results, expected in totals, "text: the totals are the files' sums: " + expected, detail=totals)
    check(results, " %d files with frames" % len(with_frames) in totals, "text: the totals name the file count",
                  detail=totals)
    check(results, sums["warnings"] > 0 and re.search(r"\d+ problems? in %d frames of %d files \(in files? "
                                                     % (sums["frames"], len(with_frames)), totals) is not None,
                  "text: the run's verdict counts problems and names the files with them", detail=totals)


def check_json_and_tree(results, tshark, folder, out):
    files = ring_files(folder)
    doc, end = json.JSONDecoder().raw_decode(out)
    tree = out[end:]
    offline_docs = [json.loads(offline(tshark, f, "macchk,report,json")) for f in files]
    with_frames = [d for d in offline_docs if d["counts"]["frames"]]
    check(results, doc.get("macchk_run") == 1 and doc["files"] == with_frames,
                  "json: one document whose files are the offline reports of the %d files with frames"
                  % len(with_frames))
    totals = doc["totals"]
    for key in ("frames", "invalid_frames", "warnings", "notes"):
        want = sum(d["counts"][key] for d in with_frames)
        check(results, totals[key] == want, "json: totals.%s = %d, the files' sum" % (key, want),
                      detail=str(totals))
    warned = [i for i, d in enumerate(with_frames, 1) if d["counts"]["warnings"]]
    check(results, totals["files_with_warnings"] == warned and totals["files"] == len(with_frames),
                  "json: files_with_warnings %s" % warned, detail=str(totals))
    check(results, doc["verdict"].startswith("%d problem" % totals["warnings"]), "json: verdict " + doc["verdict"])
    live = tree_findings(tree)
    sums = {}
    for f in files:
        for name, n in tree_findings(offline(tshark, f, "macchk,tree")).items():
            sums[name] = sums.get(name, 0) + n
    check(results, live and live == sums, "tree: the live findings are the sums of the files' trees",
                  detail="live %s\nsum %s" % (live, sums))
    check(results, live.get("ARP request never answered", 0) > 0,
                  "tree: unanswered requests of every file are settled (%s)" % live.get("ARP request never answered"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--plugin", required=True)
    args = parser.parse_args()
    results = Results()
    tshark = Tshark(args.plugin)
    try:
        setup()
        out = live_run(tshark, os.path.join(tshark.root, "text"), ["-z", "macchk,report"])
        check_text(results, tshark, os.path.join(tshark.root, "text"), out)
        # the tree first: listeners are drawn newest first, so the JSON document comes out whole before it
        out = live_run(tshark, os.path.join(tshark.root, "json"), ["-z", "macchk,tree", "-z", "macchk,report,json"])
        check_json_and_tree(results, tshark, os.path.join(tshark.root, "json"), out)
    except Skip as why:
        print("ring_buffer: skipped: %s" % why)
        return SKIPPED
    finally:
        if shutil.which("ip"):
            subprocess.run(["ip", "netns", "del", NS], capture_output=True)
        tshark.close()
    return results.close("ring_buffer")


if __name__ == "__main__":
    sys.exit(main())
