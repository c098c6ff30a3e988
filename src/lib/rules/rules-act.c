/* rules-act.c - the actions of a rule that matched: the mention it makes,
 * with its canonical name, id and `for` from its templates; the aliases it
 * declares for the rest of the document; the annotations it retypes,
 * removes or confirms; and the trace of each change. */
#include "lib/rules/rules-run.h"

#include <stddef.h>
#include <string.h>

static void span_text(const nertag_tagger *t, uint32_t from, uint32_t to,
                      const char **s, size_t *n)
{
    *s = t->doc.text + t->doc.tokens.v[from].bstart;
    *n = t->doc.tokens.v[to - 1].bend - t->doc.tokens.v[from].bstart;
}

/* The annotation with exactly the span [from, to) that no rule removed:
 * of an output type when there is one, else (with any_label) of any
 * label; NONE32 when none. */
/* The country of the gazetteer entry of annotation a, or 0. */
static uint32_t annot_country(const nertag_tagger *t, const annot *a)
{
    return a->ent.entry != NONE32 && a->rule == NONE32
               ? t->model->gaz.entries.v[a->ent.entry].country : 0;
}

/* How well country fits the document: 2 when the text names that state
 * (a STATE mention whose id is its code), 1 when it is the country of the
 * document's language (« el CNI » in Spanish news is Spain's), else 0. */
static int country_fit(const nertag_tagger *t, uint32_t country)
{
    if (!country)
        return 0;
    for (uint32_t i = 0; i < t->annots.n; i++) {
        const annot *a = &t->annots.v[i];
        if (a->label == NERTAG_STATE && !(a->flags & AF_REMOVED)) {
            const char *id = entity_id(t, &a->ent);
            if (GAZ_COUNTRY(id, strlen(id)) == country)
                return 2;
        }
    }
    static const char *const home[][2] = {
        { "fr", "FR" }, { "de", "DE" }, { "es", "ES" }, { "it", "IT" },
        { "nl", "NL" }, { "pl", "PL" }, { "pt", "PT" }
    };
    const char *code = lang_code(&t->model->lang, t->lang);
    for (size_t k = 0; k < sizeof home / sizeof *home; k++)
        if (!strcmp(code, home[k][0]))
            return GAZ_COUNTRY(home[k][1], 2) == country;
    return 0;
}

/* Of two gazetteer annotations of one label over the same words (an
 * alias several entries share, "CNI"), whether b fits the document better
 * than a. */
static int fits_better(const nertag_tagger *t, const annot *a, const annot *b)
{
    uint32_t ca = annot_country(t, a), cb = annot_country(t, b);
    if (a->label != b->label || ca == cb || !cb)
        return 0;
    return country_fit(t, cb) > country_fit(t, ca);
}

static uint32_t span_annot(const nertag_tagger *t, uint32_t from, uint32_t to,
                           int any_label)
{
    uint32_t found = NONE32;
    for (uint32_t a = t->first_start.v[from]; a != NONE32;
         a = t->annots.v[a].next_start) {
        const annot *an = &t->annots.v[a];
        if (an->tend == to && !(an->flags & AF_REMOVED) &&
            (LABEL_IS_TYPE(an->label) ? found == NONE32 ||
                                        !LABEL_IS_TYPE(t->annots.v[found].label) ||
                                        fits_better(t, &t->annots.v[found], an)
                                      : any_label && found == NONE32))
            found = a;
    }
    return found;
}

/* The annotation an action aims at through capture c: the one the capture
 * matched as a whole (<LABEL>), else the one with exactly its span. */
static uint32_t capture_annot(const nertag_tagger *t, const captures *cp,
                              uint32_t c)
{
    if (cp->annot[c] != NONE32)
        return cp->annot[c];
    uint32_t from = cp->pos[2 * c], to = cp->pos[2 * c + 1];
    if (from == NONE32 || to == NONE32 || from >= to)
        return NONE32;
    return span_annot(t, from, to, 1);
}

