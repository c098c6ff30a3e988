/* stem.c - Snowball stems from libstemmer.
 *
 * Each tagger owns one stemmer per language: an sb_stemmer keeps state
 * between calls and must not be shared between threads.  Stems are computed
 * from the case-folded word (the French stemmer needs its accents) and then
 * folded like every other form, so that "alliés", "Alliés" and "ALLIES"
 * share the stem "alli". */
#include "lib/internal.h"

#include <libstemmer.h>
#include <string.h>

static const char *const algorithm[LANG_COUNT] = { "french", "english" };

int stemmers_open(stemmers *s, nertag_error *err)
{
    for (int l = 0; l < LANG_COUNT; l++) {
        s->by_lang[l] = sb_stemmer_new(algorithm[l], "UTF_8");
        if (!s->by_lang[l]) {
            stemmers_close(s);
            err_set(err, NERTAG_ERR_NOMEM, "cannot create the %s stemmer",
                    algorithm[l]);
            return -1;
        }
    }
    return 0;
}

void stemmers_close(stemmers *s)
{
    for (int l = 0; l < LANG_COUNT; l++) {
        if (s->by_lang[l])
            sb_stemmer_delete(s->by_lang[l]);
        s->by_lang[l] = NULL;
    }
}

int stem_append(stemmers *s, int lang, const char *w, size_t n, buf *out)
{
    if (n > INT32_MAX)
        return fold_append(w, n, 0, out);
    const sb_symbol *st = sb_stemmer_stem(s->by_lang[lang],
                                          (const sb_symbol *)w, (int)n);
    if (!st)
        return -1;
    int len = sb_stemmer_length(s->by_lang[lang]);
    return fold_append((const char *)st, (size_t)len, 0, out);
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
