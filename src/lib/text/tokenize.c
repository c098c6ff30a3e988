/* tokenize.c - splitting text into tokens and sentences.
 *
 * The word segments of ICU's word break rules (segment.c, byte offsets in
 * the UTF-8 text) are adjusted to what news text needs:
 *
 *   - hyphenated words are kept whole: "Nouvelle-Zélande", "porte-parole";
 *   - French elisions are split off: "l'alerte" -> "l'" "alerte", with the
 *     elided words listed in the models/CODE.lang files;
 *   - clitics are split off: English "Britain's" -> "Britain" "'s" (the
 *     clitics listed in the CODE.lang files too);
 *   - abbreviations keep their period: "M.", "Corp.", "U.S.", initials "J.".
 *
 * Sentences start after ". ! ? …" (not after an abbreviation) and after a
 * blank line; the first word of a sentence carries TF_SSTART.  Doing this on
 * the tokens costs almost nothing, where a second ICU pass would double the
 * time spent breaking text.
 */
#include "lib/internal.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>

int document_open(document *d, const struct nertag_model *m,
                  nertag_error *err)
{
    memset(d, 0, sizeof *d);
    d->model = m;
    d->segmenter = segmenter_new(err);
    return d->segmenter ? 0 : -1;
}

void document_close(document *d)
{
    segmenter_free(d->segmenter);
    segment_vec_free(&d->segs);
    buf_free(&d->owned_text);
    token_vec_free(&d->tokens);
    buf_free(&d->forms);
    strtab_free(&d->surfaces);
    surface_vec_free(&d->surface_info);
    buf_free(&d->scratch);
    memset(d, 0, sizeof *d);
}

/* ------------------------------------------------------------ shapes */

uint16_t token_shape_flags(const char *text, size_t n)
{
    const unsigned char *s = (const unsigned char *)text;
    uint16_t f = 0;
    int letters = 0, upper = 0, lower = 0, first_letter = 1;
    size_t i = 0;
    while (i < n) {
        uint32_t c = s[i];
        int is_upper, is_lower;
        if (c < 0x80) {     /* ASCII: what ICU would say, without asking */
            i++;
            is_upper = c >= 'A' && c <= 'Z';
            is_lower = c >= 'a' && c <= 'z';
            if (!is_upper && !is_lower) {
                if (c >= '0' && c <= '9')
                    f |= TF_DIGIT;
                continue;
            }
        } else {
            i += utf8_decode(s + i, &c);
            if (!u_isalpha((UChar32)c)) {
                if (u_isdigit((UChar32)c))
                    f |= TF_DIGIT;
                continue;
            }
            is_upper = u_isupper((UChar32)c) || u_istitle((UChar32)c);
            is_lower = !is_upper && u_islower((UChar32)c);
        }
        letters++;
        if (is_upper) {
            upper++;
            if (first_letter)
                f |= TF_CAP;
        } else if (is_lower) {
            lower++;
        }
        first_letter = 0;
    }
    if (letters) {
        f |= TF_ALPHA;
        if (upper && !lower)
            f |= TF_UPPER;
        if (lower && !upper)
            f |= TF_LOWER;
        if (upper >= 2 && !lower && n <= 6 && !memchr(text, '.', n))
            f |= TF_ACRONYM;
    }
    if (!letters && (f & TF_DIGIT)) {
        size_t k = 0;
        while (k < n && s[k] >= '0' && s[k] <= '9')
            k++;
        if (k == n)
            f |= TF_NUMBER;
    }
    if (!letters && !(f & TF_DIGIT)) {
        f |= TF_PUNCT;
        uint32_t c;
        size_t l = n ? utf8_decode(s, &c) : 0;
        if (l == n && n && (u_hasBinaryProperty((UChar32)c, UCHAR_QUOTATION_MARK)))
            f |= TF_QUOTE;
    }
    return f;
}

/* ------------------------------------------------------------ segments */

/* ------------------------------------------------------------ adjustments */

static int is_hyphen(const char *s, size_t n)
{
    return (n == 1 && s[0] == '-') ||
           (n == 3 && (memcmp(s, "\xE2\x80\x90", 3) == 0 ||   /* U+2010 */
                       memcmp(s, "\xE2\x80\x91", 3) == 0));   /* U+2011 */
}

/* Length of the apostrophe at s (' or ’), or 0. */
static size_t apostrophe_at(const char *s, size_t n)
{
    if (n >= 1 && s[0] == '\'')
        return 1;
    if (n >= 3 && memcmp(s, "\xE2\x80\x99", 3) == 0)
        return 3;
    return 0;
}

