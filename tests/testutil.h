/* testutil.h - helpers shared by the test programs. */
#ifndef NERTAG_TESTUTIL_H
#define NERTAG_TESTUTIL_H

#include <check.h>
#include <stddef.h>

#include "util/buf.h"
#include "nertag.h"

/* The source tree's data: gazetteers/, models/, tests/data/. */
#define DATA_DIR ABS_TOP_SRCDIR
#define TEST_DATA ABS_TOP_SRCDIR "/tests/data"

/* The model of the source tree, loaded once per test program. */
const nertag_model *test_model(void);
/* A whole file, NUL-terminated; aborts the test when missing. */
char *test_read(const char *path, size_t *len);
/* Writes text to a new temporary file; returns its path (free it). */
char *test_write_temp(const char *suffix, const char *text);
/* Copies the French and English language files (models/fr.lang,
 * en.lang) of the source tree into the folder dir. */
void test_copy_languages(const char *dir);
/* A data folder in /tmp with gazetteers/test.tsv (the header is added)
 * and models/test.rules, plus the source tree's French and English
 * language files; returns its path (free it). */
char *test_data_dir(const char *gazetteer_lines, const char *rules);
/* Loads a model from such a folder; NULL with err filled on failure. */
nertag_model *test_load(const char *gazetteer_lines, const char *rules,
                        nertag_error *err);
/* Tags text in a language and lists its mentions as
 * "text/TYPE/canonical" (and "/for" when set), separated by "; ". */
char *test_mentions(const nertag_model *m, const char *lang, const char *text);
/* Runs a test suite; returns the exit status for main. */
int test_run(Suite *s);

/* One gold mention of the spec's JSONL files. */
typedef struct gold_mention {
    size_t start, end;
    char type[32];
    char canonical[160];
    char for_[160];
    char text[200];
} gold_mention;

/* Reads the "text" and "entities" of a one-line gold JSONL file. */
size_t gold_read(const char *path, buf *text, gold_mention **out);

/* ------------------------------------------------------------ the command
 *
 * Tests of src/nertag run it in a private folder: test_cli_setup and
 * test_cli_teardown are the checked fixture that makes and removes it. */
void test_cli_setup(void);
void test_cli_teardown(void);
/* The folder, and NAME in it (static storage, a ring of 8 paths). */
const char *test_cli_dir(void);
const char *test_cli_path(const char *name);
/* Writes n bytes to NAME in the folder; returns its path as above. */
const char *test_cli_file(const char *name, const char *data, size_t n);

typedef struct test_cli_run {
    int status;                   /* exit status, or -1 when killed */
    char *out, *err;              /* what it wrote, NUL-terminated */
    size_t out_len;
} test_cli_run;
/* Runs "nertag ARGS" (a shell fragment) in the folder, under
 * $NERTAG_WRAPPER when set (valgrind, for instance). */
test_cli_run test_cli(const char *args);
void test_cli_free(test_cli_run *r);

/* Runs argv (argv[0] a path) with its standard input from in (none when
 * NULL), output and messages written to out and err, and env a list of
 * NAME=VALUE strings added to its environment (or NULL); returns its exit
 * status and, when maxrss_kb is not NULL, its peak memory in kB.  For
 * tests that need the peak memory of one child, which system() hides. */
int test_spawn(const char *const *argv, const char *in, const char *out,
               const char *err, const char *const *env, long *maxrss_kb);
/* Whether two files hold the same bytes (read in blocks: they may be
 * larger than memory allows to hold twice). */
int test_same_file(const char *a, const char *b);
/* The size of a file; fails the test when it is missing. */
long long test_file_size(const char *path);

/* Occurrences of needle in hay.  Not with strstr: a sanitizer's strstr
 * measures the whole rest of the haystack at each call, which makes
 * counting a million lines quadratic. */
size_t test_count(const char *hay, const char *needle);

#define assert_has(hay, needle) \
    ck_assert_msg(strstr((hay), (needle)) != NULL, \
                  "'%s' not found in:\n%.3000s", (needle), (hay))
#define assert_lacks(hay, needle) \
    ck_assert_msg(strstr((hay), (needle)) == NULL, \
                  "'%s' found in:\n%.3000s", (needle), (hay))

#endif
