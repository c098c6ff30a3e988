/* jsonl.c - gold documents and predictions as JSON Lines: read, paired by
 * "id" (by order without), and compared mention by mention, with the
 * canonical names and `for` of the mentions that match. */
#include "eval/eval-run.h"
#include "util/json.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ JSONL */

typedef struct jent {
    size_t start, end;        /* code points, end exclusive */
    uint32_t type;            /* mapped type, id in the scores' types */
    int spokes;               /* the type before mapping is SPOKESPERSON */
    size_t names, nnames;     /* accepted canonical names: range in strs */
    size_t fors, nfors;       /* accepted "for" names: range in strs */
    int used;                 /* paired during the comparison */
} jent;
VEC_DECLARE(jent_vec, jent);

typedef struct jdoc {
    size_t id;                /* offset in pool, or NONE */
    size_t text, text_len;    /* offset in pool, or NONE */
    size_t ents, nents;       /* range in ents */
    long line;
} jdoc;
VEC_DECLARE(jdoc_vec, jdoc);

/* The documents of one JSONL file. */
typedef struct jset {
    const char *name;
    buf pool;                 /* ids, texts and names, NUL-terminated */
    jdoc_vec docs;
    jent_vec ents;
    size_vec strs;            /* offsets of names in pool */
} jset;

static void jset_free(jset *s)
{
    buf_free(&s->pool);
    jdoc_vec_free(&s->docs);
    jent_vec_free(&s->ents);
    size_vec_free(&s->strs);
}

static const char *jstr(const jset *s, size_t off)
{
    return s->pool.data + off;
}

/* A line being read: where errors go and what they say. */
typedef struct jline {
    eval_ctx *x;
    jset *set;
    const char *s;            /* the line */
    long lineno;
    char msg[200];
} jline;

/* The next element of the array raw[0..len) (brackets included) from
 * *pos.  The array was validated by json_parse_object, so strings and
 * nesting are all that need following.  Returns 1 with the element's span,
 * 0 after the last. */
static int array_next(const char *raw, size_t len, size_t *pos,
                      size_t *start, size_t *elen)
{
    size_t i = *pos ? *pos : 1;
    while (i < len && (raw[i] == ',' || raw[i] == ' ' || raw[i] == '\t' ||
                       raw[i] == '\n' || raw[i] == '\r'))
        i++;
    if (i >= len || raw[i] == ']')
        return 0;
    *start = i;
    int depth = 0, in_str = 0;
    for (; i < len; i++) {
        char ch = raw[i];
        if (in_str) {
            if (ch == '\\')
                i++;
            else if (ch == '"')
                in_str = 0;
        } else if (ch == '"') {
            in_str = 1;
        } else if (ch == '[' || ch == '{') {
            depth++;
        } else if (ch == ']' || ch == '}') {
            if (depth-- == 0)
                break;
        } else if (ch == ',' && depth == 0) {
            break;
        }
    }
    size_t e = i;
    while (e > *start && (raw[e - 1] == ' ' || raw[e - 1] == '\t' ||
                          raw[e - 1] == '\n' || raw[e - 1] == '\r'))
        e--;
    *elen = e - *start;
    *pos = i;
    return 1;
}

/* Decodes the JSON string token raw[0..n) into the pool. */
static int pool_json_string(jset *set, const char *raw, size_t n, size_t *off)
{
    buf tmp = BUF_INIT;
    int rc = json_string_decode(raw, n, &tmp, NULL);
    if (rc == 0)
        rc = pool_add(&set->pool, tmp.data ? tmp.data : "", tmp.len, off);
    buf_free(&tmp);
    return rc == 0 ? 0 : -1;
}

/* Reads a string or a list of strings (canonical, for) into set->strs.
 * Returns 0, 1 when malformed (l->msg says why), -1 out of memory. */
static int read_names(jline *l, const char *obj, const json_member *m,
                      const char *key, size_t *first, size_t *count)
{
    jset *set = l->set;
    const char *raw = obj + m->value_start;
    *first = set->strs.n;
    *count = 0;
    size_t off, pos = 0, st, n;
    if (m->type == JSON_NULL)
        return 0;
    if (m->type == JSON_STRING) {
        if (pool_json_string(set, raw, m->value_len, &off) != 0 ||
            size_vec_push(&set->strs, off) != 0)
            return -1;
        *count = 1;
        return 0;
    }
    if (m->type != JSON_ARRAY) {
        snprintf(l->msg, sizeof l->msg,
                 "\"%s\" must be a string or a list of strings", key);
        return 1;
    }
    while (array_next(raw, m->value_len, &pos, &st, &n)) {
        if (raw[st] != '"') {
            snprintf(l->msg, sizeof l->msg,
                     "\"%s\" must be a string or a list of strings", key);
            return 1;
        }
        if (pool_json_string(set, raw + st, n, &off) != 0 ||
            size_vec_push(&set->strs, off) != 0)
            return -1;
        (*count)++;
    }
    return 0;
}

