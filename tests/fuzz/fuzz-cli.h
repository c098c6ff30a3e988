/* fuzz-cli.h - running the command's readers, pool and writers on a
 * buffer, for the JSON Lines and CoNLL targets. */
#ifndef NERTAG_FUZZ_CLI_H
#define NERTAG_FUZZ_CLI_H

#include "fuzz.h"
#include "cli/cli.h"

/* The model of the source tree, read from its sources; aborts on error. */
const nertag_model *fuzz_cli_model(void);

/* Options of a run from one byte:
 *   bits 0-2  output: jsonl, conll, text, html, brat, xml, jsonl, conll
 *   bit 3     --replace-invalid
 *   bit 4     --explain
 *   bits 5-6  --lang: none, fr, en, auto
 *   bit 7     --scheme bioes and --color=always */
void fuzz_cli_options(cli_opts *o, enum in_format input, uint8_t flags);

/* Runs the command on data as the input file "fuzz"; its output goes to
 * out and its messages to msgs (both replaced).  Returns the exit status
 * the command would have (0, or 1 when some input was rejected); aborts
 * when the run fails. */
int fuzz_cli_run(const cli_opts *o, const nertag_model *m,
                 const uint8_t *data, size_t size, buf *out, buf *msgs);

/* Lines of s[0..n) as getline reads them: the last may lack its '\n'. */
size_t fuzz_count_lines(const char *s, size_t n);

/* Checks that there are messages exactly when the status says some input
 * was rejected, each one line starting with "nertag: fuzz". */
void fuzz_check_messages(const buf *msgs, int status);

/* Checks the output of a run by its format, as far as the format allows:
 * JSON Lines parse, and their entities' offsets and texts agree with their
 * "text"; XML documents are well formed; brat and CoNLL lines keep their
 * columns and CoNLL tags their scheme.  Returns the number of documents
 * seen, or SIZE_MAX for a format that does not tell. */
size_t fuzz_check_output(const cli_opts *o, const buf *out);

/* Checks that tag (n bytes) may follow the tag *prev (its prefix, 'O' at
 * the start) of type *prev_type in IOB2 or BIOES; updates both. */
void fuzz_check_tag_sequence(const char *tag, size_t n, int bioes,
                             char *prev, int *prev_type);

#endif
