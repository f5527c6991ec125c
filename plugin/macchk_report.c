/* macchk_report.c - the triage report's facts, per frame and settled against the trackers; its entry points.
 *
 * Facts are kept in capped keyed tables of fixed records (macchk_util.h):
 * networks, hosts, frame groups (what frames said: bad source MACs,
 * malformed ARP, mismatches, unsolicited replies, and "gates": the IPs and
 * MACs some frame flagged as conflicting, moved, duplicate or renumbered),
 * and view groups (what the tracker knows once the whole capture has been
 * read: unanswered exchanges, defended probes, replies not accepted).
 * Binding problems are reported only for gated IPs and MACs, so the
 * allow-list and the preferences, applied per frame by the dissector,
 * decide what is reported; the bindings add the details and the final kind
 * (a first-pass frame may see a conflict as a move).
 *
 * Drawing turns the tables into a list of small problem records (kind,
 * severity, frames and where the facts are: macchk_report_gather.c), sorts
 * it and writes each problem's text straight to the output
 * (macchk_report_text.c, macchk_report_json.c): no text is kept per
 * problem.  Everything at draw time is a hash lookup or a binary search per
 * item, and one sort: O(n log n) in frames, hosts and groups.
 */
#include "macchk_report.h"

#include <stdlib.h>
#include <string.h>

#include "macchk_report_int.h"

/* ---- finding names (macchk_findings.h) ------------------------------- */

static const macchk_finding_info *findings;
static size_t n_findings;

static void load_findings(void)
{
    if (!findings)
        findings = macchk_findings(&n_findings);
}

const macchk_finding_info *report_findings(size_t *n)
{
    load_findings();
    *n = n_findings;
    return findings;
}

static unsigned bit_index(unsigned bit)
{
    unsigned i = 0;
    while (bit > 1) {
        bit >>= 1;
        i++;
    }
    return i;
}

/* ---- problem kinds ---------------------------------------------------- */

const report_kind report_kinds[K_COUNT] = {
    [K_IP_CONFLICT] = {"ip_conflict", MACCHK_SEV_WARNING, "IP conflict", "IP conflicts"},
    [K_BAD_SOURCE] = {"bad_source_mac", MACCHK_SEV_WARNING, "bad source MAC", "bad source MACs"},
    [K_UNANSWERED] = {"arp_unanswered", MACCHK_SEV_WARNING, "unanswered ARP", "unanswered ARP"},
    [K_DUP_MAC] = {"duplicate_mac", MACCHK_SEV_WARNING, "duplicate MAC", "duplicate MACs"},
    [K_PROBE_DEFENDED] = {"arp_probe_defended", MACCHK_SEV_WARNING, "probed address in use",
                          "probed addresses in use"},
    [K_SENDER_MISMATCH] = {"arp_sender_mismatch", MACCHK_SEV_WARNING, "ARP sender mismatch",
                           "ARP sender mismatches"},
    [K_BAD_SENDER_IP] = {"arp_bad_sender_ip", MACCHK_SEV_WARNING, "bad ARP sender IP", "bad ARP sender IPs"},
    [K_MALFORMED] = {"arp_malformed", MACCHK_SEV_WARNING, "malformed ARP", "malformed ARP"},
    [K_DST_ZERO] = {"dst_zero", MACCHK_SEV_WARNING, "zero destination MAC", "zero destination MACs"},
    [K_NS_UNANSWERED] = {"nd_unanswered", MACCHK_SEV_WARNING, "unanswered NS", "unanswered NS"},
    [K_DAD_DEFENDED] = {"nd_dad_defended", MACCHK_SEV_WARNING, "IPv6 address in use", "IPv6 addresses in use"},
    [K_IP6_CONFLICT] = {"ipv6_conflict", MACCHK_SEV_WARNING, "IPv6 conflict", "IPv6 conflicts"},
    [K_ND_LL_MISMATCH] = {"nd_lladdr_mismatch", MACCHK_SEV_WARNING, "ND option mismatch", "ND option mismatches"},
    [K_ND_BAD_OPTION] = {"nd_bad_lladdr", MACCHK_SEV_WARNING, "bad ND option", "bad ND options"},
    [K_ND_MALFORMED] = {"nd_malformed", MACCHK_SEV_WARNING, "malformed ND", "malformed ND"},
    [K_QEMU_DEFAULT] = {"qemu_default_mac", MACCHK_SEV_NOTE},
    [K_SLAP_RESERVED] = {"slap_reserved", MACCHK_SEV_NOTE},
    [K_IP_MOVED] = {"ip_moved", MACCHK_SEV_NOTE},
    [K_RENUMBERED] = {"mac_renumbered", MACCHK_SEV_NOTE},
    [K_VIRTUAL_MULTI] = {"virtual_router_multi_ip", MACCHK_SEV_NOTE},
    [K_CAPTURE_ENDED] = {"arp_capture_ended", MACCHK_SEV_NOTE},
    [K_NOT_ACCEPTED] = {"arp_not_accepted", MACCHK_SEV_NOTE},
    [K_UNSOLICITED] = {"arp_unsolicited", MACCHK_SEV_NOTE},
    [K_TARGET_MISMATCH] = {"arp_target_mismatch", MACCHK_SEV_NOTE},
    [K_SENDER_VIRTUAL] = {"arp_sender_virtual", MACCHK_SEV_NOTE},
    [K_UNICAST_REQUEST] = {"arp_unicast_request", MACCHK_SEV_NOTE},
    [K_SNAP_CUT] = {"arp_snap_cut", MACCHK_SEV_NOTE},
    [K_IP6_MOVED] = {"ipv6_moved", MACCHK_SEV_NOTE},
    [K_NS_CAPTURE_ENDED] = {"nd_capture_ended", MACCHK_SEV_NOTE},
    [K_ND_LL_VIRTUAL] = {"nd_lladdr_virtual", MACCHK_SEV_NOTE},
    [K_ND_SNAP_CUT] = {"nd_snap_cut", MACCHK_SEV_NOTE},
    [K_TABLE_FULL] = {"table_full", MACCHK_SEV_NOTE},
};

