/* load.h - what the loaders of a data folder share while a model is built
 * from its text sources (gazetteers, rules): the model being filled, a
 * document to split aliases and rule literals exactly as texts are split,
 * and stemmers for the rules' stem tests.  It exists only while loading;
 * a compiled model is mapped without it. */
#ifndef NERTAG_LOAD_H
#define NERTAG_LOAD_H

#include "lib/internal.h"

typedef struct loader {
    struct nertag_model *model;
    document doc;
    stemmers stem;
    uint32_t layer;            /* the folder of the file being read */
    u32_vec entry_layer;       /* by gazetteer entry: its folder */
} loader;

/* The data files of one kind (".lang", ".tsv", ".rules") of folders
 * layered one on another: a later folder's file replaces an earlier one of
 * the same name.  The base folder's first, then each layer's, each in name
 * order. */
typedef struct data_file {
    char *path;
    uint32_t layer;            /* index of its folder */
} data_file;
typedef struct data_files {
    data_file *v;
    size_t n;
} data_files;

/* Lists the files ending in suffix of dirs[0..ndirs); an error names the
 * first folder when none has any (what is listed is needed). */
int data_files_list(const char *const *dirs, size_t ndirs, const char *suffix,
                    const char *what, data_files *out, nertag_error *err);
void data_files_free(data_files *f);

int loader_open(loader *L, struct nertag_model *m, nertag_error *err);
void loader_close(loader *L);

/* Reads a whole data file (NUL-terminated, free it) and interns its name
 * (load_file_name) in *file; NULL with err set. */
char *load_read(loader *L, const char *path, size_t *len, uint32_t *file,
                nertag_error *err);
/* The name a data file is known by (relative to the data folder), interned
 * in the model's file table; STRTAB_NONE when out of memory. */
uint32_t load_file_name(loader *L, const char *path);
/* Interns a label name; its id, or NONE32 when out of memory. */
uint32_t load_label(loader *L, const char *name, size_t n);
/* Splits an alias or literal into tokens as a document would be, interns
 * each folded token in the model's lexicon and appends its id to ids and
 * its byte span to offsets (pairs). */
int load_tokens(loader *L, const char *s, size_t n, u32_vec *ids,
                u32_vec *offsets, nertag_error *err);

#endif
