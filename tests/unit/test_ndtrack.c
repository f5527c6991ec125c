/* test_ndtrack.c - unit tests for macchk_ndtrack: every rule of the
 * contract at its boundaries, table caps, whole-capture views, a naive
 * model compared on random traffic and a 200k-frame stress run.  Messages
 * are built as bytes and read by macchk_nd_read, as the dissector does. */
#include "macchk_ndtrack.h"
#include "unit.h"
#include "unit_store.h"

#include <stdint.h>
#include <stdlib.h>

#define NS_TIME(seconds) ((int64_t)((seconds) * 1e9 + 0.5)) /* seconds >= 0 in these tests */
#define MAC(n) ((const uint8_t[6]){0x02, 0, 0, 0, (uint8_t)((n) >> 8), (uint8_t)(n)})
#define CONFLICT MACCHK_ND_BINDING_CONFLICT
#define MOVED MACCHK_ND_BINDING_MOVED
#define OK MACCHK_ND_BINDING_OK

enum { NA_R = 0x80, NA_S = 0x40, NA_O = 0x20, NONE = -1 };

typedef struct {
    uint8_t b[16];
} ip6;

/* 2001:db8::n; 0 is :: */
static ip6 addr(uint32_t n)
{
    ip6 a = {{0}};
    if (n) {
        a.b[0] = 0x20, a.b[1] = 0x01, a.b[2] = 0x0d, a.b[3] = 0xb8;
        for (int i = 0; i < 4; i++)
            a.b[12 + i] = (uint8_t)(n >> (24 - 8 * i));
    }
    return a;
}

static ip6 solicited_node(ip6 target)
{
    ip6 a = {{0xff, 0x02, [11] = 0x01, 0xff}};
    memcpy(a.b + 13, target.b + 13, 3);
    return a;
}

static const ip6 ALL_NODES = {{0xff, 0x02, [15] = 1}};

/* ---- fixture ----------------------------------------------------------- */

static macchk_ndtracker *tracker;
static macchk_nd_frame **rec;  /* rec[frame] */
static uint32_t max_frame;
static macchk_net on_net;      /* the network the next messages are on */

static void begin(double timeout, uint32_t cap, uint32_t frames)
{
    macchk_ndtrack_config config = {NS_TIME(timeout), cap};
    tracker = macchk_ndtrack_new(&alloc, &config);
    rec = calloc(frames + 1, sizeof *rec);
    max_frame = frames;
    memset(&on_net, 0, sizeof on_net);
}

static void end(void)
{
    macchk_ndtrack_free(tracker);
    free(rec);
    CHECK_EQ_INT(mem.live, 0);
}

/* One message as the dissector would read it: sent from link-layer source
 * MAC(link_mac) (NONE: no MAC header), with a link-layer option holding
 * MAC(option_mac) (NONE: without; an SLLAO for an NS, a TLLAO for an NA). */
static macchk_nd_msg build(uint8_t type, int link_mac, ip6 src, ip6 dst, ip6 target, uint8_t flags, int option_mac)
{
    uint8_t bytes[32] = {type, 0, 0, 0, flags};
    memcpy(bytes + 8, target.b, 16);
    macchk_nd_input in = {.hop_limit = 255, .length = 24, .bytes = bytes, .link_is_mac = true};
    memcpy(in.src, src.b, 16);
    memcpy(in.dst, dst.b, 16);
    if (option_mac != NONE) {
        bytes[24] = type == 135 ? 1 : 2;
        bytes[25] = 1;
        memcpy(bytes + 26, MAC(option_mac), 6);
        in.length = 32;
    }
    in.captured = in.length;
    if (link_mac != NONE) {
        in.link.has_src = true;
        memcpy(in.link.src, MAC(link_mac), 6);
    }
    macchk_nd_msg m;
    macchk_nd_read(&in, &m);
    if (!macchk_nd_trackable(&m))
        abort();  /* the tests feed only what the dissector would */
    return m;
}

static macchk_nd_frame *feed(uint32_t frame, double time, const macchk_nd_msg *m)
{
    macchk_nd_obs obs = {.frame = frame, .time_ns = NS_TIME(time), .net = on_net, .msg = m};
    if (frame > max_frame)
        abort();
    return rec[frame] = macchk_ndtrack_msg(tracker, &obs);
}

/* NS from src (MAC mac, with an SLLAO of it) for target, to its solicited-node address. */
static macchk_nd_frame *ns(uint32_t frame, double time, int mac, ip6 src, ip6 target)
{
    macchk_nd_msg m = build(135, mac, src, solicited_node(target), target, 0, mac);
    return feed(frame, time, &m);
}

/* NUD: an NS straight to the target, without an SLLAO. */
static macchk_nd_frame *nud(uint32_t frame, double time, int mac, ip6 src, ip6 target)
{
    macchk_nd_msg m = build(135, mac, src, target, target, 0, NONE);
    return feed(frame, time, &m);
}

static macchk_nd_frame *dad(uint32_t frame, double time, int mac, ip6 target)
{
    macchk_nd_msg m = build(135, mac, addr(0), solicited_node(target), target, 0, NONE);
    return feed(frame, time, &m);
}

/* NA from the target's owner with link source MAC(mac) and a TLLAO of
 * MAC(option_mac). */
static macchk_nd_frame *na(uint32_t frame, double time, int mac, ip6 dst, ip6 target, uint8_t flags, int option_mac)
{
    macchk_nd_msg m = build(136, mac, target, dst, target, flags, option_mac);
    return feed(frame, time, &m);
}

/* The usual answer: solicited, override, TLLAO = link source. */
static macchk_nd_frame *answer(uint32_t frame, double time, int mac, ip6 dst, ip6 target)
{
    return na(frame, time, mac, dst, target, NA_S | NA_O, mac);
}

static macchk_nd_verdict verdict(uint32_t frame, bool final)
{
    macchk_nd_verdict v;
    macchk_ndtrack_verdict(tracker, rec[frame], final, &v);
    return v;
}

static const uint32_t A = 1, B = 2, C = 3, T = 0x123456;

/* ---- exchanges --------------------------------------------------------- */

