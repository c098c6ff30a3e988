/* nertag.h - multilingual named-entity tagger.
 *
 * The library works in two steps, like a compiled pattern database:
 *
 *   1. nertag_model_load() reads the gazetteers and rule files of a data
 *      directory once and compiles them into an immutable model.  A model is
 *      never modified after loading, so one model may be shared by any number
 *      of threads without locking.
 *
 *   2. Each thread creates its own nertag_tagger (the per-thread scratch
 *      space: tokenizer, stemmers, buffers) with nertag_tagger_new() and tags
 *      documents with nertag_tag().  Each call returns a nertag_result that
 *      the caller owns and frees with nertag_result_free().
 *
 *     nertag_error err;
 *     nertag_model *model = nertag_model_load("/usr/share/nertag", NULL, &err);
 *     if (!model) { fprintf(stderr, "%s\n", err.message); return 1; }
 *     nertag_tagger *tagger = nertag_tagger_new(model, &err);
 *     nertag_result *res = nertag_tag(tagger, text, strlen(text), NULL, &err);
 *     for (size_t i = 0; i < nertag_result_count(res); i++) {
 *         const nertag_mention *m = nertag_result_mention(res, i);
 *         printf("%s\t%s\t%s\n", m->text, nertag_type_name(m->type), m->canonical);
 *     }
 *     nertag_result_free(res);
 *     nertag_tagger_free(tagger);
 *     nertag_model_free(model);
 *
 * Errors: every function that can fail takes a nertag_error out-parameter
 * (which may be NULL) and signals failure by its return value (NULL or a
 * negative number).  The library never prints and never exits.  No function
 * keeps global mutable state.
 *
 * Ownership: strings and arrays reachable from a result belong to that result
 * and stay valid until nertag_result_free(); the model must outlive every
 * tagger and result made from it.
 */
#ifndef NERTAG_H
#define NERTAG_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The version of this header; nertag_version() gives the library's. */
#define NERTAG_VERSION_MAJOR 0
#define NERTAG_VERSION_MINOR 2
#define NERTAG_VERSION_PATCH 0
#define NERTAG_VERSION "0.2.0"
/* One number that compares: 0x000200 for 0.2.0. */
#define NERTAG_VERSION_HEX ((NERTAG_VERSION_MAJOR << 16) | \
                            (NERTAG_VERSION_MINOR << 8) | NERTAG_VERSION_PATCH)

/* The version of the library the program runs with ("0.2.0"), which may
 * be newer than the header it was compiled with. */
const char *nertag_version(void);

/* ------------------------------------------------------------------ errors */

typedef enum nertag_status {
    NERTAG_OK = 0,
    NERTAG_ERR_NOMEM,     /* an allocation failed */
    NERTAG_ERR_IO,        /* a file could not be opened or read */
    NERTAG_ERR_SYNTAX,    /* a malformed gazetteer or rule line: see file/line */
    NERTAG_ERR_UTF8,      /* invalid UTF-8 or a NUL byte in the text: see offset */
    NERTAG_ERR_LIMIT,     /* the input exceeds a documented limit */
    NERTAG_ERR_ICU,       /* ICU reported an error */
    NERTAG_ERR_ARGUMENT,  /* an invalid argument (NULL pointer, unknown language) */
    NERTAG_ERR_LANGUAGE   /* the text is in none of the model's languages, and
                             NERTAG_TAG_REQUIRE_LANG was given */
} nertag_status;

typedef struct nertag_error {
    nertag_status code;
    char message[256];    /* one line of English, without the place */
    char file[256];       /* data file the error is in, or "" */
    long line;            /* 1-based line in file, or 0 */
    long column;          /* 1-based column (in bytes) in that line, or 0 */
    long long offset;     /* byte offset in the tagged text, or -1 */
} nertag_error;

/* Writes "file:line:column: message" or "byte N: message" into out (always
 * NUL-terminated, truncated to size).  Returns out. */
char *nertag_error_format(const nertag_error *err, char *out, size_t size);

/* ------------------------------------------------------------------- model */

typedef struct nertag_model nertag_model;

/* The data folder installed with the library (its share/nertag), as the
 * build configured it. */
const char *nertag_default_data_dir(void);

/* Options of nertag_model_load.  Set every member you do not use to 0 (a
 * static or "= {0}" initializer does): members added in later versions
 * take the place of `reserved`, and flags not defined here are refused,
 * so a program built against this header keeps working with later
 * libraries and gets a clear error from an older one. */
typedef struct nertag_load_options {
    /* Gazetteer folder; NULL means "<data_dir>/gazetteers". */
    const char *gazetteer_dir;
    /* Rule folder; NULL means "<data_dir>/models". */
    const char *rules_dir;
    /* Compiled model to map instead of reading the sources; NULL means
     * "<data_dir>/models/nertag.model" when that file exists.  A compiled
     * model whose sources changed since it was written is never used: the
     * sources are read instead (see nertag_model_stats.origin). */
    const char *compiled_model;
    /* NERTAG_LOAD_* bits. */
    unsigned long flags;
    /* More data folders laid over data_dir, in order, NULL-terminated (NULL:
     * none): each adds its models/CODE.lang, gazetteers/NAME.tsv and
     * models/NAME.rules; a later folder's file replaces an earlier file of
     * the same name, and a later folder's gazetteer entry replaces the
     * entry of the same id and label.  A layered model is always read from
     * its sources (no compiled model). */
    const char *const *layers;
    /* For future use: must be zero. */
    const void *reserved[3];
} nertag_load_options;

