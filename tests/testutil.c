/* testutil.c - helpers shared by the test programs. */
/* wait4() gives the peak memory of one child */
#define _DEFAULT_SOURCE

#include "testutil.h"
#include "util/json.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static nertag_model *model;

static void free_model(void)
{
    nertag_model_free(model);
}

const nertag_model *test_model(void)
{
    if (!model) {
        nertag_error err;
        model = nertag_model_load(DATA_DIR, NULL, &err);
        if (!model) {
            char msg[600];
            fprintf(stderr, "cannot load the model: %s\n",
                    nertag_error_format(&err, msg, sizeof msg));
            abort();
        }
        atexit(free_model);
    }
    return model;
}

char *test_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    buf b = BUF_INIT;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        ck_assert_int_eq(buf_append(&b, chunk, n), 0);
    fclose(f);
    ck_assert_int_eq(buf_reserve(&b, 0), 0);
    if (len)
        *len = b.len;
    return b.data;
}

char *test_write_temp(const char *suffix, const char *text)
{
    char tmpl[] = "/tmp/nertag-test-XXXXXX";
    int fd = mkstemp(tmpl);
    ck_assert_int_ge(fd, 0);
    close(fd);
    unlink(tmpl);
    size_t n = strlen(tmpl) + strlen(suffix) + 1;
    char *path = malloc(n);
    ck_assert_ptr_nonnull(path);
    snprintf(path, n, "%s%s", tmpl, suffix);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    ck_assert_msg(f != NULL, "cannot write %s", path);
    fputs(text, f);
    fclose(f);
}

char *test_data_dir(const char *gazetteer_lines, const char *rules)
{
    char tmpl[] = "/tmp/nertag-data-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(tmpl));
    char sub[512];
    snprintf(sub, sizeof sub, "%s/gazetteers", tmpl);
    ck_assert_int_eq(mkdir(sub, 0700), 0);
    buf g = BUF_INIT;
    buf_puts(&g, "id\tlabel\tcanonical\taliases\tattributes\n");
    buf_puts(&g, gazetteer_lines);
    write_file(sub, "test.tsv", g.data);
    buf_free(&g);
    snprintf(sub, sizeof sub, "%s/models", tmpl);
    ck_assert_int_eq(mkdir(sub, 0700), 0);
    write_file(sub, "test.rules", rules);
    test_copy_languages(sub);
    return strdup(tmpl);
}

void test_copy_languages(const char *dir)
{
    static const char *const langs[] = { "en.lang", "fr.lang" };
    for (size_t i = 0; i < sizeof langs / sizeof *langs; i++) {
        char from[600];
        snprintf(from, sizeof from, "%s/models/%s", ABS_TOP_SRCDIR, langs[i]);
        char *text = test_read(from, NULL);
        write_file(dir, langs[i], text);
        free(text);
    }
}

nertag_model *test_load(const char *gazetteer_lines, const char *rules,
                        nertag_error *err)
{
    char *dir = test_data_dir(gazetteer_lines, rules);
    nertag_model *m = nertag_model_load(dir, NULL, err);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
    free(dir);
    return m;
}

char *test_mentions(const nertag_model *m, const char *lang, const char *text)
{
    nertag_error err;
    nertag_tagger *t = nertag_tagger_new(m, &err);
    ck_assert_ptr_nonnull(t);
    nertag_options opt = { lang, 0, NULL, { 0 } };
    nertag_result *r = nertag_tag(t, text, strlen(text), &opt, &err);
    ck_assert_msg(r != NULL, "tagging failed: %s", err.message);
    buf b = BUF_INIT;
    buf_puts(&b, "");
    for (size_t i = 0; i < nertag_result_count(r); i++) {
        const nertag_mention *x = nertag_result_mention(r, i);
        buf_printf(&b, "%s%s/%s/%s", i ? "; " : "", x->text,
                   nertag_type_name(x->type), x->canonical);
        if (*x->for_)
            buf_printf(&b, "/%s", x->for_);
    }
    nertag_result_free(r);
    nertag_tagger_free(t);
    return b.data;
}

