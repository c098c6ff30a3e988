/* test_rules.c - the rule language: parsing, errors, matching, actions.
 *
 * Each test loads a tiny model (a few gazetteer lines and rules) and checks
 * the mentions that come out, written "text/TYPE/canonical[/for]". */
#include "testutil.h"
#include "lib/internal.h"
#include "lib/rules/rules.h"
#include "tools/tools.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PHASES "[phases]\norder = one two three\n"

static const char *const GAZ =
    "CN\tSTATE\tChina\tChina | Chine\n"
    "CN\tDEMONYM\tChina\tchinois | chinoise | Chinese\n"
    "CN\tCAPITAL\tChina\tPékin | Beijing\n"
    "city:beijing\tLOC\tBeijing\tPékin | Beijing\n"
    "org:acme\tORG\tAcme\tAcme\n"
    "x:orange\tORG\tOrange\tOrange [ambiguous]\n"
    "title:mr\tTITLE\tMr\tM. | Mr.\n";

/* Loads GAZ and the given rules (after the phases), or fails the test. */
static nertag_model *load(const char *rules)
{
    buf r = BUF_INIT;
    buf_puts(&r, PHASES);
    buf_puts(&r, rules);
    nertag_error err;
    char msg[600];
    nertag_model *m = test_load(GAZ, r.data, &err);
    ck_assert_msg(m != NULL, "load failed: %s",
                  nertag_error_format(&err, msg, sizeof msg));
    buf_free(&r);
    return m;
}

/* Expects loading to fail at line (in test.rules) with a message
 * containing what. */
static void load_fails(const char *rules, long line, const char *what)
{
    buf r = BUF_INIT;
    buf_puts(&r, PHASES);
    buf_puts(&r, rules);
    nertag_error err;
    nertag_model *m = test_load(GAZ, r.data, &err);
    buf_free(&r);
    ck_assert_msg(m == NULL, "loading should fail: %s", what);
    ck_assert_int_eq(err.code, NERTAG_ERR_SYNTAX);
    ck_assert_msg(strstr(err.file, "test.rules") != NULL, "file %s", err.file);
    ck_assert_int_eq(err.line, line + 2);   /* the two lines of PHASES */
    ck_assert_msg(strstr(err.message, what) != NULL, "message '%s' lacks '%s'",
                  err.message, what);
}

static void expect(const nertag_model *m, const char *lang, const char *text,
                   const char *want)
{
    char *got = test_mentions(m, lang, text);
    ck_assert_str_eq(got, want);
    free(got);
}

/* ------------------------------------------------------------ errors */

START_TEST(errors_have_their_line)
{
    load_fails("[rule a]\nphase = one\nmatch = [bogus]\nmention = ORG\n", 3,
               "unknown token feature 'bogus'");
    load_fails("[rule a]\nphase = one\nmention = ORG\n", 1, "has no 'match'");
    load_fails("[rule a]\nmatch = \"x\"\nmention = ORG\n", 1, "has no 'phase'");
    load_fails("[rule a]\nphase = nine\nmatch = \"x\"\nmention = ORG\n", 2,
               "not in the [phases] order");
    load_fails("[rule a]\nphase = one\nmatch = x:\"a\"\nmention = ORG\n"
               "canonical = {y}\n", 5, "unknown capture 'y'");
    load_fails("[rule a]\nphase = one\nmatch = \"a\"?\nmention = ORG\n", 3,
               "can match nothing");
    load_fails("[rule a]\nphase = one\nmatch = \"a\" (\"b\"?)*\nmention = ORG\n",
               3, "can match nothing");
    load_fails("[rule a]\nphase = one\nmatch = @nolist\nmention = ORG\n", 3,
               "unknown list 'nolist'");
    load_fails("[rule a]\nphase = one\nmatch = \"abc\nmention = ORG\n", 3,
               "unterminated string");
    load_fails("[rule a]\nphase = one\nmatch = \"a\"\n", 1, "does nothing");
    load_fails("[rule a]\nphase = one\nmatch = \"a\"\nmention = ORG\n"
               "[rule a]\nphase = one\nmatch = \"b\"\nmention = ORG\n", 5,
               "defined twice");
    load_fails("[rule a]\nphase = one\nmatch = \"a\"\nremove = x\n", 4,
               "unknown capture 'x'");
    load_fails("[rule a]\nphase = one\nmatch = x:\"a\"\nconfirm = x\n"
               "canonical = z\n", 1, "need a 'mention'");
    load_fails("[nonsense]\n", 1, "unknown section");
    load_fails("[rule a]\nphase = one\nmatch = \"a\"\nmention = ORG\n"
               "colour = red\n", 5, "unknown key 'colour'");
    load_fails("[list l]\nwords = a\nstems = b\n", 1, "either 'words' or");
    load_fails("[rule a]\nphase = one\nmatch = \"a\" {2,1}\nmention = ORG\n", 3,
               "expected {n}");
    load_fails("[rule a]\nphase = one\nmatch = \"a\"\nmention = ORG\n"
               "example = no marks here\n", 5, "at least one");
    load_fails("[phases]\norder = x\n", 1, "more than one place");
    load_fails("\n  indented = 1\n", 2, "continues nothing");
}
END_TEST

/* What rules_lint reports, as "line: message" lines. */
static void collect(void *ctx, const char *file, long line,
                    const char *rule_name, const char *message)
{
    (void)file;
    (void)rule_name;
    buf_printf(ctx, "%ld: %s\n", line - 2, message);   /* after PHASES */
}

