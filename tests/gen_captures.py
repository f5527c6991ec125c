#!/usr/bin/env python3
"""gen_captures.py - generate macchk's test captures (captures/*.pcap).

This file is the specification of the test data.  Each capture has one
function below that lists its frames in order; every frame is added with its
frame number (checked), its time in seconds after T0, one line saying what it
shows, and its bytes.  The test suite's per-frame assertions refer to these
numbers; `--list` prints them as a table.

Python 3 standard library only, and deterministic: the same bytes on every
run (fixed timestamps, no randomness).  Classic pcap (microsecond timestamps)
or, for a name ending in .pcapng, pcapng with several interfaces and the
timestamp resolution each capture asks for; little-endian.

    python3 tests/gen_captures.py [DIR]        write every capture into DIR
                                               (default: captures/ of this repo)
    python3 tests/gen_captures.py --check DIR  regenerate into a temporary
                                               directory and exit 1 if a capture
                                               in DIR differs from it, is missing,
                                               or is a *.pcap/*.pcapng not made here
    python3 tests/gen_captures.py --list [FILE...]
                                               print the frame tables
"""

import argparse
import filecmp
import ipaddress
import struct
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

T0 = 1_700_000_000  # 2023-11-14 22:13:20 UTC: time 0.0 of every capture
ARP_TIMEOUT = 3.0   # macchk's default: seconds a reply may lag its request

# --- link-layer header types (tcpdump.org/linktypes.html) ------------------

LINKTYPE_ETHERNET = 1
LINKTYPE_LINUX_SLL = 113
LINKTYPE_IEEE802_11_RADIOTAP = 127
LINKTYPE_LINUX_SLL2 = 276

# --- EtherTypes, ARP constants, Linux device types -------------------------

ETH_IPV4 = 0x0800
ETH_ARP = 0x0806
ETH_TEB = 0x6558        # transparent Ethernet bridging (GRE payload type)
ETH_RARP = 0x8035
ETH_VLAN = 0x8100       # 802.1Q C-tag
ETH_IPV6 = 0x86DD
ETH_MAC_CONTROL = 0x8808  # PAUSE
ETH_SLOW = 0x8809       # slow protocols (LACP)
ETH_MPLS_MC = 0x8848
ETH_EAPOL = 0x888E
ETH_QINQ = 0x88A8       # 802.1ad S-tag
ETH_LLDP = 0x88CC
ETH_PBB = 0x88E7        # 802.1ah I-tag
ETH_MMRP = 0x88F6

ARP_REQUEST, ARP_REPLY = 1, 2
RARP_REQUEST = 3
INARP_REQUEST = 8
HW_ETHERNET = 1
HW_IEEE802 = 6

ARPHRD_ETHER = 1
ARPHRD_LOOPBACK = 772
ARPHRD_INFINIBAND = 32
PACKET_HOST, PACKET_BROADCAST, PACKET_OUTGOING = 0, 1, 4

UDP_VXLAN = 4789
IPPROTO_ICMP, IPPROTO_GRE, IPPROTO_UDP = 1, 47, 17

# --- addresses used in several captures ------------------------------------

BCAST = "ff:ff:ff:ff:ff:ff"
ZERO = "00:00:00:00:00:00"
INTEL = "00:1b:21:aa:bb:cc"    # ordinary globally-unique unicast (Intel OUI)
BAD = "53:54:00:12:34:56"      # QEMU MAC typo: group bit set (meant 52:54:00:12:34:56)
QEMU_DEFAULT = "52:54:00:12:34:56"

PORT_A, PORT_B = 40000, 40001  # UDP ports no stock dissector claims: payload shows as data
PAYLOAD = b"macchk test frame"


def mac(a):
    """'aa:bb:..' -> 6 bytes; bytes pass through (any length, for malformed ARP)."""
    if isinstance(a, bytes):
        return a
    b = bytes(int(x, 16) for x in a.split(":"))
    assert len(b) == 6, a
    return b


def ip4(a):
    """'10.0.0.1' -> 4 bytes; bytes pass through (any length, for malformed ARP)."""
    return a if isinstance(a, bytes) else ipaddress.IPv4Address(a).packed


def ip6(a):
    return ipaddress.IPv6Address(a).packed


def csum(data):
    """Internet checksum (RFC 1071)."""
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


# --- link layers -------------------------------------------------------------

def eth(dst, src, ethertype, payload):
    """Ethernet II: dst, src, EtherType, payload (no FCS)."""
    return mac(dst) + mac(src) + struct.pack("!H", ethertype) + payload


def dot3(dst, src, payload):
    """IEEE 802.3: the type field is the payload length; payload starts with LLC."""
    return mac(dst) + mac(src) + struct.pack("!H", len(payload)) + payload


def vlan(vid, ethertype, payload, pcp=0):
    """Body of an 802.1Q/802.1ad tag: TCI and the next EtherType (the TPID is the type before it)."""
    return struct.pack("!HH", (pcp << 13) | vid, ethertype) + payload


def llc(dsap, ssap, ctrl, payload=b""):
    """802.2 LLC header (one-byte control field) + payload."""
    return bytes([dsap, ssap, ctrl]) + payload


def llc_snap(ethertype, payload, oui=b"\0\0\0"):
    """802.2 LLC UI frame, SAP 0xAA, SNAP with an OUI of 0 (RFC 1042)."""
    return llc(0xAA, 0xAA, 0x03, oui + struct.pack("!H", ethertype) + payload)


def llc_test(payload=PAYLOAD):
    """LLC TEST command between null SAPs: a frame with no upper protocol."""
    return llc(0x00, 0x00, 0xE3, payload)


def sll(pkttype, hatype, addr, proto, payload):
    """LINKTYPE_LINUX_SLL header (16 bytes) + payload."""
    addr = mac(addr)
    return struct.pack("!HHH8sH", pkttype, hatype, len(addr), addr, proto) + payload


def sll2(proto, ifindex, hatype, pkttype, addr, payload):
    """LINKTYPE_LINUX_SLL2 header (20 bytes) + payload."""
    addr = mac(addr)
    return struct.pack("!HHIHBB8s", proto, 0, ifindex, hatype, pkttype, len(addr), addr) + payload


def radiotap():
    """Radiotap header: flags 0 (no FCS), 6 Mb/s, 2437 MHz (ch 6, OFDM 2 GHz), -45 dBm."""
    present = (1 << 1) | (1 << 2) | (1 << 3) | (1 << 5)
    return struct.pack("<BBHI", 0, 0, 15, present) + struct.pack("<BBHHb", 0x00, 12, 2437, 0x00C0, -45)


def wlan_from_ds(da, bssid, sa, seq, payload):
    """802.11 data frame AP -> station (FromDS): addr1 = DA, addr2 = BSSID, addr3 = SA."""
    return (struct.pack("<BBH", 0x08, 0x02, 0x002C) + mac(da) + mac(bssid) + mac(sa)
            + struct.pack("<H", seq << 4) + payload)


# --- ARP ---------------------------------------------------------------------

def arp(op, sha, spa, tha, tpa, htype=HW_ETHERNET, ptype=ETH_IPV4):
    """ARP body; hlen/plen are the lengths of sha/spa (pass bytes for odd sizes)."""
    sha, tha, spa, tpa = mac(sha), mac(tha), ip4(spa), ip4(tpa)
    return struct.pack("!HHBBH", htype, ptype, len(sha), len(spa), op) + sha + spa + tha + tpa


def who_has(src, spa, tpa, dst=BCAST):
    """Ethernet frame: ARP request 'who has tpa? tell spa' from src (SHA = src, THA = 0)."""
    return eth(dst, src, ETH_ARP, arp(ARP_REQUEST, src, spa, ZERO, tpa))


def is_at(src, spa, dst, tpa):
    """Ethernet frame: ARP reply 'spa is at src' to dst (SHA = src, THA = dst)."""
    return eth(dst, src, ETH_ARP, arp(ARP_REPLY, src, spa, dst, tpa))


def announce(src, ip):
    """Ethernet frame: ARP announcement (request, SPA == TPA, THA 0, broadcast)."""
    return eth(BCAST, src, ETH_ARP, arp(ARP_REQUEST, src, ip, ZERO, ip))


# --- IP ----------------------------------------------------------------------

def ipv4(src, dst, proto, payload, ttl=64, ident=0):
    """IPv4 header (DF set, no options) with checksum + payload."""
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, 0x4000, ttl, proto, 0,
                      ip4(src), ip4(dst))
    return hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:] + payload


def _udp(pseudo, sport, dport, payload, checksum):
    u = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    if checksum:
        u = u[:6] + struct.pack("!H", csum(pseudo + u) or 0xFFFF) + u[8:]
    return u


def ip_udp(src, dst, payload=PAYLOAD, sport=PORT_A, dport=PORT_B, ttl=64, checksum=True):
    """IPv4 + UDP (checksum computed unless checksum=False, as VXLAN senders do)."""
    pseudo = ip4(src) + ip4(dst) + struct.pack("!BBH", 0, IPPROTO_UDP, 8 + len(payload))
    return ipv4(src, dst, IPPROTO_UDP, _udp(pseudo, sport, dport, payload, checksum), ttl)


def ip6_udp(src, dst, payload=PAYLOAD, sport=PORT_A, dport=PORT_B, hlim=64):
    """IPv6 + UDP with checksum."""
    pseudo = ip6(src) + ip6(dst) + struct.pack("!IxxxB", 8 + len(payload), IPPROTO_UDP)
    u = _udp(pseudo, sport, dport, payload, True)
    return struct.pack("!IHBB", 0x60000000, len(u), IPPROTO_UDP, hlim) + ip6(src) + ip6(dst) + u


PING_DATA = bytes(range(0x10, 0x38))  # 40 bytes, like iputils ping's pattern


def ip_ping(src, dst, ident, seq, reply=False):
    """IPv4 + ICMP echo request (or reply)."""
    body = struct.pack("!BBHHH", 0 if reply else 8, 0, 0, ident, seq) + PING_DATA
    body = body[:2] + struct.pack("!H", csum(body)) + body[4:]
    return ipv4(src, dst, IPPROTO_ICMP, body)


# --- IPv6 Neighbor Discovery (RFC 4861) -------------------------------------

IPPROTO_ICMPV6 = 58
ND_RS, ND_RA, ND_NS, ND_NA, ND_REDIRECT = 133, 134, 135, 136, 137
OPT_SLLAO, OPT_TLLAO, OPT_PREFIX = 1, 2, 3
ND_TIMEOUT = 3.0    # macchk's default: seconds an NA may lag its NS (and a defence its probe)
ALL_NODES, ALL_ROUTERS = "ff02::1", "ff02::2"


def ip6_packet(src, dst, nh, payload, hlim, plen=None):
    """IPv6 header (no extension headers) + payload; plen overrides the payload length field."""
    return (struct.pack("!IHBB", 0x60000000, len(payload) if plen is None else plen, nh, hlim)
            + ip6(src) + ip6(dst) + payload)


def icmp6(src, dst, msg, hlim=255):
    """IPv6 + an ICMPv6 message whose checksum (bytes 2-3) is computed over the
    pseudo-header and the message (odd lengths padded with a zero for the sum only)."""
    msg = msg[:2] + b"\0\0" + msg[4:]
    pseudo = ip6(src) + ip6(dst) + struct.pack("!IxxxB", len(msg), IPPROTO_ICMPV6)
    msg = msg[:2] + struct.pack("!H", csum(pseudo + msg)) + msg[4:]
    return ip6_packet(src, dst, IPPROTO_ICMPV6, msg, hlim)


def solicited_node(addr):
    """The solicited-node multicast address ff02::1:ffXX:XXXX of addr (RFC 4291 2.7.1)."""
    return str(ipaddress.IPv6Address(ip6("ff02::1:ff00:0")[:13] + ip6(addr)[13:]))


def ip6_mcast_mac(addr):
    """33:33 + the low 32 bits of an IPv6 multicast address (RFC 2464 7)."""
    return "33:33:" + ":".join("%02x" % b for b in ip6(addr)[12:])


def ll_opt(otype, m, units=1):
    """Source/target link-layer address option: type, length in 8-octet units, the MAC, zero fill."""
    body = bytes([otype, units]) + mac(m)
    return body + bytes(units * 8 - len(body))


def sllao(m, units=1):
    return ll_opt(OPT_SLLAO, m, units)


def tllao(m, units=1):
    return ll_opt(OPT_TLLAO, m, units)


def ns_msg(target, options=b"", code=0):
    """Neighbor Solicitation: type 135, code, checksum, reserved, target, options."""
    return struct.pack("!BBHI", ND_NS, code, 0, 0) + ip6(target) + options


def na_msg(target, flags, options=b"", code=0):
    """Neighbor Advertisement; flags a string of R (router), S (solicited), O (override)."""
    bits = (0x80 if "R" in flags else 0) | (0x40 if "S" in flags else 0) | (0x20 if "O" in flags else 0)
    return struct.pack("!BBHI", ND_NA, code, 0, bits << 24) + ip6(target) + options


def rs_msg(options=b""):
    return struct.pack("!BBHI", ND_RS, 0, 0, 0) + options


def ra_msg(options=b"", hop_limit=64, lifetime=1800):
    """Router Advertisement: cur hop limit, flags 0, router lifetime, reachable/retrans 0."""
    return struct.pack("!BBHBBHII", ND_RA, 0, 0, hop_limit, 0, lifetime, 0, 0) + options


def prefix_opt(prefix, plen=64):
    """Prefix information option (32 octets): on-link and autonomous, lifetimes 30 d / 7 d."""
    return struct.pack("!BBBBIII", OPT_PREFIX, 4, plen, 0xC0, 2592000, 604800, 0) + ip6(prefix)


def redirect_msg(target, dest, options=b""):
    """Redirect: type 137, reserved, target (the better first hop), destination."""
    return struct.pack("!BBHI", ND_REDIRECT, 0, 0, 0) + ip6(target) + ip6(dest) + options


def nd_eth(src_mac, src, dst, msg, dst_mac=None, hlim=255, vid=None, trailer=b""):
    """Ethernet (802.1Q VLAN vid when given) + IPv6 + an ND message; the Ethernet
    destination is the multicast MAC of a multicast dst, else dst_mac; trailer:
    bytes after the IPv6 packet (outside its payload length)."""
    if ipaddress.IPv6Address(dst).is_multicast:
        dst_mac = dst_mac or ip6_mcast_mac(dst)
    pkt = icmp6(src, dst, msg, hlim) + trailer
    if vid is None:
        return eth(dst_mac, src_mac, ETH_IPV6, pkt)
    return eth(dst_mac, src_mac, ETH_VLAN, vlan(vid, ETH_IPV6, pkt))


# --- tunnels -----------------------------------------------------------------

def vxlan(vni, inner):
    """VXLAN header (flags: VNI valid) + inner Ethernet frame: a UDP payload for port 4789."""
    return struct.pack("!BxxxI", 0x08, vni << 8) + inner


