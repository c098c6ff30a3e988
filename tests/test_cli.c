/* test_cli.c - the contract of the nertag command, run as a program.
 *
 * Every test writes fixed inputs to temporary files, runs the freshly built
 * src/nertag on them through the shell and checks its exit status, standard
 * output and standard error.  Set NERTAG_WRAPPER to run the command under
 * a checker, e.g. NERTAG_WRAPPER="valgrind -q --error-exitcode=99". */
#include "testutil.h"
#include "util/json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Writes text to NAME in the test's folder; returns its path. */
static const char *file(const char *name, const char *text)
{
    return test_cli_file(name, text, strlen(text));
}

static size_t lines(const char *s)
{
    return test_count(s, "\n");
}

static const char seed_fr[] = ABS_TOP_SRCDIR "/examples/seed-fr.txt";
static const char seed_en[] = ABS_TOP_SRCDIR "/examples/seed-en.txt";

/* ------------------------------------------------------------ exit status */

START_TEST(success_is_0)
{
    test_cli_run r = test_cli(seed_fr);
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.err, "");
    ck_assert_uint_eq(lines(r.out), 1);
    assert_has(r.out, "\"lang\":\"fr\"");
    test_cli_free(&r);
}
END_TEST

static const char *const usage_errors[] = {
    "--no-such-option", "--output pdf", "--input xml", "--lang xx",
    "--jobs x", "--jobs -1", "--token-column 0", "--scheme bio",
    "--color=sometimes", "--brat-dir out", "--data /nonexistent",
    "--on-error=ignore", "--on-error",
};

START_TEST(usage_error_is_2)
{
    test_cli_run r = test_cli(usage_errors[_i]);
    ck_assert_msg(r.status == 2, "%s: status %d", usage_errors[_i],
                  r.status);
    assert_has(r.err, "nertag: ");
    ck_assert_str_eq(r.out, "");
    test_cli_free(&r);
}
END_TEST

START_TEST(invalid_utf8_is_1_with_offset_and_goes_on)
{
    const char *bad = test_cli_file("bad.txt", "Paris \xff la France", 17);
    char args[600];
    snprintf(args, sizeof args, "-o text %s missing.txt %s", bad, seed_en);
    test_cli_run r = test_cli(args);
    ck_assert_int_eq(r.status, 1);
    assert_has(r.err, "bad.txt: byte 6: invalid UTF-8");
    assert_has(r.err, "missing.txt: No such file");
    /* the next input is tagged all the same */
    assert_has(r.out, "[Mao Ning]{SPOKESPERSON");
    assert_lacks(r.out, "Paris");
    test_cli_free(&r);
}
END_TEST

START_TEST(nul_bytes_rejected_unless_replaced)
{
    test_cli_file("nul.txt", "\0\0\0\0", 4);
    test_cli_run r = test_cli("nul.txt");
    ck_assert_int_eq(r.status, 1);
    assert_has(r.err, "nul.txt: byte 0: NUL byte");
    ck_assert_str_eq(r.out, "");
    test_cli_free(&r);
    r = test_cli("--replace-invalid -o text nul.txt");
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.out, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"
                            "\xEF\xBF\xBD\n");
    ck_assert_str_eq(r.err, "");
    test_cli_free(&r);
}
END_TEST

START_TEST(replace_invalid_keeps_offsets)
{
    /* the bad byte becomes U+FFFD (3 bytes), and the offsets after it
     * refer to the repaired text that the output shows */
    test_cli_file("bad.txt", "\xff Le porte-parole Mao Ning a dit.", 34);
    test_cli_run r = test_cli("--replace-invalid bad.txt");
    ck_assert_int_eq(r.status, 0);
    assert_has(r.out, "\"start\":18,\"end\":26,\"bstart\":20,\"bend\":28,"
                      "\"text\":\"Mao Ning\"");
    test_cli_free(&r);
    r = test_cli("--replace-invalid -o text bad.txt");
    assert_has(r.out, "\xEF\xBF\xBD Le porte-parole [Mao Ning]");
    test_cli_free(&r);
}
END_TEST

START_TEST(empty_file)
{
    file("empty.txt", "");
    test_cli_run r = test_cli("empty.txt");
    ck_assert_int_eq(r.status, 0);
    assert_has(r.out, "{\"id\":\"empty.txt\",\"lang\":\"");
    assert_has(r.out, "\"entities\":[]}\n");
    test_cli_free(&r);
    r = test_cli("-o text empty.txt");
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.out, "");
    test_cli_free(&r);
}
END_TEST

/* ------------------------------------------------------------ JSONL */

/* The top-level members of a JSON line, as "key=value" in order. */
static void members(const char *line, size_t len, buf *out)
{
    json_object o = JSON_OBJECT_INIT;
    ck_assert_int_eq(json_parse_object(line, len, 64, &o, NULL), 0);
    buf_clear(out);
    for (size_t i = 0; i < o.count; i++)
        buf_printf(out, "%.*s;", (int)o.members[i].key_len - 2,
                   line + o.members[i].key_start + 1);
    json_object_free(&o);
}

