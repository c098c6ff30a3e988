/* files.c - reading a whole file, listing a folder: how the loaders see
 * the data folder. */
#include "util/files.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/str.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *read_file(const char *path, size_t *len, nertag_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        err_set(err, errno_status(errno), "cannot open: %s",
                strerror(errno));
        err_set_place(err, path, 0, 0);
        return NULL;
    }
    buf b = BUF_INIT;
    char chunk[65536];
    size_t n;
    int rc = 0;
    while (rc == 0 && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        rc = buf_append(&b, chunk, n);
    if (rc == 0 && ferror(f)) {
        err_set(err, errno_status(errno), "cannot read: %s",
                strerror(errno));
        err_set_place(err, path, 0, 0);
        rc = -1;
    } else if (rc == 0 && buf_reserve(&b, 0) != 0) {
        rc = -1;
    }
    if (rc != 0 && err && !err->code)
        err_set(err, NERTAG_ERR_NOMEM, "out of memory");
    fclose(f);
    if (rc != 0) {
        buf_free(&b);
        return NULL;
    }
    *len = b.len;
    return b.data;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void free_names(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

int list_dir(const char *dir, const char *suffix, char ***names, size_t *n,
             nertag_error *err)
{
    DIR *d = opendir(dir);
    *names = NULL;
    *n = 0;
    if (!d) {
        err_set(err, errno_status(errno), "cannot open directory: %s",
                strerror(errno));
        err_set_place(err, dir, 0, 0);
        return -1;
    }
    size_t cap = 0, sl = strlen(suffix);
    struct dirent *e;
    int rc = 0;
    while (rc == 0 && (e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (e->d_name[0] == '.' || l <= sl ||
            strcmp(e->d_name + l - sl, suffix))
            continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            char **p = realloc(*names, cap * sizeof *p);
            if (!p) {
                rc = -1;
                break;
            }
            *names = p;
        }
        if (!((*names)[*n] = str_dup(e->d_name)))
            rc = -1;
        else
            (*n)++;
    }
    closedir(d);
    if (rc != 0) {
        free_names(*names, *n);
        *names = NULL;
        *n = 0;
        err_set(err, NERTAG_ERR_NOMEM, "out of memory");
        return -1;
    }
    /* name order, so that loading does not depend on the file system */
    if (*n)
        qsort(*names, *n, sizeof **names, cmp_names);
    return 0;
}
