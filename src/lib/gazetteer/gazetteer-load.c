/* gazetteer-load.c - reading gazetteer files into the alias trie.
 *
 * Every alias is split into tokens by the document tokenizer; each token's
 * folded form is interned in the model lexicon, and the alias is inserted
 * in a trie over those ids.  The trie's transitions live in one hash table
 * keyed by (node, id), so a node with a million children costs no more to
 * step through than a node with one, and a million aliases load in a few
 * seconds.
 *
 * The file format is described in gazetteers/README.md.
 */
#include "lib/internal.h"
#include "lib/load.h"

#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------ the trie */

static int trie_grow(gazetteer *g)
{
    size_t n = g->nslots ? g->nslots * 2 : 1024;
    trie_slot *old = g->slots;
    size_t old_n = g->nslots;
    g->slots = calloc(n, sizeof *g->slots);
    if (!g->slots) {
        g->slots = old;
        return -1;
    }
    g->nslots = n;
    for (size_t i = 0; i < old_n; i++)
        if (old[i].from)
            g->slots[trie_find_slot(g, old[i].from - 1, old[i].id)] = old[i];
    free(old);
    return 0;
}

/* Sets the bit of lexicon id in bits (first_words, next_words). */
static int set_word_bit(u64_vec *bits, uint32_t id)
{
    if (u64_vec_reserve(bits, id / 64 + 1) != 0)
        return -1;
    while (bits->n <= id / 64)
        bits->v[bits->n++] = 0;
    bits->v[id / 64] |= (uint64_t)1 << (id % 64);
    return 0;
}

/* The child of node on id, created when missing; NONE32 out of memory. */
static uint32_t trie_add(gazetteer *g, uint32_t node, uint32_t id)
{
    uint32_t child = trie_child(g, node, id);
    if (child != NONE32)
        return child;
    if ((g->used + 1) * 10 > g->nslots * 6 && trie_grow(g) != 0)
        return NONE32;
    trie_node fresh = { NONE32, 0 };
    /* the root first, so that no word's node is the root */
    if (!g->nodes.n && trie_node_vec_push(&g->nodes, fresh) != 0)
        return NONE32;
    child = (uint32_t)g->nodes.n;
    if (trie_node_vec_push(&g->nodes, fresh) != 0)
        return NONE32;
    g->nodes.v[node].children |= trie_word_bit(id);
    trie_slot *s = &g->slots[trie_find_slot(g, node, id)];
    s->from = node + 1;
    s->id = id;
    s->child = child;
    g->used++;
    return child;
}

/* ------------------------------------------------------------ loading */

typedef struct gaz_loader {
    loader *load;
    const char *path;
    uint32_t file;
    long line;
    u32_vec ids;            /* token ids of the current alias */
    u32_vec offsets;        /* their byte spans in the alias, pairs */
    buf key;
} gaz_loader;

static int bad_line(gaz_loader *L, nertag_error *err, const char *fmt,
                    const char *arg)
{
    err_set(err, NERTAG_ERR_SYNTAX, fmt, arg);
    err_set_place(err, L->path, L->line, 0);
    return -1;
}

static int nomem(nertag_error *err)
{
    err_set(err, NERTAG_ERR_NOMEM, "out of memory");
    return -1;
}

static uint32_t add_string(gazetteer *g, const char *s, size_t n)
{
    uint32_t off = (uint32_t)g->strings.len;
    if (g->strings.len + n + 1 >= UINT32_MAX ||
        buf_append(&g->strings, s, n) != 0 || buf_putc(&g->strings, 0) != 0)
        return NONE32;
    return off;
}

static int valid_label(const char *s, size_t n)
{
    if (!n || s[0] < 'A' || s[0] > 'Z')
        return 0;
    for (size_t i = 1; i < n; i++)
        if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
              s[i] == '_'))
            return 0;
    return 1;
}

/* Reads the flags "[exact] [fr]" at the end of an alias, shortening *n:
 * the alias flags, and the languages (any code of the models/CODE.lang
 * files) the alias is looked for in. */
