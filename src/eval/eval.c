/* eval.c - `nertag eval`: precision, recall and F1 of predictions against
 * gold annotations, and the list of what differs.  See eval.h.
 *
 * CoNLL files are counted the way the conlleval script of the CoNLL shared
 * tasks counts them, so that the numbers can be set beside published ones:
 *
 *   - a line is split on runs of spaces and tabs; its last column is the
 *     predicted tag, the one before the gold tag; every non-empty line must
 *     have as many columns as the first non-empty one;
 *   - an empty line, or one whose first column is "-X-", is a sentence
 *     boundary: both tags count as O and it is not a token;
 *   - a tag is split at its first '-': "B-LOC" is B and LOC, "B-LOC-X" is B
 *     and LOC-X, and a tag without '-' has the type "" (so is the type "0",
 *     which Perl takes for false);
 *   - chunks start and end by conlleval's startOfChunk and endOfChunk,
 *     which read IOB1 and IOB2 alike (I after O starts a chunk, a change of
 *     type starts one) and also know E, [, ] and .;
 *   - a chunk is correct when both sides start it on the same token with
 *     the same type and end it on the same token;
 *   - -DOCSTART- lines get no special treatment, as in conlleval: they are
 *     tokens, and their O tags close any chunk.
 *
 * Deliberate differences: carriage returns at the end of lines are
 * dropped, and columns are separated by any run of spaces and tabs (the
 * script splits on single spaces unless given -d).
 *
 * With a type map, the type of every tag is mapped before chunking; a tag
 * whose type is ignored becomes O on either side.  A gold MISC chunk thus
 * disappears from the gold side, and a prediction over it counts as a
 * false alarm. */
#include "eval/eval.h"
#include "util/str.h"
#include "util/json.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

/* Code points of context shown on each side of a difference. */
#define CONTEXT_CHARS 40
/* Nesting allowed in a JSONL line: a document holds entities that hold
 * lists, so a few levels are enough; the bound keeps hostile input cheap. */
#define JSON_DEPTH 16

#define NONE SIZE_MAX

VEC_DECLARE(size_vec, size_t);

/* ------------------------------------------------------------ small helpers */

static int is_cont_byte(char c)
{
    return ((unsigned char)c & 0xC0) == 0x80;
}

/* Byte offset of code point cp in s[0..len), or NONE past the end. */
static size_t cp_to_byte(const char *s, size_t len, size_t cp)
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

static size_t cp_count(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += !is_cont_byte(s[i]);
    return n;
}

/* Appends s[0..n) to pool with control characters (newlines, tabs, NUL)
 * as spaces, so that each string stays on one line of a report, then a NUL
 * to end it; *off receives where it starts. */
static int pool_add(buf *pool, const char *s, size_t n, size_t *off)
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

static int pool_addz(buf *pool, const char *s, size_t *off)
{
    return pool_add(pool, s, strlen(s), off);
}

/* Splits s[0..n) into columns separated by runs of spaces and tabs. */
static int split_fields(const char *s, size_t n, eval_field_vec *f)
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

static int field_is(const char *s, const eval_field *f, const char *word)
{
    size_t n = strlen(word);
    return f->len == n && !memcmp(s + f->off, word, n);
}

/* Removes the line end that getline keeps. */
static size_t chomp(const char *line, size_t len)
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
static uint32_t scores_type(eval_scores *s, const char *t, size_t n)
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

static void count_gold(eval_scores *s, uint32_t type)
{
    s->per_type.v[type].gold++;
    s->all.gold++;
}

static void count_pred(eval_scores *s, uint32_t type)
{
    s->per_type.v[type].pred++;
    s->all.pred++;
}

static void count_correct(eval_scores *s, uint32_t type)
{
    s->per_type.v[type].correct++;
    s->all.correct++;
}

/* Types that occurred on either side, sorted by name as Perl's sort does
 * (byte order). */
typedef struct named_type {
    const char *name;
    uint32_t id;
} named_type;

static int named_type_cmp(const void *a, const void *b)
{
    return strcmp(((const named_type *)a)->name,
                  ((const named_type *)b)->name);
}

static named_type *sorted_types(const eval_scores *s, size_t *n)
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

/* ------------------------------------------------------------ conlleval */

/* The chunk tags conlleval tells apart; any other prefix is TAG_OTHER. */
enum tag_kind { TAG_O, TAG_B, TAG_I, TAG_E, TAG_OPEN, TAG_CLOSE, TAG_DOT,
                TAG_OTHER };

static int tag_kind(const char *p, size_t n)
{
    static const char kinds[] = "OBIE[].";
    const char *k = n == 1 ? strchr(kinds, p[0]) : NULL;
    return k && *k ? (int)(k - kinds) : TAG_OTHER;
}

/* conlleval's endOfChunk: did a chunk end between prev and cur? */
static int chunk_end(const eval_tag *prev, const eval_tag *cur)
{
    int p = prev->kind, c = cur->kind;
    int end = ((p == TAG_B || p == TAG_I) && (c == TAG_B || c == TAG_O)) ||
              (p == TAG_E && (c == TAG_E || c == TAG_I || c == TAG_O));
    if (p != TAG_O && p != TAG_DOT && prev->type != cur->type)
        end = 1;
    /* "[" and "]" chunks are one token long */
    if (p == TAG_OPEN || p == TAG_CLOSE)
        end = 1;
    return end;
}

/* conlleval's startOfChunk: did a chunk start between prev and cur? */
static int chunk_start(const eval_tag *prev, const eval_tag *cur)
{
    int p = prev->kind, c = cur->kind;
    int start = (c == TAG_B && (p == TAG_B || p == TAG_I || p == TAG_O)) ||
                (p == TAG_O && (c == TAG_I || c == TAG_E)) ||
                (p == TAG_E && (c == TAG_E || c == TAG_I));
    if (c != TAG_O && c != TAG_DOT && prev->type != cur->type)
        start = 1;
    if (c == TAG_OPEN || c == TAG_CLOSE)
        start = 1;
    return start;
}

/* Splits and maps one tag. */
static int parse_tag(eval_conll *c, eval_scores *s, const char *t, size_t n,
                     eval_tag *out)
{
    const char *dash = memchr(t, '-', n);
    size_t plen = dash ? (size_t)(dash - t) : n;
    const char *type = dash ? dash + 1 : "";
    size_t tlen = dash ? n - plen - 1 : 0;
    /* conlleval's `$type ? $type : ""`: Perl takes "0" for false */
    if (tlen == 1 && type[0] == '0')
        tlen = 0;
    if (!eval_map_apply(c->map, &type, &tlen)) {
        t = "O";
        plen = 1;
        type = "";
        tlen = 0;
    }
    out->kind = tag_kind(t, plen);
    out->prefix = strtab_intern(&c->prefixes, t, plen);
    out->type = scores_type(s, type, tlen);
    return out->prefix == STRTAB_NONE || out->type == STRTAB_NONE ? -2 : 0;
}

int eval_conll_init(eval_conll *c, const eval_map *map, eval_scores *s)
{
    memset(c, 0, sizeof *c);
    c->map = map;
    c->columns = -1;
    /* conlleval starts as if after an O line */
    if (parse_tag(c, s, "O", 1, &c->last_gold) != 0)
        return -1;
    c->last_pred = c->last_gold;
    return 0;
}

