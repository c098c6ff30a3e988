#!/usr/bin/env python3
"""Draw a fixed sample of threat-intelligence prose to measure precision on.

The `description` fields of the MISP galaxy clusters threat-actor, malpedia
and tool are real threat-intelligence text (vendor reports, summarised).
This script writes N of them from each cluster as JSON Lines
({"id", "lang": "en", "text"}), chosen by a hash of the cluster entry's
uuid and a salt, so the same arguments always give the same sample:

    python3 scripts/threat-intel/sample.py --salt dev > dev.jsonl
    python3 scripts/threat-intel/sample.py --salt held-out --exclude dev > held.jsonl

Only descriptions of 30 words or more are drawn.  --exclude SALT leaves
out the entries the sample of that salt takes, so that a held-out sample
never shares a text with the one rules were looked at on.
"""

import argparse
import hashlib
import json
import os
import sys

CLUSTERS = ("threat-actor", "malpedia", "tool")


def candidates(folder, cluster):
    with open(os.path.join(folder, cluster + ".json"), encoding="utf-8") as f:
        values = json.load(f)["values"]
    out = []
    for v in values:
        text = " ".join((v.get("description") or "").split())
        if len(text.split()) >= 30:
            out.append((v["uuid"], text))
    return out


def draw(folder, salt, n):
    chosen = {}
    for cluster in CLUSTERS:
        ranked = sorted(candidates(folder, cluster),
                        key=lambda ut: hashlib.sha1((salt + ut[0]).encode()).hexdigest())
        chosen[cluster] = ranked[:n]
    return chosen


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.path.join("..", "shared", "data", "misp-galaxy"),
                    help="folder of the MISP galaxy cluster files")
    ap.add_argument("--salt", required=True)
    ap.add_argument("--exclude", action="append", default=[], help="salt of a sample to leave out")
    ap.add_argument("-n", type=int, default=20, help="texts per cluster")
    args = ap.parse_args()

    skip = set()
    for s in args.exclude:
        for picked in draw(args.data, s, args.n).values():
            skip.update(u for u, _ in picked)
    for cluster in CLUSTERS:
        ranked = sorted(candidates(args.data, cluster),
                        key=lambda ut: hashlib.sha1((args.salt + ut[0]).encode()).hexdigest())
        ranked = [ut for ut in ranked if ut[0] not in skip][:args.n]
        for uuid, text in ranked:
            json.dump({"id": "%s:%s" % (cluster, uuid[:8]), "lang": "en", "text": text},
                      sys.stdout, ensure_ascii=False)
            sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
