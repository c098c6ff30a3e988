/* input.c - reading the input formats of the nertag command.
 *
 *   text   each file (or standard input) is one document; one over 32
 *          windows is tagged here, through a moving window (long text)
 *   jsonl  one JSON object per line, with "text" and optionally "id" and
 *          "lang"; one line is one document, so memory does not grow with
 *          the length of the stream
 *   conll  one token per line in a given column, blank lines between
 *          sentences, -DOCSTART- lines between documents (without any,
 *          each sentence is a document)
 *
 * The readers (read_input) only cut the stream into jobs, on the main
 * thread; everything else (parsing, checking, tagging, formatting) happens
 * in job_process, on a worker, and may only touch the job.  A rejected
 * job keeps its first reason for --on-error=emit (job_emit_error).
 *
 * The command reads its documents through the public API; of the library's
 * internals it uses only util/: UTF-8 checks, errors, vectors. */
#include "cli/cli.h"
#include "util/error.h"
#include "util/utf8.h"
#include "util/vec.h"

#include <stdint.h>
#include <string.h>
#include <unistd.h>

/* ------------------------------------------------------------ messages */

void job_reject(job *j, long line, const nertag_error *err)
{
    char msg[600];
    nertag_error_format(err, msg, sizeof msg);
    if (line > 0)
        buf_printf(&j->err, "nertag: %s:%ld: %s\n", j->name, line, msg);
    else
        buf_printf(&j->err, "nertag: %s: %s\n", j->name, msg);
    if (!j->rejected) {
        snprintf(j->why, sizeof j->why, "%s", err->message);
        j->why_line = line;
        j->why_offset = err->offset;
        j->why_text_offset = -1;
    }
    j->rejected = 1;
}

/* A byte of a text file, counted in lines: where an error is said. */
static long line_of(const char *s, size_t n, long long offset)
{
    long line = 1;
    for (size_t i = 0; i < n && (long long)i < offset; i++)
        line += s[i] == '\n';
    return line;
}

int job_emit_error(const cli_opts *o, job *j)
{
    /* a text file's id is its name, as in its output */
    const char *id = j->why_id.len ? j->why_id.data
                     : o->input == IN_TEXT ? j->name : NULL;
    doc_error e = { j->name, id, j->why_line, j->why, j->why_offset,
                    j->why_text_offset };
    if (o->output == OUT_BRAT)
        return 0;        /* standoff files have no place for it */
    if (j->out.len && o->output == OUT_CONLL) {
        /* CoNLL documents keep every line, untagged ones with O: each
         * message as a comment line before them */
        buf out = BUF_INIT;
        const char *s = j->err.data, *end = s + j->err.len;
        int rc = 0;
        while (rc == 0 && s < end) {
            const char *nl = memchr(s, '\n', (size_t)(end - s));
            size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
            if (n > 8 && !memcmp(s, "nertag: ", 8))
                rc = buf_puts(&out, "# error: ") ||
                     buf_append(&out, s + 8, n - 8) || buf_putc(&out, '\n');
            s += n + 1;
        }
        rc = rc || buf_append(&out, j->out.data, j->out.len);
        if (rc == 0) {
            buf_free(&j->out);
            j->out = out;
        } else {
            buf_free(&out);
        }
        return rc;
    }
    if (j->out.len)
        return 0;        /* what could be read of it was tagged */
    j->emitted = 1;
    return out_error(o, &j->out, &e);
}

void job_reject_msg(job *j, long line, const char *msg)
{
    nertag_error e;
    memset(&e, 0, sizeof e);
    e.offset = -1;
    snprintf(e.message, sizeof e.message, "%s", msg);
    job_reject(j, line, &e);
}

/* A failed nertag_tag: out of memory stops the run, anything else only
 * rejects this document. */
static void tag_failed(job *j, long line, const nertag_error *err)
{
    job_reject(j, line, err);
    if (err->code == NERTAG_ERR_NOMEM)
        j->fatal = 1;
}

static nertag_options tag_options(const cli_opts *o, const char *lang)
{
    nertag_options opt = { lang ? lang : o->lang, 0, o->default_lang, { 0 } };
    if (o->replace_invalid)
        opt.flags |= NERTAG_TAG_REPLACE_INVALID;
    if (o->explain)
        opt.flags |= NERTAG_TAG_TRACE;
    return opt;
}

/* Makes sure b->data is a string, even when b is empty. */
static int terminate(buf *b)
{
    if (buf_reserve(b, 0) != 0)
        return -1;
    b->data[b->len] = '\0';
    return 0;
}

