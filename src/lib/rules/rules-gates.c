/* rules-gates.c - what is tested of each rule before it is tried.
 *
 * Built once with the rules (and saved in the compiled model), read by
 * rules-match.c at every token: for each rule, its gate (gate, rules.h)
 * holds what the sentence must contain and which steps may take the
 * first token of a match, with the token flags each needs.  Both are
 * found by walking the steps of the rule's program that a match may
 * reach.
 */
#include "lib/rules/rules-build.h"

#include <string.h>

#define MAX_WORD_KEYS 16

/* First step pc of rule ru, with the flags and COVER_* bits its test
 * needs of any token it takes (beside those the rule's first token always
 * needs, its first flags), and those a conjunction forbids. */
static first_step step_masks(const ruleset *r, const rule *ru, uint32_t pc)
{
    const inst *in = &r->code.v[pc];
    first_step fs = { *in, ru->first_flags, 0, ru->first_cover, 0, 0, 0, 0 };
    if (in->op != OP_TOKEN)
        return fs;
    const test *x = &r->tests.v[in->x];
    fs.need |= rules_test_flags(r, in->x);
    fs.cover_need |= rules_test_cover(r, in->x);
    if (x->kind == T_CONJ) {
        fs.forbid = x->forbid;
        fs.cover_forbid = x->cover_forbid;
    }
    return fs;
}


/* Appends key unless keys has it: 1, or 0 when there is no room. */
static int push_key(uint32_t *keys, size_t *n, uint32_t key)
{
    for (size_t k = 0; k < *n; k++)
        if (keys[k] == key)
            return 1;
    if (*n == MAX_WORD_KEYS)
        return 0;
    keys[(*n)++] = key;
    return 1;
}

/* Keys one of which every token passing test ti has, appended to keys:
 * 1, or 0 when the test cannot say (or there would be too many). */
static int test_word_keys(const ruleset *r, uint32_t ti, uint32_t *keys,
                          size_t *n)
{
    const test *x = &r->tests.v[ti];
    size_t before = *n;
    int slot;
    switch (x->kind) {
    case T_FORM:
        return push_key(keys, n, word_bit(KEY_FORM, x->arg));
    case T_FORMS:
        for (uint32_t i = 0; i < x->arg2; i++)
            if (!push_key(keys, n, word_bit(KEY_FORM,
                                            r->form_sets.v[x->arg + i])))
                return 0;
        return x->arg2 > 0;
    case T_WORD:
        return x->arg2 != NONE32 && push_key(keys, n,
                                             word_bit(KEY_FORM, x->arg2));
    case T_STEM: {     /* its stem in any language */
        int stems = 0;
        for (uint32_t l = 0; l < r->nlangs; l++) {
            uint32_t id = r->stems.v[x->arg + l];
            if (id == NONE32)
                continue;
            if (!push_key(keys, n, word_bit(KEY_STEM, id)))
                return 0;
            stems = 1;
        }
        return stems;
    }
    case T_LIST:
        if (x->arg < 64)
            return push_key(keys, n, KEY_IS_LIST | x->arg);
        slot = far_slot_of(r, x->arg);     /* a list past the first 64 */
        return slot >= 0 && push_key(keys, n, KEY_IS_LIST | KEY_FAR_LIST |
                                     (uint32_t)slot);
    case T_CONJ:
        if (x->form_in | x->stem_in)
            return push_key(keys, n, KEY_IS_LIST |
                            (uint32_t)__builtin_ctzll(x->form_in | x->stem_in));
        return x->left != NONE32 && test_word_keys(r, x->left, keys, n);
    case T_AND:
        if (test_word_keys(r, x->left, keys, n))
            return 1;
        *n = before;
        return test_word_keys(r, x->right, keys, n);
    case T_OR:
        return test_word_keys(r, x->left, keys, n) &&
               test_word_keys(r, x->right, keys, n);
    default:
        return 0;
    }
}

/* Most keyed steps a frontier (program_frontier) holds, and most groups
 * of keys a program gives its gate. */
