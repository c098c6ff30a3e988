/* test_cli_stream.c - the command on long inputs: memory that does not grow
 * with the input, the progress line, and -j N writing exactly what -j 1
 * writes. */
#define _DEFAULT_SOURCE

#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NERTAG ABS_TOP_BUILDDIR "/src/nertag"

/* Sentences to build documents from, in both languages, with names of
 * every type and a few lines that are rejected. */
static const char *const sentences[] = {
    "Le porte-parole du ministère chinois des affaires étrangères, Mao Ning, "
    "a déclaré que c'était Washington qui était coupable.",
    "The Chinese government has rejected the allegations, said Mao Ning.",
    "Volt Typhoon, également connu sous le nom de Bronze Silhouette, opère "
    "pour le compte de Pékin.",
    "Microsoft Corp and the Five Eyes alliance warned about Volt Typhoon.",
    "Les États-Unis, la Grande-Bretagne, le Canada et l'Australie.",
    "Secureworks - une filiale de Dell Technologies - a répondu.",
    "A short line without names.",
    "Emmanuel Macron a rencontré Xi Jinping au Pacifique.",
};
#define NSENT (sizeof sentences / sizeof *sentences)

/* n JSON lines; every 97th line is broken, to check that messages keep
 * their place too. */
static void write_jsonl(const char *file, size_t n)
{
    FILE *f = fopen(file, "w");
    ck_assert_ptr_nonnull(f);
    for (size_t i = 0; i < n; i++) {
        if (i % 97 == 96)
            fprintf(f, "{\"id\":\"d%zu\",\"txt\":\"no text\"}\n", i);
        else
            fprintf(f, "{\"id\":\"d%zu\",\"text\":\"%s %s\"}\n", i,
                    sentences[i % NSENT], sentences[(i * 7 + 3) % NSENT]);
    }
    ck_assert_int_eq(fclose(f), 0);
}

/* ------------------------------------------------------------ memory */

START_TEST(memory_does_not_grow_with_input)
{
    const char *argv[] = { NERTAG, "-i", "jsonl", "--no-progress", NULL };
    long small, large;
    /* under AddressSanitizer, freed memory waits in a quarantine of up to
     * 256 MB, which would look like growth: keep it small */
    const char *asan = getenv("ASAN_OPTIONS");
    char opts[512];
    snprintf(opts, sizeof opts, "%s%squarantine_size_mb=1", asan ? asan : "",
             asan && *asan ? ":" : "");
    ck_assert_int_eq(setenv("ASAN_OPTIONS", opts, 1), 0);
    write_jsonl(test_cli_path("20k.jsonl"), 20000);
    write_jsonl(test_cli_path("200k.jsonl"), 200000);
    ck_assert_int_eq(test_spawn(argv, test_cli_path("20k.jsonl"),
                                test_cli_path("out"), test_cli_path("err"),
                                NULL, &small), 1);
    ck_assert_int_gt(test_file_size(test_cli_path("out")), 20000 * 100);
    ck_assert_int_eq(test_spawn(argv, test_cli_path("200k.jsonl"),
                                test_cli_path("out"), test_cli_path("err"),
                                NULL, &large), 1);
    ck_assert_int_gt(test_file_size(test_cli_path("out")), 200000 * 100);
    printf("peak memory: %ld kB for 20k lines, %ld kB for 200k lines\n",
           small, large);
    /* ten times the input, the same memory give or take allocator noise */
    ck_assert_int_lt(large, small + 4096);
}
END_TEST

/* ------------------------------------------------------------ progress */

