/* rules-load.c - reading the rule files of a data folder.
 *
 * A file is a sequence of sections in the format of util/conf.h:
 *
 *   [phases]       order = names organizations states people
 *   [list NAME]    words = a | b   or   stems = dire | déclarer
 *   [rule NAME]    match = …, mention = …, example = …
 *
 * A rule's keys may come in any order, so a rule is compiled when its
 * section ends: first the patterns (which define the captures), then the
 * actions and templates that refer to the captures.  When every file is
 * read, the rules are indexed by phase (rules-index.c).
 */
#include "lib/rules/rules-build.h"
#include "util/conf.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ sections */

static const kv *find_key(const parser *p, const char *key)
{
    for (size_t i = 0; i < p->keys.n; i++)
        if (!strcmp(p->keys.v[i].key, key))
            return &p->keys.v[i];
    return NULL;
}

/* lang = CODE (a language of the models/CODE.lang files), or * for all. */
static int parse_lang(parser *p, const kv *k, int *lang)
{
    if (!strcmp(k->value, "*") || !strcmp(k->value, "any")) {
        *lang = -1;
        return 0;
    }
    *lang = lang_from_code(&p->load->model->lang, k->value);
    if (*lang >= 0)
        return 0;
    return fail(p, k->line, k->column, "lang '%s' is no language of the data "
                "(models/CODE.lang) nor *", k->value);
}

static const char *const rule_keys[] = {
    "phase", "lang", "priority", "document-has", "match", "before", "after",
    "not-before",
    "not-after", "mention", "retype", "remove", "confirm", "alias",
    "canonical", "id", "for", "example", "counter", NULL
};

static int known_key(const char *key, const char *const *keys)
{
    for (size_t i = 0; keys[i]; i++)
        if (!strcmp(key, keys[i]))
            return 1;
    return 0;
}

static int rule_phase(parser *p, const kv *k, uint32_t *out)
{
    if (!k)
        return fail(p, p->section_line, 0, "rule '%s' has no 'phase'",
                    p->name);
    *out = strtab_find(&p->r->phase_names, k->value, strlen(k->value));
    if (*out == STRTAB_NONE)
        return fail(p, k->line, k->column,
                    "phase '%s' is not in the [phases] order", k->value);
    return 0;
}

static int rule_captures(parser *p, rule *ru)
{
    buf names = BUF_INIT;
    for (uint32_t i = 0; i < p->ncaptures; i++)
        if (buf_append(&names, p->captures[i], strlen(p->captures[i]) + 1))
            return buf_free(&names), nomem(p);
    ru->ncaptures = p->ncaptures;
    ru->capture_names = p->ncaptures
        ? rules_add_string(p->r, names.data, names.len - 1) : NONE32;
    buf_free(&names);
    return p->ncaptures && ru->capture_names == NONE32 ? nomem(p) : 0;
}


/* document-has = list | list: the rule applies only to documents with a
 * word of one of these lists. */
static int document_lists(parser *p, const kv *k, rule *ru)
{
    char *copy = str_dup(k->value), *cur = copy;
    int rc = copy ? 0 : nomem(p);
    p->src = p->pos = k->value;
    p->line = k->line;
    p->column = k->column;
    for (char *w; rc == 0 && (w = next_word(&cur, "| @"));) {
        uint32_t list;
        if ((rc = find_list(p, w, &list)) != 0)
            break;
        int slot = list < 64 ? 0 : far_slot(p->r, list);
        if (list < 64)
            ru->document_lists |= (uint64_t)1 << list;
        else if (slot >= 0)
            ru->document_far |= (uint64_t)1 << slot;
        else if (slot == -2)
            rc = nomem(p);
        else
            rc = fail(p, k->line, k->column, "document-has names a list past "
                      "the first 64, and 64 such lists are in use");
    }
    free(copy);
    return rc;
}

static int compile_rule_parts(parser *p, rule *ru)
{
    static const char *const ctx_keys[4] = { "before", "after", "not-before",
                                             "not-after" };
    const kv *k;
    if (!(k = find_key(p, "match")))
        return fail(p, p->section_line, 0, "rule '%s' has no 'match'",
                    p->name);
    needs need;
    if (compile_pattern(p, k, PAT_MATCH, &ru->match, &need) != 0)
        return -1;
    ru->need_lists = need.lists;
    ru->need_labels = need.labels;
    ru->need_far = need.far;
    for (int c = 0; c < 4; c++)
        if ((k = find_key(p, ctx_keys[c])) &&
            compile_pattern(p, k, c == CTX_BEFORE || c == CTX_NOT_BEFORE
                                      ? PAT_BEFORE : PAT_AFTER,
                            &ru->context[c], NULL) != 0)
            return -1;
    if (rule_phase(p, find_key(p, "phase"), &ru->phase) != 0)
        return -1;
    ru->lang = p->file_lang;
    if ((k = find_key(p, "lang")) && parse_lang(p, k, &ru->lang) != 0)
        return -1;
    if ((k = find_key(p, "priority")))
        ru->priority = atoi(k->value);
    if ((k = find_key(p, "document-has")) && document_lists(p, k, ru) != 0)
        return -1;
    return rule_captures(p, ru);
}

