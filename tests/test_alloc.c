/* test_alloc.c - any allocation may fail: the library must say so, and
 * must neither crash nor leak.
 *
 * How the failures are made.  This program defines malloc, calloc,
 * realloc, free and the aligned allocators itself.  By ELF symbol
 * interposition they replace the C library's for every caller in the
 * process: our code, ICU (uprv_malloc calls malloc, and so does its C++
 * operator new), libstemmer, and the C library's own fopen, opendir and
 * qsort.  They forward to the next definition, the C library's (or the
 * sanitizer's in a sanitizer build, which then still sees every block).
 * While armed, a counter numbers the allocation requests and makes the
 * N-th one fail.  For N = 1, 2, ... the operation runs again from scratch,
 * until a run ends without reaching its N-th request: by then every
 * allocation point on the operation's path has failed once.
 *
 * What each run must show:
 *  - no crash (Check runs each test in a child process: a crash fails it);
 *  - the call succeeds, or fails with NERTAG_ERR_NOMEM, or NERTAG_ERR_ICU
 *    when ICU reports the failure; and it fails only when a failure was
 *    injected;
 *  - a call that succeeds although an allocation failed gives the result
 *    of a run without failure (nothing silently lost);
 *  - after a failed tagging call, the same tagger tags the text right;
 *  - no leak: every block allocated during the run is freed by its end.
 *
 * How leaks are told from ICU's caches and ICU's own losses.  Each test
 * first runs its operation once without failure: that creates ICU's
 * process-wide caches and singletons (break rules, normalization data),
 * which ICU never frees, so that later runs find them and make no more.
 * During each run the allocator records every block still live, with its
 * owner: ICU when the caller of malloc lies in ICU's code (or in the C++
 * library under ICU's operator new), else ours.  At the end of the run no
 * block of ours may be left.  ICU's blocks may be left only when the
 * failed allocation was ICU's own: ICU 72 loses a few blocks on some of
 * its failure paths (its break iterator constructor), which no caller can
 * free; left when the failure was in our code, they are ICU objects we did
 * not close, and fail the test.
 *
 * ICU's one-time initialisations remember their first error for the life
 * of the process, so they cannot be retried in one process: the "cold"
 * test runs each N in a fresh child process, before ICU has done
 * anything, and checks that failures are reported and nothing crashes or
 * hangs. */
#define _GNU_SOURCE   /* RTLD_NEXT */

#include "testutil.h"

#include <dlfcn.h>
#include <execinfo.h>
#include <link.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unicode/uloc.h>
#include <unistd.h>

/* ------------------------------------------------------------ allocator */

/* Under AddressSanitizer, the sanitizer's own start-up calls malloc (here)
 * before its shadow memory exists: nothing on this path may be
 * instrumented. */
#if defined(__GNUC__)
#define ALLOCATOR __attribute__((no_sanitize("address", "undefined")))
#else
#define ALLOCATOR
#endif

/* The program is single-threaded while armed: the counters need no
 * locks. */
static long fail_at;        /* 0: never fail */
static long requests;       /* allocation requests since arming */
static int injected;        /* the fail_at-th request was refused */

static void *(*next_malloc)(size_t);
static void *(*next_calloc)(size_t, size_t);
static void *(*next_realloc)(void *, size_t);
static void (*next_free)(void *);
static int (*next_posix_memalign)(void **, size_t, size_t);
static void *(*next_aligned_alloc)(size_t, size_t);
static void *(*next_memalign)(size_t, size_t);

/* dlsym may allocate while the next functions are being found: those few
 * blocks come from here and are never freed. */
static _Alignas(max_align_t) unsigned char boot[8192];
static size_t boot_used;
static int resolving;

ALLOCATOR static void *boot_alloc(size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (n > sizeof boot - boot_used)
        return NULL;
    void *p = boot + boot_used;
    boot_used += n;
    return p;   /* static storage: already zero */
}

ALLOCATOR static int from_boot(const void *p)
{
    return (const unsigned char *)p >= boot &&
           (const unsigned char *)p < boot + sizeof boot;
}

ALLOCATOR static void resolve(void)
{
    if (next_free || resolving)
        return;
    resolving = 1;
    *(void **)&next_malloc = dlsym(RTLD_NEXT, "malloc");
    *(void **)&next_calloc = dlsym(RTLD_NEXT, "calloc");
    *(void **)&next_realloc = dlsym(RTLD_NEXT, "realloc");
    *(void **)&next_posix_memalign = dlsym(RTLD_NEXT, "posix_memalign");
    *(void **)&next_aligned_alloc = dlsym(RTLD_NEXT, "aligned_alloc");
    *(void **)&next_memalign = dlsym(RTLD_NEXT, "memalign");
    *(void **)&next_free = dlsym(RTLD_NEXT, "free");
    resolving = 0;
    if (!next_malloc || !next_calloc || !next_realloc || !next_free)
        abort();
}