START_TEST(lint_finds_what_does_nothing)
{
    nertag_model *m = load(
        "[list unused]\nwords = a | b\n"
        "[rule early]\nphase = one\nmatch = <TAGGED> \"x\"\nmention = ORG\n"
        "[rule marks]\nphase = one\nmatch = [cap] \"Ltd\"\nmention = TAGGED\n"
        "[rule nowhere]\nphase = three\nmatch = <NOTHING>\nmention = ORG\n");
    buf out = BUF_INIT;
    /* the labels of GAZ that no rule tests come first, once each (at
     * their lines of test.tsv, less the 2 that collect takes off) */
    ck_assert_int_eq(lint_rules(m, collect, &out), 6);
    ck_assert_str_eq(out.data,
                     "1: label DEMONYM is no type and no rule tests it\n"
                     "2: label CAPITAL is no type and no rule tests it\n"
                     "6: label TITLE is no type and no rule tests it\n"
                     "3: <TAGGED> is made only in a later phase than this rule's\n"
                     "11: <NOTHING> is given by no gazetteer and made by no rule\n"
                     "1: list used by no rule\n");
    buf_free(&out);
    nertag_model_free(m);
}
END_TEST

/* A rule that makes a label which is no type and which no rule tests
 * makes nothing anyone sees: most likely a misspelt type, refused. */
START_TEST(misspelt_type_is_refused)
{
    load_fails("[rule typo]\nphase = two\nmatch = n:[cap]\nmention = GRUOP n\n",
               1, "makes 'GRUOP', which is no type");
}
END_TEST

/* ------------------------------------------------------------ matching */

START_TEST(literals_fold_case_and_accents)
{
    nertag_model *m = load("[rule a]\nphase = one\nmatch = \"ETATS\" \"unis\"\n"
                           "mention = LOC\ncanonical = Etats\n");
    expect(m, "fr", "les États Unis", "États Unis/LOC/Etats");
    expect(m, "fr", "les etats UNIS", "etats UNIS/LOC/Etats");
    expect(m, "fr", "les états", "");
    nertag_model_free(m);
}
END_TEST

START_TEST(token_features)
{
    nertag_model *m = load(
        "[rule caps]\nphase = one\nmatch = [upper & !sstart]{2}\n"
        "mention = ORG\n"
        "[rule word]\nphase = one\nmatch = [word=\"Exact\"]\nmention = LOC\n"
        "[rule digit]\nphase = one\nmatch = [digit & !alpha] \"km\"\n"
        "mention = LOC\n");
    expect(m, "en", "We met ABC DEF today", "ABC DEF/ORG/ABC DEF");
    expect(m, "en", "ABC DEF met us", "");
    expect(m, "en", "the Exact place, not exact", "Exact/LOC/Exact");
    expect(m, "en", "after 12 km and A1 km", "12 km/LOC/12 km");
    nertag_model_free(m);
}
END_TEST

/* ends="…": the folded form ends so, and is longer. */
START_TEST(endings)
{
    nertag_model *m = load("[rule verb]\nphase = one\n"
                           "match = c:[cap] [ends=\"ENT\" & lower]\n"
                           "mention = STATE c\n");
    expect(m, "fr", "Paris dénoncent, Rome répondent, Bonn ent, Oslo mange",
           "Paris/STATE/Paris; Rome/STATE/Rome");
    nertag_model_free(m);
    load_fails("[rule e]\nphase = one\nmatch = [ends=\"\"]\nmention = ORG\n",
               3, "matches every word");
}
END_TEST

/* Endings or-ed together, after another alternative and in a conjunction,
 * are one test answered from each word's memo: the same words repeated
 * get the same answers as the first time, in either order. */
START_TEST(endings_joined)
{
    nertag_model *m = load("[list roles]\nwords = chef\n"
                           "[rule role]\nphase = one\n"
                           "match = [@roles | ends=\"spieler\" | ends=\"fahrer\""
                           " | ends=\"in\"] n:[cap & !sstart]\n"
                           "mention = PERSON n\n");
    const char *text = "Der Rennfahrer Lasse fuhr, der chef Anna kam, der "
                       "Fahrer Jan und die Torspielerin Mia, dann Ingo Mia, "
                       "der Rennfahrer Lasse, die Torspielerin Mia, der "
                       "Spieler Ben.";
    const char *want = "Lasse/PERSON/Lasse; Anna/PERSON/Anna; "
                       "Mia/PERSON/Mia; Lasse/PERSON/Lasse; "
                       "Mia/PERSON/Mia";
    expect(m, "en", text, want);
    expect(m, "en", text, want);       /* the memo is filled now */
    nertag_model_free(m);
}
END_TEST

/* The memo of endings has room past 64 endings: a rule whose endings
 * come after 100 others answers the same as the first time, and endings
 * or-ed across two words of the memo still join where they can. */
