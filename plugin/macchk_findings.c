/* macchk_findings.c - the findings table (see macchk_findings.h). */
#include "macchk_findings.h"

#include "macchk_arp.h"
#include "macchk_class.h"
#include "macchk_nd.h"
#include "macchk_result.h"

#define P MACCHK_GROUP_PROTOCOL
#define S MACCHK_GROUP_SEQUENCE
#define M MACCHK_GROUP_MALFORMED
#define D MACCHK_GROUP_DEBUG
#define W MACCHK_SEV_WARNING
#define N MACCHK_SEV_NOTE

/* A finding with an expert info of its own (summary = name) ... */
#define ROW(set, bit, expert, name, group, sev, key, reason) \
    {set, bit, "macchk." expert, name, name, group, sev, key, reason, NULL}
/* ... or one of several bits shown by one expert info. */
#define SUB(set, bit, expert, summary, name, group, sev, key, reason) \
    {set, bit, "macchk." expert, summary, name, group, sev, key, reason, NULL}

static const char ARP_MALFORMED[] = "Malformed ARP packet";
static const char ARP_BAD_SENDER[] = "ARP sender address is not a valid host address";
static const char ND_MALFORMED[] = "Malformed Neighbor Discovery message";
static const char ND_BAD_OPTION[] = "Bad ND link-layer address option";

