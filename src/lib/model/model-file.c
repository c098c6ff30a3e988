/* model-file.c - the compiled model: saved once, mapped at start-up.
 *
 * Loading the text gazetteers and rules means tokenizing every alias and
 * compiling every pattern; a compiled model file skips all of that.  Every
 * part of a model is a flat array (strings, tables, trie slots, programs),
 * so the file is those arrays one after the other, and loading it maps the
 * file and points the arrays into the mapping.  One walk over the model's
 * arrays serves both directions, so that saving and loading cannot drift
 * apart.
 *
 * The file records the data files it was compiled from (name, size, time,
 * content hash).  A model whose sources changed is stale: it is never used;
 * the model is then loaded from its sources instead.
 *
 * Layout: header, source table, then for each array its element count
 * (8 bytes) and its bytes, from the next multiple of 64, padded to 8.
 * Integers are in the byte order of the machine that wrote the file; a
 * file of another order or another layout of the structures is rejected.
 */
#include "lib/internal.h"
#include "lib/rules/rules.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static const char MAGIC[8] = "NERTAGM";
/* 2: no padding in the rule structures (their bytes were garbage in 1);
 * 5: the languages are data (a table of them, stems per language);
 * 8: an ending test carries its bit in the memo of endings;
 * 10: the rules' gates are compiled with them;
 * 11: string tables keep hash bits in their slots; 12: a checksum of
 * sums; 13: the gates keep the words of contexts; 14: and a copy of
 * their first steps; 18: string tables keep the first 8 bytes of a
 * string in its slot; 19: an alias keeps its entry's label; 20: arrays
 * start on a cache line; 26: a first annotation step keeps the tests of
 * the token after it; 27: a rule, those of the token before it */
#define FORMAT_VERSION 27u
/* An array's bytes start on a cache line (the mapping starts on a page):
 * a record of 64 bytes (a rule's gate) lies on one line, not across two,
 * and 16-byte slots never straddle. */
#define ARRAY_ALIGN 64
/* magic, version, byte order, layout, checksum: each padded to 8 bytes */
#define HEADER_SIZE (5 * 8)

/* ------------------------------------------------------------ walking */

typedef struct walker walker;
struct walker {
    /* an array of count elements of size elem at *ptr */
    int (*array)(walker *w, void **ptr, size_t elem, size_t *count);
    /* a plain value */
    int (*value)(walker *w, void *p, size_t size);
    FILE *out;                 /* saving */
    const unsigned char *base; /* loading: the mapping */
    size_t size, pos;
};

#define ARRAY(w, field, count) \
    (w)->array((w), (void **)&(field), sizeof *(field), (count))
#define VALUE(w, x) (w)->value((w), &(x), sizeof(x))

static int walk_strtab(walker *w, strtab *t)
{
    return ARRAY(w, t->pool, &t->pool_len) ||
           ARRAY(w, t->entries, &t->count) ||
           ARRAY(w, t->slots, &t->nslots);
}

#define WALK_VEC(w, vec) ARRAY(w, (vec).v, &(vec).n)

static int walk_buf(walker *w, buf *b)
{
    return ARRAY(w, b->data, &b->len);
}

static int walk_gazetteer(walker *w, gazetteer *g)
{
    /* not entry_keys: only loading from text looks entries up by id */
    return WALK_VEC(w, g->entries) || WALK_VEC(w, g->aliases) ||
           walk_buf(w, &g->strings) ||
           ARRAY(w, g->slots, &g->nslots) || VALUE(w, g->used) ||
           WALK_VEC(w, g->nodes) || WALK_VEC(w, g->first_words) ||
           WALK_VEC(w, g->next_words);
}

static int walk_phase(walker *w, phase *ph)
{
    return walk_strtab(w, &ph->keys) || WALK_VEC(w, ph->key_first) ||
           WALK_VEC(w, ph->links) || WALK_VEC(w, ph->anywhere);
}

