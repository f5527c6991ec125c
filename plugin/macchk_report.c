/* macchk_report.c - the triage report (see macchk_report.h).
 *
 * Facts are kept in keyed tables of fixed records (open addressing over an
 * index of record numbers; records live in one growable array).  Every
 * table stops taking new keys at limits.cap and counts what it turned away.
 *
 * Problems come from two places:
 *   - frame groups: what the frames said (bad source MACs, malformed ARP,
 *     mismatches, unsolicited replies, ...), one group per kind and hosts;
 *   - views: what the tracker knows once the whole capture has been read
 *     (exchanges never answered, defended probes, and the bindings behind
 *     IP conflicts, moved addresses, duplicate MACs, renumbered hosts).
 * Binding problems are reported only for the IPs and MACs that at least one
 * frame flagged, so the allow-list and the preferences, applied per frame
 * by the dissector, decide what is reported; the views add the details
 * (every MAC of a conflict and its frames).  A frame dissected in the first
 * pass may see a conflict as a move (the other MAC has not spoken again
 * yet), so the final kind comes from the views.
 */
#include "macchk_report.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- growable string -------------------------------------------------- */

typedef struct {
    char *s;
    size_t len, size;
} strbuf;

static void sb_reserve(strbuf *b, size_t more)
{
    if (b->len + more + 1 <= b->size)
        return;
    size_t size = b->size ? b->size : 256;
    while (size < b->len + more + 1)
        size *= 2;
    char *s = realloc(b->s, size);
    if (!s)
        abort();
    b->s = s;
    b->size = size;
}

static void sb_printf(strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(strbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n <= 0)
        return;
    sb_reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

static void sb_puts(strbuf *b, const char *s)
{
    size_t n = strlen(s);
    sb_reserve(b, n);
    memcpy(b->s + b->len, s, n + 1);
    b->len += n;
}

static char *sb_take(strbuf *b)
{
    if (!b->s)
        sb_reserve(b, 0), b->s[0] = '\0';
    return b->s;
}

static void sb_json_string(strbuf *b, const char *s)
{
    sb_puts(b, "\"");
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            sb_printf(b, "\\%c", c);
        else if (c < 0x20)
            sb_printf(b, "\\u%04x", c);
        else
            sb_printf(b, "%c", c);
    }
    sb_puts(b, "\"");
}

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        abort();
    return p;
}

/* ---- address formatting ----------------------------------------------- */

typedef struct {
    char s[18];
} macstr;

typedef struct {
    char s[16];
} ipstr;

