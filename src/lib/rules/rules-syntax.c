/* rules-syntax.c - reading patterns and token tests into a tree.
 *
 * A pattern is a sequence of elements (literals, token tests in brackets,
 * lists, whole annotations, groups) with repetitions and captures; a token
 * test combines features with & | !.  Token tests are compiled on the spot
 * into the ruleset's test table, conjunctions of simple features fused into
 * bit masks (see "fusing"); patterns become a tree (rules-build.h) that
 * rules-compile.c turns into a program.
 */
#include "lib/rules/rules-build.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ errors */

int fail(parser *p, long line, long column, const char *fmt, ...)
{
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    err_set(p->err, NERTAG_ERR_SYNTAX, "%s", msg);
    err_set_place(p->err, p->path, line, column);
    return -1;
}

int nomem(parser *p)
{
    err_set(p->err, NERTAG_ERR_NOMEM, "out of memory");
    return -1;
}

uint32_t rules_add_string(ruleset *r, const char *s, size_t n)
{
    uint32_t off = (uint32_t)r->strings.len;
    if (buf_append(&r->strings, s, n) != 0 || buf_putc(&r->strings, 0) != 0)
        return NONE32;
    return off;
}

/* ------------------------------------------------------------ tree */

static uint32_t new_node(ast *a, node n)
{
    if (node_vec_push(&a->nodes, n) != 0)
        return NONE32;
    return (uint32_t)a->nodes.n - 1;
}

/* A node over the children list tmp[0..n). */
static uint32_t new_parent(ast *a, uint8_t kind, const u32_vec *tmp,
                           size_t from)
{
    node n = { kind, 0, 0, 0, 0, 0, (uint32_t)a->kids.n,
               (uint32_t)(tmp->n - from), 0 };
    for (size_t i = from; i < tmp->n; i++)
        if (u32_vec_push(&a->kids, tmp->v[i]) != 0)
            return NONE32;
    return new_node(a, n);
}

static test make_test(uint8_t kind, uint32_t arg, uint32_t arg2,
                      uint32_t left, uint32_t right)
{
    test t;
    memset(&t, 0, sizeof t);
    t.kind = kind;
    t.arg = arg;
    t.arg2 = arg2;
    t.left = left;
    t.right = right;
    return t;
}

static uint32_t add_test(parser *p, test t)
{
    if (test_vec_push(&p->r->tests, t) != 0)
        return NONE32;
    return (uint32_t)p->r->tests.n - 1;
}

/* The lexicon ids a T_FORM or T_FORMS test accepts: *n of them at *ids
 * (one id in *one for a T_FORM); 0 for another kind of test. */
static int form_ids(const ruleset *r, uint32_t t, const uint32_t **ids,
                    uint32_t *n, uint32_t *one)
{
    const test *x = &r->tests.v[t];
    if (x->kind == T_FORM) {
        *one = x->arg;
        *ids = one;
        *n = 1;
        return 1;
    }
    if (x->kind == T_FORMS) {
        *ids = r->form_sets.v + x->arg;
        *n = x->arg2;
        return 1;
    }
    return 0;
}

/* The bits in the memo of endings of a test of endings (T_ENDS with a bit,
 * or T_ENDINGS), in their word *word; 0 for another test. */
static uint64_t ending_mask(const ruleset *r, uint32_t t, uint32_t *word)
{
    const test *x = &r->tests.v[t];
    if (x->kind == T_ENDS && x->arg2 < ENDS_BITS) {
        *word = x->arg2 / 64;
        return (uint64_t)1 << (x->arg2 % 64);
    }
    if (x->kind == T_ENDINGS) {
        *word = x->ends_word;
        return (uint64_t)x->arg2 << 32 | x->arg;
    }
    return 0;
}

/* a or b when b is a test of endings: endings or-ed together make one
 * T_ENDINGS, which a word answers from its memo once it has been tried
 * on them all; NONE32 when they do not join. */
