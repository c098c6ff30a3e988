/* eval.c - `nertag eval`: precision, recall and F1 of predictions against
 * gold annotations, and the list of what differs.  See eval.h; this file
 * holds the command, the others are named in eval-run.h. */
#include "eval/eval-run.h"

#include <getopt.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ the command */

/* Parses the map and reads the inputs into x.  Returns 0, 1 when an
 * input was rejected, 2 for a bad map, -1 when out of memory. */
static int collect(eval_ctx *x)
{
    char msg[200];
    int rc = x->o->map ? eval_map_parse(&x->map, x->o->map, msg, sizeof msg)
                       : 0;
    if (rc == -1) {
        fprintf(x->err, "nertag eval: %s\n", msg);
        return 2;
    }
    if (rc == 0)
        rc = x->o->format == EVAL_CONLL ? run_conll(x) : run_jsonl(x);
    return rc < 0 ? -1 : rc;
}

static void ctx_free(eval_ctx *x)
{
    eval_map_free(&x->map);
    eval_scores_free(&x->scores);
    eval_diffs_free(&x->diffs);
}

int eval_score(const eval_options *o, eval_scores *s, eval_diffs *d,
               FILE *err)
{
    eval_ctx x;
    memset(&x, 0, sizeof x);
    x.o = o;
    x.err = err;
    int rc = collect(&x);
    if (rc == 0) {
        /* the results move to the caller */
        *s = x.scores;
        *d = x.diffs;
        memset(&x.scores, 0, sizeof x.scores);
        memset(&x.diffs, 0, sizeof x.diffs);
    }
    ctx_free(&x);
    return rc;
}

int eval_run(const eval_options *o, FILE *out, FILE *err)
{
    eval_ctx x;
    memset(&x, 0, sizeof x);
    x.o = o;
    x.err = err;
    int rc = collect(&x);
    if (rc == 0)
        rc = o->conlleval ? eval_report_conlleval(&x.scores, out)
           : o->html ? report_html(&x, out) : report_text(&x, out);
    if (rc == 0 && o->conlleval && o->diff)
        report_diffs_text(&x, out);
    if (rc < 0)
        fprintf(err, "nertag eval: out of memory\n");
    int status = rc < 0 ? 2 : rc;
    if (status == 0 && (fflush(out) != 0 || ferror(out))) {
        fprintf(err, "nertag eval: write error\n");
        status = 2;
    }
    ctx_free(&x);
    return status;
}

static void eval_usage(FILE *f)
{
    fputs(
"usage: nertag eval --gold GOLD.jsonl --pred PRED.jsonl [options]\n"
"       nertag eval --format conll [--pred] FILE [options]\n"
"\n"
"Scores predicted mentions against gold ones: precision, recall and F1 of\n"
"exact span and type, per type and overall.\n"
"\n"
"  -f, --format jsonl|conll  jsonl (default): gold documents as in the\n"
"                            guidelines, predictions as nertag's JSONL\n"
"                            output, paired by \"id\" (by order without);\n"
"                            also scores canonical names and \"for\"\n"
"                            conll: one file whose last column is the\n"
"                            predicted tag and the one before it the gold\n"
"                            tag, counted exactly as conlleval counts\n"
"  -g, --gold FILE           jsonl: the gold documents\n"
"  -p, --pred FILE           the predictions ('-' or none: standard input\n"
"                            in conll mode)\n"
"  -m, --map FROM=TO,...     map types on both sides before scoring; TO\n"
"                            '-' drops FROM; a type neither mapped nor a\n"
"                            target is dropped too (CoNLL tags become O).\n"
"                            'conll' stands for the corpora mapping:\n"
"                            STATE,LOC -> LOC; ORG,GROUP -> ORG;\n"
"                            SPOKESPERSON,PERSON,PER -> PER (MISC dropped)\n"
"      --diff                list every miss, false alarm, wrong type and\n"
"                            wrong canonical name or \"for\", in context\n"
"  -o, --output text|html    the report as text (default) or as one HTML\n"
"                            page\n"
"      --conlleval           conll: conlleval's own report, byte for byte\n"
"  -c, --token-column N      conll: the column shown in contexts (1)\n"
"  -h, --help                this help\n"
"\n"
"Exit status: 0 success, 1 an input was unreadable or malformed (each\n"
"reason on standard error with file:line), 2 usage error.\n", f);
}

/* Checks what the options say together; returns a message or NULL. */
static const char *check_options(const eval_options *o)
{
    if (o->format == EVAL_JSONL && (!o->gold || !o->pred))
        return "jsonl needs --gold and --pred";
    if (o->format == EVAL_JSONL && !strcmp(o->gold, "-") &&
        !strcmp(o->pred, "-"))
        return "--gold and --pred cannot both be standard input";
    if (o->format == EVAL_CONLL && o->gold)
        return "conll files hold both tags: give only --pred";
    if (o->conlleval && (o->format != EVAL_CONLL || o->html))
        return "--conlleval goes with --format conll and text output";
    return NULL;
}

int eval_main(int argc, char **argv)
{
    static const struct option longs[] = {
        { "format", required_argument, NULL, 'f' },
        { "gold", required_argument, NULL, 'g' },
        { "pred", required_argument, NULL, 'p' },
        { "map", required_argument, NULL, 'm' },
        { "diff", no_argument, NULL, 'D' },
        { "output", required_argument, NULL, 'o' },
        { "conlleval", no_argument, NULL, 'C' },
        { "token-column", required_argument, NULL, 'c' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    eval_options o = { EVAL_JSONL, NULL, NULL, NULL, 0, 0, 0, 1 };
    const char *bad = NULL;
    int opt;
    while (!bad &&
           (opt = getopt_long(argc, argv, "f:g:p:m:o:c:h", longs, NULL)) != -1)
        switch (opt) {
        case 'f':
            if (!strcmp(optarg, "jsonl") || !strcmp(optarg, "conll"))
                o.format = !strcmp(optarg, "conll") ? EVAL_CONLL : EVAL_JSONL;
            else
                bad = "--format is jsonl or conll";
            break;
        case 'g': o.gold = optarg; break;
        case 'p': o.pred = optarg; break;
        case 'm': o.map = optarg; break;
        case 'D': o.diff = 1; break;
        case 'o':
            if (!strcmp(optarg, "text") || !strcmp(optarg, "html"))
                o.html = !strcmp(optarg, "html");
            else
                bad = "--output is text or html";
            break;
        case 'C': o.conlleval = 1; break;
        case 'c':
            o.token_column = atoi(optarg);
            if (o.token_column < 1)
                bad = "--token-column is 1 or more";
            break;
        case 'h': eval_usage(stdout); return 0;
        default: eval_usage(stderr); return 2;
        }
    if (!bad && optind < argc) {
        if (o.format == EVAL_CONLL && !o.pred && optind + 1 == argc)
            o.pred = argv[optind];
        else
            bad = "too many arguments";
    }
    if (!bad && o.format == EVAL_CONLL && !o.pred)
        o.pred = "-";
    if (!bad)
        bad = check_options(&o);
    if (bad) {
        fprintf(stderr, "nertag eval: %s\n", bad);
        return 2;
    }
    return eval_run(&o, stdout, stderr);
}