static int alias_flags(gaz_loader *L, const char *s, size_t *n,
                       uint32_t *flags, uint32_t *langs, int *case_given,
                       nertag_error *err)
{
    static const struct { const char *name; uint32_t flag; } known[] = {
        { "exact", ALF_EXACT }, { "anycase", 0 },
        { "ambiguous", ALF_AMBIGUOUS },
    };
    const language_data *ld = &L->load->model->lang;
    *flags = *langs = 0;
    *case_given = 0;
    while (*n && s[*n - 1] == ']') {
        const char *open = NULL;
        for (size_t i = *n - 1; i-- > 0;)
            if (s[i] == '[') {
                open = s + i;
                break;
            }
        if (!open)
            return bad_line(L, err, "alias flag without '[': %s", "");
        size_t len = (size_t)(s + *n - 1 - (open + 1));
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)(len < 60 ? len : 60),
                 open + 1);
        size_t k;
        for (k = 0; k < sizeof known / sizeof known[0]; k++)
            if (strlen(known[k].name) == len && !strcmp(known[k].name, name))
                break;
        int lang = k == sizeof known / sizeof known[0] && len < 60
            ? lang_from_code(ld, name) : LANG_NONE;
        if (k == sizeof known / sizeof known[0] && lang == LANG_NONE)
            return bad_line(L, err, "unknown alias flag [%s] (exact, anycase, "
                            "ambiguous, or a language code)", name);
        if (lang != LANG_NONE)
            *langs |= 1u << lang;
        else
            *flags |= known[k].flag;
        if (k < 2)      /* exact, anycase */
            *case_given = 1;
        *n = (size_t)(open - s);
        while (*n && s[*n - 1] == ' ')
            (*n)--;
    }
    return 0;
}

/* The capitals an alias asks for when its flags do not say. */
static uint32_t default_case(const char *s, const u32_vec *offsets)
{
    const char *first = s + offsets->v[0];
    size_t first_len = offsets->v[1] - offsets->v[0];
    uint16_t f = token_shape_flags(first, first_len);
    if (offsets->n == 2 && (f & TF_UPPER)) {
        size_t letters = 0;
        for (size_t i = 0; i < first_len; i++)
            letters += (first[i] >= 'A' && first[i] <= 'Z') ||
                       ((unsigned char)first[i] >= 0xC0);
        if (letters >= 2)
            return ALF_EXACT;        /* an acronym: US, OTAN, RPC */
    }
    /* a capital inside a word ("DuPont", "PayPal") is part of the name:
     * "Dupont" is a surname */
    if (offsets->n == 2)
        for (size_t i = 1; i < first_len; i++)
            if (first[i] >= 'A' && first[i] <= 'Z' &&
                first[i - 1] >= 'a' && first[i - 1] <= 'z')
                return ALF_EXACT;
    return (f & TF_CAP) ? ALF_CAPITAL : 0;
}

/* Surface key of an exact alias: its tokens as written, space separated. */
static uint32_t surface_key(gazetteer *g, const char *s, const u32_vec *offs)
{
    buf k = BUF_INIT;
    uint32_t off = NONE32;
    int ok = 1;
    for (size_t i = 0; ok && i < offs->n; i += 2)
        ok = (i == 0 || buf_putc(&k, ' ') == 0) &&
             buf_append(&k, s + offs->v[i], offs->v[i + 1] - offs->v[i]) == 0;
    if (ok)
        off = add_string(g, k.data ? k.data : "", k.len);
    buf_free(&k);
    return off;
}

/* The alias of entry that ends at node (the same words, folded), not
 * dropped; NONE32 when none. */
static uint32_t same_alias(const gazetteer *g, uint32_t node, uint32_t entry)
{
    for (uint32_t a = g->nodes.v[node].alias; a != NONE32;
         a = g->aliases.v[a].next)
        if (g->aliases.v[a].entry == entry &&
            !(g->aliases.v[a].flags & ALF_DROPPED))
            return a;
    return NONE32;
}

