/* tools.h - checks of a data folder, for `nertag lint` and the test suite:
 * built on the library, not part of it. */
#ifndef NERTAG_TOOLS_H
#define NERTAG_TOOLS_H

#include "nertag.h"

/* Called once for each problem found, with its place. */
typedef void (*example_report)(void *ctx, const char *file, long line,
                               const char *rule, const char *message);

/* Tags every example and counter-example of every rule with t; reports
 * each failure.  Returns the number of failures, -1 with err set when
 * tagging failed. */
long check_rule_examples(nertag_tagger *t, example_report report, void *ctx,
                         nertag_error *err);
/* The number of examples and counter-examples of all rules. */
size_t count_rule_examples(const nertag_model *m);
/* Static checks of the loaded rules (annotations never made, labels made
 * and never used, lists never used); reports each problem.  Returns their
 * number. */
long lint_rules(const nertag_model *m, example_report report, void *ctx);

#endif
