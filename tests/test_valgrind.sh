#!/bin/sh
# The command under valgrind on both founding articles: no invalid read or
# write, no use of uninitialised memory, no definitely or indirectly lost
# block (ICU's caches stay reachable: they are not leaks).  The model is
# mapped from the build tree's compiled model in the first runs, and read
# from the sources in the last ones (tagging, lint, compile).
#
# Skipped (exit 77) without valgrind, and in a sanitizer build, whose
# programs valgrind cannot run.
set -u

builddir=${abs_top_builddir:-$(pwd)}
srcdir=${abs_top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
nertag="$builddir/src/nertag"

command -v valgrind >/dev/null 2>&1 ||
    { echo "SKIP: valgrind is not installed"; exit 77; }
case "${CFLAGS:-}" in
*-fsanitize=*) echo "SKIP: a sanitizer build"; exit 77 ;;
esac

# src/nertag is a libtool wrapper script when it links shared libraries of
# the build tree: libtool then runs valgrind on the real program.
run=""
if [ -x "$builddir/libtool" ]; then
    run="$builddir/libtool --mode=execute"
elif head -c 2 "$nertag" | grep -q '#!'; then
    echo "FAIL: $nertag is a script and there is no libtool to run it"
    exit 1
fi

work=$(mktemp -d /tmp/nertag-valgrind-XXXXXX)
trap 'rm -rf "$work"' EXIT
failures=0

# check NAME EXPECTED ARGS...: runs the command under valgrind; it must
# exit 0 with a clean report and write EXPECTED (unless that is empty).
check() {
    name=$1
    expected=$2
    shift 2
    # shellcheck disable=SC2086
    $run valgrind -q --leak-check=full \
        --errors-for-leak-kinds=definite,indirect --error-exitcode=1 \
        --log-file="$work/$name.vg" "$nertag" "$@" \
        >"$work/$name.out" 2>"$work/$name.err"
    status=$?
    if [ "$status" -ne 0 ] || [ -s "$work/$name.vg" ]; then
        echo "FAIL: $name: status $status"
        cat "$work/$name.vg" "$work/$name.err"
        failures=$((failures + 1))
    elif [ -n "$expected" ] && ! grep -q "$expected" "$work/$name.out"; then
        echo "FAIL: $name: no '$expected' in its output"
        head -c 2000 "$work/$name.out"
        failures=$((failures + 1))
    else
        echo "ok: $name"
    fi
}

fr="$srcdir/examples/seed-fr.txt"
en="$srcdir/examples/seed-en.txt"
check fr-jsonl '"canonical":"Mao Ning"' "$fr"
check en-jsonl '"canonical":"Volt Typhoon"' "$en"
# every output format, the trace, and two documents in one run
check both-text '{SPOKESPERSON' --explain --output text "$fr" "$en"
check both-html '<html' --output html "$fr" "$en"
check both-xml '<entity' --output xml "$fr" "$en"
check both-conll 'B-STATE' --output conll "$fr" "$en"
check both-threads '"lang":"en"' -j 2 "$fr" "$en"
# the model read from its sources, not mapped: a copy of the data, which
# has no compiled model
mkdir "$work/data"
cp -R "$srcdir/gazetteers" "$srcdir/models" "$work/data/"
rm -f "$work/data/models/nertag.model"
check sources '"canonical":"China"' --data "$work/data" "$fr"
# the examples of every rule, and writing a compiled model
check lint '0 failing examples' lint --data "$work/data"
check compile '' compile --data "$work/data" --model "$work/data/x.model"
[ -s "$work/data/x.model" ] ||
    { echo "FAIL: compile wrote no model"; failures=$((failures + 1)); }

[ "$failures" -eq 0 ]
