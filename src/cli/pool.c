/* pool.c - tagging documents on N threads, output in input order.
 *
 * The jobs form a ring of a fixed size: the reader (main thread) fills the
 * slot after the newest, workers take the oldest unclaimed one, and the
 * writer (the main thread again, whenever the reader asks for a slot)
 * writes the oldest finished ones in order.  When every slot is in use,
 * or the documents in flight hold too many bytes, the reader waits, so a
 * fast reader cannot pile up documents: memory stays bounded.
 *
 * Short documents come by thousands a second, and every sleep or wake-up
 * of a thread is a system call: so the reader, once the ring is full,
 * sleeps until half of it is done rather than until the oldest job is,
 * and workers are woken for a handful of queued jobs, not for each.
 *
 * A reader about to wait for input calls pool_idle first: it wakes the
 * workers for the jobs already queued, however few, and with
 * --line-buffered waits for them and writes them, so that a program that
 * writes one document and waits for its answer gets it.
 *
 * Each worker owns a tagger; the model is shared read-only.  The only
 * shared mutable state is the ring's three counters, the jobs' done
 * flags and the job the writer sleeps on, all under one mutex (the bytes
 * in flight are the main thread's alone).  With one thread there are no workers: the
 * reader processes each job itself, through the same code, so that -j 1
 * and -j N write the same bytes. */
#include "cli/cli.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct pool {
    const cli_opts *o;
    pool_fn process;              /* what a worker does with a job */
    pool_writer *w;
    job *jobs;
    size_t cap;
    /* sequence numbers: [head, next) are being tagged or done, [next, sub)
     * wait for a worker, sub is the slot the reader fills */
    unsigned long long head, next, sub;
    nertag_tagger **taggers;      /* one per worker, or one for the reader */
    size_t ntaggers;
    pthread_t *threads;
    size_t nthreads;              /* threads started */
    pthread_mutex_t mu;
    pthread_cond_t work;          /* a job was queued, or stop */
    pthread_cond_t done;          /* job wake_at was finished */
    unsigned long long wake_at;   /* the job the writer waits for */
    int writer_waits;
    size_t in_flight;             /* input bytes of the jobs [head, sub) */
    int stop;
    long long bytes;              /* input consumed, for the progress line */
};

/* Documents in flight per worker: enough to keep every worker busy while
 * the writer sleeps or waits for a slow document, few enough to bound
 * memory; and, whatever their number, no more input bytes than this. */
#define JOBS_PER_THREAD 16
#define MAX_BYTES_IN_FLIGHT ((size_t)64 << 20)

/* After a large document, a slot gives its memory back rather than keep
 * it for the rest of the run. */
#define KEEP_BYTES ((size_t)4 << 20)

static job *slot(pool *p, unsigned long long seq)
{
    return &p->jobs[seq % p->cap];
}

/* ------------------------------------------------------------ workers */

typedef struct worker_arg {
    pool *p;
    nertag_tagger *t;
} worker_arg;

static void *worker(void *arg)
{
    pool *p = ((worker_arg *)arg)->p;
    nertag_tagger *t = ((worker_arg *)arg)->t;
    free(arg);
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->stop && p->next == p->sub)
            pthread_cond_wait(&p->work, &p->mu);
        if (p->next == p->sub)
            break;
        unsigned long long seq = p->next++;
        job *j = slot(p, seq);
        pthread_mutex_unlock(&p->mu);
        p->process(p->o, t, j);
        pthread_mutex_lock(&p->mu);
        j->done = 1;
        if (p->writer_waits && seq == p->wake_at)
            pthread_cond_signal(&p->done);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* ------------------------------------------------------------ writer */

static void shrink(buf *b)
{
    if (b->cap > KEEP_BYTES)
        buf_free(b);
    else
        buf_clear(b);
}

