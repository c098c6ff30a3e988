/* json.c - strict JSON reader and string writer; see json.h.
 *
 * Everything works on byte offsets into the caller's text.  Nested values are
 * walked with an explicit stack (one bit per open container, kept in the
 * json_object so its memory is reused) instead of recursion, so hostile
 * nesting costs at most one bit per level and is cut off at max_depth. */
#include "util/json.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSON_OK     0
#define JSON_BAD   (-1)
#define JSON_NOMEM (-2)

/* Reading state for one json_parse_object call. */
typedef struct json_parser {
    const char *s;
    size_t len;
    size_t pos;            /* next byte to look at */
    size_t max_depth;
    json_object *obj;      /* receives members; its nest is the stack */
    json_error *err;       /* may be NULL */
} json_parser;

static int json_fail(json_error *err, size_t offset, int rc, const char *msg)
{
    if (err) {
        err->offset = offset;
        snprintf(err->message, sizeof err->message, "%s", msg);
    }
    return rc;
}

static int json_is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int json_hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* The four hex digits at s[i..i+4) as a number, or -1. */
static long json_hex4(const char *s, size_t len, size_t i)
{
    if (len < 4 || i > len - 4)
        return -1;
    long v = 0;
    for (size_t k = 0; k < 4; k++) {
        int h = json_hex_value(s[i + k]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

/* Writes code point cp (a Unicode scalar value) as UTF-8; returns its length. */
static size_t json_utf8_encode(unsigned long cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Checks the multi-byte UTF-8 sequence whose lead byte is u[i] (>= 0x80),
 * following the well-formed byte sequences of Unicode (table 3-7).  Returns
 * the sequence length, or 0 with err set at the lead byte. */
static size_t json_utf8_check(const unsigned char *u, size_t len, size_t i,
                              json_error *err)
{
    unsigned char c = u[i];
    unsigned char lo = 0x80, hi = 0xBF;   /* range of the second byte */
    size_t n;

    if (c < 0xC0) {
        json_fail(err, i, JSON_BAD, "unexpected UTF-8 continuation byte");
        return 0;
    }
    if (c < 0xC2) {
        json_fail(err, i, JSON_BAD, "overlong UTF-8 encoding");
        return 0;
    }
    if (c < 0xE0) {
        n = 2;
    } else if (c < 0xF0) {
        n = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c < 0xF5) {
        n = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else if (c < 0xF8) {
        json_fail(err, i, JSON_BAD, "UTF-8 code point above U+10FFFF");
        return 0;
    } else {
        json_fail(err, i, JSON_BAD, "invalid UTF-8 byte");
        return 0;
    }

    for (size_t k = 1; k < n; k++) {
        if (i + k >= len || (u[i + k] & 0xC0) != 0x80) {
            json_fail(err, i, JSON_BAD, "truncated UTF-8 sequence");
            return 0;
        }
    }
    if (u[i + 1] < lo) {
        json_fail(err, i, JSON_BAD, "overlong UTF-8 encoding");
        return 0;
    }
    if (u[i + 1] > hi) {
        json_fail(err, i, JSON_BAD, c == 0xED ? "UTF-8 encoded surrogate"
                                              : "UTF-8 code point above U+10FFFF");
        return 0;
    }
    return n;
}

/* Decodes the escape sequence at s[*pos] == '\\' (at least one byte follows)
 * into UTF-8 at out[0..*n) and moves *pos past it.  A high surrogate escape
 * takes the low surrogate escape that must follow with it. */
static int json_unescape(const char *s, size_t len, size_t *pos, char out[4],
                         size_t *n, json_error *err)
{
    size_t i = *pos;
    char simple;

    switch (s[i + 1]) {
    case '"':  simple = '"';  break;
    case '\\': simple = '\\'; break;
    case '/':  simple = '/';  break;
    case 'b':  simple = '\b'; break;
    case 'f':  simple = '\f'; break;
    case 'n':  simple = '\n'; break;
    case 'r':  simple = '\r'; break;
    case 't':  simple = '\t'; break;
    case 'u':  simple = 0;    break;
    default:
        return json_fail(err, i, JSON_BAD, "invalid escape sequence");
    }
    if (s[i + 1] != 'u') {
        out[0] = simple;
        *n = 1;
        *pos = i + 2;
        return JSON_OK;
    }

    long cp = json_hex4(s, len, i + 2);
    size_t next = i + 6;
    if (cp < 0)
        return json_fail(err, i, JSON_BAD, "invalid \\u escape");
    if (cp >= 0xDC00 && cp <= 0xDFFF)
        return json_fail(err, i, JSON_BAD, "unpaired surrogate in \\u escape");
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        if (next + 1 >= len || s[next] != '\\' || s[next + 1] != 'u')
            return json_fail(err, i, JSON_BAD, "unpaired surrogate in \\u escape");
        long low = json_hex4(s, len, next + 2);
        if (low < 0)
            return json_fail(err, next, JSON_BAD, "invalid \\u escape");
        if (low < 0xDC00 || low > 0xDFFF)
            return json_fail(err, i, JSON_BAD, "unpaired surrogate in \\u escape");
        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        next += 6;
    }
    *n = json_utf8_encode((unsigned long)cp, out);
    *pos = next;
    return JSON_OK;
}

/* Validates the string token starting at s[*pos] == '"' and moves *pos past
 * its closing quote.  When out is not NULL the decoded text is appended to it
 * too; plain runs are copied whole so that long strings stay cheap. */
static int json_scan_string(const char *s, size_t len, size_t *pos, buf *out,
                            json_error *err)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t start = *pos;
    size_t i = start + 1;
    size_t run = i;    /* first byte not yet copied to out */

    for (;;) {
        while (i < len && u[i] >= 0x20 && u[i] < 0x80 && u[i] != '"' && u[i] != '\\')
            i++;
        if (i >= len)
            return json_fail(err, start, JSON_BAD, "unterminated string");
        unsigned char c = u[i];
        if (c == '"')
            break;
        if (c >= 0x80) {
            size_t n = json_utf8_check(u, len, i, err);
            if (n == 0)
                return JSON_BAD;
            i += n;
            continue;
        }
        if (c < 0x20)
            return json_fail(err, i, JSON_BAD, "unescaped control character in string");

        /* A backslash. */
        if (i + 1 >= len)
            return json_fail(err, start, JSON_BAD, "unterminated string");
        if (out && buf_append(out, s + run, i - run) != 0)
            return json_fail(err, i, JSON_NOMEM, "out of memory");
        char enc[4];
        size_t n;
        int rc = json_unescape(s, len, &i, enc, &n, err);
        if (rc != JSON_OK)
            return rc;
        if (out && buf_append(out, enc, n) != 0)
            return json_fail(err, i, JSON_NOMEM, "out of memory");
        run = i;
    }
    if (out && buf_append(out, s + run, i - run) != 0)
        return json_fail(err, i, JSON_NOMEM, "out of memory");
    *pos = i + 1;
    return JSON_OK;
}

static void json_skip_ws(json_parser *p)
{
    while (p->pos < p->len) {
        char c = p->s[p->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
        p->pos++;
    }
}

static int json_scan_number(json_parser *p)
{
    const char *s = p->s;
    size_t len = p->len;
    size_t i = p->pos;

    if (s[i] == '-')
        i++;
    if (i >= len || !json_is_digit(s[i]))
        return json_fail(p->err, i, JSON_BAD, "expected a digit in number");
    if (s[i] == '0') {
        i++;
        if (i < len && json_is_digit(s[i]))
            return json_fail(p->err, i - 1, JSON_BAD, "leading zeros are not allowed in numbers");
    } else {
        while (i < len && json_is_digit(s[i]))
            i++;
    }
    if (i < len && s[i] == '.') {
        i++;
        if (i >= len || !json_is_digit(s[i]))
            return json_fail(p->err, i, JSON_BAD, "expected a digit after '.' in number");
        while (i < len && json_is_digit(s[i]))
            i++;
    }
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-'))
            i++;
        if (i >= len || !json_is_digit(s[i]))
            return json_fail(p->err, i, JSON_BAD, "expected a digit in number exponent");
        while (i < len && json_is_digit(s[i]))
            i++;
    }
    p->pos = i;
    return JSON_OK;
}

static int json_scan_literal(json_parser *p, const char *word, size_t n)
{
    if (p->len - p->pos < n || memcmp(p->s + p->pos, word, n) != 0)
        return json_fail(p->err, p->pos, JSON_BAD, "expected a value");
    p->pos += n;
    return JSON_OK;
}

/* Scans a value that is not a container at p->pos and reports its type. */
static int json_scan_scalar(json_parser *p, enum json_type *type)
{
    switch (p->s[p->pos]) {
    case '"':
        *type = JSON_STRING;
        return json_scan_string(p->s, p->len, &p->pos, NULL, p->err);
    case 't':
        *type = JSON_TRUE;
        return json_scan_literal(p, "true", 4);
    case 'f':
        *type = JSON_FALSE;
        return json_scan_literal(p, "false", 5);
    case 'n':
        *type = JSON_NULL;
        return json_scan_literal(p, "null", 4);
    default:
        if (p->s[p->pos] == '-' || json_is_digit(p->s[p->pos])) {
            *type = JSON_NUMBER;
            return json_scan_number(p);
        }
        return json_fail(p->err, p->pos, JSON_BAD, "expected a value");
    }
}

/* Scans an object key, the ':' after it and the whitespace after that. */
static int json_scan_key(json_parser *p, size_t *key_start, size_t *key_len)
{
    if (p->pos >= p->len)
        return json_fail(p->err, p->pos, JSON_BAD, "unexpected end of input");
    if (p->s[p->pos] != '"')
        return json_fail(p->err, p->pos, JSON_BAD, "expected a string key");
    *key_start = p->pos;
    int rc = json_scan_string(p->s, p->len, &p->pos, NULL, p->err);
    if (rc != JSON_OK)
        return rc;
    *key_len = p->pos - *key_start;
    json_skip_ws(p);
    if (p->pos >= p->len || p->s[p->pos] != ':')
        return json_fail(p->err, p->pos, JSON_BAD, "expected ':' after object key");
    p->pos++;
    json_skip_ws(p);
    return JSON_OK;
}

/* Reports that the container at p->pos would exceed max_depth. */
static int json_fail_depth(json_parser *p)
{
    if (p->err) {
        p->err->offset = p->pos;
        snprintf(p->err->message, sizeof p->err->message,
                 "nesting deeper than %zu", p->max_depth);
    }
    return JSON_BAD;
}

/* Opens a container at p->pos while *depth are open: records whether it is an
 * object in the bit stack, growing it as needed, or fails beyond max_depth. */
static int json_push(json_parser *p, size_t *depth, int is_object)
{
    if (*depth >= p->max_depth)
        return json_fail_depth(p);
    size_t bit = *depth - 1;          /* the top-level object has no bit */
    size_t byte = bit / 8;
    json_object *obj = p->obj;
    if (byte >= obj->nest_cap) {
        size_t cap = obj->nest_cap ? obj->nest_cap : 16;
        while (cap <= byte)
            cap = cap > SIZE_MAX / 2 ? byte + 1 : cap * 2;
        unsigned char *nest = realloc(obj->nest, cap);
        if (!nest)
            return json_fail(p->err, p->pos, JSON_NOMEM, "out of memory");
        obj->nest = nest;
        obj->nest_cap = cap;
    }
    unsigned char mask = (unsigned char)(1u << (bit % 8));
    if (is_object)
        obj->nest[byte] |= mask;
    else
        obj->nest[byte] &= (unsigned char)~mask;
    (*depth)++;
    return JSON_OK;
}

/* Whether the innermost open nested container (depth >= 2) is an object. */
static int json_top_is_object(const json_parser *p, size_t depth)
{
    size_t bit = depth - 2;
    return (p->obj->nest[bit / 8] >> (bit % 8)) & 1;
}

/* After a complete value: closes the containers that end here and stops
 * where the next value starts (returns 1) or when back at the top-level
 * object (returns 0).  Negative on error. */
static int json_after_value(json_parser *p, size_t *depth)
{
    while (*depth > 1) {
        json_skip_ws(p);
        if (p->pos >= p->len)
            return json_fail(p->err, p->pos, JSON_BAD, "unexpected end of input");
        int in_object = json_top_is_object(p, *depth);
        char c = p->s[p->pos];
        if (c == (in_object ? '}' : ']')) {
            p->pos++;
            (*depth)--;
            continue;
        }
        if (c != ',')
            return json_fail(p->err, p->pos, JSON_BAD,
                             in_object ? "expected ',' or '}' after object member"
                                       : "expected ',' or ']' after array element");
        p->pos++;
        json_skip_ws(p);
        if (in_object) {
            size_t key_start, key_len;
            int rc = json_scan_key(p, &key_start, &key_len);
            if (rc != JSON_OK)
                return rc;
        }
        return 1;
    }
    return 0;
}

/* Scans one member value at p->pos (whitespace skipped) inside the top-level
 * object and reports the type of that value.  Loops instead of recursing. */
static int json_scan_value(json_parser *p, enum json_type *type)
{
    size_t depth = 1;    /* open containers, the top-level object included */

    for (;;) {
        /* A value starts here. */
        if (p->pos >= p->len)
            return json_fail(p->err, p->pos, JSON_BAD, "unexpected end of input");
        char c = p->s[p->pos];
        int rc;
        if (c == '{' || c == '[') {
            if (depth == 1)
                *type = c == '{' ? JSON_OBJECT : JSON_ARRAY;
            rc = json_push(p, &depth, c == '{');
            if (rc != JSON_OK)
                return rc;
            p->pos++;
            json_skip_ws(p);
            if (p->pos < p->len && p->s[p->pos] == (c == '{' ? '}' : ']')) {
                p->pos++;
                depth--;
            } else if (c == '{') {
                size_t key_start, key_len;
                rc = json_scan_key(p, &key_start, &key_len);
                if (rc != JSON_OK)
                    return rc;
                continue;
            } else {
                continue;
            }
        } else {
            enum json_type t;
            rc = json_scan_scalar(p, &t);
            if (rc != JSON_OK)
                return rc;
            if (depth == 1)
                *type = t;
        }
        rc = json_after_value(p, &depth);
        if (rc <= 0)
            return rc;
    }
}

static int json_add_member(json_parser *p, const json_member *m)
{
    json_object *obj = p->obj;
    if (obj->count == obj->cap) {
        size_t cap = obj->cap ? obj->cap * 2 : 16;
        if (cap < obj->cap || cap > SIZE_MAX / sizeof *obj->members)
            return json_fail(p->err, p->pos, JSON_NOMEM, "out of memory");
        json_member *members = realloc(obj->members, cap * sizeof *members);
        if (!members)
            return json_fail(p->err, p->pos, JSON_NOMEM, "out of memory");
        obj->members = members;
        obj->cap = cap;
    }
    obj->members[obj->count++] = *m;
    return JSON_OK;
}

/* The members of the top-level object, p->pos being just past its '{'. */
static int json_scan_members(json_parser *p)
{
    json_skip_ws(p);
    if (p->pos < p->len && p->s[p->pos] == '}') {
        p->pos++;
        return JSON_OK;
    }
    for (;;) {
        json_member m;
        int rc = json_scan_key(p, &m.key_start, &m.key_len);
        if (rc != JSON_OK)
            return rc;
        m.value_start = p->pos;
        rc = json_scan_value(p, &m.type);
        if (rc != JSON_OK)
            return rc;
        m.value_len = p->pos - m.value_start;
        rc = json_add_member(p, &m);
        if (rc != JSON_OK)
            return rc;

        json_skip_ws(p);
        if (p->pos >= p->len)
            return json_fail(p->err, p->pos, JSON_BAD, "unexpected end of input");
        char c = p->s[p->pos++];
        if (c == '}')
            return JSON_OK;
        if (c != ',')
            return json_fail(p->err, p->pos - 1, JSON_BAD,
                             "expected ',' or '}' after object member");
        json_skip_ws(p);
    }
}

static int json_scan_document(json_parser *p)
{
    json_skip_ws(p);
    if (p->pos >= p->len || p->s[p->pos] != '{')
        return json_fail(p->err, p->pos, JSON_BAD, "expected a JSON object");
    if (p->max_depth < 1)
        return json_fail_depth(p);
    p->pos++;
    int rc = json_scan_members(p);
    if (rc != JSON_OK)
        return rc;
    json_skip_ws(p);
    if (p->pos != p->len)
        return json_fail(p->err, p->pos, JSON_BAD, "unexpected data after the JSON object");
    return JSON_OK;
}

int json_parse_object(const char *s, size_t len, size_t max_depth,
                      json_object *obj, json_error *err)
{
    json_parser p = { s, len, 0, max_depth, obj, err };
    obj->count = 0;
    int rc = json_scan_document(&p);
    if (rc != JSON_OK)
        obj->count = 0;
    return rc;
}

void json_object_free(json_object *obj)
{
    free(obj->members);
    free(obj->nest);
    obj->members = NULL;
    obj->nest = NULL;
    obj->count = obj->cap = obj->nest_cap = 0;
}

/* Whether the raw string token raw[0..raw_len) decodes to key[0..key_len),
 * comparing as it decodes so that nothing is allocated. */
static int json_key_equals(const char *raw, size_t raw_len,
                           const char *key, size_t key_len)
{
    /* Escapes only ever shrink, so a longer key cannot match. */
    if (raw_len < 2 || key_len > raw_len - 2)
        return 0;
    size_t end = raw_len - 1;    /* the closing quote */
    size_t i = 1, k = 0;
    while (i < end) {
        if (raw[i] != '\\') {
            if (k >= key_len || raw[i] != key[k])
                return 0;
            i++;
            k++;
            continue;
        }
        char enc[4];
        size_t n;
        if (i + 1 >= end || json_unescape(raw, end, &i, enc, &n, NULL) != JSON_OK)
            return 0;
        if (n > key_len - k || memcmp(enc, key + k, n) != 0)
            return 0;
        k += n;
    }
    return k == key_len;
}

int json_member_is(const json_member *m, const char *s, const char *key)
{
    return json_key_equals(s + m->key_start, m->key_len, key, strlen(key));
}

long json_object_find(const json_object *obj, const char *s, const char *key)
{
    size_t key_len = strlen(key);
    for (size_t i = 0; i < obj->count; i++) {
        const json_member *m = &obj->members[i];
        if (json_key_equals(s + m->key_start, m->key_len, key, key_len))
            return (long)i;
    }
    return -1;
}

/* Puts out back to length len after a failed append sequence. */
static void json_buf_truncate(buf *out, size_t len)
{
    out->len = len;
    if (out->data)
        out->data[len] = '\0';
}

int json_string_decode(const char *raw, size_t raw_len, buf *out,
                       json_error *err)
{
    if (raw_len == 0 || raw[0] != '"')
        return json_fail(err, 0, JSON_BAD, "expected a string");
    size_t old_len = out->len;
    /* The decoded text is never longer than the token, so one reservation
     * makes the appends below allocation-free. */
    if (buf_reserve(out, raw_len) != 0)
        return json_fail(err, 0, JSON_NOMEM, "out of memory");
    size_t pos = 0;
    int rc = json_scan_string(raw, raw_len, &pos, out, err);
    if (rc == JSON_OK && pos != raw_len)
        rc = json_fail(err, pos, JSON_BAD, "unexpected data after the string");
    if (rc != JSON_OK)
        json_buf_truncate(out, old_len);
    return rc;
}

/* The escape for the character at u[i], if it needs one: writes it to esc,
 * sets *esc_len and returns how many input bytes it replaces; 0 otherwise. */
static size_t json_escape_at(const unsigned char *u, size_t len, size_t i,
                             char esc[6], size_t *esc_len)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char c = u[i];

    esc[0] = '\\';
    *esc_len = 2;
    switch (c) {
    case '"':  esc[1] = '"';  return 1;
    case '\\': esc[1] = '\\'; return 1;
    case '\b': esc[1] = 'b';  return 1;
    case '\f': esc[1] = 'f';  return 1;
    case '\n': esc[1] = 'n';  return 1;
    case '\r': esc[1] = 'r';  return 1;
    case '\t': esc[1] = 't';  return 1;
    default:
        break;
    }
    *esc_len = 6;
    if (c < 0x20) {
        memcpy(esc + 1, "u00", 3);
        esc[4] = hex[c >> 4];
        esc[5] = hex[c & 0xF];
        return 1;
    }
    if (c == 0xE2 && len - i >= 3 && u[i + 1] == 0x80
        && (u[i + 2] == 0xA8 || u[i + 2] == 0xA9)) {
        memcpy(esc + 1, u[i + 2] == 0xA8 ? "u2028" : "u2029", 5);
        return 3;
    }
    return 0;
}

int json_write_string(buf *out, const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t old_len = out->len;
    size_t run = 0;    /* first byte not yet copied */
    size_t i = 0;

    if (len > SIZE_MAX - 2 || buf_reserve(out, len + 2) != 0 || buf_putc(out, '"') != 0)
        return -1;
    for (;;) {
        /* Skip quickly over the bytes that never need escaping. */
        while (i < len && u[i] >= 0x20 && u[i] != '"' && u[i] != '\\' && u[i] != 0xE2)
            i++;
        if (i >= len)
            break;
        char esc[6];
        size_t esc_len;
        size_t skip = json_escape_at(u, len, i, esc, &esc_len);
        if (skip == 0) {
            i++;
            continue;
        }
        if (buf_append(out, s + run, i - run) != 0 || buf_append(out, esc, esc_len) != 0) {
            json_buf_truncate(out, old_len);
            return -1;
        }
        i += skip;
        run = i;
    }
    if (buf_append(out, s + run, len - run) != 0 || buf_putc(out, '"') != 0) {
        json_buf_truncate(out, old_len);
        return -1;
    }
    return 0;
}
