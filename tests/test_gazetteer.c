/* test_gazetteer.c - loading gazetteers and finding their aliases.
 *
 * Each test writes a small data directory of its own under /tmp: the
 * gazetteer files it needs, copies of the language files and a rule file
 * with one empty phase, so that every mention comes from the gazetteer.
 * The last test loads a million synthetic aliases and finds a sample of
 * them in a text. */
#include "testutil.h"
#include "lib/internal.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define HEADER "id\tlabel\tcanonical\taliases\n"

/* ------------------------------------------------------------ data dirs */

typedef struct fixture {
    char dir[64];
    char gaz[96];
    char models[96];
} fixture;

static void write_file(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "wb");
    ck_assert_msg(f != NULL, "cannot write %s", path);
    ck_assert_uint_eq(fwrite(text, 1, len, f), len);
    ck_assert_int_eq(fclose(f), 0);
}

static void fx_open(fixture *f)
{
    snprintf(f->dir, sizeof f->dir, "/tmp/nertag-gaz-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(f->dir));
    snprintf(f->gaz, sizeof f->gaz, "%s/gazetteers", f->dir);
    snprintf(f->models, sizeof f->models, "%s/models", f->dir);
    ck_assert_int_eq(mkdir(f->gaz, 0700), 0);
    ck_assert_int_eq(mkdir(f->models, 0700), 0);
    test_copy_languages(f->models);
    char path[160];
    snprintf(path, sizeof path, "%s/phases.rules", f->models);
    const char *rules = "[phases]\norder = a\n";
    write_file(path, rules, strlen(rules));
}

/* Writes gazetteers/NAME; the path goes to out. */
static void fx_write(fixture *f, const char *name, const char *text,
                     char *out, size_t size)
{
    char path[160];
    snprintf(path, sizeof path, "%s/%s", f->gaz, name);
    write_file(path, text, strlen(text));
    if (out)
        snprintf(out, size, "%s", path);
}

static void remove_files(const char *dir)
{
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    struct dirent *e;
    char path[400];
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        ck_assert_int_eq(unlink(path), 0);
    }
    closedir(d);
    ck_assert_int_eq(rmdir(dir), 0);
}

static void fx_close(fixture *f)
{
    remove_files(f->gaz);
    remove_files(f->models);
    ck_assert_int_eq(rmdir(f->dir), 0);
}

/* Loads a model from one gazetteer file "test.tsv"; NULL with err filled
 * when loading fails.  path receives the file's path. */
static nertag_model *load_text(const char *tsv, nertag_error *err,
                               char *path, size_t size)
{
    fixture f;
    fx_open(&f);
    char p[160];
    fx_write(&f, "test.tsv", tsv, p, sizeof p);
    if (path)
        snprintf(path, size, "%s", p);
    nertag_model *m = nertag_model_load(f.dir, NULL, err);
    fx_close(&f);
    return m;
}

static nertag_model *load_ok(const char *tsv)
{
    nertag_error err;
    nertag_model *m = load_text(tsv, &err, NULL, 0);
    char msg[600];
    ck_assert_msg(m != NULL, "load failed: %s",
                  nertag_error_format(&err, msg, sizeof msg));
    return m;
}

/* The mentions of text as "text=TYPE:canonical; …". */
static char *mentions(const nertag_model *m, const char *text,
                      const char *lang)
{
    nertag_error err;
    nertag_tagger *t = nertag_tagger_new(m, &err);
    ck_assert_ptr_nonnull(t);
    nertag_options opt = { lang, 0, NULL, { 0 } };
    nertag_result *r = nertag_tag(t, text, strlen(text), &opt, &err);
    ck_assert_msg(r != NULL, "%s", err.message);
    buf out = BUF_INIT;
    ck_assert_int_eq(buf_puts(&out, ""), 0);
    for (size_t i = 0; i < nertag_result_count(r); i++) {
        const nertag_mention *x = nertag_result_mention(r, i);
        ck_assert_int_eq(buf_printf(&out, "%s%s=%s:%s", i ? "; " : "",
                                    x->text, nertag_type_name(x->type),
                                    x->canonical), 0);
    }
    nertag_result_free(r);
    nertag_tagger_free(t);
    return out.data;
}

static void expect_mentions(const nertag_model *m, const char *text,
                            const char *lang, const char *want)
{
    char *got = mentions(m, text, lang);
    ck_assert_msg(strcmp(got, want) == 0, "<%s> (%s):\n got  <%s>\n want <%s>",
                  text, lang ? lang : "auto", got, want);
    free(got);
}

/* Loading must fail with a syntax error at line (and column) of test.tsv. */
static void expect_load_error(const char *tsv, long line, long column,
                              const char *message)
{
    nertag_error err;
    char path[160];
    nertag_model *m = load_text(tsv, &err, path, sizeof path);
    ck_assert_msg(m == NULL, "<%s> loaded", tsv);
    ck_assert_int_eq(err.code, NERTAG_ERR_SYNTAX);
    ck_assert_str_eq(err.file, path);
    ck_assert_msg(err.line == line && err.column == column,
                  "<%s>: error at %ld:%ld (%s), want %ld:%ld", tsv, err.line,
                  err.column, err.message, line, column);
    ck_assert_msg(strncmp(err.message, message, strlen(message)) == 0,
                  "message <%s>, want <%s…>", err.message, message);
    /* the formatted error starts with the place */
    char msg[600], place[200];
    nertag_error_format(&err, msg, sizeof msg);
    if (column)
        snprintf(place, sizeof place, "%s:%ld:%ld: ", path, line, column);
    else
        snprintf(place, sizeof place, "%s:%ld: ", path, line);
    ck_assert_msg(strncmp(msg, place, strlen(place)) == 0, "<%s>", msg);
}

