/* rules-match.c - running the phases of rules over a document.
 *
 * Within a phase, tokens are visited left to right.  At each token only the
 * rules whose first step can accept it are tried (the phase index of
 * rules-index.c and the gates of rules-gates.c, both built with the
 * rules), and of those only the ones the sentence allows by the words,
 * lists and labels they need: sets of the phase's rules, one bit each,
 * or-ed and and-ed.  Each is matched by the search of rules-search.c.
 *
 * Of the rules that match at a token, the longest match wins, then the
 * higher priority, then the rule written first; its actions are applied
 * (rules-act.c) and the scan resumes after the match.  Annotations a
 * phase creates become visible to the next phase.
 */
#include "lib/inspect.h"
#include "lib/rules/rules-run.h"

#include <stdio.h>
#include <string.h>

/* The rules of a phase that speak the document's language, numbered in
 * their order (local numbers): a set of them is a bit set of `words`
 * 64-bit words.  The sets a sentence is tested against are made once per
 * tagger and language (phase_sets), in set_bits at these offsets. */
typedef struct phase_set {
    uint32_t n, words;
    uint32_t rules;       /* local_rules[rules + k]: the rule of number k */
    uint32_t all;         /* the set of them all */
    uint32_t checked;     /* those with words or document lists to check
                             in each sentence (sentence_allows) */
    uint32_t keys;        /* in key_words: where the words of the rules
                             under each key of the phase's index start */
    uint32_t need_label, need_list, need_far;  /* 64 sets each: the rules
                             that need label, list or far slot b */
    uint64_t labels, lists, far;  /* what some rule of the phase needs */
    uint16_t any_flags, any_cover;  /* the token flags and COVER_* bits
                             that the first steps of its rules that may
                             start anywhere test */
} phase_set;
VEC_DECLARE(phase_set_vec, phase_set);

/* A set of rules that holds few of them, by the words that have one:
 * the rules indexed under a key, those that may start anywhere. */
typedef struct set_word {
    uint64_t bits;
    uint32_t w;           /* the word's number in the set */
} set_word;
VEC_DECLARE(set_word_vec, set_word);

/* A rule of phase bit that may start on any token with all of flags. */
typedef struct flag_trigger {
    uint32_t bit;
    uint16_t flags;
    uint16_t forbid;      /* and none of these */
} flag_trigger;

#define MAX_FLAG_TRIGGERS 64

/* The phases a token's flags let start, through the flag triggers: most
 * tokens share a few sets of flags, so the answers are kept by flags in a
 * small direct-mapped table (flag_phases). */
#define FLAG_CACHE_SLOTS 256
typedef struct flag_cache {
    uint32_t key[FLAG_CACHE_SLOTS];   /* flags + 1, or 0 when empty */
    uint32_t bits[FLAG_CACHE_SLOTS];
} flag_cache;

/* The flag triggers of one language (flag_triggers), and the answers
 * drawn from them: they depend on the model and the language only, and
 * are kept from document to document. */
typedef struct trigger_set {
    int lang_key;         /* language + 2, or 0 when not computed */
    size_t n;
    uint32_t always;      /* phases started on every token */
    uint32_t annot_phases, cover_phases;
    flag_trigger ft[MAX_FLAG_TRIGGERS];
    flag_cache cache;
} trigger_set;

/* What a token offers the keys of a gate (sentence_has_words, per
 * token): the lists its word is in (the first 64, then by far_lists
 * slot) and the bits of its folded form and stem (word_bit; NO_WORD_BIT
 * for none). */
typedef struct token_keys {
    uint64_t lists, far;
    uint32_t form_bit, stem_bit;
} token_keys;
VEC_DECLARE(token_keys_vec, token_keys);
#define NO_WORD_BIT 0xFFFFFFFFu

/* The sets of rules that may start anywhere, kept by their phase and the
 * token's flags, COVER_* bits and annotation start: a language has a few
 * hundred of them; a slot holds the last one of its hash. */
#define ANY_CACHE_BITS 11
#define ANY_CACHE_SLOTS (1u << ANY_CACHE_BITS)
typedef struct any_entry {
    uint64_t key;         /* phase, annotation start, cover and flags, + 1;
                             0 empty */
    uint32_t from, n;     /* in any_words */
} any_entry;

/* The sets of rules that sentences allow (allow_sentence), kept by what
 * the rules of a phase need of them. */
#define ALLOW_CACHE_BITS 9
#define ALLOW_CACHE_SLOTS (1u << ALLOW_CACHE_BITS)
typedef struct allow_entry {
    uint64_t labels, lists, far;
    uint32_t phase;
    uint32_t set;         /* in allow_bits, + 1; 0 empty */
} allow_entry;

struct match_scratch {
    search_memo search;   /* of every pattern search */
    u32_vec fired;        /* rules that fired in the current document */
    u64_vec sent_lists;   /* per sentence: the lists its words are in */
    u64_vec sent_far;     /* and the far_lists slots */
    u64_vec sent_labels;  /* per sentence: labels of its annotations */
    u32_vec sent_span;    /* and the length of the longest, in tokens */
    u64_vec phase_starts; /* per phase p < 32, a bit per token: its rules
                             may start on the token's word, stem or flags */
    uint32_t annot_phases;  /* phases where a rule may start on any
                               annotation */
    uint32_t cover_phases;  /* phases where a rule may start on any token
                               inside an annotation (label=, in=) */
    doc_lists doc_lists;  /* the lists the document's words are in */
    uint32_t surfaces_forgotten;  /* the document's, when search.facts
                                     and search.ends were made */
    u64_vec far_words;    /* by lexicon id, a bit: the word is a member of
                             some list past the first 64 (built once) */
    u64_vec starts;       /* bit per token: a rule of the phase may start */
    u32_vec sent_first, sent_end;  /* per sentence: its tokens */
    phase_set_vec sets;   /* by phase, for the language sets_lang */
    u64_vec set_bits;     /* the sets of phase_set */
    u32_vec local_rules;  /* rule by local number (phase_set.rules) */
    u32_vec local_of;     /* by rule: its local number, or NONE32 when it
                             does not speak the language */
    int sets_lang;        /* language + 2 of sets, 0 when not made */
    any_entry any_cache[ANY_CACHE_SLOTS];  /* kept while the language
                                              stays */
    set_word_vec any_words;  /* the sets of any_cache */
    set_word_vec key_sets;   /* the sets of rules under each key of each
                                phase's index, in the language */
    u32_vec key_words;    /* where the set of a key starts in key_sets
                             (phase_set.keys), and the end of the last */
    allow_entry allow_cache[ALLOW_CACHE_SLOTS];  /* the same */
    u64_vec allow_bits;   /* the sets of allow_cache */
    uint32_t allowed;     /* in allow_bits: the set the current sentence
                             allows */
    u64_vec cand;         /* the candidates at the current token: a set, */
    u64_vec cand_words;   /* and a bit per word of it that has one */
    trigger_set triggers; /* of the last language tagged */
    u64_vec sent_words;   /* per sentence, SENT_WORD_BITS bits: the folded
                             forms and stems of its words, hashed */
    token_keys_vec tok_keys;  /* per token: the same, of the token alone */
    u32_vec verdicts;     /* by rule: sentence_allows's answer (low bit)
                             and the verdict_stamp it was given under */
    uint32_t verdict_stamp; /* changes with the sentence and the phase */
    uint64_t keyed_ends[ENDS_WORDS];  /* the endings rules of the language
                                         start on (ruleset.ends_phases) */
    int keyed_ends_lang;  /* their language + 2, 0 when not known */
    int any_keyed_ends;
    u32_vec label_keys;   /* phase p, label l at p * nlabels + l: the key of
                             (KEY_LABEL, l) in p's index, or NONE32 */
    int label_keys_lang;  /* their language + 2, 0 when not looked up */
};