def gre_teb(inner):
    """GRE header (no options), protocol 0x6558 + inner Ethernet frame: an IP payload."""
    return struct.pack("!HH", 0, ETH_TEB) + inner


def pbb(isid, cda, csa, ethertype, payload):
    """802.1ah I-tag body (PCP 0, I-SID) + customer DA/SA + customer EtherType + payload."""
    return struct.pack("!I", isid & 0xFFFFFF) + mac(cda) + mac(csa) + struct.pack("!H", ethertype) + payload


def mpls(label, payload, ttl=64):
    """One MPLS label stack entry (bottom of stack) + payload."""
    return struct.pack("!I", (label << 12) | (1 << 8) | ttl) + payload


# --- control protocols for zero-and-special --------------------------------

def stp_config_bpdu(bridge):
    """802.1D configuration BPDU (35 bytes): this bridge is root, priority 32768."""
    bid = struct.pack("!H", 0x8000) + mac(bridge)
    return (struct.pack("!HBBB", 0, 0, 0, 0) + bid + struct.pack("!I", 0) + bid
            + struct.pack("!HHHHH", 0x8001, 0, 20 * 256, 2 * 256, 15 * 256))


def pause(quanta=0xFFFF):
    """MAC Control PAUSE (opcode 1)."""
    return struct.pack("!HH", 0x0001, quanta)


def lacpdu(actor, partner):
    """Slow protocols subtype 1: LACPDU version 1 (110 bytes)."""
    def info(tlv, system, key, port, state):
        return struct.pack("!BBH6sHHHB3x", tlv, 20, 0x8000, mac(system), key, 0x00FF, port, state)
    return (struct.pack("!BB", 1, 1) + info(1, actor, 0x000F, 1, 0x3D) + info(2, partner, 0x0011, 7, 0x3D)
            + struct.pack("!BBH12x", 3, 16, 0) + b"\0\0" + bytes(50))


def eapol_start():
    """802.1X EAPOL-Start (version 2, type 1, length 0)."""
    return struct.pack("!BBH", 2, 1, 0)


def lldpdu(chassis, port_name, ttl=120):
    """LLDPDU: chassis ID (MAC), port ID (interface name), TTL, end."""
    def tlv(t, value):
        return struct.pack("!H", (t << 9) | len(value)) + value
    return (tlv(1, b"\x04" + mac(chassis)) + tlv(2, b"\x05" + port_name.encode())
            + tlv(3, struct.pack("!H", ttl)) + tlv(0, b""))


def mmrp_join(group):
    """MMRP PDU: one MAC-address attribute (JoinIn), end marks."""
    return (struct.pack("!BBBH", 0, 2, 6, 1) + mac(group) + bytes([1 * 36])
            + struct.pack("!HH", 0, 0))


# --- captures ----------------------------------------------------------------

class Frame:
    def __init__(self, number, ns, what, data, iface=0, wire_len=None):
        self.number, self.ns, self.what, self.data, self.iface = number, ns, what, data, iface
        self.wire_len = len(data) if wire_len is None else wire_len  # original length (> len(data): snap cut)


PCAPNG_SHB, PCAPNG_IDB, PCAPNG_EPB = 0x0A0D0D0A, 0x00000001, 0x00000006
OPT_ENDOFOPT, OPT_COMMENT, OPT_IF_NAME, OPT_IF_TSRESOL = 0, 1, 2, 9


def pcapng_block(btype, body):
    """One pcapng block (little-endian): type, total length, body padded to 32 bits, total length."""
    body += bytes(-len(body) % 4)
    return struct.pack("<II", btype, 12 + len(body)) + body + struct.pack("<I", 12 + len(body))


def pcapng_options(options):
    """(code, value bytes) pairs, each padded to 32 bits, then opt_endofopt; b'' when none."""
    if not options:
        return b""
    out = b"".join(struct.pack("<HH", code, len(v)) + v + bytes(-len(v) % 4) for code, v in options)
    return out + struct.pack("<HH", OPT_ENDOFOPT, 0)


class Capture:
    """One capture file: its frames in order.  Ethernet frames shorter than the
    60-byte minimum are padded with zeros as a NIC receives them, unless the
    capture (pad=False: seen on a virtual interface) or the frame says not.

    A name ending in .pcapng makes a pcapng file: one section, one interface
    description per entry of interfaces ((name, linktype) pairs; default one
    interface "eth0" of linktype), each with if_tsresol = 10^-tsresol s
    (6: microseconds, 9: nanoseconds), and one enhanced packet block per frame
    naming its interface.  Classic pcap has microsecond times and one
    interface."""

    def __init__(self, name, linktype, summary, pad=True, interfaces=None, tsresol=6):
        self.name, self.linktype, self.summary, self.pad = name, linktype, summary, pad
        self.pcapng = name.endswith(".pcapng")
        assert self.pcapng or (interfaces is None and tsresol == 6), name
        self.interfaces = interfaces or [("eth0", linktype)]
        self.tsresol = tsresol
        self.frames = []

    def add(self, number, t, what, data, pad=None, iface=0, earlier=False, snaplen=None):
        """Frame number (checked) at t seconds after T0 (a float, or a str for exactness),
        on interface iface; times never go back unless earlier=True says this frame
        is stamped before the one before it on purpose.  snaplen: keep only that many
        bytes of the frame (the original length stays that of the whole frame)."""
        assert number == len(self.frames) + 1, (self.name, number)
        assert 0 <= iface < len(self.interfaces), (self.name, number, iface)
        unit = 10 ** (9 - self.tsresol)
        if self.tsresol == 6:
            ns = round(t * 1_000_000) * 1000  # as classic pcap always did
        else:
            ns = round(Decimal(t if isinstance(t, str) else repr(t)) * 10 ** 9)
        assert ns % unit == 0, (self.name, number, t, "finer than the resolution")
        if self.frames:
            assert (ns < self.frames[-1].ns) == earlier, (self.name, number, "time order")
        if pad is None:
            pad = self.pad
        if self.interfaces[iface][1] == LINKTYPE_ETHERNET and pad and len(data) < 60:
            data += bytes(60 - len(data))
        wire_len = len(data)
        if snaplen is not None:
            assert snaplen < wire_len, (self.name, number, "snaplen cuts nothing")
            data = data[:snaplen]
        self.frames.append(Frame(number, ns, what, data, iface, wire_len))

    def pcap(self):
        """The file's bytes (classic pcap or pcapng, as the name says)."""
        if self.pcapng:
            return self._pcapng()
        out = [struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, self.linktype)]
        for f in self.frames:
            sec, usec = divmod(f.ns // 1000, 1_000_000)
            out.append(struct.pack("<IIII", T0 + sec, usec, len(f.data), f.wire_len) + f.data)
        return b"".join(out)

    def _pcapng(self):
        out = [pcapng_block(PCAPNG_SHB, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))]
        for ifname, linktype in self.interfaces:
            out.append(pcapng_block(PCAPNG_IDB, struct.pack("<HHI", linktype, 0, 262144) + pcapng_options(
                [(OPT_IF_NAME, ifname.encode()), (OPT_IF_TSRESOL, bytes([self.tsresol]))])))
        unit = 10 ** (9 - self.tsresol)
        for f in self.frames:
            ts = (T0 * 10 ** 9 + f.ns) // unit
            out.append(pcapng_block(PCAPNG_EPB, struct.pack("<IIIII", f.iface, ts >> 32, ts & 0xFFFFFFFF,
                                                              len(f.data), f.wire_len) + f.data))
        return b"".join(out)


def bad_guest_mac():
    # The Linux bridge drops every frame whose source has the group bit, so the host never
    # hears the bad guest; the guest's answers to the host's ARP requests are dropped the
    # same way and are left out of the capture.  Virtual interfaces do not pad frames.
    c = Capture("bad-guest-mac.pcap", LINKTYPE_ETHERNET,
                "QEMU/KVM guest on a Linux bridge whose MAC has the group bit set: its ARP and "
                "pings go nowhere, while a well-behaved guest works", pad=False)
    host = "52:54:00:8a:3c:01"      # libvirt bridge virbr0, 192.168.122.1
    good = "52:54:00:11:22:33"      # second guest, 192.168.122.51
    gw, bad_ip, good_ip = "192.168.122.1", "192.168.122.50", "192.168.122.51"
    c.add(1, 0.000, "bad guest 53:54:00:12:34:56 asks for the host 192.168.122.1 (attempt 1)",
          who_has(BAD, bad_ip, gw))
    c.add(2, 1.000, "bad guest asks again (attempt 2, Linux retry 1 s later)", who_has(BAD, bad_ip, gw))
    c.add(3, 2.000, "bad guest asks again (attempt 3); never answered: the bridge drops its frames",
          who_has(BAD, bad_ip, gw))
    c.add(4, 3.000, "host virbr0 asks for the bad guest 192.168.122.50 (attempt 1)", who_has(host, gw, bad_ip))
    c.add(5, 3.200, "bad guest (learnt the host MAC from frame 4) pings 192.168.122.1, seq 1: unanswered",
          eth(host, BAD, ETH_IPV4, ip_ping(bad_ip, gw, 0x1C2A, 1)))
    c.add(6, 4.000, "host asks for 192.168.122.50 again (attempt 2)", who_has(host, gw, bad_ip))
    c.add(7, 4.200, "bad guest ping seq 2: unanswered", eth(host, BAD, ETH_IPV4, ip_ping(bad_ip, gw, 0x1C2A, 2)))
    c.add(8, 5.000, "host asks for 192.168.122.50 again (attempt 3); the guest's answer never arrives",
          who_has(host, gw, bad_ip))
    c.add(9, 5.200, "bad guest ping seq 3: unanswered", eth(host, BAD, ETH_IPV4, ip_ping(bad_ip, gw, 0x1C2A, 3)))
    c.add(10, 7.000, "good guest 52:54:00:11:22:33 asks for 192.168.122.1", who_has(good, good_ip, gw))
    c.add(11, 7.0002, "host replies to the good guest: 192.168.122.1 is at 52:54:00:8a:3c:01",
          is_at(host, gw, good, good_ip))
    c.add(12, 7.0010, "good guest pings 192.168.122.1, seq 1",
          eth(host, good, ETH_IPV4, ip_ping(good_ip, gw, 0x2B3C, 1)))
    c.add(13, 7.0012, "host echo reply, seq 1",
          eth(good, host, ETH_IPV4, ip_ping(gw, good_ip, 0x2B3C, 1, reply=True)))
    c.add(14, 8.0010, "good guest ping seq 2", eth(host, good, ETH_IPV4, ip_ping(good_ip, gw, 0x2B3C, 2)))
    c.add(15, 8.0012, "host echo reply, seq 2",
          eth(good, host, ETH_IPV4, ip_ping(gw, good_ip, 0x2B3C, 2, reply=True)))
    return c


def zero_and_special():
    c = Capture("zero-and-special.pcap", LINKTYPE_ETHERNET,
                "one frame per special MAC address, as source or destination; the counterpart is "
                "ordinary unicast 00:1b:21:aa:bb:cc")
    me, peer = "192.0.2.1", "192.0.2.2"  # INTEL's address, the other end's

    def u(dst, src, src_ip=peer, dst_ip=me, ttl=64):
        return eth(dst, src, ETH_IPV4, ip_udp(src_ip, dst_ip, ttl=ttl))

    def t(dst):
        return dot3(dst, INTEL, llc_test())

    c.add(1, 0.0, "zero SOURCE 00:00:00:00:00:00 (UDP to INTEL)", u(INTEL, ZERO))
    c.add(2, 1.0, "zero DESTINATION 00:00:00:00:00:00 (UDP from INTEL)", u(ZERO, INTEL, me, peer))
    c.add(3, 2.0, "broadcast destination ff:ff:ff:ff:ff:ff (UDP to 255.255.255.255)",
          u(BCAST, INTEL, me, "255.255.255.255"))
    c.add(4, 3.0, "802.1 link-local 01:80:c2:00:00:00: STP configuration BPDU (802.3/LLC 0x42)",
          dot3("01:80:c2:00:00:00", INTEL, llc(0x42, 0x42, 0x03, stp_config_bpdu(INTEL))))
    c.add(5, 4.0, "802.1 link-local 01:80:c2:00:00:01: PAUSE (EtherType 0x8808)",
          eth("01:80:c2:00:00:01", INTEL, ETH_MAC_CONTROL, pause()))
    c.add(6, 5.0, "802.1 link-local 01:80:c2:00:00:02: LACPDU (slow protocols 0x8809)",
          eth("01:80:c2:00:00:02", INTEL, ETH_SLOW, lacpdu(INTEL, "00:1b:21:00:00:fe")))
    c.add(7, 6.0, "802.1 link-local 01:80:c2:00:00:03: EAPOL-Start (PAE 0x888e)",
          eth("01:80:c2:00:00:03", INTEL, ETH_EAPOL, eapol_start()))
    c.add(8, 7.0, "802.1 link-local 01:80:c2:00:00:0e: LLDP (0x88cc)",
          eth("01:80:c2:00:00:0e", INTEL, ETH_LLDP, lldpdu(INTEL, "eth0")))
    c.add(9, 8.0, "802.1 link-local 01:80:c2:00:00:05 (reserved, in range): LLC TEST",
          t("01:80:c2:00:00:05"))
    c.add(10, 9.0, "802.1 link-local 01:80:c2:00:00:0f (last of the range): LLC TEST",
          t("01:80:c2:00:00:0f"))
    c.add(11, 10.0, "01:80:c2:00:00:10 (just outside the link-local range): LLC TEST",
          t("01:80:c2:00:00:10"))
    c.add(12, 11.0, "MRP/GARP 01:80:c2:00:00:20 (first of the range): MMRP join (0x88f6)",
          eth("01:80:c2:00:00:20", INTEL, ETH_MMRP, mmrp_join("01:00:5e:00:00:fb")))
    c.add(13, 12.0, "MRP/GARP 01:80:c2:00:00:2f (last of the range): LLC TEST", t("01:80:c2:00:00:2f"))
    c.add(14, 13.0, "IPv4 multicast 01:00:5e:00:00:01 (UDP to 224.0.0.1)",
          u("01:00:5e:00:00:01", INTEL, me, "224.0.0.1", ttl=1))
    c.add(15, 14.0, "IPv4 multicast 01:00:5e:7f:ff:ff, top of the range (UDP to 239.255.255.255)",
          u("01:00:5e:7f:ff:ff", INTEL, me, "239.255.255.255"))
    c.add(16, 15.0, "MPLS multicast 01:00:5e:80:00:00 (0x8848, label 16, IPv4 UDP to 232.1.1.1)",
          eth("01:00:5e:80:00:00", INTEL, ETH_MPLS_MC, mpls(16, ip_udp(me, "232.1.1.1"))))
    c.add(17, 16.0, "MPLS multicast 01:00:5e:8f:ff:ff, top of the range (0x8848, IPv4 UDP to 232.1.1.2)",
          eth("01:00:5e:8f:ff:ff", INTEL, ETH_MPLS_MC, mpls(16, ip_udp(me, "232.1.1.2"))))
    c.add(18, 17.0, "01:00:5e:90:00:00, just outside MPLS multicast (IANA reserved): LLC TEST",
          t("01:00:5e:90:00:00"))
    c.add(19, 18.0, "documentation multicast 01:00:5e:90:10:00 (RFC 7042): LLC TEST", t("01:00:5e:90:10:00"))
    c.add(20, 19.0, "documentation multicast 01:00:5e:90:10:ff (last of the block): LLC TEST",
          t("01:00:5e:90:10:ff"))
    c.add(21, 20.0, "IPv6 multicast 33:33:00:00:00:01 (UDP to ff02::1)",
          eth("33:33:00:00:00:01", INTEL, ETH_IPV6, ip6_udp("fe80::21b:21ff:feaa:bbcc", "ff02::1")))
    c.add(22, 21.0, "IANA reserved unicast 00:00:5e:00:00:42 as SOURCE (UDP to INTEL)",
          u(INTEL, "00:00:5e:00:00:42"))
    c.add(23, 22.0, "VRRP IPv4 virtual MAC 00:00:5e:00:01:07 (VRID 7) as SOURCE (routed UDP to INTEL)",
          u(INTEL, "00:00:5e:00:01:07", "198.51.100.7"))
    c.add(24, 23.0, "VRRP IPv6 virtual MAC 00:00:5e:00:02:0a (VRID 10) as SOURCE (routed IPv6 UDP to INTEL)",
          eth(INTEL, "00:00:5e:00:02:0a", ETH_IPV6, ip6_udp("2001:db8:1::7", "2001:db8::1")))
    c.add(25, 24.0, "documentation unicast 00:00:5e:00:53:01 as SOURCE (UDP to INTEL)",
          u(INTEL, "00:00:5e:00:53:01"))
    c.add(26, 25.0, "HSRP virtual MAC 00:00:0c:07:ac:01 (group 1) as SOURCE (routed UDP to INTEL)",
          u(INTEL, "00:00:0c:07:ac:01", "198.51.100.8"))
    c.add(27, 26.0, "CF block cf:00:00:00:00:01 as SOURCE (group bit set) (UDP to INTEL)",
          u(INTEL, "cf:00:00:00:00:01"))
    c.add(28, 27.0, "SLAP AAI 02:12:34:56:78:9a as SOURCE (UDP to INTEL)", u(INTEL, "02:12:34:56:78:9a"))
    c.add(29, 28.0, "SLAP ELI 0a:12:34:56:78:9a as SOURCE (UDP to INTEL)", u(INTEL, "0a:12:34:56:78:9a"))
    c.add(30, 29.0, "SLAP SAI 0e:12:34:56:78:9a as SOURCE (UDP to INTEL)", u(INTEL, "0e:12:34:56:78:9a"))
    c.add(31, 30.0, "SLAP reserved quadrant 06:12:34:56:78:9a as SOURCE (UDP to INTEL)",
          u(INTEL, "06:12:34:56:78:9a"))
    return c


