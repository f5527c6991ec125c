/* macchk_nd.c - single-message Neighbor Discovery rules (see macchk_nd.h). */
#include "macchk_nd.h"

#include <string.h>

enum {
    TYPE_RS = 133,
    TYPE_RA = 134,
    TYPE_NS = 135,
    TYPE_NA = 136,
    TYPE_REDIRECT = 137,
    OPTION_SLLAO = 1,
    OPTION_TLLAO = 2,
    ND_HOP_LIMIT = 255,  /* RFC 4861: proves the sender is on the link */
    NA_ROUTER = 0x80,
    NA_SOLICITED = 0x40,
    NA_OVERRIDE = 0x20
};

bool macchk_ipv6_is_unspecified(const uint8_t addr[MACCHK_IPV6_LEN])
{
    static const uint8_t zero[MACCHK_IPV6_LEN];
    return memcmp(addr, zero, MACCHK_IPV6_LEN) == 0;
}

bool macchk_ipv6_is_multicast(const uint8_t addr[MACCHK_IPV6_LEN])
{
    return addr[0] == 0xff;
}

/* ff02::1:ffXX:XXXX with the low 24 bits of target (RFC 4291 2.7.1). */
static bool is_solicited_node_of(const uint8_t dst[MACCHK_IPV6_LEN], const uint8_t target[MACCHK_IPV6_LEN])
{
    static const uint8_t prefix[13] = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xff};
    return memcmp(dst, prefix, sizeof prefix) == 0 && memcmp(dst + 13, target + 13, 3) == 0;
}

const char *macchk_nd_kind_name(macchk_nd_kind kind)
{
    switch (kind) {
    case MACCHK_ND_NS: return "NS";
    case MACCHK_ND_NUD: return "NUD";
    case MACCHK_ND_DAD: return "DAD probe";
    case MACCHK_ND_NA_SOLICITED: return "solicited NA";
    case MACCHK_ND_NA_UNSOLICITED: return "unsolicited NA";
    case MACCHK_ND_NA: return "NA";
    case MACCHK_ND_RS: return "RS";
    case MACCHK_ND_RA: return "RA";
    case MACCHK_ND_REDIRECT: return "redirect";
    default: return NULL;
    }
}

static macchk_nd_kind kind_of(const macchk_nd_msg *m)
{
    switch (m->type) {
    case TYPE_RS: return MACCHK_ND_RS;
    case TYPE_RA: return MACCHK_ND_RA;
    case TYPE_REDIRECT: return MACCHK_ND_REDIRECT;
    case TYPE_NS:
        if (macchk_ipv6_is_unspecified(m->src))
            return MACCHK_ND_DAD;
        return macchk_ipv6_is_multicast(m->dst) ? MACCHK_ND_NS : MACCHK_ND_NUD;
    case TYPE_NA:
        if (!m->fixed_part)
            return MACCHK_ND_NA;
        return m->solicited ? MACCHK_ND_NA_SOLICITED : MACCHK_ND_NA_UNSOLICITED;
    default: return MACCHK_ND_NONE;
    }
}

/* Walk the options after the fixed part, up to end; remember the first
 * link-layer option of wanted type.  Returns malformed findings. */
static unsigned read_options(const uint8_t *bytes, uint32_t end, uint8_t wanted, bool link_is_mac,
                             macchk_nd_msg *m, bool *has_sllao)
{
    for (uint32_t at = MACCHK_ND_FIXED_LEN; at < end;) {
        if (end - at < 2)
            return MACCHK_ND_MALFORMED_OPTION_PAST;  /* not even its type and length */
        uint8_t type = bytes[at];
        uint32_t size = bytes[at + 1] * 8u;
        if (size == 0)
            return MACCHK_ND_MALFORMED_OPTION_ZERO;
        if (size > end - at)
            return MACCHK_ND_MALFORMED_OPTION_PAST;
        *has_sllao |= type == OPTION_SLLAO;
        if (type == wanted && !m->has_ll_option) {
            m->has_ll_option = true;
            m->ll_option_len = bytes[at + 1];
            m->has_option_mac = link_is_mac && m->ll_option_len == 1;
            if (m->has_option_mac)
                memcpy(m->option_mac, bytes + at + 2, MACCHK_ADDR_LEN);
        }
        at += size;
    }
    return 0;
}

/* Rules that make the message untrusted (RFC 4861 7.1.1, 7.1.2). */
static unsigned judge_form(const macchk_nd_msg *m, const macchk_nd_input *in, bool has_sllao)
{
    unsigned findings = 0;
    if (in->hop_limit != ND_HOP_LIMIT)
        findings |= MACCHK_ND_MALFORMED_HOP_LIMIT;
    if (m->code != 0)
        findings |= MACCHK_ND_MALFORMED_CODE;
    if (in->length < MACCHK_ND_FIXED_LEN)
        findings |= MACCHK_ND_MALFORMED_SHORT;
    if (!m->fixed_part)
        return findings;
    if (macchk_ipv6_is_multicast(m->target))
        findings |= MACCHK_ND_MALFORMED_TARGET;
    if (m->kind == MACCHK_ND_DAD) {
        if (has_sllao)
            findings |= MACCHK_ND_MALFORMED_DAD_SLLAO;
        if (!is_solicited_node_of(m->dst, m->target))
            findings |= MACCHK_ND_MALFORMED_DAD_DST;
    }
    if (m->solicited && macchk_ipv6_is_multicast(m->dst))
        findings |= MACCHK_ND_MALFORMED_SOLICITED_MCAST;
    return findings;
}

