/* macchk_ndtrack.h - follow IPv6 Neighbor Discovery across a capture.
 *
 * Pure C: no Wireshark types.  The same design as macchk_track (ARP): the
 * dissector feeds one observation per trackable NS/NA (macchk_nd_trackable)
 * in frame order on the first pass, keeps the returned per-frame record and
 * asks for a verdict whenever it shows the frame; the verdict reflects what
 * the tracker knows at that moment (the whole capture after the first pass).
 * Call macchk_ndtrack_clock for every frame.
 *
 * Everything happens within one network (macchk_net): an NA answers an NS,
 * defends a DAD probe or conflicts with a binding only in its network.
 *
 * - An NA *answers* an NS (source S != ::, target T) when its target is T,
 *   its S flag is set, its IPv6 destination is S, same network, and
 *   0 <= NA.time - NS.time <= timeout.  NUD (unicast NS) alike.
 * - *Retries*: later NSs of the same network, source and target, each within
 *   the timeout of the previous one, are attempts 2, 3, ... of one exchange
 *   (DAD probes: also from the same link-layer source).
 * - *Unanswered* (final only): an NS no NA answers, when the same source
 *   asked again for the target later or the capture ran on for the timeout
 *   after it; otherwise *capture ended*.  DAD probes expect no answer.
 * - *DAD defended*: an NA for a DAD probe's target, in its network, within
 *   the timeout after it, whose MAC (TLLAO, else link-layer source) is not
 *   the probe's link-layer source: the address is in use (RFC 4862 5.4.4).
 *   The prober's own announcement (same MAC) is no defence.
 * - *Bindings* (address, MAC): from an NS with S != :: and an SLLAO
 *   (S, SLLAO), and from an NA with O set (T, TLLAO else link-layer source).
 *   NAs without O (anycast, proxies) bind nothing.  A binding spans its first
 *   to its last frame; bindings of one address with different MACs whose
 *   spans overlap conflict; a newer one after the older ended is a move.
 *
 * Memory comes from the caller's allocator.  Each table (networks,
 * addresses, bindings, exchanges) holds at most config.table_cap entries;
 * new keys are dropped once full (existing ones keep updating) and the
 * frame where that first happened is told so.  What a dropped key would
 * have said is never reported: an NS whose exchange was dropped is not
 * unanswered.
 */
#ifndef MACCHK_NDTRACK_H
#define MACCHK_NDTRACK_H

#include <stdbool.h>
#include <stdint.h>

#include "macchk_nd.h"
#include "macchk_net.h"
#include "macchk_store.h"

#define MACCHK_ND_TIMEOUT_NS_DEFAULT INT64_C(3000000000)  /* 3 s */
#define MACCHK_ND_MAX_OTHERS 4   /* other MACs named in one verdict */
#define MACCHK_ND_SCAN_LIMIT 256 /* other bindings of an address, attempts of an exchange
                                    or DAD exchanges of a target one step looks at */

typedef struct {
    int64_t nd_timeout_ns;  /* most an NA may lag an NS and still answer it or defend a probe */
    uint32_t table_cap;     /* max entries in each table */
} macchk_ndtrack_config;

/* One trackable NS or NA; time in nanoseconds (exact). */
typedef struct {
    uint32_t frame;          /* strictly increasing */
    int64_t time_ns;
    macchk_net net;
    const macchk_nd_msg *msg;
} macchk_nd_obs;

typedef struct macchk_ndtracker macchk_ndtracker;
typedef struct macchk_nd_frame macchk_nd_frame;

typedef enum {
    MACCHK_ND_BINDING_OK = 0,
    MACCHK_ND_BINDING_CONFLICT,  /* spans overlap: Warning */
    MACCHK_ND_BINDING_MOVED      /* first frame of a newer, non-overlapping binding: Note */
} macchk_nd_binding_state;

typedef struct {
    uint8_t mac[6];
    uint32_t first_frame;  /* where the other binding was first seen */
} macchk_nd_other;

