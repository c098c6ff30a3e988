/* main.c - the nertag command.
 *
 *   nertag [options] [FILE...]      tag files (standard input without any)
 *   nertag lint [--data DIR]        check gazetteers and rules, run the
 *                                   examples of every rule
 *   nertag compile [--data DIR] [--model FILE]
 *                                   write the compiled model
 *   nertag eval ...                 score predictions against gold (eval.c)
 *
 * Subcommands are dispatched from one table (subcommands[] below).
 *
 * Exit status: 0 success, 1 some input was rejected (each reason on
 * standard error with its place), 2 usage error or unusable data.
 */
/* realpath() is an XSI function */
#define _XOPEN_SOURCE 700

#include "cli/cli.h"
#include "eval/eval.h"
#include "tools/tools.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void usage(FILE *f)
{
    fputs(
"usage: nertag [options] [FILE...]\n"
"       nertag lint [--data DIR]\n"
"       nertag compile [--data DIR] [--model FILE]\n"
"       nertag eval --help\n"
"\n"
"Tags states, organizations, groups, spokespeople, people and places.\n"
"Reads standard input when no FILE is given.\n"
"\n"
"  -l, --lang CODE|auto|und  language of the documents: a code of\n"
"                            --list-languages, detected per document\n"
"                            (auto, the default), or none (und)\n"
"      --default-lang CODE   the language of a document in which detection\n"
"                            finds none (default: und, no language)\n"
"      --list-languages      the languages of the data, and exit\n"
"  -i, --input FORMAT        text (default), jsonl or conll\n"
"  -o, --output FORMAT       jsonl (default), conll, text, html, brat or xml\n"
"  -c, --token-column N      conll input: the column holding the tokens (1)\n"
"      --scheme iob2|bioes   conll output: the tag scheme (default: iob2)\n"
"      --brat-dir DIR        brat output: write DIR/NAME.txt and NAME.ann\n"
"  -d, --data DIR            folder with gazetteers/ and models/; again:\n"
"                            more folders laid over it (their files\n"
"                            added, or replacing those of the same name;\n"
"                            their entries replacing those of the same id)\n"
"  -m, --model FILE          compiled model (default DIR/models/nertag.model)\n"
"  -j, --jobs N              tag on N threads (0: one per processor)\n"
"      --replace-invalid     replace invalid UTF-8 by U+FFFD, not an error\n"
"      --explain             show the rule and gazetteer line behind each\n"
"                            mention, and what later phases changed\n"
"      --color[=WHEN]        colour inline text: always, never, auto\n"
"      --progress            a progress line on standard error (default:\n"
"                            when it is a terminal and inputs are files)\n"
"      --no-progress         no progress line\n"
"      --on-error skip|emit|stop  a rejected document is left out (skip,\n"
"                            the default), written as an error record in\n"
"                            its place (emit), or ends the run (stop);\n"
"                            its reason is on standard error in any case\n"
"      --line-buffered       write each document as soon as it is tagged\n"
"                            (the default unless output is a regular file)\n"
"      --no-line-buffered    write in large blocks (the default to a file)\n"
"  -h, --help                this help\n"
"  -V, --version             the version\n"
"\n"
"The data folder is, in order: --data, $NERTAG_DATA, the source tree when\n"
"run from the build tree, or the installed " PKGDATADIR ".\n", f);
}

