/* replay.c - runs a fuzz target once on each file of its seed corpus,
 * without libFuzzer.
 *
 *   replay_NAME              every file of tests/fuzz/corpus/NAME
 *   replay_NAME FILE|DIR...  the files given, and those of the folders
 *
 * make check runs the first form, so that every input that once crashed a
 * target (they are kept in its corpus) is tried again by any compiler.  A
 * broken invariant or a sanitizer report aborts; the exit status is 0 when
 * every input ran. */
#define _XOPEN_SOURCE 700

#include "fuzz.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/internal.h"

static int run_file(const char *path)
{
    nertag_error err;
    size_t len;
    char *data = read_file(path, &len, &err);
    if (!data) {
        fprintf(stderr, "%s: %s\n", path, err.message);
        return -1;
    }
    /* a copy of the exact size, so that AddressSanitizer sees any read
     * past the end as libFuzzer would */
    uint8_t *copy = malloc(len ? len : 1);
    if (!copy) {
        free(data);
        return -1;
    }
    memcpy(copy, data, len);
    free(data);
    LLVMFuzzerTestOneInput(copy, len);
    free(copy);
    return 0;
}

/* The files of a folder, in name order (list_dir sorts them); returns how
 * many ran, -1 on error. */
static long run_dir(const char *dir)
{
    char **names;
    size_t n;
    nertag_error err;
    if (list_dir(dir, "", &names, &n, &err) != 0) {
        fprintf(stderr, "%s: %s\n", dir, err.message);
        return -1;
    }
    long ran = 0;
    buf path = BUF_INIT;
    for (size_t i = 0; ran >= 0 && i < n; i++) {
        buf_clear(&path);
        struct stat st;
        if (buf_printf(&path, "%s/%s", dir, names[i]) != 0)
            ran = -1;
        else if (stat(path.data, &st) == 0 && S_ISREG(st.st_mode))
            ran = run_file(path.data) == 0 ? ran + 1 : -1;
    }
    buf_free(&path);
    free_names(names, n);
    return ran;
}

static long run_path(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        perror(path);
        return -1;
    }
    if (S_ISDIR(st.st_mode))
        return run_dir(path);
    return run_file(path) == 0 ? 1 : -1;
}

int main(int argc, char **argv)
{
    LLVMFuzzerInitialize(&argc, &argv);
    long total = 0;
    if (argc < 2) {
        char dir[4096];
        snprintf(dir, sizeof dir, "%s/tests/fuzz/corpus/%s", FUZZ_SRCDIR,
                 fuzz_target_name);
        total = run_dir(dir);
    }
    for (int i = 1; total >= 0 && i < argc; i++) {
        long n = run_path(argv[i]);
        total = n < 0 ? -1 : total + n;
    }
    if (total < 0)
        return 1;
    printf("%s: %ld inputs\n", fuzz_target_name, total);
    return 0;
}
