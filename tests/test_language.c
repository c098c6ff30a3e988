/* test_language.c - which language (language.c, language-load.c).
 *
 * The function words of each language decide; when they are even (a title,
 * a list of names, nothing at all), the letters each language claims
 * decide; with nothing to go by, the text is in no known language ("und"),
 * unless the caller names a default.  Languages are data: a made-up one,
 * defined by files alone, works like the others. */
#include "testutil.h"
#include "lib/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static nertag_tagger *tagger(void)
{
    nertag_error err;
    nertag_tagger *t = nertag_tagger_new(test_model(), &err);
    ck_assert_msg(t != NULL, "%s", err.message);
    return t;
}

static void expect_lang(nertag_tagger *t, const char *text, const char *want)
{
    nertag_error err;
    const char *got = nertag_detect_language(t, text, strlen(text), &err);
    ck_assert_msg(got != NULL, "<%s>: %s", text, err.message);
    ck_assert_msg(strcmp(got, want) == 0, "<%s>: %s, want %s", text, got,
                  want);
    ck_assert_int_eq(err.code, NERTAG_OK);
    /* nertag_tag decides the same when the language is not given */
    nertag_result *r = nertag_tag(t, text, strlen(text), NULL, &err);
    ck_assert_ptr_nonnull(r);
    ck_assert_str_eq(nertag_result_lang(r), want);
    nertag_result_free(r);
}

START_TEST(short_french)
{
    nertag_tagger *t = tagger();
    expect_lang(t, "Le porte-parole a dit que la Chine est pr\xC3\xAAte.", "fr");
    expect_lang(t, "Les alli\xC3\xA9s de la France", "fr");
    expect_lang(t, "l'alerte d'APT28 qu'elle a vue", "fr");
    expect_lang(t, "Il est l\xC3\xA0.", "fr");
    /* without a single accent */
    expect_lang(t, "Le ministre de la defense et les allies", "fr");
    /* in capitals */
    expect_lang(t, "LE PR\xC3\x89SIDENT ET LA FRANCE", "fr");
    nertag_tagger_free(t);
}
END_TEST

START_TEST(short_english)
{
    nertag_tagger *t = tagger();
    expect_lang(t, "The spokesperson said that China is ready.", "en");
    expect_lang(t, "Britain's allies and the United States", "en");
    expect_lang(t, "It was there.", "en");
    expect_lang(t, "THE PRESIDENT AND HIS STAFF", "en");
    /* English that quotes French names: function words still decide */
    expect_lang(t, "The minister of the \xC3\x89lys\xC3\xA9" "e said that the "
                   "Qu\xC3\xA9" "bec office was closed.", "en");
    nertag_tagger_free(t);
}
END_TEST

/* The founding articles of the test data, whole. */
START_TEST(long_texts)
{
    nertag_tagger *t = tagger();
    static const char *const langs[] = { "fr", "en" };
    for (int i = 0; i < 2; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/seed-%s.txt", TEST_DATA, langs[i]);
        size_t len;
        char *text = test_read(path, &len);
        ck_assert_uint_gt(len, 1000);
        nertag_error err;
        const char *got = nertag_detect_language(t, text, len, &err);
        ck_assert_ptr_nonnull(got);
        ck_assert_str_eq(got, langs[i]);
        free(text);
    }
    nertag_tagger_free(t);
}
END_TEST

/* A long French text with some English in it, and the reverse. */
START_TEST(long_mixed_texts)
{
    nertag_tagger *t = tagger();
    buf b = BUF_INIT;
    for (int i = 0; i < 200; i++)
        ck_assert_int_eq(buf_puts(&b, "Selon le minist\xC3\xA8re, les "
                                      "attaques ont vis\xC3\xA9 des "
                                      "infrastructures dans le pays. "), 0);
    ck_assert_int_eq(buf_puts(&b, "\"The group said that it was not "
                                  "involved in the attack.\" "), 0);
    expect_lang(t, b.data, "fr");
    buf_clear(&b);
    for (int i = 0; i < 200; i++)
        ck_assert_int_eq(buf_puts(&b, "According to the ministry, the "
                                      "attacks were aimed at the country's "
                                      "infrastructure. "), 0);
    ck_assert_int_eq(buf_puts(&b, "\xC2\xAB Le groupe a d\xC3\xA9menti "
                                  "toute implication dans l'attaque. "
                                  "\xC2\xBB"), 0);
    expect_lang(t, b.data, "en");
    buf_free(&b);
    nertag_tagger_free(t);
}
END_TEST

