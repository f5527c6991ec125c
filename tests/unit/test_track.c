/* test_track.c - unit tests for macchk_track: every rule of the contract,
 * frame by frame, plus table caps, whole-capture views, a comparison with a
 * naive model on random traffic and a 200k-frame stress run. */
#include "macchk_track.h"
#include "unit.h"
#include "unit_store.h"

#include <stdint.h>
#include <stdlib.h>

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))
#define MAC(n) ((const uint8_t[6]){0x02, 0, 0, 0, (uint8_t)((n) >> 8), (uint8_t)(n)})
#define REQ MACCHK_ARP_REQUEST
#define REP MACCHK_ARP_REPLY
#define OK MACCHK_BINDING_OK
#define CONFLICT MACCHK_BINDING_CONFLICT
#define CHANGED MACCHK_BINDING_CHANGED

#define NS(seconds) ((int64_t)((seconds) * 1e9 + 0.5)) /* seconds >= 0 in these tests */
#define CHECK_NS(ns, seconds) CHECK_EQ_INT((ns), NS(seconds))

/* ---- fixture: one tracker, records kept by frame number ---------------- */

static macchk_tracker *tracker;
static macchk_arp_frame **rec;  /* rec[frame] */
static uint32_t max_frame;

static void begin(double timeout, uint32_t cap, uint32_t frames)
{
    macchk_track_config config = {NS(timeout), cap};
    tracker = macchk_track_new(&alloc, &config);
    rec = calloc(frames + 1, sizeof *rec);
    max_frame = frames;
}

/* Free the tracker and check that it gave back every byte. */
static void end(void)
{
    macchk_track_free(tracker);
    free(rec);
    CHECK_EQ_INT(mem.live, 0);
}

static macchk_arp_frame *arp(uint32_t frame, double time, uint16_t opcode, const uint8_t sha[6],
                             uint32_t spa, uint32_t tpa)
{
    macchk_arp_obs obs = {.frame = frame, .time_ns = NS(time), .opcode = opcode, .spa = spa, .tpa = tpa};
    memcpy(obs.sha, sha, 6);
    if (frame > max_frame)
        abort();
    return rec[frame] = macchk_track_arp(tracker, &obs);
}

static macchk_arp_verdict verdict(uint32_t frame, bool final)
{
    macchk_arp_verdict v;
    macchk_track_verdict(tracker, rec[frame], final, &v);
    return v;
}

static const uint32_t A = IP(10, 0, 0, 1), B = IP(10, 0, 0, 2), C = IP(10, 0, 0, 3),
                      D = IP(10, 0, 0, 4), X = IP(10, 0, 0, 9), Y = IP(10, 0, 0, 10);

/* ---- exchanges ------------------------------------------------------- */

static void test_simple_link(void)
{
    macchk_arp_verdict v;
    begin(3.0, 100, 10);
    arp(1, 1.0, REQ, MAC(1), A, B);
    v = verdict(1, false);  /* one pass: nothing known yet */
    CHECK(v.is_request && !v.is_reply && !v.probe && !v.announcement && !v.gratuitous);
    CHECK_EQ_INT(v.response_in, 0);
    CHECK(!v.unanswered);
    arp(2, 1.25, REP, MAC(2), B, A);
    arp(3, 2.0, REQ, MAC(2), B, A);  /* the other direction */
    arp(4, 2.5, REP, MAC(1), A, B);
    CHECK(arp(5, 3.0, 3, MAC(1), A, B) == NULL);  /* RARP request: not tracked */
    CHECK(arp(6, 3.0, 0, MAC(1), A, B) == NULL);

    for (int final = 0; final <= 1; final++) {
        v = verdict(1, final);
        CHECK_EQ_INT(v.attempt, 1);
        CHECK_EQ_INT(v.attempts, 1);
        CHECK_EQ_INT(v.first_attempt, 1);
        CHECK_EQ_INT(v.response_in, 2);
        CHECK_NS(v.response_time_ns, 0.25);
        CHECK(!v.unanswered && !v.probe_defended);
        CHECK_EQ_INT(v.request_in, 0);
        CHECK_EQ_INT(v.ip_state, OK);
        CHECK_EQ_INT(v.mac_state, OK);

        v = verdict(2, final);
        CHECK(v.is_reply && !v.is_request && !v.gratuitous);
        CHECK_EQ_INT(v.request_in, 1);
        CHECK_NS(v.request_time_ns, 0.25);
        CHECK(!v.unsolicited);
        CHECK_EQ_INT(v.late_request, 0);
        CHECK_EQ_INT(v.response_in, 0);
        CHECK_EQ_INT(v.attempt, 0);

        v = verdict(3, final);
        CHECK_EQ_INT(v.attempt, 1);
        CHECK_EQ_INT(v.first_attempt, 3);
        CHECK_EQ_INT(v.response_in, 4);
        CHECK_NS(v.response_time_ns, 0.5);

        v = verdict(4, final);
        CHECK_EQ_INT(v.request_in, 3);
        CHECK_NS(v.request_time_ns, 0.5);
        CHECK(!v.unsolicited);
    }
    end();
}

static void test_retries(void)
{
    macchk_arp_verdict v;
    begin(3.0, 100, 10);
    arp(1, 0.0, REQ, MAC(1), A, B);
    arp(2, 1.0, REQ, MAC(1), A, B);
    v = verdict(2, false);
    CHECK_EQ_INT(v.attempt, 2);
    CHECK_EQ_INT(v.attempts, 2);
    CHECK_EQ_INT(v.first_attempt, 1);
    CHECK_EQ_INT(v.response_in, 0);
    CHECK(!v.unanswered);
    CHECK_EQ_INT(verdict(1, false).retry_frame, 2);
    arp(3, 2.0, REQ, MAC(1), A, B);
    arp(4, 2.5, REP, MAC(2), B, A);

    /* the reply answers every attempt within the timeout before it */
    const double response_time[] = {0, 2.5, 1.5, 0.5};
    for (uint32_t f = 1; f <= 3; f++) {
        v = verdict(f, true);
        CHECK_EQ_INT(v.attempt, f);
        CHECK_EQ_INT(v.attempts, 3);
        CHECK_EQ_INT(v.first_attempt, 1);
        CHECK_EQ_INT(v.response_in, 4);
        CHECK_NS(v.response_time_ns, response_time[f]);
        CHECK(!v.unanswered && !v.capture_ended);
    }
    v = verdict(4, true);
    CHECK_EQ_INT(v.request_in, 1);  /* the earliest it answers */
    CHECK_NS(v.request_time_ns, 2.5);
    CHECK_EQ_INT(v.n_answered, 3);
    CHECK_EQ_INT(v.answered[0], 1);
    CHECK_EQ_INT(v.answered[1], 2);
    CHECK_EQ_INT(v.answered[2], 3);
    CHECK(!v.unsolicited && !v.asked_again);
    end();
}

/* Linux resolution cycles that each fail, then one that succeeds: the one
 * reply answers only the attempts within the timeout before it. */
static void test_failed_cycles(void)
{
    macchk_arp_verdict v;
    begin(3.0, 100, 20);
    uint32_t frame = 0;
    for (int cycle = 0; cycle < 4; cycle++)
        for (int i = 0; i < 3; i++)
            arp(++frame, cycle * 7.0 + i, REQ, MAC(1), A, B);  /* 5 s of silence between cycles */
    arp(13, 23.5, REP, MAC(2), B, A);                          /* after the last cycle */
    for (uint32_t f = 1; f <= 12; f++) {
        v = verdict(f, true);
        CHECK_EQ_INT(v.attempt, (f - 1) % 3 + 1);
        CHECK_EQ_INT(v.attempts, 3);
        CHECK_EQ_INT(v.first_attempt, (f - 1) / 3 * 3 + 1);
        CHECK_EQ_INT(v.response_in, f >= 10 ? 13 : 0);
        CHECK(v.unanswered == (f < 10));
        CHECK(!v.capture_ended);
    }
    v = verdict(13, true);
    CHECK_EQ_INT(v.request_in, 10);
    CHECK_NS(v.request_time_ns, 2.5);
    CHECK_EQ_INT(v.n_answered, 3);
    CHECK_EQ_INT(v.asked_again, 0);
    end();
}

/* Boundaries: a reply exactly the timeout after a request answers it, a
 * nanosecond later does not; a retry exactly the timeout after the last
 * attempt continues the exchange, a nanosecond later starts a new one. */
