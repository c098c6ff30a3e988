#!/bin/sh
# The manual pages render without a single groff warning.
# Skipped (exit 77) without groff.
set -u
srcdir=${abs_top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
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
[ "$failures" -eq 0 ]
