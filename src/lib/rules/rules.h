/* rules.h - the compiled form of rule files, shared by the files that build
 * it (rules-load.c and the files it uses, see rules-build.h), the matcher
 * that runs it (rules-match.c) and the compiled model (model-file.c).
 *
 * A pattern compiles to a small program for a backtracking-free matcher:
 * token tests, whole-annotation steps, splits and jumps, capture saves.
 * The rules of one phase are indexed by what their first step can see (a
 * folded word, a stem, an annotation label), so that at each token only the
 * rules that can start there are tried: the cost per token does not grow
 * with the number of rules.
 *
 * The arrays of these structures are written as they are to the compiled
 * model (model-file.c), so those filled from values made on the stack
 * (tests, instructions, pieces, actions, examples, lists) have no padding:
 * padding bytes are never set, and would go to the file uninitialised. */
#ifndef NERTAG_RULES_H
#define NERTAG_RULES_H

#include "lib/internal.h"

/* Longest stretch of tokens a pattern or a context may span. */
#define RULE_MAX_SPAN 64
/* Most captures in one rule, and most instructions in one program. */
#define RULE_MAX_CAPTURES 16
#define RULE_MAX_PROGRAM 512

/* ------------------------------------------------------------ token tests */

enum test_kind {
    T_TRUE,        /* "."                                       */
    T_FLAGS,       /* arg = token flags that must all be set    */
    T_FORM,        /* arg = lexicon id of the folded form       */
    T_WORD,        /* arg = offset of the exact text in strings */
    T_STEM,        /* arg = first of the stem's lexicon ids, one per
                      language, in ruleset->stems                */
    T_LIST,        /* arg = list index                          */
    T_IN,          /* arg = label, or NONE32 for any type; not
                      ambiguous annotations                     */
    T_LABEL,       /* arg = label, or NONE32: any annotation    */
    T_ENDS,        /* arg = offset of a folded ending in strings;
                      arg2 = its bit in a surface's memo of endings
                      (below ENDS_BITS), or NONE32                */
    T_NOT, T_AND, T_OR,   /* left, right: test indices          */
    T_CONJ,        /* a conjunction compiled to bit masks, then left */
    T_FORMS,       /* one of arg2 folded forms: their lexicon ids, sorted,
                      from arg in ruleset->form_sets ("a" | "b" | …) */
    T_ENDINGS      /* left | right, both T_ENDS or T_ENDINGS (ends="a" |
                      ends="b" | …) whose bits lie in one word of the
                      memo of endings, ends_word; arg, arg2: the low and
                      high halves of the mask of their bits in it   */
};

/* The memo of endings of a surface (ends_memo) has a bit for each of the
 * first ENDS_BITS endings the rules name; the others are compared on
 * every token. */
#define ENDS_WORDS 3
#define ENDS_BITS (64 * ENDS_WORDS)

typedef struct test {
    uint32_t kind;
    uint32_t arg, arg2;
    uint32_t left, right;
    /* T_CONJ: token flags and coverage bits it needs and forbids, lists
     * (0-63) the form or the stem must be in or not in, then test left
     * (NONE32 when nothing remains) */
    uint16_t need, forbid, cover_need, cover_forbid;
    uint32_t ends_word;      /* T_ENDINGS (0 otherwise: no byte of a test
                                is padding) */
    uint64_t form_in, form_out, stem_in, stem_out;
} test;
VEC_DECLARE(test_vec, test);

/* ------------------------------------------------------------ programs */

enum op {
    OP_TOKEN,      /* x = test; consumes one token                       */
    OP_ANNOT,      /* x = first label in labelsets, y = count; consumes a
                      whole annotation; slot = capture or NONE           */
    OP_SPLIT,      /* try x first, then y                                */
    OP_JMP,        /* go to x                                            */
    OP_SAVE,       /* slot = capture * 2 (+1 for its end)                */
    OP_PEEK,       /* x = test; the next token must pass it, and stays   */
    OP_MATCH
};

