/* fuzz_json.c - the JSON reader and writer of json.h on arbitrary bytes.
 *
 *   - the input as one object, with a depth limit of 64 and a small one
 *     taken from its length: a small limit never accepts more;
 *   - every key and string value of an accepted object decodes (json.h
 *     promises it), and json_object_find finds each key at or before it;
 *   - the input as one string token: decoding never crashes, and a decoded
 *     string written back decodes to the same bytes;
 *   - the input written as a string (when it is valid UTF-8), inside an
 *     object, parses and decodes back to the input. */
#include "fuzz.h"

#include <string.h>

#include "lib/internal.h"
#include "util/json.h"

const char fuzz_target_name[] = "json";

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

/* Decodes raw (a string token), writes it back and decodes it again. */
static void check_string_roundtrip(const char *raw, size_t len, int must)
{
    buf out = BUF_INIT, again = BUF_INIT, dec = BUF_INIT;
    json_error e;
    int rc = json_string_decode(raw, len, &out, &e);
    FUZZ_CHECK(rc == 0 || rc == -1);
    FUZZ_CHECK(rc == 0 || !must);
    if (rc == 0) {
        /* "\u0000" decodes to a NUL byte, which is valid UTF-8 here */
        FUZZ_CHECK(json_write_string(&again, out.data ? out.data : "",
                                     out.len) == 0);
        FUZZ_CHECK(json_string_decode(again.data, again.len, &dec, &e) == 0);
        FUZZ_CHECK(dec.len == out.len &&
                   (!out.len || !memcmp(dec.data, out.data, out.len)));
    } else {
        FUZZ_CHECK(e.offset <= len);
        FUZZ_CHECK(memchr(e.message, 0, sizeof e.message) != NULL);
        FUZZ_CHECK(out.len == 0);   /* left as it was */
    }
    buf_free(&out);
    buf_free(&again);
    buf_free(&dec);
}

static void check_members(const char *s, size_t len, const json_object *obj)
{
    buf key = BUF_INIT;
    for (size_t i = 0; i < obj->count; i++) {
        const json_member *m = &obj->members[i];
        FUZZ_CHECK(m->key_start + m->key_len <= len);
        FUZZ_CHECK(m->value_start + m->value_len <= len);
        FUZZ_CHECK(m->key_len >= 2 && m->value_len >= 1);
        FUZZ_CHECK(m->key_start + m->key_len <= m->value_start);
        FUZZ_CHECK(i == 0 || obj->members[i - 1].value_start <
                   m->key_start);
        check_string_roundtrip(s + m->key_start, m->key_len, 1);
        if (m->type == JSON_STRING)
            check_string_roundtrip(s + m->value_start, m->value_len, 1);
        /* a key holding NUL cannot be looked up as a C string */
        buf_clear(&key);
        FUZZ_CHECK(json_string_decode(s + m->key_start, m->key_len, &key,
                                      NULL) == 0);
        if (key.data && strlen(key.data) == key.len) {
            long k = json_object_find(obj, s, key.data);
            FUZZ_CHECK(k >= 0 && (size_t)k <= i);
        }
    }
    buf_free(&key);
}

static void check_object(const char *s, size_t len)
{
    json_object obj = JSON_OBJECT_INIT;
    json_error e;
    int rc = json_parse_object(s, len, 64, &obj, &e);
    FUZZ_CHECK(rc == 0 || rc == -1);
    if (rc == 0) {
        check_members(s, len, &obj);
    } else {
        FUZZ_CHECK(obj.count == 0);
        FUZZ_CHECK(e.offset <= len);
    }
    /* the same json_object, reused with a smaller limit */
    size_t depth = 1 + len % 8;
    int small = json_parse_object(s, len, depth, &obj, &e);
    FUZZ_CHECK(small == 0 || small == -1);
    FUZZ_CHECK(small != 0 || rc == 0);
    json_object_free(&obj);
}

/* The input as a string member of an object: the writer's output must be
 * read back as what was written. */
static void check_written(const char *s, size_t len)
{
    if (utf8_first_invalid(s, len) != len)
        return;
    buf out = BUF_INIT, dec = BUF_INIT;
    FUZZ_CHECK(buf_puts(&out, "{\"k\": ") == 0);
    size_t start = out.len;
    FUZZ_CHECK(json_write_string(&out, s, len) == 0);
    size_t tok_len = out.len - start;
    FUZZ_CHECK(buf_putc(&out, '}') == 0);
    json_object obj = JSON_OBJECT_INIT;
    FUZZ_CHECK(json_parse_object(out.data, out.len, 2, &obj, NULL) == 0);
    FUZZ_CHECK(obj.count == 1 && obj.members[0].type == JSON_STRING);
    FUZZ_CHECK(obj.members[0].value_start == start &&
               obj.members[0].value_len == tok_len);
    FUZZ_CHECK(json_object_find(&obj, out.data, "k") == 0);
    FUZZ_CHECK(json_string_decode(out.data + start, tok_len, &dec, NULL)
               == 0);
    FUZZ_CHECK(dec.len == len && (!len || !memcmp(dec.data, s, len)));
    /* no raw line break: one object stays one JSON line */
    FUZZ_CHECK(!memchr(out.data, '\n', out.len));
    json_object_free(&obj);
    buf_free(&out);
    buf_free(&dec);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    check_object(s, size);
    check_string_roundtrip(s, size, 0);
    check_written(s, size);
    return 0;
}
