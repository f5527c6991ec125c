#!/usr/bin/env python3
"""tshark tests: the plugin over the bundled captures, asserted frame by frame.

Every frame of every capture is checked for its exact set of macchk expert
infos and for macchk.invalid; frames not listed must have none.  Field
values are checked where listed.  Each capture runs in one pass and with
-2; where the two differ (ARP analysis knows more after the first pass),
the one-pass expectation is given separately.  The frames a display filter
selects must be the same with and without a visible tree.

The expectations follow captures/README.md and `tests/gen_captures.py --list`.
"""
import argparse
import re
import sys

from macchk_harness import Results, Tshark

# Every expert info (filter name without "macchk.") and the Warnings among
# them, read from the plugin's findings table (-z macchk,findings) by
# load_findings(): the table is defined once, in plugin/macchk_findings.c.
EXPERTS = []
WARNINGS = set()
# What the contract says of a few, so a wrong table cannot pass unnoticed.
KNOWN_SEVERITIES = {"src.group_bit": "Warning", "arp.unanswered": "Warning", "arp.capture_ended": "Note",
                    "src.qemu_default": "Note", "dup.mac": "Warning", "dup.mac_note": "Note",
                    "arp.not_accepted": "Note", "nd.unanswered": "Warning", "nd.capture_ended": "Note",
                    "nd.bad_lladdr": "Warning", "nd.lladdr_virtual": "Note", "nd.dad_defended": "Warning"}


def load_findings(tshark, results):
    """Fill EXPERTS and WARNINGS from the plugin's findings table."""
    out = tshark.run(["-n", "-q", "-z", "macchk,findings", "-r", tshark.path("clean.pcap")]).stdout
    severities = {}
    for line in out.splitlines():
        expert, severity, _group, _key, _name = line.split("\t")
        name = expert[len("macchk."):]
        results.check(severities.get(name, severity) == severity, "%s listed with two severities" % expert)
        severities[name] = severity
    for name, severity in severities.items():
        if name not in EXPERTS:
            EXPERTS.append(name)
        if severity == "Warning":
            WARNINGS.add(name)
    for name, severity in KNOWN_SEVERITIES.items():
        results.equal(severities.get(name), severity, "findings table: severity of macchk.%s" % name)


# Fields checked where an expectation names them.
FIELDS = [
    "src", "src.cast", "src.admin", "src.slap", "src.range", "src.range_id", "src.vnic", "src.duplicate",
    "dst", "dst.cast", "dst.range", "dst.range_id", "dst.vnic", "dst.duplicate",
    "arp.kind", "arp.sha", "arp.sha.vnic", "arp.tha",
    "arp.request_in", "arp.response_in", "arp.attempt", "arp.attempts", "arp.first_attempt",
    "arp.late_request", "arp.other_mac", "arp.other_mac_frame", "dup.other_ip", "dup.other_ip_frame",
    "network", "src.suggested", "arp.also_answers", "arp.asked_again", "arp.response_time",
    "nd.kind", "nd.target", "nd.lladdr", "nd.request_in", "nd.response_in", "nd.response_time", "nd.attempt",
    "nd.attempts", "nd.first_attempt", "nd.defended_in", "nd.defends", "nd.other_mac", "nd.other_mac_frame",
]


ALIASES = {name.replace(".", "_"): name for name in FIELDS}


def f(experts="", one_pass=None, **fields):
    """One frame's expectation: experts as a space-separated string; fields
    by name with '_' for '.' (src_cast for macchk.src.cast); one_pass: what
    differs in the first pass (made by f() too)."""
    return {"experts": set(experts.split()), "fields": {ALIASES[k]: v for k, v in fields.items()},
            "one_pass": one_pass}


GUEST_BAD = "53:54:00:12:34:56"
BCAST = "ff:ff:ff:ff:ff:ff"