/* With --replace-invalid, replaces invalid UTF-8 and NUL bytes of s[0..n)
 * by U+FFFD into fixed, so that the text written out and the offsets of the
 * result agree.  Returns 1 when fixed holds a repaired copy, 0 when s was
 * valid, -1 when out of memory. */
static int repair(const char *s, size_t n, buf *fixed)
{
    if (utf8_first_invalid(s, n) == n)
        return 0;
    buf_clear(fixed);
    if (utf8_replace_invalid(s, n, fixed) != 0 || terminate(fixed) != 0)
        return -1;
    return 1;
}

/* ------------------------------------------------------------ text */

/* CoNLL output of text: which tokens of r start a sentence (but its first),
 * into *sent (kept in b). */
static int sentence_starts(const cli_opts *o, const nertag_result *r,
                           buf *b, const unsigned char **sent)
{
    *sent = NULL;
    size_t n = nertag_result_token_count(r);
    if (o->output != OUT_CONLL)
        return 0;
    buf_clear(b);
    for (size_t i = 0; i < n; i++)
        if (buf_putc(b, (char)(i && nertag_result_token_starts_sentence(r, i)))
            != 0)
            return -1;
    *sent = (const unsigned char *)b->data;
    return 0;
}

static void process_text(const cli_opts *o, nertag_tagger *t, job *j)
{
    const char *text = j->in.data ? j->in.data : "";
    size_t len = j->in.len;
    buf fixed = BUF_INIT;
    int rep = o->replace_invalid ? repair(text, len, &fixed) : 0;
    if (rep < 0) {
        j->fatal = 1;
        return;
    }
    if (rep) {
        text = fixed.data;
        len = fixed.len;
    }
    nertag_error err;
    nertag_options opt = tag_options(o, NULL);
    nertag_result *r = nertag_tag(t, text, len, &opt, &err);
    if (!r) {
        tag_failed(j, 0, &err);
        if (err.offset >= 0)
            j->why_line = line_of(text, len, err.offset);
    } else {
        buf sent = BUF_INIT;
        doc d = { .id = j->name, .text = text, .len = len, .r = r,
                  .first = 1, .last = 1 };
        if (sentence_starts(o, r, &sent, &d.sent) != 0 ||
            out_document(o, j, &d) != 0)
            j->fatal = 1;
        buf_free(&sent);
        nertag_result_free(r);
    }
    buf_free(&fixed);
}

/* ------------------------------------------------------------ jsonl */

/* Decodes the string member key of obj into out; 0 when absent, 1 when
 * found, -1 when it is not a string or badly encoded, -2 out of memory. */
static int string_member(const char *line, const json_object *obj,
                         const char *key, buf *out, json_error *jerr)
{
    long k = json_object_find(obj, line, key);
    buf_clear(out);
    if (k < 0)
        return 0;
    const json_member *m = &obj->members[k];
    /* a second member of the same name: which one the offsets refer to
     * is unclear, and readers that keep the last would pair them with the
     * wrong text */
    json_object rest = *obj;
    rest.members += k + 1;
    rest.count -= (size_t)k + 1;
    long again = json_object_find(&rest, line, key);
    if (again >= 0) {
        snprintf(jerr->message, sizeof jerr->message,
                 "duplicate \"%s\" member", key);
        jerr->offset = rest.members[again].key_start;
        return -1;
    }
    if (m->type != JSON_STRING) {
        snprintf(jerr->message, sizeof jerr->message,
                 "\"%s\" must be a string", key);
        jerr->offset = m->value_start;
        return -1;
    }
    int rc = json_string_decode(line + m->value_start, m->value_len, out,
                                jerr);
    if (rc == -1)
        jerr->offset += m->value_start;
    if (rc != 0)
        return rc;
    return terminate(out) == 0 ? 1 : -2;
}

/* The scratch of one JSON line. */
typedef struct jsonl_scratch {
    json_object obj;
    buf line, text, lang, id, fixed;
} jsonl_scratch;

static void jsonl_scratch_free(jsonl_scratch *s)
{
    json_object_free(&s->obj);
    buf_free(&s->line);
    buf_free(&s->text);
    buf_free(&s->lang);
    buf_free(&s->id);
    buf_free(&s->fixed);
}

/* Parses the line and decodes "text" and "lang"; 1 when the line can be
 * tagged, 0 when it was rejected, -1 out of memory. */
