/* gazetteer.c - finding the aliases of known entities in a text.
 *
 * Each token's folded form was looked up in the lexicon once by the
 * tokenizer; from every token, the alias trie (gazetteer-load.c) is walked
 * as long as there is a transition, and every alias ending on the way
 * becomes an annotation.  The cost is one hash probe per token and step,
 * whatever the gazetteer's size.
 */
#include "lib/internal.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ the trie */

/* The slot of the transition (node, id): the one holding it, or the empty
 * slot where it would go. */
size_t trie_find_slot(const gazetteer *g, uint32_t node, uint32_t id)
{
    uint64_t key = (uint64_t)node << 32 | id;
    size_t i = (size_t)hash_bytes(&key, sizeof key) & (g->nslots - 1);
    while (g->slots[i].from &&
           (g->slots[i].from != node + 1 || g->slots[i].id != id))
        i = (i + 1) & (g->nslots - 1);
    return i;
}

/* The child of node on id, or NONE32. */
uint32_t trie_child(const gazetteer *g, uint32_t node, uint32_t id)
{
    if (!g->nslots)
        return NONE32;
    const trie_slot *s = &g->slots[trie_find_slot(g, node, id)];
    return s->from ? s->child : NONE32;
}

const char *gaz_str(const gazetteer *g, uint32_t off)
{
    return off == NONE32 ? "" : g->strings.data + off;
}

void gazetteer_free(gazetteer *g)
{
    gaz_entry_vec_free(&g->entries);
    gaz_alias_vec_free(&g->aliases);
    buf_free(&g->strings);
    strtab_free(&g->entry_keys);
    free(g->slots);
    trie_node_vec_free(&g->nodes);
    u64_vec_free(&g->first_words);
    u64_vec_free(&g->next_words);
    memset(g, 0, sizeof *g);
}

/* ------------------------------------------------------------ matching */

/* Bytes of the clitic glued to the end of token text s[0..n) ("'s",
 * "’s"): from its last apostrophe on, or 0. */
static size_t possessive_bytes(const char *s, size_t n)
{
    for (size_t i = n; i-- > 0;) {
        if (s[i] == '\'')
            return n - i;
        if (i + 3 <= n && !memcmp(s + i, "\xE2\x80\x99", 3))
            return n - i;
    }
    return 0;
}

/* Do tokens [from, to) have the capitals the alias wants?  With
 * possessive, the last token's glued "'s" is not part of the alias. */
static int case_matches(struct nertag_tagger *t, const gaz_alias *a,
                        uint32_t from, uint32_t to, int possessive)
{
    const token *tk = t->doc.tokens.v;
    if (a->flags & ALF_EXACT) {
        const char *want = gaz_str(&t->model->gaz, a->surface);
        size_t pos = 0;
        for (uint32_t i = from; i < to; i++) {
            const char *w = t->doc.text + tk[i].bstart;
            size_t n = tk[i].bend - tk[i].bstart;
            if (possessive && i + 1 == to)
                n -= possessive_bytes(w, n);
            if ((i > from && want[pos++] != ' ') || strncmp(want + pos, w, n))
                return 0;
            pos += n;
        }
        return want[pos] == '\0';
    }
    if (a->flags & ALF_CAPITAL)
        for (uint32_t i = 0; i < to - from && i < 32; i++)
            if ((a->caps >> i & 1) && !(tk[from + i].flags & (TF_CAP | TF_UPPER)))
                return 0;
    return 1;
}

/* An alias marked with languages is looked for in those only. */
static int lang_matches(const struct nertag_tagger *t, uint32_t langs)
{
    return !langs || (t->lang >= 0 && (langs >> t->lang & 1));
}

/* Is the bit of lexicon id set in bits (first_words, next_words)? */
static int has_word_bit(const u64_vec *bits, uint32_t id)
{
    return id != NONE32 && id / 64 < bits->n &&
           (bits->v[id / 64] >> (id % 64) & 1);
}

uint32_t gazetteer_first_node(const gazetteer *g, uint32_t lexicon_id)
{
    /* most words start no alias: one bit says so, before the trie */
    return has_word_bit(&g->first_words, lexicon_id)
        ? trie_child(g, 0, lexicon_id) : NONE32;
}

int gazetteer_node_ends(const gazetteer *g, uint32_t node)
{
    return g->nodes.v[node].alias != NONE32;
}

/* The steps of the trie a tagger took last, by (node, word): the trie
 * lies far from the caches, and a stream repeats its names ("United"
 * "States", "Prime" "Minister"), each step then found here. */
#define TRIE_MEMO_SLOTS 16384
struct trie_memo {
    struct {
        uint32_t node1;      /* node + 1, 0 when empty */
        uint32_t id, child;
    } slot[TRIE_MEMO_SLOTS];
};

