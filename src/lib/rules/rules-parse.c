/* rules-parse.c - reading rule files and compiling their patterns.
 *
 * The language is described in doc/nertag-rules.5.  A file is a sequence
 * of sections in the format of conf.h:
 *
 *   [phases]       order = names organizations states people
 *   [list NAME]    words = a | b   or   stems = dire | déclarer
 *   [rule NAME]    match = …, mention = …, example = …
 *
 * A rule's keys may come in any order, so a rule is compiled when its
 * section ends: first the patterns (which define the captures), then the
 * actions and templates that refer to the captures.
 */
#include "lib/load.h"
#include "lib/rules/rules.h"
#include "util/conf.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------ helpers */

const char *rules_str(const ruleset *r, uint32_t off)
{
    return off == NONE32 ? "" : r->strings.data + off;
}

static uint32_t rules_add_string(ruleset *r, const char *s, size_t n)
{
    uint32_t off = (uint32_t)r->strings.len;
    if (buf_append(&r->strings, s, n) != 0 || buf_putc(&r->strings, 0) != 0)
        return NONE32;
    return off;
}

const char *rule_capture_name(const ruleset *r, const rule *ru, uint32_t c)
{
    const char *s = rules_str(r, ru->capture_names);
    for (uint32_t i = 0; i < c; i++)
        s += strlen(s) + 1;
    return s;
}

/* A key of a rule section, kept until the section ends. */
typedef struct kv {
    char *key, *value;
    long line, column;
} kv;
VEC_DECLARE(kv_vec, kv);

typedef struct parser {
    loader *load;
    struct nertag_model *m;
    ruleset *r;
    const char *path;
    uint32_t file;
    int file_lang;                /* from a top-level "lang =", or -1 */
    nertag_error *err;
    /* the section being read */
    enum { S_NONE, S_PHASES, S_LIST, S_RULE } section;
    char *name;
    long section_line;
    kv_vec keys;
    /* compiling one pattern */
    const char *src, *pos;
    long line, column;            /* where the value starts */
    int lang;                     /* of the rule being compiled */
    char *captures[RULE_MAX_CAPTURES];
    uint32_t ncaptures;
    u32_vec ids, offsets;
} parser;

static int fail(parser *p, long line, long column, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static int fail(parser *p, long line, long column, const char *fmt, ...)
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

static int nomem(parser *p)
{
    err_set(p->err, NERTAG_ERR_NOMEM, "out of memory");
    return -1;
}

/* A failure at the current position of the pattern being compiled. */
#define FAIL_HERE(p, ...) \
    fail((p), (p)->line, (p)->column + (long)((p)->pos - (p)->src), __VA_ARGS__)

/* ------------------------------------------------------------ pattern AST */

enum node_kind { N_TEST, N_ANNOT, N_SEQ, N_ALT, N_REPEAT, N_CAPTURE };

typedef struct node {
    uint8_t kind;
    uint32_t arg, count;          /* N_TEST: test; N_ANNOT: labelset span */
    uint32_t capture;             /* N_CAPTURE */
    int min, max;                 /* N_REPEAT; max -1 = unbounded */
    uint32_t kid, nkids;          /* children: indices in ast.kids */
} node;
VEC_DECLARE(node_vec, node);

typedef struct ast {
    node_vec nodes;
    u32_vec kids;
} ast;

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
               (uint32_t)(tmp->n - from) };
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
static int literal_id(parser *p, const char *s, uint32_t *id)
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

static int stem_ids(parser *p, const char *s, uint32_t out[LANG_COUNT])
{
    for (int l = 0; l < LANG_COUNT; l++) {
        char *st = stem_dup(&p->load->stem, l, s, strlen(s));
        if (!st)
            return nomem(p);
        out[l] = strtab_intern(&p->m->lexicon, st, strlen(st));
        free(st);
        if (out[l] == STRTAB_NONE)
            return nomem(p);
    }
    return 0;
}

/* A list of this file, or else of a file read before it. */
static int find_list(parser *p, const char *name, uint32_t *list)
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
    if (!accept(p, '=')) {
        for (size_t i = 0; i < sizeof flag_names / sizeof flag_names[0]; i++)
            if (!strcmp(feat, flag_names[i].name)) {
                t.kind = T_FLAGS;
                t.arg = flag_names[i].flag;
                return add_test(p, t);
            }
        if (!strcmp(feat, "any") || !strcmp(feat, "true"))
            return add_test(p, t);
        if (!strcmp(feat, "function")) {
            t.kind = T_FLAGS;
            t.arg = TF_FUNCTION;
            return add_test(p, t);
        }
        FAIL_HERE(p, "unknown token feature '%s'", feat);
        return NONE32;
    }
    if (!strcmp(feat, "list") || !strcmp(feat, "in") ||
        !strcmp(feat, "label")) {
        char val[64];
        if (read_ident(p, val, sizeof val) != 0)
            return NONE32;
        if (!strcmp(feat, "list")) {
            if (find_list(p, val, &t.arg) != 0)
                return NONE32;
            t.kind = T_LIST;
        } else {
            /* in=: a mention or a confirmed annotation; label=: any
             * annotation, ambiguous ones too */
            t.kind = feat[0] == 'i' ? T_IN : T_LABEL;
            t.arg = !strcmp(val, "any") ? NONE32
                                        : load_label(p->load, val, strlen(val));
            /* NONE32 means "any": out of memory must not become that */
            if (t.arg == NONE32 && strcmp(val, "any")) {
                nomem(p);
                return NONE32;
            }
        }
        return add_test(p, t);
    }
    if (read_string(p, tmp) != 0)
        return NONE32;
    if (!strcmp(feat, "form")) {
        t.kind = T_FORM;
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
        uint32_t ids[LANG_COUNT];
        if (stem_ids(p, tmp->data, ids) != 0)
            return NONE32;
        t.kind = T_STEM;
        t.arg = ids[LANG_FR];
        t.arg2 = ids[LANG_EN];
    } else {
        FAIL_HERE(p, "unknown token feature '%s'", feat);
        return NONE32;
    }
    return add_test(p, t);
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
        left = add_test(p, make_test(T_OR, 0, 0, left, right));
    }
    return left;
}

/* ------------------------------------------------------------ patterns */

static uint32_t parse_alt(parser *p, ast *a, buf *tmp);
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
            : new_node(a, (node){ N_TEST, t, 0, 0, 0, 0, 0, 0 });
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
    return new_node(a, (node){ N_ANNOT, first, count, 0, 0, 0, 0, 0 });
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
        return new_node(a, (node){ N_TEST, t, 0, 0, 0, 0, 0, 0 });
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

