#!/usr/bin/env python3
"""Build gazetteers/technical-terms.tsv: acronyms that name no organization.

An all-capital token is an organization only on evidence (GUIDELINES
types; the rules of models/shared.rules).  The acronyms of computing and
security jargon (DLL, HTTP, MD5, C2, IOC, TTP) are the most frequent
capitalized words of technical reports that are not names: this file gives
them the label TECH, which no output type has, so that the rules do not
read them as organizations.

Products (label PRODUCT): software, platforms and devices ("Microsoft
Office", "App Store", "WhatsApp", "macOS"), which GUIDELINES does not
mark: the rules do not make a mention inside them.

Sources:
  --netbsd  NetBSD's computer acronym list (share/misc/acronyms.comp, used
            by wtf(6)): ACRONYM<TAB>expansion lines
  scripts/terms/security-acronyms.tsv  security jargon the NetBSD list lacks
  --products scripts/terms/products.tsv  products and their companies
  --os-json  MISP galaxy operating-system.json: operating systems
  --dict-en  English word list (Debian wamerican), for one-word products

Left out of the NetBSD list: an acronym one of whose expansions names an
organization (capitalized, with a word such as Institute, Agency,
Organization: "ANSI", "NSA"), and an acronym that a gazetteer of --out
already has as the alias of a name ("CIA", "EU", "ISO"): those are the
organizations or places themselves.  The curated jargon is kept whole.  The output depends only on the inputs.
"""

import argparse
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from gazlib import gazetteer_rows, write_gazetteer  # noqa: E402

OUT = "technical-terms.tsv"
# Capitalized words that make an expansion the name of an organization.
ORG_WORDS = set("""
Inc Corp Corporation Company Co Ltd Agency Institute Association Organization
Organisation Committee Foundation Bureau Council Consortium Laboratory
Laboratories Labs Society University Department Administration Commission
Union Federation Board Force Group Project Alliance Forum Center Centre
Office Authority Ministry Service Services Team Agence Conseil
""".split())
TYPES = ("STATE", "ORG", "GROUP", "SPOKESPERSON", "PERSON", "LOC", "CAPITAL", "DEMONYM")
ACRONYM = re.compile(r"^[A-Za-z0-9&/+-]{2,8}$")


def org_like(expansion):
    words = re.findall(r"[A-Za-z]+", expansion)
    return bool(words) and words[0][:1].isupper() and any(w in ORG_WORDS for w in words)


def read_netbsd(path):
    terms = {}
    orgs = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("$") or not line.strip():
                continue
            parts = re.split(r"\t| {2,}| ", line.rstrip("\n"), 1)
            if len(parts) != 2:
                continue
            acr, exp = parts[0].strip(), " ".join(parts[1].split())
            if not ACRONYM.match(acr) or sum(c.isupper() for c in acr) < 2:
                continue
            if org_like(exp):
                orgs.add(acr)
            terms.setdefault(acr, []).append(exp)
    return {a: e for a, e in terms.items() if a not in orgs}


def read_curated(path):
    terms = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip() or line.startswith("acronym\t"):
                continue
            acr, exp = line.rstrip("\n").split("\t")
            terms.setdefault(acr, []).append(exp)
    return terms


def read_products(path, os_json, words):
    """PRODUCT lines: (id, canonical, aliases).  A product is looked for
    after its company's name ("Microsoft Office"); alone only when its name
    cannot be a word (several words, a capital inside, capitals, a digit, or
    no entry of the dictionary, in any case: "App Store", "WhatsApp",
    "macOS", "AIX"), or when products.tsv says so ("alone": Facebook,
    whose name is in the dictionary)."""
    def alone(name):
        return (" " in name or not name[:1].isupper() or any(c.isdigit() for c in name)
                or name.isupper() or any(c.isupper() for c in name[1:]) or not name[:1].isalpha()
                or name.lower() not in words)
    items = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip() or line.startswith("product\t"):
                continue
            cols = line.rstrip("\n").split("\t")
            product, company = cols[0], cols[1]
            others = [a.strip() for a in cols[2].split("|")] if len(cols) > 2 and cols[2].strip() else []
            forced = len(cols) > 3 and cols[3].strip() == "alone"
            aliases = []
            for n in [product] + others:
                if alone(n) or forced:
                    aliases.append(n)
                if company and company != n and not n.startswith(company + " "):
                    aliases.append(company + " " + n)
            items.append((product, company, aliases))
    with open(os_json, encoding="utf-8") as f:
        for v in json.load(f)["values"]:
            n = " ".join(v["value"].split())
            if alone(n):
                items.append((n, "", [n]))
    out = {}
    for product, company, aliases in items:
        full = product if company == product else company + " " + product
        id_ = "product:" + re.sub(r"[^a-z0-9]+", "-", full.lower()).strip("-")
        if id_ in out:
            out[id_][1].extend(a for a in aliases if a not in out[id_][1])
        else:
            out[id_] = ((company + " " + product).strip() if company and not product.startswith(company) else product,
                        list(dict.fromkeys(aliases)))
    return out