typedef struct {
    macchk_nd_kind kind;  /* NS, NUD, DAD, solicited or unsolicited NA */
    uint32_t net;         /* network id, 0 when not tracked */

    /* NS side (0 when not known) */
    uint32_t response_in;      /* first NA answering it (DAD probe: defending it) */
    int64_t response_time_ns;  /* from this NS to that NA */
    uint32_t attempt;          /* 1-based attempt of its exchange */
    uint32_t attempts;         /* attempts known so far */
    uint32_t first_attempt;    /* frame of attempt 1 */
    uint32_t retry_frame;      /* the next NS of the same source for the same target */
    bool unanswered;           /* final only; never for a DAD probe */
    bool capture_ended;        /* final only: no answer, no retry, capture ended within the timeout */
    int64_t capture_left_ns;   /* from this NS to the capture's end (so far) */
    bool dad_defended;         /* DAD probe with a defending NA: the address is in use */
    bool has_defender_mac;     /* the defending NA bound the address to a MAC: */
    uint8_t defender_mac[6];   /* that MAC */

    /* NA side */
    uint32_t request_in;       /* earliest NS it answers, 0 if none */
    int64_t request_time_ns;   /* from that NS to this NA */
    uint32_t n_answered;       /* NSs it answers */
    uint32_t defends;          /* earliest DAD probe it defends, 0 if none */

    /* the binding the frame carries, against other MACs of the address
     * (newest first; counts cover at most MACCHK_ND_SCAN_LIMIT others) */
    macchk_nd_binding_state state;
    uint32_t n_other_macs;
    macchk_nd_other other_macs[MACCHK_ND_MAX_OTHERS];

    bool table_full_here;      /* a table hit its cap on this frame */
} macchk_nd_verdict;

/* Create an empty tracker; memory from *alloc, which must outlive it. */
macchk_ndtracker *macchk_ndtrack_new(const macchk_allocator *alloc, const macchk_ndtrack_config *config);
/* Release all it allocated (when alloc can release). */
void macchk_ndtrack_free(macchk_ndtracker *t);

/* Record one NS or NA (first pass, in frame order).  Returns its record,
 * owned by the tracker until macchk_ndtrack_free, or NULL when the message
 * is not trackable.  Frames that carry nothing tracked share one record per
 * kind. */
macchk_nd_frame *macchk_ndtrack_msg(macchk_ndtracker *t, const macchk_nd_obs *obs);

/* Shared records as an index a caller can keep in one byte:
 * 1..MACCHK_ND_SHARED_RECORDS for a shared record, 0 for a frame's own. */
#define MACCHK_ND_SHARED_RECORDS 8
uint8_t macchk_ndtrack_shared_index(const macchk_ndtracker *t, const macchk_nd_frame *f);
/* The shared record with that index, or NULL. */
const macchk_nd_frame *macchk_ndtrack_shared_record(const macchk_ndtracker *t, uint8_t index);

/* Verdict for a recorded frame (f may be NULL: all zero).  final: the whole
 * capture has been seen (only then can an NS be unanswered). */
void macchk_ndtrack_verdict(const macchk_ndtracker *t, const macchk_nd_frame *f, bool final,
                            macchk_nd_verdict *out);

/* The capture reached time_ns (call for every frame; time never runs back). */
void macchk_ndtrack_clock(macchk_ndtracker *t, int64_t time_ns);

/* Networks: the id (1-based) of one frames were recorded in, 0 if none;
 * the network with an id, or NULL; how many. */
uint32_t macchk_ndtrack_find_network(const macchk_ndtracker *t, const macchk_net *net);
const macchk_net *macchk_ndtrack_network(const macchk_ndtracker *t, uint32_t id);
uint32_t macchk_ndtrack_network_count(const macchk_ndtracker *t);

/* True once any table has hit its cap. */
bool macchk_ndtrack_full(const macchk_ndtracker *t);

/* --- Whole-capture views, for reports --------------------------------- */

typedef struct {
    uint32_t net;
    uint8_t addr[MACCHK_IPV6_LEN];
    uint8_t mac[6];
    uint32_t first_frame, last_frame, frames;
} macchk_nd_binding_info;

typedef struct {
    uint32_t net;
    uint8_t src[MACCHK_IPV6_LEN];     /* :: for DAD probes */
    uint8_t target[MACCHK_IPV6_LEN];
    uint8_t mac[6];                   /* link-layer source of the first attempt (zero: none) */
    uint32_t first_frame, last_frame, attempts;
    uint32_t reply_frame;             /* first NA answering (DAD: defending) an attempt; 0: none */
    uint32_t answered;                /* attempts an NA answered or defended */
    uint32_t unanswered, capture_ended; /* attempts so, as the final verdict says */
    bool dad;
    bool defended;                    /* DAD: some attempt was defended */
} macchk_nd_exchange_info;

typedef void (*macchk_nd_binding_cb)(const macchk_nd_binding_info *b, void *ctx);
typedef void (*macchk_nd_exchange_cb)(const macchk_nd_exchange_info *e, void *ctx);

/* Every binding, ordered by network, address, then first frame. */
void macchk_ndtrack_each_binding(const macchk_ndtracker *t, macchk_nd_binding_cb cb, void *ctx);
/* Every exchange, in order of first frame. */
void macchk_ndtrack_each_exchange(const macchk_ndtracker *t, macchk_nd_exchange_cb cb, void *ctx);

#endif
