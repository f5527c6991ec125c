/* test_nd.c - unit tests for macchk_nd: each rule just inside and just
 * outside its boundary. */
#include "macchk_nd.h"
#include "unit.h"

#include <stdint.h>

enum { NS = 135, NA = 136, SLLAO = 1, TLLAO = 2, NA_R = 0x80, NA_S = 0x40, NA_O = 0x20 };

static const uint8_t UNSPEC[16] = {0};
static const uint8_t HOST_A[16] = {0xfe, 0x80, [15] = 1};
static const uint8_t HOST_B[16] = {0xfe, 0x80, [15] = 2};
static const uint8_t TARGET[16] = {0x20, 0x01, 0x0d, 0xb8, [12] = 0xab, 0x12, 0x34, 0x56};
/* ff02::1:ff12:3456, TARGET's solicited-node address */
static const uint8_t SOLICITED[16] = {0xff, 0x02, [11] = 0x01, 0xff, 0x12, 0x34, 0x56};
static const uint8_t ALL_NODES[16] = {0xff, 0x02, [15] = 1};
static const uint8_t MAC_A[6] = {0x02, 0, 0, 0, 0, 0x0a};
static const uint8_t MAC_B[6] = {0x02, 0, 0, 0, 0, 0x0b};

/* ---- fixture: one message being built ---------------------------------- */

static uint8_t bytes[256];
static macchk_nd_input in;

/* A well-formed message from HOST_A's MAC on Ethernet, no options yet. */
static void start(uint8_t type, const uint8_t src[16], const uint8_t dst[16], const uint8_t target[16],
                  uint8_t flags)
{
    memset(bytes, 0, sizeof bytes);
    memset(&in, 0, sizeof in);
    bytes[0] = type;
    bytes[4] = flags;
    memcpy(bytes + 8, target, 16);
    memcpy(in.src, src, 16);
    memcpy(in.dst, dst, 16);
    in.hop_limit = 255;
    in.length = in.captured = MACCHK_ND_FIXED_LEN;
    in.bytes = bytes;
    in.link_is_mac = true;
    in.link.has_src = in.link.has_dst = true;
    memcpy(in.link.src, MAC_A, 6);
    memcpy(in.link.dst, MAC_B, 6);
}

/* Append an option of len units; a 6-byte MAC first in its body when given. */
static void add_option(uint8_t type, uint8_t len, const uint8_t *mac)
{
    uint8_t *o = bytes + in.length;
    o[0] = type;
    o[1] = len;
    if (mac)
        memcpy(o + 2, mac, 6);
    in.length += len * 8u;
    in.captured = in.length;
}

static macchk_nd_msg read_msg(void)
{
    macchk_nd_msg m;
    macchk_nd_read(&in, &m);
    return m;
}

static unsigned findings(void)
{
    return read_msg().findings;
}

/* ---- kinds ------------------------------------------------------------- */

