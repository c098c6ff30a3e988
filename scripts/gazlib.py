"""Helpers shared by the gazetteer import scripts."""
import re


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
