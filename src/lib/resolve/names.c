/* names.c - the names a document defines, kept as the document goes on.
 *
 * A document's names (tagger->doc_aliases: the aliases rules declared, the
 * full names of people and their parts) are indexed by their first word,
 * and the people's names already claimed are remembered by their words, so
 * that the person named first keeps them.  Both grow as names come: a long
 * document read through windows (stream.c) keeps its names, their index
 * and its claims from one window to the next, and each window costs the
 * names it adds, not all the names of the document so far.
 *
 * Names defined in the last sentence of a window, which the next window
 * tags again, are retired (active nowhere, their claims given back); the
 * others are active from the start of the next window.  Their strings stay
 * in tagger->strings, which is compacted when mostly dead.
 */
#include "lib/internal.h"

#include <stdlib.h>
#include <string.h>

/* The filter has 16 bits per first word, so that few tokens pass it for
 * nothing; a new document starts again from the smallest. */
#define FILTER_MIN_BITS 4096
/* A retired name: active from no token on. */
#define RETIRED UINT32_MAX

struct doc_names {
    uint64_t *filter;      /* bit (hash of a first word): some name starts
                           with it */
    size_t filter_bits;    /* a power of two */
    strtab first;          /* folded first word -> key */
    u32_vec head, tail;    /* key -> first and last name, or NONE32 */
    u32_vec next;          /* name -> next name of the same key, in order */
    size_t indexed;        /* names indexed so far */
    size_t uncapped;       /* of them, names whose first word may be
                              written without a capital */
    strtab claimed;        /* the words of people's names ("mao ning ") */
    u32_vec claims;        /* per claimed key: names holding it */
    size_t settled;        /* names before this are active or retired */
    size_t live_strings;   /* bytes of tagger->strings after compaction */
};

static void index_clear(doc_names *nm)
{
    if (nm->filter_bits > FILTER_MIN_BITS) {
        free(nm->filter);
        nm->filter = NULL;
        nm->filter_bits = 0;
    }
    if (nm->filter)
        memset(nm->filter, 0, nm->filter_bits / 8);
    strtab_clear(&nm->first);
    nm->head.n = nm->tail.n = nm->next.n = 0;
    nm->indexed = nm->uncapped = 0;
}

void names_free(doc_names *nm)
{
    if (!nm)
        return;
    free(nm->filter);
    strtab_free(&nm->first);
    u32_vec_free(&nm->head);
    u32_vec_free(&nm->tail);
    u32_vec_free(&nm->next);
    strtab_free(&nm->claimed);
    u32_vec_free(&nm->claims);
    free(nm);
}

doc_names *names_new(void)
{
    return calloc(1, sizeof(doc_names));
}

void names_reset(nertag_tagger *t)
{
    doc_names *nm = t->names;
    t->doc_aliases.n = 0;
    t->alias_ids.n = 0;
    index_clear(nm);
    strtab_clear(&nm->claimed);
    nm->claims.n = 0;
    nm->settled = 0;
    nm->live_strings = 0;
}

/* ------------------------------------------------------------ index */

static const char *first_word(const nertag_tagger *t, const doc_alias *da)
{
    return tagger_str(t, t->alias_ids.v[da->first_tok]);
}

static void filter_set(doc_names *nm, const char *w, size_t len)
{
    uint32_t h = (uint32_t)hash_bytes(w, len) & (uint32_t)(nm->filter_bits - 1);
    nm->filter[h / 64] |= (uint64_t)1 << (h % 64);
}

/* Makes the filter big enough for words first words, again from the
 * index's words when it grows. */
static int filter_fit(doc_names *nm, size_t words)
{
    size_t bits = nm->filter_bits ? nm->filter_bits : FILTER_MIN_BITS;
    while (bits < 16 * words && bits < ((size_t)1 << 24))
        bits *= 2;
    if (bits == nm->filter_bits)
        return 0;
    uint64_t *f = calloc(bits / 64, sizeof *f);
    if (!f)
        return -1;
    free(nm->filter);
    nm->filter = f;
    nm->filter_bits = bits;
    for (uint32_t key = 0; key < nm->first.count; key++)
        filter_set(nm, strtab_get(&nm->first, key), strtab_len(&nm->first, key));
    return 0;
}

int names_index(nertag_tagger *t)
{
    doc_names *nm = t->names;
    size_t n = t->doc_aliases.n;
    if (u32_vec_reserve(&nm->next, n + 1) != 0 ||
        filter_fit(nm, nm->first.count + (n - nm->indexed)) != 0)
        return -1;
    for (size_t k = nm->indexed; k < n; k++) {
        const char *w = first_word(t, &t->doc_aliases.v[k]);
        nm->uncapped += !t->doc_aliases.v[k].need_cap;
        size_t len = strlen(w);
        filter_set(nm, w, len);
        size_t before = nm->first.count;
        uint32_t key = strtab_intern(&nm->first, w, len);
        if (key == STRTAB_NONE ||
            (key == before && (u32_vec_push(&nm->head, NONE32) != 0 ||
                               u32_vec_push(&nm->tail, NONE32) != 0)))
            return -1;
        /* appended at the end of its chain: chains list names in order */
        nm->next.v[k] = NONE32;
        if (nm->tail.v[key] == NONE32)
            nm->head.v[key] = (uint32_t)k;
        else
            nm->next.v[nm->tail.v[key]] = (uint32_t)k;
        nm->tail.v[key] = (uint32_t)k;
    }
    nm->next.n = n;
    nm->indexed = n;
    return 0;
}

