/* segment.h - the word segments of a text, as ICU's word break rules cut
 * them (segment.c).  The tokenizer (tokenize.c) adjusts them into tokens. */
#ifndef NERTAG_SEGMENT_H
#define NERTAG_SEGMENT_H

#include "util/vec.h"
#include "nertag.h"

#include <stddef.h>
#include <stdint.h>

/* A segment that is not white space, in bytes of the text. */
typedef struct segment {
    uint32_t start, end;
    uint8_t is_word;        /* ICU rule status: letters, numbers, ideographs */
    uint8_t space_before;
    uint8_t para_before;    /* a blank line before it */
    uint8_t apostrophe;     /* it holds an apostrophe, ' or ’, where the
                               tokenizer may split a word */
} segment;
VEC_DECLARE(segment_vec, segment);

typedef struct segmenter segmenter;

segmenter *segmenter_new(nertag_error *err);
void segmenter_free(segmenter *sg);
/* The segments of text (at most INT32_MAX bytes), in order, in *out
 * (emptied first).  flags: SEGMENT_ICU_ONLY to break all of the text with
 * ICU (the reference the fast path is tested against). */
#define SEGMENT_ICU_ONLY 1u
int segment_text(segmenter *sg, const char *text, size_t len,
                 unsigned flags, segment_vec *out, nertag_error *err);

#endif
