/* test_json.c - tests of the strict JSON reader and the string writer. */
#include "util/json.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEPTH 64

/* A case of input that must be rejected: where and why.  len 0 means strlen. */
typedef struct bad_case {
    const char *text;
    size_t len;
    size_t offset;
    const char *message;
} bad_case;

static size_t case_len(const bad_case *c)
{
    return c->len ? c->len : strlen(c->text);
}

/* Parses text, which must succeed; obj keeps the result. */
static void parse_ok(const char *text, size_t len, json_object *obj)
{
    json_error err = { 0, "" };
    int rc = json_parse_object(text, len, DEPTH, obj, &err);
    ck_assert_msg(rc == 0, "parse of <%.*s> failed at %zu: %s",
                  (int)len, text, err.offset, err.message);
}

/* Parses c->text with max_depth, which must fail exactly as c says. */
static void parse_bad(const bad_case *c, size_t max_depth, size_t index)
{
    json_object obj = JSON_OBJECT_INIT;
    json_error err = { 0, "" };
    int rc = json_parse_object(c->text, case_len(c), max_depth, &obj, &err);
    ck_assert_msg(rc == -1, "case %zu: expected failure, got %d", index, rc);
    ck_assert_msg(err.offset == c->offset && strcmp(err.message, c->message) == 0,
                  "case %zu: expected \"%s\" at %zu, got \"%s\" at %zu",
                  index, c->message, c->offset, err.message, err.offset);
    ck_assert_uint_eq(obj.count, 0);
    json_object_free(&obj);
}

static void parse_bad_all(const bad_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++)
        parse_bad(&cases[i], DEPTH, i);
}

/* The raw text of span [start, start + len) of s. */
static int span_is(const char *s, size_t start, size_t len, const char *want)
{
    return len == strlen(want) && memcmp(s + start, want, len) == 0;
}

#define ck_assert_key(s, m, want) \
    ck_assert_msg(span_is((s), (m)->key_start, (m)->key_len, (want)), \
                  "key is <%.*s>, want <%s>", (int)(m)->key_len, (s) + (m)->key_start, (want))
#define ck_assert_value(s, m, want) \
    ck_assert_msg(span_is((s), (m)->value_start, (m)->value_len, (want)), \
                  "value is <%.*s>, want <%s>", (int)(m)->value_len, (s) + (m)->value_start, (want))

/* Decodes raw, which must succeed, and compares with want[0..want_len). */
static void decode_is(const char *raw, size_t raw_len, const char *want, size_t want_len)
{
    buf out = BUF_INIT;
    json_error err = { 0, "" };
    int rc = json_string_decode(raw, raw_len, &out, &err);
    ck_assert_msg(rc == 0, "decode of <%.*s> failed at %zu: %s",
                  (int)raw_len, raw, err.offset, err.message);
    ck_assert_uint_eq(out.len, want_len);
    ck_assert_mem_eq(out.data, want, want_len);
    buf_free(&out);
}

/* Decodes c->text, which must fail as c says and leave the buffer alone. */
static void decode_bad(const bad_case *c, size_t index)
{
    buf out = BUF_INIT;
    json_error err = { 0, "" };
    ck_assert_int_eq(buf_puts(&out, "kept"), 0);
    int rc = json_string_decode(c->text, case_len(c), &out, &err);
    ck_assert_msg(rc == -1, "case %zu: expected failure, got %d", index, rc);
    ck_assert_msg(err.offset == c->offset && strcmp(err.message, c->message) == 0,
                  "case %zu: expected \"%s\" at %zu, got \"%s\" at %zu",
                  index, c->message, c->offset, err.message, err.offset);
    ck_assert_str_eq(out.data, "kept");
    buf_free(&out);
}

/* ---- objects and spans ---- */

START_TEST(test_simple_object)
{
    const char *s = "{\"a\":1,\"bb\":\"x y\",\"c\":true,\"d\":false,\"e\":null,\"f\":-2.5e3}";
    json_object obj = JSON_OBJECT_INIT;
    parse_ok(s, strlen(s), &obj);
    ck_assert_uint_eq(obj.count, 6);

    static const char *keys[] = { "\"a\"", "\"bb\"", "\"c\"", "\"d\"", "\"e\"", "\"f\"" };
    static const char *values[] = { "1", "\"x y\"", "true", "false", "null", "-2.5e3" };
    static const enum json_type types[] = { JSON_NUMBER, JSON_STRING, JSON_TRUE,
                                            JSON_FALSE, JSON_NULL, JSON_NUMBER };
    for (size_t i = 0; i < 6; i++) {
        ck_assert_key(s, &obj.members[i], keys[i]);
        ck_assert_value(s, &obj.members[i], values[i]);
        ck_assert_int_eq(obj.members[i].type, types[i]);
    }
    ck_assert_uint_eq(obj.members[0].key_start, 1);
    ck_assert_uint_eq(obj.members[0].value_start, 5);
    json_object_free(&obj);
    ck_assert_ptr_null(obj.members);
    ck_assert_uint_eq(obj.count, 0);
}
END_TEST

START_TEST(test_spans_exclude_whitespace)
{
    const char *s = " \t\r\n{ \"k\" :\t[ 1 , 2 ]\n,\r\"o\"  :  { }  ,\"s\":\"\"} \n";
    json_object obj = JSON_OBJECT_INIT;
    parse_ok(s, strlen(s), &obj);
    ck_assert_uint_eq(obj.count, 3);
    ck_assert_key(s, &obj.members[0], "\"k\"");
    ck_assert_value(s, &obj.members[0], "[ 1 , 2 ]");
    ck_assert_int_eq(obj.members[0].type, JSON_ARRAY);
    ck_assert_uint_eq(obj.members[0].key_start, 6);
    ck_assert_uint_eq(obj.members[0].value_start, 12);
    ck_assert_key(s, &obj.members[1], "\"o\"");
    ck_assert_value(s, &obj.members[1], "{ }");
    ck_assert_int_eq(obj.members[1].type, JSON_OBJECT);
    ck_assert_value(s, &obj.members[2], "\"\"");
    ck_assert_int_eq(obj.members[2].type, JSON_STRING);
    json_object_free(&obj);
}
END_TEST

