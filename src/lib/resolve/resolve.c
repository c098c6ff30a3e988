/* resolve.c - from annotations to the mentions of the result.
 *
 * 1. Candidates are the annotations of an output type that no rule removed
 *    and that are not ambiguous gazetteer matches left unconfirmed.
 * 2. Only the outermost mention is kept: longer spans first; for the same
 *    span, the annotation made last (a later phase refines an earlier one).
 * 3. Names the document defines apply to the rest of it: aliases declared
 *    by rules, and the parts of a person's full name, so that « M. Mao »
 *    after « Mao Ning » resolves to Mao Ning, spokesperson like him.
 * 4. The result gets the mentions in text order, with their texts,
 *    canonical names, ids and sources copied into its own storage.
 */
#include "lib/internal.h"

#include <stdlib.h>
#include <string.h>

struct nertag_result {
    nertag_mention *mentions;
    size_t count;
    buf strings;               /* every string the mentions point to */
    char lang[16];             /* a language code: at most 8 letters */
    size_t *token_spans;       /* pairs of byte offsets */
    unsigned char *token_starts;    /* 1: the token starts a sentence */
    size_t ntokens;
    char **trace;
    size_t ntrace;
    char *trace_data;
};

/* ------------------------------------------------------------ selection */

/* A chosen mention: its entity is that of its annotation, or of the
 * document alias that named it. */
typedef struct pick {
    uint32_t annot;
    uint32_t tstart, tend;
    uint32_t label;
    uint32_t alias;                 /* index in doc_aliases, or NONE32 */
} pick;
VEC_DECLARE(pick_vec, pick);

static int is_candidate(const annot *a)
{
    return LABEL_IS_TYPE(a->label) &&
           !(a->flags & (AF_REMOVED | AF_AMBIGUOUS));
}

/* Sort key of a candidate: longer first, then earlier, then one a rule
 * made or confirmed, then made later. */
typedef struct order_key {
    uint32_t len, start, ruled, index;
} order_key;
VEC_DECLARE(order_vec, order_key);

/* Where a mention's strings start in the result's strings: its text,
 * canonical name, id, "for" and source. */
typedef struct string_offsets {
    size_t at[5];
} string_offsets;
VEC_DECLARE(offsets_vec, string_offsets);

typedef const pick *pick_ref;
VEC_DECLARE(pick_ref_vec, pick_ref);

/* The arrays resolve_mentions works in, kept by the tagger from one
 * document to the next: they grow to its largest document instead of
 * being allocated and freed for each (a stream of short documents spent
 * a tenth of this stage in the allocator). */
struct resolve_scratch {
    u32_vec owner;      /* per token: the pick that owns it, or NONE32 */
    order_vec order;
    pick_vec picks;
    pick_ref_vec people;    /* person_aliases */
    buf key;
    offsets_vec offsets;
};

void resolve_scratch_free(struct resolve_scratch *s)
{
    if (!s)
        return;
    u32_vec_free(&s->owner);
    order_vec_free(&s->order);
    pick_vec_free(&s->picks);
    pick_ref_vec_free(&s->people);
    buf_free(&s->key);
    offsets_vec_free(&s->offsets);
    free(s);
}

static int by_outermost(const void *x, const void *y)
{
    const order_key *a = x, *b = y;
    if (a->len != b->len)
        return a->len > b->len ? -1 : 1;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    if (a->ruled != b->ruled)
        return a->ruled > b->ruled ? -1 : 1;
    return a->index > b->index ? -1 : a->index < b->index;
}

/* The first token of [from, to) that a pick already owns, or NONE32. */
static uint32_t first_owned(const uint32_t *owner, uint32_t from, uint32_t to)
{
    for (uint32_t i = from; i < to; i++)
        if (owner[i] != NONE32)
            return i;
    return NONE32;
}

static void own(uint32_t *owner, uint32_t from, uint32_t to, uint32_t index)
{
    for (uint32_t i = from; i < to; i++)
        owner[i] = index;
}

