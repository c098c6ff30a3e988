/* internal.h - types shared by the stages of the library.
 *
 * Per document, the data flows through the stages in this order (src/lib):
 *
 *   tagger.c                the pipeline itself: one text in, one result out
 *   ../util/utf8.c          validate the input
 *   text/segment.c          ICU word breaks (ASCII words without ICU)
 *   text/tokenize.c         segments to tokens: elisions, hyphens,
 *                           abbreviations, sentence starts (a document)
 *   text/normalize.c        folded forms (case and accents removed)
 *   text/language.c         fr or en, from function words
 *   text/stem.c             Snowball stems
 *   gazetteer/gazetteer.c   aliases -> annotations (annot.c)
 *   rules/rules-match.c     phases of rules -> more and changed annotations
 *   resolve/resolve.c       annotations -> non-overlapping mentions, names
 *                           the document defines, the result
 *   resolve/entity.c        the canonical name, id and `for` of a mention
 *
 * At load time, model/model.c reads the data folder through a loader
 * (load.h): text/language.c, gazetteer/gazetteer-load.c and
 * rules/rules-load.c fill the model, or model/model-file.c maps a
 * compiled one.
 *
 * Everything a document produces lives in the tagger (struct nertag_tagger),
 * reused from one document to the next; the model is read-only.
 */
#ifndef NERTAG_INTERNAL_H
#define NERTAG_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "nertag.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/files.h"
#include "util/str.h"
#include "util/strtab.h"
#include "util/utf8.h"
#include "util/vec.h"
#include "lib/text/segment.h"

#define NONE32 UINT32_MAX

/* Whether the option words a caller must leave for future use are zero
 * (see nertag_load_options): a program built against a later header that
 * sets one gets an error rather than an option silently ignored. */
static inline int reserved_zero(const void *const *reserved, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (reserved[i])
            return 0;
    return 1;
}

/* A language is an index into the languages the data defines
 * (models/CODE.lang files, in name order); LANG_NONE is "und", a text in
 * none of them.  At most MAX_LANGUAGES (one bit each in masks). */
#define LANG_NONE (-1)
#define MAX_LANGUAGES 32

/* ------------------------------------------------------------- tokens */

enum token_flag {
    TF_CAP    = 1u << 0,  /* first letter is upper case */
    TF_UPPER  = 1u << 1,  /* has letters, all upper case */
    TF_LOWER  = 1u << 2,  /* has letters, all lower case */
    TF_ALPHA  = 1u << 3,  /* has a letter */
    TF_DIGIT  = 1u << 4,  /* has a digit */
    TF_PUNCT  = 1u << 5,  /* neither letter nor digit */
    TF_QUOTE  = 1u << 6,  /* a quotation mark */
    TF_SSTART = 1u << 7,  /* first word of its sentence */
    TF_SPACE  = 1u << 8,  /* preceded by white space */
    TF_ABBREV = 1u << 9,  /* an abbreviation with its final period */
    TF_ACRONYM = 1u << 10,/* 2 to 6 capitals (digits and & allowed): "KDP" */
    TF_FUNCTION = 1u << 11,/* a function word of a language (CODE.lang) */
    TF_NUMBER = 1u << 12  /* only digits: "238", not "1996-08-30" */
};

typedef struct token {
    uint32_t bstart, bend;     /* bytes in the document text */
    uint32_t cstart, cend;     /* code points */
    uint32_t norm_id;          /* the folded form in the model lexicon, or NONE32 */
    uint32_t stem_id;          /* the folded stem in the model lexicon, or NONE32 */
    uint32_t sentence;         /* sentence number */
    uint32_t surface;          /* index in tagger->surfaces: its folded
                                  forms are in tagger->surface_info */
    uint16_t flags;
    uint16_t hash16;           /* the low bits of its surface's norm_hash:
                                  the names filter reads them here, not in
                                  the surface's record (names_at) */
} token;

/* What the tagger knows of one distinct token text: its folded forms,
 * their lexicon ids and its shape, computed once and reused by every
 * token with the same text (most tokens repeat an earlier one). */
