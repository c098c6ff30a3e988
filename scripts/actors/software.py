"""Malware, tools and campaigns: names that are not threat-actor groups.

Read by scripts/import-actors.py, which writes them to
gazetteers/software.tsv under two labels that are no output type:

  SOFTWARE  malware families, hacking tools, ransomware, botnets, exploit
            kits (MISP galaxy clusters and MITRE ATT&CK software)
  CAMPAIGN  named campaigns and operations (MITRE ATT&CK campaigns, the
            Tidal campaigns cluster, "Operation X" names of the MISP
            threat-actor cluster)

The rules use them to refuse a group reading ("the CozyDuke malware",
"Operation Soft Cell") and an organization reading of all-capital names
("the TRISIS malware").  Both labels are knowledge of names, never
mentions: GUIDELINES marks neither malware nor campaigns.
"""

import collections
import json
import os
import re

# MISP galaxy clusters of malicious software, and the kind each one holds.
# Left out on purpose: stalkerware.json and rmm-tool.json (commercial
# products and legitimate remote-management tools, which are not threat
# names and some of which are companies), and mitre-malware.json,
# mitre-tool.json (ATT&CK is read from mitre-cti, a newer release).
MISP_SOFTWARE = (
    ("malpedia", "malware"),
    ("tool", "tool"),
    ("ransomware", "ransomware"),
    ("botnet", "botnet"),
    ("rat", "rat"),
    ("banker", "banker"),
    ("backdoor", "backdoor"),
    ("stealer", "stealer"),
    ("wiper", "wiper"),
    ("exploit-kit", "exploit-kit"),
    ("android", "malware"),
    ("tidal-software", "tool"),
)

MITRE_SUFFIX = re.compile(r"\s+-\s+[SGC]\d{4}$")
# "Nhtnwcuf Ransomware (Fake)", "ArcaneDoor (Deprecated)"
PAREN_SUFFIX = re.compile(r"\s*\((fake|deprecated|[a-z ]+ version)\)$", re.I)
# The name of a campaign: "Operation Soft Cell", "Op Cleaver", « Opération X »
OPERATION = re.compile(r"^(operation|op\.?|opération)\s+\S", re.I)


def clean(raw):
    """A usable alias from a raw name, or None."""
    if not isinstance(raw, str):
        return None
    s = " ".join(raw.split())
    s = MITRE_SUFFIX.sub("", s)
    s = PAREN_SUFFIX.sub("", s)
    if not s or any(c in s for c in "\t[]|;\"") or len(s) < 3:
        return None
    if not any(c.isalpha() for c in s) or re.fullmatch(r"[SGC]\d{4}", s):
        return None
    if not s.isascii() and not re.fullmatch(r"[\w\s.\-'&!$#@+]+", s):
        return None             # other scripts and decorated spellings
    return s


def slug(s):
    out = re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")
    return out or "x"


class Item:
    """One SOFTWARE or CAMPAIGN entity before it becomes a gazetteer line."""

    def __init__(self, label, name):
        self.label = label
        self.name = name
        self.attack = ""
        self.names = []
        self.kinds = set()
        self.sources = set()

    def add(self, names, kind, source):
        for n in names:
            if n and n not in self.names:
                self.names.append(n)
        if kind:
            self.kinds.add(kind)
        self.sources.add(source)


class Collection:
    """Items keyed by label and the folded form of their main name."""

    def __init__(self, fold):
        self.fold = fold
        self.items = collections.OrderedDict()

    def item(self, label, name):
        k = (label, self.fold(name))
        if k not in self.items:
            self.items[k] = Item(label, name)
        return self.items[k]


def read_attack(path, col):
    """MITRE ATT&CK software and campaigns (mitre-cti attack-entities.tsv)."""
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        ix = {h: i for i, h in enumerate(header)}
        for line in f:
            c = line.rstrip("\n").split("\t")
            kind, aid, name = c[ix["kind"]], c[ix["attack_id"]], c[ix["name"]]
            aliases = [a for a in c[ix["aliases"]].split("|") if a]
            if kind in ("malware", "tool"):
                label = "SOFTWARE"
            elif kind == "campaign":
                label = "CAMPAIGN"
            else:
                continue
            main = clean(name)
            if main is None:
                continue
            it = col.item(label, main)
            if aid and not it.attack:
                it.attack = aid
            it.add([clean(a) for a in [name] + aliases], kind, "mitre-attack")


def read_misp(folder, cluster, kind, col):
    with open(os.path.join(folder, cluster + ".json"), encoding="utf-8") as f:
        values = json.load(f)["values"]
    for v in sorted(values, key=lambda v: v["uuid"]):
        meta = v.get("meta", {})
        main = clean(v.get("value"))
        if main is None:
            continue
        names = [main] + [clean(s) for s in meta.get("synonyms", []) or []]
        k = kind
        if cluster == "tidal-software":
            types = meta.get("type") or []
            k = "malware" if "malware" in types else "tool"
        if cluster == "ransomware":
            # "Vortex Ransomware": the family is also named without the word
            bare = [re.sub(r"\s*ransomware$", "", n, flags=re.I) for n in names if n]
            names += [clean(b) for b in bare]
        # ATT&CK ids come from mitre-cti alone (Tidal's S3xxx are its own)
        col.item("SOFTWARE", main).add(names, k, cluster)


def read_misp_campaigns(folder, col):
    with open(os.path.join(folder, "tidal-campaigns.json"), encoding="utf-8") as f:
        values = json.load(f)["values"]
    for v in sorted(values, key=lambda v: v["uuid"]):
        main = clean(v.get("value"))
        # long descriptive titles ("Iranian APT Targeting U.S. Voter Data")
        # are not names anyone writes in running text
        if main is None or len(main.split()) > 5 or re.search(r"\d{4}|CVE-", main):
            continue
        col.item("CAMPAIGN", main).add([main], "campaign", "tidal-campaigns")


def collect(misp_dir, attack_tsv, fold):
    """Every SOFTWARE and CAMPAIGN item of the sources, in a stable order."""
    col = Collection(fold)
    read_attack(attack_tsv, col)
    for cluster, kind in MISP_SOFTWARE:
        read_misp(misp_dir, cluster, kind, col)
    read_misp_campaigns(misp_dir, col)
    return col


def is_operation(name):
    return bool(OPERATION.match(name))