START_TEST(endings_past_the_first_64)
{
    buf r = BUF_INIT;
    buf_puts(&r, "[rule many]\nphase = one\nmatch = [ends=\"qa0\"");
    for (int i = 1; i < 100; i++)
        buf_printf(&r, " | ends=\"qa%d\"", i);
    buf_puts(&r, "]\nmention = ORG\n"
             "[rule role]\nphase = one\n"
             "match = [ends=\"spieler\" | ends=\"fahrer\" | ends=\"in\"]"
             " n:[cap & !sstart]\nmention = PERSON n\n");
    nertag_model *m = load(r.data);
    const test *x = m->rules->tests.v;
    int past = 0, joined_past = 0;
    for (size_t i = 0; i < m->rules->tests.n; i++) {
        if (x[i].kind == T_ENDS && x[i].arg2 != NONE32 && x[i].arg2 >= 64)
            past++;
        if (x[i].kind == T_ENDINGS && x[i].ends_word == 1)
            joined_past++;
    }
    ck_assert_int_eq(past, 100 + 3 - 64);
    ck_assert_int_gt(joined_past, 0);
    const char *text = "Der Rennfahrer Lasse fuhr, der Fahrer Jan und die "
                       "Torspielerin Mia, dann Ingo Mia, der xqa7 kam.";
    const char *want = "Lasse/PERSON/Lasse; Mia/PERSON/Mia; xqa7/ORG/xqa7";
    expect(m, "en", text, want);
    expect(m, "en", text, want);       /* the memo is filled now */
    nertag_model_free(m);
    buf_free(&r);
}
END_TEST

/* A rule whose first token is known by a long enough ending or a word is
 * found under them, not tried on every token; a rule of one language is
 * not found in a text of another; a short ending ("in") leaves the rule
 * to be tried on every token its flags allow. */
START_TEST(rules_found_by_endings_words_and_language)
{
    nertag_model *m = load("[rule role]\nphase = one\n"
                           "match = [ends=\"sprecher\" | word=\"Chef\"]"
                           " n:[cap & !sstart]\nmention = PERSON n\n"
                           "[rule fr]\nphase = one\nlang = fr\n"
                           "match = [ends=\"isme\"] n:[cap]\n"
                           "mention = ORG n\n"
                           "[rule short]\nphase = two\n"
                           "match = [ends=\"in\"] n:[cap & !sstart]\n"
                           "mention = LOC n\n");
    ck_assert_uint_eq(m->rules->phases.v[0].anywhere.n, 0);
    ck_assert_uint_eq(m->rules->phases.v[1].anywhere.n, 1);
    const char *text = "der Regierungssprecher Lasse, der Chef Anna, "
                       "der sprecher Ben, der Kremlsprecher Olaf";
    const char *want = "Lasse/PERSON/Lasse; Anna/PERSON/Anna; "
                       "Olaf/PERSON/Olaf";
    expect(m, "en", text, want);
    expect(m, "en", text, want);       /* the memo of endings is filled */
    expect(m, "fr", "le journalisme Dupont, le Pressesprecher Marc",
           "Dupont/ORG/Dupont; Marc/PERSON/Marc");
    expect(m, "en", "the journalisme Dupont", "");
    expect(m, "en", "a Berlin Mia and Bonn", "Mia/LOC/Mia");
    nertag_model_free(m);
}
END_TEST

/* document-has: the rule runs only in documents with a word of the list,
 * whether the list is among the first 64 (a bit per word) or further
 * (looked up word by word). */
START_TEST(document_has_any_list)
{
    for (int filler = 0; filler <= 70; filler += 70) {
        buf r = BUF_INIT;
        for (int i = 0; i < filler; i++)
            buf_printf(&r, "[list filler%d]\nwords = word%d\n", i, i);
        buf_puts(&r, "[list sports]\nwords = score | goal\n"
                     "[rule team]\nphase = one\nmatch = c:[cap] [digit]\n"
                     "document-has = sports\nmention = ORG c\n");
        /* every filler list used, so that lint stays quiet */
        for (int i = 0; i < filler; i++)
            buf_printf(&r, "[rule f%d]\nphase = one\nmatch = @filler%d "
                       "\"zzz\"\nmention = LOC\n", i, i);
        nertag_model *m = load(r.data);
        expect(m, "en", "Leeds 3 Wigan 1 after a late goal",
               "Leeds/ORG/Leeds; Wigan/ORG/Wigan");
        expect(m, "en", "Leeds 3 Wigan 1 after a late train", "");
        nertag_model_free(m);
        buf_free(&r);
    }
}
END_TEST

START_TEST(stems_and_lists)
{
    nertag_model *m = load(
        "[list verbs]\nlang = fr\nstems = déclarer\n"
        "[list dets]\nwords = le | la\n"
        "[rule a]\nphase = one\nlang = fr\nmatch = @dets x:[cap] @verbs\n"
        "mention = PERSON x\n"
        "[rule b]\nphase = one\nlang = en\nmatch = x:[cap] [stem=\"deny\"]\n"
        "mention = PERSON x\n");
    expect(m, "fr", "la Durand déclara", "Durand/PERSON/Durand");
    expect(m, "fr", "le Martin a déclaré", "");
    expect(m, "fr", "le Martin déclarait", "Martin/PERSON/Martin");
    expect(m, "en", "so Smith denied it", "Smith/PERSON/Smith");
    expect(m, "en", "so Smith denies it", "Smith/PERSON/Smith");
    nertag_model_free(m);
}
END_TEST

START_TEST(alternatives_and_repetition)
{
    nertag_model *m = load(
        "[rule a]\nphase = one\n"
        "match = (\"the\" | \"a\")? n:[cap]{1,3} (\"Ltd\" | \"Inc\")\n"
        "mention = ORG n\n");
    expect(m, "en", "the Big Red Dog Inc said", "Big Red Dog/ORG/Big Red Dog");
    expect(m, "en", "One Two Three Four Ltd", "Two Three Four/ORG/Two Three Four");
    expect(m, "en", "a Solo Ltd", "Solo/ORG/Solo");
    nertag_model_free(m);
}
END_TEST