static int jsonl_parse(const cli_opts *o, job *j, const char *line,
                       size_t len, jsonl_scratch *s, int *has_lang)
{
    json_error jerr;
    memset(&jerr, 0, sizeof jerr);
    int rc = json_parse_object(line, len, 64, &s->obj, &jerr);
    /* the id of a rejected line, for its error record */
    json_error ignored;
    if (rc == 0 && o->on_error == ON_ERROR_EMIT &&
        string_member(line, &s->obj, "id", &j->why_id, &ignored) <= 0)
        buf_clear(&j->why_id);
    int has_text = rc == 0 ? string_member(line, &s->obj, "text", &s->text,
                                           &jerr) : rc;
    *has_lang = has_text > 0 ? string_member(line, &s->obj, "lang", &s->lang,
                                             &jerr) : 0;
    if (rc == -2 || has_text == -2 || *has_lang == -2)
        return -1;
    if (rc != 0 || has_text < 0 || *has_lang < 0) {
        nertag_error err;
        memset(&err, 0, sizeof err);
        err.offset = (long long)jerr.offset;
        snprintf(err.message, sizeof err.message, "%s", jerr.message);
        job_reject(j, j->line, &err);
        return 0;
    }
    if (!has_text) {
        job_reject_msg(j, j->line, "no \"text\" member");
        return 0;
    }
    return 1;
}

/* The id of a JSON line for the formats that show one: its "id" member
 * when that is a string, else NAME:LINE. */
static const char *jsonl_id(const job *j, const char *line, jsonl_scratch *s)
{
    json_error ignored;
    if (string_member(line, &s->obj, "id", &s->id, &ignored) <= 0) {
        buf_clear(&s->id);
        if (buf_printf(&s->id, "%s:%ld", j->name, j->line) != 0)
            return NULL;
    }
    return s->id.data;
}

static void process_jsonl(const cli_opts *o, nertag_tagger *t, job *j)
{
    jsonl_scratch s;
    memset(&s, 0, sizeof s);
    const char *line = j->in.data ? j->in.data : "";
    size_t len = j->in.len;
    /* a raw invalid byte would make the whole line invalid JSON */
    int rep = o->replace_invalid ? repair(line, len, &s.line) : 0;
    if (rep > 0) {
        line = s.line.data;
        len = s.line.len;
    }
    int has_lang = 0;
    int ok = rep < 0 ? -1 : jsonl_parse(o, j, line, len, &s, &has_lang);
    /* "\u0000" decodes to a NUL byte: repaired like raw bytes */
    int text_rep = ok > 0 && o->replace_invalid
                   ? repair(s.text.data, s.text.len, &s.fixed) : 0;
    if (ok < 0 || text_rep < 0) {
        j->fatal = 1;
        jsonl_scratch_free(&s);
        return;
    }
    if (ok > 0) {
        const buf *text = text_rep ? &s.fixed : &s.text;
        nertag_error err;
        nertag_options opt = tag_options(o, has_lang ? s.lang.data : NULL);
        nertag_result *r = nertag_tag(t, text->data, text->len, &opt, &err);
        if (!r) {
            long long text_offset = err.offset;
            char message[sizeof err.message];
            memcpy(message, err.message, sizeof message);
            /* an offset in the decoded text, not in the line: said so */
            if (err.offset >= 0) {
                char m[sizeof err.message];
                snprintf(m, sizeof m, "byte %lld of \"text\": %.200s",
                         err.offset, err.message);
                snprintf(err.message, sizeof err.message, "%s", m);
                err.offset = -1;
            }
            tag_failed(j, j->line, &err);
            snprintf(j->why, sizeof j->why, "%s", message);
            j->why_text_offset = text_offset;
        } else {
            const char *id = jsonl_id(j, line, &s);
            buf sent = BUF_INIT;
            doc d = { .id = id, .text = text->data, .len = text->len, .r = r,
                      .line = line, .obj = &s.obj, .had_lang = has_lang,
                      .text_repaired = text_rep || rep, .first = 1,
                      .last = 1 };
            if (!id || sentence_starts(o, r, &sent, &d.sent) != 0 ||
                out_document(o, j, &d) != 0)
                j->fatal = 1;
            buf_free(&sent);
            nertag_result_free(r);
        }
    }
    jsonl_scratch_free(&s);
}

/* ------------------------------------------------------------ conll */

/* A CoNLL job holds the lines of one document, each ended by '\n' (a CR
 * before it removed); j->line is the number of the first. */

static int is_docstart(const char *s, size_t n)
{
    return n >= 10 && !memcmp(s, "-DOCSTART-", 10) &&
           (n == 10 || s[10] == ' ' || s[10] == '\t');
}

static int blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return 0;
    return 1;
}