static macstr fmt_mac(const uint8_t *m)
{
    macstr r;
    snprintf(r.s, sizeof r.s, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
    return r;
}

static ipstr fmt_ip(uint32_t ip)
{
    ipstr r;
    snprintf(r.s, sizeof r.s, "%u.%u.%u.%u", ip >> 24, ip >> 16 & 0xff, ip >> 8 & 0xff, ip & 0xff);
    return r;
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

/* ---- finding names ---------------------------------------------------- */

static const macchk_finding_info findings[] = {
    {MACCHK_SET_ADDR, MACCHK_F_SRC_GROUP, "Source MAC has the group bit set", "src_group_bit"},
    {MACCHK_SET_ADDR, MACCHK_F_SRC_ZERO, "Source MAC is all zeros", "src_zero"},
    {MACCHK_SET_ADDR, MACCHK_F_DST_ZERO, "Destination MAC is all zeros", "dst_zero"},
    {MACCHK_SET_ADDR, MACCHK_F_SRC_RESERVED, "Source MAC in a reserved or documentation range", "src_reserved"},
    {MACCHK_SET_ADDR, MACCHK_F_SRC_CF, "Source MAC in the CF-xx-xx block", "src_cf"},
    {MACCHK_SET_ADDR, MACCHK_F_QEMU_DEFAULT, "QEMU's default MAC in use", "qemu_default"},
    {MACCHK_SET_ADDR, MACCHK_F_SRC_SLAP_RESERVED, "Source MAC in the SLAP reserved quadrant", "src_slap_reserved"},
    {MACCHK_SET_ARP, MACCHK_A_MALFORMED_SIZES, "Malformed ARP packet: wrong address sizes", "arp_malformed_sizes"},
    {MACCHK_SET_ARP, MACCHK_A_MALFORMED_TRUNCATED, "Malformed ARP packet: truncated", "arp_malformed_truncated"},
    {MACCHK_SET_ARP, MACCHK_A_MALFORMED_OPCODE, "Malformed ARP packet: unknown opcode", "arp_malformed_opcode"},
    {MACCHK_SET_ARP, MACCHK_A_SNAP_CUT, "ARP packet cut by the snap length", "arp_snap_cut"},
    {MACCHK_SET_ARP, MACCHK_A_SHA_GROUP, "ARP sender address is not a valid host address: group-bit MAC",
     "arp_sender_group_bit"},
    {MACCHK_SET_ARP, MACCHK_A_SHA_ZERO, "ARP sender address is not a valid host address: zero MAC",
     "arp_sender_zero"},
    {MACCHK_SET_ARP, MACCHK_A_SPA_BAD, "ARP sender address is not a valid host address: IPv4",
     "arp_sender_bad_ip"},
    {MACCHK_SET_ARP, MACCHK_A_SENDER_MISMATCH, "Link-layer source differs from ARP sender MAC",
     "arp_sender_mismatch"},
    {MACCHK_SET_ARP, MACCHK_A_SENDER_VIRTUAL, "ARP sender is a virtual router MAC", "arp_sender_virtual"},
    {MACCHK_SET_ARP, MACCHK_A_TARGET_MISMATCH, "Reply's link-layer destination differs from its target MAC",
     "arp_target_mismatch"},
    {MACCHK_SET_ARP, MACCHK_A_UNICAST_REQUEST, "Unicast ARP request", "arp_unicast_request"},
    {MACCHK_SET_TRACK, MACCHK_T_UNANSWERED, "ARP request never answered", "arp_unanswered"},
    {MACCHK_SET_TRACK, MACCHK_T_CAPTURE_ENDED, "No reply before the capture ended", "arp_capture_ended"},
    {MACCHK_SET_TRACK, MACCHK_T_UNSOLICITED, "Unsolicited ARP reply", "arp_unsolicited"},
    {MACCHK_SET_TRACK, MACCHK_T_PROBE_DEFENDED, "Probed address is in use", "arp_probe_defended"},
    {MACCHK_SET_TRACK, MACCHK_T_IP_CONFLICT, "IPv4 address claimed by several MACs at once", "ip_conflict"},
    {MACCHK_SET_TRACK, MACCHK_T_IP_MOVED, "IPv4 address moved to a new MAC", "ip_moved"},
    {MACCHK_SET_TRACK, MACCHK_T_DUP_MAC, "MAC claims several IPv4 addresses at once", "duplicate_mac"},
    {MACCHK_SET_TRACK, MACCHK_T_VIRTUAL_MULTI_IP, "Virtual router MAC serves several IPv4 addresses",
     "virtual_router_multi_ip"},
    {MACCHK_SET_TRACK, MACCHK_T_RENUMBERED, "MAC changed its IPv4 address", "mac_renumbered"},
    {MACCHK_SET_TRACK, MACCHK_T_TABLE_FULL, "Tracking tables full", "table_full"},
};
#define N_FINDINGS (sizeof findings / sizeof findings[0])

const macchk_finding_info *macchk_findings(size_t *count)
{
    *count = N_FINDINGS;
    return findings;
}

macchk_severity macchk_finding_severity(macchk_finding_set set, unsigned bit, const macchk_policy *policy)
{
    switch (set) {
    case MACCHK_SET_ADDR:
        return (bit & MACCHK_F_WARNINGS) ? MACCHK_SEV_WARNING : MACCHK_SEV_NOTE;
    case MACCHK_SET_ARP:
        return (bit & MACCHK_A_WARNINGS) ? MACCHK_SEV_WARNING : MACCHK_SEV_NOTE;
    case MACCHK_SET_TRACK:
        if (bit == MACCHK_T_DUP_MAC)
            return policy->dup_mac_is_warning ? MACCHK_SEV_WARNING : MACCHK_SEV_NOTE;
        return (bit & (MACCHK_T_UNANSWERED | MACCHK_T_IP_CONFLICT | MACCHK_T_PROBE_DEFENDED)) ? MACCHK_SEV_WARNING
                                                                                               : MACCHK_SEV_NOTE;
    default:
        return MACCHK_SEV_NOTE;
    }
}

static unsigned result_set(const macchk_result *r, macchk_finding_set set)
{
    return set == MACCHK_SET_ADDR ? r->addr_findings : set == MACCHK_SET_ARP ? r->arp_findings : r->track_findings;
}

/* ---- keyed tables ----------------------------------------------------- */

typedef struct {
    uint8_t kind, sub;
    uint8_t mac[6], mac2[6];
    uint8_t pad[2];
    uint32_t ip, ip2, n;
} rkey;

typedef struct {
    size_t rec_size;   /* records start with an rkey */
    uint32_t cap;      /* most records */
    uint32_t count;
    uint32_t rec_alloc;
    char *recs;
    uint32_t *index;   /* record number + 1, 0: empty */
    uint32_t index_size;
    uint64_t turned_away; /* touches of new keys refused because full */
} ktable;

static uint32_t key_hash(const rkey *k)
{
    const uint8_t *p = (const uint8_t *)k;
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < sizeof *k; i++)
        h = (h ^ p[i]) * 16777619u;
    return h ^ h >> 15;
}

static void kt_init(ktable *t, size_t rec_size, uint32_t cap)
{
    memset(t, 0, sizeof *t);
    t->rec_size = rec_size;
    t->cap = cap ? cap : 1;
}

static void kt_clear(ktable *t)
{
    free(t->recs);
    free(t->index);
    kt_init(t, t->rec_size, t->cap);
}

static void *kt_rec(const ktable *t, uint32_t i)
{
    return t->recs + (size_t)i * t->rec_size;
}

static uint32_t *kt_slot(const ktable *t, const rkey *k)
{
    uint32_t mask = t->index_size - 1, i = key_hash(k) & mask;
    while (t->index[i] && memcmp(kt_rec(t, t->index[i] - 1), k, sizeof *k) != 0)
        i = (i + 1) & mask;
    return &t->index[i];
}

static void *kt_find(const ktable *t, const rkey *k)
{
    if (!t->index_size)
        return NULL;
    uint32_t *s = kt_slot(t, k);
    return *s ? kt_rec(t, *s - 1) : NULL;
}

/* The record for k, created zeroed if there is room; NULL when full. */
static void *kt_touch(ktable *t, const rkey *k, bool *created)
{
    void *r = kt_find(t, k);
    if (created)
        *created = false;
    if (r)
        return r;
    if (t->count >= t->cap) {
        t->turned_away++;
        return NULL;
    }
    if ((t->count + 1) * 4 > t->index_size * 3) {
        uint32_t size = t->index_size ? t->index_size * 2 : 64;
        free(t->index);
        t->index = xcalloc(size, sizeof *t->index);
        t->index_size = size;
        for (uint32_t i = 0; i < t->count; i++)
            *kt_slot(t, kt_rec(t, i)) = i + 1;
    }
    if (t->count == t->rec_alloc) {
        uint32_t n = t->rec_alloc ? t->rec_alloc * 2 : 32;
        char *recs = realloc(t->recs, (size_t)n * t->rec_size);
        if (!recs)
            abort();
        t->recs = recs;
        t->rec_alloc = n;
    }
    r = kt_rec(t, t->count);
    memset(r, 0, t->rec_size);
    memcpy(r, k, sizeof *k);
    *kt_slot(t, k) = ++t->count;
    if (created)
        *created = true;
    return r;
}

static rkey make_key(uint8_t kind, uint8_t sub, const uint8_t *mac, const uint8_t *mac2, uint32_t ip, uint32_t ip2)
{
    rkey k;
    memset(&k, 0, sizeof k);
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

/* ---- pending request frames ------------------------------------------- */

typedef struct {
    rkey key; /* ip: SPA, ip2: TPA, n: first attempt */
    uint32_t frames, frames_valid, frames_clean; /* to settle; of those: no Warning, no finding */
} pending_rec;

struct macchk_pending {
    ktable t;
    uint32_t dropped;
};

macchk_pending *macchk_pending_new(uint32_t cap)
{
    macchk_pending *p = xcalloc(1, sizeof *p);
    kt_init(&p->t, sizeof(pending_rec), cap);
    return p;
}

void macchk_pending_free(macchk_pending *p)
{
    if (!p)
        return;
    kt_clear(&p->t);
    free(p);
}

void macchk_pending_clear(macchk_pending *p)
{
    kt_clear(&p->t);
    p->dropped = 0;
}

bool macchk_pending_add(macchk_pending *p, const macchk_result *r)
{
    const macchk_arp_verdict *v = &r->verdict;

    if (!r->tracked || !v->is_request || !v->attempt)
        return false;
    bool settled = v->response_in || v->unanswered || v->capture_ended || v->probe_defended;
    if (settled)
        return false;
    rkey k = make_key(0, 0, NULL, NULL, r->arp.spa, r->arp.tpa);
    k.n = v->first_attempt;
    pending_rec *rec = kt_touch(&p->t, &k, NULL);
    if (!rec) {
        p->dropped++;
        return false;
    }
    rec->frames++;
    if (!r->invalid)
        rec->frames_valid++;
    if (!r->addr_findings && !r->arp_findings && !r->track_findings)
        rec->frames_clean++;
    return true;
}

static const pending_rec *pending_find(const macchk_pending *p, const macchk_exchange_info *e)
{
    rkey k = make_key(0, 0, NULL, NULL, e->spa, e->tpa);
    k.n = e->first_frame;
    return kt_find(&p->t, &k);
}

macchk_exchange_status macchk_pending_status(const macchk_pending *p, const macchk_exchange_info *e)
{
    if (e->probe)
        return e->reply_frame ? MACCHK_EXCHANGE_PROBE_DEFENDED : MACCHK_EXCHANGE_ANSWERED;
    if (e->reply_frame)
        return MACCHK_EXCHANGE_ANSWERED;
    return e->capture_ended ? MACCHK_EXCHANGE_CAPTURE_ENDED : MACCHK_EXCHANGE_UNANSWERED;
}

void macchk_pending_resolve(const macchk_pending *p, const macchk_exchange_info *e, macchk_pending_fix *fix)
{
    macchk_exchange_status status = macchk_pending_status(p, e);
    const pending_rec *rec;

    if (status == MACCHK_EXCHANGE_ANSWERED || !(rec = pending_find(p, e)))
        return;
    if (status == MACCHK_EXCHANGE_UNANSWERED)
        fix->unanswered += rec->frames;
    else if (status == MACCHK_EXCHANGE_CAPTURE_ENDED)
        fix->capture_ended += rec->frames;
    else
        fix->probe_defended += rec->frames;
    if (status != MACCHK_EXCHANGE_CAPTURE_ENDED) /* a Note */
        fix->newly_invalid += rec->frames_valid;
    fix->newly_flagged += rec->frames_clean;
}

uint32_t macchk_pending_dropped(const macchk_pending *p)
{
    return p->dropped;
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
    K_QEMU_DEFAULT,
    K_SLAP_RESERVED,
    K_IP_MOVED,
    K_RENUMBERED,
    K_VIRTUAL_MULTI,
    K_CAPTURE_ENDED,
    K_UNSOLICITED,
    K_TARGET_MISMATCH,
    K_SENDER_VIRTUAL,
    K_UNICAST_REQUEST,
    K_SNAP_CUT,
    K_TABLE_FULL,
    K_COUNT,
    /* frame-group kinds that are no problem of their own */
    K_GATE_IP = K_COUNT, /* an IP some frame flagged as conflicting or moved; flags: T_* bits */
    K_GATE_MAC           /* a MAC some frame flagged as duplicate, renumbered or virtual; flags: T_* bits */
};

static const struct {
    const char *key;
    macchk_severity severity;
} kinds[K_COUNT] = {
    [K_IP_CONFLICT] = {"ip_conflict", MACCHK_SEV_WARNING},
    [K_BAD_SOURCE] = {"bad_source_mac", MACCHK_SEV_WARNING},
    [K_UNANSWERED] = {"arp_unanswered", MACCHK_SEV_WARNING},
    [K_DUP_MAC] = {"duplicate_mac", MACCHK_SEV_WARNING},
    [K_PROBE_DEFENDED] = {"arp_probe_defended", MACCHK_SEV_WARNING},
    [K_SENDER_MISMATCH] = {"arp_sender_mismatch", MACCHK_SEV_WARNING},
    [K_BAD_SENDER_IP] = {"arp_bad_sender_ip", MACCHK_SEV_WARNING},
    [K_MALFORMED] = {"arp_malformed", MACCHK_SEV_WARNING},
    [K_DST_ZERO] = {"dst_zero", MACCHK_SEV_WARNING},
    [K_QEMU_DEFAULT] = {"qemu_default_mac", MACCHK_SEV_NOTE},
    [K_SLAP_RESERVED] = {"slap_reserved", MACCHK_SEV_NOTE},
    [K_IP_MOVED] = {"ip_moved", MACCHK_SEV_NOTE},
    [K_RENUMBERED] = {"mac_renumbered", MACCHK_SEV_NOTE},
    [K_VIRTUAL_MULTI] = {"virtual_router_multi_ip", MACCHK_SEV_NOTE},
    [K_CAPTURE_ENDED] = {"arp_capture_ended", MACCHK_SEV_NOTE},
    [K_UNSOLICITED] = {"arp_unsolicited", MACCHK_SEV_NOTE},
    [K_TARGET_MISMATCH] = {"arp_target_mismatch", MACCHK_SEV_NOTE},
    [K_SENDER_VIRTUAL] = {"arp_sender_virtual", MACCHK_SEV_NOTE},
    [K_UNICAST_REQUEST] = {"arp_unicast_request", MACCHK_SEV_NOTE},
    [K_SNAP_CUT] = {"arp_snap_cut", MACCHK_SEV_NOTE},
    [K_TABLE_FULL] = {"table_full", MACCHK_SEV_NOTE},
};

/* Sub-kinds, as bits of group.flags. */
enum {
    BAD_GROUP = 1 << 0,
    BAD_ZERO = 1 << 1,
    BAD_RESERVED = 1 << 2,
    BAD_CF = 1 << 3,
    BAD_AS_SOURCE = 1 << 4,    /* seen as the link-layer source */
    BAD_AS_ARP_SENDER = 1 << 5 /* seen as the ARP sender MAC */
};
enum { MAL_SIZES = 1, MAL_TRUNCATED = 2, MAL_OPCODE = 3 }; /* key.sub of K_MALFORMED */
enum { UNSOL_PLAIN = 0, UNSOL_LATE = 1 };                  /* key.sub of K_UNSOLICITED */

typedef struct {
    rkey key;
    uint32_t first, last, count;
    uint32_t flags;
    uint32_t detail, detail2; /* kind-specific: first opcode/sizes, late request frame, ... */
} group_rec;

typedef struct {
    rkey key; /* mac */
    uint32_t first, last, count;
    /* filled from the bindings at render time */
    uint32_t n_ips;
    uint32_t ips[8];
} host_rec;
#define HOST_IPS_KEPT 8

struct macchk_report {
    macchk_report_limits limits;
    ktable hosts, groups, vgroups;
    macchk_pending *pending;
    macchk_pending_fix fix;
    uint64_t frames, invalid_frames;
    uint64_t frames_without_mac; /* no MAC address and no ARP: nothing to check */
    uint64_t finding_frames[MACCHK_SET_COUNT][32];
    uint64_t host_frames_untracked;
    /* views */
    bool views_given, views_missing;
    macchk_binding_info *bindings;
    uint32_t n_bindings, bindings_alloc;
};

static unsigned bit_index(unsigned bit)
{
    unsigned i = 0;
    while (bit > 1) {
        bit >>= 1;
        i++;
    }
    return i;
}

macchk_report *macchk_report_new(const macchk_report_limits *limits)
{
    macchk_report *rep = xcalloc(1, sizeof *rep);
    rep->limits = *limits;
    if (!rep->limits.cap)
        rep->limits.cap = 1;
    kt_init(&rep->hosts, sizeof(host_rec), rep->limits.cap);
    kt_init(&rep->groups, sizeof(group_rec), rep->limits.cap);
    kt_init(&rep->vgroups, sizeof(group_rec), rep->limits.cap);
    rep->pending = macchk_pending_new(rep->limits.cap);
    return rep;
}

void macchk_report_free(macchk_report *rep)
{
    if (!rep)
        return;
    kt_clear(&rep->hosts);
    kt_clear(&rep->groups);
    kt_clear(&rep->vgroups);
    macchk_pending_free(rep->pending);
    free(rep->bindings);
    free(rep);
}

void macchk_report_clear(macchk_report *rep)
{
    macchk_report_limits limits = rep->limits;
    macchk_pending *pending = rep->pending;
    kt_clear(&rep->hosts);
    kt_clear(&rep->groups);
    kt_clear(&rep->vgroups);
    macchk_pending_clear(pending);
    free(rep->bindings);
    ktable hosts = rep->hosts, groups = rep->groups, vgroups = rep->vgroups;
    memset(rep, 0, sizeof *rep);
    rep->limits = limits;
    rep->pending = pending;
    rep->hosts = hosts;
    rep->groups = groups;
    rep->vgroups = vgroups;
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

static group_rec *touch_group(ktable *t, uint8_t kind, uint8_t sub, const uint8_t *mac, const uint8_t *mac2,
                              uint32_t ip, uint32_t ip2, uint32_t frame, uint32_t flags)
{
    rkey k = make_key(kind, sub, mac, mac2, ip, ip2);
    group_rec *g = kt_touch(t, &k, NULL);
    if (!g)
        return NULL;
    touch_range(&g->first, &g->last, &g->count, frame);
    g->flags |= flags;
    return g;
}

static void touch_host(macchk_report *rep, const uint8_t *mac, uint32_t frame)
{
    rkey k = make_key(0, 0, mac, NULL, 0, 0);
    host_rec *h = kt_touch(&rep->hosts, &k, NULL);
    if (!h) {
        rep->host_frames_untracked++;
        return;
    }
    touch_range(&h->first, &h->last, &h->count, frame);
}

static void add_bad_source(macchk_report *rep, const macchk_result *r)
{
    unsigned f = r->addr_findings, a = r->arp_findings;
    uint32_t flags = 0;

    if (r->has_src) {
        flags = (f & MACCHK_F_SRC_GROUP ? BAD_GROUP : 0) | (f & MACCHK_F_SRC_ZERO ? BAD_ZERO : 0) |
                (f & MACCHK_F_SRC_RESERVED ? BAD_RESERVED : 0) | (f & MACCHK_F_SRC_CF ? BAD_CF : 0);
        if (flags)
            touch_group(&rep->groups, K_BAD_SOURCE, 0, r->src, NULL, 0, 0, r->frame, flags | BAD_AS_SOURCE);
    }
    if (a & (MACCHK_A_SHA_GROUP | MACCHK_A_SHA_ZERO)) {
        uint32_t arp_flags = (a & MACCHK_A_SHA_GROUP ? BAD_GROUP : 0) | (a & MACCHK_A_SHA_ZERO ? BAD_ZERO : 0);
        group_rec *g = touch_group(&rep->groups, K_BAD_SOURCE, 0, r->arp.sha, NULL, 0, 0, r->frame,
                                   arp_flags | BAD_AS_ARP_SENDER);
        if (g && !g->detail)
            g->detail = r->arp.spa; /* the IP it claimed */
    }
}

static void add_arp_groups(macchk_report *rep, const macchk_result *r)
{
    static const uint8_t none[6];
    const uint8_t *src = r->has_src ? r->src : none;
    const macchk_arp_packet *p = &r->arp;
    unsigned a = r->arp_findings;
    group_rec *g;

    if (a & MACCHK_A_MALFORMED_SIZES) {
        g = touch_group(&rep->groups, K_MALFORMED, MAL_SIZES, src, NULL, 0, 0, r->frame, 0);
        if (g && g->count == 1)
            g->detail = (uint32_t)p->hlen << 8 | p->plen;
    }
    if (a & MACCHK_A_MALFORMED_TRUNCATED)
        touch_group(&rep->groups, K_MALFORMED, MAL_TRUNCATED, src, NULL, 0, 0, r->frame, 0);
    if (a & MACCHK_A_MALFORMED_OPCODE) {
        g = touch_group(&rep->groups, K_MALFORMED, MAL_OPCODE, src, NULL, 0, 0, r->frame, 0);
        if (g && g->count == 1)
            g->detail = p->opcode;
    }
    if (a & MACCHK_A_SNAP_CUT)
        touch_group(&rep->groups, K_SNAP_CUT, 0, src, NULL, 0, 0, r->frame, 0);
    if (a & MACCHK_A_SPA_BAD)
        touch_group(&rep->groups, K_BAD_SENDER_IP, 0, p->sha, NULL, p->spa, 0, r->frame, 0);
    if (a & MACCHK_A_SENDER_MISMATCH)
        touch_group(&rep->groups, K_SENDER_MISMATCH, 0, src, p->sha, p->spa, 0, r->frame, 0);
    if (a & MACCHK_A_SENDER_VIRTUAL)
        touch_group(&rep->groups, K_SENDER_VIRTUAL, 0, src, p->sha, p->spa, 0, r->frame, 0);
    if (a & MACCHK_A_TARGET_MISMATCH)
        touch_group(&rep->groups, K_TARGET_MISMATCH, 0, r->dst, p->tha, p->spa, 0, r->frame, 0);
    if (a & MACCHK_A_UNICAST_REQUEST) {
        g = touch_group(&rep->groups, K_UNICAST_REQUEST, 0, p->sha, NULL, p->spa, 0, r->frame, 0);
        if (g && g->count == 1)
            g->detail = p->tpa;
    }
}

static void add_track_groups(macchk_report *rep, const macchk_result *r)
{
    const macchk_arp_packet *p = &r->arp;
    const macchk_arp_verdict *v = &r->verdict;
    unsigned t = r->track_findings;
    group_rec *g;

    if (t & MACCHK_T_UNSOLICITED) {
        g = touch_group(&rep->groups, K_UNSOLICITED, v->late_request ? UNSOL_LATE : UNSOL_PLAIN, p->sha, NULL,
                        p->spa, p->tpa, r->frame, 0);
        if (g && g->count == 1)
            g->detail = v->late_request;
    }
    if (t & (MACCHK_T_IP_CONFLICT | MACCHK_T_IP_MOVED))
        touch_group(&rep->groups, K_GATE_IP, 0, NULL, NULL, p->spa, 0, r->frame,
                    t & (MACCHK_T_IP_CONFLICT | MACCHK_T_IP_MOVED));
    if (t & (MACCHK_T_DUP_MAC | MACCHK_T_RENUMBERED | MACCHK_T_VIRTUAL_MULTI_IP))
        touch_group(&rep->groups, K_GATE_MAC, 0, p->sha, NULL, 0, 0, r->frame,
                    t & (MACCHK_T_DUP_MAC | MACCHK_T_RENUMBERED | MACCHK_T_VIRTUAL_MULTI_IP));
    if (t & MACCHK_T_TABLE_FULL)
        touch_group(&rep->groups, K_TABLE_FULL, 0, NULL, NULL, 0, 0, r->frame, 0);
    /* Only used when the views are missing: */
    if (t & MACCHK_T_UNANSWERED)
        touch_group(&rep->groups, K_UNANSWERED, 0, p->sha, NULL, p->spa, p->tpa, r->frame, 0);
    if (t & MACCHK_T_CAPTURE_ENDED)
        touch_group(&rep->groups, K_CAPTURE_ENDED, 0, p->sha, NULL, p->spa, p->tpa, r->frame, 0);
    if (t & MACCHK_T_PROBE_DEFENDED) {
        g = touch_group(&rep->groups, K_PROBE_DEFENDED, 0, p->sha, NULL, 0, p->tpa, r->frame, 0);
        if (g && g->count == 1)
            g->detail = v->response_in;
    }
}

void macchk_report_add_frame(macchk_report *rep, const macchk_result *r)
{
    if (!macchk_result_has_addresses(r)) {
        rep->frames_without_mac++;
        return;
    }
    rep->frames++;
    if (r->invalid)
        rep->invalid_frames++;
    for (size_t i = 0; i < N_FINDINGS; i++)
        if (result_set(r, findings[i].set) & findings[i].bit)
            rep->finding_frames[findings[i].set][bit_index(findings[i].bit)]++;
    macchk_pending_add(rep->pending, r);

    if (r->has_src)
        touch_host(rep, r->src, r->frame);
    bool arp_addrs = r->has_arp && macchk_arp_has_addresses(&r->arp);
    if (arp_addrs && !(r->has_src && memcmp(r->src, r->arp.sha, 6) == 0) && !macchk_is_zero(r->arp.sha))
        touch_host(rep, r->arp.sha, r->frame);

    add_bad_source(rep, r);
    if (r->has_dst && (r->addr_findings & MACCHK_F_DST_ZERO)) {
        static const uint8_t none[6];
        touch_group(&rep->groups, K_DST_ZERO, 0, r->has_src ? r->src : none, NULL, 0, 0, r->frame, 0);
    }
    if (r->has_src && (r->addr_findings & MACCHK_F_QEMU_DEFAULT))
        touch_group(&rep->groups, K_QEMU_DEFAULT, 0, r->src, NULL, 0, 0, r->frame, 0);
    if (r->has_src && (r->addr_findings & MACCHK_F_SRC_SLAP_RESERVED))
        touch_group(&rep->groups, K_SLAP_RESERVED, 0, r->src, NULL, 0, 0, r->frame, 0);
    if (r->has_arp)
        add_arp_groups(rep, r);
    if (r->tracked)
        add_track_groups(rep, r);
}

/* ---- views ------------------------------------------------------------- */

void macchk_report_begin_views(macchk_report *rep)
{
    kt_clear(&rep->vgroups);
    rep->n_bindings = 0;
    memset(&rep->fix, 0, sizeof rep->fix);
    rep->views_given = true;
    rep->views_missing = false;
}

void macchk_report_views_missing(macchk_report *rep)
{
    macchk_report_begin_views(rep);
    rep->views_given = false;
    rep->views_missing = true;
}

void macchk_report_add_binding(macchk_report *rep, const macchk_binding_info *b)
{
    if (rep->n_bindings == rep->bindings_alloc) {
        uint32_t n = rep->bindings_alloc ? rep->bindings_alloc * 2 : 64;
        macchk_binding_info *a = realloc(rep->bindings, (size_t)n * sizeof *a);
        if (!a)
            abort();
        rep->bindings = a;
        rep->bindings_alloc = n;
    }
    rep->bindings[rep->n_bindings++] = *b;
}

void macchk_report_add_exchange(macchk_report *rep, const macchk_exchange_info *e)
{
    macchk_exchange_status status = macchk_pending_status(rep->pending, e);
    group_rec *g;
    rkey k;

    macchk_pending_resolve(rep->pending, e, &rep->fix);
    if (status == MACCHK_EXCHANGE_UNANSWERED || status == MACCHK_EXCHANGE_CAPTURE_ENDED) {
        /* one group per (requester, asked-for) pair, whatever the rounds */
        k = make_key(status == MACCHK_EXCHANGE_UNANSWERED ? K_UNANSWERED : K_CAPTURE_ENDED, 0, e->sha, NULL,
                     e->spa, e->tpa);
        g = kt_touch(&rep->vgroups, &k, NULL);
        if (!g)
            return;
        if (!g->count || e->first_frame < g->first)
            g->first = e->first_frame;
        if (e->last_frame > g->last)
            g->last = e->last_frame;
        g->count += e->attempts;
        g->detail++; /* rounds */
    } else if (status == MACCHK_EXCHANGE_PROBE_DEFENDED) {
        k = make_key(K_PROBE_DEFENDED, 0, e->sha, NULL, 0, e->tpa);
        k.n = e->first_frame;
        g = kt_touch(&rep->vgroups, &k, NULL);
        if (!g)
            return;
        g->first = e->first_frame;
        g->last = e->last_frame;
        g->count = e->attempts;
        g->detail = e->reply_frame;
    }
}

/* ---- rendering --------------------------------------------------------- */

typedef struct {
    int kind;
    macchk_severity severity;
    uint32_t first, last, count;
    char *text;
    char *hosts_json; /* a JSON array */
} problem;

typedef struct {
    problem *items;
    size_t n, alloc;
} problem_list;

typedef struct {
    macchk_report *rep;
    const macchk_policy *policy;
    problem_list problems;
} render_ctx;

static problem *new_problem(render_ctx *c, int kind, uint32_t first, uint32_t last, uint32_t count)
{
    problem_list *l = &c->problems;
    if (l->n == l->alloc) {
        l->alloc = l->alloc ? l->alloc * 2 : 16;
        problem *items = realloc(l->items, l->alloc * sizeof *items);
        if (!items)
            abort();
        l->items = items;
    }
    problem *p = &l->items[l->n++];
    memset(p, 0, sizeof *p);
    p->kind = kind;
    p->severity = kinds[kind].severity;
    if (kind == K_DUP_MAC && !c->policy->dup_mac_is_warning)
        p->severity = MACCHK_SEV_NOTE;
    p->first = first;
    p->last = last;
    p->count = count;
    return p;
}

static const host_rec *find_host(const macchk_report *rep, const uint8_t *mac)
{
    rkey k = make_key(0, 0, mac, NULL, 0, 0);
    return kt_find(&rep->hosts, &k);
}

/* The first IPv4 address a MAC claimed, 0 if none known. */
static uint32_t ip_of(const macchk_report *rep, const uint8_t *mac)
{
    const host_rec *h = find_host(rep, mac);
    return h && h->n_ips ? h->ips[0] : 0;
}

/* "10.0.2.15's " or "" */
static void sb_owner(strbuf *b, const macchk_report *rep, const uint8_t *mac)
{
    uint32_t ip = ip_of(rep, mac);
    if (ip)
        sb_printf(b, "%s's ", fmt_ip(ip).s);
}

/* "10.0.2.15 (52:54:00:12:34:56)" */
static void sb_ip_mac(strbuf *b, uint32_t ip, const uint8_t *mac)
{
    sb_printf(b, "%s (%s)", fmt_ip(ip).s, fmt_mac(mac).s);
}

/* Hosts named by a problem, for JSON. */
typedef struct {
    strbuf b;
    int n;
} host_list;

static void hl_mac(host_list *h, const uint8_t *mac)
{
    sb_printf(&h->b, "%s\"%s\"", h->n++ ? "," : "[", fmt_mac(mac).s);
}

static void hl_ip(host_list *h, uint32_t ip)
{
    sb_printf(&h->b, "%s\"%s\"", h->n++ ? "," : "[", fmt_ip(ip).s);
}

static char *hl_take(host_list *h)
{
    if (!h->n)
        sb_puts(&h->b, "[");
    sb_puts(&h->b, "]");
    return sb_take(&h->b);
}

static const group_rec *bad_source_of(const macchk_report *rep, const uint8_t *mac)
{
    rkey k = make_key(K_BAD_SOURCE, 0, mac, NULL, 0, 0);
    return kt_find(&rep->groups, &k);
}

/* "has the group bit set (did you mean X?)" and the like */
static void sb_bad_mac_problem(strbuf *b, const uint8_t *mac, uint32_t flags)
{
    macchk_class c;
    macchk_classify(mac, &c);
    if (flags & BAD_CF) {
        sb_puts(b, "is in the CF-xx-xx block (RFC 2153), never a station address");
    } else if (flags & BAD_GROUP) {
        uint8_t guess[6];
        macchk_unicast_guess(mac, guess);
        if (c.cast == MACCHK_CAST_BROADCAST)
            sb_puts(b, "is the broadcast address");
        else
            sb_printf(b, "has the group bit set (did you mean %s?)", fmt_mac(guess).s);
    } else if (flags & BAD_ZERO) {
        sb_puts(b, "is all zeros");
    } else if (flags & BAD_RESERVED) {
        sb_printf(b, "is in the %s range", macchk_range_name(c.range));
    }
}

/* "10.0.2.15's source 53:54:00:12:34:56 has the group bit set (did you mean ...?)" */
static void sb_bad_source_phrase(strbuf *b, const macchk_report *rep, const group_rec *g)
{
    sb_owner(b, rep, g->key.mac);
    sb_printf(b, "%s %s ", (g->flags & BAD_AS_SOURCE) ? "source" : "ARP sender MAC", fmt_mac(g->key.mac).s);
    sb_bad_mac_problem(b, g->key.mac, g->flags);
}

static void render_frame_group(render_ctx *c, const group_rec *g)
{
    const macchk_report *rep = c->rep;
    const rkey *k = &g->key;
    strbuf b = {0};
    host_list h = {{0}, 0};
    int kind = k->kind;

    switch (kind) {
    case K_BAD_SOURCE:
        sb_bad_source_phrase(&b, rep, g);
        if ((g->flags & BAD_AS_SOURCE) && (g->flags & BAD_AS_ARP_SENDER))
            sb_puts(&b, ", also as ARP sender MAC");
        sb_count_frames(&b, g->count, g->first, g->last);
        hl_mac(&h, k->mac);
        if (ip_of(rep, k->mac))
            hl_ip(&h, ip_of(rep, k->mac));
        break;
    case K_DST_ZERO:
        sb_owner(&b, rep, k->mac);
        sb_printf(&b, "%s sends to 00:00:00:00:00:00, which reaches nobody (an unresolved neighbour?)",
                  fmt_mac(k->mac).s);
        sb_count_frames(&b, g->count, g->first, g->last);
        hl_mac(&h, k->mac);
        break;
    case K_MALFORMED:
        sb_printf(&b, "malformed ARP from %s: ", fmt_mac(k->mac).s);
        if (k->sub == MAL_SIZES)
            sb_printf(&b, "hardware size %u and protocol size %u (IPv4 over Ethernet needs 6 and 4)",
                      g->detail >> 8, g->detail & 0xff);
        else if (k->sub == MAL_TRUNCATED)
            sb_puts(&b, "the packet ends before the addresses its header announces");
        else
            sb_printf(&b, "opcode %u is none of request, reply, RARP or InARP", g->detail);
        sb_count_frames(&b, g->count, g->first, g->last);
        hl_mac(&h, k->mac);
        break;
    case K_BAD_SENDER_IP:
        sb_printf(&b, "%s sends ARP with sender IP %s, not a host address", fmt_mac(k->mac).s, fmt_ip(k->ip).s);
        sb_count_frames(&b, g->count, g->first, g->last);
        hl_mac(&h, k->mac);
        hl_ip(&h, k->ip);
        break;
    case K_SENDER_MISMATCH:
        sb_printf(&b, "link-layer source %s sends ARP as %s (%s): a proxy, a misbehaving bridge, or ARP spoofing",
                  fmt_mac(k->mac).s, fmt_mac(k->mac2).s, fmt_ip(k->ip).s);
        sb_count_frames(&b, g->count, g->first, g->last);
        hl_mac(&h, k->mac);
        hl_mac(&h, k->mac2);
        hl_ip(&h, k->ip);
        break;
    case K_SENDER_VIRTUAL:
        sb_printf(&b, "%s sends ARP for the virtual router MAC %s (%s), normal for VRRP/HSRP", fmt_mac(k->mac).s,
                  fmt_mac(k->mac2).s, fmt_ip(k->ip).s);
        sb_count_frames(&b, g->count, g->first, g->last);
        hl_mac(&h, k->mac);
        hl_mac(&h, k->mac2);
        hl_ip(&h, k->ip);
        break;
    case K_TARGET_MISMATCH:
        sb_printf(&b, "%s's ARP reply went to %s but names %s as its target", fmt_ip(k->ip).s, fmt_mac(k->mac).s,
                  fmt_mac(k->mac2).s);
        sb_count_frames(&b, g->count, g->first, g->last);
        hl_ip(&h, k->ip);
        hl_mac(&h, k->mac);
        hl_mac(&h, k->mac2);
        break;
    case K_UNICAST_REQUEST:
        sb_ip_mac(&b, k->ip, k->mac);
        sb_printf(&b, " sent %u unicast ARP request%s (cache refreshes, as Linux sends them), first for %s",
                  g->count, g->count == 1 ? "" : "s", fmt_ip(g->detail).s);
        sb_puts(&b, " (");
        sb_frames(&b, g->first, g->last);
        sb_puts(&b, ")");
        hl_ip(&h, k->ip);
        hl_mac(&h, k->mac);
        break;
    case K_UNSOLICITED:
        sb_ip_mac(&b, k->ip, k->mac);
        if (k->sub == UNSOL_LATE)
            sb_printf(&b, " answered %s too late: the request in frame %u is older than the ARP timeout",
                      fmt_ip(k->ip2).s, g->detail);
        else
            sb_printf(&b, " sent %u unsolicited ARP repl%s to %s (cache poisoning looks like this; so does a "
                      "capture that started late)",
                      g->count, g->count == 1 ? "y" : "ies", fmt_ip(k->ip2).s);
        sb_count_frames(&b, g->count, g->first, g->last);
        hl_ip(&h, k->ip);
        hl_mac(&h, k->mac);
        hl_ip(&h, k->ip2);
        break;
    case K_QEMU_DEFAULT:
        sb_owner(&b, rep, k->mac);
        sb_printf(&b, "source %s is QEMU's built-in default MAC: every guest started without a mac= option gets "
                  "it, so two such guests on one bridge collide",
                  fmt_mac(k->mac).s);
        sb_count_frames(&b, g->count, g->first, g->last);
        hl_mac(&h, k->mac);
        break;
    case K_SLAP_RESERVED:
        sb_owner(&b, rep, k->mac);
        sb_printf(&b, "source %s is in the IEEE 802c SLAP reserved quadrant (x6)", fmt_mac(k->mac).s);
        sb_count_frames(&b, g->count, g->first, g->last);
        hl_mac(&h, k->mac);
        break;
    case K_SNAP_CUT:
        sb_printf(&b, "ARP from %s cut by the snap length, not judged", fmt_mac(k->mac).s);
        sb_count_frames(&b, g->count, g->first, g->last);
        hl_mac(&h, k->mac);
        break;
    case K_TABLE_FULL:
        sb_printf(&b, "macchk's tracking tables filled up at frame %u: hosts and exchanges first seen after it "
                  "are not followed (preference macchk.table_cap)",
                  g->first);
        break;
    case K_UNANSWERED: /* from frames: only without views */
        sb_ip_mac(&b, k->ip, k->mac);
        sb_printf(&b, " asked for %s, never answered", fmt_ip(k->ip2).s);
        sb_count_frames(&b, g->count, g->first, g->last);
        hl_ip(&h, k->ip);
        hl_mac(&h, k->mac);
        hl_ip(&h, k->ip2);
        break;
    case K_CAPTURE_ENDED: /* from frames: only without views */
        sb_ip_mac(&b, k->ip, k->mac);
        sb_printf(&b, " asked for %s just before the capture ended: no reply yet", fmt_ip(k->ip2).s);
        sb_count_frames(&b, g->count, g->first, g->last);
        hl_ip(&h, k->ip);
        hl_mac(&h, k->mac);
        hl_ip(&h, k->ip2);
        break;
    case K_PROBE_DEFENDED: /* from frames: only without views */
        sb_printf(&b, "%s probed %s and got an answer in frame %u: %s is already in use", fmt_mac(k->mac).s,
                  fmt_ip(k->ip2).s, g->detail, fmt_ip(k->ip2).s);
        hl_mac(&h, k->mac);
        hl_ip(&h, k->ip2);
        break;
    default:
        free(b.s);
        free(h.b.s);
        return;
    }
    problem *p = new_problem(c, kind, g->first, g->last, g->count);
    p->text = sb_take(&b);
    p->hosts_json = hl_take(&h);
}

/* Bindings of one IP (consecutive in rep->bindings) or one MAC (gathered). */
typedef struct {
    const macchk_binding_info **items;
    size_t n;
} binding_set;

static bool any_overlap(const binding_set *s)
{
    /* items are in order of first frame */
    uint32_t max_last = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (i && s->items[i]->first_frame <= max_last)
            return true;
        if (s->items[i]->last_frame > max_last)
            max_last = s->items[i]->last_frame;
    }
    return false;
}

static void set_range(const binding_set *s, uint32_t *first, uint32_t *last, uint32_t *count)
{
    *first = UINT32_MAX;
    *last = 0;
    *count = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (s->items[i]->first_frame < *first)
            *first = s->items[i]->first_frame;
        if (s->items[i]->last_frame > *last)
            *last = s->items[i]->last_frame;
        *count += s->items[i]->frames;
    }
}

#define NAMED_IN_LINE 4

/* "A (frames 2-5) and B (frames 3-6)"; by_ip: name the IPs, else the MACs */
static void sb_binding_list(strbuf *b, const binding_set *s, bool name_ips, const char *sep_last)
{
    size_t shown = s->n < NAMED_IN_LINE ? s->n : NAMED_IN_LINE;
    for (size_t i = 0; i < shown; i++) {
        const macchk_binding_info *x = s->items[i];
        if (i)
            sb_puts(b, i + 1 == shown && shown == s->n ? sep_last : ", ");
        sb_puts(b, name_ips ? fmt_ip(x->ip).s : fmt_mac(x->mac).s);
        sb_puts(b, " (");
        sb_frames(b, x->first_frame, x->last_frame);
        sb_puts(b, ")");
    }
    if (s->n > shown)
        sb_printf(b, " and %zu more", s->n - shown);
}

static void render_ip_bindings(render_ctx *c, uint32_t ip, const binding_set *s)
{
    const group_rec *gate;
    rkey k = make_key(K_GATE_IP, 0, NULL, NULL, ip, 0);
    gate = kt_find(&c->rep->groups, &k);
    if (!gate || s->n < 2)
        return;
    bool conflict = any_overlap(s);
    if (!conflict && !(gate->flags & MACCHK_T_IP_MOVED))
        return; /* moves switched off, and no conflict */
    strbuf b = {0};
    host_list h = {{0}, 0};
    uint32_t first, last, count;
    set_range(s, &first, &last, &count);
    hl_ip(&h, ip);
    for (size_t i = 0; i < s->n; i++)
        hl_mac(&h, s->items[i]->mac);
    if (conflict) {
        sb_printf(&b, "%s is claimed by ", fmt_ip(ip).s);
        sb_binding_list(&b, s, false, " and ");
        sb_puts(&b, " at the same time: two hosts configured with one address, or ARP spoofing");
    } else {
        sb_printf(&b, "%s moved from ", fmt_ip(ip).s);
        sb_binding_list(&b, s, false, " to ");
        sb_puts(&b, " (a replaced NIC, failover or DHCP reassignment)");
    }
    problem *p = new_problem(c, conflict ? K_IP_CONFLICT : K_IP_MOVED, first, last, count);
    p->text = sb_take(&b);
    p->hosts_json = hl_take(&h);
}

static void render_mac_bindings(render_ctx *c, const uint8_t *mac, const binding_set *s)
{
    rkey k = make_key(K_GATE_MAC, 0, mac, NULL, 0, 0);
    const group_rec *gate = kt_find(&c->rep->groups, &k);
    if (!gate || s->n < 2)
        return;
    bool overlap = any_overlap(s);
    int kind;
    if (overlap)
        kind = (gate->flags & MACCHK_T_VIRTUAL_MULTI_IP) && !(gate->flags & MACCHK_T_DUP_MAC) ? K_VIRTUAL_MULTI
               : (gate->flags & (MACCHK_T_DUP_MAC | MACCHK_T_VIRTUAL_MULTI_IP)) ? K_DUP_MAC
                                                                                : -1;
    else
        kind = (gate->flags & MACCHK_T_RENUMBERED) ? K_RENUMBERED : -1;
    if (overlap && kind == -1) {
        /* only "renumbered" was seen in the first pass; finally a duplicate */
        macchk_class cl;
        macchk_classify(mac, &cl);
        kind = macchk_is_virtual_router(&cl) ? K_VIRTUAL_MULTI : K_DUP_MAC;
    }
    if (kind == -1)
        return;
    strbuf b = {0};
    host_list h = {{0}, 0};
    uint32_t first, last, count;
    set_range(s, &first, &last, &count);
    hl_mac(&h, mac);
    for (size_t i = 0; i < s->n; i++)
        hl_ip(&h, s->items[i]->ip);
    if (kind == K_DUP_MAC) {
        sb_printf(&b, "%s claims ", fmt_mac(mac).s);
        sb_binding_list(&b, s, true, " and ");
        sb_puts(&b, " at the same time: two hosts sharing one MAC (cloned guests, QEMU's default), proxy ARP, "
                    "or spoofing");
    } else if (kind == K_VIRTUAL_MULTI) {
        macchk_class cl;
        macchk_classify(mac, &cl);
        sb_printf(&b, "%s MAC %s serves ", macchk_range_name(cl.range), fmt_mac(mac).s);
        sb_binding_list(&b, s, true, " and ");
        sb_puts(&b, ": normal for a virtual router");
    } else {
        sb_printf(&b, "%s changed its IPv4 address from ", fmt_mac(mac).s);
        sb_binding_list(&b, s, true, " to ");
    }
    problem *p = new_problem(c, kind, first, last, count);
    p->text = sb_take(&b);
    p->hosts_json = hl_take(&h);
}

static bool counts_for_mac(const macchk_binding_info *b)
{
    /* as the tracker: link-local addresses and non-unicast MACs never make a duplicate */
    return (b->ip >> 16) != 0xA9FE && !(b->mac[0] & 1) && !macchk_is_zero(b->mac);
}

static int by_mac_then_first(const void *x, const void *y)
{
    const macchk_binding_info *a = *(const macchk_binding_info *const *)x;
    const macchk_binding_info *b = *(const macchk_binding_info *const *)y;
    int c = memcmp(a->mac, b->mac, 6);
    if (c)
        return c;
    return (a->first_frame > b->first_frame) - (a->first_frame < b->first_frame);
}

static void render_bindings(render_ctx *c)
{
    macchk_report *rep = c->rep;
    size_t n = rep->n_bindings;
    if (!n)
        return;
    const macchk_binding_info **sorted = xcalloc(n, sizeof *sorted);
    /* by IP: the tracker's order already */
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && rep->bindings[j].ip == rep->bindings[i].ip) {
            sorted[j - i] = &rep->bindings[j];
            j++;
        }
        binding_set s = {sorted, j - i};
        render_ip_bindings(c, rep->bindings[i].ip, &s);
        i = j;
    }
    /* by MAC */
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (counts_for_mac(&rep->bindings[i]))
            sorted[m++] = &rep->bindings[i];
    qsort(sorted, m, sizeof *sorted, by_mac_then_first);
    for (size_t i = 0; i < m;) {
        size_t j = i;
        while (j < m && memcmp(sorted[j]->mac, sorted[i]->mac, 6) == 0)
            j++;
        binding_set s = {sorted + i, j - i};
        render_mac_bindings(c, sorted[i]->mac, &s);
        i = j;
    }
    free(sorted);
}