typedef struct inst {
    uint32_t op;
    uint32_t x, y;
    uint32_t slot;
} inst;
VEC_DECLARE(inst_vec, inst);

/* A program: instructions [start, start + len) of ruleset->code.  A
 * context that is one token ("[number]", "[upper] | [cap & !function]")
 * also has the one test that token must pass, which the phases ask of the
 * token beside the match without a search; NONE32 for another program. */
typedef struct program {
    uint32_t start, len;
    uint32_t one_token;
} program;

/* ------------------------------------------------------------ actions */

/* A template: literal pieces and capture references, in order. */
enum piece_kind { P_TEXT, P_CANONICAL, P_PLAIN_TEXT, P_ID, P_FOR };
typedef struct piece {
    uint32_t kind;
    uint32_t arg;      /* P_TEXT: offset in strings; others: capture */
} piece;
VEC_DECLARE(piece_vec, piece);

typedef struct template_ {
    uint32_t first, count;   /* pieces in ruleset->pieces; count 0 = unset */
} template_;

enum action_kind { A_MENTION, A_RETYPE, A_REMOVE, A_CONFIRM, A_ALIAS };
typedef struct action {
    uint32_t kind;
    uint32_t label;          /* A_MENTION, A_RETYPE */
    uint32_t capture;        /* target; NONE32 = the whole match */
    uint32_t capture2;       /* A_ALIAS: the entity it is an alias of */
} action;
VEC_DECLARE(action_vec, action);

typedef struct example {
    uint32_t text;           /* offset in strings: the text without marks */
    uint32_t expect;         /* offset: "start end TYPE canonical\n"…, code points */
    uint32_t line;
    uint32_t positive;
} example;
VEC_DECLARE(example_vec, example);

typedef struct rule {
    uint32_t name;           /* offset in strings */
    uint32_t source;         /* offset: "rule NAME (FILE:LINE)" */
    uint32_t file, line;     /* where it is defined */
    uint32_t phase;
    int lang;                /* a language, or -1 for all */
    int priority;
    program match;
    program context[4];      /* before, after, not-before, not-after */
    uint32_t ncaptures;
    uint32_t capture_names;  /* offset: names separated by NUL */
    uint32_t first_action, nactions;
    template_ canonical, id, for_;
    uint32_t first_example, nexamples;
    uint16_t first_flags;    /* flags the first token must have, and */
    uint16_t first_cover;    /* COVER_* bits it must have, unless */
    uint8_t first_annot;     /* the match may start with an annotation */
    uint32_t first_test;     /* the one test of its first token, or NONE32
                                when the first step may vary */
    /* A context before that is longer than one token: the token before
     * the match passes one of its nbefore first tests, at before_from in
     * next_tests, when it holds (0: none known).  Asked before the search,
     * as a context of one token before is. */
    uint32_t before_from, nbefore;
    /* What every match contains: words of lists (bit per list 0-63) and
     * annotations (bit per label 0-63).  A sentence without them all
     * cannot hold a match: the rule is not tried there. */
    uint64_t need_lists, need_labels;
    uint64_t need_far;       /* lists past the first 64: far_lists slots */
    /* document-has: the document must have a word of one of these lists */
    uint64_t document_lists;
    uint64_t document_far;   /* and of the lists beyond: far_lists slots */
} rule;
VEC_DECLARE(rule_vec, rule);

enum { CTX_BEFORE, CTX_AFTER, CTX_NOT_BEFORE, CTX_NOT_AFTER };

typedef struct word_list {
    uint32_t name;           /* offset in strings */
    uint32_t by_stem;        /* members are stems, else folded forms */
    uint32_t first, count;   /* members: lexicon ids in ruleset->list_items */
    uint32_t file, line;
} word_list;
VEC_DECLARE(list_vec, word_list);

/* Per phase: which rules may start on which key, and those that may start
 * anywhere. */
