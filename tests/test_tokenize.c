/* test_tokenize.c - tokens and sentences (tokenize.c).
 *
 * Tokens are read through the public API (nertag_result_token) and checked
 * against the tagger's own tokens, which also carry the flags and sentence
 * numbers: elisions and possessives split off, hyphenated names whole,
 * abbreviations with their period, sentence starts, quotes and
 * typographic spaces, offsets in bytes and code points, given tokens. */
#include "testutil.h"
#include "lib/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NBSP "\xC2\xA0"
#define NNBSP "\xE2\x80\xAF"
#define NBHY "\xE2\x80\x91"       /* U+2011 non-breaking hyphen */
#define RSQUO "\xE2\x80\x99"      /* ’ */
#define LAQUO "\xC2\xAB"          /* « */
#define RAQUO "\xC2\xBB"          /* » */

static nertag_tagger *tagger(void)
{
    nertag_error err;
    nertag_tagger *t = nertag_tagger_new(test_model(), &err);
    ck_assert_msg(t != NULL, "%s", err.message);
    return t;
}

/* Tags text (French unless lang says otherwise) and checks that the
 * result's token spans are the tagger's. */
static nertag_result *tag_lang(nertag_tagger *t, const char *text,
                               size_t len, const char *lang)
{
    nertag_error err;
    nertag_options opt = { lang ? lang : "fr", 0, NULL, { 0 } };
    nertag_result *r = nertag_tag(t, text, len, &opt, &err);
    ck_assert_msg(r != NULL, "<%s>: %s", text, err.message);
    ck_assert_uint_eq(nertag_result_token_count(r), t->doc.tokens.n);
    for (size_t i = 0; i < t->doc.tokens.n; i++) {
        size_t b, e;
        nertag_result_token(r, i, &b, &e);
        ck_assert_uint_eq(b, t->doc.tokens.v[i].bstart);
        ck_assert_uint_eq(e, t->doc.tokens.v[i].bend);
        ck_assert_uint_lt(b, e);
        ck_assert_uint_le(e, len);
    }
    return r;
}

/* The tokens of text as "a|b|c", from the public API. */
static char *tokens_of(nertag_tagger *t, const char *text, const char *lang)
{
    nertag_result *r = tag_lang(t, text, strlen(text), lang);
    buf out = BUF_INIT;
    ck_assert_int_eq(buf_puts(&out, ""), 0);
    for (size_t i = 0; i < nertag_result_token_count(r); i++) {
        size_t b, e;
        nertag_result_token(r, i, &b, &e);
        ck_assert_int_eq(buf_printf(&out, "%s%.*s", i ? "|" : "",
                                    (int)(e - b), text + b), 0);
    }
    nertag_result_free(r);
    return out.data;
}

static void expect_tokens_lang(nertag_tagger *t, const char *text,
                               const char *lang, const char *want)
{
    char *got = tokens_of(t, text, lang);
    ck_assert_msg(strcmp(got, want) == 0, "<%s>:\n got  <%s>\n want <%s>",
                  text, got, want);
    free(got);
}

#define expect_tokens(t, text, want) expect_tokens_lang(t, text, NULL, want)

/* The tokens of the last tagged text with their sentence numbers and
 * flags: "^" before a sentence start, "~" after an abbreviation,
 * "/N" the sentence number: "^Il/0 part/0 ./0 ^Elle/1". */
static char *marks(const nertag_tagger *t)
{
    buf out = BUF_INIT;
    ck_assert_int_eq(buf_puts(&out, ""), 0);
    for (size_t i = 0; i < t->doc.tokens.n; i++) {
        const token *tk = &t->doc.tokens.v[i];
        ck_assert_int_eq(buf_printf(&out, "%s%s%.*s%s/%u", i ? " " : "",
                                    tk->flags & TF_SSTART ? "^" : "",
                                    (int)(tk->bend - tk->bstart),
                                    t->doc.text + tk->bstart,
                                    tk->flags & TF_ABBREV ? "~" : "",
                                    tk->sentence), 0);
    }
    return out.data;
}

static void expect_marks(nertag_tagger *t, const char *text, const char *want)
{
    nertag_result *r = tag_lang(t, text, strlen(text), NULL);
    char *got = marks(t);
    ck_assert_msg(strcmp(got, want) == 0, "<%s>:\n got  <%s>\n want <%s>",
                  text, got, want);
    free(got);
    nertag_result_free(r);
}

/* ------------------------------------------------------------ elisions */