START_TEST(test_nested_values_top_level_only)
{
    const char *s = "{\"a\":{\"b\":{\"c\":1},\"x\":[]},\"d\":[{\"e\":2},[3,[4]],\"]}\"],\"f\":\"g\"}";
    json_object obj = JSON_OBJECT_INIT;
    parse_ok(s, strlen(s), &obj);
    ck_assert_uint_eq(obj.count, 3);
    ck_assert_key(s, &obj.members[0], "\"a\"");
    ck_assert_value(s, &obj.members[0], "{\"b\":{\"c\":1},\"x\":[]}");
    ck_assert_int_eq(obj.members[0].type, JSON_OBJECT);
    ck_assert_key(s, &obj.members[1], "\"d\"");
    ck_assert_value(s, &obj.members[1], "[{\"e\":2},[3,[4]],\"]}\"]");
    ck_assert_int_eq(obj.members[1].type, JSON_ARRAY);
    ck_assert_key(s, &obj.members[2], "\"f\"");
    ck_assert_value(s, &obj.members[2], "\"g\"");
    /* Nested keys are not members of the top-level object. */
    ck_assert_int_eq(json_object_find(&obj, s, "b"), -1);
    ck_assert_int_eq(json_object_find(&obj, s, "e"), -1);
    ck_assert_int_eq(json_object_find(&obj, s, "f"), 2);
    json_object_free(&obj);
}
END_TEST

START_TEST(test_empty_object)
{
    static const char *inputs[] = { "{}", " { } ", "\n{\t}\r\n", "{\"e\":{},\"a\":[]}" };
    static const size_t counts[] = { 0, 0, 0, 2 };
    json_object obj = JSON_OBJECT_INIT;
    for (size_t i = 0; i < 4; i++) {
        parse_ok(inputs[i], strlen(inputs[i]), &obj);
        ck_assert_uint_eq(obj.count, counts[i]);
    }
    ck_assert_value(inputs[3], &obj.members[0], "{}");
    ck_assert_value(inputs[3], &obj.members[1], "[]");
    json_object_free(&obj);
}
END_TEST

START_TEST(test_many_members_and_reuse)
{
    /* Enough members to make the array grow several times. */
    buf text = BUF_INIT;
    ck_assert_int_eq(buf_putc(&text, '{'), 0);
    for (int i = 0; i < 1000; i++)
        ck_assert_int_eq(buf_printf(&text, "%s\"k%d\":%d", i ? "," : "", i, i), 0);
    ck_assert_int_eq(buf_putc(&text, '}'), 0);

    json_object obj = JSON_OBJECT_INIT;
    parse_ok(text.data, text.len, &obj);
    ck_assert_uint_eq(obj.count, 1000);
    ck_assert_int_eq(json_object_find(&obj, text.data, "k999"), 999);
    ck_assert_value(text.data, &obj.members[999], "999");

    /* A failed parse leaves no members; a later one works with the same memory. */
    json_error err;
    ck_assert_int_eq(json_parse_object("{\"a\":1,", 7, DEPTH, &obj, &err), -1);
    ck_assert_uint_eq(obj.count, 0);
    json_member *members = obj.members;
    parse_ok("{\"z\":0}", 7, &obj);
    ck_assert_uint_eq(obj.count, 1);
    ck_assert_ptr_eq(obj.members, members);
    json_object_free(&obj);
    buf_free(&text);
}
END_TEST

START_TEST(test_duplicate_keys)
{
    const char *s = "{\"a\":1,\"b\":2,\"a\":3}";
    json_object obj = JSON_OBJECT_INIT;
    parse_ok(s, strlen(s), &obj);
    ck_assert_uint_eq(obj.count, 3);
    ck_assert_int_eq(json_object_find(&obj, s, "a"), 0);
    ck_assert_value(s, &obj.members[2], "3");
    json_object_free(&obj);
}
END_TEST

START_TEST(test_find_escaped_keys)
{
    const char *s = "{\"te\\u0078t\":1,\"text\":2,\"caf\\u00e9\":3,\"q\\\"\\\\\\/\":4,"
                    "\"\\ud83d\\ude00\":5,\"\":6,\"nul\\u0000x\":7}";
    json_object obj = JSON_OBJECT_INIT;
    parse_ok(s, strlen(s), &obj);
    ck_assert_uint_eq(obj.count, 7);
    ck_assert_int_eq(json_object_find(&obj, s, "text"), 0);
    ck_assert_int_eq(json_object_find(&obj, s, "caf\xc3\xa9"), 2);
    ck_assert_int_eq(json_object_find(&obj, s, "q\"\\/"), 3);
    ck_assert_int_eq(json_object_find(&obj, s, "\xf0\x9f\x98\x80"), 4);
    ck_assert_int_eq(json_object_find(&obj, s, ""), 5);
    /* Prefixes, extensions and near misses do not match. */
    ck_assert_int_eq(json_object_find(&obj, s, "tex"), -1);
    ck_assert_int_eq(json_object_find(&obj, s, "texts"), -1);
    ck_assert_int_eq(json_object_find(&obj, s, "te\\u0078t"), -1);
    ck_assert_int_eq(json_object_find(&obj, s, "cafe"), -1);
    ck_assert_int_eq(json_object_find(&obj, s, "nul"), -1);
    ck_assert_int_eq(json_object_find(&obj, s, "nulx"), -1);
    json_object_free(&obj);

    json_object empty = JSON_OBJECT_INIT;
    parse_ok("{}", 2, &empty);
    ck_assert_int_eq(json_object_find(&empty, "{}", "text"), -1);
    json_object_free(&empty);
}
END_TEST

/* ---- strings ---- */

START_TEST(test_decode_every_escape)
{
    const char raw[] = "\"a\\\"b\\\\c\\/d\\be\\ff\\ng\\rh\\ti\\u0041\\u00e9\\u20AC\\uFFFF\\u0000z\"";
    const char want[] = "a\"b\\c/d\be\ff\ng\rh\ti" "A" "\xc3\xa9" "\xe2\x82\xac" "\xef\xbf\xbf" "\0z";
    decode_is(raw, strlen(raw), want, sizeof want - 1);
    decode_is("\"\"", 2, "", 0);
    decode_is("\"plain text\"", 12, "plain text", 10);
    /* Raw UTF-8 and DEL pass through. */
    decode_is("\"\xc3\xa9\x7f\xf4\x8f\xbf\xbf\"", 9, "\xc3\xa9\x7f\xf4\x8f\xbf\xbf", 7);

    /* The same escapes are accepted by the parser. */
    char doc[256];
    snprintf(doc, sizeof doc, "{\"k\":%s}", raw);
    json_object obj = JSON_OBJECT_INIT;
    parse_ok(doc, strlen(doc), &obj);
    ck_assert_int_eq(obj.members[0].type, JSON_STRING);
    ck_assert_value(doc, &obj.members[0], raw);
    json_object_free(&obj);
}
END_TEST