static void test_answered(void)
{
    macchk_nd_verdict v;
    begin(3.0, 100, 10);
    ns(1, 1.0, 1, addr(A), addr(B));
    v = verdict(1, false);
    CHECK_EQ_INT(v.kind, MACCHK_ND_NS);
    CHECK_EQ_INT(v.response_in, 0);
    CHECK(!v.unanswered);
    answer(2, 1.25, 2, addr(A), addr(B));
    for (int final = 0; final <= 1; final++) {
        v = verdict(1, final);
        CHECK_EQ_INT(v.net, 1);
        CHECK_EQ_INT(v.attempt, 1);
        CHECK_EQ_INT(v.attempts, 1);
        CHECK_EQ_INT(v.first_attempt, 1);
        CHECK_EQ_INT(v.response_in, 2);
        CHECK_EQ_INT(v.response_time_ns, NS_TIME(0.25));
        CHECK(!v.unanswered && !v.capture_ended && !v.dad_defended);
        CHECK_EQ_INT(v.state, OK);
        v = verdict(2, final);
        CHECK_EQ_INT(v.kind, MACCHK_ND_NA_SOLICITED);
        CHECK_EQ_INT(v.request_in, 1);
        CHECK_EQ_INT(v.request_time_ns, NS_TIME(0.25));
        CHECK_EQ_INT(v.n_answered, 1);
        CHECK_EQ_INT(v.defends, 0);
        CHECK_EQ_INT(v.net, 1);
    }
    /* NUD: a unicast NS follows the same rule */
    nud(3, 10.0, 2, addr(B), addr(A));
    answer(4, 10.001, 1, addr(B), addr(A));
    v = verdict(3, true);
    CHECK_EQ_INT(v.kind, MACCHK_ND_NUD);
    CHECK_EQ_INT(v.response_in, 4);
    CHECK_EQ_INT(v.response_time_ns, NS_TIME(0.001));
    CHECK_EQ_INT(verdict(4, true).request_in, 3);
    end();
}

static void test_answer_rules(void)
{
    macchk_nd_verdict v;
    begin(3.0, 100, 20);
    ns(1, 100.0, 1, addr(A), addr(B));
    answer(2, 103.0, 2, addr(A), addr(B));  /* exactly the timeout */
    CHECK_EQ_INT(verdict(1, true).response_in, 2);
    CHECK_EQ_INT(verdict(1, true).response_time_ns, NS_TIME(3.0));
    ns(3, 200.0, 1, addr(A), addr(C));
    answer(4, 203.000000001, 3, addr(A), addr(C));  /* a nanosecond later */
    CHECK_EQ_INT(verdict(3, true).response_in, 0);
    CHECK(verdict(3, true).unanswered);
    v = verdict(4, true);
    CHECK_EQ_INT(v.kind, MACCHK_ND_NA_SOLICITED);
    CHECK_EQ_INT(v.request_in, 0);

    ns(5, 300.0, 1, addr(A), addr(B));
    na(6, 300.1, 2, addr(A), addr(B), NA_O, 2);           /* no S flag */
    answer(7, 300.2, 2, addr(C), addr(B));                /* to another destination */
    answer(8, 300.3, 2, addr(A), addr(C));                /* for another target */
    answer(9, 300.4, 2, addr(A), addr(B));  /* the right one */
    CHECK_EQ_INT(verdict(5, true).response_in, 9);
    CHECK_EQ_INT(verdict(6, true).kind, MACCHK_ND_NA_UNSOLICITED);
    for (uint32_t f = 6; f <= 8; f++)
        CHECK_EQ_INT(verdict(f, true).request_in, 0);
    /* an NA timestamped before the NS never answers it */
    answer(10, 399.0, 2, addr(A), addr(C));
    ns(11, 400.0, 1, addr(A), addr(C));
    answer(12, 399.5, 3, addr(A), addr(C));
    CHECK_EQ_INT(verdict(11, false).response_in, 0);
    CHECK_EQ_INT(verdict(12, false).request_in, 0);
    end();
}

static void test_retries(void)
{
    macchk_nd_verdict v;
    begin(3.0, 100, 20);
    ns(1, 0.0, 1, addr(A), addr(B));
    ns(2, 1.0, 1, addr(A), addr(B));
    v = verdict(2, false);
    CHECK_EQ_INT(v.attempt, 2);
    CHECK_EQ_INT(v.attempts, 2);
    CHECK_EQ_INT(v.first_attempt, 1);
    CHECK_EQ_INT(verdict(1, false).retry_frame, 2);
    nud(3, 2.0, 1, addr(A), addr(B));  /* a unicast NS of the same pair: attempt 3 */
    answer(4, 2.5, 2, addr(A), addr(B));
    const double response_time[] = {0, 2.5, 1.5, 0.5};
    for (uint32_t f = 1; f <= 3; f++) {
        v = verdict(f, true);
        CHECK_EQ_INT(v.attempt, f);
        CHECK_EQ_INT(v.attempts, 3);
        CHECK_EQ_INT(v.response_in, 4);
        CHECK_EQ_INT(v.response_time_ns, NS_TIME(response_time[f]));
        CHECK(!v.unanswered);
    }
    v = verdict(4, true);
    CHECK_EQ_INT(v.request_in, 1);  /* the earliest it answers */
    CHECK_EQ_INT(v.request_time_ns, NS_TIME(2.5));
    CHECK_EQ_INT(v.n_answered, 3);

    /* a retry exactly the timeout after the last attempt continues the
     * exchange, a nanosecond later starts a new one */
    ns(5, 100.0, 1, addr(A), addr(C));
    ns(6, 103.0, 1, addr(A), addr(C));
    ns(7, 106.000000001, 1, addr(A), addr(C));
    CHECK_EQ_INT(verdict(6, true).attempt, 2);
    CHECK_EQ_INT(verdict(6, true).first_attempt, 5);
    v = verdict(7, true);
    CHECK_EQ_INT(v.attempt, 1);
    CHECK_EQ_INT(v.first_attempt, 7);
    CHECK_EQ_INT(verdict(5, true).attempts, 2);
    CHECK(verdict(6, true).unanswered);  /* retried, even across exchanges */
    CHECK_EQ_INT(verdict(6, true).retry_frame, 7);
    /* another source for the same target is another exchange */
    ns(8, 106.5, 3, addr(B), addr(C));
    CHECK_EQ_INT(verdict(8, true).attempt, 1);
    CHECK_EQ_INT(verdict(7, true).retry_frame, 0);
    end();
}

