/* test_api.c - the public API: errors, ownership, threads. */
#include "testutil.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static nertag_tagger *new_tagger(void)
{
    nertag_error err;
    nertag_tagger *t = nertag_tagger_new(test_model(), &err);
    ck_assert_ptr_nonnull(t);
    return t;
}

START_TEST(invalid_utf8_is_an_error_with_its_offset)
{
    nertag_tagger *t = new_tagger();
    nertag_error err;
    const char text[] = "Le Canada \xC3\x28 et la France";
    ck_assert_ptr_null(nertag_tag(t, text, sizeof text - 1, NULL, &err));
    ck_assert_int_eq(err.code, NERTAG_ERR_UTF8);
    ck_assert_int_eq(err.offset, 10);
    char msg[300];
    ck_assert_str_eq(nertag_error_format(&err, msg, sizeof msg),
                     "byte 10: invalid UTF-8");

    const char nul[] = "Le Canada\0 et";
    ck_assert_ptr_null(nertag_tag(t, nul, sizeof nul - 1, NULL, &err));
    ck_assert_int_eq(err.code, NERTAG_ERR_UTF8);
    ck_assert_int_eq(err.offset, 9);
    ck_assert_str_eq(err.message, "NUL byte in text");

    /* the tagger stays usable after an error */
    nertag_result *r = nertag_tag(t, "Le Canada", 9, NULL, &err);
    ck_assert_ptr_nonnull(r);
    ck_assert_uint_eq(nertag_result_count(r), 1);
    nertag_result_free(r);
    nertag_tagger_free(t);
}
END_TEST

START_TEST(replace_invalid_keeps_going)
{
    nertag_tagger *t = new_tagger();
    nertag_error err;
    nertag_options opt = { "fr", NERTAG_TAG_REPLACE_INVALID, NULL, { 0 } };
    const char text[] = "\xFF\xFE le Canada";
    nertag_result *r = nertag_tag(t, text, sizeof text - 1, &opt, &err);
    ck_assert_ptr_nonnull(r);
    ck_assert_uint_eq(nertag_result_count(r), 1);
    const nertag_mention *m = nertag_result_mention(r, 0);
    ck_assert_str_eq(m->text, "Canada");
    /* two replacement characters before: code points count them once */
    ck_assert_uint_eq(m->start, 6);
    ck_assert_uint_eq(m->bstart, 10);
    nertag_result_free(r);
    nertag_tagger_free(t);
}
END_TEST

START_TEST(bad_arguments)
{
    nertag_error err;
    ck_assert_ptr_null(nertag_tagger_new(NULL, &err));
    ck_assert_int_eq(err.code, NERTAG_ERR_ARGUMENT);
    ck_assert_ptr_null(nertag_tag(NULL, "x", 1, NULL, &err));
    ck_assert_int_eq(err.code, NERTAG_ERR_ARGUMENT);
    nertag_tagger *t = new_tagger();
    ck_assert_ptr_null(nertag_tag(t, NULL, 3, NULL, &err));
    nertag_options opt = { "xx", 0, NULL, { 0 } };
    ck_assert_ptr_null(nertag_tag(t, "x", 1, &opt, &err));
    ck_assert_int_eq(err.code, NERTAG_ERR_ARGUMENT);
    /* NULL error pointers are allowed */
    ck_assert_ptr_null(nertag_tag(t, "\xFF", 1, NULL, NULL));
    /* empty text: an empty result */
    nertag_result *r = nertag_tag(t, NULL, 0, NULL, &err);
    ck_assert_ptr_nonnull(r);
    ck_assert_uint_eq(nertag_result_count(r), 0);
    ck_assert_ptr_null(nertag_result_mention(r, 0));
    nertag_result_free(r);
    nertag_result_free(NULL);
    nertag_tagger_free(NULL);
    nertag_model_free(NULL);
    ck_assert_ptr_null(nertag_type_name(NERTAG_TYPE_COUNT));
    ck_assert_str_eq(nertag_type_name(NERTAG_SPOKESPERSON), "SPOKESPERSON");
    nertag_tagger_free(t);
}
END_TEST

/* A data folder without gazetteers, rules or languages is a wrong folder:
 * refused with the place that lacks them, not loaded as an empty model. */