/* A member that must be a non-negative integer. */
static int read_offset(jline *l, const char *obj, const json_object *o,
                       const char *key, size_t *out)
{
    long k = json_object_find(o, obj, key);
    const json_member *m = k >= 0 ? &o->members[k] : NULL;
    const char *v = m ? obj + m->value_start : "";
    size_t n = 0;
    int ok = m && m->type == JSON_NUMBER;
    for (size_t i = 0; ok && i < m->value_len; i++) {
        ok = v[i] >= '0' && v[i] <= '9' && n <= (SIZE_MAX - 9) / 10;
        n = n * 10 + (size_t)(v[i] - '0');
    }
    if (!ok) {
        snprintf(l->msg, sizeof l->msg,
                 "\"%s\" must be a non-negative integer", key);
        return 1;
    }
    *out = n;
    return 0;
}

/* Reads one entity object; a type the map ignores is left out. */
static int read_entity(jline *l, const char *obj, size_t len,
                       json_object *o)
{
    eval_ctx *x = l->x;
    json_error jerr;
    int rc = json_parse_object(obj, len, JSON_DEPTH, o, &jerr);
    if (rc == -2)
        return -1;
    if (rc != 0) {
        snprintf(l->msg, sizeof l->msg, "an entity must be an object");
        return 1;
    }
    jent e;
    memset(&e, 0, sizeof e);
    if (read_offset(l, obj, o, "start", &e.start) ||
        read_offset(l, obj, o, "end", &e.end))
        return 1;
    if (e.end < e.start) {
        snprintf(l->msg, sizeof l->msg, "entity %zu-%zu ends before it starts",
                 e.start, e.end);
        return 1;
    }
    long k = json_object_find(o, obj, "type");
    if (k < 0 || o->members[k].type != JSON_STRING) {
        snprintf(l->msg, sizeof l->msg, "an entity needs a string \"type\"");
        return 1;
    }
    buf tb = BUF_INIT;
    rc = json_string_decode(obj + o->members[k].value_start,
                            o->members[k].value_len, &tb, NULL) ? -1 : 0;
    const char *t = tb.data ? tb.data : "";
    size_t tn = tb.len;
    e.spokes = !strcmp(t, "SPOKESPERSON");
    int kept = rc == 0 && eval_map_apply(&x->map, &t, &tn);
    if (kept && (e.type = scores_type(&x->scores, t, tn)) == STRTAB_NONE)
        rc = -1;
    buf_free(&tb);
    if (rc != 0 || !kept)
        return rc;
    static const char *const keys[2] = { "canonical", "for" };
    size_t *first[2] = { &e.names, &e.fors }, *count[2] = { &e.nnames,
                                                           &e.nfors };
    for (int i = 0; i < 2; i++) {
        k = json_object_find(o, obj, keys[i]);
        if (k >= 0 && (rc = read_names(l, obj, &o->members[k], keys[i],
                                       first[i], count[i])) != 0)
            return rc;
    }
    return jent_vec_push(&l->set->ents, e);
}

/* Reads the "entities" member of a document. */
static int read_entities(jline *l, const json_object *doc)
{
    long k = json_object_find(doc, l->s, "entities");
    if (k < 0 || doc->members[k].type != JSON_ARRAY) {
        snprintf(l->msg, sizeof l->msg, k < 0 ? "no \"entities\" member"
                                              : "\"entities\" must be a list");
        return 1;
    }
    const char *raw = l->s + doc->members[k].value_start;
    size_t len = doc->members[k].value_len, pos = 0, st, n;
    json_object o = JSON_OBJECT_INIT;
    int rc = 0;
    for (size_t i = 0; rc == 0 && array_next(raw, len, &pos, &st, &n); i++)
        if ((rc = read_entity(l, raw + st, n, &o)) == 1) {
            char m[sizeof l->msg];
            snprintf(m, sizeof m, "entities[%zu]: %s", i, l->msg);
            memcpy(l->msg, m, sizeof m);
        }
    json_object_free(&o);
    return rc;
}

/* Reads an optional string member ("id", "text") into the pool; an id
 * may also be a number, kept as written. */