int test_run(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* ------------------------------------------------------------ gold files */

static void member_string(const char *s, const json_object *o,
                          const char *key, char *out, size_t size)
{
    long k = json_object_find(o, s, key);
    out[0] = '\0';
    if (k < 0)
        return;
    const json_member *m = &o->members[k];
    buf b = BUF_INIT;
    if (m->type == JSON_ARRAY) {
        /* the first string of a list ("canonical": ["China"]) */
        const char *q = memchr(s + m->value_start, '"', m->value_len);
        if (q) {
            const char *e = q + 1;
            while (*e != '"')
                e += *e == '\\' ? 2 : 1;
            json_string_decode(q, (size_t)(e + 1 - q), &b, NULL);
        }
    } else if (m->type == JSON_STRING) {
        json_string_decode(s + m->value_start, m->value_len, &b, NULL);
    }
    snprintf(out, size, "%s", b.data ? b.data : "");
    buf_free(&b);
}

static size_t member_size(const char *s, const json_object *o,
                          const char *key)
{
    long k = json_object_find(o, s, key);
    ck_assert_int_ge(k, 0);
    return (size_t)strtoul(s + o->members[k].value_start, NULL, 10);
}

size_t gold_read(const char *path, buf *text, gold_mention **out)
{
    size_t len;
    char *s = test_read(path, &len);
    while (len && (s[len - 1] == '\n' || s[len - 1] == '\r'))
        len--;
    json_object doc = JSON_OBJECT_INIT, ent = JSON_OBJECT_INIT;
    ck_assert_int_eq(json_parse_object(s, len, 16, &doc, NULL), 0);
    long k = json_object_find(&doc, s, "text");
    ck_assert_int_ge(k, 0);
    ck_assert_int_eq(json_string_decode(s + doc.members[k].value_start,
                                        doc.members[k].value_len, text, NULL),
                     0);
    k = json_object_find(&doc, s, "entities");
    ck_assert_int_ge(k, 0);
    /* each {...} at depth one of the entities array */
    const char *p = s + doc.members[k].value_start;
    const char *end = p + doc.members[k].value_len;
    size_t n = 0, cap = 64;
    gold_mention *g = calloc(cap, sizeof *g);
    ck_assert_ptr_nonnull(g);
    while ((p = memchr(p, '{', (size_t)(end - p)))) {
        const char *q = p;
        int depth = 0, in_str = 0;
        for (; q < end; q++) {
            if (in_str) {
                if (*q == '\\')
                    q++;
                else if (*q == '"')
                    in_str = 0;
            } else if (*q == '"') {
                in_str = 1;
            } else if (*q == '{') {
                depth++;
            } else if (*q == '}' && --depth == 0) {
                break;
            }
        }
        ck_assert_int_eq(json_parse_object(p, (size_t)(q + 1 - p), 16, &ent,
                                           NULL), 0);
        if (n == cap) {
            cap *= 2;
            g = realloc(g, cap * sizeof *g);
            ck_assert_ptr_nonnull(g);
        }
        g[n].start = member_size(p, &ent, "start");
        g[n].end = member_size(p, &ent, "end");
        member_string(p, &ent, "type", g[n].type, sizeof g[n].type);
        member_string(p, &ent, "canonical", g[n].canonical,
                      sizeof g[n].canonical);
        member_string(p, &ent, "for", g[n].for_, sizeof g[n].for_);
        member_string(p, &ent, "text", g[n].text, sizeof g[n].text);
        n++;
        p = q + 1;
    }
    json_object_free(&doc);
    json_object_free(&ent);
    free(s);
    *out = g;
    return n;
}

/* ------------------------------------------------------------ the command */

#define NERTAG ABS_TOP_BUILDDIR "/src/nertag"

static char *cli_dir;

void test_cli_setup(void)
{
    char tmpl[] = "/tmp/nertag-cli-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(tmpl));
    cli_dir = strdup(tmpl);
    ck_assert_ptr_nonnull(cli_dir);
}

void test_cli_teardown(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", cli_dir);
    ck_assert_int_eq(system(cmd), 0);
    free(cli_dir);
}

const char *test_cli_dir(void)
{
    return cli_dir;
}

const char *test_cli_path(const char *name)
{
    static char paths[8][256];
    static int k;
    char *p = paths[k++ % 8];
    snprintf(p, sizeof paths[0], "%s/%s", cli_dir, name);
    return p;
}

const char *test_cli_file(const char *name, const char *data, size_t n)
{
    const char *p = test_cli_path(name);
    FILE *f = fopen(p, "wb");
    ck_assert_msg(f != NULL, "cannot write %s", p);
    ck_assert_uint_eq(fwrite(data, 1, n, f), n);
    ck_assert_int_eq(fclose(f), 0);
    return p;
}

test_cli_run test_cli(const char *args)
{
    const char *wrap = getenv("NERTAG_WRAPPER");
    size_t n = strlen(args) + strlen(cli_dir) * 3 + 400;
    char *cmd = malloc(n);
    ck_assert_ptr_nonnull(cmd);
    snprintf(cmd, n, "cd '%s' && %s " NERTAG " %s >'%s/out' 2>'%s/err'",
             cli_dir, wrap ? wrap : "", args, cli_dir, cli_dir);
    int st = system(cmd);
    free(cmd);
    test_cli_run r;
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    r.out = test_read(test_cli_path("out"), &r.out_len);
    r.err = test_read(test_cli_path("err"), NULL);
    return r;
}

void test_cli_free(test_cli_run *r)
{
    free(r->out);
    free(r->err);
}

/* In the child: standard streams to the files, the environment added. */
static void spawn_child(const char *const *argv, const char *in,
                        const char *out, const char *err,
                        const char *const *env)
{
    int i = in ? open(in, O_RDONLY) : 0;
    int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (i < 0 || o < 0 || e < 0 || (in && dup2(i, 0) < 0) ||
        dup2(o, 1) < 0 || dup2(e, 2) < 0)
        _exit(126);
    for (; env && *env; env++)
        if (putenv((char *)*env) != 0)
            _exit(126);
    execv(argv[0], (char *const *)argv);
    _exit(127);
}

int test_spawn(const char *const *argv, const char *in, const char *out,
               const char *err, const char *const *env, long *maxrss_kb)
{
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0)
        spawn_child(argv, in, out, err, env);
    int st;
    struct rusage ru;
    ck_assert_int_eq(wait4(pid, &st, 0, &ru), pid);
    if (maxrss_kb)
        *maxrss_kb = ru.ru_maxrss;
    ck_assert_msg(WIFEXITED(st), "%s did not exit", argv[0]);
    return WEXITSTATUS(st);
}

int test_same_file(const char *a, const char *b)
{
    FILE *x = fopen(a, "rb"), *y = fopen(b, "rb");
    ck_assert_msg(x && y, "cannot read %s or %s", a, b);
    static char p[1 << 16], q[1 << 16];
    int same = 1;
    while (same) {
        size_t n = fread(p, 1, sizeof p, x), m = fread(q, 1, sizeof q, y);
        same = n == m && !memcmp(p, q, n);
        if (n < sizeof p)
            break;
    }
    fclose(x);
    fclose(y);
    return same;
}

long long test_file_size(const char *path)
{
    struct stat st;
    ck_assert_msg(stat(path, &st) == 0, "cannot stat %s", path);
    return (long long)st.st_size;
}

size_t test_count(const char *hay, const char *needle)
{
    size_t n = 0, k = strlen(needle), len = strlen(hay);
    for (size_t i = 0; i + k <= len; i++)
        if (hay[i] == needle[0] && !memcmp(hay + i, needle, k)) {
            n++;
            i += k - 1;
        }
    return n;
}
