/* test_cli_interactive.c - the command as a coprocess: a program writes one
 * document, waits for its answer, then writes the next.
 *
 * nertag runs with its standard input and output on pipes; each document
 * is written whole and its answer must come while the pipe stays open,
 * within a timeout, so that a regression (output held back in a buffer or
 * by the pool) fails the test rather than hanging it.  With one thread and
 * with two, for JSON Lines and both kinds of CoNLL files. */
#define _DEFAULT_SOURCE

#include "testutil.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NERTAG ABS_TOP_BUILDDIR "/src/nertag"
/* Generous: a sanitizer or valgrind build is slow. */
#define TIMEOUT_MS 30000

typedef struct coproc {
    pid_t pid;
    int to, from;                 /* its standard input, its output */
    buf got;                      /* read and not consumed yet */
} coproc;

static coproc start(const char *const *argv)
{
    int in[2], out[2];
    ck_assert_int_eq(pipe(in), 0);
    ck_assert_int_eq(pipe(out), 0);
    coproc c = { fork(), in[1], out[0], BUF_INIT };
    ck_assert_int_ge(c.pid, 0);
    if (c.pid == 0) {
        if (dup2(in[0], 0) < 0 || dup2(out[1], 1) < 0)
            _exit(126);
        close(in[0]);
        close(in[1]);
        close(out[0]);
        close(out[1]);
        execv(NERTAG, (char *const *)argv);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    return c;
}

static void send(coproc *c, const char *s)
{
    size_t n = strlen(s);
    while (n) {
        ssize_t k = write(c->to, s, n);
        ck_assert_msg(k > 0, "write to nertag: %s", strerror(errno));
        s += k;
        n -= (size_t)k;
    }
}

static long elapsed_ms(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (t.tv_sec - t0->tv_sec) * 1000 +
           (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* Reads until the output holds end (which is consumed with everything
 * before it, returned as a string to free); fails after the timeout. */
static char *answer(coproc *c, const char *end)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        buf_puts(&c->got, "");
        char *at = c->got.data ? strstr(c->got.data, end) : NULL;
        if (at) {
            size_t n = (size_t)(at - c->got.data) + strlen(end);
            char *s = malloc(n + 1);
            ck_assert_ptr_nonnull(s);
            memcpy(s, c->got.data, n);
            s[n] = '\0';
            memmove(c->got.data, c->got.data + n, c->got.len - n);
            c->got.len -= n;
            return s;
        }
        long left = TIMEOUT_MS - elapsed_ms(&t0);
        struct pollfd p = { c->from, POLLIN, 0 };
        int r = left > 0 ? poll(&p, 1, (int)left) : 0;
        if (r == 0) {
            kill(c->pid, SIGKILL);
            ck_abort_msg("no answer within %d ms; got so far: '%.500s'",
                         TIMEOUT_MS, c->got.data ? c->got.data : "");
        }
        char chunk[4096];
        ssize_t k = read(c->from, chunk, sizeof chunk);
        ck_assert_msg(k > 0, "nertag closed its output early");
        buf_append(&c->got, chunk, (size_t)k);
    }
}

/* Closes its input; returns its exit status once it is gone. */
static int finish(coproc *c)
{
    if (c->to >= 0)
        close(c->to);
    char chunk[4096];
    while (read(c->from, chunk, sizeof chunk) > 0)
        ;
    close(c->from);
    int st;
    ck_assert_int_eq(waitpid(c->pid, &st, 0), c->pid);
    buf_free(&c->got);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static const char *const people[] = {
    "Emmanuel Macron", "Olaf Scholz", "Xi Jinping", "Justin Trudeau",
    "Mao Ning", "Antony Blinken"
};
#define ROUNDS 12

static void jsonl(const char *jobs)
{
    const char *argv[] = { NERTAG, "-i", "jsonl", "-j", jobs, NULL };
    coproc c = start(argv);
    for (int i = 0; i < ROUNDS; i++) {
        char line[300], want[100];
        snprintf(line, sizeof line, "{\"id\":\"d%d\",\"text\":\"%s a rencontré "
                 "le président de la France à Paris.\"}\n", i,
                 people[i % 6]);
        send(&c, line);
        char *a = answer(&c, "\n");
        snprintf(want, sizeof want, "{\"id\":\"d%d\",", i);
        ck_assert_msg(!strncmp(a, want, strlen(want)), "answer %d: %s", i, a);
        snprintf(want, sizeof want, "\"canonical\":\"%s\"", people[i % 6]);
        assert_has(a, want);
        free(a);
    }
    ck_assert_int_eq(finish(&c), 0);
}

START_TEST(jsonl_one_thread) { jsonl("1"); }
END_TEST

START_TEST(jsonl_two_threads) { jsonl("2"); }
END_TEST

/* A CoNLL sentence: one token a line, then the blank line that ends it. */
static void conll_sentence(buf *b, int i)
{
    char s[200];
    snprintf(s, sizeof s, "%s a rencontré le président à Paris .",
             people[i % 6]);
    for (char *w = strtok(s, " "); w; w = strtok(NULL, " "))
        buf_printf(b, "%s\n", w);
    buf_puts(b, "\n");
}

/* Without -DOCSTART- lines each sentence is a document, answered as soon
 * as its blank line is read. */
static void conll_sentences(const char *jobs)
{
    const char *argv[] = { NERTAG, "-i", "conll", "-o", "conll", "-j", jobs,
                           NULL };
    coproc c = start(argv);
    for (int i = 0; i < ROUNDS; i++) {
        buf in = BUF_INIT;
        conll_sentence(&in, i);
        send(&c, in.data);
        char *a = answer(&c, "\n\n");
        char first[100];
        snprintf(first, sizeof first, "%.*s B-PERSON\n",
                 (int)strcspn(people[i % 6], " "), people[i % 6]);
        ck_assert_msg(!strncmp(a, first, strlen(first)), "answer %d: %s", i,
                      a);
        assert_has(a, "Paris B-");
        buf_free(&in);
        free(a);
    }
    ck_assert_int_eq(finish(&c), 0);
}

START_TEST(conll_sentences_one_thread) { conll_sentences("1"); }
END_TEST

START_TEST(conll_sentences_two_threads) { conll_sentences("2"); }
END_TEST

/* With -DOCSTART- lines a document is complete when the next one starts:
 * each -DOCSTART- line brings the answer for the document before it. */
static void conll_documents(const char *jobs)
{
    const char *argv[] = { NERTAG, "-i", "conll", "-o", "conll", "-j", jobs,
                           NULL };
    coproc c = start(argv);
    for (int i = 0; i <= ROUNDS; i++) {
        buf in = BUF_INIT;
        buf_puts(&in, "-DOCSTART-\n\n");
        if (i < ROUNDS) {
            conll_sentence(&in, i);
            conll_sentence(&in, i + 1);
        }
        send(&c, in.data);
        buf_free(&in);
        if (i == 0)
            continue;
        /* the document before: its -DOCSTART- line, two sentences */
        char *a = answer(&c, ". O\n\n");
        free(a);
        a = answer(&c, ". O\n\n");
        char want[100];
        snprintf(want, sizeof want, "%.*s B-PERSON\n",
                 (int)strcspn(people[i % 6], " "), people[i % 6]);
        ck_assert_msg(!strncmp(a, want, strlen(want)), "answer %d: %s", i, a);
        free(a);
    }
    ck_assert_int_eq(finish(&c), 0);
}

START_TEST(conll_documents_one_thread) { conll_documents("1"); }
END_TEST

START_TEST(conll_documents_two_threads) { conll_documents("2"); }
END_TEST

/* --no-line-buffered: output in blocks, even to a pipe; the answer comes
 * at the end of the input (so the answers above came from the default). */
START_TEST(no_line_buffered_waits_for_the_end)
{
    const char *argv[] = { NERTAG, "-i", "jsonl", "--no-line-buffered",
                           NULL };
    coproc c = start(argv);
    send(&c, "{\"text\":\"Le Canada.\"}\n");
    struct pollfd p = { c.from, POLLIN, 0 };
    ck_assert_int_eq(poll(&p, 1, 500), 0);
    close(c.to);
    c.to = -1;
    char *a = answer(&c, "\n");
    assert_has(a, "\"canonical\":\"Canada\"");
    free(a);
    ck_assert_int_eq(finish(&c), 0);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("cli_interactive");
    TCase *tc = tcase_create("coprocess");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, jsonl_one_thread);
    tcase_add_test(tc, jsonl_two_threads);
    tcase_add_test(tc, conll_sentences_one_thread);
    tcase_add_test(tc, conll_sentences_two_threads);
    tcase_add_test(tc, conll_documents_one_thread);
    tcase_add_test(tc, conll_documents_two_threads);
    tcase_add_test(tc, no_line_buffered_waits_for_the_end);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    return test_run(suite());
}