/* ------------------------------------------------------------ matching */

START_TEST(longest_match)
{
    nertag_model *m = load_ok(
        HEADER
        "KR\tSTATE\tSouth Korea\tCor\xC3\xA9" "e du Sud\n"
        "KP\tSTATE\tNorth Korea\tCor\xC3\xA9" "e du Nord\n"
        "loc:coree\tLOC\tKorea\tCor\xC3\xA9" "e\n"
        "org:bce\tORG\tEuropean Central Bank\tBanque centrale europ\xC3\xA9"
        "enne | BCE\n"
        "org:bc\tORG\tCentral bank\tBanque centrale\n");
    expect_mentions(m, "La Cor\xC3\xA9" "e du Sud et la Cor\xC3\xA9" "e du Nord.",
                    "fr", "Cor\xC3\xA9" "e du Sud=STATE:South Korea; "
                    "Cor\xC3\xA9" "e du Nord=STATE:North Korea");
    /* the shorter alias is still there for the rules */
    nertag_error err;
    nertag_tagger *t = nertag_tagger_new(m, &err);
    const char *text = "La Cor\xC3\xA9" "e du Sud";
    nertag_result *r = nertag_tag(t, text, strlen(text), NULL, &err);
    ck_assert_ptr_nonnull(r);
    ck_assert_uint_eq(t->annots.n, 2);
    for (size_t i = 0; i < 2; i++) {
        const annot *a = &t->annots.v[i];
        ck_assert_uint_eq(a->tstart, 1);
        ck_assert_uint_eq(a->tend, a->label == NERTAG_LOC ? 2 : 4);
    }
    nertag_result_free(r);
    nertag_tagger_free(t);
    /* a prefix of longer aliases that is no alias itself */
    expect_mentions(m, "La Cor\xC3\xA9" "e du Japon.", "fr",
                    "Cor\xC3\xA9" "e=LOC:Korea");
    expect_mentions(m, "la Banque centrale europ\xC3\xA9" "enne et la Banque "
                    "centrale", "fr",
                    "Banque centrale europ\xC3\xA9" "enne=ORG:European Central "
                    "Bank; Banque centrale=ORG:Central bank");
    nertag_model_free(m);
}
END_TEST

START_TEST(multi_word_aliases)
{
    nertag_model *m = load_ok(
        HEADER
        "org:five-eyes\tORG\tFive Eyes\tFive Eyes | Cinq Yeux | "
        "alliance des Cinq Yeux\n"
        "US\tSTATE\tUnited States\t\xC3\x89tats-Unis | United States of "
        "America | U.S.\n");
    expect_mentions(m, "Les Cinq Yeux et les Five Eyes.", "fr",
                    "Cinq Yeux=ORG:Five Eyes; Five Eyes=ORG:Five Eyes");
    expect_mentions(m, "l'alliance des Cinq Yeux", "fr",
                    "alliance des Cinq Yeux=ORG:Five Eyes");
    /* any white space between the words, and typographic hyphens */
    expect_mentions(m, "les Cinq\n   Yeux, les \xC3\x89tats\xE2\x80\x91Unis",
                    "fr", "Cinq\n   Yeux=ORG:Five Eyes; \xC3\x89tats\xE2\x80\x91"
                    "Unis=STATE:United States");
    expect_mentions(m, "the United States of America and the U.S. Army", "en",
                    "United States of America=STATE:United States; "
                    "U.S.=STATE:United States");
    /* a word missing: no match */
    expect_mentions(m, "les Cinq grands Yeux", "fr", "");
    /* an elision in an alias: either apostrophe */
    nertag_model_free(m);
    m = load_ok(HEADER "org:loreal\tORG\tL'Or\xC3\xA9" "al\tL'Or\xC3\xA9" "al\n"
                "org:ny-times\tORG\tThe New York Times\tNew York Times\n");
    expect_mentions(m, "L\xE2\x80\x99Or\xC3\xA9" "al et L'OR\xC3\x89" "AL", "fr",
                    "L\xE2\x80\x99Or\xC3\xA9" "al=ORG:L'Or\xC3\xA9" "al; "
                    "L'OR\xC3\x89" "AL=ORG:L'Or\xC3\xA9" "al");
    /* the English possessive is split off the name */
    expect_mentions(m, "the New York Times's reporter", "en",
                    "New York Times=ORG:The New York Times");
    nertag_model_free(m);
}
END_TEST

/* The first word of the first alias read leads to a node of its own, not
 * back to the trie's root, from which every alias starts: else that word
 * took in any alias after it ("Atletic France" as France). */
