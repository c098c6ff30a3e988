/* test_eval.c - `nertag eval`: conlleval's chunking and counts, type maps,
 * JSONL scoring, canonical names, the difference list and rejected input.
 *
 * Every expected number below was worked out by hand from the input shown
 * next to it (for tests/data/eval/, see the comment of the JSONL tests). */
#include "testutil.h"
#include "eval/eval.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EVAL_DATA TEST_DATA "/eval"

/* ------------------------------------------------------------ helpers */

/* Counts the lines of a CoNLL text fed one by one to the conlleval
 * state machine; every line must be accepted. */
static void conll_count(const char *text, const char *map_spec,
                        eval_scores *s)
{
    eval_map map = { NULL, 0 };
    char msg[200];
    if (map_spec)
        ck_assert_int_eq(eval_map_parse(&map, map_spec, msg, sizeof msg), 0);
    eval_conll c;
    memset(s, 0, sizeof *s);
    ck_assert_int_eq(eval_conll_init(&c, &map, s), 0);
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        int rc = eval_conll_line(&c, s, p, len);
        ck_assert_msg(rc >= 0, "line '%.*s' rejected: %s", (int)len, p,
                      c.msg);
        p += len + (nl != NULL);
    }
    eval_conll_finish(&c, s);
    eval_conll_free(&c);
    eval_map_free(&map);
}

static void assert_count(const eval_count *c, size_t gold, size_t pred,
                         size_t correct)
{
    ck_assert_ptr_nonnull(c);
    ck_assert_uint_eq(c->gold, gold);
    ck_assert_uint_eq(c->pred, pred);
    ck_assert_uint_eq(c->correct, correct);
}

static void assert_type(const eval_scores *s, const char *type, size_t gold,
                        size_t pred, size_t correct)
{
    const eval_count *c = eval_scores_type(s, type);
    ck_assert_msg(c != NULL, "no counts for type '%s'", type);
    assert_count(c, gold, pred, correct);
}

/* What eval_run printed, and its exit status. */
typedef struct run_out {
    int status;
    char *out, *err;
} run_out;

static run_out run(const eval_options *o)
{
    run_out r;
    size_t n1, n2;
    FILE *out = open_memstream(&r.out, &n1);
    FILE *err = open_memstream(&r.err, &n2);
    ck_assert_ptr_nonnull(out);
    ck_assert_ptr_nonnull(err);
    r.status = eval_run(o, out, err);
    fclose(out);
    fclose(err);
    return r;
}

static void run_free(run_out *r)
{
    free(r->out);
    free(r->err);
}

static eval_options jsonl_options(const char *gold, const char *pred)
{
    eval_options o = { EVAL_JSONL, gold, pred, NULL, 0, 0, 0, 1 };
    return o;
}

static eval_options conll_options(const char *pred)
{
    eval_options o = { EVAL_CONLL, NULL, pred, NULL, 0, 0, 0, 1 };
    return o;
}

/* Scores a JSONL pair; the status must be 0. */
static void jsonl_score(const char *gold, const char *pred, const char *map,
                        int diff, eval_scores *s, eval_diffs *d)
{
    eval_options o = jsonl_options(gold, pred);
    o.map = map;
    o.diff = diff;
    memset(s, 0, sizeof *s);
    memset(d, 0, sizeof *d);
    FILE *err = tmpfile();
    ck_assert_ptr_nonnull(err);
    ck_assert_int_eq(eval_score(&o, s, d, err), 0);
    fclose(err);
}

/* ------------------------------------------------------------ chunking */

START_TEST(iob1_and_iob2_alike)
{
    /* IOB1 gold (I- opens a chunk after O), IOB2 prediction: both hold
     * PER on tokens 1-2 and LOC on token 4, so all chunks are correct */
    eval_scores s;
    conll_count("a I-PER B-PER\n"
                "b I-PER I-PER\n"
                "c O O\n"
                "d I-LOC B-LOC\n", NULL, &s);
    assert_count(&s.all, 2, 2, 2);
    assert_type(&s, "PER", 1, 1, 1);
    assert_type(&s, "LOC", 1, 1, 1);
    ck_assert_uint_eq(s.tokens, 4);
    /* tags differ on a and d (I- against B-) */
    ck_assert_uint_eq(s.correct_tags, 2);
    eval_scores_free(&s);
}
END_TEST

