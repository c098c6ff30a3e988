#!/bin/sh
# The manual pages render without a single groff warning, and nertag(1)
# documents every long option that --help (and eval --help) prints and
# names nertag-rules(5).
# Skipped (exit 77) without groff.
set -u
srcdir=${abs_top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
builddir=${abs_top_builddir:-$srcdir}
command -v groff >/dev/null 2>&1 || { echo "SKIP: groff is not installed"; exit 77; }
failures=0
for page in doc/nertag.1 doc/libnertag.3; do
    warnings=$(groff -man -Tutf8 -ww -z "$srcdir/$page" 2>&1)
    if [ -n "$warnings" ]; then
        echo "FAIL: $page:"
        echo "$warnings"
        failures=$((failures + 1))
    fi
    # and they say something: the sections every page has
    text=$(groff -man -Tutf8 "$srcdir/$page" 2>/dev/null | col -b 2>/dev/null ||
           groff -man -Tascii -P-cbou "$srcdir/$page")
    for section in NAME SYNOPSIS DESCRIPTION "SEE ALSO"; do
        printf '%s\n' "$text" | grep -q "^$section" ||
            { echo "FAIL: $page has no $section"; failures=$((failures + 1)); }
    done
done

# every long option of the help texts, in the page's source ("\-\-name")
page=$srcdir/doc/nertag.1
nertag=$builddir/src/nertag
if [ -x "$nertag" ]; then
    options=$({ "$nertag" --help; "$nertag" eval --help; } |
              grep -o -- '--[a-z][a-z-]*' | sort -u)
    [ -n "$options" ] || { echo "FAIL: no option in --help"; failures=$((failures + 1)); }
    for o in $options; do
        escaped=$(printf '%s' "$o" | sed 's/-/\\\\-/g')
        grep -q -- "$escaped" "$page" ||
            { echo "FAIL: nertag.1 does not document $o"; failures=$((failures + 1)); }
    done
    # and the subcommands of the usage lines
    for sub in $("$nertag" --help | sed -n 's/^ *\(usage:\)\{0,1\} *nertag \([a-z][a-z]*\) .*/\2/p'); do
        grep -q "^\.B nertag $sub" "$page" ||
            { echo "FAIL: nertag.1 does not document nertag $sub"; failures=$((failures + 1)); }
    done
else
    echo "note: $nertag is not built: options not checked"
fi
grep -q '^\.BR nertag\\-rules (5)' "$page" ||
    { echo "FAIL: nertag.1 does not name nertag-rules(5)"; failures=$((failures + 1)); }
[ "$failures" -eq 0 ]
