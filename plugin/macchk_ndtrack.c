/* macchk_ndtrack.c - follow NS/NA exchanges, DAD and address/MAC bindings
 * (contract in macchk_ndtrack.h).
 *
 * Records never move (macchk_store pools): the dissector keeps pointers to
 * frame records, and those point at bindings and exchanges.  IPv6
 * addresses are interned per network into 32-bit ids so that the other
 * keys fit 128 bits:
 *
 *   networks   network digest        -> network (its id)
 *   addresses  digest(net, address)  -> address (its id, newest binding,
 *                                       newest DAD exchange for it)
 *   bindings   (address id, mac)     -> binding (older ones of the address chained)
 *   exchanges  (source id, target id, DAD prober's mac) -> latest exchange
 *
 * A DAD probe's source :: is not interned: it keys its exchanges as id 0,
 * which no address has.
 */
#include "macchk_ndtrack.h"

#include <stdlib.h>
#include <string.h>

/* ---- records ---------------------------------------------------------- */

typedef struct binding binding;
typedef struct exchange exchange;

typedef struct {
    uint32_t id;  /* registry id: first */
    macchk_net net;
} network;

typedef struct {
    uint32_t id;  /* registry id: first */
    uint32_t net;
    uint8_t addr[MACCHK_IPV6_LEN];
    binding *newest_binding;
    exchange *newest_dad;  /* DAD exchanges for this target, older ones chained */
} address;

struct binding {
    const address *addr;
    uint8_t mac[6];
    uint32_t first_frame, last_frame, frames;
    binding *older;  /* of the same address */
};

/* NSs of one source for one target, each within the timeout of the one before. */
struct exchange {
    const address *src;     /* NULL for DAD probes (::) */
    const address *target;
    int64_t last_time;
    uint32_t first_frame, last_frame, attempts;
    uint32_t reply_frame;          /* first NA answering or defending an attempt */
    macchk_nd_frame *last_request; /* newest attempt; older ones via prev */
    exchange *older_dad;           /* the target's previous DAD exchange */
    uint8_t mac[6];                /* link-layer source of the first attempt */
    bool dad;
};

enum {
    F_KIND = 7,                  /* macchk_nd_kind of a tracked message: all a shared record holds */
    F_FIRST_OF_BINDING = 1 << 3,
    F_TABLE_FULL_HERE = 1 << 4,
    F_DEFENDS = 1 << 5           /* NA: other_frame is the earliest DAD probe it defends */
};

struct macchk_nd_frame {
    int64_t time;
    binding *binding;
    exchange *exchange;       /* NS: its exchange; NA: the exchange whose attempts it answers */
    macchk_nd_frame *prev;    /* NS: the previous attempt */
    macchk_nd_frame *link;    /* NS: first NA answering or defending it; NA: newest NS it answers */
    uint32_t frame;
    uint32_t count;           /* NS: attempt number; NA: NSs it answers */
    uint32_t other_frame;     /* NS: the next NS of its pair (a retry); NA: see F_DEFENDS */
    uint8_t flags;
};

struct macchk_ndtracker {
    macchk_allocator alloc;
    int64_t timeout;
    uint32_t table_cap;
    bool full;
    bool clock_started;
    int64_t capture_end;
    registry networks, addresses;
    table bindings, exchanges;
    pool frames, binding_pool, exchange_pool;
    macchk_nd_frame shared[F_KIND + 1];
};

_Static_assert(F_KIND + 1 == MACCHK_ND_SHARED_RECORDS, "one shared record per kind");
_Static_assert((int)MACCHK_ND_NA_UNSOLICITED <= (int)F_KIND, "tracked kinds fit the flags");

static key128 mac_bits(const uint8_t mac[6])
{
    key128 k = {0, 0};
    for (int i = 0; i < 6; i++)
        k.lo = k.lo << 8 | mac[i];
    return k;
}

static key128 binding_key(uint32_t addr_id, const uint8_t mac[6])
{
    key128 k = mac_bits(mac);
    k.hi = addr_id;
    return k;
}