static uint32_t join_endings(parser *p, uint32_t a, uint32_t b)
{
    ruleset *r = p->r;
    uint32_t wa = 0, wb = 0, wx = 0;
    uint64_t ma = ending_mask(r, a, &wa), mb = ending_mask(r, b, &wb);
    if (ma && mb && wa == wb) {
        uint64_t m = ma | mb;
        test t = make_test(T_ENDINGS, (uint32_t)m, (uint32_t)(m >> 32), a, b);
        t.ends_word = wa;
        return add_test(p, t);
    }
    /* (x | ends="a") | ends="b", as the parser builds a list of
     * alternatives: x | (ends="a" | ends="b") */
    const test *x = &r->tests.v[a];
    if (mb && x->kind == T_OR && ending_mask(r, x->right, &wx) && wx == wb) {
        uint32_t left = x->left, e = test_or(p, x->right, b);
        return e == NONE32 ? NONE32
                           : add_test(p, make_test(T_OR, 0, 0, left, e));
    }
    return NONE32;
}

/* a or b.  Two sets of words make one set, tested by a search rather
 * than word after word ("beat" | "v" | "vs" | "defeated"); endings join
 * likewise (join_endings). */
uint32_t test_or(parser *p, uint32_t a, uint32_t b)
{
    ruleset *r = p->r;
    const uint32_t *x, *y;
    uint32_t nx, ny, ox, oy, word;
    if (ending_mask(r, b, &word)) {
        uint32_t t = join_endings(p, a, b);
        if (t != NONE32)
            return t;
    }
    if (!form_ids(r, a, &x, &nx, &ox) || !form_ids(r, b, &y, &ny, &oy))
        return add_test(p, make_test(T_OR, 0, 0, a, b));
    /* merge the two sorted lists; the vector may move as it grows, so
     * the ids are read by position */
    size_t xa = x == &ox ? SIZE_MAX : (size_t)(x - r->form_sets.v);
    size_t ya = y == &oy ? SIZE_MAX : (size_t)(y - r->form_sets.v);
    if (u32_vec_reserve(&r->form_sets, r->form_sets.n + nx + ny) != 0)
        return NONE32;
    const uint32_t *vx = xa == SIZE_MAX ? &ox : r->form_sets.v + xa;
    const uint32_t *vy = ya == SIZE_MAX ? &oy : r->form_sets.v + ya;
    uint32_t first = (uint32_t)r->form_sets.n, i = 0, j = 0;
    uint32_t *out = r->form_sets.v;
    while (i < nx || j < ny) {
        uint32_t v = j >= ny || (i < nx && vx[i] < vy[j]) ? vx[i++] : vy[j++];
        if (r->form_sets.n == first || out[r->form_sets.n - 1] != v)
            out[r->form_sets.n++] = v;
    }
    return add_test(p, make_test(T_FORMS, first,
                                 (uint32_t)r->form_sets.n - first,
                                 NONE32, NONE32));
}

/* ------------------------------------------------------------ lexing */

static void skip_space(parser *p)
{
    while (*p->pos == ' ' || *p->pos == '\t')
        p->pos++;
}

static int ident_char(char c, int first)
{
    return isalpha((unsigned char)c) || c == '_' ||
           (!first && (isdigit((unsigned char)c) || c == '-'));
}

/* Reads an identifier into out (NUL-terminated, truncated to size). */
static int read_ident(parser *p, char *out, size_t size)
{
    skip_space(p);
    const char *s = p->pos;
    if (!ident_char(*s, 1))
        return FAIL_HERE(p, "expected a name");
    while (ident_char(*p->pos, 0))
        p->pos++;
    size_t n = (size_t)(p->pos - s);
    if (n >= size)
        return FAIL_HERE(p, "name too long");
    memcpy(out, s, n);
    out[n] = '\0';
    return 0;
}

/* Reads a "quoted string" (with \" and \\) into b. */
static int read_string(parser *p, buf *b)
{
    skip_space(p);
    if (*p->pos != '"')
        return FAIL_HERE(p, "expected a quoted string");
    p->pos++;
    buf_clear(b);
    while (*p->pos && *p->pos != '"') {
        if (*p->pos == '\\' && (p->pos[1] == '"' || p->pos[1] == '\\'))
            p->pos++;
        if (buf_putc(b, *p->pos++) != 0)
            return nomem(p);
    }
    if (*p->pos != '"')
        return FAIL_HERE(p, "unterminated string");
    p->pos++;
    return buf_reserve(b, 0) != 0 ? nomem(p) : 0;
}

static int accept(parser *p, char c)
{
    skip_space(p);
    if (*p->pos != c)
        return 0;
    p->pos++;
    return 1;
}

/* ------------------------------------------------------------ token tests */

