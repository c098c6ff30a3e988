/* input.c - reading the input formats of the nertag command.
 *
 *   text   each file (or standard input) is one document
 *   jsonl  one JSON object per line, with "text" and optionally "id" and
 *          "lang"; read one line at a time, so memory does not grow with
 *          the length of the stream
 *   conll  one token per line in a given column, blank lines between
 *          sentences, -DOCSTART- lines between documents
 */
#include "cli.h"
#include "internal.h"
#include "json.h"

#include <string.h>

void report(cli *c, const char *name, long line, const nertag_error *err)
{
    char msg[600];
    nertag_error_format(err, msg, sizeof msg);
    if (line > 0)
        fprintf(stderr, "nertag: %s:%ld: %s\n", name, line, msg);
    else
        fprintf(stderr, "nertag: %s: %s\n", name, msg);
    c->status = 1;
}

static void report_msg(cli *c, const char *name, long line, const char *msg)
{
    nertag_error e;
    memset(&e, 0, sizeof e);
    e.offset = -1;
    snprintf(e.message, sizeof e.message, "%s", msg);
    report(c, name, line, &e);
}

static nertag_options tag_options(const cli *c, const char *lang)
{
    nertag_options o = { lang ? lang : c->lang, c->replace_invalid,
                         c->explain };
    return o;
}

/* Writes what the output format asks for one tagged text. */
static int write_result(cli *c, const char *id, const char *text, size_t len,
                        const nertag_result *r)
{
    buf *o = &c->out;
    int rc = 0;
    switch (c->output) {
    case OUT_JSONL:
        rc = buf_puts(o, "{\"id\":") ||
             json_write_string(o, id, strlen(id)) ||
             buf_printf(o, ",\"lang\":\"%s\",\"entities\":",
                        nertag_result_lang(r)) ||
             out_entities_json(o, r) || buf_puts(o, "}\n");
        break;
    case OUT_TEXT:
        rc = out_text_inline(o, text, len, r, c->color) ||
             ((!len || text[len - 1] != '\n') && buf_putc(o, '\n'));
        break;
    case OUT_CONLL: {
        const char **tags = malloc((nertag_result_token_count(r) + 1) *
                                   sizeof *tags);
        buf names = BUF_INIT;
        rc = !tags || out_token_tags(r, tags, &names);
        for (size_t i = 0; rc == 0 && i < nertag_result_token_count(r); i++) {
            size_t b, e;
            nertag_result_token(r, i, &b, &e);
            rc = buf_append(o, text + b, e - b) ||
                 buf_printf(o, "\t%s\n", tags[i]);
        }
        rc = rc || buf_putc(o, '\n');
        free(tags);
        buf_free(&names);
        break;
    }
    }
    if (rc == 0 && c->explain && c->output != OUT_JSONL)
        rc = buf_printf(o, "# explain %s\n", id) || out_explain(o, r);
    return rc || out_flush(c) ? -1 : 0;
}

/* ------------------------------------------------------------ text */

/* Replaces invalid UTF-8 and NUL bytes by U+FFFD in the text itself, so
 * that the offsets of the result and the text written agree. */
static int repair(buf *text)
{
    if (utf8_first_invalid(text->data ? text->data : "", text->len) ==
        text->len)
        return 0;
    buf fixed = BUF_INIT;
    if (utf8_replace_invalid(text->data, text->len, &fixed) != 0) {
        buf_free(&fixed);
        return -1;
    }
    buf_free(text);
    *text = fixed;
    return 0;
}