START_TEST(jsonl_keeps_members_in_order)
{
    file("in.jsonl",
         "{\"z\":1,\"text\":\"Le porte-parole Mao Ning a dit.\",\"a\":[1,{\"b\":2}],"
         "\"entities\":\"old\",\"id\":\"x\"}\n"
         "\n"
         "{\"lang\":\"fr\",\"text\":\"The Chinese government said.\"}\n");
    test_cli_run r = test_cli("-i jsonl in.jsonl");
    ck_assert_int_eq(r.status, 0);
    ck_assert_uint_eq(lines(r.out), 2);
    char *second = strchr(r.out, '\n') + 1;
    buf m = BUF_INIT;
    members(r.out, (size_t)(second - r.out), &m);
    ck_assert_str_eq(m.data, "z;text;a;id;lang;entities;");
    assert_has(r.out, "{\"z\":1,\"text\":\"Le porte-parole Mao Ning a dit.\","
                      "\"a\":[1,{\"b\":2}],\"id\":\"x\",\"lang\":\"fr\","
                      "\"entities\":[{");
    assert_lacks(r.out, "old");
    /* an input "lang" is kept where it was, once */
    members(second, strlen(second), &m);
    ck_assert_str_eq(m.data, "lang;text;entities;");
    ck_assert_uint_eq(test_count(second, "\"lang\""), 1);
    buf_free(&m);
    test_cli_free(&r);
}
END_TEST

START_TEST(jsonl_lang_is_used)
{
    file("in.jsonl", "{\"lang\":\"xx\",\"text\":\"Berlin\"}\n"
                     "{\"lang\":\"en\",\"text\":\"Le Canada\"}\n");
    test_cli_run r = test_cli("-i jsonl in.jsonl");
    ck_assert_int_eq(r.status, 1);
    assert_has(r.err, "in.jsonl:1: unknown language 'xx'");
    assert_has(r.out, "{\"lang\":\"en\",\"text\":\"Le Canada\",\"entities\"");
    test_cli_free(&r);
}
END_TEST

START_TEST(jsonl_rejected_lines_have_their_place)
{
    file("in.jsonl", "{\"text\":\"Canada\"}\n"
                     "{\"text\": \"Canada\",}\n"
                     "{\"id\":\"no-text\"}\n"
                     "{\"text\":42}\n"
                     "{\"text\":\"a\\u0000b\"}\n"
                     "{\"text\":\"Le Canada\",\"id\":\"last\"}\n");
    test_cli_run r = test_cli("-i jsonl in.jsonl");
    ck_assert_int_eq(r.status, 1);
    assert_has(r.err, "in.jsonl:2: byte 18: ");
    assert_has(r.err, "in.jsonl:3: no \"text\" member");
    assert_has(r.err, "in.jsonl:4: byte 8: \"text\" must be a string");
    assert_has(r.err, "in.jsonl:5: byte 1 of \"text\": NUL byte");
    ck_assert_uint_eq(lines(r.err), 4);
    /* the others are tagged, in order */
    ck_assert_uint_eq(lines(r.out), 2);
    ck_assert_ptr_nonnull(strstr(strstr(r.out, "\"Canada\""), "\"last\""));
    test_cli_free(&r);
    /* NUL from an escape is repaired like a raw byte, and the text member
     * then shows the text the offsets refer to */
    r = test_cli("-i jsonl --replace-invalid in.jsonl");
    assert_has(r.out, "{\"text\":\"a\xEF\xBF\xBD" "b\",\"lang\"");
    test_cli_free(&r);
}
END_TEST

/* Every entity of a JSON line has the documented members. */
START_TEST(entity_members)
{
    test_cli_run r = test_cli(seed_fr);
    const char *line = r.out;
    json_object doc = JSON_OBJECT_INIT, ent = JSON_OBJECT_INIT;
    ck_assert_int_eq(json_parse_object(line, strlen(line), 64, &doc, NULL),
                     0);
    long k = json_object_find(&doc, line, "entities");
    ck_assert_int_ge(k, 0);
    const char *p = line + doc.members[k].value_start + 1;
    size_t n = 0, spokes = 0;
    static const char *const keys[] = { "start", "end", "bstart", "bend",
        "text", "type", "canonical", "id", "source" };
    while (*p == '{') {
        /* entities hold no nested objects: the next '}' ends this one */
        const char *e = strchr(p, '}');
        ck_assert_int_eq(json_parse_object(p, (size_t)(e + 1 - p), 4, &ent,
                                           NULL), 0);
        for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
            ck_assert_msg(json_object_find(&ent, p, keys[i]) >= 0,
                          "entity %zu has no %s", n, keys[i]);
        int is_spokes = !strncmp(p + ent.members[5].value_start,
                                 "\"SPOKESPERSON\"", 14);
        ck_assert_int_eq(json_object_find(&ent, p, "for") >= 0, is_spokes);
        spokes += (size_t)is_spokes;
        n++;
        p = e + 1;
        if (*p == ',')
            p++;
    }
    ck_assert_uint_eq(n, 26);
    ck_assert_uint_eq(spokes, 2);
    json_object_free(&doc);
    json_object_free(&ent);
    test_cli_free(&r);
}
END_TEST

/* ------------------------------------------------------------ CoNLL */

static const char conll_in[] =
    "-DOCSTART- -X- O\n"
    "\n"
    "1\tLe\tDET\n"
    "2\tgouvernement\tNOUN\n"
    "3\tchinois\tADJ\n"
    "4\n"
    "5\ta\tAUX\n"
    "\n"
    "1\tles\tDET\n"
    "2\tÉtats-Unis\tPROPN\n"
    "3\tl'OTAN\tPROPN\n"
    "\n"
    "-DOCSTART- -X- O\n"
    "1\tMicrosoft\tPROPN\n"
    "2\tCorp\tPROPN\n";