static void test_unanswered(void)
{
    macchk_nd_verdict v;
    begin(3.0, 100, 20);
    ns(1, 0.0, 1, addr(A), addr(B));
    ns(2, 1.0, 1, addr(A), addr(B));
    ns(3, 2.0, 1, addr(A), addr(B));
    macchk_ndtrack_clock(tracker, NS_TIME(2.1));
    for (uint32_t f = 1; f <= 3; f++)
        CHECK(!verdict(f, false).unanswered && !verdict(f, false).capture_ended);  /* one pass: unknown */
    CHECK(verdict(1, true).unanswered);
    CHECK(verdict(2, true).unanswered);
    v = verdict(3, true);
    CHECK(!v.unanswered && v.capture_ended);
    CHECK_EQ_INT(v.capture_left_ns, NS_TIME(0.1));
    macchk_ndtrack_clock(tracker, NS_TIME(4.999999999));
    CHECK(verdict(3, true).capture_ended);
    macchk_ndtrack_clock(tracker, NS_TIME(5.0));  /* exactly the timeout after it */
    CHECK(verdict(3, true).unanswered && !verdict(3, true).capture_ended);
    macchk_ndtrack_clock(tracker, NS_TIME(1.0));  /* time never runs back */
    CHECK(verdict(3, true).unanswered);
    end();
}

/* ---- DAD --------------------------------------------------------------- */

static void test_dad_undefended(void)
{
    macchk_nd_verdict v;
    begin(3.0, 100, 10);
    dad(1, 0.0, 1, addr(T));
    dad(2, 1.0, 1, addr(T));
    macchk_ndtrack_clock(tracker, NS_TIME(100.0));
    for (uint32_t f = 1; f <= 2; f++) {
        v = verdict(f, true);
        CHECK_EQ_INT(v.kind, MACCHK_ND_DAD);
        CHECK_EQ_INT(v.attempt, f);
        CHECK_EQ_INT(v.attempts, 2);
        CHECK(!v.unanswered && !v.capture_ended && !v.dad_defended);
        CHECK_EQ_INT(v.response_in, 0);
        CHECK_EQ_INT(v.state, OK);  /* :: binds nothing */
    }
    /* another node probing the same address is its own exchange */
    dad(3, 1.5, 2, addr(T));
    CHECK_EQ_INT(verdict(3, true).attempt, 1);
    CHECK_EQ_INT(verdict(2, true).retry_frame, 0);
    end();
}

static void test_dad_defended(void)
{
    macchk_nd_verdict v;
    begin(3.0, 100, 20);
    dad(1, 0.0, 1, addr(T));
    na(2, 0.2, 2, ALL_NODES, addr(T), NA_O, 2);  /* the owner defends it (RFC 4861 7.2.4) */
    v = verdict(1, true);
    CHECK(v.dad_defended && !v.unanswered);
    CHECK_EQ_INT(v.response_in, 2);
    CHECK_EQ_INT(v.response_time_ns, NS_TIME(0.2));
    v = verdict(2, true);
    CHECK_EQ_INT(v.defends, 1);
    CHECK_EQ_INT(v.request_in, 0);
    CHECK_EQ_INT(v.net, 1);

    /* the defender's MAC is its TLLAO when there is one, even from the prober's NIC */
    dad(3, 10.0, 1, addr(T + 1));
    na(4, 13.0, 1, ALL_NODES, addr(T + 1), 0, 2);  /* exactly the timeout, no O */
    CHECK(verdict(3, true).dad_defended);
    CHECK_EQ_INT(verdict(4, true).defends, 3);
    dad(5, 20.0, 1, addr(T + 2));
    na(6, 23.000000001, 2, ALL_NODES, addr(T + 2), NA_O, 2);  /* a nanosecond too late */
    CHECK(!verdict(5, true).dad_defended);
    CHECK_EQ_INT(verdict(6, true).defends, 0);

    /* the prober's own announcement after its DAD is no defence */
    dad(7, 30.0, 1, addr(T + 3));
    dad(8, 31.0, 1, addr(T + 3));
    na(9, 32.0, 1, ALL_NODES, addr(T + 3), NA_O, 1);
    na(10, 32.5, 1, ALL_NODES, addr(T + 3), NA_O, NONE);  /* no TLLAO: its link source */
    for (uint32_t f = 7; f <= 8; f++)
        CHECK(!verdict(f, true).dad_defended);
    CHECK_EQ_INT(verdict(9, true).defends, 0);
    CHECK_EQ_INT(verdict(10, true).defends, 0);
    /* ... but a later defender defends both attempts, the first one named */
    na(11, 32.9, 4, ALL_NODES, addr(T + 3), NA_O, NONE);
    CHECK(verdict(7, true).dad_defended && verdict(8, true).dad_defended);
    CHECK_EQ_INT(verdict(8, true).response_in, 11);
    CHECK_EQ_INT(verdict(11, true).defends, 7);
    end();
}

/* ---- bindings ---------------------------------------------------------- */

