/* test_cli_long.c - long text documents, tagged through a moving window.
 *
 * A text longer than 32 windows is not held whole: the command tags it
 * through nertag_stream and writes it part by part.  Its output must be
 * that of tagging it whole, in every output format, and its memory must
 * not grow with its length.  $NERTAG_STREAM_WINDOW makes the window small
 * so that a text of a few megabytes crosses many windows, or large so
 * that the same text is tagged whole.
 *
 * The 100 MB case runs only under make check-large (NERTAG_CHECK_LARGE
 * set): it generates its text in the test's folder. */
#define _DEFAULT_SOURCE

#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NERTAG ABS_TOP_BUILDDIR "/src/nertag"
#define WHOLE "1073741824"        /* a window larger than any text here */
#define SMALL "16384"     /* texts over 512 KiB through the window */

/* Runs nertag ARGS… IN > out with the window given; returns its exit
 * status and its peak memory in kB. */
static int run(const char *window, const char *const *args, const char *in,
               const char *out, long *maxrss_kb)
{
    const char *argv[32] = { NERTAG, "--no-progress" };
    size_t n = 2;
    for (; *args; args++)
        argv[n++] = *args;
    argv[n++] = in;
    argv[n] = NULL;
    char env_window[64];
    snprintf(env_window, sizeof env_window, "NERTAG_STREAM_WINDOW=%s", window);
    const char *env[] = { env_window, NULL };
    return test_spawn(argv, NULL, out, test_cli_path("err"), env, maxrss_kb);
}

/* About size bytes of news, in the file NAME of the test's folder; returns
 * its path (free it).  The news: the founding articles in turn (people named in
 * full, then by their last names, groups by their aliases), sometimes with
 * no line break between them, sometimes with blank lines. */
static char *long_text(const char *name, size_t size)
{
    size_t fl, el;
    char *fr = test_read(ABS_TOP_SRCDIR "/examples/seed-fr.txt", &fl);
    char *en = test_read(ABS_TOP_SRCDIR "/examples/seed-en.txt", &el);
    const char *path = test_cli_path(name);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    size_t n = 0;
    for (unsigned k = 0; n < size; k++) {
        /* mostly French, so that the language of the first window is that
         * of the whole */
        int english = k % 4 == 3;
        n += fwrite(english ? en : fr, 1, english ? el : fl, f);
        n += (size_t)fprintf(f, k % 3 ? "\n\n" : " ");
    }
    ck_assert_int_eq(fclose(f), 0);
    free(fr);
    free(en);
    return strdup(path);
}

static void same_through_window(const char *input, const char *const *args)
{
    char *whole = strdup(test_cli_path("whole"));
    char *part = strdup(test_cli_path("parts"));
    ck_assert_int_eq(run(WHOLE, args, input, whole, NULL), 0);
    ck_assert_int_eq(run(SMALL, args, input, part, NULL), 0);
    ck_assert_int_gt(test_file_size(whole), 1000);
    ck_assert_msg(test_same_file(whole, part),
                  "%s %s: the parts differ from the "
                  "whole", args[0], args[1]);
    free(whole);
    free(part);
}

START_TEST(one_mb_every_format)
{
    char *in = long_text("1mb.txt", 1 << 20);
    static const char *const formats[][4] = {
        { "-o", "jsonl", NULL }, { "-o", "text", NULL },
        { "-o", "conll", NULL }, { "-o", "conll", "--scheme=bioes", NULL },
        { "-o", "html", NULL }, { "-o", "xml", NULL }, { "-o", "brat", NULL },
        { "-o", "text", "--replace-invalid", NULL },
    };
    for (size_t i = 0; i < sizeof formats / sizeof *formats; i++)
        same_through_window(in, formats[i]);
    /* the parts came out as they were tagged: many windows */
    const char *args[] = { "-o", "jsonl", NULL };
    long kb;
    ck_assert_int_eq(run(SMALL, args, in, test_cli_path("out"), &kb), 0);
    char *out = test_read(test_cli_path("out"), NULL);
    ck_assert_uint_eq(test_count(out, "\n"), 1);
    ck_assert_uint_gt(test_count(out, "\"type\":\"GROUP\""), 100);
    free(out);
    free(in);
}
END_TEST

START_TEST(ten_mb)
{
    char *in = long_text("10mb.txt", 10 << 20);
    static const char *const formats[][3] = {
        { "-o", "jsonl", NULL }, { "-o", "text", NULL },
    };
    for (size_t i = 0; i < sizeof formats / sizeof *formats; i++)
        same_through_window(in, formats[i]);
    free(in);
}
END_TEST