/* Two forms of one alias that differ only by their capitals ("Nations
 * unies", "Nations Unies"): the text matches either, so the alias keeps
 * the looser capitals of the two. */
static void loosen_case(gaz_alias *old, const gaz_alias *new_)
{
    if (!(new_->flags & ALF_EXACT) && (old->flags & ALF_EXACT)) {
        old->flags = (old->flags & ~(uint32_t)ALF_EXACT) |
                     (new_->flags & ALF_CAPITAL);
        old->caps = new_->caps;
        old->surface = NONE32;
    } else if (!(old->flags & ALF_EXACT) && !(new_->flags & ALF_EXACT)) {
        if (!(new_->flags & ALF_CAPITAL))
            old->flags &= ~(uint32_t)ALF_CAPITAL;
        old->caps &= new_->caps;
    }
}

static int add_alias(gaz_loader *L, uint32_t entry, const char *s, size_t n,
                     nertag_error *err)
{
    gazetteer *g = &L->load->model->gaz;
    uint32_t flags, langs;
    int case_given;
    if (alias_flags(L, s, &n, &flags, &langs, &case_given, err) != 0)
        return -1;
    if (!n)
        return bad_line(L, err, "empty alias%s", "");
    L->ids.n = L->offsets.n = 0;
    if (load_tokens(L->load, s, n, &L->ids, &L->offsets, err) != 0)
        return -1;
    if (!L->ids.n)
        return bad_line(L, err, "alias without a word: '%s'", "");
    if (!case_given)
        flags |= default_case(s, &L->offsets);
    uint32_t node = 0;
    for (size_t i = 0; i < L->ids.n; i++)
        if ((node = trie_add(g, node, L->ids.v[i])) == NONE32 ||
            set_word_bit(i ? &g->next_words : &g->first_words,
                         L->ids.v[i]) != 0)
            return nomem(err);
    gaz_alias a = { entry, flags, langs, NONE32, 0, g->entries.v[entry].label,
                    (uint32_t)L->line, g->nodes.v[node].alias };
    /* the words written with a capital keep it: "Le Point" is not
     * « le point » */
    for (size_t i = 0; (flags & ALF_CAPITAL) && i < L->ids.n && i < 32; i++)
        if (token_shape_flags(s + L->offsets.v[2 * i],
                              L->offsets.v[2 * i + 1] - L->offsets.v[2 * i])
            & TF_CAP)
            a.caps |= 1u << i;
    uint32_t twin = same_alias(g, node, entry);
    if (twin != NONE32) {
        loosen_case(&g->aliases.v[twin], &a);
        return 0;
    }
    if (flags & ALF_EXACT)
        a.surface = surface_key(g, s, &L->offsets);
    if (((flags & ALF_EXACT) && a.surface == NONE32) ||
        gaz_alias_vec_push(&g->aliases, a) != 0)
        return nomem(err);
    g->nodes.v[node].alias = (uint32_t)(g->aliases.n - 1);
    return 0;
}

/* The value of key in attributes "k=v; k=v" s[0..n): 1 and *v, *vn, or 0
 * when the key is not there. */
static int attribute(const char *s, size_t n, const char *key,
                     const char **v, size_t *vn)
{
    if (!s)
        return 0;
    size_t kl = strlen(key);
    const char *p = s, *e = s + n;
    while (p < e) {
        while (p < e && *p == ' ')
            p++;
        const char *semi = memchr(p, ';', (size_t)(e - p));
        const char *end = semi ? semi : e;
        if ((size_t)(end - p) > kl && !memcmp(p, key, kl) && p[kl] == '=') {
            *v = p + kl + 1;
            *vn = (size_t)(end - *v);
            while (*vn && (*v)[*vn - 1] == ' ')
                (*vn)--;
            return *vn > 0;
        }
        p = end + 1;
    }
    return 0;
}

/* A later data folder's line of an entry an earlier folder defined: the
 * entry is the later one's, its canonical name, attributes and aliases
 * (the earlier aliases are dropped; the lines that follow add theirs). */
