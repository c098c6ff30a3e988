#!/usr/bin/env python3
"""Precision of ORG and GROUP predictions against hand judgments.

    python3 scripts/threat-intel/precision.py PRED.jsonl JUDGMENTS.tsv

PRED.jsonl is nertag's output on a sample drawn by sample.py.
JUDGMENTS.tsv holds one line per prediction someone checked by hand:

    id<TAB>start<TAB>end<TAB>type<TAB>verdict<TAB>text

verdict is "ok" (the span and the type are right, GUIDELINES) or "no"
(not a name of that type, or a wrong span).  The script prints precision
per type over the judged predictions, then every prediction that has no
judgment yet, with its context, as lines ready to be judged (verdict "?").
"""

import collections
import json
import sys

TYPES = ("ORG", "GROUP")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    judged = {}
    with open(sys.argv[2], encoding="utf-8") as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.rstrip("\n").split("\t")
            judged[(cols[0], int(cols[1]), int(cols[2]), cols[3])] = cols[4]
    right = collections.Counter()
    total = collections.Counter()
    todo = []
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            text = doc["text"]
            for e in doc.get("entities", []):
                if e["type"] not in TYPES:
                    continue
                k = (doc["id"], e["start"], e["end"], e["type"])
                v = judged.get(k)
                if v is None:
                    ctx = text[max(0, e["start"] - 50):e["start"]] + "[" + e["text"] + "]" + text[e["end"]:e["end"] + 50]
                    todo.append("%s\t%d\t%d\t%s\t?\t%s\t# %s" % (k + (e["text"], ctx.replace("\t", " "))))
                    continue
                total[e["type"]] += 1
                right[e["type"]] += v == "ok"
    for t in TYPES:
        p = 100.0 * right[t] / total[t] if total[t] else 0.0
        print("%-6s %4d judged, %4d right, precision %6.2f" % (t, total[t], right[t], p))
    n = sum(total.values())
    if n:
        print("%-6s %4d judged, %4d right, precision %6.2f" % ("both", n, sum(right.values()), 100.0 * sum(right.values()) / n))
    if todo:
        print("%d predictions without a judgment:" % len(todo))
        for t in todo:
            print(t)
    return 0


if __name__ == "__main__":
    sys.exit(main())