static void test_kinds(void)
{
    start(NS, HOST_A, SOLICITED, TARGET, 0);
    macchk_nd_msg m = read_msg();
    CHECK_EQ_INT(m.kind, MACCHK_ND_NS);
    CHECK_EQ_INT(m.findings, 0);
    CHECK(m.fixed_part && !memcmp(m.target, TARGET, 16) && !memcmp(m.src, HOST_A, 16));
    CHECK(!memcmp(m.dst, SOLICITED, 16));
    CHECK(macchk_nd_trackable(&m));

    start(NS, HOST_A, HOST_B, TARGET, NA_S | NA_O);  /* reserved bits in an NS mean nothing */
    m = read_msg();
    CHECK_EQ_INT(m.kind, MACCHK_ND_NUD);
    CHECK(!m.solicited && !m.override && !m.router);
    start(NS, UNSPEC, SOLICITED, TARGET, 0);
    CHECK_EQ_INT(read_msg().kind, MACCHK_ND_DAD);
    CHECK_EQ_INT(read_msg().findings, 0);

    start(NA, HOST_B, HOST_A, TARGET, NA_S | NA_O);
    m = read_msg();
    CHECK_EQ_INT(m.kind, MACCHK_ND_NA_SOLICITED);
    CHECK(m.solicited && m.override && !m.router);
    CHECK_EQ_INT(m.findings, 0);
    start(NA, HOST_B, ALL_NODES, TARGET, NA_R | NA_O);
    m = read_msg();
    CHECK_EQ_INT(m.kind, MACCHK_ND_NA_UNSOLICITED);
    CHECK(m.router && m.override && !m.solicited);
    CHECK_EQ_INT(m.findings, 0);

    /* RS, RA and Redirect are named, never judged (even with a bad hop limit) */
    const uint8_t named[] = {133, 134, 137};
    const macchk_nd_kind kinds[] = {MACCHK_ND_RS, MACCHK_ND_RA, MACCHK_ND_REDIRECT};
    for (int i = 0; i < 3; i++) {
        start(named[i], HOST_A, ALL_NODES, TARGET, 0);
        in.hop_limit = 1;
        bytes[1] = 9;
        m = read_msg();
        CHECK_EQ_INT(m.kind, kinds[i]);
        CHECK_EQ_INT(m.findings, 0);
        CHECK(!macchk_nd_trackable(&m));
    }
    start(128, HOST_A, HOST_B, TARGET, 0);  /* echo request */
    m = read_msg();
    CHECK_EQ_INT(m.kind, MACCHK_ND_NONE);
    CHECK_EQ_INT(m.findings, 0);
    CHECK(!macchk_nd_trackable(&m));

    CHECK_EQ_STR(macchk_nd_kind_name(MACCHK_ND_NS), "NS");
    CHECK_EQ_STR(macchk_nd_kind_name(MACCHK_ND_NUD), "NUD");
    CHECK_EQ_STR(macchk_nd_kind_name(MACCHK_ND_DAD), "DAD probe");
    CHECK_EQ_STR(macchk_nd_kind_name(MACCHK_ND_NA_SOLICITED), "solicited NA");
    CHECK_EQ_STR(macchk_nd_kind_name(MACCHK_ND_NA_UNSOLICITED), "unsolicited NA");
    CHECK_EQ_STR(macchk_nd_kind_name(MACCHK_ND_NA), "NA");
    CHECK_EQ_STR(macchk_nd_kind_name(MACCHK_ND_RS), "RS");
    CHECK_EQ_STR(macchk_nd_kind_name(MACCHK_ND_RA), "RA");
    CHECK_EQ_STR(macchk_nd_kind_name(MACCHK_ND_REDIRECT), "redirect");
    CHECK(macchk_nd_kind_name(MACCHK_ND_NONE) == NULL);
}

/* ---- malformed --------------------------------------------------------- */

static void test_hop_limit_and_code(void)
{
    for (int na = 0; na <= 1; na++) {
        start(na ? NA : NS, HOST_A, na ? ALL_NODES : SOLICITED, TARGET, 0);
        CHECK_EQ_INT(findings(), 0);
        in.hop_limit = 254;  /* routed: a receiver must drop it */
        CHECK_EQ_INT(findings(), MACCHK_ND_MALFORMED_HOP_LIMIT);
        in.hop_limit = 255;
        bytes[1] = 1;
        CHECK_EQ_INT(findings(), MACCHK_ND_MALFORMED_CODE);
        bytes[1] = 0;
        CHECK_EQ_INT(findings(), 0);
    }
    /* a malformed message gets no other finding */
    start(NS, HOST_A, SOLICITED, TARGET, 0);
    add_option(SLLAO, 1, MAC_B);
    CHECK_EQ_INT(findings(), MACCHK_ND_LL_MISMATCH);
    in.hop_limit = 254;
    macchk_nd_msg m = read_msg();
    CHECK_EQ_INT(m.findings, MACCHK_ND_MALFORMED_HOP_LIMIT);
    CHECK(!macchk_nd_trackable(&m));
}

