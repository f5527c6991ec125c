/* macchk_track.c - follow ARP exchanges and IP/MAC bindings (contract in macchk_track.h).
 *
 * Records (frames, bindings, exchanges) live in pools of fixed blocks and
 * never move, because the dissector keeps pointers to frame records and
 * frame records point at bindings and exchanges (macchk_store).  Five
 * open-addressing hash tables index them, every key within one network:
 *
 *   networks     network digest  -> network (its id)
 *   bindings     (net, ip, mac)  -> binding
 *   ip_newest    (net, ip)       -> newest binding of that IP  (older ones chained)
 *   mac_newest   (net, mac)      -> newest binding of that MAC (older ones chained)
 *   pair_latest  (net, spa, tpa) -> latest exchange for that pair
 *
 * At most table_cap networks, bindings and exchanges are created; an index
 * never has more keys than the records it points at, so every table is
 * capped by those counts, and a table never grows past what table_cap keys
 * need.
 */
#include "macchk_track.h"

#include <stdlib.h>
#include <string.h>

/* ---- records ---------------------------------------------------------- */

/* IP SPA seen with MAC SHA in one network over the frames [first_frame, last_frame]. */
typedef struct binding {
    uint32_t net, ip;
    uint8_t mac[6];
    uint32_t first_frame, last_frame, frames;
    struct binding *older_same_ip;   /* chain from ip_newest */
    struct binding *older_same_mac;  /* chain from mac_newest; only bindings that count for it */
} binding;

/* Requests of one sender for one target in one network, each within the
 * timeout of the one before (retries); replies link to the attempts they answer. */
typedef struct {
    int64_t first_time, last_time;
    uint32_t net, spa, tpa;
    uint32_t first_frame, last_frame, attempts;
    uint32_t reply_frame;                 /* first reply answering an attempt; 0: none yet */
    macchk_arp_frame *last_request;       /* newest attempt; older ones via prev */
    macchk_arp_frame *last_reply;         /* newest reply that answered an attempt; older via prev */
    uint8_t sha[6];
    bool probe;
} exchange;

enum {
    F_REQUEST = 1 << 0,
    F_REPLY = 1 << 1,
    F_PROBE = 1 << 2,
    F_ANNOUNCEMENT = 1 << 3,
    F_GRATUITOUS = 1 << 4,
    F_UNSOLICITED = 1 << 5,
    F_SHAREABLE = (1 << 6) - 1,  /* all a frame with nothing tracked can carry */
    F_FIRST_OF_BINDING = 1 << 6,
    F_TABLE_FULL_HERE = 1 << 7,
    F_ASKED_AGAIN = 1 << 8       /* reply: other_frame is a request asked again after it */
};

struct macchk_arp_frame {
    int64_t time;
    binding *binding;         /* SPA -> SHA; NULL for SPA 0.0.0.0 or when dropped */
    exchange *exchange;       /* request: its exchange; reply: the exchange it answers */
    macchk_arp_frame *prev;   /* request: the previous attempt of its exchange;
                                 reply: the previous reply that answered one of them */
    macchk_arp_frame *link;   /* request: first reply answering it; reply: newest request it answers */
    uint32_t frame;
    uint32_t count;           /* request: attempt number; reply: requests it answers */
    uint32_t other_frame;     /* request: next request of the pair (a retry); reply: the
                                 request it came too late for, or (F_ASKED_AGAIN) the one
                                 asked again after it */
    uint16_t flags;
};

/* Bits of (network, spa, tpa) pairs whose new exchange was dropped (a
 * one-hash Bloom filter): a reply for such a pair may answer a request we
 * did not keep. */
#define DROPPED_PAIR_BITS (1u << 16)

typedef struct {
    macchk_net net;
    uint32_t id;  /* 1-based, in order of first frame */
} network;

