/* rules-index.c - which rules may start where.
 *
 * The rules of each phase are indexed by what the first step of their
 * pattern can accept: a folded word, a stem, an annotation label.  While
 * tagging, only the rules indexed under a token's word, stem or labels are
 * tried there, so the cost per token does not grow with the number of
 * rules; the few rules whose first step says nothing useful are tried
 * everywhere, behind a test of token flags.  The walk over the steps a
 * match may reach from a program's start serves the gates too.
 */
#include "lib/rules/rules-build.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ indexing */

/* The shortest ending (in bytes) a rule is indexed under. */
#define MIN_ENDING_KEY 4

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
    case T_FORMS:
        for (uint32_t i = 0; i < x->arg2; i++)
            if (add_keypair(ks, KEY_FORM, r->form_sets.v[x->arg + i]))
                return -1;
        return 0;
    case T_WORD:
        return add_keypair(ks, KEY_FORM, x->arg2);
    case T_STEM:
        for (uint32_t l = 0; l < r->nlangs; l++)
            if (add_keypair(ks, KEY_STEM, r->stems.v[x->arg + l]))
                return -1;
        return 0;
    case T_LIST: {
        const word_list *wl = &r->lists.v[x->arg];
        for (uint32_t i = 0; i < wl->count; i++)
            if (add_keypair(ks, wl->by_stem ? KEY_STEM : KEY_FORM,
                            r->list_items.v[wl->first + i]))
                return -1;
        return 0;
    }
    case T_ENDS:
        /* past ENDS_BITS, no bit to key on; a short ending ("e", "en")
         * has too many words to say where a rule starts */
        if (x->arg2 == NONE32 ||
            strlen(rules_str(r, x->arg)) < MIN_ENDING_KEY) {
            ks->anywhere = 1;
            return 0;
        }
        return add_keypair(ks, KEY_ENDS, x->arg2);
    case T_ENDINGS:
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

/* Keys of the tokens step pc (a token or annotation step) can take. */
static int step_keys(const ruleset *r, uint32_t pc, keyset *ks)
{
    const inst *in = &r->code.v[pc];
    if (in->op == OP_TOKEN)
        return test_keys(r, in->x, ks);
    for (uint32_t i = 0; i < in->y; i++)
        if (add_keypair(ks, KEY_LABEL, r->labelsets.v[in->x + i]))
            return -1;
    return 0;
}

int first_step_keyed(const ruleset *r, uint32_t pc)
{
    keyset ks = { { 0 }, 0 };
    int rc = step_keys(r, pc, &ks);
    u32_vec_free(&ks.keys);
    return rc != 0 ? -1 : !ks.anywhere;
}

/* The keys of those first steps of pg that have some (first_steps; none
 * when they are not known), in ks. */