static void test_length(void)
{
    start(NS, HOST_A, SOLICITED, TARGET, 0);
    in.length = in.captured = 23;
    macchk_nd_msg m = read_msg();
    CHECK_EQ_INT(m.findings, MACCHK_ND_MALFORMED_SHORT);
    CHECK(!m.fixed_part);
    CHECK_EQ_INT(m.kind, MACCHK_ND_NS);  /* S and D alone tell an NS's kind */
    in.length = in.captured = 24;
    CHECK_EQ_INT(findings(), 0);

    start(NA, HOST_B, HOST_A, TARGET, NA_S);
    in.length = in.captured = 4;
    m = read_msg();
    CHECK_EQ_INT(m.findings, MACCHK_ND_MALFORMED_SHORT);
    CHECK_EQ_INT(m.kind, MACCHK_ND_NA);  /* its flags are not there */
    in.length = in.captured = 1;          /* not even a code */
    CHECK_EQ_INT(findings(), MACCHK_ND_MALFORMED_SHORT);

    /* padding after the message (captured > length) is not read as options */
    start(NS, HOST_A, SOLICITED, TARGET, 0);
    add_option(SLLAO, 1, MAC_B);  /* would be a mismatch */
    in.length = 24;
    m = read_msg();
    CHECK(!m.has_ll_option);
    CHECK_EQ_INT(m.findings, 0);
    add_option(SLLAO, 0, NULL);  /* a zero-length option in the padding */
    in.length = 24;
    in.captured = 40;
    CHECK_EQ_INT(findings(), 0);
}

static void test_cut(void)
{
    start(NS, HOST_A, SOLICITED, TARGET, 0);
    add_option(SLLAO, 1, MAC_A);
    in.captured = 31;  /* the snap length cut the last byte */
    in.snap_cut = true;
    in.hop_limit = 1;  /* not judged at all */
    macchk_nd_msg m = read_msg();
    CHECK_EQ_INT(m.findings, MACCHK_ND_SNAP_CUT);
    CHECK_EQ_INT(m.kind, MACCHK_ND_NS);
    CHECK(!macchk_nd_trackable(&m));
    in.captured = 10;
    CHECK_EQ_INT(findings(), MACCHK_ND_SNAP_CUT);
    in.captured = 32;  /* all of it: judged, snap_cut or not */
    CHECK_EQ_INT(findings(), MACCHK_ND_MALFORMED_HOP_LIMIT);
    in.hop_limit = 255;
    CHECK_EQ_INT(findings(), 0);

    /* shorter than the IPv6 header says, and not by the snap length */
    in.snap_cut = false;
    in.captured = 31;
    CHECK_EQ_INT(findings(), MACCHK_ND_MALFORMED_TRUNCATED | MACCHK_ND_MALFORMED_OPTION_PAST);
    in.captured = 24;
    CHECK_EQ_INT(findings(), MACCHK_ND_MALFORMED_TRUNCATED);
    in.captured = 20;
    m = read_msg();
    CHECK_EQ_INT(m.findings, MACCHK_ND_MALFORMED_TRUNCATED);  /* 32 on the wire: not short */
    CHECK(!macchk_nd_trackable(&m));
}

static void test_options_form(void)
{
    start(NS, HOST_A, SOLICITED, TARGET, 0);
    add_option(SLLAO, 1, MAC_A);  /* ends exactly at the message end */
    macchk_nd_msg m = read_msg();
    CHECK_EQ_INT(m.findings, 0);
    CHECK(m.has_ll_option && m.has_option_mac && !memcmp(m.option_mac, MAC_A, 6));
    CHECK_EQ_INT(m.ll_option_len, 1);
    in.length = in.captured = 31;  /* one byte past the message */
    CHECK_EQ_INT(findings(), MACCHK_ND_MALFORMED_OPTION_PAST);
    in.length = in.captured = 33;  /* a lone byte after it: no room for a length */
    CHECK_EQ_INT(findings(), MACCHK_ND_MALFORMED_OPTION_PAST);
    in.length = in.captured = 34;  /* a second option header with length 0 */
    CHECK_EQ_INT(findings(), MACCHK_ND_MALFORMED_OPTION_ZERO);

    start(NA, HOST_B, HOST_A, TARGET, NA_S);
    add_option(TLLAO, 0, NULL);
    in.length = in.captured = 32;
    CHECK_EQ_INT(findings(), MACCHK_ND_MALFORMED_OPTION_ZERO);

    /* unknown options are skipped; the first link-layer option counts */
    start(NS, HOST_A, SOLICITED, TARGET, 0);
    add_option(14, 2, NULL);        /* nonce, say */
    add_option(TLLAO, 1, MAC_B);    /* not the one an NS carries */
    add_option(SLLAO, 1, MAC_A);
    add_option(SLLAO, 1, MAC_B);    /* a duplicate: ignored */
    m = read_msg();
    CHECK_EQ_INT(m.findings, 0);
    CHECK(m.has_option_mac && !memcmp(m.option_mac, MAC_A, 6));
}

