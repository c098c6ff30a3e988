/* test_cli_bad.c - the command on hostile input: one line of 100 MB, a
 * sentence of a million tokens, JSON nested a million deep, malformed JSON
 * lines among good ones, a truncated CoNLL file, binary files, empty files
 * and files of nothing but line breaks.
 *
 * Each input is written to a temporary folder and given to the freshly
 * built src/nertag; the test checks its exit status, what it tagged and
 * what it reported.  Check's timeout bounds the time each may take.  Set
 * NERTAG_WRAPPER to run the command under a checker, as in test_cli.c. */
#include "testutil.h"
#include "lib/internal.h"
#include "util/json.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static FILE *create(const char *name)
{
    FILE *f = fopen(test_cli_path(name), "wb");
    ck_assert_msg(f != NULL, "cannot write %s", name);
    return f;
}

static void close_file(FILE *f)
{
    ck_assert_int_eq(ferror(f), 0);
    ck_assert_int_eq(fclose(f), 0);
}

static size_t lines(const char *s)
{
    return test_count(s, "\n");
}

/* ------------------------------------------------------------ long lines */

/* One name, then about 9 KB of words without a name: a 100 MB text has
 * one mention every 9 KB, so that the output stays small. */
static const char name_part[] = "Le Canada a signé un accord. ";
static const char filler[] = "la pluie tombe sur la ville et les champs "
                             "depuis le matin, ";
#define FILLERS 160
#define BIG (100u << 20)

/* Writes chunks up to 100 MB on f, with no line break; returns how many. */
static size_t write_big_text(FILE *f)
{
    size_t chunk = strlen(name_part) + FILLERS * strlen(filler), n = 0;
    for (; (n + 1) * chunk <= BIG; n++) {
        fputs(name_part, f);
        for (int i = 0; i < FILLERS; i++)
            fputs(filler, f);
    }
    return n;
}

START_TEST(text_of_100_mb_on_one_line)
{
    FILE *f = create("big.txt");
    size_t names = write_big_text(f);
    close_file(f);
    test_cli_run r = test_cli("big.txt");
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.err, "");
    ck_assert_uint_eq(lines(r.out), 1);
    /* every name, the last one too: the whole line was tagged */
    ck_assert_uint_gt(names, 10000);
    ck_assert_uint_eq(test_count(r.out, "\"canonical\":\"Canada\""), names);
    ck_assert_uint_eq(test_count(r.out, "\"type\":"), names);
    test_cli_free(&r);
}
END_TEST

START_TEST(jsonl_line_of_100_mb)
{
    /* no line break after it either */
    FILE *f = create("big.jsonl");
    fputs("{\"id\":\"big\",\"text\":\"", f);
    size_t names = write_big_text(f);
    fputs("\"}", f);
    close_file(f);
    test_cli_run r = test_cli("-i jsonl big.jsonl");
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.err, "");
    ck_assert_uint_eq(lines(r.out), 1);
    ck_assert_int_eq(strncmp(r.out, "{\"id\":\"big\",\"text\":\"Le Canada", 29),
                     0);
    ck_assert_uint_eq(test_count(r.out, "\"canonical\":\"Canada\""), names);
    test_cli_free(&r);
}
END_TEST

/* ------------------------------------------------------------ long sentence */

/* 20 tokens and 4 mentions, repeated without a sentence end. */
static const char *const cycle[] = {
    "le", "porte-parole", "du", "ministère", "chinois", "des", "affaires",
    "étrangères", ",", "Mao", "Ning", ",", "a", "déclaré", "que", "les",
    "États-Unis", "et", "le", "Canada"
};
#define CYCLE (sizeof cycle / sizeof *cycle)
#define CYCLES 50000        /* a million tokens */

START_TEST(sentence_of_a_million_tokens)
{
    FILE *f = create("long.txt");
    for (size_t i = 0; i < CYCLES * CYCLE; i++)
        fprintf(f, "%s%s", i ? " " : "", cycle[i % CYCLE]);
    close_file(f);
    test_cli_run r = test_cli("long.txt");
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.err, "");
    ck_assert_uint_eq(test_count(r.out, "\"canonical\":\"Canada\""), CYCLES);
    ck_assert_uint_eq(test_count(r.out, "\"canonical\":\"United States\""),
                      CYCLES);
    ck_assert_uint_eq(test_count(r.out, "\"canonical\":\"Mao Ning\""), CYCLES);
    ck_assert_uint_eq(test_count(r.out, "\"type\":\"ORG\""), CYCLES);
    test_cli_free(&r);

    /* the same tokens in CoNLL, one a line and no blank line: one
     * sentence of a million given tokens, every line back with its tag */
    f = create("long.conll");
    for (size_t i = 0; i < CYCLES * CYCLE; i++)
        fprintf(f, "%s\n", cycle[i % CYCLE]);
    close_file(f);
    r = test_cli("-i conll -o conll long.conll");
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.err, "");
    ck_assert_uint_eq(lines(r.out), CYCLES * CYCLE);
    /* (lines of one column get the tag after a space) */
    ck_assert_uint_eq(test_count(r.out, "\nCanada B-STATE\n"), CYCLES);
    ck_assert_uint_eq(test_count(r.out, "\nNing I-SPOKESPERSON\n"), CYCLES);
    test_cli_free(&r);
}
END_TEST

