/* fuzz-cli.c - the nertag command's input path on a buffer: its reader
 * cuts the input into jobs, the pool (one thread, as -j 1) processes and
 * writes them, exactly as src/cli/main.c runs one file; the input is an
 * unlinked temporary file (the reader reads a file descriptor), output
 * and messages are collected in memory instead of standard output and
 * error. */
#define _GNU_SOURCE   /* fmemopen, open_memstream */

#include "fuzz-cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/internal.h"

const nertag_model *fuzz_cli_model(void)
{
    return fuzz_source_model();
}

void fuzz_cli_options(cli_opts *o, enum in_format input, uint8_t flags)
{
    static const enum out_format outputs[8] = {
        OUT_JSONL, OUT_CONLL, OUT_TEXT, OUT_HTML, OUT_BRAT, OUT_XML,
        OUT_JSONL, OUT_CONLL
    };
    static const char *const langs[4] = { NULL, "fr", "en", "auto" };
    memset(o, 0, sizeof *o);
    o->input = input;
    o->output = outputs[flags & 7];
    o->replace_invalid = (flags >> 3) & 1;
    o->explain = (flags >> 4) & 1;
    o->lang = langs[(flags >> 5) & 3];
    o->scheme = (flags >> 7) & 1 ? SCHEME_BIOES : SCHEME_IOB2;
    o->color = (flags >> 7) & 1;
    o->token_column = 1;
    o->threads = 1;
    o->progress = 0;
    o->stream_window = (size_t)128 << 10;
    o->data_prefix = FUZZ_SRCDIR "/";
}

/* The bytes written to a memory stream, moved into a buf. */
static void take_stream(FILE *f, char **data, size_t *size, buf *into)
{
    FUZZ_CHECK(fclose(f) == 0);
    buf_clear(into);
    FUZZ_CHECK(buf_append(into, *data ? *data : "", *size) == 0 &&
               buf_reserve(into, 0) == 0);
    free(*data);
}

int fuzz_cli_run(const cli_opts *o, const nertag_model *m,
                 const uint8_t *data, size_t size, buf *out, buf *msgs)
{
    char *out_data = NULL, *msg_data = NULL;
    size_t out_size = 0, msg_size = 0;
    FILE *in = tmpfile();
    FUZZ_CHECK(in != NULL);
    FUZZ_CHECK(!size || fwrite(data, 1, size, in) == size);
    FUZZ_CHECK(fflush(in) == 0 && lseek(fileno(in), 0, SEEK_SET) == 0);
    FILE *fo = open_memstream(&out_data, &out_size);
    FILE *fm = open_memstream(&msg_data, &msg_size);
    FUZZ_CHECK(fo && fm);
    pool_writer w;
    memset(&w, 0, sizeof w);
    w.out = fo;
    w.msgs = fm;
    if (o->output == OUT_BRAT)
        FUZZ_CHECK((w.names = brat_names_new()) != NULL);
    nertag_error err;
    pool *p = pool_new(o, m, job_process, &w, &err);
    FUZZ_CHECK(p != NULL);
    int rc = o->output == OUT_HTML ? html_begin(fo)
             : o->output == OUT_XML ? xml_begin(fo) : 0;
    in_source src;
    source_init(&src, fileno(in), pool_idle, p);
    if (rc == 0)
        rc = read_input(p, o, "fuzz", &src);
    source_free(&src);
    if (rc == 0)
        rc = pool_finish(p);
    pool_free(p);
    if (rc == 0 && o->output == OUT_HTML)
        rc = html_end(fo, w.counts, w.docs);
    if (rc == 0 && o->output == OUT_XML)
        rc = xml_end(fo);
    /* out of memory is the only failure of a run in memory */
    FUZZ_CHECK(rc == 0 && !w.failed);
    brat_names_free(w.names);
    fclose(in);
    take_stream(fo, &out_data, &out_size, out);
    take_stream(fm, &msg_data, &msg_size, msgs);
    return w.status;
}

size_t fuzz_count_lines(const char *s, size_t n)
{
    size_t lines = 0;
    for (size_t i = 0; i < n; i++)
        lines += s[i] == '\n';
    return lines + (n && s[n - 1] != '\n');
}

void fuzz_check_messages(const buf *msgs, int status)
{
    FUZZ_CHECK((status != 0) == (msgs->len != 0));
    /* every message is one line naming the input */
    for (size_t i = 0; i < msgs->len;) {
        const char *e = memchr(msgs->data + i, '\n', msgs->len - i);
        FUZZ_CHECK(e != NULL);
        FUZZ_CHECK(!strncmp(msgs->data + i, "nertag: fuzz", 12));
        i = (size_t)(e - msgs->data) + 1;
    }
}

