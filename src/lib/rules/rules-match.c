/* rules-match.c - running the phases of rules over a document.
 *
 * Within a phase, tokens are visited left to right.  At each token only the
 * rules whose first step can accept it are tried (the phase index, built at
 * load time).  Each pattern is matched by a memoized search over (step,
 * token) pairs: every pair is evaluated at most once, so a pattern never
 * takes more than (steps x RULE_MAX_SPAN) evaluations whatever its
 * repetitions, and the search returns the longest match.
 *
 * Of the rules that match at a token, the longest match wins, then the
 * higher priority, then the rule written first; its actions are applied
 * and the scan resumes after the match.  Annotations a phase creates become
 * visible to the next phase.
 */
#include "lib/inspect.h"

#include <stdio.h>
#include <string.h>

typedef struct memo {
    uint32_t stamp;
    int32_t end;          /* best end position, or -1 */
    uint32_t choice;      /* SPLIT: 0 or 1; ANNOT: annotation index */
} memo;

/* What is tested of a rule before it is tried, from its rule record,
 * packed together: the candidates of every token are checked against
 * these, and the records themselves are larger than the caches like. */
typedef struct gate {
    uint64_t need_lists, need_labels, need_far;   /* of the sentence */
    uint64_t document_lists, document_far;        /* of the document */
    uint32_t first_test;
    int16_t lang;
    uint16_t first_flags, first_cover;
    uint8_t first_annot;
} gate;
VEC_DECLARE(gate_vec, gate);

/* A list of rules that may start anywhere, by phase and token flags. */
typedef struct any_entry {
    uint64_t key;         /* phase, annotation start, cover and flags, + 1;
                             0 empty */
    uint32_t from, n;     /* in any_pool */
} any_entry;

struct match_scratch {
    memo *memo;
    size_t memo_cap;
    uint32_t stamp;
    u32_vec cands;
    uint32_t caps[2 * RULE_MAX_CAPTURES];
    uint32_t cap_annot[RULE_MAX_CAPTURES];
    u32_vec fired;        /* rules that fired in the current document */
    u64_vec sent_lists;   /* per sentence: the lists its words are in */
    u64_vec sent_far;     /* and the far_lists slots */
    u64_vec sent_labels;  /* per sentence: labels of its annotations */
    u64_vec phase_starts; /* per phase p < 32, a bit per token: its rules
                             may start on the token's word, stem or flags */
    uint32_t annot_phases;  /* phases where a rule may start on any
                               annotation */
    uint32_t cover_phases;  /* phases where a rule may start on any token
                               inside an annotation (label=, in=) */
    doc_lists doc_lists;  /* the lists the document's words are in */
    u64_vec far_bits;     /* by surface: its far_lists slots */
    u8_vec far_lang;      /* by surface: language + 2 of far_bits, or 0 */
    u64_vec starts;       /* bit per token: a rule of the phase may start */
    u32_vec sent_first, sent_end;  /* per sentence: its tokens */
    any_entry any_cache[1024];     /* kept from document to document */
    u32_vec any_pool;
    u32_vec keyed;        /* the rules indexed under a token (gather) */
    gate_vec gates;       /* by rule */
    u32_vec label_keys;   /* phase p, label l at p * nlabels + l: the key of
                             (KEY_LABEL, l) in p's index, or NONE32 */
};

void match_scratch_free(match_scratch *m)
{
    if (!m)
        return;
    free(m->memo);
    u32_vec_free(&m->cands);
    u32_vec_free(&m->fired);
    u64_vec_free(&m->sent_lists);
    u64_vec_free(&m->sent_far);
    u64_vec_free(&m->sent_labels);
    u64_vec_free(&m->phase_starts);
    u64_vec_free(&m->starts);
    u32_vec_free(&m->sent_first);
    u32_vec_free(&m->sent_end);
    u32_vec_free(&m->any_pool);
    u32_vec_free(&m->keyed);
    gate_vec_free(&m->gates);
    u64_vec_free(&m->far_bits);
    u8_vec_free(&m->far_lang);
    u32_vec_free(&m->label_keys);
    free(m);
}

/* One search: a program run from an anchor token in one direction. */
typedef struct search {
    nertag_tagger *t;
    const ruleset *r;
    const program *pg;
    uint32_t anchor;
    int dir;              /* +1 forwards, -1 backwards (contexts before) */
    uint32_t lo, hi;      /* the tokens of the sentence */
    match_scratch *ms;
} search;

/* Can rule ru run on this document?  Rules may be written for one
 * language. */
static int rule_speaks(const nertag_tagger *t, const rule *ru)
{
    return ru->lang < 0 || ru->lang == t->lang;
}

/* ------------------------------------------------------------ token tests */

/* Is token pos inside an annotation of label (any type for NONE32)?
 * Ambiguous gazetteer matches count only with any_flag, and then
 * label=any means any annotation at all.  Types are read from the
 * coverage bits; other labels are searched among the annotations that
 * start close enough before pos to cover it. */
static int in_label(const nertag_tagger *t, uint32_t pos, uint32_t label,
                    int any_flag)
{
    uint16_t cover = t->cover.v[pos];
    if (label == NONE32)
        return (cover & (any_flag ? COVER_ANY : COVER_ANY_TYPE)) != 0;
    if (LABEL_IS_TYPE(label))
        return (cover & (any_flag ? (unsigned)COVER_AMBIGUOUS_TYPE << label
                                  : 1u << label)) != 0;
    if (!(cover & COVER_ANY))
        return 0;
    uint32_t skip = AF_REMOVED | (any_flag ? 0 : AF_AMBIGUOUS);
    uint32_t from = pos + 1 >= t->max_span ? pos + 1 - t->max_span : 0;
    for (uint32_t s = from; s <= pos; s++)
        for (uint32_t a = t->first_start.v[s]; a != NONE32;
             a = t->annots.v[a].next_start) {
            const annot *an = &t->annots.v[a];
            if (an->tend > pos && !(an->flags & skip) && an->label == label)
                return 1;
        }
    return 0;
}

/* Is token pos, by its word or its stem, in the list? */
static int list_has(const search *s, uint32_t list, uint32_t pos)
{
    const word_list *l = &s->r->lists.v[list];
    const surface_info *si = token_surface(&s->t->doc, pos);
    if (list < 64)
        return (l->by_stem ? si->stem : si->form).lists >> list
               & 1;
    const token *tk = &s->t->doc.tokens.v[pos];
    uint32_t id = l->by_stem ? tk->stem_id : tk->norm_id;
    if (id == NONE32)
        return 0;
    uint64_t key = (uint64_t)list << 32 | id;
    return strtab_find(&s->r->members, (const char *)&key, sizeof key) !=
           STRTAB_NONE;
}

static int eval_test(const search *s, uint32_t ti, uint32_t pos);

