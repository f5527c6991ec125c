/* Unit tests of macchk_class: every cast, SLAP quadrant, range boundary and prefix. */
#include "macchk_class.h"
#include "unit.h"

#define MAC(a, b, c, d, e, f) ((const uint8_t[6]){a, b, c, d, e, f})

static macchk_class classify(const uint8_t *mac)
{
    macchk_class c;
    macchk_classify(mac, &c);
    return c;
}

static void test_cast(void)
{
    CHECK_EQ_INT(classify(MAC(0x00, 0x1b, 0x21, 0xaa, 0xbb, 0xcc)).cast, MACCHK_CAST_UNICAST);
    CHECK_EQ_INT(classify(MAC(0x01, 0x00, 0x00, 0x00, 0x00, 0x00)).cast, MACCHK_CAST_MULTICAST);
    CHECK_EQ_INT(classify(MAC(0x53, 0x54, 0x00, 0x12, 0x34, 0x56)).cast, MACCHK_CAST_MULTICAST);
    CHECK_EQ_INT(classify(MAC(0xff, 0xff, 0xff, 0xff, 0xff, 0xff)).cast, MACCHK_CAST_BROADCAST);
    CHECK_EQ_INT(classify(MAC(0xff, 0xff, 0xff, 0xff, 0xff, 0xfe)).cast, MACCHK_CAST_MULTICAST);
    CHECK_EQ_INT(classify(MAC(0, 0, 0, 0, 0, 0)).cast, MACCHK_CAST_ZERO);
    CHECK_EQ_INT(classify(MAC(0, 0, 0, 0, 0, 1)).cast, MACCHK_CAST_UNICAST);
    CHECK_EQ_STR(macchk_cast_name(MACCHK_CAST_BROADCAST), "broadcast");
}

static void test_admin_and_slap(void)
{
    CHECK_EQ_INT(classify(MAC(0x00, 1, 2, 3, 4, 5)).admin, MACCHK_ADMIN_GLOBAL);
    CHECK_EQ_INT(classify(MAC(0x00, 1, 2, 3, 4, 5)).slap, MACCHK_SLAP_NONE);
    CHECK_EQ_INT(classify(MAC(0x02, 1, 2, 3, 4, 5)).admin, MACCHK_ADMIN_LOCAL);
    CHECK_EQ_INT(classify(MAC(0x02, 1, 2, 3, 4, 5)).slap, MACCHK_SLAP_AAI);
    CHECK_EQ_INT(classify(MAC(0x0a, 1, 2, 3, 4, 5)).slap, MACCHK_SLAP_ELI);
    CHECK_EQ_INT(classify(MAC(0x0e, 1, 2, 3, 4, 5)).slap, MACCHK_SLAP_SAI);
    CHECK_EQ_INT(classify(MAC(0x06, 1, 2, 3, 4, 5)).slap, MACCHK_SLAP_RESERVED);
    /* the high nibble does not matter, the group bit neither */
    CHECK_EQ_INT(classify(MAC(0xf2, 1, 2, 3, 4, 5)).slap, MACCHK_SLAP_AAI);
    CHECK_EQ_INT(classify(MAC(0x5e, 1, 2, 3, 4, 5)).slap, MACCHK_SLAP_SAI);
    CHECK_EQ_INT(classify(MAC(0x07, 1, 2, 3, 4, 5)).slap, MACCHK_SLAP_RESERVED);
    CHECK_EQ_INT(classify(MAC(0x08, 1, 2, 3, 4, 5)).slap, MACCHK_SLAP_NONE); /* Z set, U/L clear */
    CHECK_EQ_INT(classify(MAC(0xff, 0xff, 0xff, 0xff, 0xff, 0xff)).admin, MACCHK_ADMIN_GLOBAL);
    CHECK_EQ_INT(classify(MAC(0xff, 0xff, 0xff, 0xff, 0xff, 0xff)).slap, MACCHK_SLAP_NONE);
    CHECK_EQ_INT(classify(MAC(0xff, 0xff, 0xff, 0xff, 0xff, 0xfe)).slap, MACCHK_SLAP_SAI);
    CHECK_EQ_STR(macchk_slap_key(MACCHK_SLAP_ELI), "ELI");
    CHECK_EQ_STR(macchk_admin_key(MACCHK_ADMIN_LOCAL), "LAA");
}