/* ------------------------------------------------------------ JSON Lines */

/* The end of the JSON value that starts at s[i] in valid JSON. */
static size_t value_end(const char *s, size_t i, size_t n)
{
    int depth = 0, in_string = 0;
    for (; i < n; i++) {
        char c = s[i];
        if (in_string) {
            if (c == '\\')
                i++;
            else if (c == '"' && (in_string = 0, depth == 0))
                return i + 1;
        } else if (c == '"') {
            in_string = 1;
        } else if (c == '{' || c == '[') {
            depth++;
        } else if (c == '}' || c == ']') {
            if (--depth <= 0)
                return i + 1;
        } else if (depth == 0 && (c == ',' || c == ' ')) {
            return i;
        }
    }
    return n;
}

/* Decodes the string member key of obj parsed from s into out; 0 when
 * there is none. */
static int member_string(const char *s, const json_object *obj,
                         const char *key, buf *out)
{
    long k = json_object_find(obj, s, key);
    if (k < 0 || obj->members[k].type != JSON_STRING)
        return 0;
    buf_clear(out);
    FUZZ_CHECK(json_string_decode(s + obj->members[k].value_start,
                                  obj->members[k].value_len, out, NULL) == 0);
    FUZZ_CHECK(buf_reserve(out, 0) == 0);
    return 1;
}

static size_t member_number(const char *s, const json_object *obj,
                            const char *key)
{
    long k = json_object_find(obj, s, key);
    FUZZ_CHECK(k >= 0 && obj->members[k].type == JSON_NUMBER);
    return (size_t)strtoull(s + obj->members[k].value_start, NULL, 10);
}

/* One element of "entities": its offsets and text agree with the
 * document's text (when the line has one). */
static void check_entity(const char *s, size_t n, const buf *text)
{
    json_object obj = JSON_OBJECT_INIT;
    buf mtext = BUF_INIT, type = BUF_INIT;
    FUZZ_CHECK(json_parse_object(s, n, 4, &obj, NULL) == 0);
    size_t bstart = member_number(s, &obj, "bstart");
    size_t bend = member_number(s, &obj, "bend");
    FUZZ_CHECK(member_number(s, &obj, "start") <
               member_number(s, &obj, "end"));
    FUZZ_CHECK(member_string(s, &obj, "text", &mtext));
    FUZZ_CHECK(member_string(s, &obj, "type", &type));
    FUZZ_CHECK(bstart < bend && mtext.len == bend - bstart);
    if (text) {
        FUZZ_CHECK(bend <= text->len);
        FUZZ_CHECK(!memcmp(text->data + bstart, mtext.data, mtext.len));
    }
    json_object_free(&obj);
    buf_free(&mtext);
    buf_free(&type);
}

static void check_jsonl_line(const char *l, size_t n)
{
    json_object obj = JSON_OBJECT_INIT;
    buf text = BUF_INIT;
    json_error e;
    if (json_parse_object(l, n, 128, &obj, &e) != 0) {
        fprintf(stderr, "output line: %.*s\nbyte %zu: %s\n", (int)n, l,
                e.offset, e.message);
        FUZZ_CHECK(!"every output line is a JSON object");
    }
    long k = json_object_find(&obj, l, "entities");
    FUZZ_CHECK(k >= 0 && obj.members[k].type == JSON_ARRAY);
    FUZZ_CHECK(json_object_find(&obj, l, "lang") >= 0);
    int has_text = member_string(l, &obj, "text", &text);
    size_t i = obj.members[k].value_start + 1;
    size_t end = obj.members[k].value_start + obj.members[k].value_len - 1;
    while (i < end) {
        if (l[i] == ',' || l[i] == ' ') {
            i++;
            continue;
        }
        size_t e2 = value_end(l, i, end);
        check_entity(l + i, e2 - i, has_text ? &text : NULL);
        i = e2;
    }
    json_object_free(&obj);
    buf_free(&text);
}

static size_t check_jsonl(const buf *out)
{
    size_t lines = 0;
    for (size_t i = 0; i < out->len; lines++) {
        const char *e = memchr(out->data + i, '\n', out->len - i);
        FUZZ_CHECK(e != NULL);
        check_jsonl_line(out->data + i, (size_t)(e - out->data) - i);
        i = (size_t)(e - out->data) + 1;
    }
    return lines;
}

