/* error.h - filling a nertag_error: a code, a one-line message, and the
 * place it concerns (file:line:column of a data file, or a byte offset in
 * a text).  Every function accepts a NULL error and then does nothing. */
#ifndef NERTAG_UTIL_ERROR_H
#define NERTAG_UTIL_ERROR_H

#include "nertag.h"

void err_set(nertag_error *err, nertag_status code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
void err_set_place(nertag_error *err, const char *file, long line, long column);
void err_set_offset(nertag_error *err, long long offset);
void err_clear(nertag_error *err);
/* The status of a failed system call: NERTAG_ERR_NOMEM when errno says
 * memory ran out (fopen and opendir allocate), else NERTAG_ERR_IO. */
nertag_status errno_status(int e);

#endif