static void test_multicast_target(void)
{
    uint8_t mcast[16];
    memcpy(mcast, ALL_NODES, 16);
    for (int na = 0; na <= 1; na++) {
        start(na ? NA : NS, HOST_A, ALL_NODES, mcast, 0);
        CHECK_EQ_INT(findings(), MACCHK_ND_MALFORMED_TARGET);
        mcast[0] = 0xfe;  /* fe02::1: unicast */
        start(na ? NA : NS, HOST_A, ALL_NODES, mcast, 0);
        CHECK_EQ_INT(findings(), 0);
        mcast[0] = 0xff;
    }
}

static void test_dad(void)
{
    start(NS, UNSPEC, SOLICITED, TARGET, 0);
    CHECK_EQ_INT(findings(), 0);
    add_option(SLLAO, 1, MAC_A);
    CHECK_EQ_INT(findings(), MACCHK_ND_MALFORMED_DAD_SLLAO);

    /* the destination must be ff02::1:ff + the target's last 24 bits */
    uint8_t dst[16], target[16];
    memcpy(target, TARGET, 16);
    target[12] ^= 0x01;  /* outside the last 24 bits: same address */
    start(NS, UNSPEC, SOLICITED, target, 0);
    CHECK_EQ_INT(findings(), 0);
    memcpy(target, TARGET, 16);
    target[13] ^= 0x01;  /* the first of the last 24 bits */
    start(NS, UNSPEC, SOLICITED, target, 0);
    CHECK_EQ_INT(findings(), MACCHK_ND_MALFORMED_DAD_DST);
    memcpy(target, TARGET, 16);
    target[15] ^= 0x80;
    start(NS, UNSPEC, SOLICITED, target, 0);
    CHECK_EQ_INT(findings(), MACCHK_ND_MALFORMED_DAD_DST);
    memcpy(dst, SOLICITED, 16);
    dst[12] = 0xfe;  /* ff02::1:fe12:3456 */
    start(NS, UNSPEC, dst, TARGET, 0);
    CHECK_EQ_INT(findings(), MACCHK_ND_MALFORMED_DAD_DST);
    start(NS, UNSPEC, ALL_NODES, TARGET, 0);
    CHECK_EQ_INT(findings(), MACCHK_ND_MALFORMED_DAD_DST);
    start(NS, UNSPEC, TARGET, TARGET, 0);  /* unicast */
    macchk_nd_msg m = read_msg();
    CHECK_EQ_INT(m.findings, MACCHK_ND_MALFORMED_DAD_DST);
    CHECK_EQ_INT(m.kind, MACCHK_ND_DAD);
    /* an NS from a real source may go to any solicited-node address */
    start(NS, HOST_A, ALL_NODES, TARGET, 0);
    CHECK_EQ_INT(findings(), 0);
}

static void test_solicited_flag_destination(void)
{
    start(NA, HOST_B, ALL_NODES, TARGET, NA_S);
    CHECK_EQ_INT(findings(), MACCHK_ND_MALFORMED_SOLICITED_MCAST);
    start(NA, HOST_B, HOST_A, TARGET, NA_S);
    CHECK_EQ_INT(findings(), 0);
    start(NA, HOST_B, ALL_NODES, TARGET, NA_O);
    CHECK_EQ_INT(findings(), 0);
}

/* ---- link-layer options ------------------------------------------------ */

