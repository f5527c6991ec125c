/* macchk_pending.h - settle, once the whole capture is known, the findings
 * a frame could not know when it was dissected in one pass.
 *
 * Pure C: no Wireshark types.  A request dissected before the capture's end
 * carries no "unanswered", "no reply before the capture ended" or "probe
 * defended" yet; a reply that answered a request does not know yet that the
 * requester will ask again ("reply not accepted").  The same holds for
 * IPv6 Neighbor Solicitations (never answered, no NA before the end) and
 * DAD probes (defended).  Each such frame is kept (its tracker record,
 * addresses and whether it had a Warning or any finding before; 40 bytes)
 * and, at draw time, asked for its final verdict: the counts then equal
 * those of a two-pass read.
 *
 * At most cap frames are kept.  When full, the frames a whole timeout (ARP
 * or ND, by the frame's kind) of capture has passed since are settled at
 * once (no reply or retry can change them any more) and let go, so only the
 * frames of the last timeout need room; past that, frames are dropped and
 * counted.
 */
#ifndef MACCHK_PENDING_H
#define MACCHK_PENDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "macchk_result.h"
#include "macchk_track.h"

typedef struct macchk_pending macchk_pending;

/* What settling adds to the per-frame counts. */
typedef struct {
    uint64_t unanswered;     /* frames that gain MACCHK_T_UNANSWERED */
    uint64_t capture_ended;  /* ... MACCHK_T_CAPTURE_ENDED */
    uint64_t probe_defended; /* ... MACCHK_T_PROBE_DEFENDED */
    uint64_t not_accepted;   /* ... MACCHK_T_NOT_ACCEPTED */
    uint64_t nd_unanswered;    /* ... MACCHK_N_UNANSWERED */
    uint64_t nd_capture_ended; /* ... MACCHK_N_CAPTURE_ENDED */
    uint64_t nd_dad_defended;  /* ... MACCHK_N_DAD_DEFENDED */
    uint64_t newly_invalid;  /* of those, frames that had no Warning before and gain one */
    uint64_t newly_flagged;  /* of those, frames that had no finding at all before */
} macchk_pending_fix;

/* What settling adds to the count of one finding (macchk_findings.h): 0
 * for the findings a frame knows when it is dissected. */
uint64_t macchk_pending_fix_count(const macchk_pending_fix *fix, macchk_finding_set set, unsigned bit);

/* A kept ARP frame, as the settle callback sees it. */
typedef struct {
    union {
        const macchk_arp_frame *record;
        const macchk_nd_frame *nd_record; /* private: ND frames never reach the callback */
    };
    int64_t time_ns;
    uint32_t frame, net; /* net: the caller's network id (macchk_pending_add) */
    uint32_t spa, tpa;
    uint8_t sha[6];
    uint8_t flags; /* private */
} macchk_pending_item;

/* Called for each kept ARP frame that gains a finding; v is its final
 * verdict, gained the MACCHK_T_* bits it gains.  (ND frames only count.) */
typedef void (*macchk_settled_cb)(const macchk_pending_item *item, const macchk_arp_verdict *v, unsigned gained,
                                  void *ctx);

macchk_pending *macchk_pending_new(size_t cap, int64_t arp_timeout_ns, int64_t nd_timeout_ns);
void macchk_pending_free(macchk_pending *p);
void macchk_pending_clear(macchk_pending *p);
/* Every annotated frame, in order.  Which to keep is read from the verdict
 * (tap listeners cannot tell a first-pass frame from a later one): a request
 * (ARP or NS) with no reply that is neither unanswered nor cut short by the
 * capture's end is not final yet (or an unanswered probe, which settles to
 * nothing; an undefended DAD probe alike); a reply that answered a request
 * and was not asked again may still be.  net: an id the callback gets back;
 * time_ns: the frame's time.  When full, frames settled early go to cb (may
 * be NULL) and count in every later macchk_pending_settle; s: the session
 * whose trackers judged r (NULL, or a tracker NULL: those frames are not
 * settled early).  True when r was kept. */
bool macchk_pending_add(macchk_pending *p, const macchk_result *r, uint32_t net, int64_t time_ns,
                        const macchk_session *s, macchk_settled_cb cb, void *ctx);
/* Ask the trackers of s (holding the whole capture) for each kept frame's
 * final verdict; set *fix to what changes (frames settled early included)
 * and tell cb (may be NULL) about the ARP frames kept.  A frame whose
 * tracker is NULL is not settled. */
void macchk_pending_settle(const macchk_pending *p, const macchk_session *s, macchk_pending_fix *fix,
                           macchk_settled_cb cb, void *ctx);
/* Frames that could not be kept because cap frames of the last timeout were. */
uint64_t macchk_pending_dropped(const macchk_pending *p);

#endif