void eval_conll_free(eval_conll *c)
{
    strtab_free(&c->prefixes);
    eval_field_vec_free(&c->fields);
}

/* One step of conlleval's loop with the tags of a line. */
static int conll_step(eval_conll *c, eval_scores *s, const eval_tag *g,
                      const eval_tag *p, int boundary)
{
    const eval_tag *lg = &c->last_gold, *lp = &c->last_pred;
    int gend = chunk_end(lg, g), pend = chunk_end(lp, p);
    int gstart = chunk_start(lg, g), pstart = chunk_start(lp, p);
    if (c->in_correct) {
        if (gend && pend && lp->type == lg->type) {
            c->in_correct = 0;
            count_correct(s, lg->type);
        } else if (gend != pend || p->type != g->type) {
            c->in_correct = 0;
        }
    }
    if (gstart && pstart && p->type == g->type)
        c->in_correct = 1;
    if (gstart)
        count_gold(s, g->type);
    if (pstart)
        count_pred(s, p->type);
    if (!boundary) {
        s->tokens++;
        s->correct_tags += g->prefix == p->prefix && g->type == p->type;
    }
    c->last_gold = *g;
    c->last_pred = *p;
    return (gend ? EVAL_GOLD_END : 0) | (gstart ? EVAL_GOLD_START : 0) |
           (pend ? EVAL_PRED_END : 0) | (pstart ? EVAL_PRED_START : 0) |
           (boundary ? EVAL_BOUNDARY : 0);
}

int eval_conll_line(eval_conll *c, eval_scores *s, const char *line,
                    size_t len)
{
    if (split_fields(line, len, &c->fields) != 0)
        return -2;
    const eval_field *f = c->fields.v;
    long n = (long)c->fields.n;
    if (c->columns < 0) {
        c->columns = n - 1;
    } else if (n && n - 1 != c->columns) {
        snprintf(c->msg, sizeof c->msg,
                 "%ld columns where the first line has %ld", n,
                 c->columns + 1);
        return -1;
    }
    int boundary = n == 0 || field_is(line, &f[0], "-X-");
    eval_tag g, p;
    if (boundary) {
        if (parse_tag(c, s, "O", 1, &g) != 0)
            return -2;
        p = g;
    } else if (n < 2) {
        snprintf(c->msg, sizeof c->msg,
                 "a line needs a gold and a predicted tag");
        return -1;
    } else if (parse_tag(c, s, line + f[n - 2].off, f[n - 2].len, &g) ||
               parse_tag(c, s, line + f[n - 1].off, f[n - 1].len, &p)) {
        return -2;
    }
    return conll_step(c, s, &g, &p, boundary);
}