START_TEST(type_change_starts_a_chunk)
{
    /* gold B-PER I-LOC is two chunks (PER, then LOC: a new type starts
     * one); the prediction B-PER I-PER is one chunk of two tokens, whose
     * end differs from gold's PER: nothing is correct */
    eval_scores s;
    conll_count("a B-PER B-PER\n"
                "b I-LOC I-PER\n", NULL, &s);
    assert_count(&s.all, 2, 1, 0);
    assert_type(&s, "PER", 1, 1, 0);
    assert_type(&s, "LOC", 1, 0, 0);
    eval_scores_free(&s);
}
END_TEST

START_TEST(b_after_b_starts_a_chunk)
{
    /* gold: B-PER B-PER I-PER = PER(1), PER(2-3)
     * pred: B-PER I-PER I-PER = PER(1-3): no match */
    eval_scores s;
    conll_count("a B-PER B-PER\n"
                "b B-PER I-PER\n"
                "c I-PER I-PER\n", NULL, &s);
    assert_count(&s.all, 2, 1, 0);
    eval_scores_free(&s);
}
END_TEST

START_TEST(boundaries_end_chunks)
{
    /* a blank line and a -X- line end chunks and are not tokens; I- after
     * the boundary opens a new chunk: gold PER, PER, LOC; prediction the
     * same, so 3 of 3 */
    eval_scores s;
    conll_count("a B-PER B-PER\n"
                "\n"
                "b I-PER I-PER\n"
                "-X- B-ORG B-ORG\n"
                "c I-LOC I-LOC\n", NULL, &s);
    assert_count(&s.all, 3, 3, 3);
    ck_assert_uint_eq(s.tokens, 3);
    /* the tags of the -X- line count as O: no ORG at all */
    ck_assert_ptr_null(eval_scores_type(&s, "ORG"));
    eval_scores_free(&s);
}
END_TEST

START_TEST(docstart_is_a_token)
{
    /* conlleval has no special case for -DOCSTART-: a token with O tags */
    eval_scores s;
    conll_count("-DOCSTART- -X- O O\n"
                "\n"
                "a x B-PER B-PER\n", NULL, &s);
    ck_assert_uint_eq(s.tokens, 2);
    assert_count(&s.all, 1, 1, 1);
    eval_scores_free(&s);
}
END_TEST

START_TEST(chunk_open_at_the_end_counts)
{
    /* the last chunk has no line after it: the end of input closes it */
    eval_scores s;
    conll_count("a O O\nb B-LOC B-LOC\nc I-LOC I-LOC", NULL, &s);
    assert_count(&s.all, 1, 1, 1);
    eval_scores_free(&s);
}
END_TEST

START_TEST(wrong_end_is_not_correct)
{
    /* same start and type, the prediction stops one token early:
     * gold LOC(1-2), pred LOC(1) */
    eval_scores s;
    conll_count("a B-LOC B-LOC\nb I-LOC O\nc O O\n", NULL, &s);
    assert_count(&s.all, 1, 1, 0);
    eval_scores_free(&s);
}
END_TEST

START_TEST(odd_tags_as_conlleval_reads_them)
{
    /* [ and ] are chunks of one token; "B-A-B" is B of type "A-B" (split
     * at the first '-'); "B-0" has the type "" since Perl takes "0" for
     * false; E- after E- starts a chunk */
    eval_scores s;
    conll_count("a [-X [-X\n"
                "b ]-X [-X\n"
                "c B-A-B B-A-B\n"
                "d B-0 B\n"
                "e E-Y E-Y\n"
                "f E-Y E-Y\n", NULL, &s);
    assert_type(&s, "X", 2, 2, 2);
    assert_type(&s, "A-B", 1, 1, 1);
    assert_type(&s, "", 1, 1, 1);
    assert_type(&s, "Y", 2, 2, 2);
    /* b: "]" against "[" differ as tags; d: "B-0" reads as B with type "",
     * equal to "B" */
    ck_assert_uint_eq(s.correct_tags, 5);
    eval_scores_free(&s);
}
END_TEST