/* Lexicon id of a literal's folded form, which must be one token. */
int literal_id(parser *p, const char *s, uint32_t *id)
{
    p->ids.n = p->offsets.n = 0;
    if (load_tokens(p->load, s, strlen(s), &p->ids, &p->offsets, p->err))
        return -1;
    if (p->ids.n != 1)
        return FAIL_HERE(p, "'%s' is %zu tokens where one is expected", s,
                         p->ids.n);
    *id = p->ids.v[0];
    return 0;
}

int stem_ids(parser *p, const char *s, uint32_t *first)
{
    *first = (uint32_t)p->r->stems.n;
    for (uint32_t l = 0; l < p->r->nlangs; l++) {
        char *st = stem_dup(&p->load->stem, (int)l, s, strlen(s));
        if (!st)
            return nomem(p);
        uint32_t id = strtab_intern(&p->load->model->lexicon, st, strlen(st));
        free(st);
        if (id == STRTAB_NONE || u32_vec_push(&p->r->stems, id) != 0)
            return nomem(p);
    }
    return 0;
}

/* A list of this file, or else of a file read before it. */
int find_list(parser *p, const char *name, uint32_t *list)
{
    uint32_t other = NONE32;
    for (size_t i = 0; i < p->r->lists.n; i++)
        if (!strcmp(rules_str(p->r, p->r->lists.v[i].name), name)) {
            if (p->r->lists.v[i].file == p->file) {
                *list = (uint32_t)i;
                return 0;
            }
            if (other == NONE32)
                other = (uint32_t)i;
        }
    if (other != NONE32) {
        *list = other;
        return 0;
    }
    return FAIL_HERE(p, "unknown list '%s' (lists must be defined before "
                     "the rules that use them)", name);
}

static const struct { const char *name; uint16_t flag; } flag_names[] = {
    { "cap", TF_CAP }, { "upper", TF_UPPER }, { "lower", TF_LOWER },
    { "alpha", TF_ALPHA }, { "digit", TF_DIGIT }, { "punct", TF_PUNCT },
    { "quote", TF_QUOTE }, { "sstart", TF_SSTART }, { "space", TF_SPACE },
    { "abbrev", TF_ABBREV }, { "acronym", TF_ACRONYM },
    { "number", TF_NUMBER },
};

static uint32_t parse_or(parser *p, buf *tmp);

/* feature, feature=value, "form", @list, !x, (x) */
/* A bare feature: cap, upper, …, function, any. */
static uint32_t parse_flag(parser *p, const char *feat)
{
    test t = make_test(T_FLAGS, 0, 0, 0, 0);
    for (size_t i = 0; i < sizeof flag_names / sizeof flag_names[0]; i++)
        if (!strcmp(feat, flag_names[i].name)) {
            t.arg = flag_names[i].flag;
            return add_test(p, t);
        }
    if (!strcmp(feat, "function")) {
        t.arg = TF_FUNCTION;
        return add_test(p, t);
    }
    if (!strcmp(feat, "any") || !strcmp(feat, "true"))
        return add_test(p, make_test(T_TRUE, 0, 0, 0, 0));
    FAIL_HERE(p, "unknown token feature '%s'", feat);
    return NONE32;
}

/* list=NAME, in=LABEL, label=LABEL (after the '='). */
static uint32_t parse_named(parser *p, const char *feat)
{
    char val[64];
    if (read_ident(p, val, sizeof val) != 0)
        return NONE32;
    test t = make_test(T_LIST, 0, 0, 0, 0);
    if (!strcmp(feat, "list"))
        return find_list(p, val, &t.arg) != 0 ? NONE32 : add_test(p, t);
    /* in=: a mention or a confirmed annotation; label=: any annotation,
     * ambiguous ones too */
    t.kind = feat[0] == 'i' ? T_IN : T_LABEL;
    t.arg = !strcmp(val, "any") ? NONE32
                                : load_label(p->load, val, strlen(val));
    /* NONE32 means "any": out of memory must not become that */
    if (t.arg == NONE32 && strcmp(val, "any")) {
        nomem(p);
        return NONE32;
    }
    return add_test(p, t);
}

/* The bit of an ending in a surface's memo of endings (surface_info):
 * the same for every test of the same ending; NONE32 past ENDS_BITS
 * endings, which are then compared on every token. */