/* DAD probes of different nodes for one target are separate exchanges. */
static key128 exchange_key(uint32_t src_id, uint32_t target_id, const uint8_t *dad_mac)
{
    key128 k = dad_mac ? mac_bits(dad_mac) : (key128){0, 0};
    k.hi = (uint64_t)src_id << 32 | target_id;
    return k;
}

static key128 network_key(const macchk_net *n)
{
    key128 k;
    macchk_net_key(n, &k.hi, &k.lo);
    return k;
}

static key128 address_key(uint32_t net, const uint8_t addr[MACCHK_IPV6_LEN])
{
    return macchk_digest(net, addr, MACCHK_IPV6_LEN);
}

/* ---- tracker lifetime -------------------------------------------------- */

macchk_ndtracker *macchk_ndtrack_new(const macchk_allocator *alloc, const macchk_ndtrack_config *config)
{
    macchk_ndtracker *t = alloc->alloc(alloc->ctx, sizeof *t);
    t->alloc = *alloc;
    t->timeout = config->nd_timeout_ns;
    t->table_cap = config->table_cap;
    macchk_registry_init(alloc, &t->networks, sizeof(network), 16);
    macchk_registry_init(alloc, &t->addresses, sizeof(address), 128);
    macchk_table_init(alloc, &t->bindings);
    macchk_table_init(alloc, &t->exchanges);
    t->frames = (pool){.item_size = sizeof(macchk_nd_frame), .per_block = 1024};
    t->binding_pool = (pool){.item_size = sizeof(binding), .per_block = 128};
    t->exchange_pool = (pool){.item_size = sizeof(exchange), .per_block = 128};
    for (unsigned i = 0; i <= F_KIND; i++)
        t->shared[i].flags = (uint8_t)i;
    return t;
}

void macchk_ndtrack_free(macchk_ndtracker *t)
{
    if (!t)
        return;
    const macchk_allocator *a = &t->alloc;
    macchk_registry_release(a, &t->networks);
    macchk_registry_release(a, &t->addresses);
    macchk_table_release(a, &t->bindings);
    macchk_table_release(a, &t->exchanges);
    macchk_pool_release(a, &t->frames);
    macchk_pool_release(a, &t->binding_pool);
    macchk_pool_release(a, &t->exchange_pool);
    macchk_allocator copy = *a;  /* a lives inside t */
    macchk_give_back(&copy, t);
}

bool macchk_ndtrack_full(const macchk_ndtracker *t)
{
    return t->full;
}

/* ---- networks and addresses -------------------------------------------- */

uint32_t macchk_ndtrack_find_network(const macchk_ndtracker *t, const macchk_net *net)
{
    const network *n = macchk_registry_find(&t->networks, network_key(net));
    return n ? n->id : 0;
}

const macchk_net *macchk_ndtrack_network(const macchk_ndtracker *t, uint32_t id)
{
    const network *n = macchk_registry_record(&t->networks, id);
    return n ? &n->net : NULL;
}

uint32_t macchk_ndtrack_network_count(const macchk_ndtracker *t)
{
    return macchk_registry_count(&t->networks);
}

/* The id of net, 0 when it is new and the table is full. */
static uint32_t intern_network(macchk_ndtracker *t, const macchk_net *net)
{
    bool added;
    network *n = macchk_registry_intern(&t->alloc, &t->networks, network_key(net), t->table_cap, &added);
    if (!n) {
        t->full = true;
        return 0;
    }
    if (added)
        n->net = *net;
    return n->id;
}

static address *find_address(const macchk_ndtracker *t, uint32_t net, const uint8_t addr[MACCHK_IPV6_LEN])
{
    return macchk_registry_find(&t->addresses, address_key(net, addr));
}

/* The address record, NULL when it is new and the table is full. */
static address *intern_address(macchk_ndtracker *t, uint32_t net, const uint8_t addr[MACCHK_IPV6_LEN])
{
    bool added;
    address *a = macchk_registry_intern(&t->alloc, &t->addresses, address_key(net, addr), t->table_cap, &added);
    if (!a) {
        t->full = true;
        return NULL;
    }
    if (added) {
        a->net = net;
        memcpy(a->addr, addr, MACCHK_IPV6_LEN);
    }
    return a;
}