START_TEST(conlleval_report_format)
{
    /* gold PER(1-2), LOC(4); pred PER(1-2), ORG(4): 1 correct of 2/2;
     * tag accuracy 3 of 4 tokens */
    char *path = test_write_temp(".conll",
                                 "a B-PER B-PER\nb I-PER I-PER\nc O O\n"
                                 "d B-LOC B-ORG\n");
    eval_options o = conll_options(path);
    o.conlleval = 1;
    run_out r = run(&o);
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.out,
        "processed 4 tokens with 2 phrases; found: 2 phrases; correct: 1.\n"
        "accuracy:  75.00%; precision:  50.00%; recall:  50.00%; "
        "FB1:  50.00\n"
        "              LOC: precision:   0.00%; recall:   0.00%; "
        "FB1:   0.00  0\n"
        "              ORG: precision:   0.00%; recall:   0.00%; "
        "FB1:   0.00  1\n"
        "              PER: precision: 100.00%; recall: 100.00%; "
        "FB1: 100.00  1\n");
    run_free(&r);
    remove(path);
    free(path);
}
END_TEST

START_TEST(conlleval_repeats_the_empty_type)
{
    /* conlleval prints the type "" twice when both sides have it */
    char *path = test_write_temp(".conll", "a B B\n");
    eval_options o = conll_options(path);
    o.conlleval = 1;
    run_out r = run(&o);
    ck_assert_int_eq(r.status, 0);
    const char *line = "                 : precision: 100.00%; recall: "
                       "100.00%; FB1: 100.00  1\n";
    char *first = strstr(r.out, line);
    ck_assert_ptr_nonnull(first);
    ck_assert_ptr_nonnull(strstr(first + strlen(line), line));
    run_free(&r);
    remove(path);
    free(path);
}
END_TEST

/* ------------------------------------------------------------ type maps */

START_TEST(map_conll)
{
    eval_map m = { NULL, 0 };
    char msg[200];
    ck_assert_int_eq(eval_map_parse(&m, "conll", msg, sizeof msg), 0);
    static const char *const cases[][2] = {
        { "STATE", "LOC" }, { "LOC", "LOC" }, { "GROUP", "ORG" },
        { "ORG", "ORG" }, { "SPOKESPERSON", "PER" }, { "PERSON", "PER" },
        { "PER", "PER" }, { "MISC", NULL }, { "", NULL }
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *t = cases[i][0];
        size_t n = strlen(t);
        int kept = eval_map_apply(&m, &t, &n);
        ck_assert_int_eq(kept, cases[i][1] != NULL);
        if (kept) {
            ck_assert_uint_eq(n, strlen(cases[i][1]));
            ck_assert_int_eq(memcmp(t, cases[i][1], n), 0);
        }
    }
    eval_map_free(&m);
}
END_TEST

START_TEST(map_targets_and_dashes)
{
    eval_map m = { NULL, 0 };
    char msg[200];
    ck_assert_int_eq(eval_map_parse(&m, "STATE=LOC,MISC=-", msg, sizeof msg),
                     0);
    const char *t = "LOC";
    size_t n = 3;
    /* a target counts as itself */
    ck_assert_int_eq(eval_map_apply(&m, &t, &n), 1);
    ck_assert_str_eq(t, "LOC");
    t = "MISC";
    n = 4;
    ck_assert_int_eq(eval_map_apply(&m, &t, &n), 0);
    /* neither mapped nor a target: ignored */
    t = "ORG";
    n = 3;
    ck_assert_int_eq(eval_map_apply(&m, &t, &n), 0);
    eval_map_free(&m);
    /* an empty map keeps everything */
    t = "ORG";
    ck_assert_int_eq(eval_map_apply(&m, &t, &n), 1);
}
END_TEST