word_facts rules_word_facts(const ruleset *r, uint32_t lexicon_id,
                            int by_stem)
{
    word_facts f = { 0, 0 };
    if (!r || lexicon_id == NONE32)
        return f;
    size_t lo = 0, hi = r->words.n;     /* binary search */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->words.v[mid].id < lexicon_id)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < r->words.n && r->words.v[lo].id == lexicon_id) {
        const word_rules *w = &r->words.v[lo];
        f.lists = w->lists;
        f.phases = by_stem ? w->stem_phases : w->form_phases;
    }
    return f;
}

static int eval_conj(const search *s, const test *x, const token *tk,
                     uint32_t pos)
{
    uint16_t cover = s->t->cover.v[pos];
    if ((tk->flags & x->need) != x->need || (tk->flags & x->forbid) ||
        (cover & x->cover_need) != x->cover_need || (cover & x->cover_forbid))
        return 0;
    const surface_info *si = token_surface(&s->t->doc, pos);
    if (x->form_in | x->form_out) {
        uint64_t b = si->form.lists;
        if ((b & x->form_in) != x->form_in || (b & x->form_out))
            return 0;
    }
    if (x->stem_in | x->stem_out) {
        uint64_t b = si->stem.lists;
        if ((b & x->stem_in) != x->stem_in || (b & x->stem_out))
            return 0;
    }
    return x->left == NONE32 || eval_test(s, x->left, pos);
}

static int eval_test(const search *s, uint32_t ti, uint32_t pos)
{
    const test *x = &s->r->tests.v[ti];
    const token *tk = &s->t->doc.tokens.v[pos];
    switch (x->kind) {
    case T_TRUE:
        return 1;
    case T_FLAGS:
        return (tk->flags & x->arg) == x->arg;
    case T_FORM:
        return tk->norm_id == x->arg;
    case T_FORMS: {
        const uint32_t *ids = s->r->form_sets.v + x->arg;
        uint32_t lo = 0, hi = x->arg2;
        while (lo < hi) {
            uint32_t mid = lo + (hi - lo) / 2;
            if (ids[mid] < tk->norm_id)
                lo = mid + 1;
            else
                hi = mid;
        }
        return lo < x->arg2 && ids[lo] == tk->norm_id;
    }
    case T_WORD: {
        const char *w = rules_str(s->r, x->arg);
        size_t n = tk->bend - tk->bstart;
        return strlen(w) == n && memcmp(w, s->t->doc.text + tk->bstart, n) == 0;
    }
    case T_STEM:
        return tk->stem_id != NONE32 && s->t->lang >= 0 &&
               tk->stem_id == s->r->stems.v[x->arg + (uint32_t)s->t->lang];
    case T_LIST:
        return list_has(s, x->arg, pos);
    case T_ENDS: {
        size_t n, k = strlen(rules_str(s->r, x->arg));
        const char *w = token_norm(&s->t->doc, pos, &n);
        return n > k && !memcmp(w + n - k, rules_str(s->r, x->arg), k);
    }
    case T_IN:
        return in_label(s->t, pos, x->arg, 0);
    case T_LABEL:
        return in_label(s->t, pos, x->arg, 1);
    case T_CONJ:
        return eval_conj(s, x, tk, pos);
    case T_NOT:
        return !eval_test(s, x->left, pos);
    case T_AND:
        return eval_test(s, x->left, pos) && eval_test(s, x->right, pos);
    default: /* T_OR */
        return eval_test(s, x->left, pos) || eval_test(s, x->right, pos);
    }
}

/* ------------------------------------------------------------ search */

static int better(const search *s, int32_t a, int32_t b)
{
    if (b < 0)
        return a >= 0;
    if (a < 0)
        return 0;
    return s->dir > 0 ? a > b : a < b;
}

static int label_in(const ruleset *r, const inst *in, uint32_t label)
{
    for (uint32_t i = 0; i < in->y; i++)
        if (r->labelsets.v[in->x + i] == label)
            return 1;
    return 0;
}

static int32_t best(search *s, uint32_t pc, uint32_t pos);
static int32_t best_fork(search *s, const inst *in, uint32_t pc,
                         uint32_t pos, uint32_t dist);

/* The best end through a whole annotation starting (or, backwards,
 * ending) at pos. */
static int32_t best_annot(search *s, const inst *in, uint32_t pc,
                          uint32_t pos, uint32_t *choice)
{
    const nertag_tagger *t = s->t;
    int32_t res = -1;
    if (s->dir > 0 ? pos >= s->hi : pos <= s->lo)
        return -1;
    uint32_t a = s->dir > 0 ? t->first_start.v[pos] : t->first_end.v[pos - 1];
    for (; a != NONE32; a = s->dir > 0 ? t->annots.v[a].next_start
                                       : t->annots.v[a].next_end) {
        const annot *an = &t->annots.v[a];
        if ((an->flags & AF_REMOVED) || !label_in(s->r, in, an->label) ||
            an->tend > s->hi || an->tstart < s->lo)
            continue;
        int32_t e = best(s, pc + 1, s->dir > 0 ? an->tend : an->tstart);
        if (better(s, e, res)) {
            res = e;
            *choice = a;
        }
    }
    return res;
}

/* The steps that only move along, TOKEN, SAVE and JMP, are followed in a
 * loop; the memo is kept where paths fork or join (SPLIT, ANNOT), which
 * is enough to bound the search and all that fill_captures reads back.
 * Every position reached is at most RULE_MAX_SPAN tokens from the anchor:
 * checked here on entry (an annotation moved it) and after each token. */
static int32_t best(search *s, uint32_t pc, uint32_t pos)
{
    const inst *code = s->r->code.v;
    int fwd = s->dir > 0;
    uint32_t dist = fwd ? pos - s->anchor : s->anchor - pos;
    if (dist > RULE_MAX_SPAN)
        return -1;
    for (;;) {
        const inst *in = &code[pc];
        switch (in->op) {
        case OP_MATCH:
            return (int32_t)pos;
        case OP_TOKEN:
            if (fwd ? pos >= s->hi || !eval_test(s, in->x, pos)
                    : pos <= s->lo || !eval_test(s, in->x, pos - 1))
                return -1;
            pos = fwd ? pos + 1 : pos - 1;
            if (++dist > RULE_MAX_SPAN)
                return -1;
            pc++;
            continue;
        case OP_JMP:
            pc = in->x;
            continue;
        case OP_SAVE:
            pc++;
            continue;
        case OP_PEEK:
            if (fwd ? pos >= s->hi || !eval_test(s, in->x, pos)
                    : pos <= s->lo || !eval_test(s, in->x, pos - 1))
                return -1;
            pc++;
            continue;
        default:
            return best_fork(s, in, pc, pos, dist);
        }
    }
}

