/* macchk_util.c - string buffer and keyed table (see macchk_util.h). */
#include "macchk_util.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define SB_FLUSH_AT (64u << 10)

void *macchk_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        abort();
    return p;
}

void *macchk_xrealloc(void *p, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        abort();
    p = realloc(p, n && size ? n * size : 1);
    if (!p)
        abort();
    return p;
}

/* ---- string buffer ---------------------------------------------------- */

void sb_flush(strbuf *b)
{
    if (!b->out || !b->len)
        return;
    fwrite(b->s, 1, b->len, b->out);
    b->len = 0;
    b->s[0] = '\0';
}

/* Room for more bytes; false once stopped (the text is then dropped). */
static bool sb_reserve(strbuf *b, size_t more)
{
    if (b->stop && *b->stop)
        b->stopped = true;
    if (b->stopped)
        return false;
    if (b->out && b->len >= SB_FLUSH_AT)
        sb_flush(b);
    if (b->len + more + 1 <= b->size)
        return true;
    size_t size = b->size ? b->size : 256;
    while (size < b->len + more + 1)
        size *= 2;
    b->s = macchk_xrealloc(b->s, size, 1);
    b->size = size;
    return true;
}

void sb_printf(strbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n <= 0 || !sb_reserve(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void sb_puts(strbuf *b, const char *s)
{
    size_t n = strlen(s);
    if (!sb_reserve(b, n))
        return;
    memcpy(b->s + b->len, s, n + 1);
    b->len += n;
}

void sb_json_string(strbuf *b, const char *s)
{
    sb_puts(b, "\"");
    for (const char *run = s;; s++) {
        unsigned char c = (unsigned char)*s;
        if (c && c != '"' && c != '\\' && c >= 0x20)
            continue;
        if (s > run && sb_reserve(b, (size_t)(s - run))) {
            memcpy(b->s + b->len, run, (size_t)(s - run));
            b->len += (size_t)(s - run);
            b->s[b->len] = '\0';
        }
        if (!c)
            break;
        if (c == '"' || c == '\\')
            sb_printf(b, "\\%c", c);
        else
            sb_printf(b, "\\u%04x", c);
        run = s + 1;
    }
    sb_puts(b, "\"");
}

void sb_reset(strbuf *b)
{
    b->len = 0;
    if (b->s)
        b->s[0] = '\0';
}

char *sb_take(strbuf *b)
{
    if (!b->s) {
        b->s = macchk_xcalloc(1, 1);
        b->size = 1;
    }
    return b->s;
}

size_t macchk_concat(char *buf, size_t size, ...)
{
    size_t at = 0;
    const char *part;
    va_list ap;

    va_start(ap, size);
    while ((part = va_arg(ap, const char *)) != NULL)
        while (*part && at < size - 1)
            buf[at++] = *part++;
    va_end(ap);
    buf[at] = '\0';
    return at;
}

const char *macchk_u32_str(uint32_t v, char buf[MACCHK_U32_STR_LEN])
{
    char *p = buf + MACCHK_U32_STR_LEN - 1;
    *p = '\0';
    do
        *--p = (char)('0' + v % 10);
    while (v /= 10);
    return p;
}

macchk_macstr macchk_fmt_mac(const uint8_t *m)
{
    macchk_macstr r;
    snprintf(r.s, sizeof r.s, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
    return r;
}

macchk_ipstr macchk_fmt_ip(uint32_t ip)
{
    macchk_ipstr r;
    snprintf(r.s, sizeof r.s, "%u.%u.%u.%u", ip >> 24, ip >> 16 & 0xff, ip >> 8 & 0xff, ip & 0xff);
    return r;
}

macchk_ip6str macchk_fmt_ip6(const uint8_t *ip6)
{
    macchk_ip6str r;
    if (!inet_ntop(AF_INET6, ip6, r.s, sizeof r.s))
        snprintf(r.s, sizeof r.s, "?");
    return r;
}

/* ---- keyed table ------------------------------------------------------ */

/* The index holds record numbers + 1 in 32 bits. */
#define KT_MAX_RECORDS ((size_t)UINT32_MAX - 1)

static uint64_t key_hash(const void *key, size_t size)
{
    const uint8_t *p = key;
    uint64_t h = 1469598103934665603u;
    for (size_t i = 0; i < size; i++)
        h = (h ^ p[i]) * 1099511628211u;
    return h ^ h >> 29;
}

void kt_init(ktable *t, size_t rec_size, size_t key_size, size_t cap)
{
    memset(t, 0, sizeof *t);
    t->rec_size = rec_size;
    t->key_size = key_size;
    t->cap = cap < KT_MAX_RECORDS ? cap : KT_MAX_RECORDS;
}

void kt_clear(ktable *t)
{
    free(t->recs);
    free(t->index);
    kt_init(t, t->rec_size, t->key_size, t->cap);
}

void *kt_rec(const ktable *t, size_t i)
{
    return t->recs + i * t->rec_size;
}

static size_t kt_slot(const ktable *t, const void *key)
{
    size_t mask = t->index_size - 1, i = (size_t)key_hash(key, t->key_size) & mask;
    while (t->index[i] && memcmp(kt_rec(t, t->index[i] - 1), key, t->key_size) != 0)
        i = (i + 1) & mask;
    return i;
}

void *kt_find(const ktable *t, const void *key)
{
    if (!t->index_size)
        return NULL;
    uint32_t n = t->index[kt_slot(t, key)];
    return n ? kt_rec(t, n - 1) : NULL;
}

/* Drop the index entry at slot i, shifting later entries of its run back
 * (linear probing needs no holes between a key and its home slot). */
static void kt_unindex(ktable *t, size_t i)
{
    size_t mask = t->index_size - 1;
    for (size_t j = (i + 1) & mask; t->index[j]; j = (j + 1) & mask) {
        size_t home = (size_t)key_hash(kt_rec(t, t->index[j] - 1), t->key_size) & mask;
        /* move j back to i unless its home lies cyclically in (i, j] */
        bool stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
        if (!stays) {
            t->index[i] = t->index[j];
            i = j;
        }
    }
    t->index[i] = 0;
}

/* Evict the first victim at or after the cursor; false if none. */
static bool kt_evict(ktable *t, kt_victim_fn victim)
{
    while (t->evict_cursor < t->count && !victim(kt_rec(t, t->evict_cursor)))
        t->evict_cursor++;
    if (t->evict_cursor >= t->count)
        return false;
    size_t hole = t->evict_cursor, last = t->count - 1;
    kt_unindex(t, kt_slot(t, kt_rec(t, hole)));
    if (hole != last) {
        size_t s = kt_slot(t, kt_rec(t, last));
        memcpy(kt_rec(t, hole), kt_rec(t, last), t->rec_size);
        t->index[s] = (uint32_t)(hole + 1);
    }
    t->count--;
    t->evicted++;
    return true;
}

void *kt_touch(ktable *t, const void *key, kt_victim_fn victim, bool *created)
{
    void *r = kt_find(t, key);
    if (created)
        *created = false;
    if (r)
        return r;
    if (t->count >= t->cap && !(victim && kt_evict(t, victim))) {
        t->turned_away++;
        t->refused_no_victim += victim != NULL;
        return NULL;
    }
    if ((t->count + 1) * 4 > t->index_size * 3) {
        size_t size = t->index_size ? t->index_size * 2 : 64;
        free(t->index);
        t->index = macchk_xcalloc(size, sizeof *t->index);
        t->index_size = size;
        for (size_t i = 0; i < t->count; i++)
            t->index[kt_slot(t, kt_rec(t, i))] = (uint32_t)(i + 1);
    }
    if (t->count == t->rec_alloc) {
        /* grow by half: less slack than doubling for big tables */
        size_t n = t->rec_alloc < 32 ? 32 : t->rec_alloc + t->rec_alloc / 2;
        if (n > t->cap)
            n = t->cap > t->count ? t->cap : t->count + 1;
        t->recs = macchk_xrealloc(t->recs, n, t->rec_size);
        t->rec_alloc = n;
    }
    r = kt_rec(t, t->count);
    memset(r, 0, t->rec_size);
    memcpy(r, key, t->key_size);
    t->index[kt_slot(t, key)] = (uint32_t)(++t->count);
    if (created)
        *created = true;
    return r;
}

size_t kt_bytes(const ktable *t)
{
    return t->rec_alloc * t->rec_size + t->index_size * sizeof *t->index;
}