/* What the rules say of one lexicon id: the word lists it is in and the
 * phases whose rules may start on it.  Read for every token, so kept with
 * the surface rather than looked up in the model's large tables. */
typedef struct word_facts {
    uint64_t lists;                 /* bit per list (the first 64 lists) */
    uint32_t phases;                /* bit per phase (the first 32 phases) */
} word_facts;

/* What is known of one distinct token text.  Every token reads its
 * record, so it is one cache line: 64 bytes, in an array that starts on a
 * line (tokenize.c, reserve_surfaces); the word facts are spread out
 * (lists, then phases) so that no padding is left. */
typedef struct surface_info {
    uint64_t form_lists;            /* word_facts of norm_id: lists */
    uint64_t stem_lists;            /* and of stem_id */
    uint32_t form_phases, stem_phases;  /* and their phases; these four in
                                           language stem_lang */
    uint32_t norm_id;
    uint32_t base_id;               /* a possessive glued to the word
                                       ("APT28's" given as one token): the
                                       word without "'s" in the lexicon,
                                       else NONE32 */
    uint32_t norm_hash;             /* hash_bytes of the folded form */
    uint32_t gaz_node;              /* the alias trie after this word, or
                                       NONE32: no alias starts with it */
    uint32_t stem_id;               /* the stem in language stem_lang */
    uint32_t lower_off, lower_len;  /* in document->forms; the folded
                                       form follows (surface_norm_off) */
    uint32_t norm_len;
    uint32_t ncp;                   /* code points */
    uint16_t shape;                 /* token_shape_flags */
    uint8_t form_known;             /* gaz_node is set: FORM_KNOWN, and
                                       FORM_ALIAS_ENDS when an alias ends
                                       at that node */
    int8_t stem_lang;               /* language of stem_id, or STEM_UNKNOWN:
                                       a stream of one language stems each
                                       word once */
} surface_info;
/* Where the folded form of a surface starts in document->forms: after
 * its lower-case form and that form's NUL. */
static inline uint32_t surface_norm_off(const surface_info *si)
{
    return si->lower_off + si->lower_len + 1;
}
#define STEM_UNKNOWN (-2)
enum { FORM_KNOWN = 1, FORM_ALIAS_ENDS = 2 };
VEC_DECLARE(surface_vec, surface_info);

VEC_DECLARE(token_vec, token);

typedef struct tokenizer_data {
    strtab abbreviations;      /* folded, without final period */
    strtab elisions;           /* folded, without apostrophe: l, d, qu … */
    strtab clitics;            /* split off after an apostrophe, folded,
                                  without it: s (English 's) */
} tokenizer_data;

/* A document split into tokens: its text, its tokens, and what is known of
 * each distinct token text (its surface), kept from one document to the
 * next because most tokens repeat an earlier one.  The tokenizer fills it;
 * every later stage reads it.  The model loader splits aliases and rule
 * literals with one too, so that they are cut exactly like documents. */
typedef struct document {
    const struct nertag_model *model;   /* abbreviations, elisions, lexicon,
                                           function words */
    struct segmenter *segmenter;        /* word breaks (segment.c) */
    segment_vec segs;                   /* of the text, reused */
    const char *text;
    size_t len;
    buf owned_text;            /* text after joining given tokens */
    token_vec tokens;
    buf forms;                 /* folded forms of the surfaces */
    strtab surfaces;           /* distinct token texts, kept across
                                  documents until there are too many */
    surface_vec surface_info;  /* by surface id */
    uint32_t surfaces_forgotten;  /* how many times the surfaces were
                                     forgotten (too many): what others keep
                                     by surface id is then void */
    buf scratch;
} document;

int document_open(document *d, const struct nertag_model *m,
                  nertag_error *err);
void document_close(document *d);
/* Splits text into the tokens of d (which keeps a pointer to text), with
 * their folded forms.  Returns 0 or -1 with err set. */
int tokenize_text(document *d, const char *text, size_t len,
                  nertag_error *err);
