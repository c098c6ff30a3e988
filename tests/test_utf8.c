/* test_utf8.c - the input stage: UTF-8 validation, replacement, coding.
 *
 * Every class of invalid sequence of RFC 3629 is checked one sequence at a
 * time (utf8_valid_seq) and inside text (utf8_first_invalid, with the exact
 * offset of the bad sequence), including every position around the eight
 * bytes at a time ASCII scan.  Buffers are allocated to their exact size so
 * that the sanitizers see any read past the end. */
#include "testutil.h"
#include "lib/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An assertion for loops of a million checks: ck_assert reports every
 * success to the parent process, which would take most of the time. */
#define expect(cond, ...)                 \
    do {                                  \
        if (!(cond))                      \
            ck_abort_msg(__VA_ARGS__);    \
    } while (0)

/* A copy of s[0..n) in a buffer of exactly n bytes. */
static char *exact(const char *s, size_t n)
{
    char *p = malloc(n ? n : 1);
    ck_assert_ptr_nonnull(p);
    memcpy(p, s, n);
    return p;
}

static size_t valid_seq(const char *s, size_t n)
{
    char *p = exact(s, n);
    size_t len = utf8_valid_seq((const unsigned char *)p, n);
    free(p);
    return len;
}

static size_t first_invalid(const char *s, size_t n)
{
    char *p = exact(s, n);
    size_t off = utf8_first_invalid(p, n);
    free(p);
    return off;
}

/* One sequence and what utf8_valid_seq says of it. */
typedef struct seq_case {
    const char *bytes;
    size_t len;
    size_t valid;           /* expected length, 0 for invalid */
    const char *what;
} seq_case;

#define S(lit) lit, sizeof lit - 1

static const seq_case seq_cases[] = {
    /* ASCII */
    { S("\x01"), 1, "U+0001" },
    { S("A"), 1, "A" },
    { S("\x7F"), 1, "U+007F" },
    { "\0", 1, 0, "NUL" },
    /* two bytes */
    { S("\xC2\x80"), 2, "U+0080" },
    { S("\xC3\xA9"), 2, "e acute" },
    { S("\xDF\xBF"), 2, "U+07FF" },
    { S("\xC0\x80"), 0, "overlong NUL" },
    { S("\xC0\xAF"), 0, "overlong slash" },
    { S("\xC1\xBF"), 0, "overlong U+007F" },
    { S("\xC3\x41"), 0, "second byte not a continuation" },
    { S("\xC3\xC3"), 0, "second byte a lead byte" },
    /* three bytes */
    { S("\xE0\xA0\x80"), 3, "U+0800" },
    { S("\xE2\x82\xAC"), 3, "euro sign" },
    { S("\xED\x9F\xBF"), 3, "U+D7FF, last before the surrogates" },
    { S("\xEE\x80\x80"), 3, "U+E000, first after the surrogates" },
    { S("\xEF\xBF\xBD"), 3, "U+FFFD" },
    { S("\xEF\xBF\xBF"), 3, "U+FFFF" },
    { S("\xE0\x80\x80"), 0, "overlong NUL in three bytes" },
    { S("\xE0\x9F\xBF"), 0, "overlong U+07FF" },
    { S("\xED\xA0\x80"), 0, "surrogate U+D800" },
    { S("\xED\xAD\xBF"), 0, "surrogate U+DB7F" },
    { S("\xED\xB0\x80"), 0, "surrogate U+DC00" },
    { S("\xED\xBF\xBF"), 0, "surrogate U+DFFF" },
    { S("\xE2\x41\xAC"), 0, "bad second byte" },
    { S("\xE2\x82\x41"), 0, "bad third byte" },
    { S("\xE2\x82\xC3"), 0, "lead byte as third byte" },
    /* four bytes */
    { S("\xF0\x90\x80\x80"), 4, "U+10000" },
    { S("\xF0\x9F\x98\x80"), 4, "emoji" },
    { S("\xF4\x8F\xBF\xBF"), 4, "U+10FFFF" },
    { S("\xF0\x80\x80\x80"), 0, "overlong NUL in four bytes" },
    { S("\xF0\x8F\xBF\xBF"), 0, "overlong U+FFFF" },
    { S("\xF4\x90\x80\x80"), 0, "U+110000" },
    { S("\xF4\xBF\xBF\xBF"), 0, "U+13FFFF" },
    { S("\xF5\x80\x80\x80"), 0, "lead F5" },
    { S("\xF7\xBF\xBF\xBF"), 0, "lead F7" },
    { S("\xF8\x88\x80\x80\x80"), 0, "five-byte form" },
    { S("\xFC\x84\x80\x80\x80\x80"), 0, "six-byte form" },
    { S("\xFE"), 0, "FE" },
    { S("\xFF"), 0, "FF" },
    { S("\xF0\x41\x80\x80"), 0, "bad second byte of four" },
    { S("\xF0\x9F\x41\x80"), 0, "bad third byte of four" },
    { S("\xF0\x9F\x98\x41"), 0, "bad fourth byte of four" },
    /* stray continuation bytes */
    { S("\x80"), 0, "stray 80" },
    { S("\xBF"), 0, "stray BF" },
    { S("\x80\x80"), 0, "two stray continuations" },
    /* truncated at the end of the text */
    { S("\xC3"), 0, "two-byte lead alone" },
    { S("\xE2"), 0, "three-byte lead alone" },
    { S("\xE2\x82"), 0, "three bytes cut after two" },
    { S("\xF0"), 0, "four-byte lead alone" },
    { S("\xF0\x9F"), 0, "four bytes cut after two" },
    { S("\xF0\x9F\x98"), 0, "four bytes cut after three" },
};
#define NSEQ (sizeof seq_cases / sizeof seq_cases[0])

