/* conf.c - reader of the "[section] / key = value" line format. */
#include "util/conf.h"
#include "util/error.h"
#include "util/str.h"

#include <string.h>

void conf_open(conf_reader *r, const char *path, const char *text, size_t len)
{
    memset(r, 0, sizeof *r);
    r->path = path;
    r->text = r->pos = text;
    r->end = text + len;
}

void conf_close(conf_reader *r)
{
    buf_free(&r->a);
    buf_free(&r->b);
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* The next physical line, without its newline and trailing blanks. */
static int next_line(conf_reader *r, const char **s, size_t *n)
{
    if (r->pos >= r->end)
        return 0;
    const char *nl = memchr(r->pos, '\n', (size_t)(r->end - r->pos));
    const char *e = nl ? nl : r->end;
    *s = r->pos;
    r->pos = nl ? nl + 1 : r->end;
    while (e > *s && is_blank(e[-1]))
        e--;
    *n = (size_t)(e - *s);
    r->line++;
    return 1;
}

static int ignorable(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && is_blank(s[i]))
        i++;
    return i == n || s[i] == '#';
}

/* Does the line that follows continue the current value? */
static int continues(const conf_reader *r)
{
    return r->pos < r->end && is_blank(*r->pos);
}

static int syntax(conf_reader *r, nertag_error *err, long col, const char *m)
{
    err_set(err, NERTAG_ERR_SYNTAX, "%s", m);
    err_set_place(err, r->path, r->line, col);
    return -1;
}

static int read_section(conf_reader *r, const char *s, size_t n,
                        conf_item *it, nertag_error *err)
{
    if (s[n - 1] != ']')
        return syntax(r, err, (long)n, "section header must end with ']'");
    const char *p = s + 1, *e = s + n - 1;
    while (p < e && is_blank(*p))
        p++;
    const char *k = p;
    while (p < e && !is_blank(*p))
        p++;
    if (p == k)
        return syntax(r, err, 2, "empty section header");
    if (buf_append(&r->a, k, (size_t)(p - k)) != 0)
        return -1;
    while (p < e && is_blank(*p))
        p++;
    while (e > p && is_blank(e[-1]))
        e--;
    if (buf_append(&r->b, p, (size_t)(e - p)) != 0)
        return -1;
    it->kind = CONF_SECTION;
    return 0;
}

static int read_key(conf_reader *r, const char *s, size_t n, conf_item *it,
                    nertag_error *err)
{
    const char *eq = memchr(s, '=', n);
    if (!eq)
        return syntax(r, err, 1, "expected 'key = value' or '[section]'");
    const char *ke = eq;
    while (ke > s && is_blank(ke[-1]))
        ke--;
    for (const char *p = s; p < ke; p++)
        if (is_blank(*p))
            return syntax(r, err, (long)(p - s) + 1, "a key has no spaces");
    if (ke == s)
        return syntax(r, err, 1, "missing key before '='");
    const char *v = eq + 1;
    while (v < s + n && is_blank(*v))
        v++;
    if (buf_append(&r->a, s, (size_t)(ke - s)) != 0 ||
        buf_append(&r->b, v, (size_t)(s + n - v)) != 0)
        return -1;
    it->value_column = (long)(v - s) + 1;
    it->kind = CONF_KEY;
    /* indented lines that follow continue the value */
    while (continues(r)) {
        const char *save = r->pos;
        long save_line = r->line;
        const char *c;
        size_t cn;
        next_line(r, &c, &cn);
        if (ignorable(c, cn)) {
            if (cn == 0 || !continues(r)) {  /* a blank line ends the value */
                r->pos = save;
                r->line = save_line;
                break;
            }
            continue;
        }
        while (cn && is_blank(*c)) {
            c++;
            cn--;
        }
        /* a value that starts on the next line has no leading space */
        if ((r->b.len && buf_putc(&r->b, ' ') != 0) ||
            buf_append(&r->b, c, cn) != 0)
            return -1;
    }
    return 0;
}

int conf_next(conf_reader *r, conf_item *it, nertag_error *err)
{
    const char *s;
    size_t n;
    buf_clear(&r->a);
    buf_clear(&r->b);
    memset(it, 0, sizeof *it);
    for (;;) {
        if (!next_line(r, &s, &n)) {
            it->kind = CONF_END;
            return 0;
        }
        if (ignorable(s, n))
            continue;
        if (is_blank(s[0]))
            return syntax(r, err, 1, "indented line continues nothing");
        it->line = r->line;
        int rc = s[0] == '[' ? read_section(r, s, n, it, err)
                             : read_key(r, s, n, it, err);
        if (rc != 0) {
            if (!err || !err->message[0])
                err_set(err, NERTAG_ERR_NOMEM, "out of memory");
            return -1;
        }
        /* both strings exist even when empty */
        if (buf_reserve(&r->a, 0) != 0 || buf_reserve(&r->b, 0) != 0) {
            err_set(err, NERTAG_ERR_NOMEM, "out of memory");
            return -1;
        }
        it->a = r->a.data;
        it->b = r->b.data;
        return 0;
    }
}