/* 1 when the folded s[0..n) is in set, 0 when not, -1 out of memory (not
 * "no": that would cut the text differently). */
static int in_folded_set(document *d, const strtab *set,
                         const char *s, size_t n)
{
    if (!set->count || n > 32)
        return 0;
    buf_clear(&d->scratch);
    if (fold_append(s, n, 0, &d->scratch) != 0)
        return -1;
    return strtab_find(set, d->scratch.data, d->scratch.len) != STRTAB_NONE;
}

/* Number of code points of s[0..n). */
/* Code points in valid UTF-8: the bytes that are not continuation bytes
 * (10xxxxxx), counted eight at a time. */
static uint32_t count_cps(const char *s, size_t n)
{
    const uint64_t high = 0x8080808080808080ULL;
    size_t i = 0, cont = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        /* one bit per continuation byte, summed by a multiplication */
        uint64_t bits = (w & ~(w << 1) & high) >> 7;
        cont += (size_t)((bits * 0x0101010101010101ULL) >> 56);
    }
    for (; i < n; i++)
        cont += ((unsigned char)s[i] & 0xC0) == 0x80;
    return (uint32_t)(n - cont);
}

/* Should a period right after the word s[0..n) stay with it?  -1 out of
 * memory. */
static int keeps_period(document *d, const char *s, size_t n)
{
    if (memchr(s, '.', n))          /* "U.S" of "U.S." */
        return 1;
    if (count_cps(s, n) == 1 && (token_shape_flags(s, n) & TF_UPPER))
        return 1;                   /* an initial: "J. Smith" */
    return in_folded_set(d, &d->model->tok.abbreviations, s, n);
}

/* The hashes of the segments just ahead (prefetch_surface), by segment
 * number: most will be the texts of the next tokens. */
#define AHEAD_SLOTS 8
typedef struct segment_hash {
    uint32_t start, end;
    uint64_t hash;
} segment_hash;

typedef struct emitter {
    document *d;
    uint32_t cpos, bpos;            /* code point count up to bpos */
    uint32_t sentence;
    int sentence_pending;           /* the next word starts a sentence */
    int word_seen;                  /* this sentence has had a word */
    size_t segment;                 /* the number of the segment at hand */
    segment_hash ahead[AHEAD_SLOTS];
} emitter;

/* An emitter at the start of document d, with no hash ahead: an empty
 * slot's start, past any text, matches no token (not even an empty one
 * at 0). */
static void emitter_init(emitter *em, document *d)
{
    memset(em, 0, sizeof *em);
    em->d = d;
    for (size_t k = 0; k < AHEAD_SLOTS; k++)
        em->ahead[k].start = UINT32_MAX;
}

static int is_terminal(const char *s, size_t n)
{
    return (n == 1 && (s[0] == '.' || s[0] == '!' || s[0] == '?')) ||
           (n == 3 && memcmp(s, "\xE2\x80\xA6", 3) == 0) ||  /* … */
           (n == 3 && memcmp(s, "...", 3) == 0);
}

static int is_closing(const char *s, size_t n)
{
    return (n == 1 && (s[0] == '"' || s[0] == ')' || s[0] == ']' ||
                       s[0] == '\'')) ||
           (n == 2 && memcmp(s, "\xC2\xBB", 2) == 0) ||      /* » */
           (n == 3 && (memcmp(s, "\xE2\x80\x9D", 3) == 0 ||   /* ” */
                       memcmp(s, "\xE2\x80\x99", 3) == 0));   /* ’ */
}

/* A folded word ending in a clitic ("'s", a token given whole, as CoNLL
 * files may): the lexicon id of the word without it, or NONE32.  Running
 * text never needs it, the clitic is split off there. */
static uint32_t possessive_base(const document *d, const char *norm, size_t n)
{
    const char *ap = NULL;
    for (size_t i = n; !ap && i-- > 1;)
        if (norm[i - 1] == '\'')
            ap = norm + i - 1;
    if (!ap || ap == norm ||
        strtab_find(&d->model->tok.clitics, ap + 1,
                    (size_t)(norm + n - ap - 1)) == STRTAB_NONE)
        return NONE32;
    return strtab_find(&d->model->lexicon, norm, (size_t)(ap - norm));
}

_Static_assert(sizeof(surface_info) == 64, "a surface's record is a line");

