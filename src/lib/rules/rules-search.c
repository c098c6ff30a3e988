/* rules-search.c - one pattern matched from one token: its token tests
 * and the memoized search of its program.
 *
 * A program (compiled by rules-compile.c) is a list of steps: token and
 * annotation steps, splits, jumps, capture saves.  The search over (step,
 * token) pairs keeps, at the steps where paths fork or join, the best end
 * found from each pair, so that a pattern never takes more than (steps x
 * RULE_MAX_SPAN) evaluations whatever its repetitions, and it returns the
 * longest match.
 */
#include "lib/rules/rules-run.h"

#include <string.h>

void search_memo_free(search_memo *m)
{
    if (!m)
        return;
    free(m->memo);
    ends_memo_vec_free(&m->ends);
    surface_facts_vec_free(&m->facts);
    free(m->list_bits);
}

/* ------------------------------------------------------------ token tests */

/* Is token pos inside an annotation of label (any type for NONE32)?
 * Ambiguous gazetteer matches count only with any_flag, and then
 * label=any means any annotation at all.  Types are read from the
 * coverage bits; other labels are searched among the annotations that
 * start close enough before pos to cover it. */
static int in_label(const search *sr, uint32_t pos, uint32_t label,
                    int any_flag)
{
    const nertag_tagger *t = sr->t;
    uint16_t cover = t->cover.v[pos];
    if (label == NONE32)
        return (cover & (any_flag ? COVER_ANY : COVER_ANY_TYPE)) != 0;
    if (LABEL_IS_TYPE(label))
        return (cover & (any_flag ? (unsigned)COVER_AMBIGUOUS_TYPE << label
                                  : 1u << label)) != 0;
    /* a label the sentence has nowhere covers none of its tokens */
    if (!(cover & COVER_ANY) || (label < 64 && !(sr->labels >> label & 1)))
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

/* The bit of list (past the first 64) in each surface's facts: given on
 * its first test, while bits are left; -1 for none. */
static int list_bit(const search *s, uint32_t list)
{
    search_memo *sm = s->sm;
    if (!sm->list_bits &&
        !(sm->list_bits = calloc(s->r->lists.n, sizeof *sm->list_bits)))
        return -1;   /* no memo: the member table is asked each time */
    if (!sm->list_bits[list] && sm->list_bits_used < 64)
        sm->list_bits[list] = (uint8_t)++sm->list_bits_used;
    return (int)sm->list_bits[list] - 1;
}

/* Is token pos, by its word or its stem, in the list?  The lists past
 * the first 64 are not in the surface's bits: their table of members is
 * asked once per surface and list (the surface's facts keep the answer). */
static int list_has(const search *s, uint32_t list, uint32_t pos)
{
    const word_list *l = &s->r->lists.v[list];
    const surface_info *si = token_surface(&s->t->doc, pos);
    if (list < 64)
        return (l->by_stem ? si->stem_lists : si->form_lists) >> list & 1;
    const token *tk = &s->t->doc.tokens.v[pos];
    int b = list_bit(s, list);
    surface_facts *f = surface_facts_of(s->sm, tk->surface, s->t->lang);
    uint64_t bit = b >= 0 ? (uint64_t)1 << b : 0;
    if (f->lists_known & bit)
        return (f->lists_yes & bit) != 0;
    uint32_t id = l->by_stem ? tk->stem_id : tk->norm_id;
    uint64_t key = (uint64_t)list << 32 | id;
    int yes = id != NONE32 && strtab_find(&s->r->members, (const char *)&key,
                                          sizeof key) != STRTAB_NONE;
    f->lists_known |= bit;
    if (yes)
        f->lists_yes |= bit;
    return yes;
}


/* Of phases (bits), those whose index lists rules of language lang under
 * key (kind, id). */
static uint32_t phases_in_language(const ruleset *r, uint32_t phases,
                                   uint32_t kind, int lang, uint32_t id)
{
    uint64_t key = phase_key(kind, lang, id);
    for (uint32_t bits = phases; bits; bits &= bits - 1) {
        uint32_t p = (uint32_t)__builtin_ctz(bits);
        if (strtab_find(&r->phases.v[p].keys, (const char *)&key,
                        sizeof key) == STRTAB_NONE)
            phases &= ~((uint32_t)1 << p);
    }
    return phases;
}

word_facts rules_word_facts(const ruleset *r, uint32_t lexicon_id,
                            int by_stem, int lang)
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
        /* the phases of rules of any language, then of lang's */
        f.phases = phases_in_language(r, by_stem ? w->stem_phases
                                                 : w->form_phases,
                                      by_stem ? KEY_STEM : KEY_FORM, lang,
                                      lexicon_id);
    }
    return f;
}

