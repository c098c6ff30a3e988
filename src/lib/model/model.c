/* model.c - loading a data directory into an immutable model.
 *
 *   <data>/models/CODE.lang       a language: stemmer, function words,
 *                                 abbreviations, elisions
 *   <data>/gazetteers/NAME.tsv    known entities and vocabulary
 *   <data>/models/NAME.rules      the rules, in phases
 *
 * Aliases and rule literals are split by the same tokenizer as documents,
 * through a loader (load.h) that exists only while loading.  Once loaded,
 * nothing in the model changes, so any number of taggers may share it.
 */
#include "lib/internal.h"
#include "lib/load.h"

#include <stdio.h>
#include <stdlib.h>
#include "lib/rules/rules.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* ------------------------------------------------------------ loading */

static int file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* The folders of the sources: the base folder's (or the ones the options
 * name), then each layer's. */
typedef struct source_dirs {
    char **models, **gazetteers;
    size_t n;
} source_dirs;

static void source_dirs_free(source_dirs *d)
{
    for (size_t i = 0; i < d->n; i++) {
        if (d->models)
            free(d->models[i]);
        if (d->gazetteers)
            free(d->gazetteers[i]);
    }
    free(d->models);
    free(d->gazetteers);
}

static char *join(const char *dir, const char *sub)
{
    char *p = malloc(strlen(dir) + strlen(sub) + 2);
    if (p)
        sprintf(p, "%s/%s", dir, sub);
    return p;
}

static int source_dirs_of(const char *data_dir,
                          const nertag_load_options *o, source_dirs *d)
{
    size_t layers = 0;
    while (o && o->layers && o->layers[layers])
        layers++;
    d->n = 1 + layers;
    d->models = calloc(d->n, sizeof *d->models);
    d->gazetteers = calloc(d->n, sizeof *d->gazetteers);
    if (!d->models || !d->gazetteers)
        return -1;
    d->models[0] = o && o->rules_dir ? str_dup(o->rules_dir)
                                     : join(data_dir, "models");
    d->gazetteers[0] = o && o->gazetteer_dir ? str_dup(o->gazetteer_dir)
                                             : join(data_dir, "gazetteers");
    for (size_t i = 0; i < layers; i++) {
        d->models[1 + i] = join(o->layers[i], "models");
        d->gazetteers[1 + i] = join(o->layers[i], "gazetteers");
    }
    for (size_t i = 0; i < d->n; i++)
        if (!d->models[i] || !d->gazetteers[i])
            return -1;
    return 0;
}

/* Reads the text sources into m, through a loader that exists only while
 * they are read. */
static int load_parts(nertag_model *m, const source_dirs *dirs,
                      nertag_error *err)
{
    const char *const *models = (const char *const *)dirs->models;
    const char *const *gaz = (const char *const *)dirs->gazetteers;
    data_files langs, tsv, rules;
    memset(&tsv, 0, sizeof tsv);
    memset(&rules, 0, sizeof rules);
    int rc = data_files_list(models, dirs->n, ".lang", "language", &langs,
                             err);
    if (rc == 0)
        rc = languages_load(m, &langs, err);
    if (rc == 0)
        rc = data_files_list(gaz, dirs->n, ".tsv", "gazetteer", &tsv, err);
    if (rc == 0)
        rc = data_files_list(models, dirs->n, ".rules", "rule", &rules, err);
    loader L;
    if (rc == 0 && (rc = loader_open(&L, m, err)) == 0) {
        rc = gazetteer_load(&L, &tsv, err);
        if (rc == 0)
            rc = rules_load(&L, &rules, err);
        loader_close(&L);
    }
    data_files_free(&langs);
    data_files_free(&tsv);
    data_files_free(&rules);
    if (rc == 0)
        rc = language_finish(m, err);
    if (rc == 0)
        rc = model_check(m, err);
    return rc;
}

static int init_labels(nertag_model *m)
{
    for (int i = 0; i < NERTAG_TYPE_COUNT; i++) {
        const char *name = nertag_type_name((nertag_type)i);
        if (strtab_intern(&m->labels, name, strlen(name)) != (uint32_t)i)
            return -1;
    }
    return 0;
}

/* Maps the compiled model when there is a fresh one; else tells why not
 * in *origin.  NULL with err set to NERTAG_ERR_NOMEM when memory ran out:
 * that is no reason to read the sources instead. */
