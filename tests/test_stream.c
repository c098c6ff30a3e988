/* test_stream.c - a long document through a moving window (stream.c).
 *
 * The mentions of a stream, fed in pieces of any size, must be those of
 * tagging the whole text at once: offsets, types, canonical names, ids,
 * whom spokespeople speak for, sources. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every mention of r as one line each, offsets first. */
static void describe(buf *out, const nertag_result *r)
{
    for (size_t i = 0; i < nertag_result_count(r); i++) {
        const nertag_mention *m = nertag_result_mention(r, i);
        buf_printf(out, "%zu %zu %zu %zu %zu %zu %s|%s|%s|%s|%s|%s\n",
                   m->start, m->end, m->bstart, m->bend, m->tstart, m->tend,
                   nertag_type_name(m->type), m->text, m->canonical, m->id,
                   m->for_, m->source);
    }
}

static char *whole(nertag_tagger *t, const char *text, size_t len,
                   const nertag_options *opt)
{
    nertag_error err;
    nertag_result *r = nertag_tag(t, text, len, opt, &err);
    ck_assert_msg(r != NULL, "%s", err.message);
    buf out = BUF_INIT;
    buf_puts(&out, "");
    describe(&out, r);
    nertag_result_free(r);
    return out.data;
}

/* The text fed in pieces of sizes from a fixed pseudo-random sequence, no
 * piece longer than step. */
static char *streamed(nertag_tagger *t, const char *text, size_t len,
                      const nertag_options *opt, size_t window, size_t step)
{
    nertag_error err;
    nertag_stream *s = nertag_stream_new(t, opt, window, &err);
    ck_assert_ptr_nonnull(s);
    buf out = BUF_INIT;
    buf_puts(&out, "");
    unsigned seed = 7;
    size_t early = 0;          /* results with mentions before the end */
    for (size_t pos = 0; pos < len;) {
        seed = seed * 1103515245u + 12345u;
        size_t n = 1 + (seed >> 8) % step;
        if (n > len - pos)
            n = len - pos;
        nertag_result *r = nertag_stream_feed(s, text + pos, n, &err);
        ck_assert_msg(r != NULL, "%s", err.message);
        describe(&out, r);
        early += nertag_result_count(r) > 0;
        nertag_result_free(r);
        pos += n;
    }
    /* the window moved: mentions came out before the end */
    if (len > 2 * window)
        ck_assert_uint_ge(early, len / window / 16 + 1);
    nertag_result *r = nertag_stream_finish(s, &err);
    ck_assert_msg(r != NULL, "%s", err.message);
    describe(&out, r);
    nertag_result_free(r);
    nertag_stream_free(s);
    return out.data;
}

/* The founding articles, each ten times over with the other between:
 * names carried from window to window, people's later short mentions. */
static char *long_text(size_t *len)
{
    buf b = BUF_INIT;
    for (int i = 0; i < 10; i++)
        for (int l = 0; l < 2; l++) {
            char path[600];
            snprintf(path, sizeof path, "%s/seed-%s.txt", TEST_DATA,
                     l ? "en" : "fr");
            char *s = test_read(path, NULL);
            buf_puts(&b, s);
            buf_puts(&b, "\n\n");
            free(s);
        }
    *len = b.len;
    return b.data;
}

START_TEST(stream_equals_whole)
{
    nertag_error err;
    nertag_tagger *t = nertag_tagger_new(test_model(), &err);
    size_t len;
    char *text = long_text(&len);
    nertag_options opt = { "fr", 0, NULL, { 0 } };
    char *want = whole(t, text, len, &opt);
    ck_assert_uint_gt(strlen(want), 1000);
    static const size_t windows[] = { 300, 4096, 65536 };
    static const size_t steps[] = { 1, 97, 5000 };
    for (size_t w = 0; w < 3; w++)
        for (size_t k = 0; k < 3; k++) {
            if (steps[k] == 1 && windows[w] > 4096)
                continue;
            char *got = streamed(t, text, len, &opt, windows[w], steps[k]);
            ck_assert_msg(!strcmp(got, want), "window %zu, pieces of %zu: "
                          "the mentions differ", windows[w], steps[k]);
            free(got);
        }
    free(want);
    free(text);
    nertag_tagger_free(t);
}
END_TEST