static int walk_rules(walker *w, ruleset *r)
{
    if (WALK_VEC(w, r->rules) || WALK_VEC(w, r->stems) ||
        VALUE(w, r->nlangs) || WALK_VEC(w, r->phases))
        return -1;
    /* a phase holds arrays of its own */
    for (size_t i = 0; i < r->phases.n; i++)
        if (walk_phase(w, &r->phases.v[i]) != 0)
            return -1;
    return WALK_VEC(w, r->code) || WALK_VEC(w, r->tests) ||
           WALK_VEC(w, r->labelsets) || WALK_VEC(w, r->lists) ||
           walk_strtab(w, &r->members) || WALK_VEC(w, r->list_items) ||
           WALK_VEC(w, r->far_lists) || WALK_VEC(w, r->form_sets) ||
           walk_strtab(w, &r->phase_names) || VALUE(w, r->phases_declared) ||
           ARRAY(w, r->label_phases, &r->nlabels) ||
           WALK_VEC(w, r->words) || WALK_VEC(w, r->ends_phases) ||
           WALK_VEC(w, r->ends_text) || WALK_VEC(w, r->gates) ||
           WALK_VEC(w, r->first_steps) || WALK_VEC(w, r->word_keys) ||
           WALK_VEC(w, r->next_tests) ||
           WALK_VEC(w, r->pieces) || WALK_VEC(w, r->actions) ||
           WALK_VEC(w, r->examples) || walk_buf(w, &r->strings);
}

static int walk_model(walker *w, nertag_model *m)
{
    return walk_strtab(w, &m->lexicon) || walk_strtab(w, &m->labels) ||
           walk_strtab(w, &m->files) || walk_gazetteer(w, &m->gaz) ||
           walk_rules(w, m->rules) ||
           walk_strtab(w, &m->tok.abbreviations) ||
           walk_strtab(w, &m->tok.elisions) ||
           walk_strtab(w, &m->tok.clitics) ||
           WALK_VEC(w, m->lang.langs) || walk_buf(w, &m->lang.strings) ||
           ARRAY(w, m->lang.mask, &m->lang.count) ||
           ARRAY(w, m->lang.common, &m->lang.count);
}

/* A number that changes when a structure of the file changes size. */
static uint64_t layout(void)
{
    static const uint32_t sizes[] = {
        sizeof(gaz_entry), sizeof(gaz_alias), sizeof(trie_slot),
        sizeof(trie_node),
        sizeof(rule), sizeof(phase), sizeof(inst), sizeof(test),
        sizeof(word_list), sizeof(piece), sizeof(action), sizeof(example),
        sizeof(word_rules), sizeof(gate), sizeof(first_step),
        sizeof(language), sizeof(strtab_slot), sizeof(size_t),
        NERTAG_TYPE_COUNT, RULE_MAX_CAPTURES, MAX_LANGUAGES
    };
    return hash_bytes(sizes, sizeof sizes);
}

/* ------------------------------------------------------------ sources */

/* One data file a model is made from. */
typedef struct source {
    char name[256];           /* relative to the data folder */
    uint64_t size, mtime, hash;
} source;

static int hash_file(const char *path, uint64_t *hash, nertag_error *err)
{
    size_t len;
    char *text = read_file(path, &len, err);
    if (!text)
        return -1;
    *hash = hash_bytes(text, len);
    free(text);
    return 0;
}

/* Fills the size and time of a source; its hash too when want_hash. */
static int describe(const char *root, source *s, int want_hash,
                    nertag_error *err)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", root, s->name);
    struct stat st;
    if (stat(path, &st) != 0) {
        err_set(err, errno_status(errno), "cannot read: %s",
                strerror(errno));
        err_set_place(err, path, 0, 0);
        return -1;
    }
    s->size = (uint64_t)st.st_size;
    s->mtime = (uint64_t)st.st_mtime;
    return want_hash ? hash_file(path, &s->hash, err) : 0;
}

static int add_names(const char *root, const char *sub, const char *suffix,
                     source **list, size_t *n, nertag_error *err)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/%s", root, sub);
    char **names;
    size_t count;
    if (list_dir(dir, suffix, &names, &count, err) != 0)
        return -1;
    source *l = realloc(*list, (*n + count + 1) * sizeof *l);
    if (!l) {
        free_names(names, count);
        err_set(err, NERTAG_ERR_NOMEM, "out of memory");
        return -1;
    }
    *list = l;
    for (size_t i = 0; i < count; i++) {
        memset(&l[*n], 0, sizeof *l);
        snprintf(l[*n].name, sizeof l[*n].name, "%s/%s", sub, names[i]);
        (*n)++;
    }
    free_names(names, count);
    return 0;
}

