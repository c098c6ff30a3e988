/* cli.h - the nertag command: readers of its input formats, writers of its
 * output formats, and the pool that tags documents on several threads.
 *
 * The command works one document at a time, as a "job":
 *
 *   main.c    options, subcommands, the data folder
 *   input.c   cuts each input stream into jobs (a text file, a JSON line,
 *             a CoNLL document) and, on a worker, parses and tags a job
 *   output*.c formats one tagged document into the job's output
 *   relative.c data file names relative to the data folder (every writer)
 *   pool.c    runs jobs on N threads, each with its own tagger, and writes
 *             their output and messages in input order
 *   progress.c the progress line on standard error
 *
 * The objects depend on each other in one direction only: main on input
 * and pool, input on pool and output, output on its format files, which
 * sit on relative.c; the pool calls job_process through a pointer.
 *
 * A job is processed without touching anything but itself, the read-only
 * options and model, and the worker's own tagger, so that workers share no
 * mutable state; everything that spans documents (exit status, the HTML
 * legend, brat file names, progress) is kept by the writer, on the main
 * thread. */
#ifndef NERTAG_CLI_H
#define NERTAG_CLI_H

#include <stdio.h>
#include <sys/types.h>

#include "util/buf.h"
#include "util/json.h"
#include "nertag.h"

enum in_format { IN_TEXT, IN_JSONL, IN_CONLL };
enum out_format { OUT_JSONL, OUT_CONLL, OUT_TEXT, OUT_HTML, OUT_BRAT,
                  OUT_XML };
enum tag_scheme { SCHEME_IOB2, SCHEME_BIOES };
/* A rejected document: left out (its reason on standard error), written
 * as an error record in its place, or the end of the run. */
enum on_error { ON_ERROR_SKIP, ON_ERROR_EMIT, ON_ERROR_STOP };

/* Options of a run; read-only once the run starts. */
typedef struct cli_opts {
    enum in_format input;
    enum out_format output;
    enum tag_scheme scheme;       /* CoNLL output */
    const char *lang;             /* NULL = auto */
    const char *default_lang;     /* NULL = und */
#define CLI_MAX_LAYERS 16
    const char *layers[CLI_MAX_LAYERS];   /* --data after the first,
                                             NULL-terminated */
    int nlayers;
    int list_languages;           /* --list-languages */
    int token_column;             /* CoNLL input: 1-based */
    int replace_invalid;
    int explain;
    int color;                    /* inline text output in colours */
    int threads;                  /* -j: 1 tags on the main thread */
    int progress;                 /* -1 auto, 0 never, 1 always */
    int line_buffered;            /* write each document when it is ready;
                                     -1 until options are read: when
                                     output is not a regular file */
    enum on_error on_error;
    /* text longer than 32 windows is tagged through a moving window of
     * this many bytes ($NERTAG_STREAM_WINDOW, default 128 KiB) */
    size_t stream_window;
    const char *brat_dir;         /* brat: write NAME.txt/NAME.ann there */
    const char *model;            /* --model: the compiled model file */
    /* "<data dir>/": removed from the data file names in sources and
     * traces, so that output does not depend on where the data lies */
    const char *data_prefix;
} cli_opts;

/* One document on its way through the command. */
typedef struct job {
    /* set by the reader */
    const char *name;             /* input name, as shown in messages */
    long line;                    /* first input line, 0 for a whole file */
    buf in;                       /* the text, the JSON line or CoNLL lines */
    int raw;                      /* in is output as it is, untagged */
    /* set by job_process */
    buf out;                      /* for standard output */
    buf text;                     /* brat: the text of NAME.txt */
    buf docname;                  /* brat: NAME; html: the heading */
    buf err;                      /* messages for standard error */
    size_t counts[NERTAG_TYPE_COUNT];   /* mentions by type */
    int rejected;                 /* some of the input was rejected */
    /* the first reason, for --on-error=emit: the message without its
     * place, the input line, the byte in that line (or in the whole text
     * file) and the byte in the decoded "text" of a JSON line, or -1 */
    char why[300];
    long why_line;
    long long why_offset, why_text_offset;
    buf why_id;                   /* the document's id when known */
    int emitted;                  /* out is an error record */
    int partial;                  /* a part of a long document, not its end */
    int cont;                     /* a part after the first */
    int fatal;                    /* out of memory: the run stops */
    /* pool */
    int done;
    size_t in_flight;             /* bytes of in when it was queued */
} job;