/* A long text given in one piece is still tagged a window at a time, and
 * the windows' mentions and trace come out together. */
START_TEST(one_piece_many_windows)
{
    nertag_error err;
    nertag_tagger *t = nertag_tagger_new(test_model(), &err);
    size_t len;
    char *text = long_text(&len);
    nertag_options opt = { "fr", NERTAG_TAG_TRACE, NULL, { 0 } };
    char *want = whole(t, text, len, &opt);
    nertag_stream *s = nertag_stream_new(t, &opt, 2000, &err);
    ck_assert_ptr_nonnull(s);
    buf out = BUF_INIT;
    buf_puts(&out, "");
    nertag_result *r = nertag_stream_feed(s, text, len, &err);
    ck_assert_msg(r != NULL, "%s", err.message);
    describe(&out, r);
    /* most of the text was tagged by this one call, in many windows */
    ck_assert_uint_gt(nertag_result_count(r), 100);
    ck_assert_uint_gt(nertag_result_trace_count(r), 50);
    for (size_t i = 0; i < nertag_result_trace_count(r); i++)
        ck_assert_uint_gt(strlen(nertag_result_trace(r, i)), 5);
    nertag_result_free(r);
    ck_assert_ptr_nonnull(r = nertag_stream_finish(s, &err));
    describe(&out, r);
    nertag_result_free(r);
    ck_assert_str_eq(out.data, want);
    buf_free(&out);
    nertag_stream_free(s);
    free(want);
    free(text);
    nertag_tagger_free(t);
}
END_TEST

/* Invalid UTF-8 is an error with its offset in the whole document, even
 * when a piece cuts a character; with replace_invalid it is repaired. */
START_TEST(stream_checks_utf8)
{
    nertag_error err;
    nertag_tagger *t = nertag_tagger_new(test_model(), &err);
    nertag_stream *s = nertag_stream_new(t, NULL, 16, &err);
    const char *a = "La Chine a r\xC3", *b = "\xA9pondu. Et puis \xFF la France.";
    nertag_result *r = nertag_stream_feed(s, a, strlen(a), &err);
    ck_assert_ptr_nonnull(r);
    nertag_result_free(r);
    ck_assert_ptr_null(nertag_stream_feed(s, b, strlen(b), &err));
    ck_assert_int_eq(err.code, NERTAG_ERR_UTF8);
    ck_assert_int_eq(err.offset, (long long)(strlen(a) + 16));
    /* unusable after an error */
    ck_assert_ptr_null(nertag_stream_feed(s, "x", 1, &err));
    ck_assert_int_eq(err.code, NERTAG_ERR_ARGUMENT);
    nertag_stream_free(s);

    nertag_options opt = { "fr", NERTAG_TAG_REPLACE_INVALID, NULL, { 0 } };
    s = nertag_stream_new(t, &opt, 16, &err);
    buf out = BUF_INIT;
    buf_puts(&out, "");
    ck_assert_ptr_nonnull(r = nertag_stream_feed(s, a, strlen(a), &err));
    describe(&out, r);
    nertag_result_free(r);
    ck_assert_ptr_nonnull(r = nertag_stream_feed(s, b, strlen(b), &err));
    describe(&out, r);
    nertag_result_free(r);
    ck_assert_ptr_nonnull(r = nertag_stream_finish(s, &err));
    describe(&out, r);
    nertag_result_free(r);
    /* the France after the replaced byte: 3 bytes for 1 */
    ck_assert_msg(strstr(out.data, "STATE|France|France|FR") != NULL, "%s",
                  out.data);
    buf_free(&out);
    nertag_stream_free(s);
    nertag_tagger_free(t);
}
END_TEST

static Suite *stream_suite(void)
{
    Suite *s = suite_create("stream");
    TCase *tc = tcase_create("stream");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, stream_equals_whole);
    tcase_add_test(tc, one_piece_many_windows);
    tcase_add_test(tc, stream_checks_utf8);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return test_run(stream_suite());
}
