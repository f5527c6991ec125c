/* macchk_nd.h - read and judge one IPv6 Neighbor Discovery message on its
 * own (RFC 4861; no cross-frame state).
 *
 * Pure C: no Wireshark types.  The dissector copies the IPv6 header fields
 * and the ICMPv6 message bytes (through tvb accessors) into a
 * macchk_nd_input; macchk_nd_read parses it into a macchk_nd_msg with its
 * kind and findings.  Neighbor Solicitations (135) and Advertisements (136)
 * are judged; Router Solicitation/Advertisement and Redirect are named only.
 */
#ifndef MACCHK_ND_H
#define MACCHK_ND_H

#include <stdbool.h>
#include <stdint.h>

#include "macchk_arp.h"
#include "macchk_class.h"

#define MACCHK_ND_FIXED_LEN 24  /* type, code, checksum, flags/reserved, target */
#define MACCHK_IPV6_LEN 16

typedef struct {
    uint8_t src[MACCHK_IPV6_LEN], dst[MACCHK_IPV6_LEN];  /* IPv6 source S, destination D */
    uint8_t hop_limit;
    uint32_t length;        /* the message's length as the IPv6 header says: the payload
                               length less any extension headers before the ICMPv6 */
    const uint8_t *bytes;   /* the ICMPv6 message as captured (type first) */
    uint32_t captured;      /* bytes available; any beyond length (Ethernet padding) are ignored */
    bool snap_cut;          /* the capture's snap length cut the frame (captured < on the wire) */
    bool link_is_mac;       /* the link uses MACs (or is unknown): link-layer options of length 1 hold MACs */
    macchk_link_addrs link; /* that header's addresses */
} macchk_nd_input;

typedef enum {
    MACCHK_ND_NONE = 0,        /* not a Neighbor Discovery message */
    MACCHK_ND_NS,              /* NS to a multicast destination: address resolution */
    MACCHK_ND_NUD,             /* NS to a unicast destination: reachability check */
    MACCHK_ND_DAD,             /* NS from :: (RFC 4862 duplicate address detection probe) */
    MACCHK_ND_NA_SOLICITED,    /* NA with the S flag */
    MACCHK_ND_NA_UNSOLICITED,  /* NA without it */
    MACCHK_ND_NA,              /* NA whose flags were not captured or are missing */
    MACCHK_ND_RS,
    MACCHK_ND_RA,
    MACCHK_ND_REDIRECT
} macchk_nd_kind;

/* Findings (bits).  Malformed ones make the message untrusted: it gets no
 * other finding and is not tracked. */
enum {
    MACCHK_ND_MALFORMED_HOP_LIMIT = 1u << 0,   /* Warning: hop limit != 255, a routed ND packet
                                                  (receivers must drop it) */
    MACCHK_ND_MALFORMED_CODE = 1u << 1,        /* Warning: ICMPv6 code != 0 */
    MACCHK_ND_MALFORMED_SHORT = 1u << 2,       /* Warning: message shorter than 24 octets */
    MACCHK_ND_MALFORMED_TRUNCATED = 1u << 3,   /* Warning: the frame ends before the IPv6 payload
                                                  length says, and the snap length did not cut it */
    MACCHK_ND_MALFORMED_OPTION_ZERO = 1u << 4, /* Warning: an option of length 0 */
    MACCHK_ND_MALFORMED_OPTION_PAST = 1u << 5, /* Warning: an option runs past the message */
    MACCHK_ND_MALFORMED_TARGET = 1u << 6,      /* Warning: multicast target */
    MACCHK_ND_MALFORMED_DAD_SLLAO = 1u << 7,   /* Warning: DAD probe with a source link-layer option */
    MACCHK_ND_MALFORMED_DAD_DST = 1u << 8,     /* Warning: DAD probe not sent to the target's
                                                  solicited-node address ff02::1:ffXX:XXXX */
    MACCHK_ND_MALFORMED_SOLICITED_MCAST = 1u << 9, /* Warning: NA with S set to a multicast destination */
    MACCHK_ND_SNAP_CUT = 1u << 10,             /* Note: cut by the snap length, not judged */
    MACCHK_ND_LL_MISMATCH = 1u << 11,          /* Warning: option MAC != link-layer source */
    MACCHK_ND_LL_VIRTUAL = 1u << 12,           /* Note: the same, explained by a VRRP/HSRP MAC */
    MACCHK_ND_LL_GROUP = 1u << 13,             /* Warning: bad option: MAC with the group bit */
    MACCHK_ND_LL_ZERO = 1u << 14,              /* Warning: bad option: MAC all zeros */
    MACCHK_ND_LL_LENGTH = 1u << 15             /* Warning: bad option: length != 1 on a MAC link */
};
#define MACCHK_ND_MALFORMED                                                                    \
    (MACCHK_ND_MALFORMED_HOP_LIMIT | MACCHK_ND_MALFORMED_CODE | MACCHK_ND_MALFORMED_SHORT |     \
     MACCHK_ND_MALFORMED_TRUNCATED | MACCHK_ND_MALFORMED_OPTION_ZERO |                         \
     MACCHK_ND_MALFORMED_OPTION_PAST | MACCHK_ND_MALFORMED_TARGET |                            \
     MACCHK_ND_MALFORMED_DAD_SLLAO | MACCHK_ND_MALFORMED_DAD_DST |                             \
     MACCHK_ND_MALFORMED_SOLICITED_MCAST)