START_TEST(map_malformed)
{
    static const char *const bad[] = { "", "STATE", "=LOC", "STATE=",
                                       "A=B=C", "A=B,,C=D" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        eval_map m = { NULL, 0 };
        char msg[200] = "";
        ck_assert_int_eq(eval_map_parse(&m, bad[i], msg, sizeof msg), -1);
        ck_assert_msg(strstr(msg, "--map") != NULL, "'%s': %s", bad[i], msg);
        ck_assert_ptr_null(m.pairs);
    }
}
END_TEST

START_TEST(map_before_chunking)
{
    /* with the conll map: gold MISC becomes O, so the ORG predicted over
     * it is a false alarm; STATE over gold LOC is correct; SPOKESPERSON
     * and PERSON both become PER, but as two B- tags they stay two chunks,
     * PER(c) and PER(d), against gold PER(c-d) */
    eval_scores s;
    conll_count("a B-MISC B-ORG\n"
                "b B-LOC B-STATE\n"
                "c B-PER B-SPOKESPERSON\n"
                "d I-PER B-PERSON\n", "conll", &s);
    assert_type(&s, "ORG", 0, 1, 0);
    assert_type(&s, "LOC", 1, 1, 1);
    assert_type(&s, "PER", 1, 2, 0);
    ck_assert_ptr_null(eval_scores_type(&s, "MISC"));
    assert_count(&s.all, 2, 4, 1);
    eval_scores_free(&s);
}
END_TEST

/* ------------------------------------------------------------ JSONL */

/* tests/data/eval/gold.jsonl holds three documents, pred.jsonl predictions
 * for two of them, in the other order:
 *
 *   a  Mao Ning  SPOKESPERSON   pred SPOKESPERSON, for "China" (gold:
 *                               "Ministry of Foreign Affairs (China)")
 *      Pékin     STATE          pred STATE "People's Republic of China"
 *                               (the second accepted name)
 *      OTAN      ORG            pred GROUP
 *      Paris     LOC            pred STATE "France"
 *      -                        pred PERSON "porte-parole" (false alarm)
 *   b  Volt Typhoon GROUP       pred GROUP "Volt Typhoon"
 *      Bronze Silhouette GROUP  pred GROUP "Bronze Silhouette" (gold
 *                               name: Volt Typhoon)
 *      Guam      LOC            missed
 *      2023      MISC           missed
 *      -                        pred ORG "vise" (false alarm)
 *   c  Londres   STATE          no prediction for the document
 */
START_TEST(jsonl_counts)
{
    eval_scores s;
    eval_diffs d;
    jsonl_score(EVAL_DATA "/gold.jsonl", EVAL_DATA "/pred.jsonl", NULL, 0,
                &s, &d);
    ck_assert_uint_eq(s.docs, 3);
    ck_assert_uint_eq(s.docs_missing, 1);
    assert_count(&s.all, 9, 8, 4);
    assert_type(&s, "SPOKESPERSON", 1, 1, 1);
    assert_type(&s, "STATE", 2, 2, 1);
    assert_type(&s, "ORG", 1, 1, 0);
    assert_type(&s, "LOC", 2, 0, 0);
    assert_type(&s, "GROUP", 2, 3, 2);
    assert_type(&s, "MISC", 1, 0, 0);
    assert_type(&s, "PERSON", 0, 1, 0);
    double p, r, f;
    eval_prf(&s.all, &p, &r, &f);
    ck_assert_double_eq_tol(p, 50.0, 1e-9);
    ck_assert_double_eq_tol(r, 400.0 / 9, 1e-9);
    /* 2PR/(P+R) = 2 * 50 * 44.44 / 94.44 = 8/17 */
    ck_assert_double_eq_tol(f, 800.0 / 17, 1e-9);
    /* no differences are kept without diff */
    ck_assert_uint_eq(d.v.n, 0);
    eval_scores_free(&s);
    eval_diffs_free(&d);
}
END_TEST

