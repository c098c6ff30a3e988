/* pool.c - Pool: C threads that tag batches of documents for Model.pipe.
 *
 *   pool = Pool(model, n_threads, lang=None, replace_invalid=False)
 *   pool.submit(batch)        a list of str, bytes or dicts; returns at once
 *   docs, error = pool.collect()
 *                             waits for the oldest batch: its Docs in input
 *                             order, up to the first document that failed,
 *                             and that failure (an exception) or None
 *   pool.close()              stops and joins the threads
 *
 * Each thread has its own tagger (from the model's idle list) and takes a
 * few documents at a time from the oldest batch that has some left; the
 * threads never touch Python objects, so they run without the GIL.  Texts
 * are read as UTF-8 pointers into objects the batch holds references to.
 * submit() and collect() run with the GIL, so the package can keep a
 * bounded number of batches in flight while its caller reads the input
 * and uses the Docs.
 */
#include "_nertag.h"

#include <pthread.h>
#include <stdlib.h>

typedef struct {
    nt_text text;
    PyObject *id;             /* the input's id, or None */
    PyObject *lang;           /* the input's lang (a str), or NULL */
    const char *lang_utf8;
    PyObject *error;          /* the input was unusable: what to raise */
    nertag_result *res;       /* set by a thread */
    nertag_error err;         /* when res is NULL */
} item;

typedef struct batch {
    item *items;
    size_t n;
    size_t taken;             /* items[0..taken) are claimed by threads */
    size_t done;              /* items finished */
    struct batch *next;
} batch;

typedef struct PoolObject PoolObject;

typedef struct {
    PoolObject *pool;
    nertag_tagger *tagger;
    pthread_t thread;
    int started;
} worker;

struct PoolObject {
    PyObject_HEAD
    ModelObject *model;
    PyObject *lang;           /* default language (str) or None */
    int replace;
    pthread_mutex_t mu;
    pthread_cond_t work;      /* a batch was submitted, or stop */
    pthread_cond_t done;      /* a batch was finished */
    int sync_ready;           /* mu and the conditions exist */
    worker *workers;
    size_t n_workers;
    batch *head, *tail;       /* in submission order */
    int stop;
    int collecting;
};

/* ---------------------------------------------------------- threads */

/* The oldest batch with documents nobody took yet (mu held). */
static batch *next_work(PoolObject *p)
{
    for (batch *b = p->head; b; b = b->next)
        if (b->taken < b->n)
            return b;
    return NULL;
}