typedef struct phase {
    uint32_t name;
    strtab keys;             /* 8-byte keys: phase_key() */
    u32_vec key_first;       /* key index -> first entry in links */
    u32_vec links;           /* pairs (rule, next entry or NONE32) */
    u32_vec anywhere;        /* rules with no usable first key */
    uint16_t anywhere_flags; /* a token with none of these flags starts
                                none of them (0: no such shortcut) */
} phase;
VEC_DECLARE(phase_vec, phase);

/* KEY_ENDS: a word with an ending, by the ending's bit (ends="…"). */
enum key_kind { KEY_FORM = 1, KEY_STEM = 2, KEY_LABEL = 3, KEY_ENDS = 4 };

/* A key of a phase's index: its kind and id, and the language of the
 * rules it lists (a language's index, or -1 for a text in none).  A rule
 * of every language is listed under each, so a token finds only the
 * rules that speak its document's language. */
static inline uint64_t phase_key(uint32_t kind, int lang, uint32_t id)
{
    return (uint64_t)(kind | (uint32_t)(lang + 1) << 8) << 32 | id;
}

/* What the rules say of one lexicon id (see ruleset.words). */
typedef struct word_rules {
    uint32_t id;
    uint32_t form_phases, stem_phases;
    uint32_t pad;
    uint64_t lists;
} word_rules;
VEC_DECLARE(word_rules_vec, word_rules);

/* ------------------------------------------------------------ gates */

/* What is tested of a rule before it is tried (rules-gates.c builds them
 * with the rules, rules-match.c reads them), packed together: the
 * candidates of every token are checked against these, and the rule
 * records themselves are larger than the caches like.  No padding: the
 * compiled model holds them as they are. */
typedef struct gate {
    uint64_t need_lists, need_labels, need_far;   /* of the sentence */
    uint64_t document_lists, document_far;        /* of the document */
    uint32_t first_test;
    uint32_t first_from;  /* the steps one of which the first token must
                             pass, nfirst of them at first_from in
                             first_steps (0: not known); their tests are
                             run when first_test is NONE32, else
                             first_test is */
    uint32_t key_from;    /* the words the sentence must have: nkeys
                             keys at key_from in word_keys, in groups
                             (0: none known) */
    int16_t lang;
    uint16_t first_flags, first_cover;
    uint16_t nkeys;
    uint8_t first_annot;
    uint8_t nfirst;
    /* When the match has keys (the first group): every match passes a
     * step with one of them after at most reach_tokens tokens and
     * reach_annots annotations (REACH_NONE: no bound known) */
    uint8_t reach_tokens, reach_annots;
} gate;
#define REACH_NONE 0xFF
#define REACH_LIMIT 16
VEC_DECLARE(gate_vec, gate);

/* A step that may take the first token of a match, with the token flags
 * and COVER_* bits it needs and forbids, when its test says (0 else):
 * most tokens fail these, and no test need be run.  A copy of the step,
 * so that the gate is read without the program. */
typedef struct first_step {
    inst step;
    uint16_t need, forbid, cover_need, cover_forbid;
    uint32_t keyed;       /* found by the index under its keys: a rule
                             that may start anywhere is tried anywhere for
                             its other first steps alone */
    /* An annotation step: the token after the annotation passes one of
     * nfollow tests, at follow_from in next_tests, on every path of a
     * match (0: none known, a path may end or take an annotation first).
     * Most annotations start no match ("Paris said": a team needs a score
     * or a verb of sports next), and are turned away by these. */
    uint32_t follow_from, nfollow;
} first_step;
VEC_DECLARE(first_step_vec, first_step);

/* Words a rule needs.  The sentence keeps a bit set of the folded forms
 * and stems of its words (by a hash of their lexicon ids), and its lists;
 * a rule's gate keeps groups of words and lists: those one of which every
 * match must pass through, and those of each context that must hold
 * (before, after).  A sentence that lacks every key of a group cannot
 * hold a match ("US Open": no competition word, no search), or its
 * context.  A word key is its bit (word_bit), a list key KEY_IS_LIST |
 * list, or for a list past the first 64 KEY_IS_LIST | KEY_FAR_LIST | its
 * far_lists slot; the last key of a group has KEY_GROUP_END too. */