/* No function word at all: a French letter makes it French. */
START_TEST(no_function_words)
{
    nertag_tagger *t = tagger();
    expect_lang(t, "P\xC3\xA9kin", "fr");                          /* Pékin */
    expect_lang(t, "\xC3\x89LYS\xC3\x89" "E", "fr");               /* ÉLYSÉE */
    expect_lang(t, "Gr\xC3\xA8ve g\xC3\xA9n\xC3\xA9rale", "fr");
    expect_lang(t, "No\xC3\xABl", "fr");                           /* Noël */
    expect_lang(t, "C\xC5\x93ur", "fr");                           /* Cœur */
    expect_lang(t, "S\xC5\x92UR", "fr");                           /* SŒUR */
    expect_lang(t, "Fran\xC3\xA7ois Bayrou, Matignon", "fr");
    /* nothing to go by */
    expect_lang(t, "Washington", "und");
    expect_lang(t, "Emmanuel Macron, Olaf Scholz", "und");
    /* letters that neither French nor English claims */
    nertag_error err;
    const char *got = nertag_detect_language(t, "M\xC3\xBCnchen", 8, &err);
    ck_assert_ptr_nonnull(got);                                   /* München */
    ck_assert_str_ne(got, "fr");
    ck_assert_str_ne(got, "en");
    nertag_tagger_free(t);
}
END_TEST

/* As many function words of each language: the accents decide. */
START_TEST(even_counts)
{
    nertag_tagger *t = tagger();
    expect_lang(t, "le the Boston", "und");
    expect_lang(t, "le the P\xC3\xA9kin", "fr");
    expect_lang(t, "la and de of Qu\xC3\xA9" "bec", "fr");
    nertag_tagger_free(t);
}
END_TEST

/* Nothing to go by: no known language. */
START_TEST(empty_texts)
{
    nertag_tagger *t = tagger();
    expect_lang(t, "", "und");
    expect_lang(t, "   \n\n\t ", "und");
    expect_lang(t, "123 456, 789.", "und");
    expect_lang(t, "\xC2\xAB \xC2\xBB ( ) !", "und");
    nertag_error err;
    const char *got = nertag_detect_language(t, NULL, 0, &err);
    ck_assert_ptr_nonnull(got);
    ck_assert_str_eq(got, "und");
    nertag_tagger_free(t);
}
END_TEST

/* When detection finds no language: the caller's default, or an error
 * when asked; "und" may also be given outright. */
START_TEST(default_and_required_language)
{
    nertag_tagger *t = tagger();
    nertag_error err;
    const char *text = "Washington";
    nertag_options opt = { NULL, 0, "en", { 0 } };
    nertag_result *r = nertag_tag(t, text, strlen(text), &opt, &err);
    ck_assert_ptr_nonnull(r);
    ck_assert_str_eq(nertag_result_lang(r), "en");
    nertag_result_free(r);
    /* the default does not override what detection finds */
    const char *fr = "Le porte-parole a dit que la Chine est pr\xC3\xAAte.";
    r = nertag_tag(t, fr, strlen(fr), &opt, &err);
    ck_assert_ptr_nonnull(r);
    ck_assert_str_eq(nertag_result_lang(r), "fr");
    nertag_result_free(r);
    opt.default_lang = "xx";
    ck_assert_ptr_null(nertag_tag(t, text, strlen(text), &opt, &err));
    ck_assert_int_eq(err.code, NERTAG_ERR_ARGUMENT);
    ck_assert_msg(strstr(err.message, "en") && strstr(err.message, "fr"),
                  "%s", err.message);
    opt.default_lang = NULL;
    opt.flags = NERTAG_TAG_REQUIRE_LANG;
    ck_assert_ptr_null(nertag_tag(t, text, strlen(text), &opt, &err));
    ck_assert_int_eq(err.code, NERTAG_ERR_LANGUAGE);
    opt.flags = 0;
    opt.lang = "und";
    r = nertag_tag(t, fr, strlen(fr), &opt, &err);
    ck_assert_ptr_nonnull(r);
    ck_assert_str_eq(nertag_result_lang(r), "und");
    nertag_result_free(r);
    nertag_tagger_free(t);
}
END_TEST

