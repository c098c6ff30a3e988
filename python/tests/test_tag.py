"""Model.tag: the same mentions as the command, offsets as Python counts
them, one model shared by threads, the default data folder."""

import os
import pickle
from concurrent.futures import ThreadPoolExecutor

import pytest

import nertag
from conftest import BUILDDIR, SRCDIR, read, run_command, sentences


@pytest.mark.parametrize("name", ["seed-fr.txt", "seed-en.txt"])
def test_founding_articles_as_the_command(model, name):
    [expected] = run_command(str(SRCDIR / "tests" / "data" / name))
    doc = model.tag(read(name))
    assert doc.lang == expected["lang"]
    assert len(expected["entities"]) > 20
    assert [e.to_dict() for e in doc.ents] == expected["entities"]


def test_founding_article_mentions(model):
    doc = model.tag(read("seed-fr.txt"))
    mao = [e for e in doc if e.text == "Mao Ning"][0]
    assert mao.label_ == "SPOKESPERSON"
    assert mao.for_ == "Ministry of Foreign Affairs (China)"
    assert mao.canonical == "Mao Ning"
    # sources name data files relative to the data folder
    assert all(str(SRCDIR) not in e.source for e in doc.ents)
    assert any(e.source.startswith("gazetteer gazetteers/") for e in doc.ents)
    assert any("(models/fr.rules:" in e.source for e in doc.ents)
    groups = {e.canonical for e in doc.ents if e.label_ == "GROUP"}
    assert "Volt Typhoon" in groups


def check_offsets(doc):
    utf8 = doc.text.encode("utf-8")
    for e in doc.ents:
        assert doc.text[e.start_char:e.end_char] == e.text
        assert utf8[e.start_byte:e.end_byte].decode("utf-8") == e.text


def test_offsets_count_code_points(model):
    text = read("seed-fr.txt")
    doc = model.tag(text)
    check_offsets(doc)
    # characters outside the BMP count one, as in Python (not two, as in
    # UTF-16), and four bytes
    prefix = "🙂 𝔘 "
    shifted = model.tag(prefix + text)
    check_offsets(shifted)
    assert [(e.label_, e.text, e.canonical) for e in shifted.ents] == \
        [(e.label_, e.text, e.canonical) for e in doc.ents]
    for a, b in zip(doc.ents, shifted.ents):
        assert b.start_char - a.start_char == len(prefix) == 4
        assert b.start_byte - a.start_byte == len(prefix.encode()) == 10


def test_bytes_are_utf8(model):
    text = read("seed-fr.txt")
    a, b = model.tag(text), model.tag(text.encode("utf-8"))
    assert b.text == text
    assert a.to_dict() == b.to_dict()


def test_doc_len_iteration_lang(model):
    doc = model.tag("The Chinese government and Microsoft Corp warned Canada.")
    assert doc.lang == "en"
    assert len(doc) == len(doc.ents) >= 2
    assert list(doc) == list(doc.ents)
    assert "Canada" in [e.text for e in doc if e.label_ == "STATE"]
    assert doc.id is None
    assert model.tag("Le Canada", lang="en").lang == "en"
    assert model.tag("").ents == ()


def test_docs_are_read_only_and_pickle(model):
    doc = model.tag(read("seed-en.txt"))
    with pytest.raises(AttributeError):
        doc.text = "x"
    with pytest.raises(AttributeError):
        doc.ents[0].label_ = "ORG"
    copy = pickle.loads(pickle.dumps(doc))
    assert type(copy) is nertag.Doc and type(copy.ents[0]) is nertag.Span
    assert copy.to_dict() == doc.to_dict()


def test_one_model_many_threads(model):
    texts = sentences() + [read("seed-fr.txt"), read("seed-en.txt")]
    expected = [model.tag(t).to_dict() for t in texts]

    def tag_all(k):
        # each thread walks the texts from another starting point
        order = texts[k:] + texts[:k]
        return [model.tag(t).to_dict() for t in order]

    with ThreadPoolExecutor(max_workers=8) as ex:
        results = list(ex.map(tag_all, range(16)))
    for k, got in enumerate(results):
        assert got == expected[k:] + expected[:k]


def test_default_data_folder(monkeypatch):
    monkeypatch.delenv("NERTAG_DATA", raising=False)
    data, compiled = nertag.default_data()
    # this package is the build tree's: its source tree and compiled model
    assert os.path.realpath(data) == os.path.realpath(SRCDIR)
    assert compiled == os.path.join(str(BUILDDIR), "nertag.model")
    assert nertag.Model().stats()["origin"] == "compiled"
    monkeypatch.setenv("NERTAG_DATA", "/nowhere/nertag")
    assert nertag.default_data() == ("/nowhere/nertag", None)


def test_data_folder_given(model):
    # the sources of the tree (no compiled model there): the same mentions
    m = nertag.Model(SRCDIR)
    assert m.stats()["origin"] == "sources"
    assert m.stats()["entries"] == model.stats()["entries"] > 1000
    text = read("seed-fr.txt")
    assert m.tag(text).to_dict() == model.tag(text).to_dict()


def test_extra_folders_are_laid_over(tmp_path):
    """A folder laid over the data adds its entries; one of the same id and
    label replaces the data's."""
    (tmp_path / "gazetteers").mkdir()
    (tmp_path / "models").mkdir()
    (tmp_path / "gazetteers" / "mine.tsv").write_text(
        "id\tlabel\tcanonical\taliases\n"
        "x:zed\tLOC\tZedland\tZedland\n"
        "org:nato\tORG\tNorth Atlantic Treaty Organization\tNATO\n",
        encoding="utf-8")
    model = nertag.Model(extra=[tmp_path])
    doc = model.tag("NATO met in Zedland on Monday.", lang="en")
    assert [(e.text, e.label_, e.canonical) for e in doc.ents] == [
        ("NATO", "ORG", "North Atlantic Treaty Organization"),
        ("Zedland", "LOC", "Zedland")]