/* str.h - small string helpers. */
#ifndef NERTAG_UTIL_STR_H
#define NERTAG_UTIL_STR_H

#include <stddef.h>

/* Duplicates a string, or returns NULL; for the rare small copies. */
char *str_dup(const char *s);
char *str_ndup(const char *s, size_t n);
/* Splits s in place like strtok, but keeps its state in *cursor (strtok's
 * hidden state would be shared by threads). */
char *next_word(char **cursor, const char *delims);

#endif