/* Builds the tokens of already tokenized input, joined by spaces. */
int tokenize_given(document *d, const nertag_token_in *in, size_t count,
                   nertag_error *err);
/* Computes flags of token text s[0..n). */
uint16_t token_shape_flags(const char *s, size_t n);

/* ------------------------------------------------------------- folding */

/* Appends the folded form of s[0..n) to out: case folded, accents removed,
 * typographic apostrophes and hyphens made ASCII.  With keep_accents, only
 * the case is folded (input of the stemmers). */
int fold_append(const char *s, size_t n, int keep_accents, buf *out);
/* Folds into a new NUL-terminated string (NULL when out of memory). */
char *fold_dup(const char *s, size_t n, int keep_accents);

/* ------------------------------------------------------------- languages */

/* A language the data defines: its code (de), name ("German"), Snowball
 * stemmer ("german", or "" for none) and the letters that point to it
 * when function words tie (NUL-separated, ending with an empty one): all
 * offsets in language_data.strings. */
typedef struct language {
    uint32_t code, name, stemmer, letters;
} language;
VEC_DECLARE(language_vec, language);

typedef struct language_data {
    language_vec langs;
    buf strings;
    /* The evidence for detection: bit l of mask[lexicon id] is set when
     * the word is a function word of language l; of common[id], when it is
     * a common word (asked when the function words tie). */
    uint32_t *mask, *common;
    size_t count;              /* lexicon ids covered by mask and common */
    strtab *words, *common_words;   /* while loading: folded words of each
                                       language */
    const char **codes;        /* NULL-terminated, for the public list */
} language_data;

struct loader;
struct data_files;
/* language-load.c: reads the models/CODE.lang files (the languages, in
 * name order, and the tokenizer's abbreviations, elisions and clitics);
 * language_finish marks the function words once the lexicon is complete. */
int languages_load(struct nertag_model *m, const struct data_files *files,
                   nertag_error *err);
int language_finish(struct nertag_model *m, nertag_error *err);
/* The public list of codes, for a model loaded or mapped. */
int language_codes(language_data *d, nertag_error *err);
void language_free(language_data *d);

/* language.c */
const char *lang_code(const language_data *d, int lang);    /* "und" */
int lang_from_code(const language_data *d, const char *code);  /* -1 */
const char *lang_str(const language_data *d, uint32_t off);
/* The language of the tokenized document, or LANG_NONE. */
int language_detect(const document *d);

/* ------------------------------------------------------------- stems */

/* A tagger's stemmers, one per language, made when first used (an
 * sb_stemmer keeps state between calls: one per thread). */
struct sb_stemmer;
typedef struct stemmers {
    const language_data *langs;
    struct sb_stemmer **by_lang;
} stemmers;
int stemmers_open(stemmers *s, const language_data *langs, nertag_error *err);
void stemmers_close(stemmers *s);
/* Whether libstemmer knows the algorithm name ("" is no stemmer). */
int stemmer_exists(const char *name);
/* Stem of lower-case word w[0..n) in language lang, folded; appended to
 * out.  A language without a stemmer stems a word to itself. */
int stem_append(stemmers *s, int lang, const char *w, size_t n, buf *out);
/* Stem of a folded word for use at load time (own stemmer). */
char *stem_dup(stemmers *s, int lang, const char *w, size_t n);

/* ------------------------------------------------------------- labels */

/* Label ids: the output types first, in nertag_type order; then every
 * other label met in gazetteers and rules. */
#define LABEL_IS_TYPE(l) ((l) < NERTAG_TYPE_COUNT)

/* ------------------------------------------------------------- annotations */

enum annot_flag {
    AF_REMOVED   = 1u << 0,   /* a rule removed it */
    AF_AMBIGUOUS = 1u << 1,   /* gazetteer alias that needs a rule to confirm */
    AF_RULE      = 1u << 2,   /* made by a rule (else by the gazetteer) */
    AF_ALIAS     = 1u << 3    /* made by a document alias */
};

/* What an annotation or a document alias names; resolved to strings by
 * entity.c, the one place that decides between these sources. */