EXPECT = {
    "bad-guest-mac.pcap": {
        1: f("src.group_bit arp.bad_sender arp.unanswered", src=GUEST_BAD, src_cast="multicast",
             src_admin="LAA", src_vnic="", arp_kind="request", arp_attempt="1", arp_attempts="3",
             arp_first_attempt="1",
             one_pass=f("src.group_bit arp.bad_sender", arp_attempts="1")),
        2: f("src.group_bit arp.bad_sender arp.unanswered", arp_attempt="2", arp_attempts="3",
             arp_first_attempt="1", one_pass=f("src.group_bit arp.bad_sender", arp_attempts="2")),
        3: f("src.group_bit arp.bad_sender arp.unanswered", arp_attempt="3", arp_attempts="3",
             one_pass=f("src.group_bit arp.bad_sender")),
        4: f("arp.unanswered", src="52:54:00:8a:3c:01", src_vnic="qemu", arp_attempt="1",
             arp_attempts="3", one_pass=f(arp_attempts="1")),
        5: f("src.group_bit", src=GUEST_BAD, arp_kind=""),
        6: f("arp.unanswered", arp_attempt="2", one_pass=f("")),
        7: f("src.group_bit"),
        8: f("arp.unanswered", arp_attempt="3", one_pass=f("")),
        9: f("src.group_bit"),
        10: f(src="52:54:00:11:22:33", src_vnic="qemu", dst=BCAST, dst_cast="broadcast",
              arp_response_in="11", one_pass=f(arp_response_in="")),
        11: f(arp_kind="reply", arp_request_in="10", arp_response_in=""),
        12: f(), 13: f(), 14: f(), 15: f(),
    },
    "zero-and-special.pcap": {
        1: f("src.zero", src="00:00:00:00:00:00", src_cast="zero", src_admin="UAA"),
        2: f("dst.zero", dst="00:00:00:00:00:00", dst_cast="zero", src_cast="unicast"),
        3: f(dst_cast="broadcast", dst_range="broadcast", dst_range_id=""),
        4: f(dst_cast="multicast", dst_range="ieee-link-local", dst_range_id="0"),
        5: f(dst_range="ieee-link-local", dst_range_id="1"),
        6: f(dst_range="ieee-link-local", dst_range_id="2"),
        7: f(dst_range="ieee-link-local", dst_range_id="3"),
        8: f(dst_range="ieee-link-local", dst_range_id="14"),
        9: f(dst_range="ieee-link-local", dst_range_id="5"),
        10: f(dst_range="ieee-link-local", dst_range_id="15"),
        11: f(dst_cast="multicast", dst_range="", dst_range_id=""),
        12: f(dst_range="ieee-mrp", dst_range_id="32"),
        13: f(dst_range="ieee-mrp", dst_range_id="47"),
        14: f(dst_range="ipv4-multicast"),
        15: f(dst_range="ipv4-multicast"),
        16: f(dst_range="mpls-multicast"),
        17: f(dst_range="mpls-multicast"),
        18: f(dst_cast="multicast", dst_range=""),
        19: f(dst_range="doc-multicast"),
        20: f(dst_range="doc-multicast"),
        21: f(dst_range="ipv6-multicast"),
        22: f("src.reserved", src_range="iana-reserved", src_range_id="66"),
        23: f(src_cast="unicast", src_range="vrrp-ipv4", src_range_id="7"),
        24: f(src_range="vrrp-ipv6", src_range_id="10"),
        25: f("src.reserved", src_range="doc-unicast", src_range_id="1"),
        26: f(src_range="hsrp-v1", src_range_id="1"),
        27: f("src.cf", src_cast="multicast", src_range="cf"),
        28: f(src_admin="LAA", src_slap="AAI"),
        29: f(src_admin="LAA", src_slap="ELI"),
        30: f(src_admin="LAA", src_slap="SAI"),
        31: f("src.slap_reserved", src_admin="LAA", src_slap="reserved"),
    },
    "hypervisors.pcap": dict(
        [(n, f(src_vnic=v, arp_sha_vnic=v, arp_kind="request", arp_response_in=str(n + 1),
               one_pass=f(arp_response_in="")))
         for n, v in [(1, "qemu"), (7, "xen"), (9, "virtualbox"), (11, "vmware"), (13, "vmware"),
                      (15, "vmware"), (17, "vmware"), (19, "hyper-v"), (21, "parallels"), (23, "docker"),
                      (25, "libvirt-tap")]]
        + [(n, f("src.qemu_default", src_vnic="qemu-default", arp_response_in=str(n + 1),
                 one_pass=f("src.qemu_default", arp_response_in=""))) for n in (3, 5)]
        + [(n, f(arp_kind="reply", arp_request_in=str(n - 1), src="00:1b:21:aa:bb:cc", src_vnic=""))
           for n in range(2, 27, 2)]),
    "vlan-qinq.pcap": {
        1: f(src="00:1b:21:04:01:01", arp_kind="request", arp_response_in="2", one_pass=f(arp_response_in="")),
        2: f(arp_request_in="1"),
        3: f(src="00:1b:21:04:02:01", arp_response_in="4", one_pass=f(arp_response_in="")),
        4: f(arp_request_in="3"),
        5: f(src="00:1b:21:04:03:01", arp_response_in="6", one_pass=f(arp_response_in="")),
        6: f(arp_request_in="5"),
        7: f(src="00:1b:21:04:04:01", arp_kind="request", arp_response_in="8", one_pass=f(arp_response_in="")),
        8: f(arp_request_in="7"),
        9: f("src.group_bit", src=GUEST_BAD),
    },
    "tunnels.pcap": {
        1: f(src="00:1b:21:18:00:01", arp_response_in="2", one_pass=f(arp_response_in="")),
        2: f(src="00:1b:21:18:00:02", arp_request_in="1"),
        3: f(src="00:1b:21:18:01:01", arp_response_in="4", one_pass=f(arp_response_in="")),
        4: f(arp_request_in="3"),
        5: f(src="00:1b:21:18:02:01", arp_response_in="6", one_pass=f(arp_response_in="")),
        6: f(src="00:1b:21:18:02:02", arp_request_in="5"),
        7: f("src.group_bit", src=GUEST_BAD),
    },
    "clean.pcap": {
        1: f(arp_kind="request", arp_response_in="2", one_pass=f(arp_response_in="")),
        2: f(arp_kind="reply", arp_request_in="1"),
        9: f(arp_kind="announcement"),
    },
    "wifi.pcap": {
        1: f(src="00:1b:21:0a:00:10", dst=BCAST, arp_kind="request", arp_response_in="2",
             one_pass=f(arp_response_in="")),
        2: f(src="00:1b:21:0a:00:fe", arp_kind="reply", arp_request_in="1"),
        3: f("src.group_bit", src=GUEST_BAD),
    },
}

for name in ("sll.pcap", "sll2.pcap"):
    EXPECT[name] = {
        1: f(src="00:1b:21:05:00:01", dst="", arp_kind="request", arp_response_in="2",
             one_pass=f(arp_response_in="")),
        2: f(src="00:1b:21:05:00:02", arp_kind="reply", arp_request_in="1"),
        3: f("src.group_bit", src=GUEST_BAD),
        4: f(src="", dst="", arp_kind=""),  # loopback: not a MAC address, nothing to say
        5: f(src="", dst="", arp_kind=""),
        6: f("arp.sender_mismatch", src="00:1b:21:05:00:03", arp_sha="00:1b:21:05:00:04", arp_response_in="7",
             one_pass=f("arp.sender_mismatch", arp_response_in="")),
        7: f(arp_kind="reply", arp_request_in="6"),
        # IPoIB ND: its 3-unit options are no MACs (no bad-length Warning), the NA answers
        8: f(src="", dst="", arp_kind="", nd_kind="NS", nd_target="fe80::b", nd_lladdr="", nd_response_in="9",
             one_pass=f(nd_response_in="")),
        9: f(src="", dst="", arp_kind="", nd_kind="solicited NA", nd_lladdr="", nd_request_in="8"),
    }

