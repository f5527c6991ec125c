/* Unit tests of macchk_pending: request and reply frames settled from the
 * tracker's final verdicts, each rule just inside and outside its boundary;
 * the early settling that keeps it bounded; Neighbor Solicitations and DAD
 * probes settled from the ND tracker, with its own timeout. */
#include "fixture.h"
#include "macchk_pending.h"
#include "unit.h"

static const uint8_t A[6] = {0x00, 0x1b, 0x21, 0x03, 0x00, 0x0a};
static const uint8_t B[6] = {0x00, 0x1b, 0x21, 0x03, 0x00, 0x0b};
static const uint8_t OTHER[6] = {0x00, 0x1b, 0x21, 0x03, 0x00, 0x0f};

typedef struct {
    macchk_tracker *t;
    macchk_session s; /* holds t */
    macchk_pending *p;
    uint32_t frame;
    unsigned gained_union;
} run;

static void on_settled(const macchk_pending_item *it, const macchk_arp_verdict *v, unsigned gained, void *ctx)
{
    ((run *)ctx)->gained_union |= gained;
}

static macchk_result add(run *w, int64_t time_ns, uint16_t op, const uint8_t *src, uint32_t spa, const uint8_t *dst,
                         uint32_t tpa)
{
    macchk_result r = fx_arp(w->t, ++w->frame, time_ns, op, src, spa, dst, tpa, 0);
    macchk_pending_add(w->p, &r, 7, time_ns, &w->s, on_settled, w);
    return r;
}

/* An unrelated frame that moves the capture's clock on. */
static void tick(run *w, int64_t time_ns)
{
    add(w, time_ns, 1, OTHER, IP(10, 3, 9, 9), BCAST, IP(10, 3, 9, 9)); /* an announcement: not kept */
}

static run start(size_t cap)
{
    run w = {.t = fx_tracker(1024), .p = macchk_pending_new(cap, TIMEOUT, TIMEOUT)};
    w.s.tracker = w.t;
    return w;
}

static void finish(run *w)
{
    macchk_pending_free(w->p);
    macchk_track_free(w->t);
}

static macchk_pending_fix settle(run *w)
{
    macchk_pending_fix fix;
    memset(&fix, 0xff, sizeof fix); /* settle sets it */
    macchk_pending_settle(w->p, &w->s, &fix, on_settled, w);
    return fix;
}

static void test_requests(void)
{
    uint32_t a = IP(10, 3, 0, 1), b = IP(10, 3, 0, 2);
    run w = start(64);

    /* two attempts, no reply: both unanswered once the capture runs on */
    add(&w, 0, 1, A, a, BCAST, b);
    add(&w, 1 * SEC, 1, A, a, BCAST, b);
    tick(&w, 10 * SEC);
    macchk_pending_fix fix = settle(&w);
    CHECK_EQ_INT(fix.unanswered, 2);
    CHECK_EQ_INT(fix.capture_ended, 0);
    CHECK_EQ_INT(fix.newly_invalid, 2);
    CHECK_EQ_INT(fix.newly_flagged, 2);
    CHECK(w.gained_union == MACCHK_T_UNANSWERED);
    /* settling again gives the same (a redraw) */
    fix = settle(&w);
    CHECK_EQ_INT(fix.unanswered, 2);
    finish(&w);

    /* the capture ends just under a timeout after the request: unknown; at the timeout: unanswered */
    for (int64_t left = TIMEOUT - 1; left <= TIMEOUT; left++) {
        w = start(64);
        add(&w, 5 * SEC, 1, A, a, BCAST, b);
        tick(&w, 5 * SEC + left);
        fix = settle(&w);
        CHECK_EQ_INT(fix.unanswered, left == TIMEOUT);
        CHECK_EQ_INT(fix.capture_ended, left < TIMEOUT);
        CHECK_EQ_INT(fix.newly_invalid, left == TIMEOUT); /* capture ended is a Note */
        finish(&w);
    }

    /* answered later: nothing gained; a reply just past the timeout answers nothing */
    for (int64_t lag = TIMEOUT; lag <= TIMEOUT + 1; lag++) {
        w = start(64);
        add(&w, 0, 1, A, a, BCAST, b);
        add(&w, lag, 2, B, b, A, a);
        tick(&w, 20 * SEC);
        fix = settle(&w);
        CHECK_EQ_INT(fix.unanswered, lag > TIMEOUT);
        finish(&w);
    }

    /* a probe answered: the address is in use (Warning); unanswered: free */
    for (int answered = 0; answered <= 1; answered++) {
        w = start(64);
        add(&w, 0, 1, A, 0, BCAST, b);
        if (answered)
            add(&w, 100 * MS, 2, B, b, A, 0);
        tick(&w, 20 * SEC);
        fix = settle(&w);
        CHECK_EQ_INT(fix.probe_defended, answered);
        CHECK_EQ_INT(fix.unanswered, 0);
        CHECK_EQ_INT(fix.newly_invalid, answered);
        finish(&w);
    }
}

static void test_not_accepted(void)
{
    uint32_t a = IP(10, 3, 1, 1), b = IP(10, 3, 1, 2);
    /* asked again exactly a timeout after the reply: not accepted; a nanosecond later: a new question */
    for (int64_t gap = TIMEOUT; gap <= TIMEOUT + 1; gap++) {
        run w = start(64);
        add(&w, 0, 1, A, a, BCAST, b);
        macchk_result reply = add(&w, 100 * MS, 2, B, b, A, a);
        CHECK(!(reply.track_findings & MACCHK_T_NOT_ACCEPTED)); /* one pass cannot know yet */
        add(&w, 100 * MS + gap, 1, A, a, BCAST, b);
        add(&w, 100 * MS + gap + 10 * MS, 2, B, b, A, a);
        tick(&w, 30 * SEC);
        macchk_pending_fix fix = settle(&w);
        CHECK_EQ_INT(fix.not_accepted, gap == TIMEOUT);
        CHECK_EQ_INT(fix.newly_invalid, 0); /* a Note */
        CHECK_EQ_INT(fix.newly_flagged, gap == TIMEOUT);
        finish(&w);
    }
}

