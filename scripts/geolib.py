"""Text helpers and alias lists shared by the geographic import scripts
(import-geo.py, import-geo-extra.py, import-towns.py): the same folding,
alias cleaning, entries and alias flags for all of them."""
import os
import re
import unicodedata


FLAG_ORDER = ["exact", "anycase", "ambiguous", "fr", "en", "de", "es"]
# the language flags among them: the codes of models/CODE.lang
LANGS = ("fr", "en", "de", "es")


# --------------------------------------------------------------------------
# text helpers

def fold(s):
    """Case- and accent-insensitive key, with apostrophes unified."""
    s = unicodedata.normalize("NFKD", s.casefold())
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.replace("\u2019", "'").replace("\u2018", "'").replace("\u02bc", "'")
    return re.sub(r"\s+", " ", s).strip()


def slug(s):
    s = unicodedata.normalize("NFKD", s.casefold())
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.replace("ø", "o").replace("æ", "ae").replace("œ", "oe").replace("ß", "ss")
    s = s.replace("ł", "l").replace("đ", "d").replace("ı", "i")
    s = re.sub(r"['\u2019\u2018]", "", s)
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


def is_latin_text(s):
    """True when every letter is Latin (Basic Latin to Latin Extended-B, or
    Latin Extended Additional): drops other scripts and IPA transcriptions."""
    for c in s:
        if c.isalpha():
            o = ord(c)
            if not (o < 0x250 or 0x1E00 <= o <= 0x1EFF):
                return False
        elif unicodedata.category(c).startswith("L") or unicodedata.category(c) == "Lm":
            return False
    return True


def clean(s):
    s = unicodedata.normalize("NFC", s)
    s = s.replace("\t", " ").replace("`", "'")
    s = s.replace("\u00ad", "")    # soft hyphens: "Reyk\u00adja\u00advík"
    s = re.sub(r"\s+", " ", s).strip()
    # source typos: "Antigua -et-Barbuda", "Côte d' Ivoire"
    s = re.sub(r"(\w) -(\w)", r"\1-\2", s)
    s = re.sub(r"\b([dlDL]['\u2019]) (\w)", r"\1\2", s)
    return s


def cap_first(s):
    return s[:1].upper() + s[1:] if s else s


INVERT_TAIL = re.compile(r"(?:^|\s)(of|of the|de|d'|d\u2019|du|des|de la|de l')$", re.I)


def variants(name, lang=None, strip_article=False):
    """Turn one source name into the alias forms worth looking for.

    "Bolivia, Plurinational State of" -> "Plurinational State of Bolivia";
    "Falkland Islands (Malvinas)" -> "Falkland Islands"; leading English
    "The" and (with strip_article) French articles are removed, as the
    annotation spec leaves determiners out of spans."""
    name = clean(name)
    if not name:
        return []
    m = re.match(r"^(.*?)\s*\(([^)]*)\)\s*$", name)
    if m:
        name = m.group(1).strip()
    if name.count(",") == 1:
        head, tail = [p.strip() for p in name.split(",")]
        if INVERT_TAIL.search(tail):
            sep = "" if tail.endswith(("'", "\u2019")) else " "
            name = tail + sep + head
        else:
            return []
    elif "," in name:
        return []
    name = re.sub(r"^(?:The|the)\s+", "", name)
    if strip_article:
        name = re.sub(r"^(?:Les|les|La|la|Le|le)\s+", "", name)
        name = re.sub(r"^(?:L|l)['\u2019]", "", name)
    if strip_article:
        name = cap_first(name)
    return [name] if name else []


# --------------------------------------------------------------------------
# alias lists

class Alias:
    __slots__ = ("text", "flags", "lang")

    def __init__(self, text, flags=(), lang=None):
        self.text = text
        self.flags = set(flags)
        self.lang = lang

    def render(self):
        fl = "".join(" [%s]" % f for f in FLAG_ORDER if f in self.flags)
        return self.text + fl


def parse_alias(s):
    """'Turkey [ambiguous] [en]' -> ('Turkey', {'ambiguous', 'en'})."""
    flags = set()
    s = s.strip()
    while True:
        m = re.search(r"\s*\[([a-z]+)\]\s*$", s)
        if not m:
            break
        flags.add(m.group(1))
        s = s[: m.start()].rstrip()
    bad = flags - set(FLAG_ORDER)
    if bad:
        raise ValueError("unknown flag %s in %r" % (sorted(bad), s))
    return s, flags


