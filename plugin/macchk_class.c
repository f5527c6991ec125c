/* macchk_class.c - MAC address classification (see macchk_class.h). */
#include "macchk_class.h"

#include <string.h>

#define GROUP_BIT 0x01
#define LOCAL_BIT 0x02

static bool has_prefix(const uint8_t *mac, const uint8_t *prefix, size_t len)
{
    return memcmp(mac, prefix, len) == 0;
}

bool macchk_is_zero(const uint8_t mac[MACCHK_ADDR_LEN])
{
    return (mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]) == 0;
}

static bool is_broadcast(const uint8_t *mac)
{
    return (mac[0] & mac[1] & mac[2] & mac[3] & mac[4] & mac[5]) == 0xff;
}

static macchk_slap slap_quadrant(uint8_t first_octet)
{
    if (!(first_octet & LOCAL_BIT))
        return MACCHK_SLAP_NONE;
    switch (first_octet & 0x0c) { /* Z (0x08) and Y (0x04) */
    case 0x00: return MACCHK_SLAP_AAI;
    case 0x08: return MACCHK_SLAP_ELI;
    case 0x0c: return MACCHK_SLAP_SAI;
    default:   return MACCHK_SLAP_RESERVED;
    }
}

/* Ranges under 01-00-5E, split on the fourth octet (RFC 7042). */
static macchk_range iana_multicast_range(const uint8_t *mac)
{
    if (mac[3] <= 0x7f)
        return MACCHK_RANGE_IPV4_MCAST;
    if (mac[3] <= 0x8f)
        return MACCHK_RANGE_MPLS_MCAST;
    if (mac[3] == 0x90 && mac[4] == 0x10)
        return MACCHK_RANGE_DOC_MCAST;
    return MACCHK_RANGE_NONE;
}

/* Ranges under 00-00-5E-00, split on the fifth octet. */
static macchk_range iana_unicast_range(const uint8_t *mac)
{
    switch (mac[4]) {
    case 0x00: return MACCHK_RANGE_IANA_RESERVED;
    case 0x01: return MACCHK_RANGE_VRRP_V4;
    case 0x02: return MACCHK_RANGE_VRRP_V6;
    case 0x53: return MACCHK_RANGE_DOC_UNICAST;
    default:   return MACCHK_RANGE_NONE;
    }
}

/* Dispatched on the first octet: asked for every address of every frame. */
static macchk_range special_range(const uint8_t *mac, uint16_t *detail)
{
    static const uint8_t ieee_802_1[] = {0x01, 0x80, 0xc2, 0x00, 0x00};
    static const uint8_t iana_mcast[] = {0x01, 0x00, 0x5e};
    static const uint8_t iana_ucast[] = {0x00, 0x00, 0x5e, 0x00};
    static const uint8_t hsrp_v1[] = {0x00, 0x00, 0x0c, 0x07, 0xac};
    static const uint8_t hsrp_v2[] = {0x00, 0x00, 0x0c, 0x9f};
    static const uint8_t hsrp_v6[] = {0x00, 0x05, 0x73, 0xa0};

    *detail = mac[5];
    switch (mac[0]) {
    case 0xff:
        return is_broadcast(mac) ? MACCHK_RANGE_BROADCAST : MACCHK_RANGE_NONE;
    case 0x01:
        if (has_prefix(mac, ieee_802_1, sizeof ieee_802_1)) {
            if (mac[5] <= 0x0f)
                return MACCHK_RANGE_IEEE_LINK_LOCAL;
            if (mac[5] >= 0x20 && mac[5] <= 0x2f)
                return MACCHK_RANGE_IEEE_MRP;
            return MACCHK_RANGE_NONE;
        }
        return has_prefix(mac, iana_mcast, sizeof iana_mcast) ? iana_multicast_range(mac) : MACCHK_RANGE_NONE;
    case 0x33:
        return mac[1] == 0x33 ? MACCHK_RANGE_IPV6_MCAST : MACCHK_RANGE_NONE;
    case 0x00:
        if (has_prefix(mac, iana_ucast, sizeof iana_ucast))
            return iana_unicast_range(mac);
        if (has_prefix(mac, hsrp_v1, sizeof hsrp_v1))
            return MACCHK_RANGE_HSRP_V1;
        if (has_prefix(mac, hsrp_v2, sizeof hsrp_v2) && (mac[4] & 0xf0) == 0xf0) {
            *detail = (uint16_t)(((mac[4] & 0x0f) << 8) | mac[5]);
            return MACCHK_RANGE_HSRP_V2;
        }
        if (has_prefix(mac, hsrp_v6, sizeof hsrp_v6) && (mac[4] & 0xf0) == 0) {
            *detail = (uint16_t)((mac[4] << 8) | mac[5]);
            return MACCHK_RANGE_HSRP_V6;
        }
        return MACCHK_RANGE_NONE;
    case 0xcf:
        return MACCHK_RANGE_CF;
    default:
        return MACCHK_RANGE_NONE;
    }
}

