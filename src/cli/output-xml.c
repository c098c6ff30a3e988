/* output-xml.c - the text with inline elements, one element per document
 * inside one root, so that the output of a run is one XML document:
 *
 *   <?xml version="1.0" encoding="UTF-8"?>
 *   <documents>
 *   <document id="seed-fr.txt" lang="fr">Le <entity type="STATE"
 *   canonical="China" id="CN">gouvernement chinois</entity> a rejeté …
 *   </document>
 *   <error id="d7" line="12" offset="40">invalid UTF-8</error>
 *   </documents>
 *
 * Each document is followed by a line break; an <error> stands for a
 * rejected one with --on-error=emit.  Text that XML 1.0 cannot hold
 * (control characters other than tab and line breaks, U+FFFE, U+FFFF) is
 * written as U+FFFD; carriage returns and, in attributes, tabs and line
 * breaks are written as character references so that parsers keep them. */
#include "cli/cli.h"

#include <string.h>

int xml_escape(buf *out, const char *s, size_t n, int attr)
{
    size_t from = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *e = NULL;
        size_t skip = 1;
        if (c == '&')
            e = "&amp;";
        else if (c == '<')
            e = "&lt;";
        else if (c == '>')
            e = "&gt;";
        else if (c == '"' && attr)
            e = "&quot;";
        else if (c == '\r')
            e = "&#13;";
        else if (attr && c == '\t')
            e = "&#9;";
        else if (attr && c == '\n')
            e = "&#10;";
        else if (c < 0x20 && c != '\t' && c != '\n')
            e = "\xEF\xBF\xBD";
        else if (c == 0xEF && i + 2 < n && (unsigned char)s[i + 1] == 0xBF &&
                 ((unsigned char)s[i + 2] & 0xFE) == 0xBE) {
            e = "\xEF\xBF\xBD";               /* U+FFFE, U+FFFF */
            skip = 3;
        }
        if (!e)
            continue;
        if (buf_append(out, s + from, i - from) != 0 || buf_puts(out, e) != 0)
            return -1;
        from = i + skip;
        i += skip - 1;
    }
    return buf_append(out, s + from, n - from);
}

static int attr(buf *out, const char *name, const char *value)
{
    return buf_printf(out, " %s=\"", name) ||
           xml_escape(out, value, strlen(value), 1) || buf_putc(out, '"');
}

static int entity(const cli_opts *o, buf *out, const nertag_mention *m,
                  buf *scratch)
{
    int rc = buf_puts(out, "<entity") ||
             attr(out, "type", nertag_type_name(m->type)) ||
             attr(out, "canonical", m->canonical) ||
             (*m->id && attr(out, "id", m->id)) ||
             (m->type == NERTAG_SPOKESPERSON && attr(out, "for", m->for_));
    if (rc == 0 && o->explain) {
        const char *s = out_relative(o, m->source, scratch);
        rc = !s || attr(out, "source", s);
    }
    return rc || buf_putc(out, '>') ||
           xml_escape(out, m->text, strlen(m->text), 0) ||
           buf_puts(out, "</entity>");
}

static int trace(const cli_opts *o, buf *out, const nertag_result *r,
                 buf *scratch)
{
    int rc = buf_puts(out, "<trace>");
    for (size_t i = 0; rc == 0 && i < nertag_result_trace_count(r); i++) {
        const char *t = out_relative(o, nertag_result_trace(r, i), scratch);
        rc = !t || buf_puts(out, "<step>") ||
             xml_escape(out, t, strlen(t), 0) || buf_puts(out, "</step>");
    }
    return rc || buf_puts(out, "</trace>");
}

int xml_document(const cli_opts *o, job *j, const doc *d)
{
    buf *out = &j->out, scratch = BUF_INIT;
    int rc = 0;
    if (d->first)
        rc = buf_puts(out, "<document") || attr(out, "id", d->id) ||
             attr(out, "lang", nertag_result_lang(d->r)) ||
             buf_putc(out, '>');
    size_t pos = 0;
    for (size_t i = 0; rc == 0 && i < nertag_result_count(d->r); i++) {
        const nertag_mention *m = nertag_result_mention(d->r, i);
        rc = xml_escape(out, d->text + pos, m->bstart - d->base - pos, 0) ||
             entity(o, out, m, &scratch);
        pos = m->bend - d->base;
    }
    rc = rc || xml_escape(out, d->text + pos, d->len - pos, 0);
    if (rc == 0 && d->last && o->explain)
        rc = trace(o, out, d->r, &scratch);
    buf_free(&scratch);
    return rc || (d->last && buf_puts(out, "</document>\n"));
}

int xml_error(buf *out, const doc_error *e)
{
    int rc = buf_puts(out, "<error") || (e->id && attr(out, "id", e->id)) ||
             attr(out, "input", e->name) ||
             (e->line > 0 && buf_printf(out, " line=\"%ld\"", e->line)) ||
             (e->offset >= 0 &&
              buf_printf(out, " offset=\"%lld\"", e->offset)) ||
             (e->text_offset >= 0 &&
              buf_printf(out, " text-offset=\"%lld\"", e->text_offset)) ||
             buf_putc(out, '>') ||
             xml_escape(out, e->message, strlen(e->message), 0);
    return rc || buf_puts(out, "</error>\n");
}

int xml_begin(FILE *f)
{
    return fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<documents>\n",
                 f) < 0 ? -1 : 0;
}

int xml_end(FILE *f)
{
    return fputs("</documents>\n", f) < 0 ? -1 : 0;
}
