/* test_normalize.c - folded forms (normalize.c) and stems (stem.c).
 *
 * Folding removes case and accents, whatever way the text writes them
 * (precomposed, decomposed, all capitals), turns typographic apostrophes
 * and hyphens into ASCII and ligatures into two letters.  With keep_accents
 * only the case goes: that is the stemmers' input.  Stems are compared as
 * the tagger computes them and as the rule loader does. */
#include "testutil.h"
#include "lib/internal.h"

#include <string.h>

static char *fold(const char *s, int keep_accents)
{
    char *f = fold_dup(s, strlen(s), keep_accents);
    ck_assert_ptr_nonnull(f);
    return f;
}

#define expect_fold(in, want) expect_fold_mode(in, want, 0)
#define expect_lower(in, want) expect_fold_mode(in, want, 1)

static void expect_fold_mode(const char *in, const char *want, int keep)
{
    char *f = fold(in, keep);
    ck_assert_msg(strcmp(f, want) == 0, "fold%s(<%s>) = <%s>, want <%s>",
                  keep ? " keeping accents" : "", in, f, want);
    /* folding a folded form changes nothing */
    char *again = fold(f, keep);
    ck_assert_str_eq(again, f);
    free(again);
    free(f);
}

START_TEST(ascii)
{
    expect_fold("", "");
    expect_fold("Hello, World! 123", "hello, world! 123");
    expect_fold("APT28", "apt28");
    expect_fold("U.S.", "u.s.");
    expect_fold("already lower", "already lower");
    expect_lower("MiXeD CaSe", "mixed case");
}
END_TEST

START_TEST(etats_unis_every_spelling)
{
    static const char *const spellings[] = {
        "\xC3\x89tats-Unis",            /* États-Unis */
        "Etats-Unis",
        "\xC3\x89TATS-UNIS",            /* ÉTATS-UNIS */
        "ETATS-UNIS",
        "etats-unis",
        "\xC3\xA9tats-unis",            /* états-unis */
        "E\xCC\x81tats-Unis",           /* E + combining acute (NFD) */
        "\xC3\x89tats\xE2\x80\x91Unis", /* non-breaking hyphen U+2011 */
        "\xC3\x89tats\xE2\x80\x90Unis", /* hyphen U+2010 */
    };
    for (size_t i = 0; i < sizeof spellings / sizeof *spellings; i++)
        expect_fold(spellings[i], "etats-unis");
}
END_TEST

START_TEST(french_accents)
{
    expect_fold("\xC3\x80\xC3\x82\xC3\x84\xC3\x87\xC3\x88\xC3\x89\xC3\x8A"
                "\xC3\x8B\xC3\x8E\xC3\x8F\xC3\x94\xC3\x96\xC3\x99\xC3\x9B"
                "\xC3\x9C\xC5\xB8",            /* ÀÂÄÇÈÉÊËÎÏÔÖÙÛÜŸ */
                "aaaceeeeiioouuuy");
    expect_fold("\xC3\xA0\xC3\xA2\xC3\xA7\xC3\xA8\xC3\xA9\xC3\xAA\xC3\xAB"
                "\xC3\xAE\xC3\xAF\xC3\xB4\xC3\xB9\xC3\xBB\xC3\xBC\xC3\xBF",
                "aaceeeeiiouuuy");
    expect_fold("P\xC3\xA9kin", "pekin");                       /* Pékin */
    expect_fold("Minist\xC3\xA8re des Affaires \xC3\xA9trang\xC3\xA8res",
                "ministere des affaires etrangeres");
    /* decomposed: base letters and combining marks */
    expect_fold("Pe\xCC\x81kin", "pekin");
    expect_fold("C\xCC\xA7" "a", "ca");                          /* C + cedilla */
    expect_fold("o\xCC\x82\xCC\x81", "o");            /* two marks in a row */
}
END_TEST

