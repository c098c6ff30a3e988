/* output-html.c - one standalone HTML page for the whole run.
 *
 * Every document is an <article> with its text, each mention a focusable
 * <mark> coloured by type, its type as a label beside it (drawn by CSS from
 * data-type, so that the text read or copied from the page is the
 * document's), and its details in data- attributes.
 * A small inline script shows them in one panel on hover and on keyboard
 * focus; the page loads nothing from anywhere (inline CSS and script).
 *
 * Pages are streamed: the head is written before the first document and
 * the legend, whose counts are only known at the end, after the last one;
 * CSS puts it back at the top. */
#include "cli/cli.h"

#include <string.h>

/* Escapes text for HTML content and attribute values alike. */
static int html_escape(buf *out, const char *s, size_t n)
{
    size_t from = 0;
    for (size_t i = 0; i < n; i++) {
        const char *e = s[i] == '&' ? "&amp;" : s[i] == '<' ? "&lt;"
                      : s[i] == '>' ? "&gt;" : s[i] == '"' ? "&quot;"
                      : s[i] == '\'' ? "&#39;" : NULL;
        if (!e)
            continue;
        if (buf_append(out, s + from, i - from) != 0 || buf_puts(out, e) != 0)
            return -1;
        from = i + 1;
    }
    return buf_append(out, s + from, n - from);
}

static int html_str(buf *out, const char *s)
{
    return html_escape(out, s, strlen(s));
}

static int attr(buf *out, const char *name, const char *value)
{
    return buf_printf(out, " %s=\"", name) || html_str(out, value) ||
           buf_putc(out, '"');
}

static int mark(const cli_opts *o, buf *out, const nertag_mention *m,
                buf *scratch)
{
    const char *type = nertag_type_name(m->type);
    const char *source = out_relative(o, m->source, scratch);
    int rc = !source ||
             buf_printf(out, "<mark class=\"m t-%s\" tabindex=\"0\" "
                        "aria-describedby=\"panel\" data-type=\"%s\"", type,
                        type) ||
             attr(out, "data-canonical", m->canonical) ||
             attr(out, "data-id", m->id) ||
             (m->type == NERTAG_SPOKESPERSON &&
              attr(out, "data-for", m->for_)) ||
             attr(out, "data-source", source) ||
             buf_putc(out, '>') || html_str(out, m->text) ||
             buf_puts(out, "</mark>");
    return rc;
}

static int trace(const cli_opts *o, buf *out, const nertag_result *r,
                 buf *scratch)
{
    size_t n = nertag_result_trace_count(r);
    int rc = buf_printf(out, "<details class=\"trace\"><summary>Trace: what "
                        "each rule did (%zu step%s)</summary><ol>", n,
                        n == 1 ? "" : "s");
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const char *t = out_relative(o, nertag_result_trace(r, i), scratch);
        rc = !t || buf_puts(out, "<li>") || html_str(out, t) ||
             buf_puts(out, "</li>");
    }
    return rc || buf_puts(out, "</ol></details>\n");
}

int html_document(const cli_opts *o, job *j, const doc *d)
{
    buf *out = &j->out, scratch = BUF_INIT;
    int rc = 0;
    if (d->first)
        rc = buf_printf(out, "<article class=\"doc\" lang=\"%s\"><h2>",
                        nertag_result_lang(d->r)) ||
             html_str(out, d->id) ||
             buf_puts(out, "</h2>\n<div class=\"text\">");
    size_t pos = 0;
    for (size_t i = 0; rc == 0 && i < nertag_result_count(d->r); i++) {
        const nertag_mention *m = nertag_result_mention(d->r, i);
        rc = html_escape(out, d->text + pos, m->bstart - d->base - pos) ||
             mark(o, out, m, &scratch);
        pos = m->bend - d->base;
    }
    rc = rc || html_escape(out, d->text + pos, d->len - pos);
    if (rc == 0 && d->last) {
        rc = buf_puts(out, "</div>\n");
        if (rc == 0 && o->explain)
            rc = trace(o, out, d->r, &scratch);
        rc = rc || buf_puts(out, "</article>\n");
    }
    buf_free(&scratch);
    return rc;
}

/* A rejected document, in its place: its name and the reason. */
int html_error(buf *out, const doc_error *e)
{
    int rc = buf_puts(out, "<article class=\"doc error\"><h2>") ||
             html_str(out, e->id ? e->id : e->name) ||
             (e->line > 0 && buf_printf(out, " (line %ld)", e->line)) ||
             buf_puts(out, "</h2>\n<p class=\"error\">") ||
             html_str(out, e->message);
    if (rc == 0 && e->offset >= 0)
        rc = buf_printf(out, " (byte %lld)", e->offset);
    else if (rc == 0 && e->text_offset >= 0)
        rc = buf_printf(out, " (byte %lld of the text)", e->text_offset);
    return rc || buf_puts(out, "</p>\n</article>\n");
}