/* A likely cause of an unanswered exchange: a bad MAC on either side. */
static void sb_unanswered_cause(strbuf *b, const macchk_report *rep, const uint8_t *sha, uint32_t tpa)
{
    const group_rec *g = bad_source_of(rep, sha);
    if (g) {
        sb_puts(b, "; ");
        sb_bad_source_phrase(b, rep, g);
        return;
    }
    for (uint32_t i = 0; i < rep->n_bindings; i++) {
        if (rep->bindings[i].ip != tpa)
            continue;
        g = bad_source_of(rep, rep->bindings[i].mac);
        if (g) {
            sb_puts(b, "; ");
            sb_bad_source_phrase(b, rep, g);
            return;
        }
    }
}

static void render_view_group(render_ctx *c, const group_rec *g)
{
    const rkey *k = &g->key;
    strbuf b = {0};
    host_list h = {{0}, 0};

    if (k->kind == K_CAPTURE_ENDED) {
        sb_ip_mac(&b, k->ip, k->mac);
        sb_printf(&b, " asked for %s %u time%s (", fmt_ip(k->ip2).s, g->count, g->count == 1 ? "" : "s");
        sb_frames(&b, g->first, g->last);
        sb_puts(&b, ") less than the ARP timeout before the capture ended: no reply yet, none can be expected");
        hl_ip(&h, k->ip);
        hl_mac(&h, k->mac);
        hl_ip(&h, k->ip2);
    } else if (k->kind == K_UNANSWERED) {
        sb_ip_mac(&b, k->ip, k->mac);
        sb_printf(&b, " asked for %s %u time%s", fmt_ip(k->ip2).s, g->count, g->count == 1 ? "" : "s");
        if (g->detail > 1)
            sb_printf(&b, " in %u rounds", g->detail);
        sb_puts(&b, " (");
        sb_frames(&b, g->first, g->last);
        sb_puts(&b, "), never answered");
        sb_unanswered_cause(&b, c->rep, k->mac, k->ip2);
        hl_ip(&h, k->ip);
        hl_mac(&h, k->mac);
        hl_ip(&h, k->ip2);
    } else {
        sb_printf(&b, "%s probed %s (", fmt_mac(k->mac).s, fmt_ip(k->ip2).s);
        sb_frames(&b, g->first, g->last);
        sb_printf(&b, ") and got an answer in frame %u: %s is already in use, the prober must not take it",
                  g->detail, fmt_ip(k->ip2).s);
        hl_mac(&h, k->mac);
        hl_ip(&h, k->ip2);
    }
    problem *p = new_problem(c, k->kind, g->first, g->last, g->count);
    p->text = sb_take(&b);
    p->hosts_json = hl_take(&h);
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
    return strcmp(a->text, b->text);
}

