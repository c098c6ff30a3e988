/* lint.c - static checks of the loaded data, beyond what loading itself
 * refuses (a rule that makes a label nothing uses, model-check.c): steps
 * that can never match (what they ask for no gazetteer gives, or only a
 * later phase makes), gazetteer labels that are no type and that no rule
 * tests (a misspelt type: "GRUOP"), lists no rule uses.  It reads the
 * compiled model and changes nothing. */
#include "tools/tools.h"
#include "lib/inspect.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long lint_program(const struct nertag_model *m, const rule *ru,
                         const program *pg, example_report report, void *ctx)
{
    const ruleset *r = m->rules;
    long problems = 0;
    char msg[200];
    const char *file = strtab_get(&m->files, ru->file);
    for (uint32_t pc = pg->start; pc < pg->start + pg->len; pc++) {
        const inst *in = &r->code.v[pc];
        if (in->op != OP_ANNOT)
            continue;
        for (uint32_t i = 0; i < in->y; i++) {
            uint32_t l = r->labelsets.v[in->x + i];
            uint32_t ready = label_ready(m, l);
            if (ready <= ru->phase)
                continue;
            snprintf(msg, sizeof msg, ready == UINT32_MAX
                     ? "<%s> is given by no gazetteer and made by no rule"
                     : "<%s> is made only in a later phase than this rule's",
                     strtab_get(&m->labels, l));
            report(ctx, file, (long)ru->line, rules_str(r, ru->name), msg);
            problems++;
        }
    }
    return problems;
}

/* Gazetteer labels that are no type and that no rule tests: their
 * entries can never matter.  Said once a label, at its first line. */
static long lint_gazetteer_labels(const struct nertag_model *m,
                                  example_report report, void *ctx)
{
    long problems = 0;
    char msg[200];
    uint8_t *said = calloc(m->labels.count + 1, 1);
    for (size_t i = 0; said && i < m->gaz.entries.n; i++) {
        const gaz_entry *e = &m->gaz.entries.v[i];
        if (said[e->label] || LABEL_IS_TYPE(e->label) ||
            label_tested(m->rules, e->label))
            continue;
        said[e->label] = 1;
        snprintf(msg, sizeof msg, "label %s is no type and no rule tests it",
                 strtab_get(&m->labels, e->label));
        report(ctx, strtab_get(&m->files, e->file), (long)e->line,
               gaz_str(&m->gaz, e->id), msg);
        problems++;
    }
    free(said);
    return problems;
}

long lint_rules(const struct nertag_model *m, example_report report,
                void *ctx)
{
    const ruleset *r = m->rules;
    long problems = lint_gazetteer_labels(m, report, ctx);
    if (!r)
        return problems;
    for (size_t i = 0; i < r->rules.n; i++) {
        const rule *ru = &r->rules.v[i];
        problems += lint_program(m, ru, &ru->match, report, ctx);
        for (int c = 0; c < 4; c++)
            problems += lint_program(m, ru, &ru->context[c], report, ctx);
    }
    for (size_t i = 0; i < r->lists.n; i++) {
        int used = 0;
        for (size_t k = 0; !used && k < r->tests.n; k++) {
            const test *x = &r->tests.v[k];
            used = (x->kind == T_LIST && x->arg == i) ||
                   (x->kind == T_CONJ && i < 64 &&
                    ((x->form_in | x->form_out | x->stem_in | x->stem_out) >>
                     i & 1));
        }
        for (size_t k = 0; !used && i < 64 && k < r->rules.n; k++)
            used = r->rules.v[k].document_lists >> i & 1;
        for (size_t slot = 0; !used && slot < r->far_lists.n; slot++)
            used = r->far_lists.v[slot] == i;
        if (!used) {
            report(ctx, strtab_get(&m->files, r->lists.v[i].file),
                   (long)r->lists.v[i].line, rules_str(r, r->lists.v[i].name),
                   "list used by no rule");
            problems++;
        }
    }
    return problems;
}
