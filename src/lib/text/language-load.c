/* language-load.c - the languages a data folder defines.
 *
 * A language is a file models/CODE.lang in the line format of util/conf.h:
 *
 *   [language]
 *   code = de
 *   name = German
 *   stemmer = german              a libstemmer algorithm, or none
 *   function-words = der | die …  the evidence for detection, and the
 *                                 `function` token test
 *   common-words = Jahr | Stadt …  frequent words of news in the language,
 *                                 the evidence when function words tie
 *   abbreviations = Dr | Nr …     words that keep their final period
 *   elisions = l | qu …           words split off before an apostrophe
 *   clitics = 's                  endings split off with their apostrophe
 *   letters = ä | ö | ü | ß       letters that point to the language when
 *                                 function words tie
 *
 * Files are read in name order, which gives each language its index.  The
 * tokenizer runs before the language of a text is known, so it uses the
 * abbreviations and elisions of every language together.
 */
#include "lib/internal.h"
#include "lib/load.h"
#include "util/conf.h"

#include <stdlib.h>
#include <string.h>

static int syntax(nertag_error *err, const char *path, long line,
                  const char *fmt, const char *arg)
{
    err_set(err, NERTAG_ERR_SYNTAX, fmt, arg);
    err_set_place(err, path, line, 1);
    return -1;
}

static int nomem(nertag_error *err)
{
    err_set(err, NERTAG_ERR_NOMEM, "out of memory");
    return -1;
}

static uint32_t add_string(language_data *d, const char *s, size_t n)
{
    uint32_t off = (uint32_t)d->strings.len;
    if (buf_append(&d->strings, s, n) != 0 || buf_putc(&d->strings, 0) != 0)
        return NONE32;
    return off;
}

/* A code is what BCP 47 allows for a primary language subtag: two to
 * eight small letters; "und" means no language. */
static int valid_code(const char *s)
{
    size_t n = strlen(s);
    if (n < 2 || n > 8 || !strcmp(s, "und"))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < 'a' || s[i] > 'z')
            return 0;
    return 1;
}

/* Adds each word of "a | b | c" to set: folded (accents kept with
 * keep_accents), without a final period. */
static int add_words(strtab *set, char *value, int keep_accents,
                     nertag_error *err)
{
    char *cur = value;
    for (char *w; (w = next_word(&cur, "| "));) {
        size_t n = strlen(w);
        if (n > 1 && w[n - 1] == '.')
            n--;
        char *f = fold_dup(w, n, keep_accents);
        int ok = f && strtab_intern(set, f, strlen(f)) != STRTAB_NONE;
        free(f);
        if (!ok)
            return nomem(err);
    }
    return 0;
}

/* "'s | 'll": folded, without their apostrophe. */
static int add_clitics(strtab *set, char *value, nertag_error *err)
{
    char *cur = value;
    for (char *w; (w = next_word(&cur, "| "));) {
        size_t ap = !strncmp(w, "'", 1) ? 1 : !strncmp(w, "\xE2\x80\x99", 3) ? 3 : 0;
        char *f = fold_dup(w + ap, strlen(w + ap), 0);
        int ok = f && *f && strtab_intern(set, f, strlen(f)) != STRTAB_NONE;
        free(f);
        if (!ok)
            return nomem(err);
    }
    return 0;
}

/* The letters of "a | b", case-folded, NUL-separated, ending with an empty
 * string, into d->strings; their offset. */
static uint32_t add_letters(language_data *d, char *value)
{
    strtab set;
    memset(&set, 0, sizeof set);
    uint32_t off = NONE32;
    if (add_words(&set, value, 1, NULL) == 0) {
        off = (uint32_t)d->strings.len;
        for (uint32_t i = 0; off != NONE32 && i < set.count; i++)
            if (add_string(d, strtab_get(&set, i), strtab_len(&set, i)) ==
                NONE32)
                off = NONE32;
        if (off != NONE32 && buf_putc(&d->strings, 0) != 0)
            off = NONE32;
    }
    strtab_free(&set);
    return off;
}

