/* doc.c - Doc and Span: a tagged document and its mentions.
 *
 * Both are made once from a nertag_result and never change.  A Span's
 * start_char and end_char count code points, as Python indexes a str, so
 * doc.text[span.start_char:span.end_char] == span.text (span.text is that
 * slice); start_byte and end_byte index the UTF-8.  Sources name data
 * files relative to the data folder, as the command writes them.
 */
#include "_nertag.h"

#include <stddef.h>
#include <string.h>
#include <structmember.h>

typedef struct {
    PyObject_HEAD
    Py_ssize_t start_char, end_char, start_byte, end_byte;
    PyObject *text, *label_, *canonical, *id, *source, *for_;
} SpanObject;

typedef struct {
    PyObject_HEAD
    PyObject *text, *lang, *id, *ents;   /* ents: a tuple of Span */
} DocObject;

/* Strings every document shares: the type names, "". */
static PyObject *labels[NERTAG_TYPE_COUNT], *empty;

int nt_doc_init_module(PyObject *module)
{
    for (int i = 0; i < NERTAG_TYPE_COUNT; i++)
        if (!(labels[i] = PyUnicode_InternFromString(
                  nertag_type_name((nertag_type)i))))
            return -1;
    empty = PyUnicode_InternFromString("");
    PyObject *t = empty ? PyTuple_New(NERTAG_TYPE_COUNT) : NULL;
    if (!t)
        return -1;
    for (int i = 0; i < NERTAG_TYPE_COUNT; i++) {
        Py_INCREF(labels[i]);
        PyTuple_SET_ITEM(t, i, labels[i]);
    }
    return PyModule_AddObject(module, "LABELS", t) < 0 ? (Py_DECREF(t), -1)
                                                       : 0;
}

/* A str of the library's UTF-8 s; "" is shared. */
static PyObject *str_of(const char *s)
{
    if (!*s) {
        Py_INCREF(empty);
        return empty;
    }
    return PyUnicode_DecodeUTF8(s, (Py_ssize_t)strlen(s), "replace");
}

/* The source of a mention with every "<data folder>/" cut. */
static PyObject *source_of(const ModelObject *m, const char *s)
{
    const char *p = m->prefix_len ? strstr(s, m->prefix) : NULL;
    if (!p)
        return str_of(s);
    size_t n = strlen(s);
    char stack[512], *out = n < sizeof stack ? stack : PyMem_Malloc(n + 1);
    if (!out)
        return PyErr_NoMemory();
    size_t k = 0;
    for (; p; p = strstr(s, m->prefix)) {
        memcpy(out + k, s, (size_t)(p - s));
        k += (size_t)(p - s);
        s = p + m->prefix_len;
    }
    size_t rest = strlen(s);
    memcpy(out + k, s, rest);
    k += rest;
    PyObject *r = PyUnicode_DecodeUTF8(out, (Py_ssize_t)k, "replace");
    if (out != stack)
        PyMem_Free(out);
    return r;
}

static PyObject *span_new(const ModelObject *m, PyObject *doc_text,
                          const nertag_mention *x)
{
    SpanObject *sp = (SpanObject *)nt_span_class->tp_alloc(nt_span_class, 0);
    if (!sp)
        return NULL;
    sp->start_char = (Py_ssize_t)x->start;
    sp->end_char = (Py_ssize_t)x->end;
    sp->start_byte = (Py_ssize_t)x->bstart;
    sp->end_byte = (Py_ssize_t)x->bend;
    sp->label_ = (unsigned)x->type < NERTAG_TYPE_COUNT ? labels[x->type] : empty;
    Py_INCREF(sp->label_);
    sp->text = PyUnicode_Substring(doc_text, sp->start_char, sp->end_char);
    sp->canonical = str_of(x->canonical);
    sp->id = str_of(x->id);
    sp->source = source_of(m, x->source);
    sp->for_ = str_of(x->for_);
    if (!sp->text || !sp->canonical || !sp->id || !sp->source || !sp->for_) {
        Py_DECREF(sp);
        return NULL;
    }
    return (PyObject *)sp;
}

