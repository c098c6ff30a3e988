/* conll.c - CoNLL files, counted the way the conlleval script of the CoNLL
 * shared tasks counts them, so that the numbers can be set beside published
 * ones:
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
#include "eval/eval-run.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

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
int run_conll(eval_ctx *x)
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
