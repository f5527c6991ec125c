/* macchk_store.c - record pools and hash tables (see macchk_store.h). */
#include "macchk_store.h"

#include <string.h>

/* ---- record pools: fixed blocks, records never move ------------------ */

void *macchk_pool_take(const macchk_allocator *a, pool *p)
{
    if (!p->last || p->last->used == p->per_block) {
        pool_block *b = a->alloc(a->ctx, sizeof(pool_block) + p->item_size * p->per_block);
        if (p->last)
            p->last->next = b;
        else
            p->first = b;
        p->last = b;
    }
    p->count++;
    return (char *)p->last->items + p->item_size * p->last->used++;
}

const void *macchk_pool_item(const pool_block *b, size_t item_size, size_t i)
{
    return (const char *)b->items + item_size * i;
}

/* Hand memory back; the header allows an allocator that cannot. */
void macchk_give_back(const macchk_allocator *a, void *ptr)
{
    if (a->release)
        a->release(a->ctx, ptr);
}

void macchk_pool_release(const macchk_allocator *a, pool *p)
{
    for (pool_block *b = p->first, *next; b; b = next) {
        next = b->next;
        macchk_give_back(a, b);
    }
}

/* ---- hash tables: linear probing, no deletions ----------------------- */

#define TABLE_INITIAL_CAPACITY 16

uint64_t macchk_finalise64(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdu;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53u;
    h ^= h >> 33;
    return h;
}

uint64_t macchk_key_hash(key128 k)
{
    return macchk_finalise64(k.hi * 0x9E3779B97F4A7C15u ^ k.lo);  /* spreads the low bits the mask keeps */
}

void macchk_table_init(const macchk_allocator *a, table *tb)
{
    tb->capacity = TABLE_INITIAL_CAPACITY;
    tb->slots = a->alloc(a->ctx, tb->capacity * sizeof(slot));
}

/* The slot holding k, or the empty slot where k belongs. */
slot *macchk_table_slot(const table *tb, key128 k)
{
    size_t mask = tb->capacity - 1;
    size_t i = macchk_key_hash(k) & mask;
    while (tb->slots[i].value && (tb->slots[i].key.hi != k.hi || tb->slots[i].key.lo != k.lo))
        i = (i + 1) & mask;
    return &tb->slots[i];
}

void *macchk_table_get(const table *tb, key128 k)
{
    return macchk_table_slot(tb, k)->value;
}

static void table_grow(const macchk_allocator *a, table *tb)
{
    table old = *tb;
    tb->capacity *= 2;
    tb->slots = a->alloc(a->ctx, tb->capacity * sizeof(slot));
    for (size_t i = 0; i < old.capacity; i++)
        if (old.slots[i].value)
            *macchk_table_slot(tb, old.slots[i].key) = old.slots[i];
    macchk_give_back(a, old.slots);
}

/* Add a key that is not there.  Callers add only while under the cap, so
 * the load stays under 3/4 without ever growing past what the cap needs. */
void macchk_table_add(const macchk_allocator *a, table *tb, key128 k, void *value)
{
    if ((tb->count + 1) * 4 > tb->capacity * 3)
        table_grow(a, tb);
    slot *s = macchk_table_slot(tb, k);
    s->key = k;
    s->value = value;
    tb->count++;
}

/* Point k at value, whether or not k is there yet. */
void macchk_table_put(const macchk_allocator *a, table *tb, key128 k, void *value)
{
    slot *s = macchk_table_slot(tb, k);
    if (s->value)
        s->value = value;
    else
        macchk_table_add(a, tb, k, value);
}

void macchk_table_release(const macchk_allocator *a, table *tb)
{
    macchk_give_back(a, tb->slots);
}


/* ---- digests and registries ------------------------------------------ */

key128 macchk_digest(uint64_t tag, const uint8_t *bytes, size_t n)
{
    key128 k = {macchk_finalise64(tag ^ 0x9E3779B97F4A7C15u), macchk_finalise64(tag + 0x5bd1e995u)};
    for (size_t i = 0; i < n; i += 8) {
        uint64_t word = 0;
        for (size_t j = i; j < i + 8 && j < n; j++)
            word = word << 8 | bytes[j];
        k.hi = macchk_finalise64(k.hi ^ word);
        k.lo = macchk_finalise64((k.lo ^ 0xa5a5a5a5a5a5a5a5u) + word + i);
    }
    return k;
}

void macchk_registry_init(const macchk_allocator *a, registry *r, size_t item_size, size_t per_block)
{
    macchk_table_init(a, &r->index);
    r->records = (pool){.item_size = item_size, .per_block = per_block};
}

void *macchk_registry_find(const registry *r, key128 k)
{
    return macchk_table_get(&r->index, k);
}

void *macchk_registry_intern(const macchk_allocator *a, registry *r, key128 k, uint32_t cap, bool *added)
{
    void *record = macchk_table_get(&r->index, k);
    *added = false;
    if (record || r->records.count >= cap)
        return record;
    if (r->records.count == r->by_id_size) {
        size_t size = r->by_id_size ? r->by_id_size * 2 : 16;
        void **grown = a->alloc(a->ctx, size * sizeof *grown);
        if (r->by_id) {
            memcpy(grown, r->by_id, r->by_id_size * sizeof *grown);
            macchk_give_back(a, r->by_id);
        }
        r->by_id = grown;
        r->by_id_size = size;
    }
    record = macchk_pool_take(a, &r->records);
    *(uint32_t *)record = (uint32_t)r->records.count;
    r->by_id[r->records.count - 1] = record;
    macchk_table_add(a, &r->index, k, record);
    *added = true;
    return record;
}

void *macchk_registry_record(const registry *r, uint32_t id)
{
    return id && id <= r->records.count ? r->by_id[id - 1] : NULL;
}

uint32_t macchk_registry_count(const registry *r)
{
    return (uint32_t)r->records.count;
}

void macchk_registry_release(const macchk_allocator *a, registry *r)
{
    macchk_table_release(a, &r->index);
    macchk_pool_release(a, &r->records);
    if (r->by_id)
        macchk_give_back(a, r->by_id);
}
