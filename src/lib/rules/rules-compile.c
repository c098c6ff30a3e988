/* rules-compile.c - from the pattern tree to a program, and the parts of a
 * rule that refer to its captures: templates, actions, examples.
 *
 * A program is a list of instructions for a matcher that never backtracks
 * (rules-match.c): token and annotation steps, splits, jumps and capture
 * saves.  Beside it, what every match must contain (words of lists,
 * labels) is computed, so that the matcher skips sentences without them.
 */
#include "lib/rules/rules-build.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* Adds test t to the union *any (NONE32: empty); -1 out of memory. */
static int add_to_union(emitter *e, uint32_t *any, uint32_t t)
{
    *any = *any == NONE32 ? t : test_or(e->p, *any, t);
    return *any == NONE32 ? -1 : 0;
}

static int first_test_of(emitter *e, uint32_t x, uint32_t *t);

/* The union of the first tests of alternatives n, in *t; NONE32 when one
 * has none.  -1 out of memory. */
static int alternatives_first_test(emitter *e, const node *n, uint32_t *t)
{
    uint32_t any = NONE32;
    *t = NONE32;
    for (uint32_t i = 0; i < n->nkids; i++) {
        uint32_t ft;
        if (first_test_of(e, e->a->kids.v[n->kid + i], &ft) != 0)
            return -1;
        if (ft == NONE32)
            return 0;
        if (add_to_union(e, &any, ft) != 0)
            return -1;
    }
    *t = any;
    return 0;
}

/* The test that the first token node x takes, when it takes one, passes
 * (in the order the program runs: backwards for a context before): the
 * union of its first steps' tests where it may start several ways
 * (alternatives, a first element that may be left out), in *t; NONE32
 * when a first step is no token test (an annotation).  Whether x may
 * also match nothing is the caller's to ask (nullable).  -1 out of
 * memory. */
static int first_test_of(emitter *e, uint32_t x, uint32_t *t)
{
    const node *n = &e->a->nodes.v[x];
    uint32_t any = NONE32;
    *t = NONE32;
    switch (n->kind) {
    case N_TEST:
        *t = n->arg;
        return 0;
    case N_CAPTURE:
    case N_REPEAT:
        return first_test_of(e, e->a->kids.v[n->kid], t);
    case N_SEQ:
        for (uint32_t i = 0; i < n->nkids; i++) {
            uint32_t k = e->a->kids.v[n->kid + (e->reverse ? n->nkids - 1 - i
                                                           : i)], ft;
            if (first_test_of(e, k, &ft) != 0)
                return -1;
            if (ft == NONE32)
                return 0;
            if (add_to_union(e, &any, ft) != 0)
                return -1;
            if (!nullable(e->a, k))
                break;    /* the first token is this element's */
        }
        *t = any;
        return 0;
    case N_ALT:
        return alternatives_first_test(e, n, t);
    default:
        return 0;
    }
}

/* When every alternative starts with a token, one step tests the union
 * of their first tests first ("Threat" "Labs" | "Red" "Team" | …, or
 * ("has" | "had")? @speech-verbs | "'s"): where it fails, as on most
 * tokens, no alternative is tried.  Not when an alternative may match
 * nothing.  Returns -1 out of memory. */
static int emit_peek(emitter *e, const node *n)
{
    for (uint32_t i = 0; i < n->nkids; i++)
        if (nullable(e->a, e->a->kids.v[n->kid + i]))
            return 0;
    uint32_t any;
    if (alternatives_first_test(e, n, &any) != 0)
        return -1;
    if (any == NONE32)
        return 0;
    return emit(e, (inst){ OP_PEEK, any, 0, NONE32 }) == NONE32 ? -1 : 0;
}

static int compile_alt(emitter *e, const node *n)
{
    inst_vec *code = &e->p->r->code;
    u32_vec jumps = { 0 };
    if (emit_peek(e, n) != 0)
        return -1;
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
            e->p->r->code.v[before].op == OP_ANNOT &&
            !(e->a->nodes.v[kid].kind == N_ANNOT && e->a->nodes.v[kid].joined))
            e->p->r->code.v[before].slot = n->capture;
        return emit(e, (inst){ OP_SAVE, 0, 0, n->capture * 2 + 1 }) == NONE32
            ? -1 : 0;
    }
    }
}

/* ------------------------------------------------------------ needs */

int far_slot_of(const ruleset *r, uint32_t list)
{
    for (uint32_t slot = 0; slot < r->far_lists.n; slot++)
        if (r->far_lists.v[slot] == list)
            return (int)slot;
    return -1;
}

int far_slot(ruleset *r, uint32_t list)
{
    u32_vec *far = &r->far_lists;
    int known = far_slot_of(r, list);
    if (known >= 0)
        return known;
    if (far->n == 64)
        return -1;
    return u32_vec_push(far, list) != 0 ? -2 : (int)far->n - 1;
}