START_TEST(annotations_and_templates)
{
    nertag_model *m = load(
        "[rule gov]\nphase = one\nmatch = \"gouvernement\" s:<DEMONYM>\n"
        "mention = STATE\ncanonical = {s}\nid = {s.id}\n"
        "[rule named]\nphase = one\nmatch = \"office\" \"of\" s:<STATE>\n"
        "mention = ORG\ncanonical = Office ({s.text}, {s}, {s.id})\n");
    expect(m, "fr", "le gouvernement chinois", "gouvernement chinois/STATE/China");
    expect(m, "en", "the office of Chine", "office of Chine/ORG/Office (Chine, China, CN)");
    nertag_model_free(m);
}
END_TEST

START_TEST(contexts_are_tested_not_consumed)
{
    nertag_model *m = load(
        "[rule actor]\nphase = one\nmatch = c:<CAPITAL>\n"
        "before = \"pour le compte de\"\nmention = STATE c\n"
        "[rule subject]\nphase = one\nmatch = c:<CAPITAL>\n"
        "after = \"denied\"\nnot-before = \"in\"\nmention = STATE c\n");
    expect(m, "fr", "pour le compte de Pékin", "Pékin/STATE/China");
    expect(m, "fr", "une visite à Pékin", "Pékin/LOC/Beijing");
    expect(m, "en", "Beijing denied it", "Beijing/STATE/China");
    expect(m, "en", "those in Beijing denied it", "Beijing/LOC/Beijing");
    nertag_model_free(m);
}
END_TEST

/* A context of one token (a test, or alternatives of one token each) is
 * the token beside the match, in its sentence: none past its bounds. */
START_TEST(contexts_of_one_token_stay_in_the_sentence)
{
    nertag_model *m = load(
        "[rule subject]\nphase = one\nmatch = c:<CAPITAL>\n"
        "after = \"denied\" | \"said\" | [number]\n"
        "not-before = [cap & alpha]\nmention = STATE c\n");
    expect(m, "en", "Beijing said it", "Beijing/STATE/China");
    expect(m, "en", "then Beijing denied it", "Beijing/STATE/China");
    expect(m, "en", "Old Beijing said it", "Beijing/LOC/Beijing");
    expect(m, "en", "we saw Beijing\n\nsaid nothing", "Beijing/LOC/Beijing");
    expect(m, "en", "we saw Beijing", "Beijing/LOC/Beijing");
    nertag_model_free(m);
}
END_TEST

/* Alternatives whose first word may be left out: the match starts with
 * that word or with the next, both tried (their union is tested first). */
START_TEST(alternatives_with_a_word_left_out)
{
    nertag_model *m = load(
        "[rule subject]\nphase = one\nmatch = c:<CAPITAL>\n"
        "after = (\"has\" | \"had\")? \"said\" | \"denied\" \"it\"\n"
        "mention = STATE c\n"
        "[rule two]\nphase = one\n"
        "match = \"the\"? n:[cap & alpha] \"Ltd\" | \"firm\" n:[cap & alpha]\n"
        "mention = ORG n\n");
    expect(m, "en", "Beijing said so", "Beijing/STATE/China");
    expect(m, "en", "Beijing has said so", "Beijing/STATE/China");
    expect(m, "en", "Beijing denied it", "Beijing/STATE/China");
    expect(m, "en", "Beijing has left", "Beijing/LOC/Beijing");
    expect(m, "en", "Beijing denied", "Beijing/LOC/Beijing");
    expect(m, "en", "the Zorg Ltd", "Zorg/ORG/Zorg");
    expect(m, "en", "Zorg Ltd", "Zorg/ORG/Zorg");
    expect(m, "en", "a firm Zorg", "Zorg/ORG/Zorg");
    nertag_model_free(m);
}
END_TEST

START_TEST(longest_then_priority_then_order)
{
    nertag_model *m = load(
        "[rule short]\nphase = one\nmatch = \"red\"\nmention = LOC\n"
        "[rule long]\nphase = one\nmatch = \"red\" \"sea\"\nmention = LOC\n"
        "[rule first]\nphase = one\nmatch = \"blue\"\nmention = LOC\n"
        "[rule second]\nphase = one\nmatch = \"blue\"\nmention = ORG\n"
        "[rule low]\nphase = one\nmatch = \"green\"\nmention = LOC\n"
        "[rule high]\nphase = one\nmatch = \"green\"\nmention = ORG\n"
        "priority = 5\n");
    expect(m, "en", "the red sea", "red sea/LOC/red sea");
    expect(m, "en", "the blue one", "blue/LOC/blue");
    expect(m, "en", "the green one", "green/ORG/green");
    nertag_model_free(m);
}
END_TEST

START_TEST(phases_see_earlier_phases)
{
    nertag_model *m = load(
        "[rule one]\nphase = one\nmatch = [cap & !sstart] \"Holdings\"\n"
        "mention = HOLDING\n"
        "[rule two]\nphase = two\nmatch = h:<HOLDING>\nmention = ORG h\n"
        "[rule same]\nphase = one\nmatch = h:<HOLDING> \"x\"\n"
        "mention = PERSON h\n");
    /* "same" cannot see what its own phase made */
    expect(m, "en", "the Zeta Holdings x", "Zeta Holdings/ORG/Zeta Holdings");
    nertag_model_free(m);
}
END_TEST

START_TEST(retype_remove_confirm)
{
    nertag_model *m = load(
        "[rule retype]\nphase = one\nmatch = c:<LOC> \"said\"\n"
        "retype = STATE c\n"
        "[rule remove]\nphase = one\nmatch = \"not\" o:<ORG>\nremove = o\n"
        "[rule confirm]\nphase = one\nmatch = o:<ORG> \"SA\"\n"
        "confirm = o\n");
    expect(m, "en", "Beijing said so", "Beijing/STATE/Beijing");
    expect(m, "en", "Acme and not Acme", "Acme/ORG/Acme");
    expect(m, "fr", "un jus Orange", "");
    expect(m, "fr", "la société Orange SA", "Orange/ORG/Orange");
    nertag_model_free(m);
}
END_TEST