# Virtual NIC prefixes: (what, MAC).  Entry i (0-based) is 10.9.0.(10+i); its request is
# frame 2i+1 at i s, the reply frame 2i+2 at i s + 0.4 ms.
HYPERVISOR_MACS = [
    ("QEMU/KVM, libvirt-generated (not the QEMU default)", "52:54:00:6b:1d:e2"),
    ("QEMU default MAC of the first NIC", "52:54:00:12:34:56"),
    ("QEMU default MAC of the second NIC", "52:54:00:12:34:57"),
    ("Xen", "00:16:3e:5a:7c:01"),
    ("VirtualBox", "08:00:27:3f:9e:21"),
    ("VMware", "00:50:56:a1:b2:c3"),
    ("VMware", "00:0c:29:4d:5e:6f"),
    ("VMware", "00:05:69:12:34:56"),
    ("VMware", "00:1c:14:ab:cd:ef"),
    ("Hyper-V", "00:15:5d:01:02:03"),
    ("Parallels", "00:1c:42:aa:bb:cc"),
    ("Docker default bridge", "02:42:ac:11:00:02"),
    ("libvirt host-side tap", "fe:54:00:6b:1d:e2"),
]


def hypervisors():
    c = Capture("hypervisors.pcap", LINKTYPE_ETHERNET,
                "one ARP request per virtual-NIC prefix (Ethernet source = ARP sender), each answered "
                "by 00:1b:21:aa:bb:cc (10.9.0.1)")
    gw = "10.9.0.1"
    n = 0
    for i, (what, vm) in enumerate(HYPERVISOR_MACS):
        vm_ip = "10.9.0.%d" % (10 + i)
        c.add(n + 1, i * 1.0, "%s %s (%s) asks for 10.9.0.1" % (what, vm, vm_ip), who_has(vm, vm_ip, gw))
        c.add(n + 2, i * 1.0 + 0.0004, "10.9.0.1 replies to %s" % vm, is_at(INTEL, gw, vm, vm_ip))
        n += 2
    return c


def vlan_qinq():
    c = Capture("vlan-qinq.pcap", LINKTYPE_ETHERNET,
                "ARP in 802.1Q, 802.1ad QinQ, double 0x8100 and LLC/SNAP over 802.3; a tagged frame "
                "from a group-bit source")
    a1, b1 = "00:1b:21:04:01:01", "00:1b:21:04:01:02"
    a2, b2 = "00:1b:21:04:02:01", "00:1b:21:04:02:02"
    a3, b3 = "00:1b:21:04:03:01", "00:1b:21:04:03:02"
    a4, b4 = "00:1b:21:04:04:01", "00:1b:21:04:04:02"

    def q(dst, src, body):        # 802.1Q VLAN 10
        return eth(dst, src, ETH_VLAN, vlan(10, ETH_ARP, body))

    def qinq(dst, src, body):     # S-tag 100 (0x88a8) + C-tag 10
        return eth(dst, src, ETH_QINQ, vlan(100, ETH_VLAN, vlan(10, ETH_ARP, body)))

    def qq(dst, src, body):       # 0x8100 100 + 0x8100 10
        return eth(dst, src, ETH_VLAN, vlan(100, ETH_VLAN, vlan(10, ETH_ARP, body)))

    def snap(dst, src, body):     # 802.3 + LLC/SNAP, ARP hardware type 6
        return dot3(dst, src, llc_snap(ETH_ARP, body))

    c.add(1, 0.0, "802.1Q VLAN 10: 10.4.1.1 asks for 10.4.1.2",
          q(BCAST, a1, arp(ARP_REQUEST, a1, "10.4.1.1", ZERO, "10.4.1.2")))
    c.add(2, 0.0003, "802.1Q VLAN 10: reply 10.4.1.2 is at %s" % b1,
          q(a1, b1, arp(ARP_REPLY, b1, "10.4.1.2", a1, "10.4.1.1")))
    c.add(3, 1.0, "QinQ 0x88a8 S-VLAN 100 + 0x8100 C-VLAN 10: 10.4.2.1 asks for 10.4.2.2",
          qinq(BCAST, a2, arp(ARP_REQUEST, a2, "10.4.2.1", ZERO, "10.4.2.2")))
    c.add(4, 1.0003, "QinQ: reply 10.4.2.2 is at %s" % b2,
          qinq(a2, b2, arp(ARP_REPLY, b2, "10.4.2.2", a2, "10.4.2.1")))
    c.add(5, 2.0, "double 0x8100 (VLAN 100 + VLAN 10): 10.4.3.1 asks for 10.4.3.2",
          qq(BCAST, a3, arp(ARP_REQUEST, a3, "10.4.3.1", ZERO, "10.4.3.2")))
    c.add(6, 2.0003, "double 0x8100: reply 10.4.3.2 is at %s" % b3,
          qq(a3, b3, arp(ARP_REPLY, b3, "10.4.3.2", a3, "10.4.3.1")))
    c.add(7, 3.0, "802.3 + LLC/SNAP, ARP hardware type 6 (IEEE 802): 10.4.4.1 asks for 10.4.4.2",
          snap(BCAST, a4, arp(ARP_REQUEST, a4, "10.4.4.1", ZERO, "10.4.4.2", htype=HW_IEEE802)))
    c.add(8, 3.0003, "802.3 + LLC/SNAP, hardware type 6: reply 10.4.4.2 is at %s" % b4,
          snap(a4, b4, arp(ARP_REPLY, b4, "10.4.4.2", a4, "10.4.4.1", htype=HW_IEEE802)))
    c.add(9, 4.0, "802.1Q VLAN 10: UDP from group-bit source 53:54:00:12:34:56 (must be flagged)",
          eth(a1, BAD, ETH_VLAN, vlan(10, ETH_IPV4, ip_udp("10.4.1.66", "10.4.1.1"))))
    return c


def _linux_cooked(name, linktype, summary, cooked):
    """sll.pcap / sll2.pcap: the same nine frames as captured on Linux 'any'.
    cooked(pkttype, hatype, ifindex, addr, proto, payload) builds one frame."""
    c = Capture(name, linktype, summary)
    a, b = "00:1b:21:05:00:01", "00:1b:21:05:00:02"  # this host (eth0, ifindex 2) and a neighbour
    c.add(1, 0.0, "eth0 OUTGOING: ARP request, 10.5.0.1 (00:1b:21:05:00:01) asks for 10.5.0.2",
          cooked(PACKET_OUTGOING, ARPHRD_ETHER, 2, a, ETH_ARP, arp(ARP_REQUEST, a, "10.5.0.1", ZERO, "10.5.0.2")))
    c.add(2, 0.0003, "eth0 HOST: ARP reply, 10.5.0.2 is at 00:1b:21:05:00:02",
          cooked(PACKET_HOST, ARPHRD_ETHER, 2, b, ETH_ARP, arp(ARP_REPLY, b, "10.5.0.2", a, "10.5.0.1")))
    c.add(3, 1.0, "eth0 HOST: IPv4 UDP from group-bit source 53:54:00:12:34:56 (must be flagged)",
          cooked(PACKET_HOST, ARPHRD_ETHER, 2, BAD, ETH_IPV4, ip_udp("10.5.0.66", "10.5.0.1")))
    c.add(4, 2.0, "lo OUTGOING (ARPHRD_LOOPBACK, address 00:00:00:00:00:00): UDP 127.0.0.1 -> 127.0.0.1 "
          "(must NOT be flagged)",
          cooked(PACKET_OUTGOING, ARPHRD_LOOPBACK, 1, ZERO, ETH_IPV4, ip_udp("127.0.0.1", "127.0.0.1")))
    c.add(5, 2.0, "lo HOST: the same UDP packet received on loopback (must NOT be flagged)",
          cooked(PACKET_HOST, ARPHRD_LOOPBACK, 1, ZERO, ETH_IPV4, ip_udp("127.0.0.1", "127.0.0.1")))
    c.add(6, 3.0, "eth0 HOST: ARP request whose cooked source 00:1b:21:05:00:03 is not its sender "
          "00:1b:21:05:00:04 (sender mismatch)",
          cooked(PACKET_HOST, ARPHRD_ETHER, 2, "00:1b:21:05:00:03", ETH_ARP,
                 arp(ARP_REQUEST, "00:1b:21:05:00:04", "10.5.0.4", ZERO, "10.5.0.1")))
    c.add(7, 3.0003, "eth0 OUTGOING: reply to it (answers 6)",
          cooked(PACKET_OUTGOING, ARPHRD_ETHER, 2, a, ETH_ARP,
                 arp(ARP_REPLY, a, "10.5.0.1", "00:1b:21:05:00:04", "10.5.0.4")))
    # IPoIB: link-layer options of 3 units hold a 20-byte address (RFC 4391), no MAC
    ib_a, ib_b = bytes([0x80, 0, 0, 0x48]) + bytes(16), bytes([0x80, 0, 0, 0x49]) + bytes(16)
    c.add(8, 4.0, "ib0 (ARPHRD_INFINIBAND) OUTGOING: NS fe80::a asks for fe80::b, SLLAO of 3 units (not a MAC, "
          "not judged)", cooked(PACKET_OUTGOING, ARPHRD_INFINIBAND, 3, "80:00:00:48:00:00", ETH_IPV6,
                                icmp6("fe80::a", solicited_node("fe80::b"),
                                      ns_msg("fe80::b", bytes([OPT_SLLAO, 3]) + ib_a + bytes(2)))))
    c.add(9, 4.0002, "ib0 HOST: solicited NA from fe80::b, TLLAO of 3 units (answers 8)",
          cooked(PACKET_HOST, ARPHRD_INFINIBAND, 3, "80:00:00:49:00:00", ETH_IPV6,
                 icmp6("fe80::b", "fe80::a", na_msg("fe80::b", "SO", bytes([OPT_TLLAO, 3]) + ib_b + bytes(2)))))
    return c


def sll_capture():
    return _linux_cooked("sll.pcap", LINKTYPE_LINUX_SLL,
                         "Linux cooked capture v1 (LINKTYPE_LINUX_SLL 113): ARP, a group-bit source, loopback, IPoIB ND",
                         lambda pkt, ha, ifx, addr, proto, p: sll(pkt, ha, addr, proto, p))


def sll2_capture():
    return _linux_cooked("sll2.pcap", LINKTYPE_LINUX_SLL2,
                         "Linux cooked capture v2 (LINKTYPE_LINUX_SLL2 276): ARP, a group-bit source, loopback, IPoIB ND",
                         lambda pkt, ha, ifx, addr, proto, p: sll2(proto, ifx, ha, pkt, addr, p))