/* source.c: one input read by lines or blocks.  Before a read that would
 * wait (a pipe or terminal with nothing in it), idle(ctx) is called. */
typedef struct in_source {
    int fd;
    int may_block;                /* not a regular file: poll first */
    char *data;
    size_t cap, start, end;       /* unread bytes: data[start..end) */
    int eof;
    int error;                    /* errno of a failed read */
    void (*idle)(void *ctx);
    void *ctx;
} in_source;
void source_init(in_source *s, int fd, void (*idle)(void *), void *ctx);
void source_free(in_source *s);
/* The next line with its '\n' (the last one may have none) in *line,
 * valid until the next call; returns its length, 0 at the end, -1 on a
 * read error (s->error). */
ssize_t source_line(in_source *s, const char **line);
/* The next bytes as they come, the same way. */
ssize_t source_read(in_source *s, const char **block);

/* input.c: readers.  Each cuts one input stream into jobs and hands them
 * to the pool; returns -1 only when the run cannot go on. */
struct pool;
int read_input(struct pool *p, const cli_opts *o, const char *name,
               in_source *in);
/* Parses, tags and formats one job; runs on a worker thread. */
void job_process(const cli_opts *o, nertag_tagger *t, job *j);
/* Adds "name:line: message" to the job's messages; the job is rejected. */
void job_reject(job *j, long line, const nertag_error *err);
void job_reject_msg(job *j, long line, const char *msg);
/* With --on-error=emit, writes the error record of a rejected job in
 * place of its output (CoNLL output: comment lines before it). */
int job_emit_error(const cli_opts *o, job *j);

/* What the writers need to know about one tagged document, or about one
 * part of a long text document tagged through a moving window (input.c):
 * its parts come in order, each with the text from the end of the part
 * before and the mentions and tokens that lie in it. */
typedef struct doc {
    const char *id;               /* document id or file name */
    const char *text;             /* the text, from document byte base on */
    size_t len;
    const nertag_result *r;       /* offsets in the whole document */
    /* JSONL input: the line, its members, and whether the output must
     * replace "text" (repaired) or add "lang" (absent from the input) */
    const char *line;
    const json_object *obj;
    int had_lang;
    int text_repaired;
    int from_conll;               /* CoNLL input: the text is made of tokens */
    /* token i of r starts a sentence when sent[i]; NULL: not known */
    const unsigned char *sent;
    /* parts: a whole document is one part, both first and last */
    size_t base;                  /* document byte of text[0] */
    size_t mention_base;          /* mentions in the parts before */
    size_t token_base;            /* tokens in the parts before */
    int first, last;
    char before;                  /* the byte before text[0], or 0 */
} doc;

/* relative.c: s with every "<data dir>/" removed, into out; returns
 * out->data (NULL when out of memory).  Shared by every writer. */
const char *out_relative(const cli_opts *o, const char *s, buf *out);

/* output.c: formats doc into j->out (and j->text, j->docname). */
int out_document(const cli_opts *o, job *j, const doc *d);
int out_trace_json(const cli_opts *o, buf *out, const nertag_result *r);
int out_explain(const cli_opts *o, buf *out, const char *id,
                const nertag_result *r);
/* The tag of every token of r in the scheme ("O", "B-STATE", "S-LOC" …);
 * tags[] points into names.  Mentions count tokens from token_base. */
int out_token_tags(const nertag_result *r, size_t token_base,
                   enum tag_scheme scheme, const char **tags, buf *names);