static void test_exchange_boundaries(void)
{
    macchk_arp_verdict v;
    begin(3.0, 100, 20);
    arp(1, 100.0, REQ, MAC(1), A, B);
    arp(2, 103.0, REP, MAC(2), B, A);
    CHECK_EQ_INT(verdict(1, true).response_in, 2);
    CHECK_NS(verdict(1, true).response_time_ns, 3.0);
    CHECK(!verdict(2, true).unsolicited);

    arp(3, 200.0, REQ, MAC(1), C, D);
    arp(4, 203.000000001, REP, MAC(3), D, C);
    CHECK_EQ_INT(verdict(3, true).response_in, 0);
    CHECK(verdict(3, true).unanswered);
    v = verdict(4, true);
    CHECK(v.unsolicited);
    CHECK_EQ_INT(v.late_request, 3);

    arp(5, 300.0, REQ, MAC(1), A, X);
    arp(6, 303.0, REQ, MAC(1), A, X);          /* exactly the timeout: a retry */
    arp(7, 306.000000001, REQ, MAC(1), A, X);  /* past it: a new exchange */
    CHECK_EQ_INT(verdict(6, true).attempt, 2);
    CHECK_EQ_INT(verdict(6, true).first_attempt, 5);
    v = verdict(7, true);
    CHECK_EQ_INT(v.attempt, 1);
    CHECK_EQ_INT(v.attempts, 1);
    CHECK_EQ_INT(v.first_attempt, 7);
    CHECK_EQ_INT(verdict(5, true).attempts, 2);
    CHECK(verdict(6, true).unanswered);  /* retried, even across exchanges */
    CHECK_EQ_INT(verdict(6, true).retry_frame, 7);
    end();
}

static void test_late_reply(void)
{
    macchk_arp_verdict v;
    begin(3.0, 100, 10);
    arp(1, 0.0, REQ, MAC(1), A, B);
    arp(2, 5.0, REP, MAC(2), B, A);  /* 5 s > 3 s */
    v = verdict(2, false);
    CHECK(v.unsolicited);
    CHECK_EQ_INT(v.late_request, 1);
    CHECK_EQ_INT(v.request_in, 0);
    v = verdict(1, false);
    CHECK_EQ_INT(v.response_in, 0);
    CHECK(!v.unanswered);
    v = verdict(1, true);
    CHECK(v.unanswered);
    CHECK_EQ_INT(v.response_in, 0);

    /* late for retries: late_request names the most recent attempt; a new
     * request after a timeout without one opens a new exchange */
    arp(3, 10.0, REQ, MAC(3), C, D);
    arp(4, 11.0, REQ, MAC(3), C, D);
    arp(5, 20.0, REP, MAC(4), D, C);
    v = verdict(5, false);
    CHECK(v.unsolicited);
    CHECK_EQ_INT(v.late_request, 4);
    arp(6, 21.0, REQ, MAC(3), C, D);
    arp(7, 21.5, REP, MAC(4), D, C);
    v = verdict(6, true);
    CHECK_EQ_INT(v.response_in, 7);
    CHECK_EQ_INT(v.attempt, 1);
    CHECK_EQ_INT(v.first_attempt, 6);
    for (uint32_t f = 3; f <= 4; f++) {
        v = verdict(f, true);
        CHECK_EQ_INT(v.response_in, 0);
        CHECK_EQ_INT(v.attempts, 2);
        CHECK(v.unanswered);
    }
    v = verdict(7, true);
    CHECK_EQ_INT(v.request_in, 6);
    CHECK(!v.unsolicited);
    CHECK_EQ_INT(v.late_request, 0);
    end();
}

static void test_reply_before_request(void)
{
    macchk_arp_verdict v;
    begin(3.0, 100, 10);
    arp(1, 0.0, REP, MAC(2), B, A);
    v = verdict(1, false);
    CHECK(v.unsolicited);
    CHECK_EQ_INT(v.late_request, 0);
    CHECK_EQ_INT(v.request_in, 0);
    arp(2, 0.5, REQ, MAC(1), A, B);  /* a reply never answers a later request */
    /* a reply later in the file but timestamped before the request */
    arp(3, 5.0, REQ, MAC(1), C, D);
    arp(4, 4.9, REP, MAC(3), D, C);
    macchk_track_clock(tracker, NS(10.0));
    v = verdict(2, true);
    CHECK_EQ_INT(v.response_in, 0);
    CHECK(v.unanswered);
    CHECK(verdict(1, true).unsolicited);
    v = verdict(3, true);
    CHECK_EQ_INT(v.response_in, 0);
    CHECK(v.unanswered);
    v = verdict(4, true);
    CHECK(v.unsolicited);
    CHECK_EQ_INT(v.request_in, 0);
    CHECK_EQ_INT(v.late_request, 0);  /* not late: the request came after it */
    end();
}

/* A reply the requester did not take: it asked again within the timeout
 * after the reply (inclusive), as when a bridge dropped the reply. */
static void test_not_accepted(void)
{
    macchk_arp_verdict v;
    begin(3.0, 100, 20);
    arp(1, 0.0, REQ, MAC(1), A, B);
    arp(2, 0.1, REP, MAC(2), B, A);
    CHECK_EQ_INT(verdict(2, false).asked_again, 0);
    arp(3, 1.0, REQ, MAC(1), A, B);
    arp(4, 1.1, REP, MAC(2), B, A);
    arp(5, 4.2, REQ, MAC(1), A, B);  /* 3.1 s after frame 4: not asked again */
    v = verdict(2, true);
    CHECK_EQ_INT(v.asked_again, 3);
    CHECK_EQ_INT(v.request_in, 1);
    CHECK_EQ_INT(verdict(4, true).asked_again, 0);
    CHECK_EQ_INT(verdict(1, true).response_in, 2);
    CHECK_EQ_INT(verdict(3, true).response_in, 4);

    arp(6, 10.0, REQ, MAC(1), C, D);
    arp(7, 10.5, REP, MAC(3), D, C);
    arp(8, 13.5, REQ, MAC(1), C, D);  /* exactly the timeout after the reply */
    CHECK_EQ_INT(verdict(7, true).asked_again, 8);
    arp(9, 20.0, REQ, MAC(1), A, X);
    arp(10, 20.5, REP, MAC(4), X, A);
    arp(11, 23.500000001, REQ, MAC(1), A, X);  /* a nanosecond later */
    CHECK_EQ_INT(verdict(10, true).asked_again, 0);
    /* a reply that answered nothing is unsolicited, never "not accepted" */
    arp(12, 40.0, REP, MAC(4), Y, A);
    arp(13, 40.5, REQ, MAC(1), A, Y);
    CHECK_EQ_INT(verdict(12, true).asked_again, 0);
    CHECK(verdict(12, true).unsolicited);
    end();
}

/* A reply answers the attempts in its window only, up to the scan limit,
 * and names the earliest MACCHK_MAX_ANSWERED of them. */
static void test_answer_window(void)
{
    macchk_arp_verdict v;
    begin(3.0, 1000, 700);
    /* delay 0 answers */
    arp(1, 1.0, REQ, MAC(1), A, B);
    arp(2, 1.0, REP, MAC(2), B, A);
    CHECK_EQ_INT(verdict(1, true).response_in, 2);
    CHECK_NS(verdict(1, true).response_time_ns, 0.0);
    /* retries 2.5 s apart: one exchange longer than the timeout; a reply
     * 0.5 s after the last answers the last two only */
    arp(3, 10.0, REQ, MAC(1), C, D);
    arp(4, 12.5, REQ, MAC(1), C, D);
    arp(5, 15.0, REQ, MAC(1), C, D);
    arp(6, 15.5, REP, MAC(3), D, C);
    v = verdict(6, true);
    CHECK_EQ_INT(v.n_answered, 2);
    CHECK_EQ_INT(v.request_in, 4);
    CHECK_EQ_INT(v.answered[1], 5);
    CHECK_NS(v.request_time_ns, 3.0);
    CHECK_EQ_INT(verdict(3, true).response_in, 0);
    CHECK_EQ_INT(verdict(3, true).attempts, 3);
    /* a retry timestamped before the reply it follows does not make the
     * reply "not accepted" */
    arp(7, 20.0, REQ, MAC(1), A, X);
    arp(8, 20.5, REP, MAC(4), X, A);
    arp(9, 20.4, REQ, MAC(1), A, X);
    CHECK_EQ_INT(verdict(8, true).asked_again, 0);
    /* 300 retries within a second: the reply looks at MACCHK_SCAN_LIMIT of them */
    for (uint32_t f = 10; f < 310; f++)
        arp(f, 30.0 + (f - 10) / 1000.0, REQ, MAC(1), A, Y);
    arp(310, 30.5, REP, MAC(5), Y, A);
    v = verdict(310, true);
    CHECK_EQ_INT(v.n_answered, MACCHK_SCAN_LIMIT);
    CHECK_EQ_INT(v.request_in, 310 - MACCHK_SCAN_LIMIT);  /* the earliest of those looked at */
    for (uint32_t i = 0; i < MACCHK_MAX_ANSWERED; i++)
        CHECK_EQ_INT(v.answered[i], 310 - MACCHK_SCAN_LIMIT + i);
    CHECK_EQ_INT(verdict(309, true).response_in, 310);
    CHECK_EQ_INT(verdict(310 - MACCHK_SCAN_LIMIT, true).response_in, 310);
    CHECK_EQ_INT(verdict(310 - MACCHK_SCAN_LIMIT - 1, true).response_in, 0);  /* beyond the limit */
    end();
}

/* The last attempts of a capture: retried ones are unanswered, the very
 * last is "capture ended" until a whole timeout of capture follows it. */
