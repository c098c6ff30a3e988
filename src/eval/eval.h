/* eval.h - scoring predictions against gold annotations: `nertag eval`.
 *
 *   nertag eval --gold GOLD.jsonl --pred PRED.jsonl [options]
 *   nertag eval --format conll [--pred] FILE [options]
 *
 * Two kinds of input:
 *
 *   jsonl  gold documents in the format of the guidelines (entities with
 *          code point offsets, a type, lists of accepted canonical names
 *          and of whom a spokesperson speaks for) and predictions in the
 *          command's own JSONL output, matched by "id" (by order when a
 *          prediction has no id).  Mentions count as correct on exact span
 *          and type.
 *   conll  one file whose last column is the predicted tag and the column
 *          before it the gold tag.  Chunks and counts are those of the
 *          CoNLL conlleval script, decision for decision (see eval.c), so
 *          that the scores and its report match it to the last digit.
 *
 * A type map (--map) renames types on both sides before anything is
 * counted; a type that the map neither renames nor names as a target is
 * ignored on both sides (in CoNLL files its tags become O).
 *
 * Nothing here keeps global state; every result is in the structures the
 * caller passes in. */
#ifndef NERTAG_EVAL_H
#define NERTAG_EVAL_H

#include <stdint.h>
#include <stdio.h>

#include "util/buf.h"
#include "util/strtab.h"
#include "util/vec.h"

/* ------------------------------------------------------------ type map */

typedef struct eval_pair {
    char *from;
    char *to;                 /* NULL: the type is ignored ("FROM=-") */
} eval_pair;

typedef struct eval_map {
    eval_pair *pairs;         /* owned, with their strings */
    size_t n;
} eval_map;

/* The mapping of the corpora README: STATE and LOC count as LOC, ORG and
 * GROUP as ORG, SPOKESPERSON, PERSON and PER as PER; anything else (MISC)
 * is ignored. */
#define EVAL_MAP_CONLL \
    "STATE=LOC,LOC=LOC,ORG=ORG,GROUP=ORG,SPOKESPERSON=PER,PERSON=PER,PER=PER"

/* Parses "FROM=TO,FROM=TO,…" (TO may be "-"), or "conll" for
 * EVAL_MAP_CONLL, into map.  Returns 0; -1 on a malformed spec with a
 * message in msg; -2 when out of memory. */
int eval_map_parse(eval_map *map, const char *spec, char *msg, size_t size);
void eval_map_free(eval_map *map);

/* Maps the type t[0..*n): returns 1 and sets *t and *n to the type to
 * count (unchanged when the map is empty or names t as a target), or 0
 * when the type is ignored. */
int eval_map_apply(const eval_map *map, const char **t, size_t *n);

/* ------------------------------------------------------------ scores */

typedef struct eval_count {
    size_t gold;              /* chunks or mentions in the gold data */
    size_t pred;              /* predicted ones */
    size_t correct;           /* predicted ones with the gold span and type */
} eval_count;
VEC_DECLARE(eval_count_vec, eval_count);

typedef struct eval_scores {
    strtab types;             /* type names: ids index per_type */
    eval_count_vec per_type;
    eval_count all;
    /* conll */
    size_t tokens;            /* lines that are not sentence boundaries */
    size_t correct_tags;      /* tokens whose two tags are equal */
    /* jsonl */
    size_t docs;              /* gold documents */
    size_t docs_missing;      /* gold documents without a prediction */
    size_t canon_total;       /* correct mentions with accepted names */
    size_t canon_correct;     /* ... whose predicted name is one of them */
    size_t for_total;         /* correct mentions of gold spokespeople */
    size_t for_correct;       /* ... whose "for" is accepted */
} eval_scores;

void eval_scores_free(eval_scores *s);
/* The counts of a type by name, or NULL when it never occurred. */
const eval_count *eval_scores_type(const eval_scores *s, const char *type);
/* Precision, recall and F1 of a count, in percent, computed as conlleval
 * does (0 when undefined). */
void eval_prf(const eval_count *c, double *p, double *r, double *f);

/* ------------------------------------------------------------ conlleval */

/* A tag split as conlleval splits it: the part before the first '-' and
 * the type after it (the whole tag and "" without a '-'). */
typedef struct eval_tag {
    int kind;                 /* enum tag_kind in eval.c */
    uint32_t prefix;          /* id in eval_conll.prefixes */
    uint32_t type;            /* id in eval_scores.types */
} eval_tag;