/* What one file says of its language, until it is checked. */
typedef struct lang_file {
    char *code, *name, *stemmer;
    long code_line, stemmer_line;
    uint32_t letters;
} lang_file;

static void lang_file_free(lang_file *f)
{
    free(f->code);
    free(f->name);
    free(f->stemmer);
}

static int set_string(char **field, long *line_out, const conf_item *it,
                      nertag_error *err)
{
    free(*field);
    if (!(*field = str_dup(it->b)))
        return nomem(err);
    if (line_out)
        *line_out = it->line;
    return 0;
}

/* One key of the [language] section. */
static int read_key(nertag_model *m, lang_file *f, size_t l,
                    const conf_item *it, const char *path, nertag_error *err)
{
    if (!strcmp(it->a, "code"))
        return set_string(&f->code, &f->code_line, it, err);
    if (!strcmp(it->a, "name"))
        return set_string(&f->name, NULL, it, err);
    if (!strcmp(it->a, "stemmer"))
        return set_string(&f->stemmer, &f->stemmer_line, it, err);
    if (!strcmp(it->a, "function-words"))
        return add_words(&m->lang.words[l], it->b, 0, err);
    if (!strcmp(it->a, "common-words"))
        return add_words(&m->lang.common_words[l], it->b, 0, err);
    if (!strcmp(it->a, "abbreviations"))
        return add_words(&m->tok.abbreviations, it->b, 0, err);
    if (!strcmp(it->a, "elisions"))
        return add_words(&m->tok.elisions, it->b, 0, err);
    if (!strcmp(it->a, "clitics"))
        return add_clitics(&m->tok.clitics, it->b, err);
    if (!strcmp(it->a, "letters"))
        return (f->letters = add_letters(&m->lang, it->b)) == NONE32
            ? nomem(err) : 0;
    return syntax(err, path, it->line, "unknown key '%s' in a language file",
                  it->a);
}

/* Checks what a file said and adds its language. */
static int add_language(nertag_model *m, lang_file *f, const char *path,
                        nertag_error *err)
{
    language_data *d = &m->lang;
    if (!f->code)
        return syntax(err, path, 1, "no 'code' in this language file%s", "");
    if (!valid_code(f->code))
        return syntax(err, path, f->code_line, "language code '%s' is not "
                      "two to eight small letters (and not und)", f->code);
    if (lang_from_code(d, f->code) >= 0)
        return syntax(err, path, f->code_line,
                      "language '%s' is defined twice", f->code);
    if (d->langs.n >= MAX_LANGUAGES)
        return syntax(err, path, f->code_line, "more than 32 languages%s", "");
    const char *stemmer = f->stemmer && strcmp(f->stemmer, "none")
        ? f->stemmer : "";
    if (!stemmer_exists(stemmer))
        return syntax(err, path, f->stemmer_line, "libstemmer has no stemmer "
                      "'%s' (see its list, or say none)", stemmer);
    language l = { add_string(d, f->code, strlen(f->code)),
                   add_string(d, f->name ? f->name : f->code,
                              strlen(f->name ? f->name : f->code)),
                   add_string(d, stemmer, strlen(stemmer)), f->letters };
    if (l.letters == NONE32)
        l.letters = add_string(d, "", 0);   /* the empty list */
    if (l.code == NONE32 || l.name == NONE32 || l.stemmer == NONE32 ||
        l.letters == NONE32 || language_vec_push(&d->langs, l) != 0)
        return nomem(err);
    return 0;
}