static uint32_t str_of(nertag_tagger *t, const char *s)
{
    return tagger_string(t, s, strlen(s));
}

static int pick_annot(nertag_tagger *t, uint32_t ai, pick_vec *out)
{
    const annot *a = &t->annots.v[ai];
    pick p = { ai, a->tstart, a->tend, a->label, NONE32 };
    return pick_vec_push(out, p);
}

/* The entity of a pick: that of the document alias that named it, or of
 * its annotation. */
static const entity *pick_entity(const nertag_tagger *t, const pick *p)
{
    if (p->alias != NONE32)
        return &t->doc_aliases.v[p->alias].ent;
    return &t->annots.v[p->annot].ent;
}

/* "lost ORG 'Union' (Union) to ORG 'Union européenne'": a candidate that
 * a longer or preferred mention covers, for --explain. */
static void trace_lost(nertag_tagger *t, const annot *a, const pick *winner)
{
    if (!t->trace)
        return;
    const token *tk = t->doc.tokens.v;
    const annot *w = &t->annots.v[winner->annot];
    const struct nertag_model *m = t->model;
    tagger_trace(t, "lost %s '%.*s' (%s) to %s '%.*s'%s",
                 strtab_get(&m->labels, a->label),
                 (int)(tk[a->tend - 1].bend - tk[a->tstart].bstart),
                 t->doc.text + tk[a->tstart].bstart,
                 entity_canonical(t, &a->ent),
                 strtab_get(&m->labels, w->label),
                 (int)(tk[w->tend - 1].bend - tk[w->tstart].bstart),
                 t->doc.text + tk[w->tstart].bstart,
                 w->tstart == a->tstart && w->tend == a->tend
                     ? " (same words, decided later)"
                     : " (the longer mention wins)");
}

static int select_outermost(nertag_tagger *t, uint32_t *owner,
                            order_vec *order, pick_vec *out)
{
    int rc = 0;
    order->n = 0;
    for (uint32_t i = 0; rc == 0 && i < t->annots.n; i++) {
        const annot *a = &t->annots.v[i];
        if (is_candidate(a))
            rc = order_vec_push(order, (order_key){ a->tend - a->tstart,
                                                    a->tstart,
                                                    a->rule != NONE32, i });
    }
    if (rc == 0)
        vec_sort(order->v, order->n, sizeof *order->v, by_outermost);
    for (size_t k = 0; rc == 0 && k < order->n; k++) {
        const annot *a = &t->annots.v[order->v[k].index];
        uint32_t taken = first_owned(owner, a->tstart, a->tend);
        if (taken != NONE32) {
            trace_lost(t, a, &out->v[owner[taken]]);
            continue;
        }
        own(owner, a->tstart, a->tend, (uint32_t)out->n);
        rc = pick_annot(t, order->v[k].index, out);
    }
    return rc;
}

/* ------------------------------------------------------------ names */

static int is_person(uint32_t label)
{
    return label == NERTAG_PERSON || label == NERTAG_SPOKESPERSON;
}

static const char *norm_of(const nertag_tagger *t, uint32_t i)
{
    size_t len;
    return token_norm(&t->doc, i, &len);
}

/* Registers tokens [from, to) as a document alias of pick p, unless the
 * same words already are one: the first name to claim them keeps them,
 * and a person named a thousand times adds its aliases once.  need_cap is
 * the doc_alias field (NEED_CAP or NEED_CAP_INSIDE). */
static int add_name_alias(nertag_tagger *t, const pick *p, uint32_t from,
                          uint32_t to, uint32_t need_cap, buf *key)
{
    buf_clear(key);
    for (uint32_t i = from; i < to; i++)
        if (buf_puts(key, norm_of(t, i)) != 0 || buf_putc(key, ' ') != 0)
            return -1;
    int claimed = names_claim(t, key->data, key->len);
    if (claimed <= 0)
        return claimed;
    const token *tk = t->doc.tokens.v;
    doc_alias da = { (uint32_t)t->alias_ids.n, to - from, p->label,
                     *pick_entity(t, p), p->tend, NONE32,
                     tagger_string(t, t->doc.text + tk[p->tstart].bstart,
                                   tk[p->tend - 1].bend - tk[p->tstart].bstart),
                     p->tend - p->tstart, need_cap };
    if (da.source_text == NONE32)
        return -1;
    for (uint32_t i = from; i < to; i++) {
        uint32_t off = str_of(t, norm_of(t, i));
        if (off == NONE32 || u32_vec_push(&t->alias_ids, off) != 0)
            return -1;
    }
    return doc_alias_vec_push(&t->doc_aliases, da);
}