static macchk_vnic vnic_prefix(const uint8_t *mac)
{
    static const uint8_t qemu_default[] = {0x52, 0x54, 0x00, 0x12, 0x34};

    if (has_prefix(mac, qemu_default, sizeof qemu_default) && (mac[5] & 0xf0) == 0x50)
        return MACCHK_VNIC_QEMU_DEFAULT;
    if (mac[0] == 0x52 && mac[1] == 0x55)
        return MACCHK_VNIC_QEMU_SLIRP;
    if (mac[0] == 0x02 && mac[1] == 0x42)
        return MACCHK_VNIC_DOCKER;
    /* a switch, not a table scan: asked for every address of every frame */
    switch ((uint32_t)mac[0] << 16 | (uint32_t)mac[1] << 8 | mac[2]) {
    case 0x525400: return MACCHK_VNIC_QEMU;
    case 0x00163e: return MACCHK_VNIC_XEN;
    case 0x080027:
    case 0x0a0027: return MACCHK_VNIC_VIRTUALBOX;
    case 0x005056:
    case 0x000c29:
    case 0x000569:
    case 0x001c14: return MACCHK_VNIC_VMWARE;
    case 0x00155d: return MACCHK_VNIC_HYPERV;
    case 0x001c42: return MACCHK_VNIC_PARALLELS;
    case 0xfe5400: return MACCHK_VNIC_LIBVIRT_TAP;
    default:       return MACCHK_VNIC_NONE;
    }
}

void macchk_classify(const uint8_t mac[MACCHK_ADDR_LEN], macchk_class *out)
{
    if (macchk_is_zero(mac))
        out->cast = MACCHK_CAST_ZERO;
    else if (is_broadcast(mac))
        out->cast = MACCHK_CAST_BROADCAST;
    else if (mac[0] & GROUP_BIT)
        out->cast = MACCHK_CAST_MULTICAST;
    else
        out->cast = MACCHK_CAST_UNICAST;
    /* all ones: the U/L and SLAP bits say nothing about broadcast */
    out->admin = (mac[0] & LOCAL_BIT) && out->cast != MACCHK_CAST_BROADCAST ? MACCHK_ADMIN_LOCAL
                                                                            : MACCHK_ADMIN_GLOBAL;
    out->slap = out->admin == MACCHK_ADMIN_LOCAL ? slap_quadrant(mac[0]) : MACCHK_SLAP_NONE;
    out->range = special_range(mac, &out->range_detail);
    if (out->range == MACCHK_RANGE_NONE)
        out->range_detail = 0;
    out->vnic = vnic_prefix(mac);
}