/* ------------------------------------------------------------ the page */

static const char page_head[] =
"<!DOCTYPE html>\n"
"<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
"<meta name=\"generator\" content=\"nertag " NERTAG_VERSION "\">\n"
"<title>nertag: named entities</title>\n"
"<style>\n"
":root { --STATE: #1d5fd1; --ORG: #1b8a3a; --GROUP: #8b3fc7;\n"
"  --SPOKESPERSON: #c35a00; --PERSON: #a08000; --LOC: #0f8a8a; }\n"
"body { font: 17px/1.6 system-ui, sans-serif; margin: 0 auto;\n"
"  max-width: 52em; padding: 0 1em 3em; color: #1a1a1a; background: #fff;\n"
"  display: flex; flex-direction: column; }\n"
"#legend { order: -1; position: sticky; top: 0; z-index: 1;\n"
"  background: #fff; border-bottom: 1px solid #ccc; padding: .5em 0; }\n"
"#legend h1 { font-size: 1.2em; margin: 0; display: inline; }\n"
"#legend .totals { margin-left: 1em; color: #555; }\n"
"#legend ul { list-style: none; padding: 0; margin: .3em 0 0;\n"
"  display: flex; flex-wrap: wrap; gap: .3em .9em; }\n"
"#legend .hint { margin: .2em 0 0; font-size: .85em; color: #555; }\n"
".count { font-weight: bold; }\n"
".sw { display: inline-block; width: .9em; height: .9em;\n"
"  border-radius: 2px; margin-right: .3em; vertical-align: -0.1em; }\n"
".doc h2 { font-size: 1em; color: #555; margin: 1.5em 0 .3em; }\n"
".text { white-space: pre-wrap; overflow-wrap: break-word; }\n"
"mark.m { background: none; color: inherit; border-radius: 3px;\n"
"  padding: 0 .1em; border-bottom: 3px solid; cursor: help; }\n"
"mark.m:focus { outline: 2px solid #000; outline-offset: 1px; }\n"
"/* the type beside each mention, as a label drawn by the page: the text\n"
"   copied from it stays the document's */\n"
"mark.m::after { content: attr(data-type); font-size: .62em;\n"
"  font-weight: bold; letter-spacing: .03em; color: #fff;\n"
"  vertical-align: .15em; margin-left: .35em; padding: 0 .3em;\n"
"  border-radius: 2px; line-height: 1; }\n"
"#panel { position: fixed; z-index: 2; max-width: 30em; margin: 0;\n"
"  background: #fff; border: 1px solid #888; border-radius: 4px;\n"
"  box-shadow: 0 2px 8px rgba(0,0,0,.25); padding: .4em .7em;\n"
"  font-size: .85em; line-height: 1.4; }\n"
"#panel[hidden] { display: none; }\n"
"#panel .ptype { font-weight: bold; color: #fff; padding: 0 .4em;\n"
"  border-radius: 3px; display: inline-block; }\n"
"#panel dl { margin: .3em 0 0; display: grid;\n"
"  grid-template-columns: max-content 1fr; gap: 0 .7em; }\n"
"#panel dt { color: #555; grid-column: 1; }\n"
"#panel dd { margin: 0; grid-column: 2; overflow-wrap: anywhere; }\n"
".doc.error .error { color: #a00000; }\n"
".trace { font-size: .85em; color: #333; }\n";

/* One colour rule per type, from the variables above. */
static int type_styles(FILE *f)
{
    for (int t = 0; t < NERTAG_TYPE_COUNT; t++) {
        const char *n = nertag_type_name((nertag_type)t);
        if (fprintf(f, "mark.t-%s { border-bottom-color: var(--%s);\n"
                    "  background: color-mix(in srgb, var(--%s) 16%%, #fff); "
                    "}\n"
                    ".sw.t-%s, #panel .ptype.t-%s, mark.t-%s::after {\n"
                    "  background: var(--%s); }\n", n, n, n, n, n, n, n) < 0)
            return -1;
    }
    return 0;
}

int html_begin(FILE *f)
{
    return fputs(page_head, f) < 0 || type_styles(f) ||
           fputs("</style>\n</head>\n<body>\n<main id=\"docs\">\n", f) < 0
           ? -1 : 0;
}

