/* macchk_pending.c - settle one-pass verdicts at draw time (see macchk_pending.h). */
#include "macchk_pending.h"

#include <stdlib.h>
#include <string.h>

#include "macchk_util.h"

enum { HAD_WARNING = 1, HAD_FINDING = 2, IS_ND = 4 };

struct macchk_pending {
    macchk_pending_item *items;
    size_t n, alloc, cap;
    int64_t timeout, nd_timeout;
    int64_t now;                /* the latest frame time seen */
    size_t offered_since_compact; /* compact again only after cap/2 more frames came (kept or not) */
    macchk_pending_fix early;   /* what the frames settled early gained */
    uint64_t dropped;
};

macchk_pending *macchk_pending_new(size_t cap, int64_t arp_timeout_ns, int64_t nd_timeout_ns)
{
    macchk_pending *p = macchk_xcalloc(1, sizeof *p);
    p->cap = cap;
    p->timeout = arp_timeout_ns;
    p->nd_timeout = nd_timeout_ns;
    return p;
}

void macchk_pending_free(macchk_pending *p)
{
    if (!p)
        return;
    free(p->items);
    free(p);
}

void macchk_pending_clear(macchk_pending *p)
{
    free(p->items);
    p->items = NULL;
    p->n = p->alloc = 0;
    p->offered_since_compact = 0;
    memset(&p->early, 0, sizeof p->early);
    p->dropped = 0;
}

static bool may_change(const macchk_result *r)
{
    const macchk_arp_verdict *v = &r->verdict;
    if (!r->tracked || !r->record)
        return false;
    if (v->is_request)
        return v->attempt && !v->response_in && !v->unanswered && !v->capture_ended;
    return v->is_reply && v->n_answered && !v->asked_again;
}

/* An NS not answered yet, of unknown fate so far, or a DAD probe not
 * defended yet (its defence may still come). */
static bool nd_may_change(const macchk_result *r)
{
    const macchk_nd_verdict *v = &r->nd_verdict;
    if (!r->nd_tracked || !r->nd_record || !v->attempt)
        return false;
    if (v->kind == MACCHK_ND_DAD)
        return !v->dad_defended;
    return (v->kind == MACCHK_ND_NS || v->kind == MACCHK_ND_NUD) && !v->response_in && !v->unanswered &&
           !v->capture_ended;
}

/* Add what a frame gained to *fix. */
static void count_gain(const macchk_pending_item *it, unsigned warning_gained, macchk_pending_fix *fix)
{
    if (warning_gained && !(it->flags & HAD_WARNING))
        fix->newly_invalid++;
    if (!(it->flags & HAD_FINDING))
        fix->newly_flagged++;
}

/* What ARP item gains under verdict v (final), added to *fix. */
static void settle_one(const macchk_pending_item *it, const macchk_arp_verdict *v, macchk_pending_fix *fix,
                       macchk_settled_cb cb, void *ctx)
{
    unsigned gained = 0;
    if (v->is_request)
        gained = (v->unanswered ? MACCHK_T_UNANSWERED : 0) | (v->capture_ended ? MACCHK_T_CAPTURE_ENDED : 0) |
                 (v->probe_defended ? MACCHK_T_PROBE_DEFENDED : 0);
    else if (v->asked_again)
        gained = MACCHK_T_NOT_ACCEPTED;
    if (!gained)
        return;
    fix->unanswered += (gained & MACCHK_T_UNANSWERED) != 0;
    fix->capture_ended += (gained & MACCHK_T_CAPTURE_ENDED) != 0;
    fix->probe_defended += (gained & MACCHK_T_PROBE_DEFENDED) != 0;
    fix->not_accepted += (gained & MACCHK_T_NOT_ACCEPTED) != 0;
    count_gain(it, gained & (MACCHK_T_UNANSWERED | MACCHK_T_PROBE_DEFENDED), fix);
    if (cb)
        cb(it, v, gained, ctx);
}

/* The same for an ND item. */
static void settle_nd(const macchk_pending_item *it, const macchk_nd_verdict *v, macchk_pending_fix *fix)
{
    unsigned gained = macchk_nd_track_findings(v) & (MACCHK_N_UNANSWERED | MACCHK_N_CAPTURE_ENDED |
                                                     MACCHK_N_DAD_DEFENDED);
    if (!gained)
        return;
    fix->nd_unanswered += (gained & MACCHK_N_UNANSWERED) != 0;
    fix->nd_capture_ended += (gained & MACCHK_N_CAPTURE_ENDED) != 0;
    fix->nd_dad_defended += (gained & MACCHK_N_DAD_DEFENDED) != 0;
    count_gain(it, gained & (MACCHK_N_UNANSWERED | MACCHK_N_DAD_DEFENDED), fix);
}