#define MAX_FRONTIER 32
#define MAX_KEY_GROUPS 4

/* The frontier of pg after steps from[0..nfrom): the first keyed steps on
 * each path from one of them, in next (*nnext), their keys in keys (*n).
 * Every path from those steps to the end of a match passes one of them.
 * 1, or 0 when some path has none (or there would be too many). */
static int program_frontier(const ruleset *r, const program *pg,
                            const uint32_t *from, size_t nfrom,
                            uint32_t keys[MAX_WORD_KEYS], size_t *n,
                            uint32_t next[MAX_FRONTIER], size_t *nnext)
{
    program_walk w;
    *n = *nnext = 0;
    if (walk_from(&w, pg, from, nfrom) != 0)
        return 0;
    while (w.ntodo) {
        uint32_t pc = w.todo[--w.ntodo];
        const inst *in = &r->code.v[pc];
        int rc;
        if (in->op == OP_TOKEN) {
            size_t before = *n;
            if (test_word_keys(r, in->x, keys, n)) {
                if (*nnext == MAX_FRONTIER)
                    return 0;
                next[(*nnext)++] = pc;  /* a keyed step: the path needs it */
                continue;
            }
            *n = before;
            if (*n == MAX_WORD_KEYS)
                return 0;
            rc = walk_push(&w, pc + 1);
        } else if (in->op == OP_ANNOT || in->op == OP_PEEK) {
            rc = walk_push(&w, pc + 1);
        } else {
            rc = walk_follow(&w, in, pc);   /* OP_MATCH: a path without a keyed step */
        }
        if (rc != 0)
            return 0;
    }
    return *n > 0;
}

/* A walk over a program for reach_from: the keys of its group (as in
 * word_keys), each step's state (0 not seen, 1 on the path being walked,
 * 2 known) and, once known, its reach. */
typedef struct reach_walk {
    const ruleset *r;
    const program *pg;
    const uint32_t *group;
    size_t ngroup;
    uint8_t state[RULE_MAX_PROGRAM];
    uint8_t tokens[RULE_MAX_PROGRAM], annots[RULE_MAX_PROGRAM];
} reach_walk;

/* Has every token that step in takes a key of the group?  So when each
 * key its test gives is one of them. */
static int step_keyed(const reach_walk *w, const inst *in)
{
    uint32_t keys[MAX_WORD_KEYS];
    size_t n = 0;
    if (in->op != OP_TOKEN || !test_word_keys(w->r, in->x, keys, &n))
        return 0;
    for (size_t k = 0; k < n; k++) {
        size_t j = 0;
        while (j < w->ngroup && (w->group[j] & ~KEY_GROUP_END) != keys[k])
            j++;
        if (j == w->ngroup)
            return 0;
    }
    return 1;
}

/* The most tokens (*tokens) and annotations (*annots) a match passes from
 * step pc before its first keyed step: 0, or -1 when no bound is known (a
 * loop, a path without a keyed step, more than REACH_LIMIT). */
static int reach_from(reach_walk *w, uint32_t pc, uint8_t *tokens,
                      uint8_t *annots)
{
    uint32_t at = pc - w->pg->start;
    if (pc < w->pg->start || at >= w->pg->len || w->state[at] == 1)
        return -1;
    if (w->state[at] == 2) {
        *tokens = w->tokens[at];
        *annots = w->annots[at];
        return 0;
    }
    w->state[at] = 1;
    const inst *in = &w->r->code.v[pc];
    uint8_t t = 0, a = 0, t2 = 0, a2 = 0;
    int rc = 0;
    switch (in->op) {
    case OP_TOKEN:
        if (!step_keyed(w, in)) {
            rc = reach_from(w, pc + 1, &t, &a);
            t++;
        }
        break;
    case OP_ANNOT:
        rc = reach_from(w, pc + 1, &t, &a);
        a++;
        break;
    case OP_SAVE:
    case OP_PEEK:
        rc = reach_from(w, pc + 1, &t, &a);
        break;
    case OP_JMP:
        rc = reach_from(w, in->x, &t, &a);
        break;
    case OP_SPLIT:
        rc = reach_from(w, in->x, &t, &a) || reach_from(w, in->y, &t2, &a2)
             ? -1 : 0;
        t = t > t2 ? t : t2;
        a = a > a2 ? a : a2;
        break;
    default:            /* OP_MATCH: a path without a keyed step */
        rc = -1;
    }
    if (rc != 0 || t > REACH_LIMIT || a > REACH_LIMIT)
        return -1;
    w->state[at] = 2;
    *tokens = w->tokens[at] = t;
    *annots = w->annots[at] = a;
    return 0;
}