/* Room for need records in v, whose array starts on a cache line, so that
 * each 64-byte record lies on one line (aligned_alloc; realloc only
 * promises 16 bytes). */
static int reserve_surfaces(surface_vec *v, size_t need)
{
    enum { LINE = 64 };
    if (need <= v->cap)
        return 0;
    size_t cap = v->cap ? v->cap : 256;
    while (cap < need)
        cap *= 2;
    if (cap > SIZE_MAX / sizeof *v->v / 2)
        return -1;
    surface_info *p = aligned_alloc(LINE, cap * sizeof *v->v);
    if (!p)
        return -1;
    if (v->n)
        memcpy(p, v->v, v->n * sizeof *v->v);
    free(v->v);
    v->v = p;
    v->cap = cap;
    return 0;
}

/* The surface of text s[0..n), inside the document's text: found, or
 * added with its folded forms.  Its hash may have been computed ahead. */
static uint32_t surface_of(emitter *em, const char *s, size_t n)
{
    document *d = em->d;
    uint32_t b = (uint32_t)(s - d->text), id;
    const segment_hash *sh = &em->ahead[em->segment % AHEAD_SLOTS];
    /* most tokens have 8 bytes of text after them, read with the token */
    if ((size_t)b + n + 8 > d->len)
        id = strtab_find(&d->surfaces, s, n);
    else if (sh->start == b && sh->end == b + n)
        id = strtab_find_hashed_in_text(&d->surfaces, s, n, sh->hash);
    else
        id = strtab_find_in_text(&d->surfaces, s, n);
    if (id != STRTAB_NONE)
        return id;
    surface_info si;
    memset(&si, 0, sizeof si);
    si.lower_off = (uint32_t)d->forms.len;
    if (fold_append(s, n, 1, &d->forms) != 0 || buf_putc(&d->forms, 0) != 0)
        return NONE32;
    si.lower_len = (uint32_t)(d->forms.len - 1 - si.lower_off);
    if (fold_append(s, n, 0, &d->forms) != 0 || buf_putc(&d->forms, 0) != 0)
        return NONE32;
    const char *norm = d->forms.data + surface_norm_off(&si);
    si.norm_len = (uint32_t)(d->forms.data + d->forms.len - 1 - norm);
    si.norm_hash = (uint32_t)hash_bytes(norm, si.norm_len);
    si.norm_id = strtab_find(&d->model->lexicon, norm, si.norm_len);
    si.base_id = possessive_base(d, norm, si.norm_len);
    si.stem_lang = STEM_UNKNOWN;
    si.shape = token_shape_flags(s, n);
    si.ncp = count_cps(s, n);
    const language_data *ld = &d->model->lang;
    if (si.norm_id != NONE32 && si.norm_id < ld->count && ld->mask[si.norm_id])
        si.shape |= TF_FUNCTION;
    /* room for the info before the text is interned: a surface without
     * its info would be found by the next document and read past the end
     * of surface_info */
    if (reserve_surfaces(&d->surface_info, d->surface_info.n + 1) != 0)
        return NONE32;
    id = strtab_intern(&d->surfaces, s, n);
    if (id == STRTAB_NONE)
        return NONE32;
    d->surface_info.v[d->surface_info.n++] = si;
    return id;
}

/* Adds the token text[b..e). */
static int emit(emitter *em, uint32_t b, uint32_t e, int space_before,
                int para_before, uint16_t extra)
{
    document *d = em->d;
    const char *s = d->text + b;
    size_t n = e - b;
    /* the gap since the last token: mostly one space */
    em->cpos += b - em->bpos == 1 ? 1 : count_cps(d->text + em->bpos,
                                                  b - em->bpos);

    uint32_t sid = surface_of(em, s, n);
    if (sid == NONE32)
        return -1;
    const surface_info *si = &d->surface_info.v[sid];
    uint16_t f = si->shape | extra;
    if (space_before)
        f |= TF_SPACE;
    if (para_before && em->word_seen)
        em->sentence_pending = 1;
    /* closing quotes and more final punctuation ("?!", "...") stay in the
     * sentence they end */
    if (em->sentence_pending &&
        !(f & TF_PUNCT && (is_closing(s, n) || is_terminal(s, n)))) {
        if (em->word_seen)
            em->sentence++;
        em->sentence_pending = 0;
        em->word_seen = 0;
    }
    if (!(f & TF_PUNCT) && !em->word_seen) {
        f |= TF_SSTART;
        em->word_seen = 1;
    }
    if ((f & TF_PUNCT) && is_terminal(s, n))
        em->sentence_pending = 1;

    token tk;
    memset(&tk, 0, sizeof tk);
    tk.bstart = b;
    tk.bend = e;
    tk.cstart = em->cpos;
    tk.cend = em->cpos + si->ncp;
    /* the next token counts from here */
    em->cpos = tk.cend;
    em->bpos = e;
    tk.flags = f;
    tk.sentence = em->sentence;
    tk.surface = sid;
    tk.stem_id = NONE32;
    tk.norm_id = si->norm_id;
    tk.hash16 = (uint16_t)si->norm_hash;
    return token_vec_push(&d->tokens, tk);
}

