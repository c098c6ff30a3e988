/* normalize.c - folded forms for matching.
 *
 * Gazetteers and rules compare words by their folded form: Unicode case
 * folding (ICU), then canonical decomposition with the combining marks left
 * out, so that "ÉTATS-UNIS", "Etats-Unis" and "États-Unis" all fold to
 * "etats-unis".  Typographic apostrophes and hyphens fold to their ASCII
 * forms, and the ligatures œ and æ to two letters, as French spelling
 * allows either. */
#include "lib/internal.h"

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/utf16.h>

static uint32_t fold_punctuation(uint32_t c)
{
    switch (c) {
    case 0x2019: case 0x2018: case 0x02BC: case 0x00B4: case 0x2032:
        return '\'';
    case 0x2010: case 0x2011: case 0x2012: case 0x2013:
        return '-';
    default:
        return c;
    }
}

static int append_cp(buf *out, uint32_t c)
{
    char tmp[4];
    return buf_append(out, tmp, utf8_encode(c, tmp));
}

/* Appends c without its accents: the base characters of its canonical
 * decomposition. */
static int append_unaccented(buf *out, uint32_t c)
{
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2 *nfd = unorm2_getNFDInstance(&status);
    UChar dec[16];
    int32_t n = U_SUCCESS(status)
        ? unorm2_getDecomposition(nfd, (UChar32)c, dec, 16, &status) : -1;
    if (n <= 0 || U_FAILURE(status))
        return append_cp(out, c);
    for (int32_t i = 0; i < n;) {
        UChar32 d;
        U16_NEXT(dec, i, n, d);
        if (u_getCombiningClass(d) == 0 &&
            u_charType(d) != U_NON_SPACING_MARK && append_cp(out, (uint32_t)d))
            return -1;
    }
    return 0;
}

static int fold_one(buf *out, uint32_t c, int keep_accents)
{
    c = fold_punctuation(c);
    if (c < 0x80) {
        char a = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        return buf_putc(out, a);
    }
    switch (c) {
    case 0x0152: case 0x0153: return buf_puts(out, "oe");
    case 0x00C6: case 0x00E6: return buf_puts(out, "ae");
    case 0x00DF: case 0x1E9E: return buf_puts(out, "ss");
    case 0x0130: return buf_putc(out, 'i');   /* İ: simple folding keeps it */
    case 0x00AD: return 0;                    /* soft hyphen: invisible */
    default: break;
    }
    c = (uint32_t)u_foldCase((UChar32)c, U_FOLD_CASE_DEFAULT);
    if (keep_accents)
        return append_cp(out, c);
    /* the accents of decomposed text come as marks of their own */
    if (u_getCombiningClass((UChar32)c) != 0 ||
        u_charType((UChar32)c) == U_NON_SPACING_MARK)
        return 0;
    return append_unaccented(out, c);
}

int fold_append(const char *s, size_t n, int keep_accents, buf *out)
{
    const unsigned char *p = (const unsigned char *)s;
    if (buf_reserve(out, n) != 0)
        return -1;
    size_t i = 0;
    while (i < n) {
        if (p[i] < 0x80) {   /* ASCII fast path */
            /* a letter before may have folded to more bytes than it had
             * (Ⱥ, 2 bytes, folds to ⱥ, 3): room for the rest and the NUL */
            if (out->len + (n - i) >= out->cap && buf_reserve(out, n - i))
                return -1;
            unsigned char c = p[i++];
            out->data[out->len++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
            continue;
        }
        uint32_t c;
        i += utf8_decode(p + i, &c);
        /* a character may fold longer than it is ("Ⱥ", 2 bytes, folds to
         * "ⱥ", 3): the fast path needs room for the rest again */
        if (fold_one(out, c, keep_accents) != 0 ||
            buf_reserve(out, n - i) != 0)
            return -1;
    }
    if (out->data)
        out->data[out->len] = '\0';
    return 0;
}

char *fold_dup(const char *s, size_t n, int keep_accents)
{
    buf b = BUF_INIT;
    if (fold_append(s, n, keep_accents, &b) != 0 || buf_reserve(&b, 0) != 0) {
        buf_free(&b);
        return NULL;
    }
    return b.data;
}
