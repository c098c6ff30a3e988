#!/usr/bin/env python3
"""Check gold files of the annotation format (GUIDELINES, "Files").

Usage: python3 scripts/check-gold.py FILE.jsonl...

For every document: each entity's code-point span [start, end) gives back
its "text"; spans are whole tokens (no letter or digit just outside them);
entities are in text order and do not overlap; "type" is one of the six
types; "canonical" lists at least one name; "for" is a list, and only
spokespeople have one.  Exits 1 when a check fails.
"""
import json
import sys

TYPES = {"STATE", "ORG", "GROUP", "SPOKESPERSON", "PERSON", "LOC"}


def check(path):
    bad = 0
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            doc = json.loads(line)
            text = doc["text"]
            end = 0
            for e in doc["entities"]:
                where = "%s:%d: %s %d-%d" % (path, n, doc.get("id", ""), e["start"], e["end"])
                problems = []
                if text[e["start"]:e["end"]] != e["text"]:
                    problems.append("span holds %r, not %r" % (text[e["start"]:e["end"]], e["text"]))
                if e["start"] > 0 and text[e["start"] - 1].isalnum():
                    problems.append("starts inside a word")
                if e["end"] < len(text) and text[e["end"]].isalnum():
                    problems.append("ends inside a word")
                if e["start"] < end:
                    problems.append("out of order or overlapping")
                if e["type"] not in TYPES:
                    problems.append("unknown type %r" % e["type"])
                if not e.get("canonical"):
                    problems.append("no canonical name")
                if not isinstance(e.get("for"), list) or (e["for"] and e["type"] != "SPOKESPERSON"):
                    problems.append("bad 'for'")
                for p in problems:
                    print("%s: %s" % (where, p))
                bad += len(problems)
                end = e["end"]
    return bad


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__.strip())
    bad = sum(check(p) for p in sys.argv[1:])
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
