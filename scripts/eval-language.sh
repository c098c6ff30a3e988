#!/bin/sh
# eval-language.sh - how often nertag's language detection is right.
#
#   scripts/eval-language.sh                  the val files
#   EVAL_SPLIT=test scripts/eval-language.sh  the test files
#
# Each sentence of conll2003-en (expected: en), wikineural-fr (fr),
# wikineural-de (de) and wikineural-es (es) becomes one document whose text is its tokens joined by spaces;
# europeana-fr has no sentence breaks, so its documents are runs of 30
# tokens.  Sentences made of -DOCSTART- alone are left out.  The documents
# go through `nertag --input jsonl --lang auto`, and the "lang" of each
# output line is compared with the expected language, per corpus and per
# length in tokens (1-5, 6-10, 11-20, more than 20), and over the documents
# of 20 words or more (a word: a token with a letter; scores, dates and
# punctuation are not words).  When nothing in a text decides, the detector
# says `und` (no language), which counts as wrong.
#
# Environment: NERTAG (default: build/src/nertag, then src/nertag),
# NERTAG_CORPORA (default: ../shared/corpora beside the tree), EVAL_SPLIT
# (val or test).  Exit status: 0, also when the corpora are absent (said,
# then skipped); 1 when a run fails.
set -eu
# shellcheck source=SCRIPTDIR/eval-env.sh
. "$(dirname "$0")/eval-env.sh"

if [ ! -d "$corpora" ]; then
    echo "$me: no corpora at $corpora (set NERTAG_CORPORA): skipped"
    exit 0
fi
need_nertag

work=$(mktemp -d "${TMPDIR:-/tmp}/nertag-lang.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

# to_jsonl COLUMN CHUNK EXPECT: CoNLL lines on standard input to one JSON
# document per sentence (CHUNK 0) or per run of CHUNK tokens, with the
# token count, the word count and the expected language ahead of the text.
to_jsonl() {
    awk -v col="$1" -v chunk="$2" -v expect="$3" '
    function jstr(s,   out, i) {
        out = ""
        while ((i = match(s, /["\\]/)) > 0) {
            out = out substr(s, 1, i - 1) "\\" substr(s, i, 1)
            s = substr(s, i + 1)
        }
        return out s
    }
    function flush() {
        if (n > 0 && !(n == 1 && text == "-DOCSTART-"))
            printf "{\"id\":\"%d\",\"n\":%d,\"w\":%d,\"expect\":\"%s\",\"text\":\"%s\"}\n", ++docs, n, w, expect, jstr(text)
        n = w = 0
        text = ""
    }
    NF == 0 { if (!chunk) flush(); next }
    {
        text = n ? text " " $col : $col
        n++
        # a letter: ASCII, or any byte of a multibyte character
        if ($col ~ /[A-Za-z\200-\377]/)
            w++
        if (chunk && n == chunk) flush()
    }
    END { flush() }'
}

# corpus, file, token column, chunk (0: sentences), expected language
list() {
    cat <<EOF
conll2003-en $split.conllu 2 0 en
wikineural-fr $split.conllu 2 0 fr
wikineural-de $split.conllu 2 0 de
wikineural-es $split.conllu 2 0 es
europeana-fr enp_FR.bnf.bio 1 30 fr
EOF
}

printf '%-14s %-6s %9s %9s %9s\n' corpus tokens documents correct accuracy
status=0
while read -r name file column chunk expect; do
    gold=$corpora/$name/$file
    if [ ! -r "$gold" ]; then
        echo "$name: no $gold: skipped"
        continue
    fi
    to_jsonl "$column" "$chunk" "$expect" < "$gold" > "$work/in.jsonl"
    if ! "$NERTAG" --input jsonl --output jsonl --lang auto \
            "$work/in.jsonl" > "$work/out.jsonl"; then
        echo "$me: nertag rejected documents of $name" >&2
        status=1
    fi
    # Totals come from the input: a rejected document has no output line
    # and counts as wrong.
    awk -v name="$name" '
    function bucket(line,   n) {
        match(line, /^\{"id":"[0-9]+","n":[0-9]+,/)
        n = substr(line, 1, RLENGTH)
        sub(/^\{"id":"[0-9]+","n":/, "", n)
        n += 0
        return n <= 5 ? "1-5" : n <= 10 ? "6-10" : n <= 20 ? "11-20" : ">20"
    }
    function words(line) {
        match(line, /"w":[0-9]+,/)
        return substr(line, RSTART + 4, RLENGTH - 5) + 0
    }
    NR == FNR {
        total[bucket($0)]++
        docs++
        if (words($0) >= 20)
            long_docs++
        next
    }
    {
        match($0, /"expect":"[a-z]+"/)
        expect = substr($0, RSTART + 10, RLENGTH - 11)
        # "lang" comes after the text, whose own quotes are all escaped
        lang = ""
        if (match($0, /","lang":"[a-z]+"/))
            lang = substr($0, RSTART + 10, RLENGTH - 11)
        if (lang == expect) {
            right[bucket($0)]++
            all_right++
            if (words($0) >= 20)
                long_right++
        }
    }
    END {
        split("1-5 6-10 11-20 >20", order, " ")
        for (k = 1; k <= 4; k++)
            if (total[order[k]])
                printf "%-14s %-6s %9d %9d %8.2f%%\n", name, order[k],
                       total[order[k]], right[order[k]],
                       100 * right[order[k]] / total[order[k]]
        if (long_docs)
            printf "%-14s %-6s %9d %9d %8.2f%%\n", name, ">=20w", long_docs,
                   long_right, 100 * long_right / long_docs
        printf "%-14s %-6s %9d %9d %8.2f%%\n", name, "all", docs, all_right,
               docs ? 100 * all_right / docs : 0
    }' "$work/in.jsonl" "$work/out.jsonl"
done <<EOF
$(list)
EOF
echo "tokens: documents by length in tokens; >=20w: those of 20 words or more"
echo "(tokens with a letter).  A text in which nothing decides is said 'und'"
echo "(no language) and counts as wrong."
exit $status