void eval_conll_finish(eval_conll *c, eval_scores *s)
{
    if (c->in_correct)
        count_correct(s, c->last_gold.type);
    c->in_correct = 0;
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
static int diff_context(buf *pool, const char *s, size_t len, size_t b,
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

static int diff_cmp(const void *a, const void *b)
{
    const eval_diff *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->end != y->end)
        return x->end < y->end ? -1 : 1;
    return (int)x->kind - (int)y->kind;
}

/* ------------------------------------------------------------ evaluation */

typedef struct eval_span {
    size_t tstart, tend;      /* tokens of the sentence, end exclusive */
    uint32_t type;
} eval_span;
VEC_DECLARE(eval_span_vec, eval_span);

/* What --diff needs of the CoNLL sentence being read. */
typedef struct conll_sentence {
    buf text;                 /* its tokens joined by spaces */
    eval_field_vec tokens;    /* where each token is in text */
    long first_line;
    eval_span_vec spans[2];   /* gold, predicted */
    eval_span open[2];
    int is_open[2];
} conll_sentence;

typedef struct eval_ctx {
    const eval_options *o;
    eval_map map;
    eval_scores scores;
    eval_diffs diffs;
    FILE *err;
    const char *diff_doc;     /* CoNLL: the name shown as document */
} eval_ctx;

static void report_at(eval_ctx *x, const char *name, long line,
                      const char *msg)
{
    if (line > 0)
        fprintf(x->err, "nertag eval: %s:%ld: %s\n", name, line, msg);
    else
        fprintf(x->err, "nertag eval: %s: %s\n", name, msg);
}

static FILE *open_input(eval_ctx *x, const char *path)
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

static void close_input(FILE *f)
{
    if (f && f != stdin)
        fclose(f);
}

/* Adds the difference between span g (gold) and p (predicted) of the
 * sentence; either may be NULL. */
static int conll_diff(eval_ctx *x, conll_sentence *st, enum eval_diff_kind k,
                      const eval_span *g, const eval_span *p)
{
    const eval_span *sp = g ? g : p;
    const eval_field *t = st->tokens.v;
    size_t b = t[sp->tstart].off;
    size_t e = t[sp->tend - 1].off + t[sp->tend - 1].len;
    eval_diff d;
    memset(&d, 0, sizeof d);
    d.kind = k;
    d.start = (size_t)st->first_line + sp->tstart;
    d.end = (size_t)st->first_line + sp->tend - 1;
    buf *pool = &x->diffs.pool;
    const char *gt = g ? strtab_get(&x->scores.types, g->type) : "";
    const char *pt = p ? strtab_get(&x->scores.types, p->type) : "";
    if (pool_addz(pool, x->diff_doc, &d.doc) != 0 ||
        pool_addz(pool, gt, &d.gold) != 0 ||
        pool_addz(pool, pt, &d.pred) != 0 ||
        diff_context(pool, st->text.data, st->text.len, b, e, &d) != 0)
        return -1;
    return eval_diff_vec_push(&x->diffs.v, d);
}

/* Compares the chunks of a finished sentence.  The chunks of each side
 * are in order and do not overlap, so one merge pass pairs them. */
static int conll_sentence_end(eval_ctx *x, conll_sentence *st)
{
    for (int side = 0; side < 2; side++)
        if (st->is_open[side]) {
            st->open[side].tend = st->tokens.n;
            if (eval_span_vec_push(&st->spans[side], st->open[side]) != 0)
                return -1;
            st->is_open[side] = 0;
        }
    const eval_span_vec *g = &st->spans[0], *p = &st->spans[1];
    size_t i = 0, j = 0;
    int rc = 0;
    while (rc == 0 && (i < g->n || j < p->n)) {
        const eval_span *a = i < g->n ? &g->v[i] : NULL;
        const eval_span *b = j < p->n ? &p->v[j] : NULL;
        if (a && b && a->tstart == b->tstart && a->tend == b->tend) {
            if (a->type != b->type)
                rc = conll_diff(x, st, EVAL_WRONG_TYPE, a, b);
            i++;
            j++;
        } else if (a && (!b || a->tstart < b->tstart ||
                         (a->tstart == b->tstart && a->tend < b->tend))) {
            rc = conll_diff(x, st, EVAL_MISS, a, NULL);
            i++;
        } else {
            rc = conll_diff(x, st, EVAL_FALSE_ALARM, NULL, b);
            j++;
        }
    }
    buf_clear(&st->text);
    st->tokens.n = 0;
    st->spans[0].n = st->spans[1].n = 0;
    return rc;
}

/* Follows the chunks of both sides for --diff after line lineno, whose
 * effect on chunks is mask. */
static int conll_track(eval_ctx *x, conll_sentence *st, const eval_conll *c,
                       int mask, const char *line, long lineno)
{
    if (mask & EVAL_BOUNDARY)
        return conll_sentence_end(x, st);
    if (!st->tokens.n)
        st->first_line = lineno;
    size_t k = st->tokens.n;
    int col = x->o->token_column;
    eval_field tok = { st->text.len + (k > 0), 0 };
    if ((size_t)col <= c->fields.n)
        tok.len = c->fields.v[col - 1].len;
    if ((k > 0 && buf_putc(&st->text, ' ') != 0) ||
        buf_append(&st->text, tok.len ? line + c->fields.v[col - 1].off : "",
                   tok.len) != 0 ||
        eval_field_vec_push(&st->tokens, tok) != 0)
        return -1;
    static const int ends[2] = { EVAL_GOLD_END, EVAL_PRED_END };
    static const int starts[2] = { EVAL_GOLD_START, EVAL_PRED_START };
    const eval_tag *now[2] = { &c->last_gold, &c->last_pred };
    for (int side = 0; side < 2; side++) {
        /* a start closes the chunk before it even when conlleval's
         * endOfChunk would not, so that spans never overlap */
        if (st->is_open[side] && (mask & (ends[side] | starts[side]))) {
            st->open[side].tend = k;
            if (eval_span_vec_push(&st->spans[side], st->open[side]) != 0)
                return -1;
            st->is_open[side] = 0;
        }
        if (mask & starts[side]) {
            eval_span sp = { k, k + 1, now[side]->type };
            st->open[side] = sp;
            st->is_open[side] = 1;
        }
    }
    return 0;
}

static void conll_sentence_free(conll_sentence *st)
{
    buf_free(&st->text);
    eval_field_vec_free(&st->tokens);
    eval_span_vec_free(&st->spans[0]);
    eval_span_vec_free(&st->spans[1]);
}

/* Reads a CoNLL file.  Returns 0, 1 when it was rejected, -1 when out of
 * memory. */
static int run_conll(eval_ctx *x)
{
    const char *name = x->o->pred;
    FILE *in = open_input(x, name);
    if (!in)
        return 1;
    eval_conll c;
    conll_sentence st;
    memset(&st, 0, sizeof st);
    x->diff_doc = name;
    int rc = eval_conll_init(&c, &x->map, &x->scores) ? -1 : 0;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long lineno = 0;
    while (rc == 0 && (n = getline(&line, &cap, in)) >= 0) {
        lineno++;
        size_t len = chomp(line, (size_t)n);
        int mask = eval_conll_line(&c, &x->scores, line, len);
        if (mask == -1) {
            report_at(x, name, lineno, c.msg);
            rc = 1;
        } else if (mask < 0) {
            rc = -1;
        } else if (x->o->diff) {
            rc = conll_track(x, &st, &c, mask, line, lineno);
        }
    }
    if (rc == 0 && ferror(in)) {
        report_at(x, name, lineno, "read error");
        rc = 1;
    }
    if (rc == 0) {
        eval_conll_finish(&c, &x->scores);
        if (x->o->diff)
            rc = conll_sentence_end(x, &st);
    }
    free(line);
    close_input(in);
    eval_conll_free(&c);
    conll_sentence_free(&st);
    return rc;
}

/* ------------------------------------------------------------ JSONL */

typedef struct jent {
    size_t start, end;        /* code points, end exclusive */
    uint32_t type;            /* mapped type, id in the scores' types */
    int spokes;               /* the type before mapping is SPOKESPERSON */
    size_t names, nnames;     /* accepted canonical names: range in strs */
    size_t fors, nfors;       /* accepted "for" names: range in strs */
    int used;                 /* paired during the comparison */
} jent;
VEC_DECLARE(jent_vec, jent);

typedef struct jdoc {
    size_t id;                /* offset in pool, or NONE */
    size_t text, text_len;    /* offset in pool, or NONE */
    size_t ents, nents;       /* range in ents */
    long line;
} jdoc;
VEC_DECLARE(jdoc_vec, jdoc);

/* The documents of one JSONL file. */
typedef struct jset {
    const char *name;
    buf pool;                 /* ids, texts and names, NUL-terminated */
    jdoc_vec docs;
    jent_vec ents;
    size_vec strs;            /* offsets of names in pool */
} jset;

static void jset_free(jset *s)
{
    buf_free(&s->pool);
    jdoc_vec_free(&s->docs);
    jent_vec_free(&s->ents);
    size_vec_free(&s->strs);
}

static const char *jstr(const jset *s, size_t off)
{
    return s->pool.data + off;
}

/* A line being read: where errors go and what they say. */
typedef struct jline {
    eval_ctx *x;
    jset *set;
    const char *s;            /* the line */
    long lineno;
    char msg[200];
} jline;

/* The next element of the array raw[0..len) (brackets included) from
 * *pos.  The array was validated by json_parse_object, so strings and
 * nesting are all that need following.  Returns 1 with the element's span,
 * 0 after the last. */
static int array_next(const char *raw, size_t len, size_t *pos,
                      size_t *start, size_t *elen)
{
    size_t i = *pos ? *pos : 1;
    while (i < len && (raw[i] == ',' || raw[i] == ' ' || raw[i] == '\t' ||
                       raw[i] == '\n' || raw[i] == '\r'))
        i++;
    if (i >= len || raw[i] == ']')
        return 0;
    *start = i;
    int depth = 0, in_str = 0;
    for (; i < len; i++) {
        char ch = raw[i];
        if (in_str) {
            if (ch == '\\')
                i++;
            else if (ch == '"')
                in_str = 0;
        } else if (ch == '"') {
            in_str = 1;
        } else if (ch == '[' || ch == '{') {
            depth++;
        } else if (ch == ']' || ch == '}') {
            if (depth-- == 0)
                break;
        } else if (ch == ',' && depth == 0) {
            break;
        }
    }
    size_t e = i;
    while (e > *start && (raw[e - 1] == ' ' || raw[e - 1] == '\t' ||
                          raw[e - 1] == '\n' || raw[e - 1] == '\r'))
        e--;
    *elen = e - *start;
    *pos = i;
    return 1;
}

/* Decodes the JSON string token raw[0..n) into the pool. */
static int pool_json_string(jset *set, const char *raw, size_t n, size_t *off)
{
    buf tmp = BUF_INIT;
    int rc = json_string_decode(raw, n, &tmp, NULL);
    if (rc == 0)
        rc = pool_add(&set->pool, tmp.data ? tmp.data : "", tmp.len, off);
    buf_free(&tmp);
    return rc == 0 ? 0 : -1;
}

/* Reads a string or a list of strings (canonical, for) into set->strs.
 * Returns 0, 1 when malformed (l->msg says why), -1 out of memory. */
static int read_names(jline *l, const char *obj, const json_member *m,
                      const char *key, size_t *first, size_t *count)
{
    jset *set = l->set;
    const char *raw = obj + m->value_start;
    *first = set->strs.n;
    *count = 0;
    size_t off, pos = 0, st, n;
    if (m->type == JSON_NULL)
        return 0;
    if (m->type == JSON_STRING) {
        if (pool_json_string(set, raw, m->value_len, &off) != 0 ||
            size_vec_push(&set->strs, off) != 0)
            return -1;
        *count = 1;
        return 0;
    }
    if (m->type != JSON_ARRAY) {
        snprintf(l->msg, sizeof l->msg,
                 "\"%s\" must be a string or a list of strings", key);
        return 1;
    }
    while (array_next(raw, m->value_len, &pos, &st, &n)) {
        if (raw[st] != '"') {
            snprintf(l->msg, sizeof l->msg,
                     "\"%s\" must be a string or a list of strings", key);
            return 1;
        }
        if (pool_json_string(set, raw + st, n, &off) != 0 ||
            size_vec_push(&set->strs, off) != 0)
            return -1;
        (*count)++;
    }
    return 0;
}

/* A member that must be a non-negative integer. */
static int read_offset(jline *l, const char *obj, const json_object *o,
                       const char *key, size_t *out)
{
    long k = json_object_find(o, obj, key);
    const json_member *m = k >= 0 ? &o->members[k] : NULL;
    const char *v = m ? obj + m->value_start : "";
    size_t n = 0;
    int ok = m && m->type == JSON_NUMBER;
    for (size_t i = 0; ok && i < m->value_len; i++) {
        ok = v[i] >= '0' && v[i] <= '9' && n <= (SIZE_MAX - 9) / 10;
        n = n * 10 + (size_t)(v[i] - '0');
    }
    if (!ok) {
        snprintf(l->msg, sizeof l->msg,
                 "\"%s\" must be a non-negative integer", key);
        return 1;
    }
    *out = n;
    return 0;
}

/* Reads one entity object; a type the map ignores is left out. */
static int read_entity(jline *l, const char *obj, size_t len,
                       json_object *o)
{
    eval_ctx *x = l->x;
    json_error jerr;
    int rc = json_parse_object(obj, len, JSON_DEPTH, o, &jerr);
    if (rc == -2)
        return -1;
    if (rc != 0) {
        snprintf(l->msg, sizeof l->msg, "an entity must be an object");
        return 1;
    }
    jent e;
    memset(&e, 0, sizeof e);
    if (read_offset(l, obj, o, "start", &e.start) ||
        read_offset(l, obj, o, "end", &e.end))
        return 1;
    if (e.end < e.start) {
        snprintf(l->msg, sizeof l->msg, "entity %zu-%zu ends before it starts",
                 e.start, e.end);
        return 1;
    }
    long k = json_object_find(o, obj, "type");
    if (k < 0 || o->members[k].type != JSON_STRING) {
        snprintf(l->msg, sizeof l->msg, "an entity needs a string \"type\"");
        return 1;
    }
    buf tb = BUF_INIT;
    rc = json_string_decode(obj + o->members[k].value_start,
                            o->members[k].value_len, &tb, NULL) ? -1 : 0;
    const char *t = tb.data ? tb.data : "";
    size_t tn = tb.len;
    e.spokes = !strcmp(t, "SPOKESPERSON");
    int kept = rc == 0 && eval_map_apply(&x->map, &t, &tn);
    if (kept && (e.type = scores_type(&x->scores, t, tn)) == STRTAB_NONE)
        rc = -1;
    buf_free(&tb);
    if (rc != 0 || !kept)
        return rc;
    static const char *const keys[2] = { "canonical", "for" };
    size_t *first[2] = { &e.names, &e.fors }, *count[2] = { &e.nnames,
                                                           &e.nfors };
    for (int i = 0; i < 2; i++) {
        k = json_object_find(o, obj, keys[i]);
        if (k >= 0 && (rc = read_names(l, obj, &o->members[k], keys[i],
                                       first[i], count[i])) != 0)
            return rc;
    }
    return jent_vec_push(&l->set->ents, e);
}

/* Reads the "entities" member of a document. */
static int read_entities(jline *l, const json_object *doc)
{
    long k = json_object_find(doc, l->s, "entities");
    if (k < 0 || doc->members[k].type != JSON_ARRAY) {
        snprintf(l->msg, sizeof l->msg, k < 0 ? "no \"entities\" member"
                                              : "\"entities\" must be a list");
        return 1;
    }
    const char *raw = l->s + doc->members[k].value_start;
    size_t len = doc->members[k].value_len, pos = 0, st, n;
    json_object o = JSON_OBJECT_INIT;
    int rc = 0;
    for (size_t i = 0; rc == 0 && array_next(raw, len, &pos, &st, &n); i++)
        if ((rc = read_entity(l, raw + st, n, &o)) == 1) {
            char m[sizeof l->msg];
            snprintf(m, sizeof m, "entities[%zu]: %s", i, l->msg);
            memcpy(l->msg, m, sizeof m);
        }
    json_object_free(&o);
    return rc;
}

/* Reads an optional string member ("id", "text") into the pool; an id
 * may also be a number, kept as written. */
static int read_string(jline *l, const json_object *doc, const char *key,
                       int number_ok, size_t *off, size_t *len)
{
    long k = json_object_find(doc, l->s, key);
    *off = NONE;
    if (k < 0)
        return 0;
    const json_member *m = &doc->members[k];
    const char *raw = l->s + m->value_start;
    size_t start = l->set->pool.len;
    int rc;
    if (m->type == JSON_STRING)
        rc = pool_json_string(l->set, raw, m->value_len, off);
    else if (m->type == JSON_NUMBER && number_ok)
        rc = pool_add(&l->set->pool, raw, m->value_len, off);
    else {
        snprintf(l->msg, sizeof l->msg, "\"%s\" must be a string", key);
        return 1;
    }
    if (len)
        *len = l->set->pool.len - start - 1;
    return rc;
}

/* Checks that the entities of a document lie inside its text. */
static int check_offsets(jline *l, const jdoc *d)
{
    if (d->text == NONE)
        return 0;
    size_t n = cp_count(jstr(l->set, d->text), d->text_len);
    for (size_t i = 0; i < d->nents; i++) {
        const jent *e = &l->set->ents.v[d->ents + i];
        if (e->end > n) {
            snprintf(l->msg, sizeof l->msg,
                     "entity %zu-%zu lies beyond the text (%zu code points)",
                     e->start, e->end, n);
            return 1;
        }
    }
    return 0;
}

static int read_doc(jline *l, size_t len, json_object *doc)
{
    json_error jerr;
    int rc = json_parse_object(l->s, len, JSON_DEPTH, doc, &jerr);
    if (rc == -2)
        return -1;
    if (rc != 0) {
        snprintf(l->msg, sizeof l->msg, "byte %zu: %s", jerr.offset + 1,
                 jerr.message);
        return 1;
    }
    jdoc d = { NONE, NONE, 0, l->set->ents.n, 0, l->lineno };
    if ((rc = read_string(l, doc, "id", 1, &d.id, NULL)) != 0 ||
        (rc = read_string(l, doc, "text", 0, &d.text, &d.text_len)) != 0 ||
        (rc = read_entities(l, doc)) != 0)
        return rc;
    d.nents = l->set->ents.n - d.ents;
    if ((rc = check_offsets(l, &d)) != 0)
        return rc;
    return jdoc_vec_push(&l->set->docs, d);
}

/* Reads a whole JSONL file into set.  Returns 0, 1 when rejected, -1 out
 * of memory. */
static int read_jsonl(eval_ctx *x, jset *set, const char *name)
{
    set->name = name;
    FILE *in = open_input(x, name);
    if (!in)
        return 1;
    jline l = { x, set, NULL, 0, "" };
    json_object doc = JSON_OBJECT_INIT;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int rc = 0;
    while (rc == 0 && (n = getline(&line, &cap, in)) >= 0) {
        l.lineno++;
        l.s = line;
        size_t len = chomp(line, (size_t)n), i = 0;
        while (i < len && (line[i] == ' ' || line[i] == '\t'))
            i++;
        if (i == len)
            continue;
        if ((rc = read_doc(&l, len, &doc)) == 1)
            report_at(x, name, l.lineno, l.msg);
    }
    if (rc == 0 && ferror(in)) {
        report_at(x, name, l.lineno, "read error");
        rc = 1;
    }
    free(line);
    json_object_free(&doc);
    close_input(in);
    return rc;
}

/* Pairs every predicted document with a gold one: by id, or by position
 * when the prediction has no id.  pair[g] is the predicted document of
 * gold document g, or NONE. */
static int pair_docs(eval_ctx *x, const jset *gold, const jset *pred,
                     size_t *pair)
{
    strtab ids = { 0 };
    size_vec doc_of = { 0 };
    int rc = 0;
    char msg[300];
    for (size_t g = 0; rc == 0 && g < gold->docs.n; g++) {
        pair[g] = NONE;
        const jdoc *d = &gold->docs.v[g];
        if (d->id == NONE)
            continue;
        const char *id = jstr(gold, d->id);
        size_t before = ids.count;
        uint32_t k = strtab_intern(&ids, id, strlen(id));
        if (k == STRTAB_NONE || (ids.count > before &&
                                 size_vec_push(&doc_of, g) != 0)) {
            rc = -1;
        } else if (ids.count == before) {
            snprintf(msg, sizeof msg, "document id \"%.200s\" is repeated",
                     id);
            report_at(x, gold->name, d->line, msg);
            rc = 1;
        }
    }
    for (size_t p = 0; rc == 0 && p < pred->docs.n; p++) {
        const jdoc *d = &pred->docs.v[p];
        const char *id = d->id != NONE ? jstr(pred, d->id) : NULL;
        uint32_t k = id ? strtab_find(&ids, id, strlen(id)) : STRTAB_NONE;
        size_t g = id ? (k == STRTAB_NONE ? NONE : doc_of.v[k])
                      : (p < gold->docs.n ? p : NONE);
        if (g == NONE || pair[g] != NONE) {
            if (g == NONE && id)
                snprintf(msg, sizeof msg, "no gold document has the id "
                         "\"%.200s\"", id);
            else
                snprintf(msg, sizeof msg, g == NONE
                         ? "more documents than the gold file has"
                         : "a second prediction for the same gold document");
            report_at(x, pred->name, d->line, msg);
            rc = 1;
        } else {
            pair[g] = p;
        }
    }
    strtab_free(&ids);
    size_vec_free(&doc_of);
    return rc;
}

/* Joins a list of names with " | " ("(none)" for an empty list). */
static int pool_names(buf *pool, const jset *s, size_t first, size_t n,
                      size_t *off)
{
    buf t = BUF_INIT;
    int rc = n ? 0 : buf_puts(&t, "(none)");
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = (i && buf_puts(&t, " | ")) ||
             buf_puts(&t, jstr(s, s->strs.v[first + i]));
    rc = rc || pool_add(pool, t.data, t.len, off);
    buf_free(&t);
    return rc;
}

/* The documents being compared. */
typedef struct jpair {
    const jset *gold, *pred;
    const jdoc *g, *p;        /* p may be NULL */
    const char *text;         /* the document text, or "" */
    size_t text_len;
} jpair;

/* Adds one difference of a pair of documents; ge or pe may be NULL. */
static int jsonl_diff(eval_ctx *x, const jpair *pr, enum eval_diff_kind k,
                      const jent *ge, const jent *pe)
{
    const jent *e = ge ? ge : pe;
    buf *pool = &x->diffs.pool;
    eval_diff d;
    memset(&d, 0, sizeof d);
    d.kind = k;
    d.start = e->start;
    d.end = e->end;
    const jset *ids = pr->g->id != NONE ? pr->gold : pr->pred;
    size_t id = pr->g->id != NONE ? pr->g->id : pr->p ? pr->p->id : NONE;
    char place[64];
    snprintf(place, sizeof place, "%s:%ld", pr->gold->name, pr->g->line);
    int rc = pool_addz(pool, id != NONE ? jstr(ids, id) : place, &d.doc);
    const char *gt = ge ? strtab_get(&x->scores.types, ge->type) : "";
    const char *pt = pe ? strtab_get(&x->scores.types, pe->type) : "";
    if (k == EVAL_WRONG_CANONICAL) {
        rc = rc || pool_names(pool, pr->gold, ge->names, ge->nnames, &d.gold)
                || pool_names(pool, pr->pred, pe->names, pe->nnames > 0,
                              &d.pred);
    } else if (k == EVAL_WRONG_FOR) {
        rc = rc || pool_names(pool, pr->gold, ge->fors, ge->nfors, &d.gold)
                || pool_names(pool, pr->pred, pe->fors, pe->nfors > 0,
                              &d.pred);
    } else {
        rc = rc || pool_addz(pool, gt, &d.gold) || pool_addz(pool, pt,
                                                             &d.pred);
    }
    size_t b = cp_to_byte(pr->text, pr->text_len, e->start);
    size_t end = cp_to_byte(pr->text, pr->text_len, e->end);
    if (b == NONE || end == NONE)
        b = end = 0;            /* no text to show */
    if (rc || diff_context(pool, pr->text, pr->text_len, b, end, &d) != 0)
        return -1;
    return eval_diff_vec_push(&x->diffs.v, d);
}

/* Is the first name of p's list among g's names?  An empty gold list
 * accepts only an empty prediction. */
static int name_accepted(const jset *gs, size_t gfirst, size_t gn,
                         const jset *ps, size_t pfirst, size_t pn)
{
    const char *want = pn ? jstr(ps, ps->strs.v[pfirst]) : "";
    if (!gn)
        return !*want;
    for (size_t i = 0; i < gn; i++)
        if (!strcmp(jstr(gs, gs->strs.v[gfirst + i]), want))
            return 1;
    return 0;
}

/* Canonical name and "for" of a correct mention. */
static int judge_names(eval_ctx *x, const jpair *pr, const jent *g,
                       const jent *p)
{
    eval_scores *s = &x->scores;
    int rc = 0;
    if (g->nnames) {
        int ok = name_accepted(pr->gold, g->names, g->nnames, pr->pred,
                               p->names, p->nnames);
        s->canon_total++;
        s->canon_correct += ok;
        if (!ok && x->o->diff)
            rc = jsonl_diff(x, pr, EVAL_WRONG_CANONICAL, g, p);
    }
    if (rc == 0 && g->spokes) {
        int ok = name_accepted(pr->gold, g->fors, g->nfors, pr->pred,
                               p->fors, p->nfors);
        s->for_total++;
        s->for_correct += ok;
        if (!ok && x->o->diff)
            rc = jsonl_diff(x, pr, EVAL_WRONG_FOR, g, p);
    }
    return rc;
}

/* Compares one gold document with its prediction (p may be NULL). */
static int compare_doc(eval_ctx *x, const jpair *pr)
{
    eval_scores *s = &x->scores;
    jent *g = pr->gold->ents.v + pr->g->ents;
    size_t ng = pr->g->nents;
    jent *p = pr->p ? pr->pred->ents.v + pr->p->ents : NULL;
    size_t np = pr->p ? pr->p->nents : 0;
    size_t first_diff = x->diffs.v.n;
    int rc = 0;
    for (size_t i = 0; i < ng; i++)
        count_gold(s, g[i].type);
    for (size_t j = 0; j < np; j++)
        count_pred(s, p[j].type);
    /* exact span and type first, then exact span alone (a wrong type), so
     * that a right mention is never spent on a wrong one */
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; rc == 0 && i < ng; i++)
            for (size_t j = 0; !g[i].used && j < np; j++) {
                if (p[j].used || p[j].start != g[i].start ||
                    p[j].end != g[i].end ||
                    (pass == 0 && p[j].type != g[i].type))
                    continue;
                g[i].used = p[j].used = 1;
                if (pass == 0) {
                    count_correct(s, g[i].type);
                    rc = judge_names(x, pr, &g[i], &p[j]);
                } else if (x->o->diff) {
                    rc = jsonl_diff(x, pr, EVAL_WRONG_TYPE, &g[i], &p[j]);
                }
            }
    for (size_t i = 0; rc == 0 && x->o->diff && i < ng; i++)
        if (!g[i].used)
            rc = jsonl_diff(x, pr, EVAL_MISS, &g[i], NULL);
    for (size_t j = 0; rc == 0 && x->o->diff && j < np; j++)
        if (!p[j].used)
            rc = jsonl_diff(x, pr, EVAL_FALSE_ALARM, NULL, &p[j]);
    /* no diff at all: qsort must not see the NULL of an empty vector */
    if (rc == 0 && x->diffs.v.n > first_diff)
        qsort(x->diffs.v.v + first_diff, x->diffs.v.n - first_diff,
              sizeof *x->diffs.v.v, diff_cmp);
    return rc;
}