void match_scratch_free(match_scratch *m)
{
    if (!m)
        return;
    search_memo_free(&m->search);
    u32_vec_free(&m->fired);
    u64_vec_free(&m->sent_lists);
    u64_vec_free(&m->sent_far);
    u64_vec_free(&m->sent_labels);
    u32_vec_free(&m->sent_span);
    u64_vec_free(&m->phase_starts);
    u64_vec_free(&m->starts);
    u32_vec_free(&m->sent_first);
    u32_vec_free(&m->sent_end);
    phase_set_vec_free(&m->sets);
    u64_vec_free(&m->set_bits);
    u32_vec_free(&m->local_rules);
    u32_vec_free(&m->local_of);
    set_word_vec_free(&m->any_words);
    set_word_vec_free(&m->key_sets);
    u32_vec_free(&m->key_words);
    u64_vec_free(&m->allow_bits);
    u64_vec_free(&m->cand);
    u64_vec_free(&m->cand_words);
    u64_vec_free(&m->sent_words);
    token_keys_vec_free(&m->tok_keys);
    u64_vec_free(&m->far_words);
    u32_vec_free(&m->label_keys);
    u32_vec_free(&m->verdicts);
    free(m);
}


/* Can rule ru run on this document?  Rules may be written for one
 * language. */
static int rule_speaks(const nertag_tagger *t, const rule *ru)
{
    return ru->lang < 0 || ru->lang == t->lang;
}

/* ------------------------------------------------------------ candidates */

/* The index of key (kind, id) of the document's language in phase ph's
 * index, or NONE32. */