/* ---- who allocates: our code, or ICU */

/* ICU's code (and the C++ library under its operator new), by address:
 * an allocation whose caller lies there is ICU's. */
enum { OURS = 0, ICU = 1 };
static struct { uintptr_t lo, hi; } icu_code[32];
static int nicu_code;

ALLOCATOR static int add_icu_code(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    (void)data;
    if (!strstr(info->dlpi_name, "libicu") &&
        !strstr(info->dlpi_name, "libstdc++"))
        return 0;
    for (int i = 0; i < info->dlpi_phnum && nicu_code < 32; i++)
        if (info->dlpi_phdr[i].p_type == PT_LOAD) {
            uintptr_t lo = info->dlpi_addr + info->dlpi_phdr[i].p_vaddr;
            icu_code[nicu_code].lo = lo;
            icu_code[nicu_code++].hi = lo + info->dlpi_phdr[i].p_memsz;
        }
    return 0;
}

ALLOCATOR static int owner_of(const void *caller)
{
    for (int i = 0; i < nicu_code; i++)
        if ((uintptr_t)caller >= icu_code[i].lo &&
            (uintptr_t)caller < icu_code[i].hi)
            return ICU;
    return OURS;
}

/* ---- the blocks of one run */

/* Each block allocated during a run, with its owner, in an open-addressing
 * table (linear probing, deletion by backward shift).  A block made by an
 * earlier run (ICU's excused leaks) has an older epoch and is ignored. */
#define TRACK_BITS 21
#define TRACK_SLOTS ((size_t)1 << TRACK_BITS)
static uintptr_t track_key[TRACK_SLOTS];
static uint32_t track_epoch[TRACK_SLOTS];
static unsigned char track_owner[TRACK_SLOTS];
static size_t track_used;
static uint32_t epoch;          /* 0: not tracking */
static long tracked[2];         /* live blocks of this run, by owner */
static int failed_in;           /* owner of the refused request */

ALLOCATOR static size_t slot_of(uintptr_t p)
{
    return (size_t)(((uint64_t)p >> 4) * 0x9E3779B97F4A7C15ULL >>
                    (64 - TRACK_BITS));
}

ALLOCATOR static void track(void *p, int owner)
{
    if (!epoch || !p)
        return;
    if (track_used >= TRACK_SLOTS / 2)
        abort();   /* more live blocks than this test expects */
    size_t i = slot_of((uintptr_t)p);
    while (track_key[i])
        i = (i + 1) & (TRACK_SLOTS - 1);
    track_key[i] = (uintptr_t)p;
    track_epoch[i] = epoch;
    track_owner[i] = (unsigned char)owner;
    track_used++;
    tracked[owner]++;
}

/* Forgets block p; returns its owner when this run made it, else -1. */
ALLOCATOR static int untrack(const void *p)
{
    if (!track_used)
        return -1;
    size_t i = slot_of((uintptr_t)p);
    while (track_key[i] && track_key[i] != (uintptr_t)p)
        i = (i + 1) & (TRACK_SLOTS - 1);
    if (!track_key[i])
        return -1;
    int owner = track_epoch[i] == epoch ? track_owner[i] : -1;
    if (owner >= 0)
        tracked[owner]--;
    track_used--;
    /* move back the entries that probed past the freed slot */
    for (size_t j = i;;) {
        j = (j + 1) & (TRACK_SLOTS - 1);
        if (!track_key[j])
            break;
        size_t k = slot_of(track_key[j]);
        if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
            continue;
        track_key[i] = track_key[j];
        track_epoch[i] = track_epoch[j];
        track_owner[i] = track_owner[j];
        i = j;
    }
    track_key[i] = 0;
    return owner;
}

/* ---- the allocator */

/* NERTAG_ALLOC_BACKTRACE=1 prints where each refused request came from
 * (addresses: addr2line -f -e tests/.libs/test_alloc or tests/test_alloc
 * names them). */
static int show_backtraces;

/* Counts a request; true when it must fail. */
ALLOCATOR static int refuse(const void *caller)
{
    if (!fail_at || ++requests != fail_at)
        return 0;
    injected = 1;
    failed_in = owner_of(caller);
    if (show_backtraces) {
        void *frames[40];
        long n = fail_at;
        fail_at = 0;
        fprintf(stderr, "allocation %ld refused:\n", n);
        backtrace_symbols_fd(frames, backtrace(frames, 40), 2);
        fail_at = n;
    }
    errno = ENOMEM;
    return 1;
}

