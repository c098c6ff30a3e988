/* language.c - is a document French or English?
 *
 * Each language has a list of its most frequent function words
 * (models/language.conf); a document is in the language whose function
 * words it uses most.  Function words are the most reliable evidence in
 * short texts and cost one table lookup per token, since every token's
 * folded form was already looked up in the lexicon.  When the counts are
 * equal (a title, a list of names), letters with French accents decide, and
 * English is the default.  The accuracy is measured on the evaluation
 * corpora by scripts/eval-language.sh.
 */
#include "lib/internal.h"
#include "util/conf.h"

#include <string.h>

int language_load(struct nertag_model *m, const char *path, nertag_error *err)
{
    size_t len;
    char *text = read_file(path, &len, err);
    if (!text)
        return -1;
    conf_reader r;
    conf_open(&r, path, text, len);
    conf_item it;
    int rc = 0, lang = -1, tokenizer = 0;
    while (rc == 0 && (rc = conf_next(&r, &it, err)) == 0 &&
           it.kind != CONF_END) {
        if (it.kind == CONF_SECTION) {
            tokenizer = !strcmp(it.a, "tokenizer");
            lang = !strcmp(it.a, "language") ? lang_from_code(it.b) : -1;
            if (!tokenizer && lang < 0) {
                err_set(err, NERTAG_ERR_SYNTAX, "expected [tokenizer], "
                        "[language fr] or [language en]");
                err_set_place(err, path, it.line, 1);
                rc = -1;
            }
            continue;
        }
        strtab *set = NULL;
        if (tokenizer && !strcmp(it.a, "abbreviations"))
            set = &m->tok.abbreviations;
        else if (tokenizer && !strcmp(it.a, "elisions"))
            set = &m->tok.elisions;
        else if (lang >= 0 && !strcmp(it.a, "words"))
            set = &m->lang.words[lang];
        if (!set) {
            err_set(err, NERTAG_ERR_SYNTAX, "unknown key '%s' here", it.a);
            err_set_place(err, path, it.line, 1);
            rc = -1;
            break;
        }
        /* "a | b | c": each folded, without a final period */
        char *cur = it.b;
        for (char *w; rc == 0 && (w = next_word(&cur, "| "));) {
            size_t n = strlen(w);
            if (n > 1 && w[n - 1] == '.')
                n--;
            char *f = fold_dup(w, n, 0);
            if (!f || strtab_intern(set, f, strlen(f)) == STRTAB_NONE) {
                err_set(err, NERTAG_ERR_NOMEM, "out of memory");
                rc = -1;
            }
            free(f);
        }
    }
    conf_close(&r);
    free(text);
    return rc;
}

/* Marks the function words in the lexicon, once it is complete. */
int language_finish(struct nertag_model *m, nertag_error *err)
{
    for (int l = 0; l < LANG_COUNT; l++) {
        strtab *w = &m->lang.words[l];
        for (uint32_t i = 0; i < w->count; i++)
            if (strtab_intern(&m->lexicon, strtab_get(w, i),
                              strtab_len(w, i)) == STRTAB_NONE)
                goto nomem;
    }
    m->lang.count = m->lexicon.count;
    m->lang.mask = calloc(m->lang.count ? m->lang.count : 1, 1);
    if (!m->lang.mask)
        goto nomem;
    for (int l = 0; l < LANG_COUNT; l++) {
        strtab *w = &m->lang.words[l];
        for (uint32_t i = 0; i < w->count; i++)
            m->lang.mask[strtab_find(&m->lexicon, strtab_get(w, i),
                                     strtab_len(w, i))] |= (uint8_t)(1u << l);
        strtab_free(w);
    }
    return 0;
nomem:
    err_set(err, NERTAG_ERR_NOMEM, "out of memory");
    return -1;
}

void language_free(language_data *d)
{
    free(d->mask);
    for (int l = 0; l < LANG_COUNT; l++)
        strtab_free(&d->words[l]);
    memset(d, 0, sizeof *d);
}

/* Does s hold a letter that French writes and English does not? */
static int has_french_letter(const char *s, size_t n)
{
    static const char *const letters[] = {
        "\xC3\xA9", "\xC3\xA8", "\xC3\xAA", "\xC3\xA0", "\xC3\xA7",
        "\xC3\xB9", "\xC3\xBB", "\xC3\xB4", "\xC3\xAE", "\xC3\xA2",
        "\xC5\x93", "\xC5\x92", "\xC3\xAB", "\xC3\xAF"
    };
    for (size_t i = 0; i + 1 < n; i++)
        if ((unsigned char)s[i] == 0xC3 || (unsigned char)s[i] == 0xC5)
            for (size_t k = 0; k < sizeof letters / sizeof *letters; k++)
                if (!memcmp(s + i, letters[k], 2))
                    return 1;
    return 0;
}

int language_detect(const document *doc)
{
    const language_data *d = &doc->model->lang;
    size_t score[LANG_COUNT] = { 0 };
    for (size_t i = 0; i < doc->tokens.n; i++) {
        const token *tk = &doc->tokens.v[i];
        if (tk->norm_id != NONE32 && tk->norm_id < d->count) {
            uint8_t mask = d->mask[tk->norm_id];
            for (int l = 0; l < LANG_COUNT; l++)
                score[l] += (mask >> l) & 1;
        }
    }
    if (score[LANG_FR] != score[LANG_EN])
        return score[LANG_FR] > score[LANG_EN] ? LANG_FR : LANG_EN;
    for (size_t i = 0; i < doc->tokens.n; i++) {
        const token *tk = &doc->tokens.v[i];
        if (!(tk->flags & TF_ALPHA))
            continue;
        /* the case-folded form has no ligature left: œ is "oe" there */
        size_t len;
        const char *lower = token_lower(doc, i, &len);
        if (has_french_letter(lower, len) ||
            has_french_letter(doc->text + tk->bstart, tk->bend - tk->bstart))
            return LANG_FR;
    }
    return LANG_EN;
}

static const char *const lang_codes[LANG_COUNT] = { "fr", "en" };

const char *lang_code(int lang)
{
    return lang >= 0 && lang < LANG_COUNT ? lang_codes[lang] : "";
}

int lang_from_code(const char *code)
{
    for (int i = 0; i < LANG_COUNT; i++)
        if (strcmp(code, lang_codes[i]) == 0)
            return i;
    return -1;
}