/* brat into a folder: the parts go on with the same two files. */
START_TEST(brat_files_in_parts)
{
    char *input = long_text("doc.txt", 600 << 10);
    const char *a[] = { "-o", "brat", "--brat-dir", test_cli_path("a"), NULL };
    ck_assert_int_eq(run(WHOLE, a, input, test_cli_path("o1"), NULL), 0);
    const char *b[] = { "-o", "brat", "--brat-dir", test_cli_path("b"), NULL };
    ck_assert_int_eq(run(SMALL, b, input, test_cli_path("o2"), NULL), 0);
    ck_assert(test_same_file(test_cli_path("a/doc.ann"),
                             test_cli_path("b/doc.ann")));
    ck_assert(test_same_file(test_cli_path("a/doc.txt"), input));
    ck_assert(test_same_file(test_cli_path("b/doc.txt"), input));
    free(input);
}
END_TEST

/* Invalid UTF-8 after the first parts: the document's output is closed
 * where it stands (still one JSON line, one XML document), the reason is
 * said with its offset, and the next file is tagged. */
START_TEST(invalid_utf8_far_in)
{
    char *input = long_text("bad.txt", 1 << 20);
    FILE *f = fopen(input, "r+");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(fseek(f, 900000, SEEK_SET), 0);
    fputc(0xFF, f);
    ck_assert_int_eq(fclose(f), 0);
    test_cli_file("next.txt", "Le Canada.", 10);
    setenv("NERTAG_STREAM_WINDOW", SMALL, 1);
    test_cli_run r = test_cli("bad.txt next.txt");
    ck_assert_int_eq(r.status, 1);
    ck_assert_str_eq(r.err, "nertag: bad.txt: byte 900000: invalid UTF-8\n");
    ck_assert_uint_eq(test_count(r.out, "\n"), 2);
    ck_assert_int_eq(strncmp(r.out, "{\"id\":\"bad.txt\",\"lang\":\"fr\"", 27),
                     0);
    assert_has(r.out, "}]}\n{\"id\":\"next.txt\"");
    test_cli_free(&r);
    if (system("python3 -c '' 2>/dev/null") == 0) {
        r = test_cli("-o xml bad.txt next.txt > out.xml 2>/dev/null; "
                     "python3 -c 'import "
                     "sys, xml.etree.ElementTree as E; "
                     "print(len(E.parse(sys.argv[1]).getroot()))' out.xml");
        ck_assert_str_eq(r.out, "2\n");
        test_cli_free(&r);
    }
    unsetenv("NERTAG_STREAM_WINDOW");
    free(input);
}
END_TEST

/* make check-large: 100 MB of text, with line breaks and without any, in
 * memory that does not depend on its length. */
START_TEST(hundred_mb_bounded_memory)
{
    if (!getenv("NERTAG_CHECK_LARGE")) {
        printf("hundred_mb_bounded_memory: skipped (make check-large)\n");
        return;
    }
    const char *args[] = { "-o", "jsonl", NULL };
    char *ten = long_text("10mb.txt", 10 << 20);
    char *big = long_text("100mb.txt", 100 << 20);
    long small_kb, big_kb, w_kb;
    ck_assert_int_eq(run("131072", args, ten, test_cli_path("o10"),
                         &small_kb), 0);
    ck_assert_int_eq(run("131072", args, big, test_cli_path("o100"),
                         &big_kb), 0);
    /* a window of another size gives the same mentions */
    ck_assert_int_eq(run("1048576", args, big, test_cli_path("o100b"),
                         &w_kb), 0);
    ck_assert(test_same_file(test_cli_path("o100"), test_cli_path("o100b")));
    printf("peak memory: %ld kB for 10 MB, %ld kB for 100 MB (%ld kB with "
           "a 1 MiB window)\n", small_kb, big_kb, w_kb);
    ck_assert_int_lt(big_kb, 100 * 1024 / 4);
    ck_assert_int_lt(big_kb, small_kb + 8192);
    /* one line of 100 MB: no sentence end at all */
    FILE *f = fopen(big, "w");
    ck_assert_ptr_nonnull(f);
    for (int i = 0; i < 100 * 1024 * 16; i++)
        fputs("la pluie tombe sur la ville et le Canada depuis le matin ", f);
    ck_assert_int_eq(fclose(f), 0);
    ck_assert_int_eq(run("131072", args, big, test_cli_path("o1"), &big_kb),
                     0);
    printf("peak memory: %ld kB for 100 MB without a sentence end\n", big_kb);
    /* the library holds a sentence up to 16 windows: 2 MiB here */
    ck_assert_int_lt(big_kb, 100 * 1024);
    char *out = test_read(test_cli_path("o1"), NULL);
    ck_assert_uint_eq(test_count(out, "\"canonical\":\"Canada\""),
                      100 * 1024 * 16);
    free(out);
    free(ten);
    free(big);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("cli_long");
    TCase *tc = tcase_create("window");
    tcase_add_checked_fixture(tc, test_cli_setup, test_cli_teardown);
    tcase_set_timeout(tc, 900);
    tcase_add_test(tc, one_mb_every_format);
    tcase_add_test(tc, ten_mb);
    tcase_add_test(tc, brat_files_in_parts);
    tcase_add_test(tc, invalid_utf8_far_in);
    tcase_add_test(tc, hundred_mb_bounded_memory);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return test_run(suite());
}