def arp_exchanges():
    c = Capture("arp-exchanges.pcap", LINKTYPE_ETHERNET,
                "one scenario per ARP definition; scenario S uses 10.1.S.x and MACs 00:1b:21:01:SS:xx "
                "and starts at 10*(S-1) s")

    def h(s, n):  # host n of scenario s: (MAC, IP)
        return "00:1b:21:01:%02x:%02x" % (s, n), "10.1.%d.%d" % (s, n)

    # S1 (t 0) plain request/reply
    (a, ai), (b, bi) = h(1, 1), h(1, 2)
    c.add(1, 0.0, "S1 plain: 10.1.1.1 asks for 10.1.1.2", who_has(a, ai, bi))
    c.add(2, 0.0003, "S1 plain: reply 10.1.1.2 is at 00:1b:21:01:01:02 (answers 1)", is_at(b, bi, a, ai))
    # S2 (t 10) retries then a reply
    (a, ai), (b, bi) = h(2, 1), h(2, 2)
    c.add(3, 10.0, "S2 retries: 10.1.2.1 asks for 10.1.2.2 (attempt 1)", who_has(a, ai, bi))
    c.add(4, 11.0, "S2 retries: attempt 2, 1 s later", who_has(a, ai, bi))
    c.add(5, 12.0, "S2 retries: attempt 3, 1 s later", who_has(a, ai, bi))
    c.add(6, 12.0004, "S2 retries: reply 10.1.2.2 is at 00:1b:21:01:02:02 (answers 3-5)", is_at(b, bi, a, ai))
    # S3 (t 20) never answered
    (a, ai), (b, bi) = h(3, 1), h(3, 2)
    c.add(7, 20.0, "S3 no reply: 10.1.3.1 asks for 10.1.3.2 (attempt 1)", who_has(a, ai, bi))
    c.add(8, 21.0, "S3 no reply: attempt 2", who_has(a, ai, bi))
    c.add(9, 22.0, "S3 no reply: attempt 3; no reply ever", who_has(a, ai, bi))
    # S4 (t 30) reply after the timeout (the S2 reply is within it even from attempt 1)
    assert 35.0 - 30.0 > ARP_TIMEOUT > 12.0004 - 10.0
    (a, ai), (b, bi) = h(4, 1), h(4, 2)
    c.add(10, 30.0, "S4 late: 10.1.4.1 asks for 10.1.4.2 (never answered in time)", who_has(a, ai, bi))
    c.add(11, 35.0, "S4 late: reply 10.1.4.2 is at 00:1b:21:01:04:02, 5 s after frame 10 (> 3 s timeout)",
          is_at(b, bi, a, ai))
    # S5 (t 40) unsolicited reply
    (a, ai), (b, bi) = h(5, 1), h(5, 2)
    c.add(12, 40.0, "S5 unsolicited: reply 10.1.5.2 is at 00:1b:21:01:05:02 to 10.1.5.1, no request ever",
          is_at(b, bi, a, ai))
    # S6 (t 50) gratuitous reply
    (a, ai) = h(6, 1)
    c.add(13, 50.0, "S6 gratuitous reply: 10.1.6.1 is at 00:1b:21:01:06:01, SPA == TPA, broadcast, THA ff..ff",
          eth(BCAST, a, ETH_ARP, arp(ARP_REPLY, a, ai, BCAST, ai)))
    # S7 (t 60) announcement
    (a, ai) = h(7, 1)
    c.add(14, 60.0, "S7 announcement: request 10.1.7.1 for itself (SPA == TPA), THA 0, broadcast",
          announce(a, ai))
    # S8 (t 70) RFC 5227 probes, not answered (the address is free)
    (a, _), (_, bi) = h(8, 1), h(8, 2)
    probe8 = eth(BCAST, a, ETH_ARP, arp(ARP_REQUEST, a, "0.0.0.0", ZERO, bi))
    c.add(15, 70.0, "S8 probe: 00:1b:21:01:08:01 probes 10.1.8.2 (SPA 0.0.0.0), probe 1", probe8)
    c.add(16, 71.4, "S8 probe: probe 2 (RFC 5227: 1-2 s later)", probe8)
    c.add(17, 72.9, "S8 probe: probe 3; never answered (address free)", probe8)
    # S9 (t 80) probe answered by the owner defending its address
    (a, _), (b, bi) = h(9, 1), h(9, 2)
    c.add(18, 80.0, "S9 probe: 00:1b:21:01:09:01 probes 10.1.9.2 (SPA 0.0.0.0)",
          eth(BCAST, a, ETH_ARP, arp(ARP_REQUEST, a, "0.0.0.0", ZERO, bi)))
    c.add(19, 80.0004, "S9 defence: reply 10.1.9.2 is at 00:1b:21:01:09:02 to the prober, TPA 0.0.0.0 "
          "(answers 18: address in use)", eth(a, b, ETH_ARP, arp(ARP_REPLY, b, bi, a, "0.0.0.0")))
    # S10 (t 90) unicast request (Linux cache refresh, NUD_PROBE: THA 0)
    (a, ai), (b, bi) = h(10, 1), h(10, 2)
    c.add(20, 90.0, "S10 unicast request: 10.1.10.1 asks 00:1b:21:01:0a:02 directly for 10.1.10.2 (THA 0)",
          who_has(a, ai, bi, dst=b))
    c.add(21, 90.0003, "S10 unicast request: reply 10.1.10.2 is at 00:1b:21:01:0a:02 (answers 20)",
          is_at(b, bi, a, ai))
    # S11 (t 100) sender mismatch: Ethernet source != ARP SHA
    (a, ai), (b, bi), (x, _) = h(11, 1), h(11, 2), h(11, 3)
    c.add(22, 100.0, "S11 sender mismatch: Ethernet src 00:1b:21:01:0b:03, ARP SHA 00:1b:21:01:0b:01, "
          "10.1.11.1 asks for 10.1.11.2", eth(BCAST, x, ETH_ARP, arp(ARP_REQUEST, a, ai, ZERO, bi)))
    c.add(23, 100.0003, "S11: reply 10.1.11.2 is at 00:1b:21:01:0b:02 to the SHA (answers 22; consistent)",
          is_at(b, bi, a, ai))
    # S12 (t 110) VRRP: reply with the virtual MAC as SHA from the router's physical MAC (benign)
    (a, ai), (r, vip) = h(12, 1), h(12, 2)
    vmac = "00:00:5e:00:01:06"
    c.add(24, 110.0, "S12 VRRP: 10.1.12.1 asks for the virtual IP 10.1.12.2", who_has(a, ai, vip))
    c.add(25, 110.0003, "S12 VRRP: reply 10.1.12.2 is at 00:00:5e:00:01:06 (VRID 6), Ethernet src = router "
          "00:1b:21:01:0c:02 (answers 24; benign)", eth(a, r, ETH_ARP, arp(ARP_REPLY, vmac, vip, a, ai)))
    # S13 (t 120) target mismatch: unicast reply whose Ethernet dst != THA
    (a, ai), (b, bi), (x, _) = h(13, 1), h(13, 2), h(13, 3)
    c.add(26, 120.0, "S13 target mismatch: 10.1.13.1 asks for 10.1.13.2", who_has(a, ai, bi))
    c.add(27, 120.0003, "S13 target mismatch: reply 10.1.13.2 is at 00:1b:21:01:0d:02, THA 00:1b:21:01:0d:01 "
          "but Ethernet dst 00:1b:21:01:0d:03 (answers 26)",
          eth(x, b, ETH_ARP, arp(ARP_REPLY, b, bi, a, ai)))
    # S14-S17 bad senders (Ethernet src == SHA in each, so no sender mismatch); nobody answers
    g = "01:1b:21:01:0e:01"
    c.add(28, 130.0, "S14 bad sender: SHA (and Ethernet src) 01:1b:21:01:0e:01 has the group bit; "
          "10.1.14.1 asks for 10.1.14.2", who_has(g, "10.1.14.1", "10.1.14.2"))
    c.add(29, 140.0, "S15 bad sender: SHA (and Ethernet src) 00:00:00:00:00:00; 10.1.15.1 asks for 10.1.15.2",
          who_has(ZERO, "10.1.15.1", "10.1.15.2"))
    (a, _) = h(16, 1)
    c.add(30, 150.0, "S16 bad sender: SPA 255.255.255.255 (SHA 00:1b:21:01:10:01) asks for 10.1.16.2",
          who_has(a, "255.255.255.255", "10.1.16.2"))
    (a, _), (b, bi) = h(17, 1), h(17, 2)
    c.add(31, 160.0, "S17 bad sender: reply 224.0.0.5 is at 00:1b:21:01:11:01 (multicast SPA in a reply), "
          "to 10.1.17.2", is_at(a, "224.0.0.5", b, bi))
    # S18-S22 malformed ARP
    (a, ai), (_, bi) = h(18, 1), h(18, 2)
    c.add(32, 170.0, "S18 malformed: hardware size 5 (hardware type 1), request 10.1.18.1 -> 10.1.18.2",
          eth(BCAST, a, ETH_ARP, arp(ARP_REQUEST, mac(a)[:5], ai, bytes(5), bi)))
    (a, _) = h(19, 1)
    c.add(33, 180.0, "S19 malformed: protocol size 6 (protocol IPv4), request, SPA 0a:01:13:01:00:00",
          eth(BCAST, a, ETH_ARP, arp(ARP_REQUEST, a, bytes([10, 1, 19, 1, 0, 0]), ZERO,
                                     bytes([10, 1, 19, 2, 0, 0]))))
    (a, ai), (_, bi) = h(20, 1), h(20, 2)
    c.add(34, 190.0, "S20 malformed: truncated request, frame ends 3 bytes into the THA (35 bytes, "
          "ARP body 21 of 28)", who_has(a, ai, bi)[:14 + 8 + 6 + 4 + 3], pad=False)
    (a, ai), (_, bi) = h(21, 1), h(21, 2)
    c.add(35, 200.0, "S21 opcode 7 (IANA: DRARP-Error; not valid in IPv4-over-Ethernet ARP), "
          "10.1.21.1 -> 10.1.21.2, broadcast", eth(BCAST, a, ETH_ARP, arp(7, a, ai, ZERO, bi)))
    (a, ai), (_, bi) = h(22, 1), h(22, 2)
    c.add(36, 210.0, "S22 opcode 0 (IANA: reserved), 10.1.22.1 -> 10.1.22.2, broadcast",
          eth(BCAST, a, ETH_ARP, arp(0, a, ai, ZERO, bi)))
    # S23-S24 other opcodes, legitimately different (not bad senders)
    (a, _) = h(23, 1)
    c.add(37, 220.0, "S23 RARP request (EtherType 0x8035, opcode 3): 00:1b:21:01:17:01 asks for its own IP, "
          "SPA/TPA 0.0.0.0 (legitimate)", eth(BCAST, a, ETH_RARP, arp(RARP_REQUEST, a, "0.0.0.0", a, "0.0.0.0")))
    (a, ai), (b, _) = h(24, 1), h(24, 2)
    c.add(38, 230.0, "S24 InARP request (opcode 8): 10.1.24.1 asks 00:1b:21:01:18:02 for its IP, TPA 0.0.0.0, "
          "unicast", eth(b, a, ETH_ARP, arp(INARP_REQUEST, a, ai, b, "0.0.0.0")))
    return c


def arp_conflicts():
    c = Capture("arp-conflicts.pcap", LINKTYPE_ETHERNET,
                "IP<->MAC binding cases; Q (00:1b:21:02:00:01, 10.2.0.1) asks, the others answer; "
                "each case starts at 20*(case-1) s")
    q, qi = "00:1b:21:02:00:01", "10.2.0.1"
    ma, mb = "00:1b:21:02:0a:0a", "00:1b:21:02:0a:0b"
    mc, md = "00:1b:21:02:14:0c", "00:1b:21:02:14:0d"
    me = "00:1b:21:02:1e:0e"
    mf = "00:1b:21:02:28:0f"
    mg = "00:1b:21:02:32:10"
    ll = "169.254.7.7"

    def ask(ip):
        return who_has(q, qi, ip)

    def answer(m, ip):
        return is_at(m, ip, q, qi)

    # case 1 (t 0): IP conflict, two MACs answer for 10.2.0.10, interleaved A B A B
    c.add(1, 0.0, "conflict: Q asks for 10.2.0.10", ask("10.2.0.10"))
    c.add(2, 0.0004, "conflict: A 00:1b:21:02:0a:0a answers 10.2.0.10", answer(ma, "10.2.0.10"))
    c.add(3, 0.0009, "conflict: B 00:1b:21:02:0a:0b answers 10.2.0.10 too", answer(mb, "10.2.0.10"))
    c.add(4, 4.0, "conflict: Q asks for 10.2.0.10 again", ask("10.2.0.10"))
    c.add(5, 4.0004, "conflict: A answers 10.2.0.10", answer(ma, "10.2.0.10"))
    c.add(6, 4.0009, "conflict: B answers 10.2.0.10", answer(mb, "10.2.0.10"))
    # case 2 (t 20): address moved, C then only D, no overlap
    c.add(7, 20.0, "moved: Q asks for 10.2.0.20", ask("10.2.0.20"))
    c.add(8, 20.0004, "moved: C 00:1b:21:02:14:0c answers 10.2.0.20", answer(mc, "10.2.0.20"))
    c.add(9, 24.0, "moved: Q asks for 10.2.0.20", ask("10.2.0.20"))
    c.add(10, 24.0004, "moved: C answers 10.2.0.20 (last time)", answer(mc, "10.2.0.20"))
    c.add(11, 30.0, "moved: Q asks for 10.2.0.20", ask("10.2.0.20"))
    c.add(12, 30.0004, "moved: D 00:1b:21:02:14:0d answers 10.2.0.20 (first time: the address moved)",
          answer(md, "10.2.0.20"))
    c.add(13, 34.0, "moved: Q asks for 10.2.0.20", ask("10.2.0.20"))
    c.add(14, 34.0004, "moved: D answers 10.2.0.20", answer(md, "10.2.0.20"))
    # case 3 (t 40): proxy ARP, router E answers for two IPs, interleaved
    c.add(15, 40.0, "proxy: Q asks for 10.2.0.30", ask("10.2.0.30"))
    c.add(16, 40.0004, "proxy: E 00:1b:21:02:1e:0e answers 10.2.0.30", answer(me, "10.2.0.30"))
    c.add(17, 41.0, "proxy: Q asks for 10.2.0.31", ask("10.2.0.31"))
    c.add(18, 41.0004, "proxy: E answers 10.2.0.31", answer(me, "10.2.0.31"))
    c.add(19, 45.0, "proxy: Q asks for 10.2.0.30", ask("10.2.0.30"))
    c.add(20, 45.0004, "proxy: E answers 10.2.0.30", answer(me, "10.2.0.30"))
    c.add(21, 46.0, "proxy: Q asks for 10.2.0.31", ask("10.2.0.31"))
    c.add(22, 46.0004, "proxy: E answers 10.2.0.31", answer(me, "10.2.0.31"))
    # case 4 (t 60): renumbered, F as 10.2.0.40 then only 10.2.0.41
    c.add(23, 60.0, "renumbered: Q asks for 10.2.0.40", ask("10.2.0.40"))
    c.add(24, 60.0004, "renumbered: F 00:1b:21:02:28:0f answers 10.2.0.40", answer(mf, "10.2.0.40"))
    c.add(25, 64.0, "renumbered: Q asks for 10.2.0.40", ask("10.2.0.40"))
    c.add(26, 64.0004, "renumbered: F answers 10.2.0.40 (last time)", answer(mf, "10.2.0.40"))
    c.add(27, 70.0, "renumbered: Q asks for 10.2.0.41", ask("10.2.0.41"))
    c.add(28, 70.0004, "renumbered: F answers 10.2.0.41 (first time: F was renumbered)", answer(mf, "10.2.0.41"))
    c.add(29, 74.0, "renumbered: Q asks for 10.2.0.41", ask("10.2.0.41"))
    c.add(30, 74.0004, "renumbered: F answers 10.2.0.41", answer(mf, "10.2.0.41"))
    # case 5 (t 80): G holds a link-local and a routable address at once: exempt, not a duplicate
    c.add(31, 80.0, "link-local: G 00:1b:21:02:32:10 announces 169.254.7.7", announce(mg, ll))
    c.add(32, 81.0, "link-local: Q asks for 10.2.0.50", ask("10.2.0.50"))
    c.add(33, 81.0004, "link-local: G answers 10.2.0.50", answer(mg, "10.2.0.50"))
    c.add(34, 84.0, "link-local: G announces 169.254.7.7 again", announce(mg, ll))
    c.add(35, 85.0, "link-local: Q asks for 10.2.0.50", ask("10.2.0.50"))
    c.add(36, 85.0004, "link-local: G answers 10.2.0.50", answer(mg, "10.2.0.50"))
    # case 6 (t 100): two QEMU guests with the same default MAC, different IPs, interleaved
    g1, g2 = "10.2.0.60", "10.2.0.61"
    c.add(37, 100.0, "qemu twins: guest 1 (52:54:00:12:34:56, 10.2.0.60) asks for 10.2.0.1",
          who_has(QEMU_DEFAULT, g1, qi))
    c.add(38, 100.0004, "qemu twins: Q replies to 10.2.0.60", is_at(q, qi, QEMU_DEFAULT, g1))
    c.add(39, 101.0, "qemu twins: guest 2 (52:54:00:12:34:56, 10.2.0.61) asks for 10.2.0.1",
          who_has(QEMU_DEFAULT, g2, qi))
    c.add(40, 101.0004, "qemu twins: Q replies to 10.2.0.61", is_at(q, qi, QEMU_DEFAULT, g2))
    c.add(41, 105.0, "qemu twins: guest 1 asks for 10.2.0.1 again", who_has(QEMU_DEFAULT, g1, qi))
    c.add(42, 105.0004, "qemu twins: Q replies to 10.2.0.60", is_at(q, qi, QEMU_DEFAULT, g1))
    c.add(43, 106.0, "qemu twins: guest 2 asks for 10.2.0.1 again", who_has(QEMU_DEFAULT, g2, qi))
    c.add(44, 106.0004, "qemu twins: Q replies to 10.2.0.61", is_at(q, qi, QEMU_DEFAULT, g2))
    return c


