/* test_conf.c - the reader of "[section] / key = value" files (conf.h).
 *
 * Items come out in order with their line numbers; indented lines continue
 * a value (comments among them are skipped, a blank line ends it); every
 * malformed line is an error with its file, line and column. */
#include "testutil.h"
#include "util/conf.h"
#include "lib/internal.h"

#include <string.h>

#define PATH "dir/test.conf"

/* Reads all of text; the items are written to out as one line each,
 * "LINE [kind name]" or "LINE key=<value>@COLUMN".  Returns conf_next's
 * last return value; err holds the error when it is -1. */
static int read_all(const char *text, buf *out, nertag_error *err)
{
    conf_reader r;
    conf_item it;
    int rc;
    err_clear(err);
    buf_clear(out);
    conf_open(&r, PATH, text, strlen(text));
    while ((rc = conf_next(&r, &it, err)) == 0 && it.kind != CONF_END) {
        if (it.kind == CONF_SECTION)
            ck_assert_int_eq(buf_printf(out, "%ld [%s %s]\n", it.line, it.a,
                                        it.b), 0);
        else
            ck_assert_int_eq(buf_printf(out, "%ld %s=<%s>@%ld\n", it.line,
                                        it.a, it.b, it.value_column), 0);
    }
    conf_close(&r);
    if (!out->data)
        ck_assert_int_eq(buf_reserve(out, 0), 0);
    return rc;
}

static void expect_items(const char *text, const char *want)
{
    buf out = BUF_INIT;
    nertag_error err;
    int rc = read_all(text, &out, &err);
    ck_assert_msg(rc == 0, "<%s>: error %s at line %ld", text, err.message,
                  err.line);
    ck_assert_str_eq(out.data, want);
    buf_free(&out);
}

static void expect_error(const char *text, long line, long column,
                         const char *message)
{
    buf out = BUF_INIT;
    nertag_error err;
    int rc = read_all(text, &out, &err);
    ck_assert_msg(rc == -1, "<%s>: no error", text);
    ck_assert_int_eq(err.code, NERTAG_ERR_SYNTAX);
    ck_assert_str_eq(err.file, PATH);
    ck_assert_msg(err.line == line && err.column == column,
                  "<%s>: error at %ld:%ld, want %ld:%ld", text, err.line,
                  err.column, line, column);
    ck_assert_str_eq(err.message, message);
    buf_free(&out);
}

START_TEST(empty_and_comment_only)
{
    expect_items("", "");
    expect_items("\n\n", "");
    expect_items("# only a comment\n   # indented comment\n\n", "");
    expect_items("   \n\t\n", "");
}
END_TEST

START_TEST(sections)
{
    expect_items("[tokenizer]\n[language fr]\n[rule  gov-nationality ]\n",
                 "1 [tokenizer ]\n"
                 "2 [language fr]\n"
                 "3 [rule gov-nationality]\n");
    /* the name may hold spaces; blanks at the edges go */
    expect_items("[ list  two words  ]\n", "1 [list two words]\n");
    /* trailing blanks and CR after the bracket */
    expect_items("[phases]  \r\n", "1 [phases ]\n");
}
END_TEST

START_TEST(keys_and_values)
{
    expect_items("key = value\n"
                 "k2=v2\n"
                 "k3 =   spaced value  \n"
                 "empty =\n"
                 "eq = a = b\n",
                 "1 key=<value>@7\n"
                 "2 k2=<v2>@4\n"
                 "3 k3=<spaced value>@8\n"
                 "4 empty=<>@8\n"
                 "5 eq=<a = b>@6\n");
    /* keys under sections, comments and blank lines between them */
    expect_items("# header\n"
                 "[tokenizer]\n"
                 "\n"
                 "abbreviations = M | Mme\n"
                 "# comment\n"
                 "elisions = l | d\n",
                 "2 [tokenizer ]\n"
                 "4 abbreviations=<M | Mme>@17\n"
                 "6 elisions=<l | d>@12\n");
    /* no newline at the end, and CRLF line ends */
    expect_items("a = 1\r\nb = 2", "1 a=<1>@5\n2 b=<2>@5\n");
}
END_TEST