/* Does the token pass the masks of conjunction x?  Its test left, when
 * it has one, is then the caller's to run. */
static int conj_masks(const search *s, const test *x, const token *tk,
                      uint32_t pos)
{
    uint16_t cover = s->t->cover.v[pos];
    if ((tk->flags & x->need) != x->need || (tk->flags & x->forbid) ||
        (cover & x->cover_need) != x->cover_need || (cover & x->cover_forbid))
        return 0;
    const surface_info *si = token_surface(&s->t->doc, pos);
    if (x->form_in | x->form_out) {
        uint64_t b = si->form_lists;
        if ((b & x->form_in) != x->form_in || (b & x->form_out))
            return 0;
    }
    if (x->stem_in | x->stem_out) {
        uint64_t b = si->stem_lists;
        if ((b & x->stem_in) != x->stem_in || (b & x->stem_out))
            return 0;
    }
    return 1;
}

int surface_has_ending(const document *d, uint32_t s, const char *ending)
{
    const surface_info *si = &d->surface_info.v[s];
    size_t k = strlen(ending), n = si->norm_len;
    return n > k && memcmp(d->forms.data + surface_norm_off(si) + n - k,
                           ending, k) == 0;
}

/* Whether token pos ends with the ending of test x: tried once per
 * distinct word and ending, since a rule may test dozens of endings on
 * every token and most tokens repeat an earlier word. */
static int ends_with(const search *s, const test *x, uint32_t pos)
{
    const document *d = &s->t->doc;
    uint32_t surface = d->tokens.v[pos].surface;
    ends_memo *em = &s->sm->ends.v[surface];
    uint32_t w = x->arg2 < ENDS_BITS ? x->arg2 / 64 : 0;
    uint64_t bit = x->arg2 < ENDS_BITS ? (uint64_t)1 << (x->arg2 % 64) : 0;
    if (em->known[w] & bit)
        return (em->yes[w] & bit) != 0;
    int yes = surface_has_ending(d, surface, rules_str(s->r, x->arg));
    em->known[w] |= bit;
    if (yes)
        em->yes[w] |= bit;
    return yes;
}

/* Whether token pos has one of the endings of T_ENDINGS x: from the
 * memo once the word has been tried on all of them. */
static int ends_with_any(const search *s, const test *x, uint32_t pos)
{
    const ends_memo *em = &s->sm->ends.v[s->t->doc.tokens.v[pos].surface];
    uint64_t mask = (uint64_t)x->arg2 << 32 | x->arg;
    if (em->yes[x->ends_word] & mask)
        return 1;
    if ((em->known[x->ends_word] & mask) == mask)
        return 0;
    return search_test(s, x->left, pos) || search_test(s, x->right, pos);
}

/* Is id among the n sorted ids? */
static int in_form_set(const uint32_t *ids, uint32_t n, uint32_t id)
{
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && ids[lo] == id;
}

/* Is token tk's text the exact word of T_WORD x?  The exact text has the
 * folded form arg2: most tokens fail on it before their bytes are
 * compared. */
static int same_word(const search *s, const test *x, const token *tk)
{
    if (tk->norm_id != x->arg2)
        return 0;
    const char *w = rules_str(s->r, x->arg);
    size_t n = tk->bend - tk->bstart;
    return strlen(w) == n && memcmp(w, s->t->doc.text + tk->bstart, n) == 0;
}

/* The right-hand test of an and, an or and a conjunction is run in the
 * same call, by a loop: lists of alternatives ("a" | @b | ends="c") are
 * long, and most tests are answered in a few instructions. */
