/* scores.c - what every kind of input shares: small text helpers, the type
 * map, the counts per type, the list of differences, opening inputs and
 * reporting those rejected. */
#include "eval/eval-run.h"
#include "util/str.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ small helpers */

int is_cont_byte(char c)
{
    return ((unsigned char)c & 0xC0) == 0x80;
}

/* Byte offset of code point cp in s[0..len), or NONE past the end. */
size_t cp_to_byte(const char *s, size_t len, size_t cp)
{
    size_t b = 0;
    for (size_t k = 0; k < cp; k++) {
        if (b >= len)
            return NONE;
        b++;
        while (b < len && is_cont_byte(s[b]))
            b++;
    }
    return b <= len ? b : NONE;
}

size_t cp_count(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += !is_cont_byte(s[i]);
    return n;
}

/* Appends s[0..n) to pool with control characters (newlines, tabs, NUL)
 * as spaces, so that each string stays on one line of a report, then a NUL
 * to end it; *off receives where it starts. */
int pool_add(buf *pool, const char *s, size_t n, size_t *off)
{
    *off = pool->len;
    if (buf_reserve(pool, n + 1) != 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        pool->data[pool->len + i] = (unsigned char)s[i] < 0x20 ? ' ' : s[i];
    pool->len += n;
    pool->data[pool->len++] = '\0';
    pool->data[pool->len] = '\0';
    return 0;
}

int pool_addz(buf *pool, const char *s, size_t *off)
{
    return pool_add(pool, s, strlen(s), off);
}

/* Splits s[0..n) into columns separated by runs of spaces and tabs. */
int split_fields(const char *s, size_t n, eval_field_vec *f)
{
    f->n = 0;
    size_t i = 0;
    for (;;) {
        while (i < n && (s[i] == ' ' || s[i] == '\t'))
            i++;
        if (i == n)
            return 0;
        size_t start = i;
        while (i < n && s[i] != ' ' && s[i] != '\t')
            i++;
        eval_field x = { start, i - start };
        if (eval_field_vec_push(f, x) != 0)
            return -1;
    }
}

int field_is(const char *s, const eval_field *f, const char *word)
{
    size_t n = strlen(word);
    return f->len == n && !memcmp(s + f->off, word, n);
}

/* Removes the line end that getline keeps. */
size_t chomp(const char *line, size_t len)
{
    if (len && line[len - 1] == '\n')
        len--;
    if (len && line[len - 1] == '\r')
        len--;
    return len;
}

/* ------------------------------------------------------------ type map */

void eval_map_free(eval_map *map)
{
    for (size_t i = 0; i < map->n; i++) {
        free(map->pairs[i].from);
        free(map->pairs[i].to);
    }
    free(map->pairs);
    map->pairs = NULL;
    map->n = 0;
}

/* Adds the pair "s[0..n)" = "FROM=TO" to map. */
static int map_add(eval_map *map, const char *s, size_t n, char *msg,
                   size_t size)
{
    const char *eq = memchr(s, '=', n);
    size_t fl = eq ? (size_t)(eq - s) : 0;
    size_t tl = eq ? n - fl - 1 : 0;
    if (!eq || !fl || !tl || memchr(eq + 1, '=', tl)) {
        snprintf(msg, size, "--map: '%.*s' is not FROM=TO", (int)n, s);
        return -1;
    }
    eval_pair *p = realloc(map->pairs, (map->n + 1) * sizeof *p);
    if (!p)
        return -2;
    map->pairs = p;
    p += map->n;
    int drop = tl == 1 && eq[1] == '-';
    p->from = str_ndup(s, fl);
    p->to = drop ? NULL : str_ndup(eq + 1, tl);
    if (!p->from || (!drop && !p->to)) {
        free(p->from);
        free(p->to);
        return -2;
    }
    map->n++;
    return 0;
}

int eval_map_parse(eval_map *map, const char *spec, char *msg, size_t size)
{
    if (!strcmp(spec, "conll"))
        spec = EVAL_MAP_CONLL;
    if (!*spec) {
        snprintf(msg, size, "--map is empty");
        return -1;
    }
    const char *s = spec;
    for (;;) {
        const char *comma = strchr(s, ',');
        size_t n = comma ? (size_t)(comma - s) : strlen(s);
        int rc = map_add(map, s, n, msg, size);
        if (rc != 0) {
            eval_map_free(map);
            return rc;
        }
        if (!comma)
            return 0;
        s = comma + 1;
    }
}

static int same(const char *a, const char *b, size_t bn)
{
    return strlen(a) == bn && !memcmp(a, b, bn);
}

int eval_map_apply(const eval_map *map, const char **t, size_t *n)
{
    if (!map || !map->n)
        return 1;
    for (size_t i = 0; i < map->n; i++)
        if (same(map->pairs[i].from, *t, *n)) {
            if (!map->pairs[i].to)
                return 0;
            *t = map->pairs[i].to;
            *n = strlen(*t);
            return 1;
        }
    /* a target type counts as itself: "STATE=LOC" keeps gold LOC */
    for (size_t i = 0; i < map->n; i++)
        if (map->pairs[i].to && same(map->pairs[i].to, *t, *n))
            return 1;
    return 0;
}

/* ------------------------------------------------------------ scores */

void eval_scores_free(eval_scores *s)
{
    strtab_free(&s->types);
    eval_count_vec_free(&s->per_type);
    memset(s, 0, sizeof *s);
}

/* The id of a type, with room for its counts; STRTAB_NONE when out of
 * memory. */
uint32_t scores_type(eval_scores *s, const char *t, size_t n)
{
    uint32_t id = strtab_intern(&s->types, t, n);
    if (id == STRTAB_NONE)
        return id;
    eval_count zero = { 0, 0, 0 };
    while (s->per_type.n <= id)
        if (eval_count_vec_push(&s->per_type, zero) != 0)
            return STRTAB_NONE;
    return id;
}

const eval_count *eval_scores_type(const eval_scores *s, const char *type)
{
    uint32_t id = strtab_find(&s->types, type, strlen(type));
    return id == STRTAB_NONE ? NULL : &s->per_type.v[id];
}

void eval_prf(const eval_count *c, double *p, double *r, double *f)
{
    /* the same operations in the same order as conlleval, so that the
     * doubles and their rounding agree */
    *p = c->pred > 0 ? 100.0 * (double)c->correct / (double)c->pred : 0.0;
    *r = c->gold > 0 ? 100.0 * (double)c->correct / (double)c->gold : 0.0;
    *f = *p + *r > 0 ? 2 * *p * *r / (*p + *r) : 0.0;
}

void count_gold(eval_scores *s, uint32_t type)
{
    s->per_type.v[type].gold++;
    s->all.gold++;
}

void count_pred(eval_scores *s, uint32_t type)
{
    s->per_type.v[type].pred++;
    s->all.pred++;
}

void count_correct(eval_scores *s, uint32_t type)
{
    s->per_type.v[type].correct++;
    s->all.correct++;
}

/* Types that occurred on either side, sorted by name as Perl's sort does
 * (byte order). */
static int named_type_cmp(const void *a, const void *b)
{
    return strcmp(((const named_type *)a)->name,
                  ((const named_type *)b)->name);
}

named_type *sorted_types(const eval_scores *s, size_t *n)
{
    named_type *t = malloc((s->per_type.n + 1) * sizeof *t);
    if (!t)
        return NULL;
    *n = 0;
    for (uint32_t i = 0; i < s->per_type.n; i++)
        if (s->per_type.v[i].gold || s->per_type.v[i].pred) {
            t[*n].name = strtab_get(&s->types, i);
            t[(*n)++].id = i;
        }
    qsort(t, *n, sizeof *t, named_type_cmp);
    return t;
}

/* ------------------------------------------------------------ differences */

void eval_diffs_free(eval_diffs *d)
{
    buf_free(&d->pool);
    eval_diff_vec_free(&d->v);
}

const char *eval_diff_kind_name(enum eval_diff_kind kind)
{
    static const char *const names[] = {
        "miss", "false alarm", "wrong type", "wrong canonical", "wrong for"
    };
    return names[kind];
}

#define ELLIPSIS "\xe2\x80\xa6"

/* Fills x->text, x->left and x->right from the text s[0..len) where the
 * mention takes bytes [b, e); "…" marks where the context is cut. */
int diff_context(buf *pool, const char *s, size_t len, size_t b,
                 size_t e, eval_diff *x)
{
    size_t l = b, r = e;
    for (int k = 0; l > 0 && k < CONTEXT_CHARS; k++)
        while (l > 0 && is_cont_byte(s[--l]))
            ;
    for (int k = 0; r < len && k < CONTEXT_CHARS; k++)
        while (++r < len && is_cont_byte(s[r]))
            ;
    buf t = BUF_INIT;
    int rc = (l > 0 && buf_puts(&t, ELLIPSIS)) ||
             buf_append(&t, s + l, b - l) ||
             pool_add(pool, t.data, t.len, &x->left);
    buf_clear(&t);
    rc = rc || buf_append(&t, s + e, r - e) ||
         (r < len && buf_puts(&t, ELLIPSIS)) ||
         pool_add(pool, t.data, t.len, &x->right) ||
         pool_add(pool, s + b, e - b, &x->text);
    buf_free(&t);
    return rc ? -1 : 0;
}

int diff_cmp(const void *a, const void *b)
{
    const eval_diff *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->end != y->end)
        return x->end < y->end ? -1 : 1;
    return (int)x->kind - (int)y->kind;
}

/* ------------------------------------------------------------ inputs */

void report_at(eval_ctx *x, const char *name, long line,
               const char *msg)
{
    if (line > 0)
        fprintf(x->err, "nertag eval: %s:%ld: %s\n", name, line, msg);
    else
        fprintf(x->err, "nertag eval: %s: %s\n", name, msg);
}

FILE *open_input(eval_ctx *x, const char *path)
{
    if (!strcmp(path, "-"))
        return stdin;
    FILE *f = fopen(path, "rb");
    if (!f) {
        char msg[300];
        snprintf(msg, sizeof msg, "cannot open: %s", strerror(errno));
        report_at(x, path, 0, msg);
    }
    return f;
}

void close_input(FILE *f)
{
    if (f && f != stdin)
        fclose(f);
}