START_TEST(french_elisions)
{
    nertag_tagger *t = tagger();
    expect_tokens(t, "l'alerte d'APT28 qu'elle jusqu'\xC3\xA0",
                  "l'|alerte|d'|APT28|qu'|elle|jusqu'|\xC3\xA0");
    expect_tokens(t, "l" RSQUO "alerte d" RSQUO "APT28 qu" RSQUO "elle jusqu"
                     RSQUO "\xC3\xA0",
                  "l" RSQUO "|alerte|d" RSQUO "|APT28|qu" RSQUO "|elle|jusqu"
                  RSQUO "|\xC3\xA0");
    expect_tokens(t, "c'est s'il n'a j'ai m'a t'es lorsqu'il puisqu'on "
                     "presqu'\xC3\xAEle",
                  "c'|est|s'|il|n'|a|j'|ai|m'|a|t'|es|lorsqu'|il|puisqu'|on|"
                  "presqu'|\xC3\xAEle");
    /* capitals: L'Oréal is l' + Oréal like any other elision */
    expect_tokens(t, "L'Or\xC3\xA9" "al et L" RSQUO "Or\xC3\xA9" "al, D'APT28",
                  "L'|Or\xC3\xA9" "al|et|L" RSQUO "|Or\xC3\xA9" "al|,|D'|APT28");
    nertag_tagger_free(t);
}
END_TEST

START_TEST(words_with_an_apostrophe_stay_whole)
{
    nertag_tagger *t = tagger();
    expect_tokens(t, "aujourd'hui et aujourd" RSQUO "hui",
                  "aujourd'hui|et|aujourd" RSQUO "hui");
    expect_tokens_lang(t, "O'Brien met O" RSQUO "Neill", "en",
                       "O'Brien|met|O" RSQUO "Neill");
    /* an elision with nothing after it keeps its apostrophe */
    expect_tokens(t, "l' alerte", "l'|alerte");
    nertag_tagger_free(t);
}
END_TEST

/* Elided tokens fold to "l'", and the word after them is an ordinary
 * word: its folded form is in the lexicon when an alias uses it. */
START_TEST(elision_forms)
{
    nertag_tagger *t = tagger();
    nertag_result *r = tag_lang(t, "l" RSQUO "alerte L'Or\xC3\xA9" "al",
                                strlen("l" RSQUO "alerte L'Or\xC3\xA9" "al"),
                                NULL);
    ck_assert_uint_eq(t->doc.tokens.n, 4);
    size_t len;
    ck_assert_str_eq(token_norm(&t->doc, 0, &len), "l'");
    ck_assert_str_eq(token_norm(&t->doc, 2, &len), "l'");
    ck_assert_str_eq(token_norm(&t->doc, 3, &len), "oreal");
    /* the elided article is French evidence */
    ck_assert_uint_ne(t->doc.tokens.v[0].norm_id, NONE32);
    nertag_result_free(r);
    nertag_tagger_free(t);
}
END_TEST

/* ------------------------------------------------------------ possessive */

START_TEST(english_possessive)
{
    nertag_tagger *t = tagger();
    expect_tokens_lang(t, "Britain's allies", "en", "Britain|'s|allies");
    expect_tokens_lang(t, "Britain" RSQUO "s allies", "en",
                       "Britain|" RSQUO "s|allies");
    expect_tokens_lang(t, "BRITAIN'S ALLIES", "en", "BRITAIN|'S|ALLIES");
    expect_tokens_lang(t, "China's and Russia" RSQUO "s.", "en",
                       "China|'s|and|Russia|" RSQUO "s|.");
    /* a plural possessive: the apostrophe alone */
    expect_tokens_lang(t, "the hackers' tools", "en", "the|hackers|'|tools");
    nertag_tagger_free(t);
}
END_TEST

/* ------------------------------------------------------------ hyphens */

START_TEST(hyphenated_names_whole)
{
    nertag_tagger *t = tagger();
    expect_tokens(t, "la Nouvelle-Z\xC3\xA9lande et les \xC3\x89tats-Unis",
                  "la|Nouvelle-Z\xC3\xA9lande|et|les|\xC3\x89tats-Unis");
    expect_tokens(t, "le porte-parole de Saint-Jean-de-Luz",
                  "le|porte-parole|de|Saint-Jean-de-Luz");
    expect_tokens(t, "Saint" NBHY "Jean" NBHY "de" NBHY "Luz et porte"
                     "\xE2\x80\x90parole",
                  "Saint" NBHY "Jean" NBHY "de" NBHY "Luz|et|porte"
                  "\xE2\x80\x90parole");
    expect_tokens(t, "les ann\xC3\xA9" "es 1914-1918", "les|ann\xC3\xA9" "es|"
                  "1914-1918");
    /* hyphens that do not join two words */
    expect_tokens(t, "anti- et pro-Kremlin", "anti|-|et|pro-Kremlin");
    expect_tokens(t, "Paris - Berlin", "Paris|-|Berlin");
    expect_tokens(t, "-Paris porte-", "-|Paris|porte|-");
    nertag_tagger_free(t);
}
END_TEST