static uint32_t ending_bit(const ruleset *r, const char *ending)
{
    uint32_t next = 0;
    for (size_t i = 0; i < r->tests.n; i++) {
        const test *x = &r->tests.v[i];
        if (x->kind != T_ENDS || x->arg2 == NONE32)
            continue;
        if (!strcmp(rules_str(r, x->arg), ending))
            return x->arg2;
        if (x->arg2 >= next)
            next = x->arg2 + 1;
    }
    return next < ENDS_BITS ? next : NONE32;
}

/* form="…", word="…", stem="…", ends="…" (after the '='). */
static uint32_t parse_quoted(parser *p, const char *feat, buf *tmp)
{
    test t = make_test(T_FORM, 0, 0, 0, 0);
    if (read_string(p, tmp) != 0)
        return NONE32;
    if (!strcmp(feat, "form")) {
        if (literal_id(p, tmp->data, &t.arg) != 0)
            return NONE32;
    } else if (!strcmp(feat, "word")) {
        t.kind = T_WORD;
        if ((t.arg = rules_add_string(p->r, tmp->data, tmp->len)) == NONE32) {
            nomem(p);
            return NONE32;
        }
        /* the folded form too, to index the rule */
        if (literal_id(p, tmp->data, &t.arg2) != 0)
            return NONE32;
    } else if (!strcmp(feat, "stem")) {
        if (stem_ids(p, tmp->data, &t.arg) != 0)
            return NONE32;
        t.kind = T_STEM;
    } else if (!strcmp(feat, "ends")) {
        char *f = fold_dup(tmp->data, tmp->len, 0);
        t.kind = T_ENDS;
        t.arg = f && *f ? rules_add_string(p->r, f, strlen(f)) : NONE32;
        if (t.arg != NONE32)
            t.arg2 = ending_bit(p->r, f);
        free(f);
        if (t.arg == NONE32) {
            if (!tmp->len)
                FAIL_HERE(p, "ends=\"\" matches every word");
            else
                nomem(p);
            return NONE32;
        }
    } else {
        FAIL_HERE(p, "unknown token feature '%s'", feat);
        return NONE32;
    }
    return add_test(p, t);
}

static uint32_t parse_unary(parser *p, buf *tmp)
{
    test t = make_test(T_TRUE, 0, 0, 0, 0);
    if (accept(p, '!')) {
        t.kind = T_NOT;
        if ((t.left = parse_unary(p, tmp)) == NONE32)
            return NONE32;
        return add_test(p, t);
    }
    if (accept(p, '(')) {
        uint32_t x = parse_or(p, tmp);
        if (x != NONE32 && !accept(p, ')')) {
            FAIL_HERE(p, "expected ')'");
            return NONE32;
        }
        return x;
    }
    if (accept(p, '@')) {
        char name[64];
        if (read_ident(p, name, sizeof name) || find_list(p, name, &t.arg))
            return NONE32;
        t.kind = T_LIST;
        return add_test(p, t);
    }
    skip_space(p);
    if (*p->pos == '"') {
        if (read_string(p, tmp) || literal_id(p, tmp->data, &t.arg))
            return NONE32;
        t.kind = T_FORM;
        return add_test(p, t);
    }
    char feat[32];
    if (read_ident(p, feat, sizeof feat) != 0)
        return NONE32;
    if (!accept(p, '='))
        return parse_flag(p, feat);
    if (!strcmp(feat, "list") || !strcmp(feat, "in") ||
        !strcmp(feat, "label"))
        return parse_named(p, feat);
    return parse_quoted(p, feat, tmp);
}

/* ------------------------------------------------------------ fusing */

/* Folds one leaf of a conjunction into c; returns 0 when it cannot be
 * folded (it then stays a test of its own). */