static uint32_t key_index(const nertag_tagger *t, const phase *ph,
                          uint32_t kind, uint32_t id)
{
    if (id == NONE32 || !ph->keys.count)
        return NONE32;
    uint64_t key = phase_key(kind, t->lang, id);
    uint32_t k = strtab_find(&ph->keys, (const char *)&key, sizeof key);
    return k == STRTAB_NONE ? NONE32 : k;
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

/* Can first step fs take a token with these flags and COVER_* bits (an
 * annotation step: one starting there)?  The test of its flags alone. */
static int step_may_take(const first_step *fs, uint16_t flags,
                         uint16_t cover, int starts_annot)
{
    if (fs->step.op == OP_ANNOT)
        return starts_annot;
    return (flags & fs->need) == fs->need && !(flags & fs->forbid) &&
           (cover & fs->cover_need) == fs->cover_need &&
           !(cover & fs->cover_forbid);
}

/* Can one of the first steps of g that the index does not find take such
 * a token? */
static int steps_may_take(const nertag_tagger *t, const gate *g,
                          uint16_t flags, uint16_t cover, int starts_annot)
{
    const first_step_vec *fs = &t->model->rules->first_steps;
    for (uint32_t k = 0; k < g->nfirst; k++)
        if (!fs->v[g->first_from + k].keyed &&
            step_may_take(&fs->v[g->first_from + k], flags, cover,
                          starts_annot))
            return 1;
    return 0;
}

/* Does sentence sn have a word or a list of each group of g's keys (or
 * g none)? */
static int sentence_has_words(const ruleset *r, const match_scratch *ms,
                              const gate *g, uint32_t sn, uint64_t lists)
{
    const uint64_t *bits = ms->sent_words.v + (size_t)sn * SENT_WORD_WORDS;
    uint64_t far = ms->sent_far.v[sn];
    /* indexed, not a pointer moved: the keys of a mapped model with no
     * keys at all are a null array */
    for (uint32_t k = 0; k < g->nkeys; k++) {
        uint32_t key = r->word_keys.v[g->key_from + k], v = KEY_VALUE(key);
        int found = key & KEY_IS_LIST ? list_key_in(v, lists, far)
                                      : (int)(bits[v / 64] >> (v % 64) & 1);
        if (found)    /* the group holds: on to the next */
            while (!(r->word_keys.v[g->key_from + k] & KEY_GROUP_END))
                k++;
        else if (key & KEY_GROUP_END)
            return 0;
    }
    return 1;
}

/* Has a token within the reach of g's keyed step from pos (before hi,
 * the sentence's end) a key of its match's group?  Every match passes
 * such a token that close to its start: where none is, no search.  An
 * annotation passed on the way is at most span tokens long (the longest
 * of the sentence). */
static int keys_within_reach(const nertag_tagger *t, const gate *g,
                             uint32_t pos, uint32_t hi, uint32_t span)
{
    const uint32_t *keys = t->model->rules->word_keys.v + g->key_from;
    const token_keys *tk = t->match->tok_keys.v;
    uint32_t last = pos + g->reach_tokens + g->reach_annots * span;
    if (last >= hi)
        last = hi - 1;
    for (uint32_t k = pos; k <= last; k++)
        for (uint32_t i = 0;; i++) {
            uint32_t v = KEY_VALUE(keys[i]);
            if (keys[i] & KEY_IS_LIST ? list_key_in(v, tk[k].lists,
                                                    tk[k].far)
                                      : v == tk[k].form_bit ||
                                        v == tk[k].stem_bit)
                return 1;
            if (keys[i] & KEY_GROUP_END)
                break;
        }
    return 0;
}

/* Does the token after an annotation ending at end pass one of the
 * tests of first step fs (or has it none)? */
static int follows(const search *s, const first_step *fs, uint32_t end)
{
    if (!fs->nfollow)
        return 1;
    for (uint32_t k = 0; end < s->hi && k < fs->nfollow; k++)
        if (search_test(s, s->r->next_tests.v[fs->follow_from + k], end))
            return 1;
    return 0;
}

/* Does one of the first steps of g take token pos, or an annotation
 * starting there (followed by a token its match may take)?  When none
 * does, no match of its rule starts at pos. */
static int first_steps_take(const search *s, const gate *g, uint32_t pos)
{
    uint16_t flags = s->t->doc.tokens.v[pos].flags, cover = s->t->cover.v[pos];
    int starts_annot = s->t->first_start.v[pos] != NONE32;
    for (uint32_t k = 0; k < g->nfirst; k++) {
        const first_step *fs = &s->r->first_steps.v[g->first_from + k];
        if (!step_may_take(fs, flags, cover, starts_annot))
            continue;
        const inst *in = &fs->step;
        if (in->op == OP_TOKEN) {
            if (pos < s->hi && search_test(s, in->x, pos))
                return 1;
            continue;
        }
        for (uint32_t a = s->t->first_start.v[pos]; a != NONE32;
             a = s->t->annots.v[a].next_start) {
            const annot *an = &s->t->annots.v[a];
            if (an->flags & AF_REMOVED)
                continue;
            for (uint32_t l = 0; l < in->y; l++)
                if (s->r->labelsets.v[in->x + l] == an->label &&
                    follows(s, fs, an->tend))
                    return 1;
        }
    }
    return 0;
}

/* The keys of every label in every phase's index, in the document's
 * language, looked up once per tagger and language: annotations start
 * rules on most tokens of a document. */
static int index_labels(nertag_tagger *t)
{
    const ruleset *r = t->model->rules;
    match_scratch *ms = t->match;
    size_t n = r->phases.n * r->nlabels;
    int lang_key = t->lang + 2;
    if (ms->label_keys.n == n && ms->label_keys_lang == lang_key)
        return 0;
    if (u32_vec_reserve(&ms->label_keys, n + 1) != 0)
        return -1;
    for (size_t p = 0; p < r->phases.n; p++)
        for (uint32_t l = 0; l < r->nlabels; l++) {
            const phase *ph = &r->phases.v[p];
            uint64_t key = phase_key(KEY_LABEL, t->lang, l);
            ms->label_keys.v[p * r->nlabels + l] = ph->keys.count
                ? strtab_find(&ph->keys, (const char *)&key, sizeof key)
                : STRTAB_NONE;
        }
    ms->label_keys.n = n;
    ms->label_keys_lang = lang_key;
    return 0;
}

/* The endings that start rules of the document's language, by bit, in
 * ms->keyed_ends: a word is tried on these (once, its memo of endings
 * keeps the answers), and the rules are found under those it has.  Once
 * per tagger and language. */
static void keyed_endings(nertag_tagger *t)
{
    const ruleset *r = t->model->rules;
    match_scratch *ms = t->match;
    if (ms->keyed_ends_lang == t->lang + 2)
        return;
    memset(ms->keyed_ends, 0, sizeof ms->keyed_ends);
    ms->any_keyed_ends = 0;
    for (size_t s = 0; s < ms->search.facts.n; s++)
        ms->search.facts.v[s].end_phases = NONE32;
    for (uint32_t b = 0; b < r->ends_phases.n; b++) {
        uint64_t key = phase_key(KEY_ENDS, t->lang, b);
        for (size_t p = 0; p < r->phases.n; p++) {
            const phase *ph = &r->phases.v[p];
            if (ph->keys.count && strtab_find(&ph->keys, (const char *)&key,
                                              sizeof key) != STRTAB_NONE) {
                ms->keyed_ends[b / 64] |= (uint64_t)1 << (b % 64);
                ms->any_keyed_ends = 1;
                break;
            }
        }
    }
    ms->keyed_ends_lang = t->lang + 2;
}

/* The keyed endings (keyed_endings) surface s has, in out: each tried
 * once, its answer kept in the surface's memo of endings. */
static void surface_endings(nertag_tagger *t, uint32_t s,
                            uint64_t out[ENDS_WORDS])
{
    const ruleset *r = t->model->rules;
    match_scratch *ms = t->match;
    ends_memo *em = &ms->search.ends.v[s];
    for (uint32_t w = 0; w < ENDS_WORDS; w++) {
        for (uint64_t todo = ms->keyed_ends[w] & ~em->known[w]; todo;
             todo &= todo - 1) {
            uint32_t b = (uint32_t)__builtin_ctzll(todo);
            if (surface_has_ending(&t->doc, s,
                                   rules_str(r, r->ends_text.v[w * 64 + b])))
                em->yes[w] |= (uint64_t)1 << b;
            em->known[w] |= (uint64_t)1 << b;
        }
        out[w] = em->yes[w] & ms->keyed_ends[w];
    }
}

/* The phases whose rules may start on an ending of surface s: found
 * once per surface and language, kept in its facts, read for every
 * token and phase (most words have none, and their endings need not be
 * looked at again). */
static uint32_t ending_phases(nertag_tagger *t, uint32_t s)
{
    uint32_t *known = &t->match->search.facts.v[s].end_phases;
    if (*known != NONE32)
        return *known;
    uint64_t ends[ENDS_WORDS];
    uint32_t phases = 0;
    surface_endings(t, s, ends);
    for (uint32_t w = 0; w < ENDS_WORDS; w++)
        for (uint64_t b = ends[w]; b; b &= b - 1)
            phases |= t->model->rules->ends_phases
                          .v[w * 64 + (uint32_t)__builtin_ctzll(b)];
    *known = phases;
    return phases;
}

/* ------------------------------------------------------------ rule sets */

/* Room for count sets of words words at the end of ms->set_bits, all
 * clear; their offset, or NONE32 when out of memory. */
static uint32_t new_sets(match_scratch *ms, size_t count, uint32_t words)
{
    size_t at = ms->set_bits.n, add = count * words;
    if (at + add >= NONE32 ||
        u64_vec_reserve(&ms->set_bits, at + add + 1) != 0)
        return NONE32;
    memset(ms->set_bits.v + at, 0, add * sizeof(uint64_t));
    ms->set_bits.n = at + add;
    return (uint32_t)at;
}

static void set_bit(uint64_t *set, uint32_t k)
{
    set[k / 64] |= (uint64_t)1 << (k % 64);
}

/* Sets the bit of local number k in set b of a table of 64 sets (one per
 * label, list or far slot) for every bit b of needs. */
static void mark_needs(uint64_t *table, uint32_t words, uint64_t needs,
                       uint32_t k)
{
    for (; needs; needs &= needs - 1)
        set_bit(table + (size_t)__builtin_ctzll(needs) * words, k);
}

/* Adds the rule of local number k to the set being made at the end of v
 * (from from on): rules come in ascending order. */
static int push_rule(set_word_vec *v, size_t from, uint32_t k)
{
    uint64_t bit = (uint64_t)1 << (k % 64);
    if (v->n > from && v->v[v->n - 1].w == k / 64) {
        v->v[v->n - 1].bits |= bit;
        return 0;
    }
    return set_word_vec_push(v, (set_word){ bit, k / 64 });
}

/* The rules of phase p that speak the document's language, numbered, in
 * ms->local_rules and ms->local_of. */
static int number_rules(nertag_tagger *t, uint32_t p, phase_set *ps)
{
    const ruleset *r = t->model->rules;
    match_scratch *ms = t->match;
    ps->rules = (uint32_t)ms->local_rules.n;
    ps->n = 0;
    for (uint32_t ri = 0; ri < r->rules.n; ri++)
        if (r->rules.v[ri].phase == p && rule_speaks(t, &r->rules.v[ri])) {
            if (u32_vec_push(&ms->local_rules, ri) != 0)
                return -1;
            ms->local_of.v[ri] = ps->n++;
        }
    ps->words = ps->n ? (ps->n + 63) / 64 : 1;
    return 0;
}

/* Adds to ps->any_flags and any_cover the flags and COVER_* bits whose
 * presence or absence may_start or steps_may_take read for gate g: the
 * others are left out of the keys of the sets of rules that may start
 * anywhere, which are then fewer. */
static void tested_flags(const ruleset *r, const gate *g, phase_set *ps)
{
    ps->any_flags |= g->first_flags;
    ps->any_cover |= g->first_cover;
    for (uint32_t k = 0; k < g->nfirst; k++) {
        const first_step *fs = &r->first_steps.v[g->first_from + k];
        ps->any_flags |= fs->need | fs->forbid;
        ps->any_cover |= fs->cover_need | fs->cover_forbid;
    }
}

/* The set of rules under each key of phase ph's index, in ms->key_sets
 * from ms->key_words[ps->keys + key] on. */
static int key_sets(match_scratch *ms, const phase *ph, phase_set *ps)
{
    ps->keys = (uint32_t)ms->key_words.n;
    for (uint32_t key = 0; key < ph->keys.count; key++) {
        size_t from = ms->key_sets.n;
        if (u32_vec_push(&ms->key_words, (uint32_t)from) != 0)
            return -1;
        for (uint32_t l = ph->key_first.v[key]; l != NONE32;
             l = ph->links.v[l + 1]) {
            uint32_t k = ms->local_of.v[ph->links.v[l]];
            if (k != NONE32 && push_rule(&ms->key_sets, from, k) != 0)
                return -1;
        }
    }
    return u32_vec_push(&ms->key_words, (uint32_t)ms->key_sets.n);
}

/* The sets of phase p (phase_set), its rules numbered already. */
static int fill_sets(nertag_tagger *t, uint32_t p, phase_set *ps)
{
    const ruleset *r = t->model->rules;
    const phase *ph = &r->phases.v[p];
    match_scratch *ms = t->match;
    uint32_t w = ps->words;
    if ((ps->all = new_sets(ms, 1, w)) == NONE32 ||
        (ps->checked = new_sets(ms, 1, w)) == NONE32 ||
        (ps->need_label = new_sets(ms, 64, w)) == NONE32 ||
        (ps->need_list = new_sets(ms, 64, w)) == NONE32 ||
        (ps->need_far = new_sets(ms, 64, w)) == NONE32)
        return -1;
    uint64_t *b = ms->set_bits.v;
    ps->labels = ps->lists = ps->far = 0;
    for (uint32_t k = 0; k < ps->n; k++) {
        const gate *g = &r->gates.v[ms->local_rules.v[ps->rules + k]];
        set_bit(b + ps->all, k);
        if (g->nkeys || g->document_lists || g->document_far)
            set_bit(b + ps->checked, k);
        mark_needs(b + ps->need_label, w, g->need_labels, k);
        mark_needs(b + ps->need_list, w, g->need_lists, k);
        mark_needs(b + ps->need_far, w, g->need_far, k);
        ps->labels |= g->need_labels;
        ps->lists |= g->need_lists;
        ps->far |= g->need_far;
    }
    ps->any_flags = ps->any_cover = 0;
    for (size_t i = 0; i < ph->anywhere.n; i++)
        if (ms->local_of.v[ph->anywhere.v[i]] != NONE32)
            tested_flags(r, &r->gates.v[ph->anywhere.v[i]], ps);
    return key_sets(ms, ph, ps);
}

/* Forgets the sets kept in any_cache, or in allow_cache (when they take
 * too much room, or the language changes). */
#define MAX_ANY_WORDS ((size_t)1 << 16)
#define MAX_ALLOW_BITS ((size_t)1 << 16)
static void forget_anywhere(match_scratch *ms)
{
    memset(ms->any_cache, 0, sizeof ms->any_cache);
    ms->any_words.n = 0;
}

static void forget_allowed(match_scratch *ms)
{
    memset(ms->allow_cache, 0, sizeof ms->allow_cache);
    ms->allow_bits.n = 0;
}

/* The sets of every phase in the document's language (phase_set), made
 * once per tagger and language, and room for the candidates of a token;
 * what was kept for the language before is forgotten. */
static int phase_sets(nertag_tagger *t)
{
    const ruleset *r = t->model->rules;
    match_scratch *ms = t->match;
    if (ms->sets_lang == t->lang + 2)
        return 0;
    ms->sets_lang = 0;
    ms->sets.n = ms->set_bits.n = ms->local_rules.n = 0;
    ms->key_sets.n = ms->key_words.n = 0;
    forget_anywhere(ms);
    forget_allowed(ms);
    if (u32_vec_reserve(&ms->local_of, r->rules.n + 1) != 0 ||
        phase_set_vec_reserve(&ms->sets, r->phases.n + 1) != 0)
        return -1;
    memset(ms->local_of.v, 0xFF, (r->rules.n + 1) * sizeof(uint32_t));
    ms->local_of.n = r->rules.n;
    uint32_t words = 1;
    for (uint32_t p = 0; p < r->phases.n; p++) {
        phase_set *ps = &ms->sets.v[p];
        if (number_rules(t, p, ps) != 0 || fill_sets(t, p, ps) != 0)
            return -1;
        if (ps->words > words)
            words = ps->words;
    }
    ms->sets.n = r->phases.n;
    size_t summary = (words + 63) / 64;
    if (u64_vec_reserve(&ms->cand, words) != 0 ||
        u64_vec_reserve(&ms->cand_words, summary) != 0)
        return -1;
    memset(ms->cand.v, 0, words * sizeof(uint64_t));
    memset(ms->cand_words.v, 0, summary * sizeof(uint64_t));
    ms->cand.n = words;
    ms->cand_words.n = summary;
    ms->sets_lang = t->lang + 2;
    return 0;
}

/* Clears from set the rules of each of the 64 sets of table whose bit is
 * in missing. */
static void clear_needing(uint64_t *set, const uint64_t *table,
                          uint32_t words, uint64_t missing)
{
    for (; missing; missing &= missing - 1) {
        const uint64_t *need = table + (size_t)__builtin_ctzll(missing) *
                                       words;
        for (uint32_t w = 0; w < words; w++)
            set[w] &= ~need[w];
    }
}

/* The rules of phase p that sentence sn allows by its labels, lists and
 * far lists, at ms->allowed: a rule needing what the sentence lacks is no
 * candidate anywhere in it.  Again when a rule that fires adds a label.
 * Sentences differ little in what the rules need of them: the sets are
 * kept by that (allow_cache), as long as the language. */
static int allow_sentence(match_scratch *ms, uint32_t p, uint32_t sn)
{
    const phase_set *ps = &ms->sets.v[p];
    uint64_t labels = ms->sent_labels.v[sn] & ps->labels,
             lists = ms->sent_lists.v[sn] & ps->lists,
             far = ms->sent_far.v[sn] & ps->far;
    uint64_t h = ((labels * 0xC2B2AE3D27D4EB4FULL ^ lists) *
                  0x165667B19E3779F9ULL ^ far ^ (uint64_t)p << 48) *
                 0x9E3779B97F4A7C15ULL;
    allow_entry *e = &ms->allow_cache[h >> (64 - ALLOW_CACHE_BITS)];
    if (!(e->set && e->labels == labels && e->lists == lists &&
          e->far == far && e->phase == p)) {
        if (ms->allow_bits.n + ps->words > MAX_ALLOW_BITS)
            forget_allowed(ms);
        size_t at = ms->allow_bits.n;
        if (u64_vec_reserve(&ms->allow_bits, at + ps->words + 1) != 0)
            return -1;
        uint64_t *allowed = ms->allow_bits.v + at;
        const uint64_t *b = ms->set_bits.v;
        memcpy(allowed, b + ps->all, ps->words * sizeof *allowed);
        clear_needing(allowed, b + ps->need_label, ps->words,
                      ps->labels & ~labels);
        clear_needing(allowed, b + ps->need_list, ps->words,
                      ps->lists & ~lists);
        clear_needing(allowed, b + ps->need_far, ps->words, ps->far & ~far);
        ms->allow_bits.n = at + ps->words;
        *e = (allow_entry){ labels, lists, far, p, (uint32_t)at + 1 };
    }
    ms->allowed = e->set - 1;
    return 0;
}

/* Adds the n words of a set of rules to the candidates (ms->cand), and
 * marks each word there (ms->cand_words), so that only the words that
 * have one are read back, however many rules the phase has. */
static void add_words(match_scratch *ms, const set_word *sw, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        ms->cand.v[sw[i].w] |= sw[i].bits;
        ms->cand_words.v[sw[i].w / 64] |= (uint64_t)1 << (sw[i].w % 64);
    }
}

