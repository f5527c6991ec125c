/* macchk_arp.h - judge one ARP packet on its own (no cross-frame state).
 *
 * Pure C: no Wireshark types.  The dissector reads the fields (through tvb
 * accessors) into a macchk_arp_packet and asks for the findings.
 */
#ifndef MACCHK_ARP_H
#define MACCHK_ARP_H

#include <stdbool.h>
#include <stdint.h>

#include "macchk_class.h"

#define MACCHK_ARP_FIXED_LEN 8 /* htype, ptype, hlen, plen, opcode */

typedef struct {
    uint16_t htype, ptype;
    uint8_t hlen, plen;
    uint16_t opcode;
    bool fixed_part;    /* the 8-octet fixed part was captured */
    bool body_complete; /* the addresses hlen/plen announce were captured */
    bool snap_cut;      /* ...and what is missing was cut by the capture's snap length */
    bool link_is_mac;   /* a MAC header carried it (not so for ARP straight in GRE) */
    /* valid only when macchk_arp_is_ipv4_ether() and body_complete */
    uint8_t sha[MACCHK_ADDR_LEN], tha[MACCHK_ADDR_LEN];
    uint32_t spa, tpa;  /* host byte order */
} macchk_arp_packet;

/* The link-layer header that carried the ARP packet. */
typedef struct {
    bool has_src, has_dst;
    uint8_t src[MACCHK_ADDR_LEN], dst[MACCHK_ADDR_LEN];
    bool not_mac_link; /* the link is known to use other addresses (a Linux cooked capture of IPoIB, tun, PPP) */
} macchk_link_addrs;

enum {
    MACCHK_A_MALFORMED_SIZES = 1u << 0,     /* Warning: hlen != 6 or plen != 4 */
    MACCHK_A_MALFORMED_TRUNCATED = 1u << 1, /* Warning: body shorter than hlen/plen say */
    MACCHK_A_MALFORMED_OPCODE = 1u << 2,    /* Warning: opcode not 1-4 or 8-9 */
    MACCHK_A_SHA_GROUP = 1u << 3,           /* Warning: sender MAC has the group bit */
    MACCHK_A_SHA_ZERO = 1u << 4,            /* Warning: sender MAC all zeros */
    MACCHK_A_SPA_BAD = 1u << 5,             /* Warning: sender IP multicast/broadcast/0 outside a probe */
    MACCHK_A_SENDER_MISMATCH = 1u << 6,     /* Warning: link source != sender MAC */
    MACCHK_A_SENDER_VIRTUAL = 1u << 7,      /* Note: mismatch explained by a VRRP/HSRP MAC */
    MACCHK_A_TARGET_MISMATCH = 1u << 8,     /* Note: reply's unicast link destination != target MAC */
    MACCHK_A_UNICAST_REQUEST = 1u << 9,     /* Note: request sent to a unicast link destination */
    MACCHK_A_SNAP_CUT = 1u << 10            /* Note: body cut by the snap length, not judged */
};
#define MACCHK_A_WARNINGS                                                                     \
    (MACCHK_A_MALFORMED_SIZES | MACCHK_A_MALFORMED_TRUNCATED | MACCHK_A_MALFORMED_OPCODE |    \
     MACCHK_A_SHA_GROUP | MACCHK_A_SHA_ZERO | MACCHK_A_SPA_BAD | MACCHK_A_SENDER_MISMATCH)
#define MACCHK_A_MALFORMED \
    (MACCHK_A_MALFORMED_SIZES | MACCHK_A_MALFORMED_TRUNCATED | MACCHK_A_MALFORMED_OPCODE)

/* True for hardware type Ethernet (1) or IEEE 802 (6) with protocol IPv4. */
bool macchk_arp_is_ipv4_ether(const macchk_arp_packet *p);

/* True when the packet carries usable IPv4-over-Ethernet addresses
 * (right type, right sizes, complete body). */
bool macchk_arp_has_addresses(const macchk_arp_packet *p);

/* Findings about p as carried by link; 0 for packets that are not
 * IPv4-over-Ethernet (other hardware/protocol types are not judged), except
 * that a packet too short for the fixed part is truncated whatever its type. */
unsigned macchk_arp_judge(const macchk_arp_packet *p, const macchk_link_addrs *link);

/* Name of an ARP opcode ("request", "reply", "RARP request", ...); NULL when unknown. */
const char *macchk_arp_opcode_name(uint16_t opcode);

#endif
