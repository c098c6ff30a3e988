/* tag.c - the pipeline: one document in, one result out.
 *
 *   validate UTF-8 -> tokenize -> language -> stems -> gazetteer
 *   -> rules -> resolve
 *
 * Everything the pipeline needs per document is kept in the tagger and
 * reused from one document to the next, so that tagging many small
 * documents does not allocate for each of them.
 */
#include "lib/internal.h"
#include "lib/rules/rules.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------ tagger */

nertag_tagger *nertag_tagger_new(const nertag_model *model, nertag_error *err)
{
    err_clear(err);
    if (!model) {
        err_set(err, NERTAG_ERR_ARGUMENT, "no model");
        return NULL;
    }
    nertag_tagger *t = calloc(1, sizeof *t);
    if (!t) {
        err_set(err, NERTAG_ERR_NOMEM, "out of memory");
        return NULL;
    }
    t->model = model;
    if (tokenizer_open(t, err) != 0 || stemmers_open(&t->stem, err) != 0) {
        nertag_tagger_free(t);
        return NULL;
    }
    return t;
}

void nertag_tagger_free(nertag_tagger *t)
{
    if (!t)
        return;
    tokenizer_close(t);
    stemmers_close(&t->stem);
    buf_free(&t->owned_text);
    token_vec_free(&t->tokens);
    buf_free(&t->forms);
    strtab_free(&t->surfaces);
    surface_vec_free(&t->surface_info);
    buf_free(&t->scratch);
    annot_vec_free(&t->annots);
    u32_vec_free(&t->first_start);
    u32_vec_free(&t->first_end);
    u16_vec_free(&t->cover);
    buf_free(&t->strings);
    doc_alias_vec_free(&t->doc_aliases);
    u32_vec_free(&t->alias_ids);
    match_scratch_free(t->match);
    buf_free(&t->trace_lines);
    free(t);
}

/* ------------------------------------------------------------ annotations */

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
    size_t n = t->tokens.n;
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
    buf_append(&t->strings, s, n);   /* room was made: cannot fail */
    buf_putc(&t->strings, 0);
    return off;
}

const char *tagger_str(const nertag_tagger *t, uint32_t off)
{
    return off == NONE32 ? "" : t->strings.data + off;
}

const char *annot_canonical(const nertag_tagger *t, const annot *a)
{
    if (a->canonical != NONE32)
        return tagger_str(t, a->canonical);
    if (a->entry != NONE32)
        return gaz_str(&t->model->gaz,
                       t->model->gaz.entries.v[a->entry].canonical);
    return "";
}

const char *annot_id(const nertag_tagger *t, const annot *a)
{
    if (a->id != NONE32)
        return tagger_str(t, a->id);
    if (a->entry != NONE32)
        return gaz_str(&t->model->gaz, t->model->gaz.entries.v[a->entry].id);
    return "";
}

const char *annot_for(const nertag_tagger *t, const annot *a)
{
    return tagger_str(t, a->for_);
}

/* Appends n in decimal (printf costs more than the rest of a source). */
static int put_number(buf *out, uint32_t n)
{
    char digits[12];
    size_t k = sizeof digits;
    do {
        digits[--k] = (char)('0' + n % 10);
        n /= 10;
    } while (n);
    return buf_append(out, digits + k, sizeof digits - k);
}

