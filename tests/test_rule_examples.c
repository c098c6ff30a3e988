/* test_rule_examples.c - every rule does what its examples say.
 *
 * Each rule of the models' rule files may carry examples ("example = … [mention|TYPE]
 * …", the rule must fire and the marked mentions come out) and
 * counter-examples ("counter = …", the rule must not fire).  This program
 * runs them all on the model of the source tree; each failure is printed
 * with its file:line. */
#include "testutil.h"
#include "lib/internal.h"
#include "lib/rules/rules.h"
#include "tools/tools.h"

#include <stdio.h>

static void print_failure(void *ctx, const char *file, long line,
                          const char *rule_name, const char *message)
{
    (*(long *)ctx)++;
    printf("%s:%ld: %s: %s\n", file, line, rule_name, message);
}

START_TEST(every_example_holds)
{
    const nertag_model *m = test_model();
    ck_assert_uint_gt(m->rules->examples.n, 20);
    nertag_error err;
    nertag_tagger *t = nertag_tagger_new(m, &err);
    ck_assert_ptr_nonnull(t);
    long printed = 0;
    long failed = check_rule_examples(t, print_failure, &printed, &err);
    ck_assert_msg(failed >= 0, "examples could not run: %s", err.message);
    ck_assert_int_eq(printed, failed);
    ck_assert_msg(failed == 0, "%ld rule examples fail", failed);
    nertag_tagger_free(t);
}
END_TEST

START_TEST(every_rule_has_an_example)
{
    const nertag_model *m = test_model();
    const ruleset *r = m->rules;
    for (size_t i = 0; i < r->rules.n; i++) {
        const rule *ru = &r->rules.v[i];
        int positive = 0;
        for (uint32_t k = 0; k < ru->nexamples; k++)
            positive += r->examples.v[ru->first_example + k].positive;
        ck_assert_msg(positive > 0, "rule %s (%s:%u) has no example",
                      rules_str(r, ru->name), strtab_get(&m->files, ru->file),
                      ru->line);
    }
}
END_TEST

START_TEST(rules_pass_lint)
{
    long printed = 0;
    long problems = lint_rules(test_model(), print_failure, &printed);
    ck_assert_int_eq(problems, 0);
}
END_TEST

static Suite *examples_suite(void)
{
    Suite *s = suite_create("rule examples");
    TCase *tc = tcase_create("models");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, every_example_holds);
    tcase_add_test(tc, every_rule_has_an_example);
    tcase_add_test(tc, rules_pass_lint);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return test_run(examples_suite());
}