/* Adds the rules under key k of phase ps's index to the candidates. */
static void add_key(match_scratch *ms, const phase_set *ps, uint32_t k)
{
    if (k == NONE32)
        return;
    const uint32_t *at = ms->key_words.v + ps->keys + k;
    if (at[1] > at[0])
        add_words(ms, ms->key_sets.v + at[0], at[1] - at[0]);
}

/* Makes the set of rules of phase p that may start anywhere and can take
 * a token with these flags and COVER_* bits (or the annotation starting
 * there), kept in entry e under key; -1 when out of memory. */
static int make_anywhere_set(nertag_tagger *t, uint32_t p, uint16_t flags,
                             uint16_t cover, int starts_annot,
                             any_entry *e, uint64_t key)
{
    const ruleset *r = t->model->rules;
    const phase *ph = &r->phases.v[p];
    match_scratch *ms = t->match;
    if (ms->any_words.n + ph->anywhere.n > MAX_ANY_WORDS)
        forget_anywhere(ms);
    size_t from = ms->any_words.n;
    for (size_t i = 0; i < ph->anywhere.n; i++) {
        uint32_t ri = ph->anywhere.v[i], k = ms->local_of.v[ri];
        const gate *g = &r->gates.v[ri];
        if (k != NONE32 && may_start(g, flags, cover, starts_annot) &&
            (!g->nfirst || steps_may_take(t, g, flags, cover, starts_annot)) &&
            push_rule(&ms->any_words, from, k) != 0)
            return -1;
    }
    e->from = (uint32_t)from;
    e->n = (uint32_t)(ms->any_words.n - from);
    e->key = key;
    return 0;
}