/* Forgets the surfaces when they take too much room: at the start of a
 * document only, since tokens point into them. */
#define MAX_SURFACES 500000
static void trim_surfaces(document *d)
{
    if (d->surfaces.count < MAX_SURFACES)
        return;
    strtab_free(&d->surfaces);
    d->surface_info.n = 0;
    d->surfaces_forgotten++;
    buf_clear(&d->forms);
}

/* Emits a word, splitting off a French elision ("l'", "qu'") or an English
 * possessive ("'s") when there is one: only a word with an apostrophe (as
 * its segments say) can have one. */
static int emit_word(emitter *em, uint32_t b, uint32_t e, int space,
                     int para, uint16_t extra, int apostrophe)
{
    const char *s = em->d->text;
    if (!apostrophe)
        return emit(em, b, e, space, para, extra);
    for (uint32_t i = b + 1; i < e; i++) {
        /* the first byte of ' or ’ */
        if (s[i] != '\'' && s[i] != '\xE2')
            continue;
        size_t ap = apostrophe_at(s + i, e - i);
        if (!ap)
            continue;
        int elided = i + ap < e
            ? in_folded_set(em->d, &em->d->model->tok.elisions, s + b, i - b)
            : 0;
        if (elided < 0)
            return -1;
        if (elided) {
            if (emit(em, b, i + (uint32_t)ap, space, para, 0) != 0)
                return -1;
            return emit_word(em, i + (uint32_t)ap, e, 0, 0, extra, 1);
        }
        int clitic = !elided && i + ap < e
            ? in_folded_set(em->d, &em->d->model->tok.clitics, s + i + ap,
                            e - i - ap)
            : 0;
        if (clitic < 0)
            return -1;
        if (clitic) {
            if (emit(em, b, i, space, para, 0) != 0)
                return -1;
            return emit(em, i, e, 0, 0, 0);
        }
        break;
    }
    return emit(em, b, e, space, para, extra);
}

/* How many segments ahead the surface of a segment is looked for in
 * memory (prefetch_surface): about the time of one miss. */
#define SURFACE_AHEAD 4

/* Hashes segment k, if any, which will most often be a token's text, and
 * starts loading its slot of the surfaces' table. */
static void prefetch_surface(emitter *em, const segment_vec *segs, size_t k)
{
    const document *d = em->d;
    if (k >= segs->n || (size_t)segs->v[k].end + 8 > d->len)
        return;
    const segment *g = &segs->v[k];
    segment_hash *sh = &em->ahead[k % AHEAD_SLOTS];
    *sh = (segment_hash){ g->start, g->end,
                          strtab_hash_in_text(d->text + g->start,
                                              g->end - g->start) };
    strtab_prefetch(&d->surfaces, sh->hash);
}

