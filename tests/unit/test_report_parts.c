/* Unit tests of the report's modules through macchk_report_int.h: the problem
 * list gather makes (Warnings before Notes, by kind, by frame; the policy's
 * say on duplicate MACs) and the verdict line that text and JSON share. */
#include <stdlib.h>

#include "fixture.h"
#include "macchk_report_int.h"
#include "unit.h"

static const uint8_t A[6] = {0x00, 0x1b, 0x21, 0x02, 0x0a, 0x0a};
static const uint8_t B[6] = {0x00, 0x1b, 0x21, 0x02, 0x0a, 0x0b};
static const uint8_t ZERO[6] = {0};
static const uint8_t QEMU[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};  /* QEMU's default: a Note */
static const uint8_t SLAP[6] = {0x06, 0x1b, 0x21, 0x00, 0x00, 0x01};  /* SLAP reserved: a Note */
static const uint8_t BAD_X[6] = {0x53, 0x54, 0x00, 0x00, 0x00, 0x02}; /* group bit: a Warning */
static const uint8_t BAD_Y[6] = {0x01, 0x1b, 0x21, 0x00, 0x00, 0x01};

/* One frame: ARP when op is set, else a plain frame src -> dst. */
typedef struct {
    int64_t ms;
    uint16_t op;
    const uint8_t *src, *dst;
    uint32_t spa, tpa;
} step;

#define FRAME(ms_, src_, dst_) {.ms = ms_, .src = src_, .dst = dst_}
#define REQUEST(ms_, src_, spa_, tpa_) {.ms = ms_, .op = 1, .src = src_, .dst = BCAST, .spa = spa_, .tpa = tpa_}

/* The steps through an ARP tracker into a new report, settled. */
static macchk_report *feed(const step *s, size_t n, macchk_tracker **t)
{
    macchk_report_limits limits = {.cap = 64, .arp_timeout_ns = TIMEOUT};
    macchk_report *rep = macchk_report_new(&limits);
    macchk_session session = {.tracker = *t = fx_tracker(1024)};
    for (size_t i = 0; i < n; i++) {
        uint32_t frame = (uint32_t)i + 1;
        macchk_track_clock(*t, s[i].ms * MS);
        macchk_result r = s[i].op ? fx_arp(*t, frame, s[i].ms * MS, s[i].op, s[i].src, s[i].spa, s[i].dst, s[i].tpa, 0)
                                  : fx_frame(frame, s[i].src, s[i].dst, 0);
        macchk_report_add_frame(rep, &r, s[i].ms * MS, &session);
    }
    macchk_report_settle(rep, &session);
    return rep;
}

static void done(macchk_report *rep, macchk_tracker *t)
{
    macchk_report_free(rep);
    macchk_track_free(t);
}

/* Frames in an order that is neither kind order nor severity order. */
static const step mixed[] = {
    FRAME(0, SLAP, B),                              /* 1: Note, the later Note kind */
    FRAME(100, A, ZERO),                            /* 2: Warning, the last Warning kind here */
    FRAME(200, QEMU, B),                            /* 3: Note */
    FRAME(300, BAD_X, B),                           /* 4: Warning, bad source */
    REQUEST(400, A, IP(10, 0, 0, 1), IP(10, 0, 0, 2)), /* 5: never answered: a Warning once settled */
    FRAME(500, BAD_Y, B),                           /* 6: Warning, bad source again */
    FRAME(9000, B, A),                              /* 7: a timeout later: the request is final */
};

static void test_gather_order(void)
{
    macchk_tracker *t;
    macchk_report *rep = feed(mixed, sizeof mixed / sizeof mixed[0], &t);
    render_ctx c = {.rep = rep, .policy = &POLICY};
    report_gather(&c);

    static const struct {
        int kind;
        macchk_severity severity;
        uint32_t first;
    } want[] = {
        {K_BAD_SOURCE, MACCHK_SEV_WARNING, 4},   {K_BAD_SOURCE, MACCHK_SEV_WARNING, 6},
        {K_UNANSWERED, MACCHK_SEV_WARNING, 5},   {K_DST_ZERO, MACCHK_SEV_WARNING, 2},
        {K_QEMU_DEFAULT, MACCHK_SEV_NOTE, 3},    {K_SLAP_RESERVED, MACCHK_SEV_NOTE, 1},
    };
    CHECK_EQ_INT(c.n, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < c.n && i < sizeof want / sizeof want[0]; i++) {
        CHECK_EQ_INT(c.items[i].kind, want[i].kind);
        CHECK_EQ_INT(c.items[i].severity, want[i].severity);
        CHECK_EQ_INT(c.items[i].first, want[i].first);
    }
    CHECK_EQ_INT(c.warnings, 4);
    CHECK_EQ_INT(c.notes, 2);
    CHECK(!c.multi_net);
    report_gather_free(&c);
    done(rep, t);
}