/* The hyphenated name is one token: the gazetteer sees it whole. */
START_TEST(hyphenated_names_found)
{
    nertag_tagger *t = tagger();
    const char *text = "La Nouvelle" NBHY "Z\xC3\xA9lande et les \xC3\x89tats"
                       NBHY "Unis.";
    nertag_result *r = tag_lang(t, text, strlen(text), NULL);
    ck_assert_uint_eq(nertag_result_count(r), 2);
    ck_assert_str_eq(nertag_result_mention(r, 0)->canonical, "New Zealand");
    ck_assert_str_eq(nertag_result_mention(r, 1)->canonical, "United States");
    nertag_result_free(r);
    nertag_tagger_free(t);
}
END_TEST

/* ------------------------------------------------------------ abbreviations */

START_TEST(abbreviations_keep_their_period)
{
    nertag_tagger *t = tagger();
    expect_marks(t, "M. Dupont et Mme Durand.",
                 "^M.~/0 Dupont/0 et/0 Mme/0 Durand/0 ./0");
    expect_marks(t, "MM. Dupont et Mme. Durand, Gén. Martin.",
                 "^MM.~/0 Dupont/0 et/0 Mme.~/0 Durand/0 ,/0 G\xC3\xA9n.~/0 "
                 "Martin/0 ./0");
    expect_marks(t, "Acme Corp. et U.S. Steel, J. Smith, U.S.A. etc.",
                 "^Acme/0 Corp.~/0 et/0 U.S.~/0 Steel/0 ,/0 J.~/0 Smith/0 ,/0 "
                 "U.S.A.~/0 etc.~/0");
    /* not abbreviations: an ordinary word, a small letter */
    expect_marks(t, "Il vit \xC3\xA0 Paris. Et a. Fin.",
                 "^Il/0 vit/0 \xC3\xA0/0 Paris/0 ./0 ^Et/1 a/1 ./1 ^Fin/2 ./2");
    nertag_tagger_free(t);
}
END_TEST

/* ------------------------------------------------------------ sentences */

START_TEST(sentence_starts)
{
    nertag_tagger *t = tagger();
    expect_marks(t, "Il part. Elle reste ! Vraiment ? Oui\xE2\x80\xA6 Non.",
                 "^Il/0 part/0 ./0 ^Elle/1 reste/1 !/1 ^Vraiment/2 ?/2 "
                 "^Oui/3 \xE2\x80\xA6/3 ^Non/4 ./4");
    /* not after an abbreviation or an initial */
    expect_marks(t, "M. Dupont a vu J. Smith.",
                 "^M.~/0 Dupont/0 a/0 vu/0 J.~/0 Smith/0 ./0");
    /* punctuation that opens a sentence: the word after it starts it */
    expect_marks(t, "Fin. (Puis) rien.",
                 "^Fin/0 ./0 (/1 ^Puis/1 )/1 rien/1 ./1");
    /* a number starts a sentence too */
    expect_marks(t, "Fin. 2024 commence.", "^Fin/0 ./0 ^2024/1 commence/1 ./1");
    nertag_tagger_free(t);
}
END_TEST

/* Closing quotes and brackets after the final period, and further final
 * punctuation, stay in the sentence they end. */
START_TEST(sentence_end_punctuation_stays)
{
    nertag_tagger *t = tagger();
    expect_marks(t, "Il a dit " LAQUO " Non. " RAQUO " Puis il part.",
                 "^Il/0 a/0 dit/0 " LAQUO "/0 Non/0 ./0 " RAQUO "/0 ^Puis/1 "
                 "il/1 part/1 ./1");
    expect_marks(t, "He said \"No.\" Then (no.) End.",
                 "^He/0 said/0 \"/0 No/0 ./0 \"/0 ^Then/1 (/1 no/1 ./1 )/1 "
                 "^End/2 ./2");
    expect_marks(t, "Quoi ?! Rien... Bon.",
                 "^Quoi/0 ?/0 !/0 ^Rien/1 ./1 ./1 ./1 ^Bon/2 ./2");
    expect_marks(t, "Il a dit \xE2\x80\x9CNon.\xE2\x80\x9D Puis.",
                 "^Il/0 a/0 dit/0 \xE2\x80\x9C/0 Non/0 ./0 \xE2\x80\x9D/0 "
                 "^Puis/1 ./1");
    nertag_tagger_free(t);
}
END_TEST