int run_text(cli *c, const char *name, FILE *in)
{
    buf text = BUF_INIT;
    char chunk[1 << 16];
    size_t n;
    int rc = 0;
    while (rc == 0 && (n = fread(chunk, 1, sizeof chunk, in)) > 0)
        rc = buf_append(&text, chunk, n);
    if (rc != 0) {
        buf_free(&text);
        return -1;
    }
    if (ferror(in)) {
        report_msg(c, name, 0, "read error");
        buf_free(&text);
        return 0;
    }
    if (c->replace_invalid && repair(&text) != 0) {
        buf_free(&text);
        return -1;
    }
    nertag_error err;
    nertag_options opt = tag_options(c, NULL);
    nertag_result *r = nertag_tag(c->tagger, text.data, text.len, &opt, &err);
    if (!r) {
        report(c, name, 0, &err);
        rc = err.code == NERTAG_ERR_NOMEM ? -1 : 0;
    } else {
        rc = write_result(c, name, text.data ? text.data : "", text.len, r);
        nertag_result_free(r);
    }
    buf_free(&text);
    return rc;
}

/* ------------------------------------------------------------ jsonl */

/* Re-emits the object with every input member but "entities", then adds
 * "lang" when the input had none, and the entities. */
static int write_jsonl(cli *c, const char *line, const json_object *obj,
                       int had_lang, const nertag_result *r)
{
    buf *o = &c->out;
    int rc = buf_putc(o, '{');
    int first = 1;
    for (size_t i = 0; rc == 0 && i < obj->count; i++) {
        const json_member *m = &obj->members[i];
        if (m->key_len == 10 && !memcmp(line + m->key_start, "\"entities\"",
                                        10))
            continue;
        rc = (!first && buf_putc(o, ',')) ||
             buf_append(o, line + m->key_start, m->key_len) ||
             buf_putc(o, ':') ||
             buf_append(o, line + m->value_start, m->value_len);
        first = 0;
    }
    if (rc == 0 && !had_lang)
        rc = buf_printf(o, "%s\"lang\":\"%s\"", first ? "" : ",",
                        nertag_result_lang(r));
    rc = rc || buf_puts(o, ",\"entities\":") || out_entities_json(o, r);
    if (rc == 0 && c->explain) {
        rc = buf_puts(o, ",\"trace\":[");
        for (size_t i = 0; rc == 0 && i < nertag_result_trace_count(r); i++) {
            const char *t = nertag_result_trace(r, i);
            rc = (i && buf_putc(o, ',')) || json_write_string(o, t, strlen(t));
        }
        rc = rc || buf_putc(o, ']');
    }
    return rc || buf_puts(o, "}\n") || out_flush(c);
}

/* Decodes the string member key of obj into out; 0 when absent, 1 when
 * found, -1 when it is not a string or badly encoded. */
static int string_member(const char *line, const json_object *obj,
                         const char *key, buf *out, json_error *jerr)
{
    long k = json_object_find(obj, line, key);
    buf_clear(out);
    if (k < 0)
        return 0;
    const json_member *m = &obj->members[k];
    if (m->type != JSON_STRING) {
        snprintf(jerr->message, sizeof jerr->message,
                 "\"%s\" must be a string", key);
        jerr->offset = m->value_start;
        return -1;
    }
    if (json_string_decode(line + m->value_start, m->value_len, out, jerr)) {
        jerr->offset += m->value_start;
        return -1;
    }
    return buf_reserve(out, 0) == 0 ? 1 : -1;
}