def tunnels():
    c = Capture("tunnels.pcap", LINKTYPE_ETHERNET,
                "ARP inside VXLAN, GRE/TEB and PBB 802.1ah (outer addresses ordinary, inner ARP "
                "consistent); one VXLAN frame with a group-bit inner source")
    v1, v2 = "00:1b:21:08:00:01", "00:1b:21:08:00:02"  # VTEPs 10.8.0.1, 10.8.0.2
    g1, g2 = "00:1b:21:08:01:01", "00:1b:21:08:01:02"  # GRE endpoints 10.8.1.1, 10.8.1.2
    b1, b2 = "00:1b:21:08:02:01", "00:1b:21:08:02:02"  # PBB backbone edge bridges
    x1, x2 = "00:1b:21:18:00:01", "00:1b:21:18:00:02"  # VXLAN inner hosts 192.168.10.1/.2
    y1, y2 = "00:1b:21:18:01:01", "00:1b:21:18:01:02"  # GRE inner hosts 192.168.20.1/.2
    z1, z2 = "00:1b:21:18:02:01", "00:1b:21:18:02:02"  # PBB customer hosts 192.168.30.1/.2

    def vx(osrc, odst, osip, odip, sport, inner):
        return eth(odst, osrc, ETH_IPV4, ip_udp(osip, odip, vxlan(100, inner), sport, UDP_VXLAN, checksum=False))

    def gre(osrc, odst, osip, odip, inner):
        return eth(odst, osrc, ETH_IPV4, ipv4(osip, odip, IPPROTO_GRE, gre_teb(inner)))

    c.add(1, 0.0, "VXLAN VNI 100 (10.8.0.1 -> 10.8.0.2): inner 192.168.10.1 asks for 192.168.10.2",
          vx(v1, v2, "10.8.0.1", "10.8.0.2", 51234, who_has(x1, "192.168.10.1", "192.168.10.2")))
    c.add(2, 0.0005, "VXLAN VNI 100 (10.8.0.2 -> 10.8.0.1): inner reply 192.168.10.2 is at 00:1b:21:18:00:02",
          vx(v2, v1, "10.8.0.2", "10.8.0.1", 60123, is_at(x2, "192.168.10.2", x1, "192.168.10.1")))
    c.add(3, 1.0, "GRE/TEB 0x6558 (10.8.1.1 -> 10.8.1.2): inner 192.168.20.1 asks for 192.168.20.2",
          gre(g1, g2, "10.8.1.1", "10.8.1.2", who_has(y1, "192.168.20.1", "192.168.20.2")))
    c.add(4, 1.0005, "GRE/TEB (10.8.1.2 -> 10.8.1.1): inner reply 192.168.20.2 is at 00:1b:21:18:01:02",
          gre(g2, g1, "10.8.1.2", "10.8.1.1", is_at(y2, "192.168.20.2", y1, "192.168.20.1")))
    c.add(5, 2.0, "PBB 802.1ah I-SID 0x010203 (B-SA 00:1b:21:08:02:01): customer 192.168.30.1 asks for "
          "192.168.30.2", eth(b2, b1, ETH_PBB, pbb(0x010203, BCAST, z1, ETH_ARP,
                                                   arp(ARP_REQUEST, z1, "192.168.30.1", ZERO, "192.168.30.2"))))
    c.add(6, 2.0005, "PBB 802.1ah I-SID 0x010203 (B-SA 00:1b:21:08:02:02): customer reply 192.168.30.2 is at "
          "00:1b:21:18:02:02", eth(b1, b2, ETH_PBB, pbb(0x010203, z1, z2, ETH_ARP,
                                                         arp(ARP_REPLY, z2, "192.168.30.2", z1, "192.168.30.1"))))
    c.add(7, 3.0, "VXLAN VNI 100 (outer fine): INNER UDP from group-bit source 53:54:00:12:34:56 "
          "(must be flagged)", vx(v1, v2, "10.8.0.1", "10.8.0.2", 51234,
                                  eth(x2, BAD, ETH_IPV4, ip_udp("192.168.10.66", "192.168.10.2"))))
    return c


def clean():
    c = Capture("clean.pcap", LINKTYPE_ETHERNET, "an ordinary small LAN: nothing wrong")
    a, ai = INTEL, "192.168.1.10"
    b, bi = "00:14:22:0d:0e:0f", "192.168.1.20"
    c.add(1, 0.0, "A 192.168.1.10 asks for 192.168.1.20", who_has(a, ai, bi))
    c.add(2, 0.0002, "B replies: 192.168.1.20 is at 00:14:22:0d:0e:0f (answers 1)", is_at(b, bi, a, ai))
    c.add(3, 0.0005, "A pings B, seq 1", eth(b, a, ETH_IPV4, ip_ping(ai, bi, 0x0101, 1)))
    c.add(4, 0.0007, "B echo reply, seq 1", eth(a, b, ETH_IPV4, ip_ping(bi, ai, 0x0101, 1, reply=True)))
    c.add(5, 0.5, "A -> B UDP", eth(b, a, ETH_IPV4, ip_udp(ai, bi)))
    c.add(6, 0.5004, "B -> A UDP", eth(a, b, ETH_IPV4, ip_udp(bi, ai, sport=PORT_B, dport=PORT_A)))
    c.add(7, 1.0005, "A pings B, seq 2", eth(b, a, ETH_IPV4, ip_ping(ai, bi, 0x0101, 2)))
    c.add(8, 1.0007, "B echo reply, seq 2", eth(a, b, ETH_IPV4, ip_ping(bi, ai, 0x0101, 2, reply=True)))
    c.add(9, 2.0, "B announces 192.168.1.20 (ARP announcement, SPA == TPA)", announce(b, bi))
    return c


def wifi():
    c = Capture("wifi.pcap", LINKTYPE_IEEE802_11_RADIOTAP,
                "802.11 data frames (FromDS, LLC/SNAP) under radiotap: ARP request and reply; a "
                "group-bit SA")
    ap = "00:1b:21:0a:00:01"                       # BSSID
    sta, sta_ip = "00:1b:21:0a:00:10", "192.168.50.10"  # wireless station
    gw, gw_ip = "00:1b:21:0a:00:fe", "192.168.50.1"     # wired gateway behind the AP

    def frame(da, sa, seq, ethertype, body):
        return radiotap() + wlan_from_ds(da, ap, sa, seq, llc_snap(ethertype, body))

    c.add(1, 0.0, "FromDS, DA broadcast, SA station: ARP request 192.168.50.10 asks for 192.168.50.1",
          frame(BCAST, sta, 100, ETH_ARP, arp(ARP_REQUEST, sta, sta_ip, ZERO, gw_ip)))
    c.add(2, 0.002, "FromDS, DA station, SA gateway: ARP reply 192.168.50.1 is at 00:1b:21:0a:00:fe",
          frame(sta, gw, 101, ETH_ARP, arp(ARP_REPLY, gw, gw_ip, sta, sta_ip)))
    c.add(3, 1.0, "FromDS, DA station, SA 53:54:00:12:34:56 (group bit, must be flagged): IPv4 UDP",
          frame(sta, BAD, 102, ETH_IPV4, ip_udp("192.168.50.66", sta_ip)))
    return c


def gre_arp(body):
    """GRE header (no options), protocol 0x0806 + an ARP packet straight in it (no MAC header)."""
    return struct.pack("!HH", 0, ETH_ARP) + body