START_TEST(conll_repeats_every_line)
{
    file("in.conll", conll_in);
    test_cli_run r = test_cli("-i conll -c 2 -o conll in.conll");
    ck_assert_int_eq(r.status, 1);
    ck_assert_str_eq(r.err, "nertag: in.conll:6: no token in column 2\n");
    ck_assert_str_eq(r.out,
        "-DOCSTART- -X- O O\n"
        "\n"
        "1\tLe\tDET\tO\n"
        "2\tgouvernement\tNOUN\tB-STATE\n"
        "3\tchinois\tADJ\tI-STATE\n"
        "4\tO\n"
        "5\ta\tAUX\tO\n"
        "\n"
        "1\tles\tDET\tO\n"
        "2\tÉtats-Unis\tPROPN\tB-STATE\n"
        /* a token is never split, so l'OTAN stays whole and untagged */
        "3\tl'OTAN\tPROPN\tO\n"
        "\n"
        "-DOCSTART- -X- O O\n"
        "1\tMicrosoft\tPROPN\tB-ORG\n"
        "2\tCorp\tPROPN\tI-ORG\n");
    test_cli_free(&r);
}
END_TEST

START_TEST(conll_bioes)
{
    file("in.conll", "Le\nministère\nchinois\ndes\naffaires\nétrangères\n"
                     "et\nle\nCanada\n\nMicrosoft\nCorp\n");
    test_cli_run r = test_cli("-i conll -o conll --scheme bioes in.conll");
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.out, "Le O\nministère B-ORG\nchinois I-ORG\ndes I-ORG\n"
                            "affaires I-ORG\nétrangères E-ORG\net O\nle O\n"
                            "Canada S-STATE\n\nMicrosoft B-ORG\nCorp E-ORG\n");
    test_cli_free(&r);
    /* text in, CoNLL out: one token a line, a blank line after each
     * document */
    file("in.txt", "Le Canada.");
    r = test_cli("-o conll --scheme bioes in.txt");
    ck_assert_str_eq(r.out, "Le\tO\nCanada\tS-STATE\n.\tO\n\n");
    test_cli_free(&r);
}
END_TEST

/* A name is never tagged across a sentence boundary, not even by the
 * document alias that repeats an earlier full name. */
START_TEST(conll_mentions_stay_in_their_sentence)
{
    file("in.conll", "-DOCSTART-\n\nMao\nNing\nspoke\n\nMao\n\nNing\n"
         "said\n");
    test_cli_run r = test_cli("-i conll -o conll in.conll");
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.out, "-DOCSTART- O\n\n"
                            "Mao B-PERSON\nNing I-PERSON\nspoke O\n\n"
                            "Mao B-PERSON\n\nNing B-PERSON\nsaid O\n");
    test_cli_free(&r);
}
END_TEST

/* Without any -DOCSTART- line each sentence is a document of its own:
 * the full name of the first does not name anyone in the others. */
START_TEST(conll_without_docstart_sentence_documents)
{
    file("in.conll", "\nMao\nNing\nspoke\n\n\nMao\n\nNing\nsaid\n\n\n");
    test_cli_run r = test_cli("-i conll -o conll in.conll");
    ck_assert_int_eq(r.status, 0);
    /* every line again, the blank ones too */
    ck_assert_str_eq(r.out, "\nMao B-PERSON\nNing I-PERSON\nspoke O\n\n"
                            "\nMao O\n\nNing O\nsaid O\n\n\n");
    test_cli_free(&r);
    r = test_cli("-i conll in.conll");
    ck_assert_int_eq(r.status, 0);
    ck_assert_uint_eq(lines(r.out), 3);
    assert_has(r.out, "{\"id\":\"in.conll:1\",\"text\":\"Mao Ning spoke\"");
    assert_has(r.out, "{\"id\":\"in.conll:6\",\"text\":\"Mao\"");
    assert_has(r.out, "{\"id\":\"in.conll:9\",\"text\":\"Ning said\"");
    test_cli_free(&r);
    /* a -DOCSTART- line later cuts documents from there on */
    file("in.conll", "Mao\nNing\n\n-DOCSTART-\n\nA\n\nB\n\n");
    r = test_cli("-i conll in.conll");
    ck_assert_uint_eq(lines(r.out), 2);
    assert_has(r.out, "\"text\":\"A\\nB\"");
    test_cli_free(&r);
}
END_TEST

START_TEST(conll_invalid_utf8)
{
    test_cli_file("in.conll", "a Le\nb Ca\xffnada\nc chinois\n", 25);
    test_cli_run r = test_cli("-i conll -c 2 -o conll in.conll");
    ck_assert_int_eq(r.status, 1);
    ck_assert_str_eq(r.err, "nertag: in.conll:2: byte 4: invalid UTF-8\n");
    ck_assert_uint_eq(lines(r.out), 3);
    test_cli_free(&r);
    r = test_cli("-i conll -c 2 -o conll --replace-invalid in.conll");
    ck_assert_int_eq(r.status, 0);
    assert_has(r.out, "b Ca\xEF\xBF\xBDnada O\n");
    test_cli_free(&r);
}
END_TEST

