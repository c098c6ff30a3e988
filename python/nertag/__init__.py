"""nertag: named-entity tagging of French and English news.

    import nertag
    model = nertag.Model()              # the default data folder
    doc = model.tag("Le porte-parole du ministère chinois, Mao Ning, a dit…")
    for e in doc.ents:
        print(e.start_char, e.end_char, e.label_, e.text, e.canonical, e.for_)
    for doc in model.pipe(texts, n_threads=4):   # in input order
        ...

A Model is loaded once, never changes, and may be used from any number of
threads at once; tagging runs in C without the GIL.  Errors are
nertag.Error (a ValueError) with code, offset, char_offset, file, line and
column.
"""

import os
import warnings
from itertools import islice

from . import _nertag
from ._nertag import Error, LABELS, VERSION

__all__ = ["Model", "Doc", "Span", "Error", "LABELS", "VERSION"]
__version__ = VERSION


def default_data():
    """The data folder and compiled model a Model uses when none is given.

    As the command chooses them: $NERTAG_DATA, else the source tree when
    this package is the one of the build tree (with the build tree's
    compiled model), else the installed data folder.  Returns (folder,
    compiled model or None: the folder's own models/nertag.model).
    """
    env = os.environ.get("NERTAG_DATA")
    data = env or None
    build = _nertag.ABS_TOP_BUILDDIR
    here = os.path.realpath(_nertag.__file__)
    in_build_tree = here.startswith(os.path.join(build, ""))
    if data is None:
        data = _nertag.ABS_TOP_SRCDIR if in_build_tree else _nertag.PKGDATADIR
    compiled = None
    if in_build_tree and os.path.realpath(data) == os.path.realpath(
            _nertag.ABS_TOP_SRCDIR):
        compiled = os.path.join(build, "nertag.model")
        if not os.access(compiled, os.R_OK):
            compiled = None
    return data, compiled


class Span(_nertag.Span):
    """A mention: start_char, end_char (code points, end exclusive, so that
    doc.text[start_char:end_char] == text), start_byte, end_byte (UTF-8),
    text, label_, canonical, id, source, for_ (whom a SPOKESPERSON speaks
    for, or '')."""

    __slots__ = ()

    def to_dict(self):
        """The entity as the command writes it in JSON Lines."""
        d = {"start": self.start_char, "end": self.end_char,
             "bstart": self.start_byte, "bend": self.end_byte,
             "text": self.text, "type": self.label_,
             "canonical": self.canonical, "id": self.id,
             "source": self.source}
        if self.label_ == "SPOKESPERSON":
            d["for"] = self.for_
        return d

    def __repr__(self):
        return "<Span %d:%d %s %r -> %r>" % (
            self.start_char, self.end_char, self.label_, self.text,
            self.canonical)


class Doc(_nertag.Doc):
    """A tagged document: text, lang ('fr' or 'en'), id (from pipe's input,
    else None) and ents, its mentions in text order; len(doc) and
    iterating over doc go over ents."""

    __slots__ = ()

    def to_dict(self):
        """The document as the command writes it in JSON Lines: id (when
        there is one), text, lang and entities."""
        d = {} if self.id is None else {"id": self.id}
        d["text"] = self.text
        d["lang"] = self.lang
        d["entities"] = [e.to_dict() for e in self.ents]
        return d

    def to_html(self, page=True):
        """A standalone HTML page showing the text with each mention
        marked and its type written beside it (page=False: the fragment
        alone, for a page of your own)."""
        from .html import render
        return render([self], page=page)

    def _repr_html_(self):
        return self.to_html(page=False)

    def __repr__(self):
        head = self.text if len(self.text) <= 40 else self.text[:39] + "…"
        return "<Doc %s, %d mentions: %r>" % (self.lang, len(self), head)


_nertag._set_classes(Doc, Span)


class Model(_nertag.Model):
    """Model(data=None, extra=[]): the gazetteers and rules of a data
    folder, loaded once.

    data: the data folder (see default_data() when None).  extra: more data
    folders laid over it, in order: each adds its language, gazetteer and
    rule files, replaces the files of the same name and the gazetteer
    entries of the same id and label (a layered model is read from its
    sources).  The model never changes after loading; tag() and pipe() may
    be called from any thread.
    """

    __slots__ = ("data",)

    def __init__(self, data=None, extra=()):
        compiled = None
        if data is None:
            data, compiled = default_data()
        data = os.fspath(data)
        layers = [os.fspath(e) for e in extra]
        if compiled is None:
            super().__init__(data, layers=layers)
        else:
            super().__init__(data, compiled, layers=layers)
        self.data = data
        origin = self.stats()["origin"]
        if origin in ("stale compiled", "bad compiled"):
            warnings.warn(
                "the compiled model of %s is %s; its sources were read "
                "instead ('nertag compile' writes a new one)"
                % (data, "older than its sources" if origin == "stale compiled"
                   else "unusable"), stacklevel=2)

    def pipe(self, docs, n_threads=1, batch_size=64, lang=None,
             replace_invalid=False):
        """Tags an iterable of documents and yields a Doc for each, in
        input order.

        Each document is a str, bytes (UTF-8), or a dict with "text" and
        optionally "id" (kept as doc.id) and "lang".  n_threads C threads
        (0: one per processor) tag batches of batch_size documents without
        the GIL; the input is read a few batches ahead of the output, so
        memory stays bounded for an endless iterable.  lang is the language
        of documents that do not give one (None: detected).  A document
        that cannot be tagged raises its error in its place, after the
        Docs before it.
        """
        if n_threads == 0:
            n_threads = len(os.sched_getaffinity(0)) \
                if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
        if n_threads < 1:
            raise ValueError("n_threads must be 0 or more")
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        return self._pipe(docs, n_threads, batch_size, lang, replace_invalid)

    def _pipe(self, docs, n_threads, batch_size, lang, replace_invalid):
        pool = _nertag.Pool(self, n_threads, lang, replace_invalid)
        try:
            batches = _batches(iter(docs), batch_size)
            pending = 0
            for batch in islice(batches, 2):
                pool.submit(batch)
                pending += 1
            while pending:
                out, error = pool.collect()
                pending -= 1
                # two batches are tagged while the caller uses this one
                batch = next(batches, None)
                if batch is not None:
                    pool.submit(batch)
                    pending += 1
                yield from out
                if error is not None:
                    raise error
        finally:
            pool.close()


def _batches(it, size):
    """Lists of size items of the iterator it (the last one shorter)."""
    while True:
        batch = list(islice(it, size))
        if not batch:
            return
        yield batch