static int adjust_segments(document *d, const segment_vec *segs,
                           nertag_error *err)
{
    emitter em;
    emitter_init(&em, d);
    const char *s = d->text;
    for (size_t k = 0; k < SURFACE_AHEAD; k++)
        prefetch_surface(&em, segs, k);
    for (size_t i = 0; i < segs->n; i++) {
        const segment *g = &segs->v[i];
        uint32_t end = g->end;
        prefetch_surface(&em, segs, i + SURFACE_AHEAD);
        em.segment = i;
        uint16_t extra = 0;
        int apostrophe = g->apostrophe;
        /* a lone clitic "'s" (in rule literals) is one token, as in
         * "Britain's" */
        if (!g->is_word && apostrophe_at(s + g->start, end - g->start) ==
                end - g->start && i + 1 < segs->n &&
            segs->v[i + 1].start == end && segs->v[i + 1].is_word) {
            int clitic = in_folded_set(d, &d->model->tok.clitics, s + end,
                                       segs->v[i + 1].end - end);
            if (clitic < 0) {
                err_set(err, NERTAG_ERR_NOMEM, "out of memory");
                return -1;
            }
            if (clitic) {
                end = segs->v[++i].end;
            }
        }
        if (g->is_word) {
            /* word-hyphen-word with no space: one token */
            while (i + 2 < segs->n && segs->v[i + 1].start == end &&
                   is_hyphen(s + end, segs->v[i + 1].end - end) &&
                   segs->v[i + 2].start == segs->v[i + 1].end &&
                   segs->v[i + 2].is_word) {
                end = segs->v[i + 2].end;
                apostrophe |= segs->v[i + 2].apostrophe;
                i += 2;
            }
            const segment *next = i + 1 < segs->n &&
                segs->v[i + 1].start == end ? &segs->v[i + 1] : NULL;
            int period = next && next->end == end + 1 && s[end] == '.'
                ? keeps_period(d, s + g->start, end - g->start) : 0;
            int elision = !period && next &&
                apostrophe_at(s + end, next->end - end) == next->end - end
                ? in_folded_set(d, &d->model->tok.elisions, s + g->start,
                                end - g->start) : 0;
            if (period < 0 || elision < 0) {
                err_set(err, NERTAG_ERR_NOMEM, "out of memory");
                return -1;
            }
            if (period) {
                end++;
                i++;
                extra = TF_ABBREV;
            } else if (elision) {
                /* an elision followed by a space or nothing: "l' " */
                end = segs->v[++i].end;
            }
        }
        /* a word with no apostrophe, most words, is one token */
        int rc = g->is_word && apostrophe
            ? emit_word(&em, g->start, end, g->space_before, g->para_before,
                        extra, apostrophe)
            : emit(&em, g->start, end, g->space_before, g->para_before,
                   g->is_word ? extra : 0);
        if (rc != 0) {
            err_set(err, NERTAG_ERR_NOMEM, "out of memory");
            return -1;
        }
    }
    return 0;
}

int tokenize_text(document *d, const char *text, size_t len,
                  nertag_error *err)
{
    d->text = text;
    d->len = len;
    d->tokens.n = 0;
    trim_surfaces(d);
    if (segment_text(d->segmenter, text, len, 0, &d->segs, err) != 0)
        return -1;
    return adjust_segments(d, &d->segs, err);
}

/* Is the given token s[0..n) a word with the period it keeps, as running
 * text would have made it ("J.", "U.S.", "Corp.")?  -1 out of memory. */
static int given_abbreviation(document *d, const char *s, size_t n)
{
    if (n < 2 || s[n - 1] != '.')
        return 0;
    unsigned char first = (unsigned char)s[0];
    if (first < 0x80 && !isalnum(first))
        return 0;               /* "...", "-." */
    return keeps_period(d, s, n - 1);
}

int tokenize_given(document *d, const nertag_token_in *in,
                   size_t count, nertag_error *err)
{
    buf_clear(&d->owned_text);
    d->tokens.n = 0;
    trim_surfaces(d);
    /* The tokens are joined by spaces into one text, so that offsets and
     * mention texts work as for running text. */
    for (size_t i = 0; i < count; i++) {
        if ((i && buf_putc(&d->owned_text, ' ') != 0) ||
            buf_append(&d->owned_text, in[i].text, in[i].len) != 0) {
            err_set(err, NERTAG_ERR_NOMEM, "out of memory");
            return -1;
        }
        if (d->owned_text.len > INT32_MAX) {
            err_set(err, NERTAG_ERR_LIMIT, "document longer than %d bytes",
                    INT32_MAX);
            return -1;
        }
    }
    d->text = d->owned_text.data ? d->owned_text.data : "";
    d->len = d->owned_text.len;
    emitter em;
    emitter_init(&em, d);
    uint32_t pos = 0;
    for (size_t i = 0; i < count; i++) {
        if (in[i].sentence_start && i)
            em.sentence_pending = 1;
        int abbrev = given_abbreviation(d, in[i].text, in[i].len);
        if (abbrev < 0 ||
            emit(&em, pos, pos + (uint32_t)in[i].len, i > 0, 0,
                 abbrev ? TF_ABBREV : 0) != 0) {
            err_set(err, NERTAG_ERR_NOMEM, "out of memory");
            return -1;
        }
        /* sentence breaks come from the input only */
        em.sentence_pending = 0;
        pos += (uint32_t)in[i].len + 1;
    }
    return 0;
}