/* The reach of the steps of pg that have keys of its group (ngroup keys
 * at group) into g, when known. */
static void program_reach(const ruleset *r, const program *pg,
                          const uint32_t *group, size_t ngroup, gate *g)
{
    reach_walk w;
    if (!pg->len || pg->len > RULE_MAX_PROGRAM)
        return;
    w.r = r;
    w.pg = pg;
    w.group = group;
    w.ngroup = ngroup;
    memset(w.state, 0, pg->len);
    uint8_t t, a;
    if (reach_from(&w, pg->start, &t, &a) == 0) {
        g->reach_tokens = t;
        g->reach_annots = a;
    }
}

/* Appends to r->word_keys the groups of keys of program pg (a match or a
 * context that must hold): the keys of its first keyed steps on each path,
 * then of the next keyed steps after those, and so on, each group a word
 * or list the sentence must have.  A context's first step is often a
 * common word ("," "the"); a later one ("subsidiary" | "unit") turns most
 * sentences away.  *first: the number of keys of the first group. */
static int add_key_groups(ruleset *r, const program *pg, size_t *first)
{
    uint32_t from[MAX_FRONTIER], next[MAX_FRONTIER];
    uint32_t keys[MAX_WORD_KEYS], last[MAX_WORD_KEYS];
    size_t nfrom = 1, n, nnext, nlast = 0;
    *first = 0;
    from[0] = pg->start;
    for (int g = 0; g < MAX_KEY_GROUPS; g++) {
        if (!program_frontier(r, pg, from, nfrom, keys, &n, next, &nnext))
            break;
        if (n == nlast && !memcmp(keys, last, n * sizeof *keys))
            break;      /* a loop of keyed steps: nothing new */
        memcpy(last, keys, n * sizeof *keys);
        nlast = n;
        if (!g)
            *first = n;
        keys[n - 1] |= KEY_GROUP_END;
        for (size_t k = 0; k < n; k++)
            if (u32_vec_push(&r->word_keys, keys[k]) != 0)
                return -1;
        for (size_t k = 0; k < nnext; k++)
            from[k] = next[k] + 1;
        nfrom = nnext;
    }
    return 0;
}

/* The part of rule ru's gate that its record holds already. */
static gate rule_gate(const rule *ru)
{
    gate g;
    memset(&g, 0, sizeof g);        /* the padding too: it is saved */
    g.need_lists = ru->need_lists;
    g.need_labels = ru->need_labels;
    g.need_far = ru->need_far;
    g.document_lists = ru->document_lists;
    g.document_far = ru->document_far;
    g.first_test = ru->first_test;
    g.lang = (int16_t)ru->lang;
    g.first_flags = ru->first_flags;
    g.first_cover = ru->first_cover;
    g.first_annot = ru->first_annot;
    return g;
}

/* Most tests kept for the token next to a step or a match. */
#define MAX_NEXT_TESTS 4

/* The tests one of which the next token passes on every path of pg from
 * step from on: those of the token steps, and of the peeks, that may
 * come first (next_steps).  Appended to r->next_tests at *at; their
 * number in *n, 0 when a path may end or take an annotation first (or
 * they are more than MAX_NEXT_TESTS).  -1 when out of memory. */
