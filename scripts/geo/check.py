#!/usr/bin/env python3
"""Check gazetteer files against the format of gazetteers/README.md.

Usage: python3 scripts/geo/check.py FILE.tsv...

Checks every entry line: 4 or 5 TAB-separated fields (so no TAB inside a
field), a label matching [A-Z][A-Z0-9_]*, no empty id, canonical or alias,
flags only from exact, anycase, ambiguous and the language codes fr,
en, de, es, one canonical name per
(id, label), no alias repeated within a line (compared without case and
accents), and the header line. Exits 1 when a check fails.
"""

import re
import sys
import unicodedata

FLAGS = {"exact", "anycase", "ambiguous", "fr", "en", "de", "es"}
HEADER = ["id", "label", "canonical", "aliases", "attributes"]


def fold(s):
    s = unicodedata.normalize("NFKD", s.casefold())
    return "".join(c for c in s if not unicodedata.combining(c))


def check_files(paths):
    ok = True
    canon = {}

    def err(path, n, msg):
        nonlocal ok
        ok = False
        print("%s:%d: %s" % (path, n, msg), file=sys.stderr)

    for path in paths:
        header_seen = False
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                line = line.rstrip("\n")
                if not line.strip() or line.startswith("#"):
                    continue
                fields = line.split("\t")
                if not header_seen:
                    header_seen = True
                    if fields not in (HEADER, HEADER[:4]):
                        err(path, n, "bad header %r" % line)
                    continue
                if len(fields) not in (4, 5):
                    err(path, n, "expected 4 or 5 fields, found %d" % len(fields))
                    continue
                id_, label, canonical, aliases = fields[:4]
                if not id_ or " " in id_:
                    err(path, n, "bad id %r" % id_)
                if not re.fullmatch(r"[A-Z][A-Z0-9_]*", label):
                    err(path, n, "bad label %r" % label)
                if not canonical.strip() or canonical != canonical.strip():
                    err(path, n, "bad canonical %r" % canonical)
                key = (id_, label)
                if key in canon and canon[key] != canonical:
                    err(path, n, "%s %s: canonical %r, elsewhere %r" % (id_, label, canonical, canon[key]))
                canon.setdefault(key, canonical)
                seen = set()
                for a in aliases.split(" | "):
                    text = a
                    while True:
                        m = re.search(r"\s*\[([^\]]*)\]\s*$", text)
                        if not m:
                            break
                        if m.group(1) not in FLAGS:
                            err(path, n, "unknown flag [%s] in %r" % (m.group(1), a))
                        text = text[: m.start()]
                    if not text.strip():
                        err(path, n, "empty alias")
                        continue
                    if text != text.strip() or "|" in text:
                        err(path, n, "badly separated alias %r" % a)
                    k = fold(text).replace("\u2019", "'")
                    if (k, "\u2019" in text) in seen:
                        err(path, n, "alias %r repeated" % text)
                    seen.add((k, "\u2019" in text))
                if len(fields) == 5:
                    for kv in fields[4].split("; "):
                        if not re.fullmatch(r"[A-Za-z0-9_]+=[^;]+", kv):
                            err(path, n, "bad attribute %r" % kv)
        if not header_seen:
            err(path, 0, "no header line")
    return ok


if __name__ == "__main__":
    sys.exit(0 if check_files(sys.argv[1:]) else 1)
