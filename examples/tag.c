/* tag.c - the smallest complete use of libnertag.
 *
 *   tag [TEXT...]      tags each argument as one document, or standard
 *                      input as one document when there is none
 *
 * Prints one line per mention: its code point span, type, text, canonical
 * name and, for a spokesperson, whom the person speaks for.  The data
 * folder is the library's own (nertag_model_load with NULL): the one
 * installed with it, or $NERTAG_DATA.
 *
 *   cc tag.c $(pkg-config --cflags --libs nertag) -o tag
 */
#include <nertag.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads all of f; NULL when out of memory or on a read error. */
static char *read_all(FILE *f, size_t *len)
{
    size_t cap = 1 << 16, n = 0, got;
    char *s = malloc(cap);
    while (s && (got = fread(s + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *t = realloc(s, cap *= 2);
            if (!t)
                free(s);
            s = t;
        }
    }
    if (s && ferror(f)) {
        free(s);
        s = NULL;
    }
    *len = n;
    return s;
}

/* Tags one document and prints its mentions; returns 0, or 1 when the
 * text was rejected (the reason is printed). */
static int tag_one(nertag_tagger *tagger, const char *text, size_t len)
{
    nertag_error err;
    nertag_result *res = nertag_tag(tagger, text, len, NULL, &err);
    if (!res) {
        char msg[600];
        fprintf(stderr, "tag: %s\n", nertag_error_format(&err, msg,
                                                         sizeof msg));
        return 1;
    }
    printf("# %s, %zu mentions\n", nertag_result_lang(res),
           nertag_result_count(res));
    for (size_t i = 0; i < nertag_result_count(res); i++) {
        const nertag_mention *m = nertag_result_mention(res, i);
        printf("%zu-%zu\t%s\t%s\t%s", m->start, m->end,
               nertag_type_name(m->type), m->text, m->canonical);
        if (m->type == NERTAG_SPOKESPERSON && *m->for_)
            printf("\tfor %s", m->for_);
        putchar('\n');
    }
    nertag_result_free(res);
    return 0;
}

int main(int argc, char **argv)
{
    nertag_error err;
    char msg[600];
    nertag_model *model = nertag_model_load(NULL, NULL, &err);
    if (!model) {
        fprintf(stderr, "tag: cannot load the model: %s\n",
                nertag_error_format(&err, msg, sizeof msg));
        return 2;
    }
    /* one tagger per thread; this program has one thread */
    nertag_tagger *tagger = nertag_tagger_new(model, &err);
    if (!tagger) {
        fprintf(stderr, "tag: %s\n", nertag_error_format(&err, msg,
                                                         sizeof msg));
        nertag_model_free(model);
        return 2;
    }
    int status = 0;
    if (argc > 1) {
        for (int i = 1; i < argc; i++)
            status |= tag_one(tagger, argv[i], strlen(argv[i]));
    } else {
        size_t len;
        char *text = read_all(stdin, &len);
        if (!text) {
            fprintf(stderr, "tag: cannot read standard input\n");
            status = 2;
        } else {
            status = tag_one(tagger, text, len);
        }
        free(text);
    }
    nertag_tagger_free(tagger);
    nertag_model_free(model);
    return status;
}
