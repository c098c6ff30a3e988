/* entity.c - what a mention names, and what made it, decided in one place.
 *
 * An annotation or a document alias names an entity (struct entity): the
 * gazetteer entry it matched, if any, and the strings a rule set over it.
 * One rule of precedence gives its canonical name, id and `for`: a string a
 * rule set (a template, a name copied from the annotation it stands for)
 * wins over the gazetteer entry's; without either, the string is empty.
 * The entry's `for` (its speaks-for attribute) is that of spokespeople
 * only: a person the text does not present as speaking for anyone has
 * none.
 * A mention that no gazetteer knows and no template names gets its own
 * text as canonical name when the rule makes it (rules-match.c).
 */
#include "lib/internal.h"
#include "lib/rules/rules.h"

#include <string.h>

const char *entity_canonical(const nertag_tagger *t, const entity *e)
{
    if (e->canonical != NONE32)
        return tagger_str(t, e->canonical);
    if (e->entry != NONE32)
        return gaz_str(&t->model->gaz,
                       t->model->gaz.entries.v[e->entry].canonical);
    return "";
}

const char *entity_id(const nertag_tagger *t, const entity *e)
{
    if (e->id != NONE32)
        return tagger_str(t, e->id);
    if (e->entry != NONE32)
        return gaz_str(&t->model->gaz, t->model->gaz.entries.v[e->entry].id);
    return "";
}

const char *entity_for(const nertag_tagger *t, const entity *e,
                       uint32_t label)
{
    if (e->for_ != NONE32 || e->entry == NONE32 ||
        label != NERTAG_SPOKESPERSON)
        return tagger_str(t, e->for_);
    const gazetteer *g = &t->model->gaz;
    return gaz_str(g, g->entries.v[e->entry].speaks_for);
}

int entity_source(const nertag_tagger *t, uint32_t rule_index, const entity *e,
                  uint32_t alias, buf *out)
{
    const struct nertag_model *m = t->model;
    size_t start = out->len;
    int rc = 0;
    if (rule_index != NONE32)
        rc = buf_puts(out, rules_str(m->rules,
                                     m->rules->rules.v[rule_index].source));
    if (rc == 0 && e && e->entry != NONE32) {
        const gaz_entry *g = &m->gaz.entries.v[e->entry];
        uint32_t line = alias != NONE32 ? m->gaz.aliases.v[alias].line
                                        : g->line;
        rc = (out->len > start && buf_puts(out, "; ")) ||
             buf_puts(out, "gazetteer ") ||
             buf_puts(out, strtab_get(&m->files, g->file)) ||
             buf_putc(out, ':') || buf_put_uint(out, line);
    }
    return rc;
}