uint32_t names_at(const nertag_tagger *t, uint32_t pos)
{
    const doc_names *nm = t->names;
    /* most tokens start no name: the filter says so without a lookup,
     * and, up to 2^16 bits, without the surface's record */
    uint32_t mask = (uint32_t)(nm->filter_bits - 1);
    uint32_t h = mask <= UINT16_MAX ? t->doc.tokens.v[pos].hash16 & mask
                 : token_surface(&t->doc, pos)->norm_hash & mask;
    if (!nm->filter || !(nm->filter[h / 64] >> (h % 64) & 1))
        return NONE32;
    size_t len;
    const char *w = token_norm(&t->doc, pos, &len);
    uint32_t key = strtab_find(&nm->first, w, len);
    return key == STRTAB_NONE ? NONE32 : nm->head.v[key];
}

int names_need_capital(const nertag_tagger *t)
{
    return t->names->uncapped == 0;
}

uint32_t names_next(const nertag_tagger *t, uint32_t k)
{
    return t->names->next.v[k];
}

/* ------------------------------------------------------------ claims */

int names_claim(nertag_tagger *t, const char *key, size_t n)
{
    doc_names *nm = t->names;
    size_t before = nm->claimed.count;
    uint32_t id = strtab_intern(&nm->claimed, key, n);
    if (id == STRTAB_NONE ||
        (id == before && u32_vec_push(&nm->claims, 0) != 0))
        return -1;
    if (nm->claims.v[id])
        return 0;
    nm->claims.v[id] = 1;
    return 1;
}

/* The key of a person's name: its folded words, each followed by a space
 * (as add_name_alias in resolve.c makes it). */
static int name_key(const nertag_tagger *t, const doc_alias *da, buf *key)
{
    buf_clear(key);
    for (uint32_t i = 0; i < da->ntok; i++)
        if (buf_puts(key, tagger_str(t, t->alias_ids.v[da->first_tok + i])) ||
            buf_putc(key, ' '))
            return -1;
    return 0;
}

/* ------------------------------------------------------------ windows */

static int keep_string(const nertag_tagger *t, uint32_t *off, buf *to)
{
    if (*off == NONE32)
        return 0;
    const char *s = tagger_str(t, *off);
    *off = (uint32_t)to->len;
    return buf_append(to, s, strlen(s) + 1);
}

/* Keeps only the names still active, and their strings; the index is
 * made again from them. */
static int compact(nertag_tagger *t)
{
    buf strings = BUF_INIT;
    u32_vec ids = { 0 };
    size_t kept = 0;
    int rc = 0;
    for (size_t k = 0; rc == 0 && k < t->doc_aliases.n; k++) {
        doc_alias da = t->doc_aliases.v[k];
        if (da.after == RETIRED)
            continue;
        uint32_t first = (uint32_t)ids.n;
        for (uint32_t i = 0; rc == 0 && i < da.ntok; i++) {
            uint32_t w = t->alias_ids.v[da.first_tok + i];
            rc = keep_string(t, &w, &strings) || u32_vec_push(&ids, w);
        }
        da.first_tok = first;
        rc = rc || keep_string(t, &da.ent.canonical, &strings) ||
             keep_string(t, &da.ent.id, &strings) ||
             keep_string(t, &da.ent.for_, &strings) ||
             keep_string(t, &da.source_text, &strings);
        t->doc_aliases.v[kept++] = da;   /* k >= kept: read before */
    }
    if (rc != 0) {
        buf_free(&strings);
        u32_vec_free(&ids);
        return -1;
    }
    buf_free(&t->strings);
    t->strings = strings;
    u32_vec_free(&t->alias_ids);
    t->alias_ids = ids;
    t->doc_aliases.n = kept;
    t->names->settled = kept;
    t->names->live_strings = strings.len;
    index_clear(t->names);
    return names_index(t);
}

int names_next_window(nertag_tagger *t, uint32_t cut)
{
    doc_names *nm = t->names;
    buf key = BUF_INIT;
    int rc = 0;
    /* the names before nm->settled came in earlier windows */
    for (size_t k = nm->settled; rc == 0 && k < t->doc_aliases.n; k++) {
        doc_alias *da = &t->doc_aliases.v[k];
        if (da->after <= cut) {
            da->after = 0;
            continue;
        }
        /* defined in the sentence the next window tags again */
        if (da->rule == NONE32 && (rc = name_key(t, da, &key)) == 0) {
            uint32_t id = strtab_find(&nm->claimed, key.data, key.len);
            if (id != STRTAB_NONE && nm->claims.v[id])
                nm->claims.v[id] = 0;
        }
        da->after = RETIRED;
    }
    buf_free(&key);
    nm->settled = t->doc_aliases.n;
    /* the strings of a window's mentions are dead once it is done */
    if (rc == 0 && t->strings.len > ((size_t)1 << 22) + 2 * nm->live_strings)
        rc = compact(t);
    return rc;
}
