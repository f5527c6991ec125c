/* macchk_report.c - the triage report (see macchk_report.h).
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
 * severity, frames and where the facts are), sorts it and writes each
 * problem's text straight to the output: no text is kept per problem.
 * Everything at draw time is a hash lookup or a binary search per item, and
 * one sort: O(n log n) in frames, hosts and groups.
 */
#include "macchk_report.h"

#include <stdlib.h>
#include <string.h>

#include "macchk_pending.h"
#include "macchk_util.h"

#define fmt_mac(m) macchk_fmt_mac(m)
#define fmt_ip(ip) macchk_fmt_ip(ip)

/* ---- finding names (macchk_findings.h) ------------------------------- */

static const macchk_finding_info *findings;
static size_t n_findings;

static void load_findings(void)
{
    if (!findings)
        findings = macchk_findings(&n_findings);
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

/* In report order within a severity. */
enum {
    K_IP_CONFLICT,
    K_BAD_SOURCE,
    K_UNANSWERED,
    K_DUP_MAC,
    K_PROBE_DEFENDED,
    K_SENDER_MISMATCH,
    K_BAD_SENDER_IP,
    K_MALFORMED,
    K_DST_ZERO,
    K_NS_UNANSWERED,
    K_DAD_DEFENDED,
    K_IP6_CONFLICT,
    K_ND_LL_MISMATCH,
    K_ND_BAD_OPTION,
    K_ND_MALFORMED,
    K_QEMU_DEFAULT,
    K_SLAP_RESERVED,
    K_IP_MOVED,
    K_RENUMBERED,
    K_VIRTUAL_MULTI,
    K_CAPTURE_ENDED,
    K_NOT_ACCEPTED,
    K_UNSOLICITED,
    K_TARGET_MISMATCH,
    K_SENDER_VIRTUAL,
    K_UNICAST_REQUEST,
    K_SNAP_CUT,
    K_IP6_MOVED,
    K_NS_CAPTURE_ENDED,
    K_ND_LL_VIRTUAL,
    K_ND_SNAP_CUT,
    K_TABLE_FULL,
    K_COUNT,
    /* frame-group kinds that are no problem of their own */
    K_GATE_IP = K_COUNT, /* an IP some frame flagged as conflicting or moved; flags: T_* bits */
    K_GATE_MAC,          /* a MAC some frame flagged as duplicate, renumbered or virtual; flags: T_* bits */
    K_GATE_IP6           /* an IPv6 address some frame flagged as conflicting or moved; flags: N_* bits */
};

static const struct {
    const char *key;
    macchk_severity severity;
    const char *one, *many; /* Warnings: how the verdict line counts them */
} kinds[K_COUNT] = {
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

/* Sub-kinds, as bits of group.flags. */
enum {
    BAD_GROUP = 1 << 0,
    BAD_ZERO = 1 << 1,
    BAD_RESERVED = 1 << 2,
    BAD_CF = 1 << 3,
    BAD_AS_SOURCE = 1 << 4,     /* seen as the link-layer source */
    BAD_AS_ARP_SENDER = 1 << 5, /* seen as the ARP sender MAC */
    TARGET_SEEN = 1 << 6        /* K_UNANSWERED: the target claimed a MAC */
};
enum { MAL_SIZES = 1, MAL_TRUNCATED = 2, MAL_OPCODE = 3 }; /* key.sub of K_MALFORMED */
enum { UNSOL_PLAIN = 0, UNSOL_LATE = 1 };                  /* key.sub of K_UNSOLICITED */
enum { FULL_ARP = 0, FULL_ND = 1 };                        /* key.sub of K_TABLE_FULL */
/* ND kinds keep IPv6 addresses as ids into the report's address table
 * (key.ip, key.ip2), so that every key stays 32 bytes; key.sub of
 * K_ND_MALFORMED and K_ND_BAD_OPTION: the finding's bit index. */

/* ---- records ---------------------------------------------------------- */

/* A problem group's key; net is the report's network id. */
typedef struct {
    uint32_t net;
    uint8_t kind, sub;
    uint8_t mac[6], mac2[6];
    uint8_t pad[2];
    uint32_t ip, ip2, n;
} rkey;

typedef struct {
    rkey key;
    uint32_t first, last, count;
    uint32_t flags;
    uint32_t detail, detail2; /* kind-specific: first opcode/sizes, late request frame, rounds, ... */
} group_rec;

typedef struct {
    uint32_t net;
    uint8_t mac[6];
    uint8_t pad[2];
} host_key;

typedef struct {
    host_key key;
    uint32_t first, last, count;
} host_rec;

typedef struct {
    uint64_t hi, lo;
} net_key;

typedef struct {
    net_key key;
    macchk_net net;
} net_rec;

#define HOST_IPS_SHOWN 8
#define NAMED_IN_LINE 4
#define CAUSE_SCAN_LIMIT 16 /* bindings of an unanswered target looked at for a cause */

/* A tracker's bindings, net the report's id. */
typedef struct {
    macchk_binding_info *items; /* by (net, ip, first frame) */
    uint32_t *by_mac;           /* indexes into items, by (net, MAC, first frame) */
    size_t n;
} binding_view;

struct macchk_report {
    macchk_report_limits limits;
    ktable nets, hosts;
    ktable addrs6;  /* IPv6 addresses named by ND groups: id = record number + 1 */
    uint64_t addrs6_refused; /* ND sightings not grouped: the address table was full */
    ktable groups;  /* from frames */
    ktable fgroups; /* request findings from frames: used only when the views are missing */
    ktable vgroups; /* from the views, made anew by each settle */
    macchk_pending *pending;
    macchk_pending_fix fix;
    uint64_t frames, invalid_frames;
    uint64_t frames_without_mac; /* no MAC address and no ARP: nothing to check */
    uint64_t finding_frames[MACCHK_SET_COUNT][32];
    uint64_t host_frames_untracked;
    /* the last frame's network and its id, to skip the lookup */
    macchk_net last_net;
    uint32_t last_net_id;
    bool have_last_net;
    /* views */
    bool views_given, views_missing;
    binding_view v4;     /* ARP's bindings: ip is the IPv4 address */
    bool nd_views_given; /* the ND tracker was there too */
    binding_view v6;     /* ND's: ip is the address's id (addrs6) */
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

static rkey make_key(uint32_t net, uint8_t kind, uint8_t sub, const uint8_t *mac, const uint8_t *mac2, uint32_t ip,
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
    return kinds[g->key.kind].severity == MACCHK_SEV_WARNING;
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
    rkey k = make_key(net, kind, sub, mac, mac2, ip, ip2);
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
    rkey k = make_key(net, K_NOT_ACCEPTED, 0, sha, NULL, spa, tpa);
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
        k = make_key(net, K_UNANSWERED, 0, p->sha, NULL, p->spa, p->tpa);
        touch_group(&rep->fgroups, &k, r->frame, 0);
    }
    if (t & MACCHK_T_CAPTURE_ENDED) {
        k = make_key(net, K_CAPTURE_ENDED, 0, p->sha, NULL, p->spa, p->tpa);
        touch_group(&rep->fgroups, &k, r->frame, 0);
    }
    if (t & MACCHK_T_PROBE_DEFENDED) {
        k = make_key(net, K_PROBE_DEFENDED, 0, p->sha, NULL, 0, p->tpa);
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

static const uint8_t *ip6_of(const macchk_report *rep, uint32_t id)
{
    return kt_rec(&rep->addrs6, id - 1);
}

#define fmt_ip6(rep, id) macchk_fmt_ip6(ip6_of((rep), (id)))

/* The key of an ND group with up to two IPv6 addresses (NULL: none);
 * false when the address table is full. */
static bool nd_key(macchk_report *rep, rkey *k, uint32_t net, uint8_t kind, uint8_t sub, const uint8_t *mac,
                   const uint8_t *mac2, const uint8_t *addr, const uint8_t *addr2)
{
    uint32_t id = addr ? ip6_id(rep, addr) : 0, id2 = addr2 ? ip6_id(rep, addr2) : 0;
    *k = make_key(net, kind, sub, mac, mac2, id, id2);
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
        g = nd_group(&rep->groups, rep, net, kind, (uint8_t)bit_index(bit), src,
                     kind == K_ND_BAD_OPTION && m->has_option_mac ? m->option_mac : NULL, NULL, NULL, r->frame, 0);
        if (g && g->count == 1)
            g->detail = (uint32_t)m->kind << 16 | (uint32_t)m->hop_limit << 8 | m->ll_option_len;
    }
    if (f & (MACCHK_ND_LL_MISMATCH | MACCHK_ND_LL_VIRTUAL)) {
        g = nd_group(&rep->groups, rep, net, f & MACCHK_ND_LL_MISMATCH ? K_ND_LL_MISMATCH : K_ND_LL_VIRTUAL, 0, src,
                     m->option_mac, nd_subject(m), NULL, r->frame, 0);
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

static void add_exchange(const macchk_exchange_info *e, void *data)
{
    settle_ctx *s = data;
    uint32_t net = s->net_map[e->net];
    group_rec *g;
    rkey k;

    if (e->probe) {
        if (!e->reply_frame)
            return; /* an unanswered probe: the address is free */
        k = make_key(net, K_PROBE_DEFENDED, 0, e->sha, NULL, 0, e->tpa);
        k.n = e->first_frame;
        g = touch_group(&s->rep->vgroups, &k, e->first_frame, 0);
        if (g) {
            g->last = e->last_frame;
            g->count = e->attempts;
            g->detail = e->reply_frame;
        }
        return;
    }
    if (!e->unanswered && !e->capture_ended)
        return;
    /* one group per (requester, asked-for) pair, whatever the rounds */
    k = make_key(net, e->unanswered ? K_UNANSWERED : K_CAPTURE_ENDED, 0, e->sha, NULL, e->spa, e->tpa);
    g = touch_group(&s->rep->vgroups, &k, e->first_frame, e->target_seen ? TARGET_SEEN : 0);
    if (!g)
        return;
    g->count += e->attempts - 1; /* touch_group counted one */
    if (e->last_frame > g->last)
        g->last = e->last_frame;
    g->detail++; /* rounds */
    g->detail2 += e->unanswered ? e->unanswered : e->capture_ended;
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
        g = touch_group(&s->rep->vgroups, &k, e->first_frame, 0);
        if (g) {
            g->last = e->last_frame;
            g->count = e->attempts;
            g->detail = e->reply_frame;
        }
        return;
    }
    if (!e->unanswered && !e->capture_ended)
        return;
    /* one group per (source, target) pair, whatever the rounds */
    g = nd_group(&s->rep->vgroups, s->rep, net, e->unanswered ? K_NS_UNANSWERED : K_NS_CAPTURE_ENDED, 0, e->mac, NULL,
                 e->src, e->target, e->first_frame, 0);
    if (!g)
        return;
    g->count += e->attempts - 1; /* touch_group counted one */
    if (e->last_frame > g->last)
        g->last = e->last_frame;
    g->detail++; /* rounds */
    g->detail2 += e->unanswered ? e->unanswered : e->capture_ended;
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
static size_t bindings_of_ip(const binding_view *v, uint32_t net, uint32_t ip)
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
static size_t bindings_of_mac(const binding_view *v, uint32_t net, const uint8_t *mac, size_t *n)
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

/* ---- problems ---------------------------------------------------------- */

enum { SRC_GROUP, SRC_FGROUP, SRC_VGROUP, SRC_IP_SET, SRC_IP6_SET, SRC_MAC_SET, SRC_GATE };

/* One line of the report: what it is and where its facts are. */
typedef struct {
    uint8_t kind, severity, src;
    uint32_t net, first, last, count;
    uint32_t ref, n; /* a record number (groups), or a run of bindings (sets) */
    uint64_t tie;    /* orders equal lines the same way in one pass and -2 */
} problem;

typedef struct {
    macchk_report *rep;
    const macchk_policy *policy;
    macchk_vendor_cb vendor;
    void *vendor_ctx;
    problem *items;
    size_t n, alloc;
    size_t warnings, notes;
    bool multi_net;
    const macchk_binding_info **set; /* scratch for one binding set */
} render_ctx;

static const ktable *src_table(const macchk_report *rep, int src)
{
    return src == SRC_FGROUP ? &rep->fgroups : src == SRC_VGROUP ? &rep->vgroups : &rep->groups;
}

static uint64_t key_tie(const void *key, size_t size)
{
    const uint8_t *p = key;
    uint64_t h = 1469598103934665603u;
    for (size_t i = 0; i < size; i++)
        h = (h ^ p[i]) * 1099511628211u;
    return h;
}

static problem *new_problem(render_ctx *c, int kind, int src, uint32_t net, uint32_t ref)
{
    if (c->n == c->alloc) {
        c->alloc = c->alloc ? c->alloc + c->alloc / 2 : 64;
        c->items = macchk_xrealloc(c->items, c->alloc, sizeof *c->items);
    }
    problem *p = &c->items[c->n++];
    memset(p, 0, sizeof *p);
    p->kind = (uint8_t)kind;
    p->src = (uint8_t)src;
    p->net = net;
    p->ref = ref;
    p->severity = kinds[kind].severity;
    if (kind == K_DUP_MAC && !c->policy->dup_mac_is_warning)
        p->severity = MACCHK_SEV_NOTE;
    return p;
}

static void group_problem(render_ctx *c, int src, size_t i, int kind)
{
    const group_rec *g = kt_rec(src_table(c->rep, src), i);
    problem *p = new_problem(c, kind, src, g->key.net, (uint32_t)i);
    p->first = g->first;
    p->last = g->last;
    p->count = g->count;
    p->tie = key_tie(&g->key, sizeof g->key);
}

static const group_rec *find_group(const ktable *t, const rkey *k)
{
    return kt_find(t, k);
}

static bool any_overlap(const macchk_binding_info *const *items, size_t n)
{
    /* items are in order of first frame */
    uint32_t max_last = 0;
    for (size_t i = 0; i < n; i++) {
        if (i && items[i]->first_frame <= max_last)
            return true;
        if (items[i]->last_frame > max_last)
            max_last = items[i]->last_frame;
    }
    return false;
}

static void set_problem(render_ctx *c, int kind, int src, uint32_t net, size_t start, size_t n,
                        const macchk_binding_info *const *items, size_t n_items, uint64_t tie)
{
    problem *p = new_problem(c, kind, src, net, (uint32_t)start);
    p->n = (uint32_t)n;
    p->first = UINT32_MAX;
    for (size_t i = 0; i < n_items; i++) {
        if (items[i]->first_frame < p->first)
            p->first = items[i]->first_frame;
        if (items[i]->last_frame > p->last)
            p->last = items[i]->last_frame;
        p->count += items[i]->frames;
    }
    p->tie = tie;
}

/* What an address family's bindings make of an address claimed by several MACs. */
typedef struct {
    uint8_t gate, conflict, moved, src;
    unsigned moved_flag; /* the gate's flag of a frame that showed a move */
} ip_family;

static const ip_family IPV4 = {K_GATE_IP, K_IP_CONFLICT, K_IP_MOVED, SRC_IP_SET, MACCHK_T_IP_MOVED};
static const ip_family IPV6 = {K_GATE_IP6, K_IP6_CONFLICT, K_IP6_MOVED, SRC_IP6_SET, MACCHK_N_IP_MOVED};

static const binding_view *family_view(const macchk_report *rep, const ip_family *f)
{
    return f == &IPV6 ? &rep->v6 : &rep->v4;
}

/* The tie of an address set: its network and address, whatever the id. */
static uint64_t address_tie(const macchk_report *rep, const ip_family *f, uint32_t net, uint32_t ip)
{
    if (f == &IPV6)
        return key_tie(ip6_of(rep, ip), MACCHK_IPV6_LEN) ^ net;
    return (uint64_t)net << 32 | ip;
}

static void gather_ip_sets(render_ctx *c, const ip_family *f)
{
    const macchk_report *rep = c->rep;
    const binding_view *v = family_view(rep, f);
    for (size_t i = 0, j; i < v->n; i = j) {
        const macchk_binding_info *b = &v->items[i];
        for (j = i; j < v->n && v->items[j].net == b->net && v->items[j].ip == b->ip; j++)
            c->set[j - i] = &v->items[j];
        if (j - i < 2)
            continue;
        rkey k = make_key(b->net, f->gate, 0, NULL, NULL, b->ip, 0);
        const group_rec *gate = find_group(&rep->groups, &k);
        if (!gate)
            continue;
        bool conflict = any_overlap(c->set, j - i);
        if (!conflict && !(gate->flags & f->moved_flag))
            continue; /* moves switched off, and no conflict */
        set_problem(c, conflict ? f->conflict : f->moved, f->src, b->net, i, j - i, c->set, j - i,
                    address_tie(rep, f, b->net, b->ip));
    }
}

static bool counts_for_mac(const macchk_binding_info *b)
{
    /* as the tracker: link-local addresses and non-unicast MACs never make a duplicate */
    return (b->ip >> 16) != 0xA9FE && !(b->mac[0] & 1) && !macchk_is_zero(b->mac);
}

/* The bindings of a MAC run that count for duplicate analysis, into c->set. */
static size_t mac_set(const render_ctx *c, size_t start, size_t n)
{
    size_t m = 0;
    for (size_t i = start; i < start + n; i++) {
        const macchk_binding_info *b = &c->rep->v4.items[c->rep->v4.by_mac[i]];
        if (counts_for_mac(b))
            c->set[m++] = b;
    }
    return m;
}

static void gather_mac_sets(render_ctx *c)
{
    const macchk_report *rep = c->rep;
    for (size_t i = 0, j; i < rep->v4.n; i = j) {
        const macchk_binding_info *b = &rep->v4.items[rep->v4.by_mac[i]];
        for (j = i + 1; j < rep->v4.n && rep->v4.items[rep->v4.by_mac[j]].net == b->net &&
                        memcmp(rep->v4.items[rep->v4.by_mac[j]].mac, b->mac, 6) == 0;
             j++)
            ;
        rkey k = make_key(b->net, K_GATE_MAC, 0, b->mac, NULL, 0, 0);
        const group_rec *gate = find_group(&rep->groups, &k);
        size_t m;
        if (!gate || (m = mac_set(c, i, j - i)) < 2)
            continue;
        bool overlap = any_overlap(c->set, m);
        int kind = -1;
        if (overlap) {
            macchk_class cl;
            macchk_classify(b->mac, &cl);
            /* a frame that saw only "renumbered" in the first pass: finally a duplicate */
            bool flagged = gate->flags & (MACCHK_T_DUP_MAC | MACCHK_T_VIRTUAL_MULTI_IP);
            bool virtual_only = (gate->flags & MACCHK_T_VIRTUAL_MULTI_IP) && !(gate->flags & MACCHK_T_DUP_MAC);
            kind = (flagged ? virtual_only : macchk_is_virtual_router(&cl)) ? K_VIRTUAL_MULTI : K_DUP_MAC;
        } else if (gate->flags & MACCHK_T_RENUMBERED) {
            kind = K_RENUMBERED;
        }
        if (kind >= 0)
            set_problem(c, kind, SRC_MAC_SET, b->net, i, j - i, c->set, m, key_tie(&k, sizeof k));
    }
}

/* Gates without their tracker's views: name the flagged addresses only. */
static void gather_gates(render_ctx *c)
{
    const ktable *t = &c->rep->groups;
    for (size_t i = 0; i < t->count; i++) {
        const group_rec *g = kt_rec(t, i);
        int kind;
        if (g->key.kind == K_GATE_IP6 ? c->rep->nd_views_given : c->rep->views_given)
            continue;
        if (g->key.kind == K_GATE_IP6)
            kind = (g->flags & MACCHK_N_IP_CONFLICT) ? K_IP6_CONFLICT : K_IP6_MOVED;
        else if (g->key.kind == K_GATE_IP)
            kind = (g->flags & MACCHK_T_IP_CONFLICT) ? K_IP_CONFLICT : K_IP_MOVED;
        else if (g->key.kind == K_GATE_MAC)
            kind = (g->flags & MACCHK_T_DUP_MAC)             ? K_DUP_MAC
                   : (g->flags & MACCHK_T_VIRTUAL_MULTI_IP) ? K_VIRTUAL_MULTI
                                                            : K_RENUMBERED;
        else
            continue;
        group_problem(c, SRC_GROUP, i, kind);
        c->items[c->n - 1].src = SRC_GATE;
    }
}

static int by_severity_kind_frame(const void *x, const void *y)
{
    const problem *a = x, *b = y;
    if (a->severity != b->severity)
        return a->severity > b->severity ? -1 : 1;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    if (a->first != b->first)
        return a->first < b->first ? -1 : 1;
    if (a->net != b->net)
        return a->net < b->net ? -1 : 1;
    return (a->tie > b->tie) - (a->tie < b->tie);
}

/* Every problem, sorted. */
static void gather(render_ctx *c)
{
    macchk_report *rep = c->rep;
    const ktable *g = &rep->groups, *v = &rep->vgroups;
    for (size_t i = 0; i < g->count; i++) {
        const group_rec *r = kt_rec(g, i);
        if (r->key.kind >= K_COUNT)
            continue;
        /* a reply not accepted seen by frames and settled too: once, from the views */
        if (r->key.kind == K_NOT_ACCEPTED && rep->views_given && find_group(v, &r->key))
            continue;
        group_problem(c, SRC_GROUP, i, r->key.kind);
    }
    c->set = macchk_xcalloc(rep->v4.n > rep->v6.n ? rep->v4.n : rep->v6.n, sizeof *c->set);
    if (rep->views_given) {
        gather_ip_sets(c, &IPV4);
        gather_mac_sets(c);
    }
    if (rep->nd_views_given)
        gather_ip_sets(c, &IPV6);
    for (size_t i = 0; i < v->count; i++)
        group_problem(c, SRC_VGROUP, i, ((const group_rec *)kt_rec(v, i))->key.kind);
    gather_gates(c);
    /* request findings from frames, where the tracker that would know better is gone */
    for (size_t i = 0; i < rep->fgroups.count; i++) {
        uint8_t kind = ((const group_rec *)kt_rec(&rep->fgroups, i))->key.kind;
        bool nd = kind == K_NS_UNANSWERED || kind == K_NS_CAPTURE_ENDED || kind == K_DAD_DEFENDED;
        if (!(nd ? rep->nd_views_given : rep->views_given))
            group_problem(c, SRC_FGROUP, i, kind);
    }
    if (c->n)
        qsort(c->items, c->n, sizeof *c->items, by_severity_kind_frame);
    for (size_t i = 0; i < c->n; i++) {
        if (c->items[i].severity == MACCHK_SEV_WARNING)
            c->warnings++;
        else
            c->notes++;
    }
    c->multi_net = rep->nets.count > 1;
}

/* ---- wording ----------------------------------------------------------- */

/* Hosts named by a problem, for JSON (NULL in text). */
typedef struct {
    strbuf *b;
    int n;
} host_list;

static void hl_mac(host_list *h, const uint8_t *mac)
{
    if (h->b)
        sb_printf(h->b, "%s\"%s\"", h->n++ ? "," : "", fmt_mac(mac).s);
}

static void hl_ip(host_list *h, uint32_t ip)
{
    if (h->b)
        sb_printf(h->b, "%s\"%s\"", h->n++ ? "," : "", fmt_ip(ip).s);
}

static void hl_ip6(host_list *h, const macchk_report *rep, uint32_t id)
{
    if (h->b)
        sb_printf(h->b, "%s\"%s\"", h->n++ ? "," : "", fmt_ip6(rep, id).s);
}

/* "frame 5" or "frames 3-11" */
static void sb_frames(strbuf *b, uint32_t first, uint32_t last)
{
    if (first == last)
        sb_printf(b, "frame %u", first);
    else
        sb_printf(b, "frames %u-%u", first, last);
}

/* ": 1 frame (frame 5)" or ": 6 frames (frames 1-9)" */
static void sb_count_frames(strbuf *b, uint32_t count, uint32_t first, uint32_t last)
{
    sb_printf(b, ": %u frame%s (", count, count == 1 ? "" : "s");
    sb_frames(b, first, last);
    sb_puts(b, ")");
}

/* "once" or "3 times" */
static void sb_times(strbuf *b, uint32_t n)
{
    if (n == 1)
        sb_puts(b, "once");
    else
        sb_printf(b, "%u times", n);
}

static void sb_net(strbuf *b, const macchk_report *rep, uint32_t net)
{
    char name[MACCHK_NET_NAME_LEN];
    if (!net) {
        sb_puts(b, "a network not kept");
        return;
    }
    macchk_net_format(&((const net_rec *)kt_rec(&rep->nets, net - 1))->net, name, sizeof name);
    sb_puts(b, name);
}

/* The first IPv4 address a MAC claimed in a network, 0 if none known. */
static uint32_t ip_of(const macchk_report *rep, uint32_t net, const uint8_t *mac)
{
    size_t n, i = rep->views_given ? bindings_of_mac(&rep->v4, net, mac, &n) : 0;
    return rep->views_given && n ? rep->v4.items[rep->v4.by_mac[i]].ip : 0;
}

/* "10.0.2.15's " or "" */
static void sb_owner(strbuf *b, const macchk_report *rep, uint32_t net, const uint8_t *mac)
{
    uint32_t ip = ip_of(rep, net, mac);
    if (ip)
        sb_printf(b, "%s's ", fmt_ip(ip).s);
}

/* "10.0.2.15 (52:54:00:12:34:56)" */
static void sb_ip_mac(strbuf *b, uint32_t ip, const uint8_t *mac)
{
    sb_printf(b, "%s (%s)", fmt_ip(ip).s, fmt_mac(mac).s);
}

static const group_rec *bad_source_of(const macchk_report *rep, uint32_t net, const uint8_t *mac)
{
    rkey k = make_key(net, K_BAD_SOURCE, 0, mac, NULL, 0, 0);
    return find_group(&rep->groups, &k);
}

/* "has the group bit set (did you mean X?)" and the like; advise: say what
 * to do when the corrected MAC is QEMU's default */
static void sb_bad_mac_problem(strbuf *b, const uint8_t *mac, uint32_t flags, bool advise)
{
    macchk_class c;
    macchk_classify(mac, &c);
    if (flags & BAD_CF) {
        sb_puts(b, "is in the CF-xx-xx block (RFC 2153), never a station address");
    } else if (flags & BAD_GROUP) {
        uint8_t guess[6];
        macchk_class gc;
        macchk_unicast_guess(mac, guess);
        macchk_classify(guess, &gc);
        if (c.cast == MACCHK_CAST_BROADCAST)
            sb_puts(b, "is the broadcast address");
        else if (advise && gc.vnic == MACCHK_VNIC_QEMU_DEFAULT)
            sb_printf(b, "has the group bit set (did you mean %s? That is QEMU's default MAC, shared by every "
                         "guest started without mac=: give this guest a unique address in 52:54:00)",
                      fmt_mac(guess).s);
        else
            sb_printf(b, "has the group bit set (did you mean %s?)", fmt_mac(guess).s);
    } else if (flags & BAD_ZERO) {
        sb_puts(b, "is all zeros");
    } else if (flags & BAD_RESERVED) {
        sb_printf(b, "is in the %s range", macchk_range_name(c.range));
    }
}

/* "10.0.2.15's source 53:54:00:12:34:56 has the group bit set (did you mean ...?)" */
static void sb_bad_source_phrase(strbuf *b, const macchk_report *rep, const group_rec *g, bool advise)
{
    sb_owner(b, rep, g->key.net, g->key.mac);
    sb_printf(b, "%s %s ", (g->flags & BAD_AS_SOURCE) ? "source" : "ARP sender MAC", fmt_mac(g->key.mac).s);
    sb_bad_mac_problem(b, g->key.mac, g->flags, advise);
}

/* A likely cause of an unanswered exchange: a bad MAC on either side; true if one is named. */
static bool sb_unanswered_cause(strbuf *b, const macchk_report *rep, const binding_view *v, uint32_t net,
                                const uint8_t *sha, uint32_t tpa)
{
    const group_rec *g = bad_source_of(rep, net, sha);
    for (size_t i = bindings_of_ip(v, net, tpa), seen = 0;
         !g && i < v->n && v->items[i].net == net && v->items[i].ip == tpa && seen < CAUSE_SCAN_LIMIT; i++, seen++)
        g = bad_source_of(rep, net, v->items[i].mac);
    if (g) {
        sb_puts(b, "; ");
        sb_bad_source_phrase(b, rep, g, false);
    }
    return g != NULL;
}

/* "A (frames 2-5) and B (frames 3-6)"; name_ips: name the IPs, else the MACs */
static void sb_binding_list(strbuf *b, const macchk_binding_info *const *items, size_t n, bool name_ips,
                            const char *sep_last)
{
    size_t shown = n < NAMED_IN_LINE ? n : NAMED_IN_LINE;
    for (size_t i = 0; i < shown; i++) {
        const macchk_binding_info *x = items[i];
        if (i)
            sb_puts(b, i + 1 == shown && shown == n ? sep_last : ", ");
        sb_puts(b, name_ips ? fmt_ip(x->ip).s : fmt_mac(x->mac).s);
        sb_puts(b, " (");
        sb_frames(b, x->first_frame, x->last_frame);
        sb_puts(b, ")");
    }
    if (n > shown)
        sb_printf(b, " and %zu more", n - shown);
}

static void write_set_problem(render_ctx *c, const problem *p, strbuf *b, host_list *h)
{
    const macchk_report *rep = c->rep;
    size_t n;
    if (p->src == SRC_IP_SET || p->src == SRC_IP6_SET) {
        bool v6 = p->src == SRC_IP6_SET;
        const binding_view *v = v6 ? &rep->v6 : &rep->v4;
        uint32_t ip = v->items[p->ref].ip;
        char addr[sizeof(macchk_ip6str)];
        snprintf(addr, sizeof addr, "%s", v6 ? fmt_ip6(rep, ip).s : fmt_ip(ip).s);
        n = p->n;
        for (size_t i = 0; i < n; i++)
            c->set[i] = &v->items[p->ref + i];
        if (v6)
            hl_ip6(h, rep, ip);
        else
            hl_ip(h, ip);
        for (size_t i = 0; i < n; i++)
            hl_mac(h, c->set[i]->mac);
        bool conflict = p->kind == K_IP_CONFLICT || p->kind == K_IP6_CONFLICT;
        sb_printf(b, "%s %s ", addr, conflict ? "is claimed by" : "moved from");
        if (conflict) {
            sb_binding_list(b, c->set, n, false, " and ");
            sb_printf(b, " at the same time: two hosts configured with one address, or %s spoofing", v6 ? "ND" : "ARP");
        } else {
            sb_binding_list(b, c->set, n, false, " to ");
            sb_puts(b, v6 ? " (a replaced NIC or failover)" : " (a replaced NIC, failover or DHCP reassignment)");
        }
        return;
    }
    n = mac_set(c, p->ref, p->n);
    const uint8_t *mac = c->set[0]->mac;
    hl_mac(h, mac);
    for (size_t i = 0; i < n; i++)
        hl_ip(h, c->set[i]->ip);
    if (p->kind == K_DUP_MAC) {
        sb_printf(b, "%s claims ", fmt_mac(mac).s);
        sb_binding_list(b, c->set, n, true, " and ");
        sb_puts(b, " at the same time: two hosts sharing one MAC (cloned guests, QEMU's default), proxy ARP, "
                   "or spoofing");
    } else if (p->kind == K_VIRTUAL_MULTI) {
        macchk_class cl;
        macchk_classify(mac, &cl);
        sb_printf(b, "%s MAC %s serves ", macchk_range_name(cl.range), fmt_mac(mac).s);
        sb_binding_list(b, c->set, n, true, " and ");
        sb_puts(b, ": normal for a virtual router");
    } else {
        sb_printf(b, "%s changed its IPv4 address from ", fmt_mac(mac).s);
        sb_binding_list(b, c->set, n, true, " to ");
    }
}

static void write_gate_problem(const macchk_report *rep, const problem *p, const group_rec *g, strbuf *b,
                               host_list *h)
{
    if (g->key.kind == K_GATE_IP6) {
        sb_printf(b, "%s %s", fmt_ip6(rep, g->key.ip).s,
                  p->kind == K_IP6_CONFLICT ? "is claimed by several MACs at once" : "moved to a new MAC");
        hl_ip6(h, rep, g->key.ip);
    } else if (g->key.kind == K_GATE_IP) {
        sb_printf(b, "%s %s", fmt_ip(g->key.ip).s,
                  p->kind == K_IP_CONFLICT ? "is claimed by several MACs at once" : "moved to a new MAC");
        hl_ip(h, g->key.ip);
    } else {
        sb_printf(b, "%s %s", fmt_mac(g->key.mac).s,
                  p->kind == K_DUP_MAC         ? "claims several IPv4 addresses at once"
                  : p->kind == K_VIRTUAL_MULTI ? "(a virtual router MAC) serves several IPv4 addresses"
                                               : "changed its IPv4 address");
        hl_mac(h, g->key.mac);
    }
    sb_count_frames(b, g->count, g->first, g->last);
}

/* Exchanges (from the views) or request frames (without them). */
static void write_request_problem(render_ctx *c, const problem *p, const group_rec *g, strbuf *b, host_list *h)
{
    const rkey *k = &g->key;
    bool views = p->src == SRC_VGROUP;

    if (k->kind == K_PROBE_DEFENDED) {
        sb_printf(b, "%s probed %s (", fmt_mac(k->mac).s, fmt_ip(k->ip2).s);
        sb_frames(b, g->first, g->last);
        sb_printf(b, ") and got an answer in frame %u: %s is already in use%s", g->detail, fmt_ip(k->ip2).s,
                  views ? ", the prober must not take it" : "");
        hl_mac(h, k->mac);
        hl_ip(h, k->ip2);
        return;
    }
    sb_ip_mac(b, k->ip, k->mac);
    sb_printf(b, " asked for %s ", fmt_ip(k->ip2).s);
    sb_times(b, g->count);
    if (views && g->detail > 1)
        sb_printf(b, " in %u rounds", g->detail);
    sb_puts(b, " (");
    sb_frames(b, g->first, g->last);
    sb_puts(b, ")");
    if (k->kind == K_CAPTURE_ENDED) {
        sb_printf(b, ", %sless than the ARP timeout before the capture ended: whether a reply came is unknown",
                  g->count > 1 ? "the last " : "");
    } else {
        if (!views || g->detail2 == g->count)
            sb_puts(b, ", never answered");
        else
            sb_printf(b, ", %u unanswered", g->detail2);
        /* no cause in sight and the target never spoke: look where its answer would start */
        if (views && !sb_unanswered_cause(b, c->rep, &c->rep->v4, k->net, k->mac, k->ip2) && !(g->flags & TARGET_SEEN))
            sb_printf(b, "; capture on %s's own port (for a VM, its tap/vnet device) to see whether it answers "
                         "from an invalid source MAC",
                      fmt_ip(k->ip2).s);
    }
    hl_ip(h, k->ip);
    hl_mac(h, k->mac);
    hl_ip(h, k->ip2);
}

/* The MAC that defended a DAD probe: one bound to the target, other than
 * the prober's, when the defence came; NULL if the NA bound nothing. */
static const uint8_t *defender_of(const macchk_report *rep, uint32_t net, uint32_t target, const uint8_t *prober,
                                  uint32_t frame)
{
    const binding_view *v = &rep->v6;
    for (size_t i = bindings_of_ip(v, net, target); i < v->n && v->items[i].net == net && v->items[i].ip == target;
         i++)
        if (v->items[i].first_frame <= frame && frame <= v->items[i].last_frame &&
            memcmp(v->items[i].mac, prober, 6) != 0)
            return v->items[i].mac;
    return NULL;
}

/* NS exchanges and DAD probes (from the ND views, or from frames without them). */
static void write_nd_request_problem(render_ctx *c, const problem *p, const group_rec *g, strbuf *b, host_list *h)
{
    const macchk_report *rep = c->rep;
    const rkey *k = &g->key;
    bool views = p->src == SRC_VGROUP;

    if (k->kind == K_DAD_DEFENDED) {
        const uint8_t *defender = views ? defender_of(rep, k->net, k->ip2, k->mac, g->detail)
                                        : macchk_is_zero(k->mac2) ? NULL : k->mac2;
        sb_printf(b, "%s probed %s (duplicate address detection, ", fmt_mac(k->mac).s, fmt_ip6(rep, k->ip2).s);
        sb_frames(b, g->first, g->last);
        sb_puts(b, ") and ");
        if (defender)
            sb_printf(b, "%s defended it", fmt_mac(defender).s);
        else
            sb_puts(b, "it was defended");
        sb_printf(b, " in frame %u: %s is already in use%s", g->detail, fmt_ip6(rep, k->ip2).s,
                  views ? ", the prober must not take it" : "");
        hl_mac(h, k->mac);
        if (defender)
            hl_mac(h, defender);
        hl_ip6(h, rep, k->ip2);
        return;
    }
    sb_printf(b, "%s (%s) asked for %s ", fmt_ip6(rep, k->ip).s, fmt_mac(k->mac).s, fmt_ip6(rep, k->ip2).s);
    sb_times(b, g->count);
    if (views && g->detail > 1)
        sb_printf(b, " in %u rounds", g->detail);
    sb_puts(b, " (");
    sb_frames(b, g->first, g->last);
    sb_puts(b, ")");
    if (k->kind == K_NS_CAPTURE_ENDED) {
        sb_printf(b, ", %sless than the ND timeout before the capture ended: whether an advertisement came is "
                     "unknown",
                  g->count > 1 ? "the last " : "");
    } else {
        if (!views || g->detail2 == g->count)
            sb_puts(b, ", never answered");
        else
            sb_printf(b, ", %u unanswered", g->detail2);
        /* no cause in sight and the target never claimed a MAC: look where its answer would start */
        if (views && !sb_unanswered_cause(b, rep, &rep->v6, k->net, k->mac, k->ip2) &&
            bindings_of_ip(&rep->v6, k->net, k->ip2) == rep->v6.n)
            sb_printf(b, "; capture on %s's own port (for a VM, its tap/vnet device) to see whether it answers "
                         "from an invalid source MAC",
                      fmt_ip6(rep, k->ip2).s);
    }
    hl_ip6(h, rep, k->ip);
    hl_mac(h, k->mac);
    hl_ip6(h, rep, k->ip2);
}

/* What a malformed message or a bad option is, by the finding's bit. */
static void sb_nd_malformed(strbuf *b, unsigned bit, uint32_t detail)
{
    if (bit == MACCHK_ND_MALFORMED_HOP_LIMIT) {
        sb_printf(b, "hop limit %u, not 255: it was routed, and receivers drop it", detail >> 8 & 0xff);
        return;
    }
    if (bit == MACCHK_ND_LL_LENGTH) {
        sb_printf(b, "length %u (a MAC needs 1)", detail & 0xff);
        return;
    }
    if (macchk_nd_finding_what(bit))
        sb_puts(b, macchk_nd_finding_what(bit));
}

/* Findings of single ND messages. */
static void write_nd_problem(const macchk_report *rep, const group_rec *g, strbuf *b, host_list *h)
{
    const rkey *k = &g->key;
    macchk_nd_kind kind = (macchk_nd_kind)(g->detail >> 16);
    const char *msg = macchk_nd_kind_name(kind);
    const char *option = kind == MACCHK_ND_NS || kind == MACCHK_ND_NUD || kind == MACCHK_ND_DAD
                             ? "source link-layer option"
                             : "target link-layer option";

    switch (k->kind) {
    case K_ND_MALFORMED:
        sb_printf(b, "malformed %s from %s: ", msg, fmt_mac(k->mac).s);
        sb_nd_malformed(b, 1u << k->sub, g->detail);
        break;
    case K_ND_BAD_OPTION:
        sb_printf(b, "%s sends %s with a bad %s: ", fmt_mac(k->mac).s, msg, option);
        sb_nd_malformed(b, 1u << k->sub, g->detail);
        if (!macchk_is_zero(k->mac2) && (1u << k->sub) == MACCHK_ND_LL_GROUP)
            sb_printf(b, " (%s)", fmt_mac(k->mac2).s);
        break;
    case K_ND_LL_MISMATCH:
        sb_printf(b, "link-layer source %s sends %s with %s %s for %s: a proxy, a misbehaving bridge, or ND spoofing",
                  fmt_mac(k->mac).s, msg, option, fmt_mac(k->mac2).s, fmt_ip6(rep, k->ip).s);
        break;
    case K_ND_LL_VIRTUAL:
        sb_printf(b, "%s sends %s with the virtual router MAC %s as its %s (%s), normal for VRRP", fmt_mac(k->mac).s,
                  msg, fmt_mac(k->mac2).s, option, fmt_ip6(rep, k->ip).s);
        break;
    default: /* K_ND_SNAP_CUT */
        sb_printf(b, "ND from %s cut by the snap length, not judged", fmt_mac(k->mac).s);
        break;
    }
    sb_count_frames(b, g->count, g->first, g->last);
    hl_mac(h, k->mac);
    if (k->kind == K_ND_LL_MISMATCH || k->kind == K_ND_LL_VIRTUAL) {
        hl_mac(h, k->mac2);
        hl_ip6(h, rep, k->ip);
    }
}

static void write_group_problem(render_ctx *c, const problem *p, const group_rec *g, strbuf *b, host_list *h)
{
    const macchk_report *rep = c->rep;
    const rkey *k = &g->key;

    switch (k->kind) {
    case K_BAD_SOURCE: {
        uint32_t ip = ip_of(rep, k->net, k->mac);
        sb_bad_source_phrase(b, rep, g, true);
        if ((g->flags & BAD_AS_SOURCE) && (g->flags & BAD_AS_ARP_SENDER))
            sb_puts(b, ", also as ARP sender MAC");
        sb_count_frames(b, g->count, g->first, g->last);
        hl_mac(h, k->mac);
        if (ip)
            hl_ip(h, ip);
        break;
    }
    case K_DST_ZERO:
        sb_owner(b, rep, k->net, k->mac);
        sb_printf(b, "%s sends to 00:00:00:00:00:00, which reaches nobody (an unresolved neighbour?)",
                  fmt_mac(k->mac).s);
        sb_count_frames(b, g->count, g->first, g->last);
        hl_mac(h, k->mac);
        break;
    case K_MALFORMED:
        sb_printf(b, "malformed ARP from %s: ", fmt_mac(k->mac).s);
        if (k->sub == MAL_SIZES)
            sb_printf(b, "hardware size %u and protocol size %u (IPv4 over Ethernet needs 6 and 4)",
                      g->detail >> 8, g->detail & 0xff);
        else if (k->sub == MAL_TRUNCATED)
            sb_puts(b, "the packet ends before the addresses its header announces");
        else
            sb_printf(b, "opcode %u is none of request, reply, RARP or InARP", g->detail);
        sb_count_frames(b, g->count, g->first, g->last);
        hl_mac(h, k->mac);
        break;
    case K_BAD_SENDER_IP:
        sb_printf(b, "%s sends ARP with sender IP %s, not a host address", fmt_mac(k->mac).s, fmt_ip(k->ip).s);
        sb_count_frames(b, g->count, g->first, g->last);
        hl_mac(h, k->mac);
        hl_ip(h, k->ip);
        break;
    case K_SENDER_MISMATCH:
    case K_SENDER_VIRTUAL:
        if (k->kind == K_SENDER_MISMATCH)
            sb_printf(b, "link-layer source %s sends ARP as %s (%s): a proxy, a misbehaving bridge, or ARP spoofing",
                      fmt_mac(k->mac).s, fmt_mac(k->mac2).s, fmt_ip(k->ip).s);
        else
            sb_printf(b, "%s sends ARP for the virtual router MAC %s (%s), normal for VRRP/HSRP", fmt_mac(k->mac).s,
                      fmt_mac(k->mac2).s, fmt_ip(k->ip).s);
        sb_count_frames(b, g->count, g->first, g->last);
        hl_mac(h, k->mac);
        hl_mac(h, k->mac2);
        hl_ip(h, k->ip);
        break;
    case K_TARGET_MISMATCH:
        sb_printf(b, "%s's ARP reply went to %s but names %s as its target", fmt_ip(k->ip).s, fmt_mac(k->mac).s,
                  fmt_mac(k->mac2).s);
        sb_count_frames(b, g->count, g->first, g->last);
        hl_ip(h, k->ip);
        hl_mac(h, k->mac);
        hl_mac(h, k->mac2);
        break;
    case K_UNICAST_REQUEST:
        sb_ip_mac(b, k->ip, k->mac);
        sb_printf(b, " sent %u unicast ARP request%s (cache refreshes, as Linux sends them), first for %s (",
                  g->count, g->count == 1 ? "" : "s", fmt_ip(g->detail).s);
        sb_frames(b, g->first, g->last);
        sb_puts(b, ")");
        hl_ip(h, k->ip);
        hl_mac(h, k->mac);
        break;
    case K_UNSOLICITED:
        sb_ip_mac(b, k->ip, k->mac);
        if (k->sub == UNSOL_LATE)
            sb_printf(b, " answered %s too late: the request in frame %u is older than the ARP timeout",
                      fmt_ip(k->ip2).s, g->detail);
        else
            sb_printf(b, " sent %u unsolicited ARP repl%s to %s (cache poisoning looks like this; so does a "
                         "capture that started late)",
                      g->count, g->count == 1 ? "y" : "ies", fmt_ip(k->ip2).s);
        sb_count_frames(b, g->count, g->first, g->last);
        hl_ip(h, k->ip);
        hl_mac(h, k->mac);
        hl_ip(h, k->ip2);
        break;
    case K_NOT_ACCEPTED:
        sb_ip_mac(b, k->ip, k->mac);
        sb_printf(b, " answered %s (request in frame %u), yet %s asked again within the ARP timeout (frame %u): "
                     "the reply was not accepted (a wrong MAC in it, or it never reached the requester)",
                  fmt_ip(k->ip2).s, g->detail2, fmt_ip(k->ip2).s, g->detail);
        sb_count_frames(b, g->count, g->first, g->last);
        hl_ip(h, k->ip);
        hl_mac(h, k->mac);
        hl_ip(h, k->ip2);
        break;
    case K_QEMU_DEFAULT:
        sb_owner(b, rep, k->net, k->mac);
        sb_printf(b, "source %s is QEMU's built-in default MAC: every guest started without a mac= option gets "
                     "it, so two such guests on one bridge collide",
                  fmt_mac(k->mac).s);
        sb_count_frames(b, g->count, g->first, g->last);
        hl_mac(h, k->mac);
        break;
    case K_SLAP_RESERVED:
        sb_owner(b, rep, k->net, k->mac);
        sb_printf(b, "source %s is in the IEEE 802c SLAP reserved quadrant (x6)", fmt_mac(k->mac).s);
        sb_count_frames(b, g->count, g->first, g->last);
        hl_mac(h, k->mac);
        break;
    case K_SNAP_CUT:
        sb_printf(b, "ARP from %s cut by the snap length, not judged", fmt_mac(k->mac).s);
        sb_count_frames(b, g->count, g->first, g->last);
        hl_mac(h, k->mac);
        break;
    case K_TABLE_FULL:
        sb_printf(b, "macchk's %stracking tables filled up at frame %u: %s first seen after it are not followed "
                     "(preference macchk.table_cap)",
                  k->sub == FULL_ND ? "ND " : "", g->first,
                  k->sub == FULL_ND ? "addresses and exchanges" : "hosts and exchanges");
        break;
    case K_NS_UNANSWERED:
    case K_NS_CAPTURE_ENDED:
    case K_DAD_DEFENDED:
        write_nd_request_problem(c, p, g, b, h);
        break;
    case K_ND_MALFORMED:
    case K_ND_BAD_OPTION:
    case K_ND_LL_MISMATCH:
    case K_ND_LL_VIRTUAL:
    case K_ND_SNAP_CUT:
        write_nd_problem(c->rep, g, b, h);
        break;
    default:
        write_request_problem(c, p, g, b, h);
        break;
    }
}

/* The problem's text (prefixed by its network when the capture has
 * several) into b; with h->b set, the hosts it names too. */
static void write_problem(render_ctx *c, const problem *p, strbuf *b, host_list *h)
{
    if (c->multi_net && !h->b) {
        sb_puts(b, "on ");
        sb_net(b, c->rep, p->net);
        sb_puts(b, ": ");
    }
    if (p->src == SRC_IP_SET || p->src == SRC_IP6_SET || p->src == SRC_MAC_SET) {
        write_set_problem(c, p, b, h);
        return;
    }
    const group_rec *g = kt_rec(src_table(c->rep, p->src == SRC_GATE ? SRC_GROUP : p->src), p->ref);
    if (p->src == SRC_GATE)
        write_gate_problem(c->rep, p, g, b, h);
    else
        write_group_problem(c, p, g, b, h);
}

/* ---- counts ------------------------------------------------------------ */

static uint64_t finding_count(const macchk_report *rep, const macchk_finding_info *f)
{
    return rep->finding_frames[f->set][bit_index(f->bit)] + macchk_pending_fix_count(&rep->fix, f->set, f->bit);
}

static uint64_t groups_evicted(const macchk_report *rep)
{
    return rep->groups.evicted + rep->vgroups.evicted + (rep->views_given ? 0 : rep->fgroups.evicted);
}

/* Warning sightings refused by tables full of Warnings: the count is then a lower bound. */
static uint64_t warnings_refused(const macchk_report *rep)
{
    return rep->groups.refused_no_victim + rep->vgroups.refused_no_victim +
           (rep->views_given ? 0 : rep->fgroups.refused_no_victim);
}

static uint64_t groups_turned_away(const macchk_report *rep)
{
    return rep->groups.turned_away + rep->vgroups.turned_away + (rep->views_given ? 0 : rep->fgroups.turned_away) +
           rep->addrs6_refused;
}

/* "No problems found in 15 frames (3 notes)" or "3 problems in 15 frames: 1 bad source MAC, 2 unanswered ARP" */
static void sb_verdict(strbuf *b, const render_ctx *c, uint64_t notes)
{
    const macchk_report *rep = c->rep;
    if (!rep->frames) { /* only frames without MAC addresses, or none at all */
        sb_puts(b, "Nothing to check: no frame carries MAC addresses or ARP");
        return;
    }
    if (!c->warnings) {
        sb_printf(b, "No problems found in %llu frame%s", (unsigned long long)rep->frames, rep->frames == 1 ? "" : "s");
        if (notes)
            sb_printf(b, " (%llu note%s)", (unsigned long long)notes, notes == 1 ? "" : "s");
        return;
    }
    sb_printf(b, "%zu problem%s in %llu frame%s:", c->warnings, c->warnings == 1 ? "" : "s",
              (unsigned long long)rep->frames, rep->frames == 1 ? "" : "s");
    for (size_t i = 0, named = 0; i < c->n && c->items[i].severity == MACCHK_SEV_WARNING;) {
        size_t j = i;
        while (j < c->n && c->items[j].kind == c->items[i].kind && c->items[j].severity == MACCHK_SEV_WARNING)
            j++;
        sb_printf(b, "%s %zu %s", named++ ? "," : "", j - i,
                  j - i == 1 ? kinds[c->items[i].kind].one : kinds[c->items[i].kind].many);
        i = j;
    }
    if (notes)
        sb_printf(b, " (and %llu note%s)", (unsigned long long)notes, notes == 1 ? "" : "s");
}

/* ---- hosts ------------------------------------------------------------- */

typedef struct {
    char cls[48];
    char vendor[96];
} host_desc;

static void describe_host(const host_rec *h, macchk_vendor_cb vendor, void *ctx, host_desc *d)
{
    macchk_class c;
    macchk_classify(h->key.mac, &c);
    snprintf(d->cls, sizeof d->cls, "%s, %s%s%s%s%s", macchk_cast_name(c.cast), macchk_admin_key(c.admin),
             c.slap ? " " : "", c.slap ? macchk_slap_key(c.slap) : "", c.range ? ", " : "",
             c.range ? macchk_range_key(c.range) : "");
    const char *v = NULL;
    if (c.vnic)
        v = macchk_vnic_name(c.vnic);
    else if (vendor && !(h->key.mac[0] & 0x03))
        v = vendor(h->key.mac, ctx);
    snprintf(d->vendor, sizeof d->vendor, "%s", v ? v : "-");
}

/* The host's IPv4 (ARP) or IPv6 (ND) addresses, in order of first claim:
 * json as a list of strings; how many are not listed. */
static uint32_t sb_host_ips(strbuf *b, const macchk_report *rep, const host_rec *h, const ip_family *f, bool json)
{
    const binding_view *v = family_view(rep, f);
    size_t n = 0, start = bindings_of_mac(v, h->key.net, h->key.mac, &n);
    size_t shown = n < HOST_IPS_SHOWN ? n : HOST_IPS_SHOWN;
    if (!n && !json)
        sb_puts(b, "-");
    for (size_t i = 0; i < shown; i++) {
        uint32_t ip = v->items[v->by_mac[start + i]].ip;
        sb_printf(b, json ? "%s\"%s\"" : "%s%s", i ? ", " : "", f == &IPV6 ? fmt_ip6(rep, ip).s : fmt_ip(ip).s);
    }
    if (!json && n > shown)
        sb_printf(b, " and %zu more", n - shown);
    return (uint32_t)(n - shown);
}

static const ktable *host_sort_table; /* qsort has no context argument */

static int host_by_first(const void *x, const void *y)
{
    const host_rec *a = kt_rec(host_sort_table, *(const uint32_t *)x);
    const host_rec *b = kt_rec(host_sort_table, *(const uint32_t *)y);
    if (a->first != b->first)
        return a->first < b->first ? -1 : 1;
    if (a->key.net != b->key.net)
        return a->key.net < b->key.net ? -1 : 1;
    return memcmp(a->key.mac, b->key.mac, 6);
}

static uint32_t *sorted_hosts(const macchk_report *rep)
{
    uint32_t *order = macchk_xcalloc(rep->hosts.count, sizeof *order);
    for (size_t i = 0; i < rep->hosts.count; i++)
        order[i] = (uint32_t)i;
    host_sort_table = &rep->hosts;
    if (rep->hosts.count)
        qsort(order, rep->hosts.count, sizeof *order, host_by_first);
    return order;
}

/* ---- text -------------------------------------------------------------- */

static void write_dropped(strbuf *b, const render_ctx *c)
{
    const macchk_report *rep = c->rep;
    uint64_t evicted = groups_evicted(rep), refused = groups_turned_away(rep);
    if (evicted || refused) {
        sb_printf(b, "(the problem tables hold %zu groups each and are full", rep->limits.cap);
        if (evicted)
            sb_printf(b, ": %llu more note%s not kept, to keep the warnings", (unsigned long long)evicted,
                      evicted == 1 ? "" : "s");
        if (refused)
            sb_printf(b, "%s%llu later sighting%s of other problems not grouped", evicted ? "; " : ": ",
                      (unsigned long long)refused, refused == 1 ? "" : "s");
        sb_puts(b, ")\n");
    }
    uint64_t unsettled = macchk_pending_dropped(rep->pending);
    if (unsettled && rep->views_given)
        sb_printf(b, "(%llu ARP or ND frame%s dissected before the end was known could not be kept to settle: their "
                     "final findings are not counted)\n",
                  (unsigned long long)unsettled, unsettled == 1 ? "" : "s");
}

static void write_text_hosts(strbuf *b, const render_ctx *c)
{
    const macchk_report *rep = c->rep;
    size_t n = rep->hosts.count;
    uint32_t *order = sorted_hosts(rep);
    sb_printf(b, "\nHosts (%zu):\n", n);
    if (n) {
        size_t w_net = strlen("Network"), w_cls = strlen("Class"), w_vendor = strlen("Vendor / virtual NIC"),
               w_ips = strlen("IPv4"), w_ip6s = strlen("IPv6");
        strbuf scratch = {0};
        for (size_t i = 0; i < n && !b->stopped; i++) {
            const host_rec *h = kt_rec(&rep->hosts, order[i]);
            host_desc d;
            describe_host(h, c->vendor, c->vendor_ctx, &d);
            sb_reset(&scratch);
            sb_host_ips(&scratch, rep, h, &IPV4, false);
            w_ips = scratch.len > w_ips ? scratch.len : w_ips;
            sb_reset(&scratch);
            sb_host_ips(&scratch, rep, h, &IPV6, false);
            w_ip6s = scratch.len > w_ip6s ? scratch.len : w_ip6s;
            w_cls = strlen(d.cls) > w_cls ? strlen(d.cls) : w_cls;
            w_vendor = strlen(d.vendor) > w_vendor ? strlen(d.vendor) : w_vendor;
            if (c->multi_net) {
                sb_reset(&scratch);
                sb_net(&scratch, rep, h->key.net);
                w_net = scratch.len > w_net ? scratch.len : w_net;
            }
        }
        if (c->multi_net)
            sb_printf(b, "  %-*s", (int)w_net, "Network");
        sb_printf(b, "  %-17s  %-*s  %-*s  %-*s  %-*s  %s\n", "MAC", (int)w_cls, "Class", (int)w_vendor,
                  "Vendor / virtual NIC", (int)w_ips, "IPv4", (int)w_ip6s, "IPv6", "Frames");
        for (size_t i = 0; i < n && !b->stopped; i++) {
            const host_rec *h = kt_rec(&rep->hosts, order[i]);
            host_desc d;
            describe_host(h, c->vendor, c->vendor_ctx, &d);
            if (c->multi_net) {
                sb_reset(&scratch);
                sb_net(&scratch, rep, h->key.net);
                sb_printf(b, "  %-*s", (int)w_net, sb_take(&scratch));
            }
            sb_reset(&scratch);
            sb_host_ips(&scratch, rep, h, &IPV4, false);
            sb_printf(b, "  %-17s  %-*s  %-*s  %-*s  ", fmt_mac(h->key.mac).s, (int)w_cls, d.cls, (int)w_vendor,
                      d.vendor, (int)w_ips, sb_take(&scratch));
            sb_reset(&scratch);
            sb_host_ips(&scratch, rep, h, &IPV6, false);
            sb_printf(b, "%-*s  ", (int)w_ip6s, sb_take(&scratch));
            sb_frames(b, h->first, h->last);
            sb_printf(b, " (%u)\n", h->count);
        }
        free(scratch.s);
    }
    if (rep->host_frames_untracked)
        sb_printf(b, "  (more hosts not listed: the hosts table holds %zu; %llu sightings of other hosts)\n",
                  rep->limits.cap, (unsigned long long)rep->host_frames_untracked);
    free(order);
}

static void write_text(strbuf *b, render_ctx *c)
{
    const macchk_report *rep = c->rep;
    uint64_t notes = c->notes + groups_evicted(rep);
    host_list none = {NULL, 0};

    sb_puts(b, "=====================================================================\n");
    sb_puts(b, "MAC Address Check: triage report\n");
    sb_verdict(b, c, notes);
    sb_puts(b, "\n");
    sb_printf(b, "%llu frames checked, %llu invalid (with a Warning); %s%zu warning%s, %llu note%s\n",
              (unsigned long long)rep->frames, (unsigned long long)(rep->invalid_frames + rep->fix.newly_invalid),
              warnings_refused(rep) ? "at least " : "", c->warnings, c->warnings == 1 ? "" : "s",
              (unsigned long long)notes, notes == 1 ? "" : "s");
    if (rep->frames_without_mac)
        sb_printf(b, "%llu more frame%s without MAC addresses or ARP (not checked)\n",
                  (unsigned long long)rep->frames_without_mac, rep->frames_without_mac == 1 ? "" : "s");
    if (c->multi_net)
        sb_printf(b, "%zu networks (interface, VLAN IDs, VXLAN VNIs): each problem names its own\n",
                  rep->nets.count);
    if (rep->views_missing)
        sb_puts(b, "(the ARP tracker was gone at the end of the file: exchanges and bindings are judged from "
                   "single frames only)\n");
    write_dropped(b, c);

    for (int sev = MACCHK_SEV_WARNING; sev >= MACCHK_SEV_NOTE; sev--) {
        size_t total = sev == MACCHK_SEV_WARNING ? c->warnings : c->notes, number = 0;
        if (!total)
            continue;
        sb_printf(b, "\n%s:\n", sev == MACCHK_SEV_WARNING ? "Warnings" : "Notes");
        for (size_t i = 0; i < c->n && !b->stopped;) {
            const problem *p = &c->items[i];
            size_t j = i, shown = 0;
            if ((int)p->severity != sev) {
                i++;
                continue;
            }
            for (; j < c->n && c->items[j].kind == p->kind && (int)c->items[j].severity == sev; j++) {
                if (rep->limits.lines_per_kind && shown >= rep->limits.lines_per_kind)
                    continue;
                sb_printf(b, "%3zu. ", ++number);
                write_problem(c, &c->items[j], b, &none);
                sb_puts(b, "\n");
                shown++;
            }
            if (j - i > shown) {
                sb_printf(b, "     ... and %zu more like this (all of them: -z macchk,report,json)\n", j - i - shown);
                number += j - i - shown;
            }
            i = j;
        }
    }
    if (!c->n && !groups_evicted(rep))
        sb_puts(b, rep->frames ? "\nNo problems found.\n"
                                                           : "\nNothing to check: no frame carries MAC addresses "
                                                             "or ARP.\n");
    write_text_hosts(b, c);
    sb_puts(b, "=====================================================================\n");
}

/* ---- JSON -------------------------------------------------------------- */

static void write_json(strbuf *b, render_ctx *c)
{
    const macchk_report *rep = c->rep;
    uint64_t notes = c->notes + groups_evicted(rep);
    strbuf text = {0}, net = {0};

    sb_printf(b, "{\"macchk_report\": 1, \"complete\": %s,\n \"verdict\": ", rep->views_missing ? "false" : "true");
    sb_verdict(&text, c, notes);
    sb_json_string(b, sb_take(&text));
    sb_printf(b, ",\n \"counts\": {\"frames\": %llu, \"frames_without_mac\": %llu, \"invalid_frames\": %llu, "
                 "\"warnings\": %zu, \"warnings_exact\": %s, \"notes\": %llu, \"networks\": %zu, \"findings\": {",
              (unsigned long long)rep->frames, (unsigned long long)rep->frames_without_mac,
              (unsigned long long)(rep->invalid_frames + rep->fix.newly_invalid), c->warnings,
              warnings_refused(rep) ? "false" : "true", (unsigned long long)notes, rep->nets.count);
    load_findings();
    for (size_t i = 0; i < n_findings; i++)
        sb_printf(b, "%s\"%s\": %llu", i ? ", " : "", findings[i].key,
                  (unsigned long long)finding_count(rep, &findings[i]));
    sb_printf(b, "}},\n \"notes_not_kept\": %llu, \"problems_not_grouped\": %llu, \"frames_not_settled\": %llu,\n"
                 " \"problems\": [",
              (unsigned long long)groups_evicted(rep), (unsigned long long)groups_turned_away(rep),
              (unsigned long long)(rep->views_given ? macchk_pending_dropped(rep->pending) : 0));
    for (size_t i = 0; i < c->n && !b->stopped; i++) {
        const problem *p = &c->items[i];
        host_list h = {b, 0};
        sb_reset(&text);
        sb_reset(&net);
        sb_net(&net, rep, p->net);
        sb_printf(b, "%s\n  {\"severity\": \"%s\", \"kind\": \"%s\", \"network\": \"%s\", \"hosts\": [", i ? "," : "",
                  p->severity == MACCHK_SEV_WARNING ? "warning" : "note", kinds[p->kind].key, sb_take(&net));
        write_problem(c, p, &text, &h);
        sb_printf(b, "], \"frames\": {\"first\": %u, \"last\": %u, \"count\": %u}, \"text\": ", p->first, p->last,
                  p->count);
        sb_json_string(b, sb_take(&text));
        sb_puts(b, "}");
    }
    sb_printf(b, "%s],\n \"hosts\": [", c->n ? "\n " : "");
    uint32_t *order = sorted_hosts(rep);
    for (size_t i = 0; i < rep->hosts.count && !b->stopped; i++) {
        const host_rec *h = kt_rec(&rep->hosts, order[i]);
        macchk_class cl;
        host_desc d;
        macchk_classify(h->key.mac, &cl);
        describe_host(h, c->vendor, c->vendor_ctx, &d);
        sb_reset(&net);
        sb_net(&net, rep, h->key.net);
        sb_printf(b, "%s\n  {\"mac\": \"%s\", \"network\": \"%s\", \"cast\": \"%s\", \"admin\": \"%s\", \"slap\": "
                     "\"%s\", \"range\": \"%s\", \"vnic\": \"%s\", \"vendor\": ",
                  i ? "," : "", fmt_mac(h->key.mac).s, sb_take(&net), macchk_cast_name(cl.cast),
                  macchk_admin_key(cl.admin), macchk_slap_key(cl.slap), macchk_range_key(cl.range),
                  macchk_vnic_key(cl.vnic));
        if (strcmp(d.vendor, "-") == 0 || cl.vnic)
            sb_puts(b, "null");
        else
            sb_json_string(b, d.vendor);
        sb_puts(b, ", \"ipv4\": [");
        uint32_t not_listed = sb_host_ips(b, rep, h, &IPV4, true);
        sb_printf(b, "], \"ipv4_not_listed\": %u, \"ipv6\": [", not_listed);
        not_listed = sb_host_ips(b, rep, h, &IPV6, true);
        sb_printf(b, "], \"ipv6_not_listed\": %u, \"first_frame\": %u, \"last_frame\": %u, \"frames\": %u}",
                  not_listed, h->first, h->last, h->count);
    }
    free(order);
    free(text.s);
    free(net.s);
    sb_printf(b, "%s],\n \"host_sightings_not_listed\": %llu}\n", rep->hosts.count ? "\n " : "",
              (unsigned long long)rep->host_frames_untracked);
}

/* ---- entry points ------------------------------------------------------ */

static void render(macchk_report *rep, macchk_report_format format, const macchk_policy *policy,
                   macchk_vendor_cb vendor, void *ctx, strbuf *b)
{
    render_ctx c = {.rep = rep, .policy = policy, .vendor = vendor, .vendor_ctx = ctx};
    gather(&c);
    if (format == MACCHK_REPORT_JSON)
        write_json(b, &c);
    else
        write_text(b, &c);
    free(c.items);
    free(c.set);
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
