/* language.c - which of the languages the data defines a document is in.
 *
 * Each language lists its most frequent function words (models/CODE.lang);
 * a document is in the language whose function words it uses most.
 * Function words are the most reliable evidence in short texts and cost
 * one table lookup per token, since every token's folded form was already
 * looked up in the lexicon.  When the counts tie (a title, a list of
 * names), the common words of each language decide ("points", "round",
 * « mi-temps »), then the letters each language claims (é, ß, ñ…); when
 * nothing decides, the document is in no known language ("und") and the
 * caller's default applies.  The accuracy is measured on the evaluation corpora by
 * scripts/eval-language.sh.
 */
#include "lib/internal.h"

#include <string.h>

const char *lang_str(const language_data *d, uint32_t off)
{
    return off == NONE32 ? "" : d->strings.data + off;
}

const char *lang_code(const language_data *d, int lang)
{
    return lang >= 0 && (size_t)lang < d->langs.n
        ? lang_str(d, d->langs.v[lang].code) : "und";
}

int lang_from_code(const language_data *d, const char *code)
{
    for (size_t l = 0; l < d->langs.n; l++)
        if (!strcmp(code, lang_str(d, d->langs.v[l].code)))
            return (int)l;
    return LANG_NONE;
}

/* Does s[0..n) hold one of the letters of language l? */
static int has_letter(const language_data *d, int l, const char *s, size_t n)
{
    for (const char *c = lang_str(d, d->langs.v[l].letters); *c;
         c += strlen(c) + 1) {
        size_t k = strlen(c);
        for (size_t i = 0; i + k <= n; i++)
            if (!memcmp(s + i, c, k))
                return 1;
    }
    return 0;
}

/* Tokens with a letter of language l (case-folded, or as written: the
 * folded form has no ligature left, œ is "oe" there). */
static size_t letter_score(const document *doc, int l)
{
    const language_data *d = &doc->model->lang;
    size_t score = 0;
    for (size_t i = 0; i < doc->tokens.n; i++) {
        const token *tk = &doc->tokens.v[i];
        size_t len;
        const char *lower = token_lower(doc, i, &len);
        if ((tk->flags & TF_ALPHA) &&
            (has_letter(d, l, lower, len) ||
             has_letter(d, l, doc->text + tk->bstart, tk->bend - tk->bstart)))
            score++;
    }
    return score;
}

/* The language of highest score among the candidates (bit per language),
 * or LANG_NONE when none scores or two tie; *tied gets the tied ones. */
static int best_of(const size_t *score, size_t n, uint32_t candidates,
                   uint32_t *tied)
{
    size_t top = 0;
    *tied = 0;
    for (size_t l = 0; l < n; l++) {
        if (!(candidates >> l & 1) || score[l] < top || !score[l])
            continue;
        if (score[l] > top)
            *tied = 0;
        top = score[l];
        *tied |= 1u << l;
    }
    if (*tied && !(*tied & (*tied - 1)))
        for (size_t l = 0; l < n; l++)
            if (*tied >> l & 1)
                return (int)l;
    return LANG_NONE;
}

/* Tokens that are words of each language, by the masks of one kind. */
static void word_scores(const document *doc, const uint32_t *masks,
                        size_t *score)
{
    const language_data *d = &doc->model->lang;
    for (size_t i = 0; i < doc->tokens.n; i++) {
        const token *tk = &doc->tokens.v[i];
        if (tk->norm_id != NONE32 && tk->norm_id < d->count)
            for (uint32_t mask = masks[tk->norm_id], l = 0; mask;
                 mask >>= 1, l++)
                score[l] += mask & 1;
    }
}

/* Function words decide; on a tie (or none at all), the common words of
 * the languages tied; then their letters. */
int language_detect(const document *doc)
{
    const language_data *d = &doc->model->lang;
    size_t n = d->langs.n, score[MAX_LANGUAGES] = { 0 };
    uint32_t candidates = n >= 32 ? UINT32_MAX : (1u << n) - 1, tied;
    word_scores(doc, d->mask, score);
    int lang = best_of(score, n, candidates, &tied);
    if (lang != LANG_NONE)
        return lang;
    candidates = tied ? tied : candidates;
    memset(score, 0, sizeof score);
    word_scores(doc, d->common, score);
    if ((lang = best_of(score, n, candidates, &tied)) != LANG_NONE)
        return lang;
    candidates = tied ? tied : candidates;
    for (size_t l = 0; l < n; l++)
        score[l] = candidates >> l & 1 ? letter_score(doc, (int)l) : 0;
    return best_of(score, n, candidates, &tied);
}

/* ------------------------------------------------------------ public */

const char *const *nertag_model_languages(const nertag_model *model)
{
    static const char *const none[] = { NULL };
    return model && model->lang.codes ? model->lang.codes : none;
}

const char *nertag_language_name(const nertag_model *model, const char *code)
{
    if (!model || !code)
        return NULL;
    int l = lang_from_code(&model->lang, code);
    return l == LANG_NONE ? NULL
                          : lang_str(&model->lang, model->lang.langs.v[l].name);
}
