"""Companies for scripts/import-actors.py: the COMPANY lines of
gazetteers/organizations.tsv."""


def company_entries(orgs, entry, alias):
    """Lines of two labels that no output type has, for models/trade.rules:
    COMPANY, the [ambiguous] names of companies (kind=company) without that
    flag, which the rules make ORG where the text says company ("Apple
    said", « le groupe Orange »), so that a club, a university or a person
    named alike ("Brown said", "Paris settled") is not taken for a company;
    and FIRM, every name of a company, which tells a company's name used for
    its product ("the VMware executable") from another organization's."""
    out = []
    for e in orgs:
        if e.attrs.get("kind") != "company":
            continue
        for label, aliases in (
                ("COMPANY", [alias(a.text, a.flags - {"ambiguous"}) for a in e.aliases if "ambiguous" in a.flags]),
                ("FIRM", [alias(a.text, a.flags - {"ambiguous"}) for a in e.aliases])):
            if not aliases:
                continue
            c = entry(e.id, label, e.canonical)
            c.aliases = aliases
            c.attrs = e.attrs
            out.append(c)
    return out


# ------------------------------------------------------------------ imports
#
# Companies from public lists, beside the curated tables: the security
# vendors and threat-intelligence producers of the MISP galaxy, the
# surveillance vendors of the MISP galaxy, the S&P 500 and the SEC EDGAR
# list of registrants.  A name the curated tables (or another import
# earlier in this order) already give is left to them.

import csv
import json
import os
import re

# Legal forms and listing marks at the end of a name: "Apple Inc.",
# "NCC Group PLC", "CAPITAL PROPERTIES INC /RI/" (canonical names have no
# legal suffix, GUIDELINES).
SUFFIX = re.compile(
    r"(?:[\s,]+(?:&\s*co|inc|incorporated|corp|corporation|co|company|ltd|limited|plc|llc|l\.?l\.?c|"
    r"lp|l\.?p|n\.?v|s\.?a|s\.?a\.?b\.? de c\.?v|ag|se|kgaa|bv|b\.?v|gmbh|s\.?p\.?a|oyj|asa|ab|"
    r"sa/nv|nv|holdings? inc|group inc)\.?)+$", re.I)
MARKS = re.compile(r"\s*(?:/[A-Za-z .]+/?|\((?:the|class [a-z]|new)\))\s*$", re.I)

# SEC registrants that are funds, trusts, blank-cheque companies and the
# like: not the companies of news and reports.
SEC_SKIP = re.compile(
    r"\b(?:etf|etn|trust|fund|funds|portfolio|acquisition|acquisitions|spac|"
    r"capital investment|income|municipal|bond|bonds|royalty|shares|index|"
    r"ishares|proshares|strategy|strategies|bitcoin|ethereum|solana|xrp|"
    r"ii|iii|iv|v|vi|vii|viii|ix|x|merger|partners lp|bdc|reit)\b", re.I)

# Producers of threat intelligence that are publications, blogs, platforms
# or services rather than companies (BleepingComputer, VirusTotal, Medium).
PRODUCER_SKIP_TYPES = re.compile(r"blog|news|platform|community|social media|^cybersecurity service$", re.I)

# Words that keep their capitals when an all-capital title is re-cased.
KEEP_CAPS = frozenset("""
AB ABB AES AG AI AMC AMD AMN APA ASML AT&T BHP BJ BP BT CBRE CBS CDW CF CGI
CH CME CMS CNA CNH CNX CSX CVB CVS DHI DTE DXC EOG EPR EQT ESCO FMC FNB GE
GM GMS HCA HP HF HSBC IBM ICF ICU IDT IDEX II III ING IPG IQVIA JB JM KB KBR
KKR LG LKQ LPL MDU MGM MGIC MKS MSA MSC NCR NCC NI NMI NNN NOV NRG NV NVR
OFG ONE OSI PBF PG&E PNC PPG PPL PTC PVH QVC RBC RCM RLI RPM SBA SEI SL SLM
SM SPX SS&C STAG TD TE TFS TJX TPG TTM UBS UDR UFP UGI UMB UMH UPS US USA
USG VF VSE WD WEC WEX WPP WR WSFS XP
""".split())


def _recase(title):
    """An all-capital SEC title in the capitals of ordinary text: "LAM
    RESEARCH" -> "Lam Research"; acronyms of KEEP_CAPS and words without a
    vowel keep theirs ("DTE", "CSX")."""
    if any(c.islower() for c in title):
        return title
    out = []
    for w in title.split():
        if w in KEEP_CAPS or not re.search(r"[AEIOUY]", w) or "&" in w:
            out.append(w)
        else:
            out.append("-".join(p[:1] + p[1:].lower() for p in w.split("-")))
    return " ".join(out)


def clean_company_name(name):
    """"Apple Inc." -> "Apple", "The Walt Disney Company" -> "Walt Disney",
    "NSO group" -> "NSO Group"."""
    n = " ".join(name.replace("\u00a0", " ").split())
    for _ in range(3):
        n = MARKS.sub("", n)
        n = SUFFIX.sub("", n).strip(" ,")
    if n.lower().startswith("the ") and len(n.split()) > 2:
        n = n[4:]
    words = n.split()
    if len(words) > 1 and words[-1] == "group":
        words[-1] = "Group"
    return " ".join(words)


def _misp_values(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)["values"]