/* A removed mention takes the mentions inside it along: they lost to it,
 * and must not come back as names of their own. */
START_TEST(remove_takes_what_is_inside)
{
    nertag_model *m = load(
        "[rule labs]\nphase = one\nmatch = <ORG> \"Labs\"\nmention = ORG\n"
        "[rule product]\nphase = two\nmatch = o:<ORG> \"Suite\"\n"
        "remove = o\n");
    expect(m, "en", "Acme Labs said", "Acme Labs/ORG/Acme Labs");
    expect(m, "en", "the Acme Labs Suite sold", "");
    expect(m, "en", "the Acme Suite sold", "");
    nertag_model_free(m);
}
END_TEST

START_TEST(aliases_last_for_the_document)
{
    nertag_model *m = load(
        "[rule known]\nphase = one\n"
        "match = o:<ORG> \",\" \"known as\" n:[cap]+\nalias = n o\n"
        "[rule dubbed]\nphase = one\nmatch = \"dubbed\" n:[cap]+\n"
        "mention = GROUP n\nalias = n\n");
    expect(m, "en", "Acme, known as Roadrunner Co, grew. Roadrunner Co fell.",
           "Acme/ORG/Acme; Roadrunner Co/ORG/Acme; Roadrunner Co/ORG/Acme");
    expect(m, "en", "Blue Fox rose. A gang dubbed Blue Fox struck. Blue Fox "
           "again.", "Blue Fox/GROUP/Blue Fox; Blue Fox/GROUP/Blue Fox");
    /* a name long enough that copying it for the alias grows the buffer
     * that holds it (a read of freed memory, under a sanitizer) */
    expect(m, "en", "A gang dubbed Quietly Burning Midnight Tempest struck. "
           "Quietly Burning Midnight Tempest again.",
           "Quietly Burning Midnight Tempest/GROUP/Quietly Burning Midnight "
           "Tempest; Quietly Burning Midnight Tempest/GROUP/Quietly Burning "
           "Midnight Tempest");
    nertag_model_free(m);
    /* an annotation that is no mention has no alias: its later
     * occurrences are not mentions of a type without a name */
    m = load("[rule code]\nphase = one\nmatch = \"code\" n:[cap]+\n"
             "mention = CODE_NAME n\nalias = n\n"
             "[rule use]\nphase = two\nmatch = c:<CODE_NAME> \"zz\"\n"
             "mention = ORG c\n");
    expect(m, "en", "A project code Nimbus Gate. Nimbus Gate again.", "");
    nertag_model_free(m);
}
END_TEST

/* A rule that reads words does not override what the gazetteer knows of
 * exactly those words: a known name of another type stands, one of the
 * same type lends its entity; an ambiguous alias is no such knowledge. */
START_TEST(known_names_stand)
{
    nertag_model *m = load(
        "[rule head]\nphase = one\nmatch = [cap]{1,2}\nmention = LOC\n"
        "[rule org-head]\nphase = two\nmatch = [cap & !in=LOC]{1,2}\n"
        "mention = ORG\n");
    /* Acme is an ORG: the LOC rule makes nothing over it, the ORG rule
     * takes its entity (canonical and id) */
    expect(m, "en", "then Acme went", "Acme/ORG/Acme");
    /* an ambiguous alias of another type: the rule names a new place */
    expect(m, "en", "then Orange went", "Orange/LOC/Orange");
    nertag_model_free(m);
    /* the rule's decision stands when its pattern took the annotation
     * itself: a deliberate retyping */
    m = load("[rule capital]\nphase = one\nmatch = c:<CAPITAL> \"denied\"\n"
             "mention = STATE c\n");
    expect(m, "en", "Beijing denied it", "Beijing/STATE/China");
    nertag_model_free(m);
}
END_TEST

/* A name a rule declared for the document takes over later mentions that
 * another rule only guessed from the words; known names keep theirs. */
START_TEST(declared_names_override_guesses)
{
    nertag_model *m = load(
        "[rule pair]\nphase = one\nmatch = [cap & !sstart & !in=any]{2}\n"
        "mention = PERSON\n"
        "[rule gang]\nphase = two\nmatch = \"gang\" n:[cap]{2}\n"
        "mention = GROUP n\nalias = n\n");
    expect(m, "en", "The gang Zerkalo Noir struck. Then Zerkalo Noir wrote.",
           "Zerkalo Noir/GROUP/Zerkalo Noir; Zerkalo Noir/GROUP/Zerkalo Noir");
    /* before its declaration, the guess stands */
    expect(m, "en", "Then Zerkalo Noir wrote. The gang Zerkalo Noir struck.",
           "Zerkalo Noir/PERSON/Zerkalo Noir; Zerkalo Noir/GROUP/Zerkalo Noir");
    nertag_model_free(m);
}
END_TEST

/* A known spokesperson named by a trigger speaks for the body the
 * gazetteer says, unless the text says another; other people speak for
 * no one. */