static int keyed_first_steps(const ruleset *r, const program *pg,
                             keyset *ks)
{
    uint32_t steps[MAX_FIRST_STEPS];
    size_t n = first_steps(r, pg, steps);
    int rc = 0;
    for (size_t k = 0; rc == 0 && k < n; k++) {
        keyset one = { { 0 }, 0 };
        rc = step_keys(r, steps[k], &one);
        for (size_t i = 0; rc == 0 && !one.anywhere && i < one.keys.n; i++)
            rc = u32_vec_push(&ks->keys, one.keys.v[i]);
        u32_vec_free(&one.keys);
    }
    return rc;
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
        case OP_ANNOT:
            return step_keys(r, pc, ks);
        case OP_SPLIT:
            if (first_keys(r, pg, in->x, seen, ks) != 0)
                return -1;
            pc = in->y;
            break;
        case OP_JMP:
            pc = in->x;
            break;
        case OP_SAVE:
        case OP_PEEK:       /* the steps after it say as much */
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

/* Phase bit starts on words with the ending of bit id: the table by
 * ending bit, made with the first such key, holds the endings' texts. */
static int mark_ending(ruleset *r, uint32_t id, uint32_t bit)
{
    if (!r->ends_phases.n) {
        if (u32_vec_reserve(&r->ends_phases, ENDS_BITS) != 0 ||
            u32_vec_reserve(&r->ends_text, ENDS_BITS) != 0)
            return -1;
        r->ends_phases.n = r->ends_text.n = ENDS_BITS;
        memset(r->ends_phases.v, 0, ENDS_BITS * sizeof(uint32_t));
        memset(r->ends_text.v, 0xFF, ENDS_BITS * sizeof(uint32_t));
        for (size_t i = 0; i < r->tests.n; i++) {
            const test *x = &r->tests.v[i];
            if (x->kind == T_ENDS && x->arg2 < ENDS_BITS)
                r->ends_text.v[x->arg2] = x->arg;
        }
    }
    r->ends_phases.v[id] |= bit;
    return 0;
}

static int mark_key(ruleset *r, uint32_t kind, uint32_t id, uint32_t ph)
{
    uint32_t bit = ph < 32 ? 1u << ph : 0;
    if (kind == KEY_ENDS)
        return mark_ending(r, id, bit);
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
uint16_t rules_test_flags(const ruleset *r, uint32_t t)
{
    const test *x = &r->tests.v[t];
    switch (x->kind) {
    case T_FLAGS:
        return (uint16_t)x->arg;
    case T_CONJ:
        return x->need;
    case T_AND:
        return rules_test_flags(r, x->left) | rules_test_flags(r, x->right);
    case T_OR:
        return rules_test_flags(r, x->left) & rules_test_flags(r, x->right);
    default:
        return 0;
    }
}

/* COVER_* bits (annot.c) a token must have to pass test t: those of the
 * annotations it must lie in (label=, in=, 0 when it cannot say). */
uint16_t rules_test_cover(const ruleset *r, uint32_t t)
{
    const test *x = &r->tests.v[t];
    switch (x->kind) {
    case T_LABEL:      /* any annotation, ambiguous ones too */
        return x->arg == NONE32 || !LABEL_IS_TYPE(x->arg) ? COVER_ANY
               : (uint16_t)(COVER_AMBIGUOUS_TYPE << x->arg);
    case T_IN:         /* a mention of a type */
        return x->arg == NONE32 ? COVER_ANY_TYPE
               : !LABEL_IS_TYPE(x->arg) ? COVER_ANY : (uint16_t)(1u << x->arg);
    case T_CONJ:
        return (uint16_t)(x->cover_need |
                          (x->left != NONE32 ? rules_test_cover(r, x->left) : 0));
    case T_AND:
        return rules_test_cover(r, x->left) | rules_test_cover(r, x->right);
    case T_OR:
        return rules_test_cover(r, x->left) & rules_test_cover(r, x->right);
    default:
        return 0;
    }
}

/* What every first token of a program must have when the match starts
 * with a token step: the flags and the COVER_* bits of every such step,
 * and-ed together. */
typedef struct {
    uint16_t flags, cover;
    int any;              /* some path starts with a step other than an
                             annotation step */
    int starts_annot;     /* some path starts with an annotation step */
} start_masks;

/* Starts w at the n steps from[] of pg; -1 when pg is empty or too long
 * to walk, or a step lies outside it. */
int walk_from(program_walk *w, const program *pg, const uint32_t *from,
              size_t n)
{
    if (!pg->len || pg->len > RULE_MAX_PROGRAM)
        return -1;
    w->pg = pg;
    memset(w->seen, 0, pg->len);
    w->ntodo = 0;
    for (size_t k = 0; k < n; k++)
        if (walk_push(w, from[k]) != 0)
            return -1;
    return 0;
}

/* Starts w at pg's first step. */
int walk_start(program_walk *w, const program *pg)
{
    return walk_from(w, pg, &pg->start, 1);
}

/* Queues step pc unless already queued; -1 when pc lies outside the
 * program (the walk cannot say where a match goes). */
int walk_push(program_walk *w, uint32_t pc)
{
    uint32_t at = pc - w->pg->start;
    if (pc < w->pg->start || at >= w->pg->len)
        return -1;
    if (!w->seen[at]) {
        w->seen[at] = 1;
        w->todo[w->ntodo++] = pc;
    }
    return 0;
}

/* Queues where the control step in leads (a save, a jump or a split);
 * -1 when in is no control step or leads outside the program. */
int walk_follow(program_walk *w, const inst *in, uint32_t pc)
{
    switch (in->op) {
    case OP_SAVE:
        return walk_push(w, pc + 1);
    case OP_JMP:
        return walk_push(w, in->x);
    case OP_SPLIT:
        return walk_push(w, in->x) != 0 || walk_push(w, in->y) != 0 ? -1 : 0;
    default:
        return -1;
    }
}

static void find_start_masks(const ruleset *r, const program *pg,
                             start_masks *sm)
{
    program_walk w;
    int rc = walk_start(&w, pg);
    while (rc == 0 && w.ntodo) {
        uint32_t pc = w.todo[--w.ntodo];
        const inst *in = &r->code.v[pc];
        if (in->op == OP_TOKEN) {
            sm->any = 1;
            sm->flags &= rules_test_flags(r, in->x);
            sm->cover &= rules_test_cover(r, in->x);
        } else if (in->op == OP_ANNOT) {
            sm->starts_annot = 1;
        } else if ((in->op == OP_PEEK ? walk_push(&w, pc + 1)
                                      : walk_follow(&w, in, pc)) != 0) {
            /* a path that may match nothing: no flag is needed */
            sm->any = 1;
            sm->flags = sm->cover = 0;
        }
    }
    if (rc != 0) {        /* a program the walk cannot follow */
        sm->any = 1;
        sm->flags = sm->cover = 0;
    }
}

/* The test of the first token when every match starts with the same
 * token step, or with a peek at the first token; NONE32 otherwise. */
static uint32_t only_first_test(const ruleset *r, const program *pg)
{
    uint32_t pc = pg->start;
    while (pc < pg->start + pg->len && r->code.v[pc].op == OP_SAVE)
        pc++;
    const inst *in = &r->code.v[pc];
    return in->op == OP_TOKEN || in->op == OP_PEEK ? in->x : NONE32;
}

/* The steps of pg that may take the next token on a path from step
 * from: its token and annotation steps reached through saves, jumps and
 * splits, and peeks, which are such steps where peeks is set and else
 * passed (the steps after one say more), at most max, in steps.  Returns
 * their number, or 0 when a path may end first (or they are more). */
size_t next_steps(const ruleset *r, const program *pg, uint32_t from,
                  int peeks, uint32_t *steps, size_t max)
{
    program_walk w;
    size_t n = 0;
    if (walk_from(&w, pg, &from, 1) != 0)
        return 0;
    while (w.ntodo) {
        uint32_t pc = w.todo[--w.ntodo];
        const inst *in = &r->code.v[pc];
        if (in->op == OP_TOKEN || in->op == OP_ANNOT ||
            (in->op == OP_PEEK && peeks)) {
            if (n == max)
                return 0;
            steps[n++] = pc;
        } else if (in->op == OP_PEEK) {
            if (walk_push(&w, pc + 1) != 0)
                return 0;
        } else if (walk_follow(&w, in, pc) != 0) {
            return 0;   /* OP_MATCH, or a step out of the program */
        }
    }
    return n;
}

/* The steps that may take the first token of a match of pg (the token
 * and annotation steps past its peeks). */
size_t first_steps(const ruleset *r, const program *pg,
                   uint32_t steps[MAX_FIRST_STEPS])
{
    return next_steps(r, pg, pg->start, 0, steps, MAX_FIRST_STEPS);
}

/* Appends rule ri to the rules of ph under key: rules come in order, so
 * each key lists them sorted. */
static int add_to_key(phase *ph, uint64_t key, uint32_t ri)
{
    size_t before = ph->keys.count;
    uint32_t k = strtab_intern(&ph->keys, (const char *)&key, sizeof key);
    if (k == STRTAB_NONE ||
        (k == before && u32_vec_push(&ph->key_first, NONE32) != 0))
        return -1;
    uint32_t entry = (uint32_t)ph->links.n;
    if (u32_vec_push(&ph->links, ri) || u32_vec_push(&ph->links, NONE32))
        return -1;
    uint32_t *at = &ph->key_first.v[k];
    while (*at != NONE32)
        at = &ph->links.v[*at + 1];
    *at = entry;
    return 0;
}

int index_rule(ruleset *r, uint32_t ri)
{
    const rule *ru = &r->rules.v[ri];
    phase *ph = &r->phases.v[ru->phase];
    keyset ks = { { 0 }, 0 };
    uint8_t *seen = calloc(ru->match.len, 1);
    int rc = !seen || first_keys(r, &ru->match, ru->match.start, seen, &ks);
    if (rc == 0) {
        start_masks sm = { 0xFFFF, 0xFFFF, 0, 0 };
        find_start_masks(r, &ru->match, &sm);
        r->rules.v[ri].first_flags = sm.any ? sm.flags : 0;
        r->rules.v[ri].first_cover = sm.any ? sm.cover : 0;
        r->rules.v[ri].first_annot = (uint8_t)sm.starts_annot;
        r->rules.v[ri].first_test = only_first_test(r, &ru->match);
    }
    if (rc == 0 && ks.anywhere) {
        /* tried anywhere for the first steps that have no keys, found
         * under their keys for those that have some */
        rc = u32_vec_push(&ph->anywhere, ri);
        ks.keys.n = 0;
        if (rc == 0)
            rc = keyed_first_steps(r, &ru->match, &ks);
    }
    /* a rule of every language goes under each language, and under none
     * (a text in no known language) */
    int lang_lo = ru->lang >= 0 ? ru->lang : -1;
    int lang_hi = ru->lang >= 0 ? ru->lang : (int)r->nlangs - 1;
    for (size_t i = 0; rc == 0 && i < ks.keys.n; i += 2) {
        for (int l = lang_lo; rc == 0 && l <= lang_hi; l++)
            rc = add_to_key(ph, phase_key(ks.keys.v[i], l, ks.keys.v[i + 1]),
                            ri);
        if (rc == 0)
            rc = mark_key(r, ks.keys.v[i], ks.keys.v[i + 1], ru->phase);
    }
    free(seen);
    u32_vec_free(&ks.keys);
    return rc;
}

/* When every rule of a phase that may start anywhere needs some flag of
 * its first token (a capital, a digit), a token with none of the flags
 * they need can skip them all. */
void anywhere_flags(const ruleset *r, phase *ph)
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
int pack_words(ruleset *r)
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
