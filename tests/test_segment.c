/* test_segment.c - the fast path of the word segmenter (segment.c), for
 * ASCII and the simple letters of the Latin, Greek and Cyrillic alphabets,
 * gives exactly ICU's segments.
 *
 * Every text is cut twice, by segment_text and by segment_text with
 * SEGMENT_ICU_ONLY (ICU over the whole text, the reference), and the two
 * segment lists must agree on every field: every string of up to 5
 * characters over an alphabet with one ASCII character of each word-break
 * class (and white space, controls), every string of up to 4 over letters
 * and the marks between them (é, ·, ’, «, a combining mark, д), random
 * longer strings mixing ASCII with other characters, and the founding
 * articles. */
#include "testutil.h"
#include "lib/text/segment.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static segmenter *sg;
static segment_vec fast, ref;

static void setup(void)
{
    nertag_error err;
    sg = segmenter_new(&err);
    ck_assert_msg(sg != NULL, "%s", err.message);
}

static void teardown(void)
{
    segmenter_free(sg);
    segment_vec_free(&fast);
    segment_vec_free(&ref);
}

static void show(const char *what, const segment_vec *v, const char *s)
{
    fprintf(stderr, "%s:", what);
    for (size_t i = 0; i < v->n; i++)
        fprintf(stderr, " [%.*s]%s%s%s%s", (int)(v->v[i].end - v->v[i].start),
                s + v->v[i].start, v->v[i].is_word ? "w" : "",
                v->v[i].space_before ? "s" : "",
                v->v[i].para_before ? "p" : "",
                v->v[i].apostrophe ? "a" : "");
    fprintf(stderr, "\n");
}

/* Returns 1 when both ways agree on s. */
static int agree(const char *s, size_t n)
{
    nertag_error err;
    ck_assert_int_eq(segment_text(sg, s, n, 0, &fast, &err), 0);
    ck_assert_int_eq(segment_text(sg, s, n, SEGMENT_ICU_ONLY, &ref, &err), 0);
    int same = fast.n == ref.n;
    for (size_t i = 0; same && i < fast.n; i++)
        same = fast.v[i].start == ref.v[i].start &&
               fast.v[i].end == ref.v[i].end &&
               fast.v[i].is_word == ref.v[i].is_word &&
               fast.v[i].space_before == ref.v[i].space_before &&
               fast.v[i].para_before == ref.v[i].para_before &&
               fast.v[i].apostrophe == ref.v[i].apostrophe;
    if (!same) {
        fprintf(stderr, "text <%.*s>\n", (int)n, s);
        show("fast", &fast, s);
        show("ICU ", &ref, s);
    }
    return same;
}

/* One character of each class, as UTF-8 strings. */
static const char *const ascii_alphabet[] = {
    "a", "Z", "7", "_", ".", "'", ",", ";", ":", "@", "-", "\"", "$",
    " ", "\n", "\t", "\x01",
};
static const char *const mixed_alphabet[] = {
    "a", "7", "_", ".", "'", ",", " ", "\n", "-",
    "\xC3\xA9",            /* é, a letter */
    "\xCC\x81",            /* U+0301 combining acute, Extend */
    "\xE2\x80\xAF",        /* U+202F narrow no-break space, ExtendNumLet */
    "\xC2\xA0",            /* U+00A0 no-break space */
    "\xE3\x80\x80",        /* U+3000 ideographic space, WSegSpace */
    "\xE2\x80\x8D",        /* U+200D zero width joiner */
    "\xE2\x80\x99",        /* U+2019 right quote, MidNumLet */
    "\xF0\x9F\x87\xAB",    /* U+1F1EB regional indicator F */
    "\xD7\x90",            /* U+05D0 Hebrew letter alef */
    "\xE3\x82\xA2",        /* U+30A2 katakana a */
    "\xE4\xB8\xAD",        /* U+4E2D an ideograph */
    "\xC3\x9F",            /* ß, a letter */
    "\xC3\x96",            /* Ö */
    "\xCE\xBB",            /* λ */
    "\xD0\xB4",            /* д */
    "\xE1\xBA\xA1",        /* U+1EA1 ạ, Latin Extended Additional */
    "\xC2\xB7",            /* U+00B7 middle dot, MidLetter */
    "\xCD\xBE",            /* U+037E Greek question mark, MidNum */
    "\xE2\x80\x98",        /* U+2018 left quote, MidNumLet */
    "\xC2\xAB",            /* «, Other */
    "\xC2\xB0",            /* °, Other */
    "\xC2\xB2",            /* ², Other */
    "\xC2\xAA",            /* ª, a letter */
    "\xC2\xAD",            /* U+00AD soft hyphen, Format */
    "\xCA\xBC",            /* U+02BC modifier apostrophe, a letter */
    "\xD9\xA3",            /* U+0663 Arabic-Indic three, Numeric */
    "\xC3",                 /* a lone lead byte, invalid */
};

