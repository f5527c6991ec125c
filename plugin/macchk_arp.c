/* macchk_arp.c - single-packet ARP rules (see macchk_arp.h). */
#include "macchk_arp.h"

#include <string.h>

#define HTYPE_ETHERNET 1
#define HTYPE_IEEE802 6
#define PTYPE_IPV4 0x0800

bool macchk_arp_is_ipv4_ether(const macchk_arp_packet *p)
{
    return p->fixed_part && (p->htype == HTYPE_ETHERNET || p->htype == HTYPE_IEEE802) &&
           p->ptype == PTYPE_IPV4;
}

bool macchk_arp_has_addresses(const macchk_arp_packet *p)
{
    return macchk_arp_is_ipv4_ether(p) && p->hlen == MACCHK_ADDR_LEN && p->plen == 4 &&
           p->body_complete;
}

const char *macchk_arp_opcode_name(uint16_t opcode)
{
    switch (opcode) {
    case 1: return "request";
    case 2: return "reply";
    case 3: return "RARP request";
    case 4: return "RARP reply";
    case 8: return "InARP request";
    case 9: return "InARP reply";
    default: return NULL;
    }
}

static bool ipv4_is_bad_sender(uint32_t ip)
{
    return ip == 0 || ip == 0xffffffffu || (ip >> 28) == 0xe; /* 224.0.0.0/4 */
}

/* Rules on the sender's addresses; RARP and InARP carry 0.0.0.0 by design. */
static unsigned judge_sender(const macchk_arp_packet *p)
{
    unsigned findings = 0;
    bool probe = p->opcode == 1 && p->spa == 0;

    if (macchk_is_zero(p->sha))
        findings |= MACCHK_A_SHA_ZERO;
    else if (p->sha[0] & 0x01)
        findings |= MACCHK_A_SHA_GROUP;
    if ((p->opcode == 1 || p->opcode == 2) && !probe && ipv4_is_bad_sender(p->spa))
        findings |= MACCHK_A_SPA_BAD;
    return findings;
}

static unsigned judge_link(const macchk_arp_packet *p, const macchk_link_addrs *link)
{
    unsigned findings = 0;

    if (link->has_src && memcmp(link->src, p->sha, MACCHK_ADDR_LEN) != 0) {
        macchk_class sha_class, src_class;
        macchk_classify(p->sha, &sha_class);
        macchk_classify(link->src, &src_class);
        /* RFC 5798: a virtual router answers with its virtual MAC from its own NIC */
        if (macchk_is_virtual_router(&sha_class) || macchk_is_virtual_router(&src_class))
            findings |= MACCHK_A_SENDER_VIRTUAL;
        else
            findings |= MACCHK_A_SENDER_MISMATCH;
    }
    if (link->has_dst && !(link->dst[0] & 0x01)) {
        if (p->opcode == 1)
            findings |= MACCHK_A_UNICAST_REQUEST;
        else if (p->opcode == 2 && memcmp(link->dst, p->tha, MACCHK_ADDR_LEN) != 0)
            findings |= MACCHK_A_TARGET_MISMATCH;
    }
    return findings;
}

unsigned macchk_arp_judge(const macchk_arp_packet *p, const macchk_link_addrs *link)
{
    unsigned findings = 0;

    if (!p->fixed_part) /* too short to tell its type: ARP, but truncated */
        return p->snap_cut ? MACCHK_A_SNAP_CUT : MACCHK_A_MALFORMED_TRUNCATED;
    if (!macchk_arp_is_ipv4_ether(p))
        return 0;
    if (p->hlen != MACCHK_ADDR_LEN || p->plen != 4)
        findings |= MACCHK_A_MALFORMED_SIZES;
    else if (!p->body_complete)
        findings |= p->snap_cut ? MACCHK_A_SNAP_CUT : MACCHK_A_MALFORMED_TRUNCATED;
    if (!macchk_arp_opcode_name(p->opcode))
        findings |= MACCHK_A_MALFORMED_OPCODE;
    if (!macchk_arp_has_addresses(p))
        return findings; /* no trustworthy addresses */
    return findings | judge_sender(p) | judge_link(p, link);
}