static uint32_t parse_alt(parser *p, ast *a, buf *tmp)
{
    u32_vec alts = { 0 };
    uint32_t res = NONE32;
    do {
        uint32_t x = parse_seq(p, a, tmp);
        if (x == NONE32 || u32_vec_push(&alts, x) != 0)
            goto out;
    } while (accept(p, '|'));
    res = alts.n == 1 ? alts.v[0] : new_parent(a, N_ALT, &alts, 0);
out:
    u32_vec_free(&alts);
    return res;
}

/* ------------------------------------------------------------ compiling */

static int nullable(const ast *a, uint32_t x)
{
    const node *n = &a->nodes.v[x];
    switch (n->kind) {
    case N_TEST: case N_ANNOT:
        return 0;
    case N_REPEAT:
        return n->min == 0 || nullable(a, a->kids.v[n->kid]);
    case N_CAPTURE:
        return nullable(a, a->kids.v[n->kid]);
    case N_SEQ:
        for (uint32_t i = 0; i < n->nkids; i++)
            if (!nullable(a, a->kids.v[n->kid + i]))
                return 0;
        return 1;
    default: /* N_ALT */
        for (uint32_t i = 0; i < n->nkids; i++)
            if (nullable(a, a->kids.v[n->kid + i]))
                return 1;
        return 0;
    }
}

typedef struct emitter {
    parser *p;
    const ast *a;
    int reverse;          /* contexts before the match run backwards */
    int captures;         /* emit SAVE instructions */
    size_t start;         /* first instruction of the program */
} emitter;

static uint32_t emit(emitter *e, inst in)
{
    inst_vec *code = &e->p->r->code;
    if (inst_vec_push(code, in) != 0)
        return NONE32;
    return (uint32_t)code->n - 1;
}

static int compile_node(emitter *e, uint32_t x);

static int compile_repeat(emitter *e, const node *n)
{
    uint32_t kid = e->a->kids.v[n->kid];
    inst_vec *code = &e->p->r->code;
    for (int i = 0; i < n->min; i++)
        if (compile_node(e, kid) != 0)
            return -1;
    if (n->max < 0) {
        if (nullable(e->a, kid))
            return fail(e->p, e->p->line, e->p->column,
                        "a repeated part can match nothing");
        /* L: split body, out; body; jmp L */
        uint32_t split = emit(e, (inst){ OP_SPLIT, 0, 0, 0 });
        if (split == NONE32 || compile_node(e, kid) != 0 ||
            emit(e, (inst){ OP_JMP, split, 0, 0 }) == NONE32)
            return -1;
        code->v[split].x = split + 1;
        code->v[split].y = (uint32_t)code->n;
        return 0;
    }
    /* each optional copy skips to the end when it does not match */
    u32_vec splits = { 0 };
    int rc = 0;
    for (int i = n->min; rc == 0 && i < n->max; i++) {
        uint32_t split = emit(e, (inst){ OP_SPLIT, 0, 0, 0 });
        rc = split == NONE32 || u32_vec_push(&splits, split) != 0 ? -1 : 0;
        if (rc == 0) {
            code->v[split].x = split + 1;
            rc = compile_node(e, kid);
        }
    }
    for (size_t i = 0; rc == 0 && i < splits.n; i++)
        code->v[splits.v[i]].y = (uint32_t)code->n;
    u32_vec_free(&splits);
    return rc;
}

static int compile_alt(emitter *e, const node *n)
{
    inst_vec *code = &e->p->r->code;
    u32_vec jumps = { 0 };
    int rc = 0;
    for (uint32_t i = 0; rc == 0 && i < n->nkids; i++) {
        uint32_t split = NONE32;
        if (i + 1 < n->nkids) {
            split = emit(e, (inst){ OP_SPLIT, 0, 0, 0 });
            if (split == NONE32)
                rc = -1;
            else
                code->v[split].x = split + 1;
        }
        if (rc == 0)
            rc = compile_node(e, e->a->kids.v[n->kid + i]);
        if (rc == 0 && i + 1 < n->nkids) {
            uint32_t j = emit(e, (inst){ OP_JMP, 0, 0, 0 });
            rc = j == NONE32 || u32_vec_push(&jumps, j) != 0 ? -1 : 0;
            if (rc == 0)
                code->v[split].y = (uint32_t)code->n;
        }
    }
    for (size_t i = 0; rc == 0 && i < jumps.n; i++)
        code->v[jumps.v[i]].x = (uint32_t)code->n;
    u32_vec_free(&jumps);
    return rc;
}

static int compile_node(emitter *e, uint32_t x)
{
    const node *n = &e->a->nodes.v[x];
    if (e->p->r->code.n - e->start > RULE_MAX_PROGRAM)
        return fail(e->p, e->p->line, e->p->column,
                    "pattern too large (over %d steps)", RULE_MAX_PROGRAM);
    switch (n->kind) {
    case N_TEST:
        return emit(e, (inst){ OP_TOKEN, n->arg, 0, NONE32 }) == NONE32 ? -1 : 0;
    case N_ANNOT:
        return emit(e, (inst){ OP_ANNOT, n->arg, n->count, NONE32 }) == NONE32
            ? -1 : 0;
    case N_SEQ:
        for (uint32_t i = 0; i < n->nkids; i++) {
            uint32_t k = e->reverse ? n->nkids - 1 - i : i;
            if (compile_node(e, e->a->kids.v[n->kid + k]) != 0)
                return -1;
        }
        return 0;
    case N_ALT:
        return compile_alt(e, n);
    case N_REPEAT:
        return compile_repeat(e, n);
    default: { /* N_CAPTURE */
        uint32_t kid = e->a->kids.v[n->kid];
        if (!e->captures)
            return compile_node(e, kid);
        if (emit(e, (inst){ OP_SAVE, 0, 0, n->capture * 2 }) == NONE32)
            return -1;
        size_t before = e->p->r->code.n;
        if (compile_node(e, kid) != 0)
            return -1;
        /* a capture of one annotation remembers which annotation it was */
        if (e->p->r->code.n == before + 1 &&
            e->p->r->code.v[before].op == OP_ANNOT)
            e->p->r->code.v[before].slot = n->capture;
        return emit(e, (inst){ OP_SAVE, 0, 0, n->capture * 2 + 1 }) == NONE32
            ? -1 : 0;
    }
    }
}

/* ------------------------------------------------------------ needs */

typedef struct needs {
    uint64_t lists, labels;
} needs;