START_TEST(blank_lines_end_sentences)
{
    nertag_tagger *t = tagger();
    expect_marks(t, "Titre\n\nTexte suit", "^Titre/0 ^Texte/1 suit/1");
    expect_marks(t, "Titre\r\n\r\nTexte", "^Titre/0 ^Texte/1");
    expect_marks(t, "Titre\n  \n\tTexte", "^Titre/0 ^Texte/1");
    /* one line break is not a blank line */
    expect_marks(t, "Une ligne\ncoup\xC3\xA9" "e", "^Une/0 ligne/0 coup\xC3\xA9" "e/0");
    /* blank lines at the start, or twice, make no empty sentence */
    expect_marks(t, "\n\n\nTitre.\n\n\n\nTexte", "^Titre/0 ./0 ^Texte/1");
    nertag_tagger_free(t);
}
END_TEST

/* ------------------------------------------------------------ quotes */

START_TEST(french_quotes_and_spaces)
{
    nertag_tagger *t = tagger();
    expect_tokens(t, "dit " LAQUO " Non " RAQUO ".",
                  "dit|" LAQUO "|Non|" RAQUO "|.");
    expect_tokens(t, "dit " LAQUO NBSP "Non" NBSP RAQUO ".",
                  "dit|" LAQUO "|Non|" RAQUO "|.");
    expect_tokens(t, "dit " LAQUO NNBSP "Non" NNBSP RAQUO ".",
                  "dit|" LAQUO "|Non|" RAQUO "|.");
    expect_tokens(t, "dit " LAQUO "Non" RAQUO ".",
                  "dit|" LAQUO "|Non|" RAQUO "|.");
    /* the narrow space before ; : ! ? in French typography */
    expect_tokens(t, "la France" NNBSP ": non" NNBSP "; oui" NNBSP "! Quoi"
                     NNBSP "?",
                  "la|France|:|non|;|oui|!|Quoi|?");
    expect_tokens(t, "la France" NBSP ": non" NBSP "!", "la|France|:|non|!");
    /* between digits it groups thousands: one number */
    expect_tokens(t, "12" NNBSP "000 euros", "12" NNBSP "000|euros");
    nertag_tagger_free(t);
}
END_TEST

START_TEST(quote_flags)
{
    nertag_tagger *t = tagger();
    const char *text = "Il dit " LAQUO NNBSP "Oui" NNBSP RAQUO " et \"non\".";
    nertag_result *r = tag_lang(t, text, strlen(text), NULL);
    ck_assert_uint_eq(t->doc.tokens.n, 10);
    static const size_t quotes[] = { 2, 4, 6, 8 };
    for (size_t k = 0; k < 4; k++) {
        uint16_t f = t->doc.tokens.v[quotes[k]].flags;
        ck_assert_msg((f & TF_QUOTE) && (f & TF_PUNCT), "token %zu", quotes[k]);
    }
    /* "Oui" is a word of its own, after a space */
    const token *oui = &t->doc.tokens.v[3];
    ck_assert_uint_eq(oui->bend - oui->bstart, 3);
    ck_assert_int_eq(memcmp(text + oui->bstart, "Oui", 3), 0);
    ck_assert(oui->flags & TF_SPACE);
    ck_assert(oui->flags & TF_CAP);
    size_t len;
    ck_assert_str_eq(token_norm(&t->doc, 3, &len), "oui");
    ck_assert(!(t->doc.tokens.v[5].flags & TF_QUOTE));
    nertag_result_free(r);
    nertag_tagger_free(t);
}
END_TEST

/* A name followed by a narrow space and a colon is still found. */
START_TEST(name_before_narrow_space)
{
    nertag_tagger *t = tagger();
    const char *text = "Selon la France" NNBSP ": " LAQUO NNBSP "Chine"
                       NNBSP RAQUO ".";
    nertag_result *r = tag_lang(t, text, strlen(text), NULL);
    ck_assert_uint_eq(nertag_result_count(r), 2);
    ck_assert_str_eq(nertag_result_mention(r, 0)->text, "France");
    ck_assert_str_eq(nertag_result_mention(r, 0)->canonical, "France");
    ck_assert_str_eq(nertag_result_mention(r, 1)->text, "Chine");
    ck_assert_str_eq(nertag_result_mention(r, 1)->canonical, "China");
    nertag_result_free(r);
    nertag_tagger_free(t);
}
END_TEST