/* Can token i stand alone for a person?  A capitalized word, but how
 * later words must look to be that person: NEED_CAP (a capital), or, for a
 * part that is a function word of the document's language, NEED_CAP_INSIDE
 * (a capital inside a sentence: "He" of "He Yadong" is the person in
 * « M. He » and "said He", not the pronoun that starts a sentence, and
 * « Le » of « Le Pen » not the article).  0 when it cannot. */
static uint32_t name_part(const nertag_tagger *t, uint32_t i)
{
    const token *tk = &t->doc.tokens.v[i];
    const language_data *d = &t->model->lang;
    if (!(tk->flags & TF_CAP) || !(tk->flags & TF_ALPHA) ||
        (tk->flags & TF_ABBREV) || tk->cend - tk->cstart < 2)
        return 0;
    /* TF_FUNCTION: a function word of some language; only then is the
     * language's mask, a large table, read */
    int function = (tk->flags & TF_FUNCTION) && tk->norm_id < d->count &&
                   (t->lang == LANG_NONE ? d->mask[tk->norm_id] != 0
                                         : (d->mask[tk->norm_id] >> t->lang & 1));
    return function ? NEED_CAP_INSIDE : NEED_CAP;
}

static int by_position(const void *x, const void *y)
{
    const pick *a = *(const pick *const *)x, *b = *(const pick *const *)y;
    return a->tstart < b->tstart ? -1 : a->tstart > b->tstart;
}

/* The full names of people, and each of their parts, name them later on;
 * the person named first in the text claims the words.  Names the
 * document already has (of a stream's earlier windows) keep theirs. */
static int person_aliases(nertag_tagger *t, const pick_vec *picks)
{
    pick_ref_vec *people = &t->resolve->people;
    buf *key = &t->resolve->key;
    people->n = 0;
    int rc = 0;
    for (size_t k = 0; rc == 0 && k < picks->n; k++)
        if (is_person(picks->v[k].label) &&
            picks->v[k].tend - picks->v[k].tstart >= 2)
            rc = pick_ref_vec_push(people, &picks->v[k]);
    if (rc == 0)
        vec_sort(people->v, people->n, sizeof *people->v, by_position);
    for (size_t k = 0; rc == 0 && k < people->n; k++) {
        const pick *p = people->v[k];
        rc = add_name_alias(t, p, p->tstart, p->tend, NEED_CAP, key);
        for (uint32_t i = p->tstart; rc == 0 && i < p->tend; i++) {
            uint32_t need = name_part(t, i);
            if (need)
                rc = add_name_alias(t, p, i, i + 1, need, key);
        }
    }
    return rc;
}

/* A mention a rule made of words it did not find in any gazetteer: a guess
 * from their shape or context, which a name the document declared
 * elsewhere overrides ("le groupe de pirates Zerkalo Noir … Zerkalo Noir a
 * publié": the second is the group, not a person's name). */
static int is_guess(const nertag_tagger *t, const pick *p)
{
    if (p->alias != NONE32)
        return 0;
    const annot *a = &t->annots.v[p->annot];
    return (a->flags & AF_RULE) && a->ent.entry == NONE32;
}

/* Can an alias take tokens [pos, pos + n)?  They must be free; with
 * over_guesses, tokens of guesses lying wholly inside will do too. */
