"""Companies for scripts/import-actors.py: the COMPANY lines of
gazetteers/organizations.tsv."""


def company_entries(orgs, entry, alias):
    """COMPANY lines: the [ambiguous] aliases of companies (kind=company),
    without that flag.  COMPANY is no output type: models/trade.rules makes
    an ORG of such a name where the text says company ("Apple said", « le
    groupe Orange »), so that the name of a club, a university or a person
    that looks the same ("Brown said", "Paris settled") is not taken for a
    company by those rules."""
    out = []
    for e in orgs:
        if e.attrs.get("kind") != "company":
            continue
        aliases = [alias(a.text, a.flags - {"ambiguous"}) for a in e.aliases if "ambiguous" in a.flags]
        if not aliases:
            continue
        c = entry(e.id, "COMPANY", e.canonical)
        c.aliases = aliases
        c.attrs = e.attrs
        out.append(c)
    return out
