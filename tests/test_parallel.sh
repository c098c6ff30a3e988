#!/bin/sh
# nertag as a filter under GNU parallel (doc/scale-out.md): JSON Lines cut
# into blocks, tagged by several processes, put back in order with -k,
# are exactly what one process writes.
#
# Skipped (exit 77) when GNU parallel is not installed.
set -u

builddir=${abs_top_builddir:-$(pwd)}
nertag="$builddir/src/nertag"

if ! command -v parallel >/dev/null 2>&1 ||
   ! parallel --version 2>/dev/null | grep -q "GNU parallel"; then
    echo "SKIP: GNU parallel is not installed"
    exit 77
fi

work=$(mktemp -d /tmp/nertag-parallel-XXXXXX)
trap 'rm -rf "$work"' EXIT
failures=0
fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

# 3000 documents, in both languages, some with names of every type
awk 'BEGIN {
    s[0] = "Le porte-parole du ministère chinois des affaires étrangères, Mao Ning, a déclaré que c\x27était Washington qui était coupable."
    s[1] = "The Chinese government has rejected the allegations."
    s[2] = "Volt Typhoon, connu sous le nom de Bronze Silhouette, opère pour le compte de Pékin."
    s[3] = "Microsoft Corp and the Five Eyes alliance warned about Volt Typhoon."
    s[4] = "Les États-Unis, la Grande-Bretagne, le Canada et l\x27Australie."
    for (i = 0; i < 3000; i++)
        printf "{\"id\":\"d%d\",\"text\":\"%s %s\"}\n", i, s[i % 5], s[(i * 3 + 1) % 5]
}' >"$work/in.jsonl"

"$nertag" --input jsonl <"$work/in.jsonl" >"$work/single.jsonl"
[ "$?" -eq 0 ] || fail "one process failed"
[ "$(wc -l <"$work/single.jsonl")" -eq 3000 ] || fail "one process: not 3000 lines"

# the blocks are small enough that the input is really cut
blocks=$(parallel --will-cite --pipe --block 50k wc -l <"$work/in.jsonl" | wc -l)
[ "$blocks" -gt 3 ] || fail "the input was not cut into blocks ($blocks)"

parallel --will-cite --pipe -k --block 50k -j 2 "$nertag" --input jsonl \
    <"$work/in.jsonl" >"$work/parallel.jsonl"
[ "$?" -eq 0 ] || fail "parallel --pipe failed"
cmp "$work/single.jsonl" "$work/parallel.jsonl" ||
    fail "parallel --pipe -k differs from one process"

# the same through --sshlogin, with ":" for this machine (no ssh needed)
parallel --will-cite --pipe -k --block 50k -S 2/: "$nertag" --input jsonl \
    <"$work/in.jsonl" >"$work/ssh.jsonl"
[ "$?" -eq 0 ] || fail "parallel --sshlogin failed"
cmp "$work/single.jsonl" "$work/ssh.jsonl" ||
    fail "parallel --sshlogin differs from one process"

# without -k the lines come in any order, but they are the same lines
parallel --will-cite --pipe --block 50k -j 2 "$nertag" --input jsonl \
    <"$work/in.jsonl" | sort >"$work/unordered.jsonl"
sort "$work/single.jsonl" | cmp - "$work/unordered.jsonl" ||
    fail "parallel --pipe without -k lost or changed lines"

[ "$failures" -eq 0 ] || exit 1
echo "parallel: $blocks blocks, output identical to one process"
exit 0