static void test_capture_end(void)
{
    macchk_arp_verdict v;
    begin(3.0, 100, 20);
    arp(1, 0.0, REQ, MAC(1), A, B);
    arp(2, 1.0, REQ, MAC(1), A, B);
    arp(3, 2.0, REQ, MAC(1), A, B);
    macchk_track_clock(tracker, NS(2.1));
    CHECK(verdict(1, true).unanswered);
    CHECK(verdict(2, true).unanswered);
    v = verdict(3, true);
    CHECK(!v.unanswered && v.capture_ended);
    CHECK_NS(v.capture_left_ns, 0.1);
    CHECK(!verdict(1, false).unanswered && !verdict(3, false).capture_ended);  /* one pass: unknown */
    macchk_track_clock(tracker, NS(4.999999999));
    CHECK(verdict(3, true).capture_ended);
    macchk_track_clock(tracker, NS(5.0));  /* exactly the timeout after it */
    CHECK(verdict(3, true).unanswered);
    CHECK(!verdict(3, true).capture_ended);
    end();
}

static macchk_arp_frame *arp_on(uint32_t frame, double time, const macchk_net *net, uint16_t opcode,
                                 const uint8_t sha[6], uint32_t spa, uint32_t tpa)
{
    macchk_arp_obs obs = {.frame = frame, .time_ns = NS(time), .net = *net, .opcode = opcode, .spa = spa, .tpa = tpa};
    memcpy(obs.sha, sha, 6);
    return rec[frame] = macchk_track_arp(tracker, &obs);
}

/* Networks never answer, conflict with or duplicate each other. */
static void test_networks(void)
{
    macchk_net vlan10 = {0}, vlan20 = {0}, if1 = {.iface = 1}, qinq = {0};
    macchk_net_push(&vlan10, MACCHK_TAG_VLAN, 10);
    macchk_net_push(&vlan20, MACCHK_TAG_VLAN, 20);
    macchk_net_push(&qinq, MACCHK_TAG_VLAN, 10);
    macchk_net_push(&qinq, MACCHK_TAG_VLAN, 20);
    macchk_arp_verdict v;
    begin(3.0, 100, 20);
    /* one 10.0.0.0/24 on two VLANs: each gateway A with its own MAC */
    arp_on(1, 0.0, &vlan10, REQ, MAC(1), A, B);
    arp_on(2, 0.1, &vlan20, REQ, MAC(2), A, B);
    arp_on(3, 0.2, &vlan20, REP, MAC(4), B, A);  /* answers the request on VLAN 20 only */
    arp_on(4, 0.3, &vlan10, REQ, MAC(1), A, B);
    arp_on(5, 0.4, &vlan20, REQ, MAC(2), A, C);
    CHECK_EQ_INT(verdict(1, true).response_in, 0);
    CHECK_EQ_INT(verdict(2, true).response_in, 3);
    v = verdict(3, true);
    CHECK_EQ_INT(v.request_in, 2);
    CHECK_EQ_INT(v.n_answered, 1);
    CHECK_EQ_INT(verdict(4, true).attempt, 2);  /* VLAN 10's own retry */
    for (uint32_t f = 1; f <= 5; f++) {
        v = verdict(f, true);
        CHECK_EQ_INT(v.ip_state, OK);  /* no conflict across VLANs */
        CHECK_EQ_INT(v.mac_state, OK);
    }
    /* router-on-a-stick: one MAC, one address per VLAN: no duplicate MAC */
    arp_on(6, 1.0, &vlan10, REP, MAC(9), X, A);
    arp_on(7, 1.1, &vlan20, REP, MAC(9), Y, A);
    arp_on(8, 1.2, &vlan10, REP, MAC(9), X, A);
    arp_on(9, 1.3, &vlan20, REP, MAC(9), Y, A);
    CHECK_EQ_INT(verdict(9, true).mac_state, OK);
    CHECK(!macchk_track_mac_duplicate(tracker, macchk_track_find_network(tracker, &vlan10), MAC(9)));
    /* ... but the same on one VLAN is a duplicate */
    arp_on(10, 1.4, &vlan10, REP, MAC(9), Y, A);
    arp_on(11, 1.5, &vlan10, REP, MAC(9), X, A);
    CHECK_EQ_INT(verdict(11, true).mac_state, CONFLICT);
    CHECK(macchk_track_mac_duplicate(tracker, macchk_track_find_network(tracker, &vlan10), MAC(9)));
    /* a request on interface 0 is not answered by a reply on interface 1 */
    arp(12, 2.0, REQ, MAC(1), C, D);
    arp_on(13, 2.1, &if1, REP, MAC(3), D, C);
    CHECK_EQ_INT(verdict(12, true).response_in, 0);
    CHECK(verdict(13, true).unsolicited);
    /* nesting is part of the network: QinQ 10/20 is neither VLAN 10 nor 20 */
    arp_on(14, 2.2, &qinq, REP, MAC(5), B, A);
    CHECK(verdict(14, true).unsolicited);
    CHECK_EQ_INT(verdict(14, true).ip_state, OK);

    CHECK_EQ_INT(macchk_track_network_count(tracker), 5);
    CHECK_EQ_INT(macchk_track_find_network(tracker, &vlan10), 1);
    CHECK_EQ_INT(macchk_track_find_network(tracker, &vlan20), 2);
    CHECK_EQ_INT(verdict(2, true).net, 2);
    macchk_net unseen = {.iface = 7};
    CHECK_EQ_INT(macchk_track_find_network(tracker, &unseen), 0);
    CHECK(macchk_track_network(tracker, 0) == NULL);
    CHECK(macchk_track_network(tracker, 6) == NULL);
    CHECK_EQ_INT(macchk_track_network(tracker, 5)->n_tags, 2);
    end();

    /* the network table is capped like the others */
    begin(3.0, 2, 10);
    arp_on(1, 0.0, &vlan10, REQ, MAC(1), A, B);
    arp_on(2, 0.1, &vlan20, REQ, MAC(1), A, B);
    CHECK(!macchk_track_full(tracker));
    arp_on(3, 0.2, &if1, REQ, MAC(1), A, B);
    CHECK(macchk_track_full(tracker));
    v = verdict(3, true);
    CHECK(v.table_full_here && v.attempt == 0 && v.net == 0);
    CHECK_EQ_INT(macchk_track_network_count(tracker), 2);
    end();
}

static void test_gratuitous_reply(void)
{
    macchk_arp_verdict v;
    begin(3.0, 100, 10);
    arp(1, 0.0, REP, MAC(1), A, A);
    for (int final = 0; final <= 1; final++) {
        v = verdict(1, final);
        CHECK(v.is_reply && v.gratuitous);
        CHECK(!v.unsolicited);
        CHECK_EQ_INT(v.request_in, 0);
        CHECK_EQ_INT(v.late_request, 0);
        CHECK_EQ_INT(v.ip_state, OK);
    }
    end();
}

static void test_announcement_and_probe(void)
{
    macchk_arp_verdict v;
    begin(3.0, 100, 10);
    arp(1, 0.0, REQ, MAC(1), X, X);  /* announcement */
    arp(2, 1.0, REQ, MAC(2), 0, Y);  /* probe */
    arp(3, 2.0, REQ, MAC(2), 0, Y);  /* probe, attempt 2 */
    arp(4, 3.0, REQ, MAC(1), X, X);  /* announcement again */

    for (int final = 0; final <= 1; final++) {
        for (uint32_t f = 1; f <= 4; f += 3) {
            v = verdict(f, final);
            CHECK(v.is_request && v.announcement && !v.probe);
            CHECK(!v.unanswered);
            CHECK_EQ_INT(v.attempt, 0);
            CHECK_EQ_INT(v.response_in, 0);
        }
        for (uint32_t f = 2; f <= 3; f++) {
            v = verdict(f, final);
            CHECK(v.is_request && v.probe && !v.announcement);
            CHECK(!v.unanswered && !v.probe_defended);
            CHECK_EQ_INT(v.attempt, f - 1);
            CHECK_EQ_INT(v.attempts, 2);
            CHECK_EQ_INT(v.first_attempt, 2);
            CHECK_EQ_INT(v.ip_state, OK);  /* 0.0.0.0 binds nothing */
            CHECK_EQ_INT(v.mac_state, OK);
        }
    }
    end();
}

static void test_probe_defended(void)
{
    macchk_arp_verdict v;
    begin(3.0, 100, 10);
    arp(1, 0.0, REQ, MAC(1), 0, X);
    arp(2, 0.2, REP, MAC(2), X, 0);  /* the owner of X defends it */
    v = verdict(1, true);
    CHECK(v.probe && v.probe_defended && !v.unanswered);
    CHECK_EQ_INT(v.response_in, 2);
    CHECK_NS(v.response_time_ns, 0.2);
    v = verdict(2, true);
    CHECK_EQ_INT(v.request_in, 1);
    CHECK_NS(v.request_time_ns, 0.2);
    CHECK(!v.unsolicited && !v.gratuitous);

    /* a defence after the timeout defends nothing */
    arp(3, 10.0, REQ, MAC(1), 0, Y);
    arp(4, 20.0, REP, MAC(3), Y, 0);
    v = verdict(3, true);
    CHECK(v.probe && !v.probe_defended && !v.unanswered);
    CHECK_EQ_INT(v.response_in, 0);
    v = verdict(4, true);
    CHECK(v.unsolicited);
    CHECK_EQ_INT(v.late_request, 3);
    end();
}