/* ------------------------------------------------------------ text */

START_TEST(text_inline_marks)
{
    test_cli_run r = test_cli("-o text " ABS_TOP_SRCDIR
                              "/examples/seed-fr.txt");
    ck_assert_int_eq(r.status, 0);
    assert_has(r.out, "Le [gouvernement chinois]{STATE China} a rejeté");
    assert_has(r.out, "[Mao Ning]{SPOKESPERSON for=Ministry of Foreign "
                      "Affairs (China)}");
    assert_has(r.out, "M. [Mao]{SPOKESPERSON Mao Ning for=Ministry of "
                      "Foreign Affairs (China)}");
    assert_has(r.out, "\"[Five Eyes]{GROUP}\"");
    test_cli_free(&r);
}
END_TEST

START_TEST(color_only_when_asked_or_terminal)
{
    test_cli_run r = test_cli("-o text " ABS_TOP_SRCDIR
                              "/examples/seed-en.txt");
    assert_lacks(r.out, "\033[");
    test_cli_free(&r);
    r = test_cli("-o text --color=always " ABS_TOP_SRCDIR
               "/examples/seed-en.txt");
    assert_has(r.out, "\033[1;34m[Chinese government]{STATE China}\033[0m");
    test_cli_free(&r);
    r = test_cli("-o text --color=never " ABS_TOP_SRCDIR
                 "/examples/seed-en.txt");
    assert_lacks(r.out, "\033[");
    test_cli_free(&r);
}
END_TEST

/* ------------------------------------------------------------ explain */

/* A data folder with the real gazetteers and rules, plus rules that
 * change what earlier phases made. */
static void data_with_changes(void)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd,
             "mkdir -p '%s/data/models' && "
             "ln -s '" ABS_TOP_SRCDIR "/gazetteers' '%s/data/gazetteers' && "
             "cp '" ABS_TOP_SRCDIR "'/models/* '%s/data/models/'",
             test_cli_dir(), test_cli_dir(), test_cli_dir());
    ck_assert_int_eq(system(cmd), 0);
    file("data/models/zz-changes.rules",
         "# Rules that change what earlier phases made.\n"
         "\n"
         "[rule place-near]\n"
         "phase = aliases\n"
         "match = city:<LOC>\n"
         "before = \"près\" \"de\"\n"
         "retype = STATE city\n"
         "\n"
         "[rule imaginary-state]\n"
         "phase = aliases\n"
         "match = state:<STATE>\n"
         "after = \"Imaginaire\"\n"
         "remove = state\n");
}

START_TEST(explain_text)
{
    data_with_changes();
    file("in.txt", "Il a voyagé près de Pékin. La France Imaginaire existe.\n");
    test_cli_run r = test_cli("--data data --explain -o text in.txt");
    ck_assert_int_eq(r.status, 0);
    const char *want[] = {
        "Il a voyagé près de [Pékin]{STATE Beijing}. La France Imaginaire "
        "existe.\n"
        "# explain in.txt: 1 mention\n"
        "#   20-25 STATE 'Pékin' -> Beijing [city:beijing]\n"
        "#       rule place-near (models/zz-changes.rules:3)\n"
        "#       gazetteer gazetteers/places.tsv:",
        "\n# trace: what each rule did, in order\n"
        "#   retyped LOC 'Pékin' (Beijing -> STATE) by rule place-near "
        "(models/zz-changes.rules:3)\n"
        "#   removed STATE 'France' (France) by rule imaginary-state "
        "(models/zz-changes.rules:9)\n"
    };
    /* the same, but for the line of the gazetteer, which may move */
    ck_assert_int_eq(strncmp(r.out, want[0], strlen(want[0])), 0);
    const char *tail = r.out + strlen(r.out) - strlen(want[1]);
    ck_assert_str_eq(tail, want[1]);
    test_cli_free(&r);
}
END_TEST

START_TEST(explain_jsonl)
{
    data_with_changes();
    file("in.jsonl", "{\"text\":\"La France Imaginaire, près de Pékin.\","
                     "\"trace\":\"old\"}\n");
    test_cli_run r = test_cli("--data data --explain -i jsonl in.jsonl");
    ck_assert_int_eq(r.status, 0);
    assert_has(r.out, "\"source\":\"rule place-near "
                      "(models/zz-changes.rules:3); gazetteer "
                      "gazetteers/places.tsv:");
    assert_has(r.out, ",\"trace\":[\"removed STATE 'France' (France) by rule "
                      "imaginary-state (models/zz-changes.rules:9)\","
                      "\"retyped LOC 'Pékin' (Beijing -> STATE) by rule "
                      "place-near (models/zz-changes.rules:3)\"]}\n");
    assert_lacks(r.out, "old");
    test_cli_free(&r);
    /* without --explain, no trace */
    r = test_cli("--data data " ABS_TOP_SRCDIR "/examples/seed-fr.txt");
    assert_lacks(r.out, "\"trace\"");
    test_cli_free(&r);
}
END_TEST