/* One side of a SPLIT: a side that starts with a token step its token
 * fails ends here, without a search of its own (alternatives of words,
 * "Threat" "Labs" | "Red" "Team" | …, fail so on most tokens). */
static int32_t branch(search *s, uint32_t pc, uint32_t pos)
{
    const inst *in = &s->r->code.v[pc];
    if (in->op != OP_TOKEN)
        return best(s, pc, pos);
    if (s->dir > 0 ? pos >= s->hi || !eval_test(s, in->x, pos)
                   : pos <= s->lo || !eval_test(s, in->x, pos - 1))
        return -1;
    return best(s, pc + 1, s->dir > 0 ? pos + 1 : pos - 1);
}

/* SPLIT or ANNOT at (pc, pos): by distance, then step, so that the steps
 * tried at one token sit together. */
static int32_t best_fork(search *s, const inst *in, uint32_t pc,
                         uint32_t pos, uint32_t dist)
{
    memo *m = &s->ms->memo[(size_t)dist * s->pg->len + (pc - s->pg->start)];
    if (m->stamp == s->ms->stamp)
        return m->end;
    int32_t res;
    uint32_t choice = 0;
    if (in->op == OP_ANNOT) {
        res = best_annot(s, in, pc, pos, &choice);
    } else {
        int32_t a = branch(s, in->x, pos), b = branch(s, in->y, pos);
        choice = better(s, b, a);
        res = choice ? b : a;
    }
    m->stamp = s->ms->stamp;
    m->end = res;
    m->choice = choice;
    return res;
}

static int prepare(search *s, const program *pg)
{
    match_scratch *ms = s->ms;
    size_t need = (size_t)pg->len * (RULE_MAX_SPAN + 1);
    if (need > ms->memo_cap) {
        memo *m = calloc(need, sizeof *m);
        if (!m)
            return -1;
        free(ms->memo);
        ms->memo = m;
        ms->memo_cap = need;
        ms->stamp = 0;
    }
    if (++ms->stamp == 0) {   /* wrapped: clear the old stamps */
        memset(ms->memo, 0, ms->memo_cap * sizeof *ms->memo);
        ms->stamp = 1;
    }
    s->pg = pg;
    return 0;
}

/* Runs pg from anchor; returns the best end or -1 (-2 out of memory). */
static int32_t run(search *s, const program *pg, uint32_t anchor, int dir)
{
    if (prepare(s, pg) != 0)
        return -2;
    s->anchor = anchor;
    s->dir = dir;
    return best(s, pg->start, anchor);
}

/* Follows the choices of the last search to fill the captures. */
static void fill_captures(search *s, uint32_t pos)
{
    match_scratch *ms = s->ms;
    for (size_t i = 0; i < 2 * RULE_MAX_CAPTURES; i++)
        ms->caps[i] = NONE32;
    for (size_t i = 0; i < RULE_MAX_CAPTURES; i++)
        ms->cap_annot[i] = NONE32;
    uint32_t pc = s->pg->start;
    for (;;) {
        const inst *in = &s->r->code.v[pc];
        const memo *m = &ms->memo[(size_t)(pos - s->anchor) * s->pg->len +
                                  (pc - s->pg->start)];
        switch (in->op) {
        case OP_MATCH:
            return;
        case OP_TOKEN:
            pos++;
            pc++;
            break;
        case OP_ANNOT:
            if (in->slot != NONE32)
                ms->cap_annot[in->slot] = m->choice;
            pos = s->t->annots.v[m->choice].tend;
            pc++;
            break;
        case OP_SPLIT:
            pc = m->choice ? in->y : in->x;
            break;
        case OP_JMP:
            pc = in->x;
            break;
        case OP_PEEK:
            pc++;
            break;
        default: /* OP_SAVE */
            ms->caps[in->slot] = pos;
            pc++;
            break;
        }
    }
}

/* ------------------------------------------------------------ candidates */

/* Adds the rules of ph that start on key (kind, id); phases holds bit p
 * when some rule of phase p does (the quick test, phases 0-31). */
static int add_candidates(const ruleset *r, const phase *ph, uint32_t kind,
                          uint32_t id, uint32_t phases, u32_vec *out)
{
    uint32_t p = (uint32_t)(ph - r->phases.v);
    if (id == NONE32 || !ph->keys.count || (p < 32 && !(phases >> p & 1)))
        return 0;
    uint64_t key = (uint64_t)kind << 32 | id;
    uint32_t k = strtab_find(&ph->keys, (const char *)&key, sizeof key);
    if (k == STRTAB_NONE)
        return 0;
    for (uint32_t l = ph->key_first.v[k]; l != NONE32; l = ph->links.v[l + 1])
        if (u32_vec_push(out, ph->links.v[l]) != 0)
            return -1;
    return 0;
}

/* Can rule ru start on a token with these flags and COVER_* bits (or on
 * the annotation starting there)?  The quick test before its first step. */
static int may_start(const gate *ru, uint16_t flags, uint16_t cover,
                     int starts_annot)
{
    return ((flags & ru->first_flags) == ru->first_flags &&
            (cover & ru->first_cover) == ru->first_cover) ||
           (ru->first_annot && starts_annot);
}

/* The rules of ph that may start anywhere and can take a token with these
 * flags and COVER_* bits (or the annotation starting there), in this
 * document's language: they depend on nothing else, and documents have
 * few such sets, so each answer is kept (until the pool of answers grows
 * too large), in any_pool at *from, *n rules. */
#define MAX_ANY_POOL ((size_t)1 << 16)
static int anywhere_rules(nertag_tagger *t, const phase *ph, uint16_t flags,
                          uint16_t cover, int starts_annot, uint32_t *from,
                          uint32_t *n)
{
    const ruleset *r = t->model->rules;
    match_scratch *ms = t->match;
    uint64_t p = (uint64_t)(ph - r->phases.v), lang = (uint64_t)(t->lang + 2);
    uint64_t key = ((p << 6 | lang) << 33 | (uint64_t)starts_annot << 32 |
                    (uint64_t)cover << 16 | flags) + 1;
    any_entry *e = &ms->any_cache[(key * 0x9E3779B97F4A7C15ULL) >> 54];
    if (e->key == key) {
        *from = e->from;
        *n = e->n;
        return 0;
    }
    if (ms->any_pool.n > MAX_ANY_POOL) {
        memset(ms->any_cache, 0, sizeof ms->any_cache);
        ms->any_pool.n = 0;
    }
    e->key = 0;
    e->from = (uint32_t)ms->any_pool.n;
    for (size_t i = 0; i < ph->anywhere.n; i++) {
        /* most rules that may start anywhere need a capital, a digit or
         * an annotation around the token */
        const gate *g = &ms->gates.v[ph->anywhere.v[i]];
        if (!may_start(g, flags, cover, starts_annot) ||
            (g->lang >= 0 && g->lang != t->lang))
            continue;
        if (u32_vec_push(&ms->any_pool, ph->anywhere.v[i]) != 0)
            return -1;
    }
    e->n = (uint32_t)ms->any_pool.n - e->from;
    e->key = key;
    *from = e->from;
    *n = e->n;
    return 0;
}

