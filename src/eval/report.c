/* report.c - the reports of `nertag eval`: conlleval's own, text, and one
 * HTML page. */
#include "eval/eval-run.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ reports */

int eval_report_conlleval(const eval_scores *s, FILE *out)
{
    double p, r, f;
    eval_prf(&s->all, &p, &r, &f);
    fprintf(out, "processed %zu tokens with %zu phrases; found: %zu "
            "phrases; correct: %zu.\n", s->tokens, s->all.gold, s->all.pred,
            s->all.correct);
    if (s->tokens > 0)
        fprintf(out, "accuracy: %6.2f%%; precision: %6.2f%%; recall: "
                "%6.2f%%; FB1: %6.2f\n",
                100.0 * (double)s->correct_tags / (double)s->tokens, p, r,
                f);
    size_t n;
    named_type *t = sorted_types(s, &n);
    if (!t)
        return -1;
    for (size_t i = 0; i < n; i++) {
        const eval_count *c = &s->per_type.v[t[i].id];
        eval_prf(c, &p, &r, &f);
        /* conlleval's loop that drops repeated names keeps a repeated ""
         * (Perl takes "" for false), so a type "" found on both sides is
         * reported twice */
        int times = !*t[i].name && c->gold && c->pred ? 2 : 1;
        while (times--)
            fprintf(out, "%17s: precision: %6.2f%%; recall: %6.2f%%; "
                    "FB1: %6.2f  %zu\n", t[i].name, p, r, f, c->pred);
    }
    free(t);
    return 0;
}

static double percent(size_t a, size_t b)
{
    return b ? 100.0 * (double)a / (double)b : 0.0;
}

/* The lines of the report that are not the table, as text. */
static int summary_line(const eval_ctx *x, int k, char *line, size_t size)
{
    const eval_scores *s = &x->scores;
    if (x->o->format == EVAL_CONLL) {
        if (k > 0)
            return 0;
        snprintf(line, size, "%zu tokens, tag accuracy %.2f%%", s->tokens,
                 percent(s->correct_tags, s->tokens));
        return 1;
    }
    switch (k) {
    case 0:
        snprintf(line, size, "%zu gold documents, %zu without a prediction",
                 s->docs, s->docs_missing);
        return 1;
    case 1:
        snprintf(line, size, "canonical names: %zu/%zu correct (%.2f%%) "
                 "among mentions with the right span and type",
                 s->canon_correct, s->canon_total,
                 percent(s->canon_correct, s->canon_total));
        return 1;
    case 2:
        snprintf(line, size, "for: %zu/%zu correct (%.2f%%) among "
                 "spokespeople with the right span and type", s->for_correct,
                 s->for_total, percent(s->for_correct, s->for_total));
        return 1;
    }
    return 0;
}

static const char *places_unit(const eval_ctx *x)
{
    return x->o->format == EVAL_CONLL ? "lines" : "code points, end exclusive";
}

/* "17-37", or for CoNLL lines "12" or "12-13". */
static void place(const eval_ctx *x, const eval_diff *d, char *out,
                  size_t size)
{
    if (x->o->format == EVAL_CONLL && d->start == d->end)
        snprintf(out, size, "%zu", d->start);
    else
        snprintf(out, size, "%zu-%zu", d->start, d->end);
}

/* "gold STATE, predicted ORG", or one side of it. */
static void detail(const eval_diffs *ds, const eval_diff *d, char *out,
                   size_t size)
{
    const char *g = ds->pool.data + d->gold, *p = ds->pool.data + d->pred;
    if (d->kind == EVAL_MISS)
        snprintf(out, size, "gold %s", g);
    else if (d->kind == EVAL_FALSE_ALARM)
        snprintf(out, size, "predicted %s", p);
    else
        snprintf(out, size, "gold %s, predicted %s", g, p);
}

/* The differences as text, one a line, tab-separated. */
void report_diffs_text(const eval_ctx *x, FILE *out)
{
    const eval_diffs *ds = &x->diffs;
    char line[600];
    fprintf(out, "\n%zu differences (%s): kind, document, place, mention, "
            "detail, context\n", ds->v.n, places_unit(x));
    for (size_t i = 0; i < ds->v.n; i++) {
        const eval_diff *d = &ds->v.v[i];
        const char *pool = ds->pool.data;
        char where[64];
        place(x, d, where, sizeof where);
        detail(ds, d, line, sizeof line);
        fprintf(out, "%s\t%s\t%s\t%s\t%s\t%s[%s]%s\n",
                eval_diff_kind_name(d->kind), pool + d->doc, where,
                pool + d->text, line, pool + d->left, pool + d->text,
                pool + d->right);
    }
}

int report_text(const eval_ctx *x, FILE *out)
{
    const eval_scores *s = &x->scores;
    char line[600];
    if (summary_line(x, 0, line, sizeof line))
        fprintf(out, "%s\n", line);
    fprintf(out, "%-16s %8s %8s %8s %9s %8s %8s\n", "type", "gold",
            "predicted", "correct", "precision", "recall", "F1");
    size_t n;
    named_type *t = sorted_types(s, &n);
    if (!t)
        return -1;
    double p, r, f;
    for (size_t i = 0; i <= n; i++) {
        const eval_count *c = i < n ? &s->per_type.v[t[i].id] : &s->all;
        eval_prf(c, &p, &r, &f);
        fprintf(out, "%-16s %8zu %8zu %8zu %9.2f %8.2f %8.2f\n",
                i < n ? t[i].name : "overall", c->gold, c->pred, c->correct,
                p, r, f);
    }
    free(t);
    for (int k = 1; summary_line(x, k, line, sizeof line); k++)
        fprintf(out, "%s\n", line);
    if (x->o->diff)
        report_diffs_text(x, out);
    return 0;
}