/* The column separator of a line: tabs when it has one, else spaces. */
static char line_sep(const char *s, size_t n)
{
    return memchr(s, '\t', n) ? '\t' : ' ';
}

/* Finds column col (1-based) of s[0..n); 0 when missing or empty.  Runs of
 * spaces count as one separator, since space-separated files align
 * their columns; tabs separate exactly. */
static int find_column(const char *s, size_t n, int col, char sep,
                       size_t *off, size_t *len)
{
    size_t i = 0;
    if (sep == ' ')
        while (i < n && s[i] == ' ')
            i++;
    for (int k = 1; i <= n; k++) {
        const char *e = memchr(s + i, sep, n - i);
        size_t end = e ? (size_t)(e - s) : n;
        if (k == col) {
            *off = i;
            *len = end - i;
            return end > i;
        }
        if (!e)
            return 0;
        i = end + 1;
        if (sep == ' ')
            while (i < n && s[i] == ' ')
                i++;
    }
    return 0;
}

/* A -DOCSTART- line: at the start of the line, or in the token column as
 * in "0<TAB>-DOCSTART-<TAB>O". */
/* Does l[0..ll) contain "-DOCSTART-" anywhere? */
static int has_docstart_text(const char *l, size_t ll)
{
    static const char mark[] = "-DOCSTART-";
    const size_t n = sizeof mark - 1;
    for (const char *d = memchr(l, '-', ll); d && (size_t)(l + ll - d) >= n;
         d = memchr(d + 1, '-', (size_t)(l + ll - d - 1)))
        if (memcmp(d, mark, n) == 0)
            return 1;
    return 0;
}

static int docstart_line(const cli_opts *o, const char *l, size_t ll)
{
    size_t off, len;
    /* most lines have no "-DOCSTART-" anywhere: their columns are not cut */
    if (!has_docstart_text(l, ll))
        return 0;
    return is_docstart(l, ll) ||
           (find_column(l, ll, o->token_column, line_sep(l, ll), &off, &len)
            && is_docstart(l + off, len));
}

VEC_DECLARE(token_in_vec, nertag_token_in);
VEC_DECLARE(size_vec, size_t);

typedef struct conll_doc {
    token_in_vec toks;
    size_vec tok_of_line;          /* token index of each line, or SIZE_MAX */
    buf sent;                      /* 1 for the tokens that start a sentence */
} conll_doc;

/* Next line of s[*pos..n), without its '\n'. */
static int next_line(const char *s, size_t n, size_t *pos, const char **l,
                     size_t *ll)
{
    if (*pos >= n)
        return 0;
    const char *e = memchr(s + *pos, '\n', n - *pos);
    *l = s + *pos;
    *ll = e ? (size_t)(e - *l) : n - *pos;
    *pos += *ll + 1;
    return 1;
}

/* Collects the tokens of the document; lines without a token column or
 * with invalid UTF-8 are reported and left untagged. */
static int conll_tokens(const cli_opts *o, job *j, const char *s, size_t n,
                        conll_doc *d)
{
    const char *l;
    size_t ll, pos = 0;
    int new_sentence = 1;
    for (long lineno = j->line; next_line(s, n, &pos, &l, &ll); lineno++) {
        size_t tok = SIZE_MAX, off = 0, len = 0, bad;
        /* the token column, found once for both questions */
        int is_blank = blank(l, ll);
        int found = !is_blank && find_column(l, ll, o->token_column,
                                             line_sep(l, ll), &off, &len);
        if (is_blank || is_docstart(l, ll) ||
            (found && is_docstart(l + off, len))) {
            new_sentence = 1;
        } else if (!found) {
            char msg[100];
            snprintf(msg, sizeof msg, "no token in column %d",
                     o->token_column);
            job_reject_msg(j, lineno, msg);
        } else if ((bad = utf8_first_invalid(l + off, len)) < len) {
            nertag_error e;
            err_set(&e, NERTAG_ERR_UTF8, l[off + bad] ? "invalid UTF-8"
                                                      : "NUL byte");
            e.offset = (long long)(off + bad);   /* in the line */
            job_reject(j, lineno, &e);
        } else {
            nertag_token_in ti = { l + off, len, new_sentence };
            tok = d->toks.n;
            if (token_in_vec_push(&d->toks, ti) != 0 ||
                buf_putc(&d->sent, (char)new_sentence) != 0)
                return -1;
            new_sentence = 0;
        }
        if (size_vec_push(&d->tok_of_line, tok) != 0)
            return -1;
    }
    return 0;
}

/* CoNLL in, CoNLL out: every line again, with the tag as a new last
 * column; blank lines stay blank. */