START_TEST(ligatures)
{
    expect_fold("\xC5\x92uvre", "oeuvre");                      /* Œuvre */
    expect_fold("c\xC5\x93ur", "coeur");                        /* cœur */
    expect_fold("C\xC5\x92UR", "coeur");                        /* CŒUR */
    expect_fold("\xC3\x86gypte", "aegypte");                    /* Ægypte */
    expect_fold("curriculum vit\xC3\xA6", "curriculum vitae"); /* vitæ */
    expect_fold("Stra\xC3\x9F" "e", "strasse");                 /* Straße */
    expect_fold("STRA\xE1\xBA\x9E" "E", "strasse");             /* STRAẞE */
    /* the same with accents kept: the stemmers see two letters too */
    expect_lower("S\xC5\x93urs", "soeurs");
    expect_lower("Stra\xC3\x9F" "e", "strasse");
}
END_TEST

START_TEST(apostrophes_and_hyphens)
{
    expect_fold("l\xE2\x80\x99" "alerte", "l'alerte");          /* ’ */
    expect_fold("l\xE2\x80\x98" "alerte", "l'alerte");          /* ‘ */
    expect_fold("l\xCA\xBC" "alerte", "l'alerte");              /* ʼ */
    expect_fold("aujourd\xE2\x80\x99hui", "aujourd'hui");
    expect_fold("L\xE2\x80\x99Or\xC3\xA9" "al", "l'oreal");
    expect_lower("l\xE2\x80\x99" "alerte", "l'alerte");
    expect_fold("Saint\xE2\x80\x91Jean\xE2\x80\x91" "de\xE2\x80\x91Luz",
                "saint-jean-de-luz");                           /* U+2011 */
    expect_fold("porte\xE2\x80\x90parole", "porte-parole");     /* U+2010 */
    expect_fold("1914\xE2\x80\x93" "1918", "1914-1918");        /* en dash */
    expect_lower("Nouvelle\xE2\x80\x91Z\xC3\xA9lande", "nouvelle-z\xC3\xA9lande");
}
END_TEST

/* A soft hyphen is an invisible hint for line breaking: the word is the
 * same without it. */
START_TEST(soft_hyphen_vanishes)
{
    expect_fold("Nou\xC2\xADvelle", "nouvelle");
    expect_fold("Z\xC3\xA9\xC2\xADlande", "zelande");
    expect_lower("al\xC2\xADli\xC3\xA9s", "alli\xC3\xA9s");
}
END_TEST

START_TEST(greek_and_cyrillic)
{
    /* Greek: capitals, tonos, final sigma */
    expect_fold("\xCE\x91\xCE\x98\xCE\x97\xCE\x9D\xCE\x91",        /* ΑΘΗΝΑ */
                "\xCE\xB1\xCE\xB8\xCE\xB7\xCE\xBD\xCE\xB1");       /* αθηνα */
    expect_fold("\xCE\x91\xCE\xB8\xCE\xAE\xCE\xBD\xCE\xB1",        /* Αθήνα */
                "\xCE\xB1\xCE\xB8\xCE\xB7\xCE\xBD\xCE\xB1");
    expect_lower("\xCE\x91\xCE\xB8\xCE\xAE\xCE\xBD\xCE\xB1",
                 "\xCE\xB1\xCE\xB8\xCE\xAE\xCE\xBD\xCE\xB1");      /* αθήνα */
    char *a = fold("\xCE\x9F\xCE\x94\xCE\xA5\xCE\xA3\xCE\xA3\xCE\x95\xCE\xA5"
                   "\xCE\xA3", 0);                                 /* ΟΔΥΣΣΕΥΣ */
    char *b = fold("\xCE\x9F\xCE\xB4\xCF\x85\xCF\x83\xCF\x83\xCE\xB5\xCF\x8D"
                   "\xCF\x82", 0);                                 /* Οδυσσεύς */
    ck_assert_str_eq(a, b);
    ck_assert_str_eq(a, "\xCE\xBF\xCE\xB4\xCF\x85\xCF\x83\xCF\x83\xCE\xB5"
                        "\xCF\x85\xCF\x83");
    free(a);
    free(b);
    /* Cyrillic */
    expect_fold("\xD0\x9C\xD0\x9E\xD0\xA1\xD0\x9A\xD0\x92\xD0\x90",  /* МОСКВА */
                "\xD0\xBC\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0");
    expect_fold("\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0",  /* Москва */
                "\xD0\xBC\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0");
    expect_fold("\xD0\x81\xD0\xBB\xD0\xBA\xD0\xB0",                  /* Ёлка */
                "\xD0\xB5\xD0\xBB\xD0\xBA\xD0\xB0");                 /* елка */
    expect_lower("\xD0\x81\xD0\xBB\xD0\xBA\xD0\xB0",
                 "\xD1\x91\xD0\xBB\xD0\xBA\xD0\xB0");                /* ёлка */
}
END_TEST

