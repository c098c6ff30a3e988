/* _nertag.c - the extension module: the Model type.
 *
 * Model(data, compiled=None) loads a data folder once; tag() tags one text
 * on a tagger of the model's idle list, with the GIL released while the
 * library works, so that several Python threads tag at once on one model.
 * The package's nertag.Model subclasses this type (default folder, pipe).
 */
#include "_nertag.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------- model */

nertag_tagger *nt_take_tagger(ModelObject *m)
{
    if (m->n_idle > 0)
        return m->idle[--m->n_idle];
    nertag_error err;
    nertag_tagger *t = nertag_tagger_new(m->model, &err);
    if (!t)
        nt_raise(&err, -1);
    return t;
}

void nt_give_tagger(ModelObject *m, nertag_tagger *t)
{
    if (m->n_idle == m->cap_idle) {
        size_t cap = m->cap_idle ? 2 * m->cap_idle : 4;
        nertag_tagger **v = PyMem_Realloc(m->idle, cap * sizeof *v);
        if (!v) {
            /* no room to keep it: the next call makes another */
            nertag_tagger_free(t);
            return;
        }
        m->idle = v;
        m->cap_idle = cap;
    }
    m->idle[m->n_idle++] = t;
}

static void Model_dealloc(ModelObject *self)
{
    /* every tagger is back here: tag() and Pool hold a reference to the
     * model while they use one */
    for (size_t i = 0; i < self->n_idle; i++)
        nertag_tagger_free(self->idle[i]);
    PyMem_Free(self->idle);
    nertag_model_free(self->model);
    PyMem_Free(self->prefix);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* "<realpath of dir>/": the command cuts the same prefix from sources, so
 * that they name data files relative to the data folder. */
static char *source_prefix(const char *dir)
{
    char *real = realpath(dir, NULL);
    const char *d = real ? real : dir;
    size_t n = strlen(d);
    char *p = PyMem_Malloc(n + 2);
    if (p) {
        memcpy(p, d, n);
        p[n] = '/';
        p[n + 1] = '\0';
    }
    free(real);
    return p;
}

/* The folders of a sequence of paths, as bytes (a new list), and an
 * array of their strings, NULL-terminated (free it with PyMem_Free). */
static PyObject *layer_paths(PyObject *seq, const char ***out)
{
    PyObject *fast = PySequence_Fast(seq, "layers must be a sequence of "
                                     "folders");
    if (!fast)
        return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(fast);
    PyObject *list = PyList_New(n);
    *out = PyMem_Calloc((size_t)n + 1, sizeof **out);
    for (Py_ssize_t i = 0; list && *out && i < n; i++) {
        PyObject *b = NULL;
        if (!PyUnicode_FSConverter(PySequence_Fast_GET_ITEM(fast, i), &b)) {
            Py_CLEAR(list);
            break;
        }
        PyList_SET_ITEM(list, i, b);
        (*out)[i] = PyBytes_AS_STRING(b);
    }
    Py_DECREF(fast);
    if (!*out && list) {
        PyErr_NoMemory();
        Py_CLEAR(list);
    }
    if (!list) {
        PyMem_Free(*out);
        *out = NULL;
    }
    return list;
}

static int Model_init(ModelObject *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = { "data", "compiled", "layers", NULL };
    PyObject *data = NULL, *compiled = NULL, *layers = NULL, *paths = NULL;
    const char **layer_list = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O&|O&O:Model", kwlist,
                                     PyUnicode_FSConverter, &data,
                                     PyUnicode_FSConverter, &compiled,
                                     &layers))
        goto fail;
    if (layers && layers != Py_None &&
        !(paths = layer_paths(layers, &layer_list)))
        goto fail;
    if (self->model) {
        PyErr_SetString(PyExc_RuntimeError, "the model is already loaded");
        goto fail;
    }
    const char *dir = PyBytes_AS_STRING(data);
    nertag_load_options opt = { NULL, NULL, NULL, 0, layer_list, { 0 } };
    if (compiled)
        opt.compiled_model = PyBytes_AS_STRING(compiled);
    PyMem_Free(self->prefix);    /* from an earlier load that failed */
    self->prefix = source_prefix(dir);
    if (!self->prefix) {
        PyErr_NoMemory();
        goto fail;
    }
    self->prefix_len = strlen(self->prefix);
    nertag_error err;
    nertag_model *model;
    Py_BEGIN_ALLOW_THREADS
    model = nertag_model_load(dir, &opt, &err);
    Py_END_ALLOW_THREADS
    if (!model) {
        nt_raise(&err, -1);
        goto fail;
    }
    self->model = model;
    Py_DECREF(data);
    Py_XDECREF(compiled);
    Py_XDECREF(paths);
    PyMem_Free(layer_list);
    return 0;