/* Adds to the candidates the rules of phase p that may start anywhere and
 * can take a token with these flags and COVER_* bits (or the annotation
 * starting there): their set is kept by them in ms->any_cache (it
 * depends on nothing else in a language).  Most rules that may start
 * anywhere need a capital, a digit or an annotation around the token. */
static inline int add_anywhere(nertag_tagger *t, uint32_t p, uint16_t flags,
                               uint16_t cover, int starts_annot)
{
    match_scratch *ms = t->match;
    uint64_t key = ((uint64_t)p << 33 | (uint64_t)starts_annot << 32 |
                    (uint64_t)cover << 16 | flags) + 1;
    /* two slots side by side may hold it: the second keeps the set of a
     * key that would collide in the first */
    uint64_t slot = (key * 0x9E3779B97F4A7C15ULL) >> (64 - ANY_CACHE_BITS);
    any_entry *e = &ms->any_cache[slot & ~(uint64_t)1];
    if (e->key != key && e[1].key == key)
        e++;
    if (e->key != key) {
        if (e->key && !e[1].key)
            e++;
        if (make_anywhere_set(t, p, flags, cover, starts_annot, e, key))
            return -1;
    }
    if (e->n)   /* (no set made yet: no array either) */
        add_words(ms, ms->any_words.v + e->from, e->n);
    return 0;
}

/* Adds to the candidates the rules of phase p that start on an ending of
 * token pos's word. */
static void add_ending_keys(nertag_tagger *t, uint32_t p, uint32_t pos)
{
    const ruleset *r = t->model->rules;
    const phase *ph = &r->phases.v[p];
    uint64_t ends[ENDS_WORDS];
    surface_endings(t, t->doc.tokens.v[pos].surface, ends);
    for (uint32_t w = 0; w < ENDS_WORDS; w++)
        for (uint64_t b = ends[w]; b; b &= b - 1) {
            uint32_t id = w * 64 + (uint32_t)__builtin_ctzll(b);
            if (p >= 32 || (r->ends_phases.v[id] >> p & 1))
                add_key(t->match, &t->match->sets.v[p],
                        key_index(t, ph, KEY_ENDS, id));
        }
}

/* Keeps of the candidates those the sentence allows (ms->allowed): are
 * there any left? */
static int keep_allowed(match_scratch *ms, uint32_t words)
{
    const uint64_t *allowed = ms->allow_bits.v + ms->allowed;
    if (words == 1) {   /* most phases: fewer than 64 rules */
        ms->cand_words.v[0] = (ms->cand.v[0] &= allowed[0]) != 0;
        return (int)ms->cand_words.v[0];
    }
    uint64_t left = 0;
    for (uint32_t s = 0, summary = (words + 63) / 64; s < summary; s++) {
        uint64_t kept = 0;
        for (uint64_t b = ms->cand_words.v[s]; b; b &= b - 1) {
            uint32_t w = s * 64 + (uint32_t)__builtin_ctzll(b);
            if (ms->cand.v[w] &= allowed[w])
                kept |= b & -b;
        }
        ms->cand_words.v[s] = kept;
        left |= kept;
    }
    return left != 0;
}

/* The rules of phase p that may start at token pos and that its sentence
 * allows, in ms->cand: those indexed under the token's word, stem,
 * endings or the annotations starting there, and those that may start
 * anywhere.  0 when there is none, -1 when out of memory.  The candidates
 * are empty before, and left for match_at to empty. */
static int token_candidates(nertag_tagger *t, uint32_t p, uint32_t pos)
{
    const ruleset *r = t->model->rules;
    const phase *ph = &r->phases.v[p];
    match_scratch *ms = t->match;
    const phase_set *ps = &ms->sets.v[p];
    const token *tk = &t->doc.tokens.v[pos];
    /* the quick tests of the phase bits spare most tokens a look-up */
    const surface_info *si = token_surface(&t->doc, pos);
    if (p >= 32 || (si->form_phases >> p & 1))
        add_key(ms, ps, key_index(t, ph, KEY_FORM, tk->norm_id));
    if (p >= 32 || (si->stem_phases >> p & 1))
        add_key(ms, ps, key_index(t, ph, KEY_STEM, tk->stem_id));
    for (uint32_t a = t->first_start.v[pos]; a != NONE32;
         a = t->annots.v[a].next_start) {
        uint32_t l = t->annots.v[a].label;
        if (!(t->annots.v[a].flags & AF_REMOVED) && l < r->nlabels)
            add_key(ms, ps, ms->label_keys.v[(size_t)p * r->nlabels + l]);
    }
    if (ms->any_keyed_ends &&
        (p >= 32 || (ending_phases(t, tk->surface) >> p & 1)))
        add_ending_keys(t, p, pos);
    if (ph->anywhere.n &&
        (!ph->anywhere_flags || (tk->flags & ph->anywhere_flags)) &&
        add_anywhere(t, p, tk->flags & ps->any_flags,
                     t->cover.v[pos] & ps->any_cover,
                     t->first_start.v[pos] != NONE32) != 0)
        return -1;
    return keep_allowed(ms, ps->words);
}

/* Empties the candidates (after a failure left some). */
static void clear_candidates(match_scratch *ms)
{
    memset(ms->cand.v, 0, ms->cand.n * sizeof(uint64_t));
    memset(ms->cand_words.v, 0, ms->cand_words.n * sizeof(uint64_t));
}

/* ------------------------------------------------------------ phases */

/* Does the context c of one token hold beside the match [start, end)?
 * The token before or after it, in the sentence, passes its test. */
static int one_token_beside(const search *s, const rule *ru, int c,
                            uint32_t start, uint32_t end)
{
    uint32_t ti = ru->context[c].one_token;
    if (c == CTX_BEFORE || c == CTX_NOT_BEFORE)
        return start > s->lo && search_test(s, ti, start - 1);
    return end < s->hi && search_test(s, ti, end);
}

/* Can the contexts before rule ru's match hold at its start pos?  They
 * depend on the start alone, known before the search: a context of one
 * token is asked whole (before, not-before), a longer one before needs
 * the token before pos to pass one of its first tests ("on behalf of":
 * "of").  Many candidates of some rules fail there. */
static int before_may_hold(const search *s, const rule *ru, uint32_t pos)
{
    const program *ctx = ru->context;
    if (ctx[CTX_BEFORE].len && ctx[CTX_BEFORE].one_token != NONE32 &&
        !one_token_beside(s, ru, CTX_BEFORE, pos, pos))
        return 0;
    if (ctx[CTX_NOT_BEFORE].len && ctx[CTX_NOT_BEFORE].one_token != NONE32 &&
        one_token_beside(s, ru, CTX_NOT_BEFORE, pos, pos))
        return 0;
    if (!ru->nbefore)
        return 1;
    for (uint32_t k = 0; pos > s->lo && k < ru->nbefore; k++)
        if (search_test(s, s->r->next_tests.v[ru->before_from + k], pos - 1))
            return 1;
    return 0;
}

