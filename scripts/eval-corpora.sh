#!/bin/sh
# eval-corpora.sh - scores nertag on the evaluation corpora.
#
#   scripts/eval-corpora.sh                  the val files (for development)
#   EVAL_SPLIT=test scripts/eval-corpora.sh  the test files (for reporting)
#
# For each corpus, nertag tags the tokens of the gold file and adds its tag
# as a last column (--input conll --output conll); `nertag eval --format
# conll --map conll` then counts as conlleval does, with the corpora's type
# mapping (STATE, LOC -> LOC; ORG, GROUP -> ORG; SPOKESPERSON, PERSON -> PER;
# MISC not scored).  Each table comes with the throughput and the scores
# that corpora/README.md gives for other taggers.
#
# Environment:
#   NERTAG          the program (default: build/src/nertag, then src/nertag)
#   NERTAG_CORPORA  the corpora (default: ../shared/corpora beside the tree)
#   EVAL_SPLIT      val (default) or test
#   EVAL_KEEP       a folder where the tagged files are kept (default: none)
#
# Exit status: 0, also when the corpora are absent (said, then skipped);
# 1 when a run fails.
set -eu
# shellcheck source=SCRIPTDIR/eval-env.sh
. "$(dirname "$0")/eval-env.sh"

if [ ! -d "$corpora" ]; then
    echo "$me: no corpora at $corpora (set NERTAG_CORPORA): skipped"
    exit 0
fi
need_nertag

work=$(mktemp -d "${TMPDIR:-/tmp}/nertag-eval.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

now() { date +%s.%N; }

# Seconds the program takes to load its model, subtracted from the timings
# so that throughput measures tagging.
t0=$(now)
"$NERTAG" --input conll --output conll < /dev/null > /dev/null
t1=$(now)
load=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')

# corpus  file (for the split)  token column  language  peer scores
corpus_list() {
    cat <<EOF
conll2003-en	$split.conllu	2	English	compromise 14.17 on test: F1 34.5 (PER 30.2, LOC 47.1, ORG 18.0), about 0.09 MB/s
wikineural-fr	$split.conllu	2	French	fr-compromise 0.2.8 on test: F1 18.0, about 0.22 MB/s
wikineural-de	$split.conllu	2	German	none published
wikineural-es	$split.conllu	2	Spanish	none published
europeana-fr	enp_FR.bnf.bio	1	French	none published
EOF
}

found=0
status=0
tab=$(printf '\t')
while IFS=$tab read -r name file column language peers; do
    gold=$corpora/$name/$file
    if [ ! -r "$gold" ]; then
        echo "== $name: no $gold: skipped"
        echo
        continue
    fi
    found=$((found + 1))
    pred=$work/$name.conll
    bytes=$(wc -c < "$gold")
    note=
    [ "$name" = europeana-fr ] && note=", one file: no val/test split, no sentence breaks"
    echo "== $name ($language, $file, $(awk -v b="$bytes" 'BEGIN { printf "%.2f", b / 1e6 }') MB$note)"
    t0=$(now)
    if ! "$NERTAG" --input conll --token-column "$column" --output conll \
            "$gold" > "$pred"; then
        echo "$me: nertag failed on $gold" >&2
        status=1
        continue
    fi
    t1=$(now)
    if ! "$NERTAG" eval --format conll --map conll "$pred"; then
        echo "$me: nertag eval failed on $pred" >&2
        status=1
        continue
    fi
    awk -v a="$t0" -v b="$t1" -v l="$load" -v n="$bytes" 'BEGIN {
        s = b - a; t = s - l
        if (t <= 0) t = s
        printf "throughput: %.2f MB/s tagging (%.2f MB/s with the %.2f s " \
               "model load), one thread\n", n / 1e6 / t, n / 1e6 / s, l
    }'
    echo "peers: $peers"
    [ -n "${EVAL_KEEP:-}" ] && mkdir -p "$EVAL_KEEP" && cp "$pred" "$EVAL_KEEP/"
    echo
done <<EOF
$(corpus_list)
EOF

[ "$found" -gt 0 ] || echo "$me: no corpus file found under $corpora"
exit $status