def read_producers(path):
    """(name, other names, country) of the MISP producer cluster's companies."""
    out = []
    for v in _misp_values(path):
        m = v.get("meta", {})
        types = m.get("company-type") or []
        if isinstance(types, str):
            types = [types]
        if any(PRODUCER_SKIP_TYPES.search(t) for t in types):
            continue
        out.append((v["value"], m.get("synonyms", []), m.get("country", ""), "misp-producer"))
    return out


def read_surveillance_vendors(path):
    out = []
    for v in _misp_values(path):
        m = v.get("meta", {})
        out.append((v["value"], m.get("synonyms", []), m.get("country", ""), "misp-surveillance-vendor"))
    return out


def read_sp500(path):
    out = []
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            out.append((row["Security"], [], "US", "sp500"))
    return out


def read_sec(path):
    """One name per SEC registrant (its first ticker), funds and the like left out."""
    with open(path, encoding="utf-8") as f:
        rows = json.load(f)
    seen = set()
    out = []
    for k in sorted(rows, key=int):
        r = rows[k]
        if r["cik_str"] in seen:
            continue
        seen.add(r["cik_str"])
        title = " ".join(r["title"].split())
        if SEC_SKIP.search(title.replace("/", " ")):
            continue
        out.append((_recase(title), [], "", "sec"))
    return out


COUNTRY = re.compile(r"^[A-Z]{2}$")

# Words that end the registered name of a company known by a shorter one:
# "Coinbase Global" is Coinbase, "MGM Resorts International" is MGM Resorts.
GENERIC_TAIL = frozenset("""
technologies technology software group holdings holding international global
networks systems platforms corp company worldwide enterprises industries
""".split())


def _core(name):
    words = name.split()
    while len(words) > 1 and words[-1].lower() in GENERIC_TAIL:
        words.pop()
    return " ".join(words)


def imported_companies(sources, known, words, given, places, blocked, entry, alias):
    """Entries (label ORG, kind=company) for the companies of sources, a
    list of (name, other names, country, source) in order of preference.
    known: folded names the curated tables give (left to them); blocked:
    folded names of malware, tools and groups (never a company alias).
    A name is [ambiguous] when it is a place, a given name, a person's
    name, made only of common words ("Arctic Wolf", "Smart Sand"), or one
    word of the dictionary, common or proper (a surname: "Rollins",
    "Crawford"):
    models/trade.rules then needs the text to say company."""
    from_fold = {}
    by_id = {}
    order = []
    for name, others, country, source in sources:
        canon = clean_company_name(name)
        if len(canon) < 3 or not any(c.isalpha() for c in canon):
            continue
        key = _fold(canon)
        if key in known or key in blocked or _fold(_core(canon)) in known:
            continue
        if key in from_fold:
            e = by_id[from_fold[key]]
            if source not in e.attrs["source"].split(","):
                e.attrs["source"] += "," + source
            continue
        id_ = "company:" + re.sub(r"[^a-z0-9]+", "-", key).strip("-")
        if id_ in by_id:
            continue
        e = entry(id_, "ORG", canon)
        names = [canon] + [clean_company_name(o) for o in others]
        for n in names:
            k = _fold(n)
            if not n or k in known or k in blocked or (k in from_fold and from_fold[k] != id_):
                continue
            if any(_fold(a.text) == k for a in e.aliases):
                continue
            flags = set()
            toks = n.split()
            plain = len(toks) == 1 and n.isalpha() and n[:1].isupper() and n[1:].islower()
            # One plain word ("Hawkins", "Crane", "Koss") from the long
            # lists is most often a surname or a word in the texts read; an
            # [ambiguous] alias would still keep the rules from reading it
            # as part of a person's name: it is left out.  Names that cannot
            # be words stay (KeyCorp, 8x8, Intellexa from the short lists).
            if plain and source == "sec":
                continue
            if plain and source != "sp500" and source != "misp-producer" and (
                    k in places or k in given or words.dictionary(n) or words.proper(n)
                    or words.common(n)):
                continue
            if n.isupper() and len(toks) == 1:
                flags.add("exact")
            if (k in places or k in given
                    or all(words.common(t.strip(".,&-")) or not t.strip(".,&-") for t in toks)
                    or (len(toks) == 1 and (words.dictionary(n) or words.proper(n.capitalize())))):
                flags.add("ambiguous")
            e.add(alias(n, flags))
            from_fold[k] = id_
        if not e.aliases:
            continue
        e.attrs["kind"] = "company"
        cc = {"UK": "GB"}.get(country, country)
        if COUNTRY.match(cc or ""):
            e.attrs["country"] = cc
        e.attrs["source"] = source
        by_id[id_] = e
        order.append(id_)
    return [by_id[i] for i in sorted(order)]


def default_sources(misp_dir, shared):
    return (read_producers(os.path.join(misp_dir, "producer.json"))
            + read_sp500(os.path.join(shared, "s-and-p-500-companies", "constituents.csv"))
            + read_surveillance_vendors(os.path.join(misp_dir, "surveillance-vendor.json"))
            + read_sec(os.path.join(shared, "sec-company-tickers", "company_tickers.json")))


def _fold(s):
    import unicodedata
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c)).lower()


def anycase_camel(orgs, camel_case):
    """A company's name written with a capital inside (CrowdStrike,
    SentinelOne, WithSecure) is often written with one capital only
    ("Crowdstrike"): such aliases get [anycase], unless [exact] or
    [ambiguous]."""
    for e in orgs:
        if e.attrs.get("kind") != "company":
            continue
        for a in e.aliases:
            if a.flags & {"exact", "ambiguous"}:
                continue
            if any(camel_case(w) for w in a.text.split()):
                a.flags.add("anycase")