static int host_by_first(const void *x, const void *y)
{
    const host_rec *a = *(const host_rec *const *)x, *b = *(const host_rec *const *)y;
    if (a->first != b->first)
        return a->first < b->first ? -1 : 1;
    return memcmp(a->key.mac, b->key.mac, 6);
}

static void fill_host_ips(macchk_report *rep)
{
    for (uint32_t i = 0; i < rep->hosts.count; i++)
        ((host_rec *)kt_rec(&rep->hosts, i))->n_ips = 0;
    for (uint32_t i = 0; i < rep->n_bindings; i++) {
        const macchk_binding_info *b = &rep->bindings[i];
        rkey k = make_key(0, 0, b->mac, NULL, 0, 0);
        host_rec *h = kt_find(&rep->hosts, &k);
        if (!h || !b->ip)
            continue;
        if (h->n_ips < HOST_IPS_KEPT)
            h->ips[h->n_ips] = b->ip;
        h->n_ips++;
    }
}

/* Gather every problem, sorted. */
static void gather(render_ctx *c)
{
    macchk_report *rep = c->rep;
    fill_host_ips(rep);
    for (uint32_t i = 0; i < rep->groups.count; i++) {
        const group_rec *g = kt_rec(&rep->groups, i);
        if (g->key.kind >= K_COUNT)
            continue;
        if ((g->key.kind == K_UNANSWERED || g->key.kind == K_CAPTURE_ENDED || g->key.kind == K_PROBE_DEFENDED) &&
            rep->views_given)
            continue; /* the views know better */
        render_frame_group(c, g);
    }
    if (rep->views_given) {
        render_bindings(c);
        for (uint32_t i = 0; i < rep->vgroups.count; i++)
            render_view_group(c, kt_rec(&rep->vgroups, i));
    } else {
        /* no bindings: name the flagged addresses only */
        for (uint32_t i = 0; i < rep->groups.count; i++) {
            const group_rec *g = kt_rec(&rep->groups, i);
            strbuf b = {0};
            host_list h = {{0}, 0};
            int kind;
            if (g->key.kind == K_GATE_IP) {
                kind = (g->flags & MACCHK_T_IP_CONFLICT) ? K_IP_CONFLICT : K_IP_MOVED;
                sb_printf(&b, "%s %s", fmt_ip(g->key.ip).s,
                          kind == K_IP_CONFLICT ? "is claimed by several MACs at once" : "moved to a new MAC");
                hl_ip(&h, g->key.ip);
            } else if (g->key.kind == K_GATE_MAC) {
                kind = (g->flags & MACCHK_T_DUP_MAC) ? K_DUP_MAC
                       : (g->flags & MACCHK_T_VIRTUAL_MULTI_IP) ? K_VIRTUAL_MULTI
                                                                 : K_RENUMBERED;
                sb_printf(&b, "%s %s", fmt_mac(g->key.mac).s,
                          kind == K_DUP_MAC         ? "claims several IPv4 addresses at once"
                          : kind == K_VIRTUAL_MULTI ? "(a virtual router MAC) serves several IPv4 addresses"
                                                    : "changed its IPv4 address");
                hl_mac(&h, g->key.mac);
            } else {
                continue;
            }
            sb_count_frames(&b, g->count, g->first, g->last);
            problem *p = new_problem(c, kind, g->first, g->last, g->count);
            p->text = sb_take(&b);
            p->hosts_json = hl_take(&h);
        }
    }
    if (c->problems.n)
        qsort(c->problems.items, c->problems.n, sizeof(problem), by_severity_kind_frame);
}