START_TEST(jsonl_canonical_and_for)
{
    eval_scores s;
    eval_diffs d;
    jsonl_score(EVAL_DATA "/gold.jsonl", EVAL_DATA "/pred.jsonl", NULL, 0,
                &s, &d);
    /* correct mentions: Mao Ning, Pékin (second name accepted), Volt
     * Typhoon, Bronze Silhouette (wrong name) */
    ck_assert_uint_eq(s.canon_total, 4);
    ck_assert_uint_eq(s.canon_correct, 3);
    ck_assert_uint_eq(s.for_total, 1);
    ck_assert_uint_eq(s.for_correct, 0);
    eval_scores_free(&s);
    eval_diffs_free(&d);
}
END_TEST

START_TEST(jsonl_with_map)
{
    /* mapped: OTAN (ORG / GROUP->ORG) and Paris (LOC / STATE->LOC) become
     * correct, MISC leaves the gold side, PERSON "porte-parole" becomes a
     * PER false alarm; Paris brings a wrong name ("France") */
    eval_scores s;
    eval_diffs d;
    jsonl_score(EVAL_DATA "/gold.jsonl", EVAL_DATA "/pred.jsonl", "conll", 0,
                &s, &d);
    assert_count(&s.all, 8, 8, 6);
    assert_type(&s, "PER", 1, 2, 1);
    assert_type(&s, "LOC", 4, 2, 2);
    assert_type(&s, "ORG", 3, 4, 3);
    ck_assert_ptr_null(eval_scores_type(&s, "MISC"));
    ck_assert_uint_eq(s.canon_total, 6);
    ck_assert_uint_eq(s.canon_correct, 4);
    ck_assert_uint_eq(s.for_total, 1);
    eval_scores_free(&s);
    eval_diffs_free(&d);
}
END_TEST

START_TEST(jsonl_pairs_by_order_without_ids)
{
    /* no ids: the n-th prediction goes with the n-th gold document */
    char *gold = test_write_temp(".jsonl",
        "{\"text\":\"Paris\",\"entities\":[{\"start\":0,\"end\":5,"
        "\"type\":\"LOC\",\"canonical\":[\"Paris\"]}]}\n"
        "{\"text\":\"Rome\",\"entities\":[]}\n");
    char *pred = test_write_temp(".jsonl",
        "{\"text\":\"Paris\",\"entities\":[{\"start\":0,\"end\":5,"
        "\"type\":\"LOC\",\"canonical\":\"Paris\"}]}\n"
        "\n"
        "{\"text\":\"Rome\",\"entities\":[{\"start\":0,\"end\":4,"
        "\"type\":\"LOC\",\"canonical\":\"Rome\"}]}\n");
    eval_scores s;
    eval_diffs d;
    jsonl_score(gold, pred, NULL, 0, &s, &d);
    ck_assert_uint_eq(s.docs_missing, 0);
    assert_count(&s.all, 1, 2, 1);
    ck_assert_uint_eq(s.canon_correct, 1);
    eval_scores_free(&s);
    eval_diffs_free(&d);
    remove(gold);
    remove(pred);
    free(gold);
    free(pred);
}
END_TEST

/* ------------------------------------------------------------ differences */

static int has_diff(const eval_diffs *d, enum eval_diff_kind k,
                    const char *doc, size_t start, size_t end,
                    const char *text)
{
    for (size_t i = 0; i < d->v.n; i++) {
        const eval_diff *x = &d->v.v[i];
        if (x->kind == k && !strcmp(d->pool.data + x->doc, doc) &&
            x->start == start && x->end == end &&
            !strcmp(d->pool.data + x->text, text))
            return 1;
    }
    return 0;
}