static int replace_entry(gaz_loader *L, const char *f[5], const size_t fl[5],
                         uint32_t k, uint32_t *entry, nertag_error *err)
{
    gazetteer *g = &L->load->model->gaz;
    const char *sf;
    size_t sfl;
    gaz_entry *e = &g->entries.v[k];
    e->canonical = add_string(g, f[2], fl[2]);
    e->speaks_for = attribute(f[4], fl[4], "speaks-for", &sf, &sfl)
                        ? add_string(g, sf, sfl) : NONE32;
    e->file = L->file;
    e->line = (uint32_t)L->line;
    e->country = attribute(f[4], fl[4], "country", &sf, &sfl)
                     ? GAZ_COUNTRY(sf, sfl) : 0;
    if (e->canonical == NONE32 ||
        (e->speaks_for == NONE32 &&
         attribute(f[4], fl[4], "speaks-for", &sf, &sfl)))
        return nomem(err);
    for (size_t i = 0; i < g->aliases.n; i++)
        if (g->aliases.v[i].entry == k)
            g->aliases.v[i].flags |= ALF_DROPPED;
    L->load->entry_layer.v[k] = L->load->layer;
    *entry = k;
    return 0;
}

/* The entry of (label, id), created when new; an entry an earlier data
 * folder defined is replaced. */
static int find_entry(gaz_loader *L, const char *f[5], const size_t fl[5],
                      uint32_t *entry, nertag_error *err)
{
    gazetteer *g = &L->load->model->gaz;
    buf_clear(&L->key);
    if (buf_append(&L->key, f[1], fl[1]) != 0 || buf_putc(&L->key, '\t') ||
        buf_append(&L->key, f[0], fl[0]) != 0)
        return nomem(err);
    size_t before = g->entry_keys.count;
    uint32_t k = strtab_intern(&g->entry_keys, L->key.data, L->key.len);
    if (k == STRTAB_NONE)
        return nomem(err);
    u32_vec *layers = &L->load->entry_layer;
    if (k < before && layers->v[k] < L->load->layer)
        return replace_entry(L, f, fl, k, entry, err);
    if (k < before) {
        const char *canon = gaz_str(g, g->entries.v[k].canonical);
        if (strlen(canon) != fl[2] || memcmp(canon, f[2], fl[2]) != 0)
            return bad_line(L, err,
                            "canonical name differs from the earlier line of "
                            "this id and label ('%s')", canon);
        *entry = k;
        return 0;
    }
    if (u32_vec_push(layers, L->load->layer) != 0)
        return nomem(err);
    uint32_t label = load_label(L->load, f[1], fl[1]);
    /* of the attributes (f[4]), for people and tools reading the files,
     * the tagger keeps only whom a spokesperson speaks for: the rest would
     * be a third of the strings every start-up reads */
    const char *sf;
    size_t sfl;
    uint32_t speaks_for = NONE32;
    if (attribute(f[4], fl[4], "speaks-for", &sf, &sfl) &&
        (speaks_for = add_string(g, sf, sfl)) == NONE32)
        return nomem(err);
    /* and its country, which decides between entries sharing an alias
     * (rules-act.c) */
    const char *cs;
    size_t csl;
    uint32_t country = attribute(f[4], fl[4], "country", &cs, &csl)
                           ? GAZ_COUNTRY(cs, csl) : 0;
    gaz_entry e = { add_string(g, f[0], fl[0]), add_string(g, f[2], fl[2]),
                    speaks_for, label, L->file, (uint32_t)L->line, country };
    if (label == NONE32 || e.id == NONE32 || e.canonical == NONE32 ||
        gaz_entry_vec_push(&g->entries, e) != 0)
        return nomem(err);
    *entry = k;
    return 0;
}