typedef struct entity {
    uint32_t entry;            /* gazetteer entry, or NONE32 */
    uint32_t canonical;        /* offset in tagger->strings, or NONE32 = entry's */
    uint32_t id;               /* offset in tagger->strings, or NONE32 = entry's */
    uint32_t for_;             /* offset in tagger->strings, or NONE32 */
} entity;
#define ENTITY_NONE ((entity){ NONE32, NONE32, NONE32, NONE32 })

typedef struct annot {
    uint32_t tstart, tend;     /* tokens, end exclusive */
    uint32_t label;
    uint32_t flags;
    uint32_t alias;            /* gazetteer alias, or NONE32 */
    uint32_t rule;             /* rule that made or last changed it, or NONE32 */
    entity ent;
    uint32_t next_start;       /* next annotation starting at the same token */
    uint32_t next_end;         /* next annotation ending at the same token */
} annot;

VEC_DECLARE(annot_vec, annot);
VEC_DECLARE(u32_vec, uint32_t);
VEC_DECLARE(u16_vec, uint16_t);
VEC_DECLARE(u64_vec, uint64_t);
VEC_DECLARE(u8_vec, uint8_t);

/* What covers a token, computed by annot_reindex so that the rules' in= and
 * label= tests need no search: bit t for a confirmed annotation of type t,
 * COVER_ANY_TYPE for any of them, COVER_ANY for any annotation at all,
 * ambiguous ones included, and COVER_AMBIGUOUS_TYPE << t for a type whether
 * confirmed or not. */
enum {
    COVER_ANY_TYPE = 1u << NERTAG_TYPE_COUNT,
    COVER_ANY = 1u << (NERTAG_TYPE_COUNT + 1),
    COVER_AMBIGUOUS_TYPE = 1u << (NERTAG_TYPE_COUNT + 2),
    COVER_ALL = (COVER_AMBIGUOUS_TYPE << NERTAG_TYPE_COUNT) - 1
};

/* ------------------------------------------------------------- gazetteer */

typedef struct gaz_entry {
    uint32_t id;               /* offsets in gazetteer->strings */
    uint32_t canonical;
    uint32_t speaks_for;       /* a spokesperson's body (the speaks-for
                                  attribute), or NONE32 */
    uint32_t label;
    uint32_t file;             /* index in model->files */
    uint32_t line;
    uint32_t country;          /* its country attribute, two capitals
                                  packed by GAZ_COUNTRY, or 0 */
} gaz_entry;

/* "ES" -> a number; 0 for anything that is not two ASCII capitals */
#define GAZ_COUNTRY(s, n) \
    ((n) == 2 && (s)[0] >= 'A' && (s)[0] <= 'Z' && (s)[1] >= 'A' && \
     (s)[1] <= 'Z' ? (uint32_t)(unsigned char)(s)[0] << 8 | \
                     (uint32_t)(unsigned char)(s)[1] : 0u)

enum alias_flag {
    ALF_EXACT     = 1u << 0,   /* same capitals as written */
    ALF_CAPITAL   = 1u << 1,   /* text must have the alias's capitals */
    ALF_AMBIGUOUS = 1u << 2,
    ALF_DROPPED   = 1u << 3    /* its entry was replaced by a later data
                                  folder's */
};

typedef struct gaz_alias {
    uint32_t entry;
    uint32_t flags;
    uint32_t langs;            /* bit per language it is looked for in;
                                  0: every language */
    uint32_t surface;          /* ALF_EXACT: its tokens joined by spaces */
    uint32_t caps;             /* ALF_CAPITAL: bit i for each token of the
                                  alias written with a capital (first 32) */
    uint32_t label;            /* its entry's, beside the flags: a match
                                  reads this record only, not the entry */
    uint32_t line;             /* line in the entry's file */
    uint32_t next;             /* next alias ending at the same trie node */
} gaz_alias;

VEC_DECLARE(gaz_entry_vec, gaz_entry);
VEC_DECLARE(gaz_alias_vec, gaz_alias);

