/* output.c - writing one tagged document: JSON Lines, inline text, CoNLL
 * tags and the --explain report; HTML, brat and XML have their own files. */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ JSON */

/* "key": with its comma; the writers' own, as printf costs more than the
 * rest of a mention. */
static int key(buf *out, const char *name, int comma)
{
    return (comma && buf_putc(out, ',') != 0) || buf_putc(out, '"') != 0 ||
           buf_puts(out, name) != 0 || buf_puts(out, "\":") != 0;
}

static int key_string(buf *out, const char *name, const char *s, int comma)
{
    return key(out, name, comma) || json_write_string(out, s, strlen(s)) != 0;
}

static int key_number(buf *out, const char *name, size_t n, int comma)
{
    return key(out, name, comma) || buf_put_uint(out, n) != 0;
}

static int mention_json(const cli_opts *o, buf *out, const nertag_mention *m,
                        buf *scratch)
{
    const char *source = out_relative(o, m->source, scratch);
    int rc = !source || buf_putc(out, '{') ||
             key_number(out, "start", m->start, 0) ||
             key_number(out, "end", m->end, 1) ||
             key_number(out, "bstart", m->bstart, 1) ||
             key_number(out, "bend", m->bend, 1) ||
             key_string(out, "text", m->text, 1) ||
             key_string(out, "type", nertag_type_name(m->type), 1) ||
             key_string(out, "canonical", m->canonical, 1) ||
             key_string(out, "id", m->id, 1) ||
             key_string(out, "source", source, 1);
    if (rc == 0 && m->type == NERTAG_SPOKESPERSON)
        rc = key_string(out, "for", m->for_, 1);
    return rc || buf_putc(out, '}');
}

int out_trace_json(const cli_opts *o, buf *out, const nertag_result *r)
{
    buf scratch = BUF_INIT;
    int rc = buf_putc(out, '[');
    for (size_t i = 0; rc == 0 && i < nertag_result_trace_count(r); i++) {
        const char *t = out_relative(o, nertag_result_trace(r, i), &scratch);
        rc = !t || (i && buf_putc(out, ',')) ||
             json_write_string(out, t, strlen(t));
    }
    buf_free(&scratch);
    return rc || buf_putc(out, ']');
}

/* Keys are compared decoded, as the reader finds them: "\u0074ext" is
 * the "text" that was tagged (and repaired), "\u0065ntities" an input
 * "entities" to replace. */
static int is_key(const char *line, const json_member *m, const char *key)
{
    return json_member_is(m, line, key);
}

/* The input object with every member in order, "text" replaced when it
 * was repaired, "entities" (and with --explain "trace") replaced by ours,
 * "lang" added when the input had none. */
static int jsonl_object(const cli_opts *o, buf *out, const doc *d)
{
    const json_object *obj = d->obj;
    int rc = buf_putc(out, '{'), first = 1;
    for (size_t i = 0; rc == 0 && i < obj->count; i++) {
        const json_member *m = &obj->members[i];
        if (is_key(d->line, m, "entities") ||
            (o->explain && is_key(d->line, m, "trace")))
            continue;
        rc = (!first && buf_putc(out, ',')) ||
             buf_append(out, d->line + m->key_start, m->key_len) ||
             buf_putc(out, ':');
        if (rc == 0 && d->text_repaired && is_key(d->line, m, "text"))
            rc = json_write_string(out, d->text, d->len);
        else if (rc == 0)
            rc = buf_append(out, d->line + m->value_start, m->value_len);
        first = 0;
    }
    if (rc == 0 && !d->had_lang)
        rc = buf_printf(out, "%s\"lang\":\"%s\"", first ? "" : ",",
                        nertag_result_lang(d->r));
    return rc;
}

/* Text and CoNLL input: the id, the text when it was made from CoNLL
 * tokens, the language. */
static int jsonl_new_object(buf *out, const doc *d)
{
    return buf_puts(out, "{\"id\":") ||
           json_write_string(out, d->id, strlen(d->id)) ||
           (d->from_conll && (buf_puts(out, ",\"text\":") ||
                              json_write_string(out, d->text, d->len))) ||
           buf_printf(out, ",\"lang\":\"%s\"", nertag_result_lang(d->r));
}

static int out_jsonl(const cli_opts *o, buf *out, const doc *d)
{
    int rc = 0;
    if (d->first)
        rc = (d->obj ? jsonl_object(o, out, d) : jsonl_new_object(out, d)) ||
             buf_puts(out, ",\"entities\":[");
    buf scratch = BUF_INIT;
    for (size_t i = 0; rc == 0 && i < nertag_result_count(d->r); i++)
        rc = (d->mention_base + i && buf_putc(out, ',') != 0) ||
             mention_json(o, out, nertag_result_mention(d->r, i), &scratch);
    buf_free(&scratch);
    if (rc == 0 && d->last) {
        rc = buf_putc(out, ']');
        if (rc == 0 && o->explain)
            rc = buf_puts(out, ",\"trace\":") || out_trace_json(o, out, d->r);
        rc = rc || buf_puts(out, "}\n");
    }
    return rc;
}

