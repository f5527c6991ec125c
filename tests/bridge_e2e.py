#!/usr/bin/env python3
"""End-to-end on a real Linux bridge: what the kernel does with a guest's MAC,
and what macchk says about captures of it (needs root; skipped otherwise).

Each case builds its own network namespace with a bridge like libvirt's
virbr0 (192.168.122.1/24, STP off, forward delay 0, no multicast snooping,
whose IGMP/MLD reports would land at random times) and one tap port per
guest; on each tap tests/bridge_guest.py answers ARP and ping from the MAC
under test.  The single-guest cases are dual-stack (issue 11): the bridge
also has IPv6 (its EUI-64 link-local address and fd00::1/64, no DAD, no
router solicitations, MLD reports sent at once so that they are over before
the captures start; the taps have no IPv6; while capturing, one more
address, fd00::2, with DAD: the bridge's own MLD report and DAD probe, which
macchk must not flag), and the guest answers Neighbor
Solicitations for its link-local address (EUI-64 of its MAC) and fd00::50
with a solicited Neighbor Advertisement carrying its MAC, and ICMPv6 echo
requests.  dumpcap captures on every tap and on the bridge at once while the
host pings the guest's IPv4 address and, at the same time, its two IPv6
addresses (so that the last retry of every exchange is the same time before
the capture's end, away from the 3 s timeouts).  The test asserts what the
kernel did (ping replies, neighbour state for each address, bridge
forwarding table, which frames reached the bridge) and what macchk reports
on each capture (tshark with the freshly built plugin, one pass and -2):

1. group-bit source 53:54:00:12:34:56, 2. zero source: the bridge drops the
   guest's frames before learning (is_valid_ether_addr()), ARP replies and
   Neighbor Advertisements alike, so they are on the tap capture, not on the
   bridge's, and the neighbour entries (IPv4 and both IPv6 addresses) stay
   INCOMPLETE or FAILED.  Every guest frame on the tap is macchk.invalid
   (src.group_bit, src.zero), and its advertisements are
   macchk.nd.bad_lladdr too (the target link-layer address is the same bad
   MAC).  On the bridge, with -2, each of the host's ARP requests and
   Neighbor Solicitations for the guest that was retried is
   macchk.arp.unanswered / macchk.nd.unanswered, and a last one less than
   3 s before the capture's end is the Note macchk.arp.capture_ended /
   macchk.nd.capture_ended instead; in one pass none is decided.
3. a good MAC: REACHABLE (or STALE/DELAY) for every address, replies, no
   macchk.invalid on either capture (the bridge's own IPv6 frames included);
   each advertisement's macchk.nd.request_in is the solicitation it answers.
In every dual-stack case macchk.nd.kind of the host's solicitations is "NS"
(multicast, to the solicited-node address) or "NUD" (unicast), and of the
guest's advertisements "solicited NA".
4. two guests (.50 and .51) sharing QEMU's default MAC 52:54:00:12:34:56:
   each answers while it was the last to speak, because the bridge's
   forwarding entry for the MAC follows the last sender; a second ping to
   .50 is delivered to .51's tap and lost, until .50 is resolved again.
   Every frame from the MAC is macchk.src.qemu_default; where one capture
   shows the MAC claiming .50 again after .51 (only the bridge sees both),
   macchk.dup.mac, as the spans of the ARP claims predict.

Traffic never leaves the namespace.  Exits 77 (skipped) when not root, or
when namespaces, bridges, tap devices or dumpcap are not permitted.
"""
import argparse
import ctypes
import json
import os
import re
import select
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
from types import SimpleNamespace

from macchk_harness import SKIPPED, Results, Tshark

BRIDGE, BRIDGE_MAC, HOST_IP = "virbr0", "52:54:00:8a:3c:01", "192.168.122.1"
HOST_IP6, HOST_PREFIX6, GUEST_IP6 = "fd00::1", 64, "fd00::50"
PROBED_IP6 = "fd00::2"  # added while capturing, with DAD: the bridge's own MLD report and DAD probe
QEMU_DEFAULT = "52:54:00:12:34:56"
ARP_TIMEOUT = 3.0   # macchk's default arp_timeout_ms, in seconds
ND_TIMEOUT = 3.0    # and its Neighbor Discovery timeout
FLUSH_WAIT = 1.0    # dumpcap hands frames on every 250 ms: wait that long before stopping it
PINGS = 3
QUICK_PINGS = ["-c", str(PINGS), "-i", "0.2"]
# one a second: the kernel's 3 ARP requests, 1 s apart, all go out while ping waits
SLOW_PINGS = ["-c", str(PINGS), "-i", "1"]
GUEST_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bridge_guest.py")
RESOLVED = {"REACHABLE", "STALE", "DELAY"}
UNRESOLVED = {"INCOMPLETE", "FAILED"}

