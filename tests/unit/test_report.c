/* Unit tests of macchk_report: finding names, one pass equal to two,
 * per-request wording, replies not accepted, networks, Warnings kept before
 * Notes, bounds, interrupted drawing, JSON; Neighbor Discovery beside ARP. */
#include <stdlib.h>

#include "fixture.h"
#include "macchk_report.h"
#include "unit.h"

static const uint8_t BAD[6] = {0x53, 0x54, 0x00, 0x12, 0x34, 0x56};
static const uint8_t HOST[6] = {0x52, 0x54, 0x00, 0x8a, 0x3c, 0x01};
static const uint8_t GOOD[6] = {0x52, 0x54, 0x00, 0x11, 0x22, 0x33};
static const uint8_t A[6] = {0x00, 0x1b, 0x21, 0x02, 0x0a, 0x0a};
static const uint8_t B[6] = {0x00, 0x1b, 0x21, 0x02, 0x0a, 0x0b};

static bool contains(const char *haystack, const char *needle)
{
    bool found = haystack && strstr(haystack, needle) != NULL;
    if (!found)
        fprintf(stderr, "--- expected to find:\n%s\n--- in:\n%s\n", needle, haystack ? haystack : "(null)");
    return found;
}

static macchk_report *new_report(size_t cap, uint32_t lines)
{
    macchk_report_limits limits = {.cap = cap, .lines_per_kind = lines, .arp_timeout_ns = TIMEOUT};
    return macchk_report_new(&limits);
}

static const char *vendor(const uint8_t mac[6], void *ctx)
{
    return mac[0] == 0x00 ? "Intel Corporate" : NULL;
}

/* One frame of a scenario: an ARP packet, an ND message (nd: its ICMPv6
 * type; addresses 2001:db8::src6 and so on), or any other frame. */
typedef struct {
    int64_t ms;
    uint16_t op;
    const uint8_t *src, *dst;
    uint32_t spa, tpa, vlan;
    uint8_t nd, flags;
    uint16_t src6, dst6, target6;
} step;

/* The scenario through a tracker and a report, as a one-pass read gives it
 * (two_pass: as the second pass of -2 gives it); the report as text or JSON. */
static char *play(const step *s, size_t n, size_t cap, bool two_pass, macchk_report_format format)
{
    macchk_tracker *t = fx_tracker(1024);
    macchk_ndtracker *nt = fx_ndtracker(1024);
    macchk_session session = {.tracker = t, .ndtracker = nt};
    macchk_report *rep = new_report(cap, 0);
    macchk_result *r = calloc(n, sizeof *r);
    for (size_t i = 0; i < n; i++) {
        uint32_t frame = (uint32_t)i + 1;
        macchk_track_clock(t, s[i].ms * MS);
        macchk_ndtrack_clock(nt, s[i].ms * MS);
        if (s[i].op)
            r[i] = fx_arp(t, frame, s[i].ms * MS, s[i].op, s[i].src, s[i].spa, s[i].dst, s[i].tpa, s[i].vlan);
        else if (s[i].nd)
            r[i] = fx_nd(nt, frame, s[i].ms * MS, s[i].nd, s[i].src, fx_addr6(s[i].src6), fx_addr6(s[i].dst6),
                         fx_addr6(s[i].target6), s[i].flags);
        else
            r[i] = fx_frame(frame, s[i].src, s[i].dst, s[i].vlan);
        if (!two_pass)
            macchk_report_add_frame(rep, &r[i], s[i].ms * MS, &session);
    }
    for (size_t i = 0; two_pass && i < n; i++) {
        macchk_result final = fx_final(t, nt, r[i]);
        macchk_report_add_frame(rep, &final, s[i].ms * MS, &session);
    }
    macchk_report_settle(rep, &session);
    char *out = macchk_report_string(rep, format, &POLICY, vendor, NULL);
    free(r);
    macchk_report_free(rep);
    macchk_track_free(t);
    macchk_ndtrack_free(nt);
    return out;
}