ALLOCATOR static void *made(void *p, const void *caller)
{
    if (p)
        track(p, owner_of(caller));
    return p;
}

void *malloc(size_t n);
void *calloc(size_t k, size_t n);
void *realloc(void *p, size_t n);
void free(void *p);
int posix_memalign(void **out, size_t align, size_t n);
void *aligned_alloc(size_t align, size_t n);
void *memalign(size_t align, size_t n);

#define CALLER __builtin_return_address(0)

ALLOCATOR void *malloc(size_t n)
{
    resolve();
    if (resolving)
        return boot_alloc(n);
    return refuse(CALLER) ? NULL : made(next_malloc(n), CALLER);
}

ALLOCATOR void *calloc(size_t k, size_t n)
{
    resolve();
    if (resolving)
        return n && k > SIZE_MAX / n ? NULL : boot_alloc(k * n);
    return refuse(CALLER) ? NULL : made(next_calloc(k, n), CALLER);
}

ALLOCATOR void *realloc(void *p, size_t n)
{
    resolve();
    if (!p)
        return refuse(CALLER) ? NULL : made(next_malloc(n), CALLER);
    if (from_boot(p))
        abort();   /* dlsym's blocks are not grown */
    if (!n) {
        free(p);
        return NULL;
    }
    if (refuse(CALLER))
        return NULL;
    void *q = next_realloc(p, n);
    if (q) {
        /* the same block for its owner, under a new address */
        int owner = untrack(p);
        if (owner >= 0)
            track(q, owner);
    }
    return q;
}

ALLOCATOR void free(void *p)
{
    if (!p || from_boot(p))
        return;
    resolve();
    untrack(p);
    next_free(p);
}

ALLOCATOR int posix_memalign(void **out, size_t align, size_t n)
{
    resolve();
    if (refuse(CALLER))
        return ENOMEM;
    int rc = next_posix_memalign(out, align, n);
    if (rc == 0)
        made(*out, CALLER);
    return rc;
}

ALLOCATOR void *aligned_alloc(size_t align, size_t n)
{
    resolve();
    return refuse(CALLER) ? NULL : made(next_aligned_alloc(align, n), CALLER);
}

ALLOCATOR void *memalign(size_t align, size_t n)
{
    resolve();
    return refuse(CALLER) ? NULL : made(next_memalign(align, n), CALLER);
}

/* Starts recording the blocks of a run. */
static void start_tracking(void)
{
    static uint32_t runs;
    if (!nicu_code)
        dl_iterate_phdr(add_icu_code, NULL);
    epoch = ++runs;
    tracked[OURS] = tracked[ICU] = 0;
}

static void stop_tracking(void)
{
    epoch = 0;
}

static void arm(long n)
{
    requests = 0;
    injected = 0;
    failed_in = OURS;
    fail_at = n;
}

/* Stops failing; returns whether a failure was injected. */
static int disarm(void)
{
    fail_at = 0;
    return injected;
}

/* ------------------------------------------------------------ results */

/* Everything a result says, as one string to compare. */
static char *describe(const nertag_result *r)
{
    buf b = BUF_INIT;
    buf_printf(&b, "lang %s, %zu tokens\n", nertag_result_lang(r),
               nertag_result_token_count(r));
    for (size_t i = 0; i < nertag_result_count(r); i++) {
        const nertag_mention *m = nertag_result_mention(r, i);
        buf_printf(&b, "%zu %zu %zu %zu %s %s|%s|%s|%s|%s\n", m->start,
                   m->end, m->bstart, m->bend, nertag_type_name(m->type),
                   m->text, m->canonical, m->id, m->for_, m->source);
    }
    for (size_t i = 0; i < nertag_result_trace_count(r); i++)
        buf_printf(&b, "# %s\n", nertag_result_trace(r, i));
    ck_assert_ptr_nonnull(b.data);
    return b.data;
}

/* What went wrong in one run, kept until the run is over: Check's asserts
 * allocate, so they wait until the live count has been read. */
typedef struct verdict {
    char what[600];
} verdict;

static void wrong(verdict *v, const char *fmt, const char *a, const char *b)
{
    if (!v->what[0])
        snprintf(v->what, sizeof v->what, fmt, a, b);
}

/* A failed call must say that memory ran out, and only when it did. */
static void check_failure(verdict *v, int hit, const nertag_error *err)
{
    if (!hit)
        wrong(v, "failed with no injected failure: %s%s", err->message, "");
    else if (err->code != NERTAG_ERR_NOMEM && err->code != NERTAG_ERR_ICU)
        wrong(v, "wrong error for a failed allocation: %s%s", err->message,
              "");
    else if (!err->message[0])
        wrong(v, "error without a message%s%s", "", "");
}