START_TEST(parentheses)
{
    nertag_tagger *t = tagger();
    expect_tokens(t, "l'Organisation du trait\xC3\xA9 de l'Atlantique Nord "
                     "(OTAN)",
                  "l'|Organisation|du|trait\xC3\xA9|de|l'|Atlantique|Nord|(|"
                  "OTAN|)");
    expect_tokens(t, "(encore) [crochets] {accolades}",
                  "(|encore|)|[|crochets|]|{|accolades|}");
    expect_tokens(t, "((double))", "(|(|double|)|)");
    nertag_tagger_free(t);
}
END_TEST

/* ------------------------------------------------------------ shapes */

START_TEST(shape_flags)
{
    static const struct { const char *s; uint16_t flags; } cases[] = {
        { "Paris", TF_CAP | TF_ALPHA },
        { "OTAN", TF_CAP | TF_UPPER | TF_ALPHA | TF_ACRONYM },
        { "alerte", TF_LOWER | TF_ALPHA },
        { "APT28", TF_CAP | TF_UPPER | TF_ALPHA | TF_DIGIT | TF_ACRONYM },
        { "KOMMERSANT", TF_CAP | TF_UPPER | TF_ALPHA },
        { "2024", TF_DIGIT | TF_NUMBER },
        { "1996-08-30", TF_DIGIT },
        { ",", TF_PUNCT },
        { "-", TF_PUNCT },
        { LAQUO, TF_PUNCT | TF_QUOTE },
        { "\"", TF_PUNCT | TF_QUOTE },
        { RSQUO, TF_PUNCT | TF_QUOTE },
        { "\xC3\x89tats-Unis", TF_CAP | TF_ALPHA },
        { "\xC3\x89", TF_CAP | TF_UPPER | TF_ALPHA },
        { "iPhone", TF_ALPHA },
        { "\xC7\x85" "a", TF_CAP | TF_ALPHA },             /* ǅa: title case */
        { "\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0", TF_CAP | TF_ALPHA },
        { "l'", TF_LOWER | TF_ALPHA },
        { "U.S.", TF_CAP | TF_UPPER | TF_ALPHA },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        uint16_t f = token_shape_flags(cases[i].s, strlen(cases[i].s));
        ck_assert_msg(f == cases[i].flags, "<%s>: flags %x, want %x",
                      cases[i].s, f, cases[i].flags);
    }
}
END_TEST

START_TEST(space_flags)
{
    nertag_tagger *t = tagger();
    nertag_result *r = tag_lang(t, "a,b ,c", 6, NULL);
    ck_assert_uint_eq(t->doc.tokens.n, 5);
    static const int spaced[] = { 1, 0, 0, 1, 0 };
    for (size_t i = 0; i < 5; i++)
        ck_assert_int_eq(!!(t->doc.tokens.v[i].flags & TF_SPACE), spaced[i]);
    nertag_result_free(r);
    nertag_tagger_free(t);
}
END_TEST

/* ------------------------------------------------------------ offsets */

/* Code points in s[0..n), counted independently of the tokenizer. */
static size_t cps(const char *s, size_t n)
{
    size_t k = 0, i = 0;
    while (i < n) {
        uint32_t c;
        i += utf8_decode((const unsigned char *)s + i, &c);
        k++;
    }
    return k;
}

START_TEST(byte_and_code_point_offsets)
{
    nertag_tagger *t = tagger();
    const char *text = "\xC2\xAB P\xC3\xA9kin \xC2\xBB, l" RSQUO "\xC3\x89lys\xC3\xA9"
                       "e et \xF0\x9F\x98\x80 Moscou (\xD0\x9C\xD0\xBE\xD1\x81"
                       "\xD0\xBA\xD0\xB2\xD0\xB0).";
    size_t len = strlen(text);
    nertag_result *r = tag_lang(t, text, len, NULL);
    static const char *const want[] = {
        LAQUO, "P\xC3\xA9kin", RAQUO, ",", "l" RSQUO, "\xC3\x89lys\xC3\xA9" "e",
        "et", "\xF0\x9F\x98\x80", "Moscou", "(",
        "\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0", ")", "."
    };
    size_t n = sizeof want / sizeof *want;
    ck_assert_uint_eq(t->doc.tokens.n, n);
    size_t from = 0;
    for (size_t i = 0; i < n; i++) {
        const token *tk = &t->doc.tokens.v[i];
        /* bytes: the token's text, found in order */
        const char *at = strstr(text + from, want[i]);
        ck_assert_ptr_nonnull(at);
        ck_assert_uint_eq(tk->bstart, (size_t)(at - text));
        ck_assert_uint_eq(tk->bend, tk->bstart + strlen(want[i]));
        /* code points: counted from the start of the text */
        ck_assert_uint_eq(tk->cstart, cps(text, tk->bstart));
        ck_assert_uint_eq(tk->cend, cps(text, tk->bend));
        from = tk->bend;
    }
    /* the mentions' offsets agree with their tokens */
    for (size_t i = 0; i < nertag_result_count(r); i++) {
        const nertag_mention *m = nertag_result_mention(r, i);
        ck_assert_uint_eq(m->bstart, t->doc.tokens.v[m->tstart].bstart);
        ck_assert_uint_eq(m->bend, t->doc.tokens.v[m->tend - 1].bend);
        ck_assert_uint_eq(m->start, cps(text, m->bstart));
        ck_assert_uint_eq(m->end, cps(text, m->bend));
        ck_assert_uint_eq(strlen(m->text), m->bend - m->bstart);
        ck_assert_int_eq(memcmp(m->text, text + m->bstart, strlen(m->text)), 0);
    }
    ck_assert_uint_ge(nertag_result_count(r), 2);
    nertag_result_free(r);
    nertag_tagger_free(t);
}
END_TEST