static void test_option_vs_link_source(void)
{
    start(NS, HOST_A, SOLICITED, TARGET, 0);
    add_option(SLLAO, 1, MAC_A);
    CHECK_EQ_INT(findings(), 0);
    start(NS, HOST_A, SOLICITED, TARGET, 0);
    add_option(SLLAO, 1, MAC_B);
    CHECK_EQ_INT(findings(), MACCHK_ND_LL_MISMATCH);
    in.link.has_src = false;  /* nothing to compare with */
    CHECK_EQ_INT(findings(), 0);

    start(NA, HOST_B, HOST_A, TARGET, NA_S | NA_O);
    add_option(TLLAO, 1, MAC_B);
    macchk_nd_msg m = read_msg();
    CHECK_EQ_INT(m.findings, MACCHK_ND_LL_MISMATCH);
    uint8_t mac[6];
    CHECK(macchk_nd_claimed_mac(&m, mac) && !memcmp(mac, MAC_B, 6));  /* the option wins */
    start(NA, HOST_B, HOST_A, TARGET, NA_S | NA_O);
    m = read_msg();
    CHECK_EQ_INT(m.findings, 0);
    CHECK(!m.has_ll_option);
    CHECK(macchk_nd_claimed_mac(&m, mac) && !memcmp(mac, MAC_A, 6));  /* else the link source */
    in.link.has_src = false;
    m = read_msg();
    CHECK(!macchk_nd_claimed_mac(&m, mac));

    /* an NA's SLLAO is not its link-layer option */
    start(NA, HOST_B, HOST_A, TARGET, NA_S);
    add_option(SLLAO, 1, MAC_B);
    m = read_msg();
    CHECK_EQ_INT(m.findings, 0);
    CHECK(!m.has_ll_option);
}

/* An NA from HOST_B's link source whose TLLAO is mac: its findings and
 * the virtual router range that explains them. */
static void check_tllao(const uint8_t mac[6], unsigned want, macchk_range want_range)
{
    start(NA, HOST_B, ALL_NODES, TARGET, NA_R | NA_O);
    add_option(TLLAO, 1, mac);
    macchk_nd_msg m = read_msg();
    CHECK_EQ_INT(m.findings, want);
    CHECK_EQ_INT(m.virtual_range, want_range);
    CHECK(m.virtual_in_option == (want_range != MACCHK_RANGE_NONE));
}

static void test_virtual_router(void)
{
    const uint8_t vrrp3_v6[6] = {0x00, 0x00, 0x5e, 0x00, 0x02, 0x07};  /* VRRPv3 IPv6, VRID 7 */
    const uint8_t hsrp2[6] = {0x00, 0x00, 0x0c, 0x9f, 0xf0, 0x01};
    const uint8_t near_vrrp[6] = {0x00, 0x00, 0x5e, 0x00, 0x03, 0x07};  /* just outside the ranges */
    const uint8_t hsrp_v6[6] = {0x00, 0x05, 0x73, 0xa0, 0x00, 0x01};
    const uint8_t vrrp_v4[6] = {0x00, 0x00, 0x5e, 0x00, 0x01, 0x07};
    check_tllao(vrrp3_v6, MACCHK_ND_LL_VIRTUAL, MACCHK_RANGE_VRRP_V6);
    check_tllao(near_vrrp, MACCHK_ND_LL_MISMATCH, MACCHK_RANGE_NONE);
    /* HSRP for IPv6 is a virtual router MAC; VRRP's IPv4 MAC has no place in ND */
    check_tllao(hsrp_v6, MACCHK_ND_LL_VIRTUAL, MACCHK_RANGE_HSRP_V6);
    check_tllao(vrrp_v4, MACCHK_ND_LL_MISMATCH, MACCHK_RANGE_NONE);
    /* the virtual MAC as the frame's source, the real one in the option */
    start(NS, HOST_A, SOLICITED, TARGET, 0);
    add_option(SLLAO, 1, MAC_B);
    memcpy(in.link.src, hsrp2, 6);
    macchk_nd_msg m = read_msg();
    CHECK_EQ_INT(m.findings, MACCHK_ND_LL_VIRTUAL);
    CHECK_EQ_INT(m.virtual_range, MACCHK_RANGE_HSRP_V2);
    CHECK(!m.virtual_in_option);
    /* equal virtual MACs: no finding at all */
    start(NA, HOST_B, ALL_NODES, TARGET, NA_R | NA_O);
    add_option(TLLAO, 1, vrrp3_v6);
    memcpy(in.link.src, vrrp3_v6, 6);
    CHECK_EQ_INT(findings(), 0);
}