static int tokens_free(const nertag_tagger *t, const uint32_t *owner,
                       const pick_vec *picks, uint32_t pos, uint32_t n,
                       int over_guesses)
{
    for (uint32_t i = pos; i < pos + n; i++) {
        if (owner[i] == NONE32)
            continue;
        const pick *p = &picks->v[owner[i]];
        if (!over_guesses || !is_guess(t, p) || p->tstart < pos ||
            p->tend > pos + n)
            return 0;
    }
    return 1;
}

/* Is the capitalized function word at pos the name part of a person
 * ("He" of "He Yadong", « Le » of « Le Pen ») rather than the word itself?
 * Written with a capital and then lower case, away from a sentence start;
 * after a title ("Mr. He", « M. He ») it is; otherwise not after a full
 * stop and not before a word in lower case or a number: the pronoun and
 * the article go there ("He left", « Le gouvernement », « Le 3 avril »).
 * The last tests hold where the sentences are not known (tokens given
 * without breaks, as in old newspapers' OCR). */
static int function_word_names(const nertag_tagger *t, uint32_t pos)
{
    const token *tk = t->doc.tokens.v;
    uint16_t f = tk[pos].flags;
    if ((f & TF_SSTART) || !(f & TF_CAP) || (f & TF_UPPER))
        return 0;
    if (pos > 0 && (tk[pos - 1].flags & TF_ABBREV))
        return 1;
    if (pos > 0 && (tk[pos - 1].flags & TF_PUNCT) &&
        strchr(".!?", t->doc.text[tk[pos - 1].bstart]))
        return 0;
    return pos + 1 >= t->doc.tokens.n ||
           tk[pos + 1].sentence != tk[pos].sentence ||
           !(tk[pos + 1].flags & (TF_LOWER | TF_DIGIT));
}

static int alias_matches(const nertag_tagger *t, const doc_alias *da,
                         uint32_t pos)
{
    if (pos < da->after || pos + da->ntok > t->doc.tokens.n)
        return 0;
    uint16_t flags = t->doc.tokens.v[pos].flags;
    if (da->need_cap && !(flags & (TF_CAP | TF_UPPER)))
        return 0;
    if (da->need_cap == NEED_CAP_INSIDE && !function_word_names(t, pos))
        return 0;
    /* within one sentence, as gazetteer aliases and rules */
    uint32_t sentence = t->doc.tokens.v[pos].sentence;
    for (uint32_t i = 0; i < da->ntok; i++)
        if (t->doc.tokens.v[pos + i].sentence != sentence ||
            strcmp(norm_of(t, pos + i),
                   tagger_str(t, t->alias_ids.v[da->first_tok + i])))
            return 0;
    return 1;
}

/* Does an earlier person's full name contain the person mention p? */
static const doc_alias *earlier_name(const nertag_tagger *t, const pick *p)
{
    for (uint32_t k = names_at(t, p->tstart); k != NONE32;
         k = names_next(t, k)) {
        const doc_alias *da = &t->doc_aliases.v[k];
        if (da->rule != NONE32 || da->after > p->tstart ||
            da->ntok != p->tend - p->tstart)
            continue;
        uint32_t i = 0;
        while (i < da->ntok &&
               !strcmp(norm_of(t, p->tstart + i),
                       tagger_str(t, t->alias_ids.v[da->first_tok + i])))
            i++;
        if (i == da->ntok && da->source_ntok > da->ntok)
            return da;
    }
    return NULL;
}

/* "document alias of 'Mao Ning'", and the rule that declared it. */
static int alias_source(const nertag_tagger *t, const doc_alias *da, buf *out)
{
    int rc = buf_puts(out, "document alias of '") ||
             buf_puts(out, tagger_str(t, da->source_text)) ||
             buf_putc(out, '\'');
    if (rc == 0 && da->rule != NONE32)
        rc = buf_puts(out, " (") ||
             entity_source(t, da->rule, NULL, NONE32, out) ||
             buf_putc(out, ')');
    return rc;
}

static int pick_source(const nertag_tagger *t, const pick *p, buf *out)
{
    if (p->alias != NONE32)
        return alias_source(t, &t->doc_aliases.v[p->alias], out);
    const annot *a = &t->annots.v[p->annot];
    return entity_source(t, a->rule, &a->ent, a->alias, out);
}