static bool group_is_victim(const void *rec);

macchk_report *macchk_report_new(const macchk_report_limits *limits)
{
    macchk_report *rep = macchk_xcalloc(1, sizeof *rep);
    rep->limits = *limits;
    kt_init(&rep->nets, sizeof(net_rec), sizeof(net_key), limits->cap);
    kt_init(&rep->hosts, sizeof(host_rec), sizeof(host_key), limits->cap);
    kt_init(&rep->addrs6, MACCHK_IPV6_LEN, MACCHK_IPV6_LEN, limits->cap);
    kt_init(&rep->groups, sizeof(group_rec), sizeof(rkey), limits->cap);
    kt_init(&rep->fgroups, sizeof(group_rec), sizeof(rkey), limits->cap);
    kt_init(&rep->vgroups, sizeof(group_rec), sizeof(rkey), limits->cap);
    rep->pending = macchk_pending_new(limits->cap, limits->arp_timeout_ns, limits->nd_timeout_ns);
    return rep;
}

static void drop_views(macchk_report *rep)
{
    kt_clear(&rep->vgroups);
    free(rep->v4.items);
    free(rep->v4.by_mac);
    free(rep->v6.items);
    free(rep->v6.by_mac);
    memset(&rep->v4, 0, sizeof rep->v4);
    memset(&rep->v6, 0, sizeof rep->v6);
    memset(&rep->fix, 0, sizeof rep->fix);
    rep->views_given = rep->views_missing = rep->nd_views_given = false;
}

void macchk_report_free(macchk_report *rep)
{
    if (!rep)
        return;
    drop_views(rep);
    kt_clear(&rep->nets);
    kt_clear(&rep->hosts);
    kt_clear(&rep->addrs6);
    kt_clear(&rep->groups);
    kt_clear(&rep->fgroups);
    macchk_pending_free(rep->pending);
    free(rep);
}

void macchk_report_clear(macchk_report *rep)
{
    drop_views(rep);
    kt_clear(&rep->nets);
    kt_clear(&rep->hosts);
    kt_clear(&rep->addrs6);
    kt_clear(&rep->groups);
    kt_clear(&rep->fgroups);
    macchk_pending_clear(rep->pending);
    rep->frames = rep->invalid_frames = rep->frames_without_mac = rep->host_frames_untracked = 0;
    rep->addrs6_refused = 0;
    memset(rep->finding_frames, 0, sizeof rep->finding_frames);
    rep->have_last_net = false;
}

/* ---- networks ---------------------------------------------------------- */

/* The report's id of net (1-based), added if there is room; 0 when full. */
static uint32_t net_id(macchk_report *rep, const macchk_net *net)
{
    net_key k;
    macchk_net_key(net, &k.hi, &k.lo);
    net_rec *n = kt_touch(&rep->nets, &k, NULL, NULL);
    if (!n)
        return 0;
    n->net = *net;
    return (uint32_t)((const char *)n - (const char *)kt_rec(&rep->nets, 0)) / sizeof(net_rec) + 1;
}

static uint32_t frame_net_id(macchk_report *rep, const macchk_net *net)
{
    if (!rep->have_last_net || memcmp(&rep->last_net, net, sizeof *net) != 0) {
        rep->last_net = *net;
        rep->last_net_id = net_id(rep, net);
        rep->have_last_net = true;
    }
    return rep->last_net_id;
}

/* ---- gathering from frames -------------------------------------------- */

static void touch_range(uint32_t *first, uint32_t *last, uint32_t *count, uint32_t frame)
{
    if (*count && *last == frame)
        return; /* this frame is counted already */
    if (!*count || frame < *first)
        *first = frame;
    if (!*count || frame > *last)
        *last = frame;
    (*count)++;
}

rkey report_make_key(uint32_t net, uint8_t kind, uint8_t sub, const uint8_t *mac, const uint8_t *mac2, uint32_t ip,
                     uint32_t ip2)
{
    rkey k;
    memset(&k, 0, sizeof k);
    k.net = net;
    k.kind = kind;
    k.sub = sub;
    if (mac)
        memcpy(k.mac, mac, 6);
    if (mac2)
        memcpy(k.mac2, mac2, 6);
    k.ip = ip;
    k.ip2 = ip2;
    return k;
}

