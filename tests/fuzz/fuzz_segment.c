/* fuzz_segment.c - the word segmenter's fast path against ICU.
 *
 * The input, when it is valid UTF-8, is cut into word segments twice:
 * by segment_text, which breaks pieces of ASCII and simple letters (é, ß,
 * λ, д) itself, and by ICU over
 * the whole text (SEGMENT_ICU_ONLY).  Both must give the same segments,
 * field by field, and the segments must lie in order inside the text. */
#include "fuzz.h"

#include "lib/text/segment.h"
#include "util/utf8.h"

const char fuzz_target_name[] = "segment";

static segmenter *sg;
static segment_vec fast, ref;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    nertag_error err;
    sg = segmenter_new(&err);
    FUZZ_CHECK(sg != NULL);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    if (utf8_first_invalid(s, size) != size)
        return 0;
    nertag_error err;
    FUZZ_CHECK(segment_text(sg, s, size, 0, &fast, &err) == 0);
    FUZZ_CHECK(segment_text(sg, s, size, SEGMENT_ICU_ONLY, &ref, &err) == 0);
    FUZZ_CHECK(fast.n == ref.n);
    uint32_t last = 0;
    for (size_t i = 0; i < fast.n; i++) {
        const segment *f = &fast.v[i], *r = &ref.v[i];
        FUZZ_CHECK(f->start == r->start && f->end == r->end);
        FUZZ_CHECK(f->is_word == r->is_word);
        FUZZ_CHECK(f->space_before == r->space_before);
        FUZZ_CHECK(f->para_before == r->para_before);
        FUZZ_CHECK(f->apostrophe == r->apostrophe);
        FUZZ_CHECK(last <= f->start && f->start < f->end && f->end <= size);
        last = f->end;
    }
    return 0;
}
