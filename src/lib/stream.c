/* stream.c - one long document tagged through a window that moves over it.
 *
 * The text comes in pieces; when a window's worth is there, it is
 * tokenized and tagged, and the mentions of its whole sentences come out
 * with offsets in the whole document.  Its last sentence, which the next
 * piece may continue, is kept and tagged again with the next window.  What
 * a document knows beyond a sentence goes from one window to the next:
 *
 *   - the names it defined (rule-declared aliases, people's names and their
 *     parts), which apply to the rest of the document: they stay in the
 *     tagger, which indexes them as they come (names.c);
 *   - its language, chosen on the first window (or given);
 *   - the word lists its words have shown (document-has).
 *
 * Rules and gazetteer names never cross a sentence, so the mentions are
 * those of tagging the whole document at once, but for the language of a
 * document whose first window says otherwise than the whole, rules that
 * test document-has before the document shows its word, and a sentence
 * longer than 16 windows, which is cut.  The trace of a window's last
 * sentence comes again with the next window.  Memory stays that of one
 * window and the names the document defines, and a window costs the names
 * it adds, not all the names so far.
 */
#include "lib/internal.h"

#include <stdlib.h>
#include <string.h>

/* Small windows keep a window's tokens, annotations and words in the
 * processor's caches: 64 KB ran a 1 MB English text a quarter faster than
 * 1 MB windows, as fast as the same text cut into short documents. */
#define DEFAULT_WINDOW ((size_t)1 << 16)
/* A sentence longer than this many windows is cut all the same. */
#define MAX_SENTENCE_WINDOWS 16

struct nertag_stream {
    nertag_tagger *t;
    nertag_options opt;
    char *lang, *default_lang;   /* copies of the options' strings */
    size_t window;
    buf pending;               /* text not tagged yet, from byte_base on */
    size_t checked;            /* of pending: bytes known to be UTF-8 */
    size_t byte_base, cp_base, tok_base;
    size_t next_try;           /* one long sentence: tag again from here */
    int started;               /* the language is chosen */
    int lang_index;
    doc_lists lists;           /* word lists shown so far */
    int broken;                /* a failure left it unusable */
};

nertag_stream *nertag_stream_new(nertag_tagger *t, const nertag_options *opt,
                                 size_t window, nertag_error *err)
{
    err_clear(err);
    if (!t) {
        err_set(err, NERTAG_ERR_ARGUMENT, "no tagger");
        return NULL;
    }
    if (!options_known(opt, err))
        return NULL;
    nertag_stream *s = calloc(1, sizeof *s);
    if (s && opt) {
        s->opt = *opt;
        s->lang = opt->lang ? str_dup(opt->lang) : NULL;
        s->default_lang = opt->default_lang ? str_dup(opt->default_lang)
                                            : NULL;
        s->opt.lang = s->lang;
        s->opt.default_lang = s->default_lang;
    }
    if (!s || (opt && opt->lang && !s->lang) ||
        (opt && opt->default_lang && !s->default_lang)) {
        nertag_stream_free(s);
        err_set(err, NERTAG_ERR_NOMEM, "out of memory");
        return NULL;
    }
    s->t = t;
    s->window = window ? window : DEFAULT_WINDOW;
    return s;
}

void nertag_stream_free(nertag_stream *s)
{
    if (!s)
        return;
    free(s->lang);
    free(s->default_lang);
    buf_free(&s->pending);
    free(s);
}

/* ------------------------------------------------------------ text */

/* Checks the text added since the last check, up to end (or repairs it,
 * with NERTAG_TAG_REPLACE_INVALID). */
static int check_text(nertag_stream *s, size_t end, nertag_error *err)
{
    if (end == s->checked)   /* nothing new (perhaps no buffer yet) */
        return 0;
    const char *p = s->pending.data + s->checked;
    size_t n = end - s->checked;
    size_t bad = utf8_first_invalid(p, n);
    if (bad < n && !(s->opt.flags & NERTAG_TAG_REPLACE_INVALID)) {
        err_set(err, NERTAG_ERR_UTF8, p[bad] ? "invalid UTF-8"
                                             : "NUL byte in text");
        err_set_offset(err, (long long)(s->byte_base + s->checked + bad));
        return -1;
    }
    if (bad < n) {
        buf fixed = BUF_INIT;
        int rc = buf_append(&fixed, s->pending.data, s->checked) ||
                 utf8_replace_invalid(p, n, &fixed) ||
                 buf_append(&fixed, s->pending.data + end,
                            s->pending.len - end);
        if (rc != 0) {
            buf_free(&fixed);
            err_set(err, NERTAG_ERR_NOMEM, "out of memory");
            return -1;
        }
        end = fixed.len - (s->pending.len - end);
        buf_free(&s->pending);
        s->pending = fixed;
    }
    s->checked = end;
    return 0;
}

static uint32_t count_cps(const char *s, size_t n)
{
    uint32_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += ((unsigned char)s[i] & 0xC0) != 0x80;
    return k;
}

/* The code points of the window's text before token cut (before
 * cut_byte): the tokens count them already, up to the last one. */
static uint32_t cps_before(const nertag_tagger *t, uint32_t cut,
                           size_t cut_byte)
{
    const token_vec *tk = &t->doc.tokens;
    if (cut < tk->n)
        return tk->v[cut].cstart;
    if (!tk->n)
        return count_cps(t->doc.text, cut_byte);
    const token *last = &tk->v[tk->n - 1];
    return last->cend + count_cps(t->doc.text + last->bend,
                                  cut_byte - last->bend);
}