/* Do the contexts of rule ru hold around its match [start, end)?  Those
 * of one token before it were asked already (before_may_hold). */
static int contexts_hold(search *s, const rule *ru, uint32_t start,
                         uint32_t end)
{
    static const int dir[4] = { -1, +1, -1, +1 };
    for (int c = 0; c < 4; c++) {
        if (!ru->context[c].len ||
            ((c == CTX_BEFORE || c == CTX_NOT_BEFORE) &&
             ru->context[c].one_token != NONE32))
            continue;
        int found;
        if (ru->context[c].one_token != NONE32) {
            found = one_token_beside(s, ru, c, start, end);
        } else {
            int32_t e = search_run(s, &ru->context[c], c == CTX_BEFORE ||
                                   c == CTX_NOT_BEFORE ? start : end, dir[c]);
            if (e == -2)
                return -1;
            found = e >= 0;
        }
        int want = c == CTX_BEFORE || c == CTX_AFTER;
        if (found != want)
            return 0;
    }
    return 1;
}

/* Has sentence sn the words rule ri needs, and its document one of the
 * lists it needs there?  The tests of the rules the sets of needs cannot
 * tell (phase_set.checked), beyond the sentence's labels and lists
 * (allow_sentence); the answer holds for every token of the sentence and
 * is kept (verdicts). */
static int sentence_allows(const ruleset *r, match_scratch *ms, uint32_t ri,
                           uint32_t sn)
{
    uint32_t v = ms->verdicts.v[ri];
    if (v >> 1 == ms->verdict_stamp)
        return v & 1;
    const gate *g = &r->gates.v[ri];
    int ok = sentence_has_words(r, ms, g, sn, ms->sent_lists.v[sn]) &&
             (!(g->document_lists | g->document_far) ||
              (ms->doc_lists.near & g->document_lists) ||
              (ms->doc_lists.far & g->document_far));
    ms->verdicts.v[ri] = ms->verdict_stamp << 1 | (uint32_t)ok;
    return ok;
}

/* A new stamp for the verdicts of sentence_allows: the sentence or the
 * phase changed. */
static void renew_verdicts(match_scratch *ms)
{
    if (++ms->verdict_stamp >> 31) {    /* wrapped: forget every verdict */
        memset(ms->verdicts.v, 0, ms->verdicts.n * sizeof *ms->verdicts.v);
        ms->verdict_stamp = 1;
    }
}

/* Tries rule ri at pos: when it matches, and better than *f if found,
 * fills *f with it and *run with the stamp of the memo its search left,
 * and returns 1; 0 when not, -1 when out of memory. */
static int try_rule(nertag_tagger *t, search *s, uint32_t ri, uint32_t pos,
                    int found, fired *f, uint32_t *run)
{
    const ruleset *r = t->model->rules;
    match_scratch *ms = t->match;
    uint32_t sn = t->doc.tokens.v[pos].sentence;
    const gate *g = &r->gates.v[ri];
    /* the quick tests: can its first step accept this token? */
    if (!may_start(g, t->doc.tokens.v[pos].flags, t->cover.v[pos],
                   t->first_start.v[pos] != NONE32))
        return 0;
    if (g->reach_tokens != REACH_NONE &&
        !keys_within_reach(t, g, pos, s->hi, ms->sent_span.v[sn]))
        return 0;
    if (g->first_test != NONE32 && (pos >= s->hi ||
                                    !search_test(s, g->first_test, pos)))
        return 0;
    if (g->first_test == NONE32 && g->nfirst && !first_steps_take(s, g, pos))
        return 0;
    const rule *ru = &r->rules.v[ri];
    if (!before_may_hold(s, ru, pos))
        return 0;
    int32_t end = search_run_tested(s, &ru->match, pos, g->first_test);
    uint32_t stamp = s->sm->stamp;
    if (end == -2)
        return -1;
    if (end < 0)
        return 0;
    uint32_t e = (uint32_t)end;
    if (found && (e < f->end || (e == f->end &&
                  ru->priority <= r->rules.v[f->rule].priority)))
        return 0;
    int ok = contexts_hold(s, ru, pos, e);
    if (ok <= 0)
        return ok;
    f->rule = ri;
    f->start = pos;
    f->end = e;
    *run = stamp;
    return 1;
}

/* Tries the candidates of phase p at pos (ms->cand), in the order of the
 * rules, and empties them; fills *f with the winner, and *run with the
 * stamp of the memo its search left. */
static int match_at(nertag_tagger *t, search *s, uint32_t p, uint32_t pos,
                    fired *f, uint32_t *run)
{
    const ruleset *r = t->model->rules;
    match_scratch *ms = t->match;
    const phase_set *ps = &ms->sets.v[p];
    const uint64_t *checked = ms->set_bits.v + ps->checked;
    uint32_t sn = t->doc.tokens.v[pos].sentence;
    int found = 0;
    uint32_t summary = (ps->words + 63) / 64;
    for (uint32_t sw = 0; sw < summary; sw++) {
        uint64_t words = ms->cand_words.v[sw];
        ms->cand_words.v[sw] = 0;   /* empty for the next token */
        for (; words; words &= words - 1) {
            uint32_t w = sw * 64 + (uint32_t)__builtin_ctzll(words);
            uint64_t bits = ms->cand.v[w];
            ms->cand.v[w] = 0;
            for (; bits; bits &= bits - 1) {
                uint32_t k = w * 64 + (uint32_t)__builtin_ctzll(bits);
                uint32_t ri = ms->local_rules.v[ps->rules + k];
                if ((checked[w] >> (k % 64) & 1) &&
                    !sentence_allows(r, ms, ri, sn))
                    continue;
                int better = try_rule(t, s, ri, pos, found, f, run);
                if (better < 0)
                    return -1;
                found |= better;
            }
        }
    }
    return found;
}

/* Adds to ts that phase bit may start on a token with flags need and none
 * of forbid (cover: the COVER_* bits it needs; with no flags, a start
 * inside annotations). */
static void add_trigger(trigger_set *ts, uint32_t bit, uint16_t need,
                        uint16_t forbid, uint16_t cover)
{
    size_t k = 0;
    while (k < ts->n && !(ts->ft[k].bit == bit && ts->ft[k].flags == need &&
                          ts->ft[k].forbid == forbid))
        k++;
    if (!need && (cover & COVER_ALL))
        ts->cover_phases |= bit;        /* inside annotations */
    else if (!need || (k == ts->n && ts->n == MAX_FLAG_TRIGGERS))
        ts->always |= bit;              /* (too many: visit every token) */
    else if (k == ts->n)
        ts->ft[ts->n++] = (flag_trigger){ bit, need, forbid };
}

/* The flag triggers of the rules that may start anywhere, in the
 * document's language, in ms->triggers: phases where one of them starts
 * on any token go to always, those where one starts on any annotation to
 * annot_phases.  Computed once per language, not per document: the
 * model's rules are walked for it. */