static void check_range(const uint8_t *mac, macchk_range range, unsigned detail, int line)
{
    macchk_class c = classify(mac);
    if (c.range != range || (range != MACCHK_RANGE_NONE && c.range_detail != detail)) {
        unit_failed++;
        fprintf(stderr, "line %d: range %s/%u, expected %s/%u\n", line, macchk_range_key(c.range),
                c.range_detail, macchk_range_key(range), detail);
    } else {
        unit_passed++;
    }
}
#define RANGE(mac, range, detail) check_range(mac, range, detail, __LINE__)

static void test_ranges(void)
{
    RANGE(MAC(0xff, 0xff, 0xff, 0xff, 0xff, 0xff), MACCHK_RANGE_BROADCAST, 0xff);
    /* IEEE 802.1 link-local 01-80-C2-00-00-00..0F, MRP 20..2F */
    RANGE(MAC(0x01, 0x80, 0xc2, 0x00, 0x00, 0x00), MACCHK_RANGE_IEEE_LINK_LOCAL, 0x00);
    RANGE(MAC(0x01, 0x80, 0xc2, 0x00, 0x00, 0x0f), MACCHK_RANGE_IEEE_LINK_LOCAL, 0x0f);
    RANGE(MAC(0x01, 0x80, 0xc2, 0x00, 0x00, 0x10), MACCHK_RANGE_NONE, 0);
    RANGE(MAC(0x01, 0x80, 0xc2, 0x00, 0x00, 0x1f), MACCHK_RANGE_NONE, 0);
    RANGE(MAC(0x01, 0x80, 0xc2, 0x00, 0x00, 0x20), MACCHK_RANGE_IEEE_MRP, 0x20);
    RANGE(MAC(0x01, 0x80, 0xc2, 0x00, 0x00, 0x2f), MACCHK_RANGE_IEEE_MRP, 0x2f);
    RANGE(MAC(0x01, 0x80, 0xc2, 0x00, 0x00, 0x30), MACCHK_RANGE_NONE, 0);
    RANGE(MAC(0x01, 0x80, 0xc2, 0x00, 0x01, 0x00), MACCHK_RANGE_NONE, 0);
    /* 01-00-5E: IPv4 00-00-00..7F-FF-FF, MPLS 80-00-00..8F-FF-FF, documentation 90-10-00..FF */
    RANGE(MAC(0x01, 0x00, 0x5e, 0x00, 0x00, 0x00), MACCHK_RANGE_IPV4_MCAST, 0x00);
    RANGE(MAC(0x01, 0x00, 0x5e, 0x7f, 0xff, 0xff), MACCHK_RANGE_IPV4_MCAST, 0xff);
    RANGE(MAC(0x01, 0x00, 0x5e, 0x80, 0x00, 0x00), MACCHK_RANGE_MPLS_MCAST, 0x00);
    RANGE(MAC(0x01, 0x00, 0x5e, 0x8f, 0xff, 0xff), MACCHK_RANGE_MPLS_MCAST, 0xff);
    RANGE(MAC(0x01, 0x00, 0x5e, 0x90, 0x00, 0x00), MACCHK_RANGE_NONE, 0);
    RANGE(MAC(0x01, 0x00, 0x5e, 0x90, 0x0f, 0xff), MACCHK_RANGE_NONE, 0);
    RANGE(MAC(0x01, 0x00, 0x5e, 0x90, 0x10, 0x00), MACCHK_RANGE_DOC_MCAST, 0x00);
    RANGE(MAC(0x01, 0x00, 0x5e, 0x90, 0x10, 0xff), MACCHK_RANGE_DOC_MCAST, 0xff);
    RANGE(MAC(0x01, 0x00, 0x5e, 0x90, 0x11, 0x00), MACCHK_RANGE_NONE, 0);
    /* IPv6 multicast 33-33 */
    RANGE(MAC(0x33, 0x33, 0x00, 0x00, 0x00, 0x01), MACCHK_RANGE_IPV6_MCAST, 0x01);
    RANGE(MAC(0x33, 0x32, 0x00, 0x00, 0x00, 0x01), MACCHK_RANGE_NONE, 0);
    /* 00-00-5E-00: reserved 00, VRRP v4 01 / v6 02 with VRID, documentation 53 */
    RANGE(MAC(0x00, 0x00, 0x5e, 0x00, 0x00, 0x00), MACCHK_RANGE_IANA_RESERVED, 0x00);
    RANGE(MAC(0x00, 0x00, 0x5e, 0x00, 0x00, 0xff), MACCHK_RANGE_IANA_RESERVED, 0xff);
    RANGE(MAC(0x00, 0x00, 0x5e, 0x00, 0x01, 0x01), MACCHK_RANGE_VRRP_V4, 1);
    RANGE(MAC(0x00, 0x00, 0x5e, 0x00, 0x01, 0xff), MACCHK_RANGE_VRRP_V4, 255);
    RANGE(MAC(0x00, 0x00, 0x5e, 0x00, 0x02, 0x0a), MACCHK_RANGE_VRRP_V6, 10);
    RANGE(MAC(0x00, 0x00, 0x5e, 0x00, 0x03, 0x00), MACCHK_RANGE_NONE, 0);
    RANGE(MAC(0x00, 0x00, 0x5e, 0x00, 0x53, 0x00), MACCHK_RANGE_DOC_UNICAST, 0x00);
    RANGE(MAC(0x00, 0x00, 0x5e, 0x00, 0x53, 0xff), MACCHK_RANGE_DOC_UNICAST, 0xff);
    RANGE(MAC(0x00, 0x00, 0x5e, 0x00, 0x52, 0xff), MACCHK_RANGE_NONE, 0);
    RANGE(MAC(0x00, 0x00, 0x5e, 0x01, 0x00, 0x00), MACCHK_RANGE_NONE, 0);
    /* HSRP v1 00-00-0C-07-AC-group, v2 00-00-0C-9F-F0-00..FF-FF */
    RANGE(MAC(0x00, 0x00, 0x0c, 0x07, 0xac, 0x01), MACCHK_RANGE_HSRP_V1, 1);
    RANGE(MAC(0x00, 0x00, 0x0c, 0x07, 0xad, 0x01), MACCHK_RANGE_NONE, 0);
    RANGE(MAC(0x00, 0x00, 0x0c, 0x9f, 0xf0, 0x00), MACCHK_RANGE_HSRP_V2, 0);
    RANGE(MAC(0x00, 0x00, 0x0c, 0x9f, 0xff, 0xff), MACCHK_RANGE_HSRP_V2, 4095);
    RANGE(MAC(0x00, 0x00, 0x0c, 0x9f, 0xef, 0xff), MACCHK_RANGE_NONE, 0);
    /* HSRP for IPv6: 00-05-73-A0-00-00..0F-FF */
    RANGE(MAC(0x00, 0x05, 0x73, 0xa0, 0x00, 0x00), MACCHK_RANGE_HSRP_V6, 0);
    RANGE(MAC(0x00, 0x05, 0x73, 0xa0, 0x0f, 0xff), MACCHK_RANGE_HSRP_V6, 4095);
    RANGE(MAC(0x00, 0x05, 0x73, 0xa0, 0x10, 0x00), MACCHK_RANGE_NONE, 0);
    RANGE(MAC(0x00, 0x05, 0x73, 0xa1, 0x00, 0x01), MACCHK_RANGE_NONE, 0);
    /* CF block */
    RANGE(MAC(0xcf, 0x00, 0x00, 0x00, 0x00, 0x01), MACCHK_RANGE_CF, 1);
    RANGE(MAC(0xce, 0x00, 0x00, 0x00, 0x00, 0x01), MACCHK_RANGE_NONE, 0);
    RANGE(MAC(0x00, 0x1b, 0x21, 0xaa, 0xbb, 0xcc), MACCHK_RANGE_NONE, 0);
    CHECK_EQ_STR(macchk_range_key(MACCHK_RANGE_VRRP_V4), "vrrp-ipv4");
    CHECK_EQ_STR(macchk_link_local_name(0x0e), "LLDP/PTP (nearest bridge)");
    CHECK(macchk_link_local_name(0x05) == NULL);
}