/* ------------------------------------------------------------ bad JSON */

static void repeat(FILE *f, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fputs(s, f);
}

START_TEST(json_nested_a_million_deep)
{
    FILE *f = create("deep.jsonl");
    fputs("{\"id\":\"g1\",\"text\":\"Le Canada.\"}\n", f);
    /* a member holding a million nested arrays */
    fputs("{\"text\":\"x\",\"a\":", f);
    repeat(f, "[", 1000000);
    repeat(f, "]", 1000000);
    fputs("}\n", f);
    fputs("{\"id\":\"g2\",\"text\":\"La France.\"}\n", f);
    repeat(f, "[", 1000000);                 /* not an object at all */
    fputs("\n", f);
    repeat(f, "{\"a\":", 1000000);           /* objects a million deep */
    fputs("\n{\"id\":\"g3\",\"text\":\"Le Japon.\"}\n", f);
    close_file(f);
    test_cli_run r = test_cli("-i jsonl deep.jsonl");
    ck_assert_int_eq(r.status, 1);
    /* the good lines are tagged, in order */
    ck_assert_uint_eq(lines(r.out), 3);
    ck_assert_int_eq(strncmp(r.out, "{\"id\":\"g1\"", 10), 0);
    assert_has(strchr(r.out, '\n') + 1, "{\"id\":\"g2\"");
    assert_has(r.out, "\"canonical\":\"Japan\"");
    /* the others are reported where they go wrong: 63 arrays in the
     * object make 64 levels, the limit */
    assert_has(r.err, "deep.jsonl:2: byte 79: nesting deeper than 64\n");
    assert_has(r.err, "deep.jsonl:4: byte 0: expected a JSON object\n");
    assert_has(r.err, "deep.jsonl:5: byte 320: nesting deeper than 64\n");
    ck_assert_uint_eq(lines(r.err), 3);
    test_cli_free(&r);
}
END_TEST

START_TEST(malformed_json_lines_among_good_ones)
{
    static const char input[] =
        "{\"id\":\"a\",\"text\":\"Le Canada a signé.\"}\n"        /* 1 */
        "{\"text\": \"unterminated\n"                              /* 2 */
        "{\"id\":\"b\",\"text\":\"La France a signé.\"}\n"         /* 3 */
        "not json at all\n"                                        /* 4 */
        "{\"text\": 42}\n"                                         /* 5 */
        "{\"id\":\"c\"}\n"                                         /* 6 */
        "{\"text\":\"Le Japon.\"} trailing\n"                      /* 7 */
        "{\"text\":\"\\ud800 lone surrogate\"}\n"                  /* 8 */
        "{\"text\":\"bad escape \\q\"}\n"                          /* 9 */
        "{\"text\":\"Le Japon.\",\"text\":\"Le Pérou.\"}\n"        /* 10 */
        "{\"id\":\"d\",\"text\":\"Le Mexique a signé.\"}\n"        /* 11 */
        "{\"text\":\"nul \\u0000 inside\"}\n"                      /* 12 */
        "[]\n"                                                     /* 13 */
        "\n"                                                       /* 14 */
        "{\"text\":\"\xff\"}\n"                                    /* 15 */
        "{\"id\":\"e\",\"text\":\"L'Italie a signé.\"}\n"          /* 16 */
        "{\"id\":\"f\",\"text\":\"Le Brésil";                      /* 17 */
    test_cli_file("mal.jsonl", input, sizeof input - 1);
    test_cli_run r = test_cli("-i jsonl mal.jsonl");
    ck_assert_int_eq(r.status, 1);
    /* every bad line, with its place and why */
    static const char *const why[] = {
        "mal.jsonl:2: byte 9: unterminated string\n",
        "mal.jsonl:4: byte 0: expected a JSON object\n",
        "mal.jsonl:5: byte 9: \"text\" must be a string\n",
        "mal.jsonl:6: no \"text\" member\n",
        "mal.jsonl:7: byte 21: unexpected data after the JSON object\n",
        "mal.jsonl:8: byte 9: unpaired surrogate in \\u escape\n",
        "mal.jsonl:9: byte 20: invalid escape sequence\n",
        "mal.jsonl:10: byte 20: duplicate \"text\" member\n",
        "mal.jsonl:12: byte 4 of \"text\": NUL byte in text\n",
        "mal.jsonl:13: byte 0: expected a JSON object\n",
        "mal.jsonl:15: byte 9: invalid UTF-8 byte\n",
        "mal.jsonl:17: byte 17: unterminated string\n",
    };
    for (size_t i = 0; i < sizeof why / sizeof *why; i++)
        assert_has(r.err, why[i]);
    ck_assert_uint_eq(lines(r.err), sizeof why / sizeof *why);
    /* every good line, tagged, in order */
    ck_assert_uint_eq(lines(r.out), 4);
    static const char *const good[] = { "a", "b", "d", "e" };
    static const char *const state[] = { "Canada", "France", "Mexico",
                                         "Italy" };
    const char *p = r.out;
    for (size_t i = 0; i < 4; i++) {
        const char *end = strchr(p, '\n');
        ck_assert_ptr_nonnull(end);
        char *line = strndup(p, (size_t)(end - p));
        char want[64];
        snprintf(want, sizeof want, "{\"id\":\"%s\"", good[i]);
        ck_assert_msg(strncmp(line, want, strlen(want)) == 0,
                      "line %zu of the output: %.80s", i + 1, line);
        snprintf(want, sizeof want, "\"canonical\":\"%s\"", state[i]);
        assert_has(line, want);
        free(line);
        p = end + 1;
    }
    test_cli_free(&r);
}
END_TEST