static void test_duplicate_reply(void)
{
    macchk_arp_verdict v;
    begin(3.0, 100, 10);
    arp(1, 0.0, REQ, MAC(1), A, B);
    arp(2, 0.1, REP, MAC(2), B, A);
    arp(3, 0.2, REP, MAC(2), B, A);   /* duplicate within the timeout */
    arp(4, 10.0, REP, MAC(2), B, A);  /* duplicate long after */
    v = verdict(1, true);
    CHECK_EQ_INT(v.response_in, 2);  /* first reply wins */
    CHECK_NS(v.response_time_ns, 0.1);
    v = verdict(2, true);
    CHECK_EQ_INT(v.request_in, 1);
    v = verdict(3, true);
    CHECK_EQ_INT(v.request_in, 1);
    CHECK_NS(v.request_time_ns, 0.2);
    CHECK(!v.unsolicited);
    v = verdict(4, true);
    CHECK(v.unsolicited);
    CHECK_EQ_INT(v.request_in, 0);
    CHECK_EQ_INT(v.late_request, 1);
    end();
}

static void test_new_exchange_after_answered(void)
{
    macchk_arp_verdict v;
    begin(3.0, 100, 10);
    arp(1, 0.0, REQ, MAC(1), A, B);
    arp(2, 0.1, REP, MAC(2), B, A);
    arp(3, 60.0, REQ, MAC(1), A, B);
    arp(4, 60.2, REP, MAC(2), B, A);
    arp(5, 120.0, REQ, MAC(1), A, B);
    macchk_track_clock(tracker, NS(200.0));
    v = verdict(1, true);
    CHECK_EQ_INT(v.attempts, 1);
    CHECK_EQ_INT(v.response_in, 2);
    v = verdict(3, true);
    CHECK_EQ_INT(v.attempt, 1);
    CHECK_EQ_INT(v.attempts, 1);
    CHECK_EQ_INT(v.first_attempt, 3);
    CHECK_EQ_INT(v.response_in, 4);
    CHECK_NS(v.response_time_ns, 0.2);
    CHECK(!v.unanswered);
    v = verdict(4, true);
    CHECK_EQ_INT(v.request_in, 3);
    v = verdict(5, true);
    CHECK_EQ_INT(v.attempt, 1);
    CHECK_EQ_INT(v.first_attempt, 5);
    CHECK(v.unanswered);
    CHECK(!verdict(1, true).unanswered);
    end();
}

static macchk_exchange_info *collected_exchanges;
static int n_collected_exchanges;

static void keep_first_exchanges(const macchk_exchange_info *e, void *ctx)
{
    (void)ctx;
    if (n_collected_exchanges < 3)
        collected_exchanges[n_collected_exchanges] = *e;
    n_collected_exchanges++;
}

/* The whole-capture view of an exchange counts its attempts' fates. */
static void test_exchange_view_counts(void)
{
    begin(3.0, 100, 20);
    arp(1, 0.0, REQ, MAC(1), A, B);
    arp(2, 1.0, REQ, MAC(1), A, B);
    arp(3, 2.0, REQ, MAC(1), A, B);
    arp(4, 2.5, REP, MAC(2), B, A);  /* answers 1 (2.5 s), 2 and 3 */
    arp(5, 10.0, REQ, MAC(1), A, C);
    arp(6, 11.0, REQ, MAC(1), A, C);
    arp(7, 14.5, REQ, MAC(1), A, D);  /* the capture ends here */
    macchk_exchange_info seen[3];
    collected_exchanges = seen;
    n_collected_exchanges = 0;
    macchk_track_each_exchange(tracker, keep_first_exchanges, NULL);
    CHECK_EQ_INT(n_collected_exchanges, 3);
    CHECK_EQ_INT(seen[0].answered, 3);
    CHECK_EQ_INT(seen[0].unanswered, 0);
    CHECK_EQ_INT(seen[0].reply_frame, 4);
    CHECK_EQ_INT(seen[1].answered, 0);
    CHECK_EQ_INT(seen[1].unanswered, 2);  /* frame 5 retried, frame 6 3.5 s before the end */
    CHECK_EQ_INT(seen[1].capture_ended, 0);
    CHECK_EQ_INT(seen[2].capture_ended, 1);
    CHECK(seen[0].target_seen && !seen[1].target_seen);
    end();
}

static void test_unanswered_only_when_final(void)
{
    begin(3.0, 100, 10);
    arp(1, 0.0, REQ, MAC(1), A, B);
    CHECK(!verdict(1, false).unanswered);
    arp(2, 100.0, REQ, MAC(3), C, D);
    CHECK(!verdict(1, false).unanswered);  /* even long after: first pass cannot know */
    CHECK(verdict(1, true).unanswered);
    CHECK(!verdict(1, true).capture_ended);
    /* the capture ended right after frame 2: whether a reply came is unknown */
    CHECK(!verdict(2, true).unanswered);
    CHECK(verdict(2, true).capture_ended);
    CHECK(!verdict(2, false).capture_ended);
    macchk_track_clock(tracker, NS(102.9)); /* later non-ARP frames, still within the timeout */
    CHECK(verdict(2, true).capture_ended);
    macchk_track_clock(tracker, NS(103.0));
    CHECK(verdict(2, true).unanswered);
    CHECK(!verdict(2, true).capture_ended);
    macchk_track_clock(tracker, NS(50.0)); /* time never runs backwards for the tracker */
    CHECK(verdict(2, true).unanswered);
    end();

    /* the whole-capture view of exchanges says the same */
    begin(3.0, 100, 10);
    arp(1, 0.0, REQ, MAC(1), A, B);
    arp(2, 10.0, REQ, MAC(3), C, D);
    {
        macchk_exchange_info seen[2];
        collected_exchanges = seen;
        n_collected_exchanges = 0;
        macchk_track_each_exchange(tracker, keep_first_exchanges, NULL);
        CHECK_EQ_INT(n_collected_exchanges, 2);
        CHECK_EQ_INT(seen[0].capture_ended, 0);
        CHECK_EQ_INT(seen[0].unanswered, 1);
        CHECK_EQ_INT(seen[1].capture_ended, 1);
        CHECK_EQ_INT(seen[1].unanswered, 0);
    }
    end();

    /* retries up to the end: each retry settles the attempt before it */
    begin(3.0, 100, 10);
    arp(1, 0.0, REQ, MAC(1), A, B);
    arp(2, 1.0, REQ, MAC(1), A, B);
    arp(3, 2.0, REQ, MAC(1), A, B);
    CHECK(verdict(3, true).capture_ended);
    arp(4, 3.0, REQ, MAC(1), A, B);
    CHECK(verdict(1, true).unanswered);
    CHECK(verdict(3, true).unanswered);
    CHECK(verdict(4, true).capture_ended);
    end();
}

/* ---- bindings -------------------------------------------------------- */

static void test_ip_conflict_interleaved(void)
{
    macchk_arp_verdict v;
    begin(3.0, 100, 10);
    /* frame: 1 2 3 4 5;  MAC: 1 1 2 1 2;  all claim X */
    const int mac_of[] = {0, 1, 1, 2, 1, 2};
    const int one_pass_state[] = {0, OK, OK, CHANGED, CONFLICT, CONFLICT};
    const int one_pass_other[] = {0, 0, 0, 1, 2, 1};  /* the other MAC named */
    const uint32_t first_of[] = {0, 1, 3};             /* first frame of MAC n's binding */
    for (uint32_t f = 1; f <= 5; f++) {
        arp(f, f, REQ, MAC(mac_of[f]), X, A);
        v = verdict(f, false);
        CHECK_EQ_INT(v.ip_state, one_pass_state[f]);
        CHECK_EQ_INT(v.n_other_macs, one_pass_other[f] ? 1 : 0);
        if (one_pass_other[f]) {
            CHECK_EQ_INT(v.other_macs[0].mac[5], one_pass_other[f]);
            CHECK_EQ_INT(v.other_macs[0].ip, X);
            CHECK_EQ_INT(v.other_macs[0].first_frame, first_of[one_pass_other[f]]);
        }
        CHECK_EQ_INT(v.mac_state, OK);
    }
    for (uint32_t f = 1; f <= 5; f++) {
        v = verdict(f, true);  /* spans [1,4] and [3,5] overlap */
        CHECK_EQ_INT(v.ip_state, CONFLICT);
        CHECK_EQ_INT(v.n_other_macs, 1);
        int other = mac_of[f] == 1 ? 2 : 1;
        CHECK_EQ_INT(v.other_macs[0].mac[5], other);
        CHECK_EQ_INT(v.other_macs[0].first_frame, first_of[other]);
        CHECK_EQ_INT(v.mac_state, OK);
    }
    end();
}

