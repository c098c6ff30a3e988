/* error.c - nertag.Error, raised from a nertag_error: its message, and
 * its code, reason, offsets and place as attributes. */
#include "_nertag.h"

PyObject *nt_Error;

/* ------------------------------------------------------------ errors */

static const char *code_name(nertag_status code)
{
    switch (code) {
    case NERTAG_OK: return "ok";
    case NERTAG_ERR_NOMEM: return "nomem";
    case NERTAG_ERR_IO: return "io";
    case NERTAG_ERR_SYNTAX: return "syntax";
    case NERTAG_ERR_UTF8: return "utf8";
    case NERTAG_ERR_LIMIT: return "limit";
    case NERTAG_ERR_ICU: return "icu";
    case NERTAG_ERR_ARGUMENT: return "argument";
    case NERTAG_ERR_LANGUAGE: return "language";
    }
    return "unknown";
}

/* Sets attribute name of obj to value (a new reference, may be NULL on a
 * failure already raised).  Returns 0 or -1. */
static int set_attr(PyObject *obj, const char *name, PyObject *value)
{
    if (!value)
        return -1;
    int rc = PyObject_SetAttrString(obj, name, value);
    Py_DECREF(value);
    return rc;
}

static PyObject *new_none(void)
{
    Py_INCREF(Py_None);
    return Py_None;
}

static PyObject *long_or_none(long long v, int has)
{
    return has ? PyLong_FromLongLong(v) : new_none();
}

long long nt_char_offset(const nertag_error *err, PyObject *str,
                         const char *utf8)
{
    if (!str || err->offset < 0)
        return -1;
    /* the bytes before the offset are valid UTF-8: count the lead bytes */
    long long n = 0;
    for (long long i = 0; i < err->offset; i++)
        n += ((unsigned char)utf8[i] & 0xC0) != 0x80;
    return n;
}

PyObject *nt_raise(const nertag_error *err, long long char_offset)
{
    char msg[700];
    nertag_error_format(err, msg, sizeof msg);
    PyObject *e = PyObject_CallFunction(nt_Error, "s", msg);
    if (!e)
        return NULL;
    int has_offset = err->offset >= 0;
    if (set_attr(e, "code", PyUnicode_FromString(code_name(err->code))) ||
        set_attr(e, "reason", PyUnicode_FromString(err->message)) ||
        set_attr(e, "offset", long_or_none(err->offset, has_offset)) ||
        set_attr(e, "char_offset", long_or_none(char_offset, char_offset >= 0)) ||
        set_attr(e, "file", err->file[0] ? PyUnicode_DecodeFSDefault(err->file)
                                         : new_none()) ||
        set_attr(e, "line", long_or_none(err->line, err->line > 0)) ||
        set_attr(e, "column", long_or_none(err->column, err->column > 0))) {
        Py_DECREF(e);
        return NULL;
    }
    PyErr_SetObject(nt_Error, e);
    Py_DECREF(e);
    return NULL;
}