int annot_source(const nertag_tagger *t, const annot *a, buf *out)
{
    const struct nertag_model *m = t->model;
    size_t start = out->len;
    int rc = 0;
    if (a->rule != NONE32)
        rc = buf_puts(out, rules_str(m->rules,
                                     m->rules->rules.v[a->rule].source));
    if (rc == 0 && a->entry != NONE32) {
        const gaz_entry *e = &m->gaz.entries.v[a->entry];
        uint32_t line = a->alias != NONE32 ? m->gaz.aliases.v[a->alias].line
                                           : e->line;
        rc = (out->len > start && buf_puts(out, "; ")) ||
             buf_puts(out, "gazetteer ") ||
             buf_puts(out, strtab_get(&m->files, e->file)) ||
             buf_putc(out, ':') || put_number(out, line);
    }
    return rc;
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

/* ------------------------------------------------------------ pipeline */

/* What the model says of a surface: looked up once, when a document first
 * uses it, rather than in the model's large tables for every token. */
static void look_up_form(nertag_tagger *t, surface_info *si)
{
    const struct nertag_model *m = t->model;
    si->gaz_node = gazetteer_first_node(&m->gaz, si->norm_id);
    si->form = rules_word_facts(m->rules, si->norm_id, 0);
    si->form_known = 1;
}

/* The stem of a surface in the document's language. */
static int look_up_stem(nertag_tagger *t, surface_info *si, int alpha)
{
    uint32_t id = NONE32;
    if (alpha) {
        buf_clear(&t->scratch);
        if (stem_append(&t->stem, t->lang, t->forms.data + si->lower_off,
                        si->lower_len, &t->scratch) != 0)
            return -1;
        id = strtab_find(&t->model->lexicon,
                         t->scratch.data ? t->scratch.data : "",
                         t->scratch.len);
    }
    si->stem_id[t->lang] = id;
    si->stem[t->lang] = rules_word_facts(t->model->rules, id, 1);
    return 0;
}

/* Stems each distinct word once: the stem of a surface and what the model
 * says of it are kept with it. */
static int look_up_words(nertag_tagger *t, nertag_error *err)
{
    for (size_t i = 0; i < t->tokens.n; i++) {
        token *tk = &t->tokens.v[i];
        surface_info *si = &t->surface_info.v[tk->surface];
        if (!si->form_known)
            look_up_form(t, si);
        if (si->stem_id[t->lang] == STEM_UNKNOWN &&
            look_up_stem(t, si, tk->flags & TF_ALPHA) != 0) {
            err_set(err, NERTAG_ERR_NOMEM, "out of memory");
            return -1;
        }
        tk->stem_id = si->stem_id[t->lang];
    }
    return 0;
}

static void reset_document(nertag_tagger *t, const nertag_options *opt)
{
    t->annots.n = 0;
    t->first_start.n = t->first_end.n = 0;
    buf_clear(&t->strings);
    t->doc_aliases.n = 0;
    t->alias_ids.n = 0;
    buf_clear(&t->trace_lines);
    t->trace_count = 0;
    t->trace_lost = 0;
    t->trace = opt && opt->trace;
}

static int choose_language(nertag_tagger *t, const nertag_options *opt,
                           nertag_error *err)
{
    const char *want = opt ? opt->lang : NULL;
    if (!want || !*want || !strcmp(want, "auto")) {
        t->lang = language_detect(t);
        return 0;
    }
    if ((t->lang = lang_from_code(want)) < 0) {
        err_set(err, NERTAG_ERR_ARGUMENT, "unknown language '%s' (fr, en, "
                "auto)", want);
        return -1;
    }
    return 0;
}

/* Everything after tokenizing. */
static nertag_result *run_pipeline(nertag_tagger *t, const nertag_options *opt,
                                   nertag_error *err)
{
    reset_document(t, opt);
    if (choose_language(t, opt, err) != 0 || look_up_words(t, err) != 0 ||
        annot_reindex(t) != 0 || gazetteer_annotate(t, err) != 0 ||
        annot_reindex(t) != 0 || rules_apply(t, err) != 0 ||
        t->trace_lost) {
        if (!err || !err->code)
            err_set(err, NERTAG_ERR_NOMEM, "out of memory");
        return NULL;
    }
    nertag_result *r = result_new();
    if (!r) {
        err_set(err, NERTAG_ERR_NOMEM, "out of memory");
        return NULL;
    }
    if (resolve_mentions(t, r, err) != 0) {
        nertag_result_free(r);
        return NULL;
    }
    return r;
}

/* Checks the text; with replace_invalid, points t at a repaired copy. */
static int accept_text(nertag_tagger *t, const char **text, size_t *len,
                       const nertag_options *opt, nertag_error *err)
{
    if (*len > NERTAG_MAX_TEXT_BYTES || *len > INT32_MAX) {
        err_set(err, NERTAG_ERR_LIMIT, "text longer than %d bytes",
                INT32_MAX);
        return -1;
    }
    size_t bad = utf8_first_invalid(*text, *len);
    if (bad == *len)
        return 0;
    if (!opt || !opt->replace_invalid) {
        err_set(err, NERTAG_ERR_UTF8, (*text)[bad] ? "invalid UTF-8"
                                                   : "NUL byte in text");
        err_set_offset(err, (long long)bad);
        return -1;
    }
    buf_clear(&t->owned_text);
    if (utf8_replace_invalid(*text, *len, &t->owned_text) != 0 ||
        buf_reserve(&t->owned_text, 0) != 0 ||
        t->owned_text.len > INT32_MAX) {
        err_set(err, NERTAG_ERR_NOMEM, "out of memory");
        return -1;
    }
    *text = t->owned_text.data;
    *len = t->owned_text.len;
    return 0;
}

nertag_result *nertag_tag(nertag_tagger *t, const char *text, size_t len,
                          const nertag_options *opt, nertag_error *err)
{
    err_clear(err);
    if (!t || (!text && len)) {
        err_set(err, NERTAG_ERR_ARGUMENT, "no tagger or no text");
        return NULL;
    }
    if (!text)
        text = "";
    if (accept_text(t, &text, &len, opt, err) != 0 ||
        tokenize_text(t, text, len, err) != 0)
        return NULL;
    return run_pipeline(t, opt, err);
}

nertag_result *nertag_tag_tokens(nertag_tagger *t, const nertag_token_in *in,
                                 size_t count, const nertag_options *opt,
                                 nertag_error *err)
{
    err_clear(err);
    if (!t || (!in && count)) {
        err_set(err, NERTAG_ERR_ARGUMENT, "no tagger or no tokens");
        return NULL;
    }
    size_t offset = 0;
    for (size_t i = 0; i < count; i++) {
        size_t bad = utf8_first_invalid(in[i].text, in[i].len);
        if (bad < in[i].len || !in[i].len) {
            err_set(err, !in[i].len ? NERTAG_ERR_ARGUMENT : NERTAG_ERR_UTF8,
                    !in[i].len ? "empty token %zu" : "invalid UTF-8 in "
                    "token %zu", i + 1);
            err_set_offset(err, (long long)(offset + bad));
            return NULL;
        }
        offset += in[i].len + 1;
    }
    if (tokenize_given(t, in, count, err) != 0)
        return NULL;
    return run_pipeline(t, opt, err);
}

const char *nertag_detect_language(nertag_tagger *t, const char *text,
                                   size_t len, nertag_error *err)
{
    err_clear(err);
    if (!t || (!text && len)) {
        err_set(err, NERTAG_ERR_ARGUMENT, "no tagger or no text");
        return NULL;
    }
    if (!text)
        text = "";
    nertag_options opt = { NULL, 0, 0 };
    if (accept_text(t, &text, &len, &opt, err) != 0 ||
        tokenize_text(t, text, len, err) != 0)
        return NULL;
    return lang_code(language_detect(t));
}