struct macchk_tracker {
    macchk_allocator alloc;
    int64_t arp_timeout;
    uint32_t table_cap;
    bool full;
    bool clock_started;
    int64_t capture_end;  /* latest time the capture reached */
    table networks, bindings, ip_newest, mac_newest, pair_latest;
    pool frames, network_pool, binding_pool, exchange_pool;
    network **network_by_id;  /* id - 1 -> network; grows with network_pool */
    size_t network_by_id_size;
    uint8_t *dropped_pairs;   /* allocated when the first exchange is dropped */
    macchk_arp_frame shared[F_SHAREABLE + 1];  /* records of frames with nothing tracked */
};

static key128 mac_bits(const uint8_t mac[6])
{
    key128 k = {0, 0};
    for (int i = 0; i < 6; i++)
        k.lo = k.lo << 8 | mac[i];
    return k;
}

static key128 ip_key(uint32_t net, uint32_t ip)
{
    return (key128){net, ip};
}

static key128 mac_key(uint32_t net, const uint8_t mac[6])
{
    key128 k = mac_bits(mac);
    k.hi = net;
    return k;
}

static key128 binding_key(uint32_t net, uint32_t ip, const uint8_t mac[6])
{
    key128 k = mac_bits(mac);
    k.hi = (uint64_t)net << 32 | ip;
    return k;
}

static key128 pair_key(uint32_t net, uint32_t spa, uint32_t tpa)
{
    return (key128){net, (uint64_t)spa << 32 | tpa};
}

static key128 network_key(const macchk_net *n)
{
    key128 k;
    macchk_net_key(n, &k.hi, &k.lo);
    return k;
}

/* Duplicate-MAC analysis ignores link-local addresses and non-unicast MACs. */
static bool counts_for_mac(uint32_t ip, const uint8_t mac[6])
{
    static const uint8_t zero[6];
    bool link_local = (ip >> 16) == 0xA9FE;  /* 169.254.0.0/16 */
    return !link_local && !(mac[0] & 1) && memcmp(mac, zero, 6) != 0;
}

/* ---- tracker lifetime -------------------------------------------------- */

macchk_tracker *macchk_track_new(const macchk_allocator *alloc, const macchk_track_config *config)
{
    macchk_tracker *t = alloc->alloc(alloc->ctx, sizeof *t);
    t->alloc = *alloc;
    t->arp_timeout = config->arp_timeout_ns;
    t->table_cap = config->table_cap;
    macchk_table_init(alloc, &t->networks);
    macchk_table_init(alloc, &t->bindings);
    macchk_table_init(alloc, &t->ip_newest);
    macchk_table_init(alloc, &t->mac_newest);
    macchk_table_init(alloc, &t->pair_latest);
    t->frames = (pool){.item_size = sizeof(macchk_arp_frame), .per_block = 1024};
    t->network_pool = (pool){.item_size = sizeof(network), .per_block = 16};
    t->binding_pool = (pool){.item_size = sizeof(binding), .per_block = 128};
    t->exchange_pool = (pool){.item_size = sizeof(exchange), .per_block = 128};
    for (unsigned i = 0; i <= F_SHAREABLE; i++)
        t->shared[i].flags = (uint16_t)i;
    return t;
}

void macchk_track_free(macchk_tracker *t)
{
    if (!t)
        return;
    const macchk_allocator *a = &t->alloc;
    macchk_table_release(a, &t->networks);
    macchk_table_release(a, &t->bindings);
    macchk_table_release(a, &t->ip_newest);
    macchk_table_release(a, &t->mac_newest);
    macchk_table_release(a, &t->pair_latest);
    macchk_pool_release(a, &t->frames);
    macchk_pool_release(a, &t->network_pool);
    macchk_pool_release(a, &t->binding_pool);
    macchk_pool_release(a, &t->exchange_pool);
    if (t->network_by_id)
        macchk_give_back(a, t->network_by_id);
    if (t->dropped_pairs)
        macchk_give_back(a, t->dropped_pairs);
    macchk_allocator copy = *a;  /* a lives inside t */
    macchk_give_back(&copy, t);
}

bool macchk_track_full(const macchk_tracker *t)
{
    return t->full;
}

/* ---- networks ---------------------------------------------------------- */

uint32_t macchk_track_find_network(const macchk_tracker *t, const macchk_net *net)
{
    const network *n = macchk_table_get(&t->networks, network_key(net));
    return n ? n->id : 0;
}

