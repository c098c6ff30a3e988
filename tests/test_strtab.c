/* test_strtab.c - the string tables every stage looks words up in.
 *
 * A slot keeps a string's first 8 bytes and its length (up to 254), so
 * that most look-ups never read the pool: strings that differ only past
 * the 8th byte, only in their length, by trailing NUL bytes, or only at
 * the end of a string longer than 255 bytes must all stay apart. */
#include "testutil.h"
#include "util/strtab.h"

#include <stdio.h>
#include <string.h>

/* An assertion for loops of many checks: ck_assert reports every success
 * to the parent process, which would take most of the time. */
#define expect(cond, ...)                 \
    do {                                  \
        if (!(cond))                      \
            ck_abort_msg(__VA_ARGS__);    \
    } while (0)

START_TEST(dense_ids_and_absent_strings)
{
    strtab t;
    memset(&t, 0, sizeof t);
    ck_assert_uint_eq(strtab_find(&t, "a", 1), STRTAB_NONE);
    ck_assert_uint_eq(strtab_intern(&t, "said", 4), 0);
    ck_assert_uint_eq(strtab_intern(&t, "", 0), 1);
    ck_assert_uint_eq(strtab_intern(&t, "Beijing", 7), 2);
    ck_assert_uint_eq(strtab_intern(&t, "said", 4), 0);
    ck_assert_uint_eq(strtab_find(&t, "", 0), 1);
    ck_assert_uint_eq(strtab_find(&t, "Beijing", 7), 2);
    ck_assert_uint_eq(strtab_find(&t, "Beijin", 6), STRTAB_NONE);
    ck_assert_uint_eq(strtab_find(&t, "sai", 3), STRTAB_NONE);
    ck_assert_str_eq(strtab_get(&t, 2), "Beijing");
    ck_assert_uint_eq(strtab_len(&t, 0), 4);
    ck_assert_ptr_null(strtab_get(&t, 3));
    strtab_free(&t);
}
END_TEST

/* Binary keys (list and word ids) hold zero bytes: "ab" and "ab\0" are
 * two strings, although their first 8 bytes, zero-padded, are the same. */
START_TEST(trailing_zero_bytes_count)
{
    strtab t;
    memset(&t, 0, sizeof t);
    static const char z[12] = "ab";
    for (size_t n = 2; n <= sizeof z; n++)
        ck_assert_uint_eq(strtab_intern(&t, z, n), n - 2);
    for (size_t n = 2; n <= sizeof z; n++)
        ck_assert_uint_eq(strtab_find(&t, z, n), n - 2);
    ck_assert_uint_eq(strtab_find(&t, "a", 1), STRTAB_NONE);
    strtab_free(&t);
}
END_TEST

/* Every prefix of a 600-byte string, then each of them with its last byte
 * changed: apart on both sides of 8 bytes and of 255. */
START_TEST(prefixes_around_8_and_255_bytes)
{
    enum { LONG = 600 };
    char s[LONG], other[LONG];
    for (size_t i = 0; i < LONG; i++)
        s[i] = (char)('a' + i % 26);
    strtab t;
    memset(&t, 0, sizeof t);
    for (size_t n = 0; n <= LONG; n++)
        expect(strtab_intern(&t, s, n) == n, "prefix %zu", n);
    for (size_t n = 1; n <= LONG; n++) {
        memcpy(other, s, n);
        other[n - 1] = '#';
        expect(strtab_find(&t, other, n) == STRTAB_NONE, "changed %zu", n);
        expect(strtab_find(&t, s, n) == n, "found %zu", n);
        expect(strtab_len(&t, (uint32_t)n) == n, "length %zu", n);
    }
    strtab_free(&t);
}
END_TEST