static int read_string(jline *l, const json_object *doc, const char *key,
                       int number_ok, size_t *off, size_t *len)
{
    long k = json_object_find(doc, l->s, key);
    *off = NONE;
    if (k < 0)
        return 0;
    const json_member *m = &doc->members[k];
    const char *raw = l->s + m->value_start;
    size_t start = l->set->pool.len;
    int rc;
    if (m->type == JSON_STRING)
        rc = pool_json_string(l->set, raw, m->value_len, off);
    else if (m->type == JSON_NUMBER && number_ok)
        rc = pool_add(&l->set->pool, raw, m->value_len, off);
    else {
        snprintf(l->msg, sizeof l->msg, "\"%s\" must be a string", key);
        return 1;
    }
    if (len)
        *len = l->set->pool.len - start - 1;
    return rc;
}

/* Checks that the entities of a document lie inside its text. */
static int check_offsets(jline *l, const jdoc *d)
{
    if (d->text == NONE)
        return 0;
    size_t n = cp_count(jstr(l->set, d->text), d->text_len);
    for (size_t i = 0; i < d->nents; i++) {
        const jent *e = &l->set->ents.v[d->ents + i];
        if (e->end > n) {
            snprintf(l->msg, sizeof l->msg,
                     "entity %zu-%zu lies beyond the text (%zu code points)",
                     e->start, e->end, n);
            return 1;
        }
    }
    return 0;
}

static int read_doc(jline *l, size_t len, json_object *doc)
{
    json_error jerr;
    int rc = json_parse_object(l->s, len, JSON_DEPTH, doc, &jerr);
    if (rc == -2)
        return -1;
    if (rc != 0) {
        snprintf(l->msg, sizeof l->msg, "byte %zu: %s", jerr.offset + 1,
                 jerr.message);
        return 1;
    }
    jdoc d = { NONE, NONE, 0, l->set->ents.n, 0, l->lineno };
    if ((rc = read_string(l, doc, "id", 1, &d.id, NULL)) != 0 ||
        (rc = read_string(l, doc, "text", 0, &d.text, &d.text_len)) != 0 ||
        (rc = read_entities(l, doc)) != 0)
        return rc;
    d.nents = l->set->ents.n - d.ents;
    if ((rc = check_offsets(l, &d)) != 0)
        return rc;
    return jdoc_vec_push(&l->set->docs, d);
}

/* Reads a whole JSONL file into set.  Returns 0, 1 when rejected, -1 out
 * of memory. */
static int read_jsonl(eval_ctx *x, jset *set, const char *name)
{
    set->name = name;
    FILE *in = open_input(x, name);
    if (!in)
        return 1;
    jline l = { x, set, NULL, 0, "" };
    json_object doc = JSON_OBJECT_INIT;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int rc = 0;
    while (rc == 0 && (n = getline(&line, &cap, in)) >= 0) {
        l.lineno++;
        l.s = line;
        size_t len = chomp(line, (size_t)n), i = 0;
        while (i < len && (line[i] == ' ' || line[i] == '\t'))
            i++;
        if (i == len)
            continue;
        if ((rc = read_doc(&l, len, &doc)) == 1)
            report_at(x, name, l.lineno, l.msg);
    }
    if (rc == 0 && ferror(in)) {
        report_at(x, name, l.lineno, "read error");
        rc = 1;
    }
    free(line);
    json_object_free(&doc);
    close_input(in);
    return rc;
}

/* Pairs every predicted document with a gold one: by id, or by position
 * when the prediction has no id.  pair[g] is the predicted document of
 * gold document g, or NONE. */