START_TEST(explain_seed)
{
    test_cli_run r = test_cli("--explain -o text " ABS_TOP_SRCDIR
                              "/examples/seed-fr.txt");
    ck_assert_int_eq(r.status, 0);
    assert_has(r.out, "# explain ");
    assert_has(r.out, "seed-fr.txt: 26 mentions\n");
    assert_has(r.out, "#   317-325 SPOKESPERSON 'Mao Ning' -> Mao Ning "
                      "[person:mao-ning] for Ministry of Foreign Affairs "
                      "(China)\n#       rule porte-parole-avant "
                      "(models/fr.rules:");
    assert_has(r.out, "#       gazetteer gazetteers/people.tsv:");
    assert_has(r.out, "#   made STATE 'Pékin' (China) by rule "
                      "capitale-pour-le-compte (models/fr.rules:");
    test_cli_free(&r);
}
END_TEST

/* ------------------------------------------------------------ brat, XML */

START_TEST(brat_stdout_counts_code_points)
{
    file("doc.txt", "Les États-Unis, « Pékin » et le Canada.");
    test_cli_run r = test_cli("-o brat doc.txt");
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.out,
        "# doc\n"
        "T1\tSTATE 4 14\tÉtats-Unis\n"
        "#1\tAnnotatorNotes T1\tUnited States; id=US\n"
        "T2\tLOC 18 23\tPékin\n"
        "#2\tAnnotatorNotes T2\tBeijing; id=city:beijing\n"
        "T3\tSTATE 32 38\tCanada\n"
        "#3\tAnnotatorNotes T3\tCanada; id=CA\n");
    test_cli_free(&r);
}
END_TEST

START_TEST(brat_dir_writes_pairs)
{
    file("in.jsonl", "{\"id\":\"a/b\",\"text\":\"Le Canada\"}\n"
                     "{\"id\":\"a/b\",\"text\":\"Le porte-parole Mao Ning a "
                     "dit.\"}\n");
    test_cli_run r = test_cli("-i jsonl -o brat --brat-dir ann in.jsonl");
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.out, "");
    test_cli_free(&r);
    char path[400];
    snprintf(path, sizeof path, "%s/ann/a_b.txt", test_cli_dir());
    char *s = test_read(path, NULL);
    ck_assert_str_eq(s, "Le Canada");
    free(s);
    snprintf(path, sizeof path, "%s/ann/a_b.ann", test_cli_dir());
    s = test_read(path, NULL);
    ck_assert_str_eq(s, "T1\tSTATE 3 9\tCanada\n"
                        "#1\tAnnotatorNotes T1\tCanada; id=CA\n");
    free(s);
    /* the same id again gets a name of its own */
    snprintf(path, sizeof path, "%s/ann/a_b-2.ann", test_cli_dir());
    s = test_read(path, NULL);
    ck_assert_str_eq(s, "T1\tSPOKESPERSON 16 24\tMao Ning\n"
                        "#1\tAnnotatorNotes T1\tMao Ning; "
                        "id=person:mao-ning; "
                        "for=Ministry of Foreign Affairs (China)\n");
    free(s);
    /* the types, for brat to show them */
    snprintf(path, sizeof path, "%s/ann/annotation.conf", test_cli_dir());
    s = test_read(path, NULL);
    assert_has(s, "[entities]\nSTATE\nORG\nGROUP\nSPOKESPERSON\nPERSON\n"
                  "LOC\n\n[relations]\n\n[events]\n\n[attributes]\n");
    free(s);
}
END_TEST

/* Text to CoNLL: a blank line between sentences, and after the last. */
START_TEST(conll_from_text_sentences)
{
    file("in.txt", "Le Canada a signé. La France aussi.\n\nFin");
    test_cli_run r = test_cli("-o conll in.txt");
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.out, "Le\tO\nCanada\tB-STATE\na\tO\nsigné\tO\n.\tO\n"
                            "\nLa\tO\nFrance\tB-STATE\naussi\tO\n.\tO\n"
                            "\nFin\tO\n\n");
    test_cli_free(&r);
    file("in.jsonl", "{\"text\":\"Un. Deux.\"}\n{\"text\":\"\"}\n"
                     "{\"text\":\"Trois.\"}\n");
    r = test_cli("-i jsonl -o conll in.jsonl");
    ck_assert_str_eq(r.out, "Un\tO\n.\tO\n\nDeux\tO\n.\tO\n\n\n"
                            "Trois\tO\n.\tO\n\n");
    test_cli_free(&r);
}
END_TEST

START_TEST(brat_line_break_inside_a_mention)
{
    file("doc.txt", "Une filiale de Dell\nTechnologies a dit.");
    test_cli_run r = test_cli("-o brat doc.txt");
    ck_assert_int_eq(r.status, 0);
    assert_has(r.out, "T1\tORG 15 19;20 32\tDell Technologies\n");
    test_cli_free(&r);
}
END_TEST

/* The source of a later mention quotes the full name, tab included: the
 * note keeps its three columns. */
START_TEST(brat_explain_source_with_a_tab)
{
    file("doc.txt", "Le porte-parole Jean\tDurand a dit. Plus tard, Durand "
                    "a ajout\xC3\xA9.");
    test_cli_run r = test_cli("-o brat --explain doc.txt");
    ck_assert_int_eq(r.status, 0);
    assert_has(r.out, "#2\tAnnotatorNotes T2\tJean Durand; "
                      "source=document alias of 'Jean Durand'\n");
    assert_lacks(r.out, "Jean\tDurand");
    test_cli_free(&r);
}
END_TEST

/* One XML document for the whole run: the documents in one root. */
#define XML_HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<documents>\n"
#define XML_TAIL "</documents>\n"