START_TEST(continuation_lines)
{
    expect_items("words = a | b\n"
                 "    | c | d\n"
                 "\t| e\n"
                 "next = x\n",
                 "1 words=<a | b | c | d | e>@9\n"
                 "4 next=<x>@8\n");
    /* a key's value may start on the next line, without a leading blank */
    expect_items("match =\n  \"gouvernement\" <DEMONYM>\n",
                 "1 match=<\"gouvernement\" <DEMONYM>>@8\n");
    expect_items("canonical =\n    Five Eyes\n    Alliance\n",
                 "1 canonical=<Five Eyes Alliance>@12\n");
    /* continuation lines keep their inner blanks, lose their edges */
    expect_items("k = a\n   b  c   \n", "1 k=<a b  c>@5\n");
}
END_TEST

START_TEST(comments_inside_continuations)
{
    expect_items("words = a\n"
                 "    # not a word\n"
                 "    | b\n"
                 "  # another comment\n"
                 "\t# and a third\n"
                 "    | c\n"
                 "other = d\n",
                 "1 words=<a | b | c>@9\n"
                 "7 other=<d>@9\n");
    /* a comment that ends the continuation does not swallow what follows */
    expect_items("k = a\n"
                 "    | b\n"
                 "    # last comment\n"
                 "[section x]\n"
                 "j = c\n",
                 "1 k=<a | b>@5\n"
                 "4 [section x]\n"
                 "5 j=<c>@5\n");
    /* so does a comment at the end of the file */
    expect_items("k = a\n  b\n  # end\n", "1 k=<a b>@5\n");
}
END_TEST

START_TEST(blank_line_ends_a_value)
{
    expect_items("k = a\n  b\n\nj = c\n", "1 k=<a b>@5\n4 j=<c>@5\n");
    /* a line of blanks is a blank line too; the indented line after it
     * continues nothing */
    expect_error("k = a\n  b\n   \n  c\n", 4, 1,
                 "indented line continues nothing");
    expect_error("k = a\n\n\tc\n", 3, 1, "indented line continues nothing");
}
END_TEST

START_TEST(error_key_without_equals)
{
    expect_error("just some words\n", 1, 1,
                 "expected 'key = value' or '[section]'");
    expect_error("[s]\nok = 1\n\n# c\nnoequals\n", 5, 1,
                 "expected 'key = value' or '[section]'");
    /* a value's continuation does not hide the next bad line */
    expect_error("k = a\n  b\nbad\n", 3, 1,
                 "expected 'key = value' or '[section]'");
}
END_TEST

START_TEST(error_bad_keys)
{
    expect_error("= value\n", 1, 1, "missing key before '='");
    expect_error("  \n= value\n", 2, 1, "missing key before '='");
    expect_error("two words = v\n", 1, 4, "a key has no spaces");
    expect_error("[s]\nab\tcd = v\n", 2, 3, "a key has no spaces");
}
END_TEST

START_TEST(error_sections)
{
    expect_error("[rule x\n", 1, 7, "section header must end with ']'");
    expect_error("a = 1\n[tokenizer\n", 2, 10,
                 "section header must end with ']'");
    expect_error("[\n", 1, 1, "section header must end with ']'");
    expect_error("[]\n", 1, 2, "empty section header");
    expect_error("[   ]\n", 1, 2, "empty section header");
}
END_TEST

START_TEST(error_indented_first_line)
{
    expect_error("  key = value\n", 1, 1, "indented line continues nothing");
    expect_error("# comment\n\n\tkey = value\n", 3, 1,
                 "indented line continues nothing");
    /* a section has no continuation lines */
    expect_error("[tokenizer]\n  elisions = l\n", 2, 1,
                 "indented line continues nothing");
}
END_TEST