enum {
    /* Read the sources even when a compiled model exists. */
    NERTAG_LOAD_IGNORE_COMPILED = 1u << 0
};

/* Loads every language (models/CODE.lang), gazetteer (gazetteers/NAME.tsv)
 * and rule file (models/NAME.rules) of a data directory and compiles
 * them.  data_dir NULL means the folder named by the environment variable
 * NERTAG_DATA, else the data installed with the library
 * (nertag_default_data_dir()).  options may be NULL.  Returns a model owned
 * by the caller (free with nertag_model_free), or NULL with err filled. */
nertag_model *nertag_model_load(const char *data_dir,
                                const nertag_load_options *options,
                                nertag_error *err);
void nertag_model_free(nertag_model *model);

/* Counts of what the model holds, for reports. */
typedef struct nertag_model_stats {
    size_t entries;       /* gazetteer entries */
    size_t aliases;       /* gazetteer aliases */
    size_t rules;         /* rules in all phases */
    size_t phases;
    size_t memory;        /* bytes allocated or mapped for the model */
    int origin;           /* NERTAG_MODEL_FROM_* */
    size_t reserved[4];   /* for future counts; set to zero */
} nertag_model_stats;
void nertag_model_get_stats(const nertag_model *model, nertag_model_stats *out);

/* Where a model came from. */
enum {
    NERTAG_MODEL_FROM_SOURCES = 0,    /* no compiled model was there */
    NERTAG_MODEL_FROM_COMPILED = 1,   /* mapped from a compiled model */
    NERTAG_MODEL_STALE_COMPILED = 2,  /* the compiled model was older than
                                         its sources: read from sources */
    NERTAG_MODEL_BAD_COMPILED = 3     /* the compiled model was unusable
                                         (another version, corrupt): read
                                         from sources */
};

/* Writes a compiled model of a model loaded from a data directory, so that
 * later loads map it instead of reading the sources.  Returns 0, or -1
 * with err set. */
int nertag_model_save(const nertag_model *model, const char *path,
                      nertag_error *err);

/* ------------------------------------------------------------------ tagger */

typedef struct nertag_tagger nertag_tagger;

/* A tagger is the scratch space of one thread; it may be reused for any
 * number of documents but used by one thread at a time.  It keeps a pointer
 * to the model, which must outlive it. */
nertag_tagger *nertag_tagger_new(const nertag_model *model, nertag_error *err);
void nertag_tagger_free(nertag_tagger *tagger);

/* Options of nertag_tag and nertag_tag_tokens; NULL means all defaults.
 * As with nertag_load_options, set what you do not use to 0. */
typedef struct nertag_options {
    /* A language code of the model (nertag_model_languages), "und" for
     * none, or NULL / "auto" to detect the language per document. */
    const char *lang;
    /* NERTAG_TAG_* bits. */
    unsigned long flags;
    /* The language of a document in which detection finds none of the
     * model's languages; NULL: "und" (only the rules and aliases of no
     * particular language apply). */
    const char *default_lang;
    /* For future use: must be zero. */
    const void *reserved[4];
} nertag_options;

enum {
    /* Invalid UTF-8 sequences and NUL bytes are replaced by U+FFFD instead
     * of being an error.  Offsets then refer to the text with replacements
     * (each replacement is 3 bytes). */
    NERTAG_TAG_REPLACE_INVALID = 1u << 0,
    /* Keep the trace (nertag_result_trace_*), for --explain. */
    NERTAG_TAG_TRACE = 1u << 1,
    /* A document in which detection finds none of the model's languages is
     * an error (NERTAG_ERR_LANGUAGE) rather than tagged as "und". */
    NERTAG_TAG_REQUIRE_LANG = 1u << 2
};

/* The limits on one document.  Longer texts are rejected with
 * NERTAG_ERR_LIMIT rather than tagged wrongly. */
#define NERTAG_MAX_TEXT_BYTES ((size_t)1 << 31)

/* ------------------------------------------------------------------ result */

typedef enum nertag_type {
    NERTAG_STATE = 0,
    NERTAG_ORG,
    NERTAG_GROUP,
    NERTAG_SPOKESPERSON,
    NERTAG_PERSON,
    NERTAG_LOC,
    NERTAG_TYPE_COUNT
} nertag_type;

/* "STATE", "ORG", …; NULL for a value out of range. */
const char *nertag_type_name(nertag_type type);

