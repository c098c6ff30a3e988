/* segment.c - the word segments of a text, as ICU's word break rules cut
 * them, with a fast path for ASCII words.
 *
 * ICU breaks words by running a state machine over every character, which
 * costs about a hundred instructions a byte over UTF-8 text.  Most words of
 * news text are plain ASCII, and between ASCII characters the Unicode word
 * rules (UAX #29) reduce to a few: letters and digits hold together, and
 * so do letter-mid-letter ("don't", "U.S") and digit-mid-digit ("3,5",
 * "1.2").  So the text is cut at its runs of ASCII white space and control
 * characters, where ICU always breaks, into pieces:
 *
 *   - a piece of ASCII characters and simple letters only is cut here by
 *     those rules;
 *   - a piece with any other character goes to ICU, together with the white
 *     space around it (a combining mark after a space belongs to the space,
 *     for one), and with the pieces that follow it while other characters
 *     come close behind (each call to ICU has a cost of its own).
 *
 * Which ASCII characters are letters, digits, or join what is asked of ICU
 * itself when the segmenter is made (ICU 72 made '@' a letter, for one), so
 * the fast path follows the ICU it runs with; tests/test_segment.c checks it
 * gives ICU's segments on every short ASCII string and on the corpora.
 *
 * The simple letters are those of the Latin, Greek and Cyrillic alphabets
 * (é, ß, ñ, λ, д), with the other characters of those blocks whose word
 * break class is one these rules know (· and ’ join letters, « and °
 * break): without them, nearly every French, German or Spanish sentence
 * would go to ICU.  Their class is ICU's Word_Break property; a space, a
 * combining mark or a character of any other class sends its piece to
 * ICU.
 */
#include "lib/text/segment.h"
#include "util/error.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>

/* What an ASCII character does in a word, after UAX #29's classes. */
enum {
    WB_OTHER,          /* breaks on both sides */
    WB_LETTER,         /* ALetter */
    WB_DIGIT,          /* Numeric */
    WB_JOINER,         /* ExtendNumLet: '_' */
    WB_MID_LETTER,     /* between two letters only */
    WB_MID_DIGIT,      /* between two digits only: ',' ';' */
    WB_MID_BOTH,       /* between letters or digits: '.' '\'' */
    WB_SPACE,          /* white space and controls: the pieces' edges */
    WB_NOT_ASCII       /* a byte of a longer UTF-8 sequence */
};

struct segmenter {
    UBreakIterator *words;
    UText *text;
    uint8_t ascii[256];    /* WB_* of each byte */
};

/* ------------------------------------------------------------ classes */

/* Breaks s with ICU; returns the number of segments and the rule status
 * of the first. */
static int probe(segmenter *sg, const char *s, int32_t *status)
{
    UErrorCode st = U_ZERO_ERROR;
    sg->text = utext_openUTF8(sg->text, s, (int64_t)strlen(s), &st);
    ubrk_setUText(sg->words, sg->text, &st);
    if (U_FAILURE(st))
        return -1;
    int n = 0;
    ubrk_first(sg->words);
    while (ubrk_next(sg->words) != UBRK_DONE)
        if (n++ == 0 && status)
            *status = ubrk_getRuleStatus(sg->words);
    return n;
}

/* The class of each printable ASCII character, from how ICU breaks it
 * alone, after a letter, and between two letters or two digits. */
static int ask_icu_classes(segmenter *sg)
{
    for (int c = 0; c < 256; c++)
        sg->ascii[c] = c >= 0x80 ? WB_NOT_ASCII
                     : c <= ' ' || c == 0x7F ? WB_SPACE : WB_OTHER;
    for (int c = '!'; c < 0x7F; c++) {
        char one[2] = { (char)c, 0 }, after[3] = { 'a', (char)c, 0 };
        char letters[4] = { 'a', (char)c, 'a', 0 };
        char digits[4] = { '1', (char)c, '1', 0 };
        int32_t status = 0;
        int n1 = probe(sg, one, &status), na = probe(sg, after, NULL);
        int nl = probe(sg, letters, NULL), nd = probe(sg, digits, NULL);
        if (n1 < 0 || na < 0 || nl < 0 || nd < 0)
            return -1;
        if (status >= UBRK_WORD_LETTER && status < UBRK_WORD_LETTER_LIMIT)
            sg->ascii[c] = WB_LETTER;
        else if (status >= UBRK_WORD_NUMBER && status < UBRK_WORD_NUMBER_LIMIT)
            sg->ascii[c] = WB_DIGIT;
        else if (status != UBRK_WORD_NONE)
            sg->ascii[c] = WB_OTHER;    /* unknown to this path: never fast */
        else if (na == 1)
            sg->ascii[c] = WB_JOINER;
        else if (nl == 1 && nd == 1)
            sg->ascii[c] = WB_MID_BOTH;
        else if (nl == 1)
            sg->ascii[c] = WB_MID_LETTER;
        else if (nd == 1)
            sg->ascii[c] = WB_MID_DIGIT;
    }
    return 0;
}