START_TEST(valid_seq_every_class)
{
    for (size_t i = 0; i < NSEQ; i++) {
        const seq_case *c = &seq_cases[i];
        size_t got = valid_seq(c->bytes, c->len);
        ck_assert_msg(got == c->valid, "%s: utf8_valid_seq = %zu, want %zu",
                      c->what, got, c->valid);
    }
}
END_TEST

/* A valid sequence followed by more text still has its own length. */
START_TEST(valid_seq_ignores_what_follows)
{
    ck_assert_uint_eq(valid_seq(S("\xC3\xA9z")), 2);
    ck_assert_uint_eq(valid_seq(S("\xE2\x82\xAC\x80")), 3);
    ck_assert_uint_eq(valid_seq(S("\xF0\x9F\x98\x80\xFF")), 4);
    ck_assert_uint_eq(valid_seq(S("a\xFF")), 1);
}
END_TEST

/* Each case inside text: "ab" + sequence + "cd".  A valid sequence leaves
 * the text valid; an invalid one is reported at its first byte. */
START_TEST(first_invalid_offsets)
{
    for (size_t i = 0; i < NSEQ; i++) {
        const seq_case *c = &seq_cases[i];
        char text[32];
        size_t n = 0;
        memcpy(text, "ab", 2);
        n = 2;
        memcpy(text + n, c->bytes, c->len);
        n += c->len;
        memcpy(text + n, "cd", 2);
        n += 2;
        size_t got = first_invalid(text, n);
        size_t want = c->valid ? n : 2;
        ck_assert_msg(got == want, "%s inside text: offset %zu, want %zu",
                      c->what, got, want);
        /* alone */
        got = first_invalid(c->bytes, c->len);
        want = c->valid ? c->len : 0;
        ck_assert_msg(got == want, "%s alone: offset %zu, want %zu", c->what,
                      got, want);
    }
}
END_TEST

/* Sequences cut short by the end of the text, after valid text. */
START_TEST(first_invalid_truncated_at_end)
{
    ck_assert_uint_eq(first_invalid(S("abc\xC3")), 3);
    ck_assert_uint_eq(first_invalid(S("abc\xE2\x82")), 3);
    ck_assert_uint_eq(first_invalid(S("abcdefghij\xF0\x9F\x98")), 10);
    ck_assert_uint_eq(first_invalid(S("\xC3\xA9\xC3")), 2);
    ck_assert_uint_eq(first_invalid(S("\xE2\x82\xAC\xE2\x82\xAC\xE2\x82")), 6);
    /* complete, it is valid */
    ck_assert_uint_eq(first_invalid(S("abc\xE2\x82\xAC")), 6);
}
END_TEST