/* Writes s with the characters that mean something in HTML escaped. */
static void html_puts(FILE *out, const char *s)
{
    for (; *s; s++)
        switch (*s) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&#39;", out); break;
        default: fputc(*s, out);
        }
}

static const char html_head[] =
"<!DOCTYPE html>\n"
"<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
"<title>nertag eval</title>\n"
"<style>\n"
"body { font-family: sans-serif; margin: 2em; color: #222; }\n"
"table { border-collapse: collapse; margin: 1em 0; }\n"
"th, td { border: 1px solid #ccc; padding: 0.2em 0.5em; "
"vertical-align: top; }\n"
"th { background: #eee; text-align: left; }\n"
"td.n { text-align: right; font-variant-numeric: tabular-nums; }\n"
"tr.overall td { font-weight: bold; }\n"
"td.ctx { font-family: monospace; }\n"
"mark { background: #fd7; padding: 0 0.1em; }\n"
"tr.miss td.kind { color: #a00; }\n"
"tr.false-alarm td.kind { color: #a50; }\n"
"tr.wrong-type td.kind, tr.wrong-canonical td.kind, tr.wrong-for td.kind "
"{ color: #05a; }\n"
"</style>\n</head>\n<body>\n<h1>nertag eval</h1>\n";

static void html_files(const eval_ctx *x, FILE *out)
{
    fputs("<p>", out);
    if (x->o->gold) {
        fputs("Gold: <code>", out);
        html_puts(out, x->o->gold);
        fputs("</code>; predictions: <code>", out);
    } else {
        fputs("Gold and predicted tags: <code>", out);
    }
    html_puts(out, x->o->pred);
    fputs("</code>", out);
    if (x->o->map) {
        fputs("; type map: <code>", out);
        html_puts(out, x->o->map);
        fputs("</code>", out);
    }
    fputs(".</p>\n", out);
}

static int html_scores(const eval_ctx *x, FILE *out)
{
    const eval_scores *s = &x->scores;
    size_t n;
    named_type *t = sorted_types(s, &n);
    if (!t)
        return -1;
    fputs("<table class=\"scores\">\n<tr><th>type</th><th>gold</th>"
          "<th>predicted</th><th>correct</th><th>precision</th>"
          "<th>recall</th><th>F1</th></tr>\n", out);
    double p, r, f;
    for (size_t i = 0; i <= n; i++) {
        const eval_count *c = i < n ? &s->per_type.v[t[i].id] : &s->all;
        eval_prf(c, &p, &r, &f);
        fputs(i < n ? "<tr><td>" : "<tr class=\"overall\"><td>", out);
        html_puts(out, i < n ? t[i].name : "overall");
        fprintf(out, "</td><td class=\"n\">%zu</td><td class=\"n\">%zu</td>"
                "<td class=\"n\">%zu</td><td class=\"n\">%.2f</td>"
                "<td class=\"n\">%.2f</td><td class=\"n\">%.2f</td></tr>\n",
                c->gold, c->pred, c->correct, p, r, f);
    }
    fputs("</table>\n", out);
    free(t);
    char line[600];
    for (int k = 0; summary_line(x, k, line, sizeof line); k++) {
        fputs("<p>", out);
        html_puts(out, line);
        fputs("</p>\n", out);
    }
    return 0;
}

static void html_diffs(const eval_ctx *x, FILE *out)
{
    const eval_diffs *ds = &x->diffs;
    const char *pool = ds->pool.data;
    fprintf(out, "<h2>%zu differences</h2>\n<table class=\"diff\">\n"
            "<tr><th>kind</th><th>document</th><th>%s</th><th>mention</th>"
            "<th>detail</th><th>context</th></tr>\n", ds->v.n,
            places_unit(x));
    for (size_t i = 0; i < ds->v.n; i++) {
        const eval_diff *d = &ds->v.v[i];
        const char *kind = eval_diff_kind_name(d->kind);
        char where[64], what[600];
        place(x, d, where, sizeof where);
        detail(ds, d, what, sizeof what);
        fputs("<tr class=\"", out);
        for (const char *k = kind; *k; k++)
            fputc(*k == ' ' ? '-' : *k, out);
        fprintf(out, "\"><td class=\"kind\">%s</td><td>", kind);
        html_puts(out, pool + d->doc);
        fprintf(out, "</td><td>%s</td><td>", where);
        html_puts(out, pool + d->text);
        fputs("</td><td>", out);
        html_puts(out, what);
        fputs("</td><td class=\"ctx\">", out);
        html_puts(out, pool + d->left);
        fputs("<mark>", out);
        html_puts(out, pool + d->text);
        fputs("</mark>", out);
        html_puts(out, pool + d->right);
        fputs("</td></tr>\n", out);
    }
    fputs("</table>\n", out);
}

int report_html(const eval_ctx *x, FILE *out)
{
    fputs(html_head, out);
    html_files(x, out);
    if (html_scores(x, out) != 0)
        return -1;
    if (x->o->diff)
        html_diffs(x, out);
    fputs("</body>\n</html>\n", out);
    return 0;
}
