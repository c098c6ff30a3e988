/* test_model.c - compiled models: saved, mapped, checked against sources. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *describe_seed(const nertag_model *m, const char *lang)
{
    char path[512];
    snprintf(path, sizeof path, "%s/seed-%s.txt", TEST_DATA, lang);
    size_t len;
    char *text = test_read(path, &len);
    nertag_error err;
    nertag_tagger *t = nertag_tagger_new(m, &err);
    ck_assert_ptr_nonnull(t);
    nertag_result *r = nertag_tag(t, text, len, NULL, &err);
    ck_assert_ptr_nonnull(r);
    buf b = BUF_INIT;
    for (size_t i = 0; i < nertag_result_count(r); i++) {
        const nertag_mention *x = nertag_result_mention(r, i);
        buf_printf(&b, "%zu %zu %s %s %s %s %s\n", x->start, x->end,
                   nertag_type_name(x->type), x->canonical, x->id, x->for_,
                   x->source);
    }
    nertag_result_free(r);
    nertag_tagger_free(t);
    free(text);
    return b.data;
}

/* A copy of the source tree's data in a temporary folder. */
static char *copy_data(void)
{
    char tmpl[] = "/tmp/nertag-model-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(tmpl));
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "cp -r '%s/gazetteers' '%s/models' '%s/'",
             DATA_DIR, DATA_DIR, tmpl);
    ck_assert_int_eq(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "rm -f '%s/models/nertag.model'", tmpl);
    ck_assert_int_eq(system(cmd), 0);
    return strdup(tmpl);
}

static void remove_dir(char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
    free(dir);
}

static nertag_model *load(const char *dir, const char *compiled, int *origin)
{
    nertag_error err;
    nertag_load_options opt = { NULL, NULL, compiled, 0, NULL, { 0 } };
    nertag_model *m = nertag_model_load(dir, &opt, &err);
    ck_assert_msg(m != NULL, "load failed: %s", err.message);
    nertag_model_stats st;
    nertag_model_get_stats(m, &st);
    *origin = st.origin;
    return m;
}

START_TEST(compiled_model_tags_like_the_sources)
{
    char *dir = copy_data();
    int origin;
    nertag_model *src = load(dir, NULL, &origin);
    ck_assert_int_eq(origin, NERTAG_MODEL_FROM_SOURCES);
    char path[600];
    snprintf(path, sizeof path, "%s/models/nertag.model", dir);
    nertag_error err;
    ck_assert_int_eq(nertag_model_save(src, path, &err), 0);

    nertag_model *mapped = load(dir, NULL, &origin);
    ck_assert_int_eq(origin, NERTAG_MODEL_FROM_COMPILED);
    nertag_model_stats a, b;
    nertag_model_get_stats(src, &a);
    nertag_model_get_stats(mapped, &b);
    ck_assert_uint_eq(a.entries, b.entries);
    ck_assert_uint_eq(a.aliases, b.aliases);
    ck_assert_uint_eq(a.rules, b.rules);
    for (int k = 0; k < 2; k++) {
        const char *lang = k ? "en" : "fr";
        char *x = describe_seed(src, lang), *y = describe_seed(mapped, lang);
        ck_assert_str_eq(x, y);
        free(x);
        free(y);
    }
    nertag_model_free(mapped);
    nertag_model_free(src);
    remove_dir(dir);
}
END_TEST

START_TEST(stale_model_is_not_used)
{
    char *dir = copy_data();
    int origin;
    nertag_model *src = load(dir, NULL, &origin);
    char path[600], cmd[1300];
    snprintf(path, sizeof path, "%s/models/nertag.model", dir);
    nertag_error err;
    ck_assert_int_eq(nertag_model_save(src, path, &err), 0);
    nertag_model_free(src);

    /* a new time alone does not make it stale: the content is the same */
    snprintf(cmd, sizeof cmd, "touch -d '2001-01-01' '%s/gazetteers/"
             "vocabulary.tsv'", dir);
    ck_assert_int_eq(system(cmd), 0);
    nertag_model_free(load(dir, NULL, &origin));
    ck_assert_int_eq(origin, NERTAG_MODEL_FROM_COMPILED);

    /* a new alias does: the sources are read, and the alias is found */
    snprintf(cmd, sizeof cmd, "printf 'x:zz\\tORG\\tZyzzyva Corp\\tZyzzyva\\n' "
             ">> '%s/gazetteers/vocabulary.tsv'", dir);
    ck_assert_int_eq(system(cmd), 0);
    nertag_model *m = load(dir, NULL, &origin);
    ck_assert_int_eq(origin, NERTAG_MODEL_STALE_COMPILED);
    char *got = test_mentions(m, "en", "shares of Zyzzyva rose");
    ck_assert_str_eq(got, "Zyzzyva/ORG/Zyzzyva Corp");
    free(got);
    nertag_model_free(m);

    /* so does a new file */
    m = load(dir, NULL, &origin);
    ck_assert_int_eq(nertag_model_save(m, path, &err), 0);
    nertag_model_free(m);
    snprintf(cmd, sizeof cmd, "cp '%s/gazetteers/vocabulary.tsv' "
             "'%s/gazetteers/zz.tsv'", dir, dir);
    ck_assert_int_eq(system(cmd), 0);
    nertag_model_free(load(dir, NULL, &origin));
    ck_assert_int_eq(origin, NERTAG_MODEL_STALE_COMPILED);
    remove_dir(dir);
}
END_TEST

/* Truncated or damaged files are refused, never crash. */
START_TEST(damaged_model_is_refused)
{
    char *dir = copy_data();
    int origin;
    nertag_model *src = load(dir, NULL, &origin);
    char path[600], bad[700];
    snprintf(path, sizeof path, "%s/nertag.model", dir);
    nertag_error err;
    ck_assert_int_eq(nertag_model_save(src, path, &err), 0);
    nertag_model_free(src);
    size_t len;
    char *data = test_read(path, &len);
    snprintf(bad, sizeof bad, "%s/bad.model", dir);
    for (int k = 0; k < 24; k++) {
        size_t cut = k < 12 ? len * (size_t)k / 12 : len;
        char *copy = malloc(len);
        memcpy(copy, data, len);
        if (k >= 12)   /* damage one 8-byte word in place: every bit
                          flipped, so the bytes differ whatever they were */
            for (size_t i = 0; i < 8; i++)
                copy[(len / 13) * (size_t)(k - 11) + i] ^= (char)0xFF;
        FILE *f = fopen(bad, "wb");
        fwrite(copy, 1, cut, f);
        fclose(f);
        free(copy);
        nertag_load_options opt = { NULL, NULL, bad, 0, NULL, { 0 } };
        nertag_model *m = nertag_model_load(dir, &opt, &err);
        /* refused, and the sources read instead */
        ck_assert_ptr_nonnull(m);
        nertag_model_stats st;
        nertag_model_get_stats(m, &st);
        ck_assert_int_eq(st.origin, NERTAG_MODEL_BAD_COMPILED);
        nertag_model_free(m);
    }
    free(data);
    remove_dir(dir);
}
END_TEST

static Suite *model_suite(void)
{
    Suite *s = suite_create("model");
    TCase *tc = tcase_create("compiled");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, compiled_model_tags_like_the_sources);
    tcase_add_test(tc, stale_model_is_not_used);
    tcase_add_test(tc, damaged_model_is_refused);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return test_run(model_suite());
}