const macchk_net *macchk_track_network(const macchk_tracker *t, uint32_t id)
{
    return id && id <= t->network_pool.count ? &t->network_by_id[id - 1]->net : NULL;
}

uint32_t macchk_track_network_count(const macchk_tracker *t)
{
    return (uint32_t)t->network_pool.count;
}

/* The id of net, added if there is room; 0 when the table is full. */
static uint32_t intern_network(macchk_tracker *t, const macchk_net *net)
{
    const macchk_allocator *a = &t->alloc;
    key128 k = network_key(net);
    network *n = macchk_table_get(&t->networks, k);
    if (n)
        return n->id;
    if (t->network_pool.count >= t->table_cap) {
        t->full = true;
        return 0;
    }
    if (t->network_pool.count == t->network_by_id_size) {
        size_t size = t->network_by_id_size ? t->network_by_id_size * 2 : 16;
        network **grown = a->alloc(a->ctx, size * sizeof *grown);
        if (t->network_by_id) {
            memcpy(grown, t->network_by_id, t->network_by_id_size * sizeof *grown);
            macchk_give_back(a, t->network_by_id);
        }
        t->network_by_id = grown;
        t->network_by_id_size = size;
    }
    n = macchk_pool_take(a, &t->network_pool);
    n->net = *net;
    n->id = (uint32_t)t->network_pool.count;
    t->network_by_id[n->id - 1] = n;
    macchk_table_add(a, &t->networks, k, n);
    return n->id;
}

/* ---- first pass -------------------------------------------------------- */

static uint32_t dropped_pair_bit(key128 pair)
{
    return (uint32_t)(macchk_key_hash(pair) % DROPPED_PAIR_BITS);
}

static void remember_dropped_pair(macchk_tracker *t, key128 pair)
{
    if (!t->dropped_pairs)
        t->dropped_pairs = t->alloc.alloc(t->alloc.ctx, DROPPED_PAIR_BITS / 8);
    uint32_t bit = dropped_pair_bit(pair);
    t->dropped_pairs[bit / 8] |= (uint8_t)(1u << bit % 8);
}

static bool pair_maybe_dropped(const macchk_tracker *t, key128 pair)
{
    uint32_t bit = dropped_pair_bit(pair);
    return t->dropped_pairs && (t->dropped_pairs[bit / 8] >> bit % 8 & 1);
}

static uint16_t classify(const macchk_arp_obs *o)
{
    if (o->opcode == MACCHK_ARP_REQUEST) {
        if (o->spa == 0)
            return F_REQUEST | F_PROBE;  /* even for TPA 0.0.0.0: probe wins */
        return F_REQUEST | (o->spa == o->tpa ? F_ANNOUNCEMENT : 0);
    }
    return F_REPLY | (o->spa == o->tpa ? F_GRATUITOUS : 0);
}

/* Extend the (network, SPA, SHA) binding to this frame, creating it if there is room. */
static void note_binding(macchk_tracker *t, uint32_t net, const macchk_arp_obs *o, macchk_arp_frame *rec)
{
    const macchk_allocator *a = &t->alloc;
    key128 k = binding_key(net, o->spa, o->sha);
    binding *b = macchk_table_get(&t->bindings, k);
    if (b) {
        b->last_frame = o->frame;
        b->frames++;
        rec->binding = b;
        return;
    }
    if (t->binding_pool.count >= t->table_cap) {
        t->full = true;
        return;
    }
    b = macchk_pool_take(a, &t->binding_pool);
    b->net = net;
    b->ip = o->spa;
    memcpy(b->mac, o->sha, 6);
    b->first_frame = b->last_frame = o->frame;
    b->frames = 1;
    macchk_table_add(a, &t->bindings, k, b);

    b->older_same_ip = macchk_table_get(&t->ip_newest, ip_key(net, b->ip));
    macchk_table_put(a, &t->ip_newest, ip_key(net, b->ip), b);
    if (counts_for_mac(b->ip, b->mac)) {
        b->older_same_mac = macchk_table_get(&t->mac_newest, mac_key(net, b->mac));
        macchk_table_put(a, &t->mac_newest, mac_key(net, b->mac), b);
    }
    rec->binding = b;
    rec->flags |= F_FIRST_OF_BINDING;
}

