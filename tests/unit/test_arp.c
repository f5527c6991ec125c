/* Unit tests of macchk_arp (single-packet rules), macchk_allow and macchk_result. */
#include "macchk_allow.h"
#include "macchk_arp.h"
#include "macchk_result.h"
#include "unit.h"

static const uint8_t HOST_A[6] = {0x00, 0x1b, 0x21, 0x00, 0x00, 0x0a};
static const uint8_t HOST_B[6] = {0x00, 0x1b, 0x21, 0x00, 0x00, 0x0b};
static const uint8_t BCAST[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
static const uint8_t VRRP[6] = {0x00, 0x00, 0x5e, 0x00, 0x01, 0x06};

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

/* A well-formed request from HOST_A 10.0.0.1 for 10.0.0.2, broadcast. */
static macchk_arp_packet request(void)
{
    macchk_arp_packet p = {.htype = 1, .ptype = 0x0800, .hlen = 6, .plen = 4, .opcode = 1,
                           .fixed_part = true, .body_complete = true,
                           .spa = IP(10, 0, 0, 1), .tpa = IP(10, 0, 0, 2)};
    memcpy(p.sha, HOST_A, 6);
    return p;
}

static macchk_link_addrs link_of(const uint8_t *src, const uint8_t *dst)
{
    macchk_link_addrs l = {.has_src = src != NULL, .has_dst = dst != NULL};
    if (src)
        memcpy(l.src, src, 6);
    if (dst)
        memcpy(l.dst, dst, 6);
    return l;
}

static void test_well_formed(void)
{
    macchk_arp_packet p = request();
    macchk_link_addrs l = link_of(HOST_A, BCAST);

    CHECK(macchk_arp_has_addresses(&p));
    CHECK_EQ_INT(macchk_arp_judge(&p, &l), 0);
    p.htype = 6; /* IEEE 802 is judged the same */
    CHECK_EQ_INT(macchk_arp_judge(&p, &l), 0);
    p.htype = 7; /* ARCnet: not ours */
    p.sha[0] = 0x01;
    CHECK_EQ_INT(macchk_arp_judge(&p, &l), 0);
    CHECK_EQ_STR(macchk_arp_opcode_name(9), "InARP reply");
    CHECK(macchk_arp_opcode_name(5) == NULL);
}

static void test_malformed(void)
{
    macchk_link_addrs l = link_of(HOST_A, BCAST);
    macchk_arp_packet p = request();

    p.hlen = 5;
    CHECK_EQ_INT(macchk_arp_judge(&p, &l), MACCHK_A_MALFORMED_SIZES);
    p = request();
    p.plen = 6;
    CHECK_EQ_INT(macchk_arp_judge(&p, &l), MACCHK_A_MALFORMED_SIZES);
    p = request();
    p.body_complete = false;
    CHECK_EQ_INT(macchk_arp_judge(&p, &l), MACCHK_A_MALFORMED_TRUNCATED);
    p.snap_cut = true;
    CHECK_EQ_INT(macchk_arp_judge(&p, &l), MACCHK_A_SNAP_CUT);
    p = request();
    p.opcode = 7;
    CHECK_EQ_INT(macchk_arp_judge(&p, &l), MACCHK_A_MALFORMED_OPCODE);
    p.opcode = 0;
    CHECK_EQ_INT(macchk_arp_judge(&p, &l), MACCHK_A_MALFORMED_OPCODE);
    p = request();
    p.fixed_part = false; /* not even 8 octets */
    CHECK(!macchk_arp_has_addresses(&p));
    CHECK_EQ_INT(macchk_arp_judge(&p, &l), MACCHK_A_MALFORMED_TRUNCATED);
    p.snap_cut = true;
    CHECK_EQ_INT(macchk_arp_judge(&p, &l), MACCHK_A_SNAP_CUT);
}

static void test_bad_sender(void)
{
    macchk_arp_packet p = request();
    macchk_link_addrs l;

    p.sha[0] = 0x01;
    l = link_of(p.sha, BCAST);
    CHECK_EQ_INT(macchk_arp_judge(&p, &l), MACCHK_A_SHA_GROUP);
    memset(p.sha, 0, 6);
    l = link_of(p.sha, BCAST);
    CHECK_EQ_INT(macchk_arp_judge(&p, &l), MACCHK_A_SHA_ZERO);

    p = request();
    l = link_of(HOST_A, BCAST);
    p.spa = IP(255, 255, 255, 255);
    CHECK_EQ_INT(macchk_arp_judge(&p, &l), MACCHK_A_SPA_BAD);
    p.spa = IP(224, 0, 0, 5);
    p.opcode = 2;
    l = link_of(HOST_A, HOST_B);
    memcpy(p.tha, HOST_B, 6);
    CHECK_EQ_INT(macchk_arp_judge(&p, &l), MACCHK_A_SPA_BAD);
    p.spa = IP(239, 255, 255, 255);
    CHECK_EQ_INT(macchk_arp_judge(&p, &l), MACCHK_A_SPA_BAD);
    p.spa = IP(223, 255, 255, 255);
    CHECK_EQ_INT(macchk_arp_judge(&p, &l), 0);
    p.spa = 0; /* 0.0.0.0 in a reply */
    CHECK_EQ_INT(macchk_arp_judge(&p, &l), MACCHK_A_SPA_BAD);

    p = request();
    l = link_of(HOST_A, BCAST);
    p.spa = 0; /* a probe */
    CHECK_EQ_INT(macchk_arp_judge(&p, &l), 0);
    p.opcode = 3; /* RARP request */
    CHECK_EQ_INT(macchk_arp_judge(&p, &l), 0);
    p.opcode = 8; /* InARP request */
    CHECK_EQ_INT(macchk_arp_judge(&p, &l), 0);
}

static void test_link(void)
{
    macchk_arp_packet p = request();
    macchk_link_addrs l = link_of(HOST_B, BCAST);

    CHECK_EQ_INT(macchk_arp_judge(&p, &l), MACCHK_A_SENDER_MISMATCH);
    l = link_of(NULL, NULL); /* no link-layer header to compare with */
    CHECK_EQ_INT(macchk_arp_judge(&p, &l), 0);

    memcpy(p.sha, VRRP, 6); /* RFC 5798: virtual MAC in ARP, physical on the wire */
    p.opcode = 2;
    memcpy(p.tha, HOST_B, 6);
    l = link_of(HOST_A, HOST_B);
    CHECK_EQ_INT(macchk_arp_judge(&p, &l), MACCHK_A_SENDER_VIRTUAL);

    p = request();
    l = link_of(HOST_A, HOST_B);
    CHECK_EQ_INT(macchk_arp_judge(&p, &l), MACCHK_A_UNICAST_REQUEST);
    p.opcode = 2;
    memcpy(p.tha, HOST_A, 6);
    CHECK_EQ_INT(macchk_arp_judge(&p, &l), MACCHK_A_TARGET_MISMATCH);
    memcpy(p.tha, HOST_B, 6);
    CHECK_EQ_INT(macchk_arp_judge(&p, &l), 0);
    l = link_of(HOST_A, BCAST); /* gratuitous reply to broadcast: no target check */
    CHECK_EQ_INT(macchk_arp_judge(&p, &l), 0);
}

/* Which file line a UAT record came from: blank and comment lines are not records. */
static void test_allow_record_line(void)
{
    static const char text[] = "# macchk allow-list\n\n\"10.0.0.1\",\"a\"\r\n   \t\n  # indented comment\n"
                               "\"bad\",\"\"\n\"10.0.0.3\",\"c\"";
    size_t len = sizeof text - 1;

    CHECK_EQ_INT(macchk_allow_record_line(text, len, 0), 3);
    CHECK_EQ_INT(macchk_allow_record_line(text, len, 1), 6);
    CHECK_EQ_INT(macchk_allow_record_line(text, len, 2), 7); /* the last line has no newline */
    CHECK_EQ_INT(macchk_allow_record_line(text, len, 3), 0); /* beyond the file: an -o entry */
    CHECK_EQ_INT(macchk_allow_record_line("", 0, 0), 0);
    CHECK_EQ_INT(macchk_allow_record_line("\"x\",\"\"\n", 7, 0), 1);
}

static void test_allow(void)
{
    macchk_allow_entry e[3];

    CHECK(macchk_allow_parse("52:54:00:12:34:56", &e[0]) && e[0].is_mac && e[0].mac[5] == 0x56);
    CHECK(macchk_allow_parse(" 00-1B-21-00-00-0A ", &e[1]) && e[1].is_mac);
    CHECK(macchk_allow_parse("10.0.0.1", &e[2]) && !e[2].is_mac && e[2].ip == IP(10, 0, 0, 1));
    CHECK(!macchk_allow_parse("10.0.0.256", &e[2]));
    CHECK(!macchk_allow_parse("10.0.0", &e[2]));
    CHECK(!macchk_allow_parse("10.0.0.1.5", &e[2]));
    CHECK(!macchk_allow_parse("52:54:00:12:34", &e[2]));
    CHECK(!macchk_allow_parse("52:54:00:12:34:5g", &e[2]));
    CHECK(!macchk_allow_parse("", &e[2]));
    CHECK(!macchk_allow_parse(NULL, &e[2]));
    CHECK(macchk_allow_parse("192.168.1.1", &e[2]));
    CHECK(macchk_allow_has_mac(e, 3, HOST_A));
    CHECK(!macchk_allow_has_mac(e, 3, HOST_B));
    CHECK(macchk_allow_has_ip(e, 3, IP(192, 168, 1, 1)));
    CHECK(!macchk_allow_has_ip(e, 3, IP(10, 0, 0, 1)));
    CHECK(!macchk_allow_has_ip(e, 0, IP(192, 168, 1, 1)));
    {
        macchk_arp_verdict v = {0};
        static const uint8_t other[6] = {0x00, 0x1b, 0x21, 0x00, 0x00, 0x77};
        CHECK(macchk_allow_involves(e, 3, HOST_A, IP(10, 9, 9, 9), &v));       /* the sender's MAC */
        CHECK(macchk_allow_involves(e, 3, HOST_B, IP(192, 168, 1, 1), &v));    /* the sender's IP */
        CHECK(!macchk_allow_involves(e, 3, HOST_B, IP(10, 9, 9, 9), &v));
        CHECK(!macchk_allow_involves(e, 0, HOST_A, IP(192, 168, 1, 1), &v));   /* empty list */
        v.n_other_macs = 1;
        memcpy(v.other_macs[0].mac, HOST_A, 6);                                /* the MAC it conflicts with */
        CHECK(macchk_allow_involves(e, 3, HOST_B, IP(10, 9, 9, 9), &v));
        memcpy(v.other_macs[0].mac, other, 6);
        CHECK(!macchk_allow_involves(e, 3, HOST_B, IP(10, 9, 9, 9), &v));
        v.n_other_ips = 1;
        v.other_ips[0].ip = IP(192, 168, 1, 1);                                /* the IP it also claims */
        CHECK(macchk_allow_involves(e, 3, HOST_B, IP(10, 9, 9, 9), &v));
    }
}

static void test_result_policy(void)
{
    macchk_policy all = {true, true, true, true, true, true, true};
    macchk_policy quiet = {false, false, false, false, false, false, false};
    macchk_arp_verdict v = {.ip_state = MACCHK_BINDING_CONFLICT, .mac_state = MACCHK_BINDING_CONFLICT};
    macchk_class plain, vrrp;
    macchk_result r = {0};

    macchk_classify(HOST_A, &plain);
    macchk_classify(VRRP, &vrrp);
    CHECK_EQ_INT(macchk_track_findings(&v, &plain, false), MACCHK_T_IP_CONFLICT | MACCHK_T_DUP_MAC);
    CHECK_EQ_INT(macchk_track_findings(&v, &vrrp, false), MACCHK_T_IP_CONFLICT | MACCHK_T_VIRTUAL_MULTI_IP);
    CHECK_EQ_INT(macchk_track_findings(&v, &plain, true), 0); /* allow-listed */
    v.ip_state = MACCHK_BINDING_CHANGED;
    v.mac_state = MACCHK_BINDING_CHANGED;
    v.unanswered = true;
    CHECK_EQ_INT(macchk_track_findings(&v, &plain, true), MACCHK_T_UNANSWERED);
    CHECK_EQ_INT(macchk_track_findings(&v, &plain, false),
                 MACCHK_T_UNANSWERED | MACCHK_T_IP_MOVED | MACCHK_T_RENUMBERED);

    r.track_findings = MACCHK_T_DUP_MAC;
    CHECK(macchk_result_is_invalid(&r, &all));
    CHECK(!macchk_result_is_invalid(&r, &quiet)); /* duplicate MAC as a Note */
    r.track_findings = MACCHK_T_IP_MOVED | MACCHK_T_UNSOLICITED | MACCHK_T_RENUMBERED;
    r.addr_findings = MACCHK_F_QEMU_DEFAULT | MACCHK_F_SRC_SLAP_RESERVED;
    r.arp_findings = MACCHK_A_UNICAST_REQUEST | MACCHK_A_TARGET_MISMATCH;
    CHECK(!macchk_result_is_invalid(&r, &all));
    macchk_apply_policy(&r, &all);
    CHECK_EQ_INT(r.track_findings, MACCHK_T_IP_MOVED | MACCHK_T_UNSOLICITED | MACCHK_T_RENUMBERED);
    macchk_apply_policy(&r, &quiet);
    CHECK_EQ_INT(r.track_findings | r.addr_findings | r.arp_findings, 0);
    r.addr_findings = MACCHK_F_DST_ZERO;
    CHECK(macchk_result_is_invalid(&r, &quiet));
    r.addr_findings = 0;
    r.arp_findings = MACCHK_A_SENDER_VIRTUAL;
    CHECK(!macchk_result_is_invalid(&r, &all));
    r.arp_findings = MACCHK_A_MALFORMED_OPCODE;
    CHECK(macchk_result_is_invalid(&r, &quiet));
}

int main(void)
{
    test_well_formed();
    test_malformed();
    test_bad_sender();
    test_link();
    test_allow();
    test_allow_record_line();
    test_result_policy();
    return unit_report("test_arp");
}