#define SENT_WORD_WORDS 16
#define SENT_WORD_BITS (64 * SENT_WORD_WORDS)
#define KEY_IS_LIST 0x80000000u
#define KEY_GROUP_END 0x40000000u
#define KEY_FAR_LIST 64u
#define KEY_VALUE(key) ((key) & ~(KEY_IS_LIST | KEY_GROUP_END))

/* Is list key value v (KEY_VALUE of a KEY_IS_LIST key) among lists (bit
 * per list 0-63) or far (bit per far_lists slot)? */
static inline int list_key_in(uint32_t v, uint64_t lists, uint64_t far)
{
    return (v & KEY_FAR_LIST ? far : lists) >> (v & 63) & 1;
}

static inline uint32_t word_bit(uint32_t kind, uint32_t id)
{
    uint64_t h = ((uint64_t)id + 1) * 0x9E3779B97F4A7C15ULL +
                 (uint64_t)kind * 0xC2B2AE3D27D4EB4FULL;
    return (uint32_t)(h >> 54) % SENT_WORD_BITS;
}

struct ruleset {
    rule_vec rules;
    u32_vec stems;           /* T_STEM: the stem of a word in each of the
                                nlangs languages, in turn */
    uint32_t nlangs;
    phase_vec phases;
    inst_vec code;
    test_vec tests;
    u32_vec labelsets;
    list_vec lists;
    strtab members;          /* 8-byte keys: list << 32 | lexicon id */
    u32_vec list_items;
    u32_vec form_sets;       /* the lexicon ids of T_FORMS tests */
    u32_vec far_lists;       /* lists past the first 64 that document-has
                                and the sentence test (need_far) use:
                                their slots */
    strtab phase_names;      /* declared in [phases], in order */
    int phases_declared;
    /* Bit p set when some rule of phase p may start on that key: a quick
     * test before looking the key up in the phase's index (phases 0-31). */
    uint32_t *label_phases;                /* by label id */
    size_t nlabels;
    /* The same for words and stems, and bit l set when the word is in list
     * l (lists 0-63; the members table serves the lists beyond): built by
     * lexicon id while loading, then packed into words, which holds only
     * the few thousand words the rules name (taggers keep what they read
     * of it with each distinct token). */
    uint32_t *form_phases, *stem_phases;   /* loading: by lexicon id */
    size_t nlexicon;
    uint64_t *list_bits;                   /* loading: by lexicon id */
    size_t nlist_bits;
    word_rules_vec words;                  /* sorted by id */
    /* By ending bit (ENDS_BITS of them, or none when no rule starts on an
     * ending): the phases whose rules may start on a word with that
     * ending, and the ending (offset in strings). */
    u32_vec ends_phases, ends_text;
    gate_vec gates;                        /* by rule (rules-gates.c) */
    first_step_vec first_steps;            /* of the gates */
    u32_vec word_keys;                     /* of the gates */
    u32_vec next_tests;                    /* of the token after a first
                                              annotation step, or before a
                                              match (first_step.follow_from,
                                              rule.before_from) */
    piece_vec pieces;
    action_vec actions;
    example_vec examples;
    buf strings;
};

const char *rules_str(const ruleset *r, uint32_t off);
/* The name of capture c of a rule. */
const char *rule_capture_name(const ruleset *r, const rule *ru, uint32_t c);

/* rules-index.c: the token flags, and the COVER_* bits, a token must
 * have to pass test t (0 when the test cannot say). */
uint16_t rules_test_flags(const ruleset *r, uint32_t t);
uint16_t rules_test_cover(const ruleset *r, uint32_t t);

/* rules-match.c */
typedef struct match_scratch match_scratch;
void match_scratch_free(match_scratch *m);

#endif