/* The child of node on the word lexicon_id, or NONE32.  Most words go on
 * with no alias ("said", "."), or with none from this node: a bit of the
 * word's and one of the node's say so, before the trie; the others are
 * looked up in the tagger's memo first, when it has one. */
static uint32_t next_node(nertag_tagger *t, uint32_t node, uint32_t lexicon_id)
{
    const gazetteer *g = &t->model->gaz;
    if (!has_word_bit(&g->next_words, lexicon_id) ||
        !(g->nodes.v[node].children & trie_word_bit(lexicon_id)))
        return NONE32;
    if (!t->trie_memo && !(t->trie_memo = calloc(1, sizeof *t->trie_memo)))
        return trie_child(g, node, lexicon_id);     /* no memo, no harm */
    uint32_t h = (node * 0x9E3779B1u ^ lexicon_id * 0x85EBCA77u) >> 18;
    struct trie_memo *m = t->trie_memo;
    if (m->slot[h].node1 != node + 1 || m->slot[h].id != lexicon_id) {
        m->slot[h].node1 = node + 1;
        m->slot[h].id = lexicon_id;
        m->slot[h].child = trie_child(g, node, lexicon_id);
    }
    return m->slot[h].child;
}

/* The trie node after token i, from node (NONE32: the root), on its word;
 * else on the word without a glued possessive, which then ends the alias
 * (*possessive set); NONE32 when no alias goes on with it. */
static uint32_t step(nertag_tagger *t, uint32_t node, uint32_t i,
                     int *possessive)
{
    const gazetteer *g = &t->model->gaz;
    const surface_info *si = token_surface(&t->doc, i);
    uint32_t next = node == NONE32 ? si->gaz_node
                                   : next_node(t, node, si->norm_id);
    *possessive = 0;
    if (next == NONE32 && si->base_id != NONE32) {
        next = node == NONE32 ? gazetteer_first_node(g, si->base_id)
                              : next_node(t, node, si->base_id);
        *possessive = 1;
    }
    return next;
}

/* Adds an annotation for every alias ending at node, over [from, to). */
static int annotate_node(struct nertag_tagger *t, uint32_t node, uint32_t from,
                         uint32_t to, int possessive)
{
    const gazetteer *g = &t->model->gaz;
    for (uint32_t k = g->nodes.v[node].alias; k != NONE32;
         k = g->aliases.v[k].next) {
        const gaz_alias *a = &g->aliases.v[k];
        if ((a->flags & ALF_DROPPED) || !lang_matches(t, a->langs) ||
            !case_matches(t, a, from, to, possessive))
            continue;
        annot an;
        memset(&an, 0, sizeof an);
        an.tstart = from;
        an.tend = to;
        an.label = a->label;
        an.flags = (a->flags & ALF_AMBIGUOUS) ? AF_AMBIGUOUS : 0;
        an.alias = k;
        an.rule = NONE32;
        an.ent = ENTITY_NONE;
        an.ent.entry = a->entry;
        if (annot_add(t, &an) == NONE32)
            return -1;
    }
    return 0;
}

/* The aliases that start at token from. */
static int annotate_from(struct nertag_tagger *t, uint32_t from)
{
    uint32_t node = NONE32;
    for (uint32_t i = from; i < t->doc.tokens.n; i++) {
        /* a name does not run on into the next sentence: "the United" at
         * the end of a paragraph and "States" starting the next are not
         * one mention (nor B- and I- tags across a CoNLL sentence) */
        if (t->doc.tokens.v[i].sentence != t->doc.tokens.v[from].sentence)
            return 0;
        int possessive;
        if ((node = step(t, node, i, &possessive)) == NONE32)
            return 0;
        /* the first word's surface knows whether an alias ends at its
         * node: most do not ("New", "the"), and the node's record, far
         * from the caches, is then read only when the next word goes on */
        int ends = i > from || possessive ||
                   (token_surface(&t->doc, i)->form_known & FORM_ALIAS_ENDS);
        if (ends && annotate_node(t, node, from, i + 1, possessive) != 0)
            return -1;
        if (possessive)
            return 0;
    }
    return 0;
}

int gazetteer_annotate(struct nertag_tagger *t, nertag_error *err)
{
    if (!t->model->gaz.nslots)
        return 0;
    for (uint32_t i = 0; i < t->doc.tokens.n; i++) {
        const surface_info *si = token_surface(&t->doc, i);
        if ((si->gaz_node != NONE32 || si->base_id != NONE32) &&
            annotate_from(t, i) != 0) {
            err_set(err, NERTAG_ERR_NOMEM, "out of memory");
            return -1;
        }
    }
    return 0;
}