EXPECT["arp-exchanges.pcap"] = {
    1: f(arp_kind="request", arp_response_in="2", one_pass=f(arp_response_in="")),
    2: f(arp_kind="reply", arp_request_in="1"),
    3: f(arp_attempt="1", arp_attempts="3", arp_first_attempt="3", arp_response_in="6",
         one_pass=f(arp_attempts="1", arp_response_in="")),
    4: f(arp_attempt="2", arp_attempts="3", arp_first_attempt="3", arp_response_in="6",
         one_pass=f(arp_attempts="2", arp_response_in="")),
    5: f(arp_attempt="3", arp_attempts="3", arp_first_attempt="3", arp_response_in="6",
         one_pass=f(arp_response_in="")),
    6: f(arp_request_in="3"),
    7: f("arp.unanswered", arp_attempt="1", arp_attempts="3", arp_first_attempt="7",
         one_pass=f(arp_attempts="1")),
    8: f("arp.unanswered", arp_attempt="2", arp_first_attempt="7", one_pass=f(arp_attempts="2")),
    9: f("arp.unanswered", arp_attempt="3", arp_first_attempt="7", one_pass=f(arp_attempts="3")),
    10: f("arp.unanswered", arp_response_in="", one_pass=f("")),
    11: f("arp.unsolicited", arp_kind="reply", arp_request_in="", arp_late_request="10"),
    12: f("arp.unsolicited", arp_request_in="", arp_late_request=""),
    13: f(arp_kind="gratuitous reply"),
    14: f(arp_kind="announcement"),
    15: f(arp_kind="probe"),
    16: f(arp_kind="probe"),
    17: f(arp_kind="probe"),
    18: f("arp.probe_defended", arp_kind="probe", arp_response_in="19", one_pass=f(arp_response_in="")),
    19: f(arp_kind="reply", arp_request_in="18"),
    20: f("arp.unicast_request", arp_response_in="21", one_pass=f("arp.unicast_request", arp_response_in="")),
    21: f(arp_request_in="20"),
    22: f("arp.sender_mismatch", src="00:1b:21:01:0b:03", arp_sha="00:1b:21:01:0b:01", arp_response_in="23",
          one_pass=f("arp.sender_mismatch", arp_response_in="")),
    23: f(arp_request_in="22"),
    24: f(arp_response_in="25", one_pass=f(arp_response_in="")),
    25: f("arp.sender_virtual", arp_sha="00:00:5e:00:01:06", arp_request_in="24"),
    26: f(arp_response_in="27", one_pass=f(arp_response_in="")),
    27: f("arp.target_mismatch", arp_request_in="26"),
    28: f("src.group_bit arp.bad_sender arp.unanswered", one_pass=f("src.group_bit arp.bad_sender")),
    29: f("src.zero arp.bad_sender arp.unanswered", one_pass=f("src.zero arp.bad_sender")),
    30: f("arp.bad_sender arp.unanswered", one_pass=f("arp.bad_sender")),
    31: f("arp.bad_sender arp.unsolicited"),
    32: f("arp.malformed", arp_kind="request", arp_sha=""),
    33: f("arp.malformed", arp_sha=""),
    34: f("arp.malformed", arp_sha=""),
    35: f("arp.malformed", arp_kind="unknown"),
    36: f("arp.malformed", arp_kind="unknown"),
    37: f(arp_kind="RARP request", arp_response_in=""),
    38: f(arp_kind="InARP request"),
}

A, B = "00:1b:21:02:0a:0a", "00:1b:21:02:0a:0b"
C, D = "00:1b:21:02:14:0c", "00:1b:21:02:14:0d"
QEMU_DEFAULT = "52:54:00:12:34:56"
EXPECT["arp-conflicts.pcap"] = {
    1: f(arp_response_in="2", one_pass=f(arp_response_in="")),
    2: f("arp.ip_conflict", arp_request_in="1", arp_other_mac=B, arp_other_mac_frame="3",
         one_pass=f(arp_other_mac="", arp_other_mac_frame="")),
    # a second answer to the same request links to it too
    3: f("arp.ip_conflict", arp_request_in="1", arp_other_mac=A, arp_other_mac_frame="2",
         one_pass=f("arp.ip_moved", arp_other_mac=A)),
    4: f(arp_response_in="5", one_pass=f(arp_response_in="")),
    5: f("arp.ip_conflict", arp_request_in="4", arp_other_mac=B, one_pass=f("arp.ip_conflict", arp_other_mac=B)),
    6: f("arp.ip_conflict", arp_request_in="4", arp_other_mac=A, one_pass=f("arp.ip_conflict")),
    12: f("arp.ip_moved", arp_other_mac=C, arp_other_mac_frame="8"),
    14: f(arp_other_mac=""),
    16: f("dup.mac", dup_other_ip="10.2.0.31", dup_other_ip_frame="18", src_duplicate="1",
          one_pass=f(dup_other_ip="", dup_other_ip_frame="", src_duplicate="")),
    18: f("dup.mac", dup_other_ip="10.2.0.30", dup_other_ip_frame="16",
          one_pass=f("dup.renumbered", dup_other_ip="10.2.0.30")),
    20: f("dup.mac", dup_other_ip="10.2.0.31"),
    22: f("dup.mac", dup_other_ip="10.2.0.30"),
    28: f("dup.renumbered", dup_other_ip="10.2.0.40", dup_other_ip_frame="24"),
    31: f(arp_kind="announcement"),
    33: f(dup_other_ip=""),
    34: f(arp_kind="announcement"),
    36: f(dup_other_ip=""),
    37: f("src.qemu_default dup.mac", src=QEMU_DEFAULT, dup_other_ip="10.2.0.61", src_duplicate="1",
          one_pass=f("src.qemu_default", dup_other_ip="", src_duplicate="")),
    38: f(dst=QEMU_DEFAULT, dst_duplicate="1", src_duplicate="", one_pass=f(dst_duplicate="")),
    39: f("src.qemu_default dup.mac", dup_other_ip="10.2.0.60", one_pass=f("src.qemu_default dup.renumbered")),
    41: f("src.qemu_default dup.mac", dup_other_ip="10.2.0.61", src_duplicate="1"),
    43: f("src.qemu_default dup.mac", dup_other_ip="10.2.0.60"),
}


# networks.pcapng: one network per interface + VLAN IDs + VXLAN VNIs (frames in gen_captures.networks)
V10, V20, V30 = "if 0 / vlan 10", "if 0 / vlan 20", "if 0 / vlan 30"
QINQ, VNI5, VNI6 = "if 0 / vlan 100 / vlan 10", "if 0 / vni 5000", "if 0 / vni 6000"
M1, M2 = "00:1b:21:57:00:05", "00:1b:21:57:00:06"


def asked(first, answer, net, attempt="1", attempts="1", **more):
    """A request answered by reply frame `answer` (unknown in one pass)."""
    return f(network=net, arp_kind="request", arp_attempt=attempt, arp_attempts=attempts,
             arp_first_attempt=first, arp_response_in=answer, **more,
             one_pass=f(arp_response_in="", **({"arp_response_time": ""} if "arp_response_time" in more else {})))


def answers(request, net, **more):
    """A reply answering exactly request frame `request`, nothing else to say."""
    return f(network=net, arp_kind="reply", arp_request_in=request, arp_also_answers="", arp_asked_again="",
             arp_late_request="", arp_other_mac="", dup_other_ip="", src_duplicate="", **more)