START_TEST(diff_items)
{
    eval_scores s;
    eval_diffs d;
    jsonl_score(EVAL_DATA "/gold.jsonl", EVAL_DATA "/pred.jsonl", NULL, 1,
                &s, &d);
    ck_assert_uint_eq(d.v.n, 9);
    ck_assert(has_diff(&d, EVAL_FALSE_ALARM, "a", 3, 15, "porte-parole"));
    ck_assert(has_diff(&d, EVAL_WRONG_FOR, "a", 30, 38, "Mao Ning"));
    ck_assert(has_diff(&d, EVAL_WRONG_TYPE, "a", 61, 65, "OTAN"));
    ck_assert(has_diff(&d, EVAL_WRONG_TYPE, "a", 78, 83, "Paris"));
    ck_assert(has_diff(&d, EVAL_WRONG_CANONICAL, "b", 20, 37,
                       "Bronze Silhouette"));
    ck_assert(has_diff(&d, EVAL_FALSE_ALARM, "b", 39, 43, "vise"));
    ck_assert(has_diff(&d, EVAL_MISS, "b", 44, 48, "Guam"));
    ck_assert(has_diff(&d, EVAL_MISS, "b", 52, 56, "2023"));
    ck_assert(has_diff(&d, EVAL_MISS, "c", 18, 25, "Londres"));
    /* in gold order, and by position inside a document */
    ck_assert_str_eq(d.pool.data + d.v.v[0].text, "porte-parole");
    ck_assert_str_eq(d.pool.data + d.v.v[8].text, "Londres");
    eval_scores_free(&s);
    eval_diffs_free(&d);
}
END_TEST

START_TEST(diff_text_lines)
{
    eval_options o = jsonl_options(EVAL_DATA "/gold.jsonl",
                                   EVAL_DATA "/pred.jsonl");
    o.diff = 1;
    run_out r = run(&o);
    ck_assert_int_eq(r.status, 0);
    /* one line per difference: kind, document, offsets, mention, detail,
     * and the mention in up to 40 characters of context either side */
    ck_assert_ptr_nonnull(strstr(r.out,
        "wrong type\ta\t61-65\tOTAN\tgold ORG, predicted GROUP\t"
        "\xe2\x80\xa6nistère, Mao Ning, a dit que Pékin et l'[OTAN] ont "
        "parlé à Paris.\n"));
    ck_assert_ptr_nonnull(strstr(r.out,
        "wrong canonical\tb\t20-37\tBronze Silhouette\tgold Volt Typhoon, "
        "predicted Bronze Silhouette\t"));
    ck_assert_ptr_nonnull(strstr(r.out,
        "wrong for\ta\t30-38\tMao Ning\tgold Ministry of Foreign Affairs "
        "(China), predicted China\t"));
    ck_assert_ptr_nonnull(strstr(r.out,
        "miss\tc\t18-25\tLondres\tgold STATE\tSans prédiction : "
        "[Londres].\n"));
    ck_assert_ptr_nonnull(strstr(r.out, "overall                 9        8"
                                        "        4     50.00    44.44    "
                                        "47.06\n"));
    /* the document without a prediction is said on standard error */
    ck_assert_ptr_nonnull(strstr(r.err, "gold.jsonl:3: warning: no "
                                        "prediction"));
    run_free(&r);
}
END_TEST

START_TEST(diff_conll_lines)
{
    /* CoNLL differences give the file and its lines, and the tokens of
     * the sentence as context */
    char *path = test_write_temp(".conll",
        "Le O O\nporte-parole O B-PER\nMao B-PER B-PER\nNing I-PER I-PER\n"
        "\n"
        "à O O\nParis B-LOC B-ORG\n");
    eval_options o = conll_options(path);
    o.diff = 1;
    run_out r = run(&o);
    ck_assert_int_eq(r.status, 0);
    char expect[600];
    snprintf(expect, sizeof expect, "false alarm\t%s\t2\tporte-parole\t"
             "predicted PER\tLe [porte-parole] Mao Ning\n", path);
    ck_assert_ptr_nonnull(strstr(r.out, expect));
    snprintf(expect, sizeof expect, "wrong type\t%s\t7\tParis\t"
             "gold LOC, predicted ORG\tà [Paris]\n", path);
    ck_assert_ptr_nonnull(strstr(r.out, expect));
    ck_assert_ptr_nonnull(strstr(r.out, "\n2 differences (lines)"));
    run_free(&r);
    remove(path);
    free(path);
}
END_TEST