static void test_ip_moved(void)
{
    macchk_arp_verdict v;
    begin(3.0, 100, 10);
    /* frame: 1 2 3 4 5;  MAC: 1 1 2 2 3;  all claim X, never back */
    const int mac_of[] = {0, 1, 1, 2, 2, 3};
    for (uint32_t f = 1; f <= 5; f++) {
        arp(f, f, REP, MAC(mac_of[f]), X, A);
        v = verdict(f, false);
        CHECK_EQ_INT(v.ip_state, (f == 3 || f == 5) ? CHANGED : OK);
    }
    for (int final = 0; final <= 1; final++) {
        for (uint32_t f = 1; f <= 5; f++) {
            v = verdict(f, final);
            CHECK_EQ_INT(v.ip_state, (f == 3 || f == 5) ? CHANGED : OK);
            CHECK_EQ_INT(v.n_other_macs, f == 3 ? 1 : f == 5 ? 2 : 0);
        }
        v = verdict(3, final);
        CHECK_EQ_INT(v.other_macs[0].mac[5], 1);
        CHECK_EQ_INT(v.other_macs[0].first_frame, 1);
        v = verdict(5, final);  /* previous bindings, newest first */
        CHECK_EQ_INT(v.other_macs[0].mac[5], 2);
        CHECK_EQ_INT(v.other_macs[0].first_frame, 3);
        CHECK_EQ_INT(v.other_macs[1].mac[5], 1);
        CHECK_EQ_INT(v.other_macs[1].first_frame, 1);
    }
    end();
}

static void test_duplicate_mac_proxy_arp(void)
{
    macchk_arp_verdict v;
    begin(3.0, 100, 10);
    /* host A (MAC 1) asks for X and Y; the router (MAC 7) answers both */
    arp(1, 0.0, REQ, MAC(1), A, X);
    arp(2, 0.1, REP, MAC(7), X, A);
    arp(3, 1.0, REQ, MAC(1), A, Y);
    arp(4, 1.1, REP, MAC(7), Y, A);
    v = verdict(4, false);  /* X's binding [2,2] ended before: renumbered so far */
    CHECK_EQ_INT(v.mac_state, CHANGED);
    CHECK(!macchk_track_mac_duplicate(tracker, 1, MAC(7)));
    CHECK_EQ_INT(v.n_other_ips, 1);
    CHECK_EQ_INT(v.other_ips[0].ip, X);
    CHECK_EQ_INT(v.other_ips[0].first_frame, 2);
    arp(5, 2.0, REQ, MAC(1), A, X);
    arp(6, 2.1, REP, MAC(7), X, A);
    v = verdict(6, false);
    CHECK_EQ_INT(v.mac_state, CONFLICT);
    CHECK(macchk_track_mac_duplicate(tracker, 1, MAC(7)));
    CHECK(!macchk_track_mac_duplicate(tracker, 1, MAC(1)));  /* one IP only */
    CHECK(!macchk_track_mac_duplicate(tracker, 1, MAC(9)));  /* never seen */
    CHECK_EQ_INT(v.n_other_ips, 1);
    CHECK_EQ_INT(v.other_ips[0].ip, Y);
    CHECK_EQ_INT(v.other_ips[0].first_frame, 4);
    CHECK_EQ_INT(v.other_ips[0].mac[5], 7);

    for (uint32_t f = 1; f <= 6; f++) {
        v = verdict(f, true);
        CHECK_EQ_INT(v.ip_state, OK);
        CHECK_EQ_INT(v.mac_state, f % 2 ? OK : CONFLICT);
        CHECK_EQ_INT(v.n_other_ips, f % 2 ? 0 : 1);
        if (f % 2 == 1)
            CHECK(!v.unanswered);
        else  /* frame 6 answers frame 5 and its first attempt, frame 1 (2 s before) */
            CHECK_EQ_INT(v.request_in, f == 6 ? 1 : f - 1);
    }
    CHECK_EQ_INT(verdict(2, true).other_ips[0].ip, Y);
    CHECK_EQ_INT(verdict(4, true).other_ips[0].ip, X);
    end();
}

static void test_renumbered(void)
{
    macchk_arp_verdict v;
    begin(3.0, 100, 10);
    arp(1, 1, REQ, MAC(5), X, A);
    arp(2, 2, REQ, MAC(5), X, A);
    arp(3, 3, REQ, MAC(5), Y, A);
    arp(4, 4, REQ, MAC(5), Y, A);
    for (int final = 0; final <= 1; final++) {
        for (uint32_t f = 1; f <= 4; f++) {
            v = verdict(f, final);
            CHECK_EQ_INT(v.mac_state, f == 3 ? CHANGED : OK);
            CHECK_EQ_INT(v.ip_state, OK);
        }
        v = verdict(3, final);
        CHECK_EQ_INT(v.n_other_ips, 1);
        CHECK_EQ_INT(v.other_ips[0].ip, X);
        CHECK_EQ_INT(v.other_ips[0].first_frame, 1);
    }
    end();
}

static void test_link_local_exempt(void)
{
    macchk_arp_verdict v;
    const uint32_t LL = IP(169, 254, 7, 7);
    begin(3.0, 100, 10);
    /* one MAC alternates between a link-local and a DHCP address */
    arp(1, 1, REQ, MAC(5), LL, A);
    arp(2, 2, REQ, MAC(5), X, A);
    CHECK_EQ_INT(verdict(2, false).mac_state, OK);  /* not even "renumbered" */
    arp(3, 3, REQ, MAC(5), LL, A);
    arp(4, 4, REQ, MAC(5), X, A);
    for (uint32_t f = 1; f <= 4; f++) {
        v = verdict(f, true);
        CHECK_EQ_INT(v.mac_state, OK);
        CHECK_EQ_INT(v.n_other_ips, 0);
    }
    /* ...but two MACs on one link-local address still conflict */
    arp(5, 5, REQ, MAC(6), LL, A);
    CHECK_EQ_INT(verdict(5, false).ip_state, CHANGED);
    arp(6, 6, REQ, MAC(5), LL, A);
    CHECK_EQ_INT(verdict(6, false).ip_state, CONFLICT);
    const uint32_t on_link_local[] = {1, 3, 5, 6};
    for (int i = 0; i < 4; i++)
        CHECK_EQ_INT(verdict(on_link_local[i], true).ip_state, CONFLICT);
    CHECK_EQ_INT(verdict(2, true).ip_state, OK);
    end();
}

static void test_group_and_zero_sha(void)
{
    const uint8_t multicast[6] = {0x01, 0x00, 0x5e, 0x00, 0x00, 0x01};
    const uint8_t zero[6] = {0};
    begin(3.0, 100, 10);
    arp(1, 1, REQ, multicast, X, A);
    arp(2, 2, REQ, multicast, Y, A);
    arp(3, 3, REQ, multicast, X, A);
    arp(4, 4, REP, zero, C, A);
    arp(5, 5, REP, zero, D, A);
    arp(6, 6, REP, zero, C, A);
    for (uint32_t f = 1; f <= 6; f++) {
        for (int final = 0; final <= 1; final++) {
            macchk_arp_verdict v = verdict(f, final);
            CHECK_EQ_INT(v.mac_state, OK);
            CHECK_EQ_INT(v.n_other_ips, 0);
            CHECK_EQ_INT(v.ip_state, OK);
        }
    }
    end();
}

static void test_many_macs_one_ip(void)
{
    macchk_arp_verdict v;
    begin(3.0, 1000, 700);
    /* MACs 1..6 claim X round robin, twice */
    for (uint32_t f = 1; f <= 12; f++)
        arp(f, f, REQ, MAC((f - 1) % 6 + 1), X, A);
    for (uint32_t f = 1; f <= 12; f++) {
        v = verdict(f, true);
        CHECK_EQ_INT(v.ip_state, CONFLICT);
        CHECK_EQ_INT(v.n_other_macs, 5);
        int own = (int)((f - 1) % 6 + 1), distinct = 0;
        bool seen[7] = {false};
        for (int i = 0; i < MACCHK_MAX_OTHERS; i++) {
            int mac = v.other_macs[i].mac[5];
            CHECK(mac != own && mac >= 1 && mac <= 6);
            if (mac >= 1 && mac <= 6 && !seen[mac]) {
                seen[mac] = true;
                distinct++;
            }
        }
        CHECK_EQ_INT(distinct, MACCHK_MAX_OTHERS);
    }
    v = verdict(12, true);  /* newest binding first */
    for (int i = 0; i < MACCHK_MAX_OTHERS; i++) {
        CHECK_EQ_INT(v.other_macs[i].mac[5], 5 - i);
        CHECK_EQ_INT(v.other_macs[i].first_frame, 5 - i);
    }

    /* 300 MACs on Y: a verdict looks at no more than MACCHK_SCAN_LIMIT others */
    for (uint32_t f = 13; f <= 612; f++)
        arp(f, f, REQ, MAC((f - 13) % 300 + 100), Y, A);
    v = verdict(612, true);
    CHECK_EQ_INT(v.ip_state, CONFLICT);
    CHECK_EQ_INT(v.n_other_macs, MACCHK_SCAN_LIMIT);
    end();
}