static void test_conflict_and_move(void)
{
    macchk_nd_verdict v;
    begin(3.0, 100, 20);
    /* frame: 1 2 3 4 5;  MAC: 1 1 2 1 2;  all claim A */
    const int mac_of[] = {0, 1, 1, 2, 1, 2};
    const macchk_nd_binding_state one_pass[] = {OK, OK, OK, MOVED, CONFLICT, CONFLICT};
    for (uint32_t f = 1; f <= 5; f++) {
        if (f % 2)
            ns(f, f, mac_of[f], addr(A), addr(B));
        else
            na(f, f, mac_of[f], ALL_NODES, addr(A), NA_O, mac_of[f]);
        CHECK_EQ_INT(verdict(f, false).state, one_pass[f]);
    }
    for (uint32_t f = 1; f <= 5; f++) {
        v = verdict(f, true);
        CHECK_EQ_INT(v.state, CONFLICT);
        CHECK_EQ_INT(v.n_other_macs, 1);
        CHECK_EQ_INT(v.other_macs[0].mac[5], mac_of[f] == 1 ? 2 : 1);
        CHECK_EQ_INT(v.other_macs[0].first_frame, mac_of[f] == 1 ? 3 : 1);
    }
    /* a move: C's MAC changes once, never back */
    na(6, 6, 5, ALL_NODES, addr(C), NA_O, 5);
    na(7, 7, 5, ALL_NODES, addr(C), NA_O, 5);
    na(8, 8, 6, ALL_NODES, addr(C), NA_O, NONE);  /* TLLAO absent: the link source */
    na(9, 9, 6, ALL_NODES, addr(C), NA_O, 6);
    for (int final = 0; final <= 1; final++) {
        for (uint32_t f = 6; f <= 9; f++)
            CHECK_EQ_INT(verdict(f, final).state, f == 8 ? MOVED : OK);
        v = verdict(8, final);
        CHECK_EQ_INT(v.n_other_macs, 1);
        CHECK_EQ_INT(v.other_macs[0].mac[5], 5);
        CHECK_EQ_INT(v.other_macs[0].first_frame, 6);
    }
    /* an NS without SLLAO binds nothing; the SLLAO wins over the link source */
    nud(10, 10, 7, addr(C), addr(A));
    CHECK_EQ_INT(verdict(10, true).state, OK);
    CHECK_EQ_INT(verdict(10, true).n_other_macs, 0);
    macchk_nd_msg m = build(135, 6, addr(C), solicited_node(addr(A)), addr(A), 0, 8);
    feed(11, 11, &m);
    CHECK_EQ_INT(verdict(11, true).state, MOVED);
    end();
}

static void test_no_conflicts(void)
{
    begin(3.0, 100, 40);
    /* anycast: NAs without O, from two MACs, interleaved, never conflict */
    for (uint32_t f = 1; f <= 6; f++)
        na(f, f, 1 + f % 2, ALL_NODES, addr(T), f % 3 ? NA_R : 0, 1 + f % 2);
    for (uint32_t f = 1; f <= 6; f++)
        CHECK_EQ_INT(verdict(f, true).state, OK);
    /* ... and a solicited NA without O answers but binds nothing */
    ns(7, 7.0, 3, addr(A), addr(T));
    na(8, 7.1, 1, addr(A), addr(T), NA_S, 1);
    na(9, 7.2, 2, addr(A), addr(T), NA_S, 2);
    CHECK_EQ_INT(verdict(7, true).response_in, 8);
    CHECK_EQ_INT(verdict(9, true).request_in, 7);
    CHECK_EQ_INT(verdict(9, true).state, OK);

    /* one MAC with many addresses: no finding (no duplicate-MAC rule for IPv6) */
    for (uint32_t f = 10; f <= 20; f++)
        na(f, f, 9, ALL_NODES, addr(100 + f % 4), NA_O, 9);
    for (uint32_t f = 10; f <= 20; f++)
        CHECK_EQ_INT(verdict(f, true).state, OK);

    /* the same address on two VLANs, each with its own MAC: no conflict */
    macchk_net_push(&on_net, MACCHK_TAG_VLAN, 10);
    na(21, 21, 11, ALL_NODES, addr(B), NA_O, 11);
    ns(22, 22, 11, addr(B), addr(C));
    on_net = (macchk_net){0};
    macchk_net_push(&on_net, MACCHK_TAG_VLAN, 20);
    na(23, 23, 12, ALL_NODES, addr(B), NA_O, 12);
    ns(24, 24, 12, addr(B), addr(C));
    answer(25, 24.5, 13, addr(B), addr(C));  /* answers VLAN 20's NS only */
    for (uint32_t f = 21; f <= 25; f++)
        CHECK_EQ_INT(verdict(f, true).state, OK);
    CHECK_EQ_INT(verdict(22, true).response_in, 0);
    CHECK_EQ_INT(verdict(24, true).response_in, 25);
    CHECK_EQ_INT(verdict(21, true).net, 2);
    CHECK_EQ_INT(verdict(23, true).net, 3);
    /* nor does a DAD on one VLAN see a defender on the other */
    dad(26, 30.0, 14, addr(B));
    CHECK(!verdict(26, true).dad_defended);
    CHECK_EQ_INT(macchk_ndtrack_network_count(tracker), 3);
    CHECK_EQ_INT(macchk_ndtrack_find_network(tracker, &on_net), 3);
    CHECK_EQ_INT(macchk_ndtrack_network(tracker, 3)->tags[0].id, 20);
    CHECK(macchk_ndtrack_network(tracker, 0) == NULL && macchk_ndtrack_network(tracker, 4) == NULL);
    macchk_net unseen = {.iface = 9};
    CHECK_EQ_INT(macchk_ndtrack_find_network(tracker, &unseen), 0);
    end();
}

static void test_many_macs_one_address(void)
{
    begin(3.0, 1000, 700);
    for (uint32_t f = 1; f <= 12; f++)  /* MACs 1..6 round robin, twice */
        na(f, f, (int)(f - 1) % 6 + 1, ALL_NODES, addr(A), NA_O, NONE);
    macchk_nd_verdict v = verdict(12, true);
    CHECK_EQ_INT(v.state, CONFLICT);
    CHECK_EQ_INT(v.n_other_macs, 5);
    for (int i = 0; i < MACCHK_ND_MAX_OTHERS; i++) {  /* newest binding first */
        CHECK_EQ_INT(v.other_macs[i].mac[5], 5 - i);
        CHECK_EQ_INT(v.other_macs[i].first_frame, 5 - i);
    }
    for (uint32_t f = 13; f <= 612; f++)  /* 300 MACs: no more than the scan limit looked at */
        na(f, f, (int)(f - 13) % 300 + 100, ALL_NODES, addr(B), NA_O, NONE);
    v = verdict(612, true);
    CHECK_EQ_INT(v.state, CONFLICT);
    CHECK_EQ_INT(v.n_other_macs, MACCHK_ND_SCAN_LIMIT);
    end();
}

/* ---- table caps --------------------------------------------------------- */

static int count_full_here(uint32_t frames)
{
    int n = 0;
    for (uint32_t f = 1; f <= frames; f++)
        if (rec[f])
            n += verdict(f, true).table_full_here;
    return n;
}

