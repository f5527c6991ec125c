/* macchk_glue.h - what the Wireshark glue's files share (packet-macchk.c,
 * macchk_nd_glue.c): the protocol, its per-frame data keys, expert infos
 * from the findings table, per-file memory and small display helpers.
 * Internal to the plugin; the pure modules never include it. */
#ifndef MACCHK_GLUE_H
#define MACCHK_GLUE_H

#include <epan/expert.h>
#include <epan/packet.h>

#include "macchk_findings.h"
#include "macchk_result.h"
#include "macchk_store.h"

enum { KEY_SEEN = 0, KEY_TRACK = 1, KEY_ND_TRACK = 2 }; /* p_add_proto_data keys */

/* What the front-ends met in a frame (pinfo->pool, key KEY_SEEN): one
 * entry, so that the postdissector looks once per frame.  NULL until met. */
struct macchk_ipv6_header;
typedef struct {
    macchk_net *tags;                /* VLAN IDs and VNIs, outer to inner */
    macchk_arp_packet *arp;          /* the first ARP packet */
    struct macchk_ipv6_header *ipv6; /* the latest IPv6 header (macchk_nd_glue.c) */
    macchk_nd_input *nd;             /* the first ND message */
} macchk_frame_seen;

/* The frame's entry; made when create is TRUE, else NULL if none. */
macchk_frame_seen *macchk_seen(packet_info *pinfo, gboolean create);

extern int proto_macchk;

/* macchk is enabled (the fronts do nothing while it is not). */
gboolean macchk_enabled(void);

/* The expert info showing a finding, under the policy in force. */
expert_field *macchk_finding_ei(macchk_finding_set set, unsigned bit);

/* Memory of the open file (wmem file scope) for the trackers. */
extern const macchk_allocator macchk_file_allocator;

/* One byte per frame number, for frames whose tracker record is a shared
 * one (floods past the table cap); grown on demand in file scope. */
typedef struct {
    guint8 *bytes;
    guint32 size;
} macchk_frame_bytes;
void macchk_frame_bytes_set(macchk_frame_bytes *map, guint32 frame, guint8 value);
guint8 macchk_frame_bytes_get(const macchk_frame_bytes *map, guint32 frame);

/* Nanoseconds since the epoch and back: exact, no floating point. */
int64_t macchk_time_ns(const nstime_t *t);
nstime_t macchk_ns_to_nstime(int64_t ns);

/* Display strings in pinfo->pool. */
const char *macchk_mac_str(packet_info *pinfo, const uint8_t *mac);
const char *macchk_seconds_str(packet_info *pinfo, int64_t ns);

/* Generated tree items. */
void macchk_add_generated_uint(proto_tree *tree, int hf, guint32 value);
void macchk_add_time(proto_tree *tree, int hf, int64_t ns);

/* macchk_nd_glue.c: IPv6 Neighbor Discovery. */
void macchk_nd_register(int parent_proto);            /* fields, subtree, preference */
void macchk_nd_register_prefs(module_t *module);
void macchk_nd_handoff(void);                         /* the IPv6 and ICMPv6 fronts */
void macchk_nd_init(macchk_session *session);         /* a new file: its ND tracker and timeout */
void macchk_nd_cleanup(macchk_session *session);
void macchk_nd_clock(packet_info *pinfo);             /* every frame, first pass */
void macchk_nd_analyse(packet_info *pinfo, macchk_nd_input *in, const macchk_link_addrs *link, macchk_result *r);
void macchk_nd_show(proto_tree *tree, packet_info *pinfo, const macchk_result *r);

#endif