/* 0 <= later - earlier <= timeout */
static bool within_timeout(const macchk_tracker *t, int64_t earlier, int64_t later)
{
    return later >= earlier && later - earlier <= t->arp_timeout;
}

/* Add the request to its pair's exchange while the sender keeps retrying
 * within the timeout, or open a new one.  The previous request of the pair
 * learns it was retried; a reply the sender evidently did not take learns
 * that too. */
static void note_request(macchk_tracker *t, uint32_t net, const macchk_arp_obs *o, macchk_arp_frame *rec)
{
    if (rec->flags & F_ANNOUNCEMENT)
        return;  /* expects no answer: nothing to match */
    key128 k = pair_key(net, o->spa, o->tpa);
    exchange *x = macchk_table_get(&t->pair_latest, k);
    if (x) {
        uint32_t scanned = 0;
        for (macchk_arp_frame *reply = x->last_reply; reply && scanned < MACCHK_SCAN_LIMIT;
             reply = reply->prev, scanned++) {
            if (reply->time < o->time_ns - t->arp_timeout)
                break;  /* this one and all older ones are too old */
            if (!(reply->flags & F_ASKED_AGAIN) && within_timeout(t, reply->time, o->time_ns)) {
                reply->flags |= F_ASKED_AGAIN;
                reply->other_frame = o->frame;
            }
        }
        if (!x->last_request->other_frame)
            x->last_request->other_frame = o->frame;
    }
    if (x && o->time_ns - x->last_time <= t->arp_timeout) {
        rec->prev = x->last_request;
        rec->count = ++x->attempts;
    } else {
        if (t->exchange_pool.count >= t->table_cap) {
            t->full = true;
            remember_dropped_pair(t, k);
            return;
        }
        x = macchk_pool_take(&t->alloc, &t->exchange_pool);
        x->net = net;
        x->spa = o->spa;
        x->tpa = o->tpa;
        memcpy(x->sha, o->sha, 6);
        x->probe = (rec->flags & F_PROBE) != 0;
        x->first_frame = o->frame;
        x->first_time = o->time_ns;
        x->attempts = 1;
        rec->count = 1;
        macchk_table_put(&t->alloc, &t->pair_latest, k, x);
    }
    x->last_frame = o->frame;
    x->last_time = o->time_ns;
    rec->exchange = x;
}

/* Link the reply to every attempt it answers (each keeps its first reply),
 * or call it unsolicited.  With timestamps in order, all the attempts a
 * reply can answer are in the pair's latest exchange, newest last. */
static void note_reply(macchk_tracker *t, uint32_t net, const macchk_arp_obs *o, macchk_arp_frame *rec,
                       macchk_arp_frame **stored)
{
    if (rec->flags & F_GRATUITOUS)
        return;
    key128 k = pair_key(net, o->tpa, o->spa);  /* the requester's view of the pair */
    exchange *x = macchk_table_get(&t->pair_latest, k);
    uint32_t scanned = 0;
    for (macchk_arp_frame *q = x ? x->last_request : NULL; q && scanned < MACCHK_SCAN_LIMIT;
         q = q->prev, scanned++) {
        if (q->time < o->time_ns - t->arp_timeout)
            break;  /* this one and all older ones are too old */
        if (q->time > o->time_ns)
            continue;  /* timestamped after the reply: not answered by it */
        if (!*stored)  /* the requests link to it: give it its place now */
            *stored = macchk_pool_take(&t->alloc, &t->frames);
        if (!q->link)
            q->link = *stored;
        if (!rec->count++)
            rec->link = q;  /* the newest one answered */
    }
    if (rec->count) {
        if (!x->reply_frame)
            x->reply_frame = o->frame;
        rec->prev = x->last_reply;
        x->last_reply = *stored;
        rec->exchange = x;
        return;
    }
    if (pair_maybe_dropped(t, k))
        return;  /* may answer a request we could not keep: unknown */
    rec->flags |= F_UNSOLICITED;
    if (x && x->last_time < o->time_ns)
        rec->other_frame = x->last_frame;
}