/* ------------------------------------------------------------ XML */

/* A character XML 1.0 may hold. */
static int xml_char(uint32_t c)
{
    return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
           (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

/* Text or an attribute value up to stop: valid characters, references
 * well formed, no '<'.  Returns the position of stop. */
static size_t xml_text(const char *s, size_t i, size_t n, char stop)
{
    while (i < n && s[i] != stop) {
        FUZZ_CHECK(s[i] != '<');
        if (s[i] == '&') {
            const char *semi = memchr(s + i, ';', n - i);
            FUZZ_CHECK(semi && semi - (s + i) <= 8);
            size_t len = (size_t)(semi - (s + i)) + 1;
            FUZZ_CHECK(!strncmp(s + i, "&amp;", len) ||
                       !strncmp(s + i, "&lt;", len) ||
                       !strncmp(s + i, "&gt;", len) ||
                       !strncmp(s + i, "&quot;", len) ||
                       !strncmp(s + i, "&#13;", len) ||
                       !strncmp(s + i, "&#9;", len) ||
                       !strncmp(s + i, "&#10;", len));
            i += len;
            continue;
        }
        size_t len = utf8_valid_seq((const unsigned char *)s + i, n - i);
        FUZZ_CHECK(len > 0);
        uint32_t c;
        utf8_decode((const unsigned char *)s + i, &c);
        FUZZ_CHECK(xml_char(c));
        i += len;
    }
    return i;
}

static size_t xml_name(const char *s, size_t i, size_t n)
{
    size_t start = i;
    while (i < n && ((s[i] >= 'a' && s[i] <= 'z') || s[i] == '-'))
        i++;
    FUZZ_CHECK(i > start);
    return i;
}

/* A start tag at s[i] == '<'; returns the position after '>'. */
static size_t xml_start_tag(const char *s, size_t i, size_t n,
                            size_t *name, size_t *name_len)
{
    *name = i + 1;
    i = xml_name(s, i + 1, n);
    *name_len = i - *name;
    size_t attrs[8][2], nattrs = 0;
    while (i < n && s[i] == ' ') {
        size_t a = i + 1;
        i = xml_name(s, a, n);
        for (size_t k = 0; k < nattrs; k++)
            FUZZ_CHECK(attrs[k][1] != i - a ||
                       memcmp(s + attrs[k][0], s + a, i - a));
        FUZZ_CHECK(nattrs < 8);
        attrs[nattrs][0] = a;
        attrs[nattrs++][1] = i - a;
        FUZZ_CHECK(i + 1 < n && s[i] == '=' && s[i + 1] == '"');
        i = xml_text(s, i + 2, n, '"');
        FUZZ_CHECK(i < n);
        i++;
    }
    FUZZ_CHECK(i < n && s[i] == '>');
    return i + 1;
}

/* The output is one well-formed document, as output-xml.c promises: the
 * declaration, the root, and in it elements nested and closed, attributes
 * quoted and unique, only XML characters; each document ends with a line
 * break.  Returns the number of documents. */
static size_t check_xml(const buf *out)
{
    static const char head[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<documents>\n";
    static const char tail[] = "</documents>\n";
    size_t hl = sizeof head - 1, tl = sizeof tail - 1;
    FUZZ_CHECK(out->len >= hl + tl && !memcmp(out->data, head, hl) &&
               !memcmp(out->data + out->len - tl, tail, tl));
    const char *s = out->data + hl;
    size_t n = out->len - hl - tl, i = 0, docs = 0;
    size_t stack[8][2], depth = 0;
    while (i < n) {
        if (depth == 0) {
            FUZZ_CHECK(!strncmp(s + i, "<document", 9));
            docs++;
        }
        if (s[i] != '<') {
            i = xml_text(s, i, n, '<');
            FUZZ_CHECK(i < n);
        } else if (s[i + 1] == '/') {
            FUZZ_CHECK(depth > 0);
            size_t name = i + 2, end = xml_name(s, name, n);
            depth--;
            FUZZ_CHECK(end - name == stack[depth][1] &&
                       !memcmp(s + name, s + stack[depth][0], end - name));
            FUZZ_CHECK(end < n && s[end] == '>');
            i = end + 1;
            if (depth == 0) {
                FUZZ_CHECK(i < n && s[i] == '\n');
                i++;
            }
        } else {
            FUZZ_CHECK(depth < 8);
            i = xml_start_tag(s, i, n, &stack[depth][0], &stack[depth][1]);
            depth++;
        }
    }
    FUZZ_CHECK(depth == 0);
    return docs;
}

/* ------------------------------------------------------------ brat */

static size_t count_char(const char *s, size_t n, char c)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += s[i] == c;
    return k;
}

/* "# NAME" before each document, then T lines and their notes, each with
 * exactly two tabs.  Returns the number of documents. */
static size_t check_brat(const buf *out)
{
    size_t docs = 0;
    for (size_t i = 0; i < out->len;) {
        const char *l = out->data + i;
        const char *e = memchr(l, '\n', out->len - i);
        FUZZ_CHECK(e != NULL);
        size_t n = (size_t)(e - l);
        if (n >= 2 && l[0] == '#' && l[1] == ' ') {
            FUZZ_CHECK(n > 2 && !memchr(l, '\t', n));
            docs++;
        } else {
            FUZZ_CHECK(docs > 0);
            const char *tab = memchr(l, '\t', n);
            FUZZ_CHECK(tab && n > 1 && l[1] >= '1' && l[1] <= '9');
            FUZZ_CHECK(l[0] == 'T' ||
                       (l[0] == '#' && (size_t)(l + n - tab) > 17 &&
                        !memcmp(tab, "\tAnnotatorNotes T", 17)));
            FUZZ_CHECK(count_char(l, n, '\t') == 2);
            FUZZ_CHECK(!memchr(l, '\r', n));
        }
        i += n + 1;
    }
    return docs;
}

/* ------------------------------------------------------------ CoNLL */

/* "O", or a prefix of the scheme and a type. */
static int tag_parts(const char *t, size_t n, char *prefix, int *type)
{
    *prefix = 'O';
    *type = -1;
    if (n == 1 && t[0] == 'O')
        return 1;
    if (n < 3 || t[1] != '-' || !strchr("BIES", t[0]))
        return 0;
    *prefix = t[0];
    for (int k = 0; k < NERTAG_TYPE_COUNT; k++) {
        const char *name = nertag_type_name((nertag_type)k);
        if (strlen(name) == n - 2 && !memcmp(t + 2, name, n - 2))
            *type = k;
    }
    return *type >= 0;
}

void fuzz_check_tag_sequence(const char *tag, size_t n, int bioes,
                             char *prev, int *prev_type)
{
    char p;
    int type;
    FUZZ_CHECK(tag_parts(tag, n, &p, &type));
    FUZZ_CHECK(bioes || (p != 'E' && p != 'S'));
    /* inside a mention: I (and E) continue one of the same type */
    int open = *prev == 'B' || *prev == 'I';
    if (p == 'I' || p == 'E')
        FUZZ_CHECK(open && *prev_type == type);
    else if (bioes)
        FUZZ_CHECK(!open);
    *prev = p;
    *prev_type = type;
}

/* Text or JSON Lines in, CoNLL out: "token<TAB>tag" lines, a blank line
 * after each sentence (so after each document), which no mention crosses.
 * Documents cannot be counted: returns SIZE_MAX. */
static size_t check_conll(const cli_opts *o, const buf *out)
{
    char prev = 'O';
    int prev_type = -1;
    for (size_t i = 0; i < out->len;) {
        const char *l = out->data + i;
        const char *e = memchr(l, '\n', out->len - i);
        FUZZ_CHECK(e != NULL);
        size_t n = (size_t)(e - l);
        if (n == 0) {
            /* BIOES closes every mention with E or S */
            if (o->scheme == SCHEME_BIOES)
                FUZZ_CHECK(prev != 'B' && prev != 'I');
            prev = 'O';
        } else {
            const char *tab = memchr(l, '\t', n);
            FUZZ_CHECK(tab && tab > l);
            FUZZ_CHECK(count_char(l, n, '\t') == 1);
            fuzz_check_tag_sequence(tab + 1, (size_t)(l + n - tab - 1),
                                    o->scheme == SCHEME_BIOES, &prev,
                                    &prev_type);
        }
        i += n + 1;
    }
    return SIZE_MAX;
}

size_t fuzz_check_output(const cli_opts *o, const buf *out)
{
    switch (o->output) {
    case OUT_JSONL: return check_jsonl(out);
    case OUT_XML: return check_xml(out);
    case OUT_BRAT: return check_brat(out);
    case OUT_CONLL:
        /* explain lines may quote any text */
        return o->input != IN_CONLL && !o->explain ? check_conll(o, out)
                                                   : SIZE_MAX;
    case OUT_HTML:
    case OUT_TEXT:
        break;
    }
    return SIZE_MAX;
}