/* A virtual router MAC that ND may carry: VRRP's for IPv6 (RFC 5798;
 * VRRP's IPv4 MACs have no business in ND) or HSRP's. */
static bool is_nd_virtual_router(const macchk_class *c)
{
    return macchk_is_virtual_router(c) && c->range != MACCHK_RANGE_VRRP_V4;
}

/* Rules on the link-layer option of a well-formed message on a MAC link. */
static unsigned judge_option(macchk_nd_msg *m)
{
    if (!m->has_ll_option)
        return 0;
    if (!m->has_option_mac)
        return MACCHK_ND_LL_LENGTH;  /* a 6-byte MAC takes exactly one unit (RFC 2464) */
    unsigned findings = 0;
    if (macchk_is_zero(m->option_mac))
        findings |= MACCHK_ND_LL_ZERO;
    else if (m->option_mac[0] & 0x01)
        findings |= MACCHK_ND_LL_GROUP;
    if (m->link.has_src && memcmp(m->link.src, m->option_mac, MACCHK_ADDR_LEN) != 0) {
        macchk_class option_class, src_class;
        macchk_classify(m->option_mac, &option_class);
        macchk_classify(m->link.src, &src_class);
        /* RFC 5798: a virtual router advertises its virtual MAC from its own NIC */
        if ((m->virtual_in_option = is_nd_virtual_router(&option_class)))
            m->virtual_range = option_class.range;
        else if (is_nd_virtual_router(&src_class))
            m->virtual_range = src_class.range;
        findings |= m->virtual_range ? MACCHK_ND_LL_VIRTUAL : MACCHK_ND_LL_MISMATCH;
    }
    return findings;
}

void macchk_nd_read(const macchk_nd_input *in, macchk_nd_msg *out)
{
    memset(out, 0, sizeof *out);
    memcpy(out->src, in->src, MACCHK_IPV6_LEN);
    memcpy(out->dst, in->dst, MACCHK_IPV6_LEN);
    out->link = in->link;
    out->hop_limit = in->hop_limit;
    uint32_t end = in->captured < in->length ? in->captured : in->length;  /* padding is not message */
    const uint8_t *b = in->bytes;
    if (end >= 1)
        out->type = b[0];
    if (end >= 2)
        out->code = b[1];
    if (end >= MACCHK_ND_FIXED_LEN) {
        out->fixed_part = true;
        memcpy(out->target, b + 8, MACCHK_IPV6_LEN);
    }
    if (out->fixed_part && out->type == TYPE_NA) {  /* in an NS these bits are reserved */
        out->router = b[4] & NA_ROUTER;
        out->solicited = b[4] & NA_SOLICITED;
        out->override = b[4] & NA_OVERRIDE;
    }
    out->kind = kind_of(out);
    if (out->type != TYPE_NS && out->type != TYPE_NA)
        return;
    if (end < in->length && in->snap_cut) {
        out->findings = MACCHK_ND_SNAP_CUT;  /* what was not captured may have been fine */
        return;
    }
    if (end < in->length)
        out->findings = MACCHK_ND_MALFORMED_TRUNCATED;

    bool is_ns = out->type == TYPE_NS, has_sllao = false;
    if (out->fixed_part)
        out->findings |= read_options(b, end, is_ns ? OPTION_SLLAO : OPTION_TLLAO, in->link_is_mac, out, &has_sllao);
    out->findings |= judge_form(out, in, has_sllao);
    if (out->findings & MACCHK_ND_MALFORMED)
        return;
    if (in->link_is_mac)
        out->findings |= judge_option(out);
}

bool macchk_nd_trackable(const macchk_nd_msg *m)
{
    bool ns_or_na = m->type == TYPE_NS || m->type == TYPE_NA;
    return ns_or_na && m->fixed_part && !(m->findings & (MACCHK_ND_MALFORMED | MACCHK_ND_SNAP_CUT));
}

bool macchk_nd_claimed_mac(const macchk_nd_msg *m, uint8_t mac[MACCHK_ADDR_LEN])
{
    if (m->has_option_mac)
        memcpy(mac, m->option_mac, MACCHK_ADDR_LEN);
    else if (m->link.has_src)
        memcpy(mac, m->link.src, MACCHK_ADDR_LEN);
    else
        return false;
    return true;
}

const char *macchk_nd_finding_what(unsigned bit)
{
    static const struct {
        unsigned bit;
        const char *what;
    } reasons[] = {
        {MACCHK_ND_MALFORMED_CODE, "ICMPv6 code is not 0"},
        {MACCHK_ND_MALFORMED_SHORT, "shorter than 24 octets"},
        {MACCHK_ND_MALFORMED_TRUNCATED, "the frame ends before the IPv6 payload length says"},
        {MACCHK_ND_MALFORMED_OPTION_ZERO, "an option has length 0"},
        {MACCHK_ND_MALFORMED_OPTION_PAST, "an option runs past the message"},
        {MACCHK_ND_MALFORMED_TARGET, "its target is a multicast address"},
        {MACCHK_ND_MALFORMED_DAD_SLLAO, "a DAD probe with a source link-layer option"},
        {MACCHK_ND_MALFORMED_DAD_DST, "a DAD probe not sent to the target's solicited-node address"},
        {MACCHK_ND_MALFORMED_SOLICITED_MCAST, "a solicited NA sent to a multicast group"},
        {MACCHK_ND_LL_GROUP, "a group-bit MAC"},
        {MACCHK_ND_LL_ZERO, "an all-zero MAC"},
    };
    for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++)
        if (reasons[i].bit == bit)
            return reasons[i].what;
    return NULL;
}
