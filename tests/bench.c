/* bench.c - throughput of nertag against the floor of its own tools.
 *
 *   bench [--dump DIR] [--passes N] DATA_DIR COMPILED_MODEL FILE...
 *
 * Each FILE is read and cut into documents at blank lines (CoNLL files are
 * turned into text first: tokens joined by spaces, one sentence a line).
 * On the same text, in the same process, it times:
 *
 *   floor   a bare loop of what any tagger built on these libraries must
 *           do, over the whole text at once: ICU word breaks over UTF-8,
 *           ICU case folding of each word, and its Snowball stem;
 *   nertag  the whole pipeline, every gazetteer and rule loaded, document
 *           by document, as over a stream of JSON Lines;
 *   one doc the whole text as one document, fed in 64 KB pieces to a
 *           nertag_stream (a moving window), as a long text file is.
 *
 * The three take turns, in ROUNDS rounds of RUNS passes of each in a
 * row, and the best time of each over all rounds is kept; it prints MB/s
 * of each and the ratios to the floor.  The machine's speed moves from
 * one second to the next (on a shared machine, by half): timed in turns,
 * the best times of the three come from the same minutes, not from runs
 * seconds apart.  The runs of one are not interleaved one by one with
 * the others': a stage of a pipeline runs on with its own data in the
 * caches, and a pass that follows another program's pass first fetches
 * it all again (over the 0.25 MB of the English test, that refill cost
 * nertag a tenth of its time).  A tagger keeps the folded forms and stems
 * of the words it has met, as it does over a stream; each text has a new
 * tagger, and "first run" is its first pass, where every word is new to
 * it.  With --dump, the documents are also
 * written to DIR/NAME.docs, separated by form feeds, so that other taggers
 * can be timed on exactly the same text.  With --passes N, it only tags
 * the documents of each FILE N times, untimed: under valgrind
 * --tool=callgrind, the cost of one pass is half the difference between
 * N = 3 and N = 1 (the first pass meets every word new).  This is a
 * measurement, not a test: nothing here passes or fails.
 */
#include <ctype.h>
#include <libstemmer.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unicode/ubrk.h>
#include <unicode/ucasemap.h>
#include <unicode/utext.h>

#include "util/buf.h"
#include "nertag.h"

#define ROUNDS 7
#define RUNS 3

typedef struct docs {
    buf text;          /* every document, each followed by a NUL */
    size_t *start;     /* offset of each document */
    size_t count, cap;
    size_t bytes;
} docs;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void add_doc(docs *d, const char *s, size_t n)
{
    if (!n)
        return;
    if (d->count == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 1024;
        d->start = realloc(d->start, d->cap * sizeof *d->start);
        if (!d->start)
            exit(1);
    }
    d->start[d->count++] = d->text.len;
    if (buf_append(&d->text, s, n) || buf_putc(&d->text, 0))
        exit(1);
    d->bytes += n;
}

/* A CoNLL line "index<TAB>token<TAB>tag" or "token tag": its token. */
static int conll_token(const char *line, size_t n, const char **tok,
                       size_t *len)
{
    const char *tab = memchr(line, '\t', n);
    if (tab) {
        const char *t2 = memchr(tab + 1, '\t', n - (size_t)(tab + 1 - line));
        *tok = tab + 1;
        *len = t2 ? (size_t)(t2 - *tok) : n - (size_t)(*tok - line);
    } else {
        const char *sp = memchr(line, ' ', n);
        *tok = line;
        *len = sp ? (size_t)(sp - line) : n;
    }
    return *len > 0;
}

/* Reads a file into documents: text files are cut at blank lines; CoNLL
 * files (a tab or "token tag" lines) are joined back into text and cut at
 * -DOCSTART- or every 20 sentences. */
static void read_docs(const char *path, docs *d)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(1);
    }
    int conll = strstr(path, ".conll") || strstr(path, ".bio");
    buf cur = BUF_INIT;
    char *line = NULL;
    size_t cap = 0, sentences = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, f)) >= 0) {
        size_t len = (size_t)n;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            len--;
        if (!conll) {
            if (len == 0) {
                add_doc(d, cur.data, cur.len);
                buf_clear(&cur);
            } else if (buf_append(&cur, line, len) || buf_putc(&cur, '\n')) {
                exit(1);
            }
            continue;
        }
        const char *tok;
        size_t tl;
        if (len == 0 || !conll_token(line, len, &tok, &tl)) {
            if (cur.len && buf_putc(&cur, '\n'))
                exit(1);
            if (++sentences % 20 == 0) {
                add_doc(d, cur.data, cur.len);
                buf_clear(&cur);
            }
            continue;
        }
        if (tl == 10 && !memcmp(tok, "-DOCSTART-", 10)) {
            add_doc(d, cur.data, cur.len);
            buf_clear(&cur);
            continue;
        }
        if ((cur.len && cur.data[cur.len - 1] != '\n' && buf_putc(&cur, ' '))
            || buf_append(&cur, tok, tl))
            exit(1);
    }
    add_doc(d, cur.data, cur.len);
    buf_free(&cur);
    free(line);
    fclose(f);
}

