/* macchk_pending.c - settle one-pass verdicts at draw time (see macchk_pending.h). */
#include "macchk_pending.h"

#include <stdlib.h>
#include <string.h>

#include "macchk_util.h"

enum { HAD_WARNING = 1, HAD_FINDING = 2 };

struct macchk_pending {
    macchk_pending_item *items;
    size_t n, alloc, cap;
    int64_t timeout;
    int64_t now;                /* the latest frame time seen */
    size_t offered_since_compact; /* compact again only after cap/2 more frames came (kept or not) */
    macchk_pending_fix early;   /* what the frames settled early gained */
    uint64_t dropped;
};

macchk_pending *macchk_pending_new(size_t cap, int64_t arp_timeout_ns)
{
    macchk_pending *p = macchk_xcalloc(1, sizeof *p);
    p->cap = cap;
    p->timeout = arp_timeout_ns;
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

/* What item gains under verdict v (final), added to *fix. */
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
    if ((gained & (MACCHK_T_UNANSWERED | MACCHK_T_PROBE_DEFENDED)) && !(it->flags & HAD_WARNING))
        fix->newly_invalid++;
    if (!(it->flags & HAD_FINDING))
        fix->newly_flagged++;
    if (cb)
        cb(it, v, gained, ctx);
}

/* Settle and let go the frames a whole timeout of capture has passed since:
 * a reply answers, and a request makes a reply not accepted, only within
 * the timeout. */
static void compact(macchk_pending *p, const macchk_tracker *t, macchk_settled_cb cb, void *ctx)
{
    size_t kept = 0;
    for (size_t i = 0; i < p->n; i++) {
        macchk_arp_verdict v;
        if (p->now - p->items[i].time_ns < p->timeout) {
            p->items[kept++] = p->items[i];
            continue;
        }
        macchk_track_verdict(t, p->items[i].record, true, &v);
        settle_one(&p->items[i], &v, &p->early, cb, ctx);
    }
    p->n = kept;
    p->offered_since_compact = 0;
}

bool macchk_pending_add(macchk_pending *p, const macchk_result *r, uint32_t net, int64_t time_ns,
                        const macchk_tracker *t, macchk_settled_cb cb, void *ctx)
{
    if (time_ns > p->now)
        p->now = time_ns;
    if (!may_change(r))
        return false;
    p->offered_since_compact++;
    if (p->n >= p->cap && t && p->offered_since_compact > p->cap / 2)
        compact(p, t, cb, ctx);
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
    it->record = r->record;
    it->time_ns = time_ns;
    it->frame = r->frame;
    it->net = net;
    it->spa = r->arp.spa;
    it->tpa = r->arp.tpa;
    memcpy(it->sha, r->arp.sha, 6);
    it->flags = (r->invalid ? HAD_WARNING : 0) |
                (r->addr_findings || r->arp_findings || r->track_findings ? HAD_FINDING : 0);
    return true;
}

void macchk_pending_settle(const macchk_pending *p, const macchk_tracker *t, macchk_pending_fix *fix,
                           macchk_settled_cb cb, void *ctx)
{
    *fix = p->early;
    for (size_t i = 0; i < p->n; i++) {
        macchk_arp_verdict v;
        macchk_track_verdict(t, p->items[i].record, true, &v);
        settle_one(&p->items[i], &v, fix, cb, ctx);
    }
}

uint64_t macchk_pending_dropped(const macchk_pending *p)
{
    return p->dropped;
}