/* One transition of the alias trie: from node, on lexicon id, to child. */
typedef struct trie_slot {
    uint32_t from;             /* node + 1; 0 = an empty slot */
    uint32_t id;
    uint32_t child;
} trie_slot;

/* A node of the alias trie.  Node 0 is the root, which no word leads
 * back to.  Most words after a name's first word go on with no alias
 * ("Paris said", "United we"): the bits of the node's children tell so
 * from the record read for its aliases, before the trie's table. */
typedef struct trie_node {
    uint32_t alias;            /* first alias ending here, or NONE32 */
    uint32_t children;         /* trie_word_bit of each child's word */
} trie_node;
VEC_DECLARE(trie_node_vec, trie_node);

/* A word's bit in trie_node.children: one of 32, by a hash of its id. */
static inline uint32_t trie_word_bit(uint32_t id)
{
    return (uint32_t)1 << ((id * 0x9E3779B1u) >> 27);
}

typedef struct gazetteer {
    gaz_entry_vec entries;
    gaz_alias_vec aliases;
    buf strings;
    strtab entry_keys;         /* "label\tid" -> entry index */
    trie_slot *slots;          /* open addressing, power of two */
    size_t nslots, used;
    trie_node_vec nodes;
    u64_vec first_words;       /* bit per lexicon id: some alias starts with
                                  this word (a quick test before the trie) */
    u64_vec next_words;        /* and some alias goes on with it */
} gazetteer;

struct loader;
int gazetteer_load(struct loader *L, const struct data_files *files,
                   nertag_error *err);
int gazetteer_load_file(struct loader *L, const char *path,
                        nertag_error *err);
void gazetteer_free(gazetteer *g);
/* Adds an annotation for every alias that matches in the document. */
int gazetteer_annotate(struct nertag_tagger *t, nertag_error *err);
/* The slot of the trie transition (node, id): the one holding it, or the
 * empty slot where it would go; the child of node on id, or NONE32. */
size_t trie_find_slot(const gazetteer *g, uint32_t node, uint32_t id);
uint32_t trie_child(const gazetteer *g, uint32_t node, uint32_t id);
/* The trie node after the word lexicon_id, or NONE32 when no alias starts
 * with it. */
uint32_t gazetteer_first_node(const gazetteer *g, uint32_t lexicon_id);
/* Does an alias end at node? */
int gazetteer_node_ends(const gazetteer *g, uint32_t node);
const char *gaz_str(const gazetteer *g, uint32_t off);

/* ------------------------------------------------------------- rules */

typedef struct ruleset ruleset;   /* compiled rules; rules.h */
int rules_load(struct loader *L, const struct data_files *files,
               nertag_error *err);
void rules_free(ruleset *r);
int rules_apply(struct nertag_tagger *t, nertag_error *err);
/* The word lists a document's words are in, as document-has tests them:
 * lists 0-63 by their bit in near, the lists beyond by their slot in the
 * ruleset's far_lists. */
typedef struct doc_lists {
    uint64_t near, far;
} doc_lists;
/* Those of the last document. */
doc_lists rules_document_lists(const struct nertag_tagger *t);
size_t rules_count(const ruleset *r);
size_t rules_phase_count(const ruleset *r);
/* The lists and phases of a lexicon id met as a word (by_stem 0) or as a
 * stem in a text of language lang (or LANG_NONE); zero for NONE32 or
 * without rules. */
word_facts rules_word_facts(const ruleset *r, uint32_t lexicon_id,
                            int by_stem, int lang);

/* ------------------------------------------------------------- model */

struct nertag_model {
    strtab lexicon;            /* folded words and stems known to the model */
    strtab labels;             /* label names; ids < NERTAG_TYPE_COUNT are types */
    strtab files;              /* data files, for sources and errors */
    gazetteer gaz;
    ruleset *rules;
    tokenizer_data tok;
    language_data lang;
    char *root;                /* the data folder, or NULL */
    int origin;                /* NERTAG_MODEL_FROM_* */
    void *map;                 /* a mapped compiled model, or NULL */
    size_t map_size;
};

