/* model-check.c - what makes a data folder wrong rather than unusual.
 *
 * Labels are free: any word in capitals names one.  So a misspelt type in
 * a rule ("mention = GRUOP") would load and silently make nothing: a label
 * that a rule makes must be an output type or be tested by some rule, or
 * loading fails with the rule's place.  A gazetteer label that no rule
 * tests, or a rule step that asks for a label nothing gives, may be right
 * in a folder that is one layer of several or a part of a larger one:
 * `nertag lint` reports those (src/tools/lint.c), with these helpers.
 */
#include "lib/internal.h"
#include "lib/rules/rules.h"

#include <string.h>

int label_tested(const ruleset *r, uint32_t label)
{
    for (size_t i = 0; r && i < r->code.n; i++) {
        const inst *in = &r->code.v[i];
        for (uint32_t k = 0; in->op == OP_ANNOT && k < in->y; k++)
            if (r->labelsets.v[in->x + k] == label)
                return 1;
    }
    for (size_t i = 0; r && i < r->tests.n; i++) {
        const test *x = &r->tests.v[i];
        if ((x->kind == T_IN || x->kind == T_LABEL) && x->arg == label)
            return 1;
    }
    return 0;
}

uint32_t label_ready(const struct nertag_model *m, uint32_t label)
{
    const ruleset *r = m->rules;
    uint32_t ready = UINT32_MAX;
    for (size_t i = 0; i < m->gaz.entries.n; i++)
        if (m->gaz.entries.v[i].label == label)
            return 0;
    for (size_t i = 0; r && i < r->rules.n; i++) {
        const rule *ru = &r->rules.v[i];
        for (uint32_t k = 0; k < ru->nactions; k++) {
            const action *ac = &r->actions.v[ru->first_action + k];
            if ((ac->kind == A_MENTION || ac->kind == A_RETYPE) &&
                ac->label == label && ru->phase + 1 < ready)
                ready = ru->phase + 1;
        }
    }
    return ready;
}

/* A label a rule makes must be a type or be tested by some rule. */
int model_check(const struct nertag_model *m, nertag_error *err)
{
    const ruleset *r = m->rules;
    for (size_t i = 0; r && i < r->rules.n; i++) {
        const rule *ru = &r->rules.v[i];
        for (uint32_t k = 0; k < ru->nactions; k++) {
            const action *ac = &r->actions.v[ru->first_action + k];
            if ((ac->kind == A_MENTION || ac->kind == A_RETYPE) &&
                !LABEL_IS_TYPE(ac->label) && !label_tested(r, ac->label)) {
                err_set(err, NERTAG_ERR_SYNTAX, "rule '%s' makes '%s', which "
                        "is no type (STATE, ORG, GROUP, SPOKESPERSON, PERSON, "
                        "LOC) and which no rule tests",
                        rules_str(r, ru->name),
                        strtab_get(&m->labels, ac->label));
                err_set_place(err, strtab_get(&m->files, ru->file),
                              (long)ru->line, 0);
                return -1;
            }
        }
    }
    return 0;
}
