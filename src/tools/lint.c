/* lint.c - static checks of the loaded rules: steps that can never match
 * (an annotation no gazetteer and no earlier phase makes), labels made that
 * are no type and that nothing tests (a misspelt type), lists no rule
 * uses.  It reads the compiled rules (lib/rules/rules.h) and changes
 * nothing. */
#include "tools/tools.h"
#include "lib/inspect.h"

#include <stdio.h>
#include <string.h>

/* The first phase after which a label exists: 0 for gazetteer labels,
 * phase + 1 for labels made by rules, UINT32_MAX when nothing makes it. */
static uint32_t label_ready(const struct nertag_model *m, uint32_t label)
{
    const ruleset *r = m->rules;
    uint32_t ready = UINT32_MAX;
    for (size_t i = 0; i < m->gaz.entries.n; i++)
        if (m->gaz.entries.v[i].label == label)
            return 0;
    for (size_t i = 0; i < r->rules.n; i++) {
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
                     ? "<%s> is made by no gazetteer and no rule"
                     : "<%s> is made only in a later phase than this rule's",
                     strtab_get(&m->labels, l));
            report(ctx, file, (long)ru->line, rules_str(r, ru->name), msg);
            problems++;
        }
    }
    return problems;
}

/* Whether some pattern tests label: <LABEL>, in=LABEL or label=LABEL. */
static int label_tested(const ruleset *r, uint32_t label)
{
    for (size_t i = 0; i < r->code.n; i++) {
        const inst *in = &r->code.v[i];
        for (uint32_t k = 0; in->op == OP_ANNOT && k < in->y; k++)
            if (r->labelsets.v[in->x + k] == label)
                return 1;
    }
    for (size_t i = 0; i < r->tests.n; i++) {
        const test *x = &r->tests.v[i];
        if ((x->kind == T_IN || x->kind == T_LABEL) && x->arg == label)
            return 1;
    }
    return 0;
}

/* A rule that makes an annotation of a label that is no type, and that no
 * pattern tests, does nothing visible: most likely a misspelt type. */
static long lint_actions(const struct nertag_model *m, const rule *ru,
                         example_report report, void *ctx)
{
    const ruleset *r = m->rules;
    long problems = 0;
    char msg[200];
    for (uint32_t k = 0; k < ru->nactions; k++) {
        const action *ac = &r->actions.v[ru->first_action + k];
        if ((ac->kind != A_MENTION && ac->kind != A_RETYPE) ||
            LABEL_IS_TYPE(ac->label) || label_tested(r, ac->label))
            continue;
        snprintf(msg, sizeof msg, "%s is no type and no rule tests it",
                 strtab_get(&m->labels, ac->label));
        report(ctx, strtab_get(&m->files, ru->file), (long)ru->line,
               rules_str(r, ru->name), msg);
        problems++;
    }
    return problems;
}

long lint_rules(const struct nertag_model *m, example_report report,
                void *ctx)
{
    const ruleset *r = m->rules;
    long problems = 0;
    if (!r)
        return 0;
    for (size_t i = 0; i < r->rules.n; i++) {
        const rule *ru = &r->rules.v[i];
        problems += lint_program(m, ru, &ru->match, report, ctx);
        for (int c = 0; c < 4; c++)
            problems += lint_program(m, ru, &ru->context[c], report, ctx);
        problems += lint_actions(m, ru, report, ctx);
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
        if (!used) {
            report(ctx, strtab_get(&m->files, r->lists.v[i].file),
                   (long)r->lists.v[i].line, rules_str(r, r->lists.v[i].name),
                   "list used by no rule");
            problems++;
        }
    }
    return problems;
}