static void test_cap_addresses_and_exchanges(void)
{
    macchk_nd_verdict v;
    /* a cap of 4: the fifth exchange, then the fifth address are dropped */
    begin(3.0, 4, 3000);
    ns(1, 0.0, 1, addr(A), addr(B));   /* addresses A, B; exchange 1 */
    ns(2, 0.1, 1, addr(A), addr(B));
    nud(3, 0.2, 1, addr(B), addr(A));  /* exchange 2 */
    answer(4, 0.3, 2, addr(A), addr(B));
    answer(5, 0.4, 1, addr(B), addr(A));
    ns(6, 0.5, 1, addr(A), addr(C));   /* address 3, exchange 3 */
    ns(7, 0.6, 1, addr(A), addr(T));   /* address 4, exchange 4 */
    CHECK(!macchk_ndtrack_full(tracker));
    ns(8, 0.7, 1, addr(B), addr(C));   /* exchange 5: dropped */
    CHECK(macchk_ndtrack_full(tracker));
    v = verdict(8, true);
    CHECK(v.table_full_here);
    CHECK_EQ_INT(v.attempt, 0);
    CHECK(!v.unanswered);
    ns(9, 0.8, 1, addr(A), addr(T + 1));  /* address 5: dropped */
    CHECK(!verdict(9, true).table_full_here);  /* told once */
    CHECK_EQ_INT(verdict(9, true).attempt, 0);
    CHECK_EQ_INT(verdict(1, true).response_in, 4);
    CHECK_EQ_INT(verdict(3, true).response_in, 5);
    ns(10, 0.9, 1, addr(A), addr(B));  /* existing exchange: followed */
    CHECK_EQ_INT(verdict(10, true).attempt, 3);

    /* a flood of new addresses costs nothing: shared records */
    size_t live = mem.live;
    for (uint32_t f = 11; f <= 2000; f++) {
        if (f % 2)
            ns(f, 1.0 + f / 1000.0, (int)f, addr(1000 + f), addr(5000 + f));
        else
            na(f, 1.0 + f / 1000.0, (int)f, ALL_NODES, addr(1000 + f), NA_O, (int)f);
    }
    CHECK_EQ_INT(mem.live, live);
    uint8_t shared = macchk_ndtrack_shared_index(tracker, rec[2000]);
    CHECK(shared >= 1 && shared <= MACCHK_ND_SHARED_RECORDS);
    CHECK(macchk_ndtrack_shared_record(tracker, shared) == rec[2000]);
    CHECK_EQ_INT(verdict(2000, true).kind, MACCHK_ND_NA_UNSOLICITED);
    CHECK_EQ_INT(verdict(1999, true).kind, MACCHK_ND_NS);
    CHECK(macchk_ndtrack_shared_index(tracker, rec[1999]) != shared);
    CHECK_EQ_INT(macchk_ndtrack_shared_index(tracker, rec[1]), 0);
    CHECK(macchk_ndtrack_shared_record(tracker, 0) == NULL);
    CHECK(macchk_ndtrack_shared_record(tracker, MACCHK_ND_SHARED_RECORDS) != NULL);
    CHECK(macchk_ndtrack_shared_record(tracker, MACCHK_ND_SHARED_RECORDS + 1) == NULL);
    /* existing entries keep updating */
    ns(2001, 2.0, 1, addr(A), addr(T));  /* retry of frame 7, 1.4 s later */
    CHECK_EQ_INT(verdict(2001, true).attempt, 2);
    CHECK_EQ_INT(count_full_here(2001), 1);
    end();

    /* an unknown target or requester makes an NA answer nothing, without growing anything */
    begin(3.0, 2, 10);
    ns(1, 0.0, 1, addr(A), addr(B));
    size_t before = mem.live;
    answer(2, 0.1, 2, addr(C), addr(B));
    na(3, 0.2, 2, ALL_NODES, addr(C), 0, 2);
    CHECK_EQ_INT(mem.live, before);
    CHECK(!macchk_ndtrack_full(tracker));
    end();
}

static void test_cap_bindings_and_networks(void)
{
    macchk_nd_verdict v;
    begin(3.0, 3, 20);
    na(1, 1, 1, ALL_NODES, addr(A), NA_O, 1);
    na(2, 2, 2, ALL_NODES, addr(A), NA_O, 2);
    na(3, 3, 3, ALL_NODES, addr(A), NA_O, 3);
    CHECK(!macchk_ndtrack_full(tracker));
    na(4, 4, 4, ALL_NODES, addr(A), NA_O, 4);  /* fourth binding: dropped */
    CHECK(macchk_ndtrack_full(tracker));
    v = verdict(4, true);
    CHECK(v.table_full_here);
    CHECK_EQ_INT(v.state, OK);  /* unknown, not judged */
    CHECK(macchk_ndtrack_shared_index(tracker, rec[4]) == 0);  /* it carries the table-full flag */
    na(5, 5, 1, ALL_NODES, addr(A), NA_O, 1);  /* existing binding: still followed */
    CHECK_EQ_INT(verdict(5, true).state, CONFLICT);
    end();

    begin(3.0, 2, 10);
    macchk_net_push(&on_net, MACCHK_TAG_VLAN, 1);
    ns(1, 0, 1, addr(A), addr(B));
    on_net.tags[0].id = 2;
    ns(2, 0, 1, addr(A), addr(B));
    CHECK(macchk_ndtrack_full(tracker));  /* two addresses a network: the address table */
    end();
    begin(3.0, 2, 10);
    for (uint32_t i = 1; i <= 3; i++) {
        on_net.iface = i;
        dad(i, i, 1, addr(T));  /* one address a network */
    }
    CHECK(macchk_ndtrack_full(tracker));
    CHECK_EQ_INT(macchk_ndtrack_network_count(tracker), 2);
    v = verdict(3, true);
    CHECK(v.table_full_here && v.net == 0 && v.attempt == 0);
    end();

    begin(3.0, 0, 10);  /* nothing at all */
    ns(1, 0, 1, addr(A), addr(B));
    answer(2, 0.1, 2, addr(A), addr(B));
    CHECK(verdict(1, true).table_full_here);
    CHECK(!verdict(1, true).unanswered);
    CHECK_EQ_INT(verdict(2, true).request_in, 0);
    end();
}