static trigger_set *flag_triggers(nertag_tagger *t)
{
    const ruleset *r = t->model->rules;
    trigger_set *ts = &t->match->triggers;
    if (ts->lang_key == t->lang + 2)
        return ts;
    ts->n = 0;
    ts->always = ts->annot_phases = ts->cover_phases = 0;
    memset(ts->cache.key, 0, sizeof ts->cache.key);
    for (size_t p = 0; p < r->phases.n && p < 32; p++) {
        const phase *ph = &r->phases.v[p];
        for (size_t i = 0; i < ph->anywhere.n; i++) {
            const rule *ru = &r->rules.v[ph->anywhere.v[i]];
            if (!rule_speaks(t, ru))
                continue;
            const gate *g = &r->gates.v[ph->anywhere.v[i]];
            if (!g->nfirst) {
                if (ru->first_annot)
                    ts->annot_phases |= 1u << p;
                add_trigger(ts, 1u << p, ru->first_flags, 0,
                            ru->first_cover);
                continue;
            }
            /* by its first steps, each of which may start it */
            for (uint32_t k = 0; k < g->nfirst; k++) {
                const first_step *fs =
                    &r->first_steps.v[g->first_from + k];
                if (fs->keyed)
                    continue;       /* found by the index */
                if (fs->step.op == OP_ANNOT)
                    ts->annot_phases |= 1u << p;
                else
                    add_trigger(ts, 1u << p, fs->need, fs->forbid,
                                fs->cover_need);
            }
        }
    }
    ts->lang_key = t->lang + 2;
    return ts;
}

