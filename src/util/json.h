/* json.h - strict JSON (RFC 8259) reading of one object at a time, and
 * writing of JSON strings.
 *
 * The reader is made for JSONL input: it validates a whole object in one
 * linear pass and records where each top-level member's key and value lie in
 * the input, so that a caller can copy members through byte for byte and add
 * or replace others.  It never builds a tree and never recurses, so neither
 * long strings nor deeply nested input can exhaust memory or the C stack.
 *
 * Strictness: only the RFC 8259 grammar is accepted (no comments, no trailing
 * commas, no NaN/Infinity, no leading zeros, no byte order mark), strings must
 * be valid UTF-8 without raw control characters, and \u escapes must not
 * leave a surrogate unpaired.  Duplicate keys are allowed.
 *
 * Ownership: the input text always belongs to the caller; members only hold
 * offsets into it, so the text must be kept while spans are used.  Every
 * pointer inside a json_object is owned by it and released by
 * json_object_free.  Output goes to a caller-owned buf (see buf.h).  No
 * function prints anything or keeps global state; errors are returned. */
#ifndef NERTAG_JSON_H
#define NERTAG_JSON_H

#include <stddef.h>

#include "util/buf.h"

enum json_type {
    JSON_NULL,
    JSON_FALSE,
    JSON_TRUE,
    JSON_NUMBER,
    JSON_STRING,
    JSON_ARRAY,
    JSON_OBJECT
};

/* One top-level member.  Spans are byte offsets into the parsed text. */
typedef struct json_member {
    size_t key_start, key_len;     /* raw key token, quotes included */
    size_t value_start, value_len; /* raw value, without surrounding whitespace */
    enum json_type type;           /* type of the value */
} json_member;

/* The top-level members of one object, in input order.  Start from
 * JSON_OBJECT_INIT (or all zeroes); one json_object can be reused for many
 * parses, which keeps its memory, and must end with json_object_free. */
typedef struct json_object {
    json_member *members;          /* owned: count used, cap allocated */
    size_t count, cap;
    unsigned char *nest;           /* owned scratch: one bit per open nested
                                      container (object or array) */
    size_t nest_cap;               /* bytes allocated at nest */
} json_object;

#define JSON_OBJECT_INIT { NULL, 0, 0, NULL, 0 }

typedef struct json_error {
    size_t offset;                 /* byte offset of the problem in the input */
    char message[128];             /* NUL-terminated, e.g. "expected ':' after object key" */
} json_error;

/* Parses exactly one JSON object from s[0..len), allowing only whitespace
 * (space, tab, CR, LF) around it.  Nested values are validated but only the
 * top-level members are recorded in obj (previous contents are discarded).
 * max_depth bounds the number of open containers, the top-level object
 * included: with 64, "{\"a\":[...]}" may hold 63 levels of arrays.
 * Returns 0; -1 for invalid input; -2 when out of memory.  On failure
 * obj->count is 0 and, when err is not NULL, err says where and why. */
int json_parse_object(const char *s, size_t len, size_t max_depth,
                      json_object *obj, json_error *err);

/* Releases the memory owned by obj and leaves it empty and reusable. */
void json_object_free(json_object *obj);

/* Returns the index of the first member of obj whose decoded key equals the
 * NUL-terminated key byte for byte, or -1.  s is the text obj was parsed
 * from.  Allocates nothing. */
long json_object_find(const json_object *obj, const char *s, const char *key);

/* Whether the decoded key of member m (of an object parsed from s) equals
 * the NUL-terminated key: "\u0074ext" is the key "text".  Allocates
 * nothing. */
int json_member_is(const json_member *m, const char *s, const char *key);

/* Decodes a raw JSON string token (with its quotes, e.g. a member's key or
 * string value span) into UTF-8 appended to out.  All escapes are handled,
 * \uXXXX surrogate pairs included; an unpaired surrogate is an error.
 * \u0000 decodes to a NUL byte: callers decide what to do with it.  The token
 * is validated as strictly as json_parse_object does, so tokens taken from a
 * parsed object always decode.  Returns 0; -1 on bad input, with err->offset
 * relative to raw (err may be NULL); -2 when out of memory.  On failure out
 * is left as it was. */
int json_string_decode(const char *raw, size_t raw_len, buf *out,
                       json_error *err);

/* Appends s[0..len), which must be valid UTF-8, to out as a JSON string with
 * its quotes.  Escapes '"', '\\' and the control characters below 0x20
 * (\b \f \n \r \t in short form, the others as \u00XX), and U+2028 and U+2029
 * as \u2028 and \u2029 because JavaScript does not allow them raw in string
 * literals; every other byte is copied as it is.  Returns 0, or -1 when out
 * of memory, leaving out as it was. */
int json_write_string(buf *out, const char *s, size_t len);

#endif