segmenter *segmenter_new(nertag_error *err)
{
    segmenter *sg = calloc(1, sizeof *sg);
    if (!sg) {
        err_set(err, NERTAG_ERR_NOMEM, "out of memory");
        return NULL;
    }
    /* The root locale: the languages share the same word rules. */
    UErrorCode st = U_ZERO_ERROR;
    sg->words = ubrk_open(UBRK_WORD, "", NULL, 0, &st);
    if (U_FAILURE(st) || ask_icu_classes(sg) != 0) {
        err_set(err, NERTAG_ERR_ICU, "ICU word break iterator: %s",
                u_errorName(st));
        segmenter_free(sg);
        return NULL;
    }
    return sg;
}

void segmenter_free(segmenter *sg)
{
    if (!sg)
        return;
    if (sg->words)
        ubrk_close(sg->words);
    if (sg->text)
        utext_close(sg->text);
    free(sg);
}

/* ------------------------------------------------------------ pieces */

/* Where the segments are: what comes before the next one. */
typedef struct cursor {
    segment_vec *out;
    int space;           /* white space before the next segment */
    int newlines;        /* line ends before it */
} cursor;

static inline int put(cursor *c, uint32_t start, uint32_t end, int is_word,
                      int apostrophe, int trailing_space)
{
    segment g = { start, end, (uint8_t)is_word, (uint8_t)c->space,
                  c->newlines >= 2, (uint8_t)apostrophe };
    if (segment_vec_push(c->out, g) != 0)
        return -1;
    c->space = trailing_space;
    c->newlines = 0;
    return 0;
}

/* Can a letter or digit of class prev hold to what follows through the
 * middle character of class mid, followed by class next? */
static int holds_through(int prev, int mid, int next)
{
    if (prev == WB_LETTER && next == WB_LETTER)
        return mid == WB_MID_LETTER || mid == WB_MID_BOTH;
    if (prev == WB_DIGIT && next == WB_DIGIT)
        return mid == WB_MID_DIGIT || mid == WB_MID_BOTH;
    return 0;
}

static int is_wordish(int k)
{
    return k == WB_LETTER || k == WB_DIGIT || k == WB_JOINER;
}

/* The class of a character other than ASCII when it is a simple letter
 * or another character of those alphabets whose class the rules above
 * know; WB_NOT_ASCII (for ICU) otherwise. */
static int simple_class(UChar32 c)
{
    int alphabets = (c >= 0xA0 && c < 0x590) ||      /* Latin to Armenian */
                    (c >= 0x1E00 && c < 0x2000) ||   /* Latin, Greek ext. */
                    c == 0x2018 || c == 0x2019;       /* ‘ ’ */
    if (!alphabets || u_isUWhiteSpace(c) || u_iscntrl(c))
        return WB_NOT_ASCII;
    switch (u_getIntPropertyValue(c, UCHAR_WORD_BREAK)) {
    case U_WB_ALETTER:
        return WB_LETTER;
    case U_WB_MIDLETTER:
        return WB_MID_LETTER;
    case U_WB_MIDNUM:
        return WB_MID_DIGIT;
    case U_WB_MIDNUMLET:
        return WB_MID_BOTH;
    case U_WB_OTHER:
        return WB_OTHER;
    default:
        return WB_NOT_ASCII;
    }
}

/* A character's class and its length in bytes, in one word: CLASS_OF,
 * LENGTH_OF. */
#define CHAR(cls, len) ((uint32_t)(len) << 4 | (uint32_t)(cls))
#define CLASS_OF(ch) ((int)((ch) & 15))
#define LENGTH_OF(ch) ((ch) >> 4)

/* The character other than ASCII at s[i] (i < n). */
static uint32_t other_char_at(const unsigned char *s, uint32_t i, uint32_t n)
{
    UChar32 c;
    int32_t at = (int32_t)i, end = (int32_t)(n - i > 4 ? i + 4 : n);
    U8_NEXT(s, at, end, c);
    return CHAR(c < 0 ? WB_NOT_ASCII : simple_class(c), (uint32_t)at - i);
}

/* The character at s[i] (i < n). */
static uint32_t char_at(const segmenter *sg, const unsigned char *s,
                        uint32_t i, uint32_t n)
{
    int k = sg->ascii[s[i]];
    return k != WB_NOT_ASCII ? CHAR(k, 1) : other_char_at(s, i, n);
}

