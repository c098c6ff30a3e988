/* output.c - writing results: JSON entities, inline text, CoNLL tags. */
#include "cli.h"
#include "json.h"

#include <string.h>

static int key_string(buf *out, const char *key, const char *s, int comma)
{
    return (comma && buf_putc(out, ',') != 0) ||
           buf_printf(out, "\"%s\":", key) != 0 ||
           json_write_string(out, s, strlen(s)) != 0;
}

int out_mention_json(buf *out, const nertag_mention *m)
{
    int rc = buf_printf(out, "{\"start\":%zu,\"end\":%zu,\"bstart\":%zu,"
                        "\"bend\":%zu,", m->start, m->end, m->bstart,
                        m->bend) ||
             key_string(out, "text", m->text, 0) ||
             key_string(out, "type", nertag_type_name(m->type), 1) ||
             key_string(out, "canonical", m->canonical, 1) ||
             key_string(out, "id", m->id, 1) ||
             key_string(out, "source", m->source, 1);
    if (rc == 0 && m->type == NERTAG_SPOKESPERSON)
        rc = key_string(out, "for", m->for_, 1);
    return rc || buf_putc(out, '}');
}

int out_entities_json(buf *out, const nertag_result *r)
{
    if (buf_putc(out, '[') != 0)
        return -1;
    for (size_t i = 0; i < nertag_result_count(r); i++)
        if ((i && buf_putc(out, ',') != 0) ||
            out_mention_json(out, nertag_result_mention(r, i)) != 0)
            return -1;
    return buf_putc(out, ']');
}

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

int out_text_inline(buf *out, const char *text, size_t len,
                    const nertag_result *r, int color)
{
    size_t pos = 0;
    for (size_t i = 0; i < nertag_result_count(r); i++) {
        const nertag_mention *m = nertag_result_mention(r, i);
        if (buf_append(out, text + pos, m->bstart - pos) != 0 ||
            inline_mark(out, m, color) != 0)
            return -1;
        pos = m->bend;
    }
    return buf_append(out, text + pos, len - pos);
}

int out_explain(buf *out, const nertag_result *r)
{
    for (size_t i = 0; i < nertag_result_count(r); i++) {
        const nertag_mention *m = nertag_result_mention(r, i);
        if (buf_printf(out, "  %zu-%zu %s '%s' -> %s%s%s%s: %s\n", m->start,
                       m->end, nertag_type_name(m->type), m->text,
                       m->canonical, *m->id ? " [" : "", m->id,
                       *m->id ? "]" : "", m->source) != 0)
            return -1;
    }
    for (size_t i = 0; i < nertag_result_trace_count(r); i++)
        if (buf_printf(out, "  trace: %s\n", nertag_result_trace(r, i)) != 0)
            return -1;
    return 0;
}

int out_token_tags(const nertag_result *r, const char **tags, buf *names)
{
    size_t n = nertag_result_token_count(r);
    /* names holds "O\0B-STATE\0I-STATE\0…": one per type and position */
    buf_clear(names);
    if (buf_append(names, "O", 2) != 0)
        return -1;
    size_t offs[2 * NERTAG_TYPE_COUNT];
    for (int t = 0; t < NERTAG_TYPE_COUNT; t++)
        for (int k = 0; k < 2; k++) {
            offs[2 * t + k] = names->len;
            if (buf_printf(names, "%c-%s", k ? 'I' : 'B',
                           nertag_type_name((nertag_type)t)) != 0 ||
                buf_putc(names, 0) != 0)
                return -1;
        }
    for (size_t i = 0; i < n; i++)
        tags[i] = names->data;
    for (size_t i = 0; i < nertag_result_count(r); i++) {
        const nertag_mention *m = nertag_result_mention(r, i);
        for (size_t k = m->tstart; k < m->tend && k < n; k++)
            tags[k] = names->data + offs[2 * m->type + (k > m->tstart)];
    }
    return 0;
}

int out_flush(cli *c)
{
    if (c->out.len && fwrite(c->out.data, 1, c->out.len, c->outf) != c->out.len)
        return -1;
    buf_clear(&c->out);
    return 0;
}