# What each capture is read for: the frame facts, and the macchk findings (without "macchk.").
FRAME_FIELDS = {"time": "frame.time_epoch", "src": "eth.src", "op": "arp.opcode",
                "sha": "arp.src.hw_mac", "spa": "arp.src.proto_ipv4", "tpa": "arp.dst.proto_ipv4",
                "src6": "ipv6.src", "dst6": "ipv6.dst", "hlim": "ipv6.hlim", "icmp6": "icmpv6.type",
                "csum6": "icmpv6.checksum.status", "ns_target": "icmpv6.nd.ns.target_address",
                "na_target": "icmpv6.nd.na.target_address", "na_s": "icmpv6.nd.na.flag.s",
                "na_o": "icmpv6.nd.na.flag.o", "tllao": "icmpv6.opt.target_linkaddr"}
FINDINGS = ["invalid", "src.group_bit", "src.zero", "src.qemu_default", "arp.unanswered",
            "arp.capture_ended", "dup.mac", "dup.renumbered",
            "nd.unanswered", "nd.capture_ended", "nd.bad_lladdr"]
# macchk fields read for their value (without "macchk."), "" when absent
VALUES = ["nd.kind", "nd.request_in"]
ICMPV6_ECHO_REPLY, ICMPV6_NS, ICMPV6_NA = "129", "135", "136"
MLD_REPORTS = ("131", "143")  # MLDv1, MLDv2


def link_local(mac):
    """The EUI-64 link-local address of a MAC (RFC 4291 appendix A), as the
    kernel makes it for the bridge and a guest's stack would for itself."""
    octets = bytes.fromhex(mac.replace(":", ""))
    eui64 = bytes([octets[0] ^ 0x02]) + octets[1:3] + b"\xff\xfe" + octets[3:]
    return socket.inet_ntop(socket.AF_INET6, b"\xfe\x80" + bytes(6) + eui64)


BRIDGE_LL = link_local(BRIDGE_MAC)


class Skip(Exception):
    """The environment does not let us build the test network."""


def run(args, skip_reason=None):
    """Run a command, return its output; a failure skips with skip_reason, or raises."""
    proc = subprocess.run(args, capture_output=True, text=True, timeout=30)
    if proc.returncode != 0:
        detail = "%s: %s" % (" ".join(args), (proc.stderr or proc.stdout).strip())
        if skip_reason:
            raise Skip("%s (%s)" % (skip_reason, detail))
        raise RuntimeError(detail)
    return proc.stdout


def die_with_parent():
    """In a child before exec: be sent SIGTERM if this test dies, even by
    SIGKILL (a ctest timeout), so no guest or dumpcap outlives it."""
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def start(args, **kwargs):
    return subprocess.Popen(args, preexec_fn=die_with_parent, **kwargs)


