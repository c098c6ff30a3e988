"""Helpers shared by the gazetteer import scripts."""
import os
import re


HEADER = "id\tlabel\tcanonical\taliases\tattributes"

# Debian word lists the import scripts read to tell names from words:
# option name -> (path, what it is).
WORD_LISTS = {
    "dict-en": ("/usr/share/dict/american-english-small",
                "English word list, Debian wamerican-small"),
    "dict-en-full": ("/usr/share/dict/american-english",
                     "English word list, Debian wamerican"),
    "dict-fr": ("/usr/share/hunspell/fr.dic",
                "French Hunspell dictionary, Debian hunspell-fr-classical"),
    "dict-de": ("/usr/share/dict/ngerman", "German word list, Debian wngerman"),
    "dict-es": ("/usr/share/dict/spanish", "Spanish word list, Debian wspanish"),
}


def add_word_list_options(parser, *names):
    """Adds a --NAME option for each word list of WORD_LISTS named."""
    for name in names:
        path, what = WORD_LISTS[name]
        parser.add_argument("--" + name, default=path,
                            help="%s (default: %%(default)s)" % what)


def iso_codes_json(standard):
    """The JSON table of an ISO standard ("iso_3166-1") from Debian iso-codes."""
    return "/usr/share/iso-codes/json/%s.json" % standard


def iso_codes_catalogue(lang, standard):
    """The gettext catalogue of an ISO standard's names in a language."""
    return "/usr/share/locale/%s/LC_MESSAGES/%s.mo" % (lang, standard)


def write_gazetteer(path, comments, lines):
    """Writes a gazetteer file: each comment as a "# " line, the header,
    then the entry lines.  Returns how many entries it wrote."""
    with open(path, "w", encoding="utf-8") as f:
        for c in comments:
            f.write("# %s\n" % c)
        f.write(HEADER + "\n")
        for line in lines:
            f.write(line + "\n")
    return len(lines)


def gazetteer_rows(folder, skip=()):
    """(file name, fields) for each entry line of the gazetteer files of
    folder (*.tsv, in name order) except those named in skip: comments,
    blank lines and each file's header line left out."""
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".tsv") or name in skip:
            continue
        header = False
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            for line in f:
                line = line.rstrip("\n")
                if not line.strip() or line.startswith("#"):
                    continue
                if not header:
                    header = True
                    continue
                yield name, line.split("\t")


def read_word_list(path, key=lambda w: w):
    """The lower-case words of a plain word list (one word a line) or of a
    Hunspell .dic file (a count, then word/flags lines), without those that
    hold an apostrophe; key(word) is what is kept."""
    out = set()
    hunspell = path.endswith(".dic")
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f):
            if hunspell:
                if n == 0:
                    continue            # the word count
                w = re.split(r"[/\s]", line.strip(), 1)[0]
            else:
                w = line.strip()
            if w and w == w.lower() and "'" not in w:
                out.add(key(w))
    return out


# endings of German nouns in the plural or in a case: "Ende" "Enden",
# "Hof" "Hofes", "Halle" "Hallen", "Mission" "Missionen"
GERMAN_NOUN_ENDINGS = ("e", "en", "n", "nen", "se")


def read_german_words(path, key=lambda w: w):
    """The common words of a German word list (Debian wngerman): its
    lower-case words, and its capitalized words that the list also holds
    with a noun ending, since German capitalizes nouns while the list also
    holds names (Berlin, Mainz: no such form).  key(word) is what is kept."""
    lower, caps = set(), set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            w = line.strip()
            if not w or "'" in w:
                continue
            (lower if w == w.lower() else caps).add(w)
    out = {key(w) for w in lower}
    nouns = set()
    for w in caps:
        # (a genitive -es or -s proves nothing, nor a dative plural -n
        # after -er: "Saarlandes", "Eschweilern" are forms of names)
        endings = [e for e in GERMAN_NOUN_ENDINGS if not (e == "n" and w.endswith("er"))]
        if w[1:] == w[1:].lower() and (any(w + e in caps for e in endings)
                                       or any(u + "e" in caps for u in umlauted(w))):
            nouns.add(w)
    return out | {key(w) for w in nouns}


def umlauted(w):
    """The forms of w with its last a, o, u or au umlauted: the plural stem
    of "Kanal" (Kanäle), "Hof" (Höfe), "Baum" (Bäume); not followed by -er,
    which would take the people of a town for a plural (Darmstädter)."""
    for i in range(len(w) - 1, 0, -1):
        if w[i] in "aou":
            if w[i] == "u" and w[i - 1] == "a":
                return [w[:i - 1] + "äu" + w[i + 1:]]
            return [w[:i] + {"a": "ä", "o": "ö", "u": "ü"}[w[i]] + w[i + 1:]]
    return []


def read_function_words(path):
    """The function words of a models/CODE.lang file (its function-words
    key, values separated by " | ", continued on indented lines)."""
    words, on = [], False
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                on = on and not not line.strip() and line.startswith("#")
                continue
            if re.match(r"function-words\s*=", line):
                on = True
                line = line.split("=", 1)[1]
            elif not line[:1].isspace():
                on = False
            if on:
                words += [w.strip() for w in line.split("#")[0].split("|") if w.strip()]
    return words


def read_spanish_words(path, key=lambda w: w):
    """The common words of a Spanish word list (Debian wspanish), which
    also holds lower-case place names (palencia, motril): the words that
    the list also holds in the plural or, for verbs, in the gerund."""
    words = read_word_list(path)
    out = set()
    for w in words:
        forms = [w + "s", w + "es"]
        if w.endswith(("ar", "er", "ir")):
            forms += [w[:-2] + "ando", w[:-2] + "iendo"]
        if any(f in words for f in forms):
            out.add(key(w))
    return out