/* A link known not to use MACs (IPoIB, tun in a Linux cooked capture):
 * options are not MACs, so neither judged nor taken as bindings. */
static void test_not_mac_link(void)
{
    const uint8_t twenty[20] = {0x00, 0x00, 0x04, 0x04};
    start(NS, HOST_A, SOLICITED, TARGET, 0);
    add_option(SLLAO, 3, twenty);  /* RFC 4391: an IPoIB address in 3 units */
    in.link_is_mac = false;
    in.link.has_src = false;
    macchk_nd_msg m = read_msg();
    uint8_t mac[6];
    CHECK_EQ_INT(m.findings, 0);
    CHECK(m.has_ll_option && !m.has_option_mac);
    CHECK(!macchk_nd_claimed_mac(&m, mac));
    /* the same option on a MAC link: a bad length */
    in.link_is_mac = true;
    CHECK_EQ_INT(findings(), MACCHK_ND_LL_LENGTH);
}

static void test_bad_option(void)
{
    const uint8_t group[6] = {0x03, 0, 0, 0, 0, 0x0a};
    const uint8_t zero[6] = {0};
    start(NS, HOST_A, SOLICITED, TARGET, 0);
    add_option(SLLAO, 1, group);
    memcpy(in.link.src, group, 6);
    CHECK_EQ_INT(findings(), MACCHK_ND_LL_GROUP);
    start(NA, HOST_B, HOST_A, TARGET, NA_S | NA_O);
    add_option(TLLAO, 1, zero);
    in.link.has_src = false;
    CHECK_EQ_INT(findings(), MACCHK_ND_LL_ZERO);
    in.link.has_src = true;  /* and it differs from the source */
    CHECK_EQ_INT(findings(), MACCHK_ND_LL_ZERO | MACCHK_ND_LL_MISMATCH);
    start(NS, HOST_A, SOLICITED, TARGET, 0);
    add_option(SLLAO, 1, (const uint8_t[6]){0x02, 0, 0, 0, 0, 0x0a});  /* unicast LAA: fine */
    CHECK_EQ_INT(findings(), 0);

    /* length 2 on a MAC link: no MAC read from it */
    start(NS, HOST_A, SOLICITED, TARGET, 0);
    add_option(SLLAO, 2, MAC_B);
    macchk_nd_msg m = read_msg();
    CHECK_EQ_INT(m.findings, MACCHK_ND_LL_LENGTH);
    CHECK(m.has_ll_option && !m.has_option_mac);
    CHECK_EQ_INT(m.ll_option_len, 2);
    CHECK(macchk_nd_trackable(&m));  /* a bad option is not a malformed message */
    /* ... on another link it is that link's business */
    in.link_is_mac = false;
    in.link.has_src = false;
    m = read_msg();
    CHECK_EQ_INT(m.findings, 0);
    CHECK(m.has_ll_option && !m.has_option_mac);
    start(NS, HOST_A, SOLICITED, TARGET, 0);
    add_option(SLLAO, 1, MAC_B);
    in.link_is_mac = false;
    in.link.has_src = false;
    m = read_msg();
    CHECK_EQ_INT(m.findings, 0);
    CHECK(!m.has_option_mac);
}

static void test_finding_what(void)
{
    /* every malformed bit but the hop limit (its text has the value) has words */
    for (unsigned bit = MACCHK_ND_MALFORMED_CODE; bit & MACCHK_ND_MALFORMED; bit <<= 1)
        CHECK(macchk_nd_finding_what(bit) != NULL);
    CHECK(macchk_nd_finding_what(MACCHK_ND_MALFORMED_HOP_LIMIT) == NULL);
    CHECK(macchk_nd_finding_what(MACCHK_ND_LL_LENGTH) == NULL);
    CHECK_EQ_STR(macchk_nd_finding_what(MACCHK_ND_MALFORMED_OPTION_ZERO), "an option has length 0");
}

int main(void)
{
    test_finding_what();
    test_kinds();
    test_hop_limit_and_code();
    test_length();
    test_cut();
    test_options_form();
    test_multicast_target();
    test_dad();
    test_solicited_flag_destination();
    test_option_vs_link_source();
    test_virtual_router();
    test_not_mac_link();
    test_bad_option();
    return unit_report("test_nd");
}