bool macchk_is_virtual_router(const macchk_class *c)
{
    return c->range == MACCHK_RANGE_VRRP_V4 || c->range == MACCHK_RANGE_VRRP_V6 ||
           c->range == MACCHK_RANGE_HSRP_V1 || c->range == MACCHK_RANGE_HSRP_V2 || c->range == MACCHK_RANGE_HSRP_V6;
}

unsigned macchk_judge_source(const macchk_class *src)
{
    unsigned findings = 0;

    if (!src)
        return 0;
    if (src->range == MACCHK_RANGE_CF)
        findings |= MACCHK_F_SRC_CF; /* says more than "group bit" */
    else if (src->cast == MACCHK_CAST_MULTICAST || src->cast == MACCHK_CAST_BROADCAST)
        findings |= MACCHK_F_SRC_GROUP;
    if (src->cast == MACCHK_CAST_ZERO)
        findings |= MACCHK_F_SRC_ZERO;
    if (src->range == MACCHK_RANGE_IANA_RESERVED || src->range == MACCHK_RANGE_DOC_UNICAST)
        findings |= MACCHK_F_SRC_RESERVED;
    if (src->vnic == MACCHK_VNIC_QEMU_DEFAULT)
        findings |= MACCHK_F_QEMU_DEFAULT;
    if (src->slap == MACCHK_SLAP_RESERVED)
        findings |= MACCHK_F_SRC_SLAP_RESERVED;
    return findings;
}

unsigned macchk_judge_destination(const macchk_class *dst)
{
    return (dst && dst->cast == MACCHK_CAST_ZERO) ? MACCHK_F_DST_ZERO : 0;
}

void macchk_unicast_guess(const uint8_t mac[MACCHK_ADDR_LEN], uint8_t out[MACCHK_ADDR_LEN])
{
    memcpy(out, mac, MACCHK_ADDR_LEN);
    out[0] &= (uint8_t)~GROUP_BIT;
}

const char *macchk_cast_name(macchk_cast cast)
{
    static const char *const names[] = {"unicast", "multicast", "broadcast", "zero"};
    return (unsigned)cast < 4 ? names[cast] : "?";
}

const char *macchk_admin_name(macchk_admin admin)
{
    return admin == MACCHK_ADMIN_LOCAL ? "locally administered (LAA)" : "globally unique (UAA)";
}

const char *macchk_slap_name(macchk_slap slap)
{
    static const char *const names[] = {
        "none (globally administered)",
        "AAI (administratively assigned, x2)",
        "ELI (extended local, xA)",
        "SAI (standard assigned, xE)",
        "reserved (x6)",
    };
    return (unsigned)slap < 5 ? names[slap] : "?";
}

static const struct {
    const char *key, *name;
} range_names[MACCHK_RANGE_COUNT] = {
    [MACCHK_RANGE_NONE] = {"none", "none"},
    [MACCHK_RANGE_BROADCAST] = {"broadcast", "broadcast"},
    [MACCHK_RANGE_IEEE_LINK_LOCAL] = {"ieee-link-local", "IEEE 802.1 link-local (not forwarded by bridges)"},
    [MACCHK_RANGE_IEEE_MRP] = {"ieee-mrp", "IEEE 802.1 MRP/GARP application"},
    [MACCHK_RANGE_IPV4_MCAST] = {"ipv4-multicast", "IPv4 multicast"},
    [MACCHK_RANGE_MPLS_MCAST] = {"mpls-multicast", "MPLS multicast"},
    [MACCHK_RANGE_DOC_MCAST] = {"doc-multicast", "documentation multicast (RFC 7042)"},
    [MACCHK_RANGE_IPV6_MCAST] = {"ipv6-multicast", "IPv6 multicast"},
    [MACCHK_RANGE_IANA_RESERVED] = {"iana-reserved", "IANA reserved unicast"},
    [MACCHK_RANGE_VRRP_V4] = {"vrrp-ipv4", "VRRP IPv4 virtual router"},
    [MACCHK_RANGE_VRRP_V6] = {"vrrp-ipv6", "VRRP IPv6 virtual router"},
    [MACCHK_RANGE_DOC_UNICAST] = {"doc-unicast", "documentation unicast (RFC 7042/9542)"},
    [MACCHK_RANGE_HSRP_V1] = {"hsrp-v1", "HSRPv1 virtual router"},
    [MACCHK_RANGE_HSRP_V2] = {"hsrp-v2", "HSRPv2 virtual router"},
    [MACCHK_RANGE_CF] = {"cf", "CF-xx-xx (RFC 2153, never a station)"},
    [MACCHK_RANGE_HSRP_V6] = {"hsrp-ipv6", "HSRP IPv6 virtual router"},
};