typedef struct eval_field {
    size_t off, len;
} eval_field;
VEC_DECLARE(eval_field_vec, eval_field);

/* What one line did to the chunks of each side (bits of eval_conll_line's
 * result). */
enum {
    EVAL_GOLD_END = 1, EVAL_GOLD_START = 2,
    EVAL_PRED_END = 4, EVAL_PRED_START = 8,
    EVAL_BOUNDARY = 16
};

/* The state of conlleval's reading loop. */
typedef struct eval_conll {
    const eval_map *map;      /* may be NULL or empty */
    strtab prefixes;
    eval_tag last_gold, last_pred;   /* the tags of the last line read */
    int in_correct;
    long columns;             /* columns - 1 of the first non-empty line */
    eval_field_vec fields;    /* the current line's columns */
    char msg[128];            /* why the last line was rejected */
} eval_conll;

/* Starts an evaluation; map may be NULL.  Returns 0, -1 out of memory. */
int eval_conll_init(eval_conll *c, const eval_map *map, eval_scores *s);
/* Counts one line (without its newline): returns a mask of EVAL_* bits,
 * -1 for a malformed line (c->msg says why; conlleval stops there too),
 * -2 when out of memory. */
int eval_conll_line(eval_conll *c, eval_scores *s, const char *line,
                    size_t len);
/* Ends the input: counts the chunk still open. */
void eval_conll_finish(eval_conll *c, eval_scores *s);
void eval_conll_free(eval_conll *c);

/* Writes conlleval's report of s byte for byte: the "processed" line, the
 * accuracy line and one line per type.  Returns 0, -1 out of memory. */
int eval_report_conlleval(const eval_scores *s, FILE *out);

/* ------------------------------------------------------------ differences */

enum eval_diff_kind {
    EVAL_MISS,                /* a gold mention nothing predicted */
    EVAL_FALSE_ALARM,         /* a prediction with no gold mention */
    EVAL_WRONG_TYPE,          /* gold span, another type */
    EVAL_WRONG_CANONICAL,     /* gold span and type, a name not accepted */
    EVAL_WRONG_FOR            /* gold spokesperson, "for" not accepted */
};

/* One difference; the strings are offsets of NUL-terminated strings in
 * eval_diffs.pool, so that the pool may grow. */
typedef struct eval_diff {
    enum eval_diff_kind kind;
    size_t doc;               /* document id (CoNLL: the file) */
    size_t start, end;        /* code points, end exclusive (CoNLL: the
                                 first and last line of the chunk) */
    size_t text;              /* the mention */
    size_t gold, pred;        /* type, names or "for" on each side */
    size_t left, right;       /* context before and after */
} eval_diff;
VEC_DECLARE(eval_diff_vec, eval_diff);

typedef struct eval_diffs {
    buf pool;
    eval_diff_vec v;
} eval_diffs;

void eval_diffs_free(eval_diffs *d);
const char *eval_diff_kind_name(enum eval_diff_kind kind);

/* ------------------------------------------------------------ the command */

enum eval_format { EVAL_JSONL, EVAL_CONLL };

typedef struct eval_options {
    enum eval_format format;
    const char *gold;         /* jsonl: the gold file */
    const char *pred;         /* the predictions ("-": standard input) */
    const char *map;          /* map spec, or NULL */
    int diff;                 /* list the differences */
    int html;                 /* one HTML page instead of text */
    int conlleval;            /* conll: conlleval's own report */
    int token_column;         /* conll: column shown in contexts, 1-based */
} eval_options;

/* Reads the inputs and counts, without a report: s and d (empty unless
 * o->diff) receive the results, which the caller frees.  Returns 0, 1 when
 * an input was unreadable or malformed (the reasons on err), 2 for a bad
 * map, -1 when out of memory. */
int eval_score(const eval_options *o, eval_scores *s, eval_diffs *d,
               FILE *err);

/* Runs one evaluation: the report goes to out, errors to err with their
 * file:line.  Returns the exit status: 0, 1 when an input was unreadable
 * or malformed (no report then), 2 for a bad option value. */
int eval_run(const eval_options *o, FILE *out, FILE *err);

/* `nertag eval ARGS`: argv[0] is "eval". */
int eval_main(int argc, char **argv);

#endif