/* Lists and labels that a token passing test t is sure to be in. */
static needs test_needs(const ruleset *r, uint32_t t)
{
    needs n = { 0, 0 };
    const test *x = &r->tests.v[t];
    if (x->kind == T_CONJ) {
        n.lists = x->form_in | x->stem_in;
        if (x->left != NONE32) {
            needs m = test_needs(r, x->left);
            n.lists |= m.lists;
            n.labels |= m.labels;
        }
    } else if (x->kind == T_AND) {
        needs a = test_needs(r, x->left), b = test_needs(r, x->right);
        n.lists = a.lists | b.lists;
        n.labels = a.labels | b.labels;
    } else if ((x->kind == T_IN || x->kind == T_LABEL) && x->arg < 64) {
        n.labels = (uint64_t)1 << x->arg;
    } else if (x->kind == T_LIST && x->arg < 64) {
        n.lists = (uint64_t)1 << x->arg;
    }
    return n;
}

/* What every match of node x contains. */
static needs node_needs(const parser *p, const ast *a, uint32_t x)
{
    const node *n = &a->nodes.v[x];
    needs res = { 0, 0 };
    switch (n->kind) {
    case N_TEST:
        return test_needs(p->r, n->arg);
    case N_ANNOT:
        if (n->count == 1 && p->r->labelsets.v[n->arg] < 64)
            res.labels = (uint64_t)1 << p->r->labelsets.v[n->arg];
        return res;
    case N_CAPTURE:
        return node_needs(p, a, a->kids.v[n->kid]);
    case N_REPEAT:
        return n->min > 0 ? node_needs(p, a, a->kids.v[n->kid]) : res;
    case N_SEQ:
        for (uint32_t i = 0; i < n->nkids; i++) {
            needs k = node_needs(p, a, a->kids.v[n->kid + i]);
            res.lists |= k.lists;
            res.labels |= k.labels;
        }
        return res;
    default: /* N_ALT: what every alternative needs */
        res.lists = res.labels = UINT64_MAX;
        for (uint32_t i = 0; i < n->nkids; i++) {
            needs k = node_needs(p, a, a->kids.v[n->kid + i]);
            res.lists &= k.lists;
            res.labels &= k.labels;
        }
        return res;
    }
}

/* Parses and compiles one pattern value into prog. */
enum { PAT_MATCH, PAT_AFTER, PAT_BEFORE };

static int compile_pattern(parser *p, const kv *k, int mode, program *prog,
                           needs *need)
{
    ast a = { { 0 }, { 0 } };
    buf tmp = BUF_INIT;
    int rc = -1;
    p->src = p->pos = k->value;
    p->line = k->line;
    p->column = k->column;
    uint32_t root = parse_alt(p, &a, &tmp);
    if (root == NONE32)
        goto out;
    if (*p->pos) {
        FAIL_HERE(p, "unexpected '%c'", *p->pos);
        goto out;
    }
    if (nullable(&a, root)) {
        fail(p, k->line, k->column, "the pattern can match nothing");
        goto out;
    }
    /* a context before the match is matched backwards from its start */
    emitter e = { p, &a, mode == PAT_BEFORE, mode == PAT_MATCH,
                  p->r->code.n };
    prog->start = (uint32_t)p->r->code.n;
    if (compile_node(&e, root) != 0 ||
        emit(&e, (inst){ OP_MATCH, 0, 0, 0 }) == NONE32)
        goto out;
    prog->len = (uint32_t)p->r->code.n - prog->start;
    if (need)
        *need = node_needs(p, &a, root);
    rc = 0;
out:
    if (rc != 0 && !p->err->message[0])
        nomem(p);
    node_vec_free(&a.nodes);
    u32_vec_free(&a.kids);
    buf_free(&tmp);
    return rc;
}

/* ------------------------------------------------------------ templates */

/* "Ministry of {body} ({state})": literal text and {capture} or
 * {capture.text|canonical|id|for}. */
static int compile_template(parser *p, const kv *k, template_ *t)
{
    ruleset *r = p->r;
    t->first = (uint32_t)r->pieces.n;
    const char *s = k->value;
    p->src = p->pos = k->value;
    p->line = k->line;
    p->column = k->column;
    while (*s) {
        const char *open = strchr(s, '{');
        size_t lit = open ? (size_t)(open - s) : strlen(s);
        if (lit) {
            piece pc = { P_TEXT, rules_add_string(r, s, lit) };
            if (pc.arg == NONE32 || piece_vec_push(&r->pieces, pc) != 0)
                return nomem(p);
        }
        if (!open)
            break;
        const char *close = strchr(open, '}');
        p->pos = open;
        if (!close)
            return FAIL_HERE(p, "'{' without '}'");
        char name[64] = "", field[16] = "canonical";
        const char *dot = memchr(open, '.', (size_t)(close - open));
        size_t nlen = (size_t)((dot ? dot : close) - open - 1);
        if (!nlen || nlen >= sizeof name ||
            (dot && (size_t)(close - dot - 1) >= sizeof field))
            return FAIL_HERE(p, "malformed {capture.field}");
        memcpy(name, open + 1, nlen);
        if (dot) {
            memcpy(field, dot + 1, (size_t)(close - dot - 1));
            field[close - dot - 1] = '\0';
        }
        piece pc = { P_CANONICAL, NONE32 };
        for (uint32_t i = 0; i < p->ncaptures; i++)
            if (!strcmp(p->captures[i], name))
                pc.arg = i;
        if (pc.arg == NONE32)
            return FAIL_HERE(p, "unknown capture '%s'", name);
        if (!strcmp(field, "text"))
            pc.kind = P_PLAIN_TEXT;
        else if (!strcmp(field, "id"))
            pc.kind = P_ID;
        else if (!strcmp(field, "for"))
            pc.kind = P_FOR;
        else if (strcmp(field, "canonical"))
            return FAIL_HERE(p, "unknown field '.%s' (text, canonical, id, "
                             "for)", field);
        if (piece_vec_push(&r->pieces, pc) != 0)
            return nomem(p);
        s = close + 1;
    }
    t->count = (uint32_t)r->pieces.n - t->first;
    if (!t->count)
        return fail(p, k->line, k->column, "empty template");
    return 0;
}

/* ------------------------------------------------------------ actions */

/* Splits "A B C" into at most max words. */
static size_t split_words(char *s, char **w, size_t max)
{
    size_t n = 0;
    for (char *tok; (tok = next_word(&s, " \t"));) {
        if (n == max)
            return max + 1;
        w[n++] = tok;
    }
    return n;
}

static int capture_ref(parser *p, const kv *k, const char *name, uint32_t *c)
{
    for (uint32_t i = 0; i < p->ncaptures; i++)
        if (!strcmp(p->captures[i], name)) {
            *c = i;
            return 0;
        }
    return fail(p, k->line, k->column, "unknown capture '%s'", name);
}

static int type_label(parser *p, const kv *k, const char *name, uint32_t *l)
{
    for (const char *c = name; *c; c++)
        if (!((*c >= 'A' && *c <= 'Z') || *c == '_' ||
              (*c >= '0' && *c <= '9')))
            return fail(p, k->line, k->column,
                        "'%s' is not a label (capitals)", name);
    *l = load_label(p->load, name, strlen(name));
    return *l == NONE32 ? nomem(p) : 0;
}