/* A group's severity while gathering (a duplicate MAC counts as a Warning:
 * the policy is known only when drawing). */
static bool group_is_warning(const group_rec *g)
{
    if (g->key.kind == K_GATE_IP)
        return (g->flags & MACCHK_T_IP_CONFLICT) != 0;
    if (g->key.kind == K_GATE_MAC)
        return (g->flags & MACCHK_T_DUP_MAC) != 0;
    if (g->key.kind == K_GATE_IP6)
        return (g->flags & MACCHK_N_IP_CONFLICT) != 0;
    return report_kinds[g->key.kind].severity == MACCHK_SEV_WARNING;
}

/* Notes make room for Warnings; a Note group never turns into a Warning
 * except a gate, which only gains flags (so a kept Warning stays one). */
static bool group_is_victim(const void *rec)
{
    return !group_is_warning(rec);
}

static group_rec *touch_group(ktable *t, const rkey *k, uint32_t frame, uint32_t flags)
{
    group_rec probe = {.key = *k, .flags = flags};
    bool warning = group_is_warning(&probe);
    group_rec *g = kt_touch(t, k, warning ? group_is_victim : NULL, NULL);
    if (!g)
        return NULL;
    touch_range(&g->first, &g->last, &g->count, frame);
    g->flags |= flags;
    return g;
}

static group_rec *group(macchk_report *rep, uint32_t net, uint8_t kind, uint8_t sub, const uint8_t *mac,
                        const uint8_t *mac2, uint32_t ip, uint32_t ip2, uint32_t frame, uint32_t flags)
{
    rkey k = report_make_key(net, kind, sub, mac, mac2, ip, ip2);
    return touch_group(&rep->groups, &k, frame, flags);
}

static void touch_host(macchk_report *rep, uint32_t net, const uint8_t *mac, uint32_t frame)
{
    host_key k = {.net = net};
    memcpy(k.mac, mac, 6);
    host_rec *h = kt_touch(&rep->hosts, &k, NULL, NULL);
    if (!h) {
        rep->host_frames_untracked++;
        return;
    }
    touch_range(&h->first, &h->last, &h->count, frame);
}

static void add_bad_source(macchk_report *rep, uint32_t net, const macchk_result *r)
{
    unsigned f = r->addr_findings, a = r->arp_findings;
    uint32_t flags;

    if (r->has_src) {
        flags = (f & MACCHK_F_SRC_GROUP ? BAD_GROUP : 0) | (f & MACCHK_F_SRC_ZERO ? BAD_ZERO : 0) |
                (f & MACCHK_F_SRC_RESERVED ? BAD_RESERVED : 0) | (f & MACCHK_F_SRC_CF ? BAD_CF : 0);
        if (flags)
            group(rep, net, K_BAD_SOURCE, 0, r->src, NULL, 0, 0, r->frame, flags | BAD_AS_SOURCE);
    }
    if (a & (MACCHK_A_SHA_GROUP | MACCHK_A_SHA_ZERO)) {
        flags = (a & MACCHK_A_SHA_GROUP ? BAD_GROUP : 0) | (a & MACCHK_A_SHA_ZERO ? BAD_ZERO : 0);
        group_rec *g = group(rep, net, K_BAD_SOURCE, 0, r->arp.sha, NULL, 0, 0, r->frame, flags | BAD_AS_ARP_SENDER);
        if (g && !g->detail)
            g->detail = r->arp.spa; /* the IP it claimed */
    }
}

static void add_arp_groups(macchk_report *rep, uint32_t net, const macchk_result *r)
{
    static const uint8_t none[6];
    const uint8_t *src = r->has_src ? r->src : none;
    const macchk_arp_packet *p = &r->arp;
    unsigned a = r->arp_findings;
    group_rec *g;

    if (a & MACCHK_A_MALFORMED_SIZES) {
        g = group(rep, net, K_MALFORMED, MAL_SIZES, src, NULL, 0, 0, r->frame, 0);
        if (g && g->count == 1)
            g->detail = (uint32_t)p->hlen << 8 | p->plen;
    }
    if (a & MACCHK_A_MALFORMED_TRUNCATED)
        group(rep, net, K_MALFORMED, MAL_TRUNCATED, src, NULL, 0, 0, r->frame, 0);
    if (a & MACCHK_A_MALFORMED_OPCODE) {
        g = group(rep, net, K_MALFORMED, MAL_OPCODE, src, NULL, 0, 0, r->frame, 0);
        if (g && g->count == 1)
            g->detail = p->opcode;
    }
    if (a & MACCHK_A_SNAP_CUT)
        group(rep, net, K_SNAP_CUT, 0, src, NULL, 0, 0, r->frame, 0);
    if (a & MACCHK_A_SPA_BAD)
        group(rep, net, K_BAD_SENDER_IP, 0, p->sha, NULL, p->spa, 0, r->frame, 0);
    if (a & MACCHK_A_SENDER_MISMATCH)
        group(rep, net, K_SENDER_MISMATCH, 0, src, p->sha, p->spa, 0, r->frame, 0);
    if (a & MACCHK_A_SENDER_VIRTUAL)
        group(rep, net, K_SENDER_VIRTUAL, 0, src, p->sha, p->spa, 0, r->frame, 0);
    if (a & MACCHK_A_TARGET_MISMATCH)
        group(rep, net, K_TARGET_MISMATCH, 0, r->dst, p->tha, p->spa, 0, r->frame, 0);
    if (a & MACCHK_A_UNICAST_REQUEST) {
        g = group(rep, net, K_UNICAST_REQUEST, 0, p->sha, NULL, p->spa, 0, r->frame, 0);
        if (g && g->count == 1)
            g->detail = p->tpa;
    }
}

