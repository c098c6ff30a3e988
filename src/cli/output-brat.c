/* output-brat.c - brat standoff annotations.
 *
 *   T1<TAB>STATE 17 37<TAB>gouvernement chinois
 *   #1<TAB>AnnotatorNotes T1<TAB>China; id=CN
 *
 * Offsets count Unicode code points, as brat (Python strings) does.  A
 * mention that spans a line break becomes a discontinuous span, one
 * fragment per line ("T3<TAB>ORG 10 14;15 20<TAB>Dell Technologies"), since
 * brat does not allow a fragment across lines.
 *
 * With --brat-dir DIR every document is written as DIR/NAME.txt and
 * DIR/NAME.ann, and DIR/annotation.conf lists the entity types; otherwise the .ann content goes to standard output after a
 * "# NAME" line.  NAME comes from the file name or the document id, made
 * safe for a file name and unique within the run (by a -2, -3 … suffix). */
#include "cli/cli.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ names */

/* Base name of a path without its extension: "dir/seed-fr.txt" -> "seed-fr". */
static void path_stem(const char *path, const char **s, size_t *n)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    const char *dot = strrchr(b, '.');
    *s = b;
    *n = dot && dot > b ? (size_t)(dot - b) : strlen(b);
}

/* Keeps letters, digits, '.', '-', '_' and every non-ASCII byte (UTF-8
 * names are fine on every file system in use); anything else becomes '_'.
 * The name is cut before 200 bytes, on a character boundary. */
static int safe_name(buf *out, const char *s, size_t n)
{
    size_t start = out->len;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c & 0xC0) != 0x80 && out->len - start >= 196)
            break;   /* at a character boundary, room for one more */
        int ok = c >= 0x80 || (c >= 'a' && c <= 'z') ||
                 (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '-' || c == '_' || (c == '.' && out->len > start);
        if (buf_putc(out, ok ? (char)c : '_') != 0)
            return -1;
    }
    return out->len > start ? 0 : buf_puts(out, "doc");
}

/* The set of names given so far in a run: open addressing over strings. */
struct brat_names {
    char **slot;
    size_t cap, n;
    const char *last;             /* the latest: the parts of a long text */
};

brat_names *brat_names_new(void)
{
    brat_names *s = calloc(1, sizeof *s);
    if (s && !(s->slot = calloc(s->cap = 64, sizeof *s->slot))) {
        free(s);
        s = NULL;
    }
    return s;
}

void brat_names_free(brat_names *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->cap; i++)
        free(s->slot[i]);
    free(s->slot);
    free(s);
}

static size_t hash(const char *s)
{
    size_t h = 5381;
    while (*s)
        h = h * 33 + (unsigned char)*s++;
    return h;
}

static char **find(brat_names *s, const char *name)
{
    size_t i = hash(name) & (s->cap - 1);
    while (s->slot[i] && strcmp(s->slot[i], name))
        i = (i + 1) & (s->cap - 1);
    return &s->slot[i];
}

static int grow(brat_names *s)
{
    brat_names bigger = { calloc(s->cap * 2, sizeof(char *)), s->cap * 2, 0,
                          s->last };
    if (!bigger.slot)
        return -1;
    for (size_t i = 0; i < s->cap; i++)
        if (s->slot[i])
            *find(&bigger, s->slot[i]) = s->slot[i];
    free(s->slot);
    s->slot = bigger.slot;
    s->cap = bigger.cap;
    return 0;
}

/* Makes name unique in the set ("name", "name-2", "name-3" …) and adds it. */
static int unique(brat_names *s, buf *name)
{
    size_t base = name->len;
    for (unsigned long k = 2; *find(s, name->data); k++) {
        name->len = base;
        if (buf_printf(name, "-%lu", k) != 0)
            return -1;
    }
    if ((s->n + 1) * 2 > s->cap && grow(s) != 0)
        return -1;
    char **slot = find(s, name->data);
    if (!(*slot = malloc(name->len + 1)))
        return -1;
    memcpy(*slot, name->data, name->len + 1);
    s->last = *slot;
    s->n++;
    return 0;
}

/* ------------------------------------------------------------ .ann */

/* The fragments of a mention, split at line breaks: "10 14;15 20", and its
 * text with the fragments joined by spaces. */
static int fragments(buf *out, const nertag_mention *m)
{
    size_t cp = m->start, from = m->start;
    const char *t = m->text;
    int rc = 0;
    for (; *t; t++) {
        if (*t == '\n') {
            if (cp > from)
                rc = rc || buf_printf(out, "%s%zu %zu",
                                      from > m->start ? ";" : "", from, cp);
            from = cp + 1;
        }
        if (((unsigned char)*t & 0xC0) != 0x80)
            cp++;
    }
    rc = rc || buf_printf(out, "%s%zu %zu", from > m->start ? ";" : "", from,
                          m->end);
    rc = rc || buf_putc(out, '\t');
    /* line breaks and tabs would break the line format: one space each */
    int gap = 0;
    for (t = m->text; rc == 0 && *t; t++) {
        int ws = *t == '\n' || *t == '\r' || *t == '\t';
        if (!ws || !gap)
            rc = buf_putc(out, ws ? ' ' : *t);
        gap = *t == '\n';
    }
    return rc;
}