START_TEST(gazetteer_says_whom_a_spokesperson_speaks_for)
{
    nertag_error err;
    nertag_model *m = test_load(
        "p:mao\tPERSON\tMao Ning\tMao Ning\trole=spokesperson; "
        "speaks-for=Ministry of Foreign Affairs (China); from=2022\n"
        "org:acme\tORG\tAcme\tAcme\n",
        PHASES "[rule role]\nphase = one\nmatch = \"spokesperson\" n:<PERSON>\n"
        "mention = SPOKESPERSON n\n"
        "[rule role-for]\nphase = one\n"
        "match = o:<ORG> \"spokesperson\" n:<PERSON>\n"
        "mention = SPOKESPERSON n\nfor = {o}\n", &err);
    ck_assert_ptr_nonnull(m);
    expect(m, "en", "said spokesperson Mao Ning",
           "Mao Ning/SPOKESPERSON/Mao Ning/Ministry of Foreign Affairs (China)");
    expect(m, "en", "said Acme spokesperson Mao Ning",
           "Acme/ORG/Acme; Mao Ning/SPOKESPERSON/Mao Ning/Acme");
    expect(m, "en", "said Mao Ning", "Mao Ning/PERSON/Mao Ning");
    nertag_model_free(m);
}
END_TEST

/* --explain says which candidates lost, and why. */
START_TEST(trace_tells_what_lost)
{
    nertag_model *m = load(
        "[rule head]\nphase = one\nmatch = [cap]{1,2}\nmention = LOC\n");
    nertag_error err;
    nertag_tagger *t = nertag_tagger_new(m, &err);
    nertag_options opt = { "en", NERTAG_TAG_TRACE, NULL, { 0 } };
    const char *text = "then Acme went to China Town";
    nertag_result *r = nertag_tag(t, text, strlen(text), &opt, &err);
    ck_assert_ptr_nonnull(r);
    buf all = BUF_INIT;
    for (size_t i = 0; i < nertag_result_trace_count(r); i++)
        buf_printf(&all, "%s\n", nertag_result_trace(r, i));
    ck_assert_msg(strstr(all.data, "kept ORG 'Acme' (Acme) over LOC by rule "
                         "head") != NULL, "%s", all.data);
    ck_assert_msg(strstr(all.data, "lost STATE 'China' (China) to LOC "
                         "'China Town' (the longer mention wins)") != NULL,
                  "%s", all.data);
    buf_free(&all);
    nertag_result_free(r);
    nertag_tagger_free(t);
    nertag_model_free(m);
}
END_TEST

START_TEST(matches_stay_in_their_sentence)
{
    nertag_model *m = load("[rule a]\nphase = one\nmatch = \"end\" \".\" "
                           "[cap]\nmention = LOC\n");
    expect(m, "en", "the end. Next", "");
    nertag_model_free(m);
}
END_TEST

START_TEST(language_of_rules)
{
    nertag_model *m = load("[rule fr]\nphase = one\nlang = fr\nmatch = \"zz\"\n"
                           "mention = LOC\n");
    expect(m, "fr", "le zz", "zz/LOC/zz");
    expect(m, "en", "the zz", "");
    nertag_model_free(m);
}
END_TEST

START_TEST(spokesperson_and_later_mentions)
{
    nertag_model *m = load(
        "[rule s]\nphase = one\n"
        "match = o:<ORG> \"spokesperson\" n:[cap & alpha]{1,3}\n"
        "mention = SPOKESPERSON n\nfor = {o}\n"
        "[rule t]\nphase = one\nmatch = <TITLE> n:[cap & alpha]{1,3}\n"
        "mention = PERSON n\n");
    expect(m, "en", "Acme spokesperson Ann Lee said. Later Mr. Lee and Lee "
           "again. Ann agreed.",
           "Acme/ORG/Acme; Ann Lee/SPOKESPERSON/Ann Lee/Acme; "
           "Lee/SPOKESPERSON/Ann Lee/Acme; Lee/SPOKESPERSON/Ann Lee/Acme; "
           "Ann/SPOKESPERSON/Ann Lee/Acme");
    /* a part of the name that is a function word of the text's language
     * names the person only with a capital inside a sentence: "He" of "He
     * Yadong" in "Mr. He" and "said He", not the pronoun of "He left" */
    expect(m, "en", "Acme spokesperson He Yadong said. Then Mr. He spoke, "
           "said He. He left.",
           "Acme/ORG/Acme; He Yadong/SPOKESPERSON/He Yadong/Acme; "
           "He/SPOKESPERSON/He Yadong/Acme; He/SPOKESPERSON/He Yadong/Acme");
    nertag_model_free(m);
}
END_TEST

/* Many rules with distinct first words: each still fires on its word, and
 * a rule that can start anywhere fires too. */
START_TEST(index_of_many_rules)
{
    buf r = BUF_INIT;
    for (int i = 0; i < 2000; i++)
        buf_printf(&r, "[rule r%d]\nphase = two\nmatch = \"w%d\" [cap]\n"
                   "mention = LOC\ncanonical = rule %d\n", i, i, i);
    buf_puts(&r, "[rule any]\nphase = one\nmatch = [digit] [cap]\n"
             "mention = ORG\n");
    nertag_model *m = load(r.data);
    expect(m, "en", "so w1234 Paris and w7 Rome and 9 Oslo",
           "w1234 Paris/LOC/rule 1234; w7 Rome/LOC/rule 7; 9 Oslo/ORG/9 Oslo");
    nertag_model_stats st;
    nertag_model_get_stats(m, &st);
    ck_assert_uint_eq(st.rules, 2001);
    ck_assert_uint_eq(st.phases, 3);
    nertag_model_free(m);
    buf_free(&r);
}
END_TEST

/* More than 64 rules of a phase that may start anywhere: the sets of
 * candidates span several words, and among matches of the same length
 * and priority the rule written first still wins, whichever word of the
 * set holds it. */