/* ------------------------------------------------------------ CoNLL */

START_TEST(truncated_conll)
{
    /* the last line cut in the middle of its token, no final line break */
    static const char cut[] = "Le\tO\nCanada\tO\na\tO\nsigné\tO\n\n"
                              "La\tO\nFra";
    test_cli_file("cut.conll", cut, sizeof cut - 1);
    test_cli_run r = test_cli("-i conll -o conll cut.conll");
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.err, "");
    /* every line back, the cut one too, with a line break */
    ck_assert_str_eq(r.out, "Le\tO\tO\nCanada\tO\tB-STATE\na\tO\tO\n"
                            "signé\tO\tO\n\nLa\tO\tO\nFra\tO\n");
    test_cli_free(&r);

    /* cut in the middle of a character: that token is reported with its
     * line, the others are tagged */
    static const char cut_char[] = "Le\nCanada\nsign\xC3";
    test_cli_file("cut2.conll", cut_char, sizeof cut_char - 1);
    r = test_cli("-i conll -o conll cut2.conll");
    ck_assert_int_eq(r.status, 1);
    ck_assert_str_eq(r.err, "nertag: cut2.conll:3: byte 4: invalid UTF-8\n");
    assert_has(r.out, "Le O\nCanada B-STATE\n");
    ck_assert_uint_eq(lines(r.out), 3);
    test_cli_free(&r);

    /* cut before the token column */
    static const char cut_column[] = "1\tLe\n2\tCanada\n3";
    test_cli_file("cut3.conll", cut_column, sizeof cut_column - 1);
    r = test_cli("-i conll -c 2 -o conll cut3.conll");
    ck_assert_int_eq(r.status, 1);
    ck_assert_str_eq(r.err, "nertag: cut3.conll:3: no token in column 2\n");
    ck_assert_str_eq(r.out, "1\tLe\tO\n2\tCanada\tB-STATE\n3\tO\n");
    test_cli_free(&r);
}
END_TEST

/* ------------------------------------------------------------ binary */

/* Tags a binary file as text: refused at its first bad byte, or tagged
 * with --replace-invalid into valid JSON and valid UTF-8. */