EXPECT["networks.pcapng"] = {
    # N1 VLAN 10 / VLAN 20 reuse 10.80.0.0/24: each answered in its VLAN, no conflict
    1: asked("1", "2", V10), 2: answers("1", V10, src="00:1b:21:50:0a:01"),
    3: asked("3", "4", V20), 4: answers("3", V20, src="00:1b:21:50:14:01"),
    5: asked("5", "6", V10), 6: answers("5", V10),
    7: asked("7", "8", V20), 8: answers("7", V20),
    # N2 router on a stick: one MAC, one address per VLAN, not a duplicate MAC
    9: asked("9", "10", V10), 10: answers("9", V10),
    11: asked("11", "12", V20), 12: answers("11", V20),
    13: asked("13", "14", V10), 14: answers("13", V10),
    # N3 request on VLAN 10, "reply" on VLAN 20: not linked
    15: f("arp.unanswered", network=V10, arp_attempt="1", arp_attempts="1", arp_response_in="", one_pass=f("")),
    16: f("arp.unsolicited", network=V20, arp_kind="reply", arp_request_in="", arp_late_request=""),
    # N4 request on if 0, reply on if 1: not linked
    17: f("arp.unanswered", network="if 0", arp_response_in="", one_pass=f("")),
    18: f("arp.unsolicited", network="if 1", arp_request_in="", arp_late_request=""),
    # N5 QinQ 100/10 vs plain VLAN 10, same addresses: separate networks
    19: asked("19", "20", QINQ), 20: answers("19", QINQ),
    21: asked("21", "22", V10), 22: answers("21", V10),
    23: f(network=QINQ, arp_kind="announcement", arp_other_mac=""),
    24: f(network=QINQ, arp_kind="announcement", arp_other_mac=""),
    # N6 two VXLAN VNIs, same inner addresses
    25: asked("25", "26", VNI5, src="00:1b:21:55:50:01"), 26: answers("25", VNI5, src="00:1b:21:55:50:02"),
    27: asked("27", "28", VNI6), 28: answers("27", VNI6),
    29: f(network=VNI5, arp_kind="announcement", arp_other_mac=""),
    30: f(network=VNI5, arp_kind="announcement", arp_other_mac=""),
    # N7 a 123.457 us exchange, exact in nanoseconds
    31: asked("31", "32", "if 1", arp_response_time="0.000123457"), 32: answers("31", "if 1"),
    # N8 positive control: IP conflict inside VLAN 30 (both replies answer the request)
    33: asked("33", "34", V30),
    34: f("arp.ip_conflict", network=V30, arp_request_in="33", arp_other_mac=M2, arp_other_mac_frame="35",
          one_pass=f(arp_other_mac="", arp_other_mac_frame="")),
    35: f("arp.ip_conflict", network=V30, arp_request_in="33", arp_other_mac=M1, arp_other_mac_frame="34",
          one_pass=f("arp.ip_moved", arp_other_mac=M1)),
    36: asked("36", "37", V30),
    37: f("arp.ip_conflict", network=V30, arp_request_in="36", arp_other_mac=M2, arp_other_mac_frame="35"),
    38: f("arp.ip_conflict", network=V30, arp_request_in="36", arp_other_mac=M1, arp_other_mac_frame="34"),
    # N9 positive control: duplicate MAC inside VLAN 30
    39: asked("39", "40", V30),
    40: f("dup.mac", network=V30, arp_request_in="39", dup_other_ip="10.90.0.2", dup_other_ip_frame="42",
          src_duplicate="1", one_pass=f(dup_other_ip="", dup_other_ip_frame="", src_duplicate="")),
    41: asked("41", "42", V30),
    42: f("dup.mac", network=V30, arp_request_in="41", dup_other_ip="10.90.0.1", dup_other_ip_frame="40",
          src_duplicate="1", one_pass=f("dup.renumbered", src_duplicate="")),  # spans do not overlap yet
    43: asked("43", "44", V30),
    44: f("dup.mac", network=V30, arp_request_in="43", dup_other_ip="10.90.0.2", src_duplicate="1"),
    45: asked("45", "46", V30),
    46: f("dup.mac", network=V30, arp_request_in="45", dup_other_ip="10.90.0.1", src_duplicate="1"),
    # N10 SLL2: request on ifindex 7, reply on ifindex 3, one network
    47: asked("47", "48", "if 2"), 48: answers("47", "if 2"),
}


def unanswered(attempt, attempts, first, seen=None, **more):
    """A request no reply answers (so called only with -2); seen: attempts known in one pass."""
    return f("arp.unanswered", network="if 0", arp_kind="request", arp_attempt=attempt, arp_attempts=attempts,
             arp_first_attempt=first, arp_response_in="", **more,
             one_pass=f("", arp_attempts=seen or attempt))