/* A reply not accepted: in a -2 read from its frame, in one pass when settled. */
static void add_not_accepted(ktable *t, uint32_t net, const uint8_t *sha, uint32_t spa, uint32_t tpa,
                             uint32_t frame, const macchk_arp_verdict *v)
{
    rkey k = report_make_key(net, K_NOT_ACCEPTED, 0, sha, NULL, spa, tpa);
    group_rec *g = touch_group(t, &k, frame, 0);
    if (g && g->count == 1) {
        g->detail = v->asked_again;
        g->detail2 = v->request_in;
    }
}

static void add_track_groups(macchk_report *rep, uint32_t net, const macchk_result *r)
{
    const macchk_arp_packet *p = &r->arp;
    const macchk_arp_verdict *v = &r->verdict;
    unsigned t = r->track_findings;
    group_rec *g;
    rkey k;

    if (t & MACCHK_T_UNSOLICITED) {
        g = group(rep, net, K_UNSOLICITED, v->late_request ? UNSOL_LATE : UNSOL_PLAIN, p->sha, NULL, p->spa, p->tpa,
                  r->frame, 0);
        if (g && g->count == 1)
            g->detail = v->late_request;
    }
    if (t & MACCHK_T_NOT_ACCEPTED)
        add_not_accepted(&rep->groups, net, p->sha, p->spa, p->tpa, r->frame, v);
    if (t & (MACCHK_T_IP_CONFLICT | MACCHK_T_IP_MOVED))
        group(rep, net, K_GATE_IP, 0, NULL, NULL, p->spa, 0, r->frame, t & (MACCHK_T_IP_CONFLICT | MACCHK_T_IP_MOVED));
    if (t & (MACCHK_T_DUP_MAC | MACCHK_T_RENUMBERED | MACCHK_T_VIRTUAL_MULTI_IP))
        group(rep, net, K_GATE_MAC, 0, p->sha, NULL, 0, 0, r->frame,
              t & (MACCHK_T_DUP_MAC | MACCHK_T_RENUMBERED | MACCHK_T_VIRTUAL_MULTI_IP));
    if (t & MACCHK_T_TABLE_FULL)
        group(rep, net, K_TABLE_FULL, 0, NULL, NULL, 0, 0, r->frame, 0);
    /* request findings of final verdicts: only used when the views are missing */
    if (t & MACCHK_T_UNANSWERED) {
        k = report_make_key(net, K_UNANSWERED, 0, p->sha, NULL, p->spa, p->tpa);
        touch_group(&rep->fgroups, &k, r->frame, 0);
    }
    if (t & MACCHK_T_CAPTURE_ENDED) {
        k = report_make_key(net, K_CAPTURE_ENDED, 0, p->sha, NULL, p->spa, p->tpa);
        touch_group(&rep->fgroups, &k, r->frame, 0);
    }
    if (t & MACCHK_T_PROBE_DEFENDED) {
        k = report_make_key(net, K_PROBE_DEFENDED, 0, p->sha, NULL, 0, p->tpa);
        g = touch_group(&rep->fgroups, &k, r->frame, 0);
        if (g && g->count == 1)
            g->detail = v->response_in;
    }
}

/* The id (1-based) of an IPv6 address in the report's address table; 0
 * when the table is full (the sighting is then not grouped, and counted). */
static uint32_t ip6_id(macchk_report *rep, const uint8_t *addr)
{
    const uint8_t *rec = kt_touch(&rep->addrs6, addr, NULL, NULL);
    if (!rec) {
        rep->addrs6_refused++;
        return 0;
    }
    return (uint32_t)((rec - (const uint8_t *)kt_rec(&rep->addrs6, 0)) / MACCHK_IPV6_LEN) + 1;
}

const uint8_t *report_ip6_of(const macchk_report *rep, uint32_t id)
{
    return kt_rec(&rep->addrs6, id - 1);
}

/* The key of an ND group with up to two IPv6 addresses (NULL: none);
 * false when the address table is full. */
static bool nd_key(macchk_report *rep, rkey *k, uint32_t net, uint8_t kind, uint8_t sub, const uint8_t *mac,
                   const uint8_t *mac2, const uint8_t *addr, const uint8_t *addr2)
{
    uint32_t id = addr ? ip6_id(rep, addr) : 0, id2 = addr2 ? ip6_id(rep, addr2) : 0;
    *k = report_make_key(net, kind, sub, mac, mac2, id, id2);
    return (!addr || id) && (!addr2 || id2);
}