START_TEST(first_invalid_empty_and_valid)
{
    ck_assert_uint_eq(utf8_first_invalid("", 0), 0);
    const char *s = "L\xE2\x80\x99" "alerte \xC3\xA0 P\xC3\xA9kin \xF0\x9F\x98\x80.";
    ck_assert_uint_eq(first_invalid(s, strlen(s)), strlen(s));
    /* the first of several errors */
    ck_assert_uint_eq(first_invalid(S("ok\xC3\xA9\x80\xFF\0")), 4);
    ck_assert_uint_eq(first_invalid(S("ok\0\xFF")), 2);
}
END_TEST

/* A bad byte at every offset 0..16 of ASCII runs of every length up to 40:
 * before, inside, at the edges of and after the 8-byte words. */
START_TEST(first_invalid_around_fast_path)
{
    static const char *const bad[] = { "\x80", "\xFF", "\0", "\xC0",
                                       "\xC3", "\xED" };
    for (size_t n = 1; n <= 40; n++) {
        for (size_t k = 0; k <= 16 && k < n; k++) {
            for (size_t b = 0; b < sizeof bad / sizeof bad[0]; b++) {
                char *p = malloc(n);
                expect(p != NULL, "out of memory");
                memset(p, 'a', n);
                p[k] = bad[b][0];
                size_t got = utf8_first_invalid(p, n);
                expect(got == k, "run of %zu, byte %02X at %zu: got %zu", n,
                       (unsigned char)bad[b][0], k, got);
                free(p);
            }
        }
        /* all ASCII: valid, whatever the length */
        char *p = malloc(n);
        ck_assert_ptr_nonnull(p);
        memset(p, 'z', n);
        ck_assert_uint_eq(utf8_first_invalid(p, n), n);
        free(p);
    }
}
END_TEST

/* Offsets 0..16 again, with the run starting at every alignment and a valid
 * multi-byte character before the bad byte. */
START_TEST(first_invalid_alignment_and_multibyte)
{
    char *block = malloc(64);
    ck_assert_ptr_nonnull(block);
    for (size_t align = 0; align < 8; align++) {
        for (size_t k = 0; k <= 16; k++) {
            size_t n = 32;
            char *p = block + align;
            memset(p, 'x', n);
            p[k] = '\xFF';
            expect(utf8_first_invalid(p, n) == k, "bad byte at %zu", k);
            /* a valid é (two bytes) just before the bad byte */
            if (k >= 2) {
                memcpy(p + k - 2, "\xC3\xA9", 2);
                ck_assert_uint_eq(utf8_first_invalid(p, n), k);
            }
            /* a truncated euro sign ending the text at k + 2 */
            memset(p, 'x', n);
            memcpy(p + k, "\xE2\x82", 2);
            ck_assert_uint_eq(utf8_first_invalid(p, k + 2), k);
            ck_assert_uint_eq(utf8_first_invalid(p, k), k);
        }
    }
    free(block);
}
END_TEST

/* NUL is refused everywhere, not only where the fast path looks. */
START_TEST(first_invalid_nul)
{
    char text[24];
    for (size_t k = 0; k < sizeof text; k++) {
        memset(text, 'n', sizeof text);
        text[k] = '\0';
        ck_assert_uint_eq(first_invalid(text, sizeof text), k);
    }
    /* NUL right after a multi-byte character */
    ck_assert_uint_eq(first_invalid(S("\xC3\xA9\0abcdefgh")), 2);
}
END_TEST

/* ------------------------------------------------------------ replacement */

static char *replace(const char *s, size_t n, size_t *outlen)
{
    char *p = exact(s, n);
    buf out = BUF_INIT;
    ck_assert_int_eq(utf8_replace_invalid(p, n, &out), 0);
    free(p);
    ck_assert_int_eq(buf_reserve(&out, 0), 0);
    *outlen = out.len;
    return out.data;
}

#define FFFD "\xEF\xBF\xBD"