# arp-verdicts.pcap (frames in gen_captures.arp_verdicts)
EXPECT["arp-verdicts.pcap"] = {
    # S1 Linux resolution cycles: two fail (each request unanswered), the third is answered
    1: unanswered("1", "3", "1"), 2: unanswered("2", "3", "1"), 3: unanswered("3", "3", "1"),
    4: unanswered("1", "3", "4"), 5: unanswered("2", "3", "4"), 6: unanswered("3", "3", "4"),
    7: f(arp_attempt="1", arp_attempts="3", arp_first_attempt="7", arp_response_in="10",
         arp_response_time="2.000300000", one_pass=f(arp_attempts="1", arp_response_in="", arp_response_time="")),
    8: f(arp_attempt="2", arp_attempts="3", arp_first_attempt="7", arp_response_in="10",
         arp_response_time="1.000300000", one_pass=f(arp_attempts="2", arp_response_in="", arp_response_time="")),
    9: f(arp_attempt="3", arp_attempts="3", arp_first_attempt="7", arp_response_in="10",
         arp_response_time="0.000300000", one_pass=f(arp_response_in="", arp_response_time="")),
    10: f(arp_kind="reply", arp_request_in="7", arp_also_answers="8|9", arp_asked_again="", arp_late_request=""),
    # S2 reply 3.5 s after the last attempt
    11: unanswered("1", "3", "11"), 12: unanswered("2", "3", "11"), 13: unanswered("3", "3", "11"),
    14: f("arp.unsolicited", arp_request_in="", arp_also_answers="", arp_late_request="13"),
    # S3 reply exactly 3.000000 s after (answers); S4 3.000001 s after (does not)
    15: f(arp_response_in="17", arp_response_time="3.000000000",
          one_pass=f(arp_response_in="", arp_response_time="")),
    16: unanswered("1", "1", "16"),
    17: f(arp_kind="reply", arp_request_in="15", arp_late_request=""),
    18: f("arp.unsolicited", arp_request_in="", arp_late_request="16"),
    # S5 a retry exactly 3 s after the previous attempt (same exchange), then 3.000001 s after (new one)
    19: unanswered("1", "2", "19", seen="1"), 20: unanswered("2", "2", "19"), 21: unanswered("1", "1", "21"),
    # S6 ARP straight in GRE: linked, and no sender mismatch with the outer Ethernet source
    22: f(arp_kind="request", arp_sha="00:1b:21:60:06:01", arp_response_in="23", one_pass=f(arp_response_in="")),
    23: f(arp_kind="reply", arp_sha="00:1b:21:60:06:02", arp_request_in="22"),
    # S7 seed case, tap side: the group-bit reply answers 24, the host asks again 1 s later
    24: f(arp_attempt="1", arp_attempts="2", arp_first_attempt="24", arp_response_in="25",
          arp_response_time="0.000300000", one_pass=f(arp_attempts="1", arp_response_in="", arp_response_time="")),
    25: f("src.group_bit arp.bad_sender arp.not_accepted", src=GUEST_BAD, src_suggested=QEMU_DEFAULT,
          arp_kind="reply", arp_request_in="24", arp_also_answers="", arp_asked_again="26",
          one_pass=f("src.group_bit arp.bad_sender", arp_asked_again="")),
    26: unanswered("2", "2", "24", seen="2"),
    # S8 a reply stamped before the request it follows
    27: unanswered("1", "1", "27"),
    28: f("arp.unsolicited", arp_kind="reply", arp_request_in="", arp_late_request=""),
    # S9 a reply not accepted (ordinary source); the second reply answers both attempts
    29: f(arp_attempt="1", arp_attempts="2", arp_first_attempt="29", arp_response_in="30",
          arp_response_time="0.000300000", one_pass=f(arp_attempts="1", arp_response_in="", arp_response_time="")),
    30: f("arp.not_accepted", arp_kind="reply", arp_request_in="29", arp_also_answers="", arp_asked_again="31",
          one_pass=f("", arp_asked_again="")),
    31: f(arp_attempt="2", arp_attempts="2", arp_first_attempt="29", arp_response_in="32",
          arp_response_time="0.000300000", one_pass=f(arp_response_in="", arp_response_time="")),
    32: f(arp_kind="reply", arp_request_in="29", arp_also_answers="31", arp_asked_again=""),
    # S11 a zero link-layer source reply answers, yet the requester asks again
    33: f(arp_attempt="1", arp_attempts="2", arp_first_attempt="33", arp_response_in="34",
          one_pass=f(arp_attempts="1", arp_response_in="")),
    34: f("src.zero arp.sender_mismatch arp.not_accepted", src="00:00:00:00:00:00", arp_sha="00:1b:21:60:0b:02",
          arp_request_in="33", arp_asked_again="35", one_pass=f("src.zero arp.sender_mismatch", arp_asked_again="")),
    35: unanswered("2", "2", "33", seen="2"),
    # S10 seed case, bridge side: retried attempts unanswered, the last one's fate unknown
    36: unanswered("1", "3", "36"), 37: unanswered("2", "3", "36"),
    38: f("arp.capture_ended", arp_attempt="3", arp_attempts="3", arp_first_attempt="36", one_pass=f("")),
}

# IPv6 Neighbor Discovery (frames in gen_captures.nd_capture and gen_captures.nd_malformed).  An NS
# shows its response only with -2; an NA its request in both; unanswered / capture ended and a
# defended DAD probe only with -2; a conflict first shows as a move in one pass.
def nd_asked(first, answer, target, experts="", net="if 0", kind="NS", time=None, **more):
    """An NS (attempt 1 of 1) answered by NA frame `answer` (unknown in one pass)."""
    fields = dict(network=net, nd_kind=kind, nd_target=target, nd_attempt="1", nd_attempts="1",
                  nd_first_attempt=first, nd_response_in=answer, nd_request_in="", nd_defended_in="",
                  **({"nd_response_time": time} if time else {}))
    return f(experts, **dict(fields, **more),
             one_pass=f(experts, nd_response_in="", **({"nd_response_time": ""} if time else {})))


def nd_answers(request, target, experts="", net="if 0", **more):
    """A solicited NA answering NS frame `request` (known in one pass too), nothing else to say."""
    fields = dict(network=net, nd_kind="solicited NA", nd_target=target, nd_request_in=request,
                  nd_response_in="", nd_attempt="", nd_defends="", nd_other_mac="")
    return f(experts, **dict(fields, **more))


def nd_unanswered(attempt, attempts, first, target, seen=None, net="if 0", **more):
    """An NS no NA answers, retried or followed by the timeout (said only with -2)."""
    return f("nd.unanswered", network=net, nd_kind="NS", nd_target=target, nd_attempt=attempt, nd_attempts=attempts,
             nd_first_attempt=first, nd_response_in="", **more, one_pass=f("", nd_attempts=seen or attempt))


def nd_na(kind, target, experts="", net="if 0", **more):
    """An NA that answers no NS."""
    return f(experts, **dict(dict(network=net, nd_kind=kind, nd_target=target, nd_request_in=""), **more))


def nd_bad(kind, experts="nd.malformed", **more):
    """A malformed (or snap-cut) message: that finding alone, not tracked."""
    fields = dict(network="if 0", nd_kind=kind, nd_attempt="", nd_request_in="", nd_response_in="", nd_other_mac="")
    return f(experts, **dict(fields, **more))


def t86(d, n):
    return "2001:db8:86:%x::%x" % (d, n)


def m86(d, n):
    return "00:1b:21:86:%02x:%02x" % (d, n)


