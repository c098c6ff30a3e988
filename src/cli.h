/* cli.h - the nertag command: readers of its input formats and writers of
 * its output formats, around the library. */
#ifndef NERTAG_CLI_H
#define NERTAG_CLI_H

#include <stdio.h>

#include "buf.h"
#include "nertag.h"

enum in_format { IN_TEXT, IN_JSONL, IN_CONLL };
enum out_format { OUT_JSONL, OUT_CONLL, OUT_TEXT };

typedef struct cli {
    /* options */
    enum in_format input;
    enum out_format output;
    const char *lang;             /* NULL = auto */
    int token_column;             /* CoNLL: 1-based */
    int replace_invalid;
    int explain;
    int color;                    /* inline text output in colours */
    /* state */
    nertag_model *model;
    nertag_tagger *tagger;
    buf out;                      /* output of the current document */
    FILE *outf;
    int status;                   /* exit status so far: 0 or 1 */
} cli;

/* input.c: each reads one input stream to its end, tags every document
 * and writes the results; a rejected document is reported on standard
 * error with its place and sets status 1.  Returns -1 only when the run
 * cannot go on (out of memory, write error). */
int run_text(cli *c, const char *name, FILE *in);
int run_jsonl(cli *c, const char *name, FILE *in);
int run_conll(cli *c, const char *name, FILE *in);

/* output.c */
int out_mention_json(buf *out, const nertag_mention *m);
int out_entities_json(buf *out, const nertag_result *r);
int out_text_inline(buf *out, const char *text, size_t len,
                    const nertag_result *r, int color);
int out_explain(buf *out, const nertag_result *r);
/* IOB2 tag of every token of r, "O", "B-STATE", … */
int out_token_tags(const nertag_result *r, const char **tags, buf *names);
int out_flush(cli *c);

/* Reports a rejected input on standard error; status becomes 1. */
void report(cli *c, const char *name, long line, const nertag_error *err);

#endif
