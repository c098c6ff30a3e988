#!/bin/sh
# make bench: speed, start-up, memory and scaling of nertag, each measured
# against a baseline in the same run:
#
#   1. throughput on news text, against the floor (a bare loop of ICU word
#      breaks, ICU case folding and Snowball stemming over the same bytes,
#      in the same process), and against the peer taggers compromise and
#      fr-compromise from the npm registry on the same documents;
#   2. start-up: a whole process tagging a one-line input;
#   3. peak memory with everything loaded, and on JSON Lines streams of
#      growing length (constant memory);
#   4. -j 2 against -j 1 on the same stream;
#   5. single documents of 1, 10 and 100 MB (cost linear in length);
#   6. the same text with 10, 1,000 and 10,000 rules (cost per token does
#      not grow with the number of rules).
#
# usage: scripts/bench.sh BUILD_DIR SOURCE_DIR
# Environment: NERTAG_CORPORA (default SOURCE_DIR/../shared/corpora; the
# seed articles are used without it), BENCH_STREAM_MB (largest stream,
# default 1000), BENCH_DOC_MB (largest document, default 100),
# BENCH_NO_PEER=1 to skip the npm peers.
set -eu
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
nertag=$build/src/nertag
model=$build/nertag.model
corpora=${NERTAG_CORPORA:-$src/../shared/corpora}
stream_mb=${BENCH_STREAM_MB:-1000}
doc_mb=${BENCH_DOC_MB:-100}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "nertag benchmark, $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m)"
echo

# ---------------------------------------------------------------- texts
texts=""
for f in conll2003-en/test.conllu europeana-fr/enp_FR.bnf.bio \
         wikineural-fr/test.conllu wikineural-de/test.conllu \
         wikineural-es/test.conllu; do
    [ -f "$corpora/$f" ] && texts="$texts $corpora/$f"
done
if [ -z "$texts" ]; then
    echo "(no corpora at $corpora: the seed articles, repeated, are used)"
    for l in en fr; do
        for i in $(seq 200); do cat "$src/examples/seed-$l.txt"; echo; echo; done \
            > "$tmp/seed-$l.txt"
        texts="$texts $tmp/seed-$l.txt"
    done
fi

# ---------------------------------------------------------------- 1
echo "== 1. Throughput (one thread; floor, documents and one document in turns,"
echo "   7 rounds of 3 passes of each in a row, the best of each; ratio = nertag / floor)"
echo "   (first run: the very first pass of the documents, every word new to the tagger)"
# shellcheck disable=SC2086
"$build/tests/bench" --dump "$tmp" "$src" "$model" $texts | tee "$tmp/bench.out"
echo

