"""Tagging a dask.bag of documents, on one machine or a distributed cluster.

    import dask.bag as db
    from distributed import Client
    import nertag.dask

    client = Client("scheduler:8786")           # or Client() for local
    docs = db.read_text("docs-*.jsonl").map(json.loads)
    tagged = nertag.dask.tag_bag(docs)           # a bag of nertag.Doc
    tagged.map(lambda d: json.dumps(d.to_dict())).to_textfiles("out-*.jsonl")

Every worker process loads the model once, the first time one of its tasks
needs it, and keeps it for the following tasks (a module-level cache keyed
by data folder).  Each worker needs the package and the data folder at the
same place (or $NERTAG_DATA set there).  Docs keep the order of the bag.
"""

import threading

from . import Model

# The models of this process, by data folder (None: the default one).
_models = {}
_lock = threading.Lock()


def model(data=None):
    """The model of data in this process, loaded on first use."""
    with _lock:
        m = _models.get(data)
        if m is None:
            m = _models[data] = Model(data)
        return m


def loaded():
    """The data folders whose model this process loaded (for checks: run it
    on every worker with Client.run)."""
    with _lock:
        return list(_models)


def tag_partition(docs, data=None, lang=None, replace_invalid=False):
    """The Docs of one partition, tagged with this process's model."""
    return list(model(data).pipe(docs, n_threads=1, lang=lang,
                                 replace_invalid=replace_invalid))


def tag_bag(bag, data=None, lang=None, replace_invalid=False):
    """A bag of nertag.Doc, one for each document of bag (str, bytes, or
    dicts with "text" and optionally "id" and "lang"), in the same order.

    data: the data folder on the workers (None: their default).  lang: the
    language of documents that do not give one (None: detected).  A
    document that cannot be tagged fails its task with nertag.Error;
    replace_invalid=True tags lone surrogates and invalid UTF-8 as U+FFFD.
    """
    return bag.map_partitions(tag_partition, data, lang, replace_invalid)