/* The gates of the model's rules, once per tagger. */
static int make_gates(nertag_tagger *t)
{
    const ruleset *r = t->model->rules;
    match_scratch *ms = t->match;
    if (ms->gates.n == r->rules.n)
        return 0;
    if (gate_vec_reserve(&ms->gates, r->rules.n + 1) != 0)
        return -1;
    for (size_t i = 0; i < r->rules.n; i++) {
        const rule *ru = &r->rules.v[i];
        ms->gates.v[i] = (gate){ ru->need_lists, ru->need_labels,
                                 ru->need_far, ru->document_lists,
                                 ru->document_far, ru->first_test,
                                 (int16_t)ru->lang, ru->first_flags,
                                 ru->first_cover, ru->first_annot };
    }
    ms->gates.n = r->rules.n;
    return 0;
}

/* The keys of every label in every phase's index, looked up once per
 * tagger: annotations start rules on most tokens of a document. */
static int index_labels(nertag_tagger *t)
{
    const ruleset *r = t->model->rules;
    match_scratch *ms = t->match;
    size_t n = r->phases.n * r->nlabels;
    if (ms->label_keys.n == n || u32_vec_reserve(&ms->label_keys, n + 1) != 0)
        return ms->label_keys.n == n ? 0 : -1;
    for (size_t p = 0; p < r->phases.n; p++)
        for (uint32_t l = 0; l < r->nlabels; l++) {
            const phase *ph = &r->phases.v[p];
            uint64_t key = (uint64_t)KEY_LABEL << 32 | l;
            ms->label_keys.v[p * r->nlabels + l] = ph->keys.count
                ? strtab_find(&ph->keys, (const char *)&key, sizeof key)
                : STRTAB_NONE;
        }
    ms->label_keys.n = n;
    return 0;
}

/* Adds the rules of ph that start on an annotation of label l. */
static int add_label_candidates(const nertag_tagger *t, const phase *ph,
                                uint32_t l, u32_vec *out)
{
    const ruleset *r = t->model->rules;
    size_t p = (size_t)(ph - r->phases.v);
    if (l >= r->nlabels)
        return 0;
    uint32_t k = t->match->label_keys.v[p * r->nlabels + l];
    if (k == STRTAB_NONE)
        return 0;
    for (uint32_t e = ph->key_first.v[k]; e != NONE32; e = ph->links.v[e + 1])
        if (u32_vec_push(out, ph->links.v[e]) != 0)
            return -1;
    return 0;
}

/* The rules of ph that may start at token pos, sorted, without repeats. */
static int gather(nertag_tagger *t, const phase *ph, uint32_t pos,
                  u32_vec *out)
{
    const ruleset *r = t->model->rules;
    match_scratch *ms = t->match;
    const token *tk = &t->doc.tokens.v[pos];
    /* the rules indexed under the token: a handful, sorted by insertion */
    u32_vec *keyed = &ms->keyed;
    keyed->n = 0;
    const surface_info *si = token_surface(&t->doc, pos);
    if (add_candidates(r, ph, KEY_FORM, tk->norm_id, si->form.phases, keyed) ||
        add_candidates(r, ph, KEY_STEM, tk->stem_id, si->stem.phases, keyed))
        return -1;
    for (uint32_t a = t->first_start.v[pos]; a != NONE32;
         a = t->annots.v[a].next_start)
        if (!(t->annots.v[a].flags & AF_REMOVED) &&
            add_label_candidates(t, ph, t->annots.v[a].label, keyed) != 0)
            return -1;
    for (size_t i = 1; i < keyed->n; i++) {
        uint32_t x = keyed->v[i];
        size_t j = i;
        for (; j > 0 && keyed->v[j - 1] > x; j--)
            keyed->v[j] = keyed->v[j - 1];
        keyed->v[j] = x;
    }
    /* the rules that may start anywhere, sorted already */
    uint32_t from = 0, n = 0;
    int starts_annot = t->first_start.v[pos] != NONE32;
    if ((!ph->anywhere_flags || (tk->flags & ph->anywhere_flags)) &&
        anywhere_rules(t, ph, tk->flags, t->cover.v[pos], starts_annot,
                       &from, &n) != 0)
        return -1;
    /* both merged, without repeats */
    if (u32_vec_reserve(out, n + keyed->n) != 0)
        return -1;
    const uint32_t *any = n ? ms->any_pool.v + from : NULL;
    size_t i = 0, k = 0;
    out->n = 0;
    while (i < n || k < keyed->n) {
        uint32_t x = k >= keyed->n || (i < n && any[i] < keyed->v[k])
                     ? any[i++] : keyed->v[k++];
        if (!out->n || out->v[out->n - 1] != x)
            out->v[out->n++] = x;
    }
    return 0;
}

/* ------------------------------------------------------------ actions */

static void span_text(const nertag_tagger *t, uint32_t from, uint32_t to,
                      const char **s, size_t *n)
{
    *s = t->doc.text + t->doc.tokens.v[from].bstart;
    *n = t->doc.tokens.v[to - 1].bend - t->doc.tokens.v[from].bstart;
}

typedef struct fired {
    uint32_t rule;
    uint32_t start, end;
    uint32_t made;        /* annotation made by the mention action */
} fired;

/* The annotation with exactly the span [from, to) that no rule removed:
 * of an output type when there is one, else (with any_label) of any
 * label; NONE32 when none. */
static uint32_t span_annot(const nertag_tagger *t, uint32_t from, uint32_t to,
                           int any_label)
{
    uint32_t found = NONE32;
    for (uint32_t a = t->first_start.v[from]; a != NONE32;
         a = t->annots.v[a].next_start) {
        const annot *an = &t->annots.v[a];
        if (an->tend == to && !(an->flags & AF_REMOVED) &&
            (LABEL_IS_TYPE(an->label) ? found == NONE32 ||
                                        !LABEL_IS_TYPE(t->annots.v[found].label)
                                      : any_label && found == NONE32))
            found = a;
    }
    return found;
}

/* The annotation an action aims at through capture c: the one the capture
 * matched as a whole (<LABEL>), else the one with exactly its span. */
static uint32_t capture_annot(const nertag_tagger *t, uint32_t c)
{
    const match_scratch *ms = t->match;
    if (ms->cap_annot[c] != NONE32)
        return ms->cap_annot[c];
    uint32_t from = ms->caps[2 * c], to = ms->caps[2 * c + 1];
    if (from == NONE32 || to == NONE32 || from >= to)
        return NONE32;
    return span_annot(t, from, to, 1);
}

