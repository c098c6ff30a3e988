/* rules.c - what the loaded rules answer at tag time, whether they were
 * read from rule files (rules-load.c) or mapped from a compiled model. */
#include "lib/rules/rules.h"

#include <stdlib.h>
#include <string.h>

const char *rules_str(const ruleset *r, uint32_t off)
{
    return off == NONE32 ? "" : r->strings.data + off;
}

const char *rule_capture_name(const ruleset *r, const rule *ru, uint32_t c)
{
    const char *s = rules_str(r, ru->capture_names);
    for (uint32_t i = 0; i < c; i++)
        s += strlen(s) + 1;
    return s;
}

void rules_free(ruleset *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->phases.n; i++) {
        strtab_free(&r->phases.v[i].keys);
        u32_vec_free(&r->phases.v[i].key_first);
        u32_vec_free(&r->phases.v[i].links);
        u32_vec_free(&r->phases.v[i].anywhere);
    }
    phase_vec_free(&r->phases);
    free(r->form_phases);
    free(r->stem_phases);
    free(r->label_phases);
    free(r->list_bits);
    word_rules_vec_free(&r->words);
    u32_vec_free(&r->ends_phases);
    u32_vec_free(&r->ends_text);
    gate_vec_free(&r->gates);
    first_step_vec_free(&r->first_steps);
    u32_vec_free(&r->word_keys);
    u32_vec_free(&r->next_tests);
    rule_vec_free(&r->rules);
    u32_vec_free(&r->stems);
    inst_vec_free(&r->code);
    test_vec_free(&r->tests);
    u32_vec_free(&r->labelsets);
    list_vec_free(&r->lists);
    strtab_free(&r->members);
    u32_vec_free(&r->list_items);
    u32_vec_free(&r->far_lists);
    u32_vec_free(&r->form_sets);
    strtab_free(&r->phase_names);
    piece_vec_free(&r->pieces);
    action_vec_free(&r->actions);
    example_vec_free(&r->examples);
    buf_free(&r->strings);
    free(r);
}

size_t rules_count(const ruleset *r)
{
    return r ? r->rules.n : 0;
}

size_t rules_phase_count(const ruleset *r)
{
    return r ? r->phases.n : 0;
}