START_TEST(xml_escapes)
{
    file("in.jsonl",
         "{\"id\":\"<\\\"q\\\"&'>\",\"text\":\"R&D <b> \\\"Microsoft Corp\\\" "
         "à Pékin, \\u0001 et le porte-parole Mao Ning.\"}\n");
    test_cli_run r = test_cli("-i jsonl -o xml in.jsonl");
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.out, XML_HEAD
        "<document id=\"&lt;&quot;q&quot;&amp;'&gt;\" lang=\"fr\">"
        "R&amp;D &lt;b&gt; \"<entity type=\"ORG\" canonical=\"Microsoft\" "
        "id=\"org:microsoft\">Microsoft Corp</entity>\" à <entity "
        "type=\"LOC\" canonical=\"Beijing\" id=\"city:beijing\">Pékin"
        "</entity>, \xEF\xBF\xBD et le porte-parole <entity "
        "type=\"SPOKESPERSON\" canonical=\"Mao Ning\" id=\"person:mao-ning\" "
        "for=\"Ministry of Foreign Affairs (China)\">Mao Ning</entity>."
                     "</document>\n" XML_TAIL);
    test_cli_free(&r);
}
END_TEST

START_TEST(xml_one_root_for_all_documents)
{
    file("a.txt", "Le Canada");
    file("b.txt", "The Canadian government & the U.S.");
    test_cli_run r = test_cli("-o xml a.txt b.txt");
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.out, XML_HEAD
        "<document id=\"a.txt\" lang=\"fr\">Le <entity type=\"STATE\" "
        "canonical=\"Canada\" id=\"CA\">Canada</entity></document>\n"
        "<document id=\"b.txt\" lang=\"en\">The <entity type=\"STATE\" "
        "canonical=\"Canada\" id=\"CA\">Canadian government</entity> &amp; "
        "the <entity type=\"STATE\" canonical=\"United States\" id=\"US\">"
        "U.S.</entity></document>\n" XML_TAIL);
    test_cli_free(&r);
    /* and a well-formed file when parsed, if python3 is there (an error
     * record among the documents, too) */
    file("in.jsonl", "{\"id\":\"a&b\",\"text\":\"Le Canada <x>\"}\n"
                     "{\"id\":\"bad\"}\n"
                     "{\"id\":\"c\",\"text\":\"Mao Ning a parlé.\"}\n");
    if (system("python3 -c '' 2>/dev/null") != 0)
        return;
    r = test_cli("-i jsonl -o xml --on-error=emit in.jsonl > out.xml; "
                 "python3 -c 'import sys, xml.etree.ElementTree as E; "
                 "r = E.parse(sys.argv[1]).getroot(); "
                 "print(r.tag, len(r), [c.tag for c in r], "
                 "[c.get(\"id\") for c in r], r[1].get(\"line\"), "
                 "len(r.findall(\".//entity\")))' out.xml");
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.out, "documents 3 ['document', 'error', 'document'] "
                            "['a&b', 'bad', 'c'] 2 2\n");
    test_cli_free(&r);
}
END_TEST

/* HTML: the type of each mention is drawn beside it, in its colour, from
 * its data-type (tests/test_html.sh looks at it in a browser). */
START_TEST(html_type_labels)
{
    file("in.txt", "Mao Ning, porte-parole du ministère chinois des affaires "
                   "étrangères, a parlé du Canada.");
    test_cli_run r = test_cli("-o html in.txt");
    ck_assert_int_eq(r.status, 0);
    assert_has(r.out, "mark.m::after { content: attr(data-type);");
    assert_has(r.out, "mark.t-SPOKESPERSON::after {\n"
                      "  background: var(--SPOKESPERSON); }");
    assert_has(r.out, "data-type=\"SPOKESPERSON\"");
    assert_has(r.out, "data-type=\"STATE\" data-canonical=\"Canada\"");
    /* and the text of a mark is the mention's alone */
    assert_has(r.out, ">Canada</mark>");
    assert_has(r.out, "1 document, 3 mentions");
    test_cli_free(&r);
}
END_TEST

/* Counts agree with their nouns: "1 rule", "1 failing example". */
START_TEST(lint_plurals)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s/d/gazetteers' '%s/d/models' && "
             "cp '" ABS_TOP_SRCDIR "'/models/*.lang '%s/d/models/'",
             test_cli_dir(), test_cli_dir(), test_cli_dir());
    ck_assert_int_eq(system(cmd), 0);
    file("d/gazetteers/test.tsv", "id\tlabel\tcanonical\taliases\tattributes\n"
                                  "org:acme\tORG\tAcme\tAcme\t\n");
    file("d/models/test.rules", "[phases]\norder = one\n\n[rule acme]\n"
                                "phase = one\nmatch = o:<ORG>\n"
                                "before = \"la\"\nretype = GROUP o\n"
                                "example = la [Acme|ORG] a dit\n");
    test_cli_run r = test_cli("lint --data d");
    ck_assert_int_eq(r.status, 1);
    ck_assert_str_eq(r.out, "1 gazetteer entry, 1 alias, 1 rule in 1 phase, "
                            "1 example\n0 lint problems, 1 failing example\n");
    test_cli_free(&r);
    /* and the explain report's count */
    file("in.txt", "Le Canada.");
    r = test_cli("--explain -o text in.txt");
    assert_has(r.out, "# explain in.txt: 1 mention\n");
    test_cli_free(&r);
}
END_TEST

