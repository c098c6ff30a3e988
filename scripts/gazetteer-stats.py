#!/usr/bin/env python3
"""Counts of the gazetteers, and their coverage of gold mentions.

  gazetteer-stats.py GAZETTEER_DIR
      entries and aliases per label, aliases per language flag
  gazetteer-stats.py --coverage CONLL_FILE --column N GAZETTEER_DIR
      share of the gold PER, LOC and ORG mentions of a CoNLL file (gold tag in
      the last column, IOB1 or IOB2) whose text is an alias of some entry

Texts are compared folded (case, accents and white space removed), close to
the tagger's own matching."""
import argparse
import collections
import glob
import os
import sys
import unicodedata


def fold(s):
    s = s.replace("\u2019", "'").replace("\u2011", "-")
    s = unicodedata.normalize("NFD", s.casefold())
    return "".join(c for c in s if not unicodedata.combining(c)
                   and not c.isspace())


def read_gazetteers(folder):
    """Yields (file, label, alias text, flags) for every alias."""
    for path in sorted(glob.glob(os.path.join(folder, "*.tsv"))):
        header = False
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.rstrip("\n")
                if not line or line.startswith("#"):
                    continue
                if not header:
                    header = True
                    continue
                fields = line.split("\t")
                for alias in fields[3].split(" | "):
                    flags = []
                    while alias.endswith("]") and "[" in alias:
                        i = alias.rindex("[")
                        flags.append(alias[i + 1:-1])
                        alias = alias[:i].rstrip()
                    yield os.path.basename(path), fields[1], alias, flags


def stats(folder):
    entries = collections.Counter()
    aliases = collections.Counter()
    langs = collections.Counter()
    seen = set()
    for path in sorted(glob.glob(os.path.join(folder, "*.tsv"))):
        with open(path, encoding="utf-8") as f:
            for line in f:
                fields = line.rstrip("\n").split("\t")
                if line.startswith("#") or len(fields) < 4 or fields[0] == "id":
                    continue
                key = (fields[1], fields[0])
                if key not in seen:
                    seen.add(key)
                    entries[fields[1]] += 1
    for _, label, alias, flags in read_gazetteers(folder):
        aliases[label] += 1
        lang = "fr" if "fr" in flags else "en" if "en" in flags else "any"
        langs[(label, lang)] += 1
    print("%-16s %9s %9s %9s %9s %9s" % ("label", "entries", "aliases",
                                          "any lang", "fr only", "en only"))
    for label in sorted(aliases, key=lambda l: -aliases[l]):
        print("%-16s %9d %9d %9d %9d %9d" % (
            label, entries[label], aliases[label], langs[(label, "any")],
            langs[(label, "fr")], langs[(label, "en")]))
    print("%-16s %9d %9d" % ("total", sum(entries.values()),
                             sum(aliases.values())))


def gold_mentions(path, column):
    """The (type, text) of every gold PER/LOC/ORG chunk, IOB1 or IOB2."""
    tokens, cur_type = [], None
    def flush():
        if cur_type and tokens:
            yield cur_type, " ".join(tokens)
    with open(path, encoding="utf-8") as f:
        for line in f:
            fields = line.rstrip("\n").split("\t" if "\t" in line else " ")
            if len(fields) <= column or fields[column - 1].startswith("-DOCSTART-"):
                yield from flush()
                tokens, cur_type = [], None
                continue
            tag = fields[-1]
            kind = tag[2:] if len(tag) > 2 else None
            begins = tag.startswith("B-") or kind != cur_type
            if tag == "O" or begins:
                yield from flush()
                tokens, cur_type = [], None
            if kind in ("PER", "LOC", "ORG"):
                tokens.append(fields[column - 1])
                cur_type = kind


def coverage(path, column, folder):
    known = {fold(alias) for _, _, alias, _ in read_gazetteers(folder)}
    found = collections.Counter()
    total = collections.Counter()
    for kind, text in gold_mentions(path, column):
        total[kind] += 1
        found[kind] += fold(text) in known
    for kind in ("PER", "LOC", "ORG"):
        if total[kind]:
            print("coverage %s: %d of %d gold mentions (%.1f%%)" % (
                kind, found[kind], total[kind], 100.0 * found[kind] / total[kind]))
    all_total = sum(total.values())
    if all_total:
        print("coverage all: %d of %d (%.1f%%)" % (
            sum(found.values()), all_total,
            100.0 * sum(found.values()) / all_total))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("folder")
    p.add_argument("--coverage")
    p.add_argument("--column", type=int, default=2)
    a = p.parse_args()
    if a.coverage:
        coverage(a.coverage, a.column, a.folder)
    else:
        stats(a.folder)


if __name__ == "__main__":
    sys.exit(main())