START_TEST(first_word_read_is_not_the_root)
{
    nertag_model *m = load_ok(HEADER
                              "club:atletic\tORG\tAtletic Club\tAtletic Club\n"
                              "FR\tSTATE\tFrance\tFrance\n"
                              "org:af\tORG\tAir France\tAir France\n");
    expect_mentions(m, "The Atletic France team met the Atletic Club.", "en",
                    "France=STATE:France; Atletic Club=ORG:Atletic Club");
    nertag_model_free(m);
}
END_TEST

/* Tokens given whole (CoNLL) may carry a possessive: "APT28's" and
 * "Bear’s" end an alias as "APT28" and "Bear" do; the mention is the
 * whole token, as the input cut it. */
START_TEST(possessive_glued_to_a_given_token)
{
    nertag_model *m = load_ok(
        HEADER "G0007\tGROUP\tAPT28\tAPT28 [exact] | Fancy Bear\n");
    nertag_token_in toks[] = {
        { "APT28's", 7, 1 }, { "tools", 5, 0 }, { "and", 3, 0 },
        { "Fancy", 5, 0 }, { "Bear\xE2\x80\x99s", 8, 0 },
        { "apt28's", 7, 0 }, { "Bear's", 6, 0 }, { "Fancy", 5, 0 }
    };
    nertag_error err;
    nertag_tagger *t = nertag_tagger_new(m, &err);
    nertag_options opt = { "en", 0, NULL, { 0 } };
    nertag_result *r = nertag_tag_tokens(t, toks, 8, &opt, &err);
    ck_assert_ptr_nonnull(r);
    /* "apt28's" has the wrong capitals for an exact alias, and a
     * possessive ends a name: "Bear's Fancy" is not "Fancy Bear" */
    ck_assert_uint_eq(nertag_result_count(r), 2);
    const nertag_mention *a = nertag_result_mention(r, 0);
    ck_assert_str_eq(a->text, "APT28's");
    ck_assert_str_eq(a->canonical, "APT28");
    const nertag_mention *b = nertag_result_mention(r, 1);
    ck_assert_uint_eq(b->tstart, 3);
    ck_assert_uint_eq(b->tend, 5);
    ck_assert_str_eq(b->canonical, "APT28");
    nertag_result_free(r);
    nertag_tagger_free(t);
    nertag_model_free(m);
}
END_TEST

START_TEST(case_rules_default)
{
    nertag_model *m = load_ok(
        HEADER
        "org:mae\tORG\tMinistry of Foreign Affairs\taffaires "
        "\xC3\xA9trang\xC3\xA8res\n"
        "CN\tSTATE\tChina\tChine | P\xC3\xA9kin\n"
        "org:nato\tORG\tNATO\tOTAN\n"
        "US\tSTATE\tUnited States\tUS\n"
        "loc:ny\tLOC\tNew York\tNew York\n");
    /* a lower case alias: any case */
    expect_mentions(m, "Affaires \xC3\xA9trang\xC3\xA8res, AFFAIRES "
                    "\xC3\x89TRANG\xC3\x88RES, affaires etrangeres", "fr",
                    "Affaires \xC3\xA9trang\xC3\xA8res=ORG:Ministry of Foreign "
                    "Affairs; AFFAIRES \xC3\x89TRANG\xC3\x88RES=ORG:Ministry of "
                    "Foreign Affairs; affaires etrangeres=ORG:Ministry of "
                    "Foreign Affairs");
    /* a capitalized alias: a capital, or all capitals; accents free */
    expect_mentions(m, "Chine, CHINE, chine, Pekin, P\xC3\x89KIN, p\xC3\xA9kin",
                    "fr", "Chine=STATE:China; CHINE=STATE:China; "
                    "Pekin=STATE:China; P\xC3\x89KIN=STATE:China");
    /* an acronym: the same capitals only */
    expect_mentions(m, "OTAN, Otan, otan, US, us, Us", "fr",
                    "OTAN=ORG:NATO; US=STATE:United States");
    /* several words: the first must have its capital */
    expect_mentions(m, "New York, NEW YORK, new york", "en",
                    "New York=LOC:New York; NEW YORK=LOC:New York");
    nertag_model_free(m);
}
END_TEST

START_TEST(case_flags)
{
    nertag_model *m = load_ok(
        HEADER
        "org:apple-phone\tORG\tiPhone\tiPhone [exact]\n"
        "org:echos\tORG\tLes Echos\tLes \xC3\x89" "chos [exact]\n"
        "org:nato\tORG\tNATO\tNATO [anycase]\n"
        "loc:wa\tLOC\tWashington\tWashington [anycase]\n"
        "org:ue\tORG\tEuropean Union\tunion europ\xC3\xA9" "enne [exact]\n");
    expect_mentions(m, "iPhone, IPHONE, Iphone, iphone", "en",
                    "iPhone=ORG:iPhone");
    expect_mentions(m, "Les \xC3\x89" "chos, les \xC3\x89" "chos, Les Echos",
                    "fr", "Les \xC3\x89" "chos=ORG:Les Echos");
    expect_mentions(m, "NATO, Nato, nato", "en",
                    "NATO=ORG:NATO; Nato=ORG:NATO; nato=ORG:NATO");
    expect_mentions(m, "washington, WASHINGTON", "en",
                    "washington=LOC:Washington; WASHINGTON=LOC:Washington");
    expect_mentions(m, "l'union europ\xC3\xA9" "enne, l'Union europ\xC3\xA9" "enne",
                    "fr", "union europ\xC3\xA9" "enne=ORG:European Union");
    nertag_model_free(m);
}
END_TEST

