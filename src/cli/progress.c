/* progress.c - one line on a terminal that says how far the run is:
 *
 *   nertag: 12.3 MB of 80.0 MB (15%), 45000 documents, 35.1 MB/s
 *
 * It is redrawn in place (carriage return, erase line) at most a few times
 * a second, so that a run of small documents does not spend its time
 * drawing, and erased before any message and at the end, so that it never
 * mixes with what is written for good. */
#include "cli/cli.h"

#include <stdlib.h>
#include <time.h>

struct progress {
    FILE *tty;
    long long total;              /* bytes of the inputs, when known */
    double start, last;           /* seconds */
    int shown;                    /* a line is on the terminal */
};

/* Redraws at most this often, in seconds. */
#define REFRESH 0.25

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

progress *progress_new(FILE *tty)
{
    progress *pr = calloc(1, sizeof *pr);
    if (!pr)
        return NULL;
    pr->tty = tty;
    pr->start = pr->last = now();
    return pr;
}

void progress_add_total(progress *pr, long long bytes)
{
    if (pr)
        pr->total += bytes;
}

void progress_update(progress *pr, long long bytes, size_t docs)
{
    if (!pr)
        return;
    double t = now();
    if (t - pr->last < REFRESH)
        return;
    pr->last = t;
    double mb = (double)bytes / 1e6;
    double rate = t > pr->start ? mb / (t - pr->start) : 0;
    fprintf(pr->tty, "\r\033[Knertag: %.1f MB", mb);
    if (pr->total > 0)
        fprintf(pr->tty, " of %.1f MB (%d%%)", (double)pr->total / 1e6,
                (int)(100.0 * (double)bytes / (double)pr->total));
    fprintf(pr->tty, ", %zu document%s, %.1f MB/s", docs,
            docs == 1 ? "" : "s", rate);
    fflush(pr->tty);
    pr->shown = 1;
}

void progress_clear(progress *pr)
{
    if (!pr || !pr->shown)
        return;
    fputs("\r\033[K", pr->tty);
    fflush(pr->tty);
    pr->shown = 0;
}

void progress_free(progress *pr)
{
    progress_clear(pr);
    free(pr);
}