static void test_vnic(void)
{
    CHECK_EQ_INT(classify(MAC(0x52, 0x54, 0x00, 0xab, 0xcd, 0xef)).vnic, MACCHK_VNIC_QEMU);
    CHECK_EQ_INT(classify(MAC(0x52, 0x54, 0x00, 0x12, 0x34, 0x56)).vnic, MACCHK_VNIC_QEMU_DEFAULT);
    CHECK_EQ_INT(classify(MAC(0x52, 0x54, 0x00, 0x12, 0x34, 0x50)).vnic, MACCHK_VNIC_QEMU_DEFAULT);
    CHECK_EQ_INT(classify(MAC(0x52, 0x54, 0x00, 0x12, 0x34, 0x5f)).vnic, MACCHK_VNIC_QEMU_DEFAULT);
    CHECK_EQ_INT(classify(MAC(0x52, 0x54, 0x00, 0x12, 0x34, 0x60)).vnic, MACCHK_VNIC_QEMU);
    CHECK_EQ_INT(classify(MAC(0x52, 0x55, 0x0a, 0x00, 0x02, 0x02)).vnic, MACCHK_VNIC_QEMU_SLIRP);
    CHECK_EQ_INT(classify(MAC(0x00, 0x16, 0x3e, 1, 2, 3)).vnic, MACCHK_VNIC_XEN);
    CHECK_EQ_INT(classify(MAC(0x08, 0x00, 0x27, 1, 2, 3)).vnic, MACCHK_VNIC_VIRTUALBOX);
    CHECK_EQ_INT(classify(MAC(0x0a, 0x00, 0x27, 0, 0, 0)).vnic, MACCHK_VNIC_VIRTUALBOX);
    CHECK_EQ_INT(classify(MAC(0x00, 0x50, 0x56, 1, 2, 3)).vnic, MACCHK_VNIC_VMWARE);
    CHECK_EQ_INT(classify(MAC(0x00, 0x0c, 0x29, 1, 2, 3)).vnic, MACCHK_VNIC_VMWARE);
    CHECK_EQ_INT(classify(MAC(0x00, 0x05, 0x69, 1, 2, 3)).vnic, MACCHK_VNIC_VMWARE);
    CHECK_EQ_INT(classify(MAC(0x00, 0x1c, 0x14, 1, 2, 3)).vnic, MACCHK_VNIC_VMWARE);
    CHECK_EQ_INT(classify(MAC(0x00, 0x15, 0x5d, 1, 2, 3)).vnic, MACCHK_VNIC_HYPERV);
    CHECK_EQ_INT(classify(MAC(0x00, 0x1c, 0x42, 1, 2, 3)).vnic, MACCHK_VNIC_PARALLELS);
    CHECK_EQ_INT(classify(MAC(0x02, 0x42, 0xac, 0x11, 0, 2)).vnic, MACCHK_VNIC_DOCKER);
    CHECK_EQ_INT(classify(MAC(0xfe, 0x54, 0x00, 1, 2, 3)).vnic, MACCHK_VNIC_LIBVIRT_TAP);
    CHECK_EQ_INT(classify(MAC(0x00, 0x1b, 0x21, 1, 2, 3)).vnic, MACCHK_VNIC_NONE);
    CHECK_EQ_INT(classify(MAC(0x53, 0x54, 0x00, 0x12, 0x34, 0x56)).vnic, MACCHK_VNIC_NONE);
    CHECK_EQ_STR(macchk_vnic_key(MACCHK_VNIC_HYPERV), "hyper-v");
}

