/* fuzz_conll.c - the command on CoNLL input: its reader, the pool and
 * every output format, with the model of the source tree.
 *
 * Input: one byte of options (fuzz_cli_options), one byte whose bit 0
 * chooses the token column (1 or 2), then the lines.  Checks: the output
 * of its format is well formed (fuzz_check_output); CoNLL output gives
 * back every input line, in order, with a tag added to each non-blank one,
 * and the tags follow their scheme. */
#include "fuzz-cli.h"

#include <string.h>

#include "lib/internal.h"

const char fuzz_target_name[] = "conll";

/* Read-only once loaded. */
static const nertag_model *model;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    model = fuzz_cli_model();
    return 0;
}

static int blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return 0;
    return 1;
}

/* The next line of s[*pos..n) without its '\n'; with chomp, also without
 * a final CR, as the reader takes input lines (even the last one, which
 * may lack its '\n'). */
static int next_line(const char *s, size_t n, size_t *pos, const char **l,
                     size_t *ll, int chomp)
{
    if (*pos >= n)
        return 0;
    const char *e = memchr(s + *pos, '\n', n - *pos);
    *l = s + *pos;
    *ll = e ? (size_t)(e - *l) : n - *pos;
    *pos += *ll + 1;
    if (chomp && *ll && (*l)[*ll - 1] == '\r')
        (*ll)--;
    return 1;
}

/* CoNLL in, CoNLL out: line for line, the input line then a separator and
 * a tag; blank lines as they were.  With check_tags, the tags of each
 * sentence follow the scheme. */
static void check_echo(const cli_opts *o, const char *in, size_t in_len,
                       const buf *out, int check_tags)
{
    FUZZ_CHECK(fuzz_count_lines(out->data, out->len) ==
               fuzz_count_lines(in, in_len));
    FUZZ_CHECK(!out->len || out->data[out->len - 1] == '\n');
    size_t ip = 0, op = 0;
    const char *il, *ol;
    size_t ill, oll;
    char prev = 'O';
    int prev_type = -1;
    while (next_line(in, in_len, &ip, &il, &ill, 1)) {
        FUZZ_CHECK(next_line(out->data, out->len, &op, &ol, &oll, 0));
        if (blank(il, ill)) {
            FUZZ_CHECK(oll == ill);
            if (check_tags && o->scheme == SCHEME_BIOES)
                FUZZ_CHECK(prev != 'B' && prev != 'I');
            prev = 'O';
            continue;
        }
        FUZZ_CHECK(oll > ill + 1);
        FUZZ_CHECK(ol[ill] == ' ' || ol[ill] == '\t');
        FUZZ_CHECK(!memcmp(ol, il, ill));
        if (check_tags)
            fuzz_check_tag_sequence(ol + ill + 1, oll - ill - 1,
                                    o->scheme == SCHEME_BIOES, &prev,
                                    &prev_type);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    cli_opts o;
    fuzz_cli_options(&o, IN_CONLL, data[0]);
    o.token_column = 1 + (data[1] & 1);
    const char *in = (const char *)data + 2;
    size_t in_len = size - 2;
    buf out = BUF_INIT, msgs = BUF_INIT;
    int status = fuzz_cli_run(&o, model, data + 2, in_len, &out, &msgs);
    fuzz_check_messages(&msgs, status);
    fuzz_check_output(&o, &out);
    if (o.output == OUT_CONLL && !o.explain) {
        /* with --replace-invalid, the lines come back repaired */
        buf fixed = BUF_INIT;
        if (o.replace_invalid) {
            FUZZ_CHECK(utf8_replace_invalid(in, in_len, &fixed) == 0);
            in = fixed.data ? fixed.data : "";
            in_len = fixed.len;
        }
        check_echo(&o, in, in_len, &out, status == 0);
        buf_free(&fixed);
    }
    buf_free(&out);
    buf_free(&msgs);
    return 0;
}