/* What a token passing test t is sure to be in (lists, labels), in *n;
 * -1 when out of memory. */
static int test_needs(ruleset *r, uint32_t t, needs *n)
{
    memset(n, 0, sizeof *n);
    const test *x = &r->tests.v[t];
    if (x->kind == T_CONJ) {
        n->lists = x->form_in | x->stem_in;
        needs m;
        if (x->left != NONE32) {
            if (test_needs(r, x->left, &m) != 0)
                return -1;
            n->lists |= m.lists;
            n->labels |= m.labels;
            n->far |= m.far;
        }
    } else if (x->kind == T_AND) {
        needs a, b;
        if (test_needs(r, x->left, &a) != 0 || test_needs(r, x->right, &b) != 0)
            return -1;
        n->lists = a.lists | b.lists;
        n->labels = a.labels | b.labels;
        n->far = a.far | b.far;
    } else if ((x->kind == T_IN || x->kind == T_LABEL) && x->arg < 64) {
        n->labels = (uint64_t)1 << x->arg;
    } else if (x->kind == T_LIST && x->arg < 64) {
        n->lists = (uint64_t)1 << x->arg;
    } else if (x->kind == T_LIST) {
        int slot = far_slot(r, x->arg);
        if (slot == -2)
            return -1;
        if (slot >= 0)   /* (no slot left: no sentence is skipped for it) */
            n->far = (uint64_t)1 << slot;
    }
    return 0;
}

/* What every match of node x contains. */
static int node_needs(parser *p, const ast *a, uint32_t x, needs *res)
{
    const node *n = &a->nodes.v[x];
    memset(res, 0, sizeof *res);
    switch (n->kind) {
    case N_TEST:
        return test_needs(p->r, n->arg, res);
    case N_ANNOT:
        if (n->count == 1 && p->r->labelsets.v[n->arg] < 64)
            res->labels = (uint64_t)1 << p->r->labelsets.v[n->arg];
        return 0;
    case N_CAPTURE:
        return node_needs(p, a, a->kids.v[n->kid], res);
    case N_REPEAT:
        return n->min > 0 ? node_needs(p, a, a->kids.v[n->kid], res) : 0;
    case N_SEQ:
        for (uint32_t i = 0; i < n->nkids; i++) {
            needs k;
            if (node_needs(p, a, a->kids.v[n->kid + i], &k) != 0)
                return -1;
            res->lists |= k.lists;
            res->labels |= k.labels;
            res->far |= k.far;
        }
        return 0;
    default: /* N_ALT: what every alternative needs */
        res->lists = res->labels = res->far = UINT64_MAX;
        for (uint32_t i = 0; i < n->nkids; i++) {
            needs k;
            if (node_needs(p, a, a->kids.v[n->kid + i], &k) != 0)
                return -1;
            res->lists &= k.lists;
            res->labels &= k.labels;
            res->far &= k.far;
        }
        return 0;
    }
}

/* Does node x match exactly one token, by a test or, where alternatives
 * is set, one of several (an alternation of tests, which compile_alt
 * starts with their union; not an alternation inside one, which it does
 * not)? */
static int is_one_token(const ast *a, uint32_t x, int alternatives)
{
    const node *n = &a->nodes.v[x];
    switch (n->kind) {
    case N_TEST:
        return 1;
    case N_CAPTURE:
        return is_one_token(a, a->kids.v[n->kid], alternatives);
    case N_SEQ:
        return n->nkids == 1 &&
               is_one_token(a, a->kids.v[n->kid], alternatives);
    case N_ALT:
        if (!alternatives)
            return 0;
        for (uint32_t i = 0; i < n->nkids; i++)
            if (!is_one_token(a, a->kids.v[n->kid + i], 0))
                return 0;
        return 1;
    default:
        return 0;
    }
}

/* The test of a program of one token (program.one_token): that of its
 * step, or the union its alternatives start with; else NONE32. */
static uint32_t one_token_test(const parser *p, const ast *a, uint32_t root,
                               const program *prog)
{
    const inst *first = &p->r->code.v[prog->start];
    if (!is_one_token(a, root, 1) ||
        (first->op != OP_TOKEN && first->op != OP_PEEK))
        return NONE32;
    return first->x;
}

int compile_pattern(parser *p, const kv *k, int mode, program *prog,
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
    prog->one_token = mode == PAT_MATCH ? NONE32
                                        : one_token_test(p, &a, root, prog);
    if (need && node_needs(p, &a, root, need) != 0)
        goto out;
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
int compile_template(parser *p, const kv *k, template_ *t)
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

int compile_action(parser *p, const kv *k)
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
int compile_example(parser *p, const kv *k, int positive)
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
                                   : "a counter-example takes no marks (it "
                                     "is a text the rule must not fire on)");
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