/* ------------------------------------------------------------ --on-error */

static const char bad_lines[] =
    "{\"id\":\"a\",\"text\":\"Le Canada.\"}\n"
    "{\"id\":\"b\",\"txt\":\"no text\"}\n"
    "\n"
    "{\"id\":\"c\",\"text\":\"x\\u0000y\"}\n"
    "not JSON\n"
    "{\"id\":\"d\",\"text\":\"Le Mexique.\"}\n";

START_TEST(on_error_skip_is_the_default)
{
    file("in.jsonl", bad_lines);
    test_cli_run a = test_cli("-i jsonl in.jsonl");
    test_cli_run b = test_cli("-i jsonl --on-error=skip in.jsonl");
    ck_assert_int_eq(a.status, 1);
    ck_assert_str_eq(a.out, b.out);
    ck_assert_str_eq(a.err, b.err);
    ck_assert_uint_eq(lines(a.out), 2);
    ck_assert_uint_eq(lines(a.err), 3);
    test_cli_free(&a);
    test_cli_free(&b);
}
END_TEST

/* emit: every input line that is not blank has one output line, in order,
 * a rejected one with its id, line number, message and offset. */
START_TEST(on_error_emit_keeps_every_line)
{
    file("in.jsonl", bad_lines);
    for (int jobs = 1; jobs <= 2; jobs++) {
        char cmd[100];
        snprintf(cmd, sizeof cmd, "-i jsonl --on-error=emit -j %d in.jsonl",
                 jobs);
        test_cli_run r = test_cli(cmd);
        ck_assert_int_eq(r.status, 1);
        ck_assert_uint_eq(lines(r.out), 5);
        ck_assert_uint_eq(lines(r.err), 3);
        char *l2 = strchr(r.out, '\n') + 1, *l3 = strchr(l2, '\n') + 1;
        char *l4 = strchr(l3, '\n') + 1, *l5 = strchr(l4, '\n') + 1;
        ck_assert_int_eq(strncmp(r.out, "{\"id\":\"a\",\"text\"", 16), 0);
        ck_assert_int_eq(strncmp(l2, "{\"id\":\"b\",\"line\":2,\"error\":"
                                 "{\"message\":\"no \\\"text\\\" member\"}}\n",
                                 l3 - l2), 0);
        ck_assert_int_eq(strncmp(l3, "{\"id\":\"c\",\"line\":4,\"error\":"
                                 "{\"message\":\"NUL byte in text\","
                                 "\"text_offset\":1}}\n", l4 - l3), 0);
        ck_assert_int_eq(strncmp(l4, "{\"line\":5,\"error\":{\"message\":"
                                 "\"expected a JSON object\",\"offset\":0}}\n",
                                 l5 - l4), 0);
        ck_assert_int_eq(strncmp(l5, "{\"id\":\"d\",\"text\"", 16), 0);
        /* each one valid JSON */
        for (char *l = r.out; *l; l = strchr(l, '\n') + 1) {
            json_object o = { 0 };
            json_error e;
            ck_assert_int_eq(json_parse_object(l, strcspn(l, "\n"), 64, &o,
                                               &e), 0);
            json_object_free(&o);
        }
        test_cli_free(&r);
    }
    /* the other formats: a comment line, an HTML article */
    test_cli_run r = test_cli("-i jsonl --on-error=emit -o conll in.jsonl");
    assert_has(r.out, "Canada\tB-STATE\n.\tO\n\n"
                      "# error: in.jsonl:2: no \"text\" member\n\n"
                      "# error: in.jsonl:4: NUL byte in text (byte 1 of "
                      "\"text\")\n\n"
                      "# error: in.jsonl:5: expected a JSON object (byte 0)\n"
                      "\nLe\tO\n");
    test_cli_free(&r);
    r = test_cli("-i jsonl --on-error=emit -o html in.jsonl");
    assert_has(r.out, "<article class=\"doc error\"><h2>b (line 2)</h2>\n"
                      "<p class=\"error\">no &quot;text&quot; member</p>");
    /* the legend counts documents, not errors */
    assert_has(r.out, "2 documents, 2 mentions");
    test_cli_free(&r);
}
END_TEST

/* stop: everything before the first rejected document, then nothing, with
 * several threads too (documents read ahead are dropped). */
START_TEST(on_error_stop)
{
    buf in = BUF_INIT;
    for (int i = 0; i < 200; i++)
        buf_printf(&in, i == 150 ? "{\"id\":\"%d\"}\n"
                                 : "{\"id\":\"%d\",\"text\":\"Le Canada.\"}\n",
                   i);
    file("in.jsonl", in.data);
    buf_free(&in);
    for (int jobs = 1; jobs <= 2; jobs++) {
        char cmd[100];
        snprintf(cmd, sizeof cmd, "-i jsonl --on-error=stop -j %d in.jsonl "
                 "in.jsonl", jobs);
        test_cli_run r = test_cli(cmd);
        ck_assert_int_eq(r.status, 1);
        ck_assert_uint_eq(lines(r.out), 150);
        ck_assert_str_eq(r.err, "nertag: in.jsonl:151: no \"text\" member\n");
        assert_has(r.out, "{\"id\":\"149\",");
        test_cli_free(&r);
    }
    /* xml stays one well-formed document */
    test_cli_run r = test_cli("-i jsonl --on-error=stop -o xml in.jsonl");
    ck_assert_uint_eq(test_count(r.out, "<document "), 150);
    ck_assert_uint_eq(test_count(r.out, "</documents>\n"), 1);
    test_cli_free(&r);
}
END_TEST