static int pair_docs(eval_ctx *x, const jset *gold, const jset *pred,
                     size_t *pair)
{
    strtab ids = { 0 };
    size_vec doc_of = { 0 };
    int rc = 0;
    char msg[300];
    for (size_t g = 0; rc == 0 && g < gold->docs.n; g++) {
        pair[g] = NONE;
        const jdoc *d = &gold->docs.v[g];
        if (d->id == NONE)
            continue;
        const char *id = jstr(gold, d->id);
        size_t before = ids.count;
        uint32_t k = strtab_intern(&ids, id, strlen(id));
        if (k == STRTAB_NONE || (ids.count > before &&
                                 size_vec_push(&doc_of, g) != 0)) {
            rc = -1;
        } else if (ids.count == before) {
            snprintf(msg, sizeof msg, "document id \"%.200s\" is repeated",
                     id);
            report_at(x, gold->name, d->line, msg);
            rc = 1;
        }
    }
    for (size_t p = 0; rc == 0 && p < pred->docs.n; p++) {
        const jdoc *d = &pred->docs.v[p];
        const char *id = d->id != NONE ? jstr(pred, d->id) : NULL;
        uint32_t k = id ? strtab_find(&ids, id, strlen(id)) : STRTAB_NONE;
        size_t g = id ? (k == STRTAB_NONE ? NONE : doc_of.v[k])
                      : (p < gold->docs.n ? p : NONE);
        if (g == NONE || pair[g] != NONE) {
            if (g == NONE && id)
                snprintf(msg, sizeof msg, "no gold document has the id "
                         "\"%.200s\"", id);
            else
                snprintf(msg, sizeof msg, g == NONE
                         ? "more documents than the gold file has"
                         : "a second prediction for the same gold document");
            report_at(x, pred->name, d->line, msg);
            rc = 1;
        } else {
            pair[g] = p;
        }
    }
    strtab_free(&ids);
    size_vec_free(&doc_of);
    return rc;
}

/* Joins a list of names with " | " ("(none)" for an empty list). */
static int pool_names(buf *pool, const jset *s, size_t first, size_t n,
                      size_t *off)
{
    buf t = BUF_INIT;
    int rc = n ? 0 : buf_puts(&t, "(none)");
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = (i && buf_puts(&t, " | ")) ||
             buf_puts(&t, jstr(s, s->strs.v[first + i]));
    rc = rc || pool_add(pool, t.data, t.len, off);
    buf_free(&t);
    return rc;
}

/* The documents being compared. */
typedef struct jpair {
    const jset *gold, *pred;
    const jdoc *g, *p;        /* p may be NULL */
    const char *text;         /* the document text, or "" */
    size_t text_len;
} jpair;

/* Adds one difference of a pair of documents; ge or pe may be NULL. */
static int jsonl_diff(eval_ctx *x, const jpair *pr, enum eval_diff_kind k,
                      const jent *ge, const jent *pe)
{
    const jent *e = ge ? ge : pe;
    buf *pool = &x->diffs.pool;
    eval_diff d;
    memset(&d, 0, sizeof d);
    d.kind = k;
    d.start = e->start;
    d.end = e->end;
    const jset *ids = pr->g->id != NONE ? pr->gold : pr->pred;
    size_t id = pr->g->id != NONE ? pr->g->id : pr->p ? pr->p->id : NONE;
    char place[64];
    snprintf(place, sizeof place, "%s:%ld", pr->gold->name, pr->g->line);
    int rc = pool_addz(pool, id != NONE ? jstr(ids, id) : place, &d.doc);
    const char *gt = ge ? strtab_get(&x->scores.types, ge->type) : "";
    const char *pt = pe ? strtab_get(&x->scores.types, pe->type) : "";
    if (k == EVAL_WRONG_CANONICAL) {
        rc = rc || pool_names(pool, pr->gold, ge->names, ge->nnames, &d.gold)
                || pool_names(pool, pr->pred, pe->names, pe->nnames > 0,
                              &d.pred);
    } else if (k == EVAL_WRONG_FOR) {
        rc = rc || pool_names(pool, pr->gold, ge->fors, ge->nfors, &d.gold)
                || pool_names(pool, pr->pred, pe->fors, pe->nfors > 0,
                              &d.pred);
    } else {
        rc = rc || pool_addz(pool, gt, &d.gold) || pool_addz(pool, pt,
                                                             &d.pred);
    }
    size_t b = cp_to_byte(pr->text, pr->text_len, e->start);
    size_t end = cp_to_byte(pr->text, pr->text_len, e->end);
    if (b == NONE || end == NONE)
        b = end = 0;            /* no text to show */
    if (rc || diff_context(pool, pr->text, pr->text_len, b, end, &d) != 0)
        return -1;
    return eval_diff_vec_push(&x->diffs.v, d);
}

/* Is the first name of p's list among g's names?  An empty gold list
 * accepts only an empty prediction. */
static int name_accepted(const jset *gs, size_t gfirst, size_t gn,
                         const jset *ps, size_t pfirst, size_t pn)
{
    const char *want = pn ? jstr(ps, ps->strs.v[pfirst]) : "";
    if (!gn)
        return !*want;
    for (size_t i = 0; i < gn; i++)
        if (!strcmp(jstr(gs, gs->strs.v[gfirst + i]), want))
            return 1;
    return 0;
}