/* ---- whole-capture views ------------------------------------------------ */

static macchk_nd_binding_info bindings_seen[16];
static macchk_nd_exchange_info exchanges_seen[16];
static uint32_t n_bindings_seen, n_exchanges_seen;

static void collect_binding(const macchk_nd_binding_info *b, void *ctx)
{
    (void)ctx;
    if (n_bindings_seen < 16)
        bindings_seen[n_bindings_seen] = *b;
    n_bindings_seen++;
}

static void collect_exchange(const macchk_nd_exchange_info *e, void *ctx)
{
    (void)ctx;
    if (n_exchanges_seen < 16)
        exchanges_seen[n_exchanges_seen] = *e;
    n_exchanges_seen++;
}

static void collect(void)
{
    n_bindings_seen = n_exchanges_seen = 0;
    macchk_ndtrack_each_binding(tracker, collect_binding, NULL);
    macchk_ndtrack_each_exchange(tracker, collect_exchange, NULL);
}

static void test_views(void)
{
    begin(3.0, 100, 20);
    collect();
    CHECK_EQ_INT(n_bindings_seen + n_exchanges_seen, 0);
    ns(1, 0.0, 1, addr(C), addr(A));
    answer(2, 0.1, 2, addr(C), addr(A));
    ns(3, 1.0, 3, addr(B), addr(T));
    ns(4, 2.0, 3, addr(B), addr(T));
    dad(5, 3.0, 4, addr(T + 1));
    na(6, 3.1, 5, ALL_NODES, addr(T + 1), NA_O, 5);
    na(7, 4.0, 2, ALL_NODES, addr(A), NA_O, 2);
    collect();

    const struct { uint32_t addr; int mac; uint32_t first, last, frames; } want_b[] = {
        {A, 2, 2, 7, 2}, {B, 3, 3, 4, 2}, {C, 1, 1, 1, 1}, {T + 1, 5, 6, 6, 1}};
    CHECK_EQ_INT(n_bindings_seen, 4);
    for (int i = 0; i < 4; i++) {
        CHECK(!memcmp(bindings_seen[i].addr, addr(want_b[i].addr).b, 16));
        CHECK_EQ_INT(bindings_seen[i].mac[5], want_b[i].mac);
        CHECK_EQ_INT(bindings_seen[i].first_frame, want_b[i].first);
        CHECK_EQ_INT(bindings_seen[i].last_frame, want_b[i].last);
        CHECK_EQ_INT(bindings_seen[i].frames, want_b[i].frames);
        CHECK_EQ_INT(bindings_seen[i].net, 1);
    }
    const struct { uint32_t src, target; int mac; uint32_t first, last, attempts, reply, answered, unanswered, ended; bool dad; } want_e[] = {
        {C, A, 1, 1, 1, 1, 2, 1, 0, 0, false},
        {B, T, 3, 3, 4, 2, 0, 0, 1, 1, false},
        {0, T + 1, 4, 5, 5, 1, 6, 1, 0, 0, true}};
    CHECK_EQ_INT(n_exchanges_seen, 3);
    for (int i = 0; i < 3; i++) {
        const macchk_nd_exchange_info *e = &exchanges_seen[i];
        CHECK(!memcmp(e->src, addr(want_e[i].src).b, 16));
        CHECK(!memcmp(e->target, addr(want_e[i].target).b, 16));
        CHECK_EQ_INT(e->mac[5], want_e[i].mac);
        CHECK_EQ_INT(e->first_frame, want_e[i].first);
        CHECK_EQ_INT(e->last_frame, want_e[i].last);
        CHECK_EQ_INT(e->attempts, want_e[i].attempts);
        CHECK_EQ_INT(e->reply_frame, want_e[i].reply);
        CHECK_EQ_INT(e->answered, want_e[i].answered);
        CHECK_EQ_INT(e->unanswered, want_e[i].unanswered);
        CHECK_EQ_INT(e->capture_ended, want_e[i].ended);
        CHECK_EQ_INT(e->dad, want_e[i].dad);
        CHECK_EQ_INT(e->defended, want_e[i].dad);
        CHECK_EQ_INT(e->net, 1);
    }
    end();
}

/* ---- random traffic against a naive model -------------------------------- */

/* The contract read literally: linear searches over every frame so far. */
#define MODEL_FRAMES 3000
#define MODEL_TIMEOUT 1.0

typedef struct {
    macchk_nd_msg msg;
    uint32_t net;
    int64_t time;
    bool binds;
    uint8_t bound_mac[6];
    uint8_t link_mac[6];  /* zero when none */
    uint32_t attempt, first_attempt;
} model_frame;

static model_frame mf[MODEL_FRAMES + 1];

static bool model_is_ns(const model_frame *m)
{
    return m->msg.type == 135;
}

static bool model_is_dad(const model_frame *m)
{
    return m->msg.kind == MACCHK_ND_DAD;
}

/* Same exchange key: network, source, target, and for DAD the prober's MAC. */
static bool model_same_pair(const model_frame *a, const model_frame *b)
{
    return model_is_ns(a) && model_is_ns(b) && a->net == b->net && !memcmp(a->msg.src, b->msg.src, 16) &&
           !memcmp(a->msg.target, b->msg.target, 16) && (!model_is_dad(a) || !memcmp(a->link_mac, b->link_mac, 6));
}

static bool model_in_time(const model_frame *q, const model_frame *r)
{
    return r->time >= q->time && r->time - q->time <= NS_TIME(MODEL_TIMEOUT);
}

/* r answers q, or (DAD) defends it. */
static bool model_answers(const model_frame *r, const model_frame *q)
{
    if (model_is_ns(r) || !model_is_ns(q) || r->net != q->net || memcmp(r->msg.target, q->msg.target, 16) ||
        !model_in_time(q, r))
        return false;
    if (model_is_dad(q)) {
        uint8_t mac[6];
        return macchk_nd_claimed_mac(&r->msg, mac) && memcmp(mac, q->link_mac, 6);
    }
    return r->msg.solicited && !memcmp(r->msg.dst, q->msg.src, 16);
}