void macchk_track_clock(macchk_tracker *t, int64_t time_ns)
{
    if (!t->clock_started || time_ns > t->capture_end)
        t->capture_end = time_ns;
    t->clock_started = true;
}

macchk_arp_frame *macchk_track_arp(macchk_tracker *t, const macchk_arp_obs *obs)
{
    if (obs->opcode != MACCHK_ARP_REQUEST && obs->opcode != MACCHK_ARP_REPLY)
        return NULL;
    bool was_full = t->full;
    macchk_arp_frame rec = {.time = obs->time_ns, .frame = obs->frame, .flags = classify(obs)};
    macchk_arp_frame *stored = NULL;
    macchk_track_clock(t, obs->time_ns);
    uint32_t net = intern_network(t, &obs->net);
    if (net) {
        if (obs->spa != 0)
            note_binding(t, net, obs, &rec);
        if (rec.flags & F_REQUEST)
            note_request(t, net, obs, &rec);
        else
            note_reply(t, net, obs, &rec, &stored);
    }
    if (!was_full && t->full)
        rec.flags |= F_TABLE_FULL_HERE;

    bool tracked = rec.binding || rec.exchange || rec.other_frame || (rec.flags & ~F_SHAREABLE);
    if (!tracked && !stored)
        return &t->shared[rec.flags];
    if (!stored)
        stored = macchk_pool_take(&t->alloc, &t->frames);
    *stored = rec;
    if (rec.exchange && rec.flags & F_REQUEST)
        rec.exchange->last_request = stored;
    return stored;
}

_Static_assert(F_SHAREABLE + 1 == MACCHK_SHARED_RECORDS, "one shared record per shareable flag set");

uint8_t macchk_track_shared_index(const macchk_tracker *t, const macchk_arp_frame *f)
{
    bool shared = f >= t->shared && f < t->shared + F_SHAREABLE + 1;
    return shared ? (uint8_t)(f - t->shared + 1) : 0;
}

const macchk_arp_frame *macchk_track_shared_record(const macchk_tracker *t, uint8_t index)
{
    return index >= 1 && index <= F_SHAREABLE + 1 ? &t->shared[index - 1] : NULL;
}

/* ---- verdicts ---------------------------------------------------------- */

static bool spans_overlap(const binding *x, const binding *y)
{
    return x->first_frame <= y->last_frame && y->first_frame <= x->last_frame;
}

static const binding *older_binding(const binding *b, bool by_mac)
{
    return by_mac ? b->older_same_mac : b->older_same_ip;
}

/* Name o as the n-th other binding, if there is still room to. */
static void name_other(macchk_other *names, uint32_t n, const binding *o)
{
    if (n >= MACCHK_MAX_OTHERS)
        return;
    names[n].ip = o->ip;
    memcpy(names[n].mac, o->mac, 6);
    names[n].first_frame = o->first_frame;
}

/* Judge b against the other bindings chained from newest (same IP, or same
 * MAC when by_mac): CONFLICT if any span overlaps, CHANGED on the first
 * frame of b when only older, ended bindings exist. */
static macchk_binding_state judge_binding(const binding *b, const binding *newest, bool by_mac,
                                          bool first_of_binding, uint32_t *n_others,
                                          macchk_other others[MACCHK_MAX_OTHERS])
{
    uint32_t n_overlapping = 0, n_previous = 0, scanned = 0;
    macchk_other previous[MACCHK_MAX_OTHERS];
    for (const binding *o = newest; o && scanned < MACCHK_SCAN_LIMIT; o = older_binding(o, by_mac)) {
        if (o == b)
            continue;
        scanned++;
        if (spans_overlap(b, o))
            name_other(others, n_overlapping++, o);
        else if (o->last_frame < b->first_frame)
            name_other(previous, n_previous++, o);
    }
    if (n_overlapping) {
        *n_others = n_overlapping;
        return MACCHK_BINDING_CONFLICT;
    }
    if (first_of_binding && n_previous) {
        *n_others = n_previous;
        uint32_t named = n_previous < MACCHK_MAX_OTHERS ? n_previous : MACCHK_MAX_OTHERS;
        memcpy(others, previous, named * sizeof *previous);
        return MACCHK_BINDING_CHANGED;
    }
    return MACCHK_BINDING_OK;
}

