/* fuzz-util.c - checks and temporary files shared by the fuzz targets. */
#define _XOPEN_SOURCE 700   /* nftw, mkdtemp */

#include "fuzz.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/internal.h"

void fuzz_fail(const char *what, const char *file, int line)
{
    fprintf(stderr, "%s:%d: check failed: %s\n", file, line, what);
    abort();
}

void fuzz_check_error(const nertag_error *err)
{
    FUZZ_CHECK(err->code != NERTAG_OK);
    FUZZ_CHECK(memchr(err->message, 0, sizeof err->message) != NULL);
    FUZZ_CHECK(err->message[0] != '\0');
    /* one line of text: no line break or other control character */
    for (const char *c = err->message; *c; c++)
        FUZZ_CHECK((unsigned char)*c >= 0x20 && *c != 0x7f);
    FUZZ_CHECK(memchr(err->file, 0, sizeof err->file) != NULL);
    if (err->code == NERTAG_ERR_SYNTAX)
        FUZZ_CHECK(err->file[0] != '\0' && err->line > 0);
    char text[600];
    FUZZ_CHECK(nertag_error_format(err, text, sizeof text) == text);
}

/* ------------------------------------------------------------ results */

static int continuation(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

/* A byte offset that falls between two characters. */
static int boundary(const char *text, size_t len, size_t off)
{
    return off == len || (off < len && !continuation((unsigned char)text[off]));
}

static void check_tokens(const nertag_result *r, const char *text, size_t len)
{
    size_t n = nertag_result_token_count(r), prev_end = 0;
    for (size_t i = 0; i < n; i++) {
        size_t bs = SIZE_MAX, be = SIZE_MAX;
        nertag_result_token(r, i, &bs, &be);
        FUZZ_CHECK(bs < be && be <= len);
        FUZZ_CHECK(bs >= prev_end);
        FUZZ_CHECK(boundary(text, len, bs) && boundary(text, len, be));
        prev_end = be;
    }
}

static void check_strings(const nertag_mention *m)
{
    FUZZ_CHECK(m->text && m->canonical && m->id && m->for_ && m->source);
    FUZZ_CHECK(nertag_type_name(m->type) != NULL);
    FUZZ_CHECK(m->source[0] != '\0');
}

/* Code points of text[from..to). */
static size_t code_points(const char *text, size_t from, size_t to)
{
    size_t n = 0;
    for (size_t i = from; i < to; i++)
        n += !continuation((unsigned char)text[i]);
    return n;
}

int fuzz_valid_lang(const char *lang)
{
    size_t n = lang ? strlen(lang) : 0;
    for (size_t i = 0; i < n; i++)
        if (lang[i] < 'a' || lang[i] > 'z')
            return 0;
    return n >= 2 && n <= 8;
}

void fuzz_check_result(const nertag_result *r, const char *text, size_t len)
{
    FUZZ_CHECK(fuzz_valid_lang(nertag_result_lang(r)));
    check_tokens(r, text, len);
    size_t ntok = nertag_result_token_count(r);
    size_t n = nertag_result_count(r);
    FUZZ_CHECK(nertag_result_mention(r, n) == NULL);
    /* mentions are sorted, so the code points are counted in one pass */
    size_t pos = 0, cp = 0, prev_end = 0;
    for (size_t i = 0; i < n; i++) {
        const nertag_mention *m = nertag_result_mention(r, i);
        FUZZ_CHECK(m != NULL);
        check_strings(m);
        FUZZ_CHECK((unsigned)m->type < NERTAG_TYPE_COUNT);
        FUZZ_CHECK(m->start < m->end && m->bstart < m->bend);
        FUZZ_CHECK(m->bend <= len);
        FUZZ_CHECK(m->bstart >= prev_end);
        FUZZ_CHECK(boundary(text, len, m->bstart) &&
                   boundary(text, len, m->bend));
        FUZZ_CHECK(strlen(m->text) == m->bend - m->bstart);
        FUZZ_CHECK(memcmp(m->text, text + m->bstart, m->bend - m->bstart)
                   == 0);
        cp += code_points(text, pos, m->bstart);
        FUZZ_CHECK(m->start == cp);
        cp += code_points(text, m->bstart, m->bend);
        FUZZ_CHECK(m->end == cp);
        pos = prev_end = m->bend;
        /* a mention is made of whole tokens */
        FUZZ_CHECK(m->tstart < m->tend && m->tend <= ntok);
        size_t bs, be, ts, te;
        nertag_result_token(r, m->tstart, &bs, &be);
        nertag_result_token(r, m->tend - 1, &ts, &te);
        FUZZ_CHECK(bs == m->bstart && te == m->bend);
    }
    size_t nt = nertag_result_trace_count(r);
    for (size_t i = 0; i < nt; i++) {
        const char *line = nertag_result_trace(r, i);
        FUZZ_CHECK(line != NULL);
        FUZZ_CHECK(utf8_first_invalid(line, strlen(line)) == strlen(line));
    }
    FUZZ_CHECK(nertag_result_trace(r, nt) == NULL);
}

void fuzz_check_result_replaced(const nertag_result *r, const char *text,
                                size_t len)
{
    buf fixed = BUF_INIT;
    FUZZ_CHECK(utf8_replace_invalid(text, len, &fixed) == 0);
    fuzz_check_result(r, fixed.data ? fixed.data : "", fixed.len);
    buf_free(&fixed);
}

void fuzz_tag_bytes(nertag_tagger *t, const uint8_t *data, size_t size)
{
    nertag_error err;
    nertag_options opt = { NULL,
                           NERTAG_TAG_REPLACE_INVALID | NERTAG_TAG_TRACE,
                           NULL, { 0 } };
    nertag_result *r = nertag_tag(t, (const char *)data, size, &opt, &err);
    FUZZ_CHECK(r != NULL);
    fuzz_check_result_replaced(r, (const char *)data, size);
    nertag_result_free(r);
}

/* ------------------------------------------------------------ files */

/* The folder of this process, removed at exit.  Set once, by the first
 * call; the targets never change it afterwards. */
static char temp_dir[4096];

static int remove_entry(const char *path, const struct stat *st, int type,
                        struct FTW *ftw)
{
    (void)st;
    (void)type;
    (void)ftw;
    remove(path);
    return 0;
}

static void remove_temp_dir(void)
{
    if (temp_dir[0])
        nftw(temp_dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

const char *fuzz_temp_dir(void)
{
    if (temp_dir[0])
        return temp_dir;
    const char *tmp = getenv("TMPDIR");
    snprintf(temp_dir, sizeof temp_dir, "%s/nertag-fuzz-XXXXXX",
             tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(temp_dir)) {
        perror(temp_dir);
        abort();
    }
    atexit(remove_temp_dir);
    return temp_dir;
}

void fuzz_write_file(const char *dir, const char *name, const void *data,
                     size_t len)
{
    char path[4096 + 256];
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        perror(dir);
        abort();
    }
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
        perror(path);
        abort();
    }
}

void fuzz_copy_file(const char *src, const char *dir, const char *name)
{
    nertag_error err;
    size_t len;
    char *text = read_file(src, &len, &err);
    if (!text) {
        fprintf(stderr, "%s: %s\n", src, err.message);
        abort();
    }
    fuzz_write_file(dir, name, text, len);
    free(text);
}

nertag_model *fuzz_source_model(void)
{
    nertag_error err;
    nertag_load_options opt = { NULL, NULL, NULL,
                                NERTAG_LOAD_IGNORE_COMPILED, NULL, { 0 } };
    nertag_model *m = nertag_model_load(FUZZ_SRCDIR, &opt, &err);
    if (!m) {
        fuzz_check_error(&err);
        FUZZ_CHECK(!"the model of the source tree loads");
    }
    return m;
}

void fuzz_copy_languages(const char *dir)
{
    const char *from = FUZZ_SRCDIR "/models";
    DIR *d = opendir(from);
    if (!d) {
        perror(from);
        abort();
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n > 5 && !strcmp(e->d_name + n - 5, ".lang")) {
            char src[4400];
            snprintf(src, sizeof src, "%s/%s", from, e->d_name);
            fuzz_copy_file(src, dir, e->d_name);
        }
    }
    closedir(d);
}