/* ICU word breaks, ICU case folding of each word, its Snowball stem,
 * over the whole text. */
static size_t floor_pass(const buf *whole, const char *stemmer)
{
    UErrorCode st = U_ZERO_ERROR;
    UBreakIterator *bi = ubrk_open(UBRK_WORD, "", NULL, 0, &st);
    UCaseMap *cm = ucasemap_open("", U_FOLD_CASE_DEFAULT, &st);
    struct sb_stemmer *stem = sb_stemmer_new(stemmer, "UTF_8");
    if (!stem) {
        fprintf(stderr, "bench: no Snowball stemmer '%s'\n", stemmer);
        exit(1);
    }
    UText *ut = NULL;
    char folded[1024];
    size_t words = 0;
    const char *s = whole->data;
    ut = utext_openUTF8(ut, s, (int64_t)whole->len, &st);
    ubrk_setUText(bi, ut, &st);
    int32_t a = ubrk_first(bi), b;
    while (U_SUCCESS(st) && (b = ubrk_next(bi)) != UBRK_DONE) {
        if (ubrk_getRuleStatus(bi) != UBRK_WORD_NONE && b - a < 256) {
            UErrorCode fs = U_ZERO_ERROR;
            int32_t fl = ucasemap_utf8FoldCase(cm, folded, sizeof folded,
                                               s + a, b - a, &fs);
            if (U_SUCCESS(fs) && fl > 0) {
                sb_stemmer_stem(stem, (const sb_symbol *)folded, fl);
                words++;
            }
        }
        a = b;
    }
    if (U_FAILURE(st))
        fprintf(stderr, "bench: ICU: %s\n", u_errorName(st));
    utext_close(ut);
    ubrk_close(bi);
    ucasemap_close(cm);
    sb_stemmer_delete(stem);
    return words;
}

static size_t nertag_pass(const docs *d, nertag_tagger *t, const char *lang)
{
    size_t mentions = 0;
    nertag_options opt = { lang, 0, NULL, { 0 } };
    for (size_t i = 0; i < d->count; i++) {
        const char *s = d->text.data + d->start[i];
        nertag_error err;
        nertag_result *r = nertag_tag(t, s, strlen(s), &opt, &err);
        if (!r) {
            fprintf(stderr, "bench: %s\n", err.message);
            exit(1);
        }
        mentions += nertag_result_count(r);
        nertag_result_free(r);
    }
    return mentions;
}

static size_t count_and_free(nertag_result *r, const nertag_error *err)
{
    if (!r) {
        fprintf(stderr, "bench: %s\n", err->message);
        exit(1);
    }
    size_t n = nertag_result_count(r);
    nertag_result_free(r);
    return n;
}

/* The whole text as one document through a stream, in 64 KB pieces. */
static size_t stream_pass(const buf *whole, nertag_tagger *t,
                          const char *lang)
{
    nertag_options opt = { lang, 0, NULL, { 0 } };
    nertag_error err;
    nertag_stream *st = nertag_stream_new(t, &opt, 0, &err);
    if (!st) {
        fprintf(stderr, "bench: %s\n", err.message);
        exit(1);
    }
    size_t mentions = 0, piece = 65536;
    for (size_t at = 0; at < whole->len; at += piece) {
        size_t n = whole->len - at < piece ? whole->len - at : piece;
        mentions += count_and_free(nertag_stream_feed(st, whole->data + at,
                                                      n, &err), &err);
    }
    mentions += count_and_free(nertag_stream_finish(st, &err), &err);
    nertag_stream_free(st);
    return mentions;
}

/* The documents joined by blank lines: the text as one. */
static void join_docs(const docs *d, buf *whole)
{
    for (size_t i = 0; i < d->count; i++)
        if ((i && buf_append(whole, "\n\n", 2)) ||
            buf_puts(whole, d->text.data + d->start[i]))
            exit(1);
}

/* The language of a corpus file, from its name: the last "-xx" that ends a
 * folder or comes before a dot (conll2003-en/test.conllu, seed-fr.txt);
 * "en" when there is none. */
static void file_language(const char *path, char code[3])
{
    strcpy(code, "en");
    for (const char *p = strchr(path, '-'); p; p = strchr(p + 1, '-'))
        if (islower((unsigned char)p[1]) && islower((unsigned char)p[2]) &&
            (p[3] == '/' || p[3] == '.' || p[3] == '\0')) {
            code[0] = p[1];
            code[1] = p[2];
        }
}

/* The Snowball algorithm of a language: its English name in lower case
 * ("German" -> "german"), as libstemmer names them. */
static void stemmer_name(const nertag_model *m, const char *code,
                         char *out, size_t size)
{
    const char *name = nertag_language_name(m, code);
    snprintf(out, size, "%s", name ? name : "english");
    for (char *c = out; *c; c++)
        *c = (char)tolower((unsigned char)*c);
}

