/* source.c - reading one input, by lines or by blocks, from a file
 * descriptor.
 *
 * It is stdio's job, done here because of one thing stdio cannot say:
 * whether the next read will wait.  An interactive program that writes a
 * document to nertag and waits for the answer leaves the pipe empty; the
 * reader must then first let the pool finish and write what it holds, or
 * both sides wait for ever.  So before a read that would block (poll says
 * nothing is there), the source calls its idle hook.  Regular files never
 * block and are not polled. */
#include "cli/cli.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BLOCK ((size_t)64 << 10)

void source_init(in_source *s, int fd, void (*idle)(void *), void *ctx)
{
    memset(s, 0, sizeof *s);
    s->fd = fd;
    s->idle = idle;
    s->ctx = ctx;
    struct stat st;
    s->may_block = fstat(fd, &st) != 0 || !S_ISREG(st.st_mode);
}

void source_free(in_source *s)
{
    free(s->data);
    s->data = NULL;
}

/* Reads more bytes after s->end; 1 when some came, 0 at the end, -1 on
 * an error (errno in s->error). */
static int fill(in_source *s)
{
    if (s->eof || s->error)
        return s->error ? -1 : 0;
    if (s->start > 0 && s->start == s->end)
        s->start = s->end = 0;
    if (s->end == s->cap) {
        if (s->start > 0) {
            memmove(s->data, s->data + s->start, s->end - s->start);
            s->end -= s->start;
            s->start = 0;
        } else {
            size_t cap = s->cap ? s->cap * 2 : BLOCK;
            char *d = realloc(s->data, cap);
            if (!d) {
                s->error = ENOMEM;
                return -1;
            }
            s->data = d;
            s->cap = cap;
        }
    }
    if (s->may_block && s->idle) {
        struct pollfd pfd = { s->fd, POLLIN, 0 };
        if (poll(&pfd, 1, 0) == 0)
            s->idle(s->ctx);
    }
    for (;;) {
        ssize_t n = read(s->fd, s->data + s->end, s->cap - s->end);
        if (n > 0) {
            s->end += (size_t)n;
            return 1;
        }
        if (n == 0) {
            s->eof = 1;
            return 0;
        }
        if (errno != EINTR) {
            s->error = errno;
            return -1;
        }
    }
}

ssize_t source_line(in_source *s, const char **line)
{
    size_t scanned = 0;
    for (;;) {
        char *nl = s->end > s->start + scanned
                   ? memchr(s->data + s->start + scanned, '\n',
                            s->end - s->start - scanned)
                   : NULL;
        if (nl) {
            size_t n = (size_t)(nl - (s->data + s->start)) + 1;
            *line = s->data + s->start;
            s->start += n;
            return (ssize_t)n;
        }
        scanned = s->end - s->start;
        int rc = fill(s);
        if (rc < 0)
            return -1;
        if (rc == 0) {
            /* the last line, without a line break */
            size_t n = s->end - s->start;
            *line = s->data + s->start;
            s->start = s->end;
            return (ssize_t)n;
        }
    }
}

ssize_t source_read(in_source *s, const char **block)
{
    if (s->start == s->end) {
        int rc = fill(s);
        if (rc <= 0)
            return rc;
    }
    size_t n = s->end - s->start;
    *block = s->data + s->start;
    s->start = s->end;
    return (ssize_t)n;
}