static void release(render_ctx *c)
{
    for (size_t i = 0; i < c->problems.n; i++) {
        free(c->problems.items[i].text);
        free(c->problems.items[i].hosts_json);
    }
    free(c->problems.items);
}

static void count_severities(const render_ctx *c, size_t *warnings, size_t *notes)
{
    *warnings = *notes = 0;
    for (size_t i = 0; i < c->problems.n; i++) {
        if (c->problems.items[i].severity == MACCHK_SEV_WARNING)
            (*warnings)++;
        else
            (*notes)++;
    }
}

static uint64_t finding_count(const macchk_report *rep, const macchk_finding_info *f)
{
    uint64_t n = rep->finding_frames[f->set][bit_index(f->bit)];
    if (f->set == MACCHK_SET_TRACK && f->bit == MACCHK_T_UNANSWERED)
        n += rep->fix.unanswered;
    if (f->set == MACCHK_SET_TRACK && f->bit == MACCHK_T_PROBE_DEFENDED)
        n += rep->fix.probe_defended;
    if (f->set == MACCHK_SET_TRACK && f->bit == MACCHK_T_CAPTURE_ENDED)
        n += rep->fix.capture_ended;
    return n;
}

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

static void sb_host_ips(strbuf *b, const host_rec *h)
{
    uint32_t shown = h->n_ips < HOST_IPS_KEPT ? h->n_ips : HOST_IPS_KEPT;
    if (!h->n_ips)
        sb_puts(b, "-");
    for (uint32_t i = 0; i < shown; i++)
        sb_printf(b, "%s%s", i ? ", " : "", fmt_ip(h->ips[i]).s);
    if (h->n_ips > shown)
        sb_printf(b, " and %u more", h->n_ips - shown);
}