static int jsonl_line(cli *c, const char *name, long lineno, const char *line,
                      size_t len, json_object *obj, buf *text, buf *lang)
{
    json_error jerr;
    memset(&jerr, 0, sizeof jerr);
    nertag_error err;
    memset(&err, 0, sizeof err);
    int prc = json_parse_object(line, len, 64, obj, &jerr);
    if (prc == -2)
        return -1;
    int has_text = prc == 0 ? string_member(line, obj, "text", text, &jerr)
                            : -1;
    int has_lang = has_text > 0 ? string_member(line, obj, "lang", lang, &jerr)
                                : 0;
    if (prc != 0 || has_text < 0 || has_lang < 0) {
        err.offset = (long long)jerr.offset;
        snprintf(err.message, sizeof err.message, "%s", jerr.message);
        report(c, name, lineno, &err);
        return 0;
    }
    if (!has_text) {
        report_msg(c, name, lineno, "no \"text\" member");
        return 0;
    }
    nertag_options opt = tag_options(c, has_lang ? lang->data : NULL);
    nertag_result *r = nertag_tag(c->tagger, text->data, text->len, &opt,
                                  &err);
    if (!r) {
        /* an offset in the decoded text, said as such */
        if (err.offset >= 0) {
            char m[sizeof err.message];
            snprintf(m, sizeof m, "in \"text\": %.200s", err.message);
            snprintf(err.message, sizeof err.message, "%s", m);
        }
        report(c, name, lineno, &err);
        return err.code == NERTAG_ERR_NOMEM ? -1 : 0;
    }
    int rc;
    if (c->output == OUT_JSONL) {
        rc = write_jsonl(c, line, obj, has_lang, r);
    } else {
        buf id = BUF_INIT;
        json_error ignored;
        if (string_member(line, obj, "id", &id, &ignored) <= 0) {
            buf_clear(&id);
            buf_printf(&id, "%s:%ld", name, lineno);
        }
        rc = write_result(c, id.data ? id.data : "", text->data, text->len, r);
        buf_free(&id);
    }
    nertag_result_free(r);
    return rc;
}

static int blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return 0;
    return 1;
}

int run_jsonl(cli *c, const char *name, FILE *in)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long lineno = 0;
    json_object obj = { 0 };
    buf text = BUF_INIT, lang = BUF_INIT;
    int rc = 0;
    while (rc == 0 && (n = getline(&line, &cap, in)) >= 0) {
        lineno++;
        size_t len = (size_t)n;
        if (len && line[len - 1] == '\n')
            len--;
        if (len && line[len - 1] == '\r')
            len--;
        if (blank(line, len))
            continue;
        rc = jsonl_line(c, name, lineno, line, len, &obj, &text, &lang);
    }
    if (rc == 0 && ferror(in))
        report_msg(c, name, lineno, "read error");
    free(line);
    json_object_free(&obj);
    buf_free(&text);
    buf_free(&lang);
    return rc;
}

/* ------------------------------------------------------------ conll */

/* Documents are cut at -DOCSTART- lines, and after this many sentences so
 * that memory stays bounded on files without them. */
#define CONLL_MAX_SENTENCES 1000

typedef struct conll_line {
    size_t off, len;          /* in doc.lines */
    size_t tok_off, tok_len;  /* token column, in doc.lines; tok_len 0: none */
    char sep;                 /* column separator: tab or space */
} conll_line;
VEC_DECLARE(conll_line_vec, conll_line);
VEC_DECLARE(token_in_vec, nertag_token_in);

typedef struct conll_doc {
    buf lines;
    conll_line_vec v;
    size_t sentences;
    long first_line;
} conll_doc;

/* Finds column col (1-based) of s[0..n); returns 0 when missing. */
static int find_column(const char *s, size_t n, int col, char sep,
                       size_t *off, size_t *len)
{
    size_t start = 0;
    for (int k = 1;; k++) {
        const char *e = memchr(s + start, sep, n - start);
        size_t end = e ? (size_t)(e - s) : n;
        if (k == col) {
            *off = start;
            *len = end - start;
            return end > start;
        }
        if (!e)
            return 0;
        start = end + 1;
    }
}

static int is_docstart(const char *s, size_t n)
{
    return n >= 10 && !memcmp(s, "-DOCSTART-", 10) &&
           (n == 10 || s[10] == ' ' || s[10] == '\t');
}