PyObject *nt_doc_new(ModelObject *m, const nt_text *t, PyObject *id,
                     const nertag_result *res)
{
    PyObject *text = t->str;
    if (text)
        Py_INCREF(text);
    else if (!(text = PyUnicode_DecodeUTF8(t->utf8, t->len, "strict")))
        return NULL;
    size_t n = nertag_result_count(res);
    DocObject *d = (DocObject *)nt_doc_class->tp_alloc(nt_doc_class, 0);
    if (!d) {
        Py_DECREF(text);
        return NULL;
    }
    d->text = text;
    /* interned: the documents of one language share their code */
    const char *lang = nertag_result_lang(res);
    if (!(d->lang = PyUnicode_InternFromString(lang ? lang : ""))) {
        Py_DECREF(d);
        return NULL;
    }
    Py_INCREF(id);
    d->id = id;
    if (!(d->ents = PyTuple_New((Py_ssize_t)n))) {
        Py_DECREF(d);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        PyObject *sp = span_new(m, text, nertag_result_mention(res, i));
        if (!sp) {
            Py_DECREF(d);
            return NULL;
        }
        PyTuple_SET_ITEM(d->ents, (Py_ssize_t)i, sp);
    }
    return (PyObject *)d;
}

/* ------------------------------------------------------------- Span */

static PyObject *Span_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = { "start_char", "end_char", "start_byte",
                              "end_byte", "text", "label_", "canonical", "id",
                              "source", "for_", NULL };
    SpanObject v;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "nnnnUUUUUU:Span", kwlist,
                                     &v.start_char, &v.end_char,
                                     &v.start_byte, &v.end_byte, &v.text,
                                     &v.label_, &v.canonical, &v.id, &v.source,
                                     &v.for_))
        return NULL;
    SpanObject *sp = (SpanObject *)type->tp_alloc(type, 0);
    if (!sp)
        return NULL;
    sp->start_char = v.start_char;
    sp->end_char = v.end_char;
    sp->start_byte = v.start_byte;
    sp->end_byte = v.end_byte;
    PyObject **dst[] = { &sp->text, &sp->label_, &sp->canonical, &sp->id,
                         &sp->source, &sp->for_ };
    PyObject *src[] = { v.text, v.label_, v.canonical, v.id, v.source,
                        v.for_ };
    for (size_t i = 0; i < sizeof dst / sizeof *dst; i++) {
        Py_INCREF(src[i]);
        *dst[i] = src[i];
    }
    return (PyObject *)sp;
}

