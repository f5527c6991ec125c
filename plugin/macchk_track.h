/* macchk_track.h - follow IPv4-over-Ethernet ARP across a capture.
 *
 * Pure C: no Wireshark types, so it can be unit-tested alone.  The
 * dissector feeds one observation per ARP frame, in frame order, on the
 * first pass only; it keeps the returned per-frame record and asks for a
 * verdict whenever it shows the frame.  The verdict is computed from the
 * tracker's state at that moment: during the first pass that is "what is
 * known so far", after it the whole capture.
 *
 * Memory comes from the caller's allocator (wmem file scope in the plugin,
 * malloc in the tests).  Every table (bindings, exchanges and their indexes)
 * holds at most config.table_cap entries.  Eviction rule: new keys are
 * dropped once full; existing entries keep updating.  The frame on which a
 * key was first dropped is told so (table_full_here).  What a dropped key
 * would have said is unknown, so it is never reported: a request whose
 * exchange was dropped is not "unanswered", a reply for a pair whose request
 * may have been dropped is not "unsolicited".
 */
#ifndef MACCHK_TRACK_H
#define MACCHK_TRACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "macchk_net.h"
#include "macchk_store.h"

#define MACCHK_MAX_OTHERS 4    /* other MACs/IPs named in one verdict */
#define MACCHK_MAX_ANSWERED 8  /* requests a reply's verdict names */
#define MACCHK_SCAN_LIMIT 256  /* other bindings of one IP/MAC, or requests of one
                                  exchange, a verdict or a reply looks at */

typedef struct {
    int64_t arp_timeout_ns;  /* most a reply may lag a request and still answer it */
    uint32_t table_cap;      /* max entries in each table (networks, bindings, exchanges) */
} macchk_track_config;

enum {
    MACCHK_ARP_REQUEST = 1,
    MACCHK_ARP_REPLY = 2
};

/* One ARP frame, as parsed.  IPv4 addresses in host byte order; times in
 * nanoseconds since the epoch (exact: no floating point). */
typedef struct {
    uint32_t frame;     /* frame number, strictly increasing */
    int64_t time_ns;
    macchk_net net;     /* the network the frame belongs to */
    uint16_t opcode;
    uint8_t sha[6];
    uint32_t spa;
    uint8_t tha[6];
    uint32_t tpa;
} macchk_arp_obs;

typedef struct macchk_tracker macchk_tracker;
typedef struct macchk_arp_frame macchk_arp_frame;

typedef enum {
    MACCHK_BINDING_OK = 0,
    MACCHK_BINDING_CONFLICT,  /* spans overlap: Warning */
    MACCHK_BINDING_CHANGED    /* first frame of a newer, non-overlapping binding: Note */
} macchk_binding_state;

typedef struct {
    uint8_t mac[6];
    uint32_t ip;
    uint32_t first_frame;  /* where the other binding was first seen */
} macchk_other;

typedef struct {
    /* what kind of ARP frame this is */
    bool is_request, is_reply;
    bool probe;          /* request, SPA 0.0.0.0 */
    bool announcement;   /* request, SPA == TPA */
    bool gratuitous;     /* reply, SPA == TPA */
    uint32_t net;        /* network id (macchk_track_network), 0 when not tracked */

    /* request side: 0 when not known.  Each request is judged on its own:
     * a reply R answers request Q when R.SPA = Q.TPA, R.TPA = Q.SPA, same
     * network and 0 <= R.time - Q.time <= timeout. */
    uint32_t response_in;     /* the first reply answering this request (or probe) */
    int64_t response_time_ns; /* from this request to that reply */
    uint32_t attempt;         /* 1-based: this request is attempt N of its exchange */
    uint32_t attempts;        /* attempts known for this exchange so far */
    uint32_t first_attempt;   /* frame of attempt 1 */
    uint32_t retry_frame;     /* the sender's next request for the same target, 0: none (yet) */
    bool unanswered;          /* only when final: no reply answered it, and the sender
                                 asked again or the capture went on for the timeout */
    bool capture_ended;       /* only when final: no reply, no retry, and the capture
                                 ended less than the timeout after it */
    int64_t capture_left_ns;  /* time from this request to the capture's end (so far) */
    bool target_seen;         /* the target IP has claimed a MAC in this network (so far) */
    bool probe_defended;      /* probe answered: the address is in use */

    /* reply side */
    uint32_t request_in;      /* earliest request this reply answers, 0 if none */
    int64_t request_time_ns;  /* from that request to this reply */
    uint32_t n_answered;      /* requests this reply answers */
    uint32_t answered[MACCHK_MAX_ANSWERED]; /* their frames, earliest first */
    bool unsolicited;         /* answers no request and is not gratuitous */
    uint32_t late_request;    /* unsolicited, but a request for the pair came
                                 earlier than the timeout allows: its frame */
    uint32_t asked_again;     /* answered a request, yet the requester asked again for
                                 the same target within the timeout after it: that
                                 request's frame (the reply was not accepted) */

    /* IP -> MAC bindings, within the network.  Others are named newest
     * binding first; the counts cover at most MACCHK_SCAN_LIMIT others. */
    macchk_binding_state ip_state;   /* this frame's SPA vs other MACs */
    uint32_t n_other_macs;           /* how many (may exceed MACCHK_MAX_OTHERS) */
    macchk_other other_macs[MACCHK_MAX_OTHERS];
    macchk_binding_state mac_state;  /* this frame's SHA vs other IPs */
    uint32_t n_other_ips;
    macchk_other other_ips[MACCHK_MAX_OTHERS];

    bool table_full_here;  /* a table hit its cap on this frame */
} macchk_arp_verdict;

