/* fuzz_tag.c - nertag_tag and nertag_tag_tokens on arbitrary bytes, with
 * the model of the source tree.
 *
 * Input: one byte of options, then the text.
 *   bit 0     replace_invalid
 *   bits 1-2  lang: NULL, "fr", "en", "auto"
 *   bit 3     trace
 *   bit 4     tokens: empty lines are passed as empty tokens (which must
 *             be refused) instead of marking a sentence start
 *   bit 5     lang "xx" instead, which must be refused
 *
 * The text is tagged whole, then as tokens split at '\n', with the same
 * tagger: what a tagger keeps from one document to the next is exercised
 * too.  The tagger is made for each input, so that an input behaves the
 * same whatever ran before it. */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "lib/internal.h"

const char fuzz_target_name[] = "tag";

/* Read-only once loaded. */
static nertag_model *model;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    model = fuzz_source_model();
    return 0;
}

static nertag_options options_of(uint8_t flags)
{
    static const char *const langs[] = { NULL, "fr", "en", "auto" };
    nertag_options opt;
    memset(&opt, 0, sizeof opt);
    if (flags & 1)
        opt.flags |= NERTAG_TAG_REPLACE_INVALID;
    opt.lang = flags & 32 ? "xx" : langs[(flags >> 1) & 3];
    if ((flags >> 3) & 1)
        opt.flags |= NERTAG_TAG_TRACE;
    return opt;
}

/* The text whole: valid text (or any text with replace_invalid) is tagged,
 * anything else refused at its first bad byte. */
static void tag_text(nertag_tagger *t, const char *text, size_t len,
                     const nertag_options *opt, int bad_lang)
{
    nertag_error err;
    nertag_result *r = nertag_tag(t, text, len, opt, &err);
    size_t bad = utf8_first_invalid(text, len);
    if (!r) {
        fuzz_check_error(&err);
        if (bad_lang) {
            FUZZ_CHECK(err.code == NERTAG_ERR_ARGUMENT ||
                       (err.code == NERTAG_ERR_UTF8 && !(opt->flags & NERTAG_TAG_REPLACE_INVALID)));
        } else {
            FUZZ_CHECK(bad < len && !(opt->flags & NERTAG_TAG_REPLACE_INVALID));
            FUZZ_CHECK(err.code == NERTAG_ERR_UTF8);
            FUZZ_CHECK(err.offset == (long long)bad);
        }
        return;
    }
    FUZZ_CHECK(!bad_lang);
    FUZZ_CHECK(bad == len || (opt->flags & NERTAG_TAG_REPLACE_INVALID));
    if (bad == len) {
        fuzz_check_result(r, text, len);
    } else {
        fuzz_check_result_replaced(r, text, len);
    }
    if (opt->lang && strcmp(opt->lang, "auto"))
        FUZZ_CHECK(!strcmp(nertag_result_lang(r), opt->lang));
    if (!(opt->flags & NERTAG_TAG_TRACE))
        FUZZ_CHECK(nertag_result_trace_count(r) == 0);
    nertag_result_free(r);
}

/* Splits text at '\n' into tokens; an empty line starts a sentence, or
 * with keep_empty is an (invalid) empty token.  Returns the count; *bad
 * is set when some token must be refused. */
static size_t split_tokens(const char *text, size_t len, int keep_empty,
                           nertag_token_in *toks, int *bad)
{
    size_t n = 0, start = 0;
    int sentence = 1;
    *bad = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && text[i] != '\n')
            continue;
        size_t tl = i - start;
        if (tl || keep_empty) {
            toks[n].text = text + start;
            toks[n].len = tl;
            toks[n].sentence_start = sentence;
            if (!tl || utf8_first_invalid(text + start, tl) < tl)
                *bad = 1;
            n++;
            sentence = 0;
        } else {
            sentence = 1;
        }
        start = i + 1;
    }
    return n;
}

static void tag_tokens(nertag_tagger *t, const char *text, size_t len,
                       const nertag_options *opt, int keep_empty, int bad_lang)
{
    nertag_token_in *toks = malloc((len + 1) * sizeof *toks);
    FUZZ_CHECK(toks != NULL);
    int bad;
    size_t n = split_tokens(text, len, keep_empty, toks, &bad);
    nertag_error err;
    nertag_result *r = nertag_tag_tokens(t, toks, n, opt, &err);
    if (!r) {
        fuzz_check_error(&err);
        FUZZ_CHECK(bad || bad_lang);
    } else {
        FUZZ_CHECK(!bad && !bad_lang);
        FUZZ_CHECK(nertag_result_token_count(r) == n);
        buf joined = BUF_INIT;
        for (size_t i = 0; i < n; i++)
            FUZZ_CHECK((!i || buf_putc(&joined, ' ') == 0) &&
                       buf_append(&joined, toks[i].text, toks[i].len) == 0);
        fuzz_check_result(r, joined.data ? joined.data : "", joined.len);
        /* the given tokens are kept as they are */
        for (size_t i = 0; i < n; i++) {
            size_t bs, be;
            nertag_result_token(r, i, &bs, &be);
            FUZZ_CHECK(be - bs == toks[i].len);
        }
        /* and so are their sentences: no mention runs across a start */
        for (size_t i = 0; i < nertag_result_count(r); i++) {
            const nertag_mention *m = nertag_result_mention(r, i);
            for (size_t k = m->tstart + 1; k < m->tend; k++)
                FUZZ_CHECK(!toks[k].sentence_start);
        }
        buf_free(&joined);
        nertag_result_free(r);
    }
    free(toks);
}

static void detect(nertag_tagger *t, const char *text, size_t len)
{
    nertag_error err;
    const char *lang = nertag_detect_language(t, text, len, &err);
    if (utf8_first_invalid(text, len) == len) {
        FUZZ_CHECK(fuzz_valid_lang(lang));
    } else {
        FUZZ_CHECK(!lang);
        fuzz_check_error(&err);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t flags = data[0];
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    nertag_options opt = options_of(flags);
    int bad_lang = (flags & 32) != 0;
    nertag_error err;
    nertag_tagger *t = nertag_tagger_new(model, &err);
    FUZZ_CHECK(t != NULL);
    tag_text(t, text, len, &opt, bad_lang);
    tag_tokens(t, text, len, &opt, (flags & 16) != 0, bad_lang);
    detect(t, text, len);
    nertag_tagger_free(t);
    return 0;
}
