#!/bin/sh
# eval-spec.sh - scores nertag on the gold files of the annotation
# specification: the founding articles (seed-fr, seed-en) and the
# development set (dev/dev.jsonl, news paragraphs annotated to the
# guidelines).  Exact span and type per type, canonical names and the `for`
# of spokespeople, as `nertag eval` counts them.
#
# Environment:
#   NERTAG       the program (default: build/src/nertag, then src/nertag)
#   NERTAG_SPEC  the specification folder (default: ../shared/spec beside
#                the tree)
#
# Exit status: 0, also when the specification is absent (said, then
# skipped); 1 when a run fails.
set -eu
# shellcheck source=SCRIPTDIR/eval-env.sh
. "$(dirname "$0")/eval-env.sh"

spec=${NERTAG_SPEC:-$top/../shared/spec}
if [ ! -d "$spec" ]; then
    echo "$me: no specification at $spec (set NERTAG_SPEC): skipped"
    exit 0
fi
need_nertag

work=$(mktemp -d "${TMPDIR:-/tmp}/nertag-spec.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

for gold in "$spec/seed-fr.jsonl" "$spec/seed-en.jsonl" "$spec/dev/dev.jsonl"
do
    [ -f "$gold" ] || continue
    echo "== ${gold#"$spec"/}"
    "$NERTAG" --input jsonl "$gold" > "$work/pred.jsonl"
    "$NERTAG" eval --gold "$gold" --pred "$work/pred.jsonl"
    echo
done
