#!/usr/bin/env python3
"""Check gazetteer files against the format of gazetteers/README.md.

Usage: python3 scripts/actors/check.py [FILE.tsv ...]
(default: the files written by scripts/import-actors.py)

Checks, for every file:
  - the first line that is neither a comment nor blank is exactly the header
    "id<TAB>label<TAB>canonical<TAB>aliases<TAB>attributes";
  - every other line has 4 or 5 TAB-separated fields, none empty except the
    attributes, and no field holds a TAB (so a wrong field count shows it);
  - the id has no spaces, the label matches [A-Z][A-Z0-9_]*;
  - aliases are separated by " | ", none is empty, flags are only
    [exact] [anycase] [ambiguous] [fr] [en] [de] [es];
  - attributes are "key=value" pairs separated by "; ";
  - the same (id, label) never has two different canonical names;
  - lines are sorted by (id, label) and the same (id, label) appears once.
Prints one line per error and exits 1 when there is any.
"""

import os
import re
import sys

HEADER = "id\tlabel\tcanonical\taliases\tattributes"
FLAGS = {"exact", "anycase", "ambiguous", "fr", "en", "de", "es"}
LABEL = re.compile(r"^[A-Z][A-Z0-9_]*$")
FLAG = re.compile(r"\s*\[([^\]]*)\]$")
ATTR = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*=[^;\t]+$")
DEFAULT = ["groups.tsv", "organizations.tsv", "ministries.tsv", "people.tsv", "given-names.tsv"]


def check_alias(alias, where, errors):
    s = alias
    while True:
        m = FLAG.search(s)
        if not m:
            break
        if m.group(1) not in FLAGS:
            errors.append("%s: unknown alias flag [%s] in %r" % (where, m.group(1), alias))
        s = s[: m.start()]
    if not s.strip():
        errors.append("%s: empty alias in %r" % (where, alias))
    elif s != s.strip():
        errors.append("%s: alias with surrounding spaces %r" % (where, alias))
    elif "[" in s or "]" in s or "|" in s:
        errors.append("%s: stray bracket or bar in alias %r" % (where, alias))


def check_file(path, errors):
    canon = {}
    last = None
    header_seen = False
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            where = "%s:%d" % (path, n)
            if not line.endswith("\n"):
                errors.append("%s: missing final newline" % where)
            line = line.rstrip("\n")
            if "\r" in line:
                errors.append("%s: carriage return" % where)
            if not line.strip() or line.startswith("#"):
                continue
            if not header_seen:
                header_seen = True
                if line != HEADER:
                    errors.append("%s: header is %r, expected %r" % (where, line, HEADER))
                continue
            fields = line.split("\t")
            if len(fields) not in (4, 5):
                errors.append("%s: expected 4 or 5 fields, found %d" % (where, len(fields)))
                continue
            id_, label, canonical, aliases = fields[:4]
            attrs = fields[4] if len(fields) == 5 else None
            if not id_ or " " in id_:
                errors.append("%s: bad id %r" % (where, id_))
            if not LABEL.match(label):
                errors.append("%s: bad label %r" % (where, label))
            if not canonical.strip() or canonical != canonical.strip():
                errors.append("%s: bad canonical name %r" % (where, canonical))
            if not aliases:
                errors.append("%s: no alias" % where)
            else:
                for a in aliases.split(" | "):
                    check_alias(a, where, errors)
            if attrs is not None:
                if not attrs:
                    errors.append("%s: empty attributes field" % where)
                for pair in attrs.split("; ") if attrs else []:
                    if not ATTR.match(pair):
                        errors.append("%s: bad attribute %r" % (where, pair))
            k = (id_, label)
            if k in canon and canon[k] != canonical:
                errors.append("%s: %s %s has two canonical names: %r and %r" % (where, id_, label, canon[k], canonical))
            canon.setdefault(k, canonical)
            if last is not None and k <= last:
                errors.append("%s: line out of order or repeated (%s %s)" % (where, id_, label))
            last = k
    if not header_seen:
        errors.append("%s: no header line" % path)


def check_files(paths):
    errors = []
    for p in paths:
        check_file(p, errors)
    return errors


def main(argv):
    paths = argv[1:]
    if not paths:
        repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        paths = [os.path.join(repo, "gazetteers", f) for f in DEFAULT]
    errors = check_files(paths)
    for e in errors:
        print(e)
    print("%d files checked, %d errors" % (len(paths), len(errors)))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