fail:
    Py_XDECREF(data);
    Py_XDECREF(compiled);
    Py_XDECREF(paths);
    PyMem_Free(layer_list);
    return -1;
}

static int loaded(ModelObject *self)
{
    if (self->model)
        return 1;
    PyErr_SetString(PyExc_RuntimeError, "the model is not loaded");
    return 0;
}

/* The language option: NULL for None (detected per document). */
static int lang_arg(PyObject *lang, const char **out)
{
    *out = NULL;
    if (lang == Py_None)
        return 0;
    if (!PyUnicode_Check(lang)) {
        PyErr_Format(PyExc_TypeError, "lang must be a str or None, not %.100s",
                     Py_TYPE(lang)->tp_name);
        return -1;
    }
    *out = PyUnicode_AsUTF8(lang);
    return *out ? 0 : -1;
}

static PyObject *Model_tag(ModelObject *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = { "text", "lang", "replace_invalid", NULL };
    PyObject *text, *lang = Py_None;
    int replace = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O|O$p:tag", kwlist, &text,
                                     &lang, &replace) ||
        !loaded(self))
        return NULL;
    nertag_options opt = { NULL, 0, NULL, { 0 } };
    if (lang_arg(lang, &opt.lang) < 0)
        return NULL;
    nt_text t;
    if (nt_text_get(text, replace, &t) < 0)
        return NULL;
    nertag_tagger *tagger = nt_take_tagger(self);
    if (!tagger) {
        nt_text_clear(&t);
        return NULL;
    }
    nertag_error err;
    nertag_result *res;
    Py_BEGIN_ALLOW_THREADS
    res = nertag_tag(tagger, t.utf8, (size_t)t.len, &opt, &err);
    Py_END_ALLOW_THREADS
    nt_give_tagger(self, tagger);
    PyObject *doc = res ? nt_doc_new(self, &t, Py_None, res)
                        : nt_raise(&err, nt_char_offset(&err, t.str, t.utf8));
    nertag_result_free(res);
    nt_text_clear(&t);
    return doc;
}

static PyObject *Model_stats(ModelObject *self, PyObject *unused)
{
    if (!loaded(self))
        return NULL;
    static const char *origins[] = { "sources", "compiled", "stale compiled",
                                     "bad compiled" };
    nertag_model_stats st;
    nertag_model_get_stats(self->model, &st);
    const char *origin = st.origin >= 0 && st.origin < 4 ? origins[st.origin]
                                                         : "unknown";
    return Py_BuildValue("{s:n,s:n,s:n,s:n,s:n,s:s}",
                         "entries", (Py_ssize_t)st.entries,
                         "aliases", (Py_ssize_t)st.aliases,
                         "rules", (Py_ssize_t)st.rules,
                         "phases", (Py_ssize_t)st.phases,
                         "memory", (Py_ssize_t)st.memory,
                         "origin", origin);
}

static PyMethodDef Model_methods[] = {
    { "tag", (PyCFunction)(void (*)(void))Model_tag,
      METH_VARARGS | METH_KEYWORDS,
      "tag(text, lang=None, *, replace_invalid=False) -> Doc\n\n"
      "Tags one document: a str, or bytes in UTF-8.  lang: 'fr', 'en' or\n"
      "None (detected).  Raises nertag.Error for text the library rejects." },
    { "stats", (PyCFunction)Model_stats, METH_NOARGS,
      "stats() -> dict: entries, aliases, rules, phases, memory (bytes) and\n"
      "origin ('compiled', 'sources', 'stale compiled', 'bad compiled')." },
    { NULL, NULL, 0, NULL }
};