typedef struct nertag_mention {
    size_t start, end;        /* Unicode code points, end exclusive */
    size_t bstart, bend;      /* bytes, end exclusive */
    size_t tstart, tend;      /* tokens, end exclusive */
    nertag_type type;
    const char *text;         /* the mention as it appears in the text */
    const char *canonical;    /* canonical name of the entity */
    const char *id;           /* gazetteer id ("CN", "G1017"), or "" */
    const char *for_;         /* SPOKESPERSON: canonical name of whom the person
                                 speaks for, or "" when the text does not say */
    const char *source;       /* what made it: "rule models/fr.rules:40 name"
                                 or "gazetteer gazetteers/states.tsv:12" */
} nertag_mention;

typedef struct nertag_result nertag_result;

/* Tags one document: text[0..len) in UTF-8 (need not be NUL-terminated).
 * options may be NULL (language detected, invalid input rejected).  Returns
 * a result owned by the caller, or NULL with err filled (for invalid UTF-8,
 * err->offset is the byte offset of the first bad byte). */
nertag_result *nertag_tag(nertag_tagger *tagger, const char *text, size_t len,
                          const nertag_options *options, nertag_error *err);

/* One token given by the caller, for input that is already tokenized
 * (CoNLL files): the tagger keeps these boundaries and never re-splits. */
typedef struct nertag_token_in {
    const char *text;         /* UTF-8, not NUL-terminated */
    size_t len;
    int sentence_start;       /* non-zero for the first token of a sentence */
} nertag_token_in;

/* Tags a document given as tokens.  Mentions' tstart/tend index tokens[];
 * character offsets refer to the tokens joined by single spaces. */
nertag_result *nertag_tag_tokens(nertag_tagger *tagger,
                                 const nertag_token_in *tokens, size_t count,
                                 const nertag_options *options,
                                 nertag_error *err);

/* ------------------------------------------------------------------ stream */

/* One long document given in pieces (a book, a crawl, a transcript): it
 * is tagged through a window of about `window` bytes (0: 64 KB, which
 * keeps a window in the processor's caches) that moves over it, so memory
 * does not grow with the document; a long piece is tagged a window at a
 * time all the same.  Each call returns
 * the mentions of the text that is now complete (whole sentences), with
 * offsets in the whole document; the results together are those of
 * nertag_tag on the whole text, but for three things: the language is
 * chosen on the first window (give options->lang to be sure), a rule's
 * document-has sees the words up to the current window, and a sentence
 * longer than 16 windows is cut.  A stream uses its tagger alone until
 * nertag_stream_free; options are copied. */
typedef struct nertag_stream nertag_stream;
nertag_stream *nertag_stream_new(nertag_tagger *tagger,
                                 const nertag_options *options,
                                 size_t window, nertag_error *err);
/* Adds text[0..len) (cut anywhere, even inside a character); returns a
 * result, often empty, owned by the caller.  NULL with err set on an
 * error (invalid UTF-8 with its offset in the whole document), after
 * which the stream is unusable. */
nertag_result *nertag_stream_feed(nertag_stream *stream, const char *text,
                                  size_t len, nertag_error *err);
/* The end of the document: the mentions of what remains. */
nertag_result *nertag_stream_finish(nertag_stream *stream, nertag_error *err);
void nertag_stream_free(nertag_stream *stream);

size_t nertag_result_count(const nertag_result *result);
/* The i-th mention in text order; NULL when i is out of range. */
const nertag_mention *nertag_result_mention(const nertag_result *result,
                                            size_t i);
/* Language used for the document: a code of the model, or "und". */
const char *nertag_result_lang(const nertag_result *result);
/* Tokens of the document (byte offsets), for CoNLL-style output. */
size_t nertag_result_token_count(const nertag_result *result);
void nertag_result_token(const nertag_result *result, size_t i,
                         size_t *bstart, size_t *bend);
/* 1 when token i begins a sentence (the first token of a text or of a
 * stream's window does), else 0: where CoNLL output puts its blank lines. */
int nertag_result_token_starts_sentence(const nertag_result *result,
                                        size_t i);
void nertag_result_free(nertag_result *result);

/* The trace, when options->trace was set: one line per decision of the
 * pipeline (a mention made, retyped or removed, and by what), in order.
 * The strings belong to the result. */
size_t nertag_result_trace_count(const nertag_result *result);
const char *nertag_result_trace(const nertag_result *result, size_t i);

/* ---------------------------------------------------------------- language */

/* Detects the language of text[0..len) with the tagger's tokenizer and the
 * model's function words: a code of nertag_model_languages(), or "und"
 * when the text is in none of them.  Results already returned stay valid.
 * The text must be valid UTF-8.  Returns NULL on error. */
/* The languages the model's data defines (models/CODE.lang), as a
 * NULL-terminated list of codes ("de", "en", "es", "fr"), in the order of
 * their files; owned by the model, like libstemmer's sb_stemmer_list(). */
const char *const *nertag_model_languages(const nertag_model *model);
/* The name of a language of the model ("German"), or NULL when the model
 * defines no such code. */
const char *nertag_language_name(const nertag_model *model, const char *code);

const char *nertag_detect_language(nertag_tagger *tagger, const char *text,
                                   size_t len, nertag_error *err);

#ifdef __cplusplus
}
#endif

#endif /* NERTAG_H */