/* Settle item from its tracker in s; false when that tracker is gone. */
static bool settle_item(const macchk_pending_item *it, const macchk_session *s, macchk_pending_fix *fix,
                        macchk_settled_cb cb, void *ctx)
{
    if (it->flags & IS_ND) {
        macchk_nd_verdict v;
        if (!s->ndtracker)
            return false;
        macchk_ndtrack_verdict(s->ndtracker, it->nd_record, true, &v);
        settle_nd(it, &v, fix);
    } else {
        macchk_arp_verdict v;
        if (!s->tracker)
            return false;
        macchk_track_verdict(s->tracker, it->record, true, &v);
        settle_one(it, &v, fix, cb, ctx);
    }
    return true;
}

/* Settle and let go the frames a whole timeout of capture has passed since:
 * a reply answers (or an NA defends), and a request makes a reply not
 * accepted, only within the timeout. */
static void compact(macchk_pending *p, const macchk_session *s, macchk_settled_cb cb, void *ctx)
{
    size_t kept = 0;
    for (size_t i = 0; i < p->n; i++) {
        const macchk_pending_item *it = &p->items[i];
        int64_t timeout = it->flags & IS_ND ? p->nd_timeout : p->timeout;
        if (p->now - it->time_ns < timeout || !settle_item(it, s, &p->early, cb, ctx))
            p->items[kept++] = *it;
    }
    p->n = kept;
    p->offered_since_compact = 0;
}

bool macchk_pending_add(macchk_pending *p, const macchk_result *r, uint32_t net, int64_t time_ns,
                        const macchk_session *s, macchk_settled_cb cb, void *ctx)
{
    if (time_ns > p->now)
        p->now = time_ns;
    bool arp = may_change(r), nd = !arp && nd_may_change(r);
    if (!arp && !nd)
        return false;
    p->offered_since_compact++;
    if (p->n >= p->cap && s && p->offered_since_compact > p->cap / 2)
        compact(p, s, cb, ctx);
    if (p->n >= p->cap) {
        p->dropped++;
        return false;
    }
    if (p->n == p->alloc) {
        size_t n = p->alloc < 64 ? 64 : p->alloc + p->alloc / 2;
        p->alloc = n < p->cap ? n : p->cap;
        p->items = macchk_xrealloc(p->items, p->alloc, sizeof *p->items);
    }
    macchk_pending_item *it = &p->items[p->n++];
    memset(it, 0, sizeof *it);
    it->time_ns = time_ns;
    it->frame = r->frame;
    it->net = net;
    if (arp) {
        it->record = r->record;
        it->spa = r->arp.spa;
        it->tpa = r->arp.tpa;
        memcpy(it->sha, r->arp.sha, 6);
    } else {
        it->nd_record = r->nd_record;
    }
    it->flags = (nd ? IS_ND : 0) | (r->invalid ? HAD_WARNING : 0) |
                (r->addr_findings || r->arp_findings || r->track_findings || r->nd_findings || r->ndtrack_findings
                     ? HAD_FINDING
                     : 0);
    return true;
}

void macchk_pending_settle(const macchk_pending *p, const macchk_session *s, macchk_pending_fix *fix,
                           macchk_settled_cb cb, void *ctx)
{
    *fix = p->early;
    for (size_t i = 0; s && i < p->n; i++)
        settle_item(&p->items[i], s, fix, cb, ctx);
}

uint64_t macchk_pending_fix_count(const macchk_pending_fix *fix, macchk_finding_set set, unsigned bit)
{
    if (set == MACCHK_SET_TRACK)
        return bit == MACCHK_T_UNANSWERED       ? fix->unanswered
               : bit == MACCHK_T_CAPTURE_ENDED  ? fix->capture_ended
               : bit == MACCHK_T_PROBE_DEFENDED ? fix->probe_defended
               : bit == MACCHK_T_NOT_ACCEPTED   ? fix->not_accepted
                                                : 0;
    if (set == MACCHK_SET_NDTRACK)
        return bit == MACCHK_N_UNANSWERED      ? fix->nd_unanswered
               : bit == MACCHK_N_CAPTURE_ENDED ? fix->nd_capture_ended
               : bit == MACCHK_N_DAD_DEFENDED  ? fix->nd_dad_defended
                                               : 0;
    return 0;
}

uint64_t macchk_pending_dropped(const macchk_pending *p)
{
    return p->dropped;
}