/* Create an empty tracker; memory from *alloc, which must outlive it. */
macchk_tracker *macchk_track_new(const macchk_allocator *alloc, const macchk_track_config *config);

/* Release what macchk_track_new and the tracking allocated (when alloc can release). */
void macchk_track_free(macchk_tracker *t);

/* Record one ARP frame (first pass, in frame order).  Returns its per-frame
 * record, owned by the tracker and valid until macchk_track_free, or NULL
 * when the opcode is neither request nor reply.  Frames that carry nothing
 * tracked (no binding, no exchange, e.g. once tables are full) share one
 * record per kind of frame, so a flood of new keys costs no memory. */
macchk_arp_frame *macchk_track_arp(macchk_tracker *t, const macchk_arp_obs *obs);

/* Records of frames with nothing tracked are shared by all such frames:
 * a caller can keep one byte per frame instead of a pointer.  The index is
 * 1..MACCHK_SHARED_RECORDS for a shared record, 0 for a frame's own one. */
#define MACCHK_SHARED_RECORDS 64
uint8_t macchk_track_shared_index(const macchk_tracker *t, const macchk_arp_frame *f);
/* The shared record with that index, or NULL. */
const macchk_arp_frame *macchk_track_shared_record(const macchk_tracker *t, uint8_t index);

/* Verdict for a recorded frame.  final: the whole capture has been seen
 * (only then can a request be called unanswered). */
void macchk_track_verdict(const macchk_tracker *t, const macchk_arp_frame *f, bool final,
                          macchk_arp_verdict *out);

/* The capture reached time_ns: call for every frame on the first pass, so
 * that a request near the end is not called unanswered. */
void macchk_track_clock(macchk_tracker *t, int64_t time_ns);

/* Id (1-based) of a network frames have been recorded in, 0 if none has. */
uint32_t macchk_track_find_network(const macchk_tracker *t, const macchk_net *net);
/* The network with that id, or NULL. */
const macchk_net *macchk_track_network(const macchk_tracker *t, uint32_t id);
/* How many networks frames have been recorded in. */
uint32_t macchk_track_network_count(const macchk_tracker *t);

/* The "duplicate in the capture" class of a MAC in network net (an id): it
 * is bound to two or more IPv4 addresses (169.254/16 aside) whose spans
 * overlap, as known now.  Looks at MACCHK_SCAN_LIMIT pairs at most. */
bool macchk_track_mac_duplicate(const macchk_tracker *t, uint32_t net, const uint8_t mac[6]);

/* True once any table has hit its cap. */
bool macchk_track_full(const macchk_tracker *t);

/* --- Whole-capture views, for reports --------------------------------- */

typedef struct {
    uint32_t net;
    uint32_t ip;
    uint8_t mac[6];
    uint32_t first_frame, last_frame, frames;
} macchk_binding_info;

typedef struct {
    uint32_t net;
    uint32_t spa, tpa;        /* requester's address and the one it asked for */
    uint8_t sha[6];
    uint32_t first_frame, last_frame, attempts;
    uint32_t reply_frame;     /* first reply answering an attempt; 0: none */
    uint32_t answered;        /* attempts a reply answered */
    uint32_t unanswered;      /* attempts unanswered (as the final verdict says; not probes) */
    uint32_t capture_ended;   /* attempts whose fate the capture's end hides (not probes) */
    bool probe;
    bool target_seen;         /* the target IP claimed a MAC in this network */
} macchk_exchange_info;

typedef void (*macchk_binding_cb)(const macchk_binding_info *b, void *ctx);
typedef void (*macchk_exchange_cb)(const macchk_exchange_info *e, void *ctx);

/* Visit every binding, ordered by network, IP, then first frame. */
void macchk_track_each_binding(const macchk_tracker *t, macchk_binding_cb cb, void *ctx);
/* Visit every exchange in order of first frame. */
void macchk_track_each_exchange(const macchk_tracker *t, macchk_exchange_cb cb, void *ctx);

#endif
