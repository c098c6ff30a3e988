/* fuzz_jsonl.c - the command on JSON Lines input: its reader, the pool
 * and every output format, with the model of the source tree.
 *
 * Input: one byte of options (fuzz_cli_options), then the lines.  Checks:
 * each non-blank line is one document or one message; the output of its
 * format is well formed (fuzz_check_output), and for JSON Lines output the
 * entities agree with the "text" written beside them. */
#include "fuzz-cli.h"

#include <string.h>

const char fuzz_target_name[] = "jsonl";

/* Read-only once loaded. */
static const nertag_model *model;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    model = fuzz_cli_model();
    return 0;
}

/* Lines that hold more than spaces, tabs and CRs, as read_jsonl counts. */
static size_t documents_in(const char *s, size_t n)
{
    size_t docs = 0;
    int blank = 1;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n') {
            docs += !blank;
            blank = 1;
        } else if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r') {
            blank = 0;
        }
    }
    return docs + !blank;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    cli_opts o;
    fuzz_cli_options(&o, IN_JSONL, data[0]);
    buf out = BUF_INIT, msgs = BUF_INIT;
    int status = fuzz_cli_run(&o, model, data + 1, size - 1, &out, &msgs);
    fuzz_check_messages(&msgs, status);
    size_t in_docs = documents_in((const char *)data + 1, size - 1);
    size_t rejected = fuzz_count_lines(msgs.data, msgs.len);
    size_t out_docs = fuzz_check_output(&o, &out);
    /* a line is tagged or rejected, never both */
    FUZZ_CHECK(rejected <= in_docs);
    if (out_docs != SIZE_MAX)
        FUZZ_CHECK(out_docs + rejected == in_docs);
    buf_free(&out);
    buf_free(&msgs);
    return 0;
}