/* ------------------------------------------------------------ edge texts */

START_TEST(empty_and_blank_texts)
{
    nertag_tagger *t = tagger();
    static const char *const texts[] = { "", " ", "     ", "\n\n\n", " \t\r\n ",
                                         NBSP NNBSP " " NBSP };
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        nertag_result *r = tag_lang(t, texts[i], strlen(texts[i]), NULL);
        ck_assert_uint_eq(nertag_result_token_count(r), 0);
        ck_assert_uint_eq(nertag_result_count(r), 0);
        ck_assert_ptr_null(nertag_result_mention(r, 0));
        nertag_result_free(r);
    }
    /* NULL text of length 0 */
    nertag_error err;
    nertag_result *r = nertag_tag(t, NULL, 0, NULL, &err);
    ck_assert_ptr_nonnull(r);
    ck_assert_uint_eq(nertag_result_token_count(r), 0);
    nertag_result_free(r);
    /* one character */
    expect_tokens(t, "x", "x");
    expect_tokens(t, ".", ".");
    nertag_tagger_free(t);
}
END_TEST

/* The tagger is reused: nothing of one document is left in the next. */
START_TEST(tagger_reused)
{
    nertag_tagger *t = tagger();
    for (int i = 0; i < 3; i++) {
        expect_marks(t, "Un. Deux. Trois.",
                     "^Un/0 ./0 ^Deux/1 ./1 ^Trois/2 ./2");
        expect_tokens(t, "", "");
        expect_marks(t, "Seul", "^Seul/0");
    }
    nertag_tagger_free(t);
}
END_TEST

/* A million tokens in one sentence: no quadratic step on the way. */
START_TEST(million_tokens_one_sentence)
{
    /* ten tokens: la Chine et les alliés de la France , selon */
    static const char phrase[] = "la Chine et les alli\xC3\xA9s de la France , "
                                 "selon ";
    const size_t reps = 100000;
    size_t plen = sizeof phrase - 1;
    char *text = malloc(plen * reps);
    ck_assert_ptr_nonnull(text);
    for (size_t i = 0; i < reps; i++)
        memcpy(text + i * plen, phrase, plen);
    size_t len = plen * reps;

    nertag_tagger *t = tagger();
    nertag_error err;
    nertag_options opt = { "fr", 0, NULL, { 0 } };
    nertag_result *r = nertag_tag(t, text, len, &opt, &err);
    ck_assert_msg(r != NULL, "%s", err.message);
    ck_assert_uint_eq(nertag_result_token_count(r), 1000000);
    /* one sentence, one sentence start */
    size_t starts = 0;
    for (size_t i = 0; i < t->doc.tokens.n; i++)
        starts += (t->doc.tokens.v[i].flags & TF_SSTART) != 0;
    ck_assert_uint_eq(starts, 1);
    ck_assert_uint_eq(t->doc.tokens.v[t->doc.tokens.n - 1].sentence, 0);
    /* the last token ends where the text's last word does */
    size_t b, e;
    nertag_result_token(r, 999999, &b, &e);
    ck_assert_uint_eq(e, len - 1);
    ck_assert_uint_eq(b, len - 1 - strlen("selon"));
    ck_assert_uint_eq(t->doc.tokens.v[999999].cend, len - 1 - reps);
    /* Chine and France, every time */
    ck_assert_uint_eq(nertag_result_count(r), 2 * reps);
    const nertag_mention *m = nertag_result_mention(r, 2 * reps - 1);
    ck_assert_str_eq(m->canonical, "France");
    ck_assert_uint_eq(m->tstart, 999997);
    nertag_result_free(r);
    nertag_tagger_free(t);
    free(text);
}
END_TEST