ANYCAST, T16, T17 = "2001:db8:86:c::", "2001:db8:86:10::5", "2001:db8:86:11::6"
VNI7 = "if 0 / vni 7000"
EXPECT["nd.pcapng"] = {
    # D1 an NS answered; D2 NUD answered; D3 an NA exactly 3 s later answers; D4 3.000001 s does not
    1: nd_asked("1", "2", t86(1, 2), time="0.000200000", src=m86(1, 1), nd_lladdr=m86(1, 1)),
    2: nd_answers("1", t86(1, 2), nd_lladdr=m86(1, 2), nd_response_time="0.000200000"),
    3: nd_asked("3", "4", t86(2, 2), kind="NUD"), 4: nd_answers("3", t86(2, 2)),
    5: nd_asked("5", "6", t86(3, 2), time="3.000000000"),
    6: nd_answers("5", t86(3, 2), nd_response_time="3.000000000"),
    7: nd_unanswered("1", "1", "7", t86(4, 2)), 8: nd_na("solicited NA", t86(4, 2)),
    # D5 an NA 5 s late; D6 an unsolicited NA
    9: nd_unanswered("1", "1", "9", t86(5, 2)), 10: nd_na("solicited NA", t86(5, 2)),
    11: nd_na("unsolicited NA", t86(6, 2), nd_lladdr=m86(6, 2), nd_other_mac=""),
    # D7 three attempts, none answered
    12: nd_unanswered("1", "3", "12", t86(7, 2)), 13: nd_unanswered("2", "3", "12", t86(7, 2)),
    14: nd_unanswered("3", "3", "12", t86(7, 2)),
    # D8 DAD, nobody defends (probes expect no answer: never unanswered)
    15: f(network="if 0", nd_kind="DAD probe", nd_target=t86(8, 2), nd_lladdr="", nd_attempt="1", nd_attempts="2",
          nd_first_attempt="15", nd_defended_in="", one_pass=f(nd_attempts="1")),
    16: f(nd_kind="DAD probe", nd_attempt="2", nd_attempts="2", nd_first_attempt="15", nd_defended_in=""),
    # D9 DAD defended by another MAC (the probe knows only with -2; the NA links it in one pass)
    17: f("nd.dad_defended", nd_kind="DAD probe", nd_target=t86(9, 2), nd_defended_in="18",
          one_pass=f(nd_defended_in="")),
    18: nd_na("unsolicited NA", t86(9, 2), nd_defends="17", nd_lladdr=m86(9, 2)),
    # D10 the prober announcing the address it tested (same MAC): no defence
    19: f(nd_kind="DAD probe", nd_target=t86(10, 1), nd_defended_in=""),
    20: nd_na("unsolicited NA", t86(10, 1), nd_defends=""),
    # D11 VRRPv3 virtual MAC in the TLLAO from the router's NIC: a Note
    21: nd_asked("21", "22", t86(11, 1)),
    22: nd_answers("21", t86(11, 1), "nd.lladdr_virtual", src=m86(11, 0xfe), nd_lladdr="00:00:5e:00:02:01"),
    # D12 anycast NAs without O from two routers, twice: never a conflict
    23: nd_asked("23", "24", ANYCAST), 24: nd_answers("23", ANYCAST, nd_lladdr=m86(12, 1)),
    25: nd_answers("23", ANYCAST, nd_lladdr=m86(12, 2)),
    26: nd_asked("26", "27", ANYCAST), 27: nd_answers("26", ANYCAST), 28: nd_answers("26", ANYCAST),
    # D13 one MAC, three addresses: no finding (no duplicate-MAC rule for IPv6)
    29: nd_na("unsolicited NA", "fe80::21b:21ff:fe86:d01", nd_other_mac=""),
    30: nd_na("unsolicited NA", "2001:db8:86:d::1", nd_other_mac=""),
    31: nd_na("unsolicited NA", "2001:db8:86:d:a1b2:c3d4:e5f6:789", nd_other_mac=""),
    32: nd_na("unsolicited NA", "fe80::21b:21ff:fe86:d01", nd_other_mac=""),
    33: nd_na("unsolicited NA", "2001:db8:86:d::1", nd_other_mac=""),
    34: nd_na("unsolicited NA", "2001:db8:86:d:a1b2:c3d4:e5f6:789", nd_other_mac=""),
    # D14 the same addresses on VLAN 10 and VLAN 20: answered in each, no conflict, no move
    35: nd_asked("35", "36", "2001:db8:86:e::10", net=V10, nd_lladdr=m86(14, 1)),
    36: nd_answers("35", "2001:db8:86:e::10", net=V10, nd_lladdr=m86(14, 0x0a)),
    37: nd_asked("37", "38", "2001:db8:86:e::10", net=V20, nd_lladdr=m86(14, 2), nd_other_mac=""),
    38: nd_answers("37", "2001:db8:86:e::10", net=V20, nd_lladdr=m86(14, 0x14)),
    39: nd_na("unsolicited NA", "2001:db8:86:e::10", net=V10, nd_other_mac=""),
    40: nd_na("unsolicited NA", "2001:db8:86:e::10", net=V20, nd_other_mac=""),
    # D15 an NS on VLAN 10, its "answer" on VLAN 20
    41: nd_unanswered("1", "1", "41", t86(15, 2), net=V10), 42: nd_na("solicited NA", t86(15, 2), net=V20),
    # D16 a conflict: two MACs with O, spans overlapping (one pass: first a move)
    43: nd_asked("43", "44", T16),
    44: nd_answers("43", T16, "nd.ip_conflict", nd_other_mac=m86(16, 0x0b), nd_other_mac_frame="45",
                   one_pass=f(nd_other_mac="", nd_other_mac_frame="")),
    45: nd_answers("43", T16, "nd.ip_conflict", nd_other_mac=m86(16, 0x0a), nd_other_mac_frame="44",
                   one_pass=f("nd.ip_moved")),
    46: nd_asked("46", "47", T16),
    47: nd_answers("46", T16, "nd.ip_conflict", nd_other_mac=m86(16, 0x0b), nd_other_mac_frame="45"),
    48: nd_answers("46", T16, "nd.ip_conflict", nd_other_mac=m86(16, 0x0a), nd_other_mac_frame="44"),
    # D17 a move: B's first frame, after A's last
    49: nd_na("unsolicited NA", T17, nd_other_mac=""), 50: nd_na("unsolicited NA", T17, nd_other_mac=""),
    51: nd_na("unsolicited NA", T17, "nd.ip_moved", nd_other_mac=m86(17, 0x0a), nd_other_mac_frame="49"),
    52: nd_na("unsolicited NA", T17, nd_other_mac=""),
    # D18 Linux cooked v1 (if 1); D19 inside VXLAN VNI 7000
    53: nd_asked("53", "54", t86(18, 2), net="if 1", src=m86(18, 1), nd_lladdr=m86(18, 1)),
    54: nd_answers("53", t86(18, 2), net="if 1", src=m86(18, 2)),
    55: nd_asked("55", "56", t86(19, 2), net=VNI7, src=m86(19, 1)),
    56: nd_answers("55", t86(19, 2), net=VNI7, src=m86(19, 2)),
    # D20 RS, RA (its SLLAO is not its source: not judged), Redirect: named only
    57: f(network="if 0", nd_kind="RS", nd_request_in="", nd_response_in=""),
    58: f(network="if 0", nd_kind="RA", nd_request_in="", nd_response_in=""),
    59: f(network="if 0", nd_kind="redirect", nd_request_in="", nd_response_in=""),
    # D21 the last NS: retried (unanswered), then the capture ends 1 s after attempt 2
    60: nd_unanswered("1", "2", "60", t86(21, 2), seen="1"),
    61: f("nd.capture_ended", network="if 0", nd_kind="NS", nd_target=t86(21, 2), nd_attempt="2", nd_attempts="2",
          nd_first_attempt="60", nd_response_in="", one_pass=f("")),
}