/* Enough strings to grow the table many times, all found afterwards. */
START_TEST(many_strings_survive_growth)
{
    enum { COUNT = 200000 };
    strtab t;
    memset(&t, 0, sizeof t);
    char w[32];
    for (uint32_t i = 0; i < COUNT; i++) {
        int n = snprintf(w, sizeof w, "w%u", i);
        expect(strtab_intern(&t, w, (size_t)n) == i, "intern %u", i);
    }
    for (uint32_t i = 0; i < COUNT; i++) {
        int n = snprintf(w, sizeof w, "w%u", i);
        expect(strtab_find(&t, w, (size_t)n) == i, "find %u", i);
        n = snprintf(w, sizeof w, "x%u", i);
        expect(strtab_find(&t, w, (size_t)n) == STRTAB_NONE, "absent %u", i);
    }
    ck_assert_uint_gt(strtab_memory(&t), 0);
    strtab_free(&t);
}
END_TEST

/* A word inside a text, read with the bytes after it, is found as
 * itself: at every length around the 8-byte words, with text after it
 * that differs from the table's copy, and absent when a byte differs. */
START_TEST(words_inside_text_found_as_themselves)
{
    strtab t;
    memset(&t, 0, sizeof t);
    const char *alphabet = "abcdefghijklmnopqrstuvwxyz";
    for (size_t n = 0; n <= 20; n++)
        expect(strtab_intern(&t, alphabet, n) == n, "intern %zu", n);
    char text[64];
    for (size_t n = 0; n <= 20; n++) {
        memcpy(text, alphabet, n);
        memset(text + n, 'Z', sizeof text - n);   /* not the alphabet */
        expect(strtab_find_in_text(&t, text, n) == n, "find %zu", n);
        expect(strtab_find_in_text(&t, text, n) == strtab_find(&t, text, n),
               "as strtab_find %zu", n);
        expect(strtab_find_hashed_in_text(&t, text, n,
                                          strtab_hash_in_text(text, n)) == n,
               "hashed ahead %zu", n);
        expect(strtab_hash_in_text(text, n) == hash_bytes(text, n),
               "the same hash %zu", n);
        if (n) {
            text[n - 1] = 'Y';
            expect(strtab_find_in_text(&t, text, n) == STRTAB_NONE,
                   "changed last byte %zu", n);
        }
    }
    strtab_free(&t);
}
END_TEST

/* An emptied table finds none of its old strings and numbers new ones
 * from 0, whether it cleared its used slots (few strings) or all. */
START_TEST(cleared_table_starts_again)
{
    strtab t;
    memset(&t, 0, sizeof t);
    char w[32];
    for (int round = 0; round < 3; round++) {
        uint32_t count = round == 1 ? 3000 : 5;
        for (uint32_t i = 0; i < count; i++) {
            int n = snprintf(w, sizeof w, "r%d-%u", round, i);
            expect(strtab_intern(&t, w, (size_t)n) == i, "intern %u", i);
        }
        ck_assert_uint_eq(t.count, count);
        strtab_clear(&t);
        ck_assert_uint_eq(t.count, 0);
        for (uint32_t i = 0; i < count; i++) {
            int n = snprintf(w, sizeof w, "r%d-%u", round, i);
            expect(strtab_find(&t, w, (size_t)n) == STRTAB_NONE,
                   "forgotten %u", i);
        }
    }
    ck_assert_uint_eq(strtab_intern(&t, "again", 5), 0);
    ck_assert_str_eq(strtab_get(&t, 0), "again");
    strtab_free(&t);
}
END_TEST

static Suite *strtab_suite(void)
{
    Suite *s = suite_create("strtab");
    TCase *tc = tcase_create("lookups");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, dense_ids_and_absent_strings);
    tcase_add_test(tc, trailing_zero_bytes_count);
    tcase_add_test(tc, prefixes_around_8_and_255_bytes);
    tcase_add_test(tc, many_strings_survive_growth);
    tcase_add_test(tc, words_inside_text_found_as_themselves);
    tcase_add_test(tc, cleared_table_starts_again);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return test_run(strtab_suite());
}