/* model-check.c: every label connected (a type or tested; given or made);
 * the first that is not is an error with its place.  Whether a rule tests
 * a label; the first phase after which a label exists (0: a gazetteer
 * gives it), or UINT32_MAX when nothing gives or makes it. */
int model_check(const struct nertag_model *m, nertag_error *err);
int label_tested(const ruleset *r, uint32_t label);
uint32_t label_ready(const struct nertag_model *m, uint32_t label);

/* model-file.c: the compiled model file. */
int model_save(const struct nertag_model *m, const char *root,
               const char *path, nertag_error *err);
/* 0 and *out: mapped; 1: the file is stale; -1: unusable (err set). */
int model_map(const char *root, const char *path, struct nertag_model **out,
              nertag_error *err);
void model_unmap(struct nertag_model *m);

/* ------------------------------------------------------------- tagger */

/* A name the document itself defines for the rest of the text: an alias
 * declared by a rule, or a part of a person's name. */
typedef struct doc_alias {
    uint32_t first_tok;        /* folded forms of its tokens: offsets in
                                  tagger->strings, in tagger->alias_ids */
    uint32_t ntok;
    uint32_t label;
    entity ent;                /* that of the annotation it stands for */
    uint32_t after;            /* active from this token on */
    uint32_t rule;             /* rule that declared it, or NONE32 */
    uint32_t source_text;      /* the mention it was made from, as written:
                                  offset in tagger->strings */
    uint32_t source_ntok;      /* and its length in tokens */
    uint32_t need_cap;         /* 0, or how its first word must look */
} doc_alias;
VEC_DECLARE(doc_alias_vec, doc_alias);
/* doc_alias.need_cap: a capital, or a capital not at a sentence start */
enum { NEED_CAP = 1, NEED_CAP_INSIDE = 2 };

struct nertag_tagger {
    const struct nertag_model *model;
    stemmers stem;
    int lang;
    document doc;              /* the text and its tokens */
    buf repaired;              /* the text with invalid UTF-8 replaced */
    buf scratch;
    annot_vec annots;
    u32_vec first_start;       /* per token: first annotation starting there */
    u32_vec first_end;         /* per token (end - 1): first ending there */
    u16_vec cover;             /* per token: COVER_* bits, see annot_reindex */
    uint32_t max_span;         /* longest annotation, in tokens */
    buf strings;               /* canonical names etc. made by rules */
    doc_alias_vec doc_aliases;
    u32_vec alias_ids;
    struct doc_names *names;        /* their index and claims (names.c) */
    struct match_scratch *match;    /* rules-match.c */
    struct trie_memo *trie_memo;    /* gazetteer.c */
    struct resolve_scratch *resolve;    /* resolve.c */
    doc_lists known_lists;     /* word lists of a stream's earlier windows */
    int trace;
    buf trace_lines;           /* NUL-separated lines */
    size_t trace_count;
    int trace_lost;            /* a line did not fit in memory */
};

/* The folded form of token i (accents and case folded), and its case
 * folded form (the stemmer's input): both kept once per surface. */
static inline const surface_info *token_surface(const document *d, size_t i)
{
    return &d->surface_info.v[d->tokens.v[i].surface];
}
static inline const char *token_norm(const document *d, size_t i,
                                     size_t *len)
{
    const surface_info *si = token_surface(d, i);
    *len = si->norm_len;
    return d->forms.data + surface_norm_off(si);
}
static inline const char *token_lower(const document *d, size_t i,
                                      size_t *len)
{
    const surface_info *si = token_surface(d, i);
    *len = si->lower_len;
    return d->forms.data + si->lower_off;
}

/* Appends an annotation and links it in the start/end lists; returns its
 * index or NONE32 when out of memory. */