def t87(m, n):
    return "2001:db8:87:%x::%x" % (m, n)


def m87(m, n):
    return "00:1b:21:87:%02x:%02x" % (m, n)


EXPECT["nd-malformed.pcap"] = {
    # M1 hop limit 254 (malformed, not tracked: the NS after it is attempt 1), then 255
    1: nd_bad("NS", nd_target=t87(1, 2)),
    2: nd_asked("2", "3", t87(1, 2), nd_lladdr=m87(1, 1)), 3: nd_answers("2", t87(1, 2)),
    # M2 code 1 (its zero SLLAO is not judged); M3/M4 23-byte NS and NA (no target read)
    4: nd_bad("NS", nd_target=t87(2, 2)),
    5: nd_bad("NS", nd_target=""), 6: nd_bad("NA", nd_target=""),
    # M5 option length 0; M6 an option past the IPv6 payload (the trailer would complete it)
    7: nd_bad("NS"), 8: nd_bad("NS"),
    # M7/M8 trailers after a complete message are not options
    9: nd_asked("9", "10", t87(7, 2), nd_lladdr=m87(7, 1)), 10: nd_answers("9", t87(7, 2)),
    11: nd_asked("11", "12", t87(8, 2), kind="NUD", nd_lladdr="", nd_other_mac=""),
    12: nd_answers("11", t87(8, 2)),
    # M9 multicast target; M10 DAD with an SLLAO (of another MAC: no mismatch said); M11 DAD to
    # another solicited-node address; M12 solicited NA to ff02::1, NA with hop limit 64
    13: nd_bad("NS", nd_target="ff05::1:3"), 14: nd_bad("DAD probe", nd_target=t87(10, 2)),
    15: nd_bad("DAD probe", nd_target=t87(11, 2)),
    16: nd_bad("solicited NA"), 17: nd_bad("unsolicited NA"),
    # M13-M15 bad link-layer options: group bit (from that group-bit source), zero (from an
    # ordinary source: also a mismatch), length 2
    18: nd_asked("18", "19", t87(13, 2), "src.group_bit nd.bad_lladdr", src="01:1b:21:87:0d:01",
                 nd_lladdr="01:1b:21:87:0d:01"),
    19: nd_answers("18", t87(13, 2)),
    20: nd_na("unsolicited NA", t87(14, 2), "nd.bad_lladdr nd.lladdr_mismatch", nd_lladdr="00:00:00:00:00:00"),
    21: nd_asked("21", "22", t87(15, 2), "nd.bad_lladdr", nd_lladdr=""), 22: nd_answers("21", t87(15, 2)),
    # M16 SLLAO / TLLAO differ from the Ethernet source
    23: nd_asked("23", "24", t87(16, 2), "nd.lladdr_mismatch", src=m87(16, 3), nd_lladdr=m87(16, 1)),
    24: nd_answers("23", t87(16, 2)),
    25: nd_na("unsolicited NA", t87(16, 6), "nd.lladdr_mismatch", src=m87(16, 6), nd_lladdr=m87(16, 7)),
    # M17 cut by the snap length: a Note, not judged, not tracked
    26: nd_bad("NS", "nd.snap_cut", nd_target=t87(17, 2)),
    # M18 one source, hop limit 254 on an NS and an NA, 1 on an NS; M19 HSRP-for-IPv6 TLLAO
    # (a Note), VRRP-for-IPv4 TLLAO (a mismatch)
    27: nd_bad("NS", nd_target=t87(18, 2)), 28: nd_bad("unsolicited NA", nd_target=t87(18, 1)),
    29: nd_bad("NS", nd_target=t87(18, 2)),
    30: nd_na("unsolicited NA", t87(19, 1), "nd.lladdr_virtual", src=m87(19, 1), nd_lladdr="00:05:73:a0:00:01"),
    31: nd_na("unsolicited NA", t87(19, 2), "nd.lladdr_mismatch", src=m87(19, 2), nd_lladdr="00:00:5e:00:01:07"),
}

# Expert messages (-2): {capture: {frame: [(regular expression, whether it must match)]}}
MESSAGES = {
    "networks.pcapng": {
        # 10.30.0.1 / 10.40.0.1 claimed a MAC only in another network
        15: [(r"own port", True)],
        17: [(r"own port", True)],
    },
    "arp-verdicts.pcap": {
        25: [(r"this reply is dropped by Linux bridges and switches before it reaches 192\.168\.122\.1", True),
             (r"QEMU's default MAC", True), (r"unique address in 52:54:00", True), (r"Did you mean", False),
             (r"bridge or switch dropped it before it reached 192\.168\.122\.1", True)],
        30: [(r"not accepted", True), (r"bridge or switch dropped", False)],
        34: [(r"bridge or switch dropped it before it reached 10\.60\.11\.1", True)],
        36: [(r"own port", True)],
        37: [(r"own port", True)],
    },
    # ND: the messages name the facts (which MACs, which value)
    "nd.pcapng": {
        17: [(r"00:1b:21:86:09:02", True)],
        44: [(r"00:1b:21:86:10:0b", True)],
        61: [(r"capture ended", True)],
    },
    "nd-malformed.pcap": {
        1: [(r"254", True)],
        30: [(r"HSRP", True)],
        23: [(r"00:1b:21:87:10:01", True), (r"00:1b:21:87:10:03", True)],
    },
}


# Wireshark cuts a tree label at ITEM_LABEL_LENGTH (240) - 1 characters, and an
# expert item's label is "Expert Info (Warning/Malformed): " + its message.
LABEL_MAX = 239 - len("[truncated]Expert Info (Warning/Malformed): ")


def check_messages(tshark, results, name, frames):
    """The messages listed, and on every frame no message cut at Wireshark's label length."""
    rows = tshark.fields(name, ["_ws.expert.message"], two_pass=True)
    for number, row in sorted(rows.items()):
        for message in row["_ws.expert.message"].split("|"):
            results.check(len(message) < LABEL_MAX, "%s frame %d (-2) expert message cut at %d characters: %r"
                          % (name, number, LABEL_MAX, message))
    for number, patterns in sorted(frames.items()):
        text = rows.get(number, {}).get("_ws.expert.message", "")
        for pattern, present in patterns:
            results.check(bool(re.search(pattern, text)) == present, "%s frame %d (-2) expert messages %s /%s/: %r"
                          % (name, number, "lack" if present else "have", pattern, text))