int search_test(const search *s, uint32_t ti, uint32_t pos)
{
    const token *tk = &s->t->doc.tokens.v[pos];
    for (;;) {
        const test *x = &s->r->tests.v[ti];
        /* conjunctions and alternatives, three tests in five, before the
         * switch: compares the processor predicts better than its jump */
        if (x->kind == T_CONJ) {
            if (!conj_masks(s, x, tk, pos))
                return 0;
            if (x->left == NONE32)
                return 1;
            ti = x->left;
            continue;
        }
        if (x->kind == T_OR) {
            if (search_test(s, x->left, pos))
                return 1;
            ti = x->right;
            continue;
        }
        switch (x->kind) {
        case T_TRUE:
            return 1;
        case T_FLAGS:
            return (tk->flags & x->arg) == x->arg;
        case T_FORM:
            return tk->norm_id == x->arg;
        case T_FORMS:
            return in_form_set(s->r->form_sets.v + x->arg, x->arg2,
                               tk->norm_id);
        case T_WORD:
            return same_word(s, x, tk);
        case T_STEM:
            return tk->stem_id != NONE32 && s->t->lang >= 0 &&
                   tk->stem_id == s->r->stems.v[x->arg +
                                                (uint32_t)s->t->lang];
        case T_LIST:
            return list_has(s, x->arg, pos);
        case T_ENDS:
            return ends_with(s, x, pos);
        case T_ENDINGS:
            return ends_with_any(s, x, pos);
        case T_IN:
            return in_label(s, pos, x->arg, 0);
        case T_LABEL:
            return in_label(s, pos, x->arg, 1);
        case T_NOT:
            return !search_test(s, x->left, pos);
        case T_AND:
            if (!search_test(s, x->left, pos))
                return 0;
            ti = x->right;
            break;
        default:   /* T_CONJ and T_OR, asked above */
            return 0;
        }
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

/* Does the token next to pos, in the search's direction, pass test ti? */
static inline int next_token_passes(const search *s, uint32_t ti,
                                    uint32_t pos)
{
    if (s->dir > 0)
        return pos < s->hi && search_test(s, ti, pos);
    return pos > s->lo && search_test(s, ti, pos - 1);
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
            if (!next_token_passes(s, in->x, pos))
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
            if (!next_token_passes(s, in->x, pos))
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
    if (!next_token_passes(s, in->x, pos))
        return -1;
    return best(s, pc + 1, s->dir > 0 ? pos + 1 : pos - 1);
}

/* SPLIT or ANNOT at (pc, pos): by distance, then step, so that the steps
 * tried at one token sit together. */
static int32_t best_fork(search *s, const inst *in, uint32_t pc,
                         uint32_t pos, uint32_t dist)
{
    memo *m = &s->sm->memo[(size_t)dist * s->pg->len + (pc - s->pg->start)];
    if (m->stamp == s->sm->stamp)
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
    m->stamp = s->sm->stamp;
    m->end = res;
    m->choice = choice;
    return res;
}

/* The memo of a new search; inline in both ways to start one, since a
 * document makes thousands of short searches. */
static inline int prepare(search *s, const program *pg)
{
    search_memo *ms = s->sm;
    size_t need = (size_t)pg->len * (RULE_MAX_SPAN + 1);
    if (need > ms->cap) {
        memo *m = calloc(need, sizeof *m);
        if (!m)
            return -1;
        free(ms->memo);
        ms->memo = m;
        ms->cap = need;
        /* the stamps go on: a search is known by its stamp (run_phase) */
    }
    if (++ms->stamp == 0) {   /* wrapped: clear the old stamps */
        memset(ms->memo, 0, ms->cap * sizeof *ms->memo);
        ms->stamp = 1;
    }
    s->pg = pg;
    return 0;
}

/* Runs pg from anchor; returns the best end or -1 (-2 out of memory). */
int32_t search_run(search *s, const program *pg, uint32_t anchor, int dir)
{
    if (prepare(s, pg) != 0)
        return -2;
    s->anchor = anchor;
    s->dir = dir;
    return best(s, pg->start, anchor);
}

/* search_run forwards from anchor, whose token passed test first already
 * (the quick test of match_at): when the program starts with that step
 * (after its saves, which only the captures read), the search starts past
 * it. */
int32_t search_run_tested(search *s, const program *pg, uint32_t anchor,
                          uint32_t first)
{
    if (prepare(s, pg) != 0)
        return -2;
    s->anchor = anchor;
    s->dir = +1;
    uint32_t pc = pg->start;
    while (s->r->code.v[pc].op == OP_SAVE)
        pc++;
    const inst *in = &s->r->code.v[pc];
    if (first != NONE32 && in->op == OP_TOKEN && in->x == first)
        return best(s, pc + 1, anchor + 1);
    return best(s, pg->start, anchor);
}

/* Follows the choices of the last search to fill the captures. */
void search_captures(search *s, uint32_t pos)
{
    search_memo *ms = s->sm;
    for (size_t i = 0; i < 2 * RULE_MAX_CAPTURES; i++)
        ms->caps.pos[i] = NONE32;
    for (size_t i = 0; i < RULE_MAX_CAPTURES; i++)
        ms->caps.annot[i] = NONE32;
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
                ms->caps.annot[in->slot] = m->choice;
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
            ms->caps.pos[in->slot] = pos;
            pc++;
            break;
        }
    }
}