/* The phases the flag triggers of ts let start on a token with flags. */
static uint32_t flag_phases(trigger_set *ts, uint16_t flags)
{
    flag_cache *fc = &ts->cache;
    size_t slot = (flags * 40503u >> 8) & (FLAG_CACHE_SLOTS - 1);
    if (fc->key[slot] == (uint32_t)flags + 1)
        return fc->bits[slot];
    uint32_t bits = 0;
    for (size_t k = 0; k < ts->n; k++)
        if ((flags & ts->ft[k].flags) == ts->ft[k].flags &&
            !(flags & ts->ft[k].forbid))
            bits |= ts->ft[k].bit;
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
    trigger_set *ts = flag_triggers(t);
    uint32_t always = ts->always;
    ms->annot_phases = ts->annot_phases;
    ms->cover_phases = ts->cover_phases;
    for (size_t i = 0; i < t->doc.tokens.n; i++) {
        const token *tk = &t->doc.tokens.v[i];
        const surface_info *si = token_surface(&t->doc, i);
        uint32_t bits = always | si->form_phases | si->stem_phases |
                        flag_phases(ts, tk->flags);
        if (ms->any_keyed_ends)
            bits |= ending_phases(t, tk->surface);
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
    /* whether an annotation's label starts a rule is a coin toss to the
     * branch predictor: its bit is or-ed in, 0 or 1, without a branch */
    int every = p >= 32 || (ms->annot_phases >> p & 1);
    uint32_t shift = p < 32 ? p : 0;
    for (size_t k = 0; k < t->annots.n; k++) {
        const annot *a = &t->annots.v[k];
        if (a->flags & AF_REMOVED)
            continue;
        if (a->label < r->nlabels) {
            uint64_t bit = (every | r->label_phases[a->label] >> shift) & 1;
            ms->starts.v[a->tstart / 64] |= bit << (a->tstart % 64);
        }
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

/* The labels (< 64) rule ru may give annotations that exist already: a
 * retyped annotation carries its new label at once, within the phase, and
 * the sentence's labels must say so (in_label reads them first). */
static uint64_t retyped_labels(const ruleset *r, const rule *ru)
{
    uint64_t bits = 0;
    for (uint32_t k = 0; k < ru->nactions; k++) {
        const action *ac = &r->actions.v[ru->first_action + k];
        if (ac->kind == A_RETYPE && ac->label < 64)
            bits |= (uint64_t)1 << ac->label;
    }
    return bits;
}

static int run_phase(nertag_tagger *t, const phase *ph)
{
    const ruleset *r = t->model->rules;
    match_scratch *ms = t->match;
    search s = { t, r, NULL, 0, 1, 0, 0, &ms->search, 0 };
    uint32_t n = (uint32_t)t->doc.tokens.n, p = (uint32_t)(ph - r->phases.v);
    if (mark_starts(t, p) != 0)
        return -1;
    uint32_t last_sent = NONE32;
    /* only the tokens where some rule may start are visited */
    for (uint32_t pos = next_start(ms, 0, n); pos < n;) {
        /* the sentence bounds every match */
        uint32_t sent = t->doc.tokens.v[pos].sentence;
        if (sent != last_sent) {
            renew_verdicts(ms);
            if (allow_sentence(ms, p, sent) != 0)
                return -1;
        }
        last_sent = sent;
        s.lo = ms->sent_first.v[sent];
        s.hi = ms->sent_end.v[sent];
        s.labels = ms->sent_labels.v[sent];
        int some = token_candidates(t, p, pos);
        if (some < 0)
            return -1;
        fired f = { NONE32, 0, 0, NONE32, &ms->search.caps };
        uint32_t run = 0;
        int found = some ? match_at(t, &s, p, pos, &f, &run) : 0;
        if (found < 0)
            return -1;
        if (found) {
            /* the captures of the winner are read from the memo of its
             * search, searched once more when a later search took it */
            const rule *ru = &r->rules.v[f.rule];
            if (ms->search.stamp != run &&
                search_run(&s, &ru->match, pos, +1) < 0)
                return -1;
            search_captures(&s, pos);
            if (rules_act(t, ru, &f) != 0 ||
                u32_vec_push(&ms->fired, f.rule) != 0)
                return -1;
            uint64_t labels = ms->sent_labels.v[sent] | retyped_labels(r, ru);
            if (labels != ms->sent_labels.v[sent]) {
                s.labels = ms->sent_labels.v[sent] = labels;
                if (allow_sentence(ms, p, sent) != 0)
                return -1;
            }
            pos = f.end > pos ? f.end : pos + 1;
        } else {
            pos++;
        }
        pos = next_start(ms, pos, n);
    }
    return 0;
}

/* The words that are members of some list past the first 64, in
 * ms->far_words: the others are in no far list, and a new word is looked
 * up in each far list only when it is one of them. */
static int far_words_index(nertag_tagger *t)
{
    const strtab *members = &t->model->rules->members;
    match_scratch *ms = t->match;
    if (ms->far_words.n)
        return 0;
    uint64_t top = 0;                 /* the largest id, + 1 */
    for (uint32_t k = 0; k < members->count; k++) {
        uint64_t key;
        memcpy(&key, strtab_get(members, k), sizeof key);
        if (key >> 32 >= 64 && (key & 0xFFFFFFFF) + 1 > top)
            top = (key & 0xFFFFFFFF) + 1;
    }
    size_t words = (size_t)(top + 63) / 64 + 1;   /* never empty */
    if (u64_vec_reserve(&ms->far_words, words) != 0)
        return -1;
    memset(ms->far_words.v, 0, words * sizeof(uint64_t));
    for (uint32_t k = 0; k < members->count; k++) {
        uint64_t key;
        memcpy(&key, strtab_get(members, k), sizeof key);
        uint32_t id = (uint32_t)(key & 0xFFFFFFFF);
        if (key >> 32 >= 64)
            ms->far_words.v[id / 64] |= (uint64_t)1 << (id % 64);
    }
    ms->far_words.n = words;
    return 0;
}

static int in_far_words(const match_scratch *ms, uint32_t id)
{
    return id != NONE32 && id / 64 < ms->far_words.n &&
           (ms->far_words.v[id / 64] >> (id % 64) & 1);
}

/* The far_lists slots of token i's word, kept by surface for its
 * language (surfaces last from one document to the next). */
static uint64_t far_lists_of(nertag_tagger *t, size_t i)
{
    const ruleset *r = t->model->rules;
    match_scratch *ms = t->match;
    const token *tk = &t->doc.tokens.v[i];
    surface_facts *fm = surface_facts_of(&ms->search, tk->surface, t->lang);
    if (fm->far_known)
        return fm->far;
    uint64_t bits = 0;
    int maybe = in_far_words(ms, tk->norm_id) || in_far_words(ms, tk->stem_id);
    for (size_t slot = 0; maybe && slot < r->far_lists.n; slot++) {
        uint32_t list = r->far_lists.v[slot];
        uint32_t id = r->lists.v[list].by_stem ? tk->stem_id : tk->norm_id;
        uint64_t key = (uint64_t)list << 32 | id;
        if (id != NONE32 && strtab_find(&r->members, (const char *)&key,
                                        sizeof key) != STRTAB_NONE)
            bits |= (uint64_t)1 << slot;
    }
    fm->far = bits;
    fm->far_known = 1;
    return bits;
}

/* Room for what is kept of every surface, by surface id: its facts and
 * its endings; the new ones know nothing yet.  When the document forgot
 * its surfaces (too many), what was kept of them goes too. */
static int surface_memos_room(nertag_tagger *t)
{
    match_scratch *ms = t->match;
    surface_facts_vec *facts = &ms->search.facts;
    ends_memo_vec *ends = &ms->search.ends;
    size_t n = t->doc.surfaces.count;
    if (ms->surfaces_forgotten != t->doc.surfaces_forgotten) {
        facts->n = ends->n = 0;
        ms->surfaces_forgotten = t->doc.surfaces_forgotten;
    }
    if (surface_facts_vec_reserve(facts, n + 1) != 0 ||
        ends_memo_vec_reserve(ends, n + 1) != 0)
        return -1;
    for (size_t s = facts->n; s < n; s++)
        facts->v[s] = (surface_facts){ .end_phases = NONE32 };
    memset(ends->v + ends->n, 0, (n - ends->n) * sizeof *ends->v);
    facts->n = ends->n = n;
    return 0;
}

/* The lists the words of each sentence are in (once per document). */
static int sentence_lists(nertag_tagger *t)
{
    match_scratch *ms = t->match;
    size_t ns = t->doc.tokens.n ? t->doc.tokens.v[t->doc.tokens.n - 1].sentence + 1 : 0;
    if (u64_vec_reserve(&ms->sent_lists, ns + 1) != 0 ||
        u64_vec_reserve(&ms->sent_labels, ns + 1) != 0 ||
        u32_vec_reserve(&ms->sent_span, ns + 1) != 0 ||
        u64_vec_reserve(&ms->sent_far, ns + 1) != 0 ||
        u64_vec_reserve(&ms->sent_words, ns * SENT_WORD_WORDS + 1) != 0 ||
        token_keys_vec_reserve(&ms->tok_keys, t->doc.tokens.n + 1) != 0)
        return -1;
    ms->sent_lists.n = ms->sent_labels.n = ms->sent_far.n = ns;
    ms->sent_span.n = ns;
    ms->sent_words.n = ns * SENT_WORD_WORDS;
    memset(ms->sent_lists.v, 0, ns * sizeof *ms->sent_lists.v);
    memset(ms->sent_words.v, 0, ms->sent_words.n * sizeof(uint64_t));
    memset(ms->sent_far.v, 0, ns * sizeof *ms->sent_far.v);
    ms->doc_lists = t->known_lists;
    for (size_t i = 0; i < t->doc.tokens.n; i++) {
        const token *tk = &t->doc.tokens.v[i];
        const surface_info *si = token_surface(&t->doc, i);
        uint64_t b = si->form_lists | si->stem_lists;
        ms->sent_lists.v[tk->sentence] |= b;
        ms->doc_lists.near |= b;
        uint64_t *words = ms->sent_words.v +
                          (size_t)tk->sentence * SENT_WORD_WORDS;
        token_keys *k = &ms->tok_keys.v[i];
        *k = (token_keys){ b, 0, NO_WORD_BIT, NO_WORD_BIT };
        if (tk->norm_id != NONE32) {
            k->form_bit = word_bit(KEY_FORM, tk->norm_id);
            words[k->form_bit / 64] |= (uint64_t)1 << (k->form_bit % 64);
        }
        if (tk->stem_id != NONE32) {
            k->stem_bit = word_bit(KEY_STEM, tk->stem_id);
            words[k->stem_bit / 64] |= (uint64_t)1 << (k->stem_bit % 64);
        }
    }
    ms->tok_keys.n = t->doc.tokens.n;
    if (!t->model->rules->far_lists.n)
        return 0;
    if (far_words_index(t) != 0)
        return -1;
    for (size_t i = 0; i < t->doc.tokens.n; i++) {
        uint64_t b = far_lists_of(t, i);
        ms->tok_keys.v[i].far = b;
        ms->sent_far.v[t->doc.tokens.v[i].sentence] |= b;
        ms->doc_lists.far |= b;
    }
    return 0;
}

/* The labels of the annotations of each sentence, and the length of the
 * longest (once per phase). */
static void sentence_labels(nertag_tagger *t)
{
    match_scratch *ms = t->match;
    memset(ms->sent_labels.v, 0, ms->sent_labels.n * sizeof(uint64_t));
    memset(ms->sent_span.v, 0, ms->sent_span.n * sizeof(uint32_t));
    for (size_t i = 0; i < t->annots.n; i++) {
        const annot *a = &t->annots.v[i];
        uint32_t sn = t->doc.tokens.v[a->tstart].sentence;
        if (a->flags & AF_REMOVED)
            continue;
        if (a->label < 64)
            ms->sent_labels.v[sn] |= (uint64_t)1 << a->label;
        if (a->tend - a->tstart > ms->sent_span.v[sn])
            ms->sent_span.v[sn] = a->tend - a->tstart;
    }
}

/* A verdict for every rule (sentence_allows), none given yet. */
static int verdicts_room(nertag_tagger *t)
{
    match_scratch *ms = t->match;
    size_t n = t->model->rules->rules.n;
    if (ms->verdicts.n == n)
        return 0;
    if (u32_vec_reserve(&ms->verdicts, n + 1) != 0)
        return -1;
    memset(ms->verdicts.v, 0, (n + 1) * sizeof *ms->verdicts.v);
    ms->verdicts.n = n;
    ms->verdict_stamp = 1;
    return 0;
}

int rules_apply(nertag_tagger *t, nertag_error *err)
{
    const ruleset *r = t->model->rules;
    if (!t->match && !(t->match = calloc(1, sizeof *t->match)))
        goto nomem;
    t->match->fired.n = 0;
    if (!r)
        return 0;
    keyed_endings(t);
    if (verdicts_room(t) != 0 || index_labels(t) != 0 ||
        phase_sets(t) != 0 || surface_memos_room(t) != 0 ||
        sentence_lists(t) != 0 || sentence_bounds(t) != 0 ||
        token_triggers(t) != 0)
        goto nomem;
    /* only a rule that fires changes the annotations: after a phase where
     * none did, their index and the labels of the sentences still hold */
    size_t indexed = SIZE_MAX;   /* rules fired when last indexed */
    for (size_t i = 0; i < r->phases.n; i++) {
        if (t->match->fired.n != indexed) {
            if (annot_reindex(t) != 0)
                goto nomem;
            sentence_labels(t);
            indexed = t->match->fired.n;
        }
        if (run_phase(t, &r->phases.v[i]) != 0)
            goto nomem;
    }
    if (t->match->fired.n != indexed && annot_reindex(t) != 0)
        goto nomem;
    return 0;
nomem:
    if (t->match && t->match->cand.n)
        clear_candidates(t->match);
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
