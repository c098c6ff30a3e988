/* annot.c - the annotation store of a document.
 *
 * Every stage after tokenizing speaks through it: the gazetteer and the
 * rules add annotations (spans of tokens with a label and an entity), the
 * rules test what covers a token, resolution picks the mentions.  It also
 * holds the strings that rules make (canonical names built from parts) and
 * the trace that --explain prints.
 */
#include "lib/internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Label ids start with the output types, in nertag_type order. */
static const char *const type_names[NERTAG_TYPE_COUNT] = {
    "STATE", "ORG", "GROUP", "SPOKESPERSON", "PERSON", "LOC"
};

const char *nertag_type_name(nertag_type type)
{
    return (unsigned)type < NERTAG_TYPE_COUNT ? type_names[type] : NULL;
}

uint32_t annot_add(nertag_tagger *t, const annot *a)
{
    if (t->annots.n >= NONE32 - 1 || annot_vec_push(&t->annots, *a) != 0)
        return NONE32;
    annot *x = &t->annots.v[t->annots.n - 1];
    x->next_start = x->next_end = NONE32;
    return (uint32_t)t->annots.n - 1;
}

/* The COVER_* bits an annotation sets on each of its tokens. */
static uint16_t cover_bits(const annot *a)
{
    if (a->flags & AF_REMOVED)
        return 0;
    uint16_t bits = COVER_ANY;
    if (LABEL_IS_TYPE(a->label)) {
        bits |= (uint16_t)(COVER_AMBIGUOUS_TYPE << a->label);
        if (!(a->flags & AF_AMBIGUOUS))
            bits |= (uint16_t)((1u << a->label) | COVER_ANY_TYPE);
    }
    return bits;
}

int annot_reindex(nertag_tagger *t)
{
    size_t n = t->doc.tokens.n;
    if (u32_vec_reserve(&t->first_start, n + 1) != 0 ||
        u32_vec_reserve(&t->first_end, n + 1) != 0 ||
        u16_vec_reserve(&t->cover, n + 1) != 0)
        return -1;
    t->first_start.n = t->first_end.n = t->cover.n = n;
    for (size_t i = 0; i < n; i++) {
        t->first_start.v[i] = t->first_end.v[i] = NONE32;
        t->cover.v[i] = 0;
    }
    t->max_span = 0;
    /* prepend from the last: each list ends up in creation order */
    for (size_t i = t->annots.n; i-- > 0;) {
        annot *a = &t->annots.v[i];
        a->next_start = t->first_start.v[a->tstart];
        t->first_start.v[a->tstart] = (uint32_t)i;
        a->next_end = t->first_end.v[a->tend - 1];
        t->first_end.v[a->tend - 1] = (uint32_t)i;
        uint16_t bits = cover_bits(a);
        for (uint32_t k = a->tstart; k < a->tend; k++)
            t->cover.v[k] |= bits;
        if (a->tend - a->tstart > t->max_span)
            t->max_span = a->tend - a->tstart;
    }
    return 0;
}

uint32_t tagger_string(nertag_tagger *t, const char *s, size_t n)
{
    uint32_t off = (uint32_t)t->strings.len;
    /* s may lie in t->strings itself (the canonical name of a mention
     * that a rule made, copied for an alias): growing the buffer would
     * free it, so it is found again by its offset */
    uintptr_t base = (uintptr_t)t->strings.data, at = (uintptr_t)s;
    int inside = base && at >= base && at < base + t->strings.len;
    size_t from = inside ? (size_t)(at - base) : 0;
    if (t->strings.len + n + 1 >= NONE32 ||
        buf_reserve(&t->strings, n + 1) != 0)
        return NONE32;
    if (inside)
        s = t->strings.data + from;
    char *to = t->strings.data + t->strings.len;   /* room was made */
    if (n)
        memcpy(to, s, n);
    to[n] = to[n + 1] = '\0';   /* the string's end, and the buffer's */
    t->strings.len += n + 1;
    return off;
}

const char *tagger_str(const nertag_tagger *t, uint32_t off)
{
    return off == NONE32 ? "" : t->strings.data + off;
}

/* The length of valid UTF-8 s[0..len) cut short, without the incomplete
 * character the cut may have left at its end. */
static size_t whole_chars(const char *s, size_t len)
{
    size_t i = len;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
        i--;
    if (i == 0 || (unsigned char)s[i - 1] < 0xC0)
        return len;
    unsigned char lead = (unsigned char)s[i - 1];
    size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
    return len - (i - 1) < need ? i - 1 : len;
}

void tagger_trace(nertag_tagger *t, const char *fmt, ...)
{
    if (!t->trace)
        return;
    va_list ap;
    va_start(ap, fmt);
    char line[512];
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    size_t len = strlen(line);
    /* a long mention's line is cut, but between characters: the trace
     * is written out as UTF-8 (JSON, XML) */
    if (n >= (int)sizeof line)
        len = whole_chars(line, len);
    line[len] = '\0';
    if (buf_append(&t->trace_lines, line, len + 1) == 0)
        t->trace_count++;
    else
        t->trace_lost = 1;   /* the call fails: a trace is whole or none */
}