START_TEST(empty_data_folder_is_refused)
{
    char *dir = test_data_dir("x:a\tLOC\tA\tAlphaville\n",
                              "[phases]\norder = a\n");
    char path[600];
    nertag_error err;
    static const char *const parts[][2] = {
        { "gazetteers/test.tsv", "no gazetteer file" },
        { "models/test.rules", "no rule file" },
        { "models/en.lang", NULL }, { "models/fr.lang", "no language file" },
    };
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, parts[i][0]);
        ck_assert_int_eq(remove(path), 0);
        if (!parts[i][1])
            continue;
        ck_assert_ptr_null(nertag_model_load(dir, NULL, &err));
        ck_assert_int_eq(err.code, NERTAG_ERR_IO);
        ck_assert_msg(strstr(err.message, parts[i][1]) != NULL, "%s",
                      err.message);
        /* put it back for the next part */
        FILE *f = fopen(path, "w");
        ck_assert_ptr_nonnull(f);
        fputs(i == 0 ? "id\tlabel\tcanonical\taliases\n"
                     : "[phases]\norder = a\n", f);
        fclose(f);
    }
    free(dir);
}
END_TEST

START_TEST(load_errors_name_their_place)
{
    nertag_error err;
    ck_assert_ptr_null(nertag_model_load("/nonexistent/nertag", NULL, &err));
    ck_assert_int_eq(err.code, NERTAG_ERR_IO);
    /* the languages are read first, from the models folder */
    ck_assert_str_eq(err.file, "/nonexistent/nertag/models");

    ck_assert_ptr_null(test_load("X\tSTATE\tX\n", "[phases]\norder = a\n",
                                 &err));
    ck_assert_int_eq(err.code, NERTAG_ERR_SYNTAX);
    ck_assert_int_eq(err.line, 2);
    ck_assert_ptr_nonnull(strstr(err.file, "gazetteers/test.tsv"));
    ck_assert_ptr_nonnull(strstr(err.message, "found 3"));
    char msg[600];
    nertag_error_format(&err, msg, sizeof msg);
    ck_assert_ptr_nonnull(strstr(msg, "test.tsv:2: expected 4 or 5"));
}
END_TEST

START_TEST(given_tokens_are_kept)
{
    nertag_tagger *t = new_tagger();
    nertag_token_in in[] = {
        { "Le", 2, 1 }, { "Royaume-Uni", 11, 0 }, { "et", 2, 0 },
        { "l'Australie", 11, 0 }, { ".", 1, 0 },
        { "Pékin", 6, 1 }, { "dément", 7, 0 },
    };
    nertag_error err;
    nertag_options opt = { "fr", 0, NULL, { 0 } };
    nertag_result *r = nertag_tag_tokens(t, in, 7, &opt, &err);
    ck_assert_ptr_nonnull(r);
    ck_assert_uint_eq(nertag_result_token_count(r), 7);
    ck_assert_uint_ge(nertag_result_count(r), 1);
    const nertag_mention *m = nertag_result_mention(r, 0);
    ck_assert_str_eq(m->text, "Royaume-Uni");
    ck_assert_uint_eq(m->tstart, 1);
    ck_assert_uint_eq(m->tend, 2);
    ck_assert_str_eq(m->canonical, "United Kingdom");
    /* "l'Australie" was given as one token: it is not split */
    for (size_t i = 0; i < nertag_result_count(r); i++)
        ck_assert_str_ne(nertag_result_mention(r, i)->text, "Australie");
    nertag_result_free(r);

    nertag_token_in empty[] = { { "x", 0, 1 } };
    ck_assert_ptr_null(nertag_tag_tokens(t, empty, 1, NULL, &err));
    nertag_tagger_free(t);
}
END_TEST

START_TEST(language_detection)
{
    nertag_tagger *t = new_tagger();
    nertag_error err;
    const char *fr = "Le gouvernement a rejeté les allégations de la presse.";
    const char *en = "The government has rejected the allegations of the press.";
    ck_assert_str_eq(nertag_detect_language(t, fr, strlen(fr), &err), "fr");
    ck_assert_str_eq(nertag_detect_language(t, en, strlen(en), &err), "en");
    nertag_tagger_free(t);
}
END_TEST

/* ------------------------------------------------------------ threads */

typedef struct job {
    const nertag_model *model;
    const char *text;
    size_t len;
    char *expected;          /* mentions of a single-threaded run */
    int failures;
} job;

static char *describe(const nertag_result *r)
{
    buf b = BUF_INIT;
    buf_puts(&b, "");
    for (size_t i = 0; i < nertag_result_count(r); i++) {
        const nertag_mention *m = nertag_result_mention(r, i);
        buf_printf(&b, "%zu-%zu %s %s %s|", m->start, m->end,
                   nertag_type_name(m->type), m->canonical, m->for_);
    }
    return b.data;
}

static void *worker(void *arg)
{
    job *j = arg;
    nertag_error err;
    nertag_tagger *t = nertag_tagger_new(j->model, &err);
    for (int i = 0; t && i < 20; i++) {
        nertag_result *r = nertag_tag(t, j->text, j->len, NULL, &err);
        char *got = r ? describe(r) : NULL;
        if (!got || strcmp(got, j->expected))
            j->failures++;
        free(got);
        nertag_result_free(r);
    }
    if (!t)
        j->failures++;
    nertag_tagger_free(t);
    return NULL;
}