static const host_rec **sorted_hosts(const macchk_report *rep)
{
    const host_rec **hosts = xcalloc(rep->hosts.count, sizeof *hosts);
    for (uint32_t i = 0; i < rep->hosts.count; i++)
        hosts[i] = kt_rec(&rep->hosts, i);
    if (rep->hosts.count)
        qsort(hosts, rep->hosts.count, sizeof *hosts, host_by_first);
    return hosts;
}

char *macchk_report_text(macchk_report *rep, const macchk_policy *policy, macchk_vendor_cb vendor, void *ctx)
{
    render_ctx c = {rep, policy, {0}};
    strbuf b = {0};
    size_t warnings, notes;

    gather(&c);
    count_severities(&c, &warnings, &notes);
    sb_puts(&b, "=====================================================================\n");
    sb_puts(&b, "MAC Address Check: triage report\n");
    sb_printf(&b, "%llu frames checked, %llu invalid (with a Warning); %zu warning%s, %zu note%s\n",
              (unsigned long long)rep->frames, (unsigned long long)(rep->invalid_frames + rep->fix.newly_invalid),
              warnings, warnings == 1 ? "" : "s", notes, notes == 1 ? "" : "s");
    if (rep->frames_without_mac)
        sb_printf(&b, "%llu more frame%s without MAC addresses or ARP (not checked)\n",
                  (unsigned long long)rep->frames_without_mac, rep->frames_without_mac == 1 ? "" : "s");
    if (rep->views_missing)
        sb_puts(&b, "(the ARP tracker was gone at the end of the file: exchanges and bindings are judged from "
                    "single frames only)\n");

    if (!c.problems.n)
        sb_puts(&b, rep->frames || !rep->frames_without_mac
                        ? "\nNo problems found.\n"
                        : "\nNothing to check: no frame carries MAC addresses or ARP.\n");
    for (int sev = MACCHK_SEV_WARNING; sev >= MACCHK_SEV_NOTE; sev--) {
        size_t total = sev == MACCHK_SEV_WARNING ? warnings : notes, number = 0;
        if (!total)
            continue;
        sb_printf(&b, "\n%s:\n", sev == MACCHK_SEV_WARNING ? "Warnings" : "Notes");
        for (size_t i = 0; i < c.problems.n;) {
            const problem *p = &c.problems.items[i];
            size_t j = i, shown = 0;
            if ((int)p->severity != sev) {
                i++;
                continue;
            }
            while (j < c.problems.n && c.problems.items[j].kind == p->kind &&
                   (int)c.problems.items[j].severity == sev) {
                if (!rep->limits.lines_per_kind || shown < rep->limits.lines_per_kind) {
                    sb_printf(&b, "%3zu. %s\n", ++number, c.problems.items[j].text);
                    shown++;
                }
                j++;
            }
            if (j - i > shown)
                sb_printf(&b, "     ... and %zu more like this (all of them: -z macchk,report,json)\n",
                          j - i - shown), number += j - i - shown;
            i = j;
        }
    }
    uint64_t groups_lost = rep->groups.turned_away + rep->vgroups.turned_away;
    if (groups_lost)
        sb_printf(&b, "(the problem table is full, %u entries: %llu later sightings were not grouped)\n",
                  rep->limits.cap, (unsigned long long)groups_lost);

    /* hosts */
    const host_rec **hosts = sorted_hosts(rep);
    uint32_t n = rep->hosts.count;
    sb_printf(&b, "\nHosts (%u):\n", n);
    if (n) {
        size_t w_cls = strlen("Class"), w_vendor = strlen("Vendor / virtual NIC"), w_ips = strlen("IPv4");
        host_desc *desc = xcalloc(n, sizeof *desc);
        char **ips = xcalloc(n, sizeof *ips);
        for (uint32_t i = 0; i < n; i++) {
            strbuf ib = {0};
            describe_host(hosts[i], vendor, ctx, &desc[i]);
            sb_host_ips(&ib, hosts[i]);
            ips[i] = sb_take(&ib);
            if (strlen(desc[i].cls) > w_cls)
                w_cls = strlen(desc[i].cls);
            if (strlen(desc[i].vendor) > w_vendor)
                w_vendor = strlen(desc[i].vendor);
            if (strlen(ips[i]) > w_ips)
                w_ips = strlen(ips[i]);
        }
        sb_printf(&b, "  %-17s  %-*s  %-*s  %-*s  %s\n", "MAC", (int)w_cls, "Class", (int)w_vendor,
                  "Vendor / virtual NIC", (int)w_ips, "IPv4", "Frames");
        for (uint32_t i = 0; i < n; i++) {
            sb_printf(&b, "  %-17s  %-*s  %-*s  %-*s  ", fmt_mac(hosts[i]->key.mac).s, (int)w_cls, desc[i].cls,
                      (int)w_vendor, desc[i].vendor, (int)w_ips, ips[i]);
            sb_frames(&b, hosts[i]->first, hosts[i]->last);
            sb_printf(&b, " (%u)\n", hosts[i]->count);
            free(ips[i]);
        }
        free(ips);
        free(desc);
    }
    if (rep->host_frames_untracked)
        sb_printf(&b, "  (more hosts not listed: the hosts table holds %u; %llu sightings of other hosts)\n",
                  rep->limits.cap, (unsigned long long)rep->host_frames_untracked);
    free(hosts);
    sb_puts(&b, "=====================================================================\n");
    release(&c);
    return sb_take(&b);
}