START_TEST(ambiguous_is_no_mention)
{
    nertag_model *m = load_ok(
        HEADER
        "org:orange\tORG\tOrange\tOrange [ambiguous] | Orange SA | "
        "groupe Orange\n");
    expect_mentions(m, "Orange a dit.", "fr", "");
    expect_mentions(m, "Orange SA a dit, le groupe Orange aussi.", "fr",
                    "Orange SA=ORG:Orange; groupe Orange=ORG:Orange");
    /* the match is there for the rules to see */
    nertag_error err;
    nertag_tagger *t = nertag_tagger_new(m, &err);
    nertag_result *r = nertag_tag(t, "Orange a dit.", 13, NULL, &err);
    ck_assert_ptr_nonnull(r);
    ck_assert_uint_eq(t->annots.n, 1);
    ck_assert(t->annots.v[0].flags & AF_AMBIGUOUS);
    ck_assert_uint_eq(t->annots.v[0].tstart, 0);
    ck_assert_uint_eq(t->annots.v[0].tend, 1);
    nertag_result_free(r);
    nertag_tagger_free(t);
    nertag_model_free(m);
}
END_TEST

START_TEST(language_flags)
{
    nertag_model *m = load_ok(
        HEADER
        "TR\tSTATE\tTurkey\tTurquie [fr] | Turkey [ambiguous] [en] | "
        "T\xC3\xBCrkiye\n"
        "GB\tSTATE\tUnited Kingdom\tRoyaume-Uni [fr] | United Kingdom [en] | "
        "UK [en] [exact]\n");
    expect_mentions(m, "Turquie, Turkey, T\xC3\xBCrkiye", "fr",
                    "Turquie=STATE:Turkey; T\xC3\xBCrkiye=STATE:Turkey");
    expect_mentions(m, "Turquie, Turkey, T\xC3\xBCrkiye", "en",
                    "T\xC3\xBCrkiye=STATE:Turkey");
    expect_mentions(m, "Royaume-Uni, United Kingdom, UK, Uk", "fr",
                    "Royaume-Uni=STATE:United Kingdom");
    expect_mentions(m, "Royaume-Uni, United Kingdom, UK, Uk", "en",
                    "United Kingdom=STATE:United Kingdom; "
                    "UK=STATE:United Kingdom");
    nertag_model_free(m);
}
END_TEST

START_TEST(other_labels_make_no_mention)
{
    nertag_model *m = load_ok(
        HEADER
        "CN\tDEMONYM\tChina\tchinois | chinoise\n"
        "CN\tSTATE\tChina\tChine\n"
        "t:president\tTITLE\tpresident\tpr\xC3\xA9sident\n");
    expect_mentions(m, "le pr\xC3\xA9sident chinois et la Chine", "fr",
                    "Chine=STATE:China");
    nertag_model_stats st;
    nertag_model_get_stats(m, &st);
    ck_assert_uint_eq(st.entries, 3);
    ck_assert_uint_eq(st.aliases, 4);
    nertag_model_free(m);
}
END_TEST

START_TEST(lines_of_one_entry_merged)
{
    nertag_model *m = load_ok(
        "# one alias per line\n"
        HEADER
        "G0007\tGROUP\tAPT28\tAPT28\n"
        "G0007\tGROUP\tAPT28\tFancy Bear\n"
        "\n"
        "G0007\tGROUP\tAPT28\tSofacy | Fancy Bear\n"
        "G0016\tGROUP\tAPT29\tAPT29\n");
    nertag_model_stats st;
    nertag_model_get_stats(m, &st);
    ck_assert_uint_eq(st.entries, 2);
    ck_assert_uint_eq(st.aliases, 4);     /* Fancy Bear once */
    ck_assert_uint_gt(st.memory, 0);

    nertag_error err;
    nertag_tagger *t = nertag_tagger_new(m, &err);
    const char *text = "APT28, Fancy Bear, Sofacy et APT29.";
    nertag_result *r = nertag_tag(t, text, strlen(text), NULL, &err);
    ck_assert_ptr_nonnull(r);
    ck_assert_uint_eq(nertag_result_count(r), 4);
    static const long lines[] = { 3, 4, 6, 7 };
    for (size_t i = 0; i < 4; i++) {
        const nertag_mention *x = nertag_result_mention(r, i);
        ck_assert_str_eq(x->canonical, i < 3 ? "APT28" : "APT29");
        ck_assert_str_eq(x->id, i < 3 ? "G0007" : "G0016");
        ck_assert_int_eq(x->type, NERTAG_GROUP);
        /* the source names the line of the alias */
        char want[32];
        snprintf(want, sizeof want, "/test.tsv:%ld", lines[i]);
        ck_assert_msg(strstr(x->source, "gazetteer ") == x->source &&
                      strstr(x->source, want) != NULL, "source <%s>, want <%s>",
                      x->source, want);
    }
    nertag_result_free(r);
    nertag_tagger_free(t);
    nertag_model_free(m);
}
END_TEST

