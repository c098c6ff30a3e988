/* test_seeds.c - end to end: the founding articles come out as gold.
 *
 * The articles of the specification (French, English) and their German and
 * Spanish translations (tests/data/seed-de.*, seed-es.*) are tagged with the
 * model of the source tree and compared with their gold files mention by
 * mention: span (code points), type, canonical name and, for spokespeople,
 * whom they speak for.  Byte offsets and texts are checked against the text
 * too. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Compares the result with the gold mentions; returns the differences and
 * prints each one. */
static int compare(const char *name, const buf *text, const nertag_result *r,
                   const gold_mention *g, size_t ng)
{
    int diffs = 0;
    size_t n = nertag_result_count(r);
    for (size_t i = 0; i < ng; i++) {
        const nertag_mention *m = NULL;
        for (size_t k = 0; k < n; k++) {
            const nertag_mention *x = nertag_result_mention(r, k);
            if (x->start == g[i].start && x->end == g[i].end)
                m = x;
        }
        if (!m) {
            printf("%s: missed %zu-%zu '%s' %s\n", name, g[i].start,
                   g[i].end, g[i].text, g[i].type);
            diffs++;
            continue;
        }
        const char *for_ = m->type == NERTAG_SPOKESPERSON ? m->for_ : "";
        if (strcmp(nertag_type_name(m->type), g[i].type) ||
            strcmp(m->canonical, g[i].canonical) || strcmp(for_, g[i].for_) ||
            strcmp(m->text, g[i].text)) {
            printf("%s: '%s' is %s '%s' for '%s', gold %s '%s' for '%s'\n",
                   name, m->text, nertag_type_name(m->type), m->canonical,
                   for_, g[i].type, g[i].canonical, g[i].for_);
            diffs++;
        }
        /* the byte span holds the mention's text */
        if (m->bend - m->bstart != strlen(m->text) ||
            memcmp(text->data + m->bstart, m->text, strlen(m->text))) {
            printf("%s: bytes %zu-%zu do not hold '%s'\n", name, m->bstart,
                   m->bend, m->text);
            diffs++;
        }
    }
    for (size_t k = 0; k < n; k++) {
        const nertag_mention *x = nertag_result_mention(r, k);
        int found = 0;
        for (size_t i = 0; i < ng && !found; i++)
            found = x->start == g[i].start && x->end == g[i].end;
        if (!found) {
            printf("%s: false alarm %zu-%zu '%s' %s (%s)\n", name, x->start,
                   x->end, x->text, nertag_type_name(x->type), x->source);
            diffs++;
        }
    }
    return diffs;
}

static void check_article(const char *lang, const char *forced)
{
    char path[512];
    snprintf(path, sizeof path, "%s/seed-%s.jsonl", TEST_DATA, lang);
    buf text = BUF_INIT;
    gold_mention *g;
    size_t ng = gold_read(path, &text, &g);
    ck_assert_uint_gt(ng, 20);

    nertag_error err;
    nertag_tagger *t = nertag_tagger_new(test_model(), &err);
    ck_assert_ptr_nonnull(t);
    nertag_options opt = { forced, 0, NULL, { 0 } };
    nertag_result *r = nertag_tag(t, text.data, text.len, &opt, &err);
    ck_assert_msg(r != NULL, "tagging failed: %s", err.message);
    ck_assert_str_eq(nertag_result_lang(r), lang);
    ck_assert_int_eq(compare(path, &text, r, g, ng), 0);
    ck_assert_uint_eq(nertag_result_count(r), ng);

    nertag_result_free(r);
    nertag_tagger_free(t);
    free(g);
    buf_free(&text);
}

START_TEST(french_article_as_gold)
{
    check_article("fr", NULL);
}
END_TEST

START_TEST(english_article_as_gold)
{
    check_article("en", NULL);
}
END_TEST

START_TEST(german_article_as_gold)
{
    check_article("de", NULL);
}
END_TEST

START_TEST(spanish_article_as_gold)
{
    check_article("es", NULL);
}
END_TEST

START_TEST(forced_language_same_result)
{
    check_article("fr", "fr");
    check_article("en", "en");
    check_article("de", "de");
    check_article("es", "es");
}
END_TEST

/* The .txt files beside the gold files hold the same text. */
START_TEST(text_files_match_gold_text)
{
    static const char *const langs[] = { "fr", "en", "de", "es" };
    for (size_t i = 0; i < sizeof langs / sizeof *langs; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/seed-%s.jsonl", TEST_DATA, langs[i]);
        buf text = BUF_INIT;
        gold_mention *g;
        gold_read(path, &text, &g);
        snprintf(path, sizeof path, "%s/seed-%s.txt", TEST_DATA, langs[i]);
        size_t len;
        char *txt = test_read(path, &len);
        ck_assert_uint_eq(len, text.len);
        ck_assert_int_eq(memcmp(txt, text.data, len), 0);
        free(txt);
        free(g);
        buf_free(&text);
    }
}
END_TEST

static Suite *seeds_suite(void)
{
    Suite *s = suite_create("seeds");
    TCase *tc = tcase_create("founding articles");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, french_article_as_gold);
    tcase_add_test(tc, english_article_as_gold);
    tcase_add_test(tc, german_article_as_gold);
    tcase_add_test(tc, spanish_article_as_gold);
    tcase_add_test(tc, forced_language_same_result);
    tcase_add_test(tc, text_files_match_gold_text);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return test_run(seeds_suite());
}