/* The data files of a model, in the order they are loaded. */
static int list_sources(const char *root, source **list, size_t *n,
                        nertag_error *err)
{
    *list = NULL;
    *n = 0;
    if (add_names(root, "models", ".lang", list, n, err) != 0 ||
        add_names(root, "gazetteers", ".tsv", list, n, err) != 0 ||
        add_names(root, "models", ".rules", list, n, err) != 0) {
        free(*list);
        *list = NULL;
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------ saving */

/* Checksum of a model file's body: the whole file is read at every
 * start-up, so it must cost little more than the reading.  Four lanes of
 * two running sums each (Fletcher's scheme, modulo 2^64): each 8-byte word
 * of a 32-byte block is added to its lane's first sum, which is added to
 * the second, so that a changed, lost or moved word changes the result;
 * additions alone, a few instructions a block.  The last 0 to 31 bytes
 * are hashed, and everything mixed at the end.  It finds damage, not
 * tampering. */
#define CHECKSUM_BLOCK 32
typedef struct checksum {
    uint64_t sum[4], sum2[4];
} checksum;

static uint64_t word_at(const unsigned char *s)
{
    uint64_t w;
    memcpy(&w, s, 8);
    return w;
}

static void checksum_blocks(checksum *c, const unsigned char *s, size_t n)
{
    /* one variable a sum, so that they all stay in registers */
    uint64_t a0 = c->sum[0], a1 = c->sum[1], a2 = c->sum[2], a3 = c->sum[3];
    uint64_t b0 = c->sum2[0], b1 = c->sum2[1], b2 = c->sum2[2],
             b3 = c->sum2[3];
    for (; n >= CHECKSUM_BLOCK; s += CHECKSUM_BLOCK, n -= CHECKSUM_BLOCK) {
        b0 += a0 += word_at(s);
        b1 += a1 += word_at(s + 8);
        b2 += a2 += word_at(s + 16);
        b3 += a3 += word_at(s + 24);
    }
    c->sum[0] = a0, c->sum[1] = a1, c->sum[2] = a2, c->sum[3] = a3;
    c->sum2[0] = b0, c->sum2[1] = b1, c->sum2[2] = b2, c->sum2[3] = b3;
}

static uint64_t checksum_end(const checksum *c, const void *tail, size_t n)
{
    uint64_t h = hash_bytes(tail, n);
    for (int i = 0; i < 4; i++)
        for (int k = 0; k < 2; k++) {
            h = (h ^ (k ? c->sum2[i] : c->sum[i])) * 0x94d049bb133111ebULL;
            h ^= h >> 29;
        }
    return h;
}

/* Checksum of the bytes of file fd from offset to its end, read through a
 * small buffer: reading them through the mapping instead would fault in
 * every page of it, which costs twice as long as the reading itself.
 * Returns 0, -1 when the file cannot be read, -2 out of memory. */
static int checksum_fd(int fd, off_t offset, uint64_t *sum)
{
    enum { CHUNK = 64 * 1024 };      /* a multiple of CHECKSUM_BLOCK */
    unsigned char *b = malloc(CHUNK);
    if (!b)
        return -2;
    checksum c;
    memset(&c, 0, sizeof c);
    size_t have = 0;
    ssize_t got;
    while ((got = pread(fd, b + have, CHUNK - have, offset)) > 0) {
        offset += got;
        have += (size_t)got;
        if (have == CHUNK) {
            checksum_blocks(&c, b, CHUNK);
            have = 0;
        }
    }
    size_t whole = have - have % CHECKSUM_BLOCK;
    checksum_blocks(&c, b, whole);
    *sum = checksum_end(&c, b + whole, have - whole);
    free(b);
    return got < 0 ? -1 : 0;
}

/* Zeros up to the next multiple of align. */
static int write_padding(walker *w, size_t align)
{
    static const char zeros[ARRAY_ALIGN];
    size_t pad = (align - w->pos % align) % align;
    if (pad && fwrite(zeros, 1, pad, w->out) != pad)
        return -1;
    w->pos += pad;
    return 0;
}

static int write_bytes(walker *w, const void *p, size_t n)
{
    if (n && fwrite(p, 1, n, w->out) != n)
        return -1;
    w->pos += n;
    return write_padding(w, 8);
}

static int save_array(walker *w, void **ptr, size_t elem, size_t *count)
{
    uint64_t n = *count;
    return write_bytes(w, &n, sizeof n) || write_padding(w, ARRAY_ALIGN) ||
           write_bytes(w, n ? *ptr : NULL, (size_t)n * elem);
}

static int save_value(walker *w, void *p, size_t size)
{
    return write_bytes(w, p, size);
}

int model_save(const nertag_model *m, const char *root, const char *path,
               nertag_error *err)
{
    source *src;
    size_t nsrc;
    if (list_sources(root, &src, &nsrc, err) != 0)
        return -1;
    for (size_t i = 0; i < nsrc; i++)
        if (describe(root, &src[i], 1, err) != 0) {
            free(src);
            return -1;
        }
    /* written beside, then renamed: a reader never sees half a file */
    char tmp[1100];
    snprintf(tmp, sizeof tmp, "%s.tmp%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "w+b");
    if (!f) {
        err_set(err, errno_status(errno), "cannot write: %s",
                strerror(errno));
        err_set_place(err, path, 0, 0);
        free(src);
        return -1;
    }
    walker w = { save_array, save_value, f, NULL, 0, 0 };
    uint32_t version = FORMAT_VERSION, order = 0x01020304;
    uint64_t lay = layout(), n = nsrc, sum = 0;
    int rc = write_bytes(&w, MAGIC, sizeof MAGIC) ||
             VALUE(&w, version) || VALUE(&w, order) || VALUE(&w, lay) ||
             VALUE(&w, sum) || VALUE(&w, n) ||
             write_bytes(&w, src, nsrc * sizeof *src) ||
             walk_model(&w, (nertag_model *)m);
    /* the checksum of all that follows it, written in its place */
    if (rc == 0)
        rc = fflush(f) != 0 || checksum_fd(fileno(f), HEADER_SIZE, &sum) ||
             fseek(f, HEADER_SIZE - 8, SEEK_SET) != 0 ||
             fwrite(&sum, 8, 1, f) != 1;
    if (fclose(f) != 0)
        rc = -1;
    if (rc == 0 && rename(tmp, path) != 0)
        rc = -1;
    if (rc != 0) {
        err_set(err, errno_status(errno), "cannot write: %s",
                strerror(errno));
        err_set_place(err, path, 0, 0);
        remove(tmp);
    }
    free(src);
    return rc;
}

/* ------------------------------------------------------------ loading */

static int take(walker *w, size_t n, const void **p)
{
    if (n > w->size - w->pos)
        return -1;
    *p = w->base + w->pos;
    w->pos += n + (8 - n % 8) % 8;
    if (w->pos > w->size)
        w->pos = w->size;
    return 0;
}

static int load_array(walker *w, void **ptr, size_t elem, size_t *count)
{
    const void *p;
    uint64_t n;
    if (take(w, sizeof n, &p) != 0)
        return -1;
    memcpy(&n, p, sizeof n);
    size_t pad = (ARRAY_ALIGN - w->pos % ARRAY_ALIGN) % ARRAY_ALIGN;
    if (pad > w->size - w->pos)
        return -1;
    w->pos += pad;
    if (elem && n > (w->size - w->pos) / elem)
        return -1;
    if (take(w, (size_t)n * elem, &p) != 0)
        return -1;
    *ptr = n ? (void *)p : NULL;
    *count = (size_t)n;
    return 0;
}

static int load_value(walker *w, void *out, size_t size)
{
    const void *p;
    if (take(w, size, &p) != 0)
        return -1;
    memcpy(out, p, size);
    return 0;
}

/* Are the sources recorded in the file those of root now?  The content
 * hash is read only for a file whose size or time changed.  1 fresh, 0
 * stale (a source is missing or changed), -1 when memory ran out: that
 * says nothing of the sources. */
static int sources_fresh(const char *root, const source *rec, size_t nrec,
                         nertag_error *err)
{
    source *now;
    size_t n;
    if (list_sources(root, &now, &n, err) != 0)
        return err->code == NERTAG_ERR_NOMEM ? -1 : 0;
    int fresh = n == nrec;
    for (size_t i = 0; fresh > 0 && i < n; i++) {
        if (strcmp(now[i].name, rec[i].name)) {
            fresh = 0;
        } else if (describe(root, &now[i], 0, err) != 0) {
            fresh = err->code == NERTAG_ERR_NOMEM ? -1 : 0;
        } else if (now[i].size != rec[i].size) {
            fresh = 0;
        } else if (now[i].mtime != rec[i].mtime) {
            if (describe(root, &now[i], 1, err) != 0)
                fresh = err->code == NERTAG_ERR_NOMEM ? -1 : 0;
            else
                fresh = now[i].hash == rec[i].hash;
        }
    }
    free(now);
    return fresh;
}

static int bad_file(const char *path, nertag_error *err, const char *why)
{
    err_set(err, NERTAG_ERR_SYNTAX, "not a usable compiled model: %s", why);
    err_set_place(err, path, 0, 0);
    return -1;
}

/* Maps path into a new model.  Returns 0 and the model, 1 when the file
 * is stale (its sources changed), -1 with err set when it is unusable or
 * memory ran out (NERTAG_ERR_NOMEM). */
int model_map(const char *root, const char *path, nertag_model **out,
              nertag_error *err)
{
    *out = NULL;
    int fd = open(path, O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        err_set(err, errno_status(errno), "cannot open: %s",
                strerror(errno));
        err_set_place(err, path, 0, 0);
        if (fd >= 0)
            close(fd);
        return -1;
    }
    size_t size = (size_t)st.st_size;
    /* private and writable: the few structures that hold pointers are
     * fixed up in place, copied on write; the file never changes */
    void *map = size ? mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE,
                            fd, 0) : MAP_FAILED;
    if (map == MAP_FAILED) {
        close(fd);
        return bad_file(path, err, "cannot map it");
    }
    walker w = { load_array, load_value, NULL, map, size, 0 };
    char magic[8];
    uint32_t version, order;
    uint64_t lay, nsrc, sum, actual = 0;
    const void *src;
    int rc = -1, unread = 0;
    if (load_value(&w, magic, sizeof magic) || memcmp(magic, MAGIC, 8))
        bad_file(path, err, "wrong magic number");
    else if (load_value(&w, &version, 4) || version != FORMAT_VERSION ||
             load_value(&w, &order, 4) || order != 0x01020304 ||
             load_value(&w, &lay, 8) || lay != layout())
        bad_file(path, err, "written by another version or machine");
    /* the file is read through fd, the same file as the mapping: a model
     * is replaced by renaming a new file, never rewritten in place */
    else if (load_value(&w, &sum, 8) ||
             (unread = checksum_fd(fd, HEADER_SIZE, &actual)) != 0 ||
             sum != actual) {
        if (unread == -2)
            err_set(err, NERTAG_ERR_NOMEM, "out of memory");
        else
            bad_file(path, err, unread ? "cannot read it"
                                       : "damaged (wrong checksum)");
    } else if (load_value(&w, &nsrc, 8) || nsrc > 100000 ||
             take(&w, (size_t)nsrc * sizeof(source), &src))
        bad_file(path, err, "truncated");
    else if ((rc = sources_fresh(root, src, (size_t)nsrc, err)) >= 0)
        rc = rc > 0 ? 0 : 1;
    close(fd);
    nertag_model *m = rc == 0 ? calloc(1, sizeof *m) : NULL;
    if (m && !(m->rules = calloc(1, sizeof *m->rules))) {
        free(m);
        m = NULL;
    }
    if (rc == 0 && !m) {
        err_set(err, NERTAG_ERR_NOMEM, "out of memory");
        rc = -1;
    }
    if (rc == 0 && (walk_model(&w, m) != 0 || w.pos != size)) {
        rc = bad_file(path, err, "truncated or corrupt");
    }
    if (rc == 0)
        rc = language_codes(&m->lang, err);
    if (rc != 0) {
        if (m) {
            free(m->rules);
            free(m->lang.codes);
        }
        free(m);
        munmap(map, size);
        return rc;
    }
    m->map = map;
    m->map_size = size;
    *out = m;
    return 0;
}

void model_unmap(nertag_model *m)
{
    munmap(m->map, m->map_size);
    free(m->rules);
    free(m->lang.codes);
    free(m);
}