def networks():
    # Three interfaces, nanosecond times: if 0 "trunk0" (an 802.1Q trunk, VXLAN underlay),
    # if 1 "eth1" (an untagged port), if 2 "any" (Linux cooked v2 on a KVM host).  Each scenario N uses its own MACs 00:1b:21:5N:..
    # (reused IPs are the point of N1, N5, N6).
    c = Capture("networks.pcapng", LINKTYPE_ETHERNET,
                "one network per interface + VLAN IDs + VXLAN VNIs: the same addresses in different "
                "networks never answer, conflict with or duplicate each other; real conflicts inside "
                "one VLAN still do", interfaces=[("trunk0", LINKTYPE_ETHERNET), ("eth1", LINKTYPE_ETHERNET),
                                                 ("any", LINKTYPE_LINUX_SLL2)],
                tsresol=9)

    def q(vid, dst, src, body):
        return eth(dst, src, ETH_VLAN, vlan(vid, ETH_ARP, body))

    def q_ask(vid, src, spa, tpa):
        return q(vid, BCAST, src, arp(ARP_REQUEST, src, spa, ZERO, tpa))

    def q_reply(vid, src, spa, dst, tpa):
        return q(vid, dst, src, arp(ARP_REPLY, src, spa, dst, tpa))

    # N1 (t 0) trunk: VLAN 10 and VLAN 20 both use 10.80.0.0/24, each with its own gateway
    # 10.80.0.1 and host 10.80.0.10; two rounds so that the bindings' spans overlap
    gw10, gw20 = "00:1b:21:50:0a:01", "00:1b:21:50:14:01"
    h10, h20 = "00:1b:21:50:0a:10", "00:1b:21:50:14:10"
    gw, hi = "10.80.0.1", "10.80.0.10"
    for n, t in ((1, 0.0), (5, 5.0)):
        c.add(n, t, "N1 VLAN 10: 10.80.0.10 (%s) asks for its gateway 10.80.0.1" % h10, q_ask(10, h10, hi, gw))
        c.add(n + 1, t + 0.0002, "N1 VLAN 10: gateway 10.80.0.1 is at %s (answers %d)" % (gw10, n),
              q_reply(10, gw10, gw, h10, hi))
        c.add(n + 2, t + 0.5, "N1 VLAN 20: 10.80.0.10 (%s) asks for its gateway 10.80.0.1" % h20,
              q_ask(20, h20, hi, gw))
        c.add(n + 3, t + 0.5002, "N1 VLAN 20: gateway 10.80.0.1 is at %s (answers %d; no conflict with "
              "VLAN 10)" % (gw20, n + 2), q_reply(20, gw20, gw, h20, hi))
    # N2 (t 20) router on a stick: one MAC, 10.10.0.1 on VLAN 10 and 10.20.0.1 on VLAN 20
    r, a, b = "00:1b:21:51:00:01", "00:1b:21:51:0a:10", "00:1b:21:51:14:10"
    c.add(9, 20.0, "N2 VLAN 10: 10.10.0.10 asks for 10.10.0.1", q_ask(10, a, "10.10.0.10", "10.10.0.1"))
    c.add(10, 20.0002, "N2 VLAN 10: router 10.10.0.1 is at %s (answers 9)" % r,
          q_reply(10, r, "10.10.0.1", a, "10.10.0.10"))
    c.add(11, 20.5, "N2 VLAN 20: 10.20.0.10 asks for 10.20.0.1", q_ask(20, b, "10.20.0.10", "10.20.0.1"))
    c.add(12, 20.5002, "N2 VLAN 20: the same router MAC is 10.20.0.1 here (answers 11; not a duplicate MAC)",
          q_reply(20, r, "10.20.0.1", b, "10.20.0.10"))
    c.add(13, 24.0, "N2 VLAN 10: 10.10.0.10 asks for 10.10.0.1 again", q_ask(10, a, "10.10.0.10", "10.10.0.1"))
    c.add(14, 24.0002, "N2 VLAN 10: router answers (13); its two addresses' spans overlap",
          q_reply(10, r, "10.10.0.1", a, "10.10.0.10"))
    # N3 (t 30) the request on VLAN 10, the "reply" on VLAN 20
    a, b = "00:1b:21:52:0a:10", "00:1b:21:52:14:01"
    c.add(15, 30.0, "N3 VLAN 10: 10.30.0.10 asks for 10.30.0.1 (nothing on VLAN 10 answers: unanswered)",
          q_ask(10, a, "10.30.0.10", "10.30.0.1"))
    c.add(16, 30.0002, "N3 VLAN 20: reply 10.30.0.1 is at %s to 10.30.0.10 (another network: unsolicited)" % b,
          q_reply(20, b, "10.30.0.1", a, "10.30.0.10"))
    # N4 (t 40) the request on if 0, the reply on if 1
    a, b = "00:1b:21:53:00:10", "00:1b:21:53:00:01"
    c.add(17, 40.0, "N4 if 0 untagged: 10.40.0.10 asks for 10.40.0.1 (unanswered on if 0)",
          who_has(a, "10.40.0.10", "10.40.0.1"))
    c.add(18, 40.0002, "N4 if 1: reply 10.40.0.1 is at %s to 10.40.0.10 (another interface: unsolicited)" % b,
          is_at(b, "10.40.0.1", a, "10.40.0.10"), iface=1)
    # N5 (t 50) QinQ S-VLAN 100 + C-VLAN 10 vs plain VLAN 10, the same addresses in both
    g1, s1 = "00:1b:21:54:00:10", "00:1b:21:54:00:01"
    g2, s2 = "00:1b:21:54:01:10", "00:1b:21:54:01:01"
    ci, si = "10.50.0.10", "10.50.0.1"

    def qinq(dst, src, body):
        return eth(dst, src, ETH_QINQ, vlan(100, ETH_VLAN, vlan(10, ETH_ARP, body)))

    c.add(19, 50.0, "N5 QinQ 100/10: 10.50.0.10 (%s) asks for 10.50.0.1" % g1,
          qinq(BCAST, g1, arp(ARP_REQUEST, g1, ci, ZERO, si)))
    c.add(20, 50.0002, "N5 QinQ 100/10: 10.50.0.1 is at %s (answers 19)" % s1,
          qinq(g1, s1, arp(ARP_REPLY, s1, si, g1, ci)))
    c.add(21, 50.5, "N5 VLAN 10: 10.50.0.10 (%s) asks for 10.50.0.1" % g2, q_ask(10, g2, ci, si))
    c.add(22, 50.5002, "N5 VLAN 10: 10.50.0.1 is at %s (answers 21; not a conflict with QinQ 100/10)" % s2,
          q_reply(10, s2, si, g2, ci))
    c.add(23, 51.0, "N5 QinQ 100/10: %s announces 10.50.0.1 (its span overlaps VLAN 10's)" % s1,
          qinq(BCAST, s1, arp(ARP_REQUEST, s1, si, ZERO, si)))
    c.add(24, 51.5, "N5 QinQ 100/10: %s announces 10.50.0.10" % g1,
          qinq(BCAST, g1, arp(ARP_REQUEST, g1, ci, ZERO, ci)))
    # N6 (t 60) two VXLAN VNIs carrying the same inner addresses, one underlay
    v1, v2 = "00:1b:21:55:00:01", "00:1b:21:55:00:02"   # VTEPs 172.16.0.1, 172.16.0.2
    x1, x2 = "00:1b:21:55:50:01", "00:1b:21:55:50:02"   # VNI 5000: 192.168.60.1, .2
    y1, y2 = "00:1b:21:55:60:01", "00:1b:21:55:60:02"   # VNI 6000: 192.168.60.1, .2
    i1, i2 = "192.168.60.1", "192.168.60.2"

    def vx(vni, forward, inner):
        (os_, od, osip, odip, sport) = ((v1, v2, "172.16.0.1", "172.16.0.2", 51000) if forward
                                        else (v2, v1, "172.16.0.2", "172.16.0.1", 52000))
        return eth(od, os_, ETH_IPV4, ip_udp(osip, odip, vxlan(vni, inner), sport, UDP_VXLAN, checksum=False))

    c.add(25, 60.0, "N6 VXLAN VNI 5000: inner 192.168.60.1 (%s) asks for 192.168.60.2" % x1,
          vx(5000, True, who_has(x1, i1, i2)))
    c.add(26, 60.0005, "N6 VXLAN VNI 5000: inner 192.168.60.2 is at %s (answers 25)" % x2,
          vx(5000, False, is_at(x2, i2, x1, i1)))
    c.add(27, 60.5, "N6 VXLAN VNI 6000: inner 192.168.60.1 (%s) asks for 192.168.60.2" % y1,
          vx(6000, True, who_has(y1, i1, i2)))
    c.add(28, 60.5005, "N6 VXLAN VNI 6000: inner 192.168.60.2 is at %s (answers 27; no conflict with VNI 5000)"
          % y2, vx(6000, False, is_at(y2, i2, y1, i1)))
    c.add(29, 61.0, "N6 VXLAN VNI 5000: %s announces 192.168.60.2 (spans overlap VNI 6000's)" % x2,
          vx(5000, False, announce(x2, i2)))
    c.add(30, 61.0005, "N6 VXLAN VNI 5000: %s announces 192.168.60.1" % x1, vx(5000, True, announce(x1, i1)))
    # N7 (t 70) a 123.457 us exchange, on if 1 (nanosecond timestamps)
    a, b = "00:1b:21:56:00:10", "00:1b:21:56:00:01"
    c.add(31, "70.0", "N7 if 1: 10.70.0.10 asks for 10.70.0.1", who_has(a, "10.70.0.10", "10.70.0.1"), iface=1)
    c.add(32, "70.000123457", "N7 if 1: 10.70.0.1 is at %s, 123.457 us later (answers 31)" % b,
          is_at(b, "10.70.0.1", a, "10.70.0.10"), iface=1)
    # N8 (t 80) positive control: a real IP conflict inside VLAN 30
    k, ki = "00:1b:21:57:00:10", "10.90.0.10"
    m1, m2 = "00:1b:21:57:00:05", "00:1b:21:57:00:06"
    for n, t in ((33, 80.0), (36, 84.0)):
        c.add(n, t, "N8 VLAN 30: 10.90.0.10 asks for 10.90.0.5", q_ask(30, k, ki, "10.90.0.5"))
        c.add(n + 1, t + 0.0004, "N8 VLAN 30: %s answers 10.90.0.5 (answers %d)" % (m1, n),
              q_reply(30, m1, "10.90.0.5", k, ki))
        c.add(n + 2, t + 0.0009, "N8 VLAN 30: %s answers 10.90.0.5 too (answers %d: IP conflict)" % (m2, n),
              q_reply(30, m2, "10.90.0.5", k, ki))
    # N9 (t 90) positive control: a duplicate MAC inside VLAN 30 (one MAC, two IPs, interleaved)
    d = "00:1b:21:58:00:01"
    for n, t in ((39, 90.0), (43, 95.0)):
        for j, ip in enumerate(("10.90.0.1", "10.90.0.2")):
            c.add(n + 2 * j, t + j, "N9 VLAN 30: 10.90.0.10 asks for %s" % ip, q_ask(30, k, ki, ip))
            c.add(n + 2 * j + 1, t + j + 0.0004, "N9 VLAN 30: %s answers %s (answers %d; the MAC claims both)"
                  % (d, ip, n + 2 * j), q_reply(30, d, ip, k, ki))
    # N10 (t 100) if 2, SLL2: a guest's request seen on its tap vnet0 (ifindex 7), the host's
    # reply on the bridge virbr0 (ifindex 3): one network, the ifindex is no boundary
    g, hv = "52:54:00:5a:00:10", "52:54:00:5a:00:01"
    c.add(47, 100.0, "N10 if 2 SLL2 vnet0 (ifindex 7) BROADCAST: guest 10.100.0.10 asks for 10.100.0.1",
          sll2(ETH_ARP, 7, ARPHRD_ETHER, PACKET_BROADCAST, g, arp(ARP_REQUEST, g, "10.100.0.10", ZERO, "10.100.0.1")),
          iface=2)
    c.add(48, 100.0002, "N10 if 2 SLL2 virbr0 (ifindex 3) OUTGOING: 10.100.0.1 is at %s (answers 47)" % hv,
          sll2(ETH_ARP, 3, ARPHRD_ETHER, PACKET_OUTGOING, hv, arp(ARP_REPLY, hv, "10.100.0.1", g, "10.100.0.10")),
          iface=2)
    return c


def arp_verdicts():
    # Scenario S uses 10.60.S.x and MACs 00:1b:21:60:SS:xx (S7 and S10 are the seed case's
    # libvirt network 192.168.122.0/24, on different guest addresses).  One network: if 0.
    c = Capture("arp-verdicts.pcap", LINKTYPE_ETHERNET,
                "when a request is answered, unanswered or its fate unknown, and when a reply was "
                "not accepted: Linux resolution cycles, the 3 s bounds, retries, the capture's end, "
                "a reply stamped before its request, ARP straight in GRE, the seed case both sides")

    def h(s, n):
        return "00:1b:21:60:%02x:%02x" % (s, n), "10.60.%d.%d" % (s, n)

    # S1 (t 0) three Linux resolution cycles (3 requests 1 s apart, then > 3 s quiet): two fail,
    # the third is answered 0.3 ms after its last attempt
    (a, ai), (b, bi) = h(1, 1), h(1, 2)
    n = 1
    for cycle, t0 in enumerate((0.0, 6.0, 12.0)):
        for k in range(3):
            c.add(n, t0 + k, "S1 cycle %d: 10.60.1.1 asks for 10.60.1.2 (attempt %d)%s"
                  % (cycle + 1, k + 1, "; no reply within 3 s" if cycle < 2 and k == 2 else ""),
                  who_has(a, ai, bi))
            n += 1
    c.add(10, 14.0003, "S1: reply 10.60.1.2 is at 00:1b:21:60:01:02 (answers 7, 8, 9; not 1-6: > 3 s)",
          is_at(b, bi, a, ai))
    # S2 (t 30) a reply 3.5 s after the last attempt
    (a, ai), (b, bi) = h(2, 1), h(2, 2)
    for k in range(3):
        c.add(11 + k, 30.0 + k, "S2: 10.60.2.1 asks for 10.60.2.2 (attempt %d)" % (k + 1), who_has(a, ai, bi))
    c.add(14, 35.5, "S2: reply 10.60.2.2 is at 00:1b:21:60:02:02, 3.5 s after 13 (too late: unsolicited)",
          is_at(b, bi, a, ai))
    # S3 (t 50) a reply exactly 3.000000 s after its request; S4 (t 50.5) one 3.000001 s after
    (a3, a3i), (b3, b3i) = h(3, 1), h(3, 2)
    (a4, a4i), (b4, b4i) = h(4, 1), h(4, 2)
    c.add(15, 50.0, "S3: 10.60.3.1 asks for 10.60.3.2", who_has(a3, a3i, b3i))
    c.add(16, 50.5, "S4: 10.60.4.1 asks for 10.60.4.2", who_has(a4, a4i, b4i))
    c.add(17, 53.0, "S3: reply 10.60.3.2 is at 00:1b:21:60:03:02, exactly 3.000000 s after 15 (answers it)",
          is_at(b3, b3i, a3, a3i))
    c.add(18, 53.500001, "S4: reply 10.60.4.2 is at 00:1b:21:60:04:02, 3.000001 s after 16 (does not answer it)",
          is_at(b4, b4i, a4, a4i))
    # S5 (t 60) retries exactly 3 s and 3.000001 s after the previous attempt; never answered
    (a, ai), (b, bi) = h(5, 1), h(5, 2)
    c.add(19, 60.0, "S5: 10.60.5.1 asks for 10.60.5.2 (attempt 1)", who_has(a, ai, bi))
    c.add(20, 63.0, "S5: asks again exactly 3 s later (attempt 2 of the same exchange)", who_has(a, ai, bi))
    c.add(21, 66.000001, "S5: asks again 3.000001 s later (a new exchange: attempt 1)", who_has(a, ai, bi))
    # S6 (t 70) ARP straight in GRE (protocol 0x0806) over IPv4 over Ethernet: the outer Ethernet
    # sources are the tunnel endpoints, not the ARP senders
    (g1, _), (g2, _) = h(6, 0xe1), h(6, 0xe2)
    (a, ai), (b, bi) = h(6, 1), h(6, 2)
    c.add(22, 70.0, "S6 GRE 0x0806 (172.16.6.1 -> 172.16.6.2, outer src 00:1b:21:60:06:e1): 10.60.6.1 "
          "(00:1b:21:60:06:01) asks for 10.60.6.2",
          eth(g2, g1, ETH_IPV4, ipv4("172.16.6.1", "172.16.6.2", IPPROTO_GRE,
                                     gre_arp(arp(ARP_REQUEST, a, ai, ZERO, bi)))))
    c.add(23, 70.0004, "S6 GRE 0x0806 (172.16.6.2 -> 172.16.6.1): reply 10.60.6.2 is at 00:1b:21:60:06:02 "
          "(answers 22)", eth(g1, g2, ETH_IPV4, ipv4("172.16.6.2", "172.16.6.1", IPPROTO_GRE,
                                                        gre_arp(arp(ARP_REPLY, b, bi, a, ai)))))
    # S7 (t 80) the seed case seen on the guest's tap: the host asks, the guest with the group-bit
    # MAC replies, the bridge drops the reply, so the host asks again
    host, gw = "52:54:00:8a:3c:01", "192.168.122.1"
    c.add(24, 80.0, "S7 tap: host 192.168.122.1 asks for the guest 192.168.122.60 (attempt 1)",
          who_has(host, gw, "192.168.122.60"), pad=False)
    c.add(25, 80.0003, "S7 tap: guest replies 192.168.122.60 is at 53:54:00:12:34:56 (group bit: the bridge "
          "drops it; answers 24)", is_at(BAD, "192.168.122.60", host, gw), pad=False)
    c.add(26, 81.0, "S7 tap: host asks again 1 s later (attempt 2: the reply in 25 never reached it)",
          who_has(host, gw, "192.168.122.60"), pad=False)
    # S8 (t 90) a reply stamped 0.3 ms before the request it follows in the file
    (a, ai), (b, bi) = h(8, 1), h(8, 2)
    c.add(27, 90.0, "S8: 10.60.8.1 asks for 10.60.8.2", who_has(a, ai, bi))
    c.add(28, 89.9997, "S8: reply 10.60.8.2 is at 00:1b:21:60:08:02, stamped 0.3 ms BEFORE 27 (answers nothing)",
          is_at(b, bi, a, ai), earlier=True)
    # S9 (t 95) a reply not accepted: the requester asks again 0.5 s after it; the second
    # reply answers both attempts
    (a, ai), (b, bi) = h(9, 1), h(9, 2)
    c.add(29, 95.0, "S9: 10.60.9.1 asks for 10.60.9.2 (attempt 1)", who_has(a, ai, bi))
    c.add(30, 95.0003, "S9: reply 10.60.9.2 is at 00:1b:21:60:09:02 (answers 29; not accepted: 31 asks again)",
          is_at(b, bi, a, ai))
    c.add(31, 95.5, "S9: 10.60.9.1 asks again 0.5 s after the reply (attempt 2)", who_has(a, ai, bi))
    c.add(32, 95.5003, "S9: reply again (answers 29 and 31)", is_at(b, bi, a, ai))
    # S11 (t 97) a reply from link-layer source 00:00:00:00:00:00 (SHA fine) answers, yet the
    # requester asks again: a bridge or switch dropped it
    (a, ai), (b, bi) = h(11, 1), h(11, 2)
    c.add(33, 97.0, "S11: 10.60.11.1 asks for 10.60.11.2 (attempt 1)", who_has(a, ai, bi))
    c.add(34, 97.0003, "S11: reply 10.60.11.2 is at 00:1b:21:60:0b:02 from Ethernet source 00:00:00:00:00:00 "
          "(answers 33; dropped on the way)", eth(a, ZERO, ETH_ARP, arp(ARP_REPLY, b, bi, a, ai)))
    c.add(35, 97.5, "S11: 10.60.11.1 asks again 0.5 s later (attempt 2; nothing answers it)", who_has(a, ai, bi))
    # S10 (t 100) the seed case on the bridge: the host asks 3 times for a guest that stays silent;
    # the capture ends 2 s after the first attempt
    for k in range(3):
        c.add(36 + k, 100.0 + k, "S10 bridge: host 192.168.122.1 asks for 192.168.122.50 (attempt %d)%s"
              % (k + 1, "; the capture ends here" if k == 2 else ""), who_has(host, gw, "192.168.122.50"),
              pad=False)
    return c


