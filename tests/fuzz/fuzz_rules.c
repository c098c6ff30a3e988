/* fuzz_rules.c - the input as a rule file.
 *
 * A private data folder is made once: gazetteers/ holds the source tree's
 * vocabulary and ministries and a few states, places, organizations and
 * people; models/ the source tree's language files.  Each input becomes
 * models/fuzz.rules; when it declares no [phases], the phases of
 * models/shared.rules are declared beside it in models/0-phases.rules, so
 * that the language files (fr.rules, en.rules) load as seeds.
 *
 * Loading must give a model or an error with its place.  A model that
 * loads tags fixed texts and the input itself, runs the examples of its
 * rules and the lint (as nertag lint does), and is saved, mapped back and
 * must tag the same. */
#define _GNU_SOURCE   /* memmem */

#include "fuzz.h"

#include <stdio.h>
#include <string.h>

#include "lib/internal.h"
#include "lib/rules/rules.h"
#include "tools/tools.h"

const char fuzz_target_name[] = "rules";

static const char entities[] =
    "id\tlabel\tcanonical\taliases\tattributes\n"
    "CN\tSTATE\tChina\tChina | Chine | RPC [exact] | PRC [exact]\n"
    "CN\tDEMONYM\tChina\tchinese | chinois | chinoise\n"
    "CN\tCAPITAL\tChina\tBeijing | Pékin\n"
    "US\tSTATE\tUnited States\tUnited States | États-Unis | US | U.S. [exact]\n"
    "US\tDEMONYM\tUnited States\tamerican | américain | américaine\n"
    "US\tCAPITAL\tUnited States\tWashington [ambiguous]\n"
    "RU\tSTATE\tRussia\tRussia | Russie\n"
    "RU\tCAPITAL\tRussia\tMoscow | Moscou\n"
    "JO\tSTATE\tJordan\tJordan [ambiguous] | Jordanie\n"
    "GB\tDEMONYM\tUnited Kingdom\tbritish | britannique\n"
    "city:leeds\tLOC\tLeeds\tLeeds\n"
    "city:boston\tLOC\tBoston\tBoston\n"
    "city:atlanta\tLOC\tAtlanta\tAtlanta\n"
    "city:washington\tLOC\tWashington\tWashington [ambiguous]\n"
    "org:nato\tORG\tNATO\tNATO | OTAN\n"
    "org:microsoft\tORG\tMicrosoft\tMicrosoft\n"
    "org:eu\tORG\tEuropean Union\tEuropean Union | Union européenne\n"
    "org:orange\tORG\tOrange\tOrange [ambiguous]\tkind=company\n"
    "G0007\tGROUP\tAPT28\tAPT28 | Fancy Bear\n"
    "person:mao-ning\tPERSON\tMao Ning\tMao Ning | Mao [ambiguous]\n"
    "person:wang-wenbin\tPERSON\tWang Wenbin\tWang Wenbin\n"
    "given:tom\tGIVEN_NAME\tTom\tTom\n"
    "given:jane\tGIVEN_NAME\tJane\tJane\n"
    "given:bernard\tGIVEN_NAME\tBernard\tBernard\n";

static const char phases[] =
    "[phases]\n"
    "order = names organizations states people aliases\n";

static const char fixed_fr[] =
    "Le porte-parole du ministère chinois des affaires étrangères, Mao Ning, "
    "a déclaré à Pékin que le gouvernement des États-Unis et M. Durand, de "
    "la société Kerbéros Sécurité SA, étaient visés par APT28.";
static const char fixed_en[] =
    "Chinese foreign ministry spokesperson Mao Ning said that the "
    "government of China, NATO and Tom Ellery of Nightjar Labs Inc were "
    "targeted by APT28, also known as Crimson Drift, in Washington.";

/* Set once. */
static char data_dir[4200], models_dir[4300];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char gaz[4300];
    snprintf(data_dir, sizeof data_dir, "%s", fuzz_temp_dir());
    snprintf(gaz, sizeof gaz, "%s/gazetteers", data_dir);
    snprintf(models_dir, sizeof models_dir, "%s/models", data_dir);
    fuzz_copy_file(FUZZ_SRCDIR "/gazetteers/vocabulary.tsv", gaz,
                   "vocabulary.tsv");
    fuzz_copy_file(FUZZ_SRCDIR "/gazetteers/ministries.tsv", gaz,
                   "ministries.tsv");
    fuzz_write_file(gaz, "entities.tsv", entities, strlen(entities));
    fuzz_copy_languages(models_dir);
    /* the fixed files alone must load, else every input would fail the
     * same way and fuzz nothing */
    fuzz_write_file(models_dir, "0-phases.rules", phases, strlen(phases));
    fuzz_write_file(models_dir, "fuzz.rules", "", 0);
    nertag_error err;
    nertag_load_options opt = { NULL, NULL, NULL,
                                NERTAG_LOAD_IGNORE_COMPILED, NULL, { 0 } };
    nertag_model *m = nertag_model_load(data_dir, &opt, &err);
    if (!m) {
        fprintf(stderr, "fuzz_rules: the fixed files do not load: %s\n",
                err.message);
        abort();
    }
    nertag_model_free(m);
    return 0;
}

/* Counts the problems found by the examples and the lint. */
static void count_report(void *ctx, const char *file, long line,
                         const char *rule_name, const char *message)
{
    FUZZ_CHECK(file && rule_name && message && line >= 0);
    (*(long *)ctx)++;
}

static void check_rules(const nertag_model *m, const uint8_t *data,
                        size_t size)
{
    nertag_error err;
    nertag_tagger *t = nertag_tagger_new(m, &err);
    FUZZ_CHECK(t != NULL);
    long problems = 0;
    long lint = lint_rules(m, count_report, &problems);
    FUZZ_CHECK(lint >= 0 && lint == problems);
    long failed = check_rule_examples(t, count_report, &problems, &err);
    if (failed < 0)
        fuzz_check_error(&err);
    else
        FUZZ_CHECK(lint + failed == problems);
    /* the input as a text, as the language files hold real sentences */
    fuzz_tag_bytes(t, data, size);
    nertag_tagger_free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[4400];
    snprintf(path, sizeof path, "%s/0-phases.rules", models_dir);
    if (memmem(data, size, "[phases]", 8))
        remove(path);
    else
        fuzz_write_file(models_dir, "0-phases.rules", phases,
                        strlen(phases));
    fuzz_write_file(models_dir, "fuzz.rules", data, size);
    nertag_error err;
    nertag_load_options opt = { NULL, NULL, NULL,
                                NERTAG_LOAD_IGNORE_COMPILED, NULL, { 0 } };
    nertag_model *m = nertag_model_load(data_dir, &opt, &err);
    if (!m) {
        fuzz_check_error(&err);
        return 0;
    }
    check_rules(m, data, size);
    const char *texts[] = { fixed_fr, fixed_en };
    fuzz_check_roundtrip(m, data_dir, texts, 2);
    nertag_model_free(m);
    return 0;
}
