/* macchk_net.h - the network a frame belongs to.
 *
 * Pure C: no Wireshark types.  Neighbour resolution only makes sense inside
 * one broadcast domain, so every exchange, binding and report entry belongs
 * to one network: the capture interface (pcapng interface id; 0 for classic
 * pcap) plus every VLAN ID (802.1Q/802.1ad, outer to inner) and VXLAN VNI
 * met on the way to the packet.  Frames of different networks never answer,
 * conflict with or duplicate each other.  A Linux SLL2 ifindex is not part
 * of it: a bridge and its ports are one network.
 */
#ifndef MACCHK_NET_H
#define MACCHK_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MACCHK_NET_MAX_TAGS 8  /* deeper nesting is kept as a count (see n_tags) */
#define MACCHK_NET_NAME_LEN 128 /* enough for "if 4294967295" and 8 tags */

typedef enum { MACCHK_TAG_VLAN = 1, MACCHK_TAG_VNI = 2 } macchk_tag_kind;

typedef struct {
    uint8_t kind;  /* macchk_tag_kind */
    uint32_t id;   /* VLAN ID (12 bits) or VNI (24 bits) */
} macchk_net_tag;

typedef struct {
    uint32_t iface;
    uint32_t n_tags;  /* tags met; only the first MACCHK_NET_MAX_TAGS are kept */
    macchk_net_tag tags[MACCHK_NET_MAX_TAGS];
} macchk_net;

/* Append a tag (outer to inner); past MACCHK_NET_MAX_TAGS only counted.
 * VLAN id 0 (a priority tag) names no VLAN and is not appended. */
void macchk_net_push(macchk_net *n, macchk_tag_kind kind, uint32_t id);

/* Two 64-bit digests of n (independent mixes): equal networks give equal
 * keys, different ones collide with odds of 2^-128. */
void macchk_net_key(const macchk_net *n, uint64_t *hi, uint64_t *lo);

/* "if 0", "if 1 / vlan 10 / vlan 20", "if 0 / vlan 3 / vni 5000"; the
 * result is always terminated and cut to size. */
void macchk_net_format(const macchk_net *n, char *buf, size_t size);

#endif