/* Is the character s[i..i+len) an apostrophe, ' or ’? */
static int is_apostrophe(const unsigned char *s, uint32_t i, uint32_t len)
{
    return len == 1 ? s[i] == '\''
                    : len == 3 && s[i] == 0xE2 && s[i + 1] == 0x80 &&
                      s[i + 2] == 0x99;
}

/* The segments of the piece at s[from], up to the next white space or n,
 * when it is ASCII-only: returns where it ends, or NOT_ASCII (with the
 * segments it added still in c->out) when it has another character; -1
 * when out of memory. */
#define NOT_ASCII (-2)
static int64_t ascii_piece(const segmenter *sg, const unsigned char *s,
                           uint32_t from, uint32_t n, cursor *c)
{
    uint32_t i = from;
    for (;;) {
        int k = i < n ? sg->ascii[s[i]] : WB_SPACE;
        if (k == WB_SPACE)
            return i;
        if (k == WB_NOT_ASCII)
            return NOT_ASCII;
        uint32_t j = i + 1;
        int apostrophe = s[i] == '\'';
        if (is_wordish(k)) {
            int prev = k;
            while (j < n) {
                int next = sg->ascii[s[j]];
                if (is_wordish(next)) {
                    prev = next;
                    j++;
                } else if (j + 1 < n &&
                           holds_through(prev, next, sg->ascii[s[j + 1]])) {
                    apostrophe |= s[j] == '\'';
                    j += 2;
                } else {
                    break;
                }
            }
        }
        /* a lone '_' is no word; "__" is, as ICU has it */
        int is_word = is_wordish(k) && (k != WB_JOINER || j - i > 1);
        if (put(c, i, j, is_word, apostrophe, 0) != 0)
            return -1;
        i = j;
    }
}

/* ascii_piece for a piece with simple letters too: the same rules, over
 * characters of one to four bytes.  Kept apart from ascii_piece, whose
 * loop over ASCII text (the most of any text) the longer characters
 * would slow. */
static int64_t simple_piece(const segmenter *sg, const unsigned char *s,
                            uint32_t from, uint32_t n, cursor *c)
{
    uint32_t i = from;
    for (;;) {
        uint32_t ch = i < n ? char_at(sg, s, i, n) : CHAR(WB_SPACE, 0);
        int k = CLASS_OF(ch);
        if (k == WB_SPACE)
            return i;
        if (k == WB_NOT_ASCII)
            return NOT_ASCII;
        uint32_t j = i + LENGTH_OF(ch);
        int apostrophe = is_apostrophe(s, i, LENGTH_OF(ch));
        if (is_wordish(k)) {
            int prev = k;
            while (j < n) {
                uint32_t mid = char_at(sg, s, j, n), past = j + LENGTH_OF(mid);
                if (is_wordish(CLASS_OF(mid))) {
                    prev = CLASS_OF(mid);
                    j = past;
                    continue;
                }
                uint32_t after = past < n ? char_at(sg, s, past, n)
                                          : CHAR(WB_SPACE, 0);
                if (!holds_through(prev, CLASS_OF(mid), CLASS_OF(after)))
                    break;
                apostrophe |= is_apostrophe(s, j, LENGTH_OF(mid));
                j = past + LENGTH_OF(after);
            }
        }
        /* a lone '_' is no word; "__" is, as ICU has it */
        int is_word = is_wordish(k) && (k != WB_JOINER || j - i > 1);
        if (put(c, i, j, is_word, apostrophe, 0) != 0)
            return -1;
        i = j;
    }
}

/* U+202F NARROW NO-BREAK SPACE, which French puts inside « » and before
 * ; : ! ?.  Unicode gives it Word_Break=ExtendNumLet, so ICU glues it to
 * the word beside it: "\u202FOui\u202F", "France\u202F". */
static int is_nnbsp(const unsigned char *s)
{
    return s[0] == 0xE2 && s[1] == 0x80 && s[2] == 0xAF;
}

static int is_space_segment(const unsigned char *s, size_t n, int *newlines)
{
    size_t i = 0;
    while (i < n) {
        UChar32 c;
        U8_NEXT_OR_FFFD(s, i, n, c);
        if (c == '\n')
            (*newlines)++;
        else if (c < 0x80 ? c > ' ' && c != 0x7F
                          : !u_isUWhiteSpace(c) && !u_iscntrl(c))
            return 0;
    }
    return 1;
}

/* Is there an apostrophe, ' or ’, in s[0..n)? */
static int has_apostrophe(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] == '\'' || (s[i] == 0xE2 && i + 2 < n && s[i + 1] == 0x80 &&
                             s[i + 2] == 0x99))
            return 1;
    return 0;
}