START_TEST(test_decode_appends)
{
    buf out = BUF_INIT;
    ck_assert_int_eq(buf_puts(&out, "x="), 0);
    ck_assert_int_eq(json_string_decode("\"\\u00e9t\\u00e9\"", 15, &out, NULL), 0);
    ck_assert_str_eq(out.data, "x=\xc3\xa9t\xc3\xa9");
    ck_assert_uint_eq(out.len, 7);
    buf_free(&out);

    /* Decoding an empty string still leaves a valid, NUL-terminated buffer. */
    buf empty = BUF_INIT;
    ck_assert_int_eq(json_string_decode("\"\"", 2, &empty, NULL), 0);
    ck_assert_ptr_nonnull(empty.data);
    ck_assert_str_eq(empty.data, "");
    buf_free(&empty);
}
END_TEST

START_TEST(test_surrogate_pairs)
{
    decode_is("\"\\ud83d\\ude00\"", 14, "\xf0\x9f\x98\x80", 4);
    decode_is("\"\\uD834\\uDD1E\"", 14, "\xf0\x9d\x84\x9e", 4);
    decode_is("\"\\ud800\\udc00\"", 14, "\xf0\x90\x80\x80", 4);
    decode_is("\"\\udbff\\udfff\"", 14, "\xf4\x8f\xbf\xbf", 4);
    decode_is("\"x\\ud83d\\ude00\\ud83d\\ude01y\"", 28,
              "x\xf0\x9f\x98\x80\xf0\x9f\x98\x81y", 10);
    /* The neighbours of the surrogate range are ordinary characters. */
    decode_is("\"\\ud7ff\\ue000\"", 14, "\xed\x9f\xbf\xee\x80\x80", 6);
}
END_TEST

START_TEST(test_unpaired_surrogates)
{
    static const bad_case tokens[] = {
        { "\"\\ud800\"", 0, 1, "unpaired surrogate in \\u escape" },
        { "\"ab\\ud800x\"", 0, 3, "unpaired surrogate in \\u escape" },
        { "\"\\udc00\"", 0, 1, "unpaired surrogate in \\u escape" },
        { "\"\\ude00\\ud83d\"", 0, 1, "unpaired surrogate in \\u escape" },
        { "\"\\ud800\\u0041\"", 0, 1, "unpaired surrogate in \\u escape" },
        { "\"\\ud800\\ud800\"", 0, 1, "unpaired surrogate in \\u escape" },
        { "\"\\ud800\\n\"", 0, 1, "unpaired surrogate in \\u escape" },
        { "\"\\ud800\\\"", 0, 1, "unpaired surrogate in \\u escape" },
        { "\"\\ud800\\u12\"", 0, 7, "invalid \\u escape" },
    };
    for (size_t i = 0; i < sizeof tokens / sizeof *tokens; i++)
        decode_bad(&tokens[i], i);

    /* The parser rejects them too, so every parsed key and value decodes. */
    static const bad_case docs[] = {
        { "{\"k\":\"\\ud800\"}", 0, 6, "unpaired surrogate in \\u escape" },
        { "{\"\\udfff\":1}", 0, 2, "unpaired surrogate in \\u escape" },
        { "{\"k\":[\"ok\",\"x\\ud83dy\"]}", 0, 13, "unpaired surrogate in \\u escape" },
    };
    parse_bad_all(docs, sizeof docs / sizeof *docs);
}
END_TEST

START_TEST(test_invalid_escapes)
{
    static const bad_case tokens[] = {
        { "\"\\x41\"", 0, 1, "invalid escape sequence" },
        { "\"ab\\'\"", 0, 3, "invalid escape sequence" },
        { "\"\\U0041\"", 0, 1, "invalid escape sequence" },
        { "\"\\0\"", 0, 1, "invalid escape sequence" },
        { "\"\\u12G4\"", 0, 1, "invalid \\u escape" },
        { "\"\\u12\"", 0, 1, "invalid \\u escape" },
        { "\"\\u\"", 0, 1, "invalid \\u escape" },
        { "\"\\", 0, 0, "unterminated string" },
        { "\"abc\\\"", 0, 0, "unterminated string" },
        { "\"abc", 0, 0, "unterminated string" },
        { "abc", 0, 0, "expected a string" },
        { "", 0, 0, "expected a string" },
        { "\"a\"b", 0, 3, "unexpected data after the string" },
        { "\"a\" ", 0, 3, "unexpected data after the string" },
    };
    for (size_t i = 0; i < sizeof tokens / sizeof *tokens; i++)
        decode_bad(&tokens[i], i);

    static const bad_case docs[] = {
        { "{\"k\":\"\\a\"}", 0, 6, "invalid escape sequence" },
        { "{\"k\":\"\\u00e\"}", 0, 6, "invalid \\u escape" },
        { "{\"k\":\"abc", 0, 5, "unterminated string" },
        { "{\"k\":\"abc\\", 0, 5, "unterminated string" },
        { "{\"k", 0, 1, "unterminated string" },
    };
    parse_bad_all(docs, sizeof docs / sizeof *docs);
}
END_TEST

START_TEST(test_control_characters)
{
    static const bad_case docs[] = {
        { "{\"k\":\"a\nb\"}", 0, 7, "unescaped control character in string" },
        { "{\"k\":\"a\tb\"}", 0, 7, "unescaped control character in string" },
        { "{\"k\":\"\x01\"}", 0, 6, "unescaped control character in string" },
        { "{\"k\":\"ab\x1f\"}", 0, 8, "unescaped control character in string" },
        { "{\"k\":\"a\0b\"}", 11, 7, "unescaped control character in string" },
        { "{\"k\r\":1}", 0, 3, "unescaped control character in string" },
    };
    parse_bad_all(docs, sizeof docs / sizeof *docs);

    static const bad_case token = { "\"a\rb\"", 0, 2, "unescaped control character in string" };
    decode_bad(&token, 0);

    /* DEL is not a control character for JSON. */
    json_object obj = JSON_OBJECT_INIT;
    parse_ok("{\"k\":\"\x7f\"}", 9, &obj);
    ck_assert_uint_eq(obj.count, 1);
    json_object_free(&obj);
}
END_TEST