START_TEST(many_rules_that_start_anywhere)
{
    buf r = BUF_INIT;
    for (int i = 0; i < 100; i++)
        buf_printf(&r, "[rule a%d]\nphase = one\nmatch = [cap] \"w%d\"\n"
                   "mention = LOC\ncanonical = rule %d\n", i, i, i);
    buf_puts(&r, "[rule same-as-a5]\nphase = one\nmatch = [cap] \"w5\"\n"
             "mention = ORG\n"
             "[rule over-a70]\nphase = one\nmatch = [cap] \"w70\"\n"
             "mention = ORG\npriority = 2\n");
    nertag_model *m = load(r.data);
    expect(m, "en", "so Paris w5 and Rome w70 and Oslo w99 and Bonn w64",
           "Paris w5/LOC/rule 5; Rome w70/ORG/Rome w70; "
           "Oslo w99/LOC/rule 99; Bonn w64/LOC/rule 64");
    nertag_model_free(m);
    buf_free(&r);
}
END_TEST

/* The first token a tagger visits may find no rule that may start
 * anywhere for its flags (here visited for a word a rule starts on, and
 * turned away by the other rule at the start of a sentence): an empty
 * set, read before any other set of such rules was made (found by
 * fuzz_tag). */
START_TEST(no_rule_may_start_anywhere_at_first)
{
    nertag_model *m = load(
        "[rule keyed]\nphase = one\nmatch = \"abc\" \"y\"\n"
        "mention = ORG\n"
        "[rule inside]\nphase = one\nmatch = [cap & !sstart] \"x\"\n"
        "mention = LOC\n");
    expect(m, "en", "Abc x and Abc x", "Abc x/LOC/Abc x");
    expect(m, "en", "Abc y", "Abc y/ORG/Abc y");
    nertag_model_free(m);
}
END_TEST

/* A rule whose matches all pass a word it needs is tried only where that
 * word lies within reach of the start: the tokens and annotations before
 * it are counted (an annotation as long as the sentence's longest), and a
 * word of a list past the first 64 is needed so too. */
START_TEST(needed_word_within_reach)
{
    buf r = BUF_INIT;
    for (int i = 0; i < 70; i++)
        buf_printf(&r, "[list l%d]\nwords = w%d\n", i, i);
    buf_puts(&r, "[rule company]\nphase = one\n"
             "match = n:[cap]{1,3} (\"Ltd\" | \"Inc\")\nmention = ORG n\n"
             "[rule cup]\nphase = two\nmatch = <STATE> [cap]? @l69\n"
             "mention = ORG\n");
    nertag_model *m = load(r.data);
    const gate *g = m->rules->gates.v;
    ck_assert_uint_eq(g[0].reach_tokens, 3);    /* [cap]{1,3} before it */
    ck_assert_uint_eq(g[0].reach_annots, 0);
    ck_assert_uint_eq(g[1].reach_tokens, 1);    /* <STATE> [cap]? */
    ck_assert_uint_eq(g[1].reach_annots, 1);
    ck_assert(KEY_VALUE(m->rules->word_keys.v[g[1].key_from]) & KEY_FAR_LIST);
    expect(m, "en", "Alpha Beta Gamma Delta Epsilon Inc said",
           "Gamma Delta Epsilon/ORG/Gamma Delta Epsilon");
    expect(m, "en", "Alpha Beta Gamma Delta Epsilon Zeta said", "");
    expect(m, "en", "the China Super w69 final",
           "China Super w69/ORG/China Super w69");
    expect(m, "en", "the China w69 final", "China w69/ORG/China w69");
    expect(m, "en", "the China Super Big w69 final", "China/STATE/China");
    nertag_model_free(m);
    buf_free(&r);
    /* the eight words of one way fill half the room for keys, the ten of
     * the other do not fit: "end", two tokens on, is what that way needs */
    m = load("[rule r]\nphase = one\nmatch = (\"x1\" | \"x2\" | \"x3\" | "
             "\"x4\" | \"x5\" | \"x6\" | \"x7\" | \"x8\" | \"x9\" | "
             "\"x10\") [cap] \"end\"\n    | [cap] (\"y1\" | \"y2\" | "
             "\"y3\" | \"y4\" | \"y5\" | \"y6\" | \"y7\" | \"y8\")\n"
             "mention = ORG\n");
    expect(m, "en", "so Foo y3 now", "Foo y3/ORG/Foo y3");
    expect(m, "en", "so x4 Foo end now", "x4 Foo end/ORG/x4 Foo end");
    nertag_model_free(m);
}
END_TEST

/* A first step that takes an annotation keeps the tests of the token
 * after it, on every way a match may go on (a word left out, the ways of
 * alternatives), and an annotation whose next token passes none, or lies
 * in the next sentence, starts no match; a match that may end with the
 * annotation keeps none. */