/* Canonical name and "for" of a correct mention. */
static int judge_names(eval_ctx *x, const jpair *pr, const jent *g,
                       const jent *p)
{
    eval_scores *s = &x->scores;
    int rc = 0;
    if (g->nnames) {
        int ok = name_accepted(pr->gold, g->names, g->nnames, pr->pred,
                               p->names, p->nnames);
        s->canon_total++;
        s->canon_correct += ok;
        if (!ok && x->o->diff)
            rc = jsonl_diff(x, pr, EVAL_WRONG_CANONICAL, g, p);
    }
    if (rc == 0 && g->spokes) {
        int ok = name_accepted(pr->gold, g->fors, g->nfors, pr->pred,
                               p->fors, p->nfors);
        s->for_total++;
        s->for_correct += ok;
        if (!ok && x->o->diff)
            rc = jsonl_diff(x, pr, EVAL_WRONG_FOR, g, p);
    }
    return rc;
}

/* Compares one gold document with its prediction (p may be NULL). */
static int compare_doc(eval_ctx *x, const jpair *pr)
{
    eval_scores *s = &x->scores;
    jent *g = pr->gold->ents.v + pr->g->ents;
    size_t ng = pr->g->nents;
    jent *p = pr->p ? pr->pred->ents.v + pr->p->ents : NULL;
    size_t np = pr->p ? pr->p->nents : 0;
    size_t first_diff = x->diffs.v.n;
    int rc = 0;
    for (size_t i = 0; i < ng; i++)
        count_gold(s, g[i].type);
    for (size_t j = 0; j < np; j++)
        count_pred(s, p[j].type);
    /* exact span and type first, then exact span alone (a wrong type), so
     * that a right mention is never spent on a wrong one */
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; rc == 0 && i < ng; i++)
            for (size_t j = 0; !g[i].used && j < np; j++) {
                if (p[j].used || p[j].start != g[i].start ||
                    p[j].end != g[i].end ||
                    (pass == 0 && p[j].type != g[i].type))
                    continue;
                g[i].used = p[j].used = 1;
                if (pass == 0) {
                    count_correct(s, g[i].type);
                    rc = judge_names(x, pr, &g[i], &p[j]);
                } else if (x->o->diff) {
                    rc = jsonl_diff(x, pr, EVAL_WRONG_TYPE, &g[i], &p[j]);
                }
            }
    for (size_t i = 0; rc == 0 && x->o->diff && i < ng; i++)
        if (!g[i].used)
            rc = jsonl_diff(x, pr, EVAL_MISS, &g[i], NULL);
    for (size_t j = 0; rc == 0 && x->o->diff && j < np; j++)
        if (!p[j].used)
            rc = jsonl_diff(x, pr, EVAL_FALSE_ALARM, NULL, &p[j]);
    /* no diff at all: qsort must not see the NULL of an empty vector */
    if (rc == 0 && x->diffs.v.n > first_diff)
        qsort(x->diffs.v.v + first_diff, x->diffs.v.n - first_diff,
              sizeof *x->diffs.v.v, diff_cmp);
    return rc;
}

int run_jsonl(eval_ctx *x)
{
    jset gold, pred;
    memset(&gold, 0, sizeof gold);
    memset(&pred, 0, sizeof pred);
    int rc = read_jsonl(x, &gold, x->o->gold);
    if (rc == 0)
        rc = read_jsonl(x, &pred, x->o->pred);
    size_t *pair = rc == 0 ? malloc((gold.docs.n + 1) * sizeof *pair) : NULL;
    if (rc == 0 && !pair)
        rc = -1;
    if (rc == 0)
        rc = pair_docs(x, &gold, &pred, pair);
    for (size_t k = 0; rc == 0 && k < gold.docs.n; k++) {
        jpair pr = { &gold, &pred, &gold.docs.v[k], NULL, "", 0 };
        if (pair[k] != NONE)
            pr.p = &pred.docs.v[pair[k]];
        const jset *ts = pr.g->text != NONE ? &gold : &pred;
        const jdoc *td = pr.g->text != NONE ? pr.g : pr.p;
        if (td && td->text != NONE) {
            pr.text = jstr(ts, td->text);
            pr.text_len = td->text_len;
        }
        if (!pr.p) {
            char msg[300];
            snprintf(msg, sizeof msg, "warning: no prediction for this "
                     "document; its mentions count as missed");
            report_at(x, gold.name, pr.g->line, msg);
            x->scores.docs_missing++;
        }
        x->scores.docs++;
        rc = compare_doc(x, &pr);
    }
    free(pair);
    jset_free(&gold);
    jset_free(&pred);
    return rc;
}