static int compile_action(parser *p, const kv *k)
{
    char *copy = str_dup(k->value);
    if (!copy)
        return nomem(p);
    char *w[3];
    size_t n = split_words(copy, w, 2);
    action a = { A_MENTION, NONE32, NONE32, NONE32 };
    int rc = 0;
    const char *key = k->key;
    if (!strcmp(key, "mention") || !strcmp(key, "retype")) {
        a.kind = key[0] == 'm' ? A_MENTION : A_RETYPE;
        if (n < (size_t)(a.kind == A_RETYPE ? 2 : 1) || n > 2)
            rc = fail(p, k->line, k->column, a.kind == A_RETYPE
                      ? "expected 'retype = LABEL capture'"
                      : "expected 'mention = LABEL [capture]'");
        else if ((rc = type_label(p, k, w[0], &a.label)) == 0 && n == 2)
            rc = capture_ref(p, k, w[1], &a.capture);
    } else if (!strcmp(key, "remove") || !strcmp(key, "confirm")) {
        a.kind = key[0] == 'r' ? A_REMOVE : A_CONFIRM;
        rc = n != 1 ? fail(p, k->line, k->column, "expected one capture")
                    : capture_ref(p, k, w[0], &a.capture);
    } else { /* alias */
        a.kind = A_ALIAS;
        if (n < 1 || n > 2)
            rc = fail(p, k->line, k->column,
                      "expected 'alias = capture [capture-of-the-entity]'");
        else if ((rc = capture_ref(p, k, w[0], &a.capture)) == 0 && n == 2)
            rc = capture_ref(p, k, w[1], &a.capture2);
    }
    free(copy);
    if (rc == 0 && action_vec_push(&p->r->actions, a) != 0)
        rc = nomem(p);
    return rc;
}

/* ------------------------------------------------------------ examples */

/* "Le [gouvernement chinois|STATE|China] a rejeté": the text without the
 * marks, and one line "start end TYPE canonical" per mark (code points). */
static int compile_example(parser *p, const kv *k, int positive)
{
    buf text = BUF_INIT, expect = BUF_INIT;
    int rc = 0;
    size_t cps = 0;
    for (const char *s = k->value; rc == 0 && *s; s++) {
        if (*s == '\\' && (s[1] == '[' || s[1] == ']' || s[1] == '\\')) {
            s++;
        } else if (*s == '[') {
            const char *close = strchr(s, ']');
            const char *bar = close ? memchr(s, '|', (size_t)(close - s)) : 0;
            if (!bar || !positive) {
                rc = fail(p, k->line, k->column + (long)(s - k->value),
                          positive ? "expected [text|TYPE] or "
                                     "[text|TYPE|canonical]"
                                   : "a counter-example has no marks");
                break;
            }
            size_t start = cps;
            for (const char *c = s + 1; c < bar; c++)
                cps += ((unsigned char)*c & 0xC0) != 0x80;
            const char *bar2 = memchr(bar + 1, '|', (size_t)(close - bar - 1));
            rc = buf_append(&text, s + 1, (size_t)(bar - s - 1)) ||
                 buf_printf(&expect, "%zu %zu %.*s %.*s\n", start, cps,
                            (int)((bar2 ? bar2 : close) - bar - 1), bar + 1,
                            bar2 ? (int)(close - bar2 - 1) : 0,
                            bar2 ? bar2 + 1 : "") ? nomem(p) : 0;
            s = close;
            continue;
        }
        cps += ((unsigned char)*s & 0xC0) != 0x80;
        if (buf_putc(&text, *s) != 0)
            rc = nomem(p);
    }
    example ex = { NONE32, NONE32, (uint32_t)k->line, (uint8_t)positive };
    if (rc == 0 && positive && !expect.len)
        rc = fail(p, k->line, k->column,
                  "an example marks at least one [mention|TYPE]");
    if (rc == 0) {
        ex.text = rules_add_string(p->r, text.data ? text.data : "", text.len);
        ex.expect = rules_add_string(p->r, expect.data ? expect.data : "",
                                     expect.len);
        if (ex.text == NONE32 || ex.expect == NONE32 ||
            example_vec_push(&p->r->examples, ex) != 0)
            rc = nomem(p);
    }
    buf_free(&text);
    buf_free(&expect);
    return rc;
}

/* ------------------------------------------------------------ sections */

static const kv *find_key(const parser *p, const char *key)
{
    for (size_t i = 0; i < p->keys.n; i++)
        if (!strcmp(p->keys.v[i].key, key))
            return &p->keys.v[i];
    return NULL;
}

static int parse_lang(parser *p, const kv *k, int *lang)
{
    if (!strcmp(k->value, "fr") || !strcmp(k->value, "en")) {
        *lang = lang_from_code(k->value);
        return 0;
    }
    if (!strcmp(k->value, "*") || !strcmp(k->value, "any")) {
        *lang = -1;
        return 0;
    }
    return fail(p, k->line, k->column, "lang is fr, en or *");
}

static const char *const rule_keys[] = {
    "phase", "lang", "priority", "document-has", "match", "before", "after",
    "not-before",
    "not-after", "mention", "retype", "remove", "confirm", "alias",
    "canonical", "id", "for", "example", "counter", NULL
};

static int known_key(const char *key, const char *const *keys)
{
    for (size_t i = 0; keys[i]; i++)
        if (!strcmp(key, keys[i]))
            return 1;
    return 0;
}

static int rule_phase(parser *p, const kv *k, uint32_t *out)
{
    if (!k)
        return fail(p, p->section_line, 0, "rule '%s' has no 'phase'",
                    p->name);
    *out = strtab_find(&p->r->phase_names, k->value, strlen(k->value));
    if (*out == STRTAB_NONE)
        return fail(p, k->line, k->column,
                    "phase '%s' is not in the [phases] order", k->value);
    return 0;
}

static int rule_captures(parser *p, rule *ru)
{
    buf names = BUF_INIT;
    for (uint32_t i = 0; i < p->ncaptures; i++)
        if (buf_append(&names, p->captures[i], strlen(p->captures[i]) + 1))
            return buf_free(&names), nomem(p);
    ru->ncaptures = p->ncaptures;
    ru->capture_names = p->ncaptures
        ? rules_add_string(p->r, names.data, names.len - 1) : NONE32;
    buf_free(&names);
    return p->ncaptures && ru->capture_names == NONE32 ? nomem(p) : 0;
}

/* document-has = list | list: the rule applies only to documents with a
 * word of one of these lists (lists 0-63). */