static void Span_dealloc(SpanObject *self)
{
    Py_XDECREF(self->text);
    Py_XDECREF(self->label_);
    Py_XDECREF(self->canonical);
    Py_XDECREF(self->id);
    Py_XDECREF(self->source);
    Py_XDECREF(self->for_);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* Pickling (Dask moves Docs between processes): the constructor's
 * arguments. */
static PyObject *Span_reduce(SpanObject *self, PyObject *unused)
{
    return Py_BuildValue("O(nnnnOOOOOO)", Py_TYPE(self), self->start_char,
                         self->end_char, self->start_byte, self->end_byte,
                         self->text, self->label_, self->canonical, self->id,
                         self->source, self->for_);
}

static PyMethodDef Span_methods[] = {
    { "__reduce__", (PyCFunction)Span_reduce, METH_NOARGS, NULL },
    { NULL, NULL, 0, NULL }
};

#define SPAN_INT(name, doc) \
    { #name, T_PYSSIZET, offsetof(SpanObject, name), READONLY, doc }
#define SPAN_OBJ(name, doc) \
    { #name, T_OBJECT, offsetof(SpanObject, name), READONLY, doc }
static PyMemberDef Span_members[] = {
    SPAN_INT(start_char, "first code point of the mention in doc.text"),
    SPAN_INT(end_char, "code point after the mention (end exclusive)"),
    SPAN_INT(start_byte, "first byte of the mention in the UTF-8 text"),
    SPAN_INT(end_byte, "byte after the mention in the UTF-8 text"),
    SPAN_OBJ(text, "the mention as it appears in the text"),
    SPAN_OBJ(label_, "its type: STATE, ORG, GROUP, SPOKESPERSON, PERSON, LOC"),
    SPAN_OBJ(canonical, "canonical name of the entity"),
    SPAN_OBJ(id, "gazetteer id ('CN', 'G1017'), or ''"),
    SPAN_OBJ(source, "the rule and gazetteer lines that made it"),
    SPAN_OBJ(for_, "SPOKESPERSON: canonical name of whom the person speaks "
                   "for, or ''"),
    { NULL, 0, 0, 0, NULL }
};

PyTypeObject nt_SpanType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "nertag._nertag.Span",
    .tp_basicsize = sizeof(SpanObject),
    .tp_dealloc = (destructor)Span_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "A mention: its offsets, text, label_, canonical, id, source "
              "and for_.",
    .tp_methods = Span_methods,
    .tp_members = Span_members,
    .tp_new = Span_new,
};

/* -------------------------------------------------------------- Doc */

static PyObject *Doc_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = { "text", "lang", "id", "ents", NULL };
    PyObject *text, *lang, *id = Py_None, *ents = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "UU|OO:Doc", kwlist, &text,
                                     &lang, &id, &ents))
        return NULL;
    PyObject *tuple = ents ? PySequence_Tuple(ents) : PyTuple_New(0);
    if (!tuple)
        return NULL;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(tuple); i++)
        if (!PyObject_TypeCheck(PyTuple_GET_ITEM(tuple, i), &nt_SpanType)) {
            Py_DECREF(tuple);
            PyErr_SetString(PyExc_TypeError, "ents must hold Span objects");
            return NULL;
        }
    DocObject *d = (DocObject *)type->tp_alloc(type, 0);
    if (!d) {
        Py_DECREF(tuple);
        return NULL;
    }
    Py_INCREF(text);
    Py_INCREF(lang);
    Py_INCREF(id);
    d->text = text;
    d->lang = lang;
    d->id = id;
    d->ents = tuple;
    return (PyObject *)d;
}

static void Doc_dealloc(DocObject *self)
{
    Py_XDECREF(self->text);
    Py_XDECREF(self->lang);
    Py_XDECREF(self->id);
    Py_XDECREF(self->ents);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static Py_ssize_t Doc_len(DocObject *self)
{
    return PyTuple_GET_SIZE(self->ents);
}

static PyObject *Doc_iter(DocObject *self)
{
    return PyObject_GetIter(self->ents);
}

static PyObject *Doc_reduce(DocObject *self, PyObject *unused)
{
    return Py_BuildValue("O(OOOO)", Py_TYPE(self), self->text, self->lang,
                         self->id, self->ents);
}

static PyMethodDef Doc_methods[] = {
    { "__reduce__", (PyCFunction)Doc_reduce, METH_NOARGS, NULL },
    { NULL, NULL, 0, NULL }
};

static PyMemberDef Doc_members[] = {
    { "text", T_OBJECT, offsetof(DocObject, text), READONLY,
      "the text that was tagged" },
    { "lang", T_OBJECT, offsetof(DocObject, lang), READONLY,
      "language used: 'fr' or 'en'" },
    { "id", T_OBJECT, offsetof(DocObject, id), READONLY,
      "the document's id (from the input of pipe), or None" },
    { "ents", T_OBJECT, offsetof(DocObject, ents), READONLY,
      "the mentions, a tuple of Span in text order" },
    { NULL, 0, 0, 0, NULL }
};

static PySequenceMethods Doc_as_sequence = {
    .sq_length = (lenfunc)Doc_len,
};

PyTypeObject nt_DocType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "nertag._nertag.Doc",
    .tp_basicsize = sizeof(DocObject),
    .tp_dealloc = (destructor)Doc_dealloc,
    .tp_as_sequence = &Doc_as_sequence,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "A tagged document: text, lang, id, and ents (its mentions); "
              "len() and iteration go over ents.",
    .tp_iter = (getiterfunc)Doc_iter,
    .tp_methods = Doc_methods,
    .tp_members = Doc_members,
    .tp_new = Doc_new,
};