/* The panel: filled from the mention's data- attributes with textContent
 * (never markup), placed under the mention, or above it near the bottom of
 * the window. */
static const char page_script[] =
"<script>\n"
"(function () {\n"
"  'use strict';\n"
"  var panel = document.getElementById('panel');\n"
"  var current = null;\n"
"  function add(dl, label, values) {\n"
"    var dt = document.createElement('dt');\n"
"    dt.textContent = label;\n"
"    dl.appendChild(dt);\n"
"    values.forEach(function (v) {\n"
"      var dd = document.createElement('dd');\n"
"      dd.textContent = v;\n"
"      dl.appendChild(dd);\n"
"    });\n"
"  }\n"
"  function place(m) {\n"
"    var r = m.getBoundingClientRect();\n"
"    var w = panel.offsetWidth, h = panel.offsetHeight;\n"
"    var top = r.bottom + 6;\n"
"    if (top + h > window.innerHeight && r.top - h - 6 > 0)\n"
"      top = r.top - h - 6;\n"
"    panel.style.top = top + 'px';\n"
"    panel.style.left =\n"
"      Math.max(4, Math.min(r.left, window.innerWidth - w - 4)) + 'px';\n"
"  }\n"
"  function show(m) {\n"
"    var d = m.dataset;\n"
"    current = m;\n"
"    panel.textContent = '';\n"
"    var t = document.createElement('span');\n"
"    t.className = 'ptype t-' + d.type;\n"
"    t.textContent = d.type;\n"
"    panel.appendChild(t);\n"
"    var dl = document.createElement('dl');\n"
"    add(dl, 'canonical', [d.canonical]);\n"
"    if (d.id) add(dl, 'id', [d.id]);\n"
"    if (d.type === 'SPOKESPERSON')\n"
"      add(dl, 'for', [d['for'] || '(not said)']);\n"
"    add(dl, 'source', d.source.split('; '));\n"
"    panel.appendChild(dl);\n"
"    panel.hidden = false;\n"
"    place(m);\n"
"  }\n"
"  function hide() {\n"
"    panel.hidden = true;\n"
"    current = null;\n"
"  }\n"
"  function mention(e) {\n"
"    return e.target.closest ? e.target.closest('mark.m') : null;\n"
"  }\n"
"  document.addEventListener('mouseover', function (e) {\n"
"    var m = mention(e);\n"
"    if (m) show(m);\n"
"  });\n"
"  document.addEventListener('mouseout', function (e) {\n"
"    var m = mention(e);\n"
"    if (m && m === current && !m.contains(e.relatedTarget)) {\n"
"      var f = document.activeElement;\n"
"      if (f && f.matches('mark.m')) show(f); else hide();\n"
"    }\n"
"  });\n"
"  document.addEventListener('focusin', function (e) {\n"
"    var m = mention(e);\n"
"    if (m) show(m);\n"
"  });\n"
"  document.addEventListener('focusout', function (e) {\n"
"    if (mention(e) === current) hide();\n"
"  });\n"
"  document.addEventListener('keydown', function (e) {\n"
"    if (e.key === 'Escape') hide();\n"
"  });\n"
"  window.addEventListener('scroll', function () {\n"
"    if (current) place(current);\n"
"  }, { passive: true });\n"
"})();\n"
"</script>\n";

int html_end(FILE *f, const size_t counts[NERTAG_TYPE_COUNT], size_t docs)
{
    size_t total = 0;
    for (int t = 0; t < NERTAG_TYPE_COUNT; t++)
        total += counts[t];
    if (fprintf(f, "</main>\n<aside id=\"legend\" aria-label=\"legend\">"
                "<h1>nertag</h1><span class=\"totals\">%zu document%s, "
                "%zu mention%s</span>\n<ul>\n", docs, docs == 1 ? "" : "s",
                total, total == 1 ? "" : "s") < 0)
        return -1;
    for (int t = 0; t < NERTAG_TYPE_COUNT; t++) {
        const char *n = nertag_type_name((nertag_type)t);
        if (fprintf(f, "<li data-type=\"%s\"><span class=\"sw t-%s\"></span>"
                    "%s <span class=\"count\">%zu</span></li>\n", n, n, n,
                    counts[t]) < 0)
            return -1;
    }
    return fputs("</ul>\n<p class=\"hint\">Point at a mention or reach it "
                 "with Tab to see its canonical name and where it comes "
                 "from.</p></aside>\n"
                 "<div id=\"panel\" role=\"tooltip\" hidden></div>\n", f) < 0 ||
           fputs(page_script, f) < 0 || fputs("</body>\n</html>\n", f) < 0
           ? -1 : 0;
}