#define MACCHK_ND_BAD_OPTION (MACCHK_ND_LL_GROUP | MACCHK_ND_LL_ZERO | MACCHK_ND_LL_LENGTH)
#define MACCHK_ND_WARNINGS (MACCHK_ND_MALFORMED | MACCHK_ND_LL_MISMATCH | MACCHK_ND_BAD_OPTION)

typedef struct {
    macchk_nd_kind kind;
    uint8_t type, code;
    uint8_t hop_limit;                 /* of the IPv6 header */
    uint8_t src[MACCHK_IPV6_LEN], dst[MACCHK_IPV6_LEN];
    uint8_t target[MACCHK_IPV6_LEN];   /* NS/NA; valid when fixed_part */
    bool fixed_part;                   /* the 24-octet fixed part was read */
    bool router, solicited, override;  /* NA flags R, S, O */
    /* the link-layer option that matters: the first SLLAO of an NS, the
     * first TLLAO of an NA (RFC 4861 uses the first of duplicates) */
    bool has_ll_option;
    uint8_t ll_option_len;             /* in units of 8 octets */
    bool has_option_mac;               /* it holds a MAC: length 1 on a MAC link */
    uint8_t option_mac[MACCHK_ADDR_LEN];
    macchk_range virtual_range;        /* with MACCHK_ND_LL_VIRTUAL: the VRRP/HSRP range explaining it */
    bool virtual_in_option;            /* ... and the option holds that MAC (else the link-layer source) */
    macchk_link_addrs link;            /* as given in the input */
    unsigned findings;
} macchk_nd_msg;

/* Parse and judge one message.  Types other than 133-137 give kind NONE
 * and no finding; RS, RA and Redirect are named, never judged. */
void macchk_nd_read(const macchk_nd_input *in, macchk_nd_msg *out);

/* True for an NS or NA that was read whole and is not malformed: what the
 * tracker follows. */
bool macchk_nd_trackable(const macchk_nd_msg *m);

/* The MAC an NA claims for its target: the TLLAO, else the link-layer
 * source; false when it has neither. */
bool macchk_nd_claimed_mac(const macchk_nd_msg *m, uint8_t mac[MACCHK_ADDR_LEN]);

/* True for ::, and for ff00::/8. */
bool macchk_ipv6_is_unspecified(const uint8_t addr[MACCHK_IPV6_LEN]);
bool macchk_ipv6_is_multicast(const uint8_t addr[MACCHK_IPV6_LEN]);

/* What a malformed-message or bad-option finding bit means, in a few words
 * ("an option has length 0"); NULL for the bits whose text needs a value
 * (hop limit, option length) and for others. */
const char *macchk_nd_finding_what(unsigned bit);

/* Display name of a kind ("NS", "NUD", "DAD probe", "solicited NA", ...); NULL for NONE. */
const char *macchk_nd_kind_name(macchk_nd_kind kind);

#endif