static void write_job(pool *p, job *j)
{
    pool_writer *w = p->w;
    FILE *msgs = w->msgs ? w->msgs : stderr;
    if (w->stopped)
        return;       /* documents read ahead of the one that stopped */
    if (j->err.len) {
        progress_clear(w->progress);
        fwrite(j->err.data, 1, j->err.len, msgs);
    }
    if (j->rejected)
        w->status = 1;
    if (j->rejected && p->o->on_error == ON_ERROR_STOP) {
        w->stopped = 1;
        return;
    }
    if (j->fatal) {
        fprintf(msgs, "nertag: %s: out of memory\n", j->name);
        w->failed = 1;
    }
    if (!j->raw && !j->fatal && !j->emitted &&
        !(j->rejected && !j->out.len)) {
        w->docs += !j->partial;   /* a long text counts once, at its end */
        for (int t = 0; t < NERTAG_TYPE_COUNT; t++)
            w->counts[t] += j->counts[t];
    }
    if (p->o->output == OUT_BRAT && j->docname.len) {
        buf path = BUF_INIT;
        if (brat_write(p->o->brat_dir, w->names, j, w->out, &path) != 0) {
            progress_clear(w->progress);
            fprintf(msgs, "nertag: %s: %s\n",
                    path.data ? path.data : "standard output",
                    strerror(errno));
            w->failed = 1;
        }
        buf_free(&path);
    } else if (j->out.len &&
               fwrite(j->out.data, 1, j->out.len, w->out) != j->out.len) {
        w->failed = 1;
    }
    progress_update(w->progress, p->bytes, w->docs);
}

/* Sleeps until job seq is done; called with the mutex held. */
static void wait_for(pool *p, unsigned long long seq)
{
    p->wake_at = seq;
    p->writer_waits = 1;
    while (!slot(p, seq)->done)
        pthread_cond_wait(&p->done, &p->mu);
    p->writer_waits = 0;
}

/* Writes the oldest jobs while they are done; with wait, first waits for
 * half of the jobs in flight (and for the oldest).  With --line-buffered,
 * what was written is flushed: the reader may be about to wait for input
 * that its writer sends only once it has read this. */
static void write_ready(pool *p, int wait)
{
    int wrote = 0;
    while (p->head < p->sub) {
        job *j = slot(p, p->head);
        pthread_mutex_lock(&p->mu);
        if (wait && !j->done) {
            if (p->next < p->sub)
                pthread_cond_broadcast(&p->work);   /* see pool_submit */
            wait_for(p, p->head + (p->sub - p->head - 1) / 2);
            wait_for(p, p->head);
        }
        int done = j->done;
        pthread_mutex_unlock(&p->mu);
        if (!done)
            break;
        p->in_flight -= j->in_flight;
        write_job(p, j);
        p->head++;
        wait = 0;
        wrote = 1;
    }
    if (wrote && p->o->line_buffered && fflush(p->w->out) != 0)
        p->w->failed = 1;
}

static int ring_full(const pool *p)
{
    return p->sub - p->head == p->cap ||
           (p->sub > p->head && p->in_flight >= MAX_BYTES_IN_FLIGHT);
}

/* ------------------------------------------------------------ the pool */

job *pool_job(pool *p)
{
    write_ready(p, 0);
    while (!p->w->failed && !p->w->stopped && ring_full(p))
        write_ready(p, 1);
    if (p->w->failed || p->w->stopped)
        return NULL;
    job *j = slot(p, p->sub);
    shrink(&j->in);
    shrink(&j->out);
    shrink(&j->text);
    shrink(&j->docname);
    shrink(&j->err);
    shrink(&j->why_id);
    j->why[0] = '\0';
    j->emitted = j->partial = j->cont = 0;
    memset(j->counts, 0, sizeof j->counts);
    j->name = "";
    j->line = 0;
    j->raw = j->rejected = j->fatal = j->done = 0;
    return j;
}

int pool_submit(pool *p, job *j, size_t consumed)
{
    p->bytes += (long long)consumed;
    j->in_flight = j->in.len;
    p->in_flight += j->in_flight;
    if (!p->nthreads) {
        p->process(p->o, p->taggers[0], j);
        j->done = 1;
        p->sub++;
    } else {
        /* workers are woken once a few jobs for each are queued, not for
         * every job (write_ready wakes them before waiting) */
        pthread_mutex_lock(&p->mu);
        p->sub++;
        if (p->sub - p->next >= 2 * p->nthreads)
            pthread_cond_broadcast(&p->work);
        pthread_mutex_unlock(&p->mu);
    }
    write_ready(p, 0);
    return p->w->failed || p->w->stopped ? -1 : 0;
}