static group_rec *nd_group(ktable *t, macchk_report *rep, uint32_t net, uint8_t kind, uint8_t sub, const uint8_t *mac,
                           const uint8_t *mac2, const uint8_t *addr, const uint8_t *addr2, uint32_t frame,
                           uint32_t flags)
{
    rkey k;
    return nd_key(rep, &k, net, kind, sub, mac, mac2, addr, addr2) ? touch_group(t, &k, frame, flags) : NULL;
}

/* The address an NS or NA speaks for: an NS's source, an NA's target. */
static const uint8_t *nd_subject(const macchk_nd_msg *m)
{
    return m->type == 135 ? m->src : m->target;
}

/* A group of one message's findings, apart for each message kind and each
 * value its line names: a line never describes another frame's message. */
bool report_tables_filled(const macchk_report *rep)
{
    return rep->finding_frames[MACCHK_SET_TRACK][bit_index(MACCHK_T_TABLE_FULL)] ||
           rep->finding_frames[MACCHK_SET_NDTRACK][bit_index(MACCHK_N_TABLE_FULL)];
}

static group_rec *nd_message_group(macchk_report *rep, uint32_t net, uint8_t kind, uint8_t sub, const uint8_t *mac,
                                   const uint8_t *mac2, const uint8_t *addr, const macchk_nd_msg *m, uint8_t value,
                                   uint32_t frame)
{
    rkey k;
    if (!nd_key(rep, &k, net, kind, sub, mac, mac2, addr, NULL))
        return NULL;
    k.variant[0] = (uint8_t)m->kind;
    k.variant[1] = value;
    return touch_group(&rep->groups, &k, frame, 0);
}

static void add_nd_groups(macchk_report *rep, uint32_t net, const macchk_result *r)
{
    static const uint8_t none[6];
    const uint8_t *src = r->has_src ? r->src : none;
    const macchk_nd_msg *m = &r->nd;
    unsigned f = r->nd_findings, t = r->ndtrack_findings;
    group_rec *g;

    for (unsigned bits = f & (MACCHK_ND_MALFORMED | MACCHK_ND_BAD_OPTION); bits; bits &= bits - 1) {
        unsigned bit = bits & -bits;
        uint8_t kind = bit & MACCHK_ND_MALFORMED ? K_ND_MALFORMED : K_ND_BAD_OPTION;
        uint8_t value = bit == MACCHK_ND_MALFORMED_HOP_LIMIT ? m->hop_limit
                        : bit == MACCHK_ND_LL_LENGTH         ? m->ll_option_len
                                                             : 0;
        g = nd_message_group(rep, net, kind, (uint8_t)bit_index(bit), src,
                             kind == K_ND_BAD_OPTION && m->has_option_mac ? m->option_mac : NULL, NULL, m, value,
                             r->frame);
        if (g && g->count == 1)
            g->detail = (uint32_t)m->kind << 16 | (uint32_t)m->hop_limit << 8 | m->ll_option_len;
    }
    if (f & (MACCHK_ND_LL_MISMATCH | MACCHK_ND_LL_VIRTUAL)) {
        /* the virtual router line names the range and the side holding it */
        uint8_t virtual_option = f & MACCHK_ND_LL_VIRTUAL && m->virtual_in_option;
        g = nd_message_group(rep, net, f & MACCHK_ND_LL_MISMATCH ? K_ND_LL_MISMATCH : K_ND_LL_VIRTUAL, 0, src,
                             m->option_mac, nd_subject(m), m, (uint8_t)(m->virtual_range << 1 | virtual_option),
                             r->frame);
        if (g && g->count == 1)
            g->detail = (uint32_t)m->kind << 16;
    }
    if (f & MACCHK_ND_SNAP_CUT)
        group(rep, net, K_ND_SNAP_CUT, 0, src, NULL, 0, 0, r->frame, 0);
    if (!r->nd_tracked)
        return;
    if (t & (MACCHK_N_IP_CONFLICT | MACCHK_N_IP_MOVED))
        nd_group(&rep->groups, rep, net, K_GATE_IP6, 0, NULL, NULL, nd_subject(m), NULL, r->frame,
                 t & (MACCHK_N_IP_CONFLICT | MACCHK_N_IP_MOVED));
    if (t & MACCHK_N_TABLE_FULL)
        group(rep, net, K_TABLE_FULL, FULL_ND, NULL, NULL, 0, 0, r->frame, 0);
    /* request findings of final verdicts: only used when the views are missing */
    if (t & (MACCHK_N_UNANSWERED | MACCHK_N_CAPTURE_ENDED))
        nd_group(&rep->fgroups, rep, net, t & MACCHK_N_UNANSWERED ? K_NS_UNANSWERED : K_NS_CAPTURE_ENDED, 0, src,
                 NULL, m->src, m->target, r->frame, 0);
    if (t & MACCHK_N_DAD_DEFENDED) {
        g = nd_group(&rep->fgroups, rep, net, K_DAD_DEFENDED, 0, src, r->nd_verdict.has_defender_mac ?
                     r->nd_verdict.defender_mac : NULL, NULL, m->target, r->frame, 0);
        if (g && g->count == 1)
            g->detail = r->nd_verdict.response_in;
    }
}

