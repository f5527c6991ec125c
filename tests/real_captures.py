#!/usr/bin/env python3
"""The plugin over real captures from other projects (../shared/captures-real,
not part of this repository): none may crash tshark, and what each shows
(see its MANIFEST.tsv note) must be found, without false Warnings where the
traffic is benign.  Exits 77 (skipped) when the folder is not there."""
import argparse
import os
import sys

from macchk_harness import SKIPPED, Results, Tshark

# capture -> {filter: expected number of frames matching it (with -2)}
EXPECT = {
    # classic two-way poisoning: both IPs claimed by the attacker too; twice a victim asks
    # again within the timeout after a reply (it did not take it)
    "rysavy-ondrej__Distance__arp-poison.pcapng": {"macchk.arp.ip_conflict": 14, "macchk.dup.mac": 10,
                                                   "macchk.arp.not_accepted": 2},
    # attacker replies claiming the victim's IP; frame 41 re-ARPs with the victim's MAC
    "techtushu__network-threat-analysis__ARP_Spoof.pcapng": {
        "macchk.arp.ip_conflict": 34, "macchk.arp.sender_mismatch": 1, "macchk.arp.unsolicited": 33},
    # VRRP virtual MAC as ARP sender from the router's own NIC: benign
    "ajbanjara__Wireshark__sctphandshakefail.pcap": {
        "macchk.arp.sender_virtual": 12, "macchk.arp.sender_mismatch": 0},
    # proxy ARP behind HSRP: benign
    "ajbanjara__Wireshark__teting.pcap": {"macchk.arp.sender_virtual": 1, "macchk.invalid": 0},
    # HSRP failover gratuitous replies to broadcast and Cisco multicast
    "epiecs__packetlife-backup__gratuitous_arp_hsrp.cap": {"macchk.invalid": 0, "macchk.arp.unsolicited": 0},
    # gratuitous replies in VLAN 123, then normal exchanges
    "zeek__zeek__icmp_dot1q.pcap": {"macchk.invalid": 0, "macchk.arp.response_in": 2},
    # ARP over LLC/SNAP with hardware type 6
    "zeek__zeek__snap-arp.pcapng": {"macchk.arp.malformed": 0, "macchk.arp.request_in": 2},
    # hardware/protocol sizes of 255
    "zeek__zeek__arp-leak.pcap": {"macchk.arp.malformed": 6},
    # synthetic: Ethernet source differs from the ARP sender
    "royhills__arp-scan__pkt-diff-frame-addr.pcap": {"macchk.arp.sender_mismatch": 1},
    # Linux cooked v1: one request for .160 and 9 retries for 10.1.10.1, 1 s apart; the
    # capture ends at the last retry, whose fate is unknown; each earlier one was retried
    "zeek__zeek__linuxsll-arp.pcap": {"macchk.src": 12, "macchk.arp.unanswered": 9,
                                      "macchk.arp.capture_ended": 1, "macchk.arp.attempt == 9": 1},
    # 802.11 + radiotap: RFC 5227 probes are never unanswered
    "rysavy-ondrej__Distance__arp-iphonestartup.pcapng": {"macchk.src": 38, "macchk.arp.kind == \"probe\"": 9},
    # a sweep: hundreds of unanswered requests
    "rysavy-ondrej__Distance__arp-sweep.pcapng": {"macchk.arp.unanswered": 290},
    # libvirt/QEMU guests (the rest is the host side of their taps, fe:54:00), all answered
    "ntop__nDPI__tor.pcap": {"macchk.invalid": 0, "macchk.src.vnic == \"qemu\"": 373,
                             "macchk.src.vnic == \"libvirt-tap\"": 141},
    # Docker bridge in Linux cooked capture
    "ntop__nDPI__log4j-webapp-exploit.pcap": {"macchk.invalid": 0, "macchk.src.vnic == \"docker\"": 426},
    "OISF__suricata-verify__ethernet-eve-test.pcap": {"macchk.invalid": 0},
    "the-tcpdump-group__tcpdump__802.1ad_QinQ.pcap": {"macchk.invalid": 0, "macchk.arp.request_in": 1},
    "chrissanders__packets__arp_gratuitous.pcapng": {"macchk.invalid": 0, "macchk.arp.kind == \"announcement\"": 1},
}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--plugin", required=True)
    parser.add_argument("--captures", required=True, help="folder of real captures")
    args = parser.parse_args()
    if not os.path.isdir(args.captures):
        print("real_captures: %s not found, skipped" % args.captures)
        return SKIPPED

    tshark = Tshark(args.plugin, args.captures)
    results = Results()
    try:
        names = sorted(n for n in os.listdir(tshark.captures) if not n.endswith((".tsv", ".md")))
        for name in names:
            for extra in ([], ["-2"], ["-V"]):
                proc = tshark.run(["-n", "-r", tshark.path(name)] + extra, check=False)
                results.check(proc.returncode == 0 and "macchk" not in proc.stderr.lower(),
                              "%s %s: exit %d %s" % (name, " ".join(extra), proc.returncode, proc.stderr[-500:]))
        for name, counts in sorted(EXPECT.items()):
            if name not in names:
                results.check(False, "%s is missing from %s" % (name, args.captures))
                continue
            for display_filter, expected in counts.items():
                frames = tshark.frames_matching(name, display_filter, two_pass=True)
                results.equal(len(frames), expected, "%s: frames matching %s" % (name, display_filter))
    finally:
        tshark.close()
    return results.close("real_captures")


if __name__ == "__main__":
    sys.exit(main())