/* Later short mentions of a person take the full name's entity. */
static void shorter_person_names(nertag_tagger *t, pick_vec *picks)
{
    for (size_t k = 0; k < picks->n; k++) {
        pick *p = &picks->v[k];
        const doc_alias *da = is_person(p->label) ? earlier_name(t, p) : NULL;
        if (da) {
            p->label = da->label;
            p->alias = (uint32_t)(da - t->doc_aliases.v);
        }
    }
}

/* "replaced PERSON 'Zerkalo Noir' by GROUP 'Zerkalo Noir' …" */
static void trace_replaced(nertag_tagger *t, const pick *guess,
                           const doc_alias *da)
{
    if (!t->trace)
        return;
    const token *tk = t->doc.tokens.v;
    const struct nertag_model *m = t->model;
    buf src = BUF_INIT;
    if (alias_source(t, da, &src) == 0 && buf_reserve(&src, 0) == 0)
        tagger_trace(t, "replaced %s '%.*s' by %s, %s",
                     strtab_get(&m->labels, guess->label),
                     (int)(tk[guess->tend - 1].bend - tk[guess->tstart].bstart),
                     t->doc.text + tk[guess->tstart].bstart,
                     strtab_get(&m->labels, da->label), src.data);
    else
        t->trace_lost = 1;
    buf_free(&src);
}

/* Has the document an alias (declared by a rule, with declared_only)?
 * Without one, no token needs a look. */
static int has_aliases(const nertag_tagger *t, int declared_only)
{
    for (size_t k = 0; k < t->doc_aliases.n; k++)
        if (!declared_only || t->doc_aliases.v[k].rule != NONE32)
            return 1;
    return 0;
}

/* Tags the tokens that the document's aliases name: the longest alias at
 * each position, on free tokens.  With declared_only, only the aliases
 * rules declared, which may also take over guesses (is_guess): those
 * picks are dropped (their label becomes NONE32). */
static int match_aliases(nertag_tagger *t, uint32_t *owner, pick_vec *picks,
                         int declared_only)
{
    if (!has_aliases(t, declared_only))
        return 0;
    /* most names are people's: no word in lower case starts one */
    uint16_t need = names_need_capital(t) ? TF_CAP | TF_UPPER : 0;
    for (uint32_t pos = 0; pos < t->doc.tokens.n; pos++) {
        if (need && !(t->doc.tokens.v[pos].flags & need))
            continue;
        const doc_alias *best = NULL;
        for (uint32_t k = names_at(t, pos); k != NONE32; k = names_next(t, k)) {
            const doc_alias *da = &t->doc_aliases.v[k];
            if ((!best || da->ntok > best->ntok) &&
                (!declared_only || da->rule != NONE32) &&
                alias_matches(t, da, pos) &&
                tokens_free(t, owner, picks, pos, da->ntok, declared_only))
                best = da;
        }
        if (!best)
            continue;
        for (uint32_t i = pos; i < pos + best->ntok; i++)
            if (owner[i] != NONE32 && picks->v[owner[i]].label != NONE32) {
                trace_replaced(t, &picks->v[owner[i]], best);
                picks->v[owner[i]].label = NONE32;
            }
        pick p = { NONE32, pos, pos + best->ntok, best->label,
                   (uint32_t)(best - t->doc_aliases.v) };
        own(owner, pos, pos + best->ntok, (uint32_t)picks->n);
        if (pick_vec_push(picks, p) != 0)
            return -1;
        pos += best->ntok - 1;
    }
    return 0;
}

/* The names the document defines: first those rules declared, over free
 * tokens and guesses; then the parts of people's names, from the people
 * left; then every alias over the tokens still free. */