static int conll_echo(const cli_opts *o, job *j, const char *s, size_t n,
                      const conll_doc *d, const nertag_result *r)
{
    const char **tags = NULL;
    buf names = BUF_INIT;
    int rc = 0;
    if (r) {
        tags = malloc((d->toks.n + 1) * sizeof *tags);
        rc = !tags || out_token_tags(r, 0, o->scheme, tags, &names);
    }
    /* a line of one column takes the separator of the others */
    char doc_sep = line_sep(s, n);
    const char *l;
    size_t ll, pos = 0;
    for (size_t i = 0; rc == 0 && next_line(s, n, &pos, &l, &ll); i++) {
        size_t tok = d->tok_of_line.v[i];
        rc = buf_append(&j->out, l, ll);
        if (rc == 0 && !blank(l, ll))
            rc = buf_printf(&j->out, "%c%s",
                            memchr(l, ' ', ll) ? line_sep(l, ll) : doc_sep,
                            tok != SIZE_MAX && tags ? tags[tok] : "O");
        rc = rc || buf_putc(&j->out, '\n');
    }
    if (rc == 0 && r && o->explain) {
        char id[300];
        snprintf(id, sizeof id, "%s:%ld", j->name, j->line);
        rc = out_explain(o, &j->out, id, r);
    }
    free(tags);
    buf_free(&names);
    return rc;
}

/* CoNLL in, another format out: the text the offsets refer to is the
 * tokens joined by single spaces; a line break stands for the space before
 * each sentence, which keeps every offset. */
static int conll_as_text(const cli_opts *o, job *j, const conll_doc *d,
                         const nertag_result *r)
{
    buf text = BUF_INIT;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < d->toks.n; i++)
        rc = (i && buf_putc(&text, d->toks.v[i].sentence_start ? '\n' : ' ')) ||
             buf_append(&text, d->toks.v[i].text, d->toks.v[i].len);
    char id[300];
    snprintf(id, sizeof id, "%s:%ld", j->name, j->line);
    doc dd = { .id = id, .text = text.data ? text.data : "",
               .len = text.len, .r = r, .from_conll = 1,
               .sent = (const unsigned char *)d->sent.data, .first = 1,
               .last = 1 };
    rc = rc || out_document(o, j, &dd);
    buf_free(&text);
    return rc;
}

static void process_conll(const cli_opts *o, nertag_tagger *t, job *j)
{
    const char *s = j->in.data ? j->in.data : "";
    size_t n = j->in.len;
    buf fixed = BUF_INIT;
    int rep = o->replace_invalid ? repair(s, n, &fixed) : 0;
    if (rep > 0) {
        s = fixed.data;
        n = fixed.len;
    }
    conll_doc d;
    memset(&d, 0, sizeof d);
    nertag_result *r = NULL;
    int rc = rep < 0 ? -1 : conll_tokens(o, j, s, n, &d);
    if (rc == 0 && d.toks.n) {
        nertag_error err;
        nertag_options opt = tag_options(o, NULL);
        r = nertag_tag_tokens(t, d.toks.v, d.toks.n, &opt, &err);
        if (!r)
            tag_failed(j, j->line, &err);
    }
    if (rc == 0 && o->output == OUT_CONLL)
        rc = conll_echo(o, j, s, n, &d, r);
    else if (rc == 0 && r)
        rc = conll_as_text(o, j, &d, r);
    if (rc != 0)
        j->fatal = 1;
    nertag_result_free(r);
    token_in_vec_free(&d.toks);
    size_vec_free(&d.tok_of_line);
    buf_free(&d.sent);
    buf_free(&fixed);
}

/* ------------------------------------------------------------ jobs */

void job_process(const cli_opts *o, nertag_tagger *t, job *j)
{
    /* pool_job has emptied the outputs */
    if (j->raw) {
        if (buf_append(&j->out, j->in.data ? j->in.data : "", j->in.len))
            j->fatal = 1;
    } else {
        switch (o->input) {
        case IN_TEXT: process_text(o, t, j); break;
        case IN_JSONL: process_jsonl(o, t, j); break;
        case IN_CONLL: process_conll(o, t, j); break;
        }
    }
    if (j->rejected && !j->fatal && o->on_error == ON_ERROR_EMIT &&
        job_emit_error(o, j) != 0)
        j->fatal = 1;
}

/* ------------------------------------------------------------ readers */

/* A failed read, said on the job of the document being read. */
static void read_failed(job *j, long line, const in_source *in)
{
    char msg[200];
    snprintf(msg, sizeof msg, "read error: %s", strerror(in->error));
    job_reject_msg(j, line, msg);
}

