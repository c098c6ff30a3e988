#!/bin/sh
# Reports what the gazetteers hold and how well they cover real text:
#
#   - entries and aliases per label, and aliases per language flag;
#   - the load time and peak memory of the whole model;
#   - per corpus (the val files of the evaluation corpora): the share of gold
#     PER/LOC/ORG mentions whose text is an alias of some gazetteer entry
#     (coverage), and the scores of tagging every gazetteer match blindly,
#     ambiguous aliases included and no rule applied.
#
# usage: scripts/gazetteer-report.sh [BUILD_DIR]
# The corpora are read from $NERTAG_CORPORA (default ../shared/corpora);
# without them the corpus part is skipped.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top}
nertag=$build/src/nertag
corpora=${NERTAG_CORPORA:-$top/../shared/corpora}
[ -x "$nertag" ] || { echo "no $nertag: build first" >&2; exit 1; }

echo "== Gazetteers"
python3 "$top/scripts/gazetteer-stats.py" "$top/gazetteers"

echo
echo "== Load time and memory (model of $top)"
for i in 1 2 3; do
    /usr/bin/time -f "%e s elapsed, %M KB peak resident" "$nertag" \
        --data "$top" /dev/null 2>&1 >/dev/null
done

[ -d "$corpora" ] || { echo; echo "no corpora at $corpora: skipped"; exit 0; }

# A data folder with the same gazetteers, every [ambiguous] flag dropped,
# and no rule: what the gazetteers find on their own.
blind=$(mktemp -d)
trap 'rm -rf "$blind"' EXIT
mkdir -p "$blind/gazetteers" "$blind/models"
for f in "$top"/gazetteers/*.tsv; do
    sed 's/ \[ambiguous\]//g' "$f" > "$blind/gazetteers/$(basename "$f")"
done
cp "$top"/models/*.lang "$blind/models/"
printf '[phases]\norder = none\n' > "$blind/models/blind.rules"

for corpus in conll2003-en/val.conllu wikineural-fr/val.conllu \
              europeana-fr/enp_FR.bnf.bio; do
    file=$corpora/$corpus
    [ -f "$file" ] || continue
    col=2
    case $corpus in europeana*) col=1 ;; esac
    echo
    echo "== $corpus"
    python3 "$top/scripts/gazetteer-stats.py" --coverage "$file" --column "$col" \
        "$top/gazetteers"
    "$nertag" --data "$blind" --input conll --token-column "$col" \
        --output conll "$file" > "$blind/out.conll"
    echo "blind gazetteer tagging (every match, ambiguous or not, no rule):"
    "$nertag" eval --format conll --map conll "$blind/out.conll"
done
