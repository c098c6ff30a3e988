#!/usr/bin/env python3
"""Writes gazetteers/clubs.tsv: football clubs of the world (label ORG)
from openfootball/clubs, as extracted in shared/data/openfootball-clubs.

    python3 scripts/import-clubs.py [CLUBS_TSV]

A club's name and its other names are its aliases, except:

- names that are not in the Latin script (the Arabic, Japanese and Korean
  names of the source), or hold an abbreviating period ("Bayern Mün.");
- names of one word that are places of the other gazetteers, given names
  or entries of the English, French, German or Spanish word lists
  (Barnsley, Derby, Bayern, Arsenal, Albion, Sturm): sports reports name a team by its town, and the rules
  read such a town as the team from the context (models/en.rules);
- a name of one word that is the town of a club in the source (Pau, Ayr,
  Wimbledon), or the town of a name made of a town and a suffix word
  (Stoke of Stoke City, Charlton of Charlton Athletic)
  is kept [ambiguous]: a rule makes it the club from the context (a score
  after it in a sports report);
- names of two letters or less, acronyms of three letters or less (AZ,
  PSV: often something else), and dates (« 2 de Mayo »: the alias would
  match « 2 de mayo »);
- names that another gazetteer of this folder already gives (the curated
  clubs of organizations.tsv, places, companies): that entry stands;
- names that two clubs share (Nacional, Sporting): they name no one club.

The file is regenerated from the same inputs byte for byte.
"""
import os
import re
import sys
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gazlib import WORD_LISTS as DEBIAN_WORD_LISTS, gazetteer_rows, write_gazetteer  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GAZ = os.path.join(ROOT, "gazetteers")
DEFAULT_SOURCE = os.path.join(ROOT, "..", "shared", "data", "openfootball-clubs", "clubs.tsv")
WORD_LISTS = (DEBIAN_WORD_LISTS["dict-en-full"][0], "/usr/share/dict/french")
GERMAN = DEBIAN_WORD_LISTS["dict-de"][0]
SPANISH = DEBIAN_WORD_LISTS["dict-es"][0]
FRENCH_HUNSPELL = "/usr/share/hunspell/fr_FR.dic"


def fold(s):
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return " ".join(s.casefold().split())


def latin(s):
    """Letters all in the Latin script."""
    return all(not c.isalpha() or "LATIN" in unicodedata.name(c, "") for c in s)


def slug(s):
    s = fold(s)
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s


def dictionary_entries(path):
    """Every entry of a word list or a Hunspell .dic file, capitalized
    ones too (German nouns, English names of places and myths: Sturm,
    Albion), folded."""
    out = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            w = re.split(r"[/\s]", line.strip(), 1)[0]
            if w and "'" not in w:
                out.add(fold(w))
    return out


def common_words():
    """The entries of every word list; a missing list stops the script,
    since without it the file would silently come out different."""
    words = set()
    for path in WORD_LISTS + (FRENCH_HUNSPELL, GERMAN, SPANISH):
        if not os.path.exists(path):
            sys.exit("import-clubs.py: no word list %s (install the Debian "
                     "packages listed in gazetteers/SOURCES.md)" % path)
        words |= dictionary_entries(path)
    return words


def known_names():
    """Folded aliases of every other gazetteer, and those of one word that
    are places or given names."""
    known, places = set(), set()
    for name, cols in gazetteer_rows(GAZ, skip=("clubs.tsv",)):
        if len(cols) < 4:
            continue
        for a in cols[3].split(" | "):
            text = re.sub(r"\s*\[[a-z]+\]", "", a).strip()
            known.add(fold(text))
            if cols[1] in ("LOC", "STATE", "CAPITAL", "DEMONYM", "GIVEN_NAME", "PERSON"):
                places.add(fold(text))
    return known, places


def usable(alias, words, known, places, towns):
    """True, False, or "ambiguous" for a town's name (see above)."""
    if not latin(alias) or "." in alias.replace("1. ", "") or "|" in alias:
        return False
    f = fold(alias)
    if len(f) <= 2 or f in known:
        return False
    if alias.isupper() and " " not in alias and len(alias) <= 3:
        return False
    if re.match(r"\d+ de ", alias):
        return False            # a date: « 2 de Mayo », « 12 de Octubre »
    if " " not in f and (f in places or f in words):
        return False
    if " " not in f and f in towns:
        return "ambiguous"
    return True


# Words that end an English club's name after its town ("Stoke City",
# "Charlton Athletic"): reports name the club by its town alone.
CLUB_SUFFIXES = {"fc", "afc", "city", "town", "united", "athletic", "rovers",
                 "wanderers", "county", "albion", "argyle", "alexandra",
                 "hotspur", "rangers", "athletico"}


def short_names(names):
    """The town alone of club names made of a town and a suffix word."""
    out = []
    for a in names:
        words = a.split()
        while len(words) > 1 and fold(words[-1]) in CLUB_SUFFIXES:
            words = words[:-1]
        if len(words) == 1 and words[0] != a and words[0] not in out:
            out.append(words[0])
    return out


def main(argv):
    source = argv[1] if len(argv) > 1 else DEFAULT_SOURCE
    words = common_words()
    known, places = known_names()
    clubs = []
    towns = set()
    shorts = set()              # the towns of short_names(): never alone
    with open(source, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        col = {h: i for i, h in enumerate(header)}
        for line in f:
            c = line.rstrip("\n").split("\t")
            if c[col["team"]] != "first":
                continue
            # "Barnsley › South Yorkshire", "London (Wimbledon)"
            for town in re.split(r"[›()]", c[col["city"]]):
                if town.strip():
                    towns.add(fold(town.strip()))
            name = c[col["name"]].strip()
            names = [name] + [a.strip() for a in c[col["alt_names"]].split("|") if a.strip()]
            short = short_names(names)
            shorts.update(short)
            clubs.append((name, c[col["country_code"]], names + short))
    owners = {}
    for name, country, names in clubs:
        for a in set(fold(a) for a in names):
            owners.setdefault(a, set()).add((name, country))
    lines, seen_ids = [], set()
    for name, country, names in sorted(clubs, key=lambda x: (x[1], fold(x[0]))):
        aliases, folded = [], set()
        for a in names:
            a = " ".join(a.split())
            if fold(a) in folded or len(owners[fold(a)]) > 1:
                continue
            # a town of short_names() may be a word too (Stoke, Hull):
            # [ambiguous] is enough, only the context of a sports report
            # makes it the club
            short = a in shorts
            use = usable(a, set() if short else words, known, places, towns)
            if use and short:
                use = "ambiguous"
            if use == "ambiguous":
                aliases.append(a + " [ambiguous]")
                folded.add(fold(a))
            elif use:
                aliases.append(a)
                folded.add(fold(a))
        if not aliases:
            continue
        id_ = "club:%s-%s" % (country, slug(name))
        if id_ in seen_ids:
            continue
        seen_ids.add(id_)
        lines.append("%s\tORG\t%s\t%s\tkind=sports-club; sport=football; country=%s; source=openfootball"
                     % (id_, name, " | ".join(aliases), country))
    comments = [
        "Football clubs of the world (label ORG), generated by scripts/import-clubs.py",
        "from openfootball/clubs (CC0 1.0); do not edit by hand (see SOURCES.md).",
    ]
    n = write_gazetteer(os.path.join(GAZ, "clubs.tsv"), comments, lines)
    print("clubs.tsv: %d clubs" % n)


if __name__ == "__main__":
    main(sys.argv)