static int compile_rule_actions(parser *p, rule *ru)
{
    int has_mention = 0;
    ru->first_action = (uint32_t)p->r->actions.n;
    ru->first_example = (uint32_t)p->r->examples.n;
    for (size_t i = 0; i < p->keys.n; i++) {
        const kv *k = &p->keys.v[i];
        int rc = 0;
        if (!strcmp(k->key, "mention") && has_mention++)
            rc = fail(p, k->line, k->column, "one 'mention' per rule");
        else if (known_key(k->key, (const char *const[]){
                     "mention", "retype", "remove", "confirm", "alias",
                     NULL }))
            rc = compile_action(p, k);
        else if (!strcmp(k->key, "canonical"))
            rc = compile_template(p, k, &ru->canonical);
        else if (!strcmp(k->key, "id"))
            rc = compile_template(p, k, &ru->id);
        else if (!strcmp(k->key, "for"))
            rc = compile_template(p, k, &ru->for_);
        if (rc != 0)
            return -1;
    }
    ru->nactions = (uint32_t)p->r->actions.n - ru->first_action;
    if (!ru->nactions)
        return fail(p, p->section_line, 0, "rule '%s' does nothing (no "
                    "mention, retype, remove, confirm or alias)", p->name);
    if (!has_mention && (ru->canonical.count || ru->id.count || ru->for_.count))
        return fail(p, p->section_line, 0,
                    "canonical, id and for need a 'mention'");
    for (size_t i = 0; i < p->keys.n; i++) {
        const kv *k = &p->keys.v[i];
        int positive = !strcmp(k->key, "example");
        if ((positive || !strcmp(k->key, "counter")) &&
            compile_example(p, k, positive) != 0)
            return -1;
    }
    ru->nexamples = (uint32_t)p->r->examples.n - ru->first_example;
    return 0;
}

static int finish_rule(parser *p)
{
    rule ru;
    memset(&ru, 0, sizeof ru);
    ru.file = p->file;
    ru.line = (uint32_t)p->section_line;
    for (size_t i = 0; i < p->keys.n; i++)
        if (!known_key(p->keys.v[i].key, rule_keys))
            return fail(p, p->keys.v[i].line, 1, "unknown key '%s' in a rule",
                        p->keys.v[i].key);
    for (size_t i = 0; i < p->r->rules.n; i++)
        if (!strcmp(rules_str(p->r, p->r->rules.v[i].name), p->name))
            return fail(p, p->section_line, 0, "rule '%s' is defined twice",
                        p->name);
    ru.name = rules_add_string(p->r, p->name, strlen(p->name));
    buf src = BUF_INIT;
    if (buf_printf(&src, "rule %s (%s:%ld)", p->name,
                   strtab_get(&p->load->model->files, p->file), p->section_line) == 0)
        ru.source = rules_add_string(p->r, src.data, src.len);
    else
        ru.source = NONE32;
    buf_free(&src);
    if (ru.name == NONE32 || ru.source == NONE32)
        return nomem(p);
    if (compile_rule_parts(p, &ru) != 0 || compile_rule_actions(p, &ru) != 0)
        return -1;
    return rule_vec_push(&p->r->rules, ru) != 0 ? nomem(p) : 0;
}

static int set_list_bit(ruleset *r, uint32_t id, uint32_t list)
{
    if (id >= r->nlist_bits) {
        size_t n = r->nlist_bits ? r->nlist_bits : 1024;
        while (n <= id)
            n *= 2;
        uint64_t *b = realloc(r->list_bits, n * sizeof *b);
        if (!b)
            return -1;
        memset(b + r->nlist_bits, 0, (n - r->nlist_bits) * sizeof *b);
        r->list_bits = b;
        r->nlist_bits = n;
    }
    r->list_bits[id] |= (uint64_t)1 << list;
    return 0;
}

