/* unit_store.h - what the tracker tests share: an allocator that counts
 * live bytes (to prove a tracker gives every byte back and to bound its
 * peak) and a deterministic random source for generated traffic. */
#ifndef MACCHK_UNIT_STORE_H
#define MACCHK_UNIT_STORE_H

#include <stdint.h>
#include <stdlib.h>

#include "macchk_store.h"

typedef struct {
    size_t live;
} test_memory;

static void *test_alloc(void *ctx, size_t size)
{
    size_t *block = calloc(1, size + 16);  /* 16: keeps the payload max-aligned */
    if (!block)
        abort();
    block[0] = size;
    ((test_memory *)ctx)->live += size;
    return (char *)block + 16;
}

static void test_release(void *ctx, void *ptr)
{
    if (!ptr)
        return;
    size_t *block = (size_t *)((char *)ptr - 16);
    ((test_memory *)ctx)->live -= block[0];
    free(block);
}

static test_memory mem;
static macchk_allocator alloc = {test_alloc, test_release, &mem};

/* xorshift64: the same traffic on every run */
static uint64_t rng_state = 0x2545F4914F6CDD1Du;

static uint32_t rnd(uint32_t n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state % n);
}

#endif