/* The first line where got and want differ, in line. */
static void first_difference(const char *got, const char *want, char *line,
                             size_t size)
{
    const char *g = got, *w = want;
    while (*g && *g == *w) {
        if (*g == '\n')
            got = g + 1, want = w + 1;
        g++, w++;
    }
    snprintf(line, size, "'%.*s' where the run without failure has '%.*s'",
             (int)strcspn(got, "\n"), got, (int)strcspn(want, "\n"), want);
}

static void check_same(verdict *v, const char *what, const char *got,
                       const char *want)
{
    char line[500];
    if (!strcmp(got, want))
        return;
    first_difference(got, want, line, sizeof line);
    wrong(v, "%s differs: %s", what, line);
}

/* ------------------------------------------------------------ driver */

/* One operation under test.  run() is called armed; the rest unarmed. */
typedef struct scenario {
    const char *name;
    void (*setup)(void);
    int (*run)(nertag_error *err);           /* 1 succeeded, 0 failed */
    /* after run: what it made, described (NULL after a failure); then
     * frees it.  After a failure, may check recovery into v. */
    char *(*outcome)(int succeeded, verdict *v);
    void (*teardown)(void);
} scenario;

/* Runs sc once unarmed (the reference, and ICU's caches), then with the
 * N-th allocation failing for every N.  Returns the number of allocation
 * requests the operation makes. */
static long fail_each(const scenario *sc)
{
    sc->setup();
    nertag_error err;
    ck_assert_msg(sc->run(&err), "%s fails without injected failures: %s",
                  sc->name, err.message);
    verdict none = { "" };
    char *want = sc->outcome(1, &none);
    sc->teardown();
    ck_assert_ptr_nonnull(want);

    long n, excused = 0;
    for (n = 1;; n++) {
        verdict v = { "" };
        start_tracking();
        sc->setup();
        arm(n);
        int ok = sc->run(&err);
        int hit = disarm();
        if (!ok)
            check_failure(&v, hit, &err);
        char *got = sc->outcome(ok, &v);
        if (ok)
            check_same(&v, "the result", got, want);
        free(got);
        sc->teardown();
        stop_tracking();
        ck_assert_msg(!v.what[0], "%s, allocation %ld failing: %s", sc->name,
                      n, v.what);
        ck_assert_msg(tracked[OURS] == 0, "%s, allocation %ld failing: %ld "
                      "blocks leaked", sc->name, n, tracked[OURS]);
        /* ICU loses a few blocks itself when an allocation fails inside
         * it (its break iterator's constructor, for one); blocks of ICU's
         * left when the failure was elsewhere are objects we did not
         * close */
        ck_assert_msg(tracked[ICU] == 0 || (hit && failed_in == ICU),
                      "%s, allocation %ld failing: %ld blocks of ICU's "
                      "leaked", sc->name, n, tracked[ICU]);
        excused += tracked[ICU];
        if (!hit)
            break;
    }
    if (excused)
        fprintf(stderr, "%s: ICU lost %ld blocks on its own failure paths\n",
                sc->name, excused);
    free(want);
    fprintf(stderr, "%s: %ld allocation points, each failed once\n",
            sc->name, n - 1);
    return n - 1;
}

/* ------------------------------------------------------------ data */

static char *small_dir;        /* a small data folder */
static char *compiled;         /* its compiled model */
static const nertag_model *model;   /* the model being tagged with */
static char *seed;
static size_t seed_len;

/* Appends the lines of a gazetteer whose id is one of ids. */
static void pick_lines(buf *out, const char *file, const char *const *ids)
{
    char *text = test_read(file, NULL);
    for (char *line = text; *line;) {
        char *nl = strchr(line, '\n');
        size_t n = nl ? (size_t)(nl - line) + 1 : strlen(line);
        for (const char *const *id = ids; *id; id++)
            if (!strncmp(line, *id, strlen(*id)) && line[strlen(*id)] == '\t')
                ck_assert_int_eq(buf_append(out, line, n), 0);
        line += n;
    }
    free(text);
}

static void copy_file(const char *from, const char *to)
{
    size_t n;
    char *text = test_read(from, &n);
    FILE *f = fopen(to, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(text, 1, n, f), n);
    ck_assert_int_eq(fclose(f), 0);
    free(text);
}

/* A data folder of a few dozen gazetteer lines (those the founding
 * article needs, and the vocabulary the rules build on), the rules and
 * language files of the source tree; and its compiled model. */