static void dump(const docs *d, const char *dir, const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.docs", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f) {
        perror(path);
        exit(1);
    }
    for (size_t i = 0; i < d->count; i++)
        fprintf(f, "%s\f\n", d->text.data + d->start[i]);
    fclose(f);
}

/* The name of a text for the table: its corpus folder and file name,
 * conll2003-en/test.conllu -> conll2003-en_test.conllu. */
static void text_label(const char *path, char *label, size_t size)
{
    const char *name = path, *sl = strrchr(path, '/');
    if (sl) {
        const char *p = sl;
        while (p > path && p[-1] != '/')
            p--;
        name = p;
    }
    snprintf(label, size, "%s", name);
    for (char *c = label; *c; c++)
        if (*c == '/')
            *c = '_';
}

enum { FLOOR, DOCS, ONE_DOC, KINDS };

/* One pass of a kind over the text. */
static void run_pass(int kind, const docs *d, const buf *whole,
                     nertag_tagger *t, const char *lang, const char *stemmer)
{
    if (kind == FLOOR)
        floor_pass(whole, stemmer);
    else if (kind == DOCS)
        nertag_pass(d, t, lang);
    else
        stream_pass(whole, t, lang);
}

/* Times the floor, the documents and the one document in turns (ROUNDS
 * rounds of RUNS passes of each in a row), and prints the line of the
 * table. */
static void measure(const char *label, const docs *d, const buf *whole,
                    nertag_tagger *t, const char *lang, const char *stemmer)
{
    double best[KINDS] = { 1e30, 1e30, 1e30 }, first_tag = 0;
    for (int round = 0; round < ROUNDS; round++)
        for (int kind = 0; kind < KINDS; kind++)
            for (int run = 0; run < RUNS; run++) {
                double a = now();
                run_pass(kind, d, whole, t, lang, stemmer);
                double took = now() - a;
                if (kind == DOCS && round == 0 && run == 0)
                    first_tag = took;
                if (took < best[kind])
                    best[kind] = took;
            }
    double mb = (double)d->bytes / 1e6, whole_mb = (double)whole->len / 1e6;
    double floor_rate = whole_mb / best[FLOOR];
    printf("%-28.28s %6.2f %5zu %8.2f %8.2f %6.2f %8.2f %8.2f %6.2f\n",
           label, mb, d->count, floor_rate, mb / best[DOCS],
           mb / best[DOCS] / floor_rate, mb / first_tag,
           whole_mb / best[ONE_DOC], whole_mb / best[ONE_DOC] / floor_rate);
}

int main(int argc, char **argv)
{
    const char *dump_dir = NULL;
    int passes = -1;     /* --passes: tag only, untimed */
    for (;;) {
        if (argc > 2 && !strcmp(argv[1], "--dump"))
            dump_dir = argv[2];
        else if (argc > 2 && !strcmp(argv[1], "--passes"))
            passes = atoi(argv[2]);
        else
            break;
        argc -= 2;
        argv += 2;
    }
    if (argc < 4) {
        fprintf(stderr, "usage: bench [--dump DIR] [--passes N] DATA_DIR "
                "COMPILED_MODEL FILE...\n");
        return 2;
    }
    nertag_error err;
    nertag_load_options lo = { NULL, NULL, argv[2], 0, NULL, { 0 } };
    nertag_model *m = nertag_model_load(argv[1], &lo, &err);
    if (!m) {
        fprintf(stderr, "bench: cannot load: %s\n", err.message);
        return 1;
    }
    if (passes < 0) {
        printf("%-28s %6s %5s %8s %8s %6s %8s %8s %6s\n", "text", "MB",
               "docs", "floor", "nertag", "ratio", "1st run", "one doc",
               "ratio");
        printf("%-28s %6s %5s %8s %8s %6s %8s %8s %6s\n", "", "", "",
               "MB/s", "MB/s", "", "MB/s", "MB/s", "");
    }
    for (int k = 3; k < argc; k++) {
        docs d;
        memset(&d, 0, sizeof d);
        read_docs(argv[k], &d);
        char lang[3], stemmer[64];
        file_language(argv[k], lang);
        stemmer_name(m, lang, stemmer, sizeof stemmer);
        nertag_tagger *t = nertag_tagger_new(m, &err);
        if (!t) {
            fprintf(stderr, "bench: %s\n", err.message);
            return 1;
        }
        buf whole = BUF_INIT;
        join_docs(&d, &whole);
        if (passes >= 0) {
            for (int run = 0; run < passes; run++)
                nertag_pass(&d, t, lang);
        } else {
            char label[200];
            text_label(argv[k], label, sizeof label);
            if (dump_dir)
                dump(&d, dump_dir, label);
            measure(label, &d, &whole, t, lang, stemmer);
        }
        nertag_tagger_free(t);
        buf_free(&whole);
        buf_free(&d.text);
        free(d.start);
    }
    nertag_model_free(m);
    return 0;
}