void pool_idle(void *arg)
{
    pool *p = arg;
    if (p->nthreads) {
        pthread_mutex_lock(&p->mu);
        if (p->next < p->sub)
            pthread_cond_broadcast(&p->work);
        pthread_mutex_unlock(&p->mu);
    }
    /* the reader has nothing else to do until input comes: it may as well
     * wait for the documents in flight and write them */
    while (p->o->line_buffered && !p->w->failed && p->head < p->sub)
        write_ready(p, 1);
}

nertag_tagger *pool_drain(pool *p)
{
    while (!p->w->failed && !p->w->stopped && p->head < p->sub)
        write_ready(p, 1);
    return p->w->failed || p->w->stopped ? NULL : p->taggers[0];
}

int pool_submit_done(pool *p, job *j, size_t consumed)
{
    p->bytes += (long long)consumed;
    j->in_flight = 0;
    j->done = 1;
    /* nothing is queued (pool_drain), so workers never see it */
    pthread_mutex_lock(&p->mu);
    p->sub++;
    p->next = p->sub;
    pthread_mutex_unlock(&p->mu);
    write_ready(p, 0);
    return p->w->failed || p->w->stopped ? -1 : 0;
}

static void stop_workers(pool *p)
{
    pthread_mutex_lock(&p->mu);
    p->stop = 1;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->mu);
    for (size_t i = 0; i < p->nthreads; i++)
        pthread_join(p->threads[i], NULL);
    p->nthreads = 0;
}

int pool_finish(pool *p)
{
    while (!p->w->failed && p->head < p->sub)
        write_ready(p, 1);
    stop_workers(p);
    return p->w->failed ? -1 : 0;
}

pool *pool_new(const cli_opts *o, const nertag_model *m, pool_fn process,
               pool_writer *w, nertag_error *err)
{
    size_t nt = o->threads > 1 ? (size_t)o->threads : 0;
    pool *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->o = o;
    p->process = process;
    p->w = w;
    p->cap = nt ? nt * JOBS_PER_THREAD : 1;
    p->jobs = calloc(p->cap, sizeof *p->jobs);
    p->ntaggers = nt ? nt : 1;
    p->taggers = calloc(p->ntaggers, sizeof *p->taggers);
    p->threads = calloc(nt ? nt : 1, sizeof *p->threads);
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->work, NULL);
    pthread_cond_init(&p->done, NULL);
    if (!p->jobs || !p->taggers || !p->threads) {
        pool_free(p);
        return NULL;
    }
    for (size_t i = 0; i < p->ntaggers; i++)
        if (!(p->taggers[i] = nertag_tagger_new(m, err))) {
            pool_free(p);
            return NULL;
        }
    for (size_t i = 0; i < nt; i++) {
        worker_arg *a = malloc(sizeof *a);
        if (!a || (a->p = p, a->t = p->taggers[i],
                   pthread_create(&p->threads[i], NULL, worker, a) != 0)) {
            free(a);
            memset(err, 0, sizeof *err);
            err->code = NERTAG_ERR_NOMEM;
            snprintf(err->message, sizeof err->message,
                     "cannot start thread %zu", i + 1);
            pool_free(p);
            return NULL;
        }
        p->nthreads++;
    }
    return p;
}

void pool_free(pool *p)
{
    if (!p)
        return;
    stop_workers(p);
    for (size_t i = 0; p->jobs && i < p->cap; i++) {
        job *j = &p->jobs[i];
        buf_free(&j->in);
        buf_free(&j->out);
        buf_free(&j->text);
        buf_free(&j->docname);
        buf_free(&j->err);
        buf_free(&j->why_id);
    }
    for (size_t i = 0; p->taggers && i < p->ntaggers; i++)
        nertag_tagger_free(p->taggers[i]);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->work);
    pthread_cond_destroy(&p->done);
    free(p->jobs);
    free(p->taggers);
    free(p->threads);
    free(p);
}