def check_capture(tshark, results, name, frames, two_pass):
    mode = "-2" if two_pass else "one pass"
    fields = ["macchk." + x for x in EXPERTS + FIELDS + ["invalid", "reason"]]
    rows = tshark.fields(name, fields, two_pass=two_pass)
    results.check(len(rows) > 0, "%s (%s): tshark printed no frames" % (name, mode))
    for number, row in sorted(rows.items()):
        spec = frames.get(number, f())
        if not two_pass and spec["one_pass"] is not None:
            override = spec["one_pass"]
            spec = {"experts": override["experts"], "fields": dict(spec["fields"], **override["fields"])}
        where = "%s frame %d (%s)" % (name, number, mode)
        experts = {x for x in EXPERTS if row["macchk." + x]}
        results.equal(sorted(experts), sorted(spec["experts"]), where + " experts")
        invalid = "1" if spec["experts"] & WARNINGS else ""
        results.equal(row["macchk.invalid"], invalid, where + " macchk.invalid")
        # the packet list's "why": present exactly on frames with a finding
        results.equal(bool(row["macchk.reason"]), bool(spec["experts"]), where + " macchk.reason present")
        for field, value in spec["fields"].items():
            results.equal(row["macchk." + field], value, where + " macchk." + field)
    missing = set(frames) - set(rows)
    results.check(not missing, "%s: expectations for frames not in the capture: %s" % (name, sorted(missing)))


def check_tree_independence(tshark, results, name):
    """macchk.invalid selects the same frames with and without a visible tree,
    in one pass and with -2."""
    for two_pass in (False, True):
        plain = tshark.frames_matching(name, "macchk.invalid", two_pass=two_pass)
        verbose = tshark.frames_matching(name, "macchk.invalid", two_pass=two_pass, verbose=True)
        results.equal(verbose, plain, "%s: -V vs no tree (%s)" % (name, "-2" if two_pass else "one pass"))


def check_registration(tshark, results):
    plugins = tshark.run(["-G", "plugins"]).stdout
    results.check("macchk.so" in plugins, "tshark -G plugins does not list macchk.so")
    registered = {line.split("\t")[2] for line in tshark.run(["-G", "fields"]).stdout.splitlines()
                  if line.count("\t") >= 2 and line.split("\t")[2].startswith("macchk")}
    for name in ["macchk", "macchk.invalid"] + ["macchk." + x for x in EXPERTS + FIELDS]:
        results.check(name in registered, "field %s is not registered" % name)
    protocols = tshark.run(["-G", "protocols"]).stdout
    results.check("MAC Address Check\tMACCHK\tmacchk" in protocols, "protocol names not as documented")


def check_expert_without_tree(tshark, results):
    """Frames dissected without a tree still carry their expert infos:
    -z expert lists macchk's Warnings (the tree-less path must show them)."""
    out = tshark.run(["-n", "-q", "-r", tshark.path("bad-guest-mac.pcap"), "-z", "expert"]).stdout
    counts = {}
    for line in out.splitlines():
        m = re.match(r"\s*(\d+)\s+\S+\s+MACCHK\s+(.*)$", line)
        if m:
            counts[m.group(2)[:20]] = int(m.group(1))
    results.equal(counts.get("Group-bit source MAC"), 6, "-z expert without a tree: group-bit source count")
    results.equal(counts.get("ARP sender MAC 53:54"), 3, "-z expert without a tree: group-bit ARP sender count")


def check_disabled(tshark, results):
    """Disabling macchk leaves ARP dissection alone and adds nothing."""
    out = tshark.run(["-n", "-r", tshark.path("arp-exchanges.pcap"), "--disable-protocol", "macchk",
                      "-T", "fields", "-e", "frame.number", "-e", "arp.opcode", "-e", "macchk.arp.kind"]).stdout
    lines = [line.split("\t") for line in out.splitlines()]
    results.equal(len(lines), 38, "disabled macchk: frame count")
    results.check(all(line[2] == "" for line in lines), "disabled macchk still adds fields")
    results.equal(lines[0][1], "1", "disabled macchk: ARP still dissected")
    protocols = tshark.run(["-n", "-r", tshark.path("arp-exchanges.pcap"), "-c", "1", "-T", "fields",
                            "-e", "frame.protocols"]).stdout.strip()
    results.equal(protocols, "eth:ethertype:arp", "frame.protocols with macchk enabled")
    # The 802.1ah front-end makes the customer addresses the link-layer
    # addresses only while macchk is enabled: the hardware-source column
    # shows pinfo's address, the backbone one (the outer eth.src) otherwise.
    # (plain column output: the column field names differ between versions)
    pbb = [int(n) for n in tshark.run(["-n", "-r", tshark.path("tunnels.pcap"), "-Y", "ieee8021ah", "-T", "fields",
                                       "-e", "frame.number"]).stdout.split()]
    results.check(len(pbb) == 2, "tunnels.pcap: PBB frames found: %r" % pbb)
    addresses = tshark.fields("tunnels.pcap", ["eth.src", "ieee8021ah.csrc"])
    for disabled in (False, True):
        out = tshark.run(["-n", "-r", tshark.path("tunnels.pcap"), "-o", 'gui.column.format:"hs","%uhs"']
                         + (["--disable-protocol", "macchk"] if disabled else [])).stdout
        column = [line.strip() for line in out.splitlines()]
        for number in pbb:
            backbone = addresses[number]["eth.src"].split("|")[0]
            customer = addresses[number]["ieee8021ah.csrc"]
            results.equal(column[number - 1], backbone if disabled else customer,
                          "PBB frame %d's link-layer source with macchk %s" % (number, "disabled" if disabled else "enabled"))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--plugin", required=True, help="the built macchk.so")
    parser.add_argument("--captures", required=True, help="the bundled captures folder")
    parser.add_argument("--only", action="append", metavar="NAME",
                        help="check only this capture (repeatable; default: every capture)")
    args = parser.parse_args()
    unknown = set(args.only or ()) - set(EXPECT)
    if unknown:
        parser.error("no expectations for: %s" % ", ".join(sorted(unknown)))

    tshark = Tshark(args.plugin, args.captures)
    results = Results()
    try:
        load_findings(tshark, results)
        check_registration(tshark, results)
        check_disabled(tshark, results)
        check_expert_without_tree(tshark, results)
        for name, frames in sorted(EXPECT.items()):
            if args.only and name not in args.only:
                continue
            for two_pass in (False, True):
                check_capture(tshark, results, name, frames, two_pass)
            check_messages(tshark, results, name, MESSAGES.get(name, {}))
            check_tree_independence(tshark, results, name)
    finally:
        tshark.close()
    return results.close("tshark_tests")


if __name__ == "__main__":
    sys.exit(main())
