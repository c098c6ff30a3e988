/* str.c - the few string helpers the C library lacks (strdup is POSIX,
 * strtok keeps hidden state that threads would share). */
#include "util/str.h"

#include <stdlib.h>
#include <string.h>

char *str_ndup(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *str_dup(const char *s)
{
    return str_ndup(s, strlen(s));
}

char *next_word(char **cursor, const char *delims)
{
    char *s = *cursor + strspn(*cursor, delims);
    if (!*s) {
        *cursor = s;
        return NULL;
    }
    char *e = s + strcspn(s, delims);
    if (*e)
        *e++ = '\0';
    *cursor = e;
    return s;
}