static int usage_error(const char *msg)
{
    fprintf(stderr, "nertag: %s\n", msg);
    return 2;
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

/* The build tree's compiled model, for its own program on its own data. */
static const char *default_compiled(const char *dir)
{
    if (!in_build_tree())
        return NULL;
    char *a = realpath(dir, NULL), *b = realpath(ABS_TOP_SRCDIR, NULL);
    int same = a && b && !strcmp(a, b);
    free(a);
    free(b);
    return same ? ABS_TOP_BUILDDIR "/nertag.model" : NULL;
}

/* Loads the model of dir, with the folders layered over it (the --data
 * after the first, NULL-terminated): its compiled model when there is a
 * fresh one (compiled, or the default one), else its sources. */
static nertag_model *load_model(const char *dir, const char *const *layers,
                                const char *compiled, int ignore_compiled)
{
    nertag_error err;
    nertag_load_options opt = { NULL, NULL, compiled,
                                ignore_compiled ? NERTAG_LOAD_IGNORE_COMPILED
                                                : 0, layers, { 0 } };
    if (!opt.compiled_model) {
        opt.compiled_model = default_compiled(dir);
        if (opt.compiled_model && access(opt.compiled_model, R_OK) != 0)
            opt.compiled_model = NULL;
    }
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

/* nertag compile: writes the compiled model of dir to out, by default
 * where tagging looks for it: dir/models/nertag.model, or the build
 * tree's own for the data of the source tree. */
static int run_compile(const char *dir, const cli_opts *o)
{
    if (o->nlayers)
        return usage_error("compile takes one --data folder: a layered "
                           "model is read from its sources");
    nertag_model *m = load_model(dir, NULL, NULL, 1);
    if (!m)
        return 2;
    char path[PATH_MAX];
    const char *out = o->model ? o->model : default_compiled(dir);
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

/* The plural ending of a count: "1 rule", "2 rules", "0 rules". */
static const char *s_(size_t n)
{
    return n == 1 ? "" : "s";
}

static void lint_report(void *ctx, const char *file, long line,
                        const char *rule_name, const char *message)
{
    (*(long *)ctx)++;
    fprintf(stderr, "%s:%ld: %s: %s\n", file, line, rule_name, message);
}

static int run_lint(const char *dir, const cli_opts *o)
{
    nertag_model *m = load_model(dir, o->layers, NULL, 1);
    if (!m)
        return 2;
    nertag_error err;
    nertag_tagger *t = nertag_tagger_new(m, &err);
    long problems = 0;
    long lint = lint_rules(m, lint_report, &problems);
    long failed = t ? check_rule_examples(t, lint_report, &problems,
                                              &err)
                    : -1;
    nertag_model_stats st;
    nertag_model_get_stats(m, &st);
    size_t examples = count_rule_examples(m);
    printf("%zu gazetteer %s, %zu %s, %zu rule%s in %zu phase%s, "
           "%zu example%s\n", st.entries, st.entries == 1 ? "entry" : "entries",
           st.aliases, st.aliases == 1 ? "alias" : "aliases", st.rules,
           s_(st.rules), st.phases, s_(st.phases), examples, s_(examples));
    if (failed < 0)
        fprintf(stderr, "nertag: %s\n", err.message);
    else
        printf("%ld lint problem%s, %ld failing example%s\n", lint,
               s_((size_t)lint), failed, s_((size_t)failed));
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

/* A whole decimal number in [min, max], or -1. */
static long parse_count(const char *s, long min, long max)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    return errno || end == s || *end || v < min || v > max ? -1 : v;
}

enum { OPT_REPLACE = 256, OPT_EXPLAIN, OPT_COLOR, OPT_SCHEME, OPT_BRAT_DIR,
       OPT_PROGRESS, OPT_NO_PROGRESS, OPT_DEFAULT_LANG, OPT_LIST_LANGUAGES,
       OPT_LINE_BUFFERED, OPT_NO_LINE_BUFFERED, OPT_ON_ERROR };

static const struct option LONG_OPTIONS[] = {
    { "lang", required_argument, NULL, 'l' },
    { "default-lang", required_argument, NULL, OPT_DEFAULT_LANG },
    { "list-languages", no_argument, NULL, OPT_LIST_LANGUAGES },
    { "input", required_argument, NULL, 'i' },
    { "output", required_argument, NULL, 'o' },
    { "token-column", required_argument, NULL, 'c' },
    { "data", required_argument, NULL, 'd' },
    { "model", required_argument, NULL, 'm' },
    { "jobs", required_argument, NULL, 'j' },
    { "replace-invalid", no_argument, NULL, OPT_REPLACE },
    { "explain", no_argument, NULL, OPT_EXPLAIN },
    { "color", optional_argument, NULL, OPT_COLOR },
    { "colour", optional_argument, NULL, OPT_COLOR },
    { "scheme", required_argument, NULL, OPT_SCHEME },
    { "brat-dir", required_argument, NULL, OPT_BRAT_DIR },
    { "progress", no_argument, NULL, OPT_PROGRESS },
    { "no-progress", no_argument, NULL, OPT_NO_PROGRESS },
    { "line-buffered", no_argument, NULL, OPT_LINE_BUFFERED },
    { "no-line-buffered", no_argument, NULL, OPT_NO_LINE_BUFFERED },
    { "on-error", required_argument, NULL, OPT_ON_ERROR },
    { "help", no_argument, NULL, 'h' },
    { "version", no_argument, NULL, 'V' },
    { NULL, 0, NULL, 0 }
};

/* An option that chooses among named values (--input, --output, --scheme,
 * --on-error, --color): 0, or 2 for a usage error. */
static int apply_choice(int opt, const char *arg, cli_opts *o, int *color)
{
    static const char *const ins[] = { "text", "jsonl", "conll", NULL };
    static const char *const outs[] = { "jsonl", "conll", "text", "html",
                                        "brat", "xml", NULL };
    static const char *const schemes[] = { "iob2", "bioes", NULL };
    static const char *const colors[] = { "never", "always", "auto", NULL };
    static const char *const on_errors[] = { "skip", "emit", "stop", NULL };
    int v;
    switch (opt) {
    case 'i':
        if (parse_format(arg, ins, &v) != 0)
            return usage_error("--input is text, jsonl or conll");
        o->input = (enum in_format)v;
        return 0;
    case 'o':
        if (parse_format(arg, outs, &v) != 0)
            return usage_error("--output is jsonl, conll, text, html, "
                               "brat or xml");
        o->output = (enum out_format)v;
        return 0;
    case OPT_SCHEME:
        if (parse_format(arg, schemes, &v) != 0)
            return usage_error("--scheme is iob2 or bioes");
        o->scheme = (enum tag_scheme)v;
        return 0;
    case OPT_ON_ERROR:
        if (parse_format(arg, on_errors, &v) != 0)
            return usage_error("--on-error is skip, emit or stop");
        o->on_error = (enum on_error)v;
        return 0;
    default: /* OPT_COLOR */
        if (!arg)
            *color = 1;
        else if (parse_format(arg, colors, color) != 0)
            return usage_error("--color is always, never or auto");
        return 0;
    }
}

/* An option that takes a number or a folder (--token-column, --jobs,
 * --data): 0, or 2 for a usage error. */
static int apply_value(int opt, const char *arg, cli_opts *o,
                       const char **data)
{
    long n;
    switch (opt) {
    case 'c':
        if ((n = parse_count(arg, 1, 10000)) < 0)
            return usage_error("--token-column is a number from 1");
        o->token_column = (int)n;
        return 0;
    case 'j':
        if ((n = parse_count(arg, 0, 1024)) < 0)
            return usage_error("--jobs is a number from 0 to 1024");
        o->threads = n ? (int)n : (int)sysconf(_SC_NPROCESSORS_ONLN);
        if (o->threads < 1)
            o->threads = 1;
        return 0;
    default: /* 'd': the first --data is the data folder, the others lie
              * over it */
        if (!*data)
            *data = arg;
        else if (o->nlayers + 1 < CLI_MAX_LAYERS)
            o->layers[o->nlayers++] = arg;
        else
            return usage_error("at most 16 --data folders");
        return 0;
    }
}

/* One option: 0, or 2 for a usage error. */
static int apply_option(int opt, cli_opts *o, const char **data, int *color)
{
    switch (opt) {
    case 'i': case 'o': case OPT_SCHEME: case OPT_ON_ERROR: case OPT_COLOR:
        return apply_choice(opt, optarg, o, color);
    case 'c': case 'j': case 'd':
        return apply_value(opt, optarg, o, data);
    case 'l': o->lang = strcmp(optarg, "auto") ? optarg : NULL; return 0;
    case OPT_DEFAULT_LANG: o->default_lang = optarg; return 0;
    case OPT_LIST_LANGUAGES: o->list_languages = 1; return 0;
    case 'm': o->model = optarg; return 0;
    case OPT_BRAT_DIR: o->brat_dir = optarg; return 0;
    case OPT_REPLACE: o->replace_invalid = 1; return 0;
    case OPT_EXPLAIN: o->explain = 1; return 0;
    case OPT_PROGRESS: o->progress = 1; return 0;
    case OPT_NO_PROGRESS: o->progress = 0; return 0;
    case OPT_LINE_BUFFERED: o->line_buffered = 1; return 0;
    case OPT_NO_LINE_BUFFERED: o->line_buffered = 0; return 0;
    case 'h': usage(stdout); exit(0);
    case 'V': printf("nertag %s\n", NERTAG_VERSION); exit(0);
    default: usage(stderr); return 2;
    }
}

/* Parses the options into o; returns 0, or 2 for a usage error (said on
 * standard error). */
static int parse_options(int argc, char **argv, cli_opts *o, const char **data)
{
    int opt, color = 2;
    while ((opt = getopt_long(argc, argv, "l:i:o:c:d:m:j:hV", LONG_OPTIONS,
                              NULL)) != -1)
        if (apply_option(opt, o, data, &color) != 0)
            return 2;
    if (o->brat_dir && o->output != OUT_BRAT)
        return usage_error("--brat-dir goes with --output brat");
    o->color = color == 1 || (color == 2 && isatty(STDOUT_FILENO));
    /* output to a pipe or a terminal may have a reader waiting for each
     * document; a file has none */
    struct stat st;
    if (o->line_buffered < 0)
        o->line_buffered = fstat(STDOUT_FILENO, &st) != 0 ||
                           !S_ISREG(st.st_mode);
    return 0;
}

/* ------------------------------------------------------------ subcommands */

static int cmd_lint(int argc, char **argv)
{
    cli_opts o;
    memset(&o, 0, sizeof o);
    const char *data = NULL;
    if (parse_options(argc, argv, &o, &data) != 0)
        return 2;
    return run_lint(data ? data : default_data_dir(), &o);
}

static int cmd_compile(int argc, char **argv)
{
    cli_opts o;
    memset(&o, 0, sizeof o);
    const char *data = NULL;
    if (parse_options(argc, argv, &o, &data) != 0)
        return 2;
    return run_compile(data ? data : default_data_dir(), &o);
}

/* "nertag NAME ARGS…" runs NAME with argv[0] = NAME. */
static const struct subcommand {
    const char *name;
    int (*run)(int argc, char **argv);
} subcommands[] = {
    { "lint", cmd_lint },
    { "compile", cmd_compile },
    { "eval", eval_main },
    { NULL, NULL }
};

/* ------------------------------------------------------------ tagging */

/* The data folder without trailing slashes, absolute when it exists, so
 * that the "<dir>/" prefix of the library's file names is known. */
static char *data_folder(const char *dir)
{
    char *real = realpath(dir, NULL);
    if (real)
        return real;
    char *copy = malloc(strlen(dir) + 2);
    if (copy) {
        strcpy(copy, dir);
        size_t n = strlen(copy);
        while (n > 1 && copy[n - 1] == '/')
            copy[--n] = '\0';
    }
    return copy;
}

/* Says on standard error, in its place among the documents' messages, that
 * an input could not be opened. */
static int open_failed(pool *p, const char *path, int err)
{
    job *j = pool_job(p);
    if (!j)
        return -1;
    j->name = path;
    j->raw = 1;
    job_reject_msg(j, 0, strerror(err));
    return pool_submit(p, j, 0);
}

static int run_file(pool *p, const cli_opts *o, const char *path)
{
    int is_stdin = !strcmp(path, "-");
    int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY);
    if (fd < 0)
        return open_failed(p, path, errno);
    /* a directory opens, and reading it fails: said as such */
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        if (!is_stdin)
            close(fd);
        return open_failed(p, path, EISDIR);
    }
    in_source in;
    source_init(&in, fd, pool_idle, p);
    int rc = read_input(p, o, is_stdin ? "<stdin>" : path, &in);
    source_free(&in);
    if (!is_stdin)
        close(fd);
    return rc;
}

/* The progress line is drawn when asked, or by default when standard
 * error is a terminal and every input is a regular file (a pipe has no
 * size and is often itself part of a bigger job). */
static progress *start_progress(const cli_opts *o, char **files, int n)
{
    int show = o->progress == 1 || (o->progress < 0 && isatty(STDERR_FILENO));
    long long total = 0;
    for (int i = 0; show && i < (n ? n : 1); i++) {
        struct stat st;
        int ok = n && strcmp(files[i], "-") ? stat(files[i], &st) == 0
                                            : fstat(STDIN_FILENO, &st) == 0;
        if (ok && S_ISREG(st.st_mode))
            total += (long long)st.st_size;
        else if (o->progress < 0)
            show = 0;
    }
    progress *pr = show ? progress_new(stderr) : NULL;
    progress_add_total(pr, total);
    return pr;
}

/* Tags every input; returns the exit status. */
static int run_tagging(const cli_opts *o, const nertag_model *m, char **files,
                       int nfiles)
{
    pool_writer w;
    memset(&w, 0, sizeof w);
    w.out = stdout;
    nertag_error err;
    memset(&err, 0, sizeof err);
    if (o->output == OUT_BRAT && !(w.names = brat_names_new()))
        return usage_error("out of memory");
    w.progress = start_progress(o, files, nfiles);
    pool *p = pool_new(o, m, job_process, &w, &err);
    if (!p) {
        fprintf(stderr, "nertag: %s\n", err.message[0] ? err.message
                                                       : "out of memory");
        brat_names_free(w.names);
        progress_free(w.progress);
        return 2;
    }
    int rc = o->output == OUT_HTML ? html_begin(stdout)
             : o->output == OUT_XML ? xml_begin(stdout) : 0;
    if (nfiles == 0 && rc == 0)
        rc = run_file(p, o, "-");
    for (int i = 0; rc == 0 && !w.stopped && i < nfiles; i++)
        rc = run_file(p, o, files[i]);
    /* --on-error=stop: the readers stopped, what came before is written */
    if (w.stopped && !w.failed)
        rc = 0;
    if (rc == 0)
        rc = pool_finish(p);
    pool_free(p);
    progress_free(w.progress);
    if (rc == 0 && o->output == OUT_HTML)
        rc = html_end(stdout, w.counts, w.docs);
    if (rc == 0 && o->output == OUT_XML)
        rc = xml_end(stdout);
    if (fflush(stdout) != 0 || ferror(stdout))
        rc = -1;
    brat_names_free(w.names);
    if (rc != 0 && !w.failed)
        fprintf(stderr, "nertag: write error: %s\n", strerror(errno));
    return rc != 0 || w.failed ? 2 : w.status;
}

/* --lang and --default-lang name a language of the data, or und; the
 * data is only known once loaded.  Returns 0, or 2 (said). */
static int check_language(const nertag_model *m, const char *option,
                          const char *code)
{
    if (!code || !strcmp(code, "und") || nertag_language_name(m, code))
        return 0;
    fprintf(stderr, "nertag: %s '%s' is no language of the data (", option,
            code);
    for (const char *const *c = nertag_model_languages(m); *c; c++)
        fprintf(stderr, "%s, ", *c);
    fprintf(stderr, "und%s)\n", strcmp(option, "--lang") ? "" : ", auto");
    return 2;
}

/* --list-languages: one line a language, its code and its name. */
static int list_languages(const nertag_model *m)
{
    for (const char *const *c = nertag_model_languages(m); *c; c++)
        printf("%s\t%s\n", *c, nertag_language_name(m, *c));
    return fflush(stdout) == 0 ? 0 : 2;
}

int main(int argc, char **argv)
{
    for (const struct subcommand *s = subcommands; argc > 1 && s->name; s++)
        if (!strcmp(argv[1], s->name))
            return s->run(argc - 1, argv + 1);
    cli_opts o;
    memset(&o, 0, sizeof o);
    o.token_column = 1;
    o.threads = 1;
    o.progress = -1;
    o.line_buffered = -1;
    /* a small window costs no speed, and the library holds a sentence
     * up to 16 windows long: 2 MiB, tagged in some 70 MB */
    o.stream_window = (size_t)128 << 10;
    /* undocumented in --help: for tests and for the curious (nertag(1)) */
    const char *window = getenv("NERTAG_STREAM_WINDOW");
    long w = window ? parse_count(window, 4096, 1L << 30) : -1;
    if (w > 0)
        o.stream_window = (size_t)w;
    const char *data = NULL;
    int rc = parse_options(argc, argv, &o, &data);
    if (rc != 0)
        return rc;
    if (o.brat_dir) {
        buf path = BUF_INIT;
        if ((mkdir(o.brat_dir, 0777) != 0 && errno != EEXIST) ||
            brat_conf(o.brat_dir, &path) != 0) {
            fprintf(stderr, "nertag: %s: %s\n",
                    path.data ? path.data : o.brat_dir, strerror(errno));
            buf_free(&path);
            return 2;
        }
        buf_free(&path);
    }
    char *dir = data_folder(data ? data : default_data_dir());
    char *prefix = dir ? malloc(strlen(dir) + 2) : NULL;
    nertag_model *m = prefix ? load_model(dir, o.layers, o.model, 0) : NULL;
    if (m) {
        sprintf(prefix, "%s/", dir);
        o.data_prefix = prefix;
        rc = check_language(m, "--lang", o.lang);
        if (rc == 0)
            rc = check_language(m, "--default-lang", o.default_lang);
        if (rc == 0)
            rc = o.list_languages ? list_languages(m)
                                  : run_tagging(&o, m, argv + optind,
                                                argc - optind);
    }
    nertag_model_free(m);
    free(prefix);
    free(dir);
    return m ? rc : 2;
}