static int run_jsonl(eval_ctx *x)
{
    jset gold, pred;
    memset(&gold, 0, sizeof gold);
    memset(&pred, 0, sizeof pred);
    int rc = read_jsonl(x, &gold, x->o->gold);
    if (rc == 0)
        rc = read_jsonl(x, &pred, x->o->pred);
    size_t *pair = rc == 0 ? malloc((gold.docs.n + 1) * sizeof *pair) : NULL;
    if (rc == 0 && !pair)
        rc = -1;
    if (rc == 0)
        rc = pair_docs(x, &gold, &pred, pair);
    for (size_t k = 0; rc == 0 && k < gold.docs.n; k++) {
        jpair pr = { &gold, &pred, &gold.docs.v[k], NULL, "", 0 };
        if (pair[k] != NONE)
            pr.p = &pred.docs.v[pair[k]];
        const jset *ts = pr.g->text != NONE ? &gold : &pred;
        const jdoc *td = pr.g->text != NONE ? pr.g : pr.p;
        if (td && td->text != NONE) {
            pr.text = jstr(ts, td->text);
            pr.text_len = td->text_len;
        }
        if (!pr.p) {
            char msg[300];
            snprintf(msg, sizeof msg, "warning: no prediction for this "
                     "document; its mentions count as missed");
            report_at(x, gold.name, pr.g->line, msg);
            x->scores.docs_missing++;
        }
        x->scores.docs++;
        rc = compare_doc(x, &pr);
    }
    free(pair);
    jset_free(&gold);
    jset_free(&pred);
    return rc;
}

