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

#define MACCHK_MAX_OTHERS 4   /* other MACs/IPs named in one verdict */
#define MACCHK_SCAN_LIMIT 256  /* other bindings of one IP/MAC a verdict looks at */

typedef struct {
    void *(*alloc)(void *ctx, size_t size);  /* returns zeroed memory or aborts */
    void (*release)(void *ctx, void *ptr);   /* may be a no-op */
    void *ctx;
} macchk_allocator;

typedef struct {
    double arp_timeout;   /* seconds a reply may lag its request */
    uint32_t table_cap;   /* max entries in each table */
} macchk_track_config;

enum {
    MACCHK_ARP_REQUEST = 1,
    MACCHK_ARP_REPLY = 2
};

/* One ARP frame, as parsed.  IPv4 addresses in host byte order. */
typedef struct {
    uint32_t frame;     /* frame number, strictly increasing */
    double time;        /* absolute seconds */
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

    /* request side: 0 when not known */
    uint32_t response_in;     /* the reply answering this request (or probe) */
    double response_time;     /* seconds from this request to that reply */
    uint32_t attempt;         /* 1-based: this request is attempt N for SPA->TPA */
    uint32_t attempts;        /* attempts known for this exchange so far */
    uint32_t first_attempt;   /* frame of attempt 1 */
    bool unanswered;          /* only when final: no reply answered it, though the
                                 capture went on for the timeout after its first attempt */
    bool capture_ended;       /* only when final: no reply, but the capture ended
                                 within the timeout of its first attempt */
    bool probe_defended;      /* probe answered: the address is in use */

    /* reply side */
    uint32_t request_in;      /* first request this reply answers, 0 if none */
    double request_time;      /* seconds from that request to this reply */
    bool unsolicited;         /* answers no request and is not gratuitous */
    uint32_t late_request;    /* unsolicited, but a request for the pair came
                                 earlier than the timeout allows: its frame */

    /* IP -> MAC bindings.  Others are named newest binding first; the
     * counts cover at most MACCHK_SCAN_LIMIT other bindings. */
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

/* Verdict for a recorded frame.  final: the whole capture has been seen
 * (only then can a request be called unanswered). */
void macchk_track_verdict(const macchk_tracker *t, const macchk_arp_frame *f, bool final,
                          macchk_arp_verdict *out);

/* The capture reached time (absolute seconds): call for every frame on the
 * first pass, so that a request near the end is not called unanswered. */
void macchk_track_clock(macchk_tracker *t, double time);

/* The "duplicate in the capture" class of a MAC: it is bound to two or more
 * IPv4 addresses (169.254/16 aside) whose spans overlap, as known now.
 * Looks at MACCHK_SCAN_LIMIT pairs of its bindings at most. */
bool macchk_track_mac_duplicate(const macchk_tracker *t, const uint8_t mac[6]);

/* True once any table has hit its cap. */
bool macchk_track_full(const macchk_tracker *t);

/* --- Whole-capture views, for reports --------------------------------- */

typedef struct {
    uint32_t ip;
    uint8_t mac[6];
    uint32_t first_frame, last_frame, frames;
} macchk_binding_info;

typedef struct {
    uint32_t spa, tpa;        /* requester's address and the one it asked for */
    uint8_t sha[6];
    uint32_t first_frame, last_frame, attempts;
    uint32_t reply_frame;     /* 0: never answered */
    bool probe;
    bool capture_ended;       /* no reply, but the capture ended within the ARP
                                 timeout of the first attempt (not a probe) */
} macchk_exchange_info;

typedef void (*macchk_binding_cb)(const macchk_binding_info *b, void *ctx);
typedef void (*macchk_exchange_cb)(const macchk_exchange_info *e, void *ctx);

/* Visit every binding, ordered by IP then first frame. */
void macchk_track_each_binding(const macchk_tracker *t, macchk_binding_cb cb, void *ctx);
/* Visit every exchange in order of first frame. */
void macchk_track_each_exchange(const macchk_tracker *t, macchk_exchange_cb cb, void *ctx);

#endif