static int conll_flush(cli *c, const char *name, conll_doc *d)
{
    token_in_vec toks = { 0 };
    int rc = 0, new_sentence = 1;
    for (size_t i = 0; rc == 0 && i < d->v.n; i++) {
        const conll_line *l = &d->v.v[i];
        if (!l->len) {
            new_sentence = 1;
            continue;
        }
        if (!l->tok_len)
            continue;
        nertag_token_in t = { d->lines.data + l->tok_off, l->tok_len,
                              new_sentence };
        rc = token_in_vec_push(&toks, t);
        new_sentence = 0;
    }
    const char **tags = NULL;
    buf names = BUF_INIT;
    nertag_result *r = NULL;
    if (rc == 0 && toks.n) {
        nertag_error err;
        nertag_options opt = tag_options(c, NULL);
        r = nertag_tag_tokens(c->tagger, toks.v, toks.n, &opt, &err);
        if (!r) {
            report(c, name, d->first_line, &err);
            rc = err.code == NERTAG_ERR_NOMEM ? -1 : 0;
        } else if (!(tags = malloc(toks.n * sizeof *tags)) ||
                   out_token_tags(r, tags, &names) != 0) {
            rc = -1;
        }
    }
    size_t k = 0;
    for (size_t i = 0; rc == 0 && i < d->v.n; i++) {
        const conll_line *l = &d->v.v[i];
        rc = buf_append(&c->out, d->lines.data + l->off, l->len);
        if (rc == 0 && l->len)
            rc = buf_printf(&c->out, "%c%s", l->sep,
                            l->tok_len && tags ? tags[k++] : "O");
        rc = rc || buf_putc(&c->out, '\n');
    }
    if (rc == 0 && r && c->explain)
        rc = out_explain(&c->out, r);
    rc = rc || out_flush(c);
    nertag_result_free(r);
    free(tags);
    buf_free(&names);
    free(toks.v);
    buf_clear(&d->lines);
    d->v.n = 0;
    d->sentences = 0;
    return rc;
}

static int conll_line_in(cli *c, const char *name, long lineno, conll_doc *d,
                         const char *s, size_t n)
{
    char sep0 = memchr(s, '\t', n) ? '\t' : ' ';
    size_t to, tl;
    /* -DOCSTART- may stand in the token column or start the line */
    if (is_docstart(s, n) ||
        (find_column(s, n, c->token_column, sep0, &to, &tl) &&
         is_docstart(s + to, tl))) {
        char sep = memchr(s, '\t', n) ? '\t' : ' ';
        return conll_flush(c, name, d) ||
               buf_append(&c->out, s, n) ||
               buf_printf(&c->out, "%cO\n", sep) || out_flush(c);
    }
    if (!d->v.n)
        d->first_line = lineno;
    conll_line l = { d->lines.len, blank(s, n) ? 0 : n, 0, 0,
                     memchr(s, '\t', n) ? '\t' : ' ' };
    if (l.len && !find_column(s, n, c->token_column, l.sep, &l.tok_off,
                              &l.tok_len)) {
        char msg[100];
        snprintf(msg, sizeof msg, "no token in column %d", c->token_column);
        report_msg(c, name, lineno, msg);
    }
    l.tok_off += l.off;
    if (buf_append(&d->lines, s, l.len) || conll_line_vec_push(&d->v, l))
        return -1;
    if (!l.len && ++d->sentences >= CONLL_MAX_SENTENCES)
        return conll_flush(c, name, d);
    return 0;
}

int run_conll(cli *c, const char *name, FILE *in)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long lineno = 0;
    conll_doc d;
    memset(&d, 0, sizeof d);
    int rc = 0;
    while (rc == 0 && (n = getline(&line, &cap, in)) >= 0) {
        lineno++;
        size_t len = (size_t)n;
        if (len && line[len - 1] == '\n')
            len--;
        if (len && line[len - 1] == '\r')
            len--;
        rc = conll_line_in(c, name, lineno, &d, line, len);
    }
    if (rc == 0 && ferror(in))
        report_msg(c, name, lineno, "read error");
    if (rc == 0)
        rc = conll_flush(c, name, &d);
    free(line);
    buf_free(&d.lines);
    conll_line_vec_free(&d.v);
    return rc;
}