/* ------------------------------------------------------------ reports */

int eval_report_conlleval(const eval_scores *s, FILE *out)
{
    double p, r, f;
    eval_prf(&s->all, &p, &r, &f);
    fprintf(out, "processed %zu tokens with %zu phrases; found: %zu "
            "phrases; correct: %zu.\n", s->tokens, s->all.gold, s->all.pred,
            s->all.correct);
    if (s->tokens > 0)
        fprintf(out, "accuracy: %6.2f%%; precision: %6.2f%%; recall: "
                "%6.2f%%; FB1: %6.2f\n",
                100.0 * (double)s->correct_tags / (double)s->tokens, p, r,
                f);
    size_t n;
    named_type *t = sorted_types(s, &n);
    if (!t)
        return -1;
    for (size_t i = 0; i < n; i++) {
        const eval_count *c = &s->per_type.v[t[i].id];
        eval_prf(c, &p, &r, &f);
        /* conlleval's loop that drops repeated names keeps a repeated ""
         * (Perl takes "" for false), so a type "" found on both sides is
         * reported twice */
        int times = !*t[i].name && c->gold && c->pred ? 2 : 1;
        while (times--)
            fprintf(out, "%17s: precision: %6.2f%%; recall: %6.2f%%; "
                    "FB1: %6.2f  %zu\n", t[i].name, p, r, f, c->pred);
    }
    free(t);
    return 0;
}

