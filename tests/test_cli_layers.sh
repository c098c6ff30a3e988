#!/bin/sh
# The objects of the command depend on each other in one direction only:
# no object of src/cli needs a symbol of another that needs one of its own,
# directly or through others.  Read from the built objects with nm.
#
# Skipped (exit 77) without nm or without the objects.
set -u
builddir=${abs_top_builddir:-$(pwd)}
command -v nm >/dev/null 2>&1 || { echo "SKIP: nm is not installed"; exit 77; }
objs=$(ls "$builddir"/src/cli/*.o 2>/dev/null)
[ -n "$objs" ] || { echo "SKIP: no objects in $builddir/src/cli"; exit 77; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
# "defining-object symbol" and "needing-object symbol" lines
for o in $objs; do
    b=$(basename "$o" .o)
    nm "$o" | awk -v b="$b" '$2 ~ /^[TDBR]$/ { print b, $3 }' >> "$tmp/def"
    nm -u "$o" | awk -v b="$b" '{ print b, $NF }' >> "$tmp/use"
done
# edges "user definer", one per pair of objects
awk 'NR == FNR { def[$2] = $1; next }
     ($2 in def) && def[$2] != $1 { print $1, def[$2] }' \
    "$tmp/def" "$tmp/use" | sort -u > "$tmp/edges"
[ -s "$tmp/edges" ] || { echo "FAIL: no dependencies found"; exit 1; }
cat "$tmp/edges"
# tsort reports a cycle on standard error
if ! tsort "$tmp/edges" > /dev/null 2> "$tmp/cycle" || [ -s "$tmp/cycle" ]; then
    echo "FAIL: a dependency circle among the objects of src/cli:"
    cat "$tmp/cycle"
    exit 1
fi
echo "PASS: no circle"