bool macchk_track_mac_duplicate(const macchk_tracker *t, uint32_t net, const uint8_t mac[6])
{
    uint32_t scanned = 0;
    for (const binding *a = macchk_table_get(&t->mac_newest, mac_key(net, mac)); a; a = a->older_same_mac) {
        for (const binding *b = a->older_same_mac; b; b = b->older_same_mac) {
            if (++scanned > MACCHK_SCAN_LIMIT)
                return false;
            if (spans_overlap(a, b))
                return true;
        }
    }
    return false;
}

typedef enum { REQUEST_OPEN, REQUEST_ANSWERED, REQUEST_UNANSWERED, REQUEST_CAPTURE_ENDED } request_fate;

/* What became of request q (in exchange x); OPEN while not final. */
static request_fate request_outcome(const macchk_tracker *t, const exchange *x, const macchk_arp_frame *q,
                                    bool final)
{
    if (q->link)
        return REQUEST_ANSWERED;
    if (!final || x->probe)
        return REQUEST_OPEN;  /* an unanswered probe found the address free */
    /* a retry proves the sender saw no answer in time; otherwise only a
     * whole timeout of capture after it does */
    if (q->other_frame || t->capture_end - q->time >= t->arp_timeout)
        return REQUEST_UNANSWERED;
    return REQUEST_CAPTURE_ENDED;
}

/* The requests a reply answers: newest first in the chain, returned earliest first. */
static uint32_t answered_requests(const macchk_tracker *t, const macchk_arp_frame *reply,
                                  uint32_t frames[MACCHK_MAX_ANSWERED], int64_t *earliest_time)
{
    uint32_t found = 0, scanned = 0, kept = 0;
    uint32_t newest_first[MACCHK_MAX_ANSWERED];
    for (const macchk_arp_frame *q = reply->link; q && found < reply->count && scanned < MACCHK_SCAN_LIMIT;
         q = q->prev, scanned++) {
        if (q->time > reply->time || q->time < reply->time - t->arp_timeout)
            continue;
        found++;
        *earliest_time = q->time;
        /* keep the earliest ones: shift out the newest when full */
        if (kept == MACCHK_MAX_ANSWERED)
            memmove(newest_first, newest_first + 1, (MACCHK_MAX_ANSWERED - 1) * sizeof *newest_first), kept--;
        newest_first[kept++] = q->frame;
    }
    for (uint32_t i = 0; i < kept; i++)
        frames[i] = newest_first[kept - 1 - i];
    return kept;
}

void macchk_track_verdict(const macchk_tracker *t, const macchk_arp_frame *f, bool final,
                          macchk_arp_verdict *out)
{
    memset(out, 0, sizeof *out);
    if (!f)
        return;
    out->is_request = f->flags & F_REQUEST;
    out->is_reply = f->flags & F_REPLY;
    out->probe = f->flags & F_PROBE;
    out->announcement = f->flags & F_ANNOUNCEMENT;
    out->gratuitous = f->flags & F_GRATUITOUS;
    out->table_full_here = f->flags & F_TABLE_FULL_HERE;

    const exchange *x = f->exchange;
    if (x)
        out->net = x->net;
    if (x && out->is_request) {
        out->attempt = f->count;
        out->attempts = x->attempts;
        out->first_attempt = x->first_frame;
        out->retry_frame = f->other_frame;
        out->capture_left_ns = t->capture_end - f->time;
        out->target_seen = macchk_table_get(&t->ip_newest, ip_key(x->net, x->tpa)) != NULL;
        if (f->link) {
            out->response_in = f->link->frame;
            out->response_time_ns = f->link->time - f->time;
        }
        out->probe_defended = x->probe && f->link;
        request_fate fate = request_outcome(t, x, f, final);
        out->unanswered = fate == REQUEST_UNANSWERED;
        out->capture_ended = fate == REQUEST_CAPTURE_ENDED;
    }
    if (out->is_reply) {
        if (x) {
            int64_t earliest = f->time;
            out->n_answered = f->count;
            answered_requests(t, f, out->answered, &earliest);
            out->request_in = out->answered[0];
            out->request_time_ns = f->time - earliest;
            if (f->flags & F_ASKED_AGAIN)
                out->asked_again = f->other_frame;
        }
        out->unsolicited = f->flags & F_UNSOLICITED;
        if (out->unsolicited)
            out->late_request = f->other_frame;
    }

    const binding *b = f->binding;
    if (!b)
        return;
    out->net = b->net;
    bool first = f->flags & F_FIRST_OF_BINDING;
    out->ip_state = judge_binding(b, macchk_table_get(&t->ip_newest, ip_key(b->net, b->ip)), false, first,
                                  &out->n_other_macs, out->other_macs);
    if (counts_for_mac(b->ip, b->mac))
        out->mac_state = judge_binding(b, macchk_table_get(&t->mac_newest, mac_key(b->net, b->mac)), true, first,
                                       &out->n_other_ips, out->other_ips);
}