/* Adds each "a | b | c" member of a list. */
static int finish_list(parser *p)
{
    const kv *words = find_key(p, "words"), *stems = find_key(p, "stems");
    const kv *lang = find_key(p, "lang");
    for (size_t i = 0; i < p->keys.n; i++)
        if (!known_key(p->keys.v[i].key,
                       (const char *const[]){ "words", "stems", "lang", NULL }))
            return fail(p, p->keys.v[i].line, 1, "unknown key '%s' in a list",
                        p->keys.v[i].key);
    if (!words == !stems)
        return fail(p, p->section_line, 0,
                    "a list has either 'words' or 'stems'");
    int l = p->file_lang;
    if (lang && parse_lang(p, lang, &l) != 0)
        return -1;
    for (size_t i = 0; i < p->r->lists.n; i++)
        if (p->r->lists.v[i].file == p->file &&
            !strcmp(rules_str(p->r, p->r->lists.v[i].name), p->name))
            return fail(p, p->section_line, 0, "list '%s' is defined twice",
                        p->name);
    const kv *k = words ? words : stems;
    word_list wl = { rules_add_string(p->r, p->name, strlen(p->name)),
                     stems != NULL, (uint32_t)p->r->list_items.n, 0, p->file,
                     (uint32_t)p->section_line };
    uint32_t list = (uint32_t)p->r->lists.n;
    p->src = p->pos = k->value;
    p->line = k->line;
    p->column = k->column;
    char *copy = str_dup(k->value);
    if (!copy || wl.name == NONE32)
        return free(copy), nomem(p);
    int rc = 0;
    char *cur = copy;
    for (char *w; rc == 0 && (w = next_word(&cur, "|"));) {
        while (*w == ' ')
            w++;
        size_t n = strlen(w);
        while (n && w[n - 1] == ' ')
            w[--n] = '\0';
        if (!n)
            continue;
        /* a list of stems holds the stems of its words in its language,
         * or in every language */
        uint32_t first = 0, nids = 1, one;
        const uint32_t *ids = &one;
        if (stems) {
            rc = stem_ids(p, w, &first);
            ids = p->r->stems.v + first + (l >= 0 ? (uint32_t)l : 0);
            nids = l >= 0 ? 1 : p->r->nlangs;
        } else {
            rc = literal_id(p, w, &one);
        }
        for (uint32_t j = 0; rc == 0 && j < nids; j++) {
            uint64_t key = (uint64_t)list << 32 | ids[j];
            if (strtab_intern(&p->r->members, (const char *)&key, sizeof key)
                    == STRTAB_NONE ||
                u32_vec_push(&p->r->list_items, ids[j]) != 0 ||
                (list < 64 && set_list_bit(p->r, ids[j], list) != 0))
                rc = nomem(p);
        }
        if (stems)
            p->r->stems.n = first;   /* stem tests keep theirs, lists not */
    }
    free(copy);
    wl.count = (uint32_t)p->r->list_items.n - wl.first;
    if (rc == 0 && list_vec_push(&p->r->lists, wl) != 0)
        rc = nomem(p);
    return rc;
}

static int finish_phases(parser *p)
{
    const kv *order = find_key(p, "order");
    if (!order || p->keys.n != 1)
        return fail(p, p->section_line, 0,
                    "[phases] holds exactly one key, 'order'");
    if (p->r->phases_declared)
        return fail(p, p->section_line, 0,
                    "[phases] is declared in more than one place");
    p->r->phases_declared = 1;
    char *copy = str_dup(order->value);
    if (!copy)
        return nomem(p);
    int rc = 0;
    char *cur = copy;
    for (char *w; rc == 0 && (w = next_word(&cur, " \t"));) {
        size_t before = p->r->phase_names.count;
        uint32_t id = strtab_intern(&p->r->phase_names, w, strlen(w));
        if (id == STRTAB_NONE)
            rc = nomem(p);
        else if (id < before)
            rc = fail(p, order->line, order->column, "phase '%s' twice", w);
    }
    free(copy);
    return rc;
}

static void clear_section(parser *p)
{
    for (size_t i = 0; i < p->keys.n; i++) {
        free(p->keys.v[i].key);
        free(p->keys.v[i].value);
    }
    p->keys.n = 0;
    for (uint32_t i = 0; i < p->ncaptures; i++)
        free(p->captures[i]);
    p->ncaptures = 0;
    free(p->name);
    p->name = NULL;
    p->section = S_NONE;
}

