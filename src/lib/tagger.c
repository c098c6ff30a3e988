/* tagger.c - the pipeline: one document in, one result out.
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
    if (!(t->names = names_new())) {
        nertag_tagger_free(t);
        err_set(err, NERTAG_ERR_NOMEM, "out of memory");
        return NULL;
    }
    if (document_open(&t->doc, model, err) != 0 ||
        stemmers_open(&t->stem, &model->lang, err) != 0) {
        nertag_tagger_free(t);
        return NULL;
    }
    return t;
}

void nertag_tagger_free(nertag_tagger *t)
{
    if (!t)
        return;
    document_close(&t->doc);
    stemmers_close(&t->stem);
    buf_free(&t->repaired);
    buf_free(&t->scratch);
    annot_vec_free(&t->annots);
    u32_vec_free(&t->first_start);
    u32_vec_free(&t->first_end);
    u16_vec_free(&t->cover);
    buf_free(&t->strings);
    doc_alias_vec_free(&t->doc_aliases);
    u32_vec_free(&t->alias_ids);
    names_free(t->names);
    match_scratch_free(t->match);
    free(t->trie_memo);
    resolve_scratch_free(t->resolve);
    buf_free(&t->trace_lines);
    free(t);
}

/* ------------------------------------------------------------ pipeline */

/* What the gazetteer says of a surface: looked up once, when a document
 * first uses it, rather than in the model's large tables for every token. */
static void look_up_form(nertag_tagger *t, surface_info *si)
{
    const struct nertag_model *m = t->model;
    si->gaz_node = gazetteer_first_node(&m->gaz, si->norm_id);
    si->form_known = FORM_KNOWN;
    if (si->gaz_node != NONE32 && gazetteer_node_ends(&m->gaz, si->gaz_node))
        si->form_known |= FORM_ALIAS_ENDS;
}

/* The stem of a surface in the document's language (none in no known
 * language), and what the rules of that language say of its form and its
 * stem. */
static int look_up_stem(nertag_tagger *t, surface_info *si, int alpha)
{
    uint32_t id = NONE32;
    if (alpha && t->lang != LANG_NONE) {
        buf_clear(&t->scratch);
        if (stem_append(&t->stem, t->lang, t->doc.forms.data + si->lower_off,
                        si->lower_len, &t->scratch) != 0)
            return -1;
        id = strtab_find(&t->model->lexicon,
                         t->scratch.data ? t->scratch.data : "",
                         t->scratch.len);
    }
    si->stem_id = id;
    word_facts form = rules_word_facts(t->model->rules, si->norm_id, 0,
                                       t->lang);
    si->form_lists = form.lists;
    si->form_phases = form.phases;
    word_facts f = rules_word_facts(t->model->rules, id, 1, t->lang);
    si->stem_lists = f.lists;
    si->stem_phases = f.phases;
    si->stem_lang = (int8_t)t->lang;
    return 0;
}

/* Stems each distinct word once: the stem of a surface and what the model
 * says of it are kept with it. */
static int look_up_words(nertag_tagger *t, nertag_error *err)
{
    for (size_t i = 0; i < t->doc.tokens.n; i++) {
        token *tk = &t->doc.tokens.v[i];
        surface_info *si = &t->doc.surface_info.v[tk->surface];
        if (!si->form_known)
            look_up_form(t, si);
        if (si->stem_lang != t->lang &&
            look_up_stem(t, si, tk->flags & TF_ALPHA) != 0) {
            err_set(err, NERTAG_ERR_NOMEM, "out of memory");
            return -1;
        }
        tk->stem_id = si->stem_id;
    }
    return 0;
}

void tagger_reset(nertag_tagger *t, const nertag_options *opt)
{
    buf_clear(&t->strings);
    names_reset(t);
    tagger_next_window(t, opt);
}

void tagger_next_window(nertag_tagger *t, const nertag_options *opt)
{
    t->annots.n = 0;
    t->first_start.n = t->first_end.n = 0;
    buf_clear(&t->trace_lines);
    t->trace_count = 0;
    t->trace_lost = 0;
    t->trace = opt && (opt->flags & NERTAG_TAG_TRACE);
    t->known_lists = (doc_lists){ 0, 0 };
}

/* "de, en, es, fr": the codes of the model, for messages. */
static void known_codes(const nertag_model *m, char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (const char *const *c = nertag_model_languages(m); *c; c++) {
        int n = snprintf(out + used, size - used, "%s%s",
                         c == nertag_model_languages(m) ? "" : ", ", *c);
        if (n < 0 || (size_t)n >= size - used)
            break;
        used += (size_t)n;
    }
}

/* The language of code: one of the model's, or "und" (LANG_NONE). */
static int language_of(nertag_tagger *t, const char *code, nertag_error *err)
{
    if (!strcmp(code, "und")) {
        t->lang = LANG_NONE;
        return 0;
    }
    if ((t->lang = lang_from_code(&t->model->lang, code)) != LANG_NONE)
        return 0;
    char codes[200];
    known_codes(t->model, codes, sizeof codes);
    err_set(err, NERTAG_ERR_ARGUMENT, "unknown language '%s' (the data "
            "defines: %s; or und, auto)", code, codes);
    return -1;
}