/* ---- whole-capture views ---------------------------------------------- */

static int by_net_ip_first_frame(const void *x, const void *y)
{
    const binding *a = *(const binding *const *)x, *b = *(const binding *const *)y;
    if (a->net != b->net)
        return a->net < b->net ? -1 : 1;
    if (a->ip != b->ip)
        return a->ip < b->ip ? -1 : 1;
    return (a->first_frame > b->first_frame) - (a->first_frame < b->first_frame);
}

void macchk_track_each_binding(const macchk_tracker *t, macchk_binding_cb cb, void *ctx)
{
    size_t n = t->binding_pool.count, i = 0;
    if (!n)
        return;
    const binding **sorted = t->alloc.alloc(t->alloc.ctx, n * sizeof *sorted);
    for (const pool_block *blk = t->binding_pool.first; blk; blk = blk->next)
        for (size_t j = 0; j < blk->used; j++)
            sorted[i++] = macchk_pool_item(blk, sizeof(binding), j);
    qsort(sorted, n, sizeof *sorted, by_net_ip_first_frame);
    for (i = 0; i < n; i++) {
        macchk_binding_info info = {.net = sorted[i]->net,
                                    .ip = sorted[i]->ip,
                                    .first_frame = sorted[i]->first_frame,
                                    .last_frame = sorted[i]->last_frame,
                                    .frames = sorted[i]->frames};
        memcpy(info.mac, sorted[i]->mac, 6);
        cb(&info, ctx);
    }
    macchk_give_back(&t->alloc, sorted);
}

void macchk_track_each_exchange(const macchk_tracker *t, macchk_exchange_cb cb, void *ctx)
{
    /* exchanges are created at their first frame, and frames come in order */
    for (const pool_block *blk = t->exchange_pool.first; blk; blk = blk->next) {
        for (size_t j = 0; j < blk->used; j++) {
            const exchange *x = macchk_pool_item(blk, sizeof(exchange), j);
            macchk_exchange_info info = {.net = x->net,
                                         .spa = x->spa,
                                         .tpa = x->tpa,
                                         .first_frame = x->first_frame,
                                         .last_frame = x->last_frame,
                                         .attempts = x->attempts,
                                         .reply_frame = x->reply_frame,
                                         .probe = x->probe,
                                         .target_seen = macchk_table_get(&t->ip_newest, ip_key(x->net, x->tpa)) != NULL};
            memcpy(info.sha, x->sha, 6);
            /* every attempt, once: the chain holds them all */
            for (const macchk_arp_frame *q = x->last_request; q; q = q->prev) {
                request_fate fate = request_outcome(t, x, q, true);
                info.answered += fate == REQUEST_ANSWERED;
                info.unanswered += fate == REQUEST_UNANSWERED;
                info.capture_ended += fate == REQUEST_CAPTURE_ENDED;
            }
            cb(&info, ctx);
        }
    }
}