/* ---- first pass -------------------------------------------------------- */

/* Extend the (address, MAC) binding to this frame, creating it if there is room. */
static void note_binding(macchk_ndtracker *t, address *a, const uint8_t mac[6], macchk_nd_frame *rec)
{
    key128 k = binding_key(a->id, mac);
    binding *b = macchk_table_get(&t->bindings, k);
    if (!b) {
        if (t->binding_pool.count >= t->table_cap) {
            t->full = true;
            return;
        }
        b = macchk_pool_take(&t->alloc, &t->binding_pool);
        b->addr = a;
        memcpy(b->mac, mac, 6);
        b->first_frame = rec->frame;
        b->older = a->newest_binding;
        a->newest_binding = b;
        macchk_table_add(&t->alloc, &t->bindings, k, b);
        rec->flags |= F_FIRST_OF_BINDING;
    }
    b->last_frame = rec->frame;
    b->frames++;
    rec->binding = b;
}

/* Add the NS to its exchange while the source keeps retrying within the
 * timeout, or open a new one.  The previous attempt learns of the retry. */
static void note_request(macchk_ndtracker *t, uint32_t net, const macchk_nd_msg *m, macchk_nd_frame *rec)
{
    bool dad = m->kind == MACCHK_ND_DAD;
    static const uint8_t no_mac[6];
    const uint8_t *mac = m->link.has_src ? m->link.src : no_mac;
    address *src = dad ? NULL : intern_address(t, net, m->src);
    address *target = intern_address(t, net, m->target);
    if ((!dad && !src) || !target)
        return;
    key128 k = exchange_key(src ? src->id : 0, target->id, dad ? mac : NULL);
    exchange *x = macchk_table_get(&t->exchanges, k);
    if (x && !x->last_request->other_frame)
        x->last_request->other_frame = rec->frame;
    if (x && rec->time - x->last_time <= t->timeout) {
        rec->prev = x->last_request;
        rec->count = ++x->attempts;
    } else {
        if (t->exchange_pool.count >= t->table_cap) {
            t->full = true;
            return;
        }
        x = macchk_pool_take(&t->alloc, &t->exchange_pool);
        x->src = src;
        x->target = target;
        x->dad = dad;
        memcpy(x->mac, mac, 6);
        x->first_frame = rec->frame;
        x->attempts = rec->count = 1;
        if (dad) {
            x->older_dad = target->newest_dad;
            target->newest_dad = x;
        }
        macchk_table_put(&t->alloc, &t->exchanges, k, x);
    }
    x->last_frame = rec->frame;
    x->last_time = rec->time;
    rec->exchange = x;
}

/* Give the NA its own record now: the NSs it answers point at it. */
static macchk_nd_frame *own_record(macchk_ndtracker *t, macchk_nd_frame **stored)
{
    if (!*stored)
        *stored = macchk_pool_take(&t->alloc, &t->frames);
    return *stored;
}

/* Link a solicited NA to every attempt it answers (each keeps its first
 * NA).  With timestamps in order, all of them are in the latest exchange
 * of (destination, target), newest last. */
static void note_answer(macchk_ndtracker *t, uint32_t net, const macchk_nd_msg *m, macchk_nd_frame *rec,
                        macchk_nd_frame **stored)
{
    if (!m->solicited)
        return;
    const address *requester = find_address(t, net, m->dst), *target = find_address(t, net, m->target);
    exchange *x = requester && target ? macchk_table_get(&t->exchanges, exchange_key(requester->id, target->id, NULL))
                                      : NULL;
    uint32_t scanned = 0;
    for (macchk_nd_frame *q = x ? x->last_request : NULL; q && scanned < MACCHK_ND_SCAN_LIMIT;
         q = q->prev, scanned++) {
        if (q->time < rec->time - t->timeout)
            break;  /* this one and all older ones are too old */
        if (q->time > rec->time)
            continue;  /* timestamped after the NA: not answered by it */
        if (!q->link)
            q->link = own_record(t, stored);
        if (!rec->count++)
            rec->link = q;
    }
    if (rec->count) {
        if (!x->reply_frame)
            x->reply_frame = rec->frame;
        rec->exchange = x;
    }
}

