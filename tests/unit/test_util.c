/* Unit tests of macchk_util: the string buffer (growth, streaming, stop,
 * JSON escaping) and the keyed table (lookup, cap, eviction). */
#include <stdlib.h>

#include "macchk_util.h"
#include "unit.h"

static void test_concat(void)
{
    char buf[12], num[MACCHK_U32_STR_LEN];
    CHECK_EQ_INT(macchk_concat(buf, sizeof buf, "ab", "", "cd", NULL), 4);
    CHECK_EQ_STR(buf, "abcd");
    CHECK_EQ_INT(macchk_concat(buf, sizeof buf, NULL), 0);
    CHECK_EQ_STR(buf, "");
    CHECK_EQ_INT(macchk_concat(buf, sizeof buf, "hello ", "world", NULL), 11); /* just fits */
    CHECK_EQ_STR(buf, "hello world");
    CHECK_EQ_INT(macchk_concat(buf, sizeof buf, "hello ", "world!", "x", NULL), 11); /* cut */
    CHECK_EQ_STR(buf, "hello world");
    CHECK_EQ_INT(macchk_concat(buf, 1, "a", NULL), 0);
    CHECK_EQ_STR(buf, "");
    CHECK_EQ_STR(macchk_u32_str(0, num), "0");
    CHECK_EQ_STR(macchk_u32_str(9, num), "9");
    CHECK_EQ_STR(macchk_u32_str(10, num), "10");
    CHECK_EQ_STR(macchk_u32_str(4294967295u, num), "4294967295");
}

static void test_strbuf(void)
{
    strbuf b = {0};
    CHECK_EQ_STR(sb_take(&b), ""); /* never NULL */
    sb_printf(&b, "%s %u", "frames", 5u);
    sb_puts(&b, "; ");
    sb_json_string(&b, "a\"b\\c\nd\x01");
    CHECK_EQ_STR(sb_take(&b), "frames 5; \"a\\\"b\\\\c\\u000ad\\u0001\"");
    sb_reset(&b);
    CHECK_EQ_STR(sb_take(&b), "");
    for (int i = 0; i < 1000; i++)
        sb_puts(&b, "0123456789");
    CHECK_EQ_INT(strlen(sb_take(&b)), 10000);
    free(b.s);

    /* streamed: what passes 64 KiB is written out, all of it by flush */
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    strbuf s = {.out = out};
    for (int i = 0; i < 20000; i++)
        sb_puts(&s, "0123456789");
    CHECK(s.size < 2 * 65536 + 64); /* it did not hold everything */
    sb_flush(&s);
    fclose(out);
    CHECK_EQ_INT(size, 200000);
    free(text);
    free(s.s);

    /* stopped: nothing more is added once the flag is set */
    volatile sig_atomic_t stop = 0;
    strbuf t = {.stop = &stop};
    sb_puts(&t, "before");
    stop = 1;
    sb_puts(&t, " after");
    sb_printf(&t, "%d", 1);
    CHECK(t.stopped);
    CHECK_EQ_STR(sb_take(&t), "before");
    free(t.s);

    CHECK_EQ_STR(macchk_fmt_mac((const uint8_t[]){0x52, 0x54, 0, 0x12, 0x34, 0x56}).s, "52:54:00:12:34:56");
    CHECK_EQ_STR(macchk_fmt_ip(0xC0A87A01u).s, "192.168.122.1");
}

typedef struct {
    uint32_t key;
    uint32_t warning; /* 1: no victim */
} rec;

static bool is_victim(const void *r)
{
    return !((const rec *)r)->warning;
}

/* Every record findable by its key, and nothing else. */
static bool consistent(const ktable *t, uint32_t max_key)
{
    size_t found = 0;
    for (uint32_t k = 0; k <= max_key; k++) {
        const rec *r = kt_find(t, &k);
        if (r && r->key != k)
            return false;
        found += r != NULL;
    }
    return found == t->count;
}

static void test_ktable(void)
{
    ktable t;
    bool created;

    kt_init(&t, sizeof(rec), sizeof(uint32_t), 100);
    for (uint32_t k = 0; k < 100; k++) {
        rec *r = kt_touch(&t, &k, NULL, &created);
        CHECK(r && created);
        r->warning = k % 3 == 0;
    }
    uint32_t again = 7;
    CHECK(kt_touch(&t, &again, NULL, &created) && !created);
    uint32_t extra = 100;
    CHECK(kt_touch(&t, &extra, NULL, NULL) == NULL); /* just past the cap: refused */
    CHECK_EQ_INT(t.turned_away, 1);
    CHECK_EQ_INT(t.refused_no_victim, 0);
    CHECK(consistent(&t, 1000));

    /* Warnings evict Notes, never Warnings, until only Warnings are left */
    uint32_t k = 1000;
    size_t notes = 100 - 34;
    for (size_t i = 0; i < notes; i++, k++) {
        rec *r = kt_touch(&t, &k, is_victim, &created);
        CHECK(r && created);
        r->warning = 1;
    }
    CHECK_EQ_INT(t.evicted, notes);
    CHECK_EQ_INT(t.count, 100);
    CHECK(kt_touch(&t, &k, is_victim, NULL) == NULL); /* all Warnings now */
    CHECK_EQ_INT(t.refused_no_victim, 1);
    CHECK(consistent(&t, 2000));
    for (uint32_t j = 0; j < 100; j += 3)
        CHECK(kt_find(&t, &j) != NULL); /* the first Warnings are all still there */
    kt_clear(&t);
    CHECK_EQ_INT(t.count, 0);
    CHECK(kt_find(&t, &k) == NULL);

    /* cap 0 keeps nothing and does not crash */
    ktable none;
    kt_init(&none, sizeof(rec), sizeof(uint32_t), 0);
    CHECK(kt_touch(&none, &k, is_victim, NULL) == NULL);
    CHECK_EQ_INT(none.turned_away, 1);
    kt_clear(&none);

    /* many evictions in a big table keep the index right */
    kt_init(&t, sizeof(rec), sizeof(uint32_t), 5000);
    for (uint32_t j = 0; j < 5000; j++)
        ((rec *)kt_touch(&t, &j, NULL, NULL))->warning = (j * 2654435761u >> 7) % 2;
    for (uint32_t j = 5000; j < 6000; j++) {
        rec *r = kt_touch(&t, &j, is_victim, NULL);
        CHECK(r != NULL);
        r->warning = 1;
    }
    CHECK(consistent(&t, 6000));
    kt_clear(&t);
}

int main(void)
{
    test_concat();
    test_strbuf();
    test_ktable();
    return unit_report("test_util");
}