/* How many of the strings of 1 to maxlen characters of alphabet (k of
 * them) the fast path and ICU cut differently (counting stops at 5). */
static size_t disagreements(const char *const *alphabet, size_t k,
                            int maxlen)
{
    char s[64];
    size_t total = 1, failures = 0;
    for (int len = 1; len <= maxlen; len++) {
        total *= k;
        for (size_t code = 0; code < total && failures < 5; code++) {
            size_t n = 0, c = code;
            for (int i = 0; i < len; i++, c /= k) {
                const char *ch = alphabet[c % k];
                memcpy(s + n, ch, strlen(ch));
                n += strlen(ch);
            }
            failures += !agree(s, n);
        }
    }
    return failures;
}

START_TEST(every_short_ascii_string)
{
    ck_assert_uint_eq(disagreements(ascii_alphabet, sizeof ascii_alphabet /
                                    sizeof *ascii_alphabet, 5), 0);
}
END_TEST

/* Every string of up to 4 characters of letters and the marks that join
 * or break them, ASCII and not: the simple letters' path (é, ß, ·, ’)
 * against ICU where they meet. */
static const char *const letters_alphabet[] = {
    "a", "7", ".", "'", ",", " ", "-",
    "\xC3\xA9",            /* é */
    "\xC2\xB7",            /* middle dot, MidLetter */
    "\xE2\x80\x99",        /* right quote, MidNumLet */
    "\xC2\xAB",            /* «, Other */
    "\xCC\x81",            /* combining acute, Extend */
    "\xD0\xB4",            /* д */
};

START_TEST(every_short_string_of_letters)
{
    ck_assert_uint_eq(disagreements(letters_alphabet, sizeof letters_alphabet /
                                    sizeof *letters_alphabet, 4), 0);
}
END_TEST

START_TEST(random_mixed_strings)
{
    size_t k = sizeof mixed_alphabet / sizeof *mixed_alphabet;
    char s[400];
    size_t failures = 0;
    srand(12345);
    for (int round = 0; round < 100000 && failures < 5; round++) {
        int len = 1 + rand() % 40;
        size_t n = 0;
        /* mostly ASCII, as text is, with other characters here and there */
        for (int i = 0; i < len; i++) {
            size_t pick = rand() % 4 ? (size_t)rand() % 9 : (size_t)rand() % k;
            const char *ch = mixed_alphabet[pick];
            memcpy(s + n, ch, strlen(ch));
            n += strlen(ch);
        }
        failures += !agree(s, n);
    }
    ck_assert_uint_eq(failures, 0);
}
END_TEST

START_TEST(founding_articles)
{
    const char *paths[] = { TEST_DATA "/seed-fr.txt", TEST_DATA "/seed-en.txt" };
    for (size_t i = 0; i < 2; i++) {
        size_t n;
        char *text = test_read(paths[i], &n);
        ck_assert(agree(text, n));
        ck_assert_uint_gt(fast.n, 100);
        free(text);
    }
}
END_TEST

START_TEST(empty_text)
{
    ck_assert(agree("", 0));
    ck_assert_uint_eq(fast.n, 0);
    ck_assert(agree("  \n\n ", 5));
    ck_assert_uint_eq(fast.n, 0);
}
END_TEST

static Suite *segment_suite(void)
{
    Suite *s = suite_create("segment");
    TCase *tc = tcase_create("same as ICU");
    tcase_set_timeout(tc, 300);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, every_short_ascii_string);
    tcase_add_test(tc, every_short_string_of_letters);
    tcase_add_test(tc, random_mixed_strings);
    tcase_add_test(tc, founding_articles);
    tcase_add_test(tc, empty_text);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return test_run(segment_suite());
}