/* The items' strings stay valid until the next call; the reader may be
 * used on a text that is not NUL-terminated. */
START_TEST(text_not_nul_terminated)
{
    const char full[] = "a = 1\nb = 2\nc = 3";
    size_t len = strlen("a = 1\nb = 2");
    char *copy = malloc(len);
    ck_assert_ptr_nonnull(copy);
    memcpy(copy, full, len);
    conf_reader r;
    conf_item it;
    nertag_error err;
    conf_open(&r, PATH, copy, len);
    ck_assert_int_eq(conf_next(&r, &it, &err), 0);
    ck_assert_int_eq(it.kind, CONF_KEY);
    ck_assert_str_eq(it.a, "a");
    ck_assert_str_eq(it.b, "1");
    ck_assert_int_eq(conf_next(&r, &it, &err), 0);
    ck_assert_int_eq(it.kind, CONF_KEY);
    ck_assert_str_eq(it.a, "b");
    ck_assert_str_eq(it.b, "2");
    ck_assert_int_eq(it.line, 2);
    ck_assert_int_eq(conf_next(&r, &it, &err), 0);
    ck_assert_int_eq(it.kind, CONF_END);
    /* the end stays the end */
    ck_assert_int_eq(conf_next(&r, &it, &err), 0);
    ck_assert_int_eq(it.kind, CONF_END);
    conf_close(&r);
    free(copy);
}
END_TEST

/* A language file of the source tree reads without error, with the keys
 * language-load.c expects, continuations joined. */
START_TEST(language_file_reads)
{
    size_t len;
    char *text = test_read(DATA_DIR "/models/fr.lang", &len);
    conf_reader r;
    conf_item it;
    nertag_error err;
    buf out = BUF_INIT;
    conf_open(&r, "models/fr.lang", text, len);
    int rc;
    while ((rc = conf_next(&r, &it, &err)) == 0 && it.kind != CONF_END) {
        if (it.kind == CONF_SECTION) {
            ck_assert_int_eq(buf_printf(&out, "[%s]", it.a), 0);
            continue;
        }
        ck_assert_int_eq(buf_printf(&out, "%s ", it.a), 0);
        /* no newline, no blank at either end, no doubled separator */
        ck_assert_ptr_null(strchr(it.b, '\n'));
        ck_assert_int_ne(it.b[0], ' ');
        ck_assert_int_ne(it.b[strlen(it.b) - 1], ' ');
        ck_assert_ptr_null(strstr(it.b, "| |"));
        if (!strcmp(it.a, "abbreviations")) {
            ck_assert_int_eq(strncmp(it.b, "M | MM | Mme", 12), 0);
            ck_assert_ptr_nonnull(strstr(it.b, "| Gén | Cdt |"));
        }
    }
    ck_assert_msg(rc == 0, "fr.lang:%ld: %s", err.line, err.message);
    ck_assert_str_eq(out.data, "[language]code name stemmer function-words "
                               "common-words abbreviations elisions "
                               "letters ");
    conf_close(&r);
    buf_free(&out);
    free(text);
}
END_TEST

static Suite *conf_suite(void)
{
    Suite *s = suite_create("conf");
    TCase *tc = tcase_create("items");
    tcase_add_test(tc, empty_and_comment_only);
    tcase_add_test(tc, sections);
    tcase_add_test(tc, keys_and_values);
    tcase_add_test(tc, continuation_lines);
    tcase_add_test(tc, comments_inside_continuations);
    tcase_add_test(tc, blank_line_ends_a_value);
    tcase_add_test(tc, text_not_nul_terminated);
    tcase_add_test(tc, language_file_reads);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_add_test(tc, error_key_without_equals);
    tcase_add_test(tc, error_bad_keys);
    tcase_add_test(tc, error_sections);
    tcase_add_test(tc, error_indented_first_line);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return test_run(conf_suite());
}