START_TEST(diff_html_escaped)
{
    /* the text's markup characters are escaped in the page */
    char *gold = test_write_temp(".jsonl",
        "{\"id\":\"<x>\",\"text\":\"<b>Tom & Jerry</b> \\\"quoted\\\"\","
        "\"entities\":[{\"start\":3,\"end\":6,\"type\":\"PERSON\"}]}\n");
    char *pred = test_write_temp(".jsonl",
        "{\"id\":\"<x>\",\"entities\":[]}\n");
    eval_options o = jsonl_options(gold, pred);
    o.diff = 1;
    o.html = 1;
    run_out r = run(&o);
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "<!DOCTYPE html>"));
    ck_assert_ptr_nonnull(strstr(r.out, "</html>\n"));
    ck_assert_ptr_nonnull(strstr(r.out, "<td>&lt;x&gt;</td>"));
    ck_assert_ptr_nonnull(strstr(r.out,
        "&lt;b&gt;<mark>Tom</mark> &amp; Jerry&lt;/b&gt; &quot;quoted&quot;"));
    /* nothing from the text comes through raw, and nothing is fetched */
    ck_assert_ptr_null(strstr(r.out, "<b>"));
    ck_assert_ptr_null(strstr(r.out, "http"));
    run_free(&r);
    remove(gold);
    remove(pred);
    free(gold);
    free(pred);
}
END_TEST

/* ------------------------------------------------------------ errors */

/* Runs a JSONL evaluation that must fail with status 1 and a message
 * holding want (the file's name stands for "%s"). */
static void expect_jsonl_error(const char *gold_text, const char *pred_text,
                               int bad_is_pred, const char *want)
{
    char *gold = test_write_temp(".jsonl", gold_text);
    char *pred = test_write_temp(".jsonl", pred_text);
    eval_options o = jsonl_options(gold, pred);
    run_out r = run(&o);
    ck_assert_int_eq(r.status, 1);
    ck_assert_str_eq(r.out, "");
    char expect[600];
    snprintf(expect, sizeof expect, want, bad_is_pred ? pred : gold);
    ck_assert_msg(strstr(r.err, expect) != NULL, "'%s' not in '%s'", expect,
                  r.err);
    run_free(&r);
    remove(gold);
    remove(pred);
    free(gold);
    free(pred);
}

#define DOC_OK "{\"id\":\"d\",\"text\":\"Paris\",\"entities\":[]}\n"

START_TEST(jsonl_errors)
{
    expect_jsonl_error(DOC_OK "{\"id\":\"e\",\"text\":\"x\",\"entities\":[}\n",
                       DOC_OK, 0, "%s:2: byte ");
    expect_jsonl_error("{\"id\":\"d\",\"text\":\"Paris\",\"entities\":"
                       "[{\"end\":2,\"type\":\"LOC\"}]}\n", DOC_OK, 0,
                       "%s:1: entities[0]: \"start\" must be a non-negative "
                       "integer");
    expect_jsonl_error("{\"id\":\"d\",\"text\":\"Paris\",\"entities\":"
                       "[{\"start\":-1,\"end\":2,\"type\":\"LOC\"}]}\n",
                       DOC_OK, 0, "%s:1: entities[0]: \"start\" must be");
    expect_jsonl_error("{\"id\":\"d\",\"text\":\"Pékin\",\"entities\":"
                       "[{\"start\":0,\"end\":6,\"type\":\"LOC\"}]}\n",
                       DOC_OK, 0, "%s:1: entity 0-6 lies beyond the text "
                       "(5 code points)");
    expect_jsonl_error(DOC_OK, "{\"id\":\"d\",\"text\":\"Paris\"}\n", 1,
                       "%s:1: no \"entities\" member");
    expect_jsonl_error(DOC_OK, "{\"id\":\"zz\",\"entities\":[]}\n", 1,
                       "%s:1: no gold document has the id \"zz\"");
    expect_jsonl_error(DOC_OK DOC_OK, DOC_OK, 0,
                       "%s:2: document id \"d\" is repeated");
    expect_jsonl_error(DOC_OK, "{\"id\":\"d\",\"entities\":[{\"start\":0,"
                       "\"end\":1,\"type\":7}]}\n", 1,
                       "%s:1: entities[0]: an entity needs a string \"type\"");
}
END_TEST