START_TEST(conflicting_canonicals)
{
    expect_load_error(HEADER
                      "G0007\tGROUP\tAPT28\tAPT28\n"
                      "G0007\tGROUP\tFancy Bear\tFancy Bear\n",
                      3, 0, "canonical name differs from the earlier line of "
                      "this id and label ('APT28')");
    /* the same id under another label is another entry */
    nertag_model *m = load_ok(HEADER
                              "CN\tSTATE\tChina\tChine\n"
                              "CN\tCAPITAL\tBeijing\tP\xC3\xA9kin\n");
    nertag_model_stats st;
    nertag_model_get_stats(m, &st);
    ck_assert_uint_eq(st.entries, 2);
    nertag_model_free(m);
}
END_TEST

START_TEST(attributes_column)
{
    nertag_model *m = load_ok(
        "id\tlabel\tcanonical\taliases\tattributes\n"
        "city:beijing\tLOC\tBeijing\tP\xC3\xA9kin | Beijing\t"
        "population=21893095\n"
        "CN\tSTATE\tChina\tChine\n");
    expect_mentions(m, "Beijing et la Chine", "fr",
                    "Beijing=LOC:Beijing; Chine=STATE:China");
    nertag_model_free(m);
}
END_TEST

/* ------------------------------------------------------------ errors */

START_TEST(error_missing_header)
{
    expect_load_error("CN\tSTATE\tChina\tChine\n", 1, 0,
                      "the first line must be the header");
    expect_load_error("# comment\n\n# another\nCN\tSTATE\tChina\tChine\n", 4,
                      0, "the first line must be the header");
    /* a header with other names or another order */
    expect_load_error("id\tlabel\tname\taliases\n", 1, 0,
                      "the first line must be the header");
    expect_load_error("id label canonical aliases\n", 1, 0,
                      "the first line must be the header");
}
END_TEST

START_TEST(error_field_counts)
{
    expect_load_error(HEADER "CN\tSTATE\tChina\n", 2, 0,
                      "expected 4 or 5 TAB-separated fields, found 3");
    expect_load_error(HEADER "\n# c\nCN\n", 4, 0,
                      "expected 4 or 5 TAB-separated fields, found 1");
    expect_load_error(HEADER "CN\tSTATE\tChina\tChine\tx=1\textra\n", 2, 0,
                      "expected 4 or 5 TAB-separated fields, found 6");
    expect_load_error(HEADER "CN\tSTATE\tChina\tChine\tx=1\t\n", 2, 0,
                      "expected 4 or 5 TAB-separated fields, found 6");
    expect_load_error(HEADER "CN\tSTATE\tChina\tChine\tx=1\ty\tz\n", 2, 0,
                      "expected 4 or 5 TAB-separated fields, found 7");
    /* spaces are not separators */
    expect_load_error(HEADER "CN STATE China Chine\n", 2, 0,
                      "expected 4 or 5 TAB-separated fields, found 1");
}
END_TEST

START_TEST(error_bad_fields)
{
    expect_load_error(HEADER "\tSTATE\tChina\tChine\n", 2, 0, "empty id");
    expect_load_error(HEADER "C N\tSTATE\tChina\tChine\n", 2, 0,
                      "id has a space");
    expect_load_error(HEADER "CN\tstate\tChina\tChine\n", 2, 0,
                      "label must be capitals, digits and '_'");
    expect_load_error(HEADER "CN\t1STATE\tChina\tChine\n", 2, 0,
                      "label must be capitals, digits and '_'");
    expect_load_error(HEADER "CN\tSTATE-X\tChina\tChine\n", 2, 0,
                      "label must be capitals, digits and '_'");
    expect_load_error(HEADER "CN\t\tChina\tChine\n", 2, 0,
                      "label must be capitals, digits and '_'");
    expect_load_error(HEADER "CN\tSTATE\t\tChine\n", 2, 0,
                      "empty canonical name");
}
END_TEST

START_TEST(error_empty_alias)
{
    expect_load_error(HEADER "CN\tSTATE\tChina\tChine |  | PRC\n", 2, 0,
                      "empty alias");
    expect_load_error(HEADER "CN\tSTATE\tChina\tChine | \n", 2, 0,
                      "empty alias");
    expect_load_error(HEADER "CN\tSTATE\tChina\t\n", 2, 0, "empty alias");
    expect_load_error(HEADER "CN\tSTATE\tChina\t[exact]\n", 2, 0,
                      "empty alias");
    expect_load_error(HEADER "CN\tSTATE\tChina\tChine\n"
                      "FR\tSTATE\tFrance\tFrance |    | Gaule\n", 3, 0,
                      "empty alias");
}
END_TEST

START_TEST(error_unknown_flag)
{
    expect_load_error(HEADER "CN\tSTATE\tChina\tChine [bogus]\n", 2, 0,
                      "unknown alias flag [bogus]");
    expect_load_error(HEADER "CN\tSTATE\tChina\tChine [exact] [EXACT]\n", 2, 0,
                      "unknown alias flag [EXACT]");
    expect_load_error(HEADER "CN\tSTATE\tChina\tChine [de]\n", 2, 0,
                      "unknown alias flag [de]");
    expect_load_error(HEADER "CN\tSTATE\tChina\tChine exact]\n", 2, 0,
                      "alias flag without '['");
}
END_TEST