def wait_until(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError("timed out waiting for " + what)
        time.sleep(0.05)


NAMESPACE_PREFIX = "macchk-e2e-"


def remove_stale_namespaces():
    """Delete namespaces left by runs of this test that were killed (named
    after their pid, which is gone)."""
    for line in run(["ip", "netns", "list"]).splitlines():
        match = re.match(re.escape(NAMESPACE_PREFIX) + r"(\d+)-\S+", line)
        if match and not os.path.exists("/proc/" + match.group(1)):
            subprocess.run(["ip", "netns", "del", match.group(0)], check=False)


class Network:
    """A namespace with virbr0, one tap per guest, the guests and the dumpcaps.
    Everything it starts is stopped by pid and the namespace deleted on exit,
    whatever happened."""

    def __init__(self, case, guests, workdir, ipv6=False):
        self.name = "%s%d-%s" % (NAMESPACE_PREFIX, os.getpid(), case)
        self.case, self.guests, self.workdir, self.ipv6 = case, guests, workdir, ipv6
        self.processes = []
        self.captures = {}  # device -> (dumpcap process, capture file, dumpcap's log)
        self.created = False

    def __enter__(self):
        try:
            self.create()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc):
        self.close()

    def inside(self, args):
        return ["ip", "netns", "exec", self.name] + args

    def ip(self, *args):
        return run(["ip", "-n", self.name] + list(args))

    def create(self):
        run(["ip", "netns", "add", self.name], "cannot create a network namespace")
        self.created = True
        # -e: a kernel without IPv6 has no such keys, and nothing to disable
        run(self.inside(["sysctl", "-qew", "net.ipv6.conf.all.disable_ipv6=1",
                         "net.ipv6.conf.default.disable_ipv6=1"]))
        run(["ip", "-n", self.name, "link", "add", BRIDGE, "address", BRIDGE_MAC, "type", "bridge",
             "stp_state", "0", "forward_delay", "0", "mcast_snooping", "0"], "cannot create a bridge")
        self.ip("addr", "add", HOST_IP + "/24", "dev", BRIDGE)
        # the kernel's defaults, pinned: 3 broadcast requests 1 s apart, then FAILED
        run(self.inside(["sysctl", "-qw", "net.ipv4.neigh.%s.mcast_solicit=3" % BRIDGE,
                         "net.ipv4.neigh.%s.app_solicit=0" % BRIDGE,
                         "net.ipv4.neigh.%s.retrans_time_ms=1000" % BRIDGE]))
        if self.ipv6:
            self.enable_ipv6()
        for n, guest in enumerate(self.guests):
            run(["ip", "-n", self.name, "tuntap", "add", "dev", guest.tap, "mode", "tap"],
                "cannot create a tap device")
            # libvirt gives the host side of a guest's tap fe:54:00:...
            self.ip("link", "set", guest.tap, "address", "fe:54:00:00:00:%02x" % n, "master", BRIDGE, "up")
        self.ip("link", "set", BRIDGE, "up")
        for guest in self.guests:
            self.start_guest(guest)
        # carrier comes with the guest; with STP off the port forwards at once
        wait_until(self.ports_forwarding, 5, "the bridge ports to forward")
        if self.ipv6:
            # the link-local address comes with the bridge's carrier
            wait_until(self.ipv6_ready, 5, "the bridge's IPv6 addresses")

    def enable_ipv6(self):
        """IPv6 on the bridge only (the taps stay without, as bridge ports
        do): no DAD (its probes would take a second and land in the
        captures), no router solicitations, the kernel's neighbour
        discovery defaults pinned (3 multicast solicitations 1 s apart, then
        FAILED; 3 unicast probes for NUD), MLD reports sent at once and then
        no more (no querier here), fd00::1/64 beside the EUI-64 link-local
        address the kernel makes from the bridge's MAC."""
        conf = "net.ipv6.conf.%s." % BRIDGE
        neigh = "net.ipv6.neigh.%s." % BRIDGE
        run(self.inside(["sysctl", "-qw", "net.ipv6.conf.all.accept_dad=0", conf + "accept_dad=0",
                         conf + "router_solicitations=0", conf + "accept_ra=0",
                         conf + "mldv2_unsolicited_report_interval=1",
                         conf + "mldv1_unsolicited_report_interval=1",
                         neigh + "mcast_solicit=3", neigh + "ucast_solicit=3", neigh + "app_solicit=0",
                         neigh + "retrans_time_ms=1000", conf + "disable_ipv6=0"]), "cannot enable IPv6")
        self.ip("-6", "addr", "add", "%s/%d" % (HOST_IP6, HOST_PREFIX6), "dev", BRIDGE, "nodad")

    def ipv6_ready(self):
        """The bridge has its link-local address and fd00::1, neither tentative."""
        found = {}
        for entry in json.loads(self.ip("-j", "-6", "addr", "show", "dev", BRIDGE) or "[]"):
            for addr in entry.get("addr_info", []):
                found[addr.get("local")] = addr.get("tentative", False)
        return all(found.get(a) is False for a in (BRIDGE_LL, HOST_IP6))

    def start_guest(self, guest):
        ip6 = ["--ip6=" + a for a in guest.ip6] if self.ipv6 else []
        proc = start(self.inside([sys.executable, GUEST_SCRIPT, "--tap", guest.tap,
                                  "--mac", guest.mac, "--ip", guest.ip] + ip6),
                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.processes.append(proc)
        if select.select([proc.stdout], [], [], 10)[0] and proc.stdout.readline().strip() == "ready":
            return
        proc.kill()
        status, error = proc.wait(), proc.stderr.read().strip()
        if status == SKIPPED:
            raise Skip(error)
        raise RuntimeError("guest on %s did not start (status %s): %s" % (guest.tap, status, error))

    def ports_forwarding(self):
        ports = json.loads(run(["bridge", "-n", self.name, "-j", "link", "show"]) or "[]")
        states = {p["ifname"]: p.get("state") for p in ports}
        return all(states.get(g.tap) == "forwarding" for g in self.guests)

    def start_captures(self, devices):
        for device in devices:
            path = os.path.join(self.workdir, "%s-%s.pcapng" % (self.case, device))
            log = open(path + ".log", "w+")
            proc = start(self.inside(["dumpcap", "-i", device, "-w", path]), stdout=subprocess.DEVNULL, stderr=log)
            self.processes.append(proc)
            self.captures[device] = (proc, path, log)
        for device in devices:
            wait_until(lambda: self.capturing(device), 10, "dumpcap on " + device)

    def capturing(self, device):
        """dumpcap names its file once the interface is open and capturing."""
        proc, path, log = self.captures[device]
        log.seek(0)
        said = log.read()
        if proc.poll() is not None:
            raise Skip("dumpcap cannot capture on %s: %s" % (device, said.strip()))
        return "File: " in said

    def stop_captures(self):
        """Stop every dumpcap; return {device: capture file}."""
        time.sleep(FLUSH_WAIT)
        files = {}
        for device, (proc, path, log) in self.captures.items():
            proc.send_signal(signal.SIGINT)
            if proc.wait(10) != 0:
                log.seek(0)
                raise RuntimeError("dumpcap on %s failed: %s" % (device, log.read().strip()))
            log.close()
            os.chmod(path, 0o644)  # tshark runs as nobody
            files[device] = path
        return files

    def add_probed_address(self):
        """Give the bridge PROBED_IP6 with DAD on: the kernel joins its
        solicited-node group (an MLD report at once) and sends a DAD probe
        within a second (RFC 4862), beside our traffic."""
        run(self.inside(["sysctl", "-qw", "net.ipv6.conf.%s.accept_dad=1" % BRIDGE]))
        self.ip("-6", "addr", "add", "%s/%d" % (PROBED_IP6, HOST_PREFIX6), "dev", BRIDGE)

    def ping(self, ip, options):
        """Ping ip from the host; return the number of replies."""
        return self.pings([ip], options)[ip]

    def pings(self, ips, options):
        """Ping every one of ips from the host at the same time (IPv6
        link-local ones through the bridge); return {ip: replies}."""
        procs = {}
        for ip in ips:
            family = ["-6", "-I", BRIDGE] if ":" in ip else []
            target = ip + "%" + BRIDGE if ip.startswith("fe80:") else ip
            procs[ip] = start(self.inside(["ping"] + family + ["-n", "-q", "-W", "1"] + list(options) + [target]),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        replies = {}
        for ip, proc in procs.items():
            out, err = proc.communicate(timeout=30)
            match = re.search(r"(\d+) packets transmitted, (\d+) received", out)
            if not match:
                raise RuntimeError("ping %s: %s %s" % (ip, out, err))
            replies[ip] = int(match.group(2))
        return replies

    def neighbour(self, ip):
        """The host's neighbour entry for ip: (state, MAC)."""
        entries = json.loads(self.ip("-j", "neigh", "show", ip, "dev", BRIDGE) or "[]")
        if not entries:
            return ("none", None)
        return ("/".join(entries[0].get("state", [])), entries[0].get("lladdr"))

    def forget_neighbour(self, ip):
        self.ip("neigh", "del", ip, "dev", BRIDGE)

    def port_of(self, mac):
        """The bridge port the forwarding table sends mac to, or None."""
        entries = json.loads(run(["bridge", "-n", self.name, "-j", "fdb", "show", "br", BRIDGE]) or "[]")
        ports = [e["ifname"] for e in entries if e["mac"] == mac and e["ifname"] != BRIDGE]
        return ports[0] if ports else None

    def close(self):
        for proc in reversed(self.processes):
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(5)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        for proc, path, log in self.captures.values():
            log.close()
        self.processes, self.captures = [], {}
        if self.created:
            subprocess.run(["ip", "netns", "del", self.name], check=False)
            self.created = False


# ---- what each case does in its namespace; returns what was seen ----------

def exercise_one_guest(net, case):
    """Ping the guest's IPv4 address and, on a dual-stack case, its IPv6
    ones, all at once; record the host's neighbour entries (also kept as
    CASE-neigh.txt, the output of ip neigh)."""
    guest = net.guests[0]
    net.start_captures([BRIDGE, guest.tap])
    if case.ipv6:
        net.add_probed_address()
    addresses = [guest.ip] + (guest.ip6 if case.ipv6 else [])
    replies = net.pings(addresses, case.ping)
    neighbours = {ip: net.neighbour(ip) for ip in addresses}
    with open(os.path.join(net.workdir, "%s-neigh.txt" % case.name), "w") as out:
        for family in (["-4"], ["-6"]):
            out.write("$ ip %s neigh show dev %s\n" % (family[0], BRIDGE))
            out.write(net.ip(*(family + ["neigh", "show", "dev", BRIDGE])))
    return SimpleNamespace(replies=replies[guest.ip], neighbour=neighbours[guest.ip], replies6=replies,
                           neighbours=neighbours, captures=net.stop_captures())


def exercise_shared_mac(net, case):
    """Ping .50, then .51, then .50 again (the bridge now sends the MAC to
    .51's tap), then .50 once more after deleting its neighbour entry (as when
    it expires): the new ARP reply from .50 moves the MAC back."""
    first, second = net.guests
    net.start_captures([BRIDGE, first.tap, second.tap])
    steps = []
    for label, guest, forget in [("ping .50", first, False), ("ping .51", second, False),
                                 ("ping .50 again", first, False), ("ping .50 after re-ARP", first, True)]:
        if forget:
            net.forget_neighbour(guest.ip)
        replies = net.ping(guest.ip, QUICK_PINGS)
        steps.append(SimpleNamespace(label=label, guest=guest, replies=replies,
                                     neighbour=net.neighbour(guest.ip), port=net.port_of(QEMU_DEFAULT)))
    return SimpleNamespace(steps=steps, captures=net.stop_captures())


# ---- reading the captures ------------------------------------------------

def registered_fields(tshark):
    """The macchk fields and expert infos (without "macchk.") the plugin
    registers: tshark refuses a -e of an unknown field, and the ND ones come
    with the ND glue."""
    out = tshark.run(["-G", "fields"]).stdout
    return {line.split("\t")[2][len("macchk."):] for line in out.splitlines()
            if line.count("\t") >= 2 and line.split("\t")[2].startswith("macchk.")}


def dissect(tshark, path, two_pass):
    """The capture's frames in order, each with its FRAME_FIELDS, the set of
    macchk FINDINGS present and the macchk VALUES (a finding or value the
    plugin does not register is absent)."""
    wanted = [x for x in FINDINGS + VALUES if x in tshark.macchk_fields]
    names = list(FRAME_FIELDS.values()) + ["macchk." + x for x in wanted]
    frames = []
    for number, row in sorted(tshark.fields(path, names, two_pass=two_pass).items()):
        frame = SimpleNamespace(number=number, **{k: row[v] for k, v in FRAME_FIELDS.items()})
        frame.time = float(frame.time)
        frame.findings = {x for x in FINDINGS if row.get("macchk." + x)}
        frame.values = {x: row.get("macchk." + x, "") for x in VALUES}
        frame.tllao = frame.tllao.replace(":", "").lower()
        frames.append(frame)
    return frames


def numbers(frames, finding=None):
    return [f.number for f in frames if finding is None or finding in f.findings]


def expected_claim_findings(frames, two_pass):
    """Frames that should carry macchk.dup.mac and macchk.dup.renumbered,
    from the ARP senders alone (README, "ARP definitions"): a binding
    (sender IP, sender MAC) spans its first to last frame; a frame whose
    binding overlaps another binding of its MAC is a duplicate; the first
    frame of a binding that follows another of its MAC is a renumbering.
    -2 sees the whole capture, one pass only the frames up to each one."""
    claims = [(f.number, f.sha, f.spa) for f in frames if f.op in ("1", "2") and f.spa not in ("", "0.0.0.0")]
    duplicate, renumbered = [], []
    for i, (number, mac, ip) in enumerate(claims):
        spans = {}
        for n, m, claimed in (claims if two_pass else claims[:i + 1]):
            if m == mac:
                first, last = spans.get(claimed, (n, n))
                spans[claimed] = (min(first, n), max(last, n))
        first, last = spans.pop(ip)
        if any(other_first <= last and first <= other_last for other_first, other_last in spans.values()):
            duplicate.append(number)
        elif number == first and any(other_last < first for _, other_last in spans.values()):
            renumbered.append(number)
    return duplicate, renumbered


# ---- the assertions ------------------------------------------------------

def settle(requests, answers, timeout, names, end, two_pass):
    """What macchk should say of unanswered requests (ARP or ND), in one
    capture, for requests of one exchange key in frame order: with -2 a
    request asked again before any answer is unanswered, the last one too when
    the capture went on for the timeout after it, else it is capture_ended (a
    Note: an answer may have come later).  One pass decides neither.  names
    are (unanswered, capture_ended); returns {frame: findings expected}."""
    unanswered, capture_ended = names
    expected = {}
    for request, later in zip(requests, requests[1:] + [None]):
        retried = later is not None and not any(request.number < a < later.number for a in answers)
        if not two_pass:
            expected[request.number] = []
        elif retried or end - request.time >= timeout:
            expected[request.number] = sorted([unanswered, "invalid"])
        else:
            expected[request.number] = [capture_ended]
    return expected


def check_host_requests(results, where, frames, guest, two_pass):
    """The host's requests for the guest, on a capture where the guest's
    replies never arrived: with -2 a retried request is unanswered; the last
    one is unanswered too when the capture went on for the ARP timeout after
    it, else it is capture_ended (a Note: a reply may have come later).  One
    pass decides neither: a reply may still come."""
    requests = [f for f in frames if f.op == "1" and f.spa == HOST_IP and f.tpa == guest.ip]
    replies = [f.number for f in frames if f.op == "2" and f.spa == guest.ip and f.tpa == HOST_IP]
    results.check(requests, "%s: no ARP request from the host for %s" % (where, guest.ip))
    end = max(f.time for f in frames) if frames else 0
    expected = settle(requests, replies, ARP_TIMEOUT,
                      ("arp.unanswered", "arp.capture_ended"), end, two_pass)
    for request in requests:
        got = request.findings & {"arp.unanswered", "arp.capture_ended", "invalid"}
        results.equal(sorted(got), expected[request.number],
                      "%s frame %d (request for %s, %.1f s before the end)"
                      % (where, request.number, guest.ip, end - request.time))
    if two_pass:
        unanswered = numbers(requests, "arp.unanswered")
        results.check(len(unanswered) >= 2, "%s: %d requests for %s called unanswered (frames %s), "
                      "expected at least 2" % (where, len(unanswered), guest.ip, unanswered))
    return {n for n, findings in expected.items() if "invalid" in findings}


# ---- IPv6 Neighbor Discovery ----------------------------------------------

def host_solicitations(frames, guest):
    """The host's Neighbor Solicitations for the guest's addresses, by target."""
    return {target: [f for f in frames if f.icmp6 == ICMPV6_NS and f.src == BRIDGE_MAC and f.ns_target == target]
            for target in guest.ip6}


def guest_advertisements(frames, guest):
    return [f for f in frames if f.icmp6 == ICMPV6_NA and f.src == guest.mac]


def expected_kind(ns):
    """A solicitation to a multicast address (the target's solicited-node
    group) resolves; a unicast one checks reachability."""
    return "NS" if ns.dst6.startswith("ff") else "NUD"


def check_nd_kinds(results, where, frames, guest, with_adverts):
    """macchk.nd.kind of the host's solicitations and the guest's
    advertisements; every guest address was solicited (and advertised)."""
    solicitations = host_solicitations(frames, guest)
    for target, sent in sorted(solicitations.items()):
        results.check(sent, "%s: no Neighbor Solicitation from the host for %s" % (where, target))
    every = sorted((f for sent in solicitations.values() for f in sent), key=lambda f: f.number)
    results.equal({f.number: f.values["nd.kind"] for f in every}, {f.number: expected_kind(f) for f in every},
                  where + ": macchk.nd.kind of the host's solicitations")
    adverts = guest_advertisements(frames, guest)
    if with_adverts:
        advertised = {f.na_target for f in adverts}
        results.check(advertised >= set(guest.ip6), "%s: the guest advertised %s, not all of %s"
                      % (where, sorted(advertised), guest.ip6))
    results.equal({f.number: f.values["nd.kind"] for f in adverts}, {f.number: "solicited NA" for f in adverts},
                  where + ": macchk.nd.kind of the guest's advertisements")


def check_adverts_sent(results, where, frames, guest):
    """What the guest put on the wire is what RFC 4861 asks of a solicited
    advertisement: S and O set, its MAC as target link-layer address, hop
    limit 255, a correct checksum (Wireshark's verdict)."""
    mac = guest.mac.replace(":", "")
    wrong = [(f.number, f.na_s, f.na_o, f.tllao, f.hlim, f.csum6) for f in guest_advertisements(frames, guest)
             if (f.na_s, f.na_o, f.tllao, f.hlim, f.csum6) != ("1", "1", mac, "255", "1")]
    results.equal(wrong, [], "%s: guest advertisements not (S, O, TLLAO %s, hop limit 255, checksum good)"
                  % (where, guest.mac))


def check_host_solicitations_unanswered(results, where, frames, guest, two_pass):
    """As check_host_requests, for the host's solicitations of each guest
    address on a capture without the guest's advertisements; returns the
    frames that should be macchk.invalid."""
    end = max(f.time for f in frames) if frames else 0
    names = {"nd.unanswered", "nd.capture_ended", "invalid"}
    expected, got = {}, {}
    for target, sent in sorted(host_solicitations(frames, guest).items()):
        by_source = {}
        for f in sent:
            by_source.setdefault(f.src6, []).append(f)
        for source, requests in sorted(by_source.items()):
            expected.update(settle(requests, [], ND_TIMEOUT,
                                   ("nd.unanswered", "nd.capture_ended"), end, two_pass))
        for f in sent:
            got[f.number] = sorted(f.findings & names)
        if two_pass:
            unanswered = numbers(sent, "nd.unanswered")
            results.check(len(unanswered) >= 2, "%s: %d solicitations for %s called macchk.nd.unanswered "
                          "(frames %s), expected at least 2" % (where, len(unanswered), target, unanswered))
    before_end = ", ".join("%d %.1f s" % (f.number, end - f.time) for f in frames if f.number in got)
    results.equal(got, expected, "%s: macchk.nd.unanswered/capture_ended/invalid on the host's solicitations "
                  "(frame, time before the capture's end: %s)" % (where, before_end))
    return {n for n, findings in expected.items() if "invalid" in findings}


def check_bridge_own(results, where, frames, two_pass):
    """The bridge's own IPv6 housekeeping on a capture: its MLD reports and
    the DAD probe for PROBED_IP6 are on the wire (what the kernel did) and
    are not macchk.invalid; the probe's macchk.nd.kind is "DAD probe"."""
    reports = [f for f in frames if f.src == BRIDGE_MAC and f.icmp6 in MLD_REPORTS]
    probes = [f for f in frames if f.icmp6 == ICMPV6_NS and f.src6 == "::" and f.ns_target == PROBED_IP6]
    if not two_pass:
        results.check(reports, "%s: no MLD report from the bridge" % where)
        results.check(probes, "%s: no DAD probe for %s from the bridge" % (where, PROBED_IP6))
    results.equal(numbers(reports + probes, "invalid"), [], where + ": the bridge's MLD reports and DAD probe "
                  "with macchk.invalid")
    results.equal([f.values["nd.kind"] for f in probes], ["DAD probe"] * len(probes),
                  where + ": macchk.nd.kind of the DAD probe")


def check_request_in(results, where, frames, guest):
    """Each advertisement's macchk.nd.request_in is the first solicitation it
    answers: same target, from the address it is sent to, at most the
    timeout before it."""
    solicitations = [f for sent in host_solicitations(frames, guest).values() for f in sent]
    expected, got = {}, {}
    for na in guest_advertisements(frames, guest):
        answered = [ns.number for ns in solicitations if ns.ns_target == na.na_target and ns.src6 == na.dst6
                    and ns.number < na.number and na.time - ns.time <= ND_TIMEOUT]
        expected[na.number] = str(min(answered)) if answered else ""
        got[na.number] = na.values["nd.request_in"]
    results.equal(got, expected, where + ": macchk.nd.request_in of the guest's advertisements")


def dissected(tshark, name, captures):
    """(where, device, two_pass, frames) for each capture, one pass then -2."""
    for two_pass in (False, True):
        for device, path in sorted(captures.items()):
            yield ("%s %s (%s)" % (name, device, "-2" if two_pass else "one pass"), device, two_pass,
                   dissect(tshark, path, two_pass))


def check_neighbour(results, where, ip, neighbour, states, mac=None):
    """The host's entry for ip is in one of states (and points to mac)."""
    state, lladdr = neighbour
    results.check(state in states and (mac is None or lladdr == mac),
                  "%s: neighbour %s is %s (%s), expected %s%s" % (where, ip, state, lladdr, "/".join(sorted(states)),
                                                                   " with " + mac if mac else ""))


def check_neighbours(results, case, seen, states, mac=None):
    """The host's entry for every address pinged, and the replies to each ping."""
    for ip, replies in sorted(seen.replies6.items()):
        results.equal(replies, PINGS if states is RESOLVED else 0, "%s: ping %s: replies" % (case.name, ip))
        check_neighbour(results, case.name, ip, seen.neighbours[ip], states, mac)


def check_unreachable(results, tshark, case, seen):
    guest = case.guests[0]
    results.equal(seen.replies, 0, "%s: ping replies" % case.name)
    check_neighbour(results, case.name, guest.ip, seen.neighbour, UNRESOLVED)
    check_neighbours(results, case, seen, UNRESOLVED)
    for where, device, two_pass, frames in dissected(tshark, case.name, seen.captures):
        if device == BRIDGE:
            if not two_pass:  # what the kernel did: the same in both passes
                leaked = [f.number for f in frames if f.src == guest.mac or f.spa == guest.ip
                          or f.src6 in guest.ip6 or f.icmp6 == ICMPV6_NA]
                results.check(not leaked, "%s: the guest's frames %s reached the bridge" % (where, leaked))
            invalid = check_host_requests(results, where, frames, guest, two_pass)
            if case.ipv6:
                invalid |= check_host_solicitations_unanswered(results, where, frames, guest, two_pass)
                check_nd_kinds(results, where, frames, guest, with_adverts=False)
                check_bridge_own(results, where, frames, two_pass)
            # nothing else is a Warning there: not the bridge's own MLD reports
            results.equal(numbers(frames, "invalid"), sorted(invalid), where + ": frames with macchk.invalid")
            continue
        sent = [f for f in frames if f.src == guest.mac]
        if not two_pass:
            results.check(sent, "%s: no frame from %s on the tap capture" % (where, guest.mac))
        unflagged = [f.number for f in sent if not {"invalid", case.finding} <= f.findings]
        results.check(not unflagged, "%s: guest frames %s lack macchk.invalid/macchk.%s"
                      % (where, unflagged, case.finding))
        if case.ipv6:
            if not two_pass:
                check_adverts_sent(results, where, frames, guest)
            check_nd_kinds(results, where, frames, guest, with_adverts=True)
            adverts = guest_advertisements(frames, guest)
            results.equal(numbers(adverts, "nd.bad_lladdr"), numbers(adverts),
                          where + ": guest advertisements with macchk.nd.bad_lladdr")


def check_reachable(results, tshark, case, seen):
    guest = case.guests[0]
    results.equal(seen.replies, PINGS, "%s: ping replies" % case.name)
    check_neighbour(results, case.name, guest.ip, seen.neighbour, RESOLVED, guest.mac)
    check_neighbours(results, case, seen, RESOLVED, guest.mac)
    for where, device, two_pass, frames in dissected(tshark, case.name, seen.captures):
        results.check([f for f in frames if f.src == guest.mac], "%s: no frame from the guest" % where)
        # no Warning anywhere: the bridge's own IPv6 frames (MLD reports) included
        results.equal(numbers(frames, "invalid"), [], where + ": frames with macchk.invalid")
        if not case.ipv6:
            continue
        if not two_pass:
            check_adverts_sent(results, where, frames, guest)
            for target in guest.ip6:
                echoes = [f.number for f in frames if f.icmp6 == ICMPV6_ECHO_REPLY and f.src6 == target]
                results.equal(len(echoes), PINGS, "%s: echo replies from %s" % (where, target))
        check_nd_kinds(results, where, frames, guest, with_adverts=True)
        check_request_in(results, where, frames, guest)
        if device == BRIDGE:
            check_bridge_own(results, where, frames, two_pass)


def check_shared_mac(results, tshark, case, seen):
    first, second = case.guests
    # the bridge's forwarding entry follows whoever spoke last: each ping
    # works only while its guest was the last to send
    expect = {"ping .50": (PINGS, first.tap), "ping .51": (PINGS, second.tap),
              "ping .50 again": (0, second.tap), "ping .50 after re-ARP": (PINGS, first.tap)}
    for step in seen.steps:
        where = "%s, %s" % (case.name, step.label)
        replies, port = expect[step.label]
        results.equal(step.replies, replies, where + ": ping replies")
        results.equal(step.port, port, "%s: bridge port for %s" % (where, QEMU_DEFAULT))
        check_neighbour(results, where, step.guest.ip, step.neighbour, RESOLVED, QEMU_DEFAULT)
    for where, device, two_pass, frames in dissected(tshark, case.name, seen.captures):
        from_shared = numbers([f for f in frames if f.src == QEMU_DEFAULT])
        results.check(from_shared, "%s: no frame from %s" % (where, QEMU_DEFAULT))
        results.equal(numbers(frames, "src.qemu_default"), from_shared, where + ": frames with macchk.src.qemu_default")
        duplicate, renumbered = expected_claim_findings(frames, two_pass)
        if device == BRIDGE and two_pass:
            # only the bridge sees both guests' ARP, .50 claimed on both sides of .51
            results.check(duplicate, "%s: the ARP claims of %s do not overlap" % (where, QEMU_DEFAULT))
        results.equal(numbers(frames, "dup.mac"), duplicate, where + ": frames with macchk.dup.mac")
        results.equal(numbers(frames, "dup.renumbered"), renumbered, where + ": frames with macchk.dup.renumbered")
        # a tap sees the host's broadcast requests for the other guest but not
        # their replies (those go to the other tap): each one the host sent
        # again later is unanswered in this capture, as the contract says
        own_ip = {g.tap: g.ip for g in case.guests}.get(device)
        unseen = [f for f in frames if f.op == "1" and f.src == BRIDGE_MAC and own_ip and f.tpa != own_ip]
        retried = [f.number for f in unseen
                   if two_pass and any(g.number > f.number and g.tpa == f.tpa for g in unseen)]
        results.equal(numbers(frames, "arp.unanswered"), retried, where + ": frames with macchk.arp.unanswered")
        # the shared MAC is legal: its duplicate claims and those requests are the only Warnings
        results.equal(numbers(frames, "invalid"), sorted(set(duplicate) | set(retried)),
                      where + ": frames with macchk.invalid")


def guest(tap, mac, ip):
    """A guest; its IPv6 addresses (used on dual-stack cases): the EUI-64
    link-local one of its MAC, and fd00::50."""
    return SimpleNamespace(tap=tap, mac=mac, ip=ip, ip6=[link_local(mac), GUEST_IP6])


CASES = [
    SimpleNamespace(name="group-bit", guests=[guest("vnet0", "53:54:00:12:34:56", "192.168.122.50")], ipv6=True,
                    finding="src.group_bit", ping=SLOW_PINGS, exercise=exercise_one_guest, check=check_unreachable),
    SimpleNamespace(name="zero", guests=[guest("vnet0", "00:00:00:00:00:00", "192.168.122.50")], ipv6=True,
                    finding="src.zero", ping=SLOW_PINGS, exercise=exercise_one_guest, check=check_unreachable),
    SimpleNamespace(name="good", guests=[guest("vnet0", "52:54:00:ab:cd:01", "192.168.122.50")], ipv6=True,
                    ping=QUICK_PINGS, exercise=exercise_one_guest, check=check_reachable),
    # IPv4 only: two guests with one MAC would answer each other's ND too
    SimpleNamespace(name="shared-default", guests=[guest("vnet0", QEMU_DEFAULT, "192.168.122.50"),
                                                   guest("vnet1", QEMU_DEFAULT, "192.168.122.51")], ipv6=False,
                    exercise=exercise_shared_mac, check=check_shared_mac),
]


def environment_problem():
    """Why this machine cannot run the test, or None."""
    if os.geteuid() != 0:
        return "needs root (network namespaces, a bridge, tap devices, dumpcap)"
    for tool in ("ip", "bridge", "dumpcap", "ping", "sysctl"):
        if not shutil.which(tool):
            return tool + " not found"
    if not os.path.exists("/dev/net/tun"):
        try:
            os.makedirs("/dev/net", exist_ok=True)
            os.mknod("/dev/net/tun", stat.S_IFCHR | 0o666, os.makedev(10, 200))
        except OSError as err:
            return "/dev/net/tun is missing and cannot be made: %s" % err
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--plugin", required=True, help="the built macchk.so")
    parser.add_argument("--keep", help="copy the captures into this folder")
    parser.add_argument("--case", action="append", choices=[c.name for c in CASES], help="run only these cases")
    args = parser.parse_args()
    cases = [c for c in CASES if not args.case or c.name in args.case]
    results = Results()
    problem = environment_problem()
    if problem:
        for case in cases:
            results.skip("%s: %s" % (case.name, problem))
        return results.close("bridge_e2e")

    started = time.monotonic()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("bridge_e2e: terminated"))  # clean up in finally
    remove_stale_namespaces()
    tshark = Tshark(args.plugin)
    tshark.macchk_fields = registered_fields(tshark)
    if any(c.ipv6 for c in cases):
        for name in FINDINGS + VALUES:
            results.check(name in tshark.macchk_fields, "the plugin registers no macchk.%s (the ND glue?)" % name)
    workdir = tempfile.mkdtemp(prefix="macchk-bridge-")
    os.chmod(workdir, 0o755)
    try:
        for n, case in enumerate(cases):
            try:
                with Network(case.name, case.guests, workdir, case.ipv6) as net:
                    seen = case.exercise(net, case)
            except Skip as err:  # the same for every case: say so once each, and stop
                for skipped in cases[n:]:
                    results.skip("%s: %s" % (skipped.name, err))
                break
            except (RuntimeError, OSError, subprocess.SubprocessError) as err:
                results.check(False, "%s: %s" % (case.name, err))
                continue
            if case.ipv6:
                print("%s: neighbours %s" % (case.name, ", ".join("%s %s" % (ip, state) for ip, (state, _)
                                                                    in seen.neighbours.items())), flush=True)
            case.check(results, tshark, case, seen)
    finally:
        if args.keep:
            os.makedirs(args.keep, exist_ok=True)
            for name in os.listdir(workdir):
                shutil.copy(os.path.join(workdir, name), args.keep)
        shutil.rmtree(workdir, ignore_errors=True)
        tshark.close()
    print("bridge_e2e: %.1f s" % (time.monotonic() - started))
    return results.close("bridge_e2e")


if __name__ == "__main__":
    sys.exit(main())