START_TEST(progress_line)
{
    write_jsonl(test_cli_path("in.jsonl"), 200000);
    const char *forced[] = { NERTAG, "-i", "jsonl", "--progress", NULL };
    ck_assert_int_eq(test_spawn(forced, test_cli_path("in.jsonl"),
                                test_cli_path("out"), test_cli_path("err"),
                                NULL, NULL), 1);
    char *err = test_read(test_cli_path("err"), NULL);
    /* drawn in place, with bytes, documents and speed, and erased at the
     * end; the messages of rejected lines erase it first */
    ck_assert_ptr_nonnull(strstr(err, "\r\033[Knertag: "));
    ck_assert_ptr_nonnull(strstr(err, " MB of "));
    ck_assert_ptr_nonnull(strstr(err, " documents, "));
    ck_assert_ptr_nonnull(strstr(err, " MB/s"));
    const char *last = err, *p;
    while ((p = strstr(last + 1, " MB/s")))
        last = p;
    ck_assert_ptr_nonnull(strstr(last, "\r\033[K"));
    ck_assert_ptr_nonnull(strstr(err, "\r\033[Knertag: <stdin>:"));
    ck_assert_ptr_nonnull(strstr(err, "nertag: <stdin>:97: no \"text\" "
                                      "member\n"));
    free(err);
    /* not on a file or a pipe unless asked, nor when refused */
    const char *dflt[] = { NERTAG, "-i", "jsonl", NULL };
    const char *never[] = { NERTAG, "-i", "jsonl", "--progress",
                            "--no-progress", NULL };
    for (int k = 0; k < 2; k++) {
        const char *const *argv = k ? never : dflt;
        ck_assert_int_eq(test_spawn(argv, test_cli_path("in.jsonl"),
                                    test_cli_path("out"),
                                    test_cli_path("err"), NULL, NULL), 1);
        err = test_read(test_cli_path("err"), NULL);
        ck_assert_ptr_null(strstr(err, "\033"));
        ck_assert_ptr_null(strstr(err, "MB/s"));
        free(err);
    }
}
END_TEST

/* ------------------------------------------------------------ threads */

/* Output and messages of -j N are those of -j 1, byte for byte. */
static void same_as_one_thread(const char *const *args, const char *input)
{
    char *in = strdup(input);   /* test_cli_path()'s storage is reused below */
    const char *argv[64];
    size_t n = 0;
    argv[n++] = NERTAG;
    for (; *args; args++) {
        ck_assert_uint_lt(n, 60);
        argv[n++] = *args;
    }
    argv[n++] = "-j";
    argv[n + 1] = NULL;
    static const char *const jobs[] = { "1", "2", "3", "8" };
    for (int k = 0; k < 4; k++) {
        argv[n] = jobs[k];
        char out[32], err[32];
        snprintf(out, sizeof out, "out%d", k);
        snprintf(err, sizeof err, "err%d", k);
        char *o = strdup(test_cli_path(out)), *e = strdup(test_cli_path(err));
        int st = test_spawn(argv, in, o, e, NULL, NULL);
        if (k) {
            ck_assert_msg(test_same_file(test_cli_path("out0"), o),
                          "-j %s output differs", jobs[k]);
            ck_assert_msg(test_same_file(test_cli_path("err0"), e),
                          "-j %s messages differ", jobs[k]);
        } else {
            ck_assert_int_gt(test_file_size(o), 1000);
        }
        ck_assert_msg(st <= 1, "-j %s: status %d", jobs[k], st);
        free(o);
        free(e);
    }
    free(in);
}

START_TEST(threads_jsonl)
{
    write_jsonl(test_cli_path("in.jsonl"), 5000);
    const char *args[] = { "-i", "jsonl", "--explain", NULL };
    same_as_one_thread(args, test_cli_path("in.jsonl"));
    /* written and flushed document by document: the same bytes */
    const char *flushed[] = { "-i", "jsonl", "--line-buffered", NULL };
    same_as_one_thread(flushed, test_cli_path("in.jsonl"));
    /* the broken lines are reported in order */
    char *err = test_read(test_cli_path("err2"), NULL);
    ck_assert_ptr_nonnull(strstr(err, "nertag: <stdin>:97: no \"text\" "
                                      "member\nnertag: <stdin>:194: "));
    free(err);
}
END_TEST