/* ------------------------------------------------------------ text */

/* ANSI colours by type, for a terminal. */
static const char *const colors[NERTAG_TYPE_COUNT] = {
    "\033[1;34m", "\033[1;32m", "\033[1;35m", "\033[1;33m", "\033[33m",
    "\033[36m"
};

/* [Mao Ning]{SPOKESPERSON for=Ministry of Foreign Affairs (China)}:
 * the canonical name is shown when it differs from the text. */
static int inline_mark(buf *out, const nertag_mention *m, int color)
{
    int rc = (color && buf_puts(out, colors[m->type])) ||
             buf_printf(out, "[%s]{%s", m->text, nertag_type_name(m->type));
    if (rc == 0 && strcmp(m->canonical, m->text))
        rc = buf_printf(out, " %s", m->canonical);
    if (rc == 0 && m->type == NERTAG_SPOKESPERSON && *m->for_)
        rc = buf_printf(out, " for=%s", m->for_);
    return rc || buf_putc(out, '}') || (color && buf_puts(out, "\033[0m"));
}

static int out_text(const cli_opts *o, buf *out, const doc *d)
{
    size_t pos = 0;
    for (size_t i = 0; i < nertag_result_count(d->r); i++) {
        const nertag_mention *m = nertag_result_mention(d->r, i);
        if (buf_append(out, d->text + pos, m->bstart - d->base - pos) != 0 ||
            inline_mark(out, m, o->color) != 0)
            return -1;
        pos = m->bend - d->base;
    }
    if (buf_append(out, d->text + pos, d->len - pos) != 0)
        return -1;
    /* every document ends its last line, so that the next starts afresh */
    char last = d->len ? d->text[d->len - 1] : d->before;
    return d->last && last && last != '\n' && buf_putc(out, '\n');
}

/* --explain in text and CoNLL output: comment lines after the document,
 *
 *   # explain seed-fr.txt: 23 mentions
 *   #   17-37 STATE 'gouvernement chinois' -> China [CN]
 *   #       rule gouvernement-nationalite (models/fr.rules:79)
 *   # trace: what each rule did, in order
 *   #   retyped LOC 'Pékin' (China -> STATE) by rule … (models/fr.rules:91)
 */
int out_explain(const cli_opts *o, buf *out, const char *id,
                const nertag_result *r)
{
    buf src = BUF_INIT;
    size_t n = nertag_result_count(r);
    int rc = buf_printf(out, "# explain %s: %zu mention%s\n", id, n,
                        n == 1 ? "" : "s");
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const nertag_mention *m = nertag_result_mention(r, i);
        rc = buf_printf(out, "#   %zu-%zu %s '%s' -> %s", m->start, m->end,
                        nertag_type_name(m->type), m->text, m->canonical) ||
             (*m->id && buf_printf(out, " [%s]", m->id)) ||
             (m->type == NERTAG_SPOKESPERSON && *m->for_ &&
              buf_printf(out, " for %s", m->for_)) ||
             buf_putc(out, '\n');
        /* one line per rule or gazetteer line behind the mention */
        const char *s = rc ? NULL : out_relative(o, m->source, &src);
        rc = rc || !s;
        while (rc == 0 && *s) {
            const char *e = strstr(s, "; ");
            size_t len = e ? (size_t)(e - s) : strlen(s);
            rc = buf_printf(out, "#       %.*s\n", (int)len, s);
            s += e ? len + 2 : len;
        }
    }
    size_t nt = nertag_result_trace_count(r);
    if (rc == 0 && nt)
        rc = buf_puts(out, "# trace: what each rule did, in order\n");
    for (size_t i = 0; rc == 0 && i < nt; i++) {
        const char *t = out_relative(o, nertag_result_trace(r, i), &src);
        rc = !t || buf_printf(out, "#   %s\n", t);
    }
    buf_free(&src);
    return rc;
}

/* ------------------------------------------------------------ CoNLL */

