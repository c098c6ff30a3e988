/* eval-run.h - what the files of `nertag eval` share, and nothing else
 * includes:
 *
 *   eval.c        the command: options, inputs, the run
 *   scores.c      small text helpers, the type map, counts, differences,
 *                 inputs
 *   conll.c       CoNLL files, counted as conlleval counts them
 *   jsonl.c       gold and predicted JSON Lines, paired and compared
 *   report.c      the reports: conlleval's, text, HTML
 */
#ifndef NERTAG_EVAL_RUN_H
#define NERTAG_EVAL_RUN_H

#include "eval/eval.h"

/* Code points of context shown on each side of a difference. */
#define CONTEXT_CHARS 40
/* Nesting allowed in a JSONL line: a document holds entities that hold
 * lists, so a few levels are enough; the bound keeps hostile input cheap. */
#define JSON_DEPTH 16

#define NONE SIZE_MAX

VEC_DECLARE(size_vec, size_t);

/* One run of `nertag eval`: its options, map, counts and differences. */
typedef struct eval_ctx {
    const eval_options *o;
    eval_map map;
    eval_scores scores;
    eval_diffs diffs;
    FILE *err;
    const char *diff_doc;     /* CoNLL: the name shown as document */
} eval_ctx;

/* A type of the scores with its name, for reports in name order. */
typedef struct named_type {
    const char *name;
    uint32_t id;
} named_type;

/* ------------------------------------------------------------ scores.c */

/* Text helpers: UTF-8 continuation bytes, code points. */
int is_cont_byte(char c);
/* Byte offset of code point cp in s[0..len), or NONE past the end. */
size_t cp_to_byte(const char *s, size_t len, size_t cp);
/* Number of code points of s[0..len). */
size_t cp_count(const char *s, size_t len);
/* Appends s[0..n) to pool with control characters (newlines, tabs, NUL)
 * as spaces, so that each string stays on one line of a report, then a NUL
 * to end it; *off receives where it starts.  pool_addz: a C string. */
int pool_add(buf *pool, const char *s, size_t n, size_t *off);
int pool_addz(buf *pool, const char *s, size_t *off);
/* Splits s[0..n) into columns separated by runs of spaces and tabs; is
 * column f of s the word? */
int split_fields(const char *s, size_t n, eval_field_vec *f);
int field_is(const char *s, const eval_field *f, const char *word);
/* Removes the line end that getline keeps. */
size_t chomp(const char *line, size_t len);

/* The id of a type, with room for its counts; STRTAB_NONE when out of
 * memory.  Then one more gold, predicted or correct mention of it. */
uint32_t scores_type(eval_scores *s, const char *t, size_t n);
void count_gold(eval_scores *s, uint32_t type);
void count_pred(eval_scores *s, uint32_t type);
void count_correct(eval_scores *s, uint32_t type);
/* The types in name order (free the array). */
named_type *sorted_types(const eval_scores *s, size_t *n);

/* Fills x->text, x->left and x->right from the text s[0..len) where the
 * mention takes bytes [b, e); "…" marks where the context is cut. */
int diff_context(buf *pool, const char *s, size_t len, size_t b, size_t e,
                 eval_diff *x);
/* Differences in document, then text order (for qsort). */
int diff_cmp(const void *a, const void *b);

/* An input file ("-": standard input), or NULL with the reason reported. */
FILE *open_input(eval_ctx *x, const char *path);
void close_input(FILE *f);
/* Reports a rejected input with its place (line 0: none). */
void report_at(eval_ctx *x, const char *name, long line, const char *msg);

/* ------------------------------------------------------------ conll.c, jsonl.c */

/* Reads and scores the input of the run.  Returns 0, 1 when an input was
 * rejected, -1 when out of memory. */
int run_conll(eval_ctx *x);
int run_jsonl(eval_ctx *x);

/* ------------------------------------------------------------ report.c */

int report_text(const eval_ctx *x, FILE *out);
int report_html(const eval_ctx *x, FILE *out);
/* The differences as text, one a line, tab-separated. */
void report_diffs_text(const eval_ctx *x, FILE *out);

#endif