/* ------------------------------------------------------------ given tokens */

static nertag_token_in tok(const char *s, int sstart)
{
    nertag_token_in in = { s, strlen(s), sstart };
    return in;
}

START_TEST(given_tokens_never_resplit)
{
    nertag_tagger *t = tagger();
    nertag_token_in in[] = {
        tok("l'alerte", 1), tok("d'APT28", 0), tok("Britain's", 0),
        tok("Nouvelle-Z\xC3\xA9lande", 0), tok("M.", 0), tok("Dupont", 0),
        tok("U.S.", 0), tok("(OTAN)", 0), tok("a,b", 0),
        tok(LAQUO NNBSP "Non", 0), tok(".", 0),
    };
    size_t n = sizeof in / sizeof *in;
    nertag_error err;
    nertag_result *r = nertag_tag_tokens(t, in, n, NULL, &err);
    ck_assert_msg(r != NULL, "%s", err.message);
    ck_assert_uint_eq(nertag_result_token_count(r), n);
    ck_assert_uint_eq(t->doc.tokens.n, n);
    /* offsets refer to the tokens joined by single spaces */
    size_t pos = 0;
    for (size_t i = 0; i < n; i++) {
        size_t b, e;
        nertag_result_token(r, i, &b, &e);
        ck_assert_uint_eq(b, pos);
        ck_assert_uint_eq(e, pos + in[i].len);
        ck_assert_int_eq(memcmp(t->doc.text + b, in[i].text, in[i].len), 0);
        pos = e + 1;
    }
    /* the folded form is the whole token's */
    size_t len;
    ck_assert_str_eq(token_norm(&t->doc, 0, &len), "l'alerte");
    nertag_result_free(r);
    nertag_tagger_free(t);
}
END_TEST

/* A given token that running text would have made an abbreviation is
 * one: "J." before a surname reads alike in CoNLL files and in text. */
START_TEST(given_tokens_abbreviations)
{
    nertag_tagger *t = tagger();
    nertag_token_in in[] = {
        tok("J.", 1), tok("Smith", 0), tok("U.S.", 0), tok("Corp.", 0),
        tok("Paris.", 0), tok("...", 0), tok(".", 0), tok("a.", 0),
    };
    const int abbrev[] = { 1, 0, 1, 1, 0, 0, 0, 0 };
    size_t n = sizeof in / sizeof *in;
    nertag_error err;
    nertag_result *r = nertag_tag_tokens(t, in, n, NULL, &err);
    ck_assert_msg(r != NULL, "%s", err.message);
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(!!(t->doc.tokens.v[i].flags & TF_ABBREV) == abbrev[i],
                      "token %zu (%s)", i, in[i].text);
    nertag_result_free(r);
    nertag_tagger_free(t);
}
END_TEST

/* Every token's surface is its own text, and each surface has its record:
 * given tokens, which the segments' hashes computed ahead do not match,
 * and words met again in the next document. */
START_TEST(given_tokens_keep_their_surfaces)
{
    nertag_tagger *t = tagger();
    nertag_token_in in[] = {
        tok("P", 1), tok("Paris", 0), tok("est", 0), tok("Paris", 0),
        tok("capitale", 0), tok("P", 0),
    };
    size_t n = sizeof in / sizeof *in;
    for (int round = 0; round < 2; round++) {
        nertag_error err;
        nertag_result *r = nertag_tag_tokens(t, in, n, NULL, &err);
        ck_assert_msg(r != NULL, "%s", err.message);
        ck_assert_uint_eq(t->doc.tokens.n, n);
        ck_assert_uint_eq(t->doc.surface_info.n, t->doc.surfaces.count);
        for (size_t i = 0; i < n; i++) {
            uint32_t sid = t->doc.tokens.v[i].surface;
            ck_assert_uint_eq(strtab_len(&t->doc.surfaces, sid), in[i].len);
            ck_assert(!memcmp(strtab_get(&t->doc.surfaces, sid), in[i].text,
                              in[i].len));
        }
        nertag_result_free(r);
    }
    nertag_tagger_free(t);
}
END_TEST

