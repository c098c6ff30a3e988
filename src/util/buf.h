/* buf.h - growable byte buffer used by the writers and the readers.
 *
 * A buf owns its memory; buf_free releases it.  Appending functions return 0
 * on success and -1 when memory runs out, leaving the buffer as it was.
 * The data is always kept NUL-terminated so it can be printed directly. */
#ifndef NERTAG_BUF_H
#define NERTAG_BUF_H

#include <stddef.h>
#include <string.h>

typedef struct buf {
    char *data;     /* NUL-terminated contents, NULL until the first append */
    size_t len;     /* bytes used, not counting the terminating NUL */
    size_t cap;     /* bytes allocated */
} buf;

#define BUF_INIT { NULL, 0, 0 }

int buf_reserve(buf *b, size_t extra);
int buf_append_grow(buf *b, const char *s, size_t n);
int buf_putc_grow(buf *b, char c);
/* Appends s[0..n): inline where there is room, as there mostly is (the
 * strings of every mention, the writers' fields). */
static inline int buf_append(buf *b, const char *s, size_t n)
{
    if (n >= b->cap - b->len)
        return buf_append_grow(b, s, n);
    if (n)   /* (s may be NULL with n 0) */
        memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}
static inline int buf_puts(buf *b, const char *s)
{
    return buf_append(b, s, strlen(s));
}
/* One byte: inline, since the writers and the tokenizer append many. */
static inline int buf_putc(buf *b, char c)
{
    if (b->len + 2 > b->cap)
        return buf_putc_grow(b, c);
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
    return 0;
}
/* Appends n in decimal: the writers' numbers, without printf's cost. */
int buf_put_uint(buf *b, unsigned long long n);
int buf_printf(buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void buf_clear(buf *b);   /* len = 0, memory kept for reuse */
void buf_free(buf *b);

#endif
