/* text.c - a Python str or bytes as the UTF-8 that the library reads.
 *
 * A str is valid Unicode except for lone surrogates ("\ud800"), which have
 * no UTF-8: they are an error with their offsets, or U+FFFD with
 * replace_invalid, one code point for one so that offsets still index the
 * text the Doc keeps.  Bytes are given to the library as they are (it
 * reports invalid UTF-8 with its byte offset), or decoded first with
 * replace_invalid, so that the Doc's text is what was tagged.
 */
#include "_nertag.h"

/* Bytes of the UTF-8 of s[0..end), a lone surrogate counting 3. */
static long long utf8_bytes(PyObject *s, Py_ssize_t end)
{
    int kind = PyUnicode_KIND(s);
    const void *data = PyUnicode_DATA(s);
    long long n = 0;
    for (Py_ssize_t i = 0; i < end; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    }
    return n;
}

/* Index of the first lone surrogate of s, or -1. */
static Py_ssize_t find_surrogate(PyObject *s)
{
    int kind = PyUnicode_KIND(s);
    const void *data = PyUnicode_DATA(s);
    Py_ssize_t n = PyUnicode_GET_LENGTH(s);
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c >= 0xD800 && c <= 0xDFFF)
            return i;
    }
    return -1;
}

/* A copy of s with every lone surrogate replaced by U+FFFD. */
static PyObject *replace_surrogates(PyObject *s)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(s);
    PyObject *r = PyUnicode_New(n, 0xFFFF > PyUnicode_MAX_CHAR_VALUE(s)
                                       ? 0xFFFF : PyUnicode_MAX_CHAR_VALUE(s));
    if (!r)
        return NULL;
    int kind = PyUnicode_KIND(s), rkind = PyUnicode_KIND(r);
    const void *data = PyUnicode_DATA(s);
    void *rdata = PyUnicode_DATA(r);
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        PyUnicode_WRITE(rkind, rdata, i,
                        c >= 0xD800 && c <= 0xDFFF ? 0xFFFD : c);
    }
    return r;
}

static int surrogate_error(PyObject *s, Py_ssize_t at)
{
    Py_UCS4 c = PyUnicode_READ_CHAR(s, at);
    nertag_error err = { .code = NERTAG_ERR_UTF8, .offset = utf8_bytes(s, at),
                         .line = 0, .column = 0 };
    PyOS_snprintf(err.message, sizeof err.message,
                  "lone surrogate U+%04X at character %zd (no UTF-8 for it; "
                  "replace_invalid=True makes it U+FFFD)", (unsigned)c, at);
    nt_raise(&err, at);
    return -1;
}

static int from_str(PyObject *s, int replace, nt_text *t)
{
    t->utf8 = PyUnicode_AsUTF8AndSize(s, &t->len);
    if (t->utf8) {
        Py_INCREF(s);
        t->str = s;
        Py_INCREF(s);
        t->owner = s;
        return 0;
    }
    if (!PyErr_ExceptionMatches(PyExc_UnicodeEncodeError))
        return -1;
    PyErr_Clear();
    Py_ssize_t at = find_surrogate(s);
    if (at < 0) {
        PyErr_SetString(PyExc_ValueError, "the text cannot be encoded in UTF-8");
        return -1;
    }
    if (!replace)
        return surrogate_error(s, at);
    PyObject *r = replace_surrogates(s);
    if (!r)
        return -1;
    int rc = from_str(r, 0, t);
    Py_DECREF(r);
    return rc;
}

int nt_text_get(PyObject *obj, int replace, nt_text *t)
{
    t->str = t->owner = NULL;
    t->utf8 = NULL;
    t->len = 0;
    if (PyUnicode_Check(obj))
        return from_str(obj, replace, t);
    if (PyBytes_Check(obj)) {
        if (replace) {
            PyObject *s = PyUnicode_DecodeUTF8(PyBytes_AS_STRING(obj),
                                               PyBytes_GET_SIZE(obj), "replace");
            if (!s)
                return -1;
            int rc = from_str(s, 0, t);
            Py_DECREF(s);
            return rc;
        }
        Py_INCREF(obj);
        t->owner = obj;
        t->utf8 = PyBytes_AS_STRING(obj);
        t->len = PyBytes_GET_SIZE(obj);
        return 0;
    }
    PyErr_Format(PyExc_TypeError, "a text must be str or bytes, not %.100s",
                 Py_TYPE(obj)->tp_name);
    return -1;
}

void nt_text_clear(nt_text *t)
{
    Py_CLEAR(t->str);
    Py_CLEAR(t->owner);
    t->utf8 = NULL;
}
