#!/bin/sh
# compare-conlleval.sh - checks that `nertag eval --format conll --conlleval`
# prints what the conlleval script prints, byte for byte.
#
#   scripts/compare-conlleval.sh [CONLLEVAL]     (or CONLLEVAL=... in the
#                                                 environment)
#
# The script is not part of this tree: give the path of a copy.  Compared:
#   - nertag's output on every file of the corpora, with raw types and with
#     the conll type map (the map applied to the file by awk for conlleval);
#   - random files of every tag shape conlleval knows (B, I, E, [, ], .,
#     types with hyphens or "0", tags without type, -X- and blank lines).
# Columns are tab-separated in the corpora; conlleval gets them with spaces.
#
# Environment: NERTAG (default: build/src/nertag, then src/nertag),
# NERTAG_CORPORA (default: ../shared/corpora beside the tree).
#
# Exit status: 0 all identical, 1 a difference (shown), 77 skipped (no
# conlleval script, no perl, or no corpora).
set -eu
# shellcheck source=SCRIPTDIR/eval-env.sh
. "$(dirname "$0")/eval-env.sh"
conlleval=${1:-${CONLLEVAL:-}}

if [ -z "$conlleval" ] || [ ! -r "$conlleval" ]; then
    echo "$me: no conlleval script (argument or CONLLEVAL): skipped"
    exit 77
fi
if ! command -v perl > /dev/null 2>&1; then
    echo "$me: no perl: skipped"
    exit 77
fi
if [ ! -d "$corpora" ]; then
    echo "$me: no corpora at $corpora: skipped"
    exit 77
fi
need_nertag

work=$(mktemp -d "${TMPDIR:-/tmp}/nertag-conlleval.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

compared=0
different=0

# compare NAME FILE [--map conll]: nertag eval against conlleval on FILE
# (for conlleval, FILE with spaces between columns, and mapped by awk when
# the map is asked for).
compare() {
    name=$1 file=$2
    shift 2
    tr '\t' ' ' < "$file" > "$work/spaces"
    if [ $# -gt 0 ]; then
        awk -f "$work/map.awk" "$work/spaces" > "$work/mapped"
        mv "$work/mapped" "$work/spaces"
    fi
    "$NERTAG" eval --format conll --conlleval "$@" "$file" > "$work/ours"
    perl "$conlleval" < "$work/spaces" > "$work/theirs"
    compared=$((compared + 1))
    if cmp -s "$work/ours" "$work/theirs"; then
        echo "identical: $name $*"
    else
        different=$((different + 1))
        echo "DIFFERENT: $name $*"
        diff "$work/theirs" "$work/ours" || true
    fi
}

# The corpora mapping of the last two columns, written independently of
# nertag's: a type that is not mapped makes the tag O.
cat > "$work/map.awk" <<'EOF'
BEGIN {
    m["STATE"] = "LOC"; m["LOC"] = "LOC"; m["ORG"] = "ORG"; m["GROUP"] = "ORG"
    m["SPOKESPERSON"] = "PER"; m["PERSON"] = "PER"; m["PER"] = "PER"
}
function map(tag,   i, type) {
    i = index(tag, "-")
    type = i ? substr(tag, i + 1) : ""
    return (type in m) ? substr(tag, 1, i) m[type] : "O"
}
NF >= 2 && $1 != "-X-" { $(NF - 1) = map($(NF - 1)); $NF = map($NF) }
{ print }
EOF

for gold in "$corpora"/*/*; do
    [ -f "$gold" ] || continue
    corpus=$(basename "$(dirname "$gold")")
    column=2
    [ "$corpus" = europeana-fr ] && column=1
    pred=$work/$corpus-$(basename "$gold").conll
    "$NERTAG" --input conll --token-column "$column" --output conll \
        "$gold" > "$pred"
    compare "$corpus/$(basename "$gold")" "$pred"
    compare "$corpus/$(basename "$gold")" "$pred" --map conll
done

# Random tag sequences: every shape conlleval's startOfChunk and endOfChunk
# look at, with boundaries.
for seed in 1 2 3 4 5 6 7 8 9 10; do
    awk -v seed="$seed" 'BEGIN {
        srand(seed)
        n = split("O O O O B-PER I-PER B-LOC I-LOC B-ORG I-ORG E-PER " \
                  "E-LOC [-LOC ]-LOC .-PER B I B-0 I-0 B-A-B I-A-B " \
                  "X-PER O-PER B- I- [ ] .", tags, " ")
        for (i = 0; i < 5000; i++) {
            r = rand()
            if (r < 0.05) { print ""; continue }
            first = r < 0.07 ? "-X-" : "w" i
            print first, "x", tags[int(rand() * n) + 1], \
                  tags[int(rand() * n) + 1]
        }
    }' > "$work/random-$seed"
    compare "random-$seed" "$work/random-$seed"
done

echo "$compared comparisons, $different different"
[ "$different" -eq 0 ]
