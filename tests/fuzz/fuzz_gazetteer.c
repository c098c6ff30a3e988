/* fuzz_gazetteer.c - the input as a gazetteer file.
 *
 * A private data folder is made once: models/ holds the source tree's
 * the French and English language files and a small fixed rule file; each input becomes
 * gazetteers/fuzz.tsv and the folder is loaded.  Loading must give a model
 * or an error with its place, never a crash or a leak.  A model that loads
 * tags a fixed text and the input itself (whose aliases then match), and
 * is saved as a compiled model, mapped back and must tag the same. */
#include "fuzz.h"

#include <stdio.h>
#include <string.h>

#include "lib/internal.h"

const char fuzz_target_name[] = "gazetteer";

/* Rules over the labels gazetteers usually hold, so that the aliases are
 * seen by patterns, templates, confirmations and document aliases. */
static const char fixed_rules[] =
    "[phases]\n"
    "order = names states people aliases\n"
    "\n"
    "[list speech]\n"
    "stems = dire | déclarer | say | state\n"
    "\n"
    "[rule person]\n"
    "phase = names\n"
    "match = first:<GIVEN_NAME> last:[cap & alpha & !in=any]{1,2}\n"
    "mention = PERSON\n"
    "\n"
    "[rule government]\n"
    "phase = states\n"
    "match = (\"gouvernement\" | \"government\") state:<DEMONYM | STATE>\n"
    "    | state:<DEMONYM> \"government\"\n"
    "mention = STATE\n"
    "canonical = {state}\n"
    "id = {state.id}\n"
    "\n"
    "[rule place]\n"
    "phase = states\n"
    "match = p:<STATE | LOC | CAPITAL>\n"
    "before = \"in\" | \"en\" | \"à\"\n"
    "confirm = p\n"
    "\n"
    "[rule capital]\n"
    "phase = states\n"
    "match = c:<CAPITAL> @speech\n"
    "retype = STATE c\n"
    "\n"
    "[rule spokesperson]\n"
    "phase = people\n"
    "match = org:<ORG | STATE | GROUP> \"spokesperson\" who:<PERSON>\n"
    "mention = SPOKESPERSON who\n"
    "for = {org.canonical}\n"
    "\n"
    "[rule known-as]\n"
    "phase = aliases\n"
    "match = g:<GROUP | ORG> (\"aka\" | \"alias\") name:[cap & !in=any]{1,3}\n"
    "alias = name g\n";

static const char fixed_fr[] =
    "Le gouvernement chinois a déclaré à Pékin que Jean Dupont, porte-parole "
    "de l'OTAN, était en France. APT28 alias Fancy Bear a dit non.";
static const char fixed_en[] =
    "The Chinese government said in Beijing that NATO spokesperson Mao Ning "
    "met John Smith. APT28 aka Fancy Bear said so.";

/* The data folder: set once. */
static char data_dir[4200], gaz_dir[4300];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char models[4300];
    snprintf(data_dir, sizeof data_dir, "%s", fuzz_temp_dir());
    snprintf(gaz_dir, sizeof gaz_dir, "%s/gazetteers", data_dir);
    snprintf(models, sizeof models, "%s/models", data_dir);
    fuzz_copy_languages(models);
    fuzz_write_file(models, "fixed.rules", fixed_rules, strlen(fixed_rules));
    return 0;
}

/* The input as a text: its aliases match; any bytes are accepted with
 * replace_invalid. */
static void tag_input(const nertag_model *m, const uint8_t *data,
                      size_t size)
{
    nertag_error err;
    nertag_tagger *t = nertag_tagger_new(m, &err);
    FUZZ_CHECK(t != NULL);
    fuzz_tag_bytes(t, data, size);
    nertag_tagger_free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_write_file(gaz_dir, "fuzz.tsv", data, size);
    nertag_error err;
    nertag_load_options opt = { gaz_dir, NULL, NULL,
                                NERTAG_LOAD_IGNORE_COMPILED, NULL, { 0 } };
    nertag_model *m = nertag_model_load(data_dir, &opt, &err);
    if (!m) {
        fuzz_check_error(&err);
        return 0;
    }
    tag_input(m, data, size);
    /* the input as a C string: up to its first NUL, when valid */
    buf text = BUF_INIT;
    FUZZ_CHECK(buf_append(&text, (const char *)data, size) == 0 &&
               buf_reserve(&text, 0) == 0);
    text.data[text.len] = '\0';
    size_t n = strlen(text.data);
    const char *texts[] = { fixed_fr, fixed_en, text.data };
    size_t ntexts = utf8_first_invalid(text.data, n) == n ? 3 : 2;
    fuzz_check_roundtrip(m, data_dir, texts, ntexts);
    buf_free(&text);
    nertag_model_free(m);
    return 0;
}