/* Ill-formed UTF-8 sequences, placed after "ab" in a string. */
static const struct {
    const char *bytes;
    const char *message;
} bad_utf8[] = {
    { "\x80", "unexpected UTF-8 continuation byte" },
    { "\xbf", "unexpected UTF-8 continuation byte" },
    { "\xc0\xaf", "overlong UTF-8 encoding" },
    { "\xc1\xbf", "overlong UTF-8 encoding" },
    { "\xe0\x80\xaf", "overlong UTF-8 encoding" },
    { "\xe0\x9f\xbf", "overlong UTF-8 encoding" },
    { "\xf0\x80\x80\xaf", "overlong UTF-8 encoding" },
    { "\xf0\x8f\xbf\xbf", "overlong UTF-8 encoding" },
    { "\xed\xa0\x80", "UTF-8 encoded surrogate" },
    { "\xed\xbf\xbf", "UTF-8 encoded surrogate" },
    { "\xed\xa0\xbd\xed\xb8\x80", "UTF-8 encoded surrogate" },
    { "\xf4\x90\x80\x80", "UTF-8 code point above U+10FFFF" },
    { "\xf5\x80\x80\x80", "UTF-8 code point above U+10FFFF" },
    { "\xf7\xbf\xbf\xbf", "UTF-8 code point above U+10FFFF" },
    { "\xf8\x88\x80\x80\x80", "invalid UTF-8 byte" },
    { "\xfc\x84\x80\x80\x80\x80", "invalid UTF-8 byte" },
    { "\xfe", "invalid UTF-8 byte" },
    { "\xff", "invalid UTF-8 byte" },
    { "\xc3", "truncated UTF-8 sequence" },
    { "\xc3" "A", "truncated UTF-8 sequence" },
    { "\xe2\x82", "truncated UTF-8 sequence" },
    { "\xe2\x82" "A", "truncated UTF-8 sequence" },
    { "\xf0\x9f\x98", "truncated UTF-8 sequence" },
    { "\xf0\x9f", "truncated UTF-8 sequence" },
    { "\xf0", "truncated UTF-8 sequence" },
    { "\xe2\xc3\xa9", "truncated UTF-8 sequence" },
};

START_TEST(test_invalid_utf8)
{
    for (size_t i = 0; i < sizeof bad_utf8 / sizeof *bad_utf8; i++) {
        char text[64];

        /* As a value: {"k":"ab<bad>cd"} -- the sequence starts at offset 8. */
        snprintf(text, sizeof text, "{\"k\":\"ab%scd\"}", bad_utf8[i].bytes);
        bad_case value = { text, 0, 8, bad_utf8[i].message };
        parse_bad(&value, DEPTH, i);

        /* As a key, after a valid member. */
        snprintf(text, sizeof text, "{\"a\":1,\"ab%s\":2}", bad_utf8[i].bytes);
        bad_case key = { text, 0, 10, bad_utf8[i].message };
        parse_bad(&key, DEPTH, i);

        /* Inside a nested array. */
        snprintf(text, sizeof text, "{\"k\":[1,\"ab%s\"]}", bad_utf8[i].bytes);
        bad_case nested = { text, 0, 11, bad_utf8[i].message };
        parse_bad(&nested, DEPTH, i);

        /* As a bare token; the offset is relative to the token. */
        snprintf(text, sizeof text, "\"ab%s\"", bad_utf8[i].bytes);
        bad_case token = { text, 0, 3, bad_utf8[i].message };
        decode_bad(&token, i);
    }

    /* A sequence cut off by the end of the input. */
    static const bad_case cut[] = {
        { "{\"k\":\"\xe2\x82", 0, 6, "truncated UTF-8 sequence" },
        { "{\"k\":\"\xf0", 0, 6, "truncated UTF-8 sequence" },
    };
    parse_bad_all(cut, 2);
}
END_TEST

START_TEST(test_valid_utf8_boundaries)
{
    /* The first and last code points of each sequence length and around the
     * surrogates, as raw UTF-8. */
    static const char *chars[] = {
        "\x7f", "\xc2\x80", "\xdf\xbf", "\xe0\xa0\x80", "\xed\x9f\xbf",
        "\xee\x80\x80", "\xef\xbf\xbf", "\xf0\x90\x80\x80", "\xf4\x8f\xbf\xbf",
    };
    json_object obj = JSON_OBJECT_INIT;
    for (size_t i = 0; i < sizeof chars / sizeof *chars; i++) {
        char text[64], raw[16];
        snprintf(raw, sizeof raw, "\"%s\"", chars[i]);
        snprintf(text, sizeof text, "{%s:%s}", raw, raw);
        parse_ok(text, strlen(text), &obj);
        ck_assert_uint_eq(obj.count, 1);
        ck_assert_value(text, &obj.members[0], raw);
        ck_assert_int_eq(json_object_find(&obj, text, chars[i]), 0);
        decode_is(raw, strlen(raw), chars[i], strlen(chars[i]));
    }
    json_object_free(&obj);
}
END_TEST

/* ---- numbers, literals, whitespace ---- */

START_TEST(test_numbers_valid)
{
    static const char *numbers[] = {
        "0", "-0", "1", "-1", "123", "1.5", "-0.0", "0.5e10", "1e5", "1E+5",
        "1e-5", "2E-05", "-9.75e+300", "12345678901234567890123", "1.0E-0", "10",
    };
    json_object obj = JSON_OBJECT_INIT;
    for (size_t i = 0; i < sizeof numbers / sizeof *numbers; i++) {
        char text[128];
        snprintf(text, sizeof text, "{\"n\":%s,\"a\":[%s],\"m\": %s }",
                 numbers[i], numbers[i], numbers[i]);
        parse_ok(text, strlen(text), &obj);
        ck_assert_uint_eq(obj.count, 3);
        ck_assert_int_eq(obj.members[0].type, JSON_NUMBER);
        ck_assert_value(text, &obj.members[0], numbers[i]);
        ck_assert_int_eq(obj.members[2].type, JSON_NUMBER);
        ck_assert_value(text, &obj.members[2], numbers[i]);
    }
    json_object_free(&obj);
}
END_TEST