static double percent(size_t a, size_t b)
{
    return b ? 100.0 * (double)a / (double)b : 0.0;
}

/* The lines of the report that are not the table, as text. */
static int summary_line(const eval_ctx *x, int k, char *line, size_t size)
{
    const eval_scores *s = &x->scores;
    if (x->o->format == EVAL_CONLL) {
        if (k > 0)
            return 0;
        snprintf(line, size, "%zu tokens, tag accuracy %.2f%%", s->tokens,
                 percent(s->correct_tags, s->tokens));
        return 1;
    }
    switch (k) {
    case 0:
        snprintf(line, size, "%zu gold documents, %zu without a prediction",
                 s->docs, s->docs_missing);
        return 1;
    case 1:
        snprintf(line, size, "canonical names: %zu/%zu correct (%.2f%%) "
                 "among mentions with the right span and type",
                 s->canon_correct, s->canon_total,
                 percent(s->canon_correct, s->canon_total));
        return 1;
    case 2:
        snprintf(line, size, "for: %zu/%zu correct (%.2f%%) among "
                 "spokespeople with the right span and type", s->for_correct,
                 s->for_total, percent(s->for_correct, s->for_total));
        return 1;
    }
    return 0;
}

static const char *places_unit(const eval_ctx *x)
{
    return x->o->format == EVAL_CONLL ? "lines" : "code points, end exclusive";
}

/* "17-37", or for CoNLL lines "12" or "12-13". */
static void place(const eval_ctx *x, const eval_diff *d, char *out,
                  size_t size)
{
    if (x->o->format == EVAL_CONLL && d->start == d->end)
        snprintf(out, size, "%zu", d->start);
    else
        snprintf(out, size, "%zu-%zu", d->start, d->end);
}