static int expand(nertag_tagger *t, const ruleset *r, const captures *cp,
                  const template_ *tp, buf *out)
{
    buf_clear(out);
    for (uint32_t i = 0; i < tp->count; i++) {
        const piece *pc = &r->pieces.v[tp->first + i];
        if (pc->kind == P_TEXT) {
            if (buf_puts(out, rules_str(r, pc->arg)) != 0)
                return -1;
            continue;
        }
        uint32_t from = cp->pos[2 * pc->arg], to = cp->pos[2 * pc->arg + 1];
        if (from == NONE32 || to == NONE32 || from >= to)
            continue;
        uint32_t a = capture_annot(t, cp, pc->arg);
        const annot *an = a == NONE32 ? NULL : &t->annots.v[a];
        const char *s = NULL;
        size_t n = 0;
        if (pc->kind == P_ID)
            s = an ? entity_id(t, &an->ent) : "";
        else if (pc->kind == P_FOR)
            s = an ? entity_for(t, &an->ent, an->label) : "";
        else if (pc->kind == P_CANONICAL && an)
            s = entity_canonical(t, &an->ent);
        if (s)
            n = strlen(s);
        else
            span_text(t, from, to, &s, &n);
        if (buf_append(out, s, n) != 0)
            return -1;
    }
    return buf_reserve(out, 0);
}

/* Sets one string field of annotation a from a template, if it has one. */
static int apply_template(nertag_tagger *t, const ruleset *r,
                          const captures *cp, const template_ *tp, uint32_t a,
                          size_t field)
{
    if (!tp->count)
        return 0;
    if (expand(t, r, cp, tp, &t->scratch) != 0)
        return -1;
    /* a template that expands to nothing (its capture took no part in the
     * match: « for = {org} » when no body was said) sets nothing, so that
     * what the gazetteer knows (a spokesperson's speaks-for) still holds */
    if (t->scratch.len == 0)
        return 0;
    uint32_t off = tagger_string(t, t->scratch.data, t->scratch.len);
    if (off == NONE32)
        return -1;
    *(uint32_t *)((char *)&t->annots.v[a] + field) = off;
    return 0;
}

/* Is the annotation a name of another type than label?  Naming a person
 * as a spokesperson refines the name, it does not contradict it. */
static int other_type(const annot *known, uint32_t label)
{
    return LABEL_IS_TYPE(known->label) && LABEL_IS_TYPE(label) &&
           known->label != label &&
           !(known->label == NERTAG_PERSON && label == NERTAG_SPOKESPERSON);
}

static void trace_kept(nertag_tagger *t, const rule *ru, uint32_t label,
                       uint32_t known);

/* Is annotation a the name of a gazetteer entry, that no rule left
 * ambiguous? */
static int entry_name(const annot *a)
{
    return !(a->flags & AF_AMBIGUOUS) && a->ent.entry != NONE32;
}

/* Makes the mention of a rule; *made is NONE32 when the capture it is on
 * took no part in the match, or when the span is a known name of another
 * type.  Returns -1 out of memory.
 *
 * A rule that makes a mention of tokens (not of an annotation its pattern
 * matched as a whole, <LABEL>) over exactly the span of a name found
 * before, takes that name's entity.  When the name is of another type and
 * known (a gazetteer entry that no rule left ambiguous), the name stands
 * and the rule makes nothing: the rule read words ("Quai d'Orsay",
 * "Lazarus Group" by their head word), the entry is knowledge about this
 * very span.  An ambiguous alias, or a name an earlier rule only guessed
 * from the shape of words, is no such knowledge: the rule names something
 * new, as later phases refine earlier ones.  Over a known name of the same
 * type, the rule's templates of canonical name and id are not applied:
 * they compose names for words no entry knows. */
