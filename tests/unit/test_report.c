/* Unit tests of macchk_report: finding names, settling request verdicts,
 * problem grouping and wording, hosts table, bounds, JSON. */
#include <stdlib.h>

#include "macchk_report.h"
#include "unit.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

static const uint8_t BAD[6] = {0x53, 0x54, 0x00, 0x12, 0x34, 0x56};
static const uint8_t HOST[6] = {0x52, 0x54, 0x00, 0x8a, 0x3c, 0x01};
static const uint8_t A[6] = {0x00, 0x1b, 0x21, 0x02, 0x0a, 0x0a};
static const uint8_t B[6] = {0x00, 0x1b, 0x21, 0x02, 0x0a, 0x0b};
static const uint8_t BCAST[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

static const macchk_policy POLICY = {.dup_mac_is_warning = true, .note_unicast_request = true,
                                     .note_target_mismatch = true, .note_unsolicited = true,
                                     .note_changes = true, .note_qemu_default = true,
                                     .note_slap_reserved = true};

static bool contains(const char *haystack, const char *needle)
{
    bool found = haystack && strstr(haystack, needle) != NULL;
    if (!found)
        fprintf(stderr, "--- expected to find:\n%s\n--- in:\n%s\n", needle, haystack ? haystack : "(null)");
    return found;
}

static macchk_report *new_report(uint32_t cap, uint32_t lines)
{
    macchk_report_limits limits = {.cap = cap, .lines_per_kind = lines};
    return macchk_report_new(&limits);
}

/* A frame from src to dst, classified and judged like the dissector does. */
static macchk_result frame(uint32_t number, const uint8_t *src, const uint8_t *dst)
{
    macchk_result r;
    memset(&r, 0, sizeof r);
    r.frame = number;
    r.has_src = r.has_dst = true;
    memcpy(r.src, src, 6);
    memcpy(r.dst, dst, 6);
    macchk_classify(r.src, &r.src_class);
    macchk_classify(r.dst, &r.dst_class);
    r.addr_findings = macchk_judge_source(&r.src_class) | macchk_judge_destination(&r.dst_class);
    r.invalid = macchk_result_is_invalid(&r, &POLICY);
    return r;
}

/* An ARP request from src/spa for tpa, as the first pass sees it: attempt
 * of the exchange that started at first, no reply known yet. */
static macchk_result request(uint32_t number, const uint8_t *src, uint32_t spa, uint32_t tpa, uint32_t attempt,
                             uint32_t first)
{
    macchk_result r = frame(number, src, BCAST);
    r.has_arp = true;
    r.arp = (macchk_arp_packet){.htype = 1, .ptype = 0x0800, .hlen = 6, .plen = 4, .opcode = 1,
                                .fixed_part = true, .body_complete = true, .spa = spa, .tpa = tpa};
    memcpy(r.arp.sha, src, 6);
    macchk_classify(r.arp.sha, &r.sha_class);
    macchk_link_addrs link = {.has_src = true, .has_dst = true};
    memcpy(link.src, src, 6);
    memcpy(link.dst, BCAST, 6);
    r.arp_findings = macchk_arp_judge(&r.arp, &link);
    r.tracked = true;
    r.verdict.is_request = true;
    r.verdict.probe = spa == 0;
    r.verdict.attempt = attempt;
    r.verdict.attempts = attempt;
    r.verdict.first_attempt = first;
    r.invalid = macchk_result_is_invalid(&r, &POLICY);
    return r;
}

static void test_finding_names(void)
{
    size_t n;
    const macchk_finding_info *f = macchk_findings(&n);
    unsigned seen[MACCHK_SET_COUNT] = {0};

    CHECK(n >= 27);
    for (size_t i = 0; i < n; i++) {
        CHECK((seen[f[i].set] & f[i].bit) == 0); /* every bit once */
        seen[f[i].set] |= f[i].bit;
        for (size_t j = i + 1; j < n; j++) {
            CHECK(strcmp(f[i].name, f[j].name) != 0);
            CHECK(strcmp(f[i].key, f[j].key) != 0);
        }
    }
    CHECK_EQ_INT(seen[MACCHK_SET_ADDR], MACCHK_F_WARNINGS | MACCHK_F_QEMU_DEFAULT | MACCHK_F_SRC_SLAP_RESERVED);
    CHECK_EQ_INT(seen[MACCHK_SET_TRACK], (MACCHK_T_CAPTURE_ENDED << 1) - 1);
    CHECK_EQ_INT(seen[MACCHK_SET_ARP], (MACCHK_A_SNAP_CUT << 1) - 1);

    macchk_policy note = POLICY;
    note.dup_mac_is_warning = false;
    CHECK_EQ_INT(macchk_finding_severity(MACCHK_SET_TRACK, MACCHK_T_DUP_MAC, &POLICY), MACCHK_SEV_WARNING);
    CHECK_EQ_INT(macchk_finding_severity(MACCHK_SET_TRACK, MACCHK_T_DUP_MAC, &note), MACCHK_SEV_NOTE);
    CHECK_EQ_INT(macchk_finding_severity(MACCHK_SET_TRACK, MACCHK_T_CAPTURE_ENDED, &POLICY), MACCHK_SEV_NOTE);
    CHECK_EQ_INT(macchk_finding_severity(MACCHK_SET_ARP, MACCHK_A_SENDER_MISMATCH, &POLICY), MACCHK_SEV_WARNING);
    CHECK_EQ_INT(macchk_finding_severity(MACCHK_SET_ADDR, MACCHK_F_QEMU_DEFAULT, &POLICY), MACCHK_SEV_NOTE);
}

static void test_empty(void)
{
    macchk_report *rep = new_report(16, 0);
    char *text, *json;

    macchk_report_begin_views(rep);
    text = macchk_report_text(rep, &POLICY, NULL, NULL);
    CHECK(contains(text, "0 frames checked, 0 invalid (with a Warning); 0 warnings, 0 notes\n"));
    CHECK(contains(text, "\nNo problems found.\n"));
    CHECK(contains(text, "\nHosts (0):\n"));
    json = macchk_report_json(rep, &POLICY, NULL, NULL);
    CHECK(contains(json, "\"warnings\": 0, \"notes\": 0"));
    CHECK(contains(json, "\"problems\": []"));
    CHECK(contains(json, "\"hosts\": []"));
    free(text);
    free(json);
    macchk_report_free(rep);
}

static const char *vendor(const uint8_t mac[6], void *ctx)
{
    return mac[0] == 0x00 ? "Intel Corporate" : NULL;
}

/* bad-guest-mac.pcap in miniature: the bad guest asks three times, the
 * host asks for it twice, nobody answers. */
static void test_bad_guest(void)
{
    macchk_report *rep = new_report(16, 0);
    uint32_t guest = IP(192, 168, 122, 50), host = IP(192, 168, 122, 1);
    macchk_result r;
    char *text, *json;

    for (uint32_t i = 1; i <= 3; i++) {
        r = request(i, BAD, guest, host, i, 1);
        CHECK(r.invalid);
        macchk_report_add_frame(rep, &r);
    }
    for (uint32_t i = 4; i <= 5; i++) {
        r = request(i, HOST, host, guest, i - 3, 4);
        CHECK(!r.invalid);
        macchk_report_add_frame(rep, &r);
    }
    r = frame(6, BAD, HOST); /* a ping */
    macchk_report_add_frame(rep, &r);

    macchk_report_begin_views(rep);
    macchk_report_add_binding(rep, &(macchk_binding_info){.ip = host, .mac = {0x52, 0x54, 0x00, 0x8a, 0x3c, 0x01},
                                                          .first_frame = 4, .last_frame = 5, .frames = 2});
    macchk_report_add_binding(rep, &(macchk_binding_info){.ip = guest, .mac = {0x53, 0x54, 0x00, 0x12, 0x34, 0x56},
                                                          .first_frame = 1, .last_frame = 3, .frames = 3});
    macchk_exchange_info e1 = {.spa = guest, .tpa = host, .first_frame = 1, .last_frame = 3, .attempts = 3};
    memcpy(e1.sha, BAD, 6);
    macchk_exchange_info e2 = {.spa = host, .tpa = guest, .first_frame = 4, .last_frame = 5, .attempts = 2};
    memcpy(e2.sha, HOST, 6);
    macchk_report_add_exchange(rep, &e1);
    macchk_report_add_exchange(rep, &e2);

    text = macchk_report_text(rep, &POLICY, vendor, NULL);
    /* frames 4 and 5 become invalid once known unanswered */
    CHECK(contains(text, "6 frames checked, 6 invalid (with a Warning); 3 warnings, 0 notes\n"));
    CHECK(contains(text, "\nWarnings:\n"
                         "  1. 192.168.122.50's source 53:54:00:12:34:56 has the group bit set (did you mean "
                         "52:54:00:12:34:56?), also as ARP sender MAC: 4 frames (frames 1-6)\n"
                         "  2. 192.168.122.50 (53:54:00:12:34:56) asked for 192.168.122.1 3 times (frames 1-3), "
                         "never answered; 192.168.122.50's source 53:54:00:12:34:56 has the group bit set (did "
                         "you mean 52:54:00:12:34:56?)\n"
                         "  3. 192.168.122.1 (52:54:00:8a:3c:01) asked for 192.168.122.50 2 times (frames 4-5), "
                         "never answered; 192.168.122.50's source"));
    CHECK(strstr(text, "Notes:") == NULL);
    CHECK(contains(text, "\nHosts (2):\n"));
    CHECK(contains(text, "  53:54:00:12:34:56  multicast, LAA AAI  -   "));
    CHECK(contains(text, "  52:54:00:8a:3c:01  unicast, LAA AAI    QEMU/KVM  "));
    CHECK(contains(text, "192.168.122.50  frames 1-6 (4)\n"));

    json = macchk_report_json(rep, &POLICY, vendor, NULL);
    CHECK(contains(json, "\"frames\": 6, \"frames_without_mac\": 0, \"invalid_frames\": 6, \"warnings\": 3, \"notes\": 0"));
    CHECK(contains(json, "\"src_group_bit\": 4"));
    CHECK(contains(json, "\"arp_sender_group_bit\": 3"));
    CHECK(contains(json, "\"arp_unanswered\": 5"));
    CHECK(contains(json, "{\"severity\": \"warning\", \"kind\": \"bad_source_mac\", \"hosts\": "
                         "[\"53:54:00:12:34:56\",\"192.168.122.50\"], \"frames\": {\"first\": 1, \"last\": 6, "
                         "\"count\": 4}, \"text\": \"192.168.122.50's source"));
    CHECK(contains(json, "\"kind\": \"arp_unanswered\", \"hosts\": [\"192.168.122.1\",\"52:54:00:8a:3c:01\","
                         "\"192.168.122.50\"], \"frames\": {\"first\": 4, \"last\": 5, \"count\": 2}"));
    CHECK(contains(json, "{\"mac\": \"53:54:00:12:34:56\", \"cast\": \"multicast\", \"admin\": \"LAA\", "
                         "\"slap\": \"AAI\", \"range\": \"none\", \"vnic\": \"none\", \"vendor\": null, "
                         "\"ipv4\": [\"192.168.122.50\"], \"ipv4_not_listed\": 0, \"first_frame\": 1, "
                         "\"last_frame\": 6, \"frames\": 4}"));
    free(text);
    free(json);

    /* Drawn again (the GUI redraws): the same, not counted twice. */
    macchk_report_begin_views(rep);
    macchk_report_add_exchange(rep, &e1);
    macchk_report_add_exchange(rep, &e2);
    json = macchk_report_json(rep, &POLICY, vendor, NULL);
    CHECK(contains(json, "\"invalid_frames\": 6, \"warnings\": 3"));
    free(json);

    /* A new file */
    macchk_report_clear(rep);
    macchk_report_begin_views(rep);
    text = macchk_report_text(rep, &POLICY, vendor, NULL);
    CHECK(contains(text, "\nNo problems found.\n"));
    free(text);

    /* A link layer without MAC addresses (raw IP): said so, not "no problems" */
    macchk_report_clear(rep);
    {
        macchk_result bare;
        memset(&bare, 0, sizeof bare);
        bare.frame = 1;
        macchk_report_add_frame(rep, &bare);
        bare.frame = 2;
        macchk_report_add_frame(rep, &bare);
    }
    macchk_report_begin_views(rep);
    text = macchk_report_text(rep, &POLICY, vendor, NULL);
    CHECK(contains(text, "0 frames checked"));
    CHECK(contains(text, "2 more frames without MAC addresses or ARP (not checked)"));
    CHECK(contains(text, "Nothing to check: no frame carries MAC addresses or ARP."));
    CHECK(strstr(text, "No problems found") == NULL);
    free(text);
    json = macchk_report_json(rep, &POLICY, vendor, NULL);
    CHECK(contains(json, "\"frames\": 0, \"frames_without_mac\": 2,"));
    free(json);
    macchk_report_free(rep);
}

static void test_pending(void)
{
    macchk_pending *p = macchk_pending_new(8);
    macchk_pending_fix fix = {0};
    uint32_t a = IP(10, 1, 3, 1), b = IP(10, 1, 3, 2), c = IP(10, 1, 3, 3);
    macchk_result r;

    r = request(1, HOST, a, b, 1, 1);
    CHECK(macchk_pending_add(p, &r));
    r = request(2, HOST, a, b, 2, 1);
    CHECK(macchk_pending_add(p, &r));
    r = request(3, HOST, a, c, 1, 3); /* near the end */
    CHECK(macchk_pending_add(p, &r));
    r = request(4, HOST, 0, c, 1, 4); /* a probe */
    r.verdict.probe = true;
    CHECK(macchk_pending_add(p, &r));
    r = frame(5, HOST, BCAST);
    CHECK(!macchk_pending_add(p, &r)); /* not a request */
    /* a final verdict is not settled again */
    r = request(6, HOST, a, IP(10, 9, 9, 9), 1, 6);
    r.verdict.unanswered = true;
    CHECK(!macchk_pending_add(p, &r));

    macchk_exchange_info e = {.spa = a, .tpa = b, .first_frame = 1, .last_frame = 2, .attempts = 2};
    CHECK_EQ_INT(macchk_pending_status(p, &e), MACCHK_EXCHANGE_UNANSWERED);
    macchk_pending_resolve(p, &e, &fix);
    CHECK_EQ_INT(fix.unanswered, 2);
    CHECK_EQ_INT(fix.newly_invalid, 2);
    CHECK_EQ_INT(fix.newly_flagged, 2);

    e = (macchk_exchange_info){.spa = a, .tpa = c, .first_frame = 3, .last_frame = 3, .attempts = 1,
                               .capture_ended = true};
    CHECK_EQ_INT(macchk_pending_status(p, &e), MACCHK_EXCHANGE_CAPTURE_ENDED);
    macchk_pending_resolve(p, &e, &fix);
    CHECK_EQ_INT(fix.capture_ended, 1);
    CHECK_EQ_INT(fix.newly_invalid, 2); /* a Note */
    CHECK_EQ_INT(fix.newly_flagged, 3);

    e = (macchk_exchange_info){.spa = 0, .tpa = c, .first_frame = 4, .last_frame = 4, .attempts = 1,
                               .probe = true, .reply_frame = 5};
    CHECK_EQ_INT(macchk_pending_status(p, &e), MACCHK_EXCHANGE_PROBE_DEFENDED);
    macchk_pending_resolve(p, &e, &fix);
    CHECK_EQ_INT(fix.probe_defended, 1);
    CHECK_EQ_INT(fix.newly_invalid, 3);

    e.reply_frame = 0; /* an unanswered probe: the address is free */
    CHECK_EQ_INT(macchk_pending_status(p, &e), MACCHK_EXCHANGE_ANSWERED);
    e = (macchk_exchange_info){.spa = a, .tpa = b, .first_frame = 1, .last_frame = 2, .attempts = 2,
                               .reply_frame = 9};
    CHECK_EQ_INT(macchk_pending_status(p, &e), MACCHK_EXCHANGE_ANSWERED);
    /* an exchange never seen: unanswered (the tracker's own rule without times) */
    e = (macchk_exchange_info){.spa = c, .tpa = a, .first_frame = 50, .last_frame = 50, .attempts = 1};
    CHECK_EQ_INT(macchk_pending_status(p, &e), MACCHK_EXCHANGE_UNANSWERED);

    /* bounded */
    macchk_pending_clear(p);
    for (uint32_t i = 1; i <= 20; i++) {
        r = request(i, HOST, a, IP(10, 2, 0, i), 1, i);
        macchk_pending_add(p, &r);
    }
    CHECK_EQ_INT(macchk_pending_dropped(p), 12);
    macchk_pending_free(p);
}

/* arp-conflicts.pcap's conflict and move: gated by what frames flagged. */
static void test_bindings(void)
{
    macchk_report *rep = new_report(64, 0);
    uint32_t q = IP(10, 2, 0, 1), x = IP(10, 2, 0, 10), y = IP(10, 2, 0, 20), z = IP(10, 2, 0, 30);
    macchk_result r = request(3, B, x, q, 1, 3);
    char *text;

    /* frame 3 saw a move in the first pass, frame 5 the conflict */
    r.verdict = (macchk_arp_verdict){0};
    r.track_findings = MACCHK_T_IP_MOVED;
    macchk_report_add_frame(rep, &r);
    r.frame = 5;
    r.track_findings = MACCHK_T_IP_CONFLICT;
    macchk_report_add_frame(rep, &r);
    /* y moved, flagged */
    r.frame = 12;
    r.arp.spa = y;
    r.track_findings = MACCHK_T_IP_MOVED;
    macchk_report_add_frame(rep, &r);
    /* z is allow-listed: two MACs, but no frame flagged it */

    macchk_report_begin_views(rep);
    macchk_binding_info bs[] = {
        {.ip = x, .mac = {0x00, 0x1b, 0x21, 0x02, 0x0a, 0x0a}, .first_frame = 2, .last_frame = 5, .frames = 2},
        {.ip = x, .mac = {0x00, 0x1b, 0x21, 0x02, 0x0a, 0x0b}, .first_frame = 3, .last_frame = 6, .frames = 2},
        {.ip = y, .mac = {0x00, 0x1b, 0x21, 0x02, 0x14, 0x0c}, .first_frame = 8, .last_frame = 10, .frames = 2},
        {.ip = y, .mac = {0x00, 0x1b, 0x21, 0x02, 0x14, 0x0d}, .first_frame = 12, .last_frame = 14, .frames = 2},
        {.ip = z, .mac = {0x00, 0x1b, 0x21, 0x02, 0x1e, 0x01}, .first_frame = 16, .last_frame = 20, .frames = 2},
        {.ip = z, .mac = {0x00, 0x1b, 0x21, 0x02, 0x1e, 0x02}, .first_frame = 17, .last_frame = 21, .frames = 2},
    };
    for (size_t i = 0; i < sizeof bs / sizeof bs[0]; i++)
        macchk_report_add_binding(rep, &bs[i]);
    text = macchk_report_text(rep, &POLICY, NULL, NULL);
    CHECK(contains(text, "Warnings:\n  1. 10.2.0.10 is claimed by 00:1b:21:02:0a:0a (frames 2-5) and "
                         "00:1b:21:02:0a:0b (frames 3-6) at the same time"));
    CHECK(contains(text, "Notes:\n  1. 10.2.0.20 moved from 00:1b:21:02:14:0c (frames 8-10) to "
                         "00:1b:21:02:14:0d (frames 12-14) (a replaced NIC"));
    CHECK(strstr(text, "10.2.0.30 is") == NULL);
    CHECK(contains(text, "1 warning, 1 note\n"));
    free(text);
    macchk_report_free(rep);
}

static void test_bounds(void)
{
    macchk_report *rep = new_report(3, 2);
    char *text, *json;

    for (uint32_t i = 1; i <= 5; i++) {
        uint8_t mac[6] = {0x01, 0x1b, 0x21, 0, 0, (uint8_t)i}; /* group bit: one problem per host */
        macchk_result r = frame(i, mac, BCAST);
        macchk_report_add_frame(rep, &r);
    }
    macchk_report_begin_views(rep);
    text = macchk_report_text(rep, &POLICY, NULL, NULL);
    CHECK(contains(text, "  1. source 01:1b:21:00:00:01 has the group bit set"));
    CHECK(contains(text, "  2. source 01:1b:21:00:00:02 has the group bit set"));
    CHECK(contains(text, "     ... and 1 more like this (all of them: -z macchk,report,json)\n"));
    CHECK(contains(text, "(the problem table is full, 3 entries: 2 later sightings were not grouped)\n"));
    CHECK(contains(text, "\nHosts (3):\n"));
    CHECK(contains(text, "  (more hosts not listed: the hosts table holds 3; 2 sightings of other hosts)\n"));
    CHECK(strstr(text, "01:1b:21:00:00:04") == NULL);
    json = macchk_report_json(rep, &POLICY, NULL, NULL);
    CHECK(contains(json, "\"problems_not_grouped\": 2"));
    CHECK(contains(json, "\"host_sightings_not_listed\": 2}"));
    CHECK(contains(json, "\"warnings\": 3"));
    free(text);
    free(json);
    macchk_report_free(rep);
}

static void test_notes_and_views_missing(void)
{
    macchk_report *rep = new_report(16, 0);
    const uint8_t qemu_default[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
    macchk_result r = frame(1, qemu_default, A);
    char *text, *json;

    CHECK(r.addr_findings == MACCHK_F_QEMU_DEFAULT);
    macchk_report_add_frame(rep, &r);
    r = request(2, A, IP(10, 0, 0, 1), IP(10, 0, 0, 2), 1, 2);
    r.verdict.unanswered = true;
    r.track_findings = MACCHK_T_UNANSWERED | MACCHK_T_DUP_MAC;
    r.invalid = true;
    macchk_report_add_frame(rep, &r);
    macchk_report_views_missing(rep);
    text = macchk_report_text(rep, &POLICY, NULL, NULL);
    CHECK(contains(text, "(the ARP tracker was gone at the end of the file"));
    CHECK(contains(text, "  1. 10.0.0.1 (00:1b:21:02:0a:0a) asked for 10.0.0.2, never answered: 1 frame (frame 2)\n"));
    CHECK(contains(text, "  2. 00:1b:21:02:0a:0a claims several IPv4 addresses at once: 1 frame (frame 2)\n"));
    CHECK(contains(text, "Notes:\n  1. source 52:54:00:12:34:56 is QEMU's built-in default MAC"));
    json = macchk_report_json(rep, &POLICY, NULL, NULL);
    CHECK(contains(json, "{\"macchk_report\": 1, \"complete\": false,"));
    free(json);
    free(text);
    /* a duplicate MAC is a Note by preference */
    macchk_policy note = POLICY;
    note.dup_mac_is_warning = false;
    text = macchk_report_text(rep, &note, NULL, NULL);
    CHECK(contains(text, "1 warning, 2 notes\n"));
    free(text);
    macchk_report_free(rep);
}

int main(void)
{
    test_finding_names();
    test_empty();
    test_bad_guest();
    test_pending();
    test_bindings();
    test_bounds();
    test_notes_and_views_missing();
    return unit_report("test_report");
}