if [ "${BENCH_NO_PEER:-0}" != 1 ] && command -v node >/dev/null &&
   command -v npm >/dev/null; then
    peers=$build/bench-npm
    if [ ! -d "$peers/node_modules/compromise" ]; then
        mkdir -p "$peers"
        npm install --prefix "$peers" --no-audit --no-fund --silent \
            compromise@14.17.0 fr-compromise@0.2.8 >/dev/null 2>&1 ||
            echo "(npm install of the peers failed)"
    fi
    if [ -d "$peers/node_modules/compromise" ]; then
        echo "== 1b. Peers on the same documents (best of 2)"
        printf '%-28s %8s %10s %10s %9s\n' text MB "peer MB/s" "nertag MB/s" \
            "nertag/peer"
        for docs in "$tmp"/*.docs; do
            name=$(basename "$docs" .docs)
            # the peers read English and French only
            case $name in
            *-fr_*|*_FR*|seed-fr) peer=fr-compromise ;;
            *-en_*|seed-en) peer=compromise ;;
            *) continue ;;
            esac
            out=$(NODE_PATH="$peers/node_modules" node "$src/scripts/bench-peer.js" \
                "$peers/node_modules/$peer" "$docs" 2>/dev/null) || continue
            ours=$(awk -v n="$name" '$1 == n { print $5 }' "$tmp/bench.out")
            echo "$out" | awk -v ours="$ours" -v p="$peer" '{
                printf "%-28s %8s %10s %10s %9.0fx  (%s)\n", $1, $2, $3, ours,
                       ours / $3, p }'
        done
        echo
    fi
fi

# ---------------------------------------------------------------- 2
echo "== 2. Start-up: a whole process tagging one line (30 runs, wall time)"
echo "Le gouvernement chinois a rejeté les allégations." > "$tmp/line.txt"
printf "nertag, compiled model:      "
"$build/tests/bench-startup" 30 "$nertag" "$tmp/line.txt"
# baselines in the same run: the same program without a model (its
# libraries, ICU and Snowball, loaded), and an empty process
printf "baseline: nertag --version:  "
"$build/tests/bench-startup" 30 "$nertag" --version
printf "baseline: /bin/true:         "
"$build/tests/bench-startup" 30 /bin/true
a=$(date +%s%N)
"$nertag" --data "$src" --model /nonexistent "$tmp/line.txt" > /dev/null 2>&1 || true
b=$(date +%s%N)
echo "from the text sources instead: $(( (b - a) / 1000000 )) ms"
echo

# ---------------------------------------------------------------- 3
echo "== 3. Peak resident memory"
/usr/bin/time -f "one line, everything loaded: %M KB" "$nertag" "$tmp/line.txt" \
    2>&1 >/dev/null | tail -1
# JSON Lines streams built from the seed articles, with growing ids
stream() {   # MB
    awk -v mb="$1" -v fr="$src/examples/seed-fr.txt" -v en="$src/examples/seed-en.txt" '
    function slurp(f,   s, l) { s = ""; while ((getline l < f) > 0) s = s l "\\n"; return s }
    function esc(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); gsub(/\t/, "\\t", s); return s }
    BEGIN {
        t[0] = esc(slurp(fr)); t[1] = esc(slurp(en)); limit = mb * 1000000
        for (i = 0; n < limit; i++) {
            line = "{\"id\":\"doc" i "\",\"text\":\"" t[i % 2] "\"}"
            print line; n += length(line) + 1
        }
    }'
}
for mb in $(printf '10\n100\n%s\n' "$stream_mb" | sort -nu); do
    [ "$mb" -le "$stream_mb" ] || continue
    a=$(date +%s%N)
    stream "$mb" | /usr/bin/time -f "%M" -o "$tmp/rss" "$nertag" --input jsonl \
        > /dev/null
    b=$(date +%s%N)
    awk -v mb="$mb" -v ns=$((b - a)) '{ printf "JSONL stream of %5d MB: peak %6d KB, %.2f MB/s\n",
        mb, $1, mb / (ns / 1e9) }' "$tmp/rss"
done
echo

# ---------------------------------------------------------------- 4
echo "== 4. Threads: -j 2 against -j 1 on a 100 MB JSONL stream"
# The ceiling is what the machine itself allows: two independent -j 1
# processes run at once, each on the whole stream; their rates added, over
# the rate of one alone.  2.00 on two equal idle cores; less when a core is
# slower or shared (virtual machines).
stream 100 > "$tmp/stream.jsonl"
ms() {   # milliseconds of "$@" (its output thrown away)
    a=$(date +%s%N); "$@" > /dev/null; b=$(date +%s%N)
    echo $(( (b - a) / 1000000 ))
}
if "$nertag" -j 1 --input jsonl < /dev/null > /dev/null 2>&1; then
    t1=$(ms "$nertag" -j 1 --input jsonl "$tmp/stream.jsonl")
    t2=$(ms "$nertag" -j 2 --input jsonl "$tmp/stream.jsonl")
    ms "$nertag" -j 1 --input jsonl "$tmp/stream.jsonl" > "$tmp/par.a" &
    ms "$nertag" -j 1 --input jsonl "$tmp/stream.jsonl" > "$tmp/par.b"
    wait
    awk -v t1="$t1" -v t2="$t2" -v ta="$(cat "$tmp/par.a")" \
        -v tb="$(cat "$tmp/par.b")" 'BEGIN {
        ceil = t1 / ta + t1 / tb
        printf "-j 1: %.2f MB/s, -j 2: %.2f MB/s, speed-up %.2f\n",
            100 / (t1 / 1000), 100 / (t2 / 1000), t1 / t2
        printf "ceiling: two -j 1 at once took %.2f s and %.2f s " \
            "(one alone %.2f s): %.2f\n", ta / 1000, tb / 1000, t1 / 1000, ceil
        printf "speed-up / ceiling: %.2f\n", t1 / t2 / ceil }'
else
    echo "(this nertag has no -j)"
fi
rm -f "$tmp/stream.jsonl"
echo

# ---------------------------------------------------------------- 5
echo "== 5. One document of growing length (cost per MB should stay flat)"
: > "$tmp/base.txt"
for t in $texts; do
    case $t in
        *.conllu|*.bio) awk -F'\t' 'NF >= 2 { printf "%s ", $2 } NF < 2 { print "" }' "$t" ;;
        *) cat "$t" ;;
    esac >> "$tmp/base.txt"
done
for mb in $(printf '1\n10\n%s\n' "$doc_mb" | sort -nu); do
    [ "$mb" -le "$doc_mb" ] || continue
    : > "$tmp/doc.txt"
    while [ "$(stat -c %s "$tmp/doc.txt")" -lt $((mb * 1000000)) ]; do
        cat "$tmp/base.txt" >> "$tmp/doc.txt"
    done
    head -c $((mb * 1000000)) "$tmp/doc.txt" > "$tmp/doc-$mb.txt"
    # the cut may split a character: replace what is invalid
    a=$(date +%s%N)
    /usr/bin/time -f "%M" -o "$tmp/rss" "$nertag" --replace-invalid \
        "$tmp/doc-$mb.txt" > /dev/null
    b=$(date +%s%N)
    awk -v mb="$mb" -v ns=$((b - a)) '{ printf "%4d MB document: %.2f s, %.2f MB/s, peak %d KB\n",
        mb, ns / 1e9, mb / (ns / 1e9), $1 }' "$tmp/rss"
    rm -f "$tmp/doc-$mb.txt"
done

# ---------------------------------------------------------------- 6
echo
echo "== 6. Rules: the same text with more and more rules"
head -c 2000000 "$tmp/base.txt" > "$tmp/rules-text.txt"
for nrules in 10 1000 10000; do
    d=$tmp/rules-$nrules
    mkdir -p "$d/gazetteers" "$d/models"
    cp "$src"/models/*.lang "$d/models/"
    printf 'id\tlabel\tcanonical\taliases\nx:a\tLOC\tA\tAlphaville\n' \
        > "$d/gazetteers/g.tsv"
    # rules that each start on a word of their own, and one that may start
    # anywhere, as real rule sets have
    awk -v n="$nrules" 'BEGIN {
        print "[phases]\norder = one"
        for (i = 0; i < n; i++)
            printf "[rule r%d]\nphase = one\nmatch = \"w%d\" [cap]\nmention = LOC\n", i, i
        print "[rule pair]\nphase = one\nmatch = [cap & !sstart] [cap]\nmention = PERSON"
    }' > "$d/models/r.rules"
    "$nertag" compile --data "$d" --model "$d/m.model" >/dev/null
    a=$(date +%s%N)
    "$nertag" --data "$d" --model "$d/m.model" --replace-invalid \
        "$tmp/rules-text.txt" > /dev/null
    b=$(date +%s%N)
    awk -v n="$nrules" -v ns=$((b - a)) \
        -v mb="$(stat -c %s "$tmp/rules-text.txt")" 'BEGIN { mb /= 1e6
        printf "%6d rules: %.2f MB/s (%.2f MB)\n", n, mb / (ns / 1e9), mb }'
done
