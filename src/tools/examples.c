/* examples.c - checking every rule against its own examples.
 *
 * Each rule may carry example texts in which it must fire and make the
 * marked mentions, and counter-examples in which it must not fire.  They
 * are tagged like any text, through the public API, with the rule's
 * language; the only thing asked of the engine beyond that is whether the
 * rule fired (lib/inspect.h). */
#include "tools/tools.h"
#include "lib/inspect.h"

#include <stdio.h>
#include <string.h>

/* Is "start end TYPE canonical" among the mentions of res? */
static int has_mention(const nertag_result *res, const char *line,
                       char *why, size_t whysize)
{
    size_t start, end;
    char type[32];
    int used = 0;
    if (sscanf(line, "%zu %zu %31s%n", &start, &end, type, &used) < 3)
        return 0;
    /* the canonical name, if any, is the rest of this line: a space in a
     * sscanf format would skip the newline into the next mention's line */
    const char *canon = line + used;
    while (*canon == ' ')
        canon++;
    size_t clen = strcspn(canon, "\n");
    for (size_t i = 0; i < nertag_result_count(res); i++) {
        const nertag_mention *m = nertag_result_mention(res, i);
        if (m->start != start || m->end != end)
            continue;
        if (strcmp(nertag_type_name(m->type), type)) {
            snprintf(why, whysize, "'%s' is %s, expected %s", m->text,
                     nertag_type_name(m->type), type);
            return 0;
        }
        if (clen && (strlen(m->canonical) != clen ||
                     strncmp(m->canonical, canon, clen))) {
            snprintf(why, whysize, "'%s' resolves to '%s', expected '%.*s'",
                     m->text, m->canonical, (int)clen, canon);
            return 0;
        }
        return 1;
    }
    snprintf(why, whysize, "no mention at code points %zu-%zu (%s)", start,
             end, type);
    return 0;
}

static long check_example(nertag_tagger *t, const rule *ru, uint32_t ri,
                          const example *ex, example_report report, void *ctx,
                          nertag_error *err)
{
    const ruleset *r = tagger_model(t)->rules;
    const char *text = rules_str(r, ex->text);
    nertag_options opt = { ru->lang >= 0 ? lang_code(&tagger_model(t)->lang,
                                                     ru->lang) : NULL, 0,
                           NULL, { 0 } };
    nertag_result *res = nertag_tag(t, text, strlen(text), &opt, err);
    if (!res)
        return -1;
    const char *file = strtab_get(&tagger_model(t)->files, ru->file);
    const char *name = rules_str(r, ru->name);
    long failures = 0;
    char why[300];
    if (ex->positive && !tagger_rule_fired(t, ri)) {
        report(ctx, file, (long)ex->line, name, "the rule does not fire");
        failures++;
    }
    if (!ex->positive && tagger_rule_fired(t, ri)) {
        report(ctx, file, (long)ex->line, name,
               "the rule fires on its counter-example");
        failures++;
    }
    for (const char *l = rules_str(r, ex->expect); *l;
         l = strchr(l, '\n') + 1) {
        why[0] = '\0';
        if (!has_mention(res, l, why, sizeof why)) {
            report(ctx, file, (long)ex->line, name, why);
            failures++;
        }
    }
    nertag_result_free(res);
    return failures;
}

long check_rule_examples(nertag_tagger *t, example_report report, void *ctx,
                          nertag_error *err)
{
    const ruleset *r = tagger_model(t)->rules;
    long failures = 0;
    for (size_t i = 0; r && i < r->rules.n; i++) {
        const rule *ru = &r->rules.v[i];
        for (uint32_t k = 0; k < ru->nexamples; k++) {
            long f = check_example(t, ru, (uint32_t)i,
                                   &r->examples.v[ru->first_example + k],
                                   report, ctx, err);
            if (f < 0)
                return -1;
            failures += f;
        }
    }
    return failures;
}

size_t count_rule_examples(const nertag_model *m)
{
    return m->rules ? m->rules->examples.n : 0;
}
