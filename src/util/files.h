/* files.h - reading a whole file, listing a folder. */
#ifndef NERTAG_UTIL_FILES_H
#define NERTAG_UTIL_FILES_H

#include <stddef.h>

#include "nertag.h"

/* Reads a whole file; NUL-terminated; NULL with err set. */
char *read_file(const char *path, size_t *len, nertag_error *err);
/* Sorted list of the names in dir ending with suffix (hidden files left
 * out); free with free_names. */
int list_dir(const char *dir, const char *suffix, char ***names, size_t *n,
             nertag_error *err);
void free_names(char **names, size_t n);

#endif