/* The Turkish capital I with a dot folds to a plain i, so that İzmir,
 * Izmir and IZMIR are one word. */
START_TEST(dotted_capital_i)
{
    expect_fold("\xC4\xB0zmir", "izmir");                      /* İzmir */
    expect_fold("Izmir", "izmir");
    expect_fold("\xC4\xB0STANBUL", "istanbul");
    expect_lower("\xC4\xB0stanbul", "istanbul");
    /* the dotless small i stays a letter of its own */
    expect_fold("\xC4\xB1", "\xC4\xB1");
}
END_TEST

START_TEST(other_characters_kept)
{
    expect_fold("\xC2\xAB Non \xC2\xBB", "\xC2\xAB non \xC2\xBB");  /* « » */
    expect_fold("100 \xE2\x82\xAC", "100 \xE2\x82\xAC");            /* € */
    expect_fold("\xE5\x8C\x97\xE4\xBA\xAC", "\xE5\x8C\x97\xE4\xBA\xAC");
    expect_fold("\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80");            /* emoji */
}
END_TEST

START_TEST(keep_accents_mode)
{
    expect_lower("\xC3\x89TATS-UNIS", "\xC3\xA9tats-unis");
    expect_lower("Alli\xC3\xA9s", "alli\xC3\xA9s");
    expect_lower("ALLI\xC3\x89S", "alli\xC3\xA9s");
    expect_lower("\xC3\x87" "A", "\xC3\xA7" "a");
    expect_lower("Gr\xC3\xA8" "ve", "gr\xC3\xA8ve");
}
END_TEST

START_TEST(fold_append_appends)
{
    buf b = BUF_INIT;
    ck_assert_int_eq(buf_puts(&b, "x|"), 0);
    ck_assert_int_eq(fold_append("\xC3\x89TATS", 6, 0, &b), 0);
    ck_assert_str_eq(b.data, "x|etats");
    ck_assert_uint_eq(b.len, 7);
    /* only n bytes are read */
    ck_assert_int_eq(fold_append("ABCDEF", 3, 1, &b), 0);
    ck_assert_str_eq(b.data, "x|etatsabc");
    ck_assert_int_eq(fold_append("", 0, 0, &b), 0);
    ck_assert_str_eq(b.data, "x|etatsabc");
    buf_free(&b);
    /* letters that fold to more bytes than they have, then ASCII: the
     * room made for the input's length is not enough */
    buf grow = BUF_INIT;
    for (int i = 0; i < 10; i++)
        ck_assert_int_eq(buf_puts(&grow, "\xC8\xBA"), 0);    /* Ⱥ */
    for (int i = 0; i < 43; i++)
        ck_assert_int_eq(buf_putc(&grow, 'A'), 0);
    char *f = fold_dup(grow.data, grow.len, 1);
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(strlen(f), 10 * 3 + 43);
    ck_assert_int_eq(memcmp(f, "\xE2\xB1\xA5", 3), 0);        /* ⱥ */
    for (size_t i = 30; i < 30 + 43; i++)
        ck_assert_int_eq(f[i], 'a');
    free(f);
    buf_free(&grow);
    /* an empty buffer and nothing to fold: an empty string */
    char *e = fold_dup("", 0, 0);
    ck_assert_ptr_nonnull(e);
    ck_assert_str_eq(e, "");
    free(e);
}
END_TEST

/* ------------------------------------------------------------ the tagger */

