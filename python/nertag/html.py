"""HTML views of tagged documents, in the manner of displaCy: each mention
marked in the text with its type written beside it, and its canonical
name, id, whom a spokesperson speaks for and its source in a tooltip.
Nothing is fetched: the style is inline.
"""

from html import escape

# One colour per type, those of the command's --output html: the mark is
# a light tint of it, the label and the underline the colour itself.
COLOURS = {
    "STATE": "#1d5fd1",
    "ORG": "#1b8a3a",
    "GROUP": "#8b3fc7",
    "SPOKESPERSON": "#c35a00",
    "PERSON": "#a08000",
    "LOC": "#0f8a8a",
}


def _tint(colour, amount=0.16):
    rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    return "#%02x%02x%02x" % tuple(round(amount * c + (1 - amount) * 255)
                                   for c in rgb)


STYLE = """
.nertag { font: 17px/2.3 system-ui, sans-serif; max-width: 52em;
  color: #1a1a1a; }
.nertag .doc { white-space: pre-wrap; overflow-wrap: break-word;
  margin: 0 0 2em 0; }
.nertag .doc-id { font-weight: bold; font-size: 0.85em; color: #555; }
.nertag mark { padding: 0.15em 0.35em; margin: 0 0.1em; border-radius: 0.3em;
  line-height: 1; color: inherit; border-bottom: 3px solid; }
.nertag mark .label { font-weight: bold; font-size: 0.65em;
  margin-left: 0.45em; vertical-align: middle; }
""" + "".join(
    ".nertag mark.%s { background: %s; border-bottom-color: %s; }\n"
    ".nertag mark.%s .label { color: %s; }\n"
    % (t, _tint(c), c, t, c) for t, c in COLOURS.items())


def _tooltip(e):
    lines = [e.canonical + (" (%s)" % e.id if e.id else "")]
    if e.for_:
        lines.append("for " + e.for_)
    lines.append(e.source)
    return "\n".join(lines)


def _doc_html(doc):
    out = []
    if doc.id is not None:
        out.append('<div class="doc-id">%s</div>' % escape(str(doc.id)))
    out.append('<div class="doc" lang="%s">' % escape(doc.lang))
    at = 0
    text = doc.text
    for e in doc.ents:
        out.append(escape(text[at:e.start_char]))
        out.append('<mark class="%s" title="%s">%s<span class="label">%s'
                   '</span></mark>' % (e.label_, escape(_tooltip(e)),
                                       escape(e.text), e.label_))
        at = e.end_char
    out.append(escape(text[at:]))
    out.append("</div>")
    return "".join(out)


def render(docs, page=True):
    """HTML of an iterable of Docs: a standalone page, or (page=False) a
    fragment that carries its own style."""
    body = '<div class="nertag"><style>%s</style>\n%s\n</div>' % (
        STYLE, "\n".join(_doc_html(d) for d in docs))
    if not page:
        return body
    return ('<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
            '<title>nertag</title>\n</head>\n<body>\n%s\n</body>\n</html>\n'
            % body)