static int expand(nertag_tagger *t, const ruleset *r, const template_ *tp,
                  buf *out)
{
    const match_scratch *ms = t->match;
    buf_clear(out);
    for (uint32_t i = 0; i < tp->count; i++) {
        const piece *pc = &r->pieces.v[tp->first + i];
        if (pc->kind == P_TEXT) {
            if (buf_puts(out, rules_str(r, pc->arg)) != 0)
                return -1;
            continue;
        }
        uint32_t from = ms->caps[2 * pc->arg], to = ms->caps[2 * pc->arg + 1];
        if (from == NONE32 || to == NONE32 || from >= to)
            continue;
        uint32_t a = capture_annot(t, pc->arg);
        const annot *an = a == NONE32 ? NULL : &t->annots.v[a];
        const char *s = NULL;
        size_t n = 0;
        if (pc->kind == P_ID)
            s = an ? entity_id(t, &an->ent) : "";
        else if (pc->kind == P_FOR)
            s = an ? entity_for(t, &an->ent, an->label) : "";
        else if (pc->kind == P_CANONICAL && an)
            s = entity_canonical(t, &an->ent);
        if (s)
            n = strlen(s);
        else
            span_text(t, from, to, &s, &n);
        if (buf_append(out, s, n) != 0)
            return -1;
    }
    return buf_reserve(out, 0);
}

/* Sets one string field of annotation a from a template, if it has one. */
static int apply_template(nertag_tagger *t, const ruleset *r,
                          const template_ *tp, uint32_t a, size_t field)
{
    if (!tp->count)
        return 0;
    if (expand(t, r, tp, &t->scratch) != 0)
        return -1;
    uint32_t off = tagger_string(t, t->scratch.data, t->scratch.len);
    if (off == NONE32)
        return -1;
    *(uint32_t *)((char *)&t->annots.v[a] + field) = off;
    return 0;
}

/* Is the annotation a name of another type than label?  Naming a person
 * as a spokesperson refines the name, it does not contradict it. */
static int other_type(const annot *known, uint32_t label)
{
    return LABEL_IS_TYPE(known->label) && LABEL_IS_TYPE(label) &&
           known->label != label &&
           !(known->label == NERTAG_PERSON && label == NERTAG_SPOKESPERSON);
}

static void trace_kept(nertag_tagger *t, const rule *ru, uint32_t label,
                       uint32_t known);

/* Makes the mention of a rule; *made is NONE32 when the capture it is on
 * took no part in the match, or when the span is a known name of another
 * type.  Returns -1 out of memory.
 *
 * A rule that makes a mention of tokens (not of an annotation its pattern
 * matched as a whole, <LABEL>) over exactly the span of a name found
 * before, takes that name's entity.  When the name is of another type and
 * known (a gazetteer entry that no rule left ambiguous), the name stands
 * and the rule makes nothing: the rule read words ("Quai d'Orsay",
 * "Lazarus Group" by their head word), the entry is knowledge about this
 * very span.  An ambiguous alias, or a name an earlier rule only guessed
 * from the shape of words, is no such knowledge: the rule names something
 * new, as later phases refine earlier ones. */
static int act_mention(nertag_tagger *t, const rule *ru, const action *ac,
                       const fired *f, uint32_t *made)
{
    const ruleset *r = t->model->rules;
    const match_scratch *ms = t->match;
    uint32_t from = f->start, to = f->end, src;
    int by_span = 1;
    *made = NONE32;
    if (ac->capture != NONE32) {
        from = ms->caps[2 * ac->capture];
        to = ms->caps[2 * ac->capture + 1];
        if (from == NONE32 || to == NONE32 || from >= to)
            return 0;
        by_span = ms->cap_annot[ac->capture] == NONE32;
        src = capture_annot(t, ac->capture);
    } else {
        src = span_annot(t, from, to, 0);
    }
    if (by_span && src != NONE32 && other_type(&t->annots.v[src], ac->label)) {
        const annot *known = &t->annots.v[src];
        if (!(known->flags & AF_AMBIGUOUS) && known->ent.entry != NONE32) {
            trace_kept(t, ru, ac->label, src);
            return 0;
        }
        src = NONE32;
    }
    annot an;
    memset(&an, 0, sizeof an);
    an.tstart = from;
    an.tend = to;
    an.label = ac->label;
    an.flags = AF_RULE;
    an.alias = NONE32;
    an.ent = ENTITY_NONE;
    an.rule = (uint32_t)(ru - r->rules.v);
    if (src != NONE32) {
        /* a mention over one annotation keeps that annotation's entity */
        an.alias = t->annots.v[src].alias;
        an.ent = t->annots.v[src].ent;
    }
    if (src == NONE32 && !ru->canonical.count) {
        /* a new name: its text is its canonical name */
        const char *s;
        size_t n;
        span_text(t, from, to, &s, &n);
        if ((an.ent.canonical = tagger_string(t, s, n)) == NONE32)
            return -1;
    }
    uint32_t a = annot_add(t, &an);
    if (a == NONE32 ||
        apply_template(t, r, &ru->canonical, a,
                       offsetof(annot, ent) + offsetof(entity, canonical)) ||
        apply_template(t, r, &ru->id, a,
                       offsetof(annot, ent) + offsetof(entity, id)) ||
        apply_template(t, r, &ru->for_, a,
                       offsetof(annot, ent) + offsetof(entity, for_)))
        return -1;
    *made = a;
    return 0;
}

/* Declares the text of capture NEW a document alias of an entity: of the
 * annotation of capture OF when given (NEW then becomes a mention of it
 * too), else of the mention the rule made. */
static int act_alias(nertag_tagger *t, const action *ac, const fired *f)
{
    const match_scratch *ms = t->match;
    uint32_t from = ms->caps[2 * ac->capture], to = ms->caps[2 * ac->capture + 1];
    uint32_t of = ac->capture2 == NONE32 ? f->made
                                         : capture_annot(t, ac->capture2);
    /* only mentions have aliases: the later occurrences become mentions
     * of the same entity, so an annotation of another label ("mention =
     * NOUN_GROUP", a gazetteer DEMONYM) has none */
    if (from == NONE32 || to == NONE32 || from >= to || of == NONE32 ||
        !LABEL_IS_TYPE(t->annots.v[of].label))
        return 0;
    if (ac->capture2 != NONE32) {
        annot an = t->annots.v[of];
        an.tstart = from;
        an.tend = to;
        an.flags = AF_RULE;
        an.rule = f->rule;
        if ((of = annot_add(t, &an)) == NONE32)
            return -1;
    }
    const annot *an = &t->annots.v[of];
    doc_alias da;
    da.first_tok = (uint32_t)t->alias_ids.n;
    da.ntok = to - from;
    da.label = an->label;
    da.ent = an->ent;
    da.after = to;
    da.rule = f->rule;
    const char *s;
    size_t n;
    span_text(t, an->tstart, an->tend, &s, &n);
    da.source_text = tagger_string(t, s, n);
    da.source_ntok = an->tend - an->tstart;
    da.need_cap = (t->doc.tokens.v[from].flags & (TF_CAP | TF_UPPER)) != 0;
    if (da.source_text == NONE32)
        return -1;
    for (uint32_t i = from; i < to; i++) {
        size_t len;
        const char *norm = token_norm(&t->doc, i, &len);
        uint32_t off = tagger_string(t, norm, len);
        if (off == NONE32 || u32_vec_push(&t->alias_ids, off) != 0)
            return -1;
    }
    return doc_alias_vec_push(&t->doc_aliases, da);
}