static unsigned judge_src(const uint8_t *mac)
{
    macchk_class c = classify(mac);
    return macchk_judge_source(&c);
}

static void test_judgements(void)
{
    uint8_t guess[6];

    CHECK_EQ_INT(judge_src(MAC(0x00, 0x1b, 0x21, 1, 2, 3)), 0);
    CHECK_EQ_INT(judge_src(MAC(0x53, 0x54, 0x00, 0x12, 0x34, 0x56)), MACCHK_F_SRC_GROUP);
    CHECK_EQ_INT(judge_src(MAC(0xff, 0xff, 0xff, 0xff, 0xff, 0xff)), MACCHK_F_SRC_GROUP);
    CHECK_EQ_INT(judge_src(MAC(0, 0, 0, 0, 0, 0)), MACCHK_F_SRC_ZERO);
    CHECK_EQ_INT(judge_src(MAC(0x00, 0x00, 0x5e, 0x00, 0x00, 0x42)), MACCHK_F_SRC_RESERVED);
    CHECK_EQ_INT(judge_src(MAC(0x00, 0x00, 0x5e, 0x00, 0x53, 0x01)), MACCHK_F_SRC_RESERVED);
    CHECK_EQ_INT(judge_src(MAC(0x00, 0x00, 0x5e, 0x00, 0x01, 0x07)), 0); /* VRRP is a fine source */
    CHECK_EQ_INT(judge_src(MAC(0xcf, 0x00, 0x00, 0x00, 0x00, 0x01)), MACCHK_F_SRC_CF);
    CHECK_EQ_INT(judge_src(MAC(0x52, 0x54, 0x00, 0x12, 0x34, 0x56)), MACCHK_F_QEMU_DEFAULT);
    CHECK_EQ_INT(judge_src(MAC(0x06, 0x11, 0x22, 0x33, 0x44, 0x55)), MACCHK_F_SRC_SLAP_RESERVED);
    CHECK_EQ_INT(judge_src(MAC(0x07, 0x11, 0x22, 0x33, 0x44, 0x55)),
                 MACCHK_F_SRC_GROUP | MACCHK_F_SRC_SLAP_RESERVED);
    CHECK(macchk_judge_source(NULL) == 0);
    {
        macchk_class zero = classify(MAC(0, 0, 0, 0, 0, 0)), bcast = classify(MAC(0xff, 0xff, 0xff, 0xff, 0xff, 0xff));
        CHECK_EQ_INT(macchk_judge_destination(&zero), MACCHK_F_DST_ZERO);
        CHECK_EQ_INT(macchk_judge_destination(&bcast), 0);
    }
    macchk_unicast_guess(MAC(0x53, 0x54, 0x00, 0x12, 0x34, 0x56), guess);
    CHECK(memcmp(guess, MAC(0x52, 0x54, 0x00, 0x12, 0x34, 0x56), 6) == 0);
    {
        macchk_class vrrp = classify(MAC(0x00, 0x00, 0x5e, 0x00, 0x02, 0x01));
        macchk_class hsrp = classify(MAC(0x00, 0x00, 0x0c, 0x07, 0xac, 0x01));
        macchk_class plain = classify(MAC(0x00, 0x00, 0x5e, 0x00, 0x00, 0x01));
        CHECK(macchk_is_virtual_router(&vrrp));
        CHECK(macchk_is_virtual_router(&hsrp));
        CHECK(!macchk_is_virtual_router(&plain));
    }
}

int main(void)
{
    test_cast();
    test_admin_and_slap();
    test_ranges();
    test_vnic();
    test_judgements();
    return unit_report("test_class");
}