static void binary_as_text(const char *name, const char *data, size_t n)
{
    test_cli_file(name, data, n);
    size_t bad = utf8_first_invalid(data, n);
    ck_assert_uint_lt(bad, n);
    char want[200];
    snprintf(want, sizeof want, "nertag: %s: byte %zu: %s\n", name, bad,
             data[bad] ? "invalid UTF-8" : "NUL byte in text");
    char args[300];
    snprintf(args, sizeof args, "%s", name);
    test_cli_run r = test_cli(args);
    ck_assert_int_eq(r.status, 1);
    ck_assert_str_eq(r.err, want);
    ck_assert_str_eq(r.out, "");
    test_cli_free(&r);

    snprintf(args, sizeof args, "--replace-invalid %s", name);
    r = test_cli(args);
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.err, "");
    ck_assert_uint_eq(lines(r.out), 1);
    json_object o = JSON_OBJECT_INIT;
    json_error jerr;
    ck_assert_msg(json_parse_object(r.out, r.out_len, 64, &o, &jerr) == 0,
                  "not JSON: byte %zu: %s", jerr.offset, jerr.message);
    ck_assert_int_ge(json_object_find(&o, r.out, "entities"), 0);
    json_object_free(&o);
    test_cli_free(&r);

    /* the text output is the repaired text: valid UTF-8, nothing lost */
    snprintf(args, sizeof args, "--replace-invalid -o text --color=never %s",
             name);
    r = test_cli(args);
    ck_assert_int_eq(r.status, 0);
    ck_assert_uint_eq(utf8_first_invalid(r.out, r.out_len), r.out_len);
    buf fixed = BUF_INIT;
    ck_assert_int_eq(utf8_replace_invalid(data, n, &fixed), 0);
    ck_assert_uint_ge(r.out_len, fixed.len);
    buf_free(&fixed);
    test_cli_free(&r);
}

START_TEST(binary_files_in_text_mode)
{
    /* bytes of a fixed pseudo-random sequence, the same on every run */
    size_t n = 200000;
    char *noise = malloc(n);
    ck_assert_ptr_nonnull(noise);
    uint64_t x = 0x9E3779B97F4A7C15ULL;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        noise[i] = (char)(x >> 56);
    }
    binary_as_text("noise.bin", noise, n);
    free(noise);

    /* a program: NUL bytes from the start */
    if (access("/bin/ls", R_OK) == 0) {
        size_t len;
        char *ls = test_read("/bin/ls", &len);
        binary_as_text("ls.bin", ls, len);
        free(ls);
    }
}
END_TEST

/* ------------------------------------------------------------ empty */

START_TEST(empty_file_in_every_input_format)
{
    test_cli_file("empty", "", 0);
    test_cli_run r = test_cli("empty");
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.err, "");
    assert_has(r.out, "{\"id\":\"empty\",\"lang\":\"");
    assert_has(r.out, "\"entities\":[]}\n");
    ck_assert_uint_eq(lines(r.out), 1);
    test_cli_free(&r);
    /* no line, no document */
    static const char *const none[] = { "-i jsonl empty",
                                        "-i conll empty",
                                        "-i conll -o conll empty" };
    for (size_t i = 0; i < 3; i++) {
        r = test_cli(none[i]);
        ck_assert_int_eq(r.status, 0);
        ck_assert_str_eq(r.err, "");
        ck_assert_str_eq(r.out, "");
        test_cli_free(&r);
    }
}
END_TEST

START_TEST(file_of_line_breaks_only)
{
    size_t n = 100000;
    char *breaks = malloc(n + 1);
    ck_assert_ptr_nonnull(breaks);
    memset(breaks, '\n', n);
    breaks[n] = '\0';
    test_cli_file("breaks", breaks, n);
    /* text: one document without a mention */
    test_cli_run r = test_cli("breaks");
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.err, "");
    assert_has(r.out, "\"entities\":[]}\n");
    ck_assert_uint_eq(lines(r.out), 1);
    test_cli_free(&r);
    /* and its text comes back as it was */
    r = test_cli("-o text --color=never breaks");
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.out, breaks);
    test_cli_free(&r);
    /* JSON Lines: blank lines are skipped */
    r = test_cli("-i jsonl breaks");
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.err, "");
    ck_assert_str_eq(r.out, "");
    test_cli_free(&r);
    /* CoNLL: blank lines between no sentences come back as they were */
    r = test_cli("-i conll -o conll breaks");
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.err, "");
    ck_assert_str_eq(r.out, breaks);
    test_cli_free(&r);
    free(breaks);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("cli-bad");
    /* the 100 MB inputs take seconds (a minute under a sanitizer) */
    TCase *tc = tcase_create("huge");
    tcase_add_checked_fixture(tc, test_cli_setup, test_cli_teardown);
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, text_of_100_mb_on_one_line);
    tcase_add_test(tc, jsonl_line_of_100_mb);
    tcase_add_test(tc, sentence_of_a_million_tokens);
    tcase_add_test(tc, json_nested_a_million_deep);
    suite_add_tcase(s, tc);
    tc = tcase_create("broken");
    tcase_add_checked_fixture(tc, test_cli_setup, test_cli_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, malformed_json_lines_among_good_ones);
    tcase_add_test(tc, truncated_conll);
    tcase_add_test(tc, binary_files_in_text_mode);
    tcase_add_test(tc, empty_file_in_every_input_format);
    tcase_add_test(tc, file_of_line_breaks_only);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return test_run(suite());
}