static int fold_leaf(const ruleset *r, const test *x, int negated, test *c)
{
    if (x->kind == T_NOT)
        return fold_leaf(r, &r->tests.v[x->left], !negated, c);
    if (x->kind == T_FLAGS) {
        /* !(a & b) is not !a & !b: only single flags fold when negated */
        if (negated && (x->arg & (x->arg - 1)))
            return 0;
        *(negated ? &c->forbid : &c->need) |= (uint16_t)x->arg;
        return 1;
    }
    if (x->kind == T_LIST && x->arg < 64) {
        int stem = r->lists.v[x->arg].by_stem;
        uint64_t bit = (uint64_t)1 << x->arg;
        *(stem ? (negated ? &c->stem_out : &c->stem_in)
               : (negated ? &c->form_out : &c->form_in)) |= bit;
        return 1;
    }
    if ((x->kind == T_IN || x->kind == T_LABEL) &&
        (x->arg == NONE32 || LABEL_IS_TYPE(x->arg))) {
        uint16_t bit = x->arg == NONE32
            ? (uint16_t)(x->kind == T_IN ? COVER_ANY_TYPE : COVER_ANY)
            : (uint16_t)(x->kind == T_IN ? 1u << x->arg
                                         : (unsigned)COVER_AMBIGUOUS_TYPE
                                               << x->arg);
        *(negated ? &c->cover_forbid : &c->cover_need) |= bit;
        return 1;
    }
    return 0;
}

/* Collects the leaves of an AND tree: folded into c, or chained into the
 * rest. */
static int fuse_and(parser *p, uint32_t t, test *c, uint32_t *rest)
{
    test x = p->r->tests.v[t];
    if (x.kind == T_AND)
        return fuse_and(p, x.left, c, rest) || fuse_and(p, x.right, c, rest);
    if (fold_leaf(p->r, &x, 0, c))
        return 0;
    if (*rest == NONE32) {
        *rest = t;
        return 0;
    }
    uint32_t a = add_test(p, make_test(T_AND, 0, 0, *rest, t));
    if (a == NONE32)
        return -1;
    *rest = a;
    return 0;
}

/* Compiles a token test into a bit-mask conjunction where it can: most
 * tests are flags, lists and "not inside a name", which then cost a few
 * instructions instead of a walk of the tree. */
static uint32_t fuse(parser *p, uint32_t t)
{
    if (t == NONE32)
        return NONE32;
    test c;
    memset(&c, 0, sizeof c);
    c.kind = T_CONJ;
    c.left = NONE32;
    if (fuse_and(p, t, &c, &c.left) != 0)
        return NONE32;
    if (!c.need && !c.forbid && !c.cover_need && !c.cover_forbid &&
        !c.form_in && !c.form_out && !c.stem_in && !c.stem_out)
        return t;    /* nothing folded: keep the tree */
    return add_test(p, c);
}

static int at_test_end(parser *p)
{
    skip_space(p);
    return *p->pos == ']' || *p->pos == ')' || *p->pos == '|' || !*p->pos;
}

/* unary ( ['&'] unary )* */
static uint32_t parse_and(parser *p, buf *tmp)
{
    uint32_t left = parse_unary(p, tmp);
    while (left != NONE32 && !at_test_end(p)) {
        accept(p, '&');
        uint32_t right = parse_unary(p, tmp);
        if (right == NONE32)
            return NONE32;
        left = add_test(p, make_test(T_AND, 0, 0, left, right));
    }
    return left;
}

static uint32_t parse_or(parser *p, buf *tmp)
{
    uint32_t left = parse_and(p, tmp);
    while (left != NONE32 && accept(p, '|')) {
        uint32_t right = parse_and(p, tmp);
        if (right == NONE32)
            return NONE32;
        left = test_or(p, left, right);
    }
    return left;
}

/* ------------------------------------------------------------ patterns */

static uint32_t parse_item(parser *p, ast *a, buf *tmp);

/* A quoted literal: one N_TEST per token of its folded form. */
static uint32_t parse_literal(parser *p, ast *a, buf *tmp)
{
    if (read_string(p, tmp) != 0)
        return NONE32;
    p->ids.n = p->offsets.n = 0;
    if (load_tokens(p->load, tmp->data, tmp->len, &p->ids, &p->offsets,
                        p->err) != 0)
        return NONE32;
    if (!p->ids.n) {
        FAIL_HERE(p, "empty literal");
        return NONE32;
    }
    u32_vec seq = { 0 };
    uint32_t res = NONE32;
    for (size_t i = 0; i < p->ids.n; i++) {
        uint32_t t = add_test(p, make_test(T_FORM, p->ids.v[i], 0, 0, 0));
        uint32_t n = t == NONE32 ? NONE32
            : new_node(a, (node){ N_TEST, t, 0, 0, 0, 0, 0, 0, 0 });
        if (n == NONE32 || u32_vec_push(&seq, n) != 0)
            goto out;
    }
    res = seq.n == 1 ? seq.v[0] : new_parent(a, N_SEQ, &seq, 0);
out:
    u32_vec_free(&seq);
    if (res == NONE32 && !p->err->message[0])
        nomem(p);
    return res;
}

