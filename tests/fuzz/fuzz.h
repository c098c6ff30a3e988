/* fuzz.h - what the fuzz targets share.
 *
 * Each target is one file with LLVMFuzzerTestOneInput (and, when it needs
 * a model or a folder, LLVMFuzzerInitialize).  It is linked either with
 * libFuzzer (-fsanitize=fuzzer, configure --enable-fuzzing) or with
 * replay.c, which runs it once on every file of its seed corpus: that is
 * how make check keeps the found crashes fixed without clang.
 *
 * A broken invariant aborts with its place, so that libFuzzer keeps the
 * input that broke it. */
#ifndef NERTAG_FUZZ_H
#define NERTAG_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "nertag.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The target's name: its corpus is tests/fuzz/corpus/NAME. */
extern const char fuzz_target_name[];

/* The source tree: gazetteers/, models/, tests/fuzz/corpus/. */
#define FUZZ_SRCDIR ABS_TOP_SRCDIR

_Noreturn void fuzz_fail(const char *what, const char *file, int line);
#define FUZZ_CHECK(cond) \
    ((cond) ? (void)0 : fuzz_fail(#cond, __FILE__, __LINE__))

/* Aborts when err does not describe a failure: a function that returned
 * NULL must say why, and a syntax error must say where. */
void fuzz_check_error(const nertag_error *err);

/* Checks every mention and token of r against the text it was made from
 * (text[0..len), valid UTF-8): offsets in range and in order, code points
 * agreeing with bytes, the mention's text equal to its bytes, types in
 * range, mentions sorted and non-overlapping. */
void fuzz_check_result(const nertag_result *r, const char *text, size_t len);
/* The same for a result tagged with replace_invalid: its offsets refer to
 * text[0..len) with invalid bytes replaced. */
void fuzz_check_result_replaced(const nertag_result *r, const char *text,
                                size_t len);
/* Tags any bytes with t as a text (invalid bytes replaced, traced) and
 * checks the result. */
void fuzz_tag_bytes(nertag_tagger *t, const uint8_t *data, size_t size);

/* A new private folder under $TMPDIR (or /tmp), removed at exit with
 * everything written in it through fuzz_write_file; aborts on failure.
 * Returns a string owned by the fuzz support code. */
const char *fuzz_temp_dir(void);
/* Writes data to dir/name, creating dir when missing; aborts on failure.
 * The file is removed at exit. */
void fuzz_write_file(const char *dir, const char *name, const void *data,
                     size_t len);
/* Copies a file of the source tree to dir/name. */
void fuzz_copy_file(const char *src, const char *dir, const char *name);
/* The model of the source tree, read from its text files (a target fails
 * when it does not load). */
nertag_model *fuzz_source_model(void);
/* Copies every language of the source tree (models/CODE.lang) into dir:
 * the gazetteers and rules a target loads may mark aliases and rules with
 * any of them. */
void fuzz_copy_languages(const char *dir);
/* A language code a result may carry: "und" or 2 to 8 small letters. */
int fuzz_valid_lang(const char *lang);

/* Tags each text with a tagger of m and compares the results of two
 * models mention by mention: a model mapped from its compiled file must
 * tag exactly as the one loaded from its sources. */
void fuzz_check_same_tags(const nertag_model *a, const nertag_model *b,
                          const char *const *texts, size_t ntexts);

/* Saves m (loaded from data_dir with ignore_compiled) as a compiled model
 * in data_dir/models/nertag.model, maps it back and checks that it tags
 * texts as m does. */
void fuzz_check_roundtrip(const nertag_model *m, const char *data_dir,
                          const char *const *texts, size_t ntexts);

#endif
