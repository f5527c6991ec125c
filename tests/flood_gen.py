#!/usr/bin/env python3
"""flood_gen.py - large and random captures for macchk's robustness,
memory and speed checks (not the bundled test captures: see gen_captures.py).

Every kind is deterministic for a given --seed and --frames; Python 3
standard library only.

    flood  N frames of Ethernet ARP, each from a new unicast source MAC and a
           new sender IP (one in ten a reply to a recent request, the rest
           requests for new (sender, target) pairs): every frame wants a new
           binding and, for requests, a new exchange, the worst case for the
           tracker's tables.  Classic pcap.
    mixed  benchmark traffic: IPv4 UDP and TCP between a few thousand hosts,
           about 10% ARP (answered requests, retries, unanswered ones,
           gratuitous announcements), a few hosts with bad MACs (group bit,
           zero, QEMU default).  Classic pcap.
    fuzz   structured random frames for the fuzzer: ARP (sizes, opcodes,
           hardware types, truncation, snap length cuts; addresses drawn from
           small pools so that exchanges, conflicts and duplicate MACs happen)
           and other frames, over Ethernet, 802.1Q, QinQ, 802.3 LLC/SNAP,
           Linux cooked v1 and v2, radiotap + 802.11, VXLAN, GRE/TEB and
           802.1ah; timestamps mostly rising, sometimes jumping back.  pcapng,
           one interface per link type.

    python3 tests/flood_gen.py flood --frames 1000000 --seed 1 out.pcap
"""
import argparse
import random
import struct
import sys

LINKTYPE_ETHERNET = 1
LINKTYPE_LINUX_SLL = 113
LINKTYPE_IEEE802_11_RADIOTAP = 127
LINKTYPE_LINUX_SLL2 = 276

T0 = 1_700_000_000
BCAST = b"\xff" * 6
ZERO = b"\0" * 6


# --- pcap / pcapng writers -------------------------------------------------

class PcapWriter:
    """Classic pcap, microsecond timestamps, little-endian; buffered."""

    def __init__(self, path, linktype=LINKTYPE_ETHERNET, snaplen=262144):
        self.f = open(path, "wb")
        self.f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, snaplen, linktype))
        self.buf = []
        self.count = 0

    def add(self, usec, data, orig_len=None):
        self.buf.append(struct.pack("<IIII", usec // 1_000_000, usec % 1_000_000, len(data),
                                    orig_len if orig_len is not None else len(data)))
        self.buf.append(data)
        self.count += 1
        if len(self.buf) >= 65536:
            self.flush()

    def flush(self):
        self.f.write(b"".join(self.buf))
        self.buf = []

    def close(self):
        self.flush()
        self.f.close()


def _pad4(data):
    return data + b"\0" * (-len(data) % 4)


class PcapngWriter:
    """pcapng with one interface per link type (microsecond timestamps)."""

    def __init__(self, path):
        self.f = open(path, "wb")
        self.ifaces = {}
        body = struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1)
        self._block(0x0A0D0D0A, body)

    def _block(self, btype, body):
        total = 12 + len(body)
        self.f.write(struct.pack("<II", btype, total) + body + struct.pack("<I", total))

    def add(self, linktype, usec, data, orig_len=None):
        if linktype not in self.ifaces:
            self.ifaces[linktype] = len(self.ifaces)
            self._block(0x00000001, struct.pack("<HHI", linktype, 0, 0))
        body = struct.pack("<IIIII", self.ifaces[linktype], (usec >> 32) & 0xFFFFFFFF, usec & 0xFFFFFFFF,
                           len(data), orig_len if orig_len is not None else len(data)) + _pad4(data)
        self._block(0x00000006, body)

    def close(self):
        self.f.close()


# --- frame pieces ----------------------------------------------------------

def arp_body(op, sha, spa, tha, tpa, htype=1, ptype=0x0800, hlen=6, plen=4):
    return struct.pack("!HHBBH", htype, ptype, hlen, plen, op) + sha + spa + tha + tpa


def ip4(n):
    return struct.pack("!I", n & 0xFFFFFFFF)


def ipv4_header(src, dst, proto, payload_len, ident=0):
    return struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + payload_len, ident & 0xFFFF, 0x4000, 64, proto, 0,
                       src, dst)


# --- flood: a new MAC and a new sender IP on every frame -------------------

def unique_mac(i, rng_octet):
    """A unicast MAC unique for each i < 2**40 (odd multiplier: a bijection)."""
    low = (i * 0x9E3779B97F + 0x5DEECE66D) & 0xFFFFFFFFFF
    return bytes([rng_octet & 0xFC | 0x02]) + low.to_bytes(5, "big")