START_TEST(test_numbers_invalid)
{
    static const bad_case docs[] = {
        { "{\"n\":01}", 0, 5, "leading zeros are not allowed in numbers" },
        { "{\"n\":-01}", 0, 6, "leading zeros are not allowed in numbers" },
        { "{\"n\":00.5}", 0, 5, "leading zeros are not allowed in numbers" },
        { "{\"n\":[1,007]}", 0, 8, "leading zeros are not allowed in numbers" },
        { "{\"n\":+1}", 0, 5, "expected a value" },
        { "{\"n\":.5}", 0, 5, "expected a value" },
        { "{\"n\":1.}", 0, 7, "expected a digit after '.' in number" },
        { "{\"n\":1.e5}", 0, 7, "expected a digit after '.' in number" },
        { "{\"n\":-}", 0, 6, "expected a digit in number" },
        { "{\"n\":-", 0, 6, "expected a digit in number" },
        { "{\"n\":-a}", 0, 6, "expected a digit in number" },
        { "{\"n\":- 1}", 0, 6, "expected a digit in number" },
        { "{\"n\":1e}", 0, 7, "expected a digit in number exponent" },
        { "{\"n\":1e+}", 0, 8, "expected a digit in number exponent" },
        { "{\"n\":1E-x}", 0, 8, "expected a digit in number exponent" },
        { "{\"n\":NaN}", 0, 5, "expected a value" },
        { "{\"n\":nan}", 0, 5, "expected a value" },
        { "{\"n\":Infinity}", 0, 5, "expected a value" },
        { "{\"n\":-Infinity}", 0, 6, "expected a digit in number" },
        { "{\"n\":0x10}", 0, 6, "expected ',' or '}' after object member" },
        { "{\"n\":1.5.3}", 0, 8, "expected ',' or '}' after object member" },
        { "{\"n\":1 2}", 0, 7, "expected ',' or '}' after object member" },
        { "{\"n\":[1 2]}", 0, 8, "expected ',' or ']' after array element" },
    };
    parse_bad_all(docs, sizeof docs / sizeof *docs);
}
END_TEST

START_TEST(test_literals)
{
    const char *s = "{\"t\":true,\"f\":false,\"n\":null,\"a\":[true,false,null]}";
    json_object obj = JSON_OBJECT_INIT;
    parse_ok(s, strlen(s), &obj);
    ck_assert_uint_eq(obj.count, 4);
    ck_assert_int_eq(obj.members[0].type, JSON_TRUE);
    ck_assert_int_eq(obj.members[1].type, JSON_FALSE);
    ck_assert_int_eq(obj.members[2].type, JSON_NULL);
    ck_assert_value(s, &obj.members[2], "null");
    json_object_free(&obj);

    static const bad_case docs[] = {
        { "{\"t\":tru}", 0, 5, "expected a value" },
        { "{\"t\":tru", 0, 5, "expected a value" },
        { "{\"t\":True}", 0, 5, "expected a value" },
        { "{\"n\":nul}", 0, 5, "expected a value" },
        { "{\"n\":NULL}", 0, 5, "expected a value" },
        { "{\"n\":nulll}", 0, 9, "expected ',' or '}' after object member" },
        { "{\"f\":falsey}", 0, 10, "expected ',' or '}' after object member" },
        { "{\"u\":undefined}", 0, 5, "expected a value" },
    };
    parse_bad_all(docs, sizeof docs / sizeof *docs);
}
END_TEST

START_TEST(test_whitespace)
{
    const char *s = " \t\n\r{ \t\n\r\"a\" \t\n\r: \t\n\r[ \t\n\r1 \t\n\r, \t\n\r{ \t\n\r} \t\n\r]"
                    " \t\n\r, \t\n\r\"b\":2 \t\n\r} \t\n\r";
    json_object obj = JSON_OBJECT_INIT;
    parse_ok(s, strlen(s), &obj);
    ck_assert_uint_eq(obj.count, 2);
    ck_assert_value(s, &obj.members[0], "[ \t\n\r1 \t\n\r, \t\n\r{ \t\n\r} \t\n\r]");
    ck_assert_value(s, &obj.members[1], "2");
    json_object_free(&obj);

    /* Only the four JSON whitespace characters count. */
    static const bad_case docs[] = {
        { "\f{}", 0, 0, "expected a JSON object" },
        { "{\v\"a\":1}", 0, 1, "expected a string key" },
        { "{\"a\":\xc2\xa0" "1}", 0, 5, "expected a value" },
        { "{}\xe2\x80\xa8", 0, 2, "unexpected data after the JSON object" },
    };
    parse_bad_all(docs, sizeof docs / sizeof *docs);
}
END_TEST

/* ---- document structure ---- */

START_TEST(test_top_level_not_object)
{
    static const bad_case docs[] = {
        { "", 0, 0, "expected a JSON object" },
        { "   \n", 0, 4, "expected a JSON object" },
        { "[]", 0, 0, "expected a JSON object" },
        { " [{\"a\":1}]", 0, 1, "expected a JSON object" },
        { "1", 0, 0, "expected a JSON object" },
        { "\"s\"", 0, 0, "expected a JSON object" },
        { "null", 0, 0, "expected a JSON object" },
        { "true", 0, 0, "expected a JSON object" },
        { "\xef\xbb\xbf{}", 0, 0, "expected a JSON object" },
        { "}", 0, 0, "expected a JSON object" },
    };
    parse_bad_all(docs, sizeof docs / sizeof *docs);

    /* An empty input may come with a NULL pointer. */
    json_object obj = JSON_OBJECT_INIT;
    json_error err;
    ck_assert_int_eq(json_parse_object(NULL, 0, DEPTH, &obj, &err), -1);
    ck_assert_str_eq(err.message, "expected a JSON object");
    /* A NULL err is allowed. */
    ck_assert_int_eq(json_parse_object("[]", 2, DEPTH, &obj, NULL), -1);
    json_object_free(&obj);
}
END_TEST

START_TEST(test_trailing_garbage)
{
    static const bad_case docs[] = {
        { "{} x", 0, 3, "unexpected data after the JSON object" },
        { "{}{}", 0, 2, "unexpected data after the JSON object" },
        { "{\"a\":1}\n{\"b\":2}\n", 0, 8, "unexpected data after the JSON object" },
        { "{},", 0, 2, "unexpected data after the JSON object" },
        { "{}}", 0, 2, "unexpected data after the JSON object" },
        { "{}\0", 3, 2, "unexpected data after the JSON object" },
        { "{} \n\t// comment", 0, 5, "unexpected data after the JSON object" },
    };
    parse_bad_all(docs, sizeof docs / sizeof *docs);

    /* Trailing whitespace alone is fine. */
    json_object obj = JSON_OBJECT_INIT;
    parse_ok("{\"a\":1} \r\n", 10, &obj);
    ck_assert_uint_eq(obj.count, 1);
    json_object_free(&obj);
}
END_TEST