START_TEST(threads_conll)
{
    FILE *f = fopen(test_cli_path("in.conll"), "w");
    ck_assert_ptr_nonnull(f);
    for (size_t d = 0; d < 1500; d++) {
        fprintf(f, "-DOCSTART- -X- O\n\n");
        for (int s = 0; s < 2; s++) {
            /* one token a line, from a sentence cut at spaces */
            const char *p = sentences[(d + (size_t)s) % NSENT];
            while (*p) {
                size_t n = strcspn(p, " ");
                fprintf(f, "%.*s\tX\n", (int)n, p);
                p += n + (p[n] == ' ');
            }
            fputc('\n', f);
        }
    }
    ck_assert_int_eq(fclose(f), 0);
    const char *args[] = { "-i", "conll", "-o", "conll", NULL };
    same_as_one_thread(args, test_cli_path("in.conll"));
    const char *html[] = { "-i", "conll", "-o", "html", NULL };
    same_as_one_thread(html, test_cli_path("in.conll"));
}
END_TEST

START_TEST(threads_text_files)
{
    /* one document per file, named on the command line */
    const char *argv[64];
    size_t n = 0;
    argv[n++] = "-o";
    argv[n++] = "xml";
    char names[40][96];
    for (int i = 0; i < 40; i++) {
        snprintf(names[i], sizeof names[i], "%s/t%02d.txt", test_cli_dir(), i);
        FILE *f = fopen(names[i], "w");
        ck_assert_ptr_nonnull(f);
        for (size_t k = 0; k < (size_t)(i % 7 + 1) * 20; k++)
            fprintf(f, "%s\n", sentences[(k + (size_t)i) % NSENT]);
        if (i == 13)
            fputs("\xff", f);             /* rejected, in its place */
        ck_assert_int_eq(fclose(f), 0);
        argv[n++] = names[i];
    }
    argv[n] = NULL;
    same_as_one_thread(argv, "/dev/null");
    char *err = test_read(test_cli_path("err3"), NULL);
    ck_assert_ptr_nonnull(strstr(err, "t13.txt: byte "));
    free(err);
}
END_TEST

/* Long text files, tagged by the reader through a window, between short
 * ones tagged by the workers: the same output with any number of threads,
 * flushed document by document or not. */
START_TEST(threads_long_text_files)
{
    ck_assert_int_eq(setenv("NERTAG_STREAM_WINDOW", "4096", 1), 0);
    static const char *const formats[] = { "jsonl", "conll", "html" };
    for (int fmt = 0; fmt < 3; fmt++) {
        const char *argv[64];
        size_t n = 0;
        argv[n++] = "-o";
        argv[n++] = formats[fmt];
        if (fmt == 1)
            argv[n++] = "--line-buffered";
        char names[16][96];
        for (int i = 0; i < 16; i++) {
            snprintf(names[i], sizeof names[i], "%s/l%02d.txt",
                     test_cli_dir(), i);
            FILE *f = fopen(names[i], "w");
            ck_assert_ptr_nonnull(f);
            /* over 128 KiB (32 windows) for one file in four */
            size_t lines = i % 4 == 1 ? 2000 : 30;
            for (size_t k = 0; k < lines; k++)
                fprintf(f, "%s%s", sentences[(k + (size_t)i) % NSENT],
                        k % 5 ? " " : "\n");
            if (i == 9)
                fputs("\xff", f);         /* rejected at its end */
            ck_assert_int_eq(fclose(f), 0);
            argv[n++] = names[i];
        }
        argv[n] = NULL;
        same_as_one_thread(argv, "/dev/null");
        char *err = test_read(test_cli_path("err2"), NULL);
        ck_assert_ptr_nonnull(strstr(err, "l09.txt: byte "));
        free(err);
    }
    unsetenv("NERTAG_STREAM_WINDOW");
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("cli-stream");
    TCase *tc = tcase_create("stream");
    tcase_add_checked_fixture(tc, test_cli_setup, test_cli_teardown);
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, memory_does_not_grow_with_input);
    tcase_add_test(tc, progress_line);
    suite_add_tcase(s, tc);
    /* make check-tsan runs this case alone (CK_RUN_CASE=threads) */
    tc = tcase_create("threads");
    tcase_add_checked_fixture(tc, test_cli_setup, test_cli_teardown);
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, threads_jsonl);
    tcase_add_test(tc, threads_conll);
    tcase_add_test(tc, threads_text_files);
    tcase_add_test(tc, threads_long_text_files);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return test_run(suite());
}
