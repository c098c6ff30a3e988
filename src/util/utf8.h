/* utf8.h - validating, repairing, decoding and encoding UTF-8. */
#ifndef NERTAG_UTIL_UTF8_H
#define NERTAG_UTIL_UTF8_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

/* Length of the valid UTF-8 sequence at s[0..n), or 0 when it is invalid
 * (overlong, surrogate, beyond U+10FFFF, truncated).  NUL counts as
 * invalid here: a text never holds one. */
size_t utf8_valid_seq(const unsigned char *s, size_t n);
/* Offset of the first invalid byte of s[0..n), or n when all is valid. */
size_t utf8_first_invalid(const char *s, size_t n);
/* Bytes at the end of s[0..n) that begin a UTF-8 sequence not complete
 * yet: a reader of pieces keeps them for the next piece to complete. */
size_t utf8_incomplete_tail(const char *s, size_t n);
/* Copies s to out replacing each invalid sequence or NUL by U+FFFD. */
int utf8_replace_invalid(const char *s, size_t n, buf *out);
/* Decodes one code point from valid UTF-8; returns its length. */
size_t utf8_decode(const unsigned char *s, uint32_t *cp);
size_t utf8_encode(uint32_t cp, char *out);

#endif