/* Text files given as arguments: a missing one, a directory, invalid UTF-8
 * (with the line it is on); each named with its reason. */
START_TEST(on_error_text_files)
{
    file("a.txt", "Le Canada.");
    file("bad.txt", "Le Canada.\nDeux \xff.\n");
    test_cli_run r = test_cli("--on-error=emit a.txt missing.txt . bad.txt "
                              "a.txt");
    ck_assert_int_eq(r.status, 1);
    ck_assert_uint_eq(lines(r.out), 5);
    assert_has(r.out, "\n{\"id\":\"missing.txt\",\"error\":{\"message\":"
                      "\"No such file or directory\"}}\n"
                      "{\"id\":\".\",\"error\":{\"message\":"
                      "\"Is a directory\"}}\n"
                      "{\"id\":\"bad.txt\",\"line\":2,\"error\":{\"message\":"
                      "\"invalid UTF-8\",\"offset\":16}}\n");
    assert_has(r.err, "nertag: missing.txt: No such file or directory\n");
    assert_has(r.err, "nertag: .: Is a directory\n");
    assert_has(r.err, "nertag: bad.txt: byte 16: invalid UTF-8\n");
    test_cli_free(&r);
    r = test_cli("--on-error=stop a.txt . a.txt");
    ck_assert_int_eq(r.status, 1);
    ck_assert_uint_eq(lines(r.out), 1);
    ck_assert_str_eq(r.err, "nertag: .: Is a directory\n");
    test_cli_free(&r);
}
END_TEST

/* CoNLL documents keep every line (untagged ones with O); emit adds the
 * reasons as comment lines before the document, stop ends before it. */
START_TEST(on_error_conll)
{
    file("in.conll", "-DOCSTART-\n\nLe\nCanada\n\n-DOCSTART-\n\nLa\n\xff\n"
                     "France\n\n-DOCSTART-\n\nLe\nMexique\n");
    test_cli_run r = test_cli("-i conll -o conll --on-error=emit in.conll");
    ck_assert_int_eq(r.status, 1);
    assert_has(r.out, "Canada B-STATE\n\n# error: in.conll:9: byte 0: "
                      "invalid UTF-8\n-DOCSTART- O\n\nLa O\n\xff O\n"
                      "France B-STATE\n");
    assert_has(r.out, "Mexique B-STATE\n");
    test_cli_free(&r);
    r = test_cli("-i conll -o conll --on-error=stop in.conll");
    ck_assert_int_eq(r.status, 1);
    ck_assert_str_eq(r.out, "-DOCSTART- O\n\nLe O\nCanada B-STATE\n\n");
    test_cli_free(&r);
}
END_TEST

/* ------------------------------------------------------------ suite */

static Suite *suite(void)
{
    Suite *s = suite_create("cli");
    TCase *tc = tcase_create("contract");
    tcase_add_checked_fixture(tc, test_cli_setup, test_cli_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, success_is_0);
    tcase_add_loop_test(tc, usage_error_is_2, 0,
                        sizeof usage_errors / sizeof *usage_errors);
    tcase_add_test(tc, invalid_utf8_is_1_with_offset_and_goes_on);
    tcase_add_test(tc, nul_bytes_rejected_unless_replaced);
    tcase_add_test(tc, replace_invalid_keeps_offsets);
    tcase_add_test(tc, empty_file);
    tcase_add_test(tc, jsonl_keeps_members_in_order);
    tcase_add_test(tc, jsonl_lang_is_used);
    tcase_add_test(tc, jsonl_rejected_lines_have_their_place);
    tcase_add_test(tc, entity_members);
    tcase_add_test(tc, conll_repeats_every_line);
    tcase_add_test(tc, conll_bioes);
    tcase_add_test(tc, conll_mentions_stay_in_their_sentence);
    tcase_add_test(tc, conll_without_docstart_sentence_documents);
    tcase_add_test(tc, conll_invalid_utf8);
    tcase_add_test(tc, text_inline_marks);
    tcase_add_test(tc, color_only_when_asked_or_terminal);
    tcase_add_test(tc, explain_text);
    tcase_add_test(tc, explain_jsonl);
    tcase_add_test(tc, explain_seed);
    tcase_add_test(tc, brat_stdout_counts_code_points);
    tcase_add_test(tc, brat_dir_writes_pairs);
    tcase_add_test(tc, conll_from_text_sentences);
    tcase_add_test(tc, brat_line_break_inside_a_mention);
    tcase_add_test(tc, brat_explain_source_with_a_tab);
    tcase_add_test(tc, xml_escapes);
    tcase_add_test(tc, xml_one_root_for_all_documents);
    tcase_add_test(tc, html_type_labels);
    tcase_add_test(tc, lint_plurals);
    tcase_add_test(tc, on_error_skip_is_the_default);
    tcase_add_test(tc, on_error_emit_keeps_every_line);
    tcase_add_test(tc, on_error_stop);
    tcase_add_test(tc, on_error_text_files);
    tcase_add_test(tc, on_error_conll);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return test_run(suite());
}
