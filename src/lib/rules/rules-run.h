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

/* What searches keep from one to the next: one memo, reused; and the
 * endings of each surface, by surface id, from document to document
 * (rules-match.c makes room for them). */
typedef struct search_memo {
    memo *memo;
    size_t cap;
    uint32_t stamp;
    captures caps;
    ends_memo_vec ends;
} search_memo;

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