/* "gold STATE, predicted ORG", or one side of it. */
static void detail(const eval_diffs *ds, const eval_diff *d, char *out,
                   size_t size)
{
    const char *g = ds->pool.data + d->gold, *p = ds->pool.data + d->pred;
    if (d->kind == EVAL_MISS)
        snprintf(out, size, "gold %s", g);
    else if (d->kind == EVAL_FALSE_ALARM)
        snprintf(out, size, "predicted %s", p);
    else
        snprintf(out, size, "gold %s, predicted %s", g, p);
}

/* The differences as text, one a line, tab-separated. */
static void report_diffs_text(const eval_ctx *x, FILE *out)
{
    const eval_diffs *ds = &x->diffs;
    char line[600];
    fprintf(out, "\n%zu differences (%s): kind, document, place, mention, "
            "detail, context\n", ds->v.n, places_unit(x));
    for (size_t i = 0; i < ds->v.n; i++) {
        const eval_diff *d = &ds->v.v[i];
        const char *pool = ds->pool.data;
        char where[64];
        place(x, d, where, sizeof where);
        detail(ds, d, line, sizeof line);
        fprintf(out, "%s\t%s\t%s\t%s\t%s\t%s[%s]%s\n",
                eval_diff_kind_name(d->kind), pool + d->doc, where,
                pool + d->text, line, pool + d->left, pool + d->text,
                pool + d->right);
    }
}

static int report_text(const eval_ctx *x, FILE *out)
{
    const eval_scores *s = &x->scores;
    char line[600];
    if (summary_line(x, 0, line, sizeof line))
        fprintf(out, "%s\n", line);
    fprintf(out, "%-16s %8s %8s %8s %9s %8s %8s\n", "type", "gold",
            "predicted", "correct", "precision", "recall", "F1");
    size_t n;
    named_type *t = sorted_types(s, &n);
    if (!t)
        return -1;
    double p, r, f;
    for (size_t i = 0; i <= n; i++) {
        const eval_count *c = i < n ? &s->per_type.v[t[i].id] : &s->all;
        eval_prf(c, &p, &r, &f);
        fprintf(out, "%-16s %8zu %8zu %8zu %9.2f %8.2f %8.2f\n",
                i < n ? t[i].name : "overall", c->gold, c->pred, c->correct,
                p, r, f);
    }
    free(t);
    for (int k = 1; summary_line(x, k, line, sizeof line); k++)
        fprintf(out, "%s\n", line);
    if (x->o->diff)
        report_diffs_text(x, out);
    return 0;
}

/* Writes s with the characters that mean something in HTML escaped. */
static void html_puts(FILE *out, const char *s)
{
    for (; *s; s++)
        switch (*s) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&#39;", out); break;
        default: fputc(*s, out);
        }
}

static const char html_head[] =
"<!DOCTYPE html>\n"
"<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
"<title>nertag eval</title>\n"
"<style>\n"
"body { font-family: sans-serif; margin: 2em; color: #222; }\n"
"table { border-collapse: collapse; margin: 1em 0; }\n"
"th, td { border: 1px solid #ccc; padding: 0.2em 0.5em; "
"vertical-align: top; }\n"
"th { background: #eee; text-align: left; }\n"
"td.n { text-align: right; font-variant-numeric: tabular-nums; }\n"
"tr.overall td { font-weight: bold; }\n"
"td.ctx { font-family: monospace; }\n"
"mark { background: #fd7; padding: 0 0.1em; }\n"
"tr.miss td.kind { color: #a00; }\n"
"tr.false-alarm td.kind { color: #a50; }\n"
"tr.wrong-type td.kind, tr.wrong-canonical td.kind, tr.wrong-for td.kind "
"{ color: #05a; }\n"
"</style>\n</head>\n<body>\n<h1>nertag eval</h1>\n";

static void html_files(const eval_ctx *x, FILE *out)
{
    fputs("<p>", out);
    if (x->o->gold) {
        fputs("Gold: <code>", out);
        html_puts(out, x->o->gold);
        fputs("</code>; predictions: <code>", out);
    } else {
        fputs("Gold and predicted tags: <code>", out);
    }
    html_puts(out, x->o->pred);
    fputs("</code>", out);
    if (x->o->map) {
        fputs("; type map: <code>", out);
        html_puts(out, x->o->map);
        fputs("</code>", out);
    }
    fputs(".</p>\n", out);
}

static int html_scores(const eval_ctx *x, FILE *out)
{
    const eval_scores *s = &x->scores;
    size_t n;
    named_type *t = sorted_types(s, &n);
    if (!t)
        return -1;
    fputs("<table class=\"scores\">\n<tr><th>type</th><th>gold</th>"
          "<th>predicted</th><th>correct</th><th>precision</th>"
          "<th>recall</th><th>F1</th></tr>\n", out);
    double p, r, f;
    for (size_t i = 0; i <= n; i++) {
        const eval_count *c = i < n ? &s->per_type.v[t[i].id] : &s->all;
        eval_prf(c, &p, &r, &f);
        fputs(i < n ? "<tr><td>" : "<tr class=\"overall\"><td>", out);
        html_puts(out, i < n ? t[i].name : "overall");
        fprintf(out, "</td><td class=\"n\">%zu</td><td class=\"n\">%zu</td>"
                "<td class=\"n\">%zu</td><td class=\"n\">%.2f</td>"
                "<td class=\"n\">%.2f</td><td class=\"n\">%.2f</td></tr>\n",
                c->gold, c->pred, c->correct, p, r, f);
    }
    fputs("</table>\n", out);
    free(t);
    char line[600];
    for (int k = 0; summary_line(x, k, line, sizeof line); k++) {
        fputs("<p>", out);
        html_puts(out, line);
        fputs("</p>\n", out);
    }
    return 0;
}

static void html_diffs(const eval_ctx *x, FILE *out)
{
    const eval_diffs *ds = &x->diffs;
    const char *pool = ds->pool.data;
    fprintf(out, "<h2>%zu differences</h2>\n<table class=\"diff\">\n"
            "<tr><th>kind</th><th>document</th><th>%s</th><th>mention</th>"
            "<th>detail</th><th>context</th></tr>\n", ds->v.n,
            places_unit(x));
    for (size_t i = 0; i < ds->v.n; i++) {
        const eval_diff *d = &ds->v.v[i];
        const char *kind = eval_diff_kind_name(d->kind);
        char where[64], what[600];
        place(x, d, where, sizeof where);
        detail(ds, d, what, sizeof what);
        fputs("<tr class=\"", out);
        for (const char *k = kind; *k; k++)
            fputc(*k == ' ' ? '-' : *k, out);
        fprintf(out, "\"><td class=\"kind\">%s</td><td>", kind);
        html_puts(out, pool + d->doc);
        fprintf(out, "</td><td>%s</td><td>", where);
        html_puts(out, pool + d->text);
        fputs("</td><td>", out);
        html_puts(out, what);
        fputs("</td><td class=\"ctx\">", out);
        html_puts(out, pool + d->left);
        fputs("<mark>", out);
        html_puts(out, pool + d->text);
        fputs("</mark>", out);
        html_puts(out, pool + d->right);
        fputs("</td></tr>\n", out);
    }
    fputs("</table>\n", out);
}