static void model_observe(uint32_t f)
{
    model_frame *m = &mf[f];
    if (model_is_ns(m)) {
        m->binds = m->msg.kind != MACCHK_ND_DAD && m->msg.has_option_mac;
        memcpy(m->bound_mac, m->msg.option_mac, 6);
        uint32_t prev = 0;
        for (uint32_t g = 1; g < f; g++)
            if (model_same_pair(&mf[g], m))
                prev = g;
        bool retry = prev && m->time - mf[prev].time <= NS_TIME(MODEL_TIMEOUT);
        m->attempt = retry ? mf[prev].attempt + 1 : 1;
        m->first_attempt = retry ? mf[prev].first_attempt : f;
    } else {
        m->binds = m->msg.override && macchk_nd_claimed_mac(&m->msg, m->bound_mac);
    }
}

static bool model_same_binding(const model_frame *a, const model_frame *b)
{
    return a->binds && b->binds && a->net == b->net && !memcmp(a->bound_mac, b->bound_mac, 6) &&
           !memcmp(model_is_ns(a) ? a->msg.src : a->msg.target, model_is_ns(b) ? b->msg.src : b->msg.target, 16);
}

static bool model_same_address(const model_frame *a, const model_frame *b)
{
    return a->binds && b->binds && a->net == b->net &&
           !memcmp(model_is_ns(a) ? a->msg.src : a->msg.target, model_is_ns(b) ? b->msg.src : b->msg.target, 16);
}

/* First and last frame (up to last) of the binding frame f carries. */
static void model_span(uint32_t f, uint32_t last, uint32_t *first, uint32_t *end_frame)
{
    *first = *end_frame = 0;
    for (uint32_t g = 1; g <= last; g++)
        if (model_same_binding(&mf[g], &mf[f])) {
            if (!*first)
                *first = g;
            *end_frame = g;
        }
}

static int model_compare_binding(uint32_t f, uint32_t last, const macchk_nd_verdict *v)
{
    if (!mf[f].binds)
        return v->state != OK || v->n_other_macs != 0;
    uint32_t first, end_frame, n_overlap = 0, n_before = 0;
    model_span(f, last, &first, &end_frame);
    /* the other bindings of the address, newest first: by first frame, descending */
    macchk_nd_other overlap[MACCHK_ND_MAX_OTHERS], before[MACCHK_ND_MAX_OTHERS];
    for (uint32_t g = last; g >= 1; g--) {
        uint32_t o_first, o_last;
        if (!model_same_address(&mf[g], &mf[f]) || model_same_binding(&mf[g], &mf[f]))
            continue;
        model_span(g, last, &o_first, &o_last);
        if (o_first != g)
            continue;  /* visit each binding once, at its first frame */
        macchk_nd_other name = {.first_frame = o_first};
        memcpy(name.mac, mf[g].bound_mac, 6);
        if (first <= o_last && o_first <= end_frame) {
            if (n_overlap < MACCHK_ND_MAX_OTHERS)
                overlap[n_overlap] = name;
            n_overlap++;
        } else if (o_last < first) {
            if (n_before < MACCHK_ND_MAX_OTHERS)
                before[n_before] = name;
            n_before++;
        }
    }
    macchk_nd_binding_state state = n_overlap ? CONFLICT : (f == first && n_before) ? MOVED : OK;
    uint32_t n = state == CONFLICT ? n_overlap : state == MOVED ? n_before : 0;
    const macchk_nd_other *names = state == CONFLICT ? overlap : before;
    int bad = v->state != state || v->n_other_macs != n;
    for (uint32_t i = 0; !bad && i < n && i < MACCHK_ND_MAX_OTHERS; i++)
        bad += v->other_macs[i].first_frame != names[i].first_frame || memcmp(v->other_macs[i].mac, names[i].mac, 6);
    return bad;
}

static int64_t model_capture_end;
static macchk_net model_nets[2];

static int model_compare(uint32_t f, uint32_t last, bool final)
{
    const model_frame *m = &mf[f];
    macchk_nd_verdict v = verdict(f, final);
    int bad = v.kind != m->msg.kind;
    bool tracked = model_is_ns(m) || m->binds;  /* the network is known where something is tracked */
    if (model_is_ns(m)) {
        uint32_t response = 0, retry = 0, attempts = 0;
        for (uint32_t g = f + 1; g <= last; g++) {
            if (!response && model_answers(&mf[g], m))
                response = g;
            if (!retry && model_same_pair(&mf[g], m))
                retry = g;
        }
        for (uint32_t g = 1; g <= last; g++)
            attempts += model_same_pair(&mf[g], m) && mf[g].first_attempt == m->first_attempt;
        bad += v.attempt != m->attempt || v.first_attempt != m->first_attempt || v.attempts != attempts;
        bad += v.response_in != response || v.retry_frame != retry;
        bad += response && v.response_time_ns != mf[response].time - m->time;
        bool no_answer = final && !model_is_dad(m) && !response;
        bool settled = retry || model_capture_end - m->time >= NS_TIME(MODEL_TIMEOUT);
        bad += v.unanswered != (no_answer && settled);
        bad += v.capture_ended != (no_answer && !settled);
        bad += v.dad_defended != (model_is_dad(m) && response);
    } else {
        uint32_t answered = 0, earliest = 0, defends = 0;
        for (uint32_t g = 1; g < f; g++) {
            if (!model_answers(m, &mf[g]))
                continue;
            if (model_is_dad(&mf[g]))
                defends = defends ? defends : g;
            else if (!answered++)
                earliest = g;
        }
        bad += v.n_answered != answered || v.request_in != earliest || v.defends != defends;
        tracked |= answered || defends;
        bad += earliest && v.request_time_ns != m->time - mf[earliest].time;
    }
    bad += v.net != (tracked ? macchk_ndtrack_find_network(tracker, &model_nets[m->net - 1]) : 0);
    return bad + model_compare_binding(f, last, &v);
}