/* ---- table cap ------------------------------------------------------- */

static int count_full_here(uint32_t frames)
{
    int n = 0;
    for (uint32_t f = 1; f <= frames; f++)
        if (rec[f])
            n += verdict(f, true).table_full_here;
    return n;
}

static uint32_t n_bindings_seen, n_exchanges_seen;
static macchk_binding_info bindings_seen[16];
static macchk_exchange_info exchanges_seen[16];

static void collect_binding(const macchk_binding_info *b, void *ctx)
{
    (void)ctx;
    if (n_bindings_seen < 16)
        bindings_seen[n_bindings_seen] = *b;
    n_bindings_seen++;
}

static void collect_exchange(const macchk_exchange_info *e, void *ctx)
{
    (void)ctx;
    if (n_exchanges_seen < 16)
        exchanges_seen[n_exchanges_seen] = *e;
    n_exchanges_seen++;
}

static void collect(void)
{
    n_bindings_seen = n_exchanges_seen = 0;
    macchk_track_each_binding(tracker, collect_binding, NULL);
    macchk_track_each_exchange(tracker, collect_exchange, NULL);
}

static uint32_t sender(uint32_t i)
{
    return IP(10, 1, i >> 8 & 0xff, i & 0xff);
}

static uint32_t target(uint32_t i)
{
    return IP(10, 2, i >> 8 & 0xff, i & 0xff);
}

static void test_table_cap(void)
{
    macchk_arp_verdict v;
    begin(3.0, 4, 3000);
    for (uint32_t f = 1; f <= 4; f++)
        arp(f, f / 1000.0, REQ, MAC(f), sender(f), target(f));
    CHECK(!macchk_track_full(tracker));
    arp(5, 0.005, REQ, MAC(5), sender(5), target(5));  /* fifth binding: dropped */
    CHECK(macchk_track_full(tracker));
    CHECK(verdict(5, false).table_full_here);
    CHECK(rec[5] != NULL);  /* still a record, with what is known */
    v = verdict(5, true);
    CHECK(v.is_request && !v.unanswered);
    CHECK_EQ_INT(v.attempt, 0);

    /* a flood of new senders, alternating requests and replies, costs nothing */
    arp(6, 0.006, REQ, MAC(6), sender(6), target(6));
    size_t live_after_cap = mem.live;
    for (uint32_t f = 7; f <= 2000; f++)
        arp(f, f / 1000.0, f % 2 ? REQ : REP, MAC(f), sender(f), target(f));
    CHECK_EQ_INT(mem.live, live_after_cap);
    CHECK(verdict(2000, true).is_reply);
    /* those frames share records: one byte names each */
    uint8_t shared = macchk_track_shared_index(tracker, rec[2000]);
    CHECK(shared >= 1 && shared <= MACCHK_SHARED_RECORDS);
    CHECK(macchk_track_shared_record(tracker, shared) == rec[2000]);
    CHECK_EQ_INT(macchk_track_shared_index(tracker, rec[1]), 0);  /* its own record */
    CHECK(macchk_track_shared_record(tracker, 0) == NULL);
    CHECK(macchk_track_shared_record(tracker, MACCHK_SHARED_RECORDS + 1) == NULL);
    for (uint8_t i = 1; i <= MACCHK_SHARED_RECORDS; i++)  /* the first and last too */
        CHECK_EQ_INT(macchk_track_shared_index(tracker, macchk_track_shared_record(tracker, i)), i);

    /* existing entries keep updating (all within the timeout of frame 1) */
    arp(2001, 2.001, REQ, MAC(1), sender(1), target(1));  /* retry of frame 1 */
    v = verdict(2001, true);
    CHECK_EQ_INT(v.attempt, 2);
    CHECK_EQ_INT(v.first_attempt, 1);
    arp(2002, 2.0015, REP, MAC(900), target(1), sender(1));  /* new binding: dropped */
    v = verdict(2002, true);
    CHECK_EQ_INT(v.request_in, 1);
    CHECK(!v.unsolicited);
    CHECK_EQ_INT(verdict(1, true).response_in, 2002);

    /* a new exchange is dropped: neither side can be judged */
    arp(2003, 2003.0, REQ, MAC(2), sender(2), IP(10, 9, 9, 9));
    arp(2004, 2003.1, REP, MAC(901), IP(10, 9, 9, 9), sender(2));
    v = verdict(2003, true);
    CHECK_EQ_INT(v.attempt, 0);
    CHECK(!v.unanswered);
    v = verdict(2004, true);
    CHECK(!v.unsolicited);
    CHECK_EQ_INT(v.request_in, 0);
    /* a reply for a pair that was never requested is still unsolicited */
    arp(2005, 2005.0, REP, MAC(3), sender(3), IP(10, 9, 9, 8));
    CHECK(verdict(2005, true).unsolicited);
    CHECK_EQ_INT(mem.live, live_after_cap);

    CHECK_EQ_INT(count_full_here(2005), 1);
    collect();
    CHECK_EQ_INT(n_bindings_seen, 4);
    CHECK_EQ_INT(n_exchanges_seen, 4);
    CHECK_EQ_INT(bindings_seen[0].frames, 2);        /* sender(1): frames 1 and 2001 */
    CHECK_EQ_INT(bindings_seen[0].last_frame, 2001);
    CHECK_EQ_INT(bindings_seen[2].frames, 2);        /* sender(3): frames 3 and 2005 */
    CHECK_EQ_INT(exchanges_seen[0].attempts, 2);
    CHECK_EQ_INT(exchanges_seen[0].reply_frame, 2002);
    end();
}

static void test_table_cap_exchanges(void)
{
    macchk_arp_verdict v;
    begin(3.0, 2, 10);
    arp(1, 1, REQ, MAC(1), A, B);
    arp(2, 2, REQ, MAC(1), A, C);
    CHECK(!macchk_track_full(tracker));
    arp(3, 3, REQ, MAC(1), A, D);  /* binding known, third exchange dropped */
    CHECK(macchk_track_full(tracker));
    arp(4, 4, REQ, MAC(1), A, X);
    CHECK(!verdict(1, true).table_full_here);
    CHECK(!verdict(2, true).table_full_here);
    CHECK(verdict(3, true).table_full_here);
    CHECK(!verdict(4, true).table_full_here);
    macchk_track_clock(tracker, NS(10.0));
    CHECK(verdict(1, true).unanswered);
    CHECK(verdict(2, true).unanswered);
    v = verdict(3, true);
    CHECK(!v.unanswered);
    CHECK_EQ_INT(v.attempt, 0);
    CHECK_EQ_INT(v.ip_state, OK);  /* the binding is still there */
    end();
}

static void test_zero_cap(void)
{
    begin(3.0, 0, 10);
    arp(1, 1, REQ, MAC(1), A, B);
    arp(2, 2, REP, MAC(2), B, A);
    CHECK(macchk_track_full(tracker));
    CHECK(verdict(1, true).table_full_here);
    CHECK(!verdict(2, true).table_full_here);
    CHECK(!verdict(1, true).unanswered);
    CHECK(!verdict(2, true).unsolicited);  /* its request may be the one dropped */
    end();
}

/* ---- whole-capture views ---------------------------------------------- */

static void test_views(void)
{
    begin(3.0, 100, 10);
    collect();
    CHECK_EQ_INT(n_bindings_seen, 0);
    CHECK_EQ_INT(n_exchanges_seen, 0);

    arp(1, 0.0, REQ, MAC(1), C, A);
    arp(2, 0.1, REP, MAC(2), A, C);
    arp(3, 1.0, REQ, MAC(3), C, X);
    arp(4, 2.0, REQ, MAC(3), C, X);
    arp(5, 3.0, REQ, MAC(4), 0, Y);
    arp(6, 4.0, REQ, MAC(2), A, C);
    arp(7, 5.0, REQ, MAC(2), A, A);  /* announcement: a binding, no exchange */
    collect();

    CHECK_EQ_INT(n_bindings_seen, 3);
    const struct { uint32_t ip; int mac; uint32_t first, last, frames; } want_b[] = {
        {A, 2, 2, 7, 3}, {C, 1, 1, 1, 1}, {C, 3, 3, 4, 2}};
    for (int i = 0; i < 3; i++) {
        CHECK_EQ_INT(bindings_seen[i].ip, want_b[i].ip);
        CHECK_EQ_INT(bindings_seen[i].mac[5], want_b[i].mac);
        CHECK_EQ_INT(bindings_seen[i].first_frame, want_b[i].first);
        CHECK_EQ_INT(bindings_seen[i].last_frame, want_b[i].last);
        CHECK_EQ_INT(bindings_seen[i].frames, want_b[i].frames);
    }

    CHECK_EQ_INT(n_exchanges_seen, 4);
    const struct { uint32_t spa, tpa; int mac; uint32_t first, last, attempts, reply; bool probe; } want_e[] = {
        {C, A, 1, 1, 1, 1, 2, false},
        {C, X, 3, 3, 4, 2, 0, false},
        {0, Y, 4, 5, 5, 1, 0, true},
        {A, C, 2, 6, 6, 1, 0, false}};
    for (int i = 0; i < 4; i++) {
        CHECK_EQ_INT(exchanges_seen[i].spa, want_e[i].spa);
        CHECK_EQ_INT(exchanges_seen[i].tpa, want_e[i].tpa);
        CHECK_EQ_INT(exchanges_seen[i].sha[5], want_e[i].mac);
        CHECK_EQ_INT(exchanges_seen[i].first_frame, want_e[i].first);
        CHECK_EQ_INT(exchanges_seen[i].last_frame, want_e[i].last);
        CHECK_EQ_INT(exchanges_seen[i].attempts, want_e[i].attempts);
        CHECK_EQ_INT(exchanges_seen[i].reply_frame, want_e[i].reply);
        CHECK_EQ_INT(exchanges_seen[i].probe, want_e[i].probe);
    }
    end();
}