/* ------------------------------------------------------------ long text
 *
 * A text document longer than 32 windows is not held whole: the reader
 * tags it itself, through a window that moves over it (nertag_stream), and
 * writes each part as soon as it is tagged: the text up to the end of the
 * last whole sentence tagged, with its mentions.  Memory stays that of a
 * few windows whatever the length.  Shorter documents are tagged whole,
 * as they always were; the stream gives the same mentions but for what
 * its documentation says (the language is chosen on the first window).
 * --explain tags whole, since the trace of a window repeats that of the
 * sentence carried over from the one before. */

typedef struct text_stream {
    pool *p;
    const cli_opts *o;
    const char *name;
    nertag_tagger *t;
    nertag_stream *s;
    buf text;                     /* the document from byte base on, not
                                     written yet */
    size_t base;
    size_t mentions, tokens;      /* written so far */
    long lines;                   /* line breaks before base */
    char before;                  /* the byte before base */
    int started;                  /* the first part is written */
    size_t consumed;              /* input bytes since the last part */
    buf carry;                    /* --replace-invalid: a character cut at
                                     the end of a block */
    buf fixed;
} text_stream;

/* Writes the part of r: the text up to the end of its last token (all of
 * it for the last part). */
static int write_part(text_stream *ts, nertag_result *r, int last)
{
    size_t ntok = nertag_result_token_count(r);
    if (!last && !ntok)
        return 0;
    size_t end = ts->base + ts->text.len, b;
    if (!last)
        nertag_result_token(r, ntok - 1, &b, &end);
    job *j = pool_job(ts->p);
    if (!j)
        return -1;
    j->name = ts->name;
    buf sent = BUF_INIT;
    doc d = { .id = ts->name, .text = ts->text.data ? ts->text.data : "",
              .len = end - ts->base, .r = r, .base = ts->base,
              .mention_base = ts->mentions, .token_base = ts->tokens,
              .first = !ts->started, .last = last, .before = ts->before };
    if (sentence_starts(ts->o, r, &sent, &d.sent) != 0 ||
        out_document(ts->o, j, &d) != 0)
        j->fatal = 1;
    buf_free(&sent);
    j->partial = !last;
    j->cont = ts->started;
    ts->started = 1;
    ts->mentions += nertag_result_count(r);
    ts->tokens += ntok;
    for (size_t i = 0; i < d.len; i++)
        ts->lines += d.text[i] == '\n';
    if (d.len)
        ts->before = d.text[d.len - 1];
    memmove(ts->text.data, ts->text.data + d.len, ts->text.len - d.len);
    ts->text.len -= d.len;
    ts->base = end;
    size_t consumed = ts->consumed;
    ts->consumed = 0;
    return pool_submit_done(ts->p, j, consumed);
}

/* The stream failed (invalid UTF-8, a read error, out of memory): before
 * the first part, the document is rejected as a whole one is; after it,
 * its output is closed where it stands and the reason said after it. */
static int stream_failed(text_stream *ts, const nertag_error *err)
{
    long line = 0;
    if (err->offset >= (long long)ts->base) {
        size_t k = (size_t)(err->offset - (long long)ts->base);
        line = ts->lines + 1;
        for (size_t i = 0; i < k && i < ts->text.len; i++)
            line += ts->text.data[i] == '\n';
    }
    /* the text not tagged is not written (it may be what failed) */
    ts->text.len = 0;
    if (ts->started && write_part(ts, NULL, 1) != 0)
        return -1;
    job *j = pool_job(ts->p);
    if (!j)
        return -1;
    j->name = ts->name;
    job_reject(j, 0, err);
    if (err->code == NERTAG_ERR_NOMEM)
        j->fatal = 1;
    j->why_line = line;
    if (ts->started)
        j->raw = 1;              /* the document is written already */
    else if (ts->o->on_error == ON_ERROR_EMIT && job_emit_error(ts->o, j))
        j->fatal = 1;
    size_t consumed = ts->consumed;
    ts->consumed = 0;
    return pool_submit_done(ts->p, j, consumed) == 0 ? 1 : -1;
}

/* Gives s[0..n) to the stream, a block at a time; returns 0, 1 when the
 * document failed (said), -1 when the run must stop. */
