/* conf.h - the line format shared by rule and configuration files.
 *
 *     # a comment
 *     [rule gov-nationality]          <- a section: kind and name
 *     match = "gouvernement" <DEMONYM>  <- a key and its value
 *         "more of the value"         <- indented: continues the value
 *
 * The reader yields one item per section header or key, with its line
 * number, so that every error can name file:line. */
#ifndef NERTAG_CONF_H
#define NERTAG_CONF_H

#include <stddef.h>

#include "util/buf.h"
#include "nertag.h"

enum conf_kind { CONF_END, CONF_SECTION, CONF_KEY };

typedef struct conf_item {
    enum conf_kind kind;
    long line;              /* line of the section header or key */
    char *a;                /* section kind, or key */
    char *b;                /* section name (may be ""), or value */
    long value_column;      /* 1-based column where the value starts */
} conf_item;

typedef struct conf_reader {
    const char *path;
    const char *text, *end, *pos;
    long line;              /* lines consumed so far */
    buf a, b;               /* storage of the current item */
} conf_reader;

void conf_open(conf_reader *r, const char *path, const char *text, size_t len);
/* Reads the next item; 0 on success (item->kind CONF_END at the end), -1
 * with err set on a malformed line. */
int conf_next(conf_reader *r, conf_item *item, nertag_error *err);
void conf_close(conf_reader *r);

#endif
