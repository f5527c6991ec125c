#!/usr/bin/env python3
"""A minimal "guest" on a tap device, for tests/bridge_e2e.py.

Attaches to the tap device (/dev/net/tun, IFF_TAP | IFF_NO_PI) and, like
the NIC and IP stack of a QEMU guest, answers ARP requests for its IPv4
address and ICMP echo requests to it, sending from --mac: in the Ethernet
source and as ARP sender MAC, whatever that MAC is (group bit, zeros), as a
misconfigured guest does.  Everything else is ignored; it sends nothing
unasked.  Prints "ready" once attached; runs until killed.  Exits 77 when
the tun device cannot be used (not permitted here).  python3 stdlib only
(and the checksum of tests/gen_captures.py).
"""
import argparse
import fcntl
import os
import socket
import struct
import sys

from gen_captures import csum as checksum  # the Internet checksum (RFC 1071)

TUNSETIFF = 0x400454CA
IFF_TAP = 0x0002
IFF_NO_PI = 0x1000
ETH_ARP, ETH_IPV4 = 0x0806, 0x0800
ARP_REQUEST, ARP_REPLY = 1, 2
ICMP_ECHO_REPLY, ICMP_ECHO_REQUEST = 0, 8
SKIPPED = 77


def arp_reply(frame, mac, ip):
    """The reply to an ARP request for ip, or None."""
    if len(frame) < 42:
        return None
    htype, ptype, hlen, plen, op = struct.unpack("!HHBBH", frame[14:22])
    sha, spa, tpa = frame[22:28], frame[28:32], frame[38:42]
    if (htype, ptype, hlen, plen, op) != (1, ETH_IPV4, 6, 4, ARP_REQUEST) or tpa != ip:
        return None
    return (sha + mac + struct.pack("!H", ETH_ARP)
            + struct.pack("!HHBBH", 1, ETH_IPV4, 6, 4, ARP_REPLY) + mac + ip + sha + spa)


def echo_reply(frame, mac, ip):
    """The reply to an ICMP echo request to ip, or None."""
    if len(frame) < 34 or frame[14] >> 4 != 4:
        return None
    ihl = (frame[14] & 0x0F) * 4
    total_length = struct.unpack("!H", frame[16:18])[0]
    packet = frame[14:14 + total_length]
    if len(packet) < ihl + 8 or packet[9] != socket.IPPROTO_ICMP or packet[16:20] != ip \
            or packet[ihl] != ICMP_ECHO_REQUEST:
        return None
    header = bytearray(packet[:ihl])
    header[8] = 64                                          # TTL
    header[12:16], header[16:20] = packet[16:20], packet[12:16]  # swap addresses
    header[10:12] = b"\0\0"
    header[10:12] = struct.pack("!H", checksum(bytes(header)))
    icmp = bytearray(packet[ihl:])
    icmp[0] = ICMP_ECHO_REPLY
    icmp[2:4] = b"\0\0"
    icmp[2:4] = struct.pack("!H", checksum(bytes(icmp)))
    return frame[6:12] + mac + struct.pack("!H", ETH_IPV4) + bytes(header) + bytes(icmp)


def for_us(frame, mac):
    """What a NIC accepts: its own MAC, broadcast and multicast."""
    return frame[0:6] == mac or frame[0] & 1


def open_tap(name):
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TAP | IFF_NO_PI))
    return fd


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tap", required=True, help="tap device to attach to")
    parser.add_argument("--mac", required=True, help="MAC to send from, aa:bb:cc:dd:ee:ff")
    parser.add_argument("--ip", required=True, help="IPv4 address to answer for")
    args = parser.parse_args()
    mac = bytes.fromhex(args.mac.replace(":", ""))
    ip = socket.inet_aton(args.ip)
    try:
        fd = open_tap(args.tap)
    except OSError as err:
        print("bridge_guest: cannot attach to tap %s: %s" % (args.tap, err), file=sys.stderr)
        return SKIPPED
    print("ready", flush=True)
    while True:
        frame = os.read(fd, 65536)
        if len(frame) < 14 or not for_us(frame, mac):
            continue
        ethertype = struct.unpack("!H", frame[12:14])[0]
        reply = arp_reply(frame, mac, ip) if ethertype == ETH_ARP else \
            echo_reply(frame, mac, ip) if ethertype == ETH_IPV4 else None
        if reply:
            os.write(fd, reply)


if __name__ == "__main__":
    sys.exit(main())