START_TEST(error_invalid_utf8)
{
    /* the column is the bad byte's, 1-based */
    expect_load_error(HEADER "CN\tSTATE\tChi\xFFna\tChine\n", 2, 13,
                      "invalid UTF-8");
    expect_load_error(HEADER "CN\tSTATE\tChina\tChine | P\xC3\xA9kin | "
                      "P\xC3kin\n", 2, 34, "invalid UTF-8");
    expect_load_error("\xC3\n", 1, 1, "invalid UTF-8");
    expect_load_error(HEADER "# a comment with \xE2\x82 in it\n", 2, 18,
                      "invalid UTF-8");
    /* a NUL byte is invalid too */
    static const char nul[] = HEADER "CN\tSTATE\tChi\0na\tChine\n";
    fixture f;
    fx_open(&f);
    char path[160];
    snprintf(path, sizeof path, "%s/test.tsv", f.gaz);
    write_file(path, nul, sizeof nul - 1);
    nertag_error err;
    ck_assert_ptr_null(nertag_model_load(f.dir, NULL, &err));
    ck_assert_int_eq(err.code, NERTAG_ERR_SYNTAX);
    ck_assert_str_eq(err.file, path);
    ck_assert_int_eq(err.line, 2);
    ck_assert_int_eq(err.column, 13);
    fx_close(&f);
}
END_TEST

/* The first error of a file stops loading, in the file where it is. */
START_TEST(error_in_second_file)
{
    fixture f;
    fx_open(&f);
    char path[160];
    fx_write(&f, "a.tsv", HEADER "CN\tSTATE\tChina\tChine\n", NULL, 0);
    fx_write(&f, "b.tsv", HEADER "\nFR\tSTATE\tFrance\tFrance\nX\n", path,
             sizeof path);
    nertag_error err;
    ck_assert_ptr_null(nertag_model_load(f.dir, NULL, &err));
    ck_assert_int_eq(err.code, NERTAG_ERR_SYNTAX);
    ck_assert_str_eq(err.file, path);
    ck_assert_int_eq(err.line, 4);
    fx_close(&f);
}
END_TEST

/* ------------------------------------------------------------ file forms */

START_TEST(bom_and_crlf)
{
    nertag_model *m = load_ok(
        "\xEF\xBB\xBF" "id\tlabel\tcanonical\taliases\r\n"
        "CN\tSTATE\tChina\tChine | RPC\r\n"
        "\r\n"
        "# comment\r\n"
        "FR\tSTATE\tFrance\tFrance\r\n");
    expect_mentions(m, "La Chine, la RPC et la France.", "fr",
                    "Chine=STATE:China; RPC=STATE:China; France=STATE:France");
    nertag_model_free(m);
    /* a BOM before a comment; a last line without a line end */
    m = load_ok("\xEF\xBB\xBF# c\r\nid\tlabel\tcanonical\taliases\r\n"
                "CN\tSTATE\tChina\tChine");
    expect_mentions(m, "La Chine.", "fr", "Chine=STATE:China");
    nertag_model_free(m);
    /* the line numbers of errors count CRLF lines */
    expect_load_error("\xEF\xBB\xBFid\tlabel\tcanonical\taliases\r\n\r\n"
                      "CN\tSTATE\tChina\r\n", 3, 0,
                      "expected 4 or 5 TAB-separated fields, found 3");
}
END_TEST

START_TEST(empty_files)
{
    /* no line at all, or only comments: nothing, and no error */
    nertag_model *m = load_ok("");
    nertag_model_stats st;
    nertag_model_get_stats(m, &st);
    ck_assert_uint_eq(st.entries, 0);
    ck_assert_uint_eq(st.aliases, 0);
    expect_mentions(m, "La Chine.", "fr", "");
    nertag_model_free(m);
    m = load_ok("# nothing yet\n\n");
    nertag_model_free(m);
    m = load_ok(HEADER);
    nertag_model_free(m);
}
END_TEST

/* Several files, loaded in name order; nertag_load_options names the
 * folders. */
START_TEST(several_files_and_load_options)
{
    fixture f;
    fx_open(&f);
    fx_write(&f, "b.tsv", HEADER "CN\tSTATE\tChina\tChine\n", NULL, 0);
    fx_write(&f, "a.tsv", HEADER "FR\tSTATE\tFrance\tFrance\n", NULL, 0);
    fx_write(&f, "c.txt", "not a gazetteer\n", NULL, 0);
    nertag_load_options opt = { f.gaz, f.models, NULL, 0, NULL, { 0 } };
    nertag_error err;
    nertag_model *m = nertag_model_load(NULL, &opt, &err);
    ck_assert_msg(m != NULL, "%s", err.message);
    fx_close(&f);
    nertag_model_stats st;
    nertag_model_get_stats(m, &st);
    ck_assert_uint_eq(st.entries, 2);
    ck_assert_uint_eq(st.phases, 1);
    ck_assert_uint_eq(st.rules, 0);

    nertag_tagger *t = nertag_tagger_new(m, &err);
    nertag_result *r = nertag_tag(t, "Chine, France", 13, NULL, &err);
    ck_assert_ptr_nonnull(r);
    ck_assert_uint_eq(nertag_result_count(r), 2);
    ck_assert_ptr_nonnull(strstr(nertag_result_mention(r, 0)->source, "/b.tsv:2"));
    ck_assert_ptr_nonnull(strstr(nertag_result_mention(r, 1)->source, "/a.tsv:2"));
    nertag_result_free(r);
    nertag_tagger_free(t);
    nertag_model_free(m);

    /* no data directory: $NERTAG_DATA, else the installed one */
    setenv("NERTAG_DATA", "/nonexistent/nertag-env", 1);
    ck_assert_ptr_null(nertag_model_load(NULL, NULL, &err));
    ck_assert_int_eq(err.code, NERTAG_ERR_IO);
    ck_assert_msg(strstr(err.file, "/nonexistent/nertag-env") != NULL, "%s",
                  err.file);
    unsetenv("NERTAG_DATA");
    /* a missing folder */
    ck_assert_ptr_null(nertag_model_load("/nonexistent/nertag", NULL, &err));
    ck_assert_int_eq(err.code, NERTAG_ERR_IO);
}
END_TEST