def unique_ip(i):
    """A different IPv4 address for each i < 2**32, never 0.0.0.0."""
    ip = (i * 0x9E3779B1 + 0x0A000001) & 0xFFFFFFFF
    return ip if ip else 0x0A0000FE


def gen_flood(path, frames, seed):
    rng = random.Random(seed)
    w = PcapWriter(path)
    template = bytearray(60)  # 14 Ethernet + 28 ARP + 18 padding to the 60-byte minimum
    struct.pack_into("!H", template, 12, 0x0806)
    struct.pack_into("!HHBB", template, 14, 1, 0x0800, 6, 4)
    recent = []  # (mac, ip, target ip) of recent requests, for replies
    octets = [rng.randrange(256) for _ in range(256)]
    for i in range(frames):
        mac = unique_mac(i, octets[i & 255])
        ip = unique_ip(i)
        if recent and i % 10 == 9:
            # a reply from the asked-for host (new MAC too) to a recent request
            rmac, rip, rtpa = recent[rng.randrange(len(recent))]
            template[0:6] = rmac
            template[6:12] = mac
            struct.pack_into("!H6s4s6s4s", template, 20, 2, mac, ip4(rtpa), rmac, ip4(rip))
        else:
            tpa = rng.getrandbits(32) | 1
            template[0:6] = BCAST
            template[6:12] = mac
            struct.pack_into("!H6s4s6s4s", template, 20, 1, mac, ip4(ip), ZERO, ip4(tpa))
            recent.append((mac, ip, tpa))
            if len(recent) > 64:
                recent.pop(0)
        w.add(T0 * 1_000_000 + i * 100, bytes(template))
    w.close()
    return frames


# --- mixed: benchmark traffic ----------------------------------------------