static int stream_feed(text_stream *ts, const char *s, size_t n, int final)
{
    if (ts->o->replace_invalid) {
        /* repaired here rather than by the stream, so that the text
         * written out is the text the offsets refer to */
        buf_clear(&ts->fixed);
        size_t keep = final ? 0 : utf8_incomplete_tail(s, n);
        int rc = buf_append(&ts->carry, s, n - keep) ||
                 utf8_replace_invalid(ts->carry.data ? ts->carry.data : "",
                                      ts->carry.len, &ts->fixed);
        buf_clear(&ts->carry);
        if (rc || buf_append(&ts->carry, s + n - keep, keep))
            return -1;
        s = ts->fixed.data ? ts->fixed.data : "";
        n = ts->fixed.len;
    }
    if (buf_append(&ts->text, s, n) != 0)
        return -1;
    nertag_error err;
    for (size_t pos = 0; pos < n || (final && pos == n);) {
        size_t k = n - pos < ((size_t)64 << 10) ? n - pos : (size_t)64 << 10;
        nertag_result *r = k ? nertag_stream_feed(ts->s, s + pos, k, &err)
                             : nertag_stream_finish(ts->s, &err);
        if (!r)
            return stream_failed(ts, &err);
        int rc = write_part(ts, r, !k);
        nertag_result_free(r);
        if (rc != 0)
            return -1;
        if (!k)
            break;
        pos += k;
        if (pos == n && !final)
            break;
    }
    return 0;
}

/* Tags the text document whose beginning is in j->in, and the rest of in,
 * through a window. */
static int read_long_text(pool *p, const cli_opts *o, const char *name,
                          job *j, in_source *in)
{
    buf head = j->in;
    size_t head_bytes = head.len;
    j->in = (buf)BUF_INIT;       /* the slot is used for the parts */
    text_stream ts = { .p = p, .o = o, .name = name };
    nertag_error err;
    nertag_options opt = tag_options(o, NULL);
    int rc = -1;
    if ((ts.t = pool_drain(p)) &&
        (ts.s = nertag_stream_new(ts.t, &opt, o->stream_window, &err))) {
        ts.consumed = head_bytes;
        rc = stream_feed(&ts, head.data, head.len, 0);
        buf_free(&head);
        const char *block;
        ssize_t n = 0;
        while (rc == 0 && (n = source_read(in, &block)) > 0) {
            ts.consumed += (size_t)n;
            rc = stream_feed(&ts, block, (size_t)n, 0);
        }
        if (rc == 0 && n < 0) {
            err_set(&err, NERTAG_ERR_IO, "read error: %s",
                    strerror(in->error));
            rc = stream_failed(&ts, &err);
        } else if (rc == 0) {
            rc = stream_feed(&ts, "", 0, 1);
        }
    } else if (ts.t) {
        /* only out of memory: the options were checked */
        job *e = pool_job(p);
        if (e) {
            e->name = name;
            e->raw = 1;
            e->fatal = 1;
            pool_submit_done(p, e, head_bytes);
        }
    }
    nertag_stream_free(ts.s);
    buf_free(&head);
    buf_free(&ts.text);
    buf_free(&ts.carry);
    buf_free(&ts.fixed);
    return rc < 0 ? -1 : 0;
}

static int read_text(pool *p, const cli_opts *o, const char *name,
                     in_source *in)
{
    job *j = pool_job(p);
    if (!j)
        return -1;
    j->name = name;
    /* a document longer than this (4 MiB) goes through the window */
    size_t whole = o->explain ? SIZE_MAX : 32 * o->stream_window;
    const char *block;
    ssize_t n;
    while ((n = source_read(in, &block)) > 0) {
        if (buf_append(&j->in, block, (size_t)n) != 0)
            return -1;
        if (j->in.len > whole)
            return read_long_text(p, o, name, j, in);
    }
    if (n < 0) {
        /* the job still goes through the pool so that the message keeps
         * its place among the others */
        buf_clear(&j->in);
        j->raw = 1;
        read_failed(j, 0, in);
    }
    return pool_submit(p, j, j->in.len);
}

/* One line without its line break (and without a CR before it). */
static size_t chomp(const char *line, ssize_t n)
{
    size_t len = (size_t)n;
    if (len && line[len - 1] == '\n')
        len--;
    if (len && line[len - 1] == '\r')
        len--;
    return len;
}

static int read_jsonl(pool *p, const char *name, in_source *in)
{
    const char *line;
    size_t skipped = 0;
    ssize_t n;
    long lineno = 0;
    int rc = 0;
    while (rc == 0 && (n = source_line(in, &line)) > 0) {
        lineno++;
        size_t len = chomp(line, n);
        if (blank(line, len)) {
            skipped += (size_t)n;
            continue;
        }
        job *j = pool_job(p);
        if (!j || buf_append(&j->in, line, len) != 0) {
            rc = -1;
            break;
        }
        j->name = name;
        j->line = lineno;
        rc = pool_submit(p, j, (size_t)n + skipped);
        skipped = 0;
    }
    if (rc == 0 && n < 0) {
        job *j = pool_job(p);
        if (!j)
            return -1;
        j->name = name;
        j->raw = 1;
        read_failed(j, lineno + 1, in);
        rc = pool_submit(p, j, 0);
    }
    return rc;
}