/* An error record in the output format, in place of a document; NULL
 * members are left out. */
typedef struct doc_error {
    const char *name;             /* input name */
    const char *id;               /* document id, or NULL */
    long line;                    /* input line, or 0 */
    const char *message;
    long long offset, text_offset;   /* or -1 */
} doc_error;
int out_error(const cli_opts *o, buf *out, const doc_error *e);

/* output-html.c */
int html_document(const cli_opts *o, job *j, const doc *d);
int html_begin(FILE *f);
int html_end(FILE *f, const size_t counts[NERTAG_TYPE_COUNT], size_t docs);
int html_error(buf *out, const doc_error *e);

/* output-brat.c */
int brat_document(const cli_opts *o, job *j, const doc *d);
/* Writes a job to DIR/NAME.txt and DIR/NAME.ann, or without dir its .ann
 * lines after "# NAME" to out; NAME is made unique within the run by names
 * (the writer's state).  Returns 0, or -1 with errno set and the file in
 * path. */
typedef struct brat_names brat_names;
brat_names *brat_names_new(void);
void brat_names_free(brat_names *n);
int brat_write(const char *dir, brat_names *names, const job *j, FILE *out,
               buf *path);
/* Writes DIR/annotation.conf, the entity types for brat; 0, or -1 with
 * errno set and the file in path. */
int brat_conf(const char *dir, buf *path);

/* output-xml.c */
int xml_document(const cli_opts *o, job *j, const doc *d);
int xml_error(buf *out, const doc_error *e);
/* The root element around the documents of a run. */
int xml_begin(FILE *f);
int xml_end(FILE *f);
/* Appends s[0..n) escaped for XML text (attr: for an attribute value). */
int xml_escape(buf *out, const char *s, size_t n, int attr);

/* pool.c */
typedef struct pool pool;
typedef struct pool_writer {
    FILE *out;
    FILE *msgs;                   /* messages; NULL: standard error */
    int status;                   /* 0, or 1 once an input was rejected */
    int failed;                   /* a write error or out of memory */
    int stopped;                  /* --on-error=stop met a rejection */
    size_t docs;
    size_t counts[NERTAG_TYPE_COUNT];
    brat_names *names;
    struct progress *progress;
} pool_writer;
/* Parses, tags and formats one job (job_process), on a worker: the pool
 * knows nothing of formats. */
typedef void (*pool_fn)(const cli_opts *o, nertag_tagger *t, job *j);
/* Starts o->threads workers (none for 1), each with its own tagger. */
pool *pool_new(const cli_opts *o, const nertag_model *m, pool_fn process,
               pool_writer *w, nertag_error *err);
/* A free job, waiting for (and writing) the oldest ones when all are in
 * use; NULL when the run must stop. */
job *pool_job(pool *p);
/* Queues the job filled by the reader; consumed counts input bytes. */
int pool_submit(pool *p, job *j, size_t consumed);
/* Called before the reader waits for input: wakes the workers for what is
 * queued and, with --line-buffered, writes every document in flight. */
void pool_idle(void *pool);
/* A long document, tagged by the reader itself: waits for every job in
 * flight and writes it, then returns a tagger that the reader may use
 * until its next pool_submit (NULL when the run must stop).  Its parts
 * are then given with pool_submit_done, formatted already. */
nertag_tagger *pool_drain(pool *p);
int pool_submit_done(pool *p, job *j, size_t consumed);
/* Waits for every job and writes it; stops the workers. */
int pool_finish(pool *p);
void pool_free(pool *p);

/* progress.c: "12.3 MB, 4500 documents, 35.1 MB/s" on a terminal. */
typedef struct progress progress;
progress *progress_new(FILE *tty);
void progress_add_total(progress *pr, long long bytes);
void progress_update(progress *pr, long long bytes, size_t docs);
/* Erases the line before a message is written on the same terminal. */
void progress_clear(progress *pr);
void progress_free(progress *pr);

#endif