/* ---- random traffic against a naive model ----------------------------- */

/* The contract read literally, with linear searches and no cap.  Times
 * only grow, frames come in order. */
typedef struct {
    uint32_t net, ip, first, last;
    uint8_t mac[6];
} model_binding;

typedef struct {
    uint32_t net, spa, tpa, first, last, attempts;
    int64_t last_time;
    bool probe;
} model_exchange;

#define MODEL_TIMEOUT 1.0
#define MODEL_NETS 2
static int64_t model_capture_end;

typedef struct {
    uint16_t opcode;
    uint32_t net, spa, tpa;
    int64_t time;
    int binding, exchange;  /* -1: none */
    bool first_of_binding;
    uint32_t attempt;
} model_frame;

#define MODEL_FRAMES 3000
static model_binding mb[MODEL_FRAMES];
static model_exchange mx[MODEL_FRAMES];
static model_frame mf[MODEL_FRAMES + 1];
static int n_mb, n_mx;
static macchk_net model_nets[MODEL_NETS];

static bool model_counts_for_mac(const model_binding *b)
{
    static const uint8_t zero[6];
    return (b->ip >> 16) != 0xA9FE && !(b->mac[0] & 1) && memcmp(b->mac, zero, 6) != 0;
}

static bool model_is_request(const model_frame *m)
{
    return m->opcode == REQ && !(m->spa && m->spa == m->tpa);  /* announcements expect nothing */
}

/* R answers Q: R.SPA = Q.TPA, R.TPA = Q.SPA, same network, 0 <= delay <= timeout. */
static bool model_answers(const model_frame *r, const model_frame *q)
{
    return r->opcode == REP && r->spa != r->tpa && model_is_request(q) && r->net == q->net &&
           r->spa == q->tpa && r->tpa == q->spa && r->time >= q->time && r->time - q->time <= NS(MODEL_TIMEOUT);
}

static void model_observe(uint32_t f, const macchk_arp_obs *o, uint32_t net)
{
    model_frame *m = &mf[f];
    *m = (model_frame){.opcode = o->opcode, .net = net, .spa = o->spa, .tpa = o->tpa, .time = o->time_ns,
                       .binding = -1, .exchange = -1};
    if (o->opcode != REQ && o->opcode != REP)
        return;
    if (o->spa) {
        for (int i = 0; i < n_mb; i++)
            if (mb[i].net == net && mb[i].ip == o->spa && !memcmp(mb[i].mac, o->sha, 6))
                m->binding = i;
        if (m->binding < 0) {
            m->binding = n_mb++;
            mb[m->binding] = (model_binding){.net = net, .ip = o->spa, .first = f};
            memcpy(mb[m->binding].mac, o->sha, 6);
            m->first_of_binding = true;
        }
        mb[m->binding].last = f;
    }
    if (!model_is_request(m))
        return;
    int latest = -1;
    for (int i = 0; i < n_mx; i++)
        if (mx[i].net == net && mx[i].spa == o->spa && mx[i].tpa == o->tpa)
            latest = i;
    if (latest < 0 || o->time_ns - mx[latest].last_time > NS(MODEL_TIMEOUT)) {
        latest = n_mx++;
        mx[latest] = (model_exchange){.net = net, .spa = o->spa, .tpa = o->tpa, .first = f, .probe = o->spa == 0};
    }
    mx[latest].last = f;
    mx[latest].last_time = o->time_ns;
    m->attempt = ++mx[latest].attempts;
    m->exchange = latest;
}

static void model_judge(const model_frame *m, bool by_mac, macchk_binding_state *state, uint32_t *n,
                        macchk_other *others)
{
    const model_binding *b = &mb[m->binding];
    *state = OK;
    *n = 0;
    if (by_mac && !model_counts_for_mac(b))
        return;
    uint32_t n_overlap = 0, n_before = 0;
    macchk_other overlap[MACCHK_MAX_OTHERS], before[MACCHK_MAX_OTHERS];
    memset(overlap, 0, sizeof overlap);
    memset(before, 0, sizeof before);
    for (int i = n_mb - 1; i >= 0; i--) {  /* newest first */
        const model_binding *o = &mb[i];
        bool related = o->net == b->net &&
                       (by_mac ? !memcmp(o->mac, b->mac, 6) && model_counts_for_mac(o) : o->ip == b->ip);
        if (o == b || !related)
            continue;
        macchk_other name = {.ip = o->ip, .first_frame = o->first};
        memcpy(name.mac, o->mac, 6);
        if (b->first <= o->last && o->first <= b->last) {
            if (n_overlap < MACCHK_MAX_OTHERS)
                overlap[n_overlap] = name;
            n_overlap++;
        } else if (o->last < b->first) {
            if (n_before < MACCHK_MAX_OTHERS)
                before[n_before] = name;
            n_before++;
        }
    }
    if (n_overlap) {
        *state = CONFLICT;
        *n = n_overlap;
        memcpy(others, overlap, sizeof overlap);
    } else if (m->first_of_binding && n_before) {
        *state = CHANGED;
        *n = n_before;
        memcpy(others, before, sizeof before);
    }
}

static bool others_match(const macchk_other *got, const macchk_other *want, uint32_t n)
{
    for (uint32_t i = 0; i < n && i < MACCHK_MAX_OTHERS; i++)
        if (got[i].ip != want[i].ip || got[i].first_frame != want[i].first_frame ||
            memcmp(got[i].mac, want[i].mac, 6) != 0)
            return false;
    return true;
}

/* The model's request side of frame f, over the frames seen so far (last). */
static int model_compare_request(uint32_t f, uint32_t last, bool final, const macchk_arp_verdict *v)
{
    const model_frame *m = &mf[f];
    const model_exchange *x = m->exchange >= 0 ? &mx[m->exchange] : NULL;
    uint32_t response = 0, retry = 0;
    for (uint32_t g = f + 1; g <= last; g++) {
        if (!response && model_answers(&mf[g], m))
            response = g;
        if (!retry && model_is_request(&mf[g]) && mf[g].net == m->net && mf[g].spa == m->spa &&
            mf[g].tpa == m->tpa)
            retry = g;
    }
    int bad = 0;
    bad += v->attempt != m->attempt;
    bad += v->attempts != (x ? x->attempts : 0);
    bad += v->first_attempt != (x ? x->first : 0);
    bad += v->response_in != response;
    bad += response && v->response_time_ns != mf[response].time - m->time;
    bad += v->retry_frame != retry;
    bool no_reply = final && x && !x->probe && !response;
    bool settled = retry || model_capture_end - m->time >= NS(MODEL_TIMEOUT);
    bad += v->unanswered != (no_reply && settled);
    bad += v->capture_ended != (no_reply && !settled);
    bad += v->probe_defended != (x && x->probe && response);
    return bad;
}

static int model_compare_reply(uint32_t f, uint32_t last, const macchk_arp_verdict *v)
{
    const model_frame *m = &mf[f];
    uint32_t n = 0, earliest = 0, asked_again = 0;
    for (uint32_t g = 1; g < f; g++)
        if (model_answers(m, &mf[g]) && !n++)
            earliest = g;
    for (uint32_t g = f + 1; n && !asked_again && g <= last; g++)
        if (model_is_request(&mf[g]) && mf[g].net == m->net && mf[g].spa == m->tpa && mf[g].tpa == m->spa &&
            mf[g].time >= m->time && mf[g].time - m->time <= NS(MODEL_TIMEOUT))
            asked_again = g;
    bool unsolicited = m->spa != m->tpa && !n;
    /* too late for the pair's latest exchange, when it ended before the reply */
    int latest = -1;
    uint32_t late = 0;
    for (int i = 0; unsolicited && i < n_mx; i++)
        if (mx[i].net == m->net && mx[i].spa == m->tpa && mx[i].tpa == m->spa && mx[i].first < f)
            latest = i;
    for (uint32_t g = 1; latest >= 0 && g < f; g++)  /* its last attempt before the reply */
        if (mf[g].exchange == latest)
            late = mf[g].time < m->time ? g : 0;
    int bad = 0;
    bad += v->n_answered != n;
    bad += v->request_in != earliest;
    bad += earliest && v->request_time_ns != m->time - mf[earliest].time;
    bad += v->unsolicited != unsolicited;
    bad += v->late_request != late;
    bad += v->asked_again != asked_again;
    return bad;
}