static int check_fields(gaz_loader *L, const char *f[5], const size_t fl[5],
                        nertag_error *err)
{
    if (!fl[0])
        return bad_line(L, err, "empty id%s", "");
    for (size_t i = 0; i < fl[0]; i++)
        if (f[0][i] == ' ')
            return bad_line(L, err, "id has a space%s", "");
    if (!valid_label(f[1], fl[1]))
        return bad_line(L, err,
                        "label must be capitals, digits and '_'%s", "");
    if (!fl[2])
        return bad_line(L, err, "empty canonical name%s", "");
    return 0;
}

static int load_line(gaz_loader *L, const char *s, size_t n,
                     nertag_error *err)
{
    const char *f[5] = { 0 };
    size_t fl[5] = { 0 };
    size_t nf = 0;
    const char *p = s, *e = s + n;
    while (nf < 5) {
        const char *tab = memchr(p, '\t', (size_t)(e - p));
        f[nf] = p;
        fl[nf] = (size_t)((tab ? tab : e) - p);
        nf++;
        if (!tab)
            break;
        p = tab + 1;
    }
    /* a sixth field is there when the fifth ends before the line does */
    if (nf < 4 || (nf == 5 && f[4] + fl[4] < e)) {
        size_t count = 1;
        for (const char *c = s; c < e; c++)
            count += *c == '\t';
        char found[32];
        snprintf(found, sizeof found, "%zu", count);
        return bad_line(L, err, "expected 4 or 5 TAB-separated fields, "
                        "found %s", found);
    }
    if (check_fields(L, f, fl, err) != 0)
        return -1;
    uint32_t entry;
    if (find_entry(L, f, fl, &entry, err) != 0)
        return -1;
    /* aliases are separated by " | " */
    const char *a = f[3], *ae = f[3] + fl[3];
    while (a <= ae) {
        const char *bar = a;
        while (bar + 3 <= ae && memcmp(bar, " | ", 3) != 0)
            bar++;
        const char *end = bar + 3 <= ae ? bar : ae;
        while (a < end && *a == ' ')
            a++;
        if (add_alias(L, entry, a, (size_t)(end - a), err) != 0)
            return -1;
        a = end + 3;
    }
    return 0;
}

static const char HEADER[] = "id\tlabel\tcanonical\taliases";

static int is_header(const char *s, size_t n)
{
    size_t h = sizeof HEADER - 1;
    return (n == h && memcmp(s, HEADER, h) == 0) ||
           (n == h + 11 && memcmp(s, HEADER, h) == 0 &&
            memcmp(s + h, "\tattributes", 11) == 0);
}

int gazetteer_load_file(loader *load, const char *path, nertag_error *err)
{
    gaz_loader L;
    memset(&L, 0, sizeof L);
    size_t len;
    char *text = load_read(load, path, &len, &L.file, err);
    if (!text)
        return -1;
    L.load = load;
    L.path = path;
    int rc = 0;
    int header_seen = 0;
    const char *p = text, *end = text + len;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;   /* a byte order mark, as some editors write */
    while (rc == 0 && p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end;
        L.line++;
        if (e > p && e[-1] == '\r')
            e--;
        size_t n = (size_t)(e - p);
        size_t bad = utf8_first_invalid(p, n);
        if (bad < n) {
            rc = bad_line(&L, err, "invalid UTF-8%s", "");
            if (err)
                err->column = (long)bad + 1;
        } else if (n == 0 || p[0] == '#') {
            /* comment or blank */
        } else if (!header_seen) {
            if (!is_header(p, n))
                rc = bad_line(&L, err, "the first line must be the header "
                              "'id<TAB>label<TAB>canonical<TAB>aliases"
                              "<TAB>attributes'%s", "");
            header_seen = 1;
        } else {
            rc = load_line(&L, p, n, err);
        }
        p = nl ? nl + 1 : end;
    }
    u32_vec_free(&L.ids);
    u32_vec_free(&L.offsets);
    buf_free(&L.key);
    free(text);
    return rc;
}

int gazetteer_load(loader *load, const data_files *files, nertag_error *err)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < files->n; i++) {
        load->layer = files->v[i].layer;
        rc = gazetteer_load_file(load, files->v[i].path, err);
    }
    return rc;
}