/* Appends prefix and s with tabs and line breaks as spaces: a canonical
 * name made from the text ("Mercantile<TAB>Zembla"), or a source that
 * quotes it ("document alias of 'Jean<TAB>Durand'"), would break the
 * line's columns. */
static int note_value(buf *out, const char *prefix, const char *s)
{
    int rc = buf_puts(out, prefix);
    for (; rc == 0 && *s; s++) {
        int ws = *s == '\t' || *s == '\n' || *s == '\r';
        rc = buf_putc(out, ws ? ' ' : *s);
    }
    return rc;
}

static int note(const cli_opts *o, buf *out, size_t k,
                const nertag_mention *m, buf *scratch)
{
    int rc = buf_printf(out, "#%zu\tAnnotatorNotes T%zu\t", k, k) ||
             note_value(out, "", m->canonical) ||
             (*m->id && note_value(out, "; id=", m->id)) ||
             (m->type == NERTAG_SPOKESPERSON && *m->for_ &&
              note_value(out, "; for=", m->for_));
    if (rc == 0 && o->explain) {
        const char *s = out_relative(o, m->source, scratch);
        rc = !s || note_value(out, "; source=", s);
    }
    return rc || buf_putc(out, '\n');
}

int brat_document(const cli_opts *o, job *j, const doc *d)
{
    const char *s;
    size_t n;
    if (o->input == IN_TEXT)
        path_stem(strcmp(d->id, "-") ? d->id : "stdin", &s, &n);
    else {
        s = d->id;
        n = strlen(d->id);
    }
    buf scratch = BUF_INIT;
    int rc = safe_name(&j->docname, s, n) ||
             buf_append(&j->text, d->text, d->len);
    for (size_t i = 0; rc == 0 && i < nertag_result_count(d->r); i++) {
        const nertag_mention *m = nertag_result_mention(d->r, i);
        size_t k = d->mention_base + i + 1;
        rc = buf_printf(&j->out, "T%zu\t%s ", k,
                        nertag_type_name(m->type)) ||
             fragments(&j->out, m) || buf_putc(&j->out, '\n') ||
             note(o, &j->out, k, m, &scratch);
    }
    buf_free(&scratch);
    return rc;
}

/* ------------------------------------------------------------ files */

static int write_file(const char *path, const buf *b, int append)
{
    FILE *f = fopen(path, append ? "ab" : "wb");
    if (!f)
        return -1;
    int rc = b->len && fwrite(b->data, 1, b->len, f) != b->len ? -1 : 0;
    int e = errno;
    if (fclose(f) != 0 && rc == 0)
        return -1;
    errno = e;
    return rc;
}

int brat_write(const char *dir, brat_names *names, const job *j, FILE *out,
               buf *path)
{
    buf name = BUF_INIT;
    /* the parts of a long text after the first go on with its files */
    int rc = j->cont && names->last
             ? buf_puts(&name, names->last)
             : buf_append(&name, j->docname.data, j->docname.len) ||
               buf_reserve(&name, 0) || unique(names, &name);
    if (rc != 0) {
        errno = ENOMEM;
    } else if (!dir) {
        rc = (!j->cont && fprintf(out, "# %s\n", name.data) < 0) ||
             (j->out.len &&
              fwrite(j->out.data, 1, j->out.len, out) != j->out.len) ? -1 : 0;
    } else {
        buf_clear(path);
        rc = buf_printf(path, "%s/%s.txt", dir, name.data) ||
             write_file(path->data, &j->text, j->cont);
        if (rc == 0) {
            buf_clear(path);
            rc = buf_printf(path, "%s/%s.ann", dir, name.data) ||
                 write_file(path->data, &j->out, j->cont);
        }
    }
    buf_free(&name);
    return rc ? -1 : 0;
}

int brat_conf(const char *dir, buf *path)
{
    buf conf = BUF_INIT;
    int rc = buf_puts(&conf, "# The entity types of nertag, for brat.\n"
                             "[entities]\n");
    for (int t = 0; rc == 0 && t < NERTAG_TYPE_COUNT; t++)
        rc = buf_printf(&conf, "%s\n", nertag_type_name((nertag_type)t));
    rc = rc || buf_puts(&conf, "\n[relations]\n\n[events]\n\n"
                               "[attributes]\n");
    buf_clear(path);
    rc = rc || buf_printf(path, "%s/annotation.conf", dir) ||
         write_file(path->data, &conf, 0);
    buf_free(&conf);
    return rc ? -1 : 0;
}
