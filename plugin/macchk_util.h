/* macchk_util.h - small containers for the report: a string buffer that can
 * stream to a FILE, and a capped keyed table of fixed records.
 *
 * Pure C: no Wireshark types.  Allocation failure aborts (as g_malloc does).
 */
#ifndef MACCHK_UTIL_H
#define MACCHK_UTIL_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

void *macchk_xcalloc(size_t n, size_t size);
void *macchk_xrealloc(void *p, size_t n, size_t size);

/* --- string buffer ------------------------------------------------------ */

/* Text grows in s; with out set, it is written there whenever it passes
 * 64 KiB (and by sb_flush), so a long report needs no more memory than
 * that.  With stop set, writing ends (and stopped turns true) once *stop
 * is non-zero: a signal handler may set it while a report is drawn. */
typedef struct {
    char *s;
    size_t len, size;
    FILE *out;
    const volatile sig_atomic_t *stop;
    bool stopped;
} strbuf;

void sb_printf(strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_puts(strbuf *b, const char *s);
void sb_json_string(strbuf *b, const char *s);
/* Empty it (to reuse its memory). */
void sb_reset(strbuf *b);
/* Write what is held to out (no-op without out). */
void sb_flush(strbuf *b);
/* The text so far, terminated (never NULL); the caller frees it. */
char *sb_take(strbuf *b);

/* The NULL-terminated string arguments joined into buf (size > 0), cut to
 * fit; returns the length written.  For labels written for every frame
 * under -V, where printf's formatting was a third of macchk's cost. */
size_t macchk_concat(char *buf, size_t size, ...);

/* v in decimal, in buf; returns where the digits start (not buf itself). */
#define MACCHK_U32_STR_LEN 11
const char *macchk_u32_str(uint32_t v, char buf[MACCHK_U32_STR_LEN]);

/* "52:54:00:12:34:56", "10.0.2.15" (host byte order) and "fe80::1" (RFC 5952) */
typedef struct {
    char s[18];
} macchk_macstr;
typedef struct {
    char s[16];
} macchk_ipstr;
typedef struct {
    char s[46];
} macchk_ip6str;
macchk_macstr macchk_fmt_mac(const uint8_t *mac);
macchk_ipstr macchk_fmt_ip(uint32_t ip);
macchk_ip6str macchk_fmt_ip6(const uint8_t *ip6);

/* --- keyed table -------------------------------------------------------- */

/* Records of rec_size bytes, each starting with a key of key_size bytes
 * (compared bytewise: zero the padding), in one array; an open-addressing
 * index of record numbers finds them.  At most cap records: past it a new
 * key is refused (counted in turned_away) unless the caller lets it evict a
 * record it calls a victim. */
typedef struct {
    size_t rec_size, key_size;
    size_t cap, count, rec_alloc;
    char *recs;
    uint32_t *index; /* record number + 1; 0: empty */
    size_t index_size;
    uint64_t turned_away; /* touches of new keys refused because full */
    uint64_t refused_no_victim; /* of those, touches that could evict but found no victim */
    uint64_t evicted;     /* records evicted for a new key */
    size_t evict_cursor;  /* every record below it is no victim */
} ktable;

typedef bool (*kt_victim_fn)(const void *rec);

void kt_init(ktable *t, size_t rec_size, size_t key_size, size_t cap);
void kt_clear(ktable *t); /* empty, same sizes and cap */
void *kt_rec(const ktable *t, size_t i);
void *kt_find(const ktable *t, const void *key);
/* The record for key, created zeroed (key copied in) if there is room, or
 * if victim is given and some record is one (that one is evicted; a record
 * that is no victim must never become one).  NULL when full.  Records may
 * move when one is evicted: pointers into the table last until then. */
void *kt_touch(ktable *t, const void *key, kt_victim_fn victim, bool *created);
/* Bytes a table holds per record, index included, at its current size. */
size_t kt_bytes(const ktable *t);

#endif
