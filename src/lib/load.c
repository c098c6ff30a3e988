/* load.c - what the loaders of a data folder share (see load.h). */
#include "lib/load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int loader_open(loader *L, struct nertag_model *m, nertag_error *err)
{
    memset(L, 0, sizeof *L);
    L->model = m;
    if (document_open(&L->doc, m, err) != 0)
        return -1;
    if (stemmers_open(&L->stem, &m->lang, err) != 0) {
        document_close(&L->doc);
        return -1;
    }
    return 0;
}

void loader_close(loader *L)
{
    document_close(&L->doc);
    stemmers_close(&L->stem);
    u32_vec_free(&L->entry_layer);
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* The base folder's files first, then each layer's, each in name order. */
static int by_layer_and_name(const void *a, const void *b)
{
    const data_file *x = a, *y = b;
    if (x->layer != y->layer)
        return x->layer < y->layer ? -1 : 1;
    return strcmp(base_name(x->path), base_name(y->path));
}

/* Adds dir/name as a file of layer, in place of an earlier layer's file of
 * the same name. */
static int add_file(data_files *f, const char *dir, const char *name,
                    uint32_t layer)
{
    size_t i = 0;
    while (i < f->n && strcmp(base_name(f->v[i].path), name))
        i++;
    char *path = malloc(strlen(dir) + strlen(name) + 2);
    if (!path)
        return -1;
    sprintf(path, "%s/%s", dir, name);
    if (i < f->n) {
        free(f->v[i].path);
    } else {
        data_file *v = realloc(f->v, (f->n + 1) * sizeof *v);
        if (!v) {
            free(path);
            return -1;
        }
        f->v = v;
        f->n++;
    }
    f->v[i] = (data_file){ path, layer };
    return 0;
}

int data_files_list(const char *const *dirs, size_t ndirs, const char *suffix,
                    const char *what, data_files *out, nertag_error *err)
{
    memset(out, 0, sizeof *out);
    for (size_t d = 0; d < ndirs; d++) {
        char **names;
        size_t n;
        if (list_dir(dirs[d], suffix, &names, &n, err) != 0) {
            data_files_free(out);
            return -1;
        }
        int rc = 0;
        for (size_t i = 0; rc == 0 && i < n; i++)
            rc = add_file(out, dirs[d], names[i], (uint32_t)d);
        free_names(names, n);
        if (rc != 0) {
            data_files_free(out);
            err_set(err, NERTAG_ERR_NOMEM, "out of memory");
            return -1;
        }
    }
    if (!out->n) {
        /* a model without them is a wrong folder, not a choice */
        err_set(err, NERTAG_ERR_IO, "no %s file (*%s) here", what, suffix);
        err_set_place(err, ndirs ? dirs[0] : "", 0, 0);
        return -1;
    }
    qsort(out->v, out->n, sizeof *out->v, by_layer_and_name);
    return 0;
}

void data_files_free(data_files *f)
{
    for (size_t i = 0; i < f->n; i++)
        free(f->v[i].path);
    free(f->v);
    memset(f, 0, sizeof *f);
}

uint32_t load_file_name(loader *L, const char *path)
{
    struct nertag_model *m = L->model;
    size_t rl = m->root ? strlen(m->root) : 0;
    if (rl && !strncmp(path, m->root, rl) && path[rl] == '/')
        path += rl + 1;
    return strtab_intern(&m->files, path, strlen(path));
}

char *load_read(loader *L, const char *path, size_t *len, uint32_t *file,
                nertag_error *err)
{
    char *text = read_file(path, len, err);
    if (text && (*file = load_file_name(L, path)) == STRTAB_NONE) {
        err_set(err, NERTAG_ERR_NOMEM, "out of memory");
        free(text);
        return NULL;
    }
    return text;
}

uint32_t load_label(loader *L, const char *name, size_t n)
{
    return strtab_intern(&L->model->labels, name, n);
}

int load_tokens(loader *L, const char *s, size_t n, u32_vec *ids,
                u32_vec *offsets, nertag_error *err)
{
    document *d = &L->doc;
    if (tokenize_text(d, s, n, err) != 0)
        return -1;
    for (size_t i = 0; i < d->tokens.n; i++) {
        const token *tk = &d->tokens.v[i];
        size_t len;
        const char *norm = token_norm(d, i, &len);
        uint32_t id = strtab_intern(&L->model->lexicon, norm, len);
        if (id == STRTAB_NONE || u32_vec_push(ids, id) != 0 ||
            u32_vec_push(offsets, tk->bstart) != 0 ||
            u32_vec_push(offsets, tk->bend) != 0) {
            err_set(err, NERTAG_ERR_NOMEM, "out of memory");
            return -1;
        }
    }
    return 0;
}
