#!/usr/bin/env python3
"""tools/macchk-triage: exit codes and per-file messages; files that are not
regular files (FIFO, devices, socket) skipped without being opened; links
to folders followed once; names with control characters on one line;
--jobs N printing what one job prints; fast triage giving the report of a
full dissection on every bundled capture, generated tunnel captures and
the real captures beside the checkout.

Every run of the script has a timeout: a FIFO it opened would block it for
ever, and that must fail the test, not hang it.
"""
import argparse
import json
import os
import random
import shutil
import socket
import struct
import subprocess
import sys
import tempfile

from macchk_harness import Results, Tshark, run_tests, run_triage

import flood_gen
from gen_captures import (ETH_IPV4, ETH_IPV6, ETH_TEB, IPPROTO_GRE, LINKTYPE_ETHERNET, Capture, eth, ip6_udp,
                          ip_udp, ipv4, vxlan, who_has)

HERE = os.path.dirname(os.path.abspath(__file__))
TIMEOUT = 300
IPPROTO_TCP = 6


# --- Generated captures -------------------------------------------------------

def inner_arp(n):
    """An ARP request from 53:54:00:00:00:n (group bit set): a Warning
    wherever it is found, so a lost tunnel changes the report."""
    return who_has("53:54:00:00:00:%02x" % n, "192.168.50.%d" % n, "192.168.50.254")


OUTER_A, OUTER_B = "00:1b:21:09:00:01", "00:1b:21:09:00:02"


def tunnels_capture():
    """Tunnels the bundled captures lack, each carrying inner_arp(n)."""
    c = Capture("more-tunnels.pcap", LINKTYPE_ETHERNET, "ERSPAN, CAPWAP, Geneve, VXLAN over IPv6, GTP-U")
    # ERSPAN type II: GRE with a sequence number, protocol 0x88BE, 8-byte ERSPAN header (version 1, session 5)
    erspan = struct.pack("!HHI", 0x1000, 0x88BE, 7) + struct.pack("!HHI", (1 << 12) | 10, 5, 0) + inner_arp(1)
    c.add(1, 0.0, "ERSPAN II", eth(OUTER_B, OUTER_A, ETH_IPV4, ipv4("10.9.0.1", "10.9.0.2", IPPROTO_GRE, erspan)))
    # CAPWAP data (UDP 5247): HLEN 2 words, WBID 1, T=0: the payload is an 802.3 frame
    capwap = bytes([0, 0x10, 0x02, 0x00, 0, 0, 0, 0]) + inner_arp(2)
    c.add(2, 0.1, "CAPWAP data", eth(OUTER_B, OUTER_A, ETH_IPV4, ip_udp("10.9.0.1", "10.9.0.2", capwap, 50000, 5247)))
    geneve = struct.pack("!BBHI", 0, 0, ETH_TEB, 77 << 8) + inner_arp(3)
    c.add(3, 0.2, "Geneve", eth(OUTER_B, OUTER_A, ETH_IPV4, ip_udp("10.9.0.1", "10.9.0.2", geneve, 50001, 6081)))
    c.add(4, 0.3, "VXLAN over IPv6", eth(OUTER_B, OUTER_A, ETH_IPV6, ip6_udp("2001:db8::1", "2001:db8::2",
                                                                               vxlan(5, inner_arp(4)), 50002, 4789)))
    # GTP-U (UDP 2152) carrying IPv4/UDP/VXLAN
    tpdu = ip_udp("10.10.0.1", "10.10.0.2", vxlan(6, inner_arp(5)), 50003, 4789, checksum=False)
    gtpu = struct.pack("!BBHI", 0x30, 0xFF, len(tpdu), 0x1234) + tpdu
    c.add(5, 0.4, "GTP-U", eth(OUTER_B, OUTER_A, ETH_IPV4, ip_udp("10.9.0.1", "10.9.0.2", gtpu, 2152, 2152)))
    return c


def openflow_capture():
    """An OpenFlow 1.0 packet-in (TCP 6653) carrying inner_arp(9): fast
    triage leaves TCP out, so only --full sees the inner frame."""
    c = Capture("openflow.pcap", LINKTYPE_ETHERNET, "OpenFlow packet-in")
    frame = inner_arp(9)
    packet_in = struct.pack("!BBHIIHHBx", 1, 10, 18 + len(frame), 1, 0xFFFFFFFF, len(frame), 1, 0) + frame
    tcp = struct.pack("!HHIIBBHHH", 40123, 6653, 1, 1, 0x50, 0x18, 65535, 0, 0) + packet_in
    c.add(1, 0.0, "OpenFlow packet-in", eth(OUTER_B, OUTER_A, ETH_IPV4, ipv4("10.9.0.1", "10.9.0.2", IPPROTO_TCP, tcp)))
    return c