/* Compare one verdict with the model's; returns the number of mismatches. */
static int model_compare(uint32_t f, uint32_t last, bool final)
{
    const model_frame *m = &mf[f];
    macchk_arp_verdict v = verdict(f, final);
    int bad = 0;
    if (!rec[f])
        return m->opcode == REQ || m->opcode == REP;
    bad += v.is_request != (m->opcode == REQ);
    bad += v.probe != (m->opcode == REQ && m->spa == 0);
    bad += v.announcement != (m->opcode == REQ && m->spa && m->spa == m->tpa);
    bad += v.gratuitous != (m->opcode == REP && m->spa == m->tpa);
    if (model_is_request(m))
        bad += model_compare_request(f, last, final, &v);
    else if (m->opcode == REP)
        bad += model_compare_reply(f, last, &v);
    if (m->binding >= 0) {
        macchk_binding_state state;
        uint32_t n;
        macchk_other others[MACCHK_MAX_OTHERS];
        model_judge(m, false, &state, &n, others);
        bad += v.ip_state != state || v.n_other_macs != n || !others_match(v.other_macs, others, n);
        model_judge(m, true, &state, &n, others);
        bad += v.mac_state != state || v.n_other_ips != n || !others_match(v.other_ips, others, n);
    } else {
        bad += v.ip_state != OK || v.mac_state != OK || v.n_other_macs || v.n_other_ips;
    }
    return bad;
}

static void test_against_model(void)
{
    /* few addresses, so conflicts, moves, retries and late replies abound */
    static const uint8_t odd_macs[3][6] = {{0}, {0x01, 0, 0x5e, 0, 0, 1}, {0x03, 0, 0, 0, 0, 1}};
    const uint32_t ips[] = {0, A, B, C, D, X, Y, IP(169, 254, 1, 1)};
    int one_pass_bad = 0, final_bad = 0, answered = 0, late = 0, conflicts = 0, changes = 0, asked = 0;
    int unanswered = 0;
    macchk_arp_obs last_request = {0};
    double now = 0;
    begin(MODEL_TIMEOUT, 1u << 20, MODEL_FRAMES);
    n_mb = n_mx = 0;
    model_nets[1].iface = 0;
    macchk_net_push(&model_nets[1], MACCHK_TAG_VLAN, 20);
    for (uint32_t f = 1; f <= MODEL_FRAMES; f++) {
        uint32_t net = rnd(5) == 0;  /* the same addresses reused on a second network */
        macchk_arp_obs o = {.frame = f, .net = model_nets[net], .opcode = (uint16_t)(rnd(20) ? 1 + rnd(2) : 3)};
        now += rnd(1000) / 1000.0;
        o.time_ns = model_capture_end = NS(now);
        uint32_t host = rnd(8), dice = rnd(20);
        o.spa = ips[host];
        o.tpa = rnd(4) ? ips[rnd(8)] : o.spa;
        /* hosts mostly keep a MAC for a while (moves), sometimes not (conflicts) */
        uint32_t mac = dice < 17 ? host * 10 + f / 400 + 1 : dice < 18 ? 1 + rnd(80) : 100 + rnd(1000);
        if (dice < 19)
            memcpy(o.sha, MAC(mac), 6);
        else
            memcpy(o.sha, odd_macs[rnd(3)], 6);
        if (o.opcode == REP && rnd(2)) {  /* answer the latest request */
            o.spa = last_request.tpa;
            o.tpa = last_request.spa;
            o.net = last_request.net;
            net = last_request.net.n_tags != 0;
        }
        if (o.opcode == REQ && f > 1 && rnd(3) == 0) {  /* a retry of the latest request */
            o.spa = last_request.spa;
            o.tpa = last_request.tpa;
            o.net = last_request.net;
            memcpy(o.sha, last_request.sha, 6);
            net = last_request.net.n_tags != 0;
        }
        if (o.opcode == REQ)
            last_request = o;
        rec[f] = macchk_track_arp(tracker, &o);
        model_observe(f, &o, net);
        one_pass_bad += model_compare(f, f, false) != 0;
    }
    for (uint32_t f = 1; f <= MODEL_FRAMES; f++) {
        final_bad += model_compare(f, MODEL_FRAMES, true) != 0;
        macchk_arp_verdict v = verdict(f, true);
        late += v.late_request != 0;
        conflicts += (v.ip_state == CONFLICT) + (v.mac_state == CONFLICT);
        changes += (v.ip_state == CHANGED) + (v.mac_state == CHANGED);
        answered += v.response_in != 0;
        asked += v.asked_again != 0;
        unanswered += v.unanswered;
    }
    CHECK_EQ_INT(one_pass_bad, 0);
    CHECK_EQ_INT(final_bad, 0);
    CHECK(!macchk_track_full(tracker));
    CHECK_EQ_INT(macchk_track_network_count(tracker), MODEL_NETS);
    /* the run did exercise every rule */
    CHECK(n_mb > 20 && answered > 100 && late > 20 && conflicts > 100 && changes > 5);
    CHECK(asked > 5 && unanswered > 100);
    end();
}

/* ---- stress -------------------------------------------------------------- */

static uint32_t last_ip, last_first, last_exchange_first;
static bool views_ordered;
static uint32_t views_count;

static void check_binding_order(const macchk_binding_info *b, void *ctx)
{
    (void)ctx;
    if (views_count++ && (b->ip < last_ip || (b->ip == last_ip && b->first_frame <= last_first)))
        views_ordered = false;
    last_ip = b->ip;
    last_first = b->first_frame;
}

static void check_exchange_order(const macchk_exchange_info *e, void *ctx)
{
    (void)ctx;
    if (views_count++ && e->first_frame <= last_exchange_first)
        views_ordered = false;
    last_exchange_first = e->first_frame;
}

static void test_stress(void)
{
    enum { FRAMES = 200000, CAP = 2000 };
    /* generous: 64 bytes a frame record, 1 KiB per capped entry, 64 KiB fixed */
    const size_t bound = (size_t)FRAMES * 64 + (size_t)CAP * 1024 + 65536;
    size_t peak = 0;
    int insane = 0;
    double now = 0;
    begin(3.0, CAP, FRAMES);
    for (uint32_t f = 1; f <= FRAMES; f++) {
        uint32_t host = rnd(5000);
        macchk_arp_obs o = {.frame = f, .opcode = (uint16_t)(rnd(50) ? 1 + rnd(2) : 3)};
        now += rnd(100) / 1000.0;
        o.time_ns = NS(now);
        o.spa = rnd(30) ? IP(10, 3, host >> 8, host & 0xff) : 0;
        o.tpa = IP(10, 3, 0, rnd(256));
        uint32_t mac = rnd(8) ? host : rnd(65536);  /* mostly one MAC per host */
        memcpy(o.sha, MAC(mac), 6);
        rec[f] = macchk_track_arp(tracker, &o);
        macchk_arp_verdict v = verdict(f, false);
        insane += v.attempt > v.attempts || v.first_attempt > f || v.request_in >= f;
        if (mem.live > peak)
            peak = mem.live;
    }
    for (uint32_t f = 1; f <= FRAMES; f++) {
        if (!rec[f])
            continue;
        macchk_arp_verdict v = verdict(f, true);
        insane += v.response_in && v.response_in <= f;
        insane += (v.ip_state == OK) != (v.n_other_macs == 0);
        insane += (v.mac_state == OK) != (v.n_other_ips == 0);
        insane += v.n_other_macs > MACCHK_SCAN_LIMIT || v.n_other_ips > MACCHK_SCAN_LIMIT;
    }
    CHECK_EQ_INT(insane, 0);
    CHECK(macchk_track_full(tracker));
    CHECK_EQ_INT(count_full_here(FRAMES), 1);
    CHECK(peak < bound);

    views_ordered = true;
    views_count = 0;
    macchk_track_each_binding(tracker, check_binding_order, NULL);
    CHECK(views_ordered);
    CHECK(views_count > 0 && views_count <= CAP);
    views_count = 0;
    macchk_track_each_exchange(tracker, check_exchange_order, NULL);
    CHECK(views_ordered);
    CHECK(views_count > 0 && views_count <= CAP);
    end();
}

int main(void)
{
    test_simple_link();
    test_retries();
    test_failed_cycles();
    test_exchange_boundaries();
    test_not_accepted();
    test_capture_end();
    test_answer_window();
    test_networks();
    test_late_reply();
    test_reply_before_request();
    test_gratuitous_reply();
    test_announcement_and_probe();
    test_probe_defended();
    test_duplicate_reply();
    test_new_exchange_after_answered();
    test_unanswered_only_when_final();
    test_exchange_view_counts();
    test_ip_conflict_interleaved();
    test_ip_moved();
    test_duplicate_mac_proxy_arp();
    test_renumbered();
    test_link_local_exempt();
    test_group_and_zero_sha();
    test_many_macs_one_ip();
    test_table_cap();
    test_table_cap_exchanges();
    test_zero_cap();
    test_views();
    test_against_model();
    test_stress();
    return unit_report("test_track");
}
