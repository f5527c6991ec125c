#!/usr/bin/env python3
"""End-to-end on a real Linux bridge: what the kernel does with a guest's MAC,
and what macchk says about captures of it (needs root; skipped otherwise).

Each case builds its own network namespace with a bridge like libvirt's
virbr0 (192.168.122.1/24, STP off, forward delay 0; no IPv6 and no
multicast snooping, whose IGMP reports would land at random times, so that
only our ARP and ping are on the wire) and one tap port per guest; on each tap
tests/bridge_guest.py answers ARP and ping from the MAC under test.  dumpcap
captures on every tap and on the bridge at once while the host pings.  The
test asserts what the kernel did (ping replies, neighbour state, bridge
forwarding table, which frames reached the bridge) and what macchk reports
on each capture (tshark with the freshly built plugin, one pass and -2):

1. group-bit source 53:54:00:12:34:56, 2. zero source: the bridge drops the
   guest's frames before learning (is_valid_ether_addr()), so they are on the
   tap capture, not on the bridge's, and the neighbour stays INCOMPLETE or
   FAILED.  Every guest frame on the tap is macchk.invalid (src.group_bit,
   src.zero).  On the bridge, with -2, each of the host's requests for the
   guest that was retried is macchk.arp.unanswered, and a last one less than
   the ARP timeout before the capture's end is the Note
   macchk.arp.capture_ended instead; in one pass neither is decided.
3. a good MAC: REACHABLE, replies, no macchk.invalid on either capture.
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
import stat
import subprocess
import sys
import tempfile
import time
from types import SimpleNamespace

from macchk_harness import SKIPPED, Results, Tshark

BRIDGE, BRIDGE_MAC, HOST_IP = "virbr0", "52:54:00:8a:3c:01", "192.168.122.1"
QEMU_DEFAULT = "52:54:00:12:34:56"
ARP_TIMEOUT = 3.0   # macchk's default arp_timeout_ms, in seconds
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
                "sha": "arp.src.hw_mac", "spa": "arp.src.proto_ipv4", "tpa": "arp.dst.proto_ipv4"}
FINDINGS = ["invalid", "src.group_bit", "src.zero", "src.qemu_default", "arp.unanswered",
            "arp.capture_ended", "dup.mac", "dup.renumbered"]


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

    def __init__(self, case, guests, workdir):
        self.name = "%s%d-%s" % (NAMESPACE_PREFIX, os.getpid(), case)
        self.case, self.guests, self.workdir = case, guests, workdir
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

    def start_guest(self, guest):
        proc = start(self.inside([sys.executable, GUEST_SCRIPT, "--tap", guest.tap,
                                  "--mac", guest.mac, "--ip", guest.ip]),
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

    def ping(self, ip, options):
        """Ping ip from the host; return the number of replies."""
        proc = subprocess.run(self.inside(["ping", "-n", "-q", "-W", "1"] + list(options) + [ip]),
                              capture_output=True, text=True, timeout=30)
        match = re.search(r"(\d+) packets transmitted, (\d+) received", proc.stdout)
        if not match:
            raise RuntimeError("ping %s: %s %s" % (ip, proc.stdout, proc.stderr))
        return int(match.group(2))

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
    guest = net.guests[0]
    net.start_captures([BRIDGE, guest.tap])
    replies = net.ping(guest.ip, case.ping)
    neighbour = net.neighbour(guest.ip)
    return SimpleNamespace(replies=replies, neighbour=neighbour, captures=net.stop_captures())


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

def dissect(tshark, path, two_pass):
    """The capture's frames in order, each with its FRAME_FIELDS and the set
    of macchk FINDINGS present."""
    names = list(FRAME_FIELDS.values()) + ["macchk." + x for x in FINDINGS]
    frames = []
    for number, row in sorted(tshark.fields(path, names, two_pass=two_pass).items()):
        frame = SimpleNamespace(number=number, **{k: row[v] for k, v in FRAME_FIELDS.items()})
        frame.time = float(frame.time)
        frame.findings = {x for x in FINDINGS if row["macchk." + x]}
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
    for request, later in zip(requests, requests[1:] + [None]):
        retried = later is not None and not any(request.number < r < later.number for r in replies)
        if not two_pass:
            expected = set()
        elif retried or end - request.time >= ARP_TIMEOUT:
            expected = {"arp.unanswered", "invalid"}
        else:
            expected = {"arp.capture_ended"}
        got = request.findings & {"arp.unanswered", "arp.capture_ended", "invalid"}
        results.equal(sorted(got), sorted(expected), "%s frame %d (request for %s, %s, %.1f s before the end)"
                      % (where, request.number, guest.ip, "retried" if retried else "not retried",
                         end - request.time))
    if two_pass:
        unanswered = numbers(requests, "arp.unanswered")
        results.check(len(unanswered) >= 2, "%s: %d requests for %s called unanswered (frames %s), "
                      "expected at least 2" % (where, len(unanswered), guest.ip, unanswered))


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


def check_unreachable(results, tshark, case, seen):
    guest = case.guests[0]
    results.equal(seen.replies, 0, "%s: ping replies" % case.name)
    check_neighbour(results, case.name, guest.ip, seen.neighbour, UNRESOLVED)
    for where, device, two_pass, frames in dissected(tshark, case.name, seen.captures):
        if device == BRIDGE:
            if not two_pass:  # what the kernel did: the same in both passes
                leaked = [f.number for f in frames if f.src == guest.mac or f.spa == guest.ip]
                results.check(not leaked, "%s: the guest's frames %s reached the bridge" % (where, leaked))
            check_host_requests(results, where, frames, guest, two_pass)
            continue
        sent = [f for f in frames if f.src == guest.mac]
        if not two_pass:
            results.check(sent, "%s: no frame from %s on the tap capture" % (where, guest.mac))
        unflagged = [f.number for f in sent if not {"invalid", case.finding} <= f.findings]
        results.check(not unflagged, "%s: guest frames %s lack macchk.invalid/macchk.%s"
                      % (where, unflagged, case.finding))


def check_reachable(results, tshark, case, seen):
    guest = case.guests[0]
    results.equal(seen.replies, PINGS, "%s: ping replies" % case.name)
    check_neighbour(results, case.name, guest.ip, seen.neighbour, RESOLVED, guest.mac)
    for where, device, two_pass, frames in dissected(tshark, case.name, seen.captures):
        results.check([f for f in frames if f.src == guest.mac], "%s: no frame from the guest" % where)
        results.equal(numbers(frames, "invalid"), [], where + ": frames with macchk.invalid")


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
    return SimpleNamespace(tap=tap, mac=mac, ip=ip)


CASES = [
    SimpleNamespace(name="group-bit", guests=[guest("vnet0", "53:54:00:12:34:56", "192.168.122.50")],
                    finding="src.group_bit", ping=SLOW_PINGS, exercise=exercise_one_guest, check=check_unreachable),
    SimpleNamespace(name="zero", guests=[guest("vnet0", "00:00:00:00:00:00", "192.168.122.50")],
                    finding="src.zero", ping=SLOW_PINGS, exercise=exercise_one_guest, check=check_unreachable),
    SimpleNamespace(name="good", guests=[guest("vnet0", "52:54:00:ab:cd:01", "192.168.122.50")],
                    ping=QUICK_PINGS, exercise=exercise_one_guest, check=check_reachable),
    SimpleNamespace(name="shared-default", guests=[guest("vnet0", QEMU_DEFAULT, "192.168.122.50"),
                                                   guest("vnet1", QEMU_DEFAULT, "192.168.122.51")],
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
    workdir = tempfile.mkdtemp(prefix="macchk-bridge-")
    os.chmod(workdir, 0o755)
    try:
        for n, case in enumerate(cases):
            try:
                with Network(case.name, case.guests, workdir) as net:
                    seen = case.exercise(net, case)
            except Skip as err:  # the same for every case: say so once each, and stop
                for skipped in cases[n:]:
                    results.skip("%s: %s" % (skipped.name, err))
                break
            except (RuntimeError, OSError, subprocess.SubprocessError) as err:
                results.check(False, "%s: %s" % (case.name, err))
                continue
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