static int report_html(const eval_ctx *x, FILE *out)
{
    fputs(html_head, out);
    html_files(x, out);
    if (html_scores(x, out) != 0)
        return -1;
    if (x->o->diff)
        html_diffs(x, out);
    fputs("</body>\n</html>\n", out);
    return 0;
}

/* ------------------------------------------------------------ the command */

/* Parses the map and reads the inputs into x.  Returns 0, 1 when an
 * input was rejected, 2 for a bad map, -1 when out of memory. */
static int collect(eval_ctx *x)
{
    char msg[200];
    int rc = x->o->map ? eval_map_parse(&x->map, x->o->map, msg, sizeof msg)
                       : 0;
    if (rc == -1) {
        fprintf(x->err, "nertag eval: %s\n", msg);
        return 2;
    }
    if (rc == 0)
        rc = x->o->format == EVAL_CONLL ? run_conll(x) : run_jsonl(x);
    return rc < 0 ? -1 : rc;
}

static void ctx_free(eval_ctx *x)
{
    eval_map_free(&x->map);
    eval_scores_free(&x->scores);
    eval_diffs_free(&x->diffs);
}

int eval_score(const eval_options *o, eval_scores *s, eval_diffs *d,
               FILE *err)
{
    eval_ctx x;
    memset(&x, 0, sizeof x);
    x.o = o;
    x.err = err;
    int rc = collect(&x);
    if (rc == 0) {
        /* the results move to the caller */
        *s = x.scores;
        *d = x.diffs;
        memset(&x.scores, 0, sizeof x.scores);
        memset(&x.diffs, 0, sizeof x.diffs);
    }
    ctx_free(&x);
    return rc;
}

int eval_run(const eval_options *o, FILE *out, FILE *err)
{
    eval_ctx x;
    memset(&x, 0, sizeof x);
    x.o = o;
    x.err = err;
    int rc = collect(&x);
    if (rc == 0)
        rc = o->conlleval ? eval_report_conlleval(&x.scores, out)
           : o->html ? report_html(&x, out) : report_text(&x, out);
    if (rc == 0 && o->conlleval && o->diff)
        report_diffs_text(&x, out);
    if (rc < 0)
        fprintf(err, "nertag eval: out of memory\n");
    int status = rc < 0 ? 2 : rc;
    if (status == 0 && (fflush(out) != 0 || ferror(out))) {
        fprintf(err, "nertag eval: write error\n");
        status = 2;
    }
    ctx_free(&x);
    return status;
}

static void eval_usage(FILE *f)
{
    fputs(
"usage: nertag eval --gold GOLD.jsonl --pred PRED.jsonl [options]\n"
"       nertag eval --format conll [--pred] FILE [options]\n"
"\n"
"Scores predicted mentions against gold ones: precision, recall and F1 of\n"
"exact span and type, per type and overall.\n"
"\n"
"  -f, --format jsonl|conll  jsonl (default): gold documents as in the\n"
"                            guidelines, predictions as nertag's JSONL\n"
"                            output, paired by \"id\" (by order without);\n"
"                            also scores canonical names and \"for\"\n"
"                            conll: one file whose last column is the\n"
"                            predicted tag and the one before it the gold\n"
"                            tag, counted exactly as conlleval counts\n"
"  -g, --gold FILE           jsonl: the gold documents\n"
"  -p, --pred FILE           the predictions ('-' or none: standard input\n"
"                            in conll mode)\n"
"  -m, --map FROM=TO,...     map types on both sides before scoring; TO\n"
"                            '-' drops FROM; a type neither mapped nor a\n"
"                            target is dropped too (CoNLL tags become O).\n"
"                            'conll' stands for the corpora mapping:\n"
"                            STATE,LOC -> LOC; ORG,GROUP -> ORG;\n"
"                            SPOKESPERSON,PERSON,PER -> PER (MISC dropped)\n"
"      --diff                list every miss, false alarm, wrong type and\n"
"                            wrong canonical name or \"for\", in context\n"
"  -o, --output text|html    the report as text (default) or as one HTML\n"
"                            page\n"
"      --conlleval           conll: conlleval's own report, byte for byte\n"
"  -c, --token-column N      conll: the column shown in contexts (1)\n"
"  -h, --help                this help\n"
"\n"
"Exit status: 0 success, 1 an input was unreadable or malformed (each\n"
"reason on standard error with file:line), 2 usage error.\n", f);
}

/* Checks what the options say together; returns a message or NULL. */
static const char *check_options(const eval_options *o)
{
    if (o->format == EVAL_JSONL && (!o->gold || !o->pred))
        return "jsonl needs --gold and --pred";
    if (o->format == EVAL_JSONL && !strcmp(o->gold, "-") &&
        !strcmp(o->pred, "-"))
        return "--gold and --pred cannot both be standard input";
    if (o->format == EVAL_CONLL && o->gold)
        return "conll files hold both tags: give only --pred";
    if (o->conlleval && (o->format != EVAL_CONLL || o->html))
        return "--conlleval goes with --format conll and text output";
    return NULL;
}

int eval_main(int argc, char **argv)
{
    static const struct option longs[] = {
        { "format", required_argument, NULL, 'f' },
        { "gold", required_argument, NULL, 'g' },
        { "pred", required_argument, NULL, 'p' },
        { "map", required_argument, NULL, 'm' },
        { "diff", no_argument, NULL, 'D' },
        { "output", required_argument, NULL, 'o' },
        { "conlleval", no_argument, NULL, 'C' },
        { "token-column", required_argument, NULL, 'c' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    eval_options o = { EVAL_JSONL, NULL, NULL, NULL, 0, 0, 0, 1 };
    const char *bad = NULL;
    int opt;
    while (!bad &&
           (opt = getopt_long(argc, argv, "f:g:p:m:o:c:h", longs, NULL)) != -1)
        switch (opt) {
        case 'f':
            if (!strcmp(optarg, "jsonl") || !strcmp(optarg, "conll"))
                o.format = !strcmp(optarg, "conll") ? EVAL_CONLL : EVAL_JSONL;
            else
                bad = "--format is jsonl or conll";
            break;
        case 'g': o.gold = optarg; break;
        case 'p': o.pred = optarg; break;
        case 'm': o.map = optarg; break;
        case 'D': o.diff = 1; break;
        case 'o':
            if (!strcmp(optarg, "text") || !strcmp(optarg, "html"))
                o.html = !strcmp(optarg, "html");
            else
                bad = "--output is text or html";
            break;
        case 'C': o.conlleval = 1; break;
        case 'c':
            o.token_column = atoi(optarg);
            if (o.token_column < 1)
                bad = "--token-column is 1 or more";
            break;
        case 'h': eval_usage(stdout); return 0;
        default: eval_usage(stderr); return 2;
        }
    if (!bad && optind < argc) {
        if (o.format == EVAL_CONLL && !o.pred && optind + 1 == argc)
            o.pred = argv[optind];
        else
            bad = "too many arguments";
    }
    if (!bad && o.format == EVAL_CONLL && !o.pred)
        o.pred = "-";
    if (!bad)
        bad = check_options(&o);
    if (bad) {
        fprintf(stderr, "nertag eval: %s\n", bad);
        return 2;
    }
    return eval_run(&o, stdout, stderr);
}