static void check_replace(const char *in, size_t n, const char *want)
{
    size_t len;
    char *got = replace(in, n, &len);
    ck_assert_msg(len == strlen(want) && memcmp(got, want, len) == 0,
                  "replacement of %zu bytes: got <%.*s>, want <%s>", n,
                  (int)len, got, want);
    /* the output is always valid */
    ck_assert_uint_eq(utf8_first_invalid(got, len), len);
    free(got);
}

/* A piece that ends inside a character keeps the bytes that begin it; a
 * piece that ends on a whole character, or on bytes no character can
 * complete, keeps nothing. */
START_TEST(incomplete_tail_of_pieces)
{
    static const struct { const char *s; size_t keep; } cases[] = {
        { "", 0 },
        { "abc", 0 },
        { "caf\xC3\xA9", 0 },              /* é whole */
        { "caf\xC3", 1 },                   /* é cut after its lead */
        { "\xE2\x82", 2 },                  /* € cut after two bytes */
        { "x\xE2\x82\xAC", 0 },             /* € whole */
        { "\xF0\x9F\x98", 3 },              /* an emoji cut after three */
        { "\xF0\x9F\x98\x80", 0 },          /* the emoji whole */
        { "\x80\x80", 0 },                  /* continuations with no lead */
        { "a\xC3\xA9\xA9", 0 },             /* a continuation too many */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        ck_assert_msg(utf8_incomplete_tail(cases[i].s, strlen(cases[i].s)) ==
                          cases[i].keep,
                      "case %zu", i);
}
END_TEST

START_TEST(replace_valid_text_unchanged)
{
    const char *s = "Nouvelle-Z\xC3\xA9lande \xE2\x80\x99 \xF0\x9F\x98\x80";
    check_replace(s, strlen(s), s);
    check_replace("", 0, "");
}
END_TEST

/* One U+FFFD for each maximal subpart of an ill-formed sequence (Unicode
 * chapter 3, "U+FFFD Substitution of Maximal Subparts"): a truncated
 * sequence is one replacement, a byte that can start nothing is one. */
START_TEST(replace_invalid_sequences)
{
    check_replace(S("a\xC3(b"), "a" FFFD "(b");
    check_replace(S("a\xFF" "b"), "a" FFFD "b");
    check_replace(S("a\0b"), "a" FFFD "b");
    check_replace(S("\x80\x80"), FFFD FFFD);
    check_replace(S("\xC0\x80"), FFFD FFFD);
    check_replace(S("\xE0\x80\x80"), FFFD FFFD FFFD);
    check_replace(S("\xED\xA0\x80"), FFFD FFFD FFFD);
    check_replace(S("\xF4\x90\x80\x80"), FFFD FFFD FFFD FFFD);
    check_replace(S("\xF5\x80"), FFFD FFFD);
    /* truncated sequences */
    check_replace(S("x\xE2\x82"), "x" FFFD);
    check_replace(S("x\xE2\x82y"), "x" FFFD "y");
    check_replace(S("\xF0\x9F\x98"), FFFD);
    check_replace(S("\xF0\x9F\x98z"), FFFD "z");
    check_replace(S("\xF0\x9F\xE2\x82\xAC"), FFFD "\xE2\x82\xAC");
    check_replace(S("\xC3\xC3\xA9"), FFFD "\xC3\xA9");
    check_replace(S("\xE2\x82\xAC\xE2\x82"), "\xE2\x82\xAC" FFFD);
}
END_TEST

/* ------------------------------------------------------------ coding */

/* The length the standard gives to a code point. */
static size_t expected_len(uint32_t cp)
{
    return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

START_TEST(encode_decode_every_code_point)
{
    size_t checked = 0;
    for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
        char out[4];
        size_t n = utf8_encode(cp, out);
        expect(n == expected_len(cp), "U+%04X encoded in %zu bytes",
               (unsigned)cp, n);
        int surrogate = cp >= 0xD800 && cp <= 0xDFFF;
        size_t valid = utf8_valid_seq((const unsigned char *)out, n);
        if (surrogate || cp == 0) {
            /* NUL and surrogates encode, but are not accepted as text */
            expect(valid == 0, "U+%04X accepted", (unsigned)cp);
            continue;
        }
        expect(valid == n, "U+%04X: encoded form rejected", (unsigned)cp);
        uint32_t back = 0xFFFFFFFF;
        expect(utf8_decode((const unsigned char *)out, &back) == n,
               "U+%04X: decoded length", (unsigned)cp);
        expect(back == cp, "U+%04X decodes to U+%04X", (unsigned)cp,
               (unsigned)back);
        checked++;
    }
    ck_assert_uint_eq(checked, 0x110000 - 0x800 - 1);
}
END_TEST

/* The bytes themselves, for the first and last code point of each length. */
START_TEST(encode_exact_bytes)
{
    static const struct { uint32_t cp; const char *bytes; } cases[] = {
        { 0x41, "A" },
        { 0x7F, "\x7F" },
        { 0x80, "\xC2\x80" },
        { 0xE9, "\xC3\xA9" },
        { 0x7FF, "\xDF\xBF" },
        { 0x800, "\xE0\xA0\x80" },
        { 0x2019, "\xE2\x80\x99" },
        { 0xFFFD, "\xEF\xBF\xBD" },
        { 0xFFFF, "\xEF\xBF\xBF" },
        { 0x10000, "\xF0\x90\x80\x80" },
        { 0x1F600, "\xF0\x9F\x98\x80" },
        { 0x10FFFF, "\xF4\x8F\xBF\xBF" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[4];
        size_t n = utf8_encode(cases[i].cp, out);
        ck_assert_uint_eq(n, strlen(cases[i].bytes));
        ck_assert_int_eq(memcmp(out, cases[i].bytes, n), 0);
    }
}
END_TEST

/* All code points in one text: valid as a whole, and decoded back in
 * order. */
START_TEST(whole_text_of_every_code_point)
{
    buf b = BUF_INIT;
    for (uint32_t cp = 1; cp <= 0x10FFFF; cp++) {
        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        char out[4];
        expect(buf_append(&b, out, utf8_encode(cp, out)) == 0,
               "out of memory");
    }
    ck_assert_uint_eq(utf8_first_invalid(b.data, b.len), b.len);
    const unsigned char *s = (const unsigned char *)b.data;
    size_t i = 0;
    uint32_t want = 1;
    while (i < b.len) {
        uint32_t cp;
        i += utf8_decode(s + i, &cp);
        expect(cp == want, "U+%04X decoded where U+%04X was written",
               (unsigned)cp, (unsigned)want);
        want = want == 0xD7FF ? 0xE000 : want + 1;
    }
    ck_assert_uint_eq(want, 0x110000);
    /* replacement leaves it as it is */
    buf r = BUF_INIT;
    ck_assert_int_eq(utf8_replace_invalid(b.data, b.len, &r), 0);
    ck_assert_uint_eq(r.len, b.len);
    ck_assert_int_eq(memcmp(r.data, b.data, b.len), 0);
    buf_free(&r);
    buf_free(&b);
}
END_TEST

static Suite *utf8_suite(void)
{
    Suite *s = suite_create("utf8");
    TCase *tc = tcase_create("validation");
    tcase_add_test(tc, valid_seq_every_class);
    tcase_add_test(tc, valid_seq_ignores_what_follows);
    tcase_add_test(tc, first_invalid_offsets);
    tcase_add_test(tc, first_invalid_truncated_at_end);
    tcase_add_test(tc, first_invalid_empty_and_valid);
    tcase_add_test(tc, first_invalid_around_fast_path);
    tcase_add_test(tc, first_invalid_alignment_and_multibyte);
    tcase_add_test(tc, first_invalid_nul);
    tcase_add_test(tc, incomplete_tail_of_pieces);
    suite_add_tcase(s, tc);

    tc = tcase_create("replacement");
    tcase_add_test(tc, replace_valid_text_unchanged);
    tcase_add_test(tc, replace_invalid_sequences);
    suite_add_tcase(s, tc);

    tc = tcase_create("coding");
    /* a few seconds under valgrind */
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, encode_decode_every_code_point);
    tcase_add_test(tc, encode_exact_bytes);
    tcase_add_test(tc, whole_text_of_every_code_point);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return test_run(utf8_suite());
}