static void test_against_model(void)
{
    int one_pass_bad = 0, final_bad = 0, answered = 0, unanswered = 0, ended = 0, defended = 0;
    int conflicts = 0, moves = 0, retries = 0;
    macchk_net_push(&model_nets[1], MACCHK_TAG_VLAN, 20);
    double now = 0;
    uint32_t last_ns = 0;
    begin(MODEL_TIMEOUT, 1u << 20, MODEL_FRAMES);
    for (uint32_t f = 1; f <= MODEL_FRAMES; f++) {
        model_frame *m = &mf[f];
        uint32_t net = rnd(5) == 0, host = 1 + rnd(6), other = 1 + rnd(6), dice = rnd(20);
        now += rnd(600) / 1000.0;
        /* hosts mostly keep a MAC for a while (moves), sometimes not (conflicts) */
        int mac = dice < 16 ? (int)(host * 10 + f / 500) : dice < 18 ? (int)(1 + rnd(70)) : (int)(200 + rnd(500));
        int option = rnd(4) ? mac : rnd(2) ? NONE : (int)(1 + rnd(70));
        uint32_t kind = rnd(10);
        ip6 src = addr(host), target = addr(other);
        if (kind < 4 && last_ns && rnd(2) && !model_is_dad(&mf[last_ns])) {  /* answer the latest NS */
            net = mf[last_ns].net - 1;
            memcpy(src.b, mf[last_ns].msg.target, 16);
            ip6 dst;
            memcpy(dst.b, mf[last_ns].msg.src, 16);
            m->msg = build(136, mac, src, dst, src, (uint8_t)(NA_S | (rnd(3) ? NA_O : 0)), option);
        } else if (kind < 4 && last_ns && rnd(2)) {  /* defend or announce the latest probed address */
            net = mf[last_ns].net - 1;
            memcpy(target.b, mf[last_ns].msg.target, 16);
            m->msg = build(136, mac, target, ALL_NODES, target, rnd(2) ? NA_O : 0, option);
        } else if (kind < 4) {  /* unsolicited */
            m->msg = build(136, mac, src, rnd(2) ? ALL_NODES : addr(other), src, rnd(2) ? NA_O : 0, option);
        } else if (kind < 6 && last_ns && !model_is_dad(&mf[last_ns])) {  /* a retry */
            net = mf[last_ns].net - 1;
            memcpy(src.b, mf[last_ns].msg.src, 16);
            memcpy(target.b, mf[last_ns].msg.target, 16);
            m->msg = build(135, mac, src, rnd(2) ? target : solicited_node(target), target, 0, option);
        } else if (kind < 7) {
            m->msg = build(135, mac, addr(0), solicited_node(target), target, 0, NONE);
        } else {
            m->msg = build(135, mac, src, rnd(4) ? solicited_node(target) : target, target, 0, option);
        }
        if (model_is_ns(m))
            last_ns = f;
        m->net = net + 1;
        m->time = model_capture_end = NS_TIME(now);
        memcpy(m->link_mac, MAC(mac), 6);
        on_net = model_nets[net];
        feed(f, now, &m->msg);
        model_observe(f);
        one_pass_bad += model_compare(f, f, false) != 0;
    }
    for (uint32_t f = 1; f <= MODEL_FRAMES; f++) {
        final_bad += model_compare(f, MODEL_FRAMES, true) != 0;
        macchk_nd_verdict v = verdict(f, true);
        answered += v.response_in && !v.dad_defended;
        defended += v.dad_defended;
        unanswered += v.unanswered;
        ended += v.capture_ended;
        conflicts += v.state == CONFLICT;
        moves += v.state == MOVED;
        retries += v.attempt > 1;
    }
    CHECK_EQ_INT(one_pass_bad, 0);
    CHECK_EQ_INT(final_bad, 0);
    CHECK(!macchk_ndtrack_full(tracker));
    /* the run did exercise every rule */
    CHECK(answered > 100 && defended > 20 && unanswered > 100 && conflicts > 100 && moves > 5 && retries > 100);
    end();
}

/* ---- stress --------------------------------------------------------------- */

static void test_stress(void)
{
    enum { FRAMES = 200000, CAP = 2000 };
    size_t peak = 0, own_records = 0;
    int insane = 0;
    double now = 0;
    begin(3.0, CAP, FRAMES);
    for (uint32_t f = 1; f <= FRAMES; f++) {
        uint32_t host = 1 + rnd(5000), target = 1 + rnd(300);
        int mac = rnd(8) ? (int)host : (int)rnd(65536);
        now += rnd(100) / 1000.0;
        uint32_t dice = rnd(10);
        if (dice < 5)
            ns(f, now, mac, addr(host), addr(target));
        else if (dice < 6)
            dad(f, now, mac, addr(host));
        else if (dice < 8)
            na(f, now, mac, ALL_NODES, addr(host), NA_O, mac);
        else
            answer(f, now, mac, addr(target), addr(host));
        macchk_nd_verdict v = verdict(f, false);
        insane += v.attempt > v.attempts || v.first_attempt > f || v.request_in >= f || v.defends >= f;
        if (mem.live > peak)
            peak = mem.live;
    }
    for (uint32_t f = 1; f <= FRAMES; f++) {
        macchk_nd_verdict v = verdict(f, true);
        own_records += macchk_ndtrack_shared_index(tracker, rec[f]) == 0;
        insane += v.response_in && v.response_in <= f;
        insane += (v.state == OK) != (v.n_other_macs == 0);
        insane += v.n_other_macs > MACCHK_ND_SCAN_LIMIT;
    }
    CHECK_EQ_INT(insane, 0);
    CHECK(macchk_ndtrack_full(tracker));
    CHECK_EQ_INT(count_full_here(FRAMES), 1);
    /* 64 bytes an own frame record, 512 per capped entry of each of the 4
     * tables (record, hash slots at worst load, id index), 64 KiB fixed */
    const size_t bound = own_records * 64 + (size_t)CAP * 4 * 512 + 65536;
    CHECK(own_records < FRAMES / 2);  /* the flood past the caps shares records */
    CHECK(peak < bound);
    collect();
    CHECK(n_bindings_seen > 0 && n_bindings_seen <= CAP);
    CHECK(n_exchanges_seen > 0 && n_exchanges_seen <= CAP);
    end();
}

int main(void)
{
    test_answered();
    test_answer_rules();
    test_retries();
    test_unanswered();
    test_dad_undefended();
    test_dad_defended();
    test_conflict_and_move();
    test_no_conflicts();
    test_many_macs_one_address();
    test_cap_addresses_and_exchanges();
    test_cap_bindings_and_networks();
    test_views();
    test_against_model();
    test_stress();
    return unit_report("test_ndtrack");
}