class Entry:
    def __init__(self, id_, label, canonical):
        self.id = id_
        self.label = label
        self.canonical = canonical
        self.aliases = []  # list of Alias, first-seen order
        self.attrs = []    # list of (key, value)

    def keys(self):
        return {fold(a.text) for a in self.aliases}

    def find(self, text):
        k = fold(text)
        for a in self.aliases:
            if fold(a.text) == k:
                return a
        return None

    def add(self, text, flags=(), lang=None, override=False):
        text = clean(text)
        if not text:
            return None
        a = self.find(text)
        if a is not None:
            if override:
                a.flags = set(flags)
            else:
                a.flags |= set(flags)
            if a.lang is None:
                a.lang = lang
            elif lang and a.lang != lang:
                a.lang = "both"
            return a
        a = Alias(text, flags, lang)
        self.aliases.append(a)
        return a

    def drop(self, text):
        k = fold(text)
        self.aliases = [a for a in self.aliases if fold(a.text) != k]

    def line(self):
        fields = [self.id, self.label, self.canonical, " | ".join(a.render() for a in self.aliases)]
        if self.attrs:
            fields.append("; ".join("%s=%s" % kv for kv in self.attrs))
        return "\t".join(fields)


def letters(s):
    return sum(1 for c in s if c.isalnum())


def read_tsv(path):
    """Rows of a curated TSV file: comments, blank lines and the header skipped."""
    rows = []
    header = None
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            if header is None:
                header = line.split("\t")
                continue
            rows.append((n, line.split("\t")))
    return rows


def apostrophe_variants(entry):
    """An alias written with ' is also looked for with ’, and the reverse."""
    extra = []
    for a in entry.aliases:
        if "'" in a.text:
            extra.append(Alias(a.text.replace("'", "\u2019"), a.flags, a.lang))
        elif re.search("[\u2018\u2019\u02bb]", a.text):
            extra.append(Alias(re.sub("[\u2018\u2019\u02bb]", "'", a.text), a.flags, a.lang))
    have = {a.text for a in entry.aliases}
    for a in extra:
        if a.text not in have:
            entry.aliases.append(a)
            have.add(a.text)


def city_canonical(c, canonical_of):
    """The common English name of a city: a curated one, else the cities
    source's name, in its ASCII form when the name is a scholarly
    transliteration (Kolkāta, Al Ḩillah, Eşfahān)."""
    if c["id"] in canonical_of:
        return canonical_of[c["id"]]
    name = c["city"]
    d = unicodedata.normalize("NFD", name)
    if re.search("[\u0304\u0323\u032e\u0331\u02bf\u02be]", d) or re.search("[ḩḨ]", name) \
            or re.search("ş", name) and c["iso2"] not in ("TR", "RO", "AZ", "TM"):
        if c.get("city_ascii"):
            return clean(c["city_ascii"])
    return name


class CommonWords:
    """German and Spanish common words among names of places.  A place whose
    name is also a common word of German or Spanish (« Tage », the Tagus in
    French, and « drei Tage »; « Siegen » and « mit zwölf Siegen »; « Zug »)
    is looked for in the other languages only: its alias gets the flags of
    every language but those ([fr] [en] [es] for « Tage »).  The word
    lists are Debian wngerman (lower-case words, and the capitalized nouns
    told from names by their inflected forms) and wspanish (words with a
    plural or a gerund in the list), see scripts/gazlib.py.  The function
    words of models/de.lang and models/es.lang are left to the rules, which
    tell « an der Seine » from « Seine Frau » by the article before it (the
    `function` token test)."""

    def __init__(self, de_list, es_list, models):
        from gazlib import read_german_words, read_spanish_words, read_function_words
        self.words = {"de": read_german_words(de_list, key=fold),
                      "es": read_spanish_words(es_list, key=fold)}
        for lang in self.words:
            self.words[lang] -= {fold(w) for w in
                                 read_function_words(os.path.join(models, lang + ".lang"))}

    def restrict(self, alias):
        """Add the language flags to an Alias whose one-word name is a
        common word of German or Spanish; aliases that already carry a
        language flag or [ambiguous] (which the rules confirm by their
        context in every language: « in Essen »), and names of several
        words, are left alone.  Returns the languages the alias is no
        longer looked for in."""
        if alias.flags & (set(LANGS) | {"ambiguous"}) or " " in alias.text or "-" in alias.text:
            return set()
        k = fold(alias.text)
        common = {lang for lang, words in self.words.items() if k in words}
        if common:
            alias.flags |= set(LANGS) - common
        return common