static int apply_doc_aliases(nertag_tagger *t, uint32_t *owner,
                             pick_vec *picks)
{
    int rc = names_index(t);
    if (rc == 0)
        rc = match_aliases(t, owner, picks, 1);
    if (rc == 0)
        rc = person_aliases(t, picks);
    if (rc == 0)
        rc = names_index(t);
    if (rc == 0) {
        shorter_person_names(t, picks);
        rc = match_aliases(t, owner, picks, 0);
    }
    return rc;
}

/* ------------------------------------------------------------ result */

static int by_start(const void *x, const void *y)
{
    const pick *a = x, *b = y;
    return a->tstart < b->tstart ? -1 : a->tstart > b->tstart;
}

/* Appends s[0..n) and a NUL to the result's strings; returns the offset. */
static size_t result_string(nertag_result *r, const char *s, size_t n,
                            int *rc)
{
    size_t off = r->strings.len;
    if (buf_append(&r->strings, s, n) != 0 || buf_putc(&r->strings, 0) != 0)
        *rc = -1;
    return off;
}

/* Bytes of the result's strings reserved per mention at first: its
 * text, canonical name, id and source most often fit, and the strings
 * then grow once rather than by doubling from nothing. */
#define STRINGS_PER_MENTION 160

static int fill_result(nertag_tagger *t, pick_vec *picks,
                       offsets_vec *offsets, const doc_offsets *at,
                       nertag_result *r)
{
    size_t kept = 0;   /* the picks an alias replaced are left out */
    for (size_t k = 0; k < picks->n; k++)
        if (picks->v[k].label != NONE32)
            picks->v[kept++] = picks->v[k];
    picks->n = kept;
    vec_sort(picks->v, picks->n, sizeof *picks->v, by_start);
    r->mentions = calloc(picks->n ? picks->n : 1, sizeof *r->mentions);
    /* offsets first: the strings buffer may move while it grows */
    if (!r->mentions || offsets_vec_reserve(offsets, picks->n) != 0 ||
        buf_reserve(&r->strings, picks->n * STRINGS_PER_MENTION) != 0)
        return -1;
    string_offsets *offs = offsets->v;
    int rc = 0;
    for (size_t k = 0; rc == 0 && k < picks->n; k++) {
        const pick *p = &picks->v[k];
        const token *a = &t->doc.tokens.v[p->tstart], *b = &t->doc.tokens.v[p->tend - 1];
        nertag_mention *m = &r->mentions[k];
        m->start = at->cp + a->cstart;
        m->end = at->cp + b->cend;
        m->bstart = at->byte + a->bstart;
        m->bend = at->byte + b->bend;
        m->tstart = at->tok + p->tstart;
        m->tend = at->tok + p->tend;
        m->type = (nertag_type)p->label;
        const entity *e = pick_entity(t, p);
        const char *canon = entity_canonical(t, e), *id = entity_id(t, e);
        const char *f = entity_for(t, e, p->label);
        offs[k].at[0] = result_string(r, t->doc.text + a->bstart,
                                      b->bend - a->bstart, &rc);
        offs[k].at[1] = result_string(r, canon, strlen(canon), &rc);
        offs[k].at[2] = result_string(r, id, strlen(id), &rc);
        offs[k].at[3] = result_string(r, f, strlen(f), &rc);
        offs[k].at[4] = r->strings.len;
        rc = rc || pick_source(t, p, &r->strings) || buf_putc(&r->strings, 0);
    }
    r->count = picks->n;
    for (size_t k = 0; rc == 0 && k < picks->n; k++) {
        nertag_mention *m = &r->mentions[k];
        m->text = r->strings.data + offs[k].at[0];
        m->canonical = r->strings.data + offs[k].at[1];
        m->id = r->strings.data + offs[k].at[2];
        m->for_ = r->strings.data + offs[k].at[3];
        m->source = r->strings.data + offs[k].at[4];
    }
    return rc;
}