/* <LABEL|LABEL> */
static uint32_t parse_labels(parser *p, ast *a)
{
    uint32_t first = (uint32_t)p->r->labelsets.n, count = 0;
    do {
        char name[64];
        if (read_ident(p, name, sizeof name) != 0)
            return NONE32;
        uint32_t l = load_label(p->load, name, strlen(name));
        if (l == NONE32 || u32_vec_push(&p->r->labelsets, l) != 0) {
            nomem(p);
            return NONE32;
        }
        count++;
    } while (accept(p, '|'));
    if (!accept(p, '>')) {
        FAIL_HERE(p, "expected '>'");
        return NONE32;
    }
    return new_node(a, (node){ N_ANNOT, first, count, 0, 0, 0, 0, 0, 0 });
}

static int capture_index(parser *p, const char *name, uint32_t *c)
{
    for (uint32_t i = 0; i < p->ncaptures; i++)
        if (!strcmp(p->captures[i], name)) {
            *c = i;
            return 0;
        }
    if (p->ncaptures == RULE_MAX_CAPTURES)
        return FAIL_HERE(p, "more than %d captures", RULE_MAX_CAPTURES);
    if (!(p->captures[p->ncaptures] = str_dup(name)))
        return nomem(p);
    *c = p->ncaptures++;
    return 0;
}

static uint32_t parse_atom(parser *p, ast *a, buf *tmp)
{
    skip_space(p);
    char c = *p->pos;
    if (c == '"')
        return parse_literal(p, a, tmp);
    if (c == '[' || c == '@' || c == '.') {
        uint32_t t;
        p->pos++;
        if (c == '.') {
            t = add_test(p, make_test(T_TRUE, 0, 0, 0, 0));
        } else if (c == '@') {
            p->pos--;
            t = parse_unary(p, tmp);
        } else {
            t = parse_or(p, tmp);
            if (t != NONE32 && !accept(p, ']')) {
                FAIL_HERE(p, "expected ']'");
                return NONE32;
            }
        }
        if ((t = fuse(p, t)) == NONE32)
            return NONE32;
        return new_node(a, (node){ N_TEST, t, 0, 0, 0, 0, 0, 0, 0 });
    }
    if (c == '<') {
        p->pos++;
        return parse_labels(p, a);
    }
    if (c == '(') {
        p->pos++;
        uint32_t x = parse_alt(p, a, tmp);
        if (x != NONE32 && !accept(p, ')')) {
            FAIL_HERE(p, "expected ')'");
            return NONE32;
        }
        return x;
    }
    if (ident_char(c, 1)) {
        char name[64];
        const char *save = p->pos;
        if (read_ident(p, name, sizeof name) != 0)
            return NONE32;
        if (*p->pos == ':') {
            p->pos++;
            uint32_t cap = 0;
            if (capture_index(p, name, &cap) != 0)
                return NONE32;
            /* name:x{1,3} captures the whole repetition */
            uint32_t kid = parse_item(p, a, tmp);
            if (kid == NONE32)
                return NONE32;
            u32_vec one = { 0 };
            uint32_t res = NONE32;
            if (u32_vec_push(&one, kid) == 0)
                res = new_parent(a, N_CAPTURE, &one, 0);
            u32_vec_free(&one);
            if (res != NONE32)
                a->nodes.v[res].capture = cap;
            return res;
        }
        p->pos = save;
        FAIL_HERE(p, "'%s' must be quoted, bracketed or followed by ':'",
                  name);
        return NONE32;
    }
    FAIL_HERE(p, c ? "unexpected '%c'" : "pattern ends too early", c);
    return NONE32;
}

static int read_number(parser *p, int *n)
{
    skip_space(p);
    if (!isdigit((unsigned char)*p->pos))
        return FAIL_HERE(p, "expected a number");
    long v = strtol(p->pos, (char **)&p->pos, 10);
    if (v > RULE_MAX_SPAN)
        return FAIL_HERE(p, "repetition above %d", RULE_MAX_SPAN);
    *n = (int)v;
    return 0;
}