/* The one-pass report equals the two-pass one, text and JSON; the text. */
static char *play_both(const step *s, size_t n, size_t cap)
{
    char *one = play(s, n, cap, false, MACCHK_REPORT_JSON), *two = play(s, n, cap, true, MACCHK_REPORT_JSON);
    CHECK_EQ_STR(one, two);
    free(one);
    free(two);
    one = play(s, n, cap, false, MACCHK_REPORT_TEXT);
    two = play(s, n, cap, true, MACCHK_REPORT_TEXT);
    CHECK_EQ_STR(one, two);
    free(two);
    return one;
}

/* Frames from these sources (no tracker), then the report's text. */
static char *sources_text(macchk_report *rep, const uint8_t (*macs)[6], size_t n)
{
    for (size_t i = 0; i < n; i++) {
        macchk_result r = fx_frame((uint32_t)i + 1, macs[i], BCAST, 0);
        macchk_report_add_frame(rep, &r, 0, NULL);
    }
    macchk_report_settle(rep, NULL);
    return macchk_report_string(rep, MACCHK_REPORT_TEXT, &POLICY, NULL, NULL);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define ARP(ms_, op_, src_, dst_, spa_, tpa_) \
    {.ms = ms_, .op = op_, .src = src_, .dst = dst_, .spa = spa_, .tpa = tpa_}
#define ARP_ON(vlan_, ms_, op_, src_, dst_, spa_, tpa_) \
    {.ms = ms_, .op = op_, .src = src_, .dst = dst_, .spa = spa_, .tpa = tpa_, .vlan = vlan_}
#define OTHER(ms_, src_, dst_, vlan_) {.ms = ms_, .src = src_, .dst = dst_, .vlan = vlan_}
#define NS(ms_, mac, src6_, target6_) \
    {.ms = ms_, .src = mac, .dst = BCAST, .nd = 135, .src6 = src6_, .target6 = target6_}
#define NA(ms_, mac, dst6_, target6_, flags_) \
    {.ms = ms_, .src = mac, .dst = BCAST, .nd = 136, .flags = flags_, .src6 = target6_, .dst6 = dst6_, \
     .target6 = target6_}

static void test_empty(void)
{
    macchk_report *rep = new_report(16, 0);
    macchk_report_settle(rep, NULL);
    char *text = macchk_report_string(rep, MACCHK_REPORT_TEXT, &POLICY, NULL, NULL);
    /* no frame at all (tshark draws a report no record reached): nothing to check, not "no problems" */
    CHECK(contains(text, "triage report\nNothing to check: no frame carries MAC addresses or ARP\n0 frames checked, "
                         "0 invalid"));
    CHECK(contains(text, "\nNothing to check: no frame carries MAC addresses or ARP.\n"));
    CHECK(strstr(text, "No problems found") == NULL);
    CHECK(contains(text, "\nHosts (0):\n"));
    free(text);

    /* a link layer without MAC addresses (raw IP): said so, not "no problems" */
    macchk_result bare;
    memset(&bare, 0, sizeof bare);
    bare.frame = 1;
    macchk_report_add_frame(rep, &bare, 0, NULL);
    macchk_report_settle(rep, NULL);
    text = macchk_report_string(rep, MACCHK_REPORT_TEXT, &POLICY, NULL, NULL);
    CHECK(contains(text, "1 more frame without MAC addresses or ARP (not checked)"));
    CHECK(contains(text, "Nothing to check: no frame carries MAC addresses or ARP"));
    CHECK(strstr(text, "No problems found") == NULL);
    free(text);
    macchk_report_free(rep);
}

/* bad-guest-mac.pcap in miniature: the bad guest asks three times, the host
 * asks for it three times, nobody answers; a good guest is answered. */
static const step bad_guest[] = {
    ARP(0, 1, BAD, BCAST, IP(192, 168, 122, 50), IP(192, 168, 122, 1)),
    ARP(1000, 1, BAD, BCAST, IP(192, 168, 122, 50), IP(192, 168, 122, 1)),
    ARP(2000, 1, BAD, BCAST, IP(192, 168, 122, 50), IP(192, 168, 122, 1)),
    ARP(3000, 1, HOST, BCAST, IP(192, 168, 122, 1), IP(192, 168, 122, 50)),
    OTHER(3200, BAD, HOST, 0),
    ARP(4000, 1, HOST, BCAST, IP(192, 168, 122, 1), IP(192, 168, 122, 50)),
    ARP(5000, 1, HOST, BCAST, IP(192, 168, 122, 1), IP(192, 168, 122, 50)),
    ARP(6000, 1, GOOD, BCAST, IP(192, 168, 122, 51), IP(192, 168, 122, 1)),
    ARP(6001, 2, HOST, GOOD, IP(192, 168, 122, 1), IP(192, 168, 122, 51)),
    OTHER(9000, GOOD, HOST, 0),
};

static void test_bad_guest(void)
{
    char *text = play_both(bad_guest, N(bad_guest), 64);
    /* frames 4, 6, 7 become invalid once known unanswered */
    CHECK(contains(text, "\n3 problems in 10 frames: 1 bad source MAC, 2 unanswered ARP\n"
                         "10 frames checked, 7 invalid (with a Warning); 3 warnings, 0 notes\n"));
    CHECK(contains(text, "  1. 192.168.122.50's source 53:54:00:12:34:56 has the group bit set (did you mean "
                         "52:54:00:12:34:56? That is QEMU's default MAC, shared by every guest started without "
                         "mac=: give this guest a unique address in 52:54:00), also as ARP sender MAC: 4 frames "
                         "(frames 1-5)\n"));
    CHECK(contains(text, "  2. 192.168.122.50 (53:54:00:12:34:56) asked for 192.168.122.1 3 times (frames 1-3), "
                         "never answered; 192.168.122.50's source 53:54:00:12:34:56 has the group bit set (did "
                         "you mean 52:54:00:12:34:56?)\n"));
    CHECK(contains(text, "  3. 192.168.122.1 (52:54:00:8a:3c:01) asked for 192.168.122.50 3 times (frames 4-7), "
                         "never answered; 192.168.122.50's source"));
    CHECK(strstr(text, "Notes:") == NULL);
    CHECK(strstr(text, "Network") == NULL); /* one network: no column */
    CHECK(contains(text, "  53:54:00:12:34:56  multicast, LAA AAI  -                     192.168.122.50  -     "
                         "frames 1-5 (4)\n")); /* no ND: no IPv6 address */
    free(text);

    char *json = play(bad_guest, N(bad_guest), 64, false, MACCHK_REPORT_JSON);
    CHECK(contains(json, "\"verdict\": \"3 problems in 10 frames: 1 bad source MAC, 2 unanswered ARP\""));
    CHECK(contains(json, "\"frames\": 10, \"frames_without_mac\": 0, \"invalid_frames\": 7, \"warnings\": 3, "
                         "\"warnings_exact\": true, \"notes\": 0, \"networks\": 1"));
    CHECK(contains(json, "\"arp_unanswered\": 6"));
    CHECK(contains(json, "{\"severity\": \"warning\", \"kind\": \"arp_unanswered\", \"network\": \"if 0\", "
                         "\"hosts\": [\"192.168.122.1\",\"52:54:00:8a:3c:01\",\"192.168.122.50\"], \"frames\": "
                         "{\"first\": 4, \"last\": 7, \"count\": 3}"));
    CHECK(contains(json, "{\"mac\": \"53:54:00:12:34:56\", \"network\": \"if 0\", \"cast\": \"multicast\""));
    free(json);
}

static void test_per_request(void)
{
    uint32_t a = IP(10, 1, 3, 1), b = IP(10, 1, 3, 2), c = IP(10, 1, 3, 3);
    /* four attempts 2 s apart; the reply answers the last two (within 3 s of each) */
    const step some[] = {
        ARP(0, 1, A, BCAST, a, b), ARP(2000, 1, A, BCAST, a, b), ARP(4000, 1, A, BCAST, a, b),
        ARP(6000, 1, A, BCAST, a, b), ARP(6200, 2, B, A, b, a),
        ARP(7000, 1, A, BCAST, a, c), /* c never speaks */
        OTHER(20000, A, B, 0),
    };
    char *text = play_both(some, N(some), 64);
    CHECK(contains(text, "10.1.3.1 (00:1b:21:02:0a:0a) asked for 10.1.3.2 4 times (frames 1-4), 2 unanswered\n"));
    CHECK(contains(text, "10.1.3.1 (00:1b:21:02:0a:0a) asked for 10.1.3.3 once (frame 6), never answered; "
                         "capture on 10.1.3.3's own port (for a VM, its tap/vnet device) to see whether it answers "
                         "from an invalid source MAC\n"));
    free(text);

    /* the capture ends just under a timeout after the last request: a Note; at it: a Warning */
    for (int64_t end = 2999; end <= 3000; end++) {
        const step tail[] = {ARP(0, 1, A, BCAST, a, b), OTHER(end, B, A, 0)};
        text = play_both(tail, N(tail), 64);
        if (end < 3000)
            CHECK(contains(text, "Notes:\n  1. 10.1.3.1 (00:1b:21:02:0a:0a) asked for 10.1.3.2 once (frame 1), "
                                 "less than the ARP timeout before the capture ended: whether a reply came is "
                                 "unknown\n"));
        else
            CHECK(contains(text, "Warnings:\n  1. 10.1.3.1 (00:1b:21:02:0a:0a) asked for 10.1.3.2 once (frame 1), "
                                 "never answered"));
        CHECK(contains(text, end < 3000 ? "No problems found in 2 frames (1 note)\n" : "1 problem in 2 frames"));
        free(text);
    }
}

static void test_not_accepted(void)
{
    uint32_t a = IP(10, 1, 4, 1), b = IP(10, 1, 4, 2);
    for (int64_t gap = 3000; gap <= 3001; gap++) {
        const step s[] = {ARP(0, 1, A, BCAST, a, b), ARP(100, 2, B, A, b, a), ARP(100 + gap, 1, A, BCAST, a, b),
                          ARP(100 + gap + 5, 2, B, A, b, a), OTHER(20000, A, B, 0)};
        char *text = play_both(s, N(s), 64);
        const char *line = "10.1.4.2 (00:1b:21:02:0a:0b) answered 10.1.4.1 (request in frame 1), yet 10.1.4.1 asked "
                           "again within the ARP timeout (frame 3): the reply was not accepted";
        if (gap == 3000)
            CHECK(contains(text, line));
        else
            CHECK(strstr(text, "not accepted") == NULL);
        free(text);
    }
}

static void test_networks(void)
{
    uint32_t a = IP(10, 5, 0, 1), b = IP(10, 5, 0, 2);
    /* the same hosts on VLANs 10 and 20; B answers only on VLAN 10 */
    const step s[] = {ARP_ON(10, 0, 1, A, BCAST, a, b), ARP_ON(10, 10, 2, B, A, b, a), ARP_ON(20, 20, 1, A, BCAST, a, b),
                      OTHER(9000, A, B, 10)};
    char *text = play_both(s, N(s), 64);
    CHECK(contains(text, "2 networks (interface, VLAN IDs, VXLAN VNIs): each problem names its own\n"));
    CHECK(contains(text, "  1. on if 0 / vlan 20: 10.5.0.1 (00:1b:21:02:0a:0a) asked for 10.5.0.2 once (frame 3), "
                         "never answered; capture on 10.5.0.2's own port"));
    CHECK(contains(text, "\nHosts (3):\n  Network         MAC                Class"));
    CHECK(contains(text, "  if 0 / vlan 10  00:1b:21:02:0a:0a  "));
    CHECK(contains(text, "  if 0 / vlan 20  00:1b:21:02:0a:0a  "));
    free(text);
    char *json = play(s, N(s), 64, false, MACCHK_REPORT_JSON);
    CHECK(contains(json, "\"kind\": \"arp_unanswered\", \"network\": \"if 0 / vlan 20\""));
    CHECK(contains(json, "{\"mac\": \"00:1b:21:02:0a:0a\", \"network\": \"if 0 / vlan 20\""));
    free(json);
}

/* 12 SLAP-reserved sources (Notes), then a group-bit and a zero source. */
static void test_warnings_first(void)
{
    for (size_t cap = 10; cap <= 14; cap += 4) {
        macchk_report *rep = new_report(cap, 0);
        uint8_t macs[14][6] = {{0}};
        for (uint8_t i = 0; i < 12; i++)
            memcpy(macs[i], (const uint8_t[]){0x06, 0x1b, 0x21, 0, 0, i}, 6);
        memcpy(macs[12], (const uint8_t[]){0x01, 0x1b, 0x21, 0, 0, 1}, 6); /* group bit; macs[13] is zero */
        char *text = sources_text(rep, (const uint8_t(*)[6])macs, 14);
        CHECK(contains(text, "14 frames checked, 2 invalid (with a Warning); 2 warnings, "));
        CHECK(contains(text, "source 01:1b:21:00:00:01 has the group bit set"));
        CHECK(contains(text, "source 00:00:00:00:00:00 is all zeros"));
        if (cap == 10) {
            CHECK(contains(text, "2 warnings, 10 notes\n"));
            CHECK(contains(text, "(the problem tables hold 10 groups each and are full: 2 more notes not kept, to "
                                 "keep the warnings; 2 later sightings of other problems not grouped)\n"));
        } else {
            CHECK(contains(text, "2 warnings, 12 notes\n"));
            CHECK(strstr(text, "not kept") == NULL);
        }
        free(text);
        macchk_report_free(rep);
    }

    /* cap 0 keeps no group and no host, and the frame counts stay exact */
    macchk_report *rep = new_report(0, 0);
    char *text = sources_text(rep, (const uint8_t[][6]){{0x01, 0, 0, 0, 0, 1}}, 1);
    CHECK(contains(text, "1 frames checked, 1 invalid (with a Warning); at least 0 warnings, 0 notes\n"));
    CHECK(contains(text, "1 later sighting of other problems not grouped"));
    CHECK(contains(text, "\nHosts (0):\n  (more hosts not listed: the hosts table holds 0; 1 sightings"));
    free(text);
    macchk_report_free(rep);
}

static void test_bounds(void)
{
    macchk_report *rep = new_report(3, 2);
    uint8_t macs[5][6];
    for (uint8_t i = 0; i < 5; i++) /* group bit: one problem per host */
        memcpy(macs[i], (const uint8_t[]){0x01, 0x1b, 0x21, 0, 0, (uint8_t)(i + 1)}, 6);
    char *text = sources_text(rep, (const uint8_t(*)[6])macs, 5);
    CHECK(contains(text, "  1. source 01:1b:21:00:00:01 has the group bit set"));
    CHECK(contains(text, "  2. source 01:1b:21:00:00:02 has the group bit set"));
    CHECK(contains(text, "     ... and 1 more like this (all of them: -z macchk,report,json)\n"));
    CHECK(contains(text, "2 later sightings of other problems not grouped)\n"));
    CHECK(contains(text, "5 frames checked, 5 invalid (with a Warning); at least 3 warnings, 0 notes\n"));
    CHECK(contains(text, "\nHosts (3):\n"));
    CHECK(contains(text, "  (more hosts not listed: the hosts table holds 3; 2 sightings of other hosts)\n"));
    CHECK(strstr(text, "01:1b:21:00:00:04") == NULL);
    free(text);
    char *json = macchk_report_string(rep, MACCHK_REPORT_JSON, &POLICY, NULL, NULL);
    CHECK(contains(json, "\"problems_not_grouped\": 2"));
    CHECK(contains(json, "\"host_sightings_not_listed\": 2}"));
    CHECK(contains(json, "\"warnings\": 3, \"warnings_exact\": false"));
    free(json);

    /* drawing stops once the flag is set (a signal), and says it stopped */
    volatile sig_atomic_t stop = 1;
    char *buf = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&buf, &size);
    CHECK(!macchk_report_write(rep, MACCHK_REPORT_TEXT, &POLICY, NULL, NULL, out, &stop));
    fclose(out);
    CHECK_EQ_INT(size, 0);
    free(buf);
    stop = 0;
    out = open_memstream(&buf, &size);
    CHECK(macchk_report_write(rep, MACCHK_REPORT_TEXT, &POLICY, NULL, NULL, out, &stop));
    fclose(out);
    CHECK(contains(buf, "Hosts (3)"));
    free(buf);
    macchk_report_free(rep);
}