static void settled_early(const macchk_pending_item *it, const macchk_arp_verdict *v, unsigned gained, void *data);

void macchk_report_add_frame(macchk_report *rep, const macchk_result *r, int64_t time_ns, const macchk_session *s)
{
    if (!macchk_result_has_addresses(r)) {
        rep->frames_without_mac++;
        return;
    }
    uint32_t net = frame_net_id(rep, &r->net);
    rep->frames++;
    if (r->invalid)
        rep->invalid_frames++;
    load_findings();
    for (size_t i = 0; i < n_findings; i++)
        if (macchk_result_findings(r, findings[i].set) & findings[i].bit)
            rep->finding_frames[findings[i].set][bit_index(findings[i].bit)]++;
    macchk_pending_add(rep->pending, r, net, time_ns, s, settled_early, rep);

    if (r->has_src)
        touch_host(rep, net, r->src, r->frame);
    bool arp_addrs = r->has_arp && macchk_arp_has_addresses(&r->arp);
    if (arp_addrs && !(r->has_src && memcmp(r->src, r->arp.sha, 6) == 0) && !macchk_is_zero(r->arp.sha))
        touch_host(rep, net, r->arp.sha, r->frame);
    /* an option's MAC, as ARP's sender MAC: the host it names may never send */
    if (r->has_nd && r->nd.has_option_mac && !(r->has_src && memcmp(r->src, r->nd.option_mac, 6) == 0) &&
        !macchk_is_zero(r->nd.option_mac))
        touch_host(rep, net, r->nd.option_mac, r->frame);

    add_bad_source(rep, net, r);
    if (r->has_dst && (r->addr_findings & MACCHK_F_DST_ZERO)) {
        static const uint8_t none[6];
        group(rep, net, K_DST_ZERO, 0, r->has_src ? r->src : none, NULL, 0, 0, r->frame, 0);
    }
    if (r->has_src && (r->addr_findings & MACCHK_F_QEMU_DEFAULT))
        group(rep, net, K_QEMU_DEFAULT, 0, r->src, NULL, 0, 0, r->frame, 0);
    if (r->has_src && (r->addr_findings & MACCHK_F_SRC_SLAP_RESERVED))
        group(rep, net, K_SLAP_RESERVED, 0, r->src, NULL, 0, 0, r->frame, 0);
    if (r->has_arp)
        add_arp_groups(rep, net, r);
    if (r->tracked)
        add_track_groups(rep, net, r);
    if (r->has_nd)
        add_nd_groups(rep, net, r);
}

/* ---- views ------------------------------------------------------------- */

typedef struct {
    macchk_report *rep;
    const uint32_t *net_map; /* tracker network id -> report id */
    size_t bindings_alloc;
} settle_ctx;

/* The report's ids of a tracker's networks (index: the tracker's id). */
static uint32_t *map_networks(macchk_report *rep, uint32_t n, const macchk_net *(*network)(const void *, uint32_t),
                              const void *tracker)
{
    uint32_t *map = macchk_xcalloc((size_t)n + 1, sizeof *map);
    for (uint32_t id = 1; id <= n; id++)
        map[id] = net_id(rep, network(tracker, id));
    return map;
}

static const macchk_net *arp_network(const void *t, uint32_t id)
{
    return macchk_track_network(t, id);
}

static const macchk_net *nd_network(const void *t, uint32_t id)
{
    return macchk_ndtrack_network(t, id);
}

static void view_add(binding_view *v, size_t *alloc, const macchk_binding_info *b, uint32_t net)
{
    if (v->n == *alloc) {
        *alloc = *alloc ? *alloc * 2 : 64;
        v->items = macchk_xrealloc(v->items, *alloc, sizeof *v->items);
    }
    v->items[v->n] = *b;
    v->items[v->n++].net = net;
}

static void add_binding(const macchk_binding_info *b, void *data)
{
    settle_ctx *s = data;
    view_add(&s->rep->v4, &s->bindings_alloc, b, s->net_map[b->net]);
}

/* A probe round answered by another node (ARP probe defended, DAD
 * defended): one group per round. */
static void set_defended_round(group_rec *g, uint32_t last_frame, uint32_t attempts, uint32_t reply_frame)
{
    if (!g)
        return;
    g->last = last_frame;
    g->count = attempts;
    g->detail = reply_frame;
}

/* One more round of requests of a (requester, asked-for) pair, unanswered
 * or cut by the capture's end. */
static void add_request_round(group_rec *g, uint32_t attempts, uint32_t last_frame, uint32_t settled)
{
    if (!g)
        return;
    g->count += attempts - 1; /* touch_group counted one */
    if (last_frame > g->last)
        g->last = last_frame;
    g->detail++; /* rounds */
    g->detail2 += settled;
}