def gen_mixed(path, frames, seed, hosts=3000):
    rng = random.Random(seed)
    vendors = [b"\x00\x1b\x21", b"\x3c\xfd\xfe", b"\x52\x54\x00", b"\x00\x50\x56", b"\x08\x00\x27",
               b"\x00\x16\x3e", b"\xf4\x8e\x38", b"\x02\x42\xac"]
    macs, ips = [], []
    for h in range(hosts):
        macs.append(vendors[h % len(vendors)] + rng.getrandbits(24).to_bytes(3, "big"))
        ips.append(0x0A000000 | (h // 250) << 8 | (h % 250 + 2))
    # a few bad hosts: group bit, zero, QEMU's default, two sharing one IP
    bad = rng.sample(range(hosts), 12)
    for k, h in enumerate(bad):
        if k % 4 == 0:
            macs[h] = bytes([macs[h][0] | 1]) + macs[h][1:]
        elif k % 4 == 1:
            macs[h] = ZERO
        elif k % 4 == 2:
            macs[h] = b"\x52\x54\x00\x12\x34\x56"
        else:
            ips[h] = ips[bad[0]]
    mac_of, ip_of = macs, [ip4(x) for x in ips]

    w = PcapWriter(path)
    payload = bytes(range(48))
    usec = T0 * 1_000_000
    pending = []  # (frame index due, bytes) of replies and retries to send later
    i = 0
    while i < frames:
        usec += rng.randrange(20, 200)
        if pending and pending[0][0] <= i:
            w.add(usec, pending.pop(0)[1])
            i += 1
            continue
        r = rng.random()
        a, b = rng.randrange(hosts), rng.randrange(hosts)
        if a == b:
            b = (a + 1) % hosts
        if r < 0.05:
            # request (broadcast); answered unless the target is "down" (1 in 20)
            req = BCAST + mac_of[a] + b"\x08\x06" + arp_body(1, mac_of[a], ip_of[a], ZERO, ip_of[b])
            w.add(usec, req + b"\0" * 18)
            if b % 20:
                rep = mac_of[a] + mac_of[b] + b"\x08\x06" + arp_body(2, mac_of[b], ip_of[b], mac_of[a], ip_of[a])
                pending.append((i + rng.randrange(1, 40), rep + b"\0" * 18))
            else:
                pending.append((i + 50, req + b"\0" * 18))  # a retry, also unanswered
            pending.sort(key=lambda p: p[0])
        elif r < 0.09:
            # unicast refresh answered at once
            req = mac_of[b] + mac_of[a] + b"\x08\x06" + arp_body(1, mac_of[a], ip_of[a], ZERO, ip_of[b])
            w.add(usec, req + b"\0" * 18)
            rep = mac_of[a] + mac_of[b] + b"\x08\x06" + arp_body(2, mac_of[b], ip_of[b], mac_of[a], ip_of[a])
            pending.insert(0, (i + 1, rep + b"\0" * 18))
        elif r < 0.10:
            ann = BCAST + mac_of[a] + b"\x08\x06" + arp_body(1, mac_of[a], ip_of[a], ZERO, ip_of[a])
            w.add(usec, ann + b"\0" * 18)
        elif r < 0.60:
            udp = struct.pack("!HHHH", 40000 + a % 1000, 40000 + b % 1000, 8 + len(payload), 0) + payload
            frame = (mac_of[b] + mac_of[a] + b"\x08\x00" + ipv4_header(ip_of[a], ip_of[b], 17, len(udp), i) + udp)
            w.add(usec, frame)
        else:
            flags = 0x18 if r < 0.95 else (0x02 if r < 0.98 else 0x11)
            tcp = struct.pack("!HHIIBBHHH", 50000 + a % 5000, 443 if b % 2 else 22, (i * 7919) & 0xFFFFFFFF,
                              (i * 104729) & 0xFFFFFFFF, 0x50, flags, 64240, 0, 0) + payload
            frame = (mac_of[b] + mac_of[a] + b"\x08\x00" + ipv4_header(ip_of[a], ip_of[b], 6, len(tcp), i) + tcp)
            w.add(usec, frame)
        i += 1
    w.close()
    return frames


# --- fuzz: structured random frames ----------------------------------------

class FuzzGen:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        r = self.rng
        # small pools so that keys repeat: exchanges, retries, conflicts, dup MACs
        special = [BCAST, ZERO, b"\x01\x00\x5e\x00\x00\x01", b"\x33\x33\x00\x00\x00\x01",
                   b"\x00\x00\x5e\x00\x01\x07", b"\x00\x00\x0c\x07\xac\x01", b"\x00\x00\x0c\x9f\xf0\x05",
                   b"\xcf\x00\x00\x00\x00\x01", b"\x53\x54\x00\x12\x34\x56", b"\x52\x54\x00\x12\x34\x56",
                   b"\x01\x80\xc2\x00\x00\x00", b"\x00\x00\x5e\x00\x53\x01", b"\x06\x00\x00\x00\x00\x01"]
        self.macs = special + [bytes([r.randrange(256) & 0xFE]) + r.randbytes(5) for _ in range(24)]
        self.ips = [0, 0xFFFFFFFF, 0xE0000001, 0xA9FE0001] + [0x0A000000 | r.randrange(1, 40) for _ in range(24)]
        self.usec = T0 * 1_000_000

    def mac(self):
        r = self.rng
        return r.choice(self.macs) if r.random() < 0.9 else r.randbytes(6)

    def ip(self):
        r = self.rng
        return ip4(r.choice(self.ips) if r.random() < 0.9 else r.getrandbits(32))

    def arp(self):
        r = self.rng
        op = r.choice([1, 1, 1, 2, 2, 2, 3, 4, 8, 9, 0, 7, r.randrange(65536)])
        htype = r.choice([1, 1, 1, 6, 1, r.randrange(65536)])
        ptype = 0x0800 if r.random() < 0.9 else r.choice([0x86DD, 0, r.randrange(65536)])
        hlen = 6 if r.random() < 0.9 else r.randrange(256)
        plen = 4 if r.random() < 0.9 else r.randrange(256)
        sha, tha = self.mac(), self.mac()
        spa, tpa = self.ip(), self.ip()
        k = r.random()
        if k < 0.1:
            spa = tpa  # announcement / gratuitous
        elif k < 0.15:
            spa = ip4(0)  # probe
        body = arp_body(op, sha, spa, tha, tpa, htype, ptype, hlen, plen)
        if hlen != 6 or plen != 4:
            body = body[:8] + r.randbytes(min(2 * (hlen + plen), r.randrange(0, 600)))
        return body, sha

    def payload(self):
        """(ethertype, bytes, arp sender MAC or None)"""
        r = self.rng
        if r.random() < 0.7:
            body, sha = self.arp()
            return (0x0806 if r.random() < 0.9 else 0x8035), body, sha
        return r.choice([0x0800, 0x86DD, 0x88CC, 0x8809, r.randrange(0x600, 65536)]), r.randbytes(r.randrange(0, 80)), None

    def ether_inner(self, depth=0):
        """An Ethernet frame, possibly tagged or tunnelled (innermost carries the payload)."""
        r = self.rng
        ethertype, body, sha = self.payload()
        src = sha if sha is not None and r.random() < 0.7 else self.mac()
        dst = self.mac()
        k = r.random()
        if k < 0.45:
            return dst + src + struct.pack("!H", ethertype) + body
        if k < 0.6:
            return dst + src + struct.pack("!HHH", 0x8100, r.randrange(4096), ethertype) + body
        if k < 0.7:
            return dst + src + struct.pack("!HHHHH", 0x88A8, r.randrange(4096), 0x8100, r.randrange(4096),
                                          ethertype) + body
        if k < 0.78:
            llc = b"\xaa\xaa\x03\x00\x00\x00" + struct.pack("!H", ethertype) + body
            return dst + src + struct.pack("!H", len(llc) if r.random() < 0.9 else r.randrange(1500)) + llc
        if depth >= 2:
            return dst + src + struct.pack("!H", ethertype) + body
        inner = self.ether_inner(depth + 1)
        outer_src, outer_dst = self.mac(), self.mac()
        if k < 0.86:  # VXLAN
            vx = struct.pack("!II", 0x08000000, r.randrange(1 << 24) << 8) + inner
            udp = struct.pack("!HHHH", r.randrange(49152, 65536), 4789, 8 + len(vx), 0) + vx
            return outer_dst + outer_src + b"\x08\x00" + ipv4_header(ip4(0x0A640001), ip4(0x0A640002), 17,
                                                                      len(udp)) + udp
        if k < 0.93:  # GRE transparent Ethernet bridging
            gre = struct.pack("!HH", 0, 0x6558) + inner
            return outer_dst + outer_src + b"\x08\x00" + ipv4_header(ip4(0x0A640001), ip4(0x0A640002), 47,
                                                                      len(gre)) + gre
        # 802.1ah: I-tag then the customer frame (dst, src, type, ...)
        itag = struct.pack("!I", r.randrange(1 << 24))
        if r.random() < 0.1:
            inner = inner[:r.randrange(len(inner) + 1)]
        return outer_dst + outer_src + b"\x88\xe7" + itag + inner

    def frame(self):
        """(linktype, bytes, orig_len)"""
        r = self.rng
        k = r.random()
        if k < 0.6:
            link, data = LINKTYPE_ETHERNET, self.ether_inner()
        elif k < 0.75:
            ethertype, body, sha = self.payload()
            hatype = 1 if r.random() < 0.8 else r.choice([772, 768, r.randrange(65536)])
            addr = sha if sha is not None and r.random() < 0.7 else self.mac()
            alen = 6 if r.random() < 0.9 else r.randrange(9)
            data = struct.pack("!HHH8sH", r.choice([0, 1, 4]), hatype, alen, addr + b"\0\0", ethertype) + body
            link = LINKTYPE_LINUX_SLL
        elif k < 0.85:
            ethertype, body, sha = self.payload()
            hatype = 1 if r.random() < 0.8 else r.choice([772, 768, r.randrange(65536)])
            addr = sha if sha is not None and r.random() < 0.7 else self.mac()
            data = struct.pack("!HHIHBB8s", ethertype, 0, r.randrange(1, 8), hatype, r.choice([0, 1, 4]),
                               6, addr + b"\0\0") + body
            link = LINKTYPE_LINUX_SLL2
        else:
            ethertype, body, sha = self.payload()
            radiotap = struct.pack("<BBHI", 0, 0, 8, 0)
            fc = 0x0208 if r.random() < 0.5 else 0x0108  # data, FromDS / ToDS
            a1, a2, a3 = self.mac(), self.mac(), (sha if sha is not None and r.random() < 0.7 else self.mac())
            hdr = struct.pack("<HH", fc, 0) + a1 + a2 + a3 + struct.pack("<H", r.randrange(4096) << 4)
            llc = b"\xaa\xaa\x03\x00\x00\x00" + struct.pack("!H", ethertype)
            data = radiotap + hdr + llc + body
            link = LINKTYPE_IEEE802_11_RADIOTAP
        orig = len(data)
        c = r.random()
        if c < 0.08:
            data = data[:r.randrange(len(data) + 1)]  # snap length cut: orig_len stays
        elif c < 0.14:
            data = data[:r.randrange(len(data) + 1)]  # really short
            orig = len(data)
        elif c < 0.18:
            data += r.randbytes(r.randrange(1, 40))  # trailer
            orig = len(data)
        return link, data, orig

    def tick(self):
        r = self.rng
        k = r.random()
        if k < 0.85:
            self.usec += r.randrange(0, 400_000)
        elif k < 0.95:
            self.usec += r.randrange(1_000_000, 10_000_000)
        else:
            self.usec = max(0, self.usec - r.randrange(0, 20_000_000))  # clock jumps back
        return self.usec


def gen_fuzz(path, frames, seed):
    g = FuzzGen(seed)
    w = PcapngWriter(path)
    for _ in range(frames):
        link, data, orig = g.frame()
        w.add(link, g.tick(), data, orig)
    w.close()
    return frames


KINDS = {"flood": gen_flood, "mixed": gen_mixed, "fuzz": gen_fuzz}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("kind", choices=sorted(KINDS))
    parser.add_argument("output")
    parser.add_argument("--frames", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    n = KINDS[args.kind](args.output, args.frames, args.seed)
    print("%s: %d frames (%s, seed %d)" % (args.output, n, args.kind, args.seed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
