/* _nertag.h - what the files of the extension module share.
 *
 * The module is a thin layer over the public API of nertag.h:
 *   _nertag.c  the module, its errors, Model (loading, tag)
 *   text.c     a Python str or bytes as the UTF-8 the library reads
 *   doc.c      Doc and Span, made from a nertag_result
 *   pool.c     Pool: the C threads behind Model.pipe
 * The package (nertag/__init__.py) adds the Python side: default data
 * folder, pipe's batching, HTML.
 */
#ifndef NERTAG_PY_H
#define NERTAG_PY_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "nertag.h"

/* A loaded model.  Immutable once loaded; the taggers that are not in use
 * wait in idle[] so that tag() does not build one per call.  idle[] is
 * only touched with the GIL held, which is its lock. */
typedef struct {
    PyObject_HEAD
    nertag_model *model;
    char *prefix;             /* "<data folder>/": cut from mention sources */
    size_t prefix_len;
    nertag_tagger **idle;
    size_t n_idle, cap_idle;
} ModelObject;

extern PyTypeObject nt_ModelType, nt_DocType, nt_SpanType, nt_PoolType;

/* nertag.Error, a subclass of ValueError. */
extern PyObject *nt_Error;

/* The classes Doc and Span objects are made of: the C types, or the
 * subclasses the package registers with _nertag._set_classes(). */
extern PyTypeObject *nt_doc_class, *nt_span_class;

/* error.c */
/* Raises nertag.Error for err, with char_offset (code points) unless it is
 * negative.  Returns NULL. */
PyObject *nt_raise(const nertag_error *err, long long char_offset);
/* The char_offset of a text error: the code points before err->offset in
 * t's UTF-8, or -1 when t is not a str or err has no offset. */
long long nt_char_offset(const nertag_error *err, PyObject *str,
                         const char *utf8);

/* _nertag.c */
/* A tagger for the calling thread: an idle one or a new one (GIL held). */
nertag_tagger *nt_take_tagger(ModelObject *m);
void nt_give_tagger(ModelObject *m, nertag_tagger *t);

/* text.c: one document's text as UTF-8. */
typedef struct {
    PyObject *str;            /* the text the Doc keeps, or NULL for bytes
                                 (decoded once tagged) */
    PyObject *owner;          /* the object utf8 points into */
    const char *utf8;
    Py_ssize_t len;
} nt_text;
/* Fills t from a str or bytes.  replace: lone surrogates of a str become
 * U+FFFD, invalid UTF-8 of bytes is decoded with Python's "replace".
 * Returns 0, or -1 with an exception set (nertag.Error for a lone
 * surrogate, with its offsets). */
int nt_text_get(PyObject *obj, int replace, nt_text *t);
void nt_text_clear(nt_text *t);

/* doc.c */
int nt_doc_init_module(PyObject *module);
/* A Doc of text t tagged as res, with id (borrowed, may be Py_None). */
PyObject *nt_doc_new(ModelObject *m, const nt_text *t, PyObject *id,
                     const nertag_result *res);

#endif