START_TEST(conll_errors)
{
    static const char *const cases[][2] = {
        /* conlleval stops on a line with another number of columns */
        { "a O O\nb O\n", ":2: 2 columns where the first line has 3" },
        { "a\n", ":1: a line needs a gold and a predicted tag" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *path = test_write_temp(".conll", cases[i][0]);
        eval_options o = conll_options(path);
        run_out r = run(&o);
        ck_assert_int_eq(r.status, 1);
        ck_assert_str_eq(r.out, "");
        ck_assert_ptr_nonnull(strstr(r.err, path));
        ck_assert_msg(strstr(r.err, cases[i][1]) != NULL, "%s", r.err);
        run_free(&r);
        remove(path);
        free(path);
    }
}
END_TEST

START_TEST(unreadable_file)
{
    eval_options o = conll_options("/nonexistent/pred.conll");
    run_out r = run(&o);
    ck_assert_int_eq(r.status, 1);
    ck_assert_ptr_nonnull(strstr(r.err, "/nonexistent/pred.conll: cannot "
                                        "open"));
    run_free(&r);
}
END_TEST

START_TEST(bad_map_is_a_usage_error)
{
    eval_options o = conll_options("/nonexistent/pred.conll");
    o.map = "STATE";
    run_out r = run(&o);
    ck_assert_int_eq(r.status, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "--map"));
    run_free(&r);
}
END_TEST

static Suite *eval_suite(void)
{
    Suite *s = suite_create("eval");
    TCase *t = tcase_create("conlleval");
    tcase_add_test(t, iob1_and_iob2_alike);
    tcase_add_test(t, type_change_starts_a_chunk);
    tcase_add_test(t, b_after_b_starts_a_chunk);
    tcase_add_test(t, boundaries_end_chunks);
    tcase_add_test(t, docstart_is_a_token);
    tcase_add_test(t, chunk_open_at_the_end_counts);
    tcase_add_test(t, wrong_end_is_not_correct);
    tcase_add_test(t, odd_tags_as_conlleval_reads_them);
    tcase_add_test(t, conlleval_report_format);
    tcase_add_test(t, conlleval_repeats_the_empty_type);
    suite_add_tcase(s, t);
    t = tcase_create("map");
    tcase_add_test(t, map_conll);
    tcase_add_test(t, map_targets_and_dashes);
    tcase_add_test(t, map_malformed);
    tcase_add_test(t, map_before_chunking);
    suite_add_tcase(s, t);
    t = tcase_create("jsonl");
    tcase_add_test(t, jsonl_counts);
    tcase_add_test(t, jsonl_canonical_and_for);
    tcase_add_test(t, jsonl_with_map);
    tcase_add_test(t, jsonl_pairs_by_order_without_ids);
    suite_add_tcase(s, t);
    t = tcase_create("diff");
    tcase_add_test(t, diff_items);
    tcase_add_test(t, diff_text_lines);
    tcase_add_test(t, diff_conll_lines);
    tcase_add_test(t, diff_html_escaped);
    suite_add_tcase(s, t);
    t = tcase_create("errors");
    tcase_add_test(t, jsonl_errors);
    tcase_add_test(t, conll_errors);
    tcase_add_test(t, unreadable_file);
    tcase_add_test(t, bad_map_is_a_usage_error);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return test_run(eval_suite());
}