static nertag_model *try_compiled(const char *data_dir,
                                  const nertag_load_options *options,
                                  int *origin, nertag_error *err)
{
    *origin = NERTAG_MODEL_FROM_SOURCES;
    if (!data_dir || (options && (options->flags & NERTAG_LOAD_IGNORE_COMPILED)))
        return NULL;
    buf path = BUF_INIT;
    const char *file = options ? options->compiled_model : NULL;
    if (!file) {
        if (buf_printf(&path, "%s/models/nertag.model", data_dir) != 0) {
            err_set(err, NERTAG_ERR_NOMEM, "out of memory");
            return NULL;
        }
        if (!file_exists(path.data)) {
            buf_free(&path);
            return NULL;
        }
        file = path.data;
    }
    nertag_model *m = NULL;
    nertag_error why;
    err_clear(&why);
    int rc = model_map(data_dir, file, &m, &why);
    buf_free(&path);
    if (rc == 0 && !(m->root = str_dup(data_dir))) {
        model_unmap(m);
        m = NULL;
        why.code = NERTAG_ERR_NOMEM;
    }
    if (why.code == NERTAG_ERR_NOMEM) {
        err_set(err, NERTAG_ERR_NOMEM, "out of memory");
        return NULL;
    }
    *origin = rc == 0 ? NERTAG_MODEL_FROM_COMPILED
            : rc > 0 ? NERTAG_MODEL_STALE_COMPILED : NERTAG_MODEL_BAD_COMPILED;
    if (m)
        m->origin = *origin;
    return m;
}

const char *nertag_default_data_dir(void)
{
    return PKGDATADIR;
}

/* Options this library does not know are refused, not ignored. */
static int load_options_known(const nertag_load_options *o,
                              nertag_error *err)
{
    if (!o || (!(o->flags & ~(unsigned long)NERTAG_LOAD_IGNORE_COMPILED) &&
               reserved_zero(o->reserved, 3)))
        return 1;
    err_set(err, NERTAG_ERR_ARGUMENT, "options unknown to nertag %s",
            NERTAG_VERSION);
    return 0;
}

nertag_model *nertag_model_load(const char *data_dir,
                                const nertag_load_options *options,
                                nertag_error *err)
{
    nertag_error local;
    if (!err)
        err = &local;   /* the loaders report their place through it */
    err_clear(err);
    if (!load_options_known(options, err))
        return NULL;
    if (!data_dir) {
        const char *env = getenv("NERTAG_DATA");
        data_dir = env && *env ? env : nertag_default_data_dir();
    }
    int layered = options && options->layers && options->layers[0];
    int origin = NERTAG_MODEL_FROM_SOURCES;
    nertag_model *m = layered ? NULL
                              : try_compiled(data_dir, options, &origin, err);
    if (m || err->code)
        return m;
    source_dirs dirs;
    memset(&dirs, 0, sizeof dirs);
    m = calloc(1, sizeof *m);
    int rc = !m || init_labels(m) != 0 || !(m->root = str_dup(data_dir)) ||
             source_dirs_of(data_dir, options, &dirs) != 0 ? -1 : 0;
    if (rc != 0)
        err_set(err, NERTAG_ERR_NOMEM, "out of memory");
    else {
        m->origin = origin;
        rc = load_parts(m, &dirs, err);
    }
    source_dirs_free(&dirs);
    if (rc != 0) {
        nertag_model_free(m);
        return NULL;
    }
    return m;
}

void nertag_model_free(nertag_model *m)
{
    if (!m)
        return;
    free(m->root);
    if (m->map) {
        /* every array points into the mapping */
        model_unmap(m);
        return;
    }
    strtab_free(&m->lexicon);
    strtab_free(&m->labels);
    strtab_free(&m->files);
    gazetteer_free(&m->gaz);
    rules_free(m->rules);
    strtab_free(&m->tok.abbreviations);
    strtab_free(&m->tok.elisions);
    strtab_free(&m->tok.clitics);
    language_free(&m->lang);
    free(m);
}

void nertag_model_get_stats(const nertag_model *m, nertag_model_stats *out)
{
    memset(out, 0, sizeof *out);
    if (!m)
        return;
    const gazetteer *g = &m->gaz;
    out->entries = g->entries.n;
    out->aliases = g->aliases.n;
    out->rules = rules_count(m->rules);
    out->phases = rules_phase_count(m->rules);
    out->origin = m->origin;
    if (m->map) {
        out->memory = m->map_size;
        return;
    }
    out->memory = strtab_memory(&m->lexicon) + strtab_memory(&g->entry_keys) +
                  g->entries.cap * sizeof(gaz_entry) +
                  g->aliases.cap * sizeof(gaz_alias) + g->strings.cap +
                  g->nslots * sizeof(trie_slot) +
                  g->nodes.cap * sizeof(trie_node) + m->lang.count;
}

int nertag_model_save(const nertag_model *m, const char *path,
                      nertag_error *err)
{
    err_clear(err);
    if (!m || !path || !m->root) {
        err_set(err, NERTAG_ERR_ARGUMENT,
                "only a model loaded from a data directory can be saved");
        return -1;
    }
    return model_save(m, m->root, path, err);
}