START_TEST(test_structural_errors)
{
    static const bad_case docs[] = {
        { "{\"a\":1,}", 0, 7, "expected a string key" },
        { "{\"a\":1 , }", 0, 9, "expected a string key" },
        { "{,}", 0, 1, "expected a string key" },
        { "{\"a\":[1,]}", 0, 8, "expected a value" },
        { "{\"a\":[,1]}", 0, 6, "expected a value" },
        { "{\"a\":{\"b\":1,}}", 0, 12, "expected a string key" },
        { "{\"a\" 1}", 0, 5, "expected ':' after object key" },
        { "{\"a\"}", 0, 4, "expected ':' after object key" },
        { "{\"a\":}", 0, 5, "expected a value" },
        { "{\"a\":1 \"b\":2}", 0, 7, "expected ',' or '}' after object member" },
        { "{\"a\":1]", 0, 6, "expected ',' or '}' after object member" },
        { "{\"a\":[1}", 0, 7, "expected ',' or ']' after array element" },
        { "{\"a\":{\"b\":1]}", 0, 11, "expected ',' or '}' after object member" },
        { "{\"a\":{\"b\"}}", 0, 9, "expected ':' after object key" },
        { "{\"a\":{1:2}}", 0, 6, "expected a string key" },
        { "{\"a\":]}", 0, 5, "expected a value" },
        { "{1:2}", 0, 1, "expected a string key" },
        { "{'a':1}", 0, 1, "expected a string key" },
        { "{a:1}", 0, 1, "expected a string key" },
        { "{\"a\":'x'}", 0, 5, "expected a value" },
        { "{/*c*/}", 0, 1, "expected a string key" },
        { "{", 0, 1, "unexpected end of input" },
        { "{\"a\":1", 0, 6, "unexpected end of input" },
        { "{\"a\":1,", 0, 7, "unexpected end of input" },
        { "{\"a\":", 0, 5, "unexpected end of input" },
        { "{\"a\":[", 0, 6, "unexpected end of input" },
        { "{\"a\":[1", 0, 7, "unexpected end of input" },
        { "{\"a\":{", 0, 6, "unexpected end of input" },
        { "{\"a\":{\"b\"", 0, 9, "expected ':' after object key" },
        { "{\"a\":{\"b\":[]", 0, 12, "unexpected end of input" },
    };
    parse_bad_all(docs, sizeof docs / sizeof *docs);
}
END_TEST

/* ---- nesting ---- */

/* {"a":<n opening brackets><n closing brackets>} built in b. */
static void nested_arrays(buf *b, size_t n, int closed)
{
    buf_clear(b);
    ck_assert_int_eq(buf_reserve(b, 2 * n + 8), 0);
    ck_assert_int_eq(buf_puts(b, "{\"a\":"), 0);
    memset(b->data + b->len, '[', n);
    b->len += n;
    if (closed) {
        memset(b->data + b->len, ']', n);
        b->len += n;
        b->data[b->len++] = '}';
    }
    b->data[b->len] = '\0';
}

START_TEST(test_depth_limit)
{
    buf b = BUF_INIT;
    json_object obj = JSON_OBJECT_INIT;
    json_error err;

    /* 63 arrays inside the top-level object make 64 levels: allowed. */
    nested_arrays(&b, 63, 1);
    parse_ok(b.data, b.len, &obj);
    ck_assert_uint_eq(obj.count, 1);
    ck_assert_int_eq(obj.members[0].type, JSON_ARRAY);
    ck_assert_uint_eq(obj.members[0].value_len, 126);

    /* One more is too deep, even when empty. */
    nested_arrays(&b, 64, 1);
    ck_assert_int_eq(json_parse_object(b.data, b.len, 64, &obj, &err), -1);
    ck_assert_str_eq(err.message, "nesting deeper than 64");
    ck_assert_uint_eq(err.offset, 5 + 63);

    /* Objects count the same way. */
    const char *objs = "{\"a\":{\"b\":{\"c\":{}}}}";
    ck_assert_int_eq(json_parse_object(objs, strlen(objs), 4, &obj, &err), 0);
    ck_assert_int_eq(json_parse_object(objs, strlen(objs), 3, &obj, &err), -1);
    ck_assert_str_eq(err.message, "nesting deeper than 3");
    ck_assert_uint_eq(err.offset, 15);

    /* With a limit of 1 only scalars may be members; 0 allows nothing. */
    ck_assert_int_eq(json_parse_object("{\"a\":1}", 7, 1, &obj, &err), 0);
    ck_assert_int_eq(json_parse_object("{\"a\":[]}", 8, 1, &obj, &err), -1);
    ck_assert_str_eq(err.message, "nesting deeper than 1");
    ck_assert_uint_eq(err.offset, 5);
    ck_assert_int_eq(json_parse_object("{}", 2, 0, &obj, &err), -1);
    ck_assert_str_eq(err.message, "nesting deeper than 0");
    ck_assert_uint_eq(err.offset, 0);

    /* Mixed containers are tracked per level: closing with the wrong
     * bracket deep inside is caught. */
    const char *mixed = "{\"a\":[{\"b\":[{\"c\":[1]}]}],\"d\":[{}]}";
    parse_ok(mixed, strlen(mixed), &obj);
    ck_assert_uint_eq(obj.count, 2);
    const char *wrong = "{\"a\":[{\"b\":[{\"c\":[1]}}]}]}";
    bad_case c = { wrong, 0, 21, "expected ',' or ']' after array element" };
    parse_bad(&c, DEPTH, 0);

    json_object_free(&obj);
    buf_free(&b);
}
END_TEST