static void make_small_dir(void)
{
    static const char *const states[] = { "CN", "US", "GB", "CA", "AU",
                                          "NZ", "FR", NULL };
    static const char *const groups[] = { "G1017", "G0001", "G0002",
                                          "G0003", NULL };
    static const char *const vocabulary[] = {
        "title:mr", "title:mrs", "title:dr", "title:president",
        "title:prime-minister", "title:minister", "title:head",
        "title:official", "title:military", "role:spokesperson",
        "suffix:corporation", "suffix:societe", NULL };
    static const char *const ministries[] = { "CN-MFA", NULL };
    char tmpl[] = "/tmp/nertag-alloc-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(tmpl));
    small_dir = strdup(tmpl);
    char path[600];
    snprintf(path, sizeof path, "%s/gazetteers", small_dir);
    ck_assert_int_eq(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/models", small_dir);
    ck_assert_int_eq(mkdir(path, 0700), 0);

    buf g = BUF_INIT;
    buf_puts(&g, "id\tlabel\tcanonical\taliases\tattributes\n");
    pick_lines(&g, DATA_DIR "/gazetteers/states.tsv", states);
    pick_lines(&g, DATA_DIR "/gazetteers/groups.tsv", groups);
    pick_lines(&g, DATA_DIR "/gazetteers/vocabulary.tsv", vocabulary);
    pick_lines(&g, DATA_DIR "/gazetteers/ministries.tsv", ministries);
    snprintf(path, sizeof path, "%s/gazetteers/small.tsv", small_dir);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    fputs(g.data, f);
    ck_assert_int_eq(fclose(f), 0);
    size_t lines = 0;
    for (const char *c = g.data; *c; c++)
        lines += *c == '\n';
    ck_assert_uint_ge(lines, 20);
    buf_free(&g);

    static const char *const models[] = { "en.rules", "fr.rules",
                                          "shared.rules", "de.lang",
                                          "en.lang", "es.lang", "fr.lang",
                                          NULL };
    for (const char *const *m = models; *m; m++) {
        char from[600];
        snprintf(from, sizeof from, "%s/models/%s", DATA_DIR, *m);
        snprintf(path, sizeof path, "%s/models/%s", small_dir, *m);
        copy_file(from, path);
    }
    snprintf(path, sizeof path, "%s/compiled.model", small_dir);
    compiled = strdup(path);
}

/* Loads the small folder from its sources and writes its compiled model;
 * the model stays loaded. */
static nertag_model *load_small(void)
{
    nertag_error err;
    nertag_load_options opt = { NULL, NULL, NULL,
                                NERTAG_LOAD_IGNORE_COMPILED, NULL, { 0 } };
    nertag_model *m = nertag_model_load(small_dir, &opt, &err);
    ck_assert_msg(m != NULL, "cannot load %s: %s", small_dir, err.message);
    ck_assert_int_eq(nertag_model_save(m, compiled, &err), 0);
    return m;
}

static void remove_small_dir(void)
{
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", small_dir);
    ck_assert_int_eq(system(cmd), 0);
    free(small_dir);
    free(compiled);
}

static void nothing(void)
{
}

/* Tags the founding article with a fresh tagger of m; described. */
static char *tag_seed(const nertag_model *m, verdict *v)
{
    nertag_error err;
    nertag_tagger *t = nertag_tagger_new(m, &err);
    nertag_result *r = t ? nertag_tag(t, seed, seed_len, NULL, &err) : NULL;
    char *d = r ? describe(r) : NULL;
    if (!d)
        wrong(v, "cannot tag with what was made: %s%s", err.message, "");
    nertag_result_free(r);
    nertag_tagger_free(t);
    return d;
}

/* ------------------------------------------------------------ tagging */

static nertag_tagger *tagger;
static nertag_result *result;
static nertag_options tag_opt;

static void new_tagger(void)
{
    nertag_error err;
    tagger = nertag_tagger_new(model, &err);
    ck_assert_ptr_nonnull(tagger);
}

static void free_tagger(void)
{
    nertag_tagger_free(tagger);
    tagger = NULL;
}

static int run_tag(nertag_error *err)
{
    result = nertag_tag(tagger, seed, seed_len, &tag_opt, err);
    return result != NULL;
}

/* The result; after a failure, that of the same call again, which a
 * failure must not have spoilt. */
static char *tag_outcome(int succeeded, verdict *v)
{
    nertag_error err;
    if (!succeeded &&
        !(result = nertag_tag(tagger, seed, seed_len, &tag_opt, &err))) {
        wrong(v, "the tagger fails after a failure: %s%s", err.message, "");
        return NULL;
    }
    char *d = describe(result);
    nertag_result_free(result);
    result = NULL;
    return succeeded ? d : (free(d), NULL);
}

static const scenario tag_text = {
    "nertag_tag", new_tagger, run_tag, tag_outcome, free_tagger
};

static char *reference_tags;

/* After a failure, the tagger must give the reference again. */
static char *tag_outcome_checked(int succeeded, verdict *v)
{
    nertag_error err;
    if (succeeded)
        return tag_outcome(1, v);
    result = nertag_tag(tagger, seed, seed_len, &tag_opt, &err);
    if (!result) {
        wrong(v, "the tagger fails after a failure: %s%s", err.message, "");
        return NULL;
    }
    char *d = describe(result);
    nertag_result_free(result);
    result = NULL;
    check_same(v, "the next result", d, reference_tags);
    free(d);
    return NULL;
}

static void setup_model(void)
{
    model = test_model();
    seed = test_read(TEST_DATA "/seed-fr.txt", &seed_len);
}

static void teardown_model(void)
{
    free(seed);
}

static long tag_points(nertag_options opt)
{
    tag_opt = opt;
    new_tagger();
    nertag_error err;
    ck_assert(run_tag(&err));
    reference_tags = tag_outcome(1, &(verdict){ "" });
    free_tagger();
    scenario sc = tag_text;
    sc.outcome = tag_outcome_checked;
    if (opt.flags & NERTAG_TAG_TRACE)
        sc.name = "nertag_tag (language detected, trace)";
    if (opt.flags & NERTAG_TAG_REPLACE_INVALID)
        sc.name = "nertag_tag (invalid bytes replaced)";
    long n = fail_each(&sc);
    free(reference_tags);
    return n;
}

START_TEST(tag_every_allocation)
{
    ck_assert_int_gt(tag_points((nertag_options){ "fr", 0, NULL, { 0 } }), 50);
}
END_TEST

START_TEST(tag_replaced_every_allocation)
{
    /* invalid bytes all through the text: the repaired copy is made too */
    buf dirty = BUF_INIT;
    for (size_t i = 0; i < seed_len; i++)
        ck_assert_int_eq(buf_append(&dirty, i % 97 == 50 ? "\xFF" : seed + i,
                                    1), 0);
    char *clean = seed;
    size_t clean_len = seed_len;
    seed = dirty.data;
    seed_len = dirty.len;
    ck_assert_int_gt(tag_points((nertag_options){ "fr", NERTAG_TAG_REPLACE_INVALID, NULL, { 0 } }), 50);
    seed = clean;
    seed_len = clean_len;
    buf_free(&dirty);
}
END_TEST

START_TEST(tag_explain_every_allocation)
{
    /* language detection and the trace, on the same text */
    ck_assert_int_gt(tag_points((nertag_options){ NULL, NERTAG_TAG_TRACE, NULL, { 0 } }), 50);
}
END_TEST

/* Two sentences, already tokenized. */
static const char *const words[] = {
    "Le", "porte-parole", "du", "ministère", "chinois", "des", "affaires",
    "étrangères", ",", "Mao", "Ning", ",", "a", "déclaré", "que", "les",
    "États-Unis", "et", "Pékin", ".", "M.", "Mao", "a", "répondu", "."
};
#define NWORDS (sizeof words / sizeof *words)
static nertag_token_in given[NWORDS];

static void make_tokens(void)
{
    for (size_t i = 0; i < NWORDS; i++)
        given[i] = (nertag_token_in){ words[i], strlen(words[i]),
                                      i == 0 || !strcmp(words[i], "M.") };
}

static int run_tokens(nertag_error *err)
{
    result = nertag_tag_tokens(tagger, given, NWORDS,
                               &tag_opt, err);
    return result != NULL;
}

static char *tokens_outcome(int succeeded, verdict *v)
{
    nertag_error err;
    if (!succeeded &&
        !(result = nertag_tag_tokens(tagger, given,
                                     NWORDS, &tag_opt,
                                     &err))) {
        wrong(v, "the tagger fails after a failure: %s%s", err.message, "");
        return NULL;
    }
    char *d = describe(result);
    nertag_result_free(result);
    result = NULL;
    if (succeeded)
        return d;
    check_same(v, "the next result", d, reference_tags);
    free(d);
    return NULL;
}

START_TEST(tag_tokens_every_allocation)
{
    tag_opt = (nertag_options){ "fr", 0, NULL, { 0 } };
    make_tokens();
    new_tagger();
    nertag_error err;
    ck_assert_msg(run_tokens(&err), "%s", err.message);
    reference_tags = tokens_outcome(1, &(verdict){ "" });
    free_tagger();
    /* the tokens name Mao Ning, his ministry, and Mao again */
    ck_assert_ptr_nonnull(strstr(reference_tags, "SPOKESPERSON Mao Ning|"));
    ck_assert_ptr_nonnull(strstr(reference_tags, "ORG ministère chinois"));
    ck_assert_ptr_nonnull(strstr(reference_tags, "SPOKESPERSON Mao|Mao Ning"));
    scenario sc = { "nertag_tag_tokens", new_tagger, run_tokens,
                    tokens_outcome, free_tagger };
    ck_assert_int_gt(fail_each(&sc), 20);
    free(reference_tags);
}
END_TEST

/* ------------------------------------------------------------ taggers */

static int run_tagger_new(nertag_error *err)
{
    tagger = nertag_tagger_new(model, err);
    return tagger != NULL;
}

/* A new tagger tags like any other. */
static char *tagger_outcome(int succeeded, verdict *v)
{
    if (!succeeded)
        return NULL;
    nertag_error err;
    nertag_result *r = nertag_tag(tagger, seed, seed_len, NULL, &err);
    char *d = r ? describe(r) : NULL;
    if (!d)
        wrong(v, "the new tagger cannot tag: %s%s", err.message, "");
    nertag_result_free(r);
    nertag_tagger_free(tagger);
    tagger = NULL;
    return d;
}

START_TEST(tagger_new_every_allocation)
{
    scenario sc = { "nertag_tagger_new", nothing, run_tagger_new,
                    tagger_outcome, nothing };
    ck_assert_int_gt(fail_each(&sc), 5);
}
END_TEST

/* ------------------------------------------------------------ models */

static nertag_model *loaded;
static nertag_load_options load_opt;

static int run_load(nertag_error *err)
{
    loaded = nertag_model_load(small_dir, &load_opt, err);
    return loaded != NULL;
}

/* The model loaded: where it comes from, its counts, and how it tags. */
static char *load_outcome(int succeeded, verdict *v)
{
    if (!succeeded)
        return NULL;
    nertag_model_stats st;
    nertag_model_get_stats(loaded, &st);
    char *tags = tag_seed(loaded, v);
    buf b = BUF_INIT;
    buf_printf(&b, "origin %d, %zu entries, %zu aliases, %zu rules, "
               "%zu phases\n%s", st.origin, st.entries, st.aliases, st.rules,
               st.phases, tags ? tags : "");
    free(tags);
    nertag_model_free(loaded);
    loaded = NULL;
    return b.data;
}

static void setup_small(void)
{
    seed = test_read(TEST_DATA "/seed-fr.txt", &seed_len);
    make_small_dir();
    nertag_model_free(load_small());
}

static void teardown_small(void)
{
    remove_small_dir();
    free(seed);
}

START_TEST(load_sources_every_allocation)
{
    load_opt = (nertag_load_options){ NULL, NULL, NULL,
                                      NERTAG_LOAD_IGNORE_COMPILED, NULL, { 0 } };
    scenario sc = { "nertag_model_load (sources)", nothing, run_load,
                    load_outcome, nothing };
    ck_assert_int_gt(fail_each(&sc), 1000);
}
END_TEST

START_TEST(load_compiled_every_allocation)
{
    load_opt = (nertag_load_options){ NULL, NULL, compiled, 0, NULL, { 0 } };
    scenario sc = { "nertag_model_load (compiled)", nothing, run_load,
                    load_outcome, nothing };
    ck_assert_int_gt(fail_each(&sc), 3);
}
END_TEST

static nertag_model *to_save;

static void load_to_save(void)
{
    nertag_load_options opt = { NULL, NULL, NULL,
                                NERTAG_LOAD_IGNORE_COMPILED, NULL, { 0 } };
    nertag_error err;
    to_save = nertag_model_load(small_dir, &opt, &err);
    ck_assert_ptr_nonnull(to_save);
}

static void free_saved(void)
{
    nertag_model_free(to_save);
}

static int run_save(nertag_error *err)
{
    return nertag_model_save(to_save, compiled, err) == 0;
}

/* The file written maps and tags like its sources. */
static char *save_outcome(int succeeded, verdict *v)
{
    if (!succeeded)
        return NULL;
    nertag_load_options opt = { NULL, NULL, compiled, 0, NULL, { 0 } };
    nertag_error err;
    loaded = nertag_model_load(small_dir, &opt, &err);
    if (!loaded) {
        wrong(v, "the model saved cannot be loaded: %s%s", err.message, "");
        return NULL;
    }
    return load_outcome(1, v);
}

START_TEST(save_every_allocation)
{
    scenario sc = { "nertag_model_save", load_to_save, run_save,
                    save_outcome, free_saved };
    ck_assert_int_gt(fail_each(&sc), 3);
}
END_TEST

/* ------------------------------------------------------------ cold */

/* Child exit statuses of one cold run. */
enum { COLD_DONE = 0, COLD_HIT = 1, COLD_WRONG = 2 };

/* In a fresh process, with allocation n failing: a tagger of m, then a
 * short text with accents (folding loads ICU's normalization data). */
static int cold_run(const nertag_model *m, long n)
{
    alarm(60);   /* a hang is a failure too: SIGALRM ends the child */
    static const char text[] = "Le porte-parole du ministère chinois, "
                               "Mao Ning, a répondu aux États-Unis.";
    nertag_error err;
    arm(n);
    nertag_tagger *t = nertag_tagger_new(m, &err);
    nertag_result *r = t ? nertag_tag(t, text, sizeof text - 1, NULL, &err)
                         : NULL;
    int hit = disarm();
    if (!r && (!hit || (err.code != NERTAG_ERR_NOMEM &&
                        err.code != NERTAG_ERR_ICU))) {
        fprintf(stderr, "cold, allocation %ld failing: %s (%d)\n", n,
                err.message, (int)err.code);
        return COLD_WRONG;
    }
    nertag_result_free(r);
    nertag_tagger_free(t);
    return hit ? COLD_HIT : COLD_DONE;
}

START_TEST(cold_icu_every_allocation)
{
    /* the compiled model is written by another process, and mapped here:
     * mapping it does not touch ICU, which is still cold in each child */
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        nertag_model_free(load_small());
        _exit(0);
    }
    int st;
    ck_assert_int_eq(waitpid(pid, &st, 0), pid);
    ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    nertag_load_options opt = { NULL, NULL, compiled, 0, NULL, { 0 } };
    nertag_error err;
    nertag_model *m = nertag_model_load(small_dir, &opt, &err);
    ck_assert_ptr_nonnull(m);
    nertag_model_stats stats;
    nertag_model_get_stats(m, &stats);
    ck_assert_int_eq(stats.origin, NERTAG_MODEL_FROM_COMPILED);
    /* ICU 72 deadlocks when the one allocation of its first look at the
     * default locale fails: uprv_getDefaultLocaleID returns NULL, and
     * locale_set_default_internal then asks for the default locale again
     * while it holds the lock that guards it.  No caller can do anything
     * about that, so the default locale is looked up before the runs. */
    uloc_getDefault();
    long n;
    for (n = 1;; n++) {
        fflush(NULL);
        pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0)
            _exit(cold_run(m, n));
        ck_assert_int_eq(waitpid(pid, &st, 0), pid);
        ck_assert_msg(WIFEXITED(st), "cold, allocation %ld failing: killed "
                      "by signal %d", n, WIFSIGNALED(st) ? WTERMSIG(st) : 0);
        ck_assert_msg(WEXITSTATUS(st) != COLD_WRONG,
                      "cold, allocation %ld failing: wrong outcome", n);
        if (WEXITSTATUS(st) == COLD_DONE)
            break;
    }
    fprintf(stderr, "cold tagger and ICU: %ld allocation points, each "
            "failed once\n", n - 1);
    ck_assert_int_gt(n - 1, 20);
    nertag_model_free(m);
}
END_TEST

