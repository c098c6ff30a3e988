/* stem.c - Snowball stems from libstemmer.
 *
 * Each tagger owns one stemmer per language, made the first time a text of
 * that language needs it: an sb_stemmer keeps state between calls and must
 * not be shared between threads.  Stems are computed from the case-folded
 * word (the French stemmer needs its accents) and then folded like every
 * other form, so that "alliés", "Alliés" and "ALLIES" share the stem
 * "alli".  A language without a stemmer ("stemmer = none") stems a word to
 * its folded form. */
#include "lib/internal.h"

#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>

int stemmer_exists(const char *name)
{
    if (!*name)
        return 1;
    for (const char **l = sb_stemmer_list(); *l; l++)
        if (!strcmp(*l, name))
            return 1;
    return 0;
}

int stemmers_open(stemmers *s, const language_data *langs, nertag_error *err)
{
    s->langs = langs;
    s->by_lang = calloc(MAX_LANGUAGES, sizeof *s->by_lang);
    if (!s->by_lang) {
        err_set(err, NERTAG_ERR_NOMEM, "out of memory");
        return -1;
    }
    return 0;
}

void stemmers_close(stemmers *s)
{
    for (size_t l = 0; s->by_lang && l < MAX_LANGUAGES; l++)
        if (s->by_lang[l])
            sb_stemmer_delete(s->by_lang[l]);
    free(s->by_lang);
    s->by_lang = NULL;
}

/* The stemmer of language lang, made when first needed; NULL for a
 * language without one, or out of memory (*failed then set). */
static struct sb_stemmer *stemmer_of(stemmers *s, int lang, int *failed)
{
    const char *name = lang_str(s->langs, s->langs->langs.v[lang].stemmer);
    *failed = 0;
    if (!*name)
        return NULL;
    if (!s->by_lang[lang] &&
        !(s->by_lang[lang] = sb_stemmer_new(name, "UTF_8")))
        *failed = 1;    /* the name was checked at load: out of memory */
    return s->by_lang[lang];
}

int stem_append(stemmers *s, int lang, const char *w, size_t n, buf *out)
{
    int failed;
    struct sb_stemmer *st = stemmer_of(s, lang, &failed);
    if (failed)
        return -1;
    if (!st || n > INT32_MAX)
        return fold_append(w, n, 0, out);
    const sb_symbol *stem = sb_stemmer_stem(st, (const sb_symbol *)w, (int)n);
    if (!stem)
        return -1;
    return fold_append((const char *)stem, (size_t)sb_stemmer_length(st), 0,
                       out);
}

char *stem_dup(stemmers *s, int lang, const char *w, size_t n)
{
    buf lower = BUF_INIT, out = BUF_INIT;
    char *res = NULL;
    if (fold_append(w, n, 1, &lower) == 0 && buf_reserve(&lower, 0) == 0 &&
        stem_append(s, lang, lower.data, lower.len, &out) == 0 &&
        buf_reserve(&out, 0) == 0) {
        res = out.data;
        out.data = NULL;
    }
    buf_free(&lower);
    buf_free(&out);
    return res;
}