static uint32_t parse_item(parser *p, ast *a, buf *tmp)
{
    uint32_t x = parse_atom(p, a, tmp);
    if (x == NONE32)
        return NONE32;
    int min, max;
    skip_space(p);
    switch (*p->pos) {
    case '?': min = 0; max = 1; break;
    case '*': min = 0; max = -1; break;
    case '+': min = 1; max = -1; break;
    case '{':
        p->pos++;
        if (read_number(p, &min) != 0)
            return NONE32;
        max = min;
        if (accept(p, ',')) {
            skip_space(p);
            max = -1;
            if (*p->pos != '}' && read_number(p, &max) != 0)
                return NONE32;
        }
        skip_space(p);
        if (*p->pos != '}' || (max >= 0 && max < min) || max == 0) {
            FAIL_HERE(p, "expected {n}, {n,} or {n,m} with 0 < m >= n");
            return NONE32;
        }
        break;
    default:
        return x;
    }
    p->pos++;
    u32_vec one = { 0 };
    uint32_t res = NONE32;
    if (u32_vec_push(&one, x) == 0)
        res = new_parent(a, N_REPEAT, &one, 0);
    u32_vec_free(&one);
    if (res != NONE32) {
        a->nodes.v[res].min = min;
        a->nodes.v[res].max = max;
    }
    return res;
}

static int at_seq_end(parser *p)
{
    skip_space(p);
    return !*p->pos || *p->pos == '|' || *p->pos == ')';
}

static uint32_t parse_seq(parser *p, ast *a, buf *tmp)
{
    u32_vec items = { 0 };
    uint32_t res = NONE32;
    while (!at_seq_end(p)) {
        uint32_t x = parse_item(p, a, tmp);
        if (x == NONE32 || u32_vec_push(&items, x) != 0)
            goto out;
    }
    if (!items.n)
        FAIL_HERE(p, "empty pattern");
    else
        res = items.n == 1 ? items.v[0] : new_parent(a, N_SEQ, &items, 0);
out:
    u32_vec_free(&items);
    return res;
}

/* Alternatives that are each one token test, side by side, become one
 * test of their union: ("beat" | "v" | "vs") is then one token step of
 * the matcher instead of a split per word; and so do alternatives that are
 * each one annotation step, (<STATE> | <LOC>), one step over the union of
 * their labels.  Only neighbours are joined, so that which alternative
 * wins a tie (and sets the captures) does not change; a capture of joined
 * annotation steps finds its annotation by its span, as it did.  Returns
 * -1 when out of memory. */
static int join_alternatives(parser *p, ast *a, u32_vec *alts)
{
    size_t k = 0;
    for (size_t i = 0; i < alts->n; i++) {
        const node *n = &a->nodes.v[alts->v[i]];
        node *prev = k ? &a->nodes.v[alts->v[k - 1]] : NULL;
        if (prev && prev->kind == N_TEST && n->kind == N_TEST) {
            uint32_t t = test_or(p, prev->arg, n->arg);
            if (t == NONE32)
                return -1;
            prev->arg = t;
            continue;
        }
        if (prev && prev->kind == N_ANNOT && n->kind == N_ANNOT) {
            /* a new span: the labels of both, in order */
            u32_vec *ls = &p->r->labelsets;
            uint32_t first = (uint32_t)ls->n;
            for (uint32_t j = 0; j < prev->count + n->count; j++) {
                uint32_t at = j < prev->count ? prev->arg + j
                                              : n->arg + j - prev->count;
                if (u32_vec_push(ls, ls->v[at]) != 0)
                    return -1;
            }
            prev->count += n->count;
            prev->arg = first;
            prev->joined = 1;
            continue;
        }
        alts->v[k++] = alts->v[i];
    }
    alts->n = k;
    return 0;
}

uint32_t parse_alt(parser *p, ast *a, buf *tmp)
{
    u32_vec alts = { 0 };
    uint32_t res = NONE32;
    do {
        uint32_t x = parse_seq(p, a, tmp);
        if (x == NONE32 || u32_vec_push(&alts, x) != 0)
            goto out;
    } while (accept(p, '|'));
    if (join_alternatives(p, a, &alts) != 0) {
        nomem(p);
        goto out;
    }
    res = alts.n == 1 ? alts.v[0] : new_parent(a, N_ALT, &alts, 0);
out:
    u32_vec_free(&alts);
    return res;
}