static int load_file(nertag_model *m, const char *path, nertag_error *err)
{
    size_t len;
    char *text = read_file(path, &len, err);
    if (!text)
        return -1;
    size_t bad = utf8_first_invalid(text, len);
    if (bad < len) {
        long line = 1;
        for (size_t i = 0; i < bad; i++)
            line += text[i] == '\n';
        free(text);
        return syntax(err, path, line, "invalid UTF-8%s", "");
    }
    language_data *d = &m->lang;
    /* sets of words for each language there may be, and for the file that
     * would be one too many */
    if ((!d->words &&
         !(d->words = calloc(MAX_LANGUAGES + 1, sizeof *d->words))) ||
        (!d->common_words &&
         !(d->common_words = calloc(MAX_LANGUAGES + 1, sizeof *d->words)))) {
        free(text);
        return nomem(err);
    }
    size_t l = d->langs.n;
    lang_file f = { NULL, NULL, NULL, 0, 0, NONE32 };
    conf_reader r;
    conf_open(&r, path, text, len);
    conf_item it;
    int rc = 0, sections = 0;
    while (rc == 0 && (rc = conf_next(&r, &it, err)) == 0 &&
           it.kind != CONF_END) {
        if (it.kind == CONF_SECTION)
            rc = strcmp(it.a, "language") || sections++
                ? syntax(err, path, it.line, "a language file holds one "
                         "[language] section%s", "")
                : 0;
        else if (!sections)
            rc = syntax(err, path, it.line, "'%s' before [language]", it.a);
        else
            rc = read_key(m, &f, l, &it, path, err);
    }
    if (rc == 0)
        rc = add_language(m, &f, path, err);
    if (rc != 0) {
        strtab_free(&d->words[l]);
        strtab_free(&d->common_words[l]);
    }
    conf_close(&r);
    lang_file_free(&f);
    free(text);
    return rc;
}

int languages_load(nertag_model *m, const data_files *files,
                   nertag_error *err)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < files->n; i++)
        rc = load_file(m, files->v[i].path, err);
    return rc;
}

/* Interns the words of each language's sets in the lexicon. */
static int intern_words(nertag_model *m, strtab *sets, nertag_error *err)
{
    for (size_t l = 0; sets && l < m->lang.langs.n; l++)
        for (uint32_t i = 0; i < sets[l].count; i++)
            if (strtab_intern(&m->lexicon, strtab_get(&sets[l], i),
                              strtab_len(&sets[l], i)) == STRTAB_NONE)
                return nomem(err);
    return 0;
}

/* Bit l of mask[id] for each word of language l's set; frees the sets. */
static void mark_words(nertag_model *m, strtab **sets, uint32_t *mask)
{
    for (size_t l = 0; *sets && l < m->lang.langs.n; l++)
        for (uint32_t i = 0; i < (*sets)[l].count; i++)
            mask[strtab_find(&m->lexicon, strtab_get(&(*sets)[l], i),
                             strtab_len(&(*sets)[l], i))] |= 1u << l;
    for (size_t l = 0; *sets && l <= MAX_LANGUAGES; l++)
        strtab_free(&(*sets)[l]);
    free(*sets);
    *sets = NULL;
}

/* Marks the function and common words in the lexicon, once it is
 * complete. */
int language_finish(nertag_model *m, nertag_error *err)
{
    language_data *d = &m->lang;
    if (intern_words(m, d->words, err) != 0 ||
        intern_words(m, d->common_words, err) != 0)
        return -1;
    d->count = m->lexicon.count;
    d->mask = calloc(d->count ? d->count : 1, sizeof *d->mask);
    d->common = calloc(d->count ? d->count : 1, sizeof *d->common);
    if (!d->mask || !d->common)
        return nomem(err);
    mark_words(m, &d->words, d->mask);
    mark_words(m, &d->common_words, d->common);
    return language_codes(d, err);
}

int language_codes(language_data *d, nertag_error *err)
{
    free(d->codes);
    d->codes = malloc((d->langs.n + 1) * sizeof *d->codes);
    if (!d->codes)
        return nomem(err);
    for (size_t l = 0; l < d->langs.n; l++)
        d->codes[l] = lang_str(d, d->langs.v[l].code);
    d->codes[d->langs.n] = NULL;
    return 0;
}

/* Frees what loading allocated; a mapped model's arrays are the mapping's,
 * but its list of codes is its own. */
void language_free(language_data *d)
{
    free(d->mask);
    free(d->common);
    for (size_t l = 0; l <= MAX_LANGUAGES; l++) {
        if (d->words)
            strtab_free(&d->words[l]);
        if (d->common_words)
            strtab_free(&d->common_words[l]);
    }
    free(d->words);
    free(d->common_words);
    language_vec_free(&d->langs);
    buf_free(&d->strings);
    free(d->codes);
    memset(d, 0, sizeof *d);
}