static int document_lists(parser *p, const kv *k, rule *ru)
{
    char *copy = str_dup(k->value), *cur = copy;
    int rc = copy ? 0 : nomem(p);
    p->src = p->pos = k->value;
    p->line = k->line;
    p->column = k->column;
    for (char *w; rc == 0 && (w = next_word(&cur, "| @"));) {
        uint32_t list;
        if ((rc = find_list(p, w, &list)) != 0)
            break;
        if (list >= 64)
            rc = fail(p, k->line, k->column, "document-has takes one of the "
                      "first 64 lists");
        else
            ru->document_lists |= (uint64_t)1 << list;
    }
    free(copy);
    return rc;
}

static int compile_rule_parts(parser *p, rule *ru)
{
    static const char *const ctx_keys[4] = { "before", "after", "not-before",
                                             "not-after" };
    const kv *k;
    if (!(k = find_key(p, "match")))
        return fail(p, p->section_line, 0, "rule '%s' has no 'match'",
                    p->name);
    needs need;
    if (compile_pattern(p, k, PAT_MATCH, &ru->match, &need) != 0)
        return -1;
    ru->need_lists = need.lists;
    ru->need_labels = need.labels;
    for (int c = 0; c < 4; c++)
        if ((k = find_key(p, ctx_keys[c])) &&
            compile_pattern(p, k, c == CTX_BEFORE || c == CTX_NOT_BEFORE
                                      ? PAT_BEFORE : PAT_AFTER,
                            &ru->context[c], NULL) != 0)
            return -1;
    if (rule_phase(p, find_key(p, "phase"), &ru->phase) != 0)
        return -1;
    ru->lang = p->file_lang;
    if ((k = find_key(p, "lang")) && parse_lang(p, k, &ru->lang) != 0)
        return -1;
    if ((k = find_key(p, "priority")))
        ru->priority = atoi(k->value);
    if ((k = find_key(p, "document-has")) && document_lists(p, k, ru) != 0)
        return -1;
    return rule_captures(p, ru);
}

static int compile_rule_actions(parser *p, rule *ru)
{
    int has_mention = 0;
    ru->first_action = (uint32_t)p->r->actions.n;
    ru->first_example = (uint32_t)p->r->examples.n;
    for (size_t i = 0; i < p->keys.n; i++) {
        const kv *k = &p->keys.v[i];
        int rc = 0;
        if (!strcmp(k->key, "mention") && has_mention++)
            rc = fail(p, k->line, k->column, "one 'mention' per rule");
        else if (known_key(k->key, (const char *const[]){
                     "mention", "retype", "remove", "confirm", "alias",
                     NULL }))
            rc = compile_action(p, k);
        else if (!strcmp(k->key, "canonical"))
            rc = compile_template(p, k, &ru->canonical);
        else if (!strcmp(k->key, "id"))
            rc = compile_template(p, k, &ru->id);
        else if (!strcmp(k->key, "for"))
            rc = compile_template(p, k, &ru->for_);
        if (rc != 0)
            return -1;
    }
    ru->nactions = (uint32_t)p->r->actions.n - ru->first_action;
    if (!ru->nactions)
        return fail(p, p->section_line, 0, "rule '%s' does nothing (no "
                    "mention, retype, remove, confirm or alias)", p->name);
    if (!has_mention && (ru->canonical.count || ru->id.count || ru->for_.count))
        return fail(p, p->section_line, 0,
                    "canonical, id and for need a 'mention'");
    for (size_t i = 0; i < p->keys.n; i++) {
        const kv *k = &p->keys.v[i];
        int positive = !strcmp(k->key, "example");
        if ((positive || !strcmp(k->key, "counter")) &&
            compile_example(p, k, positive) != 0)
            return -1;
    }
    ru->nexamples = (uint32_t)p->r->examples.n - ru->first_example;
    return 0;
}

static int finish_rule(parser *p)
{
    rule ru;
    memset(&ru, 0, sizeof ru);
    ru.file = p->file;
    ru.line = (uint32_t)p->section_line;
    for (size_t i = 0; i < p->keys.n; i++)
        if (!known_key(p->keys.v[i].key, rule_keys))
            return fail(p, p->keys.v[i].line, 1, "unknown key '%s' in a rule",
                        p->keys.v[i].key);
    for (size_t i = 0; i < p->r->rules.n; i++)
        if (!strcmp(rules_str(p->r, p->r->rules.v[i].name), p->name))
            return fail(p, p->section_line, 0, "rule '%s' is defined twice",
                        p->name);
    ru.name = rules_add_string(p->r, p->name, strlen(p->name));
    buf src = BUF_INIT;
    if (buf_printf(&src, "rule %s (%s:%ld)", p->name,
                   strtab_get(&p->m->files, p->file), p->section_line) == 0)
        ru.source = rules_add_string(p->r, src.data, src.len);
    else
        ru.source = NONE32;
    buf_free(&src);
    if (ru.name == NONE32 || ru.source == NONE32)
        return nomem(p);
    if (compile_rule_parts(p, &ru) != 0 || compile_rule_actions(p, &ru) != 0)
        return -1;
    return rule_vec_push(&p->r->rules, ru) != 0 ? nomem(p) : 0;
}

static int set_list_bit(ruleset *r, uint32_t id, uint32_t list)
{
    if (id >= r->nlist_bits) {
        size_t n = r->nlist_bits ? r->nlist_bits : 1024;
        while (n <= id)
            n *= 2;
        uint64_t *b = realloc(r->list_bits, n * sizeof *b);
        if (!b)
            return -1;
        memset(b + r->nlist_bits, 0, (n - r->nlist_bits) * sizeof *b);
        r->list_bits = b;
        r->nlist_bits = n;
    }
    r->list_bits[id] |= (uint64_t)1 << list;
    return 0;
}