static int act_mention(nertag_tagger *t, const rule *ru, const action *ac,
                       const fired *f, uint32_t *made)
{
    const ruleset *r = t->model->rules;
    const captures *cp = f->caps;
    uint32_t from = f->start, to = f->end, src;
    int by_span = 1;
    *made = NONE32;
    if (ac->capture != NONE32) {
        from = cp->pos[2 * ac->capture];
        to = cp->pos[2 * ac->capture + 1];
        if (from == NONE32 || to == NONE32 || from >= to)
            return 0;
        by_span = cp->annot[ac->capture] == NONE32;
        src = capture_annot(t, cp, ac->capture);
    } else {
        src = span_annot(t, from, to, 0);
    }
    if (by_span && src != NONE32 && other_type(&t->annots.v[src], ac->label)) {
        if (entry_name(&t->annots.v[src])) {
            trace_kept(t, ru, ac->label, src);
            return 0;
        }
        src = NONE32;
    }
    annot an;
    memset(&an, 0, sizeof an);
    an.tstart = from;
    an.tend = to;
    an.label = ac->label;
    an.flags = AF_RULE;
    an.alias = NONE32;
    an.ent = ENTITY_NONE;
    an.rule = (uint32_t)(ru - r->rules.v);
    if (src != NONE32) {
        /* a mention over one annotation keeps that annotation's entity */
        an.alias = t->annots.v[src].alias;
        an.ent = t->annots.v[src].ent;
    }
    if (src == NONE32 && !ru->canonical.count) {
        /* a new name: its text is its canonical name */
        const char *s;
        size_t n;
        span_text(t, from, to, &s, &n);
        if ((an.ent.canonical = tagger_string(t, s, n)) == NONE32)
            return -1;
    }
    /* a template composes a name for words no entry knows: over a name
     * an entry knows for this very span and type, the entry's name stands
     * ("FortiGuard Labs" is not "FortiGuard" + "Labs") */
    int entry_named = src != NONE32 && t->annots.v[src].label == ac->label &&
                      entry_name(&t->annots.v[src]);
    uint32_t a = annot_add(t, &an);
    if (a == NONE32 ||
        (!entry_named &&
         (apply_template(t, r, cp, &ru->canonical, a,
                         offsetof(annot, ent) + offsetof(entity, canonical)) ||
          apply_template(t, r, cp, &ru->id, a,
                         offsetof(annot, ent) + offsetof(entity, id)))) ||
        apply_template(t, r, cp, &ru->for_, a,
                       offsetof(annot, ent) + offsetof(entity, for_)))
        return -1;
    *made = a;
    return 0;
}

/* Declares the text of capture NEW a document alias of an entity: of the
 * annotation of capture OF when given (NEW then becomes a mention of it
 * too), else of the mention the rule made. */
static int act_alias(nertag_tagger *t, const action *ac, const fired *f)
{
    const captures *cp = f->caps;
    uint32_t from = cp->pos[2 * ac->capture], to = cp->pos[2 * ac->capture + 1];
    uint32_t of = ac->capture2 == NONE32 ? f->made
                                         : capture_annot(t, cp, ac->capture2);
    /* only mentions have aliases: the later occurrences become mentions
     * of the same entity, so an annotation of another label ("mention =
     * NOUN_GROUP", a gazetteer DEMONYM) has none */
    if (from == NONE32 || to == NONE32 || from >= to || of == NONE32 ||
        !LABEL_IS_TYPE(t->annots.v[of].label))
        return 0;
    if (ac->capture2 != NONE32) {
        annot an = t->annots.v[of];
        an.tstart = from;
        an.tend = to;
        an.flags = AF_RULE;
        an.rule = f->rule;
        if ((of = annot_add(t, &an)) == NONE32)
            return -1;
    }
    const annot *an = &t->annots.v[of];
    doc_alias da;
    da.first_tok = (uint32_t)t->alias_ids.n;
    da.ntok = to - from;
    da.label = an->label;
    da.ent = an->ent;
    da.after = to;
    da.rule = f->rule;
    const char *s;
    size_t n;
    span_text(t, an->tstart, an->tend, &s, &n);
    da.source_text = tagger_string(t, s, n);
    da.source_ntok = an->tend - an->tstart;
    da.need_cap = (t->doc.tokens.v[from].flags & (TF_CAP | TF_UPPER)) != 0;
    if (da.source_text == NONE32)
        return -1;
    for (uint32_t i = from; i < to; i++) {
        size_t len;
        const char *norm = token_norm(&t->doc, i, &len);
        uint32_t off = tagger_string(t, norm, len);
        if (off == NONE32 || u32_vec_push(&t->alias_ids, off) != 0)
            return -1;
    }
    return doc_alias_vec_push(&t->doc_aliases, da);
}

static const char *rule_name(const nertag_tagger *t, uint32_t ri)
{
    const ruleset *r = t->model->rules;
    return rules_str(r, r->rules.v[ri].name);
}