static void *work(void *arg)
{
    worker *w = arg;
    PoolObject *p = w->pool;
    size_t n_threads = p->n_workers;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        batch *b = NULL;
        while (!p->stop && !(b = next_work(p)))
            pthread_cond_wait(&p->work, &p->mu);
        if (p->stop)
            break;
        /* a few documents at a time: fewer lock round trips, and still
         * about four shares per thread and batch to even out lengths */
        size_t chunk = b->n / (4 * n_threads);
        chunk = chunk < 1 ? 1 : chunk > 64 ? 64 : chunk;
        size_t from = b->taken, to = from + chunk < b->n ? from + chunk : b->n;
        b->taken = to;
        pthread_mutex_unlock(&p->mu);
        for (size_t i = from; i < to; i++) {
            item *it = &b->items[i];
            if (it->error)
                continue;
            nertag_options opt = { it->lang_utf8, 0, NULL, { 0 } };
            it->res = nertag_tag(w->tagger, it->text.utf8,
                                 (size_t)it->text.len, &opt, &it->err);
        }
        pthread_mutex_lock(&p->mu);
        b->done += to - from;
        if (b->done == b->n)
            pthread_cond_signal(&p->done);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* ---------------------------------------------------------- batches */

static void item_clear(item *it)
{
    nt_text_clear(&it->text);
    Py_CLEAR(it->id);
    Py_CLEAR(it->lang);
    Py_CLEAR(it->error);
    nertag_result_free(it->res);
    it->res = NULL;
}

static void batch_free(batch *b)
{
    for (size_t i = 0; i < b->n; i++)
        item_clear(&b->items[i]);
    PyMem_Free(b->items);
    PyMem_Free(b);
}

/* The exception being raised, taken out of the error indicator. */
static PyObject *take_exception(void)
{
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyErr_NormalizeException(&type, &value, &tb);
    if (tb && value)
        PyException_SetTraceback(value, tb);
    Py_XDECREF(type);
    Py_XDECREF(tb);
    return value;
}

/* Reads one input: a str or bytes, or a dict with "text" and optionally
 * "id" and "lang" (None meaning the pool's).  Returns 0, or -1 with an
 * exception set. */
static int item_read(PoolObject *p, PyObject *obj, item *it)
{
    PyObject *text = obj, *lang = p->lang;
    it->id = Py_None;
    if (PyDict_Check(obj)) {
        text = PyDict_GetItemString(obj, "text");
        if (!text) {
            PyErr_SetString(PyExc_KeyError,
                            "a document given as a dict needs \"text\"");
            return -1;
        }
        PyObject *id = PyDict_GetItemString(obj, "id");
        if (id)
            it->id = id;
        PyObject *l = PyDict_GetItemString(obj, "lang");
        if (l && l != Py_None)
            lang = l;
    }
    Py_INCREF(it->id);
    if (lang != Py_None) {
        if (!PyUnicode_Check(lang)) {
            PyErr_Format(PyExc_TypeError,
                         "lang must be a str or None, not %.100s",
                         Py_TYPE(lang)->tp_name);
            return -1;
        }
        Py_INCREF(lang);
        it->lang = lang;
        if (!(it->lang_utf8 = PyUnicode_AsUTF8(lang)))
            return -1;
    }
    return nt_text_get(text, p->replace, &it->text);
}

static PyObject *Pool_submit(PoolObject *p, PyObject *list)
{
    if (!PyList_Check(list)) {
        PyErr_SetString(PyExc_TypeError, "submit() takes a list");
        return NULL;
    }
    if (p->n_workers == 0 || p->stop) {
        PyErr_SetString(PyExc_RuntimeError, "the pool is closed");
        return NULL;
    }
    size_t n = (size_t)PyList_GET_SIZE(list);
    batch *b = PyMem_Calloc(1, sizeof *b);
    item *items = b && n ? PyMem_Calloc(n, sizeof *items) : NULL;
    if (!b || (n && !items)) {
        PyMem_Free(b);
        return PyErr_NoMemory();
    }
    b->items = items;
    b->n = n;
    for (size_t i = 0; i < n; i++)
        if (item_read(p, PyList_GET_ITEM(list, (Py_ssize_t)i), &items[i]) < 0 &&
            !(items[i].error = take_exception())) {
            batch_free(b);
            return NULL;
        }
    pthread_mutex_lock(&p->mu);
    if (p->tail)
        p->tail->next = b;
    else
        p->head = b;
    p->tail = b;
    if (n == 0)
        pthread_cond_signal(&p->done);
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->mu);
    Py_RETURN_NONE;
}

/* The Doc of a finished item, or its failure as an exception object
 * (*failed set). */
static PyObject *item_doc(PoolObject *p, item *it, int *failed)
{
    *failed = 0;
    if (it->error) {
        *failed = 1;
        Py_INCREF(it->error);
        return it->error;
    }
    PyObject *doc = it->res ? nt_doc_new(p->model, &it->text, it->id, it->res)
                            : nt_raise(&it->err, nt_char_offset(&it->err,
                                                                it->text.str,
                                                                it->text.utf8));
    if (doc)
        return doc;
    *failed = 1;
    return take_exception();
}

static PyObject *Pool_collect(PoolObject *p, PyObject *unused)
{
    if (p->collecting) {
        PyErr_SetString(PyExc_RuntimeError, "collect() is already running");
        return NULL;
    }
    if (!p->head) {
        PyErr_SetString(PyExc_RuntimeError, "no batch was submitted");
        return NULL;
    }
    p->collecting = 1;
    batch *b;
    Py_BEGIN_ALLOW_THREADS
    pthread_mutex_lock(&p->mu);
    while (p->head->done < p->head->n)
        pthread_cond_wait(&p->done, &p->mu);
    b = p->head;
    p->head = b->next;
    if (!p->head)
        p->tail = NULL;
    pthread_mutex_unlock(&p->mu);
    Py_END_ALLOW_THREADS
    p->collecting = 0;

    PyObject *docs = PyList_New(0), *error = NULL;
    for (size_t i = 0; docs && i < b->n && !error; i++) {
        int failed;
        PyObject *x = item_doc(p, &b->items[i], &failed);
        if (!x || failed) {
            error = x;
            break;
        }
        if (PyList_Append(docs, x) < 0)
            Py_CLEAR(docs);
        Py_DECREF(x);
    }
    batch_free(b);
    if (!docs) {
        Py_XDECREF(error);
        return NULL;
    }
    if (!error) {
        Py_INCREF(Py_None);
        error = Py_None;
    }
    PyObject *r = PyTuple_Pack(2, docs, error);
    Py_DECREF(docs);
    Py_DECREF(error);
    return r;
}

/* Stops the threads once their current documents are done, joins them and
 * gives their taggers back to the model. */