/* An NA for a target that another node's DAD probe asked for within the
 * timeout defends it: link each such probe to its first defender. */
static void note_defence(macchk_ndtracker *t, const address *target, const macchk_nd_msg *m, macchk_nd_frame *rec,
                         macchk_nd_frame **stored)
{
    uint8_t mac[6];
    if (!target || !macchk_nd_claimed_mac(m, mac))
        return;
    uint32_t scanned = 0;
    for (exchange *x = target->newest_dad; x && scanned < MACCHK_ND_SCAN_LIMIT; x = x->older_dad, scanned++) {
        if (memcmp(x->mac, mac, 6) == 0)
            continue;  /* the prober announcing the address it just tested */
        for (macchk_nd_frame *q = x->last_request; q && scanned < MACCHK_ND_SCAN_LIMIT; q = q->prev, scanned++) {
            if (q->time < rec->time - t->timeout)
                break;
            if (q->time > rec->time)
                continue;
            if (!q->link) {
                q->link = own_record(t, stored);
                if (!x->reply_frame)
                    x->reply_frame = rec->frame;
            }
            if (!(rec->flags & F_DEFENDS) || q->frame < rec->other_frame)
                rec->other_frame = q->frame;
            rec->flags |= F_DEFENDS;
            if (!rec->exchange)  /* answering no NS: the network is the probe's */
                rec->exchange = x;
        }
    }
}

void macchk_ndtrack_clock(macchk_ndtracker *t, int64_t time_ns)
{
    if (!t->clock_started || time_ns > t->capture_end)
        t->capture_end = time_ns;
    t->clock_started = true;
}

static bool is_solicitation(macchk_nd_kind kind)
{
    return kind == MACCHK_ND_NS || kind == MACCHK_ND_NUD || kind == MACCHK_ND_DAD;
}

static void note_message(macchk_ndtracker *t, uint32_t net, const macchk_nd_msg *m, macchk_nd_frame *rec,
                         macchk_nd_frame **stored)
{
    if (is_solicitation(m->kind)) {
        if (m->kind != MACCHK_ND_DAD && m->has_option_mac) {
            address *src = intern_address(t, net, m->src);
            if (src)
                note_binding(t, src, m->option_mac, rec);
        }
        note_request(t, net, m, rec);
        return;
    }
    /* an NA: only one with O claims its target (RFC 4861 7.2.5: anycast and proxies send O = 0) */
    uint8_t mac[6];
    bool claims = m->override && macchk_nd_claimed_mac(m, mac);
    address *target = claims ? intern_address(t, net, m->target) : find_address(t, net, m->target);
    if (target && claims)
        note_binding(t, target, mac, rec);
    note_answer(t, net, m, rec, stored);
    note_defence(t, target, m, rec, stored);
}

macchk_nd_frame *macchk_ndtrack_msg(macchk_ndtracker *t, const macchk_nd_obs *obs)
{
    const macchk_nd_msg *m = obs->msg;
    if (!macchk_nd_trackable(m))
        return NULL;
    bool was_full = t->full;
    macchk_nd_frame rec = {.time = obs->time_ns, .frame = obs->frame, .flags = (uint8_t)m->kind};
    macchk_nd_frame *stored = NULL;
    macchk_ndtrack_clock(t, obs->time_ns);
    uint32_t net = intern_network(t, &obs->net);
    if (net)
        note_message(t, net, m, &rec, &stored);
    if (!was_full && t->full)
        rec.flags |= F_TABLE_FULL_HERE;

    bool tracked = rec.binding || rec.exchange || (rec.flags & ~F_KIND);
    if (!tracked && !stored)
        return &t->shared[rec.flags];
    *own_record(t, &stored) = rec;
    if (rec.exchange && is_solicitation(m->kind))
        rec.exchange->last_request = stored;
    return stored;
}

uint8_t macchk_ndtrack_shared_index(const macchk_ndtracker *t, const macchk_nd_frame *f)
{
    bool shared = f >= t->shared && f < t->shared + F_KIND + 1;
    return shared ? (uint8_t)(f - t->shared + 1) : 0;
}