static void add_exchange(const macchk_exchange_info *e, void *data)
{
    settle_ctx *s = data;
    uint32_t net = s->net_map[e->net];
    group_rec *g;
    rkey k;

    if (e->probe) {
        if (!e->reply_frame)
            return; /* an unanswered probe: the address is free */
        k = report_make_key(net, K_PROBE_DEFENDED, 0, e->sha, NULL, 0, e->tpa);
        k.n = e->first_frame;
        set_defended_round(touch_group(&s->rep->vgroups, &k, e->first_frame, 0), e->last_frame, e->attempts,
                           e->reply_frame);
        return;
    }
    if (!e->unanswered && !e->capture_ended)
        return;
    /* one group per (requester, asked-for) pair, whatever the rounds */
    k = report_make_key(net, e->unanswered ? K_UNANSWERED : K_CAPTURE_ENDED, 0, e->sha, NULL, e->spa, e->tpa);
    g = touch_group(&s->rep->vgroups, &k, e->first_frame, e->target_seen ? TARGET_SEEN : 0);
    add_request_round(g, e->attempts, e->last_frame, e->unanswered ? e->unanswered : e->capture_ended);
}

/* An ND binding as an ARP one whose ip is the address's id. */
static void add_binding6(const macchk_nd_binding_info *b, void *data)
{
    settle_ctx *s = data;
    macchk_binding_info as4 = {.ip = ip6_id(s->rep, b->addr), .first_frame = b->first_frame,
                               .last_frame = b->last_frame, .frames = b->frames};
    memcpy(as4.mac, b->mac, 6);
    if (as4.ip)
        view_add(&s->rep->v6, &s->bindings_alloc, &as4, s->net_map[b->net]);
}

static void add_exchange6(const macchk_nd_exchange_info *e, void *data)
{
    settle_ctx *s = data;
    uint32_t net = s->net_map[e->net];
    group_rec *g;

    if (e->dad) {
        if (!e->defended)
            return; /* an undefended probe: the address is free */
        rkey k;
        if (!nd_key(s->rep, &k, net, K_DAD_DEFENDED, 0, e->mac, NULL, NULL, e->target))
            return;
        k.n = e->first_frame; /* each probe round its own line, as for ARP */
        set_defended_round(touch_group(&s->rep->vgroups, &k, e->first_frame, 0), e->last_frame, e->attempts,
                           e->reply_frame);
        return;
    }
    if (!e->unanswered && !e->capture_ended)
        return;
    /* one group per (source, target) pair, whatever the rounds */
    g = nd_group(&s->rep->vgroups, s->rep, net, e->unanswered ? K_NS_UNANSWERED : K_NS_CAPTURE_ENDED, 0, e->mac, NULL,
                 e->src, e->target, e->first_frame, 0);
    add_request_round(g, e->attempts, e->last_frame, e->unanswered ? e->unanswered : e->capture_ended);
}

/* Settled at draw time: into the view groups, which each settle makes anew. */
static void settled_frame(const macchk_pending_item *it, const macchk_arp_verdict *v, unsigned gained, void *data)
{
    if (gained & MACCHK_T_NOT_ACCEPTED)
        add_not_accepted(&((macchk_report *)data)->vgroups, it->net, it->sha, it->spa, it->tpa, it->frame, v);
}

/* Settled early, while reading: as final as what a -2 frame says, and kept as such. */
static void settled_early(const macchk_pending_item *it, const macchk_arp_verdict *v, unsigned gained, void *data)
{
    if (gained & MACCHK_T_NOT_ACCEPTED)
        add_not_accepted(&((macchk_report *)data)->groups, it->net, it->sha, it->spa, it->tpa, it->frame, v);
}

static const macchk_binding_info *sort_base; /* qsort has no context argument */

static int binding_by_net_ip(const void *x, const void *y)
{
    const macchk_binding_info *a = x, *b = y;
    if (a->net != b->net)
        return a->net < b->net ? -1 : 1;
    if (a->ip != b->ip)
        return a->ip < b->ip ? -1 : 1;
    return (a->first_frame > b->first_frame) - (a->first_frame < b->first_frame);
}

static int binding_by_net_mac(const void *x, const void *y)
{
    const macchk_binding_info *a = &sort_base[*(const uint32_t *)x], *b = &sort_base[*(const uint32_t *)y];
    if (a->net != b->net)
        return a->net < b->net ? -1 : 1;
    int c = memcmp(a->mac, b->mac, 6);
    if (c)
        return c;
    return (a->first_frame > b->first_frame) - (a->first_frame < b->first_frame);
}

/* Sort v by address and by MAC (report ids may order networks differently
 * from the tracker's). */
static void sort_view(binding_view *v)
{
    if (v->n)
        qsort(v->items, v->n, sizeof *v->items, binding_by_net_ip);
    v->by_mac = macchk_xcalloc(v->n, sizeof *v->by_mac);
    for (size_t i = 0; i < v->n; i++)
        v->by_mac[i] = (uint32_t)i;
    sort_base = v->items;
    if (v->n)
        qsort(v->by_mac, v->n, sizeof *v->by_mac, binding_by_net_mac);
}