START_TEST(test_deep_nesting_million)
{
    const size_t n = 1000000;
    buf b = BUF_INIT;
    json_object obj = JSON_OBJECT_INIT;
    json_error err;

    /* A million unclosed brackets with the default limit: a clean error. */
    nested_arrays(&b, n, 0);
    ck_assert_int_eq(json_parse_object(b.data, b.len, 64, &obj, &err), -1);
    ck_assert_str_eq(err.message, "nesting deeper than 64");
    ck_assert_uint_eq(err.offset, 5 + 63);

    /* Without a useful limit the walk still needs no recursion. */
    ck_assert_int_eq(json_parse_object(b.data, b.len, SIZE_MAX, &obj, &err), -1);
    ck_assert_str_eq(err.message, "unexpected end of input");
    ck_assert_uint_eq(err.offset, b.len);

    nested_arrays(&b, n, 1);
    ck_assert_int_eq(json_parse_object(b.data, b.len, SIZE_MAX, &obj, &err), 0);
    ck_assert_uint_eq(obj.count, 1);
    ck_assert_int_eq(obj.members[0].type, JSON_ARRAY);
    ck_assert_uint_eq(obj.members[0].value_start, 5);
    ck_assert_uint_eq(obj.members[0].value_len, 2 * n);
    ck_assert_int_eq(json_parse_object(b.data, b.len, n, &obj, &err), -1);
    ck_assert_str_eq(err.message, "nesting deeper than 1000000");
    ck_assert_uint_eq(err.offset, 5 + n - 1);
    ck_assert_int_eq(json_parse_object(b.data, b.len, n + 1, &obj, &err), 0);

    /* A million top-level brackets are not an object at all. */
    ck_assert_int_eq(json_parse_object(b.data + 5, n, 64, &obj, &err), -1);
    ck_assert_str_eq(err.message, "expected a JSON object");

    /* A million nested objects: {"a":{"a":...{}...}} */
    buf_clear(&b);
    /* Assertions cost a message each in Check, so loops collect failures. */
    int rc = 0;
    for (size_t i = 0; i < n; i++)
        rc |= buf_append(&b, "{\"a\":", 5);
    rc |= buf_append(&b, "{}", 2);
    for (size_t i = 0; i < n; i++)
        rc |= buf_putc(&b, '}');
    ck_assert_int_eq(rc, 0);
    ck_assert_int_eq(json_parse_object(b.data, b.len, 64, &obj, &err), -1);
    ck_assert_str_eq(err.message, "nesting deeper than 64");
    ck_assert_uint_eq(err.offset, 5 * 64);
    ck_assert_int_eq(json_parse_object(b.data, b.len, SIZE_MAX, &obj, &err), 0);
    ck_assert_uint_eq(obj.count, 1);
    ck_assert_int_eq(obj.members[0].type, JSON_OBJECT);
    ck_assert_uint_eq(obj.members[0].value_len, b.len - 6);

    json_object_free(&obj);
    buf_free(&b);
}
END_TEST

/* ---- writing ---- */

/* json_write_string(s) must produce exactly want. */
static void write_is(const char *s, size_t len, const char *want)
{
    buf out = BUF_INIT;
    ck_assert_int_eq(json_write_string(&out, s, len), 0);
    ck_assert_str_eq(out.data, want);
    ck_assert_uint_eq(out.len, strlen(want));
    buf_free(&out);
}

START_TEST(test_write_string_escapes)
{
    write_is("", 0, "\"\"");
    write_is("plain", 5, "\"plain\"");
    write_is("a\"b\\c/d", 7, "\"a\\\"b\\\\c/d\"");
    write_is("\b\f\n\r\t", 5, "\"\\b\\f\\n\\r\\t\"");
    write_is("\0\x01\x1f\x7f", 4, "\"\\u0000\\u0001\\u001f\x7f\"");
    write_is("x\xe2\x80\xa8y\xe2\x80\xa9z", 9, "\"x\\u2028y\\u2029z\"");
    /* Neighbours of U+2028/U+2029 and other UTF-8 are copied as they are. */
    write_is("\xe2\x80\xa7\xe2\x80\xaa\xc3\xa9\xf0\x9f\x98\x80", 12,
             "\"\xe2\x80\xa7\xe2\x80\xaa\xc3\xa9\xf0\x9f\x98\x80\"");

    /* Writing appends. */
    buf out = BUF_INIT;
    ck_assert_int_eq(buf_puts(&out, "{\"k\":"), 0);
    ck_assert_int_eq(json_write_string(&out, "v\n", 2), 0);
    ck_assert_int_eq(buf_putc(&out, '}'), 0);
    ck_assert_str_eq(out.data, "{\"k\":\"v\\n\"}");
    buf_free(&out);
}
END_TEST