static const char *rule_name(const nertag_tagger *t, uint32_t ri)
{
    const ruleset *r = t->model->rules;
    return rules_str(r, r->rules.v[ri].name);
}

static void trace_change(nertag_tagger *t, const char *what, uint32_t a,
                         uint32_t ri, uint32_t old_label)
{
    if (!t->trace)
        return;
    const annot *an = &t->annots.v[a];
    const char *s;
    size_t n;
    span_text(t, an->tstart, an->tend, &s, &n);
    const ruleset *r = t->model->rules;
    const rule *ru = &r->rules.v[ri];
    tagger_trace(t, "%s %s '%.*s' (%s%s%s) by rule %s (%s:%u)", what,
                 strtab_get(&t->model->labels, old_label), (int)n, s,
                 entity_canonical(t, &an->ent),
                 old_label != an->label ? " -> " : "",
                 old_label != an->label
                     ? strtab_get(&t->model->labels, an->label) : "",
                 rule_name(t, ri), strtab_get(&t->model->files, ru->file),
                 ru->line);
}

/* "kept GROUP 'Lazarus Group' (Lazarus Group) over ORG by rule …": a
 * rule's mention that a known name of the same span overrode. */
static void trace_kept(nertag_tagger *t, const rule *ru, uint32_t label,
                       uint32_t known)
{
    if (!t->trace)
        return;
    const annot *an = &t->annots.v[known];
    const char *s;
    size_t n;
    span_text(t, an->tstart, an->tend, &s, &n);
    const ruleset *r = t->model->rules;
    tagger_trace(t, "kept %s '%.*s' (%s) over %s by rule %s (%s:%u)",
                 strtab_get(&t->model->labels, an->label), (int)n, s,
                 entity_canonical(t, &an->ent),
                 strtab_get(&t->model->labels, label),
                 rules_str(r, ru->name), strtab_get(&t->model->files, ru->file),
                 ru->line);
}

static int apply(nertag_tagger *t, const rule *ru, fired *f)
{
    const ruleset *r = t->model->rules;
    for (uint32_t i = 0; i < ru->nactions; i++) {
        const action *ac = &r->actions.v[ru->first_action + i];
        if (ac->kind == A_MENTION) {
            if (act_mention(t, ru, ac, f, &f->made) != 0)
                return -1;
            if (f->made != NONE32)
                trace_change(t, "made", f->made, f->rule, ac->label);
            continue;
        }
        if (ac->kind == A_ALIAS) {
            if (act_alias(t, ac, f) != 0)
                return -1;
            continue;
        }
        uint32_t a = capture_annot(t, ac->capture);
        if (a == NONE32)
            continue;
        annot *an = &t->annots.v[a];
        uint32_t old = an->label;
        /* confirming what needs no confirmation changes nothing */
        if (ac->kind == A_CONFIRM && !(an->flags & AF_AMBIGUOUS))
            continue;
        if (ac->kind == A_RETYPE)
            an->label = ac->label;
        if (ac->kind == A_REMOVE)
            an->flags |= AF_REMOVED;
        else
            an->flags &= ~(uint32_t)AF_AMBIGUOUS;
        an->rule = f->rule;
        trace_change(t, ac->kind == A_REMOVE ? "removed"
                        : ac->kind == A_RETYPE ? "retyped" : "confirmed",
                     a, f->rule, old);
    }
    return u32_vec_push(&t->match->fired, f->rule);
}

/* ------------------------------------------------------------ phases */

static int contexts_hold(search *s, const rule *ru, uint32_t start,
                         uint32_t end)
{
    static const int dir[4] = { -1, +1, -1, +1 };
    for (int c = 0; c < 4; c++) {
        if (!ru->context[c].len)
            continue;
        int32_t e = run(s, &ru->context[c], c == CTX_BEFORE ||
                        c == CTX_NOT_BEFORE ? start : end, dir[c]);
        if (e == -2)
            return -1;
        int want = c == CTX_BEFORE || c == CTX_AFTER;
        if ((e >= 0) != want)
            return 0;
    }
    return 1;
}

/* Tries the candidate rules at pos; fills *f with the winner. */
static int match_at(nertag_tagger *t, search *s, uint32_t pos, fired *f)
{
    const ruleset *r = t->model->rules;
    const u32_vec *c = &t->match->cands;
    int found = 0;
    const match_scratch *ms = t->match;
    uint32_t sn = t->doc.tokens.v[pos].sentence;
    uint64_t lists = ms->sent_lists.v[sn], labels = ms->sent_labels.v[sn];
    uint64_t far = ms->sent_far.v[sn];
    uint16_t flags = t->doc.tokens.v[pos].flags, cover = t->cover.v[pos];
    int starts_annot = t->first_start.v[pos] != NONE32;
    for (size_t i = 0; i < c->n; i++) {
        const gate *g = &ms->gates.v[c->v[i]];
        if (g->lang >= 0 && g->lang != t->lang)
            continue;
        if ((g->document_lists | g->document_far) &&
            !(ms->doc_lists.near & g->document_lists) &&
            !(ms->doc_lists.far & g->document_far))
            continue;
        /* what the sentence lacks, no match of the rule can hold */
        if ((lists & g->need_lists) != g->need_lists ||
            (labels & g->need_labels) != g->need_labels ||
            (far & g->need_far) != g->need_far)
            continue;
        /* the quick tests: can its first step accept this token? */
        if (!may_start(g, flags, cover, starts_annot))
            continue;
        if (g->first_test != NONE32 && (pos >= s->hi ||
                                        !eval_test(s, g->first_test, pos)))
            continue;
        const rule *ru = &r->rules.v[c->v[i]];
        int32_t end = run(s, &ru->match, pos, +1);
        if (end == -2)
            return -1;
        if (end < 0)
            continue;
        uint32_t e = (uint32_t)end;
        if (found && (e < f->end || (e == f->end &&
                      ru->priority <= r->rules.v[f->rule].priority)))
            continue;
        int ok = contexts_hold(s, ru, pos, e);
        if (ok < 0)
            return -1;
        if (!ok)
            continue;
        found = 1;
        f->rule = c->v[i];
        f->start = pos;
        f->end = e;
    }
    return found;
}