const macchk_nd_frame *macchk_ndtrack_shared_record(const macchk_ndtracker *t, uint8_t index)
{
    return index >= 1 && index <= F_KIND + 1 ? &t->shared[index - 1] : NULL;
}

/* ---- verdicts ---------------------------------------------------------- */

static bool spans_overlap(const binding *x, const binding *y)
{
    return x->first_frame <= y->last_frame && y->first_frame <= x->last_frame;
}

static void name_other(macchk_nd_other *names, uint32_t n, const binding *o)
{
    if (n >= MACCHK_ND_MAX_OTHERS)
        return;
    memcpy(names[n].mac, o->mac, 6);
    names[n].first_frame = o->first_frame;
}

/* Judge b against the address's other bindings: CONFLICT if a span
 * overlaps, MOVED on b's first frame when only older, ended ones exist. */
static void judge_binding(const binding *b, bool first_of_binding, macchk_nd_verdict *out)
{
    uint32_t n_overlapping = 0, n_previous = 0, scanned = 0;
    macchk_nd_other previous[MACCHK_ND_MAX_OTHERS];
    for (const binding *o = b->addr->newest_binding; o && scanned < MACCHK_ND_SCAN_LIMIT; o = o->older) {
        if (o == b)
            continue;
        scanned++;
        if (spans_overlap(b, o))
            name_other(out->other_macs, n_overlapping++, o);
        else if (o->last_frame < b->first_frame)
            name_other(previous, n_previous++, o);
    }
    if (n_overlapping) {
        out->state = MACCHK_ND_BINDING_CONFLICT;
        out->n_other_macs = n_overlapping;
    } else if (first_of_binding && n_previous) {
        out->state = MACCHK_ND_BINDING_MOVED;
        out->n_other_macs = n_previous;
        uint32_t named = n_previous < MACCHK_ND_MAX_OTHERS ? n_previous : MACCHK_ND_MAX_OTHERS;
        memcpy(out->other_macs, previous, named * sizeof *previous);
    }
}

typedef enum { NS_OPEN, NS_ANSWERED, NS_UNANSWERED, NS_CAPTURE_ENDED } ns_fate;

/* What became of NS q of exchange x; OPEN while not final. */
static ns_fate ns_outcome(const macchk_ndtracker *t, const exchange *x, const macchk_nd_frame *q, bool final)
{
    if (q->link)
        return NS_ANSWERED;
    if (!final || x->dad)
        return NS_OPEN;  /* an undefended probe found the address free */
    /* a retry proves the source saw no answer in time; otherwise only a
     * whole timeout of capture after it does */
    if (q->other_frame || t->capture_end - q->time >= t->timeout)
        return NS_UNANSWERED;
    return NS_CAPTURE_ENDED;
}

static void request_verdict(const macchk_ndtracker *t, const macchk_nd_frame *f, bool final, macchk_nd_verdict *out)
{
    const exchange *x = f->exchange;
    out->net = x->target->net;
    out->attempt = f->count;
    out->attempts = x->attempts;
    out->first_attempt = x->first_frame;
    out->retry_frame = f->other_frame;
    out->capture_left_ns = t->capture_end - f->time;
    if (f->link) {
        out->response_in = f->link->frame;
        out->response_time_ns = f->link->time - f->time;
    }
    out->dad_defended = x->dad && f->link;
    if (out->dad_defended && f->link->binding) {
        out->has_defender_mac = true;
        memcpy(out->defender_mac, f->link->binding->mac, 6);
    }
    ns_fate fate = ns_outcome(t, x, f, final);
    out->unanswered = fate == NS_UNANSWERED;
    out->capture_ended = fate == NS_CAPTURE_ENDED;
}

/* The NSs an NA answers: from the newest (link) back through the attempts
 * in its time window; the earliest names it. */