uint32_t annot_add(struct nertag_tagger *t, const annot *a);
/* Rebuilds the start/end lists after annotations were added in bulk. */
int annot_reindex(struct nertag_tagger *t);
/* Stores a string in tagger->strings; returns its offset or NONE32. */
uint32_t tagger_string(struct nertag_tagger *t, const char *s, size_t n);
const char *tagger_str(const struct nertag_tagger *t, uint32_t off);
/* Records one line of trace, when tracing. */
void tagger_trace(struct nertag_tagger *t, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* entity.c: the canonical name, id and `for` of an entity ("" when it
 * has none), and where a mention came from: "rule NAME (FILE:LINE)" for the
 * rule (or NONE32), then "gazetteer FILE:LINE" for the entry of e (NULL or
 * no entry: none) and its alias (or NONE32). */
const char *entity_canonical(const struct nertag_tagger *t, const entity *e);
const char *entity_id(const struct nertag_tagger *t, const entity *e);
/* `for` of a mention of that label: the one a rule set, else, for a
 * spokesperson, the body the gazetteer entry speaks for. */
const char *entity_for(const struct nertag_tagger *t, const entity *e,
                       uint32_t label);
int entity_source(const struct nertag_tagger *t, uint32_t rule_index,
                  const entity *e, uint32_t alias, buf *out);

/* tagger.c: the steps of the pipeline, for stream.c too.  tagger_reset
 * forgets the last document's annotations, names and trace; the language
 * is then chosen (t->lang), the tokens annotated (gazetteer, rules).
 * options_known refuses option words this version does not know;
 * accept_text checks (or repairs) UTF-8. */
void tagger_reset(struct nertag_tagger *t, const nertag_options *opt);
/* The same for the next window of a long document, which keeps the
 * document's names and their strings (stream.c). */
void tagger_next_window(struct nertag_tagger *t, const nertag_options *opt);
int tagger_choose_language(struct nertag_tagger *t, const nertag_options *opt,
                           nertag_error *err);
int tagger_annotate(struct nertag_tagger *t, nertag_error *err);
int options_known(const nertag_options *opt, nertag_error *err);
int accept_text(struct nertag_tagger *t, const char **text, size_t *len,
                const nertag_options *opt, nertag_error *err);

/* names.c: the names the document defines (tagger->doc_aliases), indexed
 * by first word as they come.  names_index brings the index up to date
 * with doc_aliases; names_at gives the first name that may start on token
 * pos (NONE32 if none) and names_next the next one, in the order they were
 * defined.  names_claim claims the words of a person's name (a key made
 * of its folded words): 1 when claimed now, 0 when already claimed, -1
 * out of memory.  names_reset forgets all names (a new document);
 * names_next_window keeps those defined before token cut, active from the
 * start of the next window, and retires the others (stream.c). */
typedef struct doc_names doc_names;
doc_names *names_new(void);
void names_free(doc_names *nm);
void names_reset(struct nertag_tagger *t);
int names_index(struct nertag_tagger *t);
uint32_t names_at(const struct nertag_tagger *t, uint32_t pos);
uint32_t names_next(const struct nertag_tagger *t, uint32_t k);
/* Does every name indexed need a capital on its first word (need_cap)? */
int names_need_capital(const struct nertag_tagger *t);
int names_claim(struct nertag_tagger *t, const char *key, size_t n);
int names_next_window(struct nertag_tagger *t, uint32_t cut);

/* resolve.c: picks the mentions and fills the result.  The arrays it
 * works in are the tagger's (resolve_scratch_free). */
struct nertag_result;
struct resolve_scratch;
struct nertag_result *result_new(void);
void resolve_scratch_free(struct resolve_scratch *s);
/* Where a window's text starts in its whole document (stream.c): its
 * mentions and tokens are given offsets in the document. */
typedef struct doc_offsets {
    size_t byte, cp, tok;
} doc_offsets;
/* at: NULL for a whole document. */
int resolve_mentions(struct nertag_tagger *t, struct nertag_result *r,
                     const doc_offsets *at, nertag_error *err);
/* Keeps the mentions and tokens of a window's result before its token
 * cut (the window starts at token tok of the document). */
void result_window(struct nertag_result *r, uint32_t cut, size_t tok);
/* Adds the mentions, tokens and trace of src after those of dst: 0, or
 * -1 when out of memory (dst can then only be freed). */
int result_append(struct nertag_result *dst, const struct nertag_result *src);

#endif