def known_aliases(folder):
    """The aliases of the other gazetteers written in capitals (flags
    removed): the acronyms that name something.  A name written as a word
    ("Rom", German for Rome) does not take the acronym (ROM) away."""
    out = set()
    for name, cols in gazetteer_rows(folder, skip=(OUT,)):
        if len(cols) >= 4 and cols[1] in TYPES:
            for a in cols[3].split(" | "):
                a = re.sub(r"\s*\[[a-z]+\]", "", a).strip()
                if a == a.upper():
                    out.add(a)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--netbsd", default=os.path.join(REPO, "..", "shared", "data", "netbsd-acronyms", "acronyms.comp"))
    ap.add_argument("--curated", default=os.path.join(HERE, "terms", "security-acronyms.tsv"))
    ap.add_argument("--products", default=os.path.join(HERE, "terms", "products.tsv"))
    ap.add_argument("--os-json", default=os.path.join(REPO, "..", "shared", "data", "misp-galaxy", "operating-system.json"))
    ap.add_argument("--dict-en", default="/usr/share/dict/american-english",
                    help="English word list (Debian wamerican): a one-word product in it is only looked for after its company")
    ap.add_argument("--out", default=os.path.join(REPO, "gazetteers"))
    args = ap.parse_args()

    terms = read_netbsd(args.netbsd)
    curated = read_curated(args.curated)
    for a, e in curated.items():
        terms[a] = e + [x for x in terms.get(a, []) if x not in e]
    known = known_aliases(args.out)
    lines = []
    left_out = []
    for acr in sorted(terms, key=lambda a: (a.upper(), a)):
        # the curated jargon stands even where an organization shares the
        # acronym (IOC, TTP): gazetteer names still win, TECH only keeps the
        # rules from guessing
        if acr.upper() in known and acr not in curated:
            left_out.append(acr)
            continue
        exp = terms[acr][0].replace("\t", " ")
        src = "curated" if acr in curated else "netbsd"
        lines.append("tech:%s\tTECH\t%s\t%s [exact]\tsource=%s" % (acr.lower(), exp, acr, src))
    # one line per id: "DDoS" and "DDOS" share tech:ddos
    merged = {}
    for line in lines:
        id_, label, canon, alias, attrs = line.split("\t")
        if id_ in merged:
            m = merged[id_].split("\t")
            m[3] += " | " + alias
            merged[id_] = "\t".join(m)
        else:
            merged[id_] = line
    with open(args.dict_en, encoding="utf-8") as f:
        words = {w.strip().lower() for w in f if w.strip()}
    products = read_products(args.products, args.os_json, words)
    product_lines = []
    for id_ in sorted(products):
        canonical, aliases = products[id_]
        aliases = [a + " [exact]" if a.isupper() else a for a in aliases]
        product_lines.append("%s\tPRODUCT\t%s\t%s" % (id_, canonical, " | ".join(aliases)))
    n = write_gazetteer(os.path.join(args.out, OUT), [
        "Generated by scripts/import-terms.py from NetBSD's acronyms.comp and",
        "scripts/terms/security-acronyms.tsv; do not edit by hand (see gazetteers/SOURCES.md).",
        "Acronyms of computing and security jargon, label TECH, and software,",
        "platforms and devices, label PRODUCT (no output type): the rules do",
        "not read them as organizations, nor their company's name in them.",
    ], [merged[k] for k in sorted(merged)] + product_lines)
    print("%s: %d lines; left out as names of other gazetteers: %s" % (OUT, n, " ".join(left_out)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
