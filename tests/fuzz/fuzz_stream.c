/* fuzz_stream.c - one long document through nertag_stream.
 *
 * The first byte chooses the options:
 *   bits 0-1  the window: 16, 200 or 4096 bytes, or larger than the text
 *   bits 2-3  the pieces fed: 1, 7 or 300 bytes, or the text at once
 *   bit 4     lang "fr" or "en" (bit 5) instead of detection
 *   bit 6     replace_invalid
 * then the text.  The results of every call, joined, must describe the
 * text as one result of it does (offsets, tokens, whole tokens, mention
 * texts, order: fuzz_check_result), or the stream must fail at the first
 * invalid byte; with a window larger than the text they must be those of
 * nertag_tag on the whole text. */
#include "fuzz.h"

#include <string.h>

#include "lib/internal.h"

const char fuzz_target_name[] = "stream";

static nertag_model *model;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    model = fuzz_source_model();
    return 0;
}

/* The text through a stream; NULL when it failed (err says why). */
static nertag_result *streamed(nertag_tagger *t, const char *text, size_t len,
                               const nertag_options *opt, size_t window,
                               size_t piece, nertag_error *err)
{
    nertag_stream *s = nertag_stream_new(t, opt, window, err);
    FUZZ_CHECK(s != NULL);
    nertag_result *all = result_new();
    FUZZ_CHECK(all != NULL);
    for (size_t at = 0; at < len; at += piece) {
        size_t n = len - at < piece ? len - at : piece;
        nertag_result *r = nertag_stream_feed(s, text + at, n, err);
        if (!r) {
            nertag_stream_free(s);
            nertag_result_free(all);
            return NULL;
        }
        FUZZ_CHECK(result_append(all, r) == 0);
        nertag_result_free(r);
    }
    nertag_result *r = nertag_stream_finish(s, err);
    nertag_stream_free(s);
    if (!r) {
        nertag_result_free(all);
        return NULL;
    }
    FUZZ_CHECK(result_append(all, r) == 0);
    nertag_result_free(r);
    return all;
}

static void check_same(const nertag_result *a, const nertag_result *b)
{
    FUZZ_CHECK(nertag_result_count(a) == nertag_result_count(b));
    for (size_t i = 0; i < nertag_result_count(a); i++) {
        const nertag_mention *x = nertag_result_mention(a, i);
        const nertag_mention *y = nertag_result_mention(b, i);
        FUZZ_CHECK(x->bstart == y->bstart && x->bend == y->bend);
        FUZZ_CHECK(x->start == y->start && x->end == y->end);
        FUZZ_CHECK(x->tstart == y->tstart && x->tend == y->tend);
        FUZZ_CHECK(x->type == y->type);
        FUZZ_CHECK(!strcmp(x->canonical, y->canonical));
        FUZZ_CHECK(!strcmp(x->id, y->id));
        FUZZ_CHECK(!strcmp(x->for_, y->for_));
    }
    FUZZ_CHECK(nertag_result_token_count(a) == nertag_result_token_count(b));
    for (size_t i = 0; i < nertag_result_token_count(a); i++)
        FUZZ_CHECK(nertag_result_token_starts_sentence(a, i) ==
                   nertag_result_token_starts_sentence(b, i));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static const size_t windows[] = { 16, 200, 4096, 0 };
    static const size_t pieces[] = { 1, 7, 300, 0 };
    uint8_t o = data[0];
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    /* "larger than the text": than the text once repaired too, which
     * NERTAG_TAG_REPLACE_INVALID may make three times longer (each invalid
     * byte becomes U+FFFD, three bytes), since a window counts the bytes
     * it tags */
    size_t whole_window = 3 * len + 1;
    size_t window = windows[o & 3] ? windows[o & 3] : whole_window;
    size_t piece = pieces[o >> 2 & 3] ? pieces[o >> 2 & 3] : len + 1;
    nertag_options opt = { o & 16 ? "fr" : o & 32 ? "en" : NULL,
                           o & 64 ? NERTAG_TAG_REPLACE_INVALID : 0, NULL,
                           { 0 } };
    nertag_error err;
    nertag_tagger *t = nertag_tagger_new(model, &err);
    FUZZ_CHECK(t != NULL);
    nertag_result *r = streamed(t, text, len, &opt, window, piece, &err);
    size_t bad = utf8_first_invalid(text, len);
    if (!r) {
        fuzz_check_error(&err);
        FUZZ_CHECK(bad < len && !(opt.flags & NERTAG_TAG_REPLACE_INVALID));
        FUZZ_CHECK(err.code == NERTAG_ERR_UTF8);
        FUZZ_CHECK(err.offset == (long long)bad);
        nertag_tagger_free(t);
        return 0;
    }
    FUZZ_CHECK(bad == len || (opt.flags & NERTAG_TAG_REPLACE_INVALID));
    if (bad == len)
        fuzz_check_result(r, text, len);
    else
        fuzz_check_result_replaced(r, text, len);
    if (window == whole_window) {
        /* one window: the stream is the whole text tagged at once */
        nertag_result *whole = nertag_tag(t, text, len, &opt, &err);
        FUZZ_CHECK(whole != NULL);
        check_same(r, whole);
        nertag_result_free(whole);
    }
    nertag_result_free(r);
    nertag_tagger_free(t);
    return 0;
}
