/* macchk_store.h - fixed-block record pools and open-addressing hash tables
 * for the trackers (pure C, no Wireshark types).
 *
 * Pools hand out records that never move (callers keep pointers to them);
 * tables map 128-bit keys to record pointers with linear probing and no
 * deletions.  All memory comes from a macchk_allocator.
 */
#ifndef MACCHK_STORE_H
#define MACCHK_STORE_H

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

#endif
