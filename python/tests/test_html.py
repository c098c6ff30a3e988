"""Doc.to_html: a standalone page, every mention marked with its type
written beside it, the text escaped and otherwise unchanged."""

import html
import re

from conftest import read


def test_founding_article_page(model):
    doc = model.tag(read("seed-fr.txt"))
    page = doc.to_html()
    assert page.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in page
    # standalone: nothing fetched
    assert not re.search(r"(src|href)=|https?:|@import|<script", page)
    marks = re.findall(r'<mark class="(\w+)" title="([^"]*)">([^<]*)'
                       r'<span class="label">(\w+)</span></mark>', page)
    assert len(marks) == len(doc) > 20
    for (cls, title, text, label), e in zip(marks, doc.ents):
        # the type is written beside the mention, and its class colours it
        assert cls == label == e.label_
        assert html.unescape(text) == e.text
        assert e.canonical in html.unescape(title)
        assert e.source in html.unescape(title)
    mao = [m for m in marks if m[2] == "Mao Ning"][0]
    assert "for Ministry of Foreign Affairs (China)" in html.unescape(mao[1])


def test_text_is_kept_and_escaped(model):
    text = 'Le Canada <b>& "la France"</b>\n\nL\'Élysée a dit.'
    doc = model.tag(text)
    page = doc.to_html()
    assert "<b>" not in page and "&lt;b&gt;" in page
    body = re.search(r'<div class="doc"[^>]*>(.*?)</div>', page, re.S).group(1)
    # without the labels and the marks, the text comes back exactly
    body = re.sub(r'<span class="label">\w+</span>', "", body)
    body = re.sub(r"</?mark[^>]*>", "", body)
    assert html.unescape(body) == text


def test_fragment(model):
    doc = model.tag("Le Canada et la France")
    frag = doc.to_html(page=False)
    assert "<html" not in frag and frag.startswith('<div class="nertag">')
    assert frag.count("<mark ") == 2
    assert doc._repr_html_() == frag