static void test_views_missing(void)
{
    macchk_report *rep = new_report(16, 0);
    const uint8_t qemu_default[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
    macchk_result r = fx_frame(1, qemu_default, A, 0);
    CHECK(r.addr_findings == MACCHK_F_QEMU_DEFAULT);
    macchk_report_add_frame(rep, &r, 0, NULL);
    r = fx_arp(NULL, 2, 0, 1, A, IP(10, 0, 0, 1), BCAST, IP(10, 0, 0, 2), 0);
    r.tracked = true;
    r.verdict.is_request = true;
    r.verdict.unanswered = true;
    r.track_findings = MACCHK_T_UNANSWERED | MACCHK_T_DUP_MAC;
    r.invalid = true;
    macchk_report_add_frame(rep, &r, 0, NULL);
    macchk_report_settle(rep, NULL);
    char *text = macchk_report_string(rep, MACCHK_REPORT_TEXT, &POLICY, NULL, NULL);
    CHECK(contains(text, "(the ARP tracker was gone at the end of the file"));
    CHECK(contains(text, "  1. 10.0.0.1 (00:1b:21:02:0a:0a) asked for 10.0.0.2 once (frame 2), never answered\n"));
    CHECK(contains(text, "  2. 00:1b:21:02:0a:0a claims several IPv4 addresses at once: 1 frame (frame 2)\n"));
    CHECK(contains(text, "Notes:\n  1. source 52:54:00:12:34:56 is QEMU's built-in default MAC"));
    free(text);
    char *json = macchk_report_string(rep, MACCHK_REPORT_JSON, &POLICY, NULL, NULL);
    CHECK(contains(json, "{\"macchk_report\": 1, \"complete\": false,"));
    free(json);
    macchk_policy note = POLICY;
    note.dup_mac_is_warning = false;
    text = macchk_report_string(rep, MACCHK_REPORT_TEXT, &note, NULL, NULL);
    CHECK(contains(text, "1 warning, 2 notes\n"));
    free(text);
    /* a new file: everything forgotten */
    macchk_report_clear(rep);
    macchk_report_settle(rep, NULL);
    text = macchk_report_string(rep, MACCHK_REPORT_TEXT, &POLICY, NULL, NULL);
    CHECK(contains(text, "\n0 frames checked, 0 invalid (with a Warning); 0 warnings, 0 notes\n"));
    CHECK(contains(text, "\nHosts (0):\n"));
    free(text);
    macchk_report_free(rep);
}

static const uint8_t C[6] = {0x00, 0x1b, 0x21, 0x02, 0x0a, 0x0c};

static void test_nd(void)
{
    /* three NS unanswered (each a retry of the last); a DAD probe for ::5 that C defends */
    const step some[] = {
        NS(0, A, 1, 2), NS(1000, A, 1, 2), NS(2000, A, 1, 2),
        NS(10000, B, 0, 5), NA(10500, C, 9, 5, FX_NA_O),
        OTHER(20000, A, B, 0),
    };
    char *text = play_both(some, N(some), 64);
    CHECK(contains(text, "\n2 problems in 6 frames: 1 unanswered NS, 1 IPv6 address in use\n"));
    CHECK(contains(text, "  1. 2001:db8::1 (00:1b:21:02:0a:0a) asked for 2001:db8::2 3 times (frames 1-3), never "
                         "answered; capture on 2001:db8::2's own port"));
    CHECK(contains(text, "  2. 00:1b:21:02:0a:0b probed 2001:db8::5 (duplicate address detection, frame 4) and "
                         "00:1b:21:02:0a:0c defended it in frame 5: 2001:db8::5 is already in use, the prober must "
                         "not take it\n"));
    /* the hosts' IPv6 column: the bindings (NS source with an SLLAO, NA with O) */
    CHECK(contains(text, "IPv4  IPv6         Frames\n"));
    CHECK(contains(text, "  00:1b:21:02:0a:0c  unicast, UAA  Intel Corporate       -     2001:db8::5  frame 5 (1)\n"));
    free(text);
    char *json = play(some, N(some), 64, false, MACCHK_REPORT_JSON);
    CHECK(contains(json, "\"kind\": \"nd_unanswered\", \"network\": \"if 0\", \"hosts\": [\"2001:db8::1\","
                         "\"00:1b:21:02:0a:0a\",\"2001:db8::2\"]"));
    CHECK(contains(json, "\"ipv6\": [\"2001:db8::5\"], \"ipv6_not_listed\": 0"));
    CHECK(contains(json, "\"nd_unanswered\": 3, \"nd_capture_ended\": 0, \"nd_dad_defended\": 1"));
    free(json);

    /* the capture ends just under a timeout after an NS: a Note; at it: a Warning */
    for (int64_t end = 2999; end <= 3000; end++) {
        const step tail[] = {NS(0, A, 1, 2), OTHER(end, B, A, 0)};
        text = play_both(tail, N(tail), 64);
        CHECK(contains(text, end < 3000 ? "Notes:\n  1. 2001:db8::1 (00:1b:21:02:0a:0a) asked for 2001:db8::2 once "
                                          "(frame 1), less than the ND timeout before the capture ended"
                                        : "Warnings:\n  1. 2001:db8::1 (00:1b:21:02:0a:0a) asked for 2001:db8::2 "
                                          "once (frame 1), never answered"));
        free(text);
    }

    /* a conflict looks like a move until A speaks again: the report says conflict in one pass too */
    const step conflict[] = {NA(0, A, 9, 7, FX_NA_O), NA(1000, B, 9, 7, FX_NA_O), NA(2000, A, 9, 7, FX_NA_O)};
    for (int two_pass = 0; two_pass <= 1; two_pass++) {
        text = play(conflict, N(conflict), 64, two_pass, MACCHK_REPORT_TEXT);
        CHECK(contains(text, "\n1 problem in 3 frames: 1 IPv6 conflict\n"));
        CHECK(contains(text, "  1. 2001:db8::7 is claimed by 00:1b:21:02:0a:0a (frames 1-3) and 00:1b:21:02:0a:0b "
                             "(frame 2) at the same time: two hosts configured with one address, or ND spoofing\n"));
        CHECK(strstr(text, "moved") == NULL);
        free(text);
    }
    /* without the second claim by A: a move, a Note */
    text = play(conflict, 2, 64, false, MACCHK_REPORT_TEXT);
    CHECK(contains(text, "  1. 2001:db8::7 moved from 00:1b:21:02:0a:0a (frame 1) to 00:1b:21:02:0a:0b (frame 2)"));
    free(text);
}

int main(void)
{
    test_empty();
    test_bad_guest();
    test_per_request();
    test_not_accepted();
    test_networks();
    test_warnings_first();
    test_bounds();
    test_views_missing();
    test_nd();
    return unit_report("test_report");
}