static int add_next_tests(ruleset *r, const program *pg, uint32_t from,
                          uint32_t *at, uint32_t *n)
{
    uint32_t steps[MAX_NEXT_TESTS];
    size_t k = next_steps(r, pg, from, 1, steps, MAX_NEXT_TESTS);
    *at = (uint32_t)r->next_tests.n;
    *n = 0;
    for (size_t i = 0; i < k; i++)
        if (r->code.v[steps[i]].op == OP_ANNOT)
            return 0;
    for (size_t i = 0; i < k; i++)
        if (u32_vec_push(&r->next_tests, r->code.v[steps[i]].x) != 0)
            return -1;
    *n = (uint32_t)k;
    return 0;
}

/* Gives first step fs, at pc of pg, the tests of the token after it when
 * it takes an annotation; -1 when out of memory. */
static int add_follow_tests(ruleset *r, const program *pg, uint32_t pc,
                            first_step *fs)
{
    if (r->code.v[pc].op != OP_ANNOT)
        return 0;
    return add_next_tests(r, pg, pc + 1, &fs->follow_from, &fs->nfollow);
}

/* Gives rule ru the first tests of its context before, when that is
 * longer than one token; -1 when out of memory. */
static int add_before_tests(ruleset *r, rule *ru)
{
    const program *b = &ru->context[CTX_BEFORE];
    ru->before_from = ru->nbefore = 0;
    if (!b->len || b->one_token != NONE32)
        return 0;
    return add_next_tests(r, b, b->start, &ru->before_from, &ru->nbefore);
}

/* The gates of the rules, once, when the rules are built.  Each keeps
 * the steps that may take the first token, with the flags they need and
 * forbid (anywhere_rules drops the rules none of them allows); a rule whose
 * first step may vary ("[a]? [b]", "(<ORG> | [c])") has their tests run
 * too: a token none of them takes starts no match, and is rejected
 * without a search.  The words a match and its contexts need reject
 * whole sentences (add_key_group). */
int build_gates(ruleset *r)
{
    if (gate_vec_reserve(&r->gates, r->rules.n + 1) != 0 ||
        first_step_vec_reserve(&r->first_steps, 64) != 0 ||
        u32_vec_reserve(&r->word_keys, 64) != 0)
        return -1;
    r->first_steps.n = r->word_keys.n = r->next_tests.n = 0;
    for (size_t i = 0; i < r->rules.n; i++) {
        rule *ru = &r->rules.v[i];
        if (add_before_tests(r, ru) != 0)
            return -1;
        uint32_t steps[MAX_FIRST_STEPS];
        size_t n = first_steps(r, &ru->match, steps);
        uint32_t from = (uint32_t)r->first_steps.n;
        for (size_t k = 0; k < n; k++) {
            int keyed = first_step_keyed(r, steps[k]);
            first_step fs = step_masks(r, ru, steps[k]);
            fs.keyed = keyed > 0;
            if (keyed < 0 ||
                add_follow_tests(r, &ru->match, steps[k], &fs) != 0 ||
                first_step_vec_push(&r->first_steps, fs) != 0)
                return -1;
        }
        uint32_t key_from = (uint32_t)r->word_keys.n;
        size_t nmatch, unused;
        if (add_key_groups(r, &ru->match, &nmatch) != 0 ||
            add_key_groups(r, &ru->context[CTX_BEFORE], &unused) != 0 ||
            add_key_groups(r, &ru->context[CTX_AFTER], &unused) != 0)
            return -1;
        gate g = rule_gate(ru);
        g.first_from = from;
        g.nfirst = (uint8_t)n;
        g.key_from = key_from;
        g.nkeys = (uint16_t)(r->word_keys.n - key_from);
        g.reach_tokens = REACH_NONE;
        if (nmatch)
            program_reach(r, &ru->match, r->word_keys.v + key_from, nmatch,
                          &g);
        r->gates.v[i] = g;
    }
    r->gates.n = r->rules.n;
    return 0;
}

