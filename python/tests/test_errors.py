"""Errors: nertag.Error (a ValueError) with the library's code and
offsets, never a crash: lone surrogates, invalid UTF-8, NUL, bad
arguments, bad data folders, and errors in their place in pipe."""

import shutil

import pytest

import nertag
from conftest import SRCDIR


def test_error_is_a_value_error():
    assert issubclass(nertag.Error, ValueError)


def test_lone_surrogate(model):
    text = "Le Canada \ud800 et la France"
    with pytest.raises(nertag.Error) as info:
        model.tag(text)
    e = info.value
    assert e.code == "utf8"
    assert e.offset == len("Le Canada ".encode()) == 10
    assert e.char_offset == 10 and text[e.char_offset] == "\ud800"
    assert e.file is None and e.line is None
    assert "U+D800" in str(e) and str(e).startswith("byte 10: ")
    # after a multi-byte character, the byte and character offsets differ
    with pytest.raises(nertag.Error) as info:
        model.tag("Élysée \udfff")
    assert (info.value.offset, info.value.char_offset) == (9, 7)


def test_lone_surrogate_replaced(model):
    text = "Le Canada \ud800 et la France"
    doc = model.tag(text, replace_invalid=True)
    assert doc.text == text.replace("\ud800", "\ufffd")
    assert [(e.text, e.start_char) for e in doc] == \
        [("Canada", 3), ("France", text.index("France"))]
    assert doc.ents[1].start_byte == len("Le Canada \ufffd et la ".encode())


def test_invalid_utf8_bytes(model):
    with pytest.raises(nertag.Error) as info:
        model.tag(b"Le Canada \xc3\x28 et la France")
    e = info.value
    assert (e.code, e.offset, e.char_offset) == ("utf8", 10, None)
    assert e.reason == "invalid UTF-8"
    doc = model.tag(b"Le Canada \xc3\x28 et la France", replace_invalid=True)
    assert doc.text == "Le Canada \ufffd( et la France"
    assert [e.text for e in doc] == ["Canada", "France"]


def test_nul_character(model):
    with pytest.raises(nertag.Error) as info:
        model.tag("Le Canada\x00 et la France")
    assert (info.value.code, info.value.offset, info.value.char_offset) == \
        ("utf8", 9, 9)


def test_bad_arguments(model):
    with pytest.raises(nertag.Error) as info:
        model.tag("Le Canada", lang="xx")
    assert info.value.code == "argument"
    with pytest.raises(TypeError):
        model.tag("Le Canada", lang=3)
    with pytest.raises(TypeError):
        model.tag(42)
    with pytest.raises(TypeError):
        model.tag(["Le Canada"])
    with pytest.raises(RuntimeError):
        model.__init__(str(SRCDIR))    # loaded once


def test_missing_data_folder(tmp_path):
    with pytest.raises(nertag.Error) as info:
        nertag.Model(tmp_path / "none")
    assert info.value.code == "io"
    assert info.value.file.endswith("none/models")


def test_syntax_error_in_data(tmp_path):
    shutil.copytree(SRCDIR / "models", tmp_path / "models")
    (tmp_path / "gazetteers").mkdir()
    (tmp_path / "gazetteers" / "small.tsv").write_text(
        "id\tlabel\tcanonical\taliases\n"
        "CA\tSTATE\tCanada\tCanada\n"
        "a line without its fields\n", encoding="utf-8")
    with pytest.raises(nertag.Error) as info:
        nertag.Model(tmp_path)
    e = info.value
    assert e.code == "syntax"
    assert e.file == str(tmp_path / "gazetteers" / "small.tsv")
    assert e.line == 3
    assert str(e).startswith(e.file + ":3:")
    # without the bad line the folder loads and tags with what it has
    (tmp_path / "gazetteers" / "small.tsv").write_text(
        "id\tlabel\tcanonical\taliases\nCA\tSTATE\tCanada\tCanada\n",
        encoding="utf-8")
    doc = nertag.Model(tmp_path).tag("Le Canada et la France")
    assert [e.text for e in doc] == ["Canada"]


def test_error_in_its_place_in_pipe(model):
    docs = ["Le Canada", "La France", "x \ud800", "Le Japon"]
    stream = model.pipe(docs, n_threads=2, batch_size=2)
    assert [d.text for d in (next(stream), next(stream))] == docs[:2]
    with pytest.raises(nertag.Error) as info:
        next(stream)
    assert (info.value.offset, info.value.char_offset) == (2, 2)
    # replaced, every document comes back
    got = list(model.pipe(docs, replace_invalid=True))
    assert [d.text for d in got] == ["Le Canada", "La France", "x \ufffd",
                                     "Le Japon"]


@pytest.mark.parametrize("bad,error", [
    ({"id": 1}, KeyError),
    (3.5, TypeError),
    ({"text": "Le Canada", "lang": 2}, TypeError),
    ({"text": "Le Canada", "lang": "xx"}, nertag.Error),
    (b"\xff", nertag.Error),
])
def test_bad_inputs_in_pipe(model, bad, error):
    stream = model.pipe(["Le Canada", bad, "La France"], n_threads=2)
    assert next(stream).text == "Le Canada"
    with pytest.raises(error):
        next(stream)
