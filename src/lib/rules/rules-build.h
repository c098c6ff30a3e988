/* rules-build.h - what the files that build a ruleset from rule files
 * share, and nothing else includes:
 *
 *   rules-load.c     files, sections, lists, phases, rules (the top)
 *   rules-compile.c  patterns to programs, templates, actions, examples
 *   rules-syntax.c   lexing and parsing patterns and token tests to a tree
 *   rules-index.c    which rules may start on which word, stem or label
 *   rules-gates.c    what is tested of each rule before it is tried
 *
 * The language is described in doc/nertag-rules.5.
 */
#ifndef NERTAG_RULES_BUILD_H
#define NERTAG_RULES_BUILD_H

#include "lib/load.h"
#include "lib/rules/rules.h"

/* A key of a rule section, kept until the section ends. */
typedef struct kv {
    char *key, *value;
    long line, column;
} kv;
VEC_DECLARE(kv_vec, kv);

typedef struct parser {
    loader *load;
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

int fail(parser *p, long line, long column, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
int nomem(parser *p);
/* A failure at the current position of the pattern being compiled. */
#define FAIL_HERE(p, ...) \
    fail((p), (p)->line, (p)->column + (long)((p)->pos - (p)->src), __VA_ARGS__)

/* Stores a string in the ruleset; its offset, or NONE32. */
uint32_t rules_add_string(ruleset *r, const char *s, size_t n);

/* ------------------------------------------------------------ pattern tree */

enum node_kind { N_TEST, N_ANNOT, N_SEQ, N_ALT, N_REPEAT, N_CAPTURE };

typedef struct node {
    uint8_t kind;
    uint32_t arg, count;          /* N_TEST: test; N_ANNOT: labelset span */
    uint32_t capture;             /* N_CAPTURE */
    int min, max;                 /* N_REPEAT; max -1 = unbounded */
    uint32_t kid, nkids;          /* children: indices in ast.kids */
    uint8_t joined;               /* N_ANNOT joined from alternatives: a
                                     capture of it keeps no annotation */
} node;
VEC_DECLARE(node_vec, node);

typedef struct ast {
    node_vec nodes;
    u32_vec kids;
} ast;

/* ------------------------------------------------------------ syntax */

/* A new test: a or b (NONE32 when out of memory). */
uint32_t test_or(parser *p, uint32_t a, uint32_t b);
/* Parses a pattern (alternatives of sequences) at p->pos into tree a;
 * returns its root node, or NONE32 with the error set. */
uint32_t parse_alt(parser *p, ast *a, buf *tmp);
/* Lexicon id of a literal's folded form, which must be one token. */
int literal_id(parser *p, const char *s, uint32_t *id);
/* Adds the lexicon ids of the stem of s in each language to the ruleset's
 * stems; *first is where they start. */
int stem_ids(parser *p, const char *s, uint32_t *first);
/* A list of this file, or else of a file read before it. */
int find_list(parser *p, const char *name, uint32_t *list);

/* ------------------------------------------------------------ compiling */

/* What every match of a pattern contains: words of lists (bit per list
 * 0-63) and annotations (bit per label 0-63). */
typedef struct needs {
    uint64_t lists, labels;
    uint64_t far;          /* lists past the first 64: far_lists slots */
} needs;
/* The slot of list (past the first 64) in r->far_lists, added when new:
 * -1 when the 64 slots are taken, -2 when out of memory. */
int far_slot(ruleset *r, uint32_t list);
/* The slot of list in r->far_lists, or -1 when it has none. */
int far_slot_of(const ruleset *r, uint32_t list);

/* What a pattern value is: the match, or a context tested before or after
 * it (a context before is matched right to left). */
enum { PAT_MATCH, PAT_AFTER, PAT_BEFORE };

/* Parses and compiles one pattern value into prog. */
int compile_pattern(parser *p, const kv *k, int mode, program *prog,
                    needs *need);
/* canonical = / id = / for = : a template over the rule's captures. */
int compile_template(parser *p, const kv *k, template_ *t);
/* mention = / retype = / remove = / confirm = / alias = */
int compile_action(parser *p, const kv *k);
/* example = (positive) or counter = */
int compile_example(parser *p, const kv *k, int positive);

/* ------------------------------------------------------------ indexing */

/* Files rule ri under the keys its first step can start on. */
int index_rule(ruleset *r, uint32_t ri);
/* The token flags without which no rule of ph that may start anywhere
 * can start. */
void anywhere_flags(const ruleset *r, phase *ph);
/* Packs what the rules say of each word into ruleset.words. */
int pack_words(ruleset *r);

/* A walk over the steps of a program that a match may reach, each step
 * visited once: the stack of steps to visit and those already queued. */
typedef struct program_walk {
    const program *pg;
    uint32_t todo[RULE_MAX_PROGRAM];
    uint8_t seen[RULE_MAX_PROGRAM];
    size_t ntodo;
} program_walk;

/* rules-index.c.  walk_from: starts w at the n steps from[] of pg (-1
 * when pg is empty or too long to walk, or a step lies outside it);
 * walk_start: at pg's first step; walk_push: queues step pc unless queued
 * already (-1 when pc lies outside the program); walk_follow: queues where
 * the control step in at pc leads, a save, a jump or a split (-1 for
 * another step, or one that leads outside the program). */
int walk_from(program_walk *w, const program *pg, const uint32_t *from,
              size_t n);
int walk_start(program_walk *w, const program *pg);
int walk_push(program_walk *w, uint32_t pc);
int walk_follow(program_walk *w, const inst *in, uint32_t pc);

/* Most first steps a gate keeps: more, and the search itself is as
 * quick a way to reject a token. */
#define MAX_FIRST_STEPS 4

/* rules-index.c.  first_steps: the steps that may take the first token
 * of a match of pg (at most MAX_FIRST_STEPS), in steps, and their number
 * (0 when they are not known); first_step_keyed: 1 when the index can
 * find every token that step pc (a token or annotation step) takes by its
 * keys, 0 when not, -1 when out of memory.  A rule that may start
 * anywhere is also indexed under the keys of its keyed first steps. */
size_t first_steps(const ruleset *r, const program *pg,
                   uint32_t steps[MAX_FIRST_STEPS]);
/* rules-index.c.  next_steps: the steps that may take the next token on
 * a path of pg from step from (first_steps from its start), with the
 * peeks among them where peeks is set, at most max, in steps; their
 * number, or 0 when a path may end first or they are more than max. */
size_t next_steps(const ruleset *r, const program *pg, uint32_t from,
                  int peeks, uint32_t *steps, size_t max);
int first_step_keyed(const ruleset *r, uint32_t pc);

/* rules-gates.c: the gates of all the rules (after indexing); 0, or -1
 * when out of memory. */
int build_gates(ruleset *r);

#endif