static void test_bounded(void)
{
    /* cap 2, requests a timeout or more apart: the old ones settle early, none is lost */
    run w = start(2);
    for (uint32_t i = 0; i < 6; i++)
        add(&w, (int64_t)i * 4 * SEC, 1, A, IP(10, 3, 2, 1), BCAST, IP(10, 3, 2, 10 + i));
    tick(&w, 60 * SEC);
    macchk_pending_fix fix = settle(&w);
    CHECK_EQ_INT(fix.unanswered, 6);
    CHECK_EQ_INT(macchk_pending_dropped(w.p), 0);
    finish(&w);

    /* three requests within one timeout do not fit in 2: one is dropped, and said */
    w = start(2);
    for (uint32_t i = 0; i < 3; i++)
        add(&w, (int64_t)i * 100 * MS, 1, A, IP(10, 3, 2, 1), BCAST, IP(10, 3, 2, 10 + i));
    tick(&w, 60 * SEC);
    fix = settle(&w);
    CHECK_EQ_INT(fix.unanswered, 2);
    CHECK_EQ_INT(macchk_pending_dropped(w.p), 1);
    macchk_pending_clear(w.p);
    CHECK_EQ_INT(macchk_pending_dropped(w.p), 0);
    fix = settle(&w);
    CHECK_EQ_INT(fix.unanswered, 0);
    finish(&w);

    /* cap 0 keeps nothing, without crashing */
    w = start(0);
    add(&w, 0, 1, A, IP(10, 3, 2, 1), BCAST, IP(10, 3, 2, 9));
    CHECK_EQ_INT(macchk_pending_dropped(w.p), 1);
    finish(&w);
}

/* ND frames into p (net 7), judged by nt and settled from s. */
static macchk_result add_nd(macchk_pending *p, macchk_ndtracker *nt, const macchk_session *s, uint32_t frame,
                            int64_t time_ns, uint8_t type, const uint8_t *mac, uint16_t src, uint16_t target,
                            uint8_t flags)
{
    macchk_result r = fx_nd(nt, frame, time_ns, type, mac, fx_addr6(src), fx_addr6(99), fx_addr6(target), flags);
    macchk_pending_add(p, &r, 7, time_ns, s, NULL, NULL);
    return r;
}

static void test_nd(void)
{
    macchk_ndtracker *nt = fx_ndtracker(1024);
    macchk_session s = {.ndtracker = nt};
    macchk_pending *p = macchk_pending_new(64, 1000 * SEC, TIMEOUT); /* an ARP timeout that never passes */

    /* an NS, unanswered once the capture runs on; a DAD probe defended by another MAC after it was dissected */
    macchk_result ns = add_nd(p, nt, &s, 1, 0, 135, A, 1, 2, 0);
    macchk_result probe = add_nd(p, nt, &s, 2, 1 * SEC, 135, B, 0, 5, 0);
    add_nd(p, nt, &s, 3, 2 * SEC, 136, OTHER, 5, 5, FX_NA_O);
    add_nd(p, nt, &s, 4, 10 * SEC, 136, OTHER, 9, 9, FX_NA_O); /* the clock moves on */
    CHECK(!ns.ndtrack_findings && !probe.ndtrack_findings && !ns.invalid && !probe.invalid);
    macchk_pending_fix fix;
    macchk_pending_settle(p, &s, &fix, NULL, NULL);
    CHECK_EQ_INT(fix.nd_unanswered, 1);
    CHECK_EQ_INT(fix.nd_dad_defended, 1);
    CHECK_EQ_INT(fix.nd_capture_ended, 0);
    CHECK_EQ_INT(fix.newly_invalid, 2);
    CHECK_EQ_INT(fix.unanswered, 0);
    CHECK_EQ_INT(macchk_pending_fix_count(&fix, MACCHK_SET_NDTRACK, MACCHK_N_UNANSWERED), 1);
    CHECK_EQ_INT(macchk_pending_fix_count(&fix, MACCHK_SET_NDTRACK, MACCHK_N_DAD_DEFENDED), 1);
    CHECK_EQ_INT(macchk_pending_fix_count(&fix, MACCHK_SET_TRACK, MACCHK_T_UNANSWERED), 0);
    /* without the ND tracker (gone at draw time) nothing is settled */
    macchk_session gone = {0};
    macchk_pending_settle(p, &gone, &fix, NULL, NULL);
    CHECK_EQ_INT(fix.nd_unanswered + fix.nd_dad_defended, 0);
    macchk_pending_free(p);
    macchk_ndtrack_free(nt);

    /* cap 1: the kept NS settles early once the ND timeout (not the ARP one) has passed since it */
    for (int64_t later = TIMEOUT - 1; later <= TIMEOUT; later++) {
        nt = fx_ndtracker(1024);
        s.ndtracker = nt;
        p = macchk_pending_new(1, 1000 * SEC, TIMEOUT);
        add_nd(p, nt, &s, 1, 0, 135, A, 1, 2, 0);
        add_nd(p, nt, &s, 2, later, 135, A, 1, 3, 0);
        CHECK_EQ_INT(macchk_pending_dropped(p), later < TIMEOUT ? 1 : 0);
        macchk_pending_free(p);
        macchk_ndtrack_free(nt);
    }
}

int main(void)
{
    test_requests();
    test_not_accepted();
    test_bounded();
    test_nd();
    return unit_report("test_pending");
}
