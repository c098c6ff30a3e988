/* rules-run.h - what the phases (rules-match.c) share with the search of
 * one pattern (rules-search.c) and the actions of a rule that matched
 * (rules-act.c), beside the compiler (rules-compile.c) that makes the
 * programs they run. */
#ifndef NERTAG_RULES_RUN_H
#define NERTAG_RULES_RUN_H

#include "lib/rules/rules.h"

/* Where each capture of the last match lies: tokens [start, end), or
 * NONE32; and the annotation a capture of one whole annotation matched. */
typedef struct captures {
    uint32_t pos[2 * RULE_MAX_CAPTURES];
    uint32_t annot[RULE_MAX_CAPTURES];
} captures;

typedef struct memo {
    uint32_t stamp;
    int32_t end;          /* best end position, or -1 */
    uint32_t choice;      /* SPLIT: 0 or 1; ANNOT: annotation index */
} memo;

/* What the rules' endings (ends="…", by their bit) say of a surface:
 * those tried on it, and those it has. */
typedef struct ends_memo {
    uint64_t known[ENDS_WORDS], yes[ENDS_WORDS];
} ends_memo;
VEC_DECLARE(ends_memo_vec, ends_memo);

/* What the rules keep of a surface, by surface id, for one language:
 * the far_lists slots of its word (rules-match.c, far_lists_of), the
 * phases its keyed endings start (ending_phases), and its answers to the
 * tests of lists past the first 64 (list_has, by the list's list_bits):
 * side by side, read together for every token. */
typedef struct surface_facts {
    uint64_t far;
    uint64_t lists_known, lists_yes;
    uint32_t end_phases;  /* NONE32 when not known */
    uint16_t lang;        /* language + 2 of far and lists, 0: none */
    uint16_t far_known;
} surface_facts;
VEC_DECLARE(surface_facts_vec, surface_facts);

/* What searches keep from one to the next: one memo, reused; and the
 * endings and facts of each surface, by surface id, from document to
 * document (rules-match.c makes room for them). */
typedef struct search_memo {
    memo *memo;
    size_t cap;
    uint32_t stamp;
    captures caps;
    ends_memo_vec ends;
    surface_facts_vec facts;
    /* by list: 1 + the bit of surface_facts.lists_known it has (0: none
     * yet), given to the first 64 lists past the first 64 tested */
    uint8_t *list_bits;
    uint32_t list_bits_used;
} search_memo;

/* The facts of surface s for language lang: those of another language are
 * forgotten (a word's stem, so its lists, depends on the language). */
static inline surface_facts *surface_facts_of(search_memo *sm, uint32_t s,
                                              int lang)
{
    surface_facts *f = &sm->facts.v[s];
    if (f->lang != (uint16_t)(lang + 2)) {
        f->lang = (uint16_t)(lang + 2);
        f->far_known = 0;
        f->lists_known = f->lists_yes = 0;
    }
    return f;
}

/* One search: a program run from an anchor token in one direction. */
typedef struct search {
    nertag_tagger *t;
    const ruleset *r;
    const program *pg;
    uint32_t anchor;
    int dir;              /* +1 forwards, -1 backwards (contexts before) */
    uint32_t lo, hi;      /* the tokens of the sentence */
    search_memo *sm;
    uint64_t labels;      /* labels (< 64) of the sentence's annotations */
} search;

/* rules-search.c.  search_test: does token pos pass test ti?  search_run:
 * the best end of pg run from anchor (-1 none, -2 out of memory);
 * search_captures: the captures of the last run (forwards) in sm->caps. */
int search_test(const search *s, uint32_t ti, uint32_t pos);
int32_t search_run(search *s, const program *pg, uint32_t anchor, int dir);
void search_captures(search *s, uint32_t pos);
/* search_run forwards, when token anchor passed test first (or NONE32). */
int32_t search_run_tested(search *s, const program *pg, uint32_t anchor,
                          uint32_t first);
void search_memo_free(search_memo *m);
/* Does the folded form of surface s end with ending (and go on before
 * it)?  What ends="…" tests. */
int surface_has_ending(const document *d, uint32_t s, const char *ending);

/* A rule that matched: where, and what its mention action made. */
typedef struct fired {
    uint32_t rule;
    uint32_t start, end;
    uint32_t made;        /* annotation made by the mention action */
    const captures *caps;
} fired;

/* rules-act.c: applies the actions of rule ru, which matched as f says;
 * 0, or -1 when out of memory. */
int rules_act(nertag_tagger *t, const rule *ru, fired *f);

#endif