static const macchk_finding_info findings[] = {
    ROW(MACCHK_SET_ADDR, MACCHK_F_SRC_GROUP, "src.group_bit", "Source MAC has the group bit set", P, W,
        "src_group_bit", "group-bit source"),
    ROW(MACCHK_SET_ADDR, MACCHK_F_SRC_ZERO, "src.zero", "Source MAC is all zeros", P, W, "src_zero", "zero source"),
    ROW(MACCHK_SET_ADDR, MACCHK_F_DST_ZERO, "dst.zero", "Destination MAC is all zeros", P, W, "dst_zero",
        "zero destination"),
    ROW(MACCHK_SET_ADDR, MACCHK_F_SRC_RESERVED, "src.reserved", "Source MAC in a reserved or documentation range", P,
        W, "src_reserved", "reserved source"),
    ROW(MACCHK_SET_ADDR, MACCHK_F_SRC_CF, "src.cf", "Source MAC in the CF-xx-xx block", P, W, "src_cf", "CF source"),
    ROW(MACCHK_SET_ADDR, MACCHK_F_QEMU_DEFAULT, "src.qemu_default", "QEMU's default MAC in use", P, N, "qemu_default",
        "QEMU default MAC"),
    ROW(MACCHK_SET_ADDR, MACCHK_F_SRC_SLAP_RESERVED, "src.slap_reserved", "Source MAC in the SLAP reserved quadrant",
        P, N, "src_slap_reserved", "SLAP reserved source"),

    SUB(MACCHK_SET_ARP, MACCHK_A_MALFORMED_SIZES, "arp.malformed", ARP_MALFORMED,
        "Malformed ARP packet: wrong address sizes", M, W, "arp_malformed_sizes", "malformed ARP"),
    SUB(MACCHK_SET_ARP, MACCHK_A_MALFORMED_TRUNCATED, "arp.malformed", ARP_MALFORMED,
        "Malformed ARP packet: truncated", M, W, "arp_malformed_truncated", "truncated ARP"),
    SUB(MACCHK_SET_ARP, MACCHK_A_MALFORMED_OPCODE, "arp.malformed", ARP_MALFORMED,
        "Malformed ARP packet: unknown opcode", M, W, "arp_malformed_opcode", "unknown ARP opcode"),
    ROW(MACCHK_SET_ARP, MACCHK_A_SNAP_CUT, "arp.snap_cut", "ARP packet cut by the snap length", M, N, "arp_snap_cut",
        "ARP cut by snap length"),
    SUB(MACCHK_SET_ARP, MACCHK_A_SHA_GROUP, "arp.bad_sender", ARP_BAD_SENDER,
        "ARP sender address is not a valid host address: group-bit MAC", P, W, "arp_sender_group_bit",
        "group-bit ARP sender"),
    SUB(MACCHK_SET_ARP, MACCHK_A_SHA_ZERO, "arp.bad_sender", ARP_BAD_SENDER,
        "ARP sender address is not a valid host address: zero MAC", P, W, "arp_sender_zero", "zero ARP sender"),
    SUB(MACCHK_SET_ARP, MACCHK_A_SPA_BAD, "arp.bad_sender", ARP_BAD_SENDER,
        "ARP sender address is not a valid host address: IPv4", P, W, "arp_sender_bad_ip", "bad ARP sender IP"),
    ROW(MACCHK_SET_ARP, MACCHK_A_SENDER_MISMATCH, "arp.sender_mismatch", "Link-layer source differs from ARP sender MAC",
        P, W, "arp_sender_mismatch", "ARP sender is not the source"),
    ROW(MACCHK_SET_ARP, MACCHK_A_SENDER_VIRTUAL, "arp.sender_virtual", "ARP sender is a virtual router MAC", P, N,
        "arp_sender_virtual", "virtual router ARP sender"),
    ROW(MACCHK_SET_ARP, MACCHK_A_TARGET_MISMATCH, "arp.target_mismatch",
        "Reply's link-layer destination differs from its target MAC", P, N, "arp_target_mismatch",
        "reply sent elsewhere"),
    ROW(MACCHK_SET_ARP, MACCHK_A_UNICAST_REQUEST, "arp.unicast_request", "Unicast ARP request", S, N,
        "arp_unicast_request", "unicast ARP request"),

    ROW(MACCHK_SET_TRACK, MACCHK_T_UNANSWERED, "arp.unanswered", "ARP request never answered", S, W, "arp_unanswered",
        "unanswered ARP"),
    ROW(MACCHK_SET_TRACK, MACCHK_T_CAPTURE_ENDED, "arp.capture_ended", "No reply before the capture ended", S, N,
        "arp_capture_ended", "capture ended before a reply"),
    ROW(MACCHK_SET_TRACK, MACCHK_T_UNSOLICITED, "arp.unsolicited", "Unsolicited ARP reply", S, N, "arp_unsolicited",
        "unsolicited ARP reply"),
    ROW(MACCHK_SET_TRACK, MACCHK_T_NOT_ACCEPTED, "arp.not_accepted", "ARP reply not accepted (asked again)", S, N,
        "arp_not_accepted", "ARP reply not taken"),
    ROW(MACCHK_SET_TRACK, MACCHK_T_PROBE_DEFENDED, "arp.probe_defended", "Probed address is in use", S, W,
        "arp_probe_defended", "probed address in use"),
    ROW(MACCHK_SET_TRACK, MACCHK_T_IP_CONFLICT, "arp.ip_conflict", "IPv4 address claimed by several MACs at once", S,
        W, "ip_conflict", "IP conflict"),
    ROW(MACCHK_SET_TRACK, MACCHK_T_IP_MOVED, "arp.ip_moved", "IPv4 address moved to a new MAC", S, N, "ip_moved",
        "IP moved"),
    {MACCHK_SET_TRACK, MACCHK_T_DUP_MAC, "macchk.dup.mac", "MAC claims several IPv4 addresses at once",
     "MAC claims several IPv4 addresses at once", S, W, "duplicate_mac", "duplicate MAC", "macchk.dup.mac_note"},
    ROW(MACCHK_SET_TRACK, MACCHK_T_VIRTUAL_MULTI_IP, "dup.virtual_router",
        "Virtual router MAC serves several IPv4 addresses", S, N, "virtual_router_multi_ip", "virtual router IPs"),
    ROW(MACCHK_SET_TRACK, MACCHK_T_RENUMBERED, "dup.renumbered", "MAC changed its IPv4 address", S, N,
        "mac_renumbered", "renumbered"),
    ROW(MACCHK_SET_TRACK, MACCHK_T_TABLE_FULL, "table_full", "Tracking tables full", D, N, "table_full",
        "tables full"),

    SUB(MACCHK_SET_ND, MACCHK_ND_MALFORMED_HOP_LIMIT, "nd.malformed", ND_MALFORMED,
        "Malformed ND: hop limit not 255 (routed)", M, W, "nd_malformed_hop_limit", "routed ND"),
    SUB(MACCHK_SET_ND, MACCHK_ND_MALFORMED_CODE, "nd.malformed", ND_MALFORMED, "Malformed ND: ICMPv6 code not 0", M, W,
        "nd_malformed_code", "malformed ND"),
    SUB(MACCHK_SET_ND, MACCHK_ND_MALFORMED_SHORT, "nd.malformed", ND_MALFORMED,
        "Malformed ND: shorter than 24 octets", M, W, "nd_malformed_short", "short ND"),
    SUB(MACCHK_SET_ND, MACCHK_ND_MALFORMED_TRUNCATED, "nd.malformed", ND_MALFORMED,
        "Malformed ND: frame ends before the IPv6 payload", M, W, "nd_malformed_truncated", "truncated ND"),
    SUB(MACCHK_SET_ND, MACCHK_ND_MALFORMED_OPTION_ZERO, "nd.malformed", ND_MALFORMED,
        "Malformed ND: option of length 0", M, W, "nd_malformed_option_zero", "malformed ND option"),
    SUB(MACCHK_SET_ND, MACCHK_ND_MALFORMED_OPTION_PAST, "nd.malformed", ND_MALFORMED,
        "Malformed ND: option runs past the message", M, W, "nd_malformed_option_past", "malformed ND option"),
    SUB(MACCHK_SET_ND, MACCHK_ND_MALFORMED_TARGET, "nd.malformed", ND_MALFORMED, "Malformed ND: multicast target", M,
        W, "nd_malformed_target", "multicast ND target"),
    SUB(MACCHK_SET_ND, MACCHK_ND_MALFORMED_DAD_SLLAO, "nd.malformed", ND_MALFORMED,
        "Malformed ND: DAD probe with a source link-layer option", M, W, "nd_malformed_dad_sllao", "malformed DAD"),
    SUB(MACCHK_SET_ND, MACCHK_ND_MALFORMED_DAD_DST, "nd.malformed", ND_MALFORMED,
        "Malformed ND: DAD probe not sent to the solicited-node address", M, W, "nd_malformed_dad_dst",
        "malformed DAD"),
    SUB(MACCHK_SET_ND, MACCHK_ND_MALFORMED_SOLICITED_MCAST, "nd.malformed", ND_MALFORMED,
        "Malformed ND: solicited NA to a multicast destination", M, W, "nd_malformed_solicited_mcast",
        "malformed NA"),
    ROW(MACCHK_SET_ND, MACCHK_ND_SNAP_CUT, "nd.snap_cut", "ND message cut by the snap length", M, N, "nd_snap_cut",
        "ND cut by snap length"),
    ROW(MACCHK_SET_ND, MACCHK_ND_LL_MISMATCH, "nd.lladdr_mismatch", "ND link-layer option differs from the source",
        P, W, "nd_lladdr_mismatch", "ND option is not the source"),
    ROW(MACCHK_SET_ND, MACCHK_ND_LL_VIRTUAL, "nd.lladdr_virtual", "ND link-layer option is a virtual router MAC", P,
        N, "nd_lladdr_virtual", "virtual router ND option"),
    SUB(MACCHK_SET_ND, MACCHK_ND_LL_GROUP, "nd.bad_lladdr", ND_BAD_OPTION, "Bad ND link-layer option: group-bit MAC",
        P, W, "nd_lladdr_group_bit", "group-bit ND option"),
    SUB(MACCHK_SET_ND, MACCHK_ND_LL_ZERO, "nd.bad_lladdr", ND_BAD_OPTION, "Bad ND link-layer option: zero MAC", P, W,
        "nd_lladdr_zero", "zero ND option"),
    SUB(MACCHK_SET_ND, MACCHK_ND_LL_LENGTH, "nd.bad_lladdr", ND_BAD_OPTION, "Bad ND link-layer option: length", P, W,
        "nd_lladdr_length", "bad ND option length"),

    ROW(MACCHK_SET_NDTRACK, MACCHK_N_UNANSWERED, "nd.unanswered", "Neighbor Solicitation never answered", S, W,
        "nd_unanswered", "unanswered NS"),
    ROW(MACCHK_SET_NDTRACK, MACCHK_N_CAPTURE_ENDED, "nd.capture_ended", "No advertisement before the capture ended", S,
        N, "nd_capture_ended", "capture ended before an NA"),
    ROW(MACCHK_SET_NDTRACK, MACCHK_N_DAD_DEFENDED, "nd.dad_defended", "DAD probe answered: IPv6 address in use", S, W,
        "nd_dad_defended", "IPv6 address in use"),
    ROW(MACCHK_SET_NDTRACK, MACCHK_N_IP_CONFLICT, "nd.ip_conflict", "IPv6 address claimed by several MACs at once", S,
        W, "nd_ip_conflict", "IPv6 conflict"),
    ROW(MACCHK_SET_NDTRACK, MACCHK_N_IP_MOVED, "nd.ip_moved", "IPv6 address moved to a new MAC", S, N, "nd_ip_moved",
        "IPv6 moved"),
    ROW(MACCHK_SET_NDTRACK, MACCHK_N_TABLE_FULL, "nd.table_full", "ND tracking tables full", D, N, "nd_table_full",
        "ND tables full"),
};
#define N_FINDINGS (sizeof findings / sizeof findings[0])

