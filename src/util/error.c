/* error.c - filling nertag_error: what went wrong, and where. */
#include "util/error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void err_clear(nertag_error *err)
{
    if (!err)
        return;
    memset(err, 0, sizeof *err);
    err->offset = -1;
}

void err_set(nertag_error *err, nertag_status code, const char *fmt, ...)
{
    if (!err)
        return;
    err_clear(err);
    err->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    /* a message quotes data (a JSON "lang", a gazetteer flag, a rule
     * name) yet stays one line of text: control characters become '?' */
    for (char *c = err->message; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f)
            *c = '?';
}

nertag_status errno_status(int e)
{
    return e == ENOMEM ? NERTAG_ERR_NOMEM : NERTAG_ERR_IO;
}

void err_set_place(nertag_error *err, const char *file, long line, long column)
{
    if (!err)
        return;
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    err->line = line;
    err->column = column;
}

void err_set_offset(nertag_error *err, long long offset)
{
    if (err)
        err->offset = offset;
}

char *nertag_error_format(const nertag_error *err, char *out, size_t size)
{
    if (!out || !size)
        return out;
    if (!err) {
        snprintf(out, size, "unknown error");
    } else if (err->file[0] && err->line && err->column) {
        snprintf(out, size, "%s:%ld:%ld: %s", err->file, err->line,
                 err->column, err->message);
    } else if (err->file[0] && err->line) {
        snprintf(out, size, "%s:%ld: %s", err->file, err->line, err->message);
    } else if (err->file[0]) {
        snprintf(out, size, "%s: %s", err->file, err->message);
    } else if (err->offset >= 0) {
        snprintf(out, size, "byte %lld: %s", err->offset, err->message);
    } else {
        snprintf(out, size, "%s", err->message);
    }
    return out;
}