/* splitmix64: a small PRNG so that the random tests are reproducible. */
static uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static size_t encode_utf8(uint32_t cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xc0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xe0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    out[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

/* A random code point, biased towards the characters that need escaping. */
static uint32_t random_code_point(uint64_t *state)
{
    static const uint32_t special[] = { '"', '\\', '/', 0x7f, 0x2028, 0x2029, 0 };
    uint64_t r = next_random(state);
    uint32_t v = (uint32_t)(r >> 32);
    switch (r % 8) {
    case 0: return v % 0x20;
    case 1: return special[v % (sizeof special / sizeof *special)];
    case 2:
    case 3: return 0x20 + v % 0x60;
    case 4: return 0x80 + v % (0x800 - 0x80);
    case 5: {
        uint32_t cp = 0x800 + v % (0x10000 - 0x800 - 0x800);
        return cp < 0xd800 ? cp : cp + 0x800;   /* skip the surrogates */
    }
    case 6: return 0x2000 + v % 0x40;           /* around U+2028 */
    default: return 0x10000 + v % (0x110000 - 0x10000);
    }
}

/* Writes s, checks the result is a strict JSON string without raw control
 * characters or U+2028/U+2029, and decodes it back to s. */
static void round_trip(const char *s, size_t len, buf *written, buf *decoded,
                       json_object *obj)
{
    buf_clear(written);
    buf_clear(decoded);
    ck_assert_int_eq(buf_puts(written, "{\"k\":"), 0);
    ck_assert_int_eq(json_write_string(written, s, len), 0);
    ck_assert_int_eq(buf_putc(written, '}'), 0);

    const unsigned char *u = (const unsigned char *)written->data;
    size_t controls = 0, separators = 0;
    for (size_t i = 0; i < written->len; i++) {
        controls += u[i] < 0x20;
        separators += u[i] == 0xe2 && i + 2 < written->len && u[i + 1] == 0x80
                      && (u[i + 2] == 0xa8 || u[i + 2] == 0xa9);
    }
    ck_assert_msg(controls == 0, "%zu raw control characters written", controls);
    ck_assert_msg(separators == 0, "%zu raw U+2028/U+2029 written", separators);

    json_error err = { 0, "" };
    int rc = json_parse_object(written->data, written->len, DEPTH, obj, &err);
    ck_assert_msg(rc == 0, "written string rejected at %zu: %s", err.offset, err.message);
    ck_assert_uint_eq(obj->count, 1);
    ck_assert_int_eq(obj->members[0].type, JSON_STRING);
    ck_assert_uint_eq(obj->members[0].value_len, written->len - 6);

    rc = json_string_decode(written->data + obj->members[0].value_start,
                            obj->members[0].value_len, decoded, &err);
    ck_assert_msg(rc == 0, "written string not decoded at %zu: %s", err.offset, err.message);
    ck_assert_uint_eq(decoded->len, len);
    ck_assert_msg(len == 0 || memcmp(decoded->data, s, len) == 0, "round trip changed the text");
}

START_TEST(test_write_round_trip_random)
{
    uint64_t state = 20240611;
    buf text = BUF_INIT, written = BUF_INIT, decoded = BUF_INIT;
    json_object obj = JSON_OBJECT_INIT;
    size_t saw_2028 = 0, saw_control = 0;

    for (int iter = 0; iter < 3000; iter++) {
        buf_clear(&text);
        size_t n = (size_t)(next_random(&state) % 65);
        int rc = 0;
        for (size_t i = 0; i < n; i++) {
            char enc[4];
            uint32_t cp = random_code_point(&state);
            saw_2028 += cp == 0x2028;
            saw_control += cp < 0x20;
            rc |= buf_append(&text, enc, encode_utf8(cp, enc));
        }
        ck_assert_int_eq(rc, 0);
        round_trip(text.data ? text.data : "", text.len, &written, &decoded, &obj);
    }
    /* The generator really produced the interesting cases. */
    ck_assert_uint_gt(saw_2028, 0);
    ck_assert_uint_gt(saw_control, 0);

    json_object_free(&obj);
    buf_free(&text);
    buf_free(&written);
    buf_free(&decoded);
}
END_TEST

START_TEST(test_write_round_trip_all_code_points)
{
    buf text = BUF_INIT, written = BUF_INIT, decoded = BUF_INIT;
    json_object obj = JSON_OBJECT_INIT;
    int rc = 0;
    for (uint32_t cp = 0; cp < 0x110000; cp++) {
        if (cp == 0xd800)
            cp = 0xe000;   /* surrogates are not characters */
        char enc[4];
        rc |= buf_append(&text, enc, encode_utf8(cp, enc));
    }
    ck_assert_int_eq(rc, 0);
    ck_assert_uint_eq(text.len, 0x80 + 0x780 * 2 + (0x10000 - 0x800 - 0x800) * 3 + 0x100000 * 4);
    round_trip(text.data, text.len, &written, &decoded, &obj);
    json_object_free(&obj);
    buf_free(&text);
    buf_free(&written);
    buf_free(&decoded);
}
END_TEST

/* ---- size ---- */

START_TEST(test_large_string_value)
{
    const size_t n = 50u * 1024 * 1024;
    buf b = BUF_INIT;
    ck_assert_int_eq(buf_reserve(&b, n + 32), 0);
    ck_assert_int_eq(buf_puts(&b, "{\"id\":7,\"text\":\""), 0);
    size_t start = b.len - 1;
    /* Mostly ASCII, with multi-byte characters and escapes every 1000 bytes. */
    size_t decoded_len = 0;
    while (b.len - start - 1 < n) {
        if ((b.len - start) % 1000 == 0) {
            memcpy(b.data + b.len, "\xc3\xa9\\n\\u00e9", 10);
            b.len += 10;
            decoded_len += 5;
        } else {
            b.data[b.len] = (char)('a' + b.len % 26);
            b.len++;
            decoded_len++;
        }
    }
    size_t value_len = b.len - start + 1;
    b.data[b.len++] = '"';
    b.data[b.len++] = '}';
    b.data[b.len] = '\0';

    json_object obj = JSON_OBJECT_INIT;
    parse_ok(b.data, b.len, &obj);
    ck_assert_uint_eq(obj.count, 2);
    ck_assert_int_eq(json_object_find(&obj, b.data, "text"), 1);
    ck_assert_int_eq(obj.members[1].type, JSON_STRING);
    ck_assert_uint_eq(obj.members[1].value_start, start);
    ck_assert_uint_eq(obj.members[1].value_len, value_len);
    ck_assert_uint_ge(value_len, n);

    buf out = BUF_INIT;
    ck_assert_int_eq(json_string_decode(b.data + start, value_len, &out, NULL), 0);
    ck_assert_uint_eq(out.len, decoded_len);

    /* A bad byte at the very end is still found, at the right place. */
    ck_assert(b.data[b.len - 3] >= 'a' && b.data[b.len - 3] <= 'z');
    b.data[b.len - 3] = '\x01';
    json_error err;
    ck_assert_int_eq(json_parse_object(b.data, b.len, DEPTH, &obj, &err), -1);
    ck_assert_uint_eq(err.offset, b.len - 3);
    ck_assert_str_eq(err.message, "unescaped control character in string");

    json_object_free(&obj);
    buf_free(&out);
    buf_free(&b);
}
END_TEST

static Suite *json_suite(void)
{
    Suite *s = suite_create("json");

    TCase *objects = tcase_create("objects");
    tcase_add_test(objects, test_simple_object);
    tcase_add_test(objects, test_spans_exclude_whitespace);
    tcase_add_test(objects, test_nested_values_top_level_only);
    tcase_add_test(objects, test_empty_object);
    tcase_add_test(objects, test_many_members_and_reuse);
    tcase_add_test(objects, test_duplicate_keys);
    tcase_add_test(objects, test_find_escaped_keys);
    suite_add_tcase(s, objects);

    TCase *strings = tcase_create("strings");
    tcase_add_test(strings, test_decode_every_escape);
    tcase_add_test(strings, test_decode_appends);
    tcase_add_test(strings, test_surrogate_pairs);
    tcase_add_test(strings, test_unpaired_surrogates);
    tcase_add_test(strings, test_invalid_escapes);
    tcase_add_test(strings, test_control_characters);
    tcase_add_test(strings, test_invalid_utf8);
    tcase_add_test(strings, test_valid_utf8_boundaries);
    suite_add_tcase(s, strings);

    TCase *grammar = tcase_create("grammar");
    tcase_add_test(grammar, test_numbers_valid);
    tcase_add_test(grammar, test_numbers_invalid);
    tcase_add_test(grammar, test_literals);
    tcase_add_test(grammar, test_whitespace);
    tcase_add_test(grammar, test_top_level_not_object);
    tcase_add_test(grammar, test_trailing_garbage);
    tcase_add_test(grammar, test_structural_errors);
    suite_add_tcase(s, grammar);

    TCase *writing = tcase_create("writing");
    tcase_add_test(writing, test_write_string_escapes);
    tcase_add_test(writing, test_write_round_trip_random);
    tcase_add_test(writing, test_write_round_trip_all_code_points);
    /* Generous: these also run under valgrind. */
    tcase_set_timeout(writing, 300);
    suite_add_tcase(s, writing);

    TCase *limits = tcase_create("limits");
    tcase_add_test(limits, test_depth_limit);
    tcase_add_test(limits, test_deep_nesting_million);
    tcase_add_test(limits, test_large_string_value);
    tcase_set_timeout(limits, 300);
    suite_add_tcase(s, limits);

    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(json_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