static int fill_tokens(const nertag_tagger *t, size_t byte_base,
                       nertag_result *r)
{
    r->ntokens = t->doc.tokens.n;
    r->token_spans = malloc((t->doc.tokens.n ? t->doc.tokens.n : 1) * 2 *
                            sizeof *r->token_spans);
    r->token_starts = malloc(t->doc.tokens.n ? t->doc.tokens.n : 1);
    if (!r->token_spans || !r->token_starts)
        return -1;
    uint32_t sentence = NONE32;   /* of the token before: none */
    for (size_t i = 0; i < t->doc.tokens.n; i++) {
        const token *tk = &t->doc.tokens.v[i];
        r->token_spans[2 * i] = byte_base + tk->bstart;
        r->token_spans[2 * i + 1] = byte_base + tk->bend;
        r->token_starts[i] = tk->sentence != sentence;
        sentence = tk->sentence;
    }
    return 0;
}

static int fill_trace(nertag_tagger *t, nertag_result *r)
{
    if (!t->trace_count)
        return 0;
    r->trace_data = malloc(t->trace_lines.len);
    r->trace = malloc(t->trace_count * sizeof *r->trace);
    if (!r->trace_data || !r->trace)
        return -1;
    memcpy(r->trace_data, t->trace_lines.data, t->trace_lines.len);
    char *s = r->trace_data;
    for (size_t i = 0; i < t->trace_count; i++) {
        r->trace[i] = s;
        s += strlen(s) + 1;
    }
    r->ntrace = t->trace_count;
    return 0;
}

int resolve_mentions(nertag_tagger *t, nertag_result *r,
                     const doc_offsets *at, nertag_error *err)
{
    static const doc_offsets whole = { 0, 0, 0 };
    if (!at)
        at = &whole;
    struct resolve_scratch *rs = t->resolve;
    if (!rs)
        rs = t->resolve = calloc(1, sizeof *rs);
    int rc = rs && u32_vec_reserve(&rs->owner, t->doc.tokens.n) == 0 ? 0 : -1;
    if (rc == 0) {
        for (size_t i = 0; i < t->doc.tokens.n; i++)
            rs->owner.v[i] = NONE32;
        rs->picks.n = 0;
        rc = select_outermost(t, rs->owner.v, &rs->order, &rs->picks);
    }
    if (rc == 0)
        rc = apply_doc_aliases(t, rs->owner.v, &rs->picks);
    if (rc == 0)
        rc = fill_result(t, &rs->picks, &rs->offsets, at, r);
    if (rc == 0)
        rc = fill_tokens(t, at->byte, r);
    /* a trace line that could not be kept while choosing the mentions
     * ("lost …", "replaced …") fails the call: a trace is whole or none */
    if (rc == 0 && t->trace_lost)
        rc = -1;
    if (rc == 0)
        rc = fill_trace(t, r);
    /* copied, not printed: a stream of short documents would run the
     * whole of printf's code for each */
    const char *code = lang_code(&t->model->lang, t->lang);
    size_t n = strnlen(code, sizeof r->lang - 1);
    memcpy(r->lang, code, n);
    r->lang[n] = '\0';
    if (rc != 0)
        err_set(err, NERTAG_ERR_NOMEM, "out of memory");
    return rc;
}

void result_window(nertag_result *r, uint32_t cut, size_t tok)
{
    size_t n = 0;
    while (n < r->count && r->mentions[n].tend <= tok + cut)
        n++;
    r->count = n;
    if (r->ntokens > cut)
        r->ntokens = cut;
}

/* ------------------------------------------------------------ accessors */


nertag_result *result_new(void);
nertag_result *result_new(void)
{
    return calloc(1, sizeof(nertag_result));
}

size_t nertag_result_count(const nertag_result *r)
{
    return r ? r->count : 0;
}

const nertag_mention *nertag_result_mention(const nertag_result *r, size_t i)
{
    return r && i < r->count ? &r->mentions[i] : NULL;
}

const char *nertag_result_lang(const nertag_result *r)
{
    return r ? r->lang : "";
}

size_t nertag_result_token_count(const nertag_result *r)
{
    return r ? r->ntokens : 0;
}

void nertag_result_token(const nertag_result *r, size_t i, size_t *bstart,
                         size_t *bend)
{
    if (!r || i >= r->ntokens) {
        *bstart = *bend = 0;
        return;
    }
    *bstart = r->token_spans[2 * i];
    *bend = r->token_spans[2 * i + 1];
}

