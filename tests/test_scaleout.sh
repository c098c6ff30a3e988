#!/bin/sh
# The contract that Hadoop Streaming (map only) and Spark's RDD.pipe rely on
# (doc/scale-out.md), played here without either engine: the input cut into
# splits that never cut a line, one nertag process per split or partition,
# the outputs put one after the other, give the lines one process writes;
# a rejected line gives no output line and status 1, and the wrapper the
# guide shows for Spark turns that into 0 with the other lines kept.
set -u

builddir=${abs_top_builddir:-$(pwd)}
nertag="$builddir/src/nertag"

work=$(mktemp -d /tmp/nertag-scaleout-XXXXXX)
trap 'rm -rf "$work"' EXIT
failures=0
fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

awk 'BEGIN {
    s[0] = "Le porte-parole du ministère chinois des affaires étrangères, Mao Ning, a répondu."
    s[1] = "The Chinese government has rejected the allegations."
    s[2] = "Volt Typhoon, connu sous le nom de Bronze Silhouette, opère pour le compte de Pékin."
    s[3] = "Microsoft Corp and the Five Eyes alliance warned about Volt Typhoon."
    for (i = 0; i < 1000; i++)
        printf "{\"id\":\"d%d\",\"text\":\"%s\"}\n", i, s[i % 4]
}' >"$work/in.jsonl"
"$nertag" --input jsonl <"$work/in.jsonl" >"$work/single.jsonl" ||
    fail "one process failed"

# map tasks: 7 splits at line boundaries (split -n l/7), each its own process
(cd "$work" && split -n l/7 in.jsonl part-)
n=$(ls "$work"/part-* | wc -l)
[ "$n" -eq 7 ] || fail "expected 7 splits, got $n"
for p in "$work"/part-*; do
    "$nertag" --input jsonl <"$p" >"$p.out" || fail "map task on $p failed"
done
cat "$work"/part-*.out >"$work/mapped.jsonl"
cmp "$work/single.jsonl" "$work/mapped.jsonl" ||
    fail "the splits, tagged apart and put together, differ from one process"

# a rejected line: no output line, status 1, the others kept
{ head -n 10 "$work/in.jsonl"; echo '{"id":"bad","text":'; \
  sed -n 11,20p "$work/in.jsonl"; } >"$work/with-bad.jsonl"
"$nertag" --input jsonl <"$work/with-bad.jsonl" >"$work/bad.out" 2>"$work/bad.err"
[ "$?" -eq 1 ] || fail "a rejected line should give status 1"
[ "$(wc -l <"$work/bad.out")" -eq 20 ] || fail "expected the 20 good lines"
grep -q ':11:' "$work/bad.err" || fail "the message should name line 11"

# the Spark wrapper of the guide accepts partial results
sh -c "\"$nertag\" --input jsonl; test \$? -le 1" \
    <"$work/with-bad.jsonl" >"$work/wrapped.out" 2>/dev/null ||
    fail "the wrapper should exit 0 on a rejected line"
cmp "$work/bad.out" "$work/wrapped.out" || fail "the wrapper changed the output"

[ "$failures" -eq 0 ] || exit 1
echo "PASS: splits and partitions tag as one process"