def nd_capture():
    # Scenario D uses 2001:db8:86:D::n and MACs 00:1b:21:86:DD:nn (D in hex in both) and starts
    # at 10*(D-1) s; NSs go to the target's solicited-node address unless said otherwise.
    # if 0 "trunk0": Ethernet, untagged and 802.1Q, and the VXLAN underlay; if 1 "any": Linux
    # cooked v1.  The capture ends 1 s after the last NS (D21).
    c = Capture("nd.pcapng", LINKTYPE_ETHERNET,
                "IPv6 Neighbor Discovery across a capture: answered NS and NUD, the 3 s bounds, late and "
                "unsolicited NAs, retries, DAD (free, defended, the node's own announcement), VRRP, "
                "anycast, many addresses on one MAC, one address on two VLANs, a conflict and a move, "
                "ND in Linux cooked and VXLAN, RS/RA/Redirect, an NS the capture's end leaves open",
                interfaces=[("trunk0", LINKTYPE_ETHERNET), ("any", LINKTYPE_LINUX_SLL)], tsresol=9)

    def h(d, n):  # host n of scenario d: (MAC, IPv6)
        return "00:1b:21:86:%02x:%02x" % (d, n), "2001:db8:86:%x::%x" % (d, n)

    def ask(src, target, dst=None, dst_mac=None, ll=True, vid=None):
        """NS from host src=(mac, ip) for target, with an SLLAO of its MAC (ll)."""
        (m, ip) = src
        return nd_eth(m, ip, dst or solicited_node(target), ns_msg(target, sllao(m) if ll else b""),
                      dst_mac=dst_mac, vid=vid)

    def adv(src, target, dst, flags, dst_mac=None, ll=None, vid=None):
        """NA from host src=(mac, ip) for target to dst, TLLAO ll (default: its MAC)."""
        (m, ip) = src
        return nd_eth(m, ip, dst, na_msg(target, flags, tllao(ll or m)), dst_mac=dst_mac, vid=vid)

    def probe(m, target):
        """DAD probe: NS from :: for target to its solicited-node address, no SLLAO."""
        return nd_eth(m, "::", solicited_node(target), ns_msg(target))

    # D1 (t 0) an NS answered
    a, b = h(1, 1), h(1, 2)
    c.add(1, 0.0, "D1: 2001:db8:86:1::1 asks for ::2 (NS, SLLAO its MAC)", ask(a, b[1]))
    c.add(2, 0.0002, "D1: ::2 is at 00:1b:21:86:01:02 (NA S O, TLLAO; answers 1)",
          adv(b, b[1], a[1], "SO", dst_mac=a[0]))
    # D2 (t 10) NUD: a unicast NS, answered
    a, b = h(2, 1), h(2, 2)
    c.add(3, 10.0, "D2 NUD: ::1 asks ::2 directly (unicast NS to 2001:db8:86:2::2 / 00:1b:21:86:02:02)",
          ask(a, b[1], dst=b[1], dst_mac=b[0]))
    c.add(4, 10.0003, "D2 NUD: ::2 answers (NA S O; answers 3)", adv(b, b[1], a[1], "SO", dst_mac=a[0]))
    # D3 (t 20) an NA exactly 3.000000 s after its NS; D4 (t 30) one 3.000001 s after
    a, b = h(3, 1), h(3, 2)
    c.add(5, 20.0, "D3: ::1 asks for ::2", ask(a, b[1]))
    c.add(6, 23.0, "D3: ::2 answers exactly 3.000000 s after 5 (answers it)",
          adv(b, b[1], a[1], "SO", dst_mac=a[0]))
    a, b = h(4, 1), h(4, 2)
    c.add(7, 30.0, "D4: ::1 asks for ::2", ask(a, b[1]))
    c.add(8, 33.000001, "D4: ::2 answers 3.000001 s after 7 (too late: answers nothing)",
          adv(b, b[1], a[1], "SO", dst_mac=a[0]))
    # D5 (t 40) an NA 5 s late
    a, b = h(5, 1), h(5, 2)
    c.add(9, 40.0, "D5: ::1 asks for ::2 (never answered in time)", ask(a, b[1]))
    c.add(10, 45.0, "D5: ::2 answers 5 s after 9 (late: answers nothing)", adv(b, b[1], a[1], "SO", dst_mac=a[0]))
    # D6 (t 50) an unsolicited NA with O, no NS
    b = h(6, 2)
    c.add(11, 50.0, "D6: ::2 announces itself (unsolicited NA O to ff02::1, TLLAO 00:1b:21:86:06:02)",
          adv(b, b[1], ALL_NODES, "O"))
    # D7 (t 60) three attempts 1 s apart, never answered
    a, b = h(7, 1), h(7, 2)
    for k in range(3):
        c.add(12 + k, 60.0 + k, "D7: ::1 asks for ::2 (attempt %d; never answered)" % (k + 1), ask(a, b[1]))
    # D8 (t 70) DAD, two probes, nobody defends: the address is free
    a, b = h(8, 1), h(8, 2)
    c.add(15, 70.0, "D8 DAD: 00:1b:21:86:08:01 probes 2001:db8:86:8::2 (NS from ::, probe 1)", probe(a[0], b[1]))
    c.add(16, 71.0, "D8 DAD: probe 2, 1 s later; nobody answers (free)", probe(a[0], b[1]))
    # D9 (t 80) DAD defended: the owner answers the probe
    a, b = h(9, 1), h(9, 2)
    c.add(17, 80.0, "D9 DAD: 00:1b:21:86:09:01 probes 2001:db8:86:9::2", probe(a[0], b[1]))
    c.add(18, 80.0004, "D9 DAD: owner 00:1b:21:86:09:02 defends ::2 (NA O to ff02::1, TLLAO its MAC; "
          "defends 17)", adv(b, b[1], ALL_NODES, "O"))
    # D10 (t 90) DAD, then the prober announces the address it tested (same MAC: no defence)
    z = h(10, 1)
    c.add(19, 90.0, "D10 DAD: 00:1b:21:86:0a:01 probes 2001:db8:86:a::1", probe(z[0], z[1]))
    c.add(20, 91.0, "D10: the same node announces ::1 1 s later (NA O to ff02::1, TLLAO its own MAC: "
          "not a defence)", adv(z, z[1], ALL_NODES, "O"))
    # D11 (t 100) VRRPv3 (RFC 5798): the router answers for the virtual address with the
    # virtual MAC 00:00:5e:00:02:01 in the TLLAO, from its own NIC
    host, (r, _), vip = h(11, 0x10), h(11, 0xfe), h(11, 1)[1]
    c.add(21, 100.0, "D11 VRRP: ::10 asks for the virtual router ::1", ask(host, vip))
    c.add(22, 100.0003, "D11 VRRP: router NIC 00:1b:21:86:0b:fe answers ::1 is at 00:00:5e:00:02:01 "
          "(NA R S O, TLLAO the VRID 1 MAC; answers 21)",
          adv((r, vip), vip, host[1], "RSO", dst_mac=host[0], ll="00:00:5e:00:02:01"))
    # D12 (t 110) the subnet-router anycast address 2001:db8:86:c:: answered by two routers,
    # without O (RFC 4861 7.2.7), twice: two MACs, spans overlapping, no conflict
    host, any_ = h(12, 0x10), "2001:db8:86:c::"
    r1, r2 = (h(12, 1)[0], h(12, 1)[1]), (h(12, 2)[0], h(12, 2)[1])
    for n, t in ((23, 110.0), (26, 114.0)):
        c.add(n, t, "D12 anycast: ::10 asks for 2001:db8:86:c:: (subnet-router anycast)", ask(host, any_))
        c.add(n + 1, t + 0.0003, "D12 anycast: router 00:1b:21:86:0c:01 answers (NA R S, no O; answers %d)" % n,
              adv(r1, any_, host[1], "RS", dst_mac=host[0]))
        c.add(n + 2, t + 0.0005, "D12 anycast: router 00:1b:21:86:0c:02 answers too (NA R S, no O; answers %d; "
              "no conflict)" % n, adv(r2, any_, host[1], "RS", dst_mac=host[0]))
    # D13 (t 120) one MAC, three addresses (link-local, global, temporary), announced twice
    m = h(13, 1)[0]
    lla, gua, tmp = "fe80::21b:21ff:fe86:d01", "2001:db8:86:d::1", "2001:db8:86:d:a1b2:c3d4:e5f6:789"
    n = 29
    for t in (120.0, 124.0):
        for k, (what, addr) in enumerate((("link-local", lla), ("global", gua), ("temporary", tmp))):
            c.add(n, t + 0.1 * k, "D13: 00:1b:21:86:0d:01 announces its %s address %s (NA O; one MAC, "
                  "many addresses: normal)" % (what, addr), adv((m, lla), addr, ALL_NODES, "O"))
            n += 1
    # D14 (t 130) VLAN 10 and VLAN 20 both use 2001:db8:86:e::/64: gateway ::1 and host ::10
    # in each, other MACs; spans overlap, networks differ: no conflict, no move
    g10, g20 = ("00:1b:21:86:0e:01", "2001:db8:86:e::1"), ("00:1b:21:86:0e:02", "2001:db8:86:e::1")
    a10, a20 = ("00:1b:21:86:0e:0a", "2001:db8:86:e::10"), ("00:1b:21:86:0e:14", "2001:db8:86:e::10")
    c.add(35, 130.0, "D14 VLAN 10: gateway ::1 (00:1b:21:86:0e:01) asks for ::10", ask(g10, a10[1], vid=10))
    c.add(36, 130.0002, "D14 VLAN 10: ::10 is at 00:1b:21:86:0e:0a (NA S O; answers 35)",
          adv(a10, a10[1], g10[1], "SO", dst_mac=g10[0], vid=10))
    c.add(37, 130.5, "D14 VLAN 20: gateway ::1 (00:1b:21:86:0e:02) asks for ::10", ask(g20, a20[1], vid=20))
    c.add(38, 130.5002, "D14 VLAN 20: ::10 is at 00:1b:21:86:0e:14 (NA S O; answers 37; no conflict with "
          "VLAN 10)", adv(a20, a20[1], g20[1], "SO", dst_mac=g20[0], vid=20))
    c.add(39, 131.0, "D14 VLAN 10: ::10 announces itself (NA O)", adv(a10, a10[1], ALL_NODES, "O", vid=10))
    c.add(40, 131.5, "D14 VLAN 20: ::10 announces itself (NA O; spans overlap VLAN 10's)",
          adv(a20, a20[1], ALL_NODES, "O", vid=20))
    # D15 (t 140) an NS on VLAN 10 "answered" on VLAN 20
    a, b = h(15, 1), h(15, 2)
    c.add(41, 140.0, "D15 VLAN 10: ::1 asks for ::2 (nothing on VLAN 10 answers)", ask(a, b[1], vid=10))
    c.add(42, 140.0002, "D15 VLAN 20: ::2 is at 00:1b:21:86:0f:02 to ::1 (NA S O; another network: answers "
          "nothing)", adv(b, b[1], a[1], "SO", dst_mac=a[0], vid=20))
    # D16 (t 150) an address conflict: two MACs answer for ::5, twice (spans overlap)
    q, t5 = h(16, 1), "2001:db8:86:10::5"
    ma, mb = h(16, 0x0a)[0], h(16, 0x0b)[0]
    for n, t in ((43, 150.0), (46, 154.0)):
        c.add(n, t, "D16 conflict: ::1 asks for ::5", ask(q, t5))
        c.add(n + 1, t + 0.0004, "D16 conflict: A 00:1b:21:86:10:0a answers ::5 (NA S O; answers %d)" % n,
              adv((ma, t5), t5, q[1], "SO", dst_mac=q[0]))
        c.add(n + 2, t + 0.0009, "D16 conflict: B 00:1b:21:86:10:0b answers ::5 too (NA S O; answers %d)" % n,
              adv((mb, t5), t5, q[1], "SO", dst_mac=q[0]))
    # D17 (t 170) an address moved: A announces ::6 twice, 9 s later only B does
    t6 = "2001:db8:86:11::6"
    ma, mb = h(17, 0x0a)[0], h(17, 0x0b)[0]
    c.add(49, 170.0, "D17 moved: A 00:1b:21:86:11:0a announces ::6 (NA O)", adv((ma, t6), t6, ALL_NODES, "O"))
    c.add(50, 171.0, "D17 moved: A announces ::6 again (last time)", adv((ma, t6), t6, ALL_NODES, "O"))
    c.add(51, 180.0, "D17 moved: B 00:1b:21:86:11:0b announces ::6 (first time: the address moved)",
          adv((mb, t6), t6, ALL_NODES, "O"))
    c.add(52, 181.0, "D17 moved: B announces ::6 again", adv((mb, t6), t6, ALL_NODES, "O"))
    # D18 (t 190) if 1, Linux cooked v1: this host asks, the neighbour answers
    (la, li), (na_, ni) = h(18, 1), h(18, 2)
    c.add(53, 190.0, "D18 if 1 SLL OUTGOING (cooked source 00:1b:21:86:12:01): ::1 asks for ::2",
          sll(PACKET_OUTGOING, ARPHRD_ETHER, la, ETH_IPV6, icmp6(li, solicited_node(ni), ns_msg(ni, sllao(la)))),
          iface=1)
    c.add(54, 190.0003, "D18 if 1 SLL HOST (cooked source 00:1b:21:86:12:02): ::2 answers (NA S O; answers 53)",
          sll(PACKET_HOST, ARPHRD_ETHER, na_, ETH_IPV6, icmp6(ni, li, na_msg(ni, "SO", tllao(na_)))), iface=1)
    # D19 (t 200) inside VXLAN VNI 7000 (VTEPs 172.16.86.1 and .2, outer MACs 00:1b:21:86:13:e1/e2)
    v1, v2 = h(19, 0xe1)[0], h(19, 0xe2)[0]
    x1, x2 = h(19, 1), h(19, 2)

    def vx(forward, inner):
        (os_, od, osip, odip, sport) = ((v1, v2, "172.16.86.1", "172.16.86.2", 51000) if forward
                                        else (v2, v1, "172.16.86.2", "172.16.86.1", 52000))
        return eth(od, os_, ETH_IPV4, ip_udp(osip, odip, vxlan(7000, inner), sport, UDP_VXLAN, checksum=False))

    c.add(55, 200.0, "D19 VXLAN VNI 7000: inner ::1 (00:1b:21:86:13:01) asks for ::2", vx(True, ask(x1, x2[1])))
    c.add(56, 200.0005, "D19 VXLAN VNI 7000: inner ::2 answers (NA S O; answers 55)",
          vx(False, adv(x2, x2[1], x1[1], "SO", dst_mac=x1[0])))
    # D20 (t 210) router discovery and a redirect: named, not judged (the RA's SLLAO is not its
    # link-layer source: no finding)
    (hm, _), (rm, _), (om, _) = h(20, 1), h(20, 0xfe), h(20, 0xfd)
    hl, rl, ol = "fe80::21b:21ff:fe86:1401", "fe80::21b:21ff:fe86:14fe", "fe80::21b:21ff:fe86:14fd"
    c.add(57, 210.0, "D20 RS: fe80::21b:21ff:fe86:1401 solicits routers (to ff02::2, SLLAO its MAC)",
          nd_eth(hm, hl, ALL_ROUTERS, rs_msg(sllao(hm))))
    c.add(58, 210.0005, "D20 RA: router 00:1b:21:86:14:fe advertises 2001:db8:86:14::/64 (to ff02::1, SLLAO "
          "00:1b:21:86:14:fd: not judged)", nd_eth(rm, rl, ALL_NODES, ra_msg(sllao(om) + prefix_opt("2001:db8:86:14::"))))
    c.add(59, 211.0, "D20 Redirect: router tells ::1401 to reach 2001:db8:99::1 through fe80::...:14fd "
          "(TLLAO 00:1b:21:86:14:fd)", nd_eth(rm, rl, hl, redirect_msg(ol, "2001:db8:99::1", tllao(om)), dst_mac=hm))
    # D21 (t 220) two attempts 1 s apart; the capture ends with the second
    a, b = h(21, 1), h(21, 2)
    c.add(60, 220.0, "D21: 2001:db8:86:15::1 asks for ::2 (attempt 1)", ask(a, b[1]))
    c.add(61, 221.0, "D21: asks again (attempt 2); the capture ends here, 1 s later", ask(a, b[1]))
    return c