static int finish_section(parser *p, int phases_only)
{
    int rc = 0;
    if (p->section == S_PHASES && phases_only)
        rc = finish_phases(p);
    else if (p->section == S_LIST && !phases_only)
        rc = finish_list(p);
    else if (p->section == S_RULE && !phases_only)
        rc = finish_rule(p);
    clear_section(p);
    return rc;
}

static int start_section(parser *p, const conf_item *it)
{
    if (!strcmp(it->a, "phases"))
        p->section = S_PHASES;
    else if (!strcmp(it->a, "list"))
        p->section = S_LIST;
    else if (!strcmp(it->a, "rule"))
        p->section = S_RULE;
    else
        return fail(p, it->line, 2, "unknown section [%s] (phases, list, "
                    "rule)", it->a);
    if (p->section != S_PHASES && !*it->b)
        return fail(p, it->line, 2, "[%s] needs a name", it->a);
    p->section_line = it->line;
    p->name = str_dup(it->b);
    return p->name ? 0 : nomem(p);
}

static int add_key(parser *p, const conf_item *it)
{
    if (p->section == S_NONE) {
        if (strcmp(it->a, "lang"))
            return fail(p, it->line, 1, "only 'lang' may come before the "
                        "first section");
        kv k = { it->a, it->b, it->line, it->value_column };
        return parse_lang(p, &k, &p->file_lang);
    }
    kv k = { str_dup(it->a), str_dup(it->b), it->line, it->value_column };
    if (!k.key || !k.value || kv_vec_push(&p->keys, k) != 0) {
        free(k.key);
        free(k.value);
        return nomem(p);
    }
    return 0;
}

/* Reads one file; the first pass takes only the [phases] sections. */
static int parse_file(loader *load, const char *path, int phases_only,
                      nertag_error *err)
{
    parser p;
    memset(&p, 0, sizeof p);
    size_t len;
    char *text = load_read(load, path, &len, &p.file, err);
    if (!text)
        return -1;
    p.load = load;
    p.r = load->model->rules;
    p.path = path;
    p.file_lang = -1;
    p.err = err;
    int rc = 0;
    size_t bad = utf8_first_invalid(text, len);
    if (rc == 0 && bad < len) {
        long line = 1;
        for (size_t i = 0; i < bad; i++)
            line += text[i] == '\n';
        rc = fail(&p, line, 0, "invalid UTF-8");
    }
    conf_reader cr;
    conf_open(&cr, path, text, len);
    while (rc == 0) {
        conf_item it;
        if ((rc = conf_next(&cr, &it, err)) != 0 || it.kind == CONF_END)
            break;
        if (it.kind == CONF_SECTION) {
            if ((rc = finish_section(&p, phases_only)) == 0)
                rc = start_section(&p, &it);
        } else {
            rc = add_key(&p, &it);
        }
    }
    if (rc == 0)
        rc = finish_section(&p, phases_only);
    clear_section(&p);
    conf_close(&cr);
    kv_vec_free(&p.keys);
    u32_vec_free(&p.ids);
    u32_vec_free(&p.offsets);
    free(text);
    return rc;
}

/* ------------------------------------------------------------ loading */

int rules_load(loader *load, const data_files *files, nertag_error *err)
{
    struct nertag_model *m = load->model;
    if (!(m->rules = calloc(1, sizeof *m->rules))) {
        err_set(err, NERTAG_ERR_NOMEM, "out of memory");
        return -1;
    }
    m->rules->nlangs = (uint32_t)m->lang.langs.n;
    ruleset *r = m->rules;
    int rc = 0;
    /* phases first, so that rules in any file can name them */
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; rc == 0 && i < files->n; i++)
            rc = parse_file(load, files->v[i].path, pass == 0, err);
    for (size_t i = 0; rc == 0 && i < r->phase_names.count; i++) {
        phase ph;
        memset(&ph, 0, sizeof ph);
        ph.name = (uint32_t)i;
        if (phase_vec_push(&r->phases, ph) != 0) {
            err_set(err, NERTAG_ERR_NOMEM, "out of memory");
            rc = -1;
        }
    }
    for (size_t i = 0; rc == 0 && i < r->rules.n; i++)
        if (index_rule(r, (uint32_t)i) != 0) {
            err_set(err, NERTAG_ERR_NOMEM, "out of memory");
            rc = -1;
        }
    for (size_t i = 0; rc == 0 && i < r->phases.n; i++)
        anywhere_flags(r, &r->phases.v[i]);
    if (rc == 0 && (pack_words(r) != 0 || build_gates(r) != 0)) {
        err_set(err, NERTAG_ERR_NOMEM, "out of memory");
        rc = -1;
    }
    return rc;
}