/* A rule of phase bit that may start on any token with all of flags. */
typedef struct flag_trigger {
    uint32_t bit;
    uint16_t flags;
} flag_trigger;

#define MAX_FLAG_TRIGGERS 64

/* The flag triggers of the rules that may start anywhere, in the
 * document's language; phases where one of them starts on any token go to
 * *always, and those where one starts on any annotation to
 * ms->annot_phases.  Returns the number of triggers. */
static size_t flag_triggers(nertag_tagger *t, flag_trigger *out,
                            uint32_t *always)
{
    const ruleset *r = t->model->rules;
    size_t n = 0;
    *always = 0;
    t->match->annot_phases = 0;
    t->match->cover_phases = 0;
    for (size_t p = 0; p < r->phases.n && p < 32; p++) {
        const phase *ph = &r->phases.v[p];
        for (size_t i = 0; i < ph->anywhere.n; i++) {
            const rule *ru = &r->rules.v[ph->anywhere.v[i]];
            if (!rule_speaks(t, ru))
                continue;
            if (ru->first_annot)
                t->match->annot_phases |= 1u << p;
            size_t k = 0;
            while (k < n && !(out[k].bit == 1u << p &&
                              out[k].flags == ru->first_flags))
                k++;
            if (!ru->first_flags && (ru->first_cover & COVER_ALL))
                t->match->cover_phases |= 1u << p;   /* inside annotations */
            else if (!ru->first_flags || (k == n && n == MAX_FLAG_TRIGGERS))
                *always |= 1u << p;     /* (too many: visit every token) */
            else if (k == n)
                out[n++] = (flag_trigger){ 1u << p, ru->first_flags };
        }
    }
    return n;
}

/* The phases a token's flags let start, through the flag triggers: most
 * tokens share a few sets of flags, so the answers are kept by flags in a
 * small direct-mapped table. */
typedef struct flag_cache {
    uint32_t key[64];        /* flags + 1, or 0 when empty */
    uint32_t bits[64];
} flag_cache;

static uint32_t flag_phases(flag_cache *fc, const flag_trigger *ft,
                            size_t nft, uint16_t flags)
{
    size_t slot = (flags * 40503u >> 10) & 63;
    if (fc->key[slot] == (uint32_t)flags + 1)
        return fc->bits[slot];
    uint32_t bits = 0;
    for (size_t k = 0; k < nft; k++)
        if ((flags & ft[k].flags) == ft[k].flags)
            bits |= ft[k].bit;
    fc->key[slot] = (uint32_t)flags + 1;
    fc->bits[slot] = bits;
    return bits;
}

/* For each phase (the first 32), a bit per token where its rules may start
 * by the token's word, its stem or its flags, in ms->phase_starts (phase p
 * at p * words); annotations are added phase by phase (mark_starts). */
static int token_triggers(nertag_tagger *t)
{
    match_scratch *ms = t->match;
    size_t nph = t->model->rules->phases.n < 32 ? t->model->rules->phases.n
                                                : 32;
    size_t words = (t->doc.tokens.n + 63) / 64;
    if (u64_vec_reserve(&ms->phase_starts, nph * words + 1) != 0)
        return -1;
    ms->phase_starts.n = nph * words;
    memset(ms->phase_starts.v, 0, nph * words * sizeof(uint64_t));
    flag_trigger ft[MAX_FLAG_TRIGGERS];
    flag_cache fc;
    memset(fc.key, 0, sizeof fc.key);
    uint32_t always;
    size_t nft = flag_triggers(t, ft, &always);
    for (size_t i = 0; i < t->doc.tokens.n; i++) {
        const token *tk = &t->doc.tokens.v[i];
        const surface_info *si = token_surface(&t->doc, i);
        uint32_t bits = always | si->form.phases | si->stem.phases |
                        flag_phases(&fc, ft, nft, tk->flags);
        for (; bits; bits &= bits - 1) {
            size_t p = (size_t)__builtin_ctz(bits);
            if (p < nph)
                ms->phase_starts.v[p * words + i / 64] |=
                    (uint64_t)1 << (i % 64);
        }
    }
    return 0;
}

/* Marks in ms->starts the tokens where a rule of phase p may start: by
 * the token itself (token_triggers) or by an annotation starting there. */
static int mark_starts(nertag_tagger *t, uint32_t p)
{
    const ruleset *r = t->model->rules;
    match_scratch *ms = t->match;
    size_t words = (t->doc.tokens.n + 63) / 64;
    if (u64_vec_reserve(&ms->starts, words + 1) != 0)
        return -1;
    ms->starts.n = words;
    if (p >= 32)
        memset(ms->starts.v, 0xFF, words * sizeof *ms->starts.v);
    else
        memcpy(ms->starts.v, ms->phase_starts.v + (size_t)p * words,
               words * sizeof *ms->starts.v);
    int inside = p < 32 && (ms->cover_phases >> p & 1);
    for (size_t k = 0; k < t->annots.n; k++) {
        const annot *a = &t->annots.v[k];
        if (a->flags & AF_REMOVED)
            continue;
        if (a->label < r->nlabels &&
            (p >= 32 || (r->label_phases[a->label] >> p & 1) ||
             (ms->annot_phases >> p & 1)))
            ms->starts.v[a->tstart / 64] |= (uint64_t)1 << (a->tstart % 64);
        for (uint32_t i = a->tstart; inside && i < a->tend; i++)
            ms->starts.v[i / 64] |= (uint64_t)1 << (i % 64);
    }
    return 0;
}

/* The first marked token at or after pos, or n. */
static uint32_t next_start(const match_scratch *ms, uint32_t pos, uint32_t n)
{
    size_t w = pos / 64;
    if (pos >= n)
        return n;
    uint64_t bits = ms->starts.v[w] & (~(uint64_t)0 << (pos % 64));
    while (!bits) {
        if (++w >= ms->starts.n)
            return n;
        bits = ms->starts.v[w];
    }
    uint32_t next = (uint32_t)(w * 64 + (size_t)__builtin_ctzll(bits));
    return next < n ? next : n;
}

/* The tokens of each sentence: [first, end), by sentence number. */
static int sentence_bounds(nertag_tagger *t)
{
    match_scratch *ms = t->match;
    size_t ns = ms->sent_lists.n;
    if (u32_vec_reserve(&ms->sent_first, ns + 1) != 0 ||
        u32_vec_reserve(&ms->sent_end, ns + 1) != 0)
        return -1;
    ms->sent_first.n = ms->sent_end.n = ns;
    for (uint32_t i = 0; i < t->doc.tokens.n; i++) {
        uint32_t sn = t->doc.tokens.v[i].sentence;
        if (i == 0 || t->doc.tokens.v[i - 1].sentence != sn)
            ms->sent_first.v[sn] = i;
        ms->sent_end.v[sn] = i + 1;
    }
    return 0;
}