int out_token_tags(const nertag_result *r, size_t token_base,
                   enum tag_scheme scheme, const char **tags, buf *names)
{
    static const char prefix[] = "BIES";
    size_t n = nertag_result_token_count(r);
    /* names holds "O\0B-STATE\0I-STATE\0E-STATE\0S-STATE\0…" */
    buf_clear(names);
    if (buf_append(names, "O", 2) != 0)
        return -1;
    size_t offs[NERTAG_TYPE_COUNT][4];
    for (int t = 0; t < NERTAG_TYPE_COUNT; t++)
        for (int k = 0; k < 4; k++) {
            offs[t][k] = names->len;
            if (buf_printf(names, "%c-%s", prefix[k],
                           nertag_type_name((nertag_type)t)) != 0 ||
                buf_putc(names, 0) != 0)
                return -1;
        }
    for (size_t i = 0; i < n; i++)
        tags[i] = names->data;
    for (size_t i = 0; i < nertag_result_count(r); i++) {
        const nertag_mention *m = nertag_result_mention(r, i);
        size_t ts = m->tstart - token_base, te = m->tend - token_base;
        for (size_t k = ts; k < te && k < n; k++) {
            int pos = k > ts;                             /* B or I */
            if (scheme == SCHEME_BIOES && k + 1 == te)
                pos = k == ts ? 3 : 2;                    /* S or E */
            tags[k] = names->data + offs[m->type][pos];
        }
    }
    return 0;
}

/* Text or JSONL in, CoNLL out: one token a line with its tag, a blank line
 * after each sentence (and so after each document). */
static int out_conll(const cli_opts *o, buf *out, const doc *d)
{
    size_t n = nertag_result_token_count(d->r);
    const char **tags = malloc((n + 1) * sizeof *tags);
    buf names = BUF_INIT;
    int rc = !tags || out_token_tags(d->r, d->token_base, o->scheme, tags,
                                     &names);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        size_t b, e;
        nertag_result_token(d->r, i, &b, &e);
        rc = (i && d->sent && d->sent[i] && buf_putc(out, '\n')) ||
             buf_append(out, d->text + b - d->base, e - b) ||
             buf_printf(out, "\t%s\n", tags[i]);
    }
    /* a part ends at a sentence end; an empty document is a blank line */
    if (rc == 0 && (n || (d->last && !d->token_base)))
        rc = buf_putc(out, '\n');
    free(tags);
    buf_free(&names);
    return rc;
}

/* ------------------------------------------------------------ errors */

/* {"id":"d7","line":12,"error":{"message":"invalid UTF-8","offset":40}} */
static int error_json(buf *out, const doc_error *e)
{
    int rc = buf_putc(out, '{'), comma = 0;
    if (rc == 0 && e->id) {
        rc = key_string(out, "id", e->id, 0);
        comma = 1;
    }
    if (rc == 0 && e->line > 0) {
        rc = key_number(out, "line", (size_t)e->line, comma);
        comma = 1;
    }
    rc = rc || key(out, "error", comma) || buf_putc(out, '{') ||
         key_string(out, "message", e->message, 0) ||
         (e->offset >= 0 && key_number(out, "offset", (size_t)e->offset, 1)) ||
         (e->text_offset >= 0 &&
          key_number(out, "text_offset", (size_t)e->text_offset, 1));
    return rc || buf_puts(out, "}}\n");
}

/* # error: in.jsonl:12: invalid UTF-8 (byte 40) */
static int error_comment(buf *out, const doc_error *e)
{
    int rc = buf_printf(out, "# error: %s", e->name) ||
             (e->line > 0 && buf_printf(out, ":%ld", e->line)) ||
             buf_printf(out, ": %s", e->message);
    if (rc == 0 && e->offset >= 0)
        rc = buf_printf(out, " (byte %lld)", e->offset);
    else if (rc == 0 && e->text_offset >= 0)
        rc = buf_printf(out, " (byte %lld of \"text\")", e->text_offset);
    return rc || buf_putc(out, '\n');
}

int out_error(const cli_opts *o, buf *out, const doc_error *e)
{
    switch (o->output) {
    case OUT_JSONL: return error_json(out, e);
    case OUT_HTML: return html_error(out, e);
    case OUT_XML: return xml_error(out, e);
    case OUT_BRAT: return 0;
    case OUT_TEXT: return error_comment(out, e);
    case OUT_CONLL:
        /* and the blank line that ends a document */
        return error_comment(out, e) || buf_putc(out, '\n');
    }
    return -1;
}

/* ------------------------------------------------------------ dispatch */

int out_document(const cli_opts *o, job *j, const doc *d)
{
    for (size_t i = 0; i < nertag_result_count(d->r); i++)
        j->counts[nertag_result_mention(d->r, i)->type]++;
    buf *out = &j->out;
    switch (o->output) {
    case OUT_JSONL: return out_jsonl(o, out, d);
    case OUT_HTML: return html_document(o, j, d);
    case OUT_BRAT: return brat_document(o, j, d);
    case OUT_XML: return xml_document(o, j, d);
    case OUT_TEXT:
        return out_text(o, out, d) ||
               (d->last && o->explain && out_explain(o, out, d->id, d->r));
    case OUT_CONLL:
        return out_conll(o, out, d) ||
               (d->last && o->explain && out_explain(o, out, d->id, d->r));
    }
    return -1;
}