static nertag_tagger *tagger(void)
{
    nertag_error err;
    nertag_tagger *t = nertag_tagger_new(test_model(), &err);
    ck_assert_msg(t != NULL, "%s", err.message);
    return t;
}

static void tag(nertag_tagger *t, const char *text, const char *lang,
                nertag_result **res)
{
    nertag_error err;
    nertag_options opt = { lang, 0, NULL, { 0 } };
    *res = nertag_tag(t, text, strlen(text), &opt, &err);
    ck_assert_msg(*res != NULL, "%s", err.message);
}

static const char *norm_of(const nertag_tagger *t, size_t i)
{
    size_t len;
    return token_norm(&t->doc, i, &len);
}

/* The tokens of every spelling share one folded form, one lexicon id, and
 * the same mention. */
START_TEST(tagger_forms_of_spellings)
{
    nertag_tagger *t = tagger();
    nertag_result *r;
    const char *text = "\xC3\x89TATS-UNIS, Etats-Unis, \xC3\x89tats-Unis, "
                       "E\xCC\x81tats-Unis.";
    tag(t, text, "fr", &r);
    ck_assert_uint_eq(t->doc.tokens.n, 8);
    for (size_t i = 0; i < 8; i += 2) {
        ck_assert_str_eq(norm_of(t, i), "etats-unis");
        ck_assert_uint_ne(t->doc.tokens.v[i].norm_id, NONE32);
        ck_assert_uint_eq(t->doc.tokens.v[i].norm_id, t->doc.tokens.v[0].norm_id);
    }
    ck_assert_uint_eq(nertag_result_count(r), 4);
    for (size_t i = 0; i < 4; i++) {
        const nertag_mention *m = nertag_result_mention(r, i);
        ck_assert_int_eq(m->type, NERTAG_STATE);
        ck_assert_str_eq(m->canonical, "United States");
    }
    nertag_result_free(r);

    tag(t, "Il est all\xC3\xA9 \xC3\xA0 Izmir, \xC3\xA0 \xC4\xB0zmir et "
           "\xC3\xA0 IZMIR.", "fr", &r);
    size_t found = 0;
    for (size_t i = 0; i < nertag_result_count(r); i++)
        found += !strcmp(nertag_result_mention(r, i)->canonical,
                         "\xC4\xB0zmir");
    ck_assert_uint_eq(found, 3);
    nertag_result_free(r);
    nertag_tagger_free(t);
}
END_TEST

/* ------------------------------------------------------------ stems */

static char *stem(stemmers *s, int lang, const char *w)
{
    char *st = stem_dup(s, lang, w, strlen(w));
    ck_assert_ptr_nonnull(st);
    return st;
}

static void expect_stem(stemmers *s, int lang, const char *w,
                        const char *want)
{
    char *st = stem(s, lang, w);
    ck_assert_msg(strcmp(st, want) == 0, "%s stem of <%s> = <%s>, want <%s>",
                  lang_code(&test_model()->lang, lang), w, st, want);
    free(st);
}

START_TEST(stem_dup_french_and_english)
{
    stemmers s;
    nertag_error err;
    memset(&s, 0, sizeof s);
    const language_data *langs = &test_model()->lang;
    const int fr = lang_from_code(langs, "fr"), en = lang_from_code(langs, "en");
    ck_assert_int_eq(stemmers_open(&s, langs, &err), 0);
    expect_stem(&s, fr, "alli\xC3\xA9s", "alli");              /* alliés */
    expect_stem(&s, fr, "Alli\xC3\xA9s", "alli");
    expect_stem(&s, fr, "ALLIES", "alli");
    expect_stem(&s, fr, "ALLI\xC3\x89S", "alli");
    expect_stem(&s, fr, "alli\xC3\xA9" "e", "alli");           /* alliée */
    /* the stem is folded: no accent left in it */
    expect_stem(&s, fr, "d\xC3\xA9" "clarer", "declar");
    expect_stem(&s, fr, "d\xC3\xA9" "clar\xC3\xA9", "declar");
    expect_stem(&s, en, "hackers", "hacker");
    expect_stem(&s, en, "Hackers", "hacker");
    expect_stem(&s, en, "hacking", "hack");
    expect_stem(&s, en, "HACKING", "hack");
    expect_stem(&s, en, "hacked", "hack");
    expect_stem(&s, en, "said", "said");
    stemmers_close(&s);
    /* closing twice is harmless */
    stemmers_close(&s);
}
END_TEST