char *macchk_report_json(macchk_report *rep, const macchk_policy *policy, macchk_vendor_cb vendor, void *ctx)
{
    render_ctx c = {rep, policy, {0}};
    strbuf b = {0};
    size_t warnings, notes;

    gather(&c);
    count_severities(&c, &warnings, &notes);
    sb_printf(&b, "{\"macchk_report\": 1, \"complete\": %s,\n \"counts\": {\"frames\": %llu, "
                  "\"frames_without_mac\": %llu, \"invalid_frames\": %llu, \"warnings\": %zu, \"notes\": %zu, "
                  "\"findings\": {",
              rep->views_missing ? "false" : "true", (unsigned long long)rep->frames,
              (unsigned long long)rep->frames_without_mac,
              (unsigned long long)(rep->invalid_frames + rep->fix.newly_invalid), warnings, notes);
    for (size_t i = 0; i < N_FINDINGS; i++)
        sb_printf(&b, "%s\"%s\": %llu", i ? ", " : "", findings[i].key,
                  (unsigned long long)finding_count(rep, &findings[i]));
    sb_puts(&b, "}},\n \"problems\": [");
    for (size_t i = 0; i < c.problems.n; i++) {
        const problem *p = &c.problems.items[i];
        sb_printf(&b, "%s\n  {\"severity\": \"%s\", \"kind\": \"%s\", \"hosts\": %s, \"frames\": {\"first\": %u, "
                      "\"last\": %u, \"count\": %u}, \"text\": ",
                  i ? "," : "", p->severity == MACCHK_SEV_WARNING ? "warning" : "note", kinds[p->kind].key,
                  p->hosts_json, p->first, p->last, p->count);
        sb_json_string(&b, p->text);
        sb_puts(&b, "}");
    }
    sb_printf(&b, "%s],\n \"problems_not_grouped\": %llu,\n \"hosts\": [", c.problems.n ? "\n " : "",
              (unsigned long long)(rep->groups.turned_away + rep->vgroups.turned_away));
    const host_rec **hosts = sorted_hosts(rep);
    for (uint32_t i = 0; i < rep->hosts.count; i++) {
        const host_rec *h = hosts[i];
        macchk_class cl;
        host_desc d;
        macchk_classify(h->key.mac, &cl);
        describe_host(h, vendor, ctx, &d);
        sb_printf(&b, "%s\n  {\"mac\": \"%s\", \"cast\": \"%s\", \"admin\": \"%s\", \"slap\": \"%s\", \"range\": "
                      "\"%s\", \"vnic\": \"%s\", \"vendor\": ",
                  i ? "," : "", fmt_mac(h->key.mac).s, macchk_cast_name(cl.cast), macchk_admin_key(cl.admin),
                  macchk_slap_key(cl.slap), macchk_range_key(cl.range), macchk_vnic_key(cl.vnic));
        if (strcmp(d.vendor, "-") == 0 || cl.vnic)
            sb_puts(&b, "null");
        else
            sb_json_string(&b, d.vendor);
        sb_puts(&b, ", \"ipv4\": [");
        uint32_t shown = h->n_ips < HOST_IPS_KEPT ? h->n_ips : HOST_IPS_KEPT;
        for (uint32_t j = 0; j < shown; j++)
            sb_printf(&b, "%s\"%s\"", j ? ", " : "", fmt_ip(h->ips[j]).s);
        sb_printf(&b, "], \"ipv4_not_listed\": %u, \"first_frame\": %u, \"last_frame\": %u, \"frames\": %u}",
                  h->n_ips - shown, h->first, h->last, h->count);
    }
    free(hosts);
    sb_printf(&b, "%s],\n \"host_sightings_not_listed\": %llu}\n", rep->hosts.count ? "\n " : "",
              (unsigned long long)rep->host_frames_untracked);
    release(&c);
    return sb_take(&b);
}
