#!/usr/bin/env python3
"""A minimal "guest" on a tap device, for tests/bridge_e2e.py.

Attaches to the tap device (/dev/net/tun, IFF_TAP | IFF_NO_PI) and, like
the NIC and IP stack of a QEMU guest, answers ARP requests for its IPv4
address, IPv6 Neighbor Solicitations for its IPv6 addresses (--ip6, any
number: a link-local one and others) and ICMP/ICMPv6 echo requests to
them, sending from --mac: in the Ethernet source, as ARP sender MAC and as
the Neighbor Advertisement's target link-layer address, whatever that MAC
is (group bit, zeros), as a misconfigured guest does.  Its advertisements
are what RFC 4861 asks of a host answering a solicitation: solicited and
override flags set, hop limit 255, to the solicitation's source.  Everything else is ignored; it sends nothing
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
ETH_ARP, ETH_IPV4, ETH_IPV6 = 0x0806, 0x0800, 0x86DD
ARP_REQUEST, ARP_REPLY = 1, 2
ICMP_ECHO_REPLY, ICMP_ECHO_REQUEST = 0, 8
ICMPV6_ECHO_REQUEST, ICMPV6_ECHO_REPLY, ICMPV6_NS, ICMPV6_NA = 128, 129, 135, 136
NA_SOLICITED, NA_OVERRIDE = 0x40000000, 0x20000000
OPT_TARGET_LLADDR = 2
IPV6_HEADER = struct.Struct("!IHBB16s16s")  # version/class/flow, payload length, next header, hop limit, src, dst
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


def icmpv6_checksum(src, dst, message):
    """The ICMPv6 checksum: over the IPv6 pseudo-header and the message (RFC 4443 2.3)."""
    return checksum(src + dst + struct.pack("!IxxxB", len(message), socket.IPPROTO_ICMPV6) + message)


def ipv6_frame(dst_mac, mac, src, dst, hop_limit, message):
    """An Ethernet frame with an ICMPv6 message (its checksum filled in)."""
    message = bytearray(message)
    message[2:4] = b"\0\0"
    message[2:4] = struct.pack("!H", icmpv6_checksum(src, dst, bytes(message)))
    return (dst_mac + mac + struct.pack("!H", ETH_IPV6)
            + IPV6_HEADER.pack(6 << 28, len(message), socket.IPPROTO_ICMPV6, hop_limit, src, dst) + bytes(message))


def icmpv6_reply(frame, mac, ips6):
    """The Neighbor Advertisement answering a Neighbor Solicitation for one
    of ips6, or the reply to an ICMPv6 echo request to one of them, or None.
    Only ICMPv6 right after the IPv6 header is read (no extension headers);
    a solicitation from :: (a DAD probe) is not answered."""
    if len(frame) < 14 + IPV6_HEADER.size + 8:
        return None
    first, length, next_header, hop_limit, src, dst = IPV6_HEADER.unpack(frame[14:54])
    message = frame[54:54 + length]
    if first >> 28 != 6 or next_header != socket.IPPROTO_ICMPV6 or len(message) != length \
            or icmpv6_checksum(src, dst, message) != 0:
        return None
    kind, code = message[0], message[1]
    if kind == ICMPV6_NS and code == 0 and hop_limit == 255 and len(message) >= 24 \
            and message[8:24] in ips6 and src != bytes(16):
        target = message[8:24]
        advert = (struct.pack("!BBHI", ICMPV6_NA, 0, 0, NA_SOLICITED | NA_OVERRIDE) + target
                  + struct.pack("!BB", OPT_TARGET_LLADDR, 1) + mac)
        return ipv6_frame(frame[6:12], mac, target, src, 255, advert)
    if kind == ICMPV6_ECHO_REQUEST and code == 0 and dst in ips6:
        return ipv6_frame(frame[6:12], mac, dst, src, 64, bytes([ICMPV6_ECHO_REPLY]) + message[1:])
    return None


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
    parser.add_argument("--ip6", action="append", default=[], help="an IPv6 address to answer for (repeatable)")
    args = parser.parse_args()
    mac = bytes.fromhex(args.mac.replace(":", ""))
    ip = socket.inet_aton(args.ip)
    ips6 = {socket.inet_pton(socket.AF_INET6, a) for a in args.ip6}
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
            echo_reply(frame, mac, ip) if ethertype == ETH_IPV4 else \
            icmpv6_reply(frame, mac, ips6) if ethertype == ETH_IPV6 and ips6 else None
        if reply:
            os.write(fd, reply)


if __name__ == "__main__":
    sys.exit(main())