/* The languages of a model are those its files define, listed by code. */
START_TEST(languages_of_the_model)
{
    const char *const *codes = nertag_model_languages(test_model());
    size_t n = 0;
    int fr = 0, en = 0;
    for (; codes[n]; n++) {
        fr |= !strcmp(codes[n], "fr");
        en |= !strcmp(codes[n], "en");
    }
    ck_assert_uint_ge(n, 2);
    ck_assert(fr && en);
    ck_assert_str_eq(nertag_language_name(test_model(), "fr"), "French");
    ck_assert_ptr_null(nertag_language_name(test_model(), "xx"));
    ck_assert_ptr_null(nertag_model_languages(NULL)[0]);
}
END_TEST

/* A language made of files alone: a copy of French under another code,
 * its own rules and aliases, and no French beside it. */
START_TEST(made_up_language)
{
    char *dir = test_data_dir(
        "x:zz\tLOC\tZedland\tZedland [zz]\n",
        "lang = zz\n[phases]\norder = one\n"
        "[rule zz-org]\nphase = one\nmatch = \"chez\" n:[cap]\n"
        "mention = ORG n\n"
        "example = chez [Acme|ORG]\n");
    char path[600], *fr;
    snprintf(path, sizeof path, "%s/models/fr.lang", dir);
    fr = test_read(path, NULL);
    buf zz = BUF_INIT;
    const char *code = strstr(fr, "code = fr");
    ck_assert_ptr_nonnull(code);
    buf_append(&zz, fr, (size_t)(code - fr));
    buf_puts(&zz, "code = zz\nname = Zed");
    const char *rest = strstr(code, "\nname = French");
    ck_assert_ptr_nonnull(rest);
    buf_puts(&zz, rest + strlen("\nname = French"));
    snprintf(path, sizeof path, "%s/models/zz.lang", dir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(zz.data, f);
    fclose(f);
    snprintf(path, sizeof path, "%s/models/fr.lang", dir);
    ck_assert_int_eq(remove(path), 0);
    snprintf(path, sizeof path, "%s/models/en.lang", dir);
    ck_assert_int_eq(remove(path), 0);
    nertag_error err;
    nertag_model *m = nertag_model_load(dir, NULL, &err);
    ck_assert_msg(m != NULL, "%s", err.message);
    ck_assert_str_eq(nertag_model_languages(m)[0], "zz");
    ck_assert_ptr_null(nertag_model_languages(m)[1]);
    ck_assert_str_eq(nertag_language_name(m, "zz"), "Zed");
    /* detected by its function words; its rules and aliases apply, those
     * of a language the data does not define are refused at load */
    char *got = test_mentions(m, NULL, "Il est chez Bertin, de Zedland.");
    ck_assert_str_eq(got, "Bertin/ORG/Bertin; Zedland/LOC/Zedland");
    free(got);
    nertag_model_free(m);
    /* an alias of a language the data does not define is refused */
    snprintf(path, sizeof path, "%s/gazetteers/more.tsv", dir);
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("id\tlabel\tcanonical\taliases\nx:yy\tLOC\tWyeland\t"
          "Wyeland [fr]\n", f);
    fclose(f);
    ck_assert_ptr_null(nertag_model_load(dir, NULL, &err));
    ck_assert_int_eq(err.code, NERTAG_ERR_SYNTAX);
    ck_assert_int_eq(err.line, 2);
    ck_assert_msg(strstr(err.message, "[fr]") != NULL, "%s", err.message);
    free(fr);
    buf_free(&zz);
    free(dir);
}
END_TEST

/* The tagger is reused: each text is judged on its own. */
START_TEST(tagger_reused)
{
    nertag_tagger *t = tagger();
    for (int i = 0; i < 5; i++) {
        expect_lang(t, "C'est la fin de la r\xC3\xA9union.", "fr");
        expect_lang(t, "This is the end of the meeting.", "en");
        expect_lang(t, "", "und");
    }
    nertag_tagger_free(t);
}
END_TEST

START_TEST(errors)
{
    nertag_tagger *t = tagger();
    nertag_error err;
    ck_assert_ptr_null(nertag_detect_language(NULL, "le", 2, &err));
    ck_assert_int_eq(err.code, NERTAG_ERR_ARGUMENT);
    ck_assert_ptr_null(nertag_detect_language(t, NULL, 3, &err));
    ck_assert_int_eq(err.code, NERTAG_ERR_ARGUMENT);
    /* invalid UTF-8, with its offset */
    ck_assert_ptr_null(nertag_detect_language(t, "le \xC3 la", 7, &err));
    ck_assert_int_eq(err.code, NERTAG_ERR_UTF8);
    ck_assert_int_eq(err.offset, 3);
    ck_assert_ptr_null(nertag_detect_language(t, "the\0of", 6, &err));
    ck_assert_int_eq(err.code, NERTAG_ERR_UTF8);
    ck_assert_int_eq(err.offset, 3);
    /* err may be NULL */
    ck_assert_ptr_null(nertag_detect_language(t, "\xFF", 1, NULL));
    ck_assert_str_eq(nertag_detect_language(t, "the", 3, NULL), "en");
    nertag_tagger_free(t);
}
END_TEST

/* A language given in the options wins over detection; an unknown one is
 * an error. */
START_TEST(forced_language)
{
    nertag_tagger *t = tagger();
    nertag_error err;
    const char *fr = "Le porte-parole a dit que la Chine est pr\xC3\xAAte.";
    nertag_options opt = { "en", 0, NULL, { 0 } };
    nertag_result *r = nertag_tag(t, fr, strlen(fr), &opt, &err);
    ck_assert_ptr_nonnull(r);
    ck_assert_str_eq(nertag_result_lang(r), "en");
    nertag_result_free(r);
    opt.lang = "auto";
    r = nertag_tag(t, fr, strlen(fr), &opt, &err);
    ck_assert_ptr_nonnull(r);
    ck_assert_str_eq(nertag_result_lang(r), "fr");
    nertag_result_free(r);
    opt.lang = "xx";
    ck_assert_ptr_null(nertag_tag(t, fr, strlen(fr), &opt, &err));
    ck_assert_int_eq(err.code, NERTAG_ERR_ARGUMENT);
    nertag_tagger_free(t);
}
END_TEST

static Suite *language_suite(void)
{
    Suite *s = suite_create("language");
    TCase *tc = tcase_create("detection");
    /* the model of the source tree loads once per test under valgrind */
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, short_french);
    tcase_add_test(tc, short_english);
    tcase_add_test(tc, long_texts);
    tcase_add_test(tc, long_mixed_texts);
    tcase_add_test(tc, no_function_words);
    tcase_add_test(tc, even_counts);
    tcase_add_test(tc, empty_texts);
    tcase_add_test(tc, default_and_required_language);
    tcase_add_test(tc, languages_of_the_model);
    tcase_add_test(tc, made_up_language);
    tcase_add_test(tc, tagger_reused);
    tcase_add_test(tc, errors);
    tcase_add_test(tc, forced_language);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return test_run(language_suite());
}