/* ------------------------------------------------------------ windows */

/* The token where the last sentence of the window starts, or 0 when the
 * window is one sentence. */
static uint32_t last_sentence(const nertag_tagger *t)
{
    const token_vec *tk = &t->doc.tokens;
    if (!tk->n)
        return 0;
    uint32_t last = tk->v[tk->n - 1].sentence, i = (uint32_t)tk->n;
    while (i > 0 && tk->v[i - 1].sentence == last)
        i--;
    return i;
}

/* Tags the window pending[0..len) and returns the mentions of its tokens
 * before the last sentence (all of them with final). */
static nertag_result *tag_window(nertag_stream *s, size_t len, int final,
                                 nertag_error *err)
{
    nertag_tagger *t = s->t;
    if (tokenize_text(&t->doc, s->pending.data ? s->pending.data : "", len,
                      err) != 0)
        return NULL;
    uint32_t cut = final ? (uint32_t)t->doc.tokens.n : last_sentence(t);
    if (!final && cut == 0 && len < MAX_SENTENCE_WINDOWS * s->window) {
        /* one sentence so far: wait for its end, a window more */
        s->next_try = len + s->window;
        return result_new();
    }
    if (!final && cut == 0)    /* no end in sight: cut before the last word */
        cut = t->doc.tokens.n > 1 ? (uint32_t)t->doc.tokens.n - 1 : 0;
    size_t cut_byte = cut < t->doc.tokens.n ? t->doc.tokens.v[cut].bstart : len;
    if (!s->started) {
        tagger_reset(t, &s->opt);
        if (tagger_choose_language(t, &s->opt, err) != 0)
            return NULL;
        s->lang_index = t->lang;
        s->started = 1;
    } else {
        tagger_next_window(t, &s->opt);   /* the names stay */
    }
    t->known_lists = s->lists;
    t->lang = s->lang_index;
    nertag_result *r = NULL;
    doc_offsets at = { s->byte_base, s->cp_base, s->tok_base };
    if (tagger_annotate(t, err) != 0 ||
        !(r = result_new()) || resolve_mentions(t, r, &at, err) != 0 ||
        names_next_window(t, cut) != 0) {
        nertag_result_free(r);
        if (!err || !err->code)
            err_set(err, NERTAG_ERR_NOMEM, "out of memory");
        return NULL;
    }
    result_window(r, cut, s->tok_base);
    doc_lists shown = rules_document_lists(t);
    s->lists.near |= shown.near;
    s->lists.far |= shown.far;
    s->cp_base += cps_before(t, cut, cut_byte);
    s->byte_base += cut_byte;
    s->tok_base += cut;
    if (cut_byte) {   /* (no text fed at all has no buffer yet) */
        memmove(s->pending.data, s->pending.data + cut_byte,
                s->pending.len - cut_byte);
        s->pending.len -= cut_byte;
        s->pending.data[s->pending.len] = '\0';
        s->checked -= cut_byte;
    }
    return r;
}

/* Tags what the window holds once it is full (or everything, at the
 * end). */
static nertag_result *advance(nertag_stream *s, int final, nertag_error *err)
{
    size_t end = s->pending.len;
    if (!final)
        end -= utf8_incomplete_tail(s->pending.data, s->pending.len);
    if (check_text(s, end, err) != 0)
        return NULL;
    if (!final && (s->checked < s->window || s->checked < s->next_try))
        return result_new();
    if (s->checked > INT32_MAX) {
        err_set(err, NERTAG_ERR_LIMIT, "a sentence longer than %d bytes",
                INT32_MAX);
        return NULL;
    }
    return tag_window(s, s->checked, final, err);
}

/* Adds the mentions of more to *all (more is freed); -1 out of memory. */
static int gather(nertag_result **all, nertag_result *more)
{
    if (!*all) {
        *all = more;
        return 0;
    }
    int rc = result_append(*all, more);
    nertag_result_free(more);
    return rc;
}

nertag_result *nertag_stream_feed(nertag_stream *s, const char *text,
                                  size_t len, nertag_error *err)
{
    err_clear(err);
    if (!s || s->broken || (!text && len)) {
        err_set(err, NERTAG_ERR_ARGUMENT, s && s->broken
                ? "the stream failed before" : "no stream or no text");
        return NULL;
    }
    /* a window's worth at a time, however long the piece: windows stay
     * small, for the caches, and memory bounded */
    nertag_result *all = NULL;
    size_t at = 0;
    do {
        size_t n = len - at < s->window ? len - at : s->window;
        int nomem = n && buf_append(&s->pending, text + at, n) != 0;
        nertag_result *r = nomem ? NULL : advance(s, 0, err);
        nomem = nomem || (r && gather(&all, r) != 0);
        if (nomem || !r) {
            if (nomem)
                err_set(err, NERTAG_ERR_NOMEM, "out of memory");
            nertag_result_free(all);
            s->broken = 1;
            return NULL;
        }
        at += n;
    } while (at < len);
    return all;
}

nertag_result *nertag_stream_finish(nertag_stream *s, nertag_error *err)
{
    err_clear(err);
    if (!s || s->broken) {
        err_set(err, NERTAG_ERR_ARGUMENT, s ? "the stream failed before"
                                            : "no stream");
        return NULL;
    }
    nertag_result *r = advance(s, 1, err);
    s->broken = 1;             /* a finished stream takes no more text */
    return r;
}