static int run_phase(nertag_tagger *t, const phase *ph)
{
    const ruleset *r = t->model->rules;
    match_scratch *ms = t->match;
    search s = { t, r, NULL, 0, 1, 0, 0, ms };
    uint32_t n = (uint32_t)t->doc.tokens.n;
    if (mark_starts(t, (uint32_t)(ph - r->phases.v)) != 0)
        return -1;
    /* only the tokens where some rule may start are visited */
    for (uint32_t pos = next_start(ms, 0, n); pos < n;) {
        /* the sentence bounds every match */
        uint32_t sent = t->doc.tokens.v[pos].sentence;
        s.lo = ms->sent_first.v[sent];
        s.hi = ms->sent_end.v[sent];
        if (gather(t, ph, pos, &ms->cands) != 0)
            return -1;
        fired f = { NONE32, 0, 0, NONE32 };
        int found = ms->cands.n ? match_at(t, &s, pos, &f) : 0;
        if (found < 0)
            return -1;
        if (found) {
            /* the captures of the winner: search it once more */
            const rule *ru = &r->rules.v[f.rule];
            if (run(&s, &ru->match, pos, +1) < 0)
                return -1;
            fill_captures(&s, pos);
            if (apply(t, ru, &f) != 0)
                return -1;
            pos = f.end > pos ? f.end : pos + 1;
        } else {
            pos++;
        }
        pos = next_start(ms, pos, n);
    }
    return 0;
}

/* The far_lists slots of token i's word, kept by surface for its
 * language (surfaces last from one document to the next). */
static uint64_t far_lists_of(nertag_tagger *t, size_t i)
{
    const ruleset *r = t->model->rules;
    match_scratch *ms = t->match;
    const token *tk = &t->doc.tokens.v[i];
    uint8_t lang = (uint8_t)(t->lang + 2);
    if (ms->far_lang.v[tk->surface] == lang)
        return ms->far_bits.v[tk->surface];
    uint64_t bits = 0;
    for (size_t slot = 0; slot < r->far_lists.n; slot++) {
        uint32_t list = r->far_lists.v[slot];
        uint32_t id = r->lists.v[list].by_stem ? tk->stem_id : tk->norm_id;
        uint64_t key = (uint64_t)list << 32 | id;
        if (id != NONE32 && strtab_find(&r->members, (const char *)&key,
                                        sizeof key) != STRTAB_NONE)
            bits |= (uint64_t)1 << slot;
    }
    ms->far_bits.v[tk->surface] = bits;
    ms->far_lang.v[tk->surface] = lang;
    return bits;
}

/* Room for the far lists of every surface; a table of surfaces that was
 * emptied (too many) starts them again. */
static int far_lists_room(nertag_tagger *t)
{
    match_scratch *ms = t->match;
    size_t n = t->doc.surfaces.count;
    if (n < ms->far_lang.n)
        ms->far_lang.n = 0;
    if (u64_vec_reserve(&ms->far_bits, n + 1) != 0 ||
        u8_vec_reserve(&ms->far_lang, n + 1) != 0)
        return -1;
    memset(ms->far_lang.v + ms->far_lang.n, 0, n - ms->far_lang.n);
    ms->far_lang.n = ms->far_bits.n = n;
    return 0;
}

/* The lists the words of each sentence are in (once per document). */
static int sentence_lists(nertag_tagger *t)
{
    match_scratch *ms = t->match;
    size_t ns = t->doc.tokens.n ? t->doc.tokens.v[t->doc.tokens.n - 1].sentence + 1 : 0;
    if (u64_vec_reserve(&ms->sent_lists, ns + 1) != 0 ||
        u64_vec_reserve(&ms->sent_labels, ns + 1) != 0 ||
        u64_vec_reserve(&ms->sent_far, ns + 1) != 0)
        return -1;
    ms->sent_lists.n = ms->sent_labels.n = ms->sent_far.n = ns;
    memset(ms->sent_lists.v, 0, ns * sizeof *ms->sent_lists.v);
    memset(ms->sent_far.v, 0, ns * sizeof *ms->sent_far.v);
    ms->doc_lists = t->known_lists;
    for (size_t i = 0; i < t->doc.tokens.n; i++) {
        const token *tk = &t->doc.tokens.v[i];
        const surface_info *si = token_surface(&t->doc, i);
        uint64_t b = si->form.lists | si->stem.lists;
        ms->sent_lists.v[tk->sentence] |= b;
        ms->doc_lists.near |= b;
    }
    if (!t->model->rules->far_lists.n)
        return 0;
    if (far_lists_room(t) != 0)
        return -1;
    for (size_t i = 0; i < t->doc.tokens.n; i++) {
        uint64_t b = far_lists_of(t, i);
        ms->sent_far.v[t->doc.tokens.v[i].sentence] |= b;
        ms->doc_lists.far |= b;
    }
    return 0;
}

/* The labels of the annotations of each sentence (once per phase). */
static void sentence_labels(nertag_tagger *t)
{
    match_scratch *ms = t->match;
    memset(ms->sent_labels.v, 0, ms->sent_labels.n * sizeof(uint64_t));
    for (size_t i = 0; i < t->annots.n; i++) {
        const annot *a = &t->annots.v[i];
        if (a->label < 64 && !(a->flags & AF_REMOVED))
            ms->sent_labels.v[t->doc.tokens.v[a->tstart].sentence] |=
                (uint64_t)1 << a->label;
    }
}

int rules_apply(nertag_tagger *t, nertag_error *err)
{
    const ruleset *r = t->model->rules;
    if (!t->match && !(t->match = calloc(1, sizeof *t->match)))
        goto nomem;
    t->match->fired.n = 0;
    if (!r)
        return 0;
    if (make_gates(t) != 0 || index_labels(t) != 0 || sentence_lists(t) != 0 ||
        sentence_bounds(t) != 0 || token_triggers(t) != 0)
        goto nomem;
    for (size_t i = 0; i < r->phases.n; i++) {
        if (annot_reindex(t) != 0)
            goto nomem;
        sentence_labels(t);
        if (run_phase(t, &r->phases.v[i]) != 0)
            goto nomem;
    }
    return annot_reindex(t) == 0 ? 0 : (err_set(err, NERTAG_ERR_NOMEM,
                                                "out of memory"), -1);
nomem:
    err_set(err, NERTAG_ERR_NOMEM, "out of memory");
    return -1;
}

doc_lists rules_document_lists(const nertag_tagger *t)
{
    return t->match ? t->match->doc_lists : (doc_lists){ 0, 0 };
}

int tagger_rule_fired(const nertag_tagger *t, uint32_t rule_index)
{
    for (size_t i = 0; t->match && i < t->match->fired.n; i++)
        if (t->match->fired.v[i] == rule_index)
            return 1;
    return 0;
}
