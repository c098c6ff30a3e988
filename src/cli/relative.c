/* relative.c - data file names without the data folder, so that output
 * does not depend on where the data lies.  Its own file because every
 * writer uses it while output.c calls the writers. */
#include "cli/cli.h"

#include <string.h>

const char *out_relative(const cli_opts *o, const char *s, buf *out)
{
    buf_clear(out);
    size_t pl = o->data_prefix ? strlen(o->data_prefix) : 0;
    const char *p;
    while (pl && (p = strstr(s, o->data_prefix))) {
        if (buf_append(out, s, (size_t)(p - s)) != 0)
            return NULL;
        s = p + pl;
    }
    if (buf_puts(out, s) != 0 || buf_reserve(out, 0) != 0)
        return NULL;
    return out->data;
}
