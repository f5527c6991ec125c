/* macchk_class.h - classify a 48-bit MAC address and judge a frame's addresses.
 *
 * Pure C: no Wireshark types.  Every function is a pure function of its
 * arguments; the name tables are static.
 */
#ifndef MACCHK_CLASS_H
#define MACCHK_CLASS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MACCHK_ADDR_LEN 6

/* I/G bit (0x01 of the first octet), or all ones / all zeros. */
typedef enum {
    MACCHK_CAST_UNICAST = 0,
    MACCHK_CAST_MULTICAST,
    MACCHK_CAST_BROADCAST,
    MACCHK_CAST_ZERO
} macchk_cast;

/* U/L bit (0x02 of the first octet). */
typedef enum {
    MACCHK_ADMIN_GLOBAL = 0, /* UAA */
    MACCHK_ADMIN_LOCAL       /* LAA */
} macchk_admin;

/* IEEE 802c SLAP quadrant of a locally administered address (bits Z=0x08, Y=0x04). */
typedef enum {
    MACCHK_SLAP_NONE = 0, /* globally administered */
    MACCHK_SLAP_AAI,      /* x2: administratively assigned */
    MACCHK_SLAP_ELI,      /* xA: extended local */
    MACCHK_SLAP_SAI,      /* xE: standard assigned */
    MACCHK_SLAP_RESERVED  /* x6 */
} macchk_slap;

/* Special ranges; range_detail in macchk_class carries the low octet,
 * VRID or group number where the range has one. */
typedef enum {
    MACCHK_RANGE_NONE = 0,
    MACCHK_RANGE_BROADCAST,        /* FF-FF-FF-FF-FF-FF */
    MACCHK_RANGE_IEEE_LINK_LOCAL,  /* 01-80-C2-00-00-00..0F: never forwarded by bridges */
    MACCHK_RANGE_IEEE_MRP,         /* 01-80-C2-00-00-20..2F: MRP/GARP applications */
    MACCHK_RANGE_IPV4_MCAST,       /* 01-00-5E-00-00-00..7F-FF-FF */
    MACCHK_RANGE_MPLS_MCAST,       /* 01-00-5E-80-00-00..8F-FF-FF */
    MACCHK_RANGE_DOC_MCAST,        /* 01-00-5E-90-10-00..FF (RFC 7042) */
    MACCHK_RANGE_IPV6_MCAST,       /* 33-33-xx-xx-xx-xx */
    MACCHK_RANGE_IANA_RESERVED,    /* 00-00-5E-00-00-xx */
    MACCHK_RANGE_VRRP_V4,          /* 00-00-5E-00-01-VRID */
    MACCHK_RANGE_VRRP_V6,          /* 00-00-5E-00-02-VRID */
    MACCHK_RANGE_DOC_UNICAST,      /* 00-00-5E-00-53-xx (RFC 7042/9542) */
    MACCHK_RANGE_HSRP_V1,          /* 00-00-0C-07-AC-group */
    MACCHK_RANGE_HSRP_V2,          /* 00-00-0C-9F-F0-00..FF-FF, 12-bit group */
    MACCHK_RANGE_CF,               /* CF-xx-xx (RFC 2153): never a station */
    MACCHK_RANGE_HSRP_V6,          /* 00-05-73-A0-00-00..0F-FF: HSRP for IPv6, 12-bit group */
    MACCHK_RANGE_COUNT
} macchk_range;

/* Virtual NIC vendor prefixes. */
typedef enum {
    MACCHK_VNIC_NONE = 0,
    MACCHK_VNIC_QEMU,          /* 52:54:00 */
    MACCHK_VNIC_QEMU_DEFAULT,  /* 52:54:00:12:34:5x: QEMU's per-process default */
    MACCHK_VNIC_QEMU_SLIRP,    /* 52:55:xx: QEMU user-mode networking's virtual hosts */
    MACCHK_VNIC_XEN,           /* 00:16:3E */
    MACCHK_VNIC_VIRTUALBOX,    /* 08:00:27 (guests), 0A:00:27 (host-only adapter) */
    MACCHK_VNIC_VMWARE,        /* 00:50:56, 00:0C:29, 00:05:69, 00:1C:14 */
    MACCHK_VNIC_HYPERV,        /* 00:15:5D */
    MACCHK_VNIC_PARALLELS,     /* 00:1C:42 */
    MACCHK_VNIC_DOCKER,        /* 02:42 */
    MACCHK_VNIC_LIBVIRT_TAP,   /* FE:54:00: host side of a libvirt guest's tap */
    MACCHK_VNIC_COUNT
} macchk_vnic;