static void answer_verdict(const macchk_ndtracker *t, const macchk_nd_frame *f, macchk_nd_verdict *out)
{
    uint32_t found = 0, scanned = 0;
    for (const macchk_nd_frame *q = f->link; q && found < f->count && scanned < MACCHK_ND_SCAN_LIMIT;
         q = q->prev, scanned++) {
        if (q->time > f->time || q->time < f->time - t->timeout)
            continue;
        found++;
        out->request_in = q->frame;
        out->request_time_ns = f->time - q->time;
    }
    out->n_answered = f->count;
    out->net = f->exchange->target->net;
}

void macchk_ndtrack_verdict(const macchk_ndtracker *t, const macchk_nd_frame *f, bool final,
                            macchk_nd_verdict *out)
{
    memset(out, 0, sizeof *out);
    if (!f)
        return;
    out->kind = (macchk_nd_kind)(f->flags & F_KIND);
    out->table_full_here = f->flags & F_TABLE_FULL_HERE;
    if (f->flags & F_DEFENDS)
        out->defends = f->other_frame;
    if (f->exchange && is_solicitation(out->kind))
        request_verdict(t, f, final, out);
    else if (f->exchange)
        answer_verdict(t, f, out);
    if (f->binding) {
        out->net = f->binding->addr->net;
        judge_binding(f->binding, f->flags & F_FIRST_OF_BINDING, out);
    }
}

/* ---- whole-capture views ---------------------------------------------- */

static int by_net_address_first_frame(const void *x, const void *y)
{
    const binding *a = *(const binding *const *)x, *b = *(const binding *const *)y;
    if (a->addr->net != b->addr->net)
        return a->addr->net < b->addr->net ? -1 : 1;
    int by_address = memcmp(a->addr->addr, b->addr->addr, MACCHK_IPV6_LEN);
    if (by_address)
        return by_address;
    return (a->first_frame > b->first_frame) - (a->first_frame < b->first_frame);
}

void macchk_ndtrack_each_binding(const macchk_ndtracker *t, macchk_nd_binding_cb cb, void *ctx)
{
    size_t n = t->binding_pool.count, i = 0;
    if (!n)
        return;
    const binding **sorted = t->alloc.alloc(t->alloc.ctx, n * sizeof *sorted);
    for (const pool_block *blk = t->binding_pool.first; blk; blk = blk->next)
        for (size_t j = 0; j < blk->used; j++)
            sorted[i++] = macchk_pool_item(blk, sizeof(binding), j);
    qsort(sorted, n, sizeof *sorted, by_net_address_first_frame);
    for (i = 0; i < n; i++) {
        const binding *b = sorted[i];
        macchk_nd_binding_info info = {
            .net = b->addr->net, .first_frame = b->first_frame, .last_frame = b->last_frame, .frames = b->frames};
        memcpy(info.addr, b->addr->addr, MACCHK_IPV6_LEN);
        memcpy(info.mac, b->mac, 6);
        cb(&info, ctx);
    }
    macchk_give_back(&t->alloc, sorted);
}

void macchk_ndtrack_each_exchange(const macchk_ndtracker *t, macchk_nd_exchange_cb cb, void *ctx)
{
    /* exchanges are created at their first frame, and frames come in order */
    for (const pool_block *blk = t->exchange_pool.first; blk; blk = blk->next) {
        for (size_t j = 0; j < blk->used; j++) {
            const exchange *x = macchk_pool_item(blk, sizeof(exchange), j);
            macchk_nd_exchange_info info = {.net = x->target->net,
                                            .first_frame = x->first_frame,
                                            .last_frame = x->last_frame,
                                            .attempts = x->attempts,
                                            .reply_frame = x->reply_frame,
                                            .dad = x->dad};
            if (x->src)
                memcpy(info.src, x->src->addr, MACCHK_IPV6_LEN);
            memcpy(info.target, x->target->addr, MACCHK_IPV6_LEN);
            memcpy(info.mac, x->mac, 6);
            for (const macchk_nd_frame *q = x->last_request; q; q = q->prev) {
                ns_fate fate = ns_outcome(t, x, q, true);
                info.answered += fate == NS_ANSWERED;
                info.unanswered += fate == NS_UNANSWERED;
                info.capture_ended += fate == NS_CAPTURE_ENDED;
            }
            info.defended = x->dad && info.answered;
            cb(&info, ctx);
        }
    }
}
