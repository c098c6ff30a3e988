/* load.c - what the loaders of a data folder share (see load.h). */
#include "lib/load.h"

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