/* A MAC claiming two IPv4 addresses at once: a Warning or, by the policy, a Note after every Warning. */
static void test_gather_dup_mac_policy(void)
{
    uint32_t a = IP(10, 0, 1, 1), b = IP(10, 0, 1, 2), x = IP(10, 0, 1, 9);
    const step s[] = {
        REQUEST(0, A, a, x),   REQUEST(100, A, b, x), REQUEST(200, A, a, x),
        REQUEST(300, A, b, x), FRAME(400, BAD_X, B),  FRAME(9000, B, A),
    };
    for (int warn = 1; warn >= 0; warn--) {
        macchk_tracker *t;
        macchk_report *rep = feed(s, sizeof s / sizeof s[0], &t);
        macchk_policy policy = POLICY;
        policy.dup_mac_is_warning = warn;
        render_ctx c = {.rep = rep, .policy = &policy};
        report_gather(&c);
        size_t dup = c.n;
        for (size_t i = 0; i < c.n; i++)
            if (c.items[i].kind == K_DUP_MAC)
                dup = i;
        CHECK(dup < c.n);
        if (dup < c.n) {
            CHECK_EQ_INT(c.items[dup].severity, warn ? MACCHK_SEV_WARNING : MACCHK_SEV_NOTE);
            CHECK_EQ_INT(c.items[dup].first, 1);
            CHECK_EQ_INT(c.items[dup].count, 4);
            /* the bad source (frame 5) is a Warning of an earlier kind: before a Warning, after a Note */
            CHECK_EQ_INT(c.items[warn ? 0 : c.n - 1].kind, warn ? K_BAD_SOURCE : K_DUP_MAC);
        }
        report_gather_free(&c);
        done(rep, t);
    }
}

/* The verdict line alone, and as the text report's third line and JSON's "verdict". */
static void check_verdict(macchk_report *rep, const char *want)
{
    render_ctx c = {.rep = rep, .policy = &POLICY};
    report_gather(&c);
    strbuf b = {0};
    report_sb_verdict(&b, &c, c.notes + report_groups_evicted(rep));
    char *line = sb_take(&b);
    CHECK_EQ_STR(line, want);
    report_gather_free(&c);

    char *text = macchk_report_string(rep, MACCHK_REPORT_TEXT, &POLICY, NULL, NULL);
    const char *third = strchr(strchr(text, '\n') + 1, '\n') + 1;
    CHECK(strncmp(third, line, strlen(line)) == 0 && third[strlen(line)] == '\n');
    char *json = macchk_report_string(rep, MACCHK_REPORT_JSON, &POLICY, NULL, NULL);
    strbuf quoted = {0};
    sb_puts(&quoted, "\"verdict\": ");
    sb_json_string(&quoted, line);
    sb_puts(&quoted, ",\n");
    char *q = sb_take(&quoted);
    CHECK(strstr(json, q) != NULL);
    free(q);
    free(json);
    free(text);
    free(line);
}

static void test_verdict(void)
{
    macchk_report_limits limits = {.cap = 64, .arp_timeout_ns = TIMEOUT};
    macchk_report *rep = macchk_report_new(&limits);
    macchk_report_settle(rep, NULL);
    check_verdict(rep, "Nothing to check: no frame carries MAC addresses or ARP");
    macchk_report_free(rep);

    macchk_tracker *t;
    rep = feed(mixed, 1, &t); /* a SLAP source alone */
    check_verdict(rep, "No problems found in 1 frame (1 note)");
    done(rep, t);

    rep = feed(mixed + 6, 1, &t); /* a good frame alone */
    check_verdict(rep, "No problems found in 1 frame");
    done(rep, t);

    rep = feed(mixed, sizeof mixed / sizeof mixed[0], &t);
    check_verdict(rep, "4 problems in 7 frames: 2 bad source MACs, 1 unanswered ARP, 1 zero destination MAC "
                       "(and 2 notes)");
    done(rep, t);

    rep = feed(mixed + 3, 1, &t);
    check_verdict(rep, "1 problem in 1 frame: 1 bad source MAC");
    done(rep, t);
}

int main(void)
{
    test_gather_order();
    test_gather_dup_mac_policy();
    test_verdict();
    return unit_report("test_report_parts");
}
