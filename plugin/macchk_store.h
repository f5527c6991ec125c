/* macchk_store.h - fixed-block record pools and open-addressing hash tables
 * for the trackers (pure C, no Wireshark types).
 *
 * Pools hand out records that never move (callers keep pointers to them);
 * tables map 128-bit keys to record pointers with linear probing and no
 * deletions; registries give keys small ids.  All memory comes from a
 * macchk_allocator.
 */
#ifndef MACCHK_STORE_H
#define MACCHK_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    void *(*alloc)(void *ctx, size_t size);  /* returns zeroed memory or aborts */
    void (*release)(void *ctx, void *ptr);   /* may be a no-op */
    void *ctx;
} macchk_allocator;

/* Hand memory back; the allocator may be unable to (release NULL). */
void macchk_give_back(const macchk_allocator *a, void *ptr);

typedef struct pool_block {
    struct pool_block *next;
    size_t used;
    max_align_t items[];  /* records start here, suitably aligned */
} pool_block;

typedef struct {
    size_t item_size, per_block;
    pool_block *first, *last;  /* blocks in allocation order */
    size_t count;
} pool;

void *macchk_pool_take(const macchk_allocator *a, pool *p);  /* a zeroed record */
const void *macchk_pool_item(const pool_block *b, size_t item_size, size_t i);
void macchk_pool_release(const macchk_allocator *a, pool *p);

/* Keys up to 128 bits: two words. */
typedef struct {
    uint64_t hi, lo;
} key128;

typedef struct {
    key128 key;
    void *value;  /* NULL: empty slot */
} slot;

typedef struct {
    slot *slots;
    size_t capacity;  /* power of two */
    size_t count;
} table;

uint64_t macchk_key_hash(key128 k);
void macchk_table_init(const macchk_allocator *a, table *tb);
/* The slot holding k, or the empty slot where k belongs. */
slot *macchk_table_slot(const table *tb, key128 k);
void *macchk_table_get(const table *tb, key128 k);
/* Add a key that is not there (callers add only while under their cap). */
void macchk_table_add(const macchk_allocator *a, table *tb, key128 k, void *value);
/* Point k at value, whether or not k is there yet. */
void macchk_table_put(const macchk_allocator *a, table *tb, key128 k, void *value);
void macchk_table_release(const macchk_allocator *a, table *tb);

/* A 128-bit digest of (tag, bytes): two independent 64-bit mixes, for keys
 * longer than a key128 (equal inputs give equal keys, different ones
 * collide with odds of 2^-128). */
/* murmur3 finaliser: every input bit reaches every output bit. */
uint64_t macchk_finalise64(uint64_t h);

key128 macchk_digest(uint64_t tag, const uint8_t *bytes, size_t n);

/* Registries intern keys as ids 1, 2, ... in order of first sight.  Each
 * key has a record of item_size bytes that never moves and starts with its
 * uint32_t id. */
typedef struct {
    table index;     /* key -> record */
    pool records;
    void **by_id;    /* id - 1 -> record */
    size_t by_id_size;
} registry;

void macchk_registry_init(const macchk_allocator *a, registry *r, size_t item_size, size_t per_block);
/* The record of k, NULL when k was never interned. */
void *macchk_registry_find(const registry *r, key128 k);
/* The record of k, added (zeroed but for its id; *added tells) while fewer
 * than cap are known; NULL when k is new and cap are known. */
void *macchk_registry_intern(const macchk_allocator *a, registry *r, key128 k, uint32_t cap, bool *added);
/* The record with that id, or NULL. */
void *macchk_registry_record(const registry *r, uint32_t id);
uint32_t macchk_registry_count(const registry *r);
void macchk_registry_release(const macchk_allocator *a, registry *r);

#endif