/* Adds each "a | b | c" member of a list. */
static int finish_list(parser *p)
{
    const kv *words = find_key(p, "words"), *stems = find_key(p, "stems");
    const kv *lang = find_key(p, "lang");
    for (size_t i = 0; i < p->keys.n; i++)
        if (!known_key(p->keys.v[i].key,
                       (const char *const[]){ "words", "stems", "lang", NULL }))
            return fail(p, p->keys.v[i].line, 1, "unknown key '%s' in a list",
                        p->keys.v[i].key);
    if (!words == !stems)
        return fail(p, p->section_line, 0,
                    "a list has either 'words' or 'stems'");
    int l = p->file_lang;
    if (lang && parse_lang(p, lang, &l) != 0)
        return -1;
    for (size_t i = 0; i < p->r->lists.n; i++)
        if (p->r->lists.v[i].file == p->file &&
            !strcmp(rules_str(p->r, p->r->lists.v[i].name), p->name))
            return fail(p, p->section_line, 0, "list '%s' is defined twice",
                        p->name);
    const kv *k = words ? words : stems;
    word_list wl = { rules_add_string(p->r, p->name, strlen(p->name)),
                     stems != NULL, (uint32_t)p->r->list_items.n, 0, p->file,
                     (uint32_t)p->section_line };
    uint32_t list = (uint32_t)p->r->lists.n;
    p->src = p->pos = k->value;
    p->line = k->line;
    p->column = k->column;
    char *copy = str_dup(k->value);
    if (!copy || wl.name == NONE32)
        return free(copy), nomem(p);
    int rc = 0;
    char *cur = copy;
    for (char *w; rc == 0 && (w = next_word(&cur, "|"));) {
        while (*w == ' ')
            w++;
        size_t n = strlen(w);
        while (n && w[n - 1] == ' ')
            w[--n] = '\0';
        if (!n)
            continue;
        uint32_t ids[LANG_COUNT];
        int nids = 1;
        if (stems) {
            rc = stem_ids(p, w, ids);
            nids = LANG_COUNT;
            if (l >= 0) {
                ids[0] = ids[l];
                nids = 1;
            }
        } else {
            rc = literal_id(p, w, &ids[0]);
        }
        for (int j = 0; rc == 0 && j < nids; j++) {
            uint64_t key = (uint64_t)list << 32 | ids[j];
            if (strtab_intern(&p->r->members, (const char *)&key, sizeof key)
                    == STRTAB_NONE ||
                u32_vec_push(&p->r->list_items, ids[j]) != 0 ||
                (list < 64 && set_list_bit(p->r, ids[j], list) != 0))
                rc = nomem(p);
        }
    }
    free(copy);
    wl.count = (uint32_t)p->r->list_items.n - wl.first;
    if (rc == 0 && list_vec_push(&p->r->lists, wl) != 0)
        rc = nomem(p);
    return rc;
}

static int finish_phases(parser *p)
{
    const kv *order = find_key(p, "order");
    if (!order || p->keys.n != 1)
        return fail(p, p->section_line, 0,
                    "[phases] holds exactly one key, 'order'");
    if (p->r->phases_declared)
        return fail(p, p->section_line, 0,
                    "[phases] is declared in more than one place");
    p->r->phases_declared = 1;
    char *copy = str_dup(order->value);
    if (!copy)
        return nomem(p);
    int rc = 0;
    char *cur = copy;
    for (char *w; rc == 0 && (w = next_word(&cur, " \t"));) {
        size_t before = p->r->phase_names.count;
        uint32_t id = strtab_intern(&p->r->phase_names, w, strlen(w));
        if (id == STRTAB_NONE)
            rc = nomem(p);
        else if (id < before)
            rc = fail(p, order->line, order->column, "phase '%s' twice", w);
    }
    free(copy);
    return rc;
}

static void clear_section(parser *p)
{
    for (size_t i = 0; i < p->keys.n; i++) {
        free(p->keys.v[i].key);
        free(p->keys.v[i].value);
    }
    p->keys.n = 0;
    for (uint32_t i = 0; i < p->ncaptures; i++)
        free(p->captures[i]);
    p->ncaptures = 0;
    free(p->name);
    p->name = NULL;
    p->section = S_NONE;
}

static int finish_section(parser *p, int phases_only)
{
    int rc = 0;
    if (p->section == S_PHASES && phases_only)
        rc = finish_phases(p);
    else if (p->section == S_LIST && !phases_only)
        rc = finish_list(p);
    else if (p->section == S_RULE && !phases_only)
        rc = finish_rule(p);
    clear_section(p);
    return rc;
}

static int start_section(parser *p, const conf_item *it)
{
    if (!strcmp(it->a, "phases"))
        p->section = S_PHASES;
    else if (!strcmp(it->a, "list"))
        p->section = S_LIST;
    else if (!strcmp(it->a, "rule"))
        p->section = S_RULE;
    else
        return fail(p, it->line, 2, "unknown section [%s] (phases, list, "
                    "rule)", it->a);
    if (p->section != S_PHASES && !*it->b)
        return fail(p, it->line, 2, "[%s] needs a name", it->a);
    p->section_line = it->line;
    p->name = str_dup(it->b);
    return p->name ? 0 : nomem(p);
}

static int add_key(parser *p, const conf_item *it)
{
    if (p->section == S_NONE) {
        if (strcmp(it->a, "lang"))
            return fail(p, it->line, 1, "only 'lang' may come before the "
                        "first section");
        kv k = { it->a, it->b, it->line, it->value_column };
        return parse_lang(p, &k, &p->file_lang);
    }
    kv k = { str_dup(it->a), str_dup(it->b), it->line, it->value_column };
    if (!k.key || !k.value || kv_vec_push(&p->keys, k) != 0) {
        free(k.key);
        free(k.value);
        return nomem(p);
    }
    return 0;
}

/* Reads one file; the first pass takes only the [phases] sections. */
static int parse_file(loader *load, const char *path, int phases_only,
                      nertag_error *err)
{
    size_t len;
    char *text = read_file(path, &len, err);
    if (!text)
        return -1;
    parser p;
    memset(&p, 0, sizeof p);
    p.load = load;
    p.m = load->model;
    p.r = p.m->rules;
    p.path = path;
    p.file_lang = -1;
    p.err = err;
    p.file = load_file_name(load, path);
    int rc = p.file == STRTAB_NONE ? nomem(&p) : 0;
    size_t bad = utf8_first_invalid(text, len);
    if (rc == 0 && bad < len) {
        long line = 1;
        for (size_t i = 0; i < bad; i++)
            line += text[i] == '\n';
        rc = fail(&p, line, 0, "invalid UTF-8");
    }
    conf_reader cr;
    conf_open(&cr, path, text, len);
    while (rc == 0) {
        conf_item it;
        if ((rc = conf_next(&cr, &it, err)) != 0 || it.kind == CONF_END)
            break;
        if (it.kind == CONF_SECTION) {
            if ((rc = finish_section(&p, phases_only)) == 0)
                rc = start_section(&p, &it);
        } else {
            rc = add_key(&p, &it);
        }
    }
    if (rc == 0)
        rc = finish_section(&p, phases_only);
    clear_section(&p);
    conf_close(&cr);
    kv_vec_free(&p.keys);
    u32_vec_free(&p.ids);
    u32_vec_free(&p.offsets);
    free(text);
    return rc;
}

/* ------------------------------------------------------------ indexing */

typedef struct keyset {
    u32_vec keys;          /* pairs: kind, id */
    int anywhere;          /* some first step has no key */
} keyset;

static int add_keypair(keyset *ks, uint32_t kind, uint32_t id)
{
    if (id == NONE32)
        return 0;
    return u32_vec_push(&ks->keys, kind) || u32_vec_push(&ks->keys, id);
}

