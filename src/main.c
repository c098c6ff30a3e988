/* main.c - the nertag command.
 *
 *   nertag [options] [FILE...]      tag files (standard input without any)
 *   nertag lint [--data DIR]        check gazetteers and rules, run the
 *                                   examples of every rule
 *
 * Exit status: 0 success, 1 some input was rejected (each reason on
 * standard error with its place), 2 usage error or unusable data.
 */
#include "cli.h"
#include "eval.h"
#include "internal.h"
#include "rules.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *f)
{
    fputs(
"usage: nertag [options] [FILE...]\n"
"       nertag lint [--data DIR]\n"
"       nertag compile [--data DIR] [--model FILE]\n"
"\n"
"Tags states, organizations, groups, spokespeople, people and places in\n"
"French and English text.  Reads standard input when no FILE is given.\n"
"\n"
"  -l, --lang fr|en|auto     language of the documents (default: auto)\n"
"  -i, --input FORMAT        text (default), jsonl or conll\n"
"  -o, --output FORMAT       jsonl (default), conll or text\n"
"  -c, --token-column N      conll input: the column holding the tokens (1)\n"
"  -d, --data DIR            folder with gazetteers/ and models/\n"
"  -m, --model FILE          compiled model (default DIR/models/nertag.model)\n"
"      --replace-invalid     replace invalid UTF-8 by U+FFFD, not an error\n"
"      --explain             show the rule and gazetteer line behind each\n"
"                            mention, and what later phases changed\n"
"      --color[=WHEN]        colour inline text: always, never, auto\n"
"  -h, --help                this help\n"
"  -V, --version             the version\n"
"\n"
"The data folder is, in order: --data, $NERTAG_DATA, the source tree when\n"
"run from the build tree, or the installed " PKGDATADIR ".\n", f);
}

/* Is this program run from its build tree? */
static int in_build_tree(void)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    size_t bl = strlen(ABS_TOP_BUILDDIR);
    if (n <= 0)
        return 0;
    exe[n] = '\0';
    return !strncmp(exe, ABS_TOP_BUILDDIR, bl) && exe[bl] == '/';
}

/* The data folder when none is given. */
static const char *default_data_dir(void)
{
    const char *env = getenv("NERTAG_DATA");
    if (env && *env)
        return env;
    /* a program run from its build tree uses the data of its source tree */
    return in_build_tree() ? ABS_TOP_SRCDIR : PKGDATADIR;
}

/* The compiled model of the build tree, for its own program. */
static const char *default_compiled(const char *dir)
{
    return in_build_tree() && !strcmp(dir, ABS_TOP_SRCDIR)
        ? ABS_TOP_BUILDDIR "/nertag.model" : NULL;
}

static nertag_model *load_model(const char *dir, const char *compiled,
                                int ignore_compiled)
{
    nertag_error err;
    nertag_load_options opt = { NULL, NULL, compiled, ignore_compiled };
    if (!opt.compiled_model)
        opt.compiled_model = default_compiled(dir);
    if (opt.compiled_model && access(opt.compiled_model, R_OK) != 0 &&
        !compiled)
        opt.compiled_model = NULL;
    nertag_model *m = nertag_model_load(dir, &opt, &err);
    if (!m) {
        char msg[600];
        fprintf(stderr, "nertag: cannot load the model from %s: %s\n", dir,
                nertag_error_format(&err, msg, sizeof msg));
        return NULL;
    }
    nertag_model_stats st;
    nertag_model_get_stats(m, &st);
    if (st.origin == NERTAG_MODEL_STALE_COMPILED ||
        st.origin == NERTAG_MODEL_BAD_COMPILED)
        fprintf(stderr, "nertag: note: the compiled model %s; the sources "
                "were read instead ('nertag compile' writes a new one)\n",
                st.origin == NERTAG_MODEL_STALE_COMPILED
                    ? "is older than its sources" : "is unusable");
    return m;
}

/* nertag compile [--data DIR] [-o FILE] */
static int run_compile(const char *dir, const char *out)
{
    nertag_model *m = load_model(dir, NULL, 1);
    if (!m)
        return 2;
    char path[PATH_MAX];
    if (!out) {
        snprintf(path, sizeof path, "%s/models/nertag.model", dir);
        out = path;
    }
    nertag_error err;
    int rc = nertag_model_save(m, out, &err);
    if (rc != 0) {
        char msg[600];
        fprintf(stderr, "nertag: %s\n",
                nertag_error_format(&err, msg, sizeof msg));
    }
    nertag_model_free(m);
    return rc == 0 ? 0 : 2;
}

/* ------------------------------------------------------------ lint */

static void lint_report(void *ctx, const char *file, long line,
                        const char *rule_name, const char *message)
{
    (*(long *)ctx)++;
    fprintf(stderr, "%s:%ld: %s: %s\n", file, line, rule_name, message);
}

static int run_lint(const char *dir)
{
    nertag_model *m = load_model(dir, NULL, 1);
    if (!m)
        return 2;
    nertag_error err;
    nertag_tagger *t = nertag_tagger_new(m, &err);
    long problems = 0;
    long lint = rules_lint(m, lint_report, &problems);
    long failed = t ? rules_check_examples(t, lint_report, &problems, &err)
                    : -1;
    nertag_model_stats st;
    nertag_model_get_stats(m, &st);
    size_t examples = m->rules ? m->rules->examples.n : 0;
    printf("%zu gazetteer entries, %zu aliases, %zu rules in %zu phases, "
           "%zu examples\n", st.entries, st.aliases, st.rules, st.phases,
           examples);
    if (failed < 0)
        fprintf(stderr, "nertag: %s\n", err.message);
    else
        printf("%ld lint problems, %ld failing examples\n", lint, failed);
    nertag_tagger_free(t);
    nertag_model_free(m);
    return failed == 0 && lint == 0 ? 0 : 1;
}