/* The ND tracker's views: bindings (sorted by address and by MAC) and exchanges. */
static void settle_nd(macchk_report *rep, const macchk_ndtracker *t)
{
    rep->nd_views_given = true;
    uint32_t *map = map_networks(rep, macchk_ndtrack_network_count(t), nd_network, t);
    settle_ctx s = {rep, map, 0};
    macchk_ndtrack_each_binding(t, add_binding6, &s);
    macchk_ndtrack_each_exchange(t, add_exchange6, &s);
    free(map);
    sort_view(&rep->v6);
}

void macchk_report_settle(macchk_report *rep, const macchk_session *session)
{
    const macchk_tracker *t = session ? session->tracker : NULL;
    drop_views(rep);
    if (!t) {
        rep->views_missing = true;
        return;
    }
    rep->views_given = true;
    uint32_t *map = map_networks(rep, macchk_track_network_count(t), arp_network, t);
    settle_ctx s = {rep, map, 0};
    macchk_track_each_binding(t, add_binding, &s);
    macchk_track_each_exchange(t, add_exchange, &s);
    macchk_pending_settle(rep->pending, session, &rep->fix, settled_frame, rep);
    free(map);
    if (session->ndtracker)
        settle_nd(rep, session->ndtracker);
    sort_view(&rep->v4);
}

/* First index in v of (net, ip), v->n if none. */
size_t report_bindings_of_ip(const binding_view *v, uint32_t net, uint32_t ip)
{
    size_t lo = 0, hi = v->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const macchk_binding_info *b = &v->items[mid];
        if (b->net < net || (b->net == net && b->ip < ip))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < v->n && v->items[lo].net == net && v->items[lo].ip == ip ? lo : v->n;
}

/* First index in v->by_mac of (net, mac), and how many follow (*n). */
size_t report_bindings_of_mac(const binding_view *v, uint32_t net, const uint8_t *mac, size_t *n)
{
    size_t lo = 0, hi = v->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const macchk_binding_info *b = &v->items[v->by_mac[mid]];
        if (b->net < net || (b->net == net && memcmp(b->mac, mac, 6) < 0))
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < v->n && v->items[v->by_mac[end]].net == net && memcmp(v->items[v->by_mac[end]].mac, mac, 6) == 0)
        end++;
    *n = end - lo;
    return lo;
}

/* ---- lookups for drawing ---------------------------------------------- */

const group_rec *report_find_group(const ktable *t, const rkey *k)
{
    return kt_find(t, k);
}

/* ---- counts ------------------------------------------------------------ */

uint64_t report_finding_count(const macchk_report *rep, const macchk_finding_info *f)
{
    return rep->finding_frames[f->set][bit_index(f->bit)] + macchk_pending_fix_count(&rep->fix, f->set, f->bit);
}

uint64_t report_groups_evicted(const macchk_report *rep)
{
    return rep->groups.evicted + rep->vgroups.evicted + (rep->views_given ? 0 : rep->fgroups.evicted);
}

/* Warning sightings refused by tables full of Warnings: the count is then a lower bound. */
uint64_t report_warnings_refused(const macchk_report *rep)
{
    return rep->groups.refused_no_victim + rep->vgroups.refused_no_victim +
           (rep->views_given ? 0 : rep->fgroups.refused_no_victim);
}

uint64_t report_groups_turned_away(const macchk_report *rep)
{
    return rep->groups.turned_away + rep->vgroups.turned_away + (rep->views_given ? 0 : rep->fgroups.turned_away) +
           rep->addrs6_refused;
}

/* ---- entry points ------------------------------------------------------ */

static void render(macchk_report *rep, macchk_report_format format, const macchk_policy *policy,
                   macchk_vendor_cb vendor, void *ctx, strbuf *b)
{
    render_ctx c = {.rep = rep, .policy = policy, .vendor = vendor, .vendor_ctx = ctx};
    report_gather(&c);
    if (format == MACCHK_REPORT_JSON)
        report_write_json(b, &c);
    else
        report_write_text(b, &c);
    report_gather_free(&c);
}

void macchk_report_count(macchk_report *rep, const macchk_policy *policy, macchk_report_totals *out)
{
    render_ctx c = {.rep = rep, .policy = policy};
    report_gather(&c);
    *out = (macchk_report_totals){
        .frames = rep->frames,
        .frames_without_mac = rep->frames_without_mac,
        .invalid_frames = rep->invalid_frames + rep->fix.newly_invalid,
        .warnings = c.warnings,
        .notes = c.notes + report_groups_evicted(rep),
        .warnings_exact = !report_warnings_refused(rep),
        .complete = !rep->views_missing,
    };
    report_gather_free(&c);
}

bool macchk_report_write(macchk_report *rep, macchk_report_format format, const macchk_policy *policy,
                         macchk_vendor_cb vendor, void *ctx, FILE *out, const volatile sig_atomic_t *stop)
{
    strbuf b = {.out = out, .stop = stop};
    render(rep, format, policy, vendor, ctx, &b);
    if (!b.stopped)
        sb_flush(&b);
    free(b.s);
    return !b.stopped;
}

char *macchk_report_string(macchk_report *rep, macchk_report_format format, const macchk_policy *policy,
                           macchk_vendor_cb vendor, void *ctx)
{
    strbuf b = {0};
    render(rep, format, policy, vendor, ctx, &b);
    return sb_take(&b);
}