static void pool_stop(PoolObject *p)
{
    if (!p->workers)
        return;
    pthread_mutex_lock(&p->mu);
    p->stop = 1;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->mu);
    Py_BEGIN_ALLOW_THREADS
    for (size_t i = 0; i < p->n_workers; i++)
        if (p->workers[i].started)
            pthread_join(p->workers[i].thread, NULL);
    Py_END_ALLOW_THREADS
    for (size_t i = 0; i < p->n_workers; i++)
        if (p->workers[i].tagger)
            nt_give_tagger(p->model, p->workers[i].tagger);
    PyMem_Free(p->workers);
    p->workers = NULL;
    p->n_workers = 0;
    while (p->head) {
        batch *b = p->head;
        p->head = b->next;
        batch_free(b);
    }
    p->tail = NULL;
}

static PyObject *Pool_close(PoolObject *p, PyObject *unused)
{
    pool_stop(p);
    Py_RETURN_NONE;
}

static int Pool_init(PoolObject *p, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = { "model", "n_threads", "lang", "replace_invalid",
                              NULL };
    ModelObject *model;
    Py_ssize_t n;
    PyObject *lang = Py_None;
    int replace = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O!n|Op:Pool", kwlist,
                                     &nt_ModelType, &model, &n, &lang,
                                     &replace))
        return -1;
    if (p->model || p->sync_ready) {
        PyErr_SetString(PyExc_RuntimeError, "the pool is already started");
        return -1;
    }
    if (!model->model) {
        PyErr_SetString(PyExc_RuntimeError, "the model is not loaded");
        return -1;
    }
    if (n < 1 || n > 1024) {
        PyErr_SetString(PyExc_ValueError, "n_threads must be 1 to 1024");
        return -1;
    }
    if (lang != Py_None && !PyUnicode_Check(lang)) {
        PyErr_SetString(PyExc_TypeError, "lang must be a str or None");
        return -1;
    }
    Py_INCREF(model);
    p->model = model;
    Py_INCREF(lang);
    p->lang = lang;
    p->replace = replace;
    if (pthread_mutex_init(&p->mu, NULL) != 0)
        goto nosync;
    if (pthread_cond_init(&p->work, NULL) != 0) {
        pthread_mutex_destroy(&p->mu);
        goto nosync;
    }
    if (pthread_cond_init(&p->done, NULL) != 0) {
        pthread_cond_destroy(&p->work);
        pthread_mutex_destroy(&p->mu);
        goto nosync;
    }
    p->sync_ready = 1;
    if (!(p->workers = PyMem_Calloc((size_t)n, sizeof *p->workers))) {
        PyErr_NoMemory();
        return -1;
    }
    p->n_workers = (size_t)n;
    for (size_t i = 0; i < p->n_workers; i++) {
        worker *w = &p->workers[i];
        w->pool = p;
        if (!(w->tagger = nt_take_tagger(model)))
            goto fail;
    }
    for (size_t i = 0; i < p->n_workers; i++) {
        worker *w = &p->workers[i];
        if (pthread_create(&w->thread, NULL, work, w) != 0) {
            PyErr_SetString(PyExc_RuntimeError, "cannot start a thread");
            goto fail;
        }
        w->started = 1;
    }
    return 0;
nosync:
    PyErr_SetString(PyExc_RuntimeError, "cannot make a mutex");
    return -1;
fail:
    pool_stop(p);
    return -1;
}

static void Pool_dealloc(PoolObject *p)
{
    pool_stop(p);
    if (p->sync_ready) {
        pthread_cond_destroy(&p->done);
        pthread_cond_destroy(&p->work);
        pthread_mutex_destroy(&p->mu);
    }
    Py_XDECREF(p->lang);
    Py_XDECREF(p->model);
    Py_TYPE(p)->tp_free((PyObject *)p);
}

static PyMethodDef Pool_methods[] = {
    { "submit", (PyCFunction)Pool_submit, METH_O,
      "submit(list): queues a batch of documents (str, bytes or dicts)." },
    { "collect", (PyCFunction)Pool_collect, METH_NOARGS,
      "collect() -> (docs, error): the oldest batch, once tagged." },
    { "close", (PyCFunction)Pool_close, METH_NOARGS,
      "close(): stops the threads; queued batches are dropped." },
    { NULL, NULL, 0, NULL }
};

PyTypeObject nt_PoolType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "nertag._nertag.Pool",
    .tp_basicsize = sizeof(PoolObject),
    .tp_dealloc = (destructor)Pool_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Pool(model, n_threads, lang=None, replace_invalid=False): "
              "threads tagging batches for Model.pipe.",
    .tp_methods = Pool_methods,
    .tp_init = (initproc)Pool_init,
    .tp_new = PyType_GenericNew,
};