/* ------------------------------------------------------------ options */

static int parse_format(const char *s, const char *const *names, int *out)
{
    for (int i = 0; names[i]; i++)
        if (!strcmp(s, names[i])) {
            *out = i;
            return 0;
        }
    return -1;
}

static int parse_options(int argc, char **argv, cli *c, const char **data,
                         const char **model)
{
    static const struct option longs[] = {
        { "lang", required_argument, NULL, 'l' },
        { "input", required_argument, NULL, 'i' },
        { "output", required_argument, NULL, 'o' },
        { "token-column", required_argument, NULL, 'c' },
        { "data", required_argument, NULL, 'd' },
        { "model", required_argument, NULL, 'm' },
        { "replace-invalid", no_argument, NULL, 'R' },
        { "explain", no_argument, NULL, 'E' },
        { "color", optional_argument, NULL, 'C' },
        { "colour", optional_argument, NULL, 'C' },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 }
    };
    static const char *const ins[] = { "text", "jsonl", "conll", NULL };
    static const char *const outs[] = { "jsonl", "conll", "text", NULL };
    int o, v;
    const char *color = "auto";
    while ((o = getopt_long(argc, argv, "l:i:o:c:d:m:hV", longs, NULL)) != -1) {
        switch (o) {
        case 'l':
            if (strcmp(optarg, "fr") && strcmp(optarg, "en") &&
                strcmp(optarg, "auto")) {
                fprintf(stderr, "nertag: --lang is fr, en or auto\n");
                return 2;
            }
            c->lang = strcmp(optarg, "auto") ? optarg : NULL;
            break;
        case 'i':
            if (parse_format(optarg, ins, &v) != 0) {
                fprintf(stderr, "nertag: --input is text, jsonl or conll\n");
                return 2;
            }
            c->input = (enum in_format)v;
            break;
        case 'o':
            if (parse_format(optarg, outs, &v) != 0) {
                fprintf(stderr, "nertag: --output is jsonl, conll or text\n");
                return 2;
            }
            c->output = (enum out_format)v;
            break;
        case 'c':
            c->token_column = atoi(optarg);
            if (c->token_column < 1) {
                fprintf(stderr, "nertag: --token-column is 1 or more\n");
                return 2;
            }
            break;
        case 'd': *data = optarg; break;
        case 'm': *model = optarg; break;
        case 'R': c->replace_invalid = 1; break;
        case 'E': c->explain = 1; break;
        case 'C': color = optarg ? optarg : "always"; break;
        case 'h': usage(stdout); exit(0);
        case 'V': printf("nertag %s\n", NERTAG_VERSION); exit(0);
        default: usage(stderr); return 2;
        }
    }
    if (strcmp(color, "always") && strcmp(color, "never") &&
        strcmp(color, "auto")) {
        fprintf(stderr, "nertag: --color is always, never or auto\n");
        return 2;
    }
    c->color = !strcmp(color, "always") ||
               (!strcmp(color, "auto") && isatty(STDOUT_FILENO));
    return 0;
}

static int run_file(cli *c, const char *path)
{
    int is_stdin = !strcmp(path, "-");
    FILE *in = is_stdin ? stdin : fopen(path, "rb");
    if (!in) {
        fprintf(stderr, "nertag: %s: cannot open: %s\n", path,
                strerror(errno));
        c->status = 1;
        return 0;
    }
    int rc = c->input == IN_TEXT ? run_text(c, path, in)
           : c->input == IN_JSONL ? run_jsonl(c, path, in)
                                  : run_conll(c, path, in);
    if (!is_stdin)
        fclose(in);
    return rc;
}

int main(int argc, char **argv)
{
    cli c;
    memset(&c, 0, sizeof c);
    c.token_column = 1;
    c.outf = stdout;
    const char *data = NULL, *model = NULL;
    if (argc > 1 && !strcmp(argv[1], "eval"))
        return eval_main(argc - 1, argv + 1);
    if (argc > 1 && (!strcmp(argv[1], "lint") || !strcmp(argv[1], "compile"))) {
        /* compile writes the model given by --model */
        if (parse_options(argc - 1, argv + 1, &c, &data, &model) != 0)
            return 2;
        const char *dir = data ? data : default_data_dir();
        if (!strcmp(argv[1], "lint"))
            return run_lint(dir);
        return run_compile(dir, model);
    }
    int rc = parse_options(argc, argv, &c, &data, &model);
    if (rc != 0)
        return rc;
    if (!(c.model = load_model(data ? data : default_data_dir(), model, 0)))
        return 2;
    nertag_error err;
    if (!(c.tagger = nertag_tagger_new(c.model, &err))) {
        fprintf(stderr, "nertag: %s\n", err.message);
        nertag_model_free(c.model);
        return 2;
    }
    rc = 0;
    if (optind == argc)
        rc = run_file(&c, "-");
    for (int i = optind; rc == 0 && i < argc; i++)
        rc = run_file(&c, argv[i]);
    if (rc != 0)
        fprintf(stderr, "nertag: out of memory or write error\n");
    if (fflush(stdout) != 0) {
        fprintf(stderr, "nertag: write error\n");
        rc = -1;
    }
    buf_free(&c.out);
    nertag_tagger_free(c.tagger);
    nertag_model_free(c.model);
    return rc != 0 ? 2 : c.status;
}