START_TEST(given_tokens_sentences)
{
    nertag_tagger *t = tagger();
    nertag_token_in in[] = {
        tok("Il", 1), tok("part", 0), tok(".", 0), tok("Elle", 1),
        tok("reste", 0), tok(".", 0), tok("Puis", 0), tok("rien", 0),
    };
    nertag_error err;
    nertag_result *r = nertag_tag_tokens(t, in, 8, NULL, &err);
    ck_assert_ptr_nonnull(r);
    char *got = marks(t);
    /* sentence breaks come from the input only: not after the second '.' */
    ck_assert_str_eq(got, "^Il/0 part/0 ./0 ^Elle/1 reste/1 ./1 Puis/1 "
                          "rien/1");
    free(got);
    nertag_result_free(r);

    /* mentions over given tokens: token indexes and joined offsets */
    nertag_token_in names[] = { tok("La", 1), tok("Chine", 0),
                                tok("et", 0), tok("\xC3\x89tats-Unis", 0) };
    r = nertag_tag_tokens(t, names, 4, NULL, &err);
    ck_assert_ptr_nonnull(r);
    ck_assert_uint_eq(nertag_result_count(r), 2);
    const nertag_mention *m = nertag_result_mention(r, 1);
    ck_assert_uint_eq(m->tstart, 3);
    ck_assert_uint_eq(m->tend, 4);
    ck_assert_uint_eq(m->start, strlen("La Chine et "));
    ck_assert_uint_eq(m->bstart, strlen("La Chine et "));
    ck_assert_uint_eq(m->end, m->start + 10);
    ck_assert_str_eq(m->canonical, "United States");
    nertag_result_free(r);
    nertag_tagger_free(t);
}
END_TEST

START_TEST(given_tokens_errors)
{
    nertag_tagger *t = tagger();
    nertag_error err;
    nertag_token_in empty[] = { tok("a", 1), tok("", 0) };
    ck_assert_ptr_null(nertag_tag_tokens(t, empty, 2, NULL, &err));
    ck_assert_int_eq(err.code, NERTAG_ERR_ARGUMENT);
    nertag_token_in bad[] = { tok("ab", 1), tok("c\xFF", 0) };
    ck_assert_ptr_null(nertag_tag_tokens(t, bad, 2, NULL, &err));
    ck_assert_int_eq(err.code, NERTAG_ERR_UTF8);
    ck_assert_int_eq(err.offset, 4);     /* "ab c" then the bad byte */
    ck_assert_ptr_null(nertag_tag_tokens(t, NULL, 1, NULL, &err));
    ck_assert_int_eq(err.code, NERTAG_ERR_ARGUMENT);
    /* no tokens at all is an empty document */
    nertag_result *r = nertag_tag_tokens(t, NULL, 0, NULL, &err);
    ck_assert_ptr_nonnull(r);
    ck_assert_uint_eq(nertag_result_token_count(r), 0);
    nertag_result_free(r);
    nertag_tagger_free(t);
}
END_TEST

static Suite *tokenize_suite(void)
{
    Suite *s = suite_create("tokenize");
    TCase *tc = tcase_create("words");
    /* the model of the source tree loads in each test, slowly under
     * valgrind */
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, french_elisions);
    tcase_add_test(tc, words_with_an_apostrophe_stay_whole);
    tcase_add_test(tc, elision_forms);
    tcase_add_test(tc, english_possessive);
    tcase_add_test(tc, hyphenated_names_whole);
    tcase_add_test(tc, hyphenated_names_found);
    tcase_add_test(tc, abbreviations_keep_their_period);
    tcase_add_test(tc, french_quotes_and_spaces);
    tcase_add_test(tc, quote_flags);
    tcase_add_test(tc, name_before_narrow_space);
    tcase_add_test(tc, parentheses);
    tcase_add_test(tc, shape_flags);
    tcase_add_test(tc, space_flags);
    tcase_add_test(tc, byte_and_code_point_offsets);
    tcase_add_test(tc, empty_and_blank_texts);
    tcase_add_test(tc, tagger_reused);
    suite_add_tcase(s, tc);

    tc = tcase_create("sentences");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, sentence_starts);
    tcase_add_test(tc, sentence_end_punctuation_stays);
    tcase_add_test(tc, blank_lines_end_sentences);
    suite_add_tcase(s, tc);

    tc = tcase_create("given tokens");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, given_tokens_never_resplit);
    tcase_add_test(tc, given_tokens_abbreviations);
    tcase_add_test(tc, given_tokens_keep_their_surfaces);
    tcase_add_test(tc, given_tokens_sentences);
    tcase_add_test(tc, given_tokens_errors);
    suite_add_tcase(s, tc);

    tc = tcase_create("scale");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, million_tokens_one_sentence);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return test_run(tokenize_suite());
}