int tagger_choose_language(nertag_tagger *t, const nertag_options *opt,
                           nertag_error *err)
{
    const char *want = opt ? opt->lang : NULL;
    if (want && *want && strcmp(want, "auto"))
        return language_of(t, want, err);
    if ((t->lang = language_detect(&t->doc)) != LANG_NONE)
        return 0;
    if (opt && (opt->flags & NERTAG_TAG_REQUIRE_LANG)) {
        char codes[200];
        known_codes(t->model, codes, sizeof codes);
        err_set(err, NERTAG_ERR_LANGUAGE, "the text is in none of the "
                "languages of the data (%s)", codes);
        return -1;
    }
    return opt && opt->default_lang ? language_of(t, opt->default_lang, err)
                                    : 0;
}

/* Options this library does not know are refused, not ignored. */
int options_known(const nertag_options *opt, nertag_error *err)
{
    const unsigned long known = NERTAG_TAG_REPLACE_INVALID | NERTAG_TAG_TRACE |
                                NERTAG_TAG_REQUIRE_LANG;
    if (!opt || (!(opt->flags & ~known) && reserved_zero(opt->reserved, 4)))
        return 1;
    err_set(err, NERTAG_ERR_ARGUMENT, "options unknown to nertag %s",
            NERTAG_VERSION);
    return 0;
}

int tagger_annotate(nertag_tagger *t, nertag_error *err)
{
    /* the gazetteer reads no index of the annotations: one after it */
    if (look_up_words(t, err) != 0 ||
        gazetteer_annotate(t, err) != 0 || annot_reindex(t) != 0 ||
        rules_apply(t, err) != 0 || t->trace_lost) {
        if (!err || !err->code)
            err_set(err, NERTAG_ERR_NOMEM, "out of memory");
        return -1;
    }
    return 0;
}

/* Everything after tokenizing. */
static nertag_result *run_pipeline(nertag_tagger *t, const nertag_options *opt,
                                   nertag_error *err)
{
    tagger_reset(t, opt);
    if (tagger_choose_language(t, opt, err) != 0 ||
        tagger_annotate(t, err) != 0)
        return NULL;
    nertag_result *r = result_new();
    if (!r) {
        err_set(err, NERTAG_ERR_NOMEM, "out of memory");
        return NULL;
    }
    if (resolve_mentions(t, r, NULL, err) != 0) {
        nertag_result_free(r);
        return NULL;
    }
    return r;
}

/* Checks the text; with NERTAG_TAG_REPLACE_INVALID, points *text at a
 * repaired copy. */
int accept_text(nertag_tagger *t, const char **text, size_t *len,
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
    if (!opt || !(opt->flags & NERTAG_TAG_REPLACE_INVALID)) {
        err_set(err, NERTAG_ERR_UTF8, (*text)[bad] ? "invalid UTF-8"
                                                   : "NUL byte in text");
        err_set_offset(err, (long long)bad);
        return -1;
    }
    buf_clear(&t->repaired);
    if (utf8_replace_invalid(*text, *len, &t->repaired) != 0 ||
        buf_reserve(&t->repaired, 0) != 0 ||
        t->repaired.len > INT32_MAX) {
        err_set(err, NERTAG_ERR_NOMEM, "out of memory");
        return -1;
    }
    *text = t->repaired.data;
    *len = t->repaired.len;
    return 0;
}

/* Checks the arguments and the text, then tokenizes it. */
static int take_text(nertag_tagger *t, const char *text, size_t len,
                     const nertag_options *opt, nertag_error *err)
{
    err_clear(err);
    if (!t || (!text && len)) {
        err_set(err, NERTAG_ERR_ARGUMENT, "no tagger or no text");
        return -1;
    }
    if (!text)
        text = "";
    if (!options_known(opt, err) ||
        accept_text(t, &text, &len, opt, err) != 0)
        return -1;
    return tokenize_text(&t->doc, text, len, err);
}

nertag_result *nertag_tag(nertag_tagger *t, const char *text, size_t len,
                          const nertag_options *opt, nertag_error *err)
{
    if (take_text(t, text, len, opt, err) != 0)
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
    if (!options_known(opt, err))
        return NULL;
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
    if (tokenize_given(&t->doc, in, count, err) != 0)
        return NULL;
    return run_pipeline(t, opt, err);
}

const char *nertag_detect_language(nertag_tagger *t, const char *text,
                                   size_t len, nertag_error *err)
{
    if (take_text(t, text, len, NULL, err) != 0)
        return NULL;
    return lang_code(&t->model->lang, language_detect(&t->doc));
}

const char *nertag_version(void)
{
    return NERTAG_VERSION;
}