/* Keys of the tokens a test can accept; anywhere when it cannot say. */
static int test_keys(const ruleset *r, uint32_t t, keyset *ks)
{
    const test *x = &r->tests.v[t];
    switch (x->kind) {
    case T_FORM:
        return add_keypair(ks, KEY_FORM, x->arg);
    case T_WORD:
        return add_keypair(ks, KEY_FORM, x->arg2);
    case T_STEM:
        return add_keypair(ks, KEY_STEM, x->arg) ||
               add_keypair(ks, KEY_STEM, x->arg2);
    case T_LIST: {
        const word_list *wl = &r->lists.v[x->arg];
        for (uint32_t i = 0; i < wl->count; i++)
            if (add_keypair(ks, wl->by_stem ? KEY_STEM : KEY_FORM,
                            r->list_items.v[wl->first + i]))
                return -1;
        return 0;
    }
    case T_OR:
        return test_keys(r, x->left, ks) || test_keys(r, x->right, ks);
    case T_CONJ: {
        /* a token in every list of form_in / stem_in: the members of any
         * one of them will do as keys */
        uint64_t in = x->form_in ? x->form_in : x->stem_in;
        if (in) {
            uint32_t list = 0;
            while (!(in >> list & 1))
                list++;
            const word_list *wl = &r->lists.v[list];
            for (uint32_t i = 0; i < wl->count; i++)
                if (add_keypair(ks, wl->by_stem ? KEY_STEM : KEY_FORM,
                                r->list_items.v[wl->first + i]))
                    return -1;
            return 0;
        }
        if (x->left != NONE32)
            return test_keys(r, x->left, ks);
        ks->anywhere = 1;
        return 0;
    }
    case T_AND: {
        /* either side's keys will do: every accepted token has them */
        keyset left = { { 0 }, 0 };
        int rc = test_keys(r, x->left, &left);
        const keyset *use = &left;
        keyset right = { { 0 }, 0 };
        if (rc == 0 && left.anywhere) {
            rc = test_keys(r, x->right, &right);
            use = &right;
        }
        for (size_t i = 0; rc == 0 && i < use->keys.n; i++)
            rc = u32_vec_push(&ks->keys, use->keys.v[i]);
        if (use->anywhere)
            ks->anywhere = 1;
        u32_vec_free(&left.keys);
        u32_vec_free(&right.keys);
        return rc;
    }
    default:
        ks->anywhere = 1;
        return 0;
    }
}

/* Keys of every step that can come first in a program. */
static int first_keys(const ruleset *r, const program *pg, uint32_t pc,
                      uint8_t *seen, keyset *ks)
{
    while (!seen[pc - pg->start]) {
        seen[pc - pg->start] = 1;
        const inst *in = &r->code.v[pc];
        switch (in->op) {
        case OP_TOKEN:
            return test_keys(r, in->x, ks);
        case OP_ANNOT:
            for (uint32_t i = 0; i < in->y; i++)
                if (add_keypair(ks, KEY_LABEL, r->labelsets.v[in->x + i]))
                    return -1;
            return 0;
        case OP_SPLIT:
            if (first_keys(r, pg, in->x, seen, ks) != 0)
                return -1;
            pc = in->y;
            break;
        case OP_JMP:
            pc = in->x;
            break;
        case OP_SAVE:
            pc++;
            break;
        default:
            ks->anywhere = 1;   /* cannot happen: patterns are not empty */
            return 0;
        }
    }
    return 0;
}

/* Sets bit `bit` for id in a growable array of phase masks. */
static int mark_phase(uint32_t **masks, size_t *n, uint32_t id, uint32_t bit)
{
    if (id >= *n) {
        size_t m = *n ? *n : 1024;
        while (m <= id)
            m *= 2;
        uint32_t *p = realloc(*masks, m * sizeof *p);
        if (!p)
            return -1;
        memset(p + *n, 0, (m - *n) * sizeof *p);
        *masks = p;
        *n = m;
    }
    (*masks)[id] |= bit;
    return 0;
}

static int mark_key(ruleset *r, uint32_t kind, uint32_t id, uint32_t ph)
{
    uint32_t bit = ph < 32 ? 1u << ph : 0;
    size_t n = kind == KEY_LABEL ? r->nlabels : r->nlexicon;
    uint32_t **masks = kind == KEY_FORM ? &r->form_phases
                     : kind == KEY_STEM ? &r->stem_phases : &r->label_phases;
    /* form and stem masks share one size: both are indexed by lexicon id */
    int rc = mark_phase(masks, &n, id, bit);
    if (kind == KEY_LABEL) {
        r->nlabels = n;
    } else if (rc == 0) {
        uint32_t **other = kind == KEY_FORM ? &r->stem_phases
                                            : &r->form_phases;
        size_t m = r->nlexicon;
        rc = n > m ? mark_phase(other, &m, (uint32_t)n - 1, 0) : 0;
        r->nlexicon = n > m ? n : m;
    }
    return rc;
}

/* Flags a token must have to pass test t (0 when it cannot say). */
static uint16_t test_flags(const ruleset *r, uint32_t t)
{
    const test *x = &r->tests.v[t];
    switch (x->kind) {
    case T_FLAGS:
        return (uint16_t)x->arg;
    case T_CONJ:
        return x->need;
    case T_AND:
        return test_flags(r, x->left) | test_flags(r, x->right);
    case T_OR:
        return test_flags(r, x->left) & test_flags(r, x->right);
    default:
        return 0;
    }
}

/* Flags every first token of a program must have when the match starts
 * with a token step: those of every such step.  *starts_annot is set when the
 * match may also start with an annotation step instead. */
static uint16_t first_flags(const ruleset *r, const program *pg, uint32_t pc,
                            uint8_t *seen, int *any, int *starts_annot)
{
    uint16_t f = 0xFFFF;
    while (!seen[pc - pg->start]) {
        seen[pc - pg->start] = 1;
        const inst *in = &r->code.v[pc];
        if (in->op == OP_TOKEN) {
            *any = 1;
            return f & test_flags(r, in->x);
        }
        if (in->op == OP_SPLIT) {
            f &= first_flags(r, pg, in->x, seen, any, starts_annot);
            pc = in->y;
        } else if (in->op == OP_JMP) {
            pc = in->x;
        } else if (in->op == OP_SAVE) {
            pc++;
        } else if (in->op == OP_ANNOT) {
            *starts_annot = 1;
            return f;
        } else {
            *any = 1;
            return 0;
        }
    }
    return f;
}

/* The test of the first token when every match starts with the same
 * token step; NONE32 otherwise. */
