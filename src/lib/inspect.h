/* inspect.h - what the tools built on the library (the linter, the rule
 * example checker: src/tools/) may ask beyond the public API.  They read
 * the loaded model's structures (internal.h, rules/rules.h) and never
 * change them; of a tagger they may ask only what follows. */
#ifndef NERTAG_INSPECT_H
#define NERTAG_INSPECT_H

#include "lib/internal.h"
#include "lib/rules/rules.h"

/* The model a tagger tags with. */
static inline const struct nertag_model *tagger_model(const nertag_tagger *t)
{
    return t->model;
}

/* Whether the rule of that index fired in the tagger's last document. */
int tagger_rule_fired(const nertag_tagger *t, uint32_t rule_index);

#endif