/* ------------------------------------------------------------ scale */

#define NALIASES 1000000
#define NSAMPLE 1000

/* xorshift64*: the same names on every run. */
static uint64_t rng_next(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 0x2545F4914F6CDD1DULL;
}

/* A name of one to three words of two to four syllables: "Kabo Rimelu". */
static void make_name(uint64_t *rng, buf *out)
{
    static const char cons[] = "bcdfghjklmnprstvz";
    static const char vow[] = "aeiou";
    int words = 1 + (int)(rng_next(rng) % 3);
    for (int w = 0; w < words; w++) {
        if (w)
            buf_putc(out, ' ');
        int syll = 2 + (int)(rng_next(rng) % 3);
        for (int k = 0; k < syll; k++) {
            uint64_t x = rng_next(rng);
            char c = cons[x % (sizeof cons - 1)];
            if (k == 0)
                c = (char)(c - 'a' + 'A');
            buf_putc(out, c);
            buf_putc(out, vow[(x >> 8) % (sizeof vow - 1)]);
        }
    }
}

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void write_text(const char *dir, const char *name, const char *text)
{
    char path[600];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
}

/* Data folders laid one over another: a later folder adds its files,
 * replaces a file of the same name, and replaces an entry of the same id
 * and label (its canonical name and its aliases). */
START_TEST(layered_data_folders)
{
    char *base = test_data_dir(
        "org:acme\tORG\tAcme\tAcme | Acme Labs\n"
        "x:a\tLOC\tAlphaville\tAlphaville\n",
        "[phases]\norder = one\n"
        "[rule bee]\nphase = one\nmatch = \"bee\" n:[cap]\n"
        "mention = PERSON n\n");
    char *layer = test_data_dir(
        "org:acme\tORG\tAcme Corporation\tAcme Corp | ACME\n"
        "x:b\tLOC\tBetaville\tBetaville\n",
        "[phases]\norder = one\n"
        "[rule bee]\nphase = one\nmatch = \"bee\" n:[cap]\n"
        "mention = ORG n\n");
    char sub[600];
    snprintf(sub, sizeof sub, "%s/gazetteers", layer);
    write_text(sub, "more.tsv", "id\tlabel\tcanonical\taliases\n"
               "x:c\tLOC\tGammaville\tGammaville\n");
    const char *const layers[] = { layer, NULL };
    nertag_load_options opt = { NULL, NULL, NULL, 0, layers, { 0 } };
    nertag_error err;
    char msg[600];
    nertag_model *m = nertag_model_load(base, &opt, &err);
    ck_assert_msg(m != NULL, "%s", nertag_error_format(&err, msg, sizeof msg));
    /* the layer's test.tsv replaces the base's (no Alphaville); its rules
     * file too (bee makes an ORG) */
    expect_mentions(m, "Acme Labs, Acme Corp, ACME in Alphaville, Betaville "
                    "and Gammaville; a bee Zed", "en",
                    "Acme Corp=ORG:Acme Corporation; ACME=ORG:Acme "
                    "Corporation; Betaville=LOC:Betaville; "
                    "Gammaville=LOC:Gammaville; Zed=ORG:Zed");
    nertag_model_free(m);
    /* an entry of a file of another name is replaced as well */
    snprintf(sub, sizeof sub, "%s/gazetteers/test.tsv", layer);
    ck_assert_int_eq(remove(sub), 0);
    snprintf(sub, sizeof sub, "%s/gazetteers", layer);
    write_text(sub, "zz.tsv", "id\tlabel\tcanonical\taliases\n"
               "org:acme\tORG\tAcme Inc\tAcme Inc\n");
    ck_assert_ptr_nonnull(m = nertag_model_load(base, &opt, &err));
    expect_mentions(m, "Acme and Acme Inc in Alphaville", "en",
                    "Acme Inc=ORG:Acme Inc; Alphaville=LOC:Alphaville");
    nertag_model_free(m);
    free(base);
    free(layer);
}
END_TEST