START_TEST(one_model_many_threads)
{
    const nertag_model *m = test_model();
    size_t len[2];
    char *text[2] = { test_read(TEST_DATA "/seed-fr.txt", &len[0]),
                      test_read(TEST_DATA "/seed-en.txt", &len[1]) };
    char *expected[2];
    nertag_tagger *t = new_tagger();
    for (int k = 0; k < 2; k++) {
        nertag_error err;
        nertag_result *r = nertag_tag(t, text[k], len[k], NULL, &err);
        ck_assert_ptr_nonnull(r);
        expected[k] = describe(r);
        nertag_result_free(r);
    }
    nertag_tagger_free(t);
    enum { N = 4 };
    pthread_t th[N];
    job jobs[N];
    for (int i = 0; i < N; i++) {
        jobs[i] = (job){ m, text[i % 2], len[i % 2], expected[i % 2], 0 };
        ck_assert_int_eq(pthread_create(&th[i], NULL, worker, &jobs[i]), 0);
    }
    for (int i = 0; i < N; i++) {
        pthread_join(th[i], NULL);
        ck_assert_int_eq(jobs[i].failures, 0);
    }
    for (int k = 0; k < 2; k++) {
        free(text[k]);
        free(expected[k]);
    }
}
END_TEST

/* Options a later version may define are refused by this one, never
 * silently ignored. */
START_TEST(unknown_options_are_refused)
{
    nertag_error err;
    nertag_tagger *t = new_tagger();
    nertag_options opt = { "fr", 1u << 20, NULL, { 0 } };
    ck_assert_ptr_null(nertag_tag(t, "x", 1, &opt, &err));
    ck_assert_int_eq(err.code, NERTAG_ERR_ARGUMENT);
    opt.flags = 0;
    opt.reserved[3] = &opt;
    ck_assert_ptr_null(nertag_tag(t, "x", 1, &opt, &err));
    ck_assert_int_eq(err.code, NERTAG_ERR_ARGUMENT);
    nertag_token_in tok = { "x", 1, 1 };
    ck_assert_ptr_null(nertag_tag_tokens(t, &tok, 1, &opt, &err));
    ck_assert_int_eq(err.code, NERTAG_ERR_ARGUMENT);
    nertag_tagger_free(t);

    nertag_load_options lo = { NULL, NULL, NULL, 1u << 20, NULL, { 0 } };
    ck_assert_ptr_null(nertag_model_load(DATA_DIR, &lo, &err));
    ck_assert_int_eq(err.code, NERTAG_ERR_ARGUMENT);
    lo.flags = 0;
    lo.reserved[0] = "x";
    ck_assert_ptr_null(nertag_model_load(DATA_DIR, &lo, &err));
    ck_assert_int_eq(err.code, NERTAG_ERR_ARGUMENT);
}
END_TEST

START_TEST(version)
{
    ck_assert_str_eq(nertag_version(), NERTAG_VERSION);
    char hex[32];
    snprintf(hex, sizeof hex, "%d.%d.%d", NERTAG_VERSION_HEX >> 16,
             NERTAG_VERSION_HEX >> 8 & 0xFF, NERTAG_VERSION_HEX & 0xFF);
    ck_assert_str_eq(hex, NERTAG_VERSION);
}
END_TEST

START_TEST(model_stats)
{
    nertag_model_stats st;
    nertag_model_get_stats(test_model(), &st);
    ck_assert_uint_gt(st.entries, 10000);
    ck_assert_uint_gt(st.aliases, st.entries);
    ck_assert_uint_gt(st.rules, 10);
    ck_assert_uint_eq(st.phases, 5);
    ck_assert_uint_gt(st.memory, 1000000);
}
END_TEST

static Suite *api_suite(void)
{
    Suite *s = suite_create("api");
    TCase *tc = tcase_create("api");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, invalid_utf8_is_an_error_with_its_offset);
    tcase_add_test(tc, replace_invalid_keeps_going);
    tcase_add_test(tc, bad_arguments);
    tcase_add_test(tc, load_errors_name_their_place);
    tcase_add_test(tc, empty_data_folder_is_refused);
    tcase_add_test(tc, given_tokens_are_kept);
    tcase_add_test(tc, language_detection);
    tcase_add_test(tc, model_stats);
    tcase_add_test(tc, unknown_options_are_refused);
    tcase_add_test(tc, version);
    suite_add_tcase(s, tc);
    /* make check-tsan runs this case alone (CK_RUN_CASE=threads) */
    tc = tcase_create("threads");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, one_model_many_threads);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return test_run(api_suite());
}
