/* macchk_report_gather.c - the report's facts gathered into one sorted list of problems (see macchk_report_int.h). */
#include <stdlib.h>
#include <string.h>

#include "macchk_report_int.h"

/* ---- problems ---------------------------------------------------------- */

const ktable *report_src_table(const macchk_report *rep, int src)
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
    p->severity = report_kinds[kind].severity;
    if (kind == K_DUP_MAC && !c->policy->dup_mac_is_warning)
        p->severity = MACCHK_SEV_NOTE;
    return p;
}

static void group_problem(render_ctx *c, int src, size_t i, int kind)
{
    const group_rec *g = kt_rec(report_src_table(c->rep, src), i);
    problem *p = new_problem(c, kind, src, g->key.net, (uint32_t)i);
    p->first = g->first;
    p->last = g->last;
    p->count = g->count;
    p->tie = key_tie(&g->key, sizeof g->key);
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

const ip_family REPORT_IPV4 = {K_GATE_IP, K_IP_CONFLICT, K_IP_MOVED, SRC_IP_SET, MACCHK_T_IP_MOVED};
const ip_family REPORT_IPV6 = {K_GATE_IP6, K_IP6_CONFLICT, K_IP6_MOVED, SRC_IP6_SET, MACCHK_N_IP_MOVED};

const binding_view *report_family_view(const macchk_report *rep, const ip_family *f)
{
    return f == &REPORT_IPV6 ? &rep->v6 : &rep->v4;
}

/* The tie of an address set: its network and address, whatever the id. */
static uint64_t address_tie(const macchk_report *rep, const ip_family *f, uint32_t net, uint32_t ip)
{
    if (f == &REPORT_IPV6)
        return key_tie(report_ip6_of(rep, ip), MACCHK_IPV6_LEN) ^ net;
    return (uint64_t)net << 32 | ip;
}

static void gather_ip_sets(render_ctx *c, const ip_family *f)
{
    const macchk_report *rep = c->rep;
    const binding_view *v = report_family_view(rep, f);
    for (size_t i = 0, j; i < v->n; i = j) {
        const macchk_binding_info *b = &v->items[i];
        for (j = i; j < v->n && v->items[j].net == b->net && v->items[j].ip == b->ip; j++)
            c->set[j - i] = &v->items[j];
        if (j - i < 2)
            continue;
        rkey k = report_make_key(b->net, f->gate, 0, NULL, NULL, b->ip, 0);
        const group_rec *gate = report_find_group(&rep->groups, &k);
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
size_t report_mac_set(const render_ctx *c, size_t start, size_t n)
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
        rkey k = report_make_key(b->net, K_GATE_MAC, 0, b->mac, NULL, 0, 0);
        const group_rec *gate = report_find_group(&rep->groups, &k);
        size_t m;
        if (!gate || (m = report_mac_set(c, i, j - i)) < 2)
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
void report_gather(render_ctx *c)
{
    macchk_report *rep = c->rep;
    const ktable *g = &rep->groups, *v = &rep->vgroups;
    for (size_t i = 0; i < g->count; i++) {
        const group_rec *r = kt_rec(g, i);
        if (r->key.kind >= K_COUNT)
            continue;
        /* a reply not accepted seen by frames and settled too: once, from the views */
        if (r->key.kind == K_NOT_ACCEPTED && rep->views_given && report_find_group(v, &r->key))
            continue;
        group_problem(c, SRC_GROUP, i, r->key.kind);
    }
    c->set = macchk_xcalloc(rep->v4.n > rep->v6.n ? rep->v4.n : rep->v6.n, sizeof *c->set);
    if (rep->views_given) {
        gather_ip_sets(c, &REPORT_IPV4);
        gather_mac_sets(c);
    }
    if (rep->nd_views_given)
        gather_ip_sets(c, &REPORT_IPV6);
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

void report_gather_free(render_ctx *c)
{
    free(c->items);
    free(c->set);
}
