/* macchk_result.h - everything macchk concluded about one frame.
 *
 * Pure C: no Wireshark types.  The dissector fills one per annotated frame,
 * shows it, and hands it to the "macchk" tap (stats tree, triage report).
 */
#ifndef MACCHK_RESULT_H
#define MACCHK_RESULT_H

#include <stdbool.h>
#include <stdint.h>

#include "macchk_arp.h"
#include "macchk_class.h"
#include "macchk_findings.h"
#include "macchk_nd.h"
#include "macchk_ndtrack.h"
#include "macchk_track.h"

/* Cross-frame findings, derived from a macchk_arp_verdict. */
enum {
    MACCHK_T_UNANSWERED = 1u << 0,      /* Warning */
    MACCHK_T_UNSOLICITED = 1u << 1,     /* Note */
    MACCHK_T_IP_CONFLICT = 1u << 2,     /* Warning */
    MACCHK_T_IP_MOVED = 1u << 3,        /* Note */
    MACCHK_T_PROBE_DEFENDED = 1u << 4,  /* Warning: the probed address is in use */
    MACCHK_T_DUP_MAC = 1u << 5,         /* Warning (or Note, by preference) */
    MACCHK_T_RENUMBERED = 1u << 6,      /* Note */
    MACCHK_T_TABLE_FULL = 1u << 7,      /* Note */
    MACCHK_T_VIRTUAL_MULTI_IP = 1u << 8, /* Note: a VRRP/HSRP MAC serving several IPs */
    MACCHK_T_CAPTURE_ENDED = 1u << 9,    /* Note: no reply, but the capture ended too soon to tell */
    MACCHK_T_NOT_ACCEPTED = 1u << 10     /* Note: a reply answered, yet the requester asked again */
};

/* Neighbor Discovery findings across the capture, from a macchk_nd_verdict. */
enum {
    MACCHK_N_UNANSWERED = 1u << 0,    /* Warning: NS no NA answered (retried, or a timeout of capture after it) */
    MACCHK_N_CAPTURE_ENDED = 1u << 1, /* Note: no NA, but the capture ended too soon to tell */
    MACCHK_N_DAD_DEFENDED = 1u << 2,  /* Warning: a DAD probe's address is in use */
    MACCHK_N_IP_CONFLICT = 1u << 3,   /* Warning: IPv6 address claimed by several MACs at once */
    MACCHK_N_IP_MOVED = 1u << 4,      /* Note: IPv6 address moved to a new MAC */
    MACCHK_N_TABLE_FULL = 1u << 5     /* Note: the ND tables reached their cap */
};

/* Which optional findings to report, and how severe a duplicate MAC is. */
typedef struct {
    bool dup_mac_is_warning;
    bool note_unicast_request;
    bool note_target_mismatch;
    bool note_unsolicited;
    bool note_changes;        /* moved / renumbered */
    bool note_qemu_default;
    bool note_slap_reserved;
} macchk_policy;

/* A listener that wants to hear when a file's analysis ends, while its
 * trackers are still there (a ring-buffer capture brings one listener
 * several files, each freed before the next one starts). */
typedef struct macchk_session_watch {
    void (*file_ends)(void *data);
    void *data;
    struct macchk_session_watch *next;
    bool listed;
} macchk_session_watch;

/* What one file's analysis holds, owned by the dissector and handed to the
 * "macchk" tap with every result, so that listeners need no globals. */
typedef struct {
    const macchk_tracker *tracker;      /* ARP; the whole capture once the first pass is done */
    const macchk_ndtracker *ndtracker;  /* IPv6 Neighbor Discovery, the same */
    macchk_policy policy;
    uint32_t table_cap;
    int64_t arp_timeout_ns, nd_timeout_ns;
    uint32_t file_id;                   /* new for each file: listeners start over */
    macchk_session_watch **watches;     /* the dissector's list of listeners told when the file ends */
} macchk_session;

/* Tell w (once) when s's file ends; forget w (it is being freed). */
void macchk_session_watch_add(const macchk_session *s, macchk_session_watch *w);
void macchk_session_watch_remove(const macchk_session *s, macchk_session_watch *w);
/* s's file ends: tell every listener, then forget them all. */
void macchk_session_end(const macchk_session *s);

typedef struct {
    /* Set for every frame (macchk_result_start zeroes these). */
    const macchk_session *session;
    uint32_t frame;
    bool has_src, has_dst;
    uint8_t src[MACCHK_ADDR_LEN], dst[MACCHK_ADDR_LEN];
    macchk_class src_class, dst_class;
    unsigned addr_findings;    /* MACCHK_F_* */
    macchk_net net;            /* the network the frame belongs to */

    bool has_arp;              /* an ARP packet was found in the frame */
    unsigned arp_findings;     /* MACCHK_A_* */
    bool tracked;              /* the tracker followed this frame */
    const macchk_arp_frame *record; /* its tracker record (for verdicts settled later) */
    unsigned track_findings;   /* MACCHK_T_* */

    bool has_nd;               /* an IPv6 Neighbor Discovery message was found */
    bool nd_tracked;
    const macchk_nd_frame *nd_record; /* its ND tracker record */
    unsigned nd_findings;      /* MACCHK_ND_* */
    unsigned ndtrack_findings; /* MACCHK_N_* */

    bool invalid;              /* at least one Warning */

    /* Valid only when has_arp (macchk_result_start_arp zeroes them). */
    macchk_arp_packet arp;
    macchk_class sha_class, tha_class;
    macchk_arp_verdict verdict; /* when tracked */

    /* Valid only when has_nd (macchk_result_start_nd zeroes them). */
    macchk_nd_msg nd;
    macchk_nd_verdict nd_verdict; /* when nd_tracked */
} macchk_result;

/* Most frames carry neither ARP nor ND: their parts of a result (most of
 * its 800 bytes) are zeroed only when there is one.  start: the whole
 * result is unset; start_arp / start_nd: before filling that part. */
void macchk_result_start(macchk_result *r);
void macchk_result_start_arp(macchk_result *r);
void macchk_result_start_nd(macchk_result *r);

/* Derive track_findings from verdict; sha_class tells virtual-router MACs
 * apart.  allowed: an address involved is on the allow-list, so conflicts
 * and duplicates are not reported. */
unsigned macchk_track_findings(const macchk_arp_verdict *v, const macchk_class *sha_class, bool allowed);

/* Derive ndtrack_findings from an ND verdict. */
unsigned macchk_nd_track_findings(const macchk_nd_verdict *v);

/* Drop the optional Notes the policy switches off. */
void macchk_apply_policy(macchk_result *r, const macchk_policy *policy);

/* True when the frame had link-layer MAC addresses or ARP to check. */
bool macchk_result_has_addresses(const macchk_result *r);

/* True when r holds any finding (Note or Warning). */
bool macchk_result_has_findings(const macchk_result *r);

/* True when r holds a Warning-or-worse finding. */
bool macchk_result_is_invalid(const macchk_result *r, const macchk_policy *policy);

/* The kind of r's ARP packet: "request", "probe", "gratuitous reply", ...,
 * "unknown" for an opcode without a name. */
const char *macchk_result_arp_kind(const macchk_result *r);

/* r's findings of one set (macchk_findings.h). */
unsigned macchk_result_findings(const macchk_result *r, macchk_finding_set set);

#endif