/* ------------------------------------------------------------ suite */

static Suite *alloc_suite(void)
{
    Suite *s = suite_create("alloc");
    /* each test runs its operation once per allocation it makes */
    TCase *tc = tcase_create("tagging");
    tcase_add_checked_fixture(tc, setup_model, teardown_model);
    tcase_set_timeout(tc, 900);
    tcase_add_test(tc, tag_every_allocation);
    tcase_add_test(tc, tag_explain_every_allocation);
    tcase_add_test(tc, tag_replaced_every_allocation);
    tcase_add_test(tc, tag_tokens_every_allocation);
    tcase_add_test(tc, tagger_new_every_allocation);
    suite_add_tcase(s, tc);
    tc = tcase_create("loading");
    tcase_add_checked_fixture(tc, setup_small, teardown_small);
    tcase_set_timeout(tc, 1800);
    tcase_add_test(tc, load_sources_every_allocation);
    tcase_add_test(tc, load_compiled_every_allocation);
    tcase_add_test(tc, save_every_allocation);
    suite_add_tcase(s, tc);
    /* ICU must still be cold when this test starts: its fixture only
     * writes the data folder */
    tc = tcase_create("cold");
    tcase_add_checked_fixture(tc, make_small_dir, remove_small_dir);
    tcase_set_timeout(tc, 900);
    tcase_add_test(tc, cold_icu_every_allocation);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    const char *bt = getenv("NERTAG_ALLOC_BACKTRACE");
    if (bt && *bt && strcmp(bt, "0")) {
        void *frame;
        backtrace(&frame, 1);   /* loads what it needs before any run */
        show_backtraces = 1;
    }
    return test_run(alloc_suite());
}
