"""Model.pipe: the Docs of tag, in input order, from any thread count and
batch size; dict inputs; it streams an endless input in bounded memory."""

import itertools
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import read, sentences


def texts():
    # short and long documents of both languages, some without mentions
    return sentences() * 3 + [read("seed-fr.txt"), read("seed-en.txt")]


@pytest.mark.parametrize("n_threads,batch_size",
                         [(1, 64), (2, 1), (2, 7), (4, 16), (0, 64)])
def test_pipe_is_tag_in_order(model, n_threads, batch_size):
    docs = texts()
    expected = [model.tag(t).to_dict() for t in docs]
    got = [d.to_dict() for d in model.pipe(docs, n_threads=n_threads,
                                           batch_size=batch_size)]
    assert len(got) == len(docs) > 50
    assert got == expected


def test_pipe_dicts(model):
    docs = [{"id": i, "text": t} for i, t in enumerate(sentences())]
    docs[1]["lang"] = "en"
    docs.append({"text": "Le Canada", "lang": None})
    got = list(model.pipe(docs, n_threads=2, batch_size=5, lang="fr"))
    assert [d.id for d in got] == [d.get("id") for d in docs]
    assert [d.text for d in got] == [d["text"] for d in docs]
    # a document's lang wins over pipe's, which is the default
    assert got[1].lang == "en"
    assert {d.lang for i, d in enumerate(got) if i != 1} == {"fr"}
    assert got[1].to_dict()["entities"] == \
        model.tag(docs[1]["text"], lang="en").to_dict()["entities"]
    assert got[0].to_dict() == {"id": 0, **model.tag(docs[0]["text"],
                                                     lang="fr").to_dict()}


def test_pipe_mixed_inputs(model):
    text = read("seed-en.txt")
    got = list(model.pipe([text, text.encode(), {"text": text.encode()}]))
    assert len({repr(d.to_dict()) for d in got}) == 1


def test_pipe_streams_an_endless_input(model):
    pulled = 0

    def endless():
        nonlocal pulled
        for i in itertools.count():
            pulled += 1
            yield "Le Canada et la France, %d." % i

    stream = model.pipe(endless(), n_threads=2, batch_size=8)
    first = list(itertools.islice(stream, 100))
    assert [d.text for d in first] == \
        ["Le Canada et la France, %d." % i for i in range(100)]
    assert all(len(d) == 2 for d in first)
    # read ahead: at most the batch in hand and two more
    assert 100 <= pulled <= 100 + 3 * 8
    stream.close()


def test_pipe_empty_and_abandoned(model):
    assert list(model.pipe([])) == []
    assert list(model.pipe(iter(()), n_threads=3)) == []
    stream = model.pipe(sentences() * 10, n_threads=2, batch_size=4)
    next(stream)
    del stream   # closes the pool with batches still queued


def test_pipes_from_many_threads(model):
    docs = texts()
    expected = [model.tag(t).to_dict() for t in docs]

    def run(k):
        return [d.to_dict() for d in model.pipe(docs, n_threads=2,
                                                batch_size=3 + k)]

    with ThreadPoolExecutor(max_workers=4) as ex:
        for got in ex.map(run, range(4)):
            assert got == expected


def test_pipe_arguments(model):
    with pytest.raises(ValueError):
        model.pipe([], batch_size=0)
    with pytest.raises(ValueError):
        model.pipe([], n_threads=-1)