/* The segments of s[from, to) by ICU. */
static int icu_piece(segmenter *sg, const char *text, uint32_t from,
                     uint32_t to, cursor *c, nertag_error *err)
{
    UErrorCode st = U_ZERO_ERROR;
    const unsigned char *s = (const unsigned char *)text + from;
    sg->text = utext_openUTF8(sg->text, (const char *)s, (int64_t)(to - from),
                              &st);
    ubrk_setUText(sg->words, sg->text, &st);
    if (U_FAILURE(st)) {
        err_set(err, NERTAG_ERR_ICU, "ICU: %s", u_errorName(st));
        return -1;
    }
    int32_t a = ubrk_first(sg->words), b;
    while ((b = ubrk_next(sg->words)) != UBRK_DONE) {
        if (is_space_segment(s + a, (size_t)(b - a), &c->newlines)) {
            c->space = 1;
        } else {
            /* the narrow spaces at its edges are spaces, not the word's */
            int32_t sa = a, sb = b, trail = 0;
            while (sb - sa >= 3 && is_nnbsp(s + sa)) {
                sa += 3;
                c->space = 1;
            }
            while (sb - sa >= 3 && is_nnbsp(s + sb - 3)) {
                sb -= 3;
                trail = 1;
            }
            int is_word = ubrk_getRuleStatus(sg->words) != UBRK_WORD_NONE;
            if (put(c, from + (uint32_t)sa, from + (uint32_t)sb, is_word,
                    has_apostrophe(s + sa, (size_t)(sb - sa)), trail) != 0) {
                err_set(err, NERTAG_ERR_NOMEM, "out of memory");
                return -1;
            }
        }
        a = b;
    }
    return 0;
}

/* ------------------------------------------------------------ the text */

/* Handing a stretch to ICU has a cost of its own, about that of breaking
 * a dozen bytes (measured on French text: 12 did better than 0 or 24): a
 * stretch goes on through the pieces the fast path could cut while a
 * character it cannot comes within this many bytes. */
#define ICU_GAP 12

/* The end of the stretch of text for ICU that starts with the piece at i:
 * that piece, the white space after it, and the pieces after that while
 * a character neither ASCII nor a simple letter comes within ICU_GAP
 * bytes; it ends where a piece starts, after white space, or at n. */
static uint32_t icu_stretch_end(const segmenter *sg, const unsigned char *s,
                                uint32_t i, uint32_t n)
{
    for (;;) {
        while (i < n && sg->ascii[s[i]] != WB_SPACE)
            i++;
        while (i < n && sg->ascii[s[i]] == WB_SPACE)
            i++;
        uint32_t limit = n - i < ICU_GAP ? n : i + ICU_GAP, j = i;
        while (j < limit) {
            uint32_t ch = char_at(sg, s, j, n);
            if (CLASS_OF(ch) == WB_NOT_ASCII)
                break;
            j += LENGTH_OF(ch);
        }
        if (j >= limit)
            return i;
    }
}

int segment_text(segmenter *sg, const char *text, size_t len,
                 unsigned flags, segment_vec *out, nertag_error *err)
{
    out->n = 0;
    cursor c = { out, 1, 0 };
    if (len > INT32_MAX) {
        /* ICU's break iterators report int32_t offsets */
        err_set(err, NERTAG_ERR_LIMIT, "document longer than %d bytes",
                INT32_MAX);
        return -1;
    }
    if (flags & SEGMENT_ICU_ONLY)
        return icu_piece(sg, text, 0, (uint32_t)len, &c, err);
    const unsigned char *s = (const unsigned char *)text;
    uint32_t n = (uint32_t)len, i = 0;
    while (i < n) {
        /* the white space before a piece, remembered in case ICU must see
         * it with the piece */
        uint32_t space_start = i;
        cursor before = c;
        for (; i < n && sg->ascii[s[i]] == WB_SPACE; i++) {
            c.newlines += s[i] == '\n';
            c.space = 1;
        }
        if (i == n)
            break;
        size_t kept = out->n;
        cursor at_piece = c;
        int64_t end = ascii_piece(sg, s, i, n, &c);
        if (end == NOT_ASCII) {
            /* again, with the simple letters */
            out->n = kept;
            c = at_piece;
            end = simple_piece(sg, s, i, n, &c);
        }
        if (end == -1) {
            err_set(err, NERTAG_ERR_NOMEM, "out of memory");
            return -1;
        }
        if (end == NOT_ASCII) {
            /* ICU takes the piece back from its white space */
            out->n = kept;
            c = before;
            end = icu_stretch_end(sg, s, i, n);
            if (icu_piece(sg, text, space_start, (uint32_t)end, &c, err) != 0)
                return -1;
        }
        i = (uint32_t)end;
    }
    return 0;
}