const macchk_finding_info *macchk_findings(size_t *count)
{
    *count = N_FINDINGS;
    return findings;
}

const macchk_finding_info *macchk_finding(macchk_finding_set set, unsigned bit)
{
    for (size_t i = 0; i < N_FINDINGS; i++)
        if (findings[i].set == set && findings[i].bit == bit)
            return &findings[i];
    return NULL;
}

macchk_severity macchk_finding_severity(const macchk_finding_info *f, bool demoted_to_note)
{
    return f->note_expert && demoted_to_note ? MACCHK_SEV_NOTE : f->severity;
}

const unsigned *macchk_warning_masks(bool demoted_to_note)
{
    /* asked for every frame: worked out once (the table never changes) */
    static unsigned bits[2][MACCHK_SET_COUNT];
    static bool known;

    if (!known) {
        for (size_t i = 0; i < N_FINDINGS; i++)
            for (int demoted = 0; demoted <= 1; demoted++)
                if (macchk_finding_severity(&findings[i], demoted) == MACCHK_SEV_WARNING)
                    bits[demoted][findings[i].set] |= findings[i].bit;
        known = true;
    }
    return bits[demoted_to_note];
}

unsigned macchk_warning_bits(macchk_finding_set set, bool demoted_to_note)
{
    return set < MACCHK_SET_COUNT ? macchk_warning_masks(demoted_to_note)[set] : 0;
}