START_TEST(first_annotation_looks_at_the_next_token)
{
    nertag_model *m = load(
        "[rule team]\nphase = one\n"
        "match = c:<CAPITAL> \"beat\" | c:<CAPITAL> [number] (\",\" | <CAPITAL>)"
        " | (<CAPITAL> | <ORG>) \"v\"? \"x\" c:<CAPITAL>\n"
        "mention = ORG c\n"
        "[rule alone]\nphase = two\nmatch = c:<ORG> \"inc\"?\n"
        "mention = ORG c\n");
    const ruleset *r = m->rules;
    const gate *g = r->gates.v;
    ck_assert_uint_eq(g[0].nfirst, 3);   /* (<CAPITAL> | <ORG>): one step */
    for (uint32_t k = 0; k < g[0].nfirst; k++) {
        const first_step *fs = &r->first_steps.v[g[0].first_from + k];
        ck_assert_uint_eq(fs->step.op, OP_ANNOT);
        ck_assert_uint_eq(fs->nfollow, fs->step.y == 2 ? 2 : 1);
    }
    ck_assert_uint_eq(g[1].nfirst, 1);
    ck_assert_uint_eq(r->first_steps.v[g[1].first_from].nfollow, 0);
    expect(m, "en", "Beijing beat them", "Beijing/ORG/China");
    expect(m, "en", "so Beijing 3, Acme 2", "Beijing/ORG/China; Acme/ORG/Acme");
    expect(m, "en", "Acme v x Beijing", "Acme/ORG/Acme; Beijing/ORG/China");
    expect(m, "en", "Acme x Beijing", "Acme/ORG/Acme; Beijing/ORG/China");
    expect(m, "en", "Beijing said so", "Beijing/LOC/Beijing");
    expect(m, "en", "Beijing. Beat them", "Beijing/LOC/Beijing");
    expect(m, "en", "Acme", "Acme/ORG/Acme");
    nertag_model_free(m);
}
END_TEST

/* A context before that is longer than one token gives its rule the
 * tests of the token before the match (every way it may start: a word
 * left out, alternatives), asked before the search; one of a single
 * token is asked whole there. */
START_TEST(contexts_before_are_asked_first)
{
    nertag_model *m = load(
        "[rule behalf]\nphase = one\nmatch = c:<CAPITAL>\n"
        "before = (\"told\" | \"said\") \"by\"? | \"on\" \"behalf\" \"of\"\n"
        "mention = STATE c\n"
        "[rule one]\nphase = two\nmatch = c:<ORG>\nnot-before = \"the\"\n"
        "before = [cap]\nmention = GROUP c\n");
    const ruleset *r = m->rules;
    ck_assert_uint_eq(r->rules.v[0].nbefore, 1);    /* the union of the ways */
    ck_assert_uint_eq(r->rules.v[1].nbefore, 0);    /* one token: whole */
    expect(m, "en", "it told Beijing", "Beijing/STATE/China");
    expect(m, "en", "it said by Beijing", "Beijing/STATE/China");
    expect(m, "en", "on behalf of Beijing", "Beijing/STATE/China");
    expect(m, "en", "half of Beijing", "Beijing/LOC/Beijing");
    expect(m, "en", "Beijing", "Beijing/LOC/Beijing");
    expect(m, "en", "so Big Acme", "Acme/GROUP/Acme");
    expect(m, "en", "the Acme", "Acme/ORG/Acme");
    nertag_model_free(m);
}
END_TEST

/* Nested repetitions cannot make matching exponential. */
START_TEST(hostile_pattern_stays_linear)
{
    nertag_model *m = load("[rule a]\nphase = one\n"
                           "match = ([alpha]+ [alpha]*)+ \"zzz\"\n"
                           "mention = LOC\n");
    buf text = BUF_INIT;
    for (int i = 0; i < 5000; i++)
        buf_puts(&text, "ab ");
    expect(m, "en", text.data, "");
    nertag_model_free(m);
    buf_free(&text);
}
END_TEST

static Suite *rules_suite(void)
{
    Suite *s = suite_create("rules");
    TCase *tc = tcase_create("language");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, errors_have_their_line);
    tcase_add_test(tc, literals_fold_case_and_accents);
    tcase_add_test(tc, token_features);
    tcase_add_test(tc, stems_and_lists);
    tcase_add_test(tc, rules_found_by_endings_words_and_language);
    tcase_add_test(tc, document_has_any_list);
    tcase_add_test(tc, endings);
    tcase_add_test(tc, endings_joined);
    tcase_add_test(tc, endings_past_the_first_64);
    tcase_add_test(tc, alternatives_and_repetition);
    tcase_add_test(tc, annotations_and_templates);
    tcase_add_test(tc, contexts_are_tested_not_consumed);
    tcase_add_test(tc, contexts_of_one_token_stay_in_the_sentence);
    tcase_add_test(tc, alternatives_with_a_word_left_out);
    tcase_add_test(tc, longest_then_priority_then_order);
    tcase_add_test(tc, phases_see_earlier_phases);
    tcase_add_test(tc, retype_remove_confirm);
    tcase_add_test(tc, remove_takes_what_is_inside);
    tcase_add_test(tc, aliases_last_for_the_document);
    tcase_add_test(tc, known_names_stand);
    tcase_add_test(tc, declared_names_override_guesses);
    tcase_add_test(tc, trace_tells_what_lost);
    tcase_add_test(tc, gazetteer_says_whom_a_spokesperson_speaks_for);
    tcase_add_test(tc, lint_finds_what_does_nothing);
    tcase_add_test(tc, misspelt_type_is_refused);
    tcase_add_test(tc, matches_stay_in_their_sentence);
    tcase_add_test(tc, language_of_rules);
    tcase_add_test(tc, spokesperson_and_later_mentions);
    tcase_add_test(tc, index_of_many_rules);
    tcase_add_test(tc, many_rules_that_start_anywhere);
    tcase_add_test(tc, no_rule_may_start_anywhere_at_first);
    tcase_add_test(tc, needed_word_within_reach);
    tcase_add_test(tc, first_annotation_looks_at_the_next_token);
    tcase_add_test(tc, contexts_before_are_asked_first);
    tcase_add_test(tc, hostile_pattern_stays_linear);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return test_run(rules_suite());
}