/* The tagger's stems: stem_append on each token's case-folded form, with
 * the tagger's own stemmers, as the pipeline does. */
static char *token_stem(nertag_tagger *t, size_t i, int lang)
{
    buf b = BUF_INIT;
    size_t len;
    const char *lower = token_lower(&t->doc, i, &len);
    ck_assert_int_eq(stem_append(&t->stem, lang, lower, len, &b), 0);
    ck_assert_int_eq(buf_reserve(&b, 0), 0);
    return b.data;
}

START_TEST(tagger_stems)
{
    nertag_tagger *t = tagger();
    nertag_result *r;
    tag(t, "Les alli\xC3\xA9s, les Alli\xC3\xA9s et les ALLIES.", "fr", &r);
    ck_assert_uint_eq(t->doc.tokens.n, 9);
    static const size_t words[] = { 1, 4, 7 };
    for (size_t k = 0; k < 3; k++) {
        char *st = token_stem(t, words[k],
                              lang_from_code(&t->model->lang, "fr"));
        ck_assert_str_eq(st, "alli");
        free(st);
        ck_assert_uint_eq(t->doc.tokens.v[words[k]].stem_id,
                          t->doc.tokens.v[words[0]].stem_id);
    }
    /* the case-folded form keeps its accents for the stemmer */
    size_t len;
    ck_assert_str_eq(token_lower(&t->doc, 4, &len), "alli\xC3\xA9s");
    ck_assert_str_eq(norm_of(t, 4), "allies");
    nertag_result_free(r);

    tag(t, "The hackers were hacking.", "en", &r);
    ck_assert_uint_eq(t->doc.tokens.n, 5);
    int en = lang_from_code(&t->model->lang, "en");
    char *a = token_stem(t, 1, en), *b = token_stem(t, 3, en);
    ck_assert_str_eq(a, "hacker");
    ck_assert_str_eq(b, "hack");
    free(a);
    free(b);
    nertag_result_free(r);

    /* a stem the rules use is in the lexicon: "dit" and "déclaré" share
     * the stems of the French list of speech verbs */
    tag(t, "Il a d\xC3\xA9" "clar\xC3\xA9 et il d\xC3\xA9" "clare.", "fr", &r);
    ck_assert_uint_ne(t->doc.tokens.v[2].stem_id, NONE32);
    ck_assert_uint_eq(t->doc.tokens.v[2].stem_id, t->doc.tokens.v[5].stem_id);
    nertag_result_free(r);
    nertag_tagger_free(t);
}
END_TEST

static Suite *normalize_suite(void)
{
    Suite *s = suite_create("normalize");
    TCase *tc = tcase_create("folding");
    tcase_add_test(tc, ascii);
    tcase_add_test(tc, etats_unis_every_spelling);
    tcase_add_test(tc, french_accents);
    tcase_add_test(tc, ligatures);
    tcase_add_test(tc, apostrophes_and_hyphens);
    tcase_add_test(tc, soft_hyphen_vanishes);
    tcase_add_test(tc, greek_and_cyrillic);
    tcase_add_test(tc, dotted_capital_i);
    tcase_add_test(tc, other_characters_kept);
    tcase_add_test(tc, keep_accents_mode);
    tcase_add_test(tc, fold_append_appends);
    suite_add_tcase(s, tc);

    tc = tcase_create("stems");
    tcase_add_test(tc, stem_dup_french_and_english);
    suite_add_tcase(s, tc);

    tc = tcase_create("tagger");
    /* loading the model of the source tree takes a while under valgrind */
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, tagger_forms_of_spellings);
    tcase_add_test(tc, tagger_stems);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return test_run(normalize_suite());
}