typedef struct {
    macchk_cast cast;
    macchk_admin admin;
    macchk_slap slap;
    macchk_range range;
    uint16_t range_detail;
    macchk_vnic vnic;
} macchk_class;

/* Classify mac (6 octets). */
void macchk_classify(const uint8_t mac[MACCHK_ADDR_LEN], macchk_class *out);

/* True when mac is 00:00:00:00:00:00. */
bool macchk_is_zero(const uint8_t mac[MACCHK_ADDR_LEN]);

/* True for VRRP and HSRP virtual router MACs, which may legitimately differ
 * from the link-layer source and serve several IPv4 addresses. */
bool macchk_is_virtual_router(const macchk_class *c);

/* Display names; never NULL. */
const char *macchk_cast_name(macchk_cast cast);
const char *macchk_admin_name(macchk_admin admin);
const char *macchk_slap_name(macchk_slap slap);
const char *macchk_range_name(macchk_range range);
const char *macchk_vnic_name(macchk_vnic vnic);

/* Short filter keywords (the string value of the macchk.*.admin/slap/range/vnic
 * fields, e.g. macchk.src.vnic == "qemu"); never NULL. */
const char *macchk_admin_key(macchk_admin admin);
const char *macchk_slap_key(macchk_slap slap);
const char *macchk_range_key(macchk_range range);
const char *macchk_vnic_key(macchk_vnic vnic);

/* Name of the IEEE 802.1 link-local address 01-80-C2-00-00-<low>, NULL when
 * the standard gives that one no single well-known use. */
const char *macchk_link_local_name(uint8_t low);

/* Findings about a frame's link-layer addresses.  Warnings feed macchk.invalid. */
enum {
    MACCHK_F_SRC_GROUP = 1u << 0,        /* Warning: source has the group bit */
    MACCHK_F_SRC_ZERO = 1u << 1,         /* Warning: source all zeros */
    MACCHK_F_DST_ZERO = 1u << 2,         /* Warning: destination all zeros */
    MACCHK_F_SRC_RESERVED = 1u << 3,     /* Warning: source in IANA reserved/documentation range */
    MACCHK_F_SRC_CF = 1u << 4,           /* Warning: source in the CF-xx-xx block */
    MACCHK_F_QEMU_DEFAULT = 1u << 5,     /* Note: QEMU's default MAC as source */
    MACCHK_F_SRC_SLAP_RESERVED = 1u << 6 /* Note: source in the SLAP reserved quadrant */
};
#define MACCHK_F_WARNINGS \
    (MACCHK_F_SRC_GROUP | MACCHK_F_SRC_ZERO | MACCHK_F_DST_ZERO | MACCHK_F_SRC_RESERVED | MACCHK_F_SRC_CF)

/* Judge a source address (src may be NULL when the link layer carries none). */
unsigned macchk_judge_source(const macchk_class *src);

/* Judge a destination address (dst may be NULL). */
unsigned macchk_judge_destination(const macchk_class *dst);

/* The address with the group bit cleared: what a group-bit source most
 * likely meant (e.g. 53:54:00:... typed for 52:54:00:...). */
void macchk_unicast_guess(const uint8_t mac[MACCHK_ADDR_LEN], uint8_t out[MACCHK_ADDR_LEN]);

/* "52:54:00:12:34:56" (lower case, NUL-terminated) without printf: asked for every address shown. */
#define MACCHK_MAC_HEX_LEN 18
void macchk_mac_hex(const uint8_t mac[MACCHK_ADDR_LEN], char out[MACCHK_MAC_HEX_LEN]);

#endif