/* CoNLL documents.  A file with -DOCSTART- lines is cut at them, and
 * after this many sentences so that memory stays bounded.  A file without
 * any is cut after each sentence (at the blank line that ends it, which
 * belongs to it, as do the blank lines before it): most corpora without
 * them are sentences from unrelated documents, and a name in one sentence
 * says nothing of the next.  A regular file is searched for a -DOCSTART-
 * line first; a pipe, which cannot be read ahead, is judged by its first
 * line that is not blank, and a -DOCSTART- line later cuts documents from
 * there on. */
#define CONLL_MAX_SENTENCES 1000

enum conll_cut { CUT_UNKNOWN, CUT_DOCSTART, CUT_SENTENCE };

/* How a regular file is cut: reads it from the current offset, then goes
 * back there. */
static enum conll_cut conll_file_cut(const cli_opts *o, int fd)
{
    off_t at = lseek(fd, 0, SEEK_CUR);
    if (at < 0)
        return CUT_UNKNOWN;
    in_source scan;
    source_init(&scan, fd, NULL, NULL);
    const char *line;
    ssize_t n;
    enum conll_cut cut = CUT_SENTENCE;
    while (cut == CUT_SENTENCE && (n = source_line(&scan, &line)) > 0) {
        size_t len = chomp(line, n);
        if (!blank(line, len) && docstart_line(o, line, len))
            cut = CUT_DOCSTART;
    }
    if (scan.error)
        cut = CUT_UNKNOWN;
    source_free(&scan);
    return lseek(fd, at, SEEK_SET) == at ? cut : CUT_UNKNOWN;
}

static int read_conll(pool *p, const cli_opts *o, const char *name,
                      in_source *in)
{
    const char *line;
    size_t consumed = 0, sentences = 0;
    ssize_t n;
    long lineno = 0;
    job *j = NULL;
    int rc = 0, tokens = 0;
    enum conll_cut cut = in->may_block ? CUT_UNKNOWN
                                       : conll_file_cut(o, in->fd);
    while (rc == 0 && (n = source_line(in, &line)) > 0) {
        lineno++;
        size_t len = chomp(line, n);
        int empty = blank(line, len);
        int start = !empty && docstart_line(o, line, len);
        if (start)
            cut = CUT_DOCSTART;
        else if (!empty && cut == CUT_UNKNOWN)
            cut = CUT_SENTENCE;
        if (j && start) {
            rc = pool_submit(p, j, consumed);
            j = NULL;
        }
        if (!j) {
            if (rc != 0 || !(j = pool_job(p))) {
                rc = -1;
                break;
            }
            j->name = name;
            j->line = lineno;
            consumed = sentences = 0;
            tokens = 0;
        }
        consumed += (size_t)n;
        if (buf_append(&j->in, line, len) || buf_putc(&j->in, '\n')) {
            rc = -1;
            break;
        }
        tokens |= !empty;
        if (empty && (cut == CUT_SENTENCE ? tokens
                      : ++sentences >= CONLL_MAX_SENTENCES)) {
            rc = pool_submit(p, j, consumed);
            j = NULL;
        }
    }
    /* a read error is reported on the document being read */
    if (rc == 0 && n < 0) {
        if (!j && !(j = pool_job(p)))
            rc = -1;
        else {
            j->name = name;
            read_failed(j, lineno + 1, in);
        }
    }
    if (rc == 0 && j && cut == CUT_SENTENCE && !tokens) {
        /* blank lines after the last sentence: kept in CoNLL output */
        j->raw = 1;
        if (o->output != OUT_CONLL)
            buf_clear(&j->in);
        if (o->output != OUT_CONLL && !j->rejected)
            j = NULL;
    }
    if (rc == 0 && j)
        rc = pool_submit(p, j, consumed);
    return rc;
}

int read_input(pool *p, const cli_opts *o, const char *name, in_source *in)
{
    switch (o->input) {
    case IN_TEXT: return read_text(p, o, name, in);
    case IN_JSONL: return read_jsonl(p, name, in);
    case IN_CONLL: return read_conll(p, o, name, in);
    }
    return -1;
}
