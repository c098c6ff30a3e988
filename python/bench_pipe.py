"""Throughput of Model.pipe against the command on the same JSON Lines.

    make bench-python          (or: PYTHONPATH=python python3 python/bench_pipe.py)

The stream: the sentences of the WikiNEuRal French val file as JSON Lines
({"id", "text"}, tokens joined by spaces), repeated BENCH_REPEAT times
(default 8), written to a temporary file.  For N = 1 and 2 threads it times
`nertag -j N --input jsonl FILE > /dev/null` and, in this process, a loop
reading the same file line by line, json.loads, Model.pipe(n_threads=N)
and a look at every mention of every Doc; and the same pipe over the texts
already in memory.  Each figure is the best of BENCH_RUNS runs (default
3, the three taking turns); the model load is timed in all.  Skipped when the corpora are absent
($NERTAG_CORPORA, else ../shared/corpora beside the source tree).
"""

import json
import os
import subprocess
import sys
import tempfile
import time

import nertag

HERE = os.path.dirname(os.path.abspath(__file__))
SRCDIR = os.path.dirname(HERE)
CORPORA = os.environ.get("NERTAG_CORPORA") or os.path.join(
    SRCDIR, "..", "shared", "corpora")
CONLL = os.path.join(CORPORA, "wikineural-fr", "val.conllu")
NERTAG = os.environ.get("NERTAG") or os.path.join(SRCDIR, "src", "nertag")
REPEAT = int(os.environ.get("BENCH_REPEAT", "8"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))


def sentences(path):
    """Sentences of a CoNLL file (token in column 2), tokens joined."""
    out, tokens = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                if tokens:
                    out.append(" ".join(tokens))
                tokens = []
            else:
                tokens.append(line.split("\t")[1])
    if tokens:
        out.append(" ".join(tokens))
    return out


def best(*fns):
    """The best time of each function and its last result, the runs of the
    functions taking turns so that a busy spell of the machine falls on
    all of them alike."""
    times = [[] for _ in fns]
    results = [None] * len(fns)
    for _ in range(RUNS):
        for i, fn in enumerate(fns):
            start = time.perf_counter()
            results[i] = fn()
            times[i].append(time.perf_counter() - start)
    return [(min(t), r) for t, r in zip(times, results)]


def command(path, n):
    def run():
        with open(path, "rb") as f:
            subprocess.run([NERTAG, "-j", str(n), "--input", "jsonl"],
                           stdin=f, stdout=subprocess.DEVNULL, check=True)
    return run


def python_stream(path, n):
    def run():
        model = nertag.Model()
        mentions = 0
        with open(path, "rb") as f:
            for doc in model.pipe((json.loads(line) for line in f),
                                  n_threads=n):
                for e in doc.ents:
                    mentions += e.label_ is not None
        return mentions
    return run


def python_texts(texts, n):
    def run():
        model = nertag.Model()
        mentions = 0
        for doc in model.pipe(texts, n_threads=n):
            mentions += len(doc.ents)
        return mentions
    return run


def main():
    if not os.path.exists(CONLL):
        print("bench_pipe: no %s (set NERTAG_CORPORA): skipped" % CONLL)
        return 0
    texts = sentences(CONLL) * REPEAT
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8",
                                     delete=False) as f:
        for i, t in enumerate(texts):
            f.write(json.dumps({"id": "s%d" % i, "text": t},
                               ensure_ascii=False) + "\n")
        path = f.name
    try:
        size = os.path.getsize(path) / 1e6
        out = subprocess.run([NERTAG, "--input", "jsonl", path],
                             capture_output=True, check=True).stdout
        expected = sum(len(json.loads(line)["entities"])
                       for line in out.splitlines())
        print("stream: %d documents, %.1f MB of JSON Lines (WikiNEuRal fr "
              "val x %d), %d mentions; best of %d runs"
              % (len(texts), size, REPEAT, expected, RUNS))
        print("%-34s %8s %8s %8s" % ("", "seconds", "MB/s", "vs cmd"))
        for n in (1, 2):
            (t_cmd, _), (t_py, found), (t_txt, found_txt) = best(
                command(path, n), python_stream(path, n),
                python_texts(texts, n))
            assert found == found_txt == expected, (found, found_txt, expected)
            print("%-34s %8.2f %8.2f %8s" % ("nertag -j %d --input jsonl" % n,
                                             t_cmd, size / t_cmd, "1"))
            print("%-34s %8.2f %8.2f %8.2f" % (
                "pipe(n_threads=%d), json.loads" % n, t_py, size / t_py,
                t_cmd / t_py))
            print("%-34s %8.2f %8.2f %8.2f" % (
                "pipe(n_threads=%d), str in memory" % n, t_txt, size / t_txt,
                t_cmd / t_txt))
    finally:
        os.unlink(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
