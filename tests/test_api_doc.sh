#!/bin/sh
# Every function, type value and macro of the public header is in the
# library's manual page, doc/libnertag.3: a name added to include/nertag.h
# without a word in the manual fails here.
set -u
srcdir=${abs_top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
header=$srcdir/include/nertag.h
page=$srcdir/doc/libnertag.3
[ -f "$header" ] && [ -f "$page" ] || { echo "FAIL: no header or page"; exit 1; }
names=$( (grep -oE '\bnertag_[a-z_0-9]+ *\(' "$header" | sed 's/ *($//'
          grep -oE '\bNERTAG_[A-Z_0-9]*[A-Z0-9]\b' "$header") |
        grep -v '^NERTAG_H$' | sort -u)
count=0
missing=0
for name in $names; do
    count=$((count + 1))
    grep -q -- "$name" "$page" || { echo "FAIL: $name is not in doc/libnertag.3"; missing=$((missing + 1)); }
done
# the header has its functions: the list above is not empty by mistake
[ "$count" -ge 40 ] || { echo "FAIL: only $count names read from the header"; exit 1; }
echo "$count names, $missing missing"
[ "$missing" -eq 0 ]