def nd_malformed():
    # Scenario M uses 2001:db8:87:M::n and MACs 00:1b:21:87:MM:nn (M in hex in both), at M-1 s;
    # every well-formed NS is answered, so nothing here is unanswered.
    c = Capture("nd-malformed.pcap", LINKTYPE_ETHERNET,
                "IPv6 Neighbor Discovery messages judged on their own: malformed forms one by one, "
                "Ethernet trailers that are not options, bad and mismatched link-layer options, a snap-cut NS")

    def h(m, n):
        return "00:1b:21:87:%02x:%02x" % (m, n), "2001:db8:87:%x::%x" % (m, n)

    def ask(src, target, options=None, hlim=255, code=0, dst=None, dst_mac=None, trailer=b"", link_src=None):
        (m, ip) = src
        return nd_eth(link_src or m, ip, dst or solicited_node(target),
                      ns_msg(target, sllao(m) if options is None else options, code),
                      dst_mac=dst_mac, hlim=hlim, trailer=trailer)

    def answer(src, to, flags="SO"):
        (m, ip), (tm, tip) = src, to
        return nd_eth(m, ip, tip, na_msg(ip, flags, tllao(m)), dst_mac=tm)

    # M1 (t 0) hop limit 254 (a routed NS: receivers drop it), then the same NS with 255
    a, b = h(1, 1), h(1, 2)
    c.add(1, 0.0, "M1: ::1 asks for ::2 with hop limit 254 (malformed)", ask(a, b[1], hlim=254))
    c.add(2, 0.5, "M1: the same NS with hop limit 255 (well-formed)", ask(a, b[1]))
    c.add(3, 0.5002, "M1: ::2 answers (answers 2)", answer(b, a))
    # M2 (t 1) ICMPv6 code 1 (its SLLAO 00:00:00:00:00:00 is not judged: malformed says all)
    a, b = h(2, 1), h(2, 2)
    c.add(4, 1.0, "M2: NS with code 1 (malformed; SLLAO zero MAC not judged)",
          ask(a, b[1], options=sllao(ZERO), code=1))
    # M3 (t 2) a 23-byte NS; M4 (t 3) a 23-byte NA (IPv6 payload length 23)
    a, b = h(3, 1), h(3, 2)
    c.add(5, 2.0, "M3: NS message of 23 bytes (payload length 23; the target's last byte missing)",
          nd_eth(a[0], a[1], solicited_node(b[1]), ns_msg(b[1])[:23]))
    a, b = h(4, 1), h(4, 2)
    c.add(6, 3.0, "M4: NA message of 23 bytes (payload length 23) to ::1",
          nd_eth(b[0], b[1], a[1], na_msg(b[1], "SO")[:23], dst_mac=a[0]))
    # M5 (t 4) an option of length 0
    a, b = h(5, 1), h(5, 2)
    c.add(7, 4.0, "M5: NS whose option has length 0 (01 00 + 6 bytes)",
          ask(a, b[1], options=bytes([OPT_SLLAO, 0]) + mac(a[0])))
    # M6 (t 5) an SLLAO of length 2 (16 bytes) with 8 in the message; 8 zero bytes of Ethernet
    # trailer after the IPv6 packet would complete it if read
    a, b = h(6, 1), h(6, 2)
    c.add(8, 5.0, "M6: NS whose SLLAO says 16 bytes, 8 left in the message (8 trailer bytes follow the "
          "IPv6 payload: not part of it)", ask(a, b[1], options=bytes([OPT_SLLAO, 2]) + mac(a[0]),
                                               trailer=bytes(8)))
    # M7 (t 6) a complete NS + 8 zero bytes of Ethernet trailer (read as an option: length 0)
    a, b = h(7, 1), h(7, 2)
    c.add(9, 6.0, "M7: well-formed NS with SLLAO, then 8 zero bytes of Ethernet trailer (not an option)",
          ask(a, b[1], trailer=bytes(8)))
    c.add(10, 6.0002, "M7: ::2 answers (answers 9)", answer(b, a))
    # M8 (t 7) a NUD NS without SLLAO + a trailer that looks like an SLLAO of another MAC
    a, b = h(8, 1), h(8, 2)
    c.add(11, 7.0, "M8: NUD NS (unicast, no SLLAO), then 8 trailer bytes 01 01 00:1b:21:87:08:99 (not an SLLAO)",
          ask(a, b[1], options=b"", dst=b[1], dst_mac=b[0], trailer=sllao("00:1b:21:87:08:99")))
    c.add(12, 7.0002, "M8: ::2 answers (answers 11)", answer(b, a))
    # M9 (t 8) a multicast target
    a = h(9, 1)
    c.add(13, 8.0, "M9: NS for the multicast target ff05::1:3 (to its solicited-node address)",
          ask(a, "ff05::1:3"))
    # M10 (t 9) a DAD probe with an SLLAO (of another MAC: no mismatch said, malformed says all)
    a, b = h(10, 1), h(10, 2)
    c.add(14, 9.0, "M10: DAD probe for ::2 carrying an SLLAO 00:1b:21:87:0a:03 (malformed)",
          nd_eth(a[0], "::", solicited_node(b[1]), ns_msg(b[1], sllao(h(10, 3)[0]))))
    # M11 (t 10) a DAD probe to another address's solicited-node group
    a, b = h(11, 1), h(11, 2)
    c.add(15, 10.0, "M11: DAD probe for 2001:db8:87:b::2 sent to ff02::1:ff00:3 (not its solicited-node "
          "address)", nd_eth(a[0], "::", solicited_node("2001:db8:87:b::3"), ns_msg(b[1])))
    # M12 (t 11) a solicited NA to ff02::1; an NA with hop limit 64
    b = h(12, 2)
    c.add(16, 11.0, "M12: NA with S set to ff02::1 (malformed)", nd_eth(b[0], b[1], ALL_NODES,
                                                                        na_msg(b[1], "SO", tllao(b[0]))))
    c.add(17, 11.5, "M12: unsolicited NA O with hop limit 64 (malformed)",
          nd_eth(b[0], b[1], ALL_NODES, na_msg(b[1], "O", tllao(b[0])), hlim=64))
    # M13 (t 12) SLLAO with the group bit, from that (group-bit) link-layer source
    g, gi = "01:1b:21:87:0d:01", "2001:db8:87:d::1"
    b = h(13, 2)
    c.add(18, 12.0, "M13: ::1 asks for ::2, SLLAO and Ethernet source 01:1b:21:87:0d:01 (group bit)",
          ask((g, gi), b[1]))
    c.add(19, 12.0002, "M13: ::2 answers to 01:1b:21:87:0d:01 (answers 18)", answer(b, (g, gi)))
    # M14 (t 13) TLLAO 00:00:00:00:00:00 from an ordinary source
    b = h(14, 2)
    c.add(20, 13.0, "M14: unsolicited NA O for ::2 from 00:1b:21:87:0e:02 with TLLAO 00:00:00:00:00:00",
          nd_eth(b[0], b[1], ALL_NODES, na_msg(b[1], "O", tllao(ZERO))))
    # M15 (t 14) an SLLAO of length 2 (16 bytes) on Ethernet
    a, b = h(15, 1), h(15, 2)
    c.add(21, 14.0, "M15: ::1 asks for ::2 with an SLLAO of length 2 (16 bytes: not a MAC)",
          ask(a, b[1], options=sllao(a[0], units=2)))
    c.add(22, 14.0002, "M15: ::2 answers (answers 21)", answer(b, a))
    # M16 (t 15) SLLAO != Ethernet source; TLLAO != Ethernet source
    a, b, x = h(16, 1), h(16, 2), h(16, 3)
    c.add(23, 15.0, "M16: ::1 asks for ::2 from Ethernet source 00:1b:21:87:10:03, SLLAO 00:1b:21:87:10:01",
          ask(a, b[1], link_src=x[0]))
    c.add(24, 15.0002, "M16: ::2 answers to 00:1b:21:87:10:01 (answers 23)", answer(b, a))
    (e6, i6), (e7, _) = h(16, 6), h(16, 7)
    c.add(25, 15.5, "M16: unsolicited NA O for ::6 from Ethernet source 00:1b:21:87:10:06, TLLAO "
          "00:1b:21:87:10:07", nd_eth(e6, i6, ALL_NODES, na_msg(i6, "O", tllao(e7))))
    # M17 (t 16) an NS cut by the snap length inside its SLLAO
    a, b = h(17, 1), h(17, 2)
    c.add(26, 16.0, "M17: NS with SLLAO, 86 bytes on the wire, 82 captured (snap length cut the SLLAO)",
          ask(a, b[1]), snaplen=82)
    # M18 (t 17) one source, three malformed messages with the same finding: an NS and an NA
    # with hop limit 254, an NS with hop limit 1 (the report gives each its own line)
    a, b = h(18, 1), h(18, 2)
    c.add(27, 17.0, "M18: ::1 asks for ::2 with hop limit 254 (malformed)", ask(a, b[1], hlim=254))
    c.add(28, 17.5, "M18: unsolicited NA O for ::1 from the same MAC with hop limit 254 (malformed)",
          nd_eth(a[0], a[1], ALL_NODES, na_msg(a[1], "O", tllao(a[0])), hlim=254))
    c.add(29, 17.7, "M18: ::1 asks for ::2 again with hop limit 1 (malformed)", ask(a, b[1], hlim=1))
    # M19 (t 18) TLLAO of HSRP for IPv6 (a Note naming HSRP); TLLAO of VRRP for IPv4 (no
    # virtual router MAC in ND: a mismatch)
    a, b = h(19, 1), h(19, 2)
    c.add(30, 18.0, "M19: unsolicited NA O for ::1 from 00:1b:21:87:13:01, TLLAO 00:05:73:a0:00:01 (HSRP "
          "for IPv6)", nd_eth(a[0], a[1], ALL_NODES, na_msg(a[1], "O", tllao("00:05:73:a0:00:01"))))
    c.add(31, 18.5, "M19: unsolicited NA O for ::2 from 00:1b:21:87:13:02, TLLAO 00:00:5e:00:01:07 (VRRP for "
          "IPv4: a mismatch)", nd_eth(b[0], b[1], ALL_NODES, na_msg(b[1], "O", tllao("00:00:5e:00:01:07"))))
    return c


CAPTURES = [bad_guest_mac, zero_and_special, hypervisors, vlan_qinq, sll_capture, sll2_capture,
            arp_exchanges, arp_conflicts, tunnels, clean, wifi, networks, arp_verdicts,
            nd_capture, nd_malformed]


def build():
    caps = [make() for make in CAPTURES]
    assert len({c.name for c in caps}) == len(caps)
    return caps


def write_all(outdir):
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    for c in build():
        (outdir / c.name).write_bytes(c.pcap())
    return outdir


def check(refdir):
    """Regenerate into a temporary directory and compare with refdir; return the exit status."""
    refdir = Path(refdir)
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        write_all(tmp)
        made = sorted(p.name for p in Path(tmp).iterdir())
        for name in made:
            ref = refdir / name
            if not ref.exists():
                problems.append("missing: %s" % ref)
            elif not filecmp.cmp(ref, Path(tmp) / name, shallow=False):
                problems.append("differs: %s" % ref)
    extra = sorted(p.name for p in refdir.glob("*") if p.suffix in (".pcap", ".pcapng") and p.name not in made)
    problems += ["not made by %s: %s" % (Path(__file__).name, refdir / n) for n in extra]
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print("captures in %s do not match the generator: run python3 tests/gen_captures.py" % refdir,
              file=sys.stderr)
        return 1
    print("%d captures in %s match the generator" % (len(made), refdir))
    return 0


def format_time(ns, tsresol):
    """Seconds after T0 with as many decimals as the resolution: '%10.6f' for microseconds."""
    sign, ns = ("-" if ns < 0 else ""), abs(ns)
    sec, frac = divmod(ns, 10 ** 9)
    return ("%s%d.%0*d" % (sign, sec, tsresol, frac // 10 ** (9 - tsresol))).rjust(4 + tsresol)


def list_frames(names):
    for c in build():
        if names and c.name not in names:
            continue
        print("%s (%d frames): %s" % (c.name, len(c.frames), c.summary))
        for f in c.frames:
            ifx = " if %d" % f.iface if len(c.interfaces) > 1 else ""
            print("  %3d  %s%s  %4d B  %s" % (f.number, format_time(f.ns, c.tsresol), ifx, len(f.data), f.what))
        print()


def main():
    default = Path(__file__).resolve().parent.parent / "captures"
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("outdir", nargs="?", default=str(default), help="where to write (default: %(default)s)")
    ap.add_argument("--check", metavar="DIR", help="compare DIR with a fresh generation instead of writing")
    ap.add_argument("--list", nargs="*", metavar="FILE", help="print the frame tables (all, or the FILEs named)")
    args = ap.parse_args()
    if args.check:
        return check(args.check)
    if args.list is not None:
        list_frames(args.list)
        return 0
    out = write_all(args.outdir)
    print("wrote %d captures into %s" % (len(CAPTURES), out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
