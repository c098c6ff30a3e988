# eval-env.sh - what the evaluation scripts share: sourced by them, not run.
#
# Sets me (the script's name, for messages), top (the source tree),
# corpora ($NERTAG_CORPORA, else ../shared/corpora beside the tree) and
# split ($EVAL_SPLIT: val, the default, or test); need_nertag sets NERTAG.

# shellcheck disable=SC2034 # used by the scripts that source this one
me=$(basename "$0" .sh)
top=$(cd "$(dirname "$0")/.." && pwd)
corpora=${NERTAG_CORPORA:-$top/../shared/corpora}
split=${EVAL_SPLIT:-val}

case $split in
val|test) ;;
*) echo "$me: EVAL_SPLIT is val or test, not '$split'" >&2; exit 1 ;;
esac

# NERTAG as given, else the program of a build tree; exits when there is
# none.  Called after the checks that skip, so that a skip stays a skip.
need_nertag() {
    if [ -z "${NERTAG:-}" ]; then
        for p in "$top/build/src/nertag" "$top/src/nertag"; do
            if [ -x "$p" ]; then NERTAG=$p; break; fi
        done
    fi
    if [ -z "${NERTAG:-}" ] || [ ! -x "$NERTAG" ]; then
        echo "$me: nertag not found: build it or set NERTAG" >&2
        exit 1
    fi
}