static const struct {
    const char *key, *name;
} vnic_names[MACCHK_VNIC_COUNT] = {
    [MACCHK_VNIC_NONE] = {"none", "none"},
    [MACCHK_VNIC_QEMU] = {"qemu", "QEMU/KVM"},
    [MACCHK_VNIC_QEMU_DEFAULT] = {"qemu-default", "QEMU/KVM default (shared by every guest left unconfigured)"},
    [MACCHK_VNIC_QEMU_SLIRP] = {"qemu-slirp", "QEMU user-mode network (slirp)"},
    [MACCHK_VNIC_XEN] = {"xen", "Xen"},
    [MACCHK_VNIC_VIRTUALBOX] = {"virtualbox", "VirtualBox"},
    [MACCHK_VNIC_VMWARE] = {"vmware", "VMware"},
    [MACCHK_VNIC_HYPERV] = {"hyper-v", "Hyper-V"},
    [MACCHK_VNIC_PARALLELS] = {"parallels", "Parallels"},
    [MACCHK_VNIC_DOCKER] = {"docker", "Docker"},
    [MACCHK_VNIC_LIBVIRT_TAP] = {"libvirt-tap", "libvirt host tap"},
};

const char *macchk_range_name(macchk_range range)
{
    return (unsigned)range < MACCHK_RANGE_COUNT ? range_names[range].name : "?";
}

const char *macchk_range_key(macchk_range range)
{
    return (unsigned)range < MACCHK_RANGE_COUNT ? range_names[range].key : "?";
}

const char *macchk_vnic_name(macchk_vnic vnic)
{
    return (unsigned)vnic < MACCHK_VNIC_COUNT ? vnic_names[vnic].name : "?";
}

const char *macchk_vnic_key(macchk_vnic vnic)
{
    return (unsigned)vnic < MACCHK_VNIC_COUNT ? vnic_names[vnic].key : "?";
}


const char *macchk_admin_key(macchk_admin admin)
{
    return admin == MACCHK_ADMIN_LOCAL ? "LAA" : "UAA";
}

const char *macchk_slap_key(macchk_slap slap)
{
    static const char *const keys[] = {"none", "AAI", "ELI", "SAI", "reserved"};
    return (unsigned)slap < 5 ? keys[slap] : "?";
}



const char *macchk_link_local_name(uint8_t low)
{
    switch (low) {
    case 0x00: return "STP (nearest customer bridge)";
    case 0x01: return "MAC control (PAUSE)";
    case 0x02: return "slow protocols (LACP, OAM)";
    case 0x03: return "802.1X PAE (nearest non-TPMR bridge)";
    case 0x08: return "provider bridge group (STP)";
    case 0x0e: return "LLDP/PTP (nearest bridge)";
    default:   return NULL;
    }
}

void macchk_mac_hex(const uint8_t mac[MACCHK_ADDR_LEN], char out[MACCHK_MAC_HEX_LEN])
{
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < MACCHK_ADDR_LEN; i++) {
        out[3 * i] = digits[mac[i] >> 4];
        out[3 * i + 1] = digits[mac[i] & 0x0f];
        out[3 * i + 2] = i + 1 < MACCHK_ADDR_LEN ? ':' : '\0';
    }
}