static void trace_change(nertag_tagger *t, const char *what, uint32_t a,
                         uint32_t ri, uint32_t old_label)
{
    if (!t->trace)
        return;
    const annot *an = &t->annots.v[a];
    const char *s;
    size_t n;
    span_text(t, an->tstart, an->tend, &s, &n);
    const ruleset *r = t->model->rules;
    const rule *ru = &r->rules.v[ri];
    tagger_trace(t, "%s %s '%.*s' (%s%s%s) by rule %s (%s:%u)", what,
                 strtab_get(&t->model->labels, old_label), (int)n, s,
                 entity_canonical(t, &an->ent),
                 old_label != an->label ? " -> " : "",
                 old_label != an->label
                     ? strtab_get(&t->model->labels, an->label) : "",
                 rule_name(t, ri), strtab_get(&t->model->files, ru->file),
                 ru->line);
}

/* A removed mention takes with it the mentions strictly inside its span:
 * they lost to it, and the rule said the whole stretch is no name ("Palo
 * Alto Networks" inside a product name does not leave "Palo Alto"). */
static void remove_inside(nertag_tagger *t, uint32_t outer, uint32_t ri)
{
    const uint32_t from = t->annots.v[outer].tstart;
    const uint32_t to = t->annots.v[outer].tend;
    for (uint32_t i = from; i < to; i++)
        for (uint32_t a = t->first_start.v[i]; a != NONE32;
             a = t->annots.v[a].next_start) {
            annot *an = &t->annots.v[a];
            if (an->tend > to || (i == from && an->tend == to) ||
                (an->flags & AF_REMOVED) || !LABEL_IS_TYPE(an->label))
                continue;
            an->flags |= AF_REMOVED;
            an->rule = ri;
            trace_change(t, "removed inside", a, ri, an->label);
        }
}

/* "kept GROUP 'Lazarus Group' (Lazarus Group) over ORG by rule …": a
 * rule's mention that a known name of the same span overrode. */
static void trace_kept(nertag_tagger *t, const rule *ru, uint32_t label,
                       uint32_t known)
{
    if (!t->trace)
        return;
    const annot *an = &t->annots.v[known];
    const char *s;
    size_t n;
    span_text(t, an->tstart, an->tend, &s, &n);
    const ruleset *r = t->model->rules;
    tagger_trace(t, "kept %s '%.*s' (%s) over %s by rule %s (%s:%u)",
                 strtab_get(&t->model->labels, an->label), (int)n, s,
                 entity_canonical(t, &an->ent),
                 strtab_get(&t->model->labels, label),
                 rules_str(r, ru->name), strtab_get(&t->model->files, ru->file),
                 ru->line);
}

int rules_act(nertag_tagger *t, const rule *ru, fired *f)
{
    const ruleset *r = t->model->rules;
    for (uint32_t i = 0; i < ru->nactions; i++) {
        const action *ac = &r->actions.v[ru->first_action + i];
        if (ac->kind == A_MENTION) {
            if (act_mention(t, ru, ac, f, &f->made) != 0)
                return -1;
            if (f->made != NONE32)
                trace_change(t, "made", f->made, f->rule, ac->label);
            continue;
        }
        if (ac->kind == A_ALIAS) {
            if (act_alias(t, ac, f) != 0)
                return -1;
            continue;
        }
        uint32_t a = capture_annot(t, f->caps, ac->capture);
        if (a == NONE32)
            continue;
        annot *an = &t->annots.v[a];
        uint32_t old = an->label;
        /* confirming what needs no confirmation changes nothing */
        if (ac->kind == A_CONFIRM && !(an->flags & AF_AMBIGUOUS))
            continue;
        if (ac->kind == A_RETYPE)
            an->label = ac->label;
        if (ac->kind == A_REMOVE)
            an->flags |= AF_REMOVED;
        else
            an->flags &= ~(uint32_t)AF_AMBIGUOUS;
        an->rule = f->rule;
        trace_change(t, ac->kind == A_REMOVE ? "removed"
                        : ac->kind == A_RETYPE ? "retyped" : "confirmed",
                     a, f->rule, old);
        if (ac->kind == A_REMOVE && LABEL_IS_TYPE(old))
            remove_inside(t, a, f->rule);
    }
    return 0;
}