PyTypeObject nt_ModelType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "nertag._nertag.Model",
    .tp_basicsize = sizeof(ModelObject),
    .tp_dealloc = (destructor)Model_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "Model(data, compiled=None, layers=None): the gazetteers and "
              "rules of the data folder data, with the folders of layers "
              "laid over it, loaded once.",
    .tp_methods = Model_methods,
    .tp_init = (initproc)Model_init,
    .tp_new = PyType_GenericNew,
};

/* ------------------------------------------------------------ module */

PyTypeObject *nt_doc_class = &nt_DocType, *nt_span_class = &nt_SpanType;

/* _set_classes(Doc, Span): the package's subclasses, which get the
 * methods written in Python (to_html, to_dict). */
static PyObject *set_classes(PyObject *module, PyObject *args)
{
    PyTypeObject *doc, *span;
    if (!PyArg_ParseTuple(args, "O!O!:_set_classes", &PyType_Type, &doc,
                          &PyType_Type, &span))
        return NULL;
    if (!PyType_IsSubtype(doc, &nt_DocType) ||
        !PyType_IsSubtype(span, &nt_SpanType)) {
        PyErr_SetString(PyExc_TypeError,
                        "_set_classes needs subclasses of Doc and Span");
        return NULL;
    }
    Py_INCREF(doc);
    Py_INCREF(span);
    PyTypeObject *old_doc = nt_doc_class, *old_span = nt_span_class;
    nt_doc_class = doc;
    nt_span_class = span;
    /* the C types are static: their references are never dropped */
    if (old_doc != &nt_DocType)
        Py_DECREF(old_doc);
    if (old_span != &nt_SpanType)
        Py_DECREF(old_span);
    Py_RETURN_NONE;
}

static PyMethodDef module_methods[] = {
    { "_set_classes", set_classes, METH_VARARGS,
      "_set_classes(Doc, Span): the classes of the objects tag() makes." },
    { NULL, NULL, 0, NULL }
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT,
    .m_name = "nertag._nertag",
    .m_doc = "The C side of the nertag package: use the nertag module.",
    .m_size = -1,
    .m_methods = module_methods,
};

static int add_type(PyObject *module, const char *name, PyTypeObject *type)
{
    if (PyType_Ready(type) < 0)
        return -1;
    Py_INCREF(type);
    if (PyModule_AddObject(module, name, (PyObject *)type) < 0) {
        Py_DECREF(type);
        return -1;
    }
    return 0;
}

PyMODINIT_FUNC PyInit__nertag(void);

PyMODINIT_FUNC PyInit__nertag(void)
{
    PyObject *m = PyModule_Create(&module_def);
    if (!m)
        return NULL;
    nt_Error = PyErr_NewExceptionWithDoc(
        "nertag.Error",
        "An error of the library: code ('utf8', 'syntax', 'io', 'argument', "
        "'limit', 'nomem', 'icu'), reason, offset (byte offset in the text) "
        "and char_offset (in code points, for a str), file, line and column "
        "(for data errors); None where it does not apply.",
        PyExc_ValueError, NULL);
    if (!nt_Error || PyModule_AddObjectRef(m, "Error", nt_Error) < 0 ||
        add_type(m, "Model", &nt_ModelType) < 0 ||
        add_type(m, "Doc", &nt_DocType) < 0 ||
        add_type(m, "Span", &nt_SpanType) < 0 ||
        add_type(m, "Pool", &nt_PoolType) < 0 ||
        nt_doc_init_module(m) < 0 ||
        PyModule_AddStringConstant(m, "VERSION", NERTAG_VERSION) < 0 ||
        PyModule_AddStringConstant(m, "PKGDATADIR", PKGDATADIR) < 0 ||
        PyModule_AddStringConstant(m, "ABS_TOP_SRCDIR", ABS_TOP_SRCDIR) < 0 ||
        PyModule_AddStringConstant(m, "ABS_TOP_BUILDDIR",
                                   ABS_TOP_BUILDDIR) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