static uint32_t only_first_test(const ruleset *r, const program *pg)
{
    uint32_t pc = pg->start;
    while (pc < pg->start + pg->len && r->code.v[pc].op == OP_SAVE)
        pc++;
    const inst *in = &r->code.v[pc];
    return in->op == OP_TOKEN ? in->x : NONE32;
}

static int index_rule(ruleset *r, uint32_t ri)
{
    const rule *ru = &r->rules.v[ri];
    phase *ph = &r->phases.v[ru->phase];
    keyset ks = { { 0 }, 0 };
    uint8_t *seen = calloc(ru->match.len, 1);
    int rc = !seen || first_keys(r, &ru->match, ru->match.start, seen, &ks);
    if (rc == 0) {
        int any = 0, starts_annot = 0;
        memset(seen, 0, ru->match.len);
        uint16_t f = first_flags(r, &ru->match, ru->match.start, seen, &any,
                                 &starts_annot);
        r->rules.v[ri].first_flags = any ? f : 0;
        r->rules.v[ri].first_annot = (uint8_t)starts_annot;
        r->rules.v[ri].first_test = only_first_test(r, &ru->match);
    }
    if (rc == 0 && ks.anywhere)
        rc = u32_vec_push(&ph->anywhere, ri);
    for (size_t i = 0; rc == 0 && !ks.anywhere && i < ks.keys.n; i += 2) {
        uint64_t key = (uint64_t)ks.keys.v[i] << 32 | ks.keys.v[i + 1];
        size_t before = ph->keys.count;
        uint32_t k = strtab_intern(&ph->keys, (const char *)&key, sizeof key);
        if (k == STRTAB_NONE ||
            (k == before && u32_vec_push(&ph->key_first, NONE32) != 0)) {
            rc = -1;
            break;
        }
        /* prepend; candidates are sorted when gathered */
        rc = u32_vec_push(&ph->links, ri) ||
             u32_vec_push(&ph->links, ph->key_first.v[k]) ||
             mark_key(r, ks.keys.v[i], ks.keys.v[i + 1], ru->phase);
        if (rc == 0)
            ph->key_first.v[k] = (uint32_t)ph->links.n - 2;
    }
    free(seen);
    u32_vec_free(&ks.keys);
    return rc;
}

/* When every rule of a phase that may start anywhere needs some flag of
 * its first token (a capital, a digit), a token with none of the flags
 * they need can skip them all. */
static void anywhere_flags(const ruleset *r, phase *ph)
{
    uint16_t f = 0;
    for (size_t i = 0; i < ph->anywhere.n; i++) {
        const rule *ru = &r->rules.v[ph->anywhere.v[i]];
        if (!ru->first_flags || ru->first_annot) {
            ph->anywhere_flags = 0;
            return;
        }
        f |= ru->first_flags;
    }
    ph->anywhere_flags = f;
}

/* Keeps of the tables by lexicon id only the words the rules name. */
static int pack_words(ruleset *r)
{
    size_t n = r->nlexicon > r->nlist_bits ? r->nlexicon : r->nlist_bits;
    for (size_t id = 0; id < n; id++) {
        word_rules w = { (uint32_t)id, 0, 0, 0, 0 };
        if (id < r->nlexicon) {
            w.form_phases = r->form_phases[id];
            w.stem_phases = r->stem_phases[id];
        }
        if (id < r->nlist_bits)
            w.lists = r->list_bits[id];
        if ((w.form_phases | w.stem_phases || w.lists) &&
            word_rules_vec_push(&r->words, w) != 0)
            return -1;
    }
    free(r->form_phases);
    free(r->stem_phases);
    free(r->list_bits);
    r->form_phases = r->stem_phases = NULL;
    r->list_bits = NULL;
    r->nlexicon = r->nlist_bits = 0;
    return 0;
}

/* ------------------------------------------------------------ loading */

int rules_load_dir(loader *load, const char *dir, nertag_error *err)
{
    struct nertag_model *m = load->model;
    char **names;
    size_t n;
    if (!(m->rules = calloc(1, sizeof *m->rules))) {
        err_set(err, NERTAG_ERR_NOMEM, "out of memory");
        return -1;
    }
    if (list_dir(dir, ".rules", &names, &n, err) != 0)
        return -1;
    ruleset *r = m->rules;
    buf path = BUF_INIT;
    int rc = 0;
    /* phases first, so that rules in any file can name them */
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; rc == 0 && i < n; i++) {
            buf_clear(&path);
            rc = buf_printf(&path, "%s/%s", dir, names[i]);
            if (rc == 0)
                rc = parse_file(load, path.data, pass == 0, err);
            else
                err_set(err, NERTAG_ERR_NOMEM, "out of memory");
        }
    buf_free(&path);
    free_names(names, n);
    for (size_t i = 0; rc == 0 && i < r->phase_names.count; i++) {
        phase ph;
        memset(&ph, 0, sizeof ph);
        ph.name = (uint32_t)i;
        if (phase_vec_push(&r->phases, ph) != 0) {
            err_set(err, NERTAG_ERR_NOMEM, "out of memory");
            rc = -1;
        }
    }
    for (size_t i = 0; rc == 0 && i < r->rules.n; i++)
        if (index_rule(r, (uint32_t)i) != 0) {
            err_set(err, NERTAG_ERR_NOMEM, "out of memory");
            rc = -1;
        }
    for (size_t i = 0; rc == 0 && i < r->phases.n; i++)
        anywhere_flags(r, &r->phases.v[i]);
    if (rc == 0 && pack_words(r) != 0) {
        err_set(err, NERTAG_ERR_NOMEM, "out of memory");
        rc = -1;
    }
    return rc;
}

void rules_free(ruleset *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->phases.n; i++) {
        strtab_free(&r->phases.v[i].keys);
        u32_vec_free(&r->phases.v[i].key_first);
        u32_vec_free(&r->phases.v[i].links);
        u32_vec_free(&r->phases.v[i].anywhere);
    }
    phase_vec_free(&r->phases);
    free(r->form_phases);
    free(r->stem_phases);
    free(r->label_phases);
    free(r->list_bits);
    word_rules_vec_free(&r->words);
    rule_vec_free(&r->rules);
    inst_vec_free(&r->code);
    test_vec_free(&r->tests);
    u32_vec_free(&r->labelsets);
    list_vec_free(&r->lists);
    strtab_free(&r->members);
    u32_vec_free(&r->list_items);
    strtab_free(&r->phase_names);
    piece_vec_free(&r->pieces);
    action_vec_free(&r->actions);
    example_vec_free(&r->examples);
    buf_free(&r->strings);
    free(r);
}

size_t rules_count(const ruleset *r)
{
    return r ? r->rules.n : 0;
}

size_t rules_phase_count(const ruleset *r)
{
    return r ? r->phases.n : 0;
}