START_TEST(million_aliases)
{
    /* the names, all distinct */
    strtab names;
    memset(&names, 0, sizeof names);
    uint64_t rng = 0x9E3779B97F4A7C15ULL;
    buf name = BUF_INIT, tsv = BUF_INIT;
    ck_assert_int_eq(buf_puts(&tsv, HEADER), 0);
    while (names.count < NALIASES) {
        buf_clear(&name);
        make_name(&rng, &name);
        size_t before = names.count;
        uint32_t id = strtab_intern(&names, name.data, name.len);
        ck_assert_uint_ne(id, STRTAB_NONE);
        if (names.count == before)
            continue;       /* drawn before */
        ck_assert_int_eq(buf_printf(&tsv, "e:%u\tORG\tEntity %u\t%s\n", id, id,
                                    name.data), 0);
    }
    fixture f;
    fx_open(&f);
    char path[160];
    snprintf(path, sizeof path, "%s/big.tsv", f.gaz);
    write_file(path, tsv.data, tsv.len);
    size_t file_size = tsv.len;
    buf_free(&tsv);

    double t0 = seconds();
    nertag_error err;
    nertag_model *m = nertag_model_load(f.dir, NULL, &err);
    double load = seconds() - t0;
    char msg[600];
    ck_assert_msg(m != NULL, "%s", nertag_error_format(&err, msg, sizeof msg));
    fx_close(&f);
    nertag_model_stats st;
    nertag_model_get_stats(m, &st);
    ck_assert_uint_eq(st.entries, NALIASES);
    ck_assert_uint_eq(st.aliases, NALIASES);
    printf("gazetteer of %d aliases (%.1f MB): loaded in %.2f s, "
           "model memory %.1f MB\n", NALIASES, file_size / 1e6, load,
           st.memory / 1e6);

    /* a text naming a sample of them, separated by commas */
    buf text = BUF_INIT;
    uint32_t sample[NSAMPLE];
    size_t starts[NSAMPLE];
    for (size_t i = 0; i < NSAMPLE; i++) {
        sample[i] = (uint32_t)(rng_next(&rng) % NALIASES);
        ck_assert_int_eq(buf_puts(&text, i ? ", " : "Selon "), 0);
        starts[i] = text.len;
        ck_assert_int_eq(buf_puts(&text, strtab_get(&names, sample[i])), 0);
    }
    ck_assert_int_eq(buf_puts(&text, "."), 0);
    nertag_tagger *t = nertag_tagger_new(m, &err);
    ck_assert_ptr_nonnull(t);
    nertag_options opt = { "fr", 0, NULL, { 0 } };
    t0 = seconds();
    nertag_result *r = nertag_tag(t, text.data, text.len, &opt, &err);
    double tagging = seconds() - t0;
    ck_assert_msg(r != NULL, "%s", err.message);
    printf("tagged %zu bytes naming %d of them in %.3f s\n", text.len, NSAMPLE,
           tagging);
    ck_assert_uint_eq(nertag_result_count(r), NSAMPLE);
    for (size_t i = 0; i < NSAMPLE; i++) {
        const nertag_mention *x = nertag_result_mention(r, i);
        const char *want = strtab_get(&names, sample[i]);
        char canon[32], id[32];
        snprintf(canon, sizeof canon, "Entity %u", sample[i]);
        snprintf(id, sizeof id, "e:%u", sample[i]);
        ck_assert_msg(x->bstart == starts[i] && !strcmp(x->text, want),
                      "sample %zu: found <%s> at %zu, want <%s> at %zu", i,
                      x->text, x->bstart, want, starts[i]);
        ck_assert_str_eq(x->canonical, canon);
        ck_assert_str_eq(x->id, id);
        ck_assert_int_eq(x->type, NERTAG_ORG);
    }
    nertag_result_free(r);
    nertag_tagger_free(t);
    nertag_model_free(m);
    buf_free(&text);
    buf_free(&name);
    strtab_free(&names);
}
END_TEST

static Suite *gazetteer_suite(void)
{
    Suite *s = suite_create("gazetteer");
    TCase *tc = tcase_create("matching");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, longest_match);
    tcase_add_test(tc, multi_word_aliases);
    tcase_add_test(tc, first_word_read_is_not_the_root);
    tcase_add_test(tc, possessive_glued_to_a_given_token);
    tcase_add_test(tc, case_rules_default);
    tcase_add_test(tc, case_flags);
    tcase_add_test(tc, ambiguous_is_no_mention);
    tcase_add_test(tc, language_flags);
    tcase_add_test(tc, other_labels_make_no_mention);
    tcase_add_test(tc, lines_of_one_entry_merged);
    tcase_add_test(tc, conflicting_canonicals);
    tcase_add_test(tc, attributes_column);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, error_missing_header);
    tcase_add_test(tc, error_field_counts);
    tcase_add_test(tc, error_bad_fields);
    tcase_add_test(tc, error_empty_alias);
    tcase_add_test(tc, error_unknown_flag);
    tcase_add_test(tc, error_invalid_utf8);
    tcase_add_test(tc, error_in_second_file);
    suite_add_tcase(s, tc);

    tc = tcase_create("files");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, bom_and_crlf);
    tcase_add_test(tc, empty_files);
    tcase_add_test(tc, several_files_and_load_options);
    tcase_add_test(tc, layered_data_folders);
    suite_add_tcase(s, tc);

    tc = tcase_create("scale");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, million_aliases);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return test_run(gazetteer_suite());
}