/* ------------------------------------------------------------ models */

static void check_same_mention(const nertag_mention *a,
                               const nertag_mention *b)
{
    FUZZ_CHECK(a->start == b->start && a->end == b->end);
    FUZZ_CHECK(a->bstart == b->bstart && a->bend == b->bend);
    FUZZ_CHECK(a->tstart == b->tstart && a->tend == b->tend);
    FUZZ_CHECK(a->type == b->type);
    FUZZ_CHECK(!strcmp(a->text, b->text));
    FUZZ_CHECK(!strcmp(a->canonical, b->canonical));
    FUZZ_CHECK(!strcmp(a->id, b->id));
    FUZZ_CHECK(!strcmp(a->for_, b->for_));
    FUZZ_CHECK(!strcmp(a->source, b->source));
}

static nertag_result *tag_checked(nertag_tagger *t, const char *text)
{
    nertag_error err;
    nertag_result *r = nertag_tag(t, text, strlen(text), NULL, &err);
    FUZZ_CHECK(r != NULL);
    fuzz_check_result(r, text, strlen(text));
    return r;
}

void fuzz_check_same_tags(const nertag_model *a, const nertag_model *b,
                          const char *const *texts, size_t ntexts)
{
    nertag_error err;
    nertag_tagger *ta = nertag_tagger_new(a, &err);
    FUZZ_CHECK(ta != NULL);
    nertag_tagger *tb = nertag_tagger_new(b, &err);
    FUZZ_CHECK(tb != NULL);
    for (size_t i = 0; i < ntexts; i++) {
        nertag_result *ra = tag_checked(ta, texts[i]);
        nertag_result *rb = tag_checked(tb, texts[i]);
        FUZZ_CHECK(!strcmp(nertag_result_lang(ra), nertag_result_lang(rb)));
        FUZZ_CHECK(nertag_result_count(ra) == nertag_result_count(rb));
        for (size_t k = 0; k < nertag_result_count(ra); k++)
            check_same_mention(nertag_result_mention(ra, k),
                               nertag_result_mention(rb, k));
        nertag_result_free(ra);
        nertag_result_free(rb);
    }
    nertag_tagger_free(ta);
    nertag_tagger_free(tb);
}

void fuzz_check_roundtrip(const nertag_model *m, const char *data_dir,
                          const char *const *texts, size_t ntexts)
{
    char path[4096 + 64];
    snprintf(path, sizeof path, "%s/models/nertag.model", data_dir);
    nertag_error err;
    if (nertag_model_save(m, path, &err) != 0) {
        fuzz_check_error(&err);
        fprintf(stderr, "save: %s\n", err.message);
        FUZZ_CHECK(!"a loaded model can be saved");
    }
    nertag_load_options opt = { NULL, NULL, path, 0, NULL, { 0 } };
    nertag_model *mapped = nertag_model_load(data_dir, &opt, &err);
    FUZZ_CHECK(mapped != NULL);
    nertag_model_stats st, st2;
    nertag_model_get_stats(m, &st);
    nertag_model_get_stats(mapped, &st2);
    FUZZ_CHECK(st2.origin == NERTAG_MODEL_FROM_COMPILED);
    FUZZ_CHECK(st.entries == st2.entries && st.aliases == st2.aliases &&
               st.rules == st2.rules && st.phases == st2.phases);
    fuzz_check_same_tags(m, mapped, texts, ntexts);
    nertag_model_free(mapped);
    remove(path);
}