def write_capture(capture, folder):
    path = os.path.join(folder, capture.name)
    with open(path, "wb") as f:
        f.write(capture.pcap())
    return path


class Suite:
    def __init__(self, tshark, results, plugin, real):
        self.t = tshark
        self.r = results
        self.plugin = plugin
        self.real = real
        self.work = tempfile.mkdtemp(prefix="macchk-triage-test-")
        os.chmod(self.work, 0o755)  # tshark runs as nobody on the generated captures

    def close(self):
        shutil.rmtree(self.work, ignore_errors=True)

    def triage(self, *args, plugin=True, timeout=TIMEOUT):
        """(exit status, stdout, stderr) of the script; a timeout is a failure."""
        return run_triage(self.plugin if plugin else None, args, self.r, timeout)

    def folder(self, *parts):
        path = os.path.join(self.work, *parts)
        os.makedirs(path, exist_ok=True)
        return path

    def copy(self, capture, *into):
        target = os.path.join(self.work, *into)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy(self.t.path(capture), target)
        return target

    # --- exit codes and messages --------------------------------------------

    def test_exit_codes(self):
        r = self.r
        clean = self.copy("clean.pcap", "clean", "clean.pcap")
        mixed = self.folder("mixed")
        self.copy("clean.pcap", "mixed", "a-clean.pcap")
        self.copy("bad-guest-mac.pcap", "mixed", "deeper", "bad.pcapng")
        with open(os.path.join(mixed, "notes.txt"), "w") as f:
            f.write("not a capture, not named like one: skipped\n")
        broken = self.folder("broken")
        with open(os.path.join(broken, "random.pcap"), "wb") as f:
            f.write(bytes(random.Random(4).getrandbits(8) for _ in range(3000)))
        open(os.path.join(broken, "empty.cap"), "wb").close()
        self.copy("clean.pcap", "broken", "z-clean.pcap")

        rc, out, err = self.triage(clean)
        r.equal((rc, out), (0, clean + ": ok\n"), "triage: a clean capture")
        rc, out, err = self.triage(os.path.dirname(clean), mixed)
        lines = out.splitlines()
        r.equal(rc, 1, "triage: a capture with warnings exits 1")
        r.equal(len(lines), 3, "triage: one line per capture, folders searched recursively: %r" % out)
        bad_line = os.path.join(mixed, "deeper", "bad.pcapng") + ": 3 warnings, 0 notes: 192.168.122.50's " \
            "source 53:54:00:12:34:56 has the group bit set (did you mean 52:54:00:12:34:56? That is QEMU's default MAC"
        r.check(any(l.startswith(bad_line) for l in lines), "triage: the bad capture's line: %r" % out)
        r.check(os.path.join(mixed, "a-clean.pcap") + ": ok" in lines, "triage: the clean one is ok")

        rc, out, err = self.triage(broken)
        r.equal(rc, 3, "triage: unreadable files and no warnings exit 3")
        r.check(os.path.join(broken, "random.pcap") + ": cannot read: The file isn't a capture file" in out,
                "triage: random bytes named: %r" % out)
        r.check(os.path.join(broken, "empty.cap") + ": cannot read: the file is empty" in out,
                "triage: an empty file named: %r" % out)
        r.check(os.path.join(broken, "z-clean.pcap") + ": ok" in out, "triage: goes on after bad files")
        rc, out, err = self.triage(broken, mixed)
        r.equal(rc, 1, "triage: warnings win over unreadable files")
        truncated = os.path.join(self.work, "cut.pcap")
        with open(self.t.path("bad-guest-mac.pcap"), "rb") as f:
            data = f.read()
        with open(truncated, "wb") as f:
            f.write(data[:-20])
        rc, out, err = self.triage(truncated)
        r.check(rc == 1 and "(read only in part: The file appears to have been cut short" in out,
                "triage: a truncated capture is reported for what it holds: %r" % out)

        rc, out, err = self.triage("--json", clean, os.path.join(broken, "random.pcap"))
        data = json.loads(out)
        r.equal([sorted(d) for d in data], [["file", "report"], ["error", "file"]], "triage --json: entries")
        r.equal(data[0]["report"]["counts"]["warnings"], 0, "triage --json: the report object")
        rc, out, err = self.triage("--all", os.path.join(mixed, "deeper"))
        r.check(out.count("\n    warning: ") == 3, "triage --all: every problem listed: %r" % out)
        # Neighbor Discovery Warnings alone make the exit status too
        nd = self.copy("nd.pcapng", "nd", "nd.pcapng")
        report = json.loads(self.t.run(["-n", "-q", "-r", self.t.path("nd.pcapng"), "-z",
                                        "macchk,report,json"]).stdout)
        warned = [p["kind"] for p in report["problems"] if p["severity"] == "warning"]
        r.check(warned and all(k.startswith(("nd_", "ipv6_")) for k in warned),
                "nd.pcapng: its warnings are all ND ones: %r" % warned)
        rc, out, err = self.triage(nd)
        r.check(rc == 1 and out.startswith("%s: %d warnings, " % (nd, report["counts"]["warnings"])),
                "triage: ND warnings exit 1 and are counted: %r" % out)
        rc, out, err = self.triage("-o", "macchk.dup_mac_severity:note", self.t.path("arp-conflicts.pcap"))
        r.check(rc == 1 and ": 1 warning, 5 notes: 10.2.0.10 is claimed" in out,
                "triage -o passes preferences: %r" % out)
        # several networks: each problem named by its network, as in the text report
        networks = self.copy("networks.pcapng", "networks", "networks.pcapng")
        rc, out, err = self.triage("--all", networks)
        listed = [l for l in out.splitlines() if l.startswith("    ")]
        r.check(rc == 1 and listed and all(": on if " in l for l in listed) and ": on if " in out.splitlines()[0],
                "triage: problems named by their network: %r" % out)
        rc, out, err = self.triage("--all", os.path.join(mixed, "deeper"))
        r.check(" on if " not in out, "triage: one network, no network names: %r" % out)
        # more group-bit sources than a 10-entry problem table holds: a lower bound
        flood = Capture("warn-flood.pcap", LINKTYPE_ETHERNET, "30 group-bit sources")
        for n in range(1, 31):
            flood.add(n, n * 0.01, "request from 53:54:00:00:00:%02x" % n, inner_arp(n))
        flood_path = write_capture(flood, self.folder("flood"))
        rc, out, err = self.triage("-o", "macchk.table_cap:10", flood_path)
        r.check(rc == 1 and out.startswith(flood_path + ": at least 10 warnings, "),
                "triage: a warning count the tables cut is a lower bound: %r" % out)
        rc, out, err = self.triage("-o", "macchk.table_cap:100", flood_path)
        r.check(rc == 1 and out.startswith(flood_path + ": 30 warnings, "), "triage: exact count: %r" % out)
        # a capture without frames: nothing to check, not "ok"
        no_frames = os.path.join(self.folder("no-frames"), "no-frames.pcap")
        with open(no_frames, "wb") as f:
            f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, LINKTYPE_ETHERNET))
        rc, out, err = self.triage(no_frames)
        r.equal((rc, out), (0, no_frames + ": nothing to check (no frames)\n"), "triage: a capture without frames")

        # usage errors
        rc, out, err = self.triage(plugin=False)
        r.equal(rc, 2, "triage without arguments exits 2")
        for jobs in ("0", "-1", "two"):
            rc, out, err = self.triage("--jobs", jobs, clean)
            r.check(rc == 2 and "--jobs" in err, "triage --jobs %s: a usage error: %r" % (jobs, err))
        rc, out, err = self.triage(os.path.join(self.work, "nothing-here"))
        r.check(rc == 2 and "no such file or folder" in err, "triage: missing path exits 2: %r" % err)
        rc, out, err = self.triage(os.path.join(mixed, "notes.txt") + "-no")
        r.equal(rc, 2, "triage: missing file exits 2")
        rc, out, err = self.triage(self.folder("none"))
        r.check(rc == 2 and "no captures found" in err, "triage: a folder without captures exits 2")
        rc, out, err = self.triage("--plugin", os.path.join(self.work, "no.so"), clean, plugin=False)
        r.check(rc == 2 and "plugin not found" in err, "triage: missing plugin exits 2")
        not_plugin = os.path.join(self.work, "not-a-plugin.so")
        with open(not_plugin, "w") as f:
            f.write("nothing\n")
        rc, out, err = self.triage("--plugin", not_plugin, clean, plugin=False)
        r.check(rc == 4 and "did not load the macchk plugin" in err,
                "triage: a plugin tshark cannot load exits 4: %r" % err[-300:])

    # --- files that are not regular files -----------------------------------

    def test_special_files(self):
        r = self.r
        top = self.folder("special")
        clean = self.copy("clean.pcap", "special", "clean.pcap")
        fifo = os.path.join(top, "fifo.pcap")
        os.mkfifo(fifo)  # no writer: opening it for reading would block for ever
        os.symlink("/dev/zero", os.path.join(top, "zero.pcap"))
        sock = socket.socket(socket.AF_UNIX)
        sock.bind(os.path.join(top, "sock.pcap"))
        try:
            rc, out, err = self.triage(top, "/dev/null", timeout=60)
        finally:
            sock.close()
        expected = [clean + ": ok",
                    fifo + ": skipped, a FIFO (not a capture file)",
                    os.path.join(top, "sock.pcap") + ": skipped, a socket (not a capture file)",
                    os.path.join(top, "zero.pcap") + ": skipped, a character device (not a capture file)",
                    "/dev/null: skipped, a character device (not a capture file)"]
        r.equal(out.splitlines(), expected, "special files: each named for what it is, the capture read")
        r.equal(rc, 3, "special files skipped and no warning: exit 3 (%r)" % err)
        rc, out, err = self.triage("--json", fifo, timeout=60)
        r.check(rc == 3 and json.loads(out or "null") == [{"file": fifo, "skipped": "a FIFO (not a capture file)"}],
                "a FIFO named on the command line, --json: %r" % out)

    # --- links to folders -------------------------------------------------------

    def test_folder_links(self):
        r = self.r
        top = self.folder("links", "top")
        elsewhere = self.folder("links", "elsewhere")
        self.copy("clean.pcap", "links", "top", "a", "clean.pcap")
        self.copy("bad-guest-mac.pcap", "links", "elsewhere", "bad.pcap")
        os.symlink("..", os.path.join(top, "a", "loop"))     # back up to top: a loop
        os.symlink(elsewhere, os.path.join(top, "b-link"))   # outside the tree: followed
        os.symlink(elsewhere, os.path.join(top, "c-again"))  # the same folder a second time
        rc, out, err = self.triage(top)
        expected = [os.path.join(top, "a", "clean.pcap") + ": ok",
                    os.path.join(top, "a", "loop") + ": skipped, already searched as %s (a link to a folder "
                    "searched before)" % top,
                    os.path.join(top, "b-link", "bad.pcap") + ": 3 warnings",
                    os.path.join(top, "c-again") + ": skipped, already searched as %s (a link to a folder "
                    "searched before)" % os.path.join(top, "b-link")]
        lines = out.splitlines()
        r.check(len(lines) == len(expected) and all(l.startswith(e) for l, e in zip(lines, expected)),
                "folder links followed once, loops cut: %r" % out)
        r.equal(rc, 1, "folder links: a folder searched before changes no exit status")

    # --- names ----------------------------------------------------------------

    def test_names(self):
        r = self.r
        folder = self.folder("names")
        odd = os.path.join(folder, "new\nline\ttab\x1b[31mback\\slash.pcap")
        shutil.copy(self.t.path("bad-guest-mac.pcap"), odd)
        raw = os.path.join(os.fsencode(folder), b"not-utf8-\xff.pcap")  # bytes no decoding can show
        shutil.copy(self.t.path("clean.pcap"), raw)
        rc, out, err = self.triage(folder)
        lines = out.splitlines()
        r.equal(len(lines), 2, "a name with control characters keeps to one line: %r" % out)
        shown = os.path.join(folder, "new\\nline\\ttab\\x1b[31mback\\\\slash.pcap: 3 warnings, 0 notes: ")
        r.check(lines[:1] and lines[0].startswith(shown), "control characters and backslash escaped: %r" % lines[:1])
        r.check(len(lines) == 2 and lines[1] == os.path.join(folder, "not-utf8-\\xff.pcap: ok"),
                "a byte that is not UTF-8 escaped: %r" % lines[1:])
        rc, out, err = self.triage("--json", folder)
        files = [e.get("file") for e in json.loads(out or "[]")]
        r.equal(files, [odd, os.fsdecode(raw)], "--json keeps the real names")

    # --- --jobs ---------------------------------------------------------------

    def test_jobs(self):
        """--jobs 2 and 3 print exactly what --jobs 1 prints.  The first
        capture is the slowest by far, so an output in the order captures
        finish would differ."""
        r = self.r
        folder = self.folder("jobs")
        flood_gen.gen_mixed(os.path.join(folder, "a-big.pcap"), 30000, 3)
        for name in ("bad-guest-mac", "clean", "arp-conflicts", "tunnels", "wifi"):
            self.copy(name + ".pcap", "jobs", "b-%s.pcap" % name)
        with open(os.path.join(folder, "c-random.pcap"), "wb") as f:
            f.write(bytes(random.Random(5).getrandbits(8) for _ in range(2000)))
        os.mkfifo(os.path.join(folder, "d-fifo.pcap"))
        for form in ([], ["--json"], ["--all"]):
            one = self.triage("--jobs", "1", *form, folder)
            r.check(one[1].startswith("[" if form == ["--json"] else os.path.join(folder, "a-big.pcap")),
                    "--jobs 1 %s: the big capture first: %r" % (form, one[1][:200]))
            for jobs in ("2", "3"):
                r.equal(self.triage("--jobs", jobs, *form, folder), one, "--jobs %s %s: as --jobs 1" % (jobs, form))

    # --- fast triage ------------------------------------------------------------

    def test_fast_is_full(self):
        """Fast triage (the default) gives the report of --full, byte for
        byte, on every capture at hand."""
        r = self.r
        generated = self.folder("generated")
        tunnels = write_capture(tunnels_capture(), generated)
        flood_gen.gen_fuzz(os.path.join(generated, "fuzz.pcapng"), 3000, 7)
        flood_gen.gen_mixed(os.path.join(generated, "mixed.pcap"), 5000, 2)
        roots = [self.t.captures, generated]
        if os.path.isdir(self.real):
            roots.append(self.real)
        else:
            print("test_triage: %s not found: real captures left out" % self.real)

        disabled = self.triage("--list-disabled")[1].split()
        r.check("tcp" in disabled and len(disabled) > 50, "fast triage disables TCP and UDP's applications: %r"
                % disabled[:10])
        needed = ["frame", "eth", "arp", "vlan", "llc", "sll", "wlan", "ieee8021ah", "mpls", "ip", "ipv6", "icmp",
                  "icmpv6", "udp", "gre", "erspan", "vxlan", "geneve", "capwap.data", "gtp", "macchk"]
        r.equal([p for p in needed if p in disabled], [], "fast triage keeps what leads to a link layer")

        for root in roots:
            fast = self.triage("--json", root)
            full = self.triage("--json", "--full", root)
            r.check(fast[0] is not None and fast[2] == "", "fast triage of %s: no complaint: %r" % (root, fast[2]))
            if not r.check(fast == full, "%s: fast triage prints what --full prints" % root):
                fast_entries = {e["file"]: e for e in json.loads(fast[1] or "[]")}
                for entry in json.loads(full[1] or "[]"):
                    if fast_entries.get(entry["file"]) != entry:
                        print("    differs: %s" % entry["file"])
            entries = json.loads(full[1] or "[]")
            r.check(sum("report" in e for e in entries) >= 3, "%s: captures were read: %r" % (root, full[1][:300]))

        # The generated tunnels are really followed (each inner source found by
        # the full report), and a report without one of them differs: the
        # comparison above would have seen a lost tunnel.
        full_report = self.t.run(["-n", "-q", "-r", tunnels, "-z", "macchk,report"]).stdout
        r.equal([n for n in range(1, 6) if "53:54:00:00:00:%02x" % n not in full_report], [],
                "every generated tunnel's inner source is in the full report")
        args = ["-n", "-q", "-r", tunnels, "-z", "macchk,report"]
        fast_report = self.t.run(args + sum((["--disable-protocol", p] for p in disabled), [])).stdout
        r.check(fast_report == full_report, "the text report too is byte-identical with fast triage's protocols")
        no_udp = self.t.run(args + ["--disable-protocol", "udp"]).stdout
        r.check(no_udp != full_report, "disabling UDP would lose tunnels: the comparison sees it")

        # The documented difference: frames inside TCP (an OpenFlow packet-in)
        # are read by --full only.  This also shows triage runs fast by default.
        openflow = write_capture(openflow_capture(), self.folder("openflow"))
        rc_full, out_full, _ = self.triage("--full", openflow)
        rc_fast, out_fast, _ = self.triage(openflow)
        r.check(rc_full == 1 and "53:54:00:00:00:09" in out_full, "--full reads the OpenFlow packet-in: %r"
                % out_full)
        r.equal((rc_fast, out_fast), (0, openflow + ": ok\n"), "fast triage leaves TCP, and OpenFlow, out")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plugin", required=True)
    parser.add_argument("--captures", required=True, help="the bundled captures")
    parser.add_argument("--real", default=os.path.join(HERE, "..", "..", "shared", "captures-real"),
                        help="real captures, compared fast against full when present")
    parser.add_argument("--only", help="run only the tests whose name contains this")
    args = parser.parse_args()

    results = Results()
    tshark = Tshark(args.plugin, args.captures)
    suite = Suite(tshark, results, os.path.abspath(args.plugin), os.path.abspath(args.real))
    try:
        run_tests(suite, results, args.only)
    finally:
        suite.close()
        tshark.close()
    return results.close("test_triage")


if __name__ == "__main__":
    sys.exit(main())