int nertag_result_token_starts_sentence(const nertag_result *r, size_t i)
{
    return r && i < r->ntokens && r->token_starts[i];
}

size_t nertag_result_trace_count(const nertag_result *r)
{
    return r ? r->ntrace : 0;
}

const char *nertag_result_trace(const nertag_result *r, size_t i)
{
    return r && i < r->ntrace ? r->trace[i] : NULL;
}

/* Moves the pointers of n strings from base old to base new. */
static void rebase(const char **p, size_t n, const char *old, const char *new)
{
    for (size_t i = 0; i < n; i++)
        p[i] = new + (p[i] - old);
}

static void rebase_mention(nertag_mention *m, const char *old, const char *new)
{
    const char *p[5] = { m->text, m->canonical, m->id, m->for_, m->source };
    rebase(p, 5, old, new);
    m->text = p[0];
    m->canonical = p[1];
    m->id = p[2];
    m->for_ = p[3];
    m->source = p[4];
}

int result_append(nertag_result *dst, const nertag_result *src)
{
    if (!dst->lang[0])   /* the language of the first result joined */
        memcpy(dst->lang, src->lang, sizeof dst->lang);
    size_t n = dst->count + src->count, nt = dst->ntokens + src->ntokens;
    size_t ntr = dst->ntrace + src->ntrace;
    nertag_mention *m = realloc(dst->mentions, (n ? n : 1) * sizeof *m);
    if (!m)
        return -1;
    dst->mentions = m;
    size_t *ts = realloc(dst->token_spans, (nt ? nt : 1) * 2 * sizeof *ts);
    if (!ts)
        return -1;
    dst->token_spans = ts;
    unsigned char *starts = realloc(dst->token_starts, nt ? nt : 1);
    if (!starts)
        return -1;
    dst->token_starts = starts;
    /* the strings: src's after dst's, every pointer moved */
    const char *old = dst->strings.data;
    size_t used = dst->strings.len;
    if (buf_append(&dst->strings, src->strings.data ? src->strings.data : "",
                   src->strings.len) != 0)
        return -1;
    for (size_t i = 0; i < dst->count; i++)
        rebase_mention(&dst->mentions[i], old, dst->strings.data);
    for (size_t i = 0; i < src->count; i++) {
        dst->mentions[dst->count + i] = src->mentions[i];
        rebase_mention(&dst->mentions[dst->count + i], src->strings.data,
                       dst->strings.data + used);
    }
    dst->count = n;
    if (src->ntokens) {
        memcpy(ts + 2 * dst->ntokens, src->token_spans,
               2 * src->ntokens * sizeof *ts);
        memcpy(starts + dst->ntokens, src->token_starts, src->ntokens);
    }
    dst->ntokens = nt;
    if (!src->ntrace)
        return 0;
    /* the trace lines likewise */
    size_t dlen = 0, slen = 0;
    for (size_t i = 0; i < dst->ntrace; i++)
        dlen += strlen(dst->trace[i]) + 1;
    for (size_t i = 0; i < src->ntrace; i++)
        slen += strlen(src->trace[i]) + 1;
    char *data = realloc(dst->trace_data, dlen + slen);
    char **lines = realloc(dst->trace, ntr * sizeof *lines);
    if (data)
        dst->trace_data = data;
    if (lines)
        dst->trace = lines;
    if (!data || !lines)
        return -1;
    memcpy(data + dlen, src->trace_data, slen);
    for (size_t i = 0, off = 0; i < ntr; i++) {
        lines[i] = data + off;
        off += strlen(lines[i]) + 1;
    }
    dst->ntrace = ntr;
    return 0;
}

void nertag_result_free(nertag_result *r)
{
    if (!r)
        return;
    free(r->mentions);
    buf_free(&r->strings);
    free(r->token_spans);
    free(r->token_starts);
    free(r->trace);
    free(r->trace_data);
    free(r);
}
