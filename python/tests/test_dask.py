"""nertag.dask.tag_bag on a distributed LocalCluster of two worker
processes: the same Docs, in the same order, as one process, with one
model load per worker.  Skipped when distributed is not installed.

NERTAG_DASK_WORKERS sets the number of workers (default 2); the time of
the tagging is printed (pytest -s shows it)."""

import os
import time

import pytest

import nertag
from conftest import sentences

distributed = pytest.importorskip("distributed")
db = pytest.importorskip("dask.bag")

import nertag.dask  # noqa: E402

# Debian's distributed 2022.12 with its tornado
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def documents():
    # the founding articles' sentences, repeated: 20,000 short documents
    docs = []
    for i in range(1000):
        for j, s in enumerate(sentences()):
            docs.append({"id": "%d-%d" % (i, j), "text": s})
    return docs


def test_tag_bag_on_two_worker_processes(model):
    docs = documents()
    expected = [d.to_dict() for d in model.pipe(docs)]
    n_workers = int(os.environ.get("NERTAG_DASK_WORKERS", "2"))
    with distributed.LocalCluster(n_workers=n_workers, processes=True,
                                  threads_per_worker=1,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        bag = db.from_sequence(docs, npartitions=16)
        assert bag.npartitions == 16
        start = time.perf_counter()
        tagged = nertag.dask.tag_bag(bag).compute()
        elapsed = time.perf_counter() - start
        print("\ntag_bag: %d documents, %d partitions, %d workers: %.2f s"
              % (len(docs), bag.npartitions, n_workers, elapsed))
        # the workers are other processes, each with one model
        loads = client.run(nertag.dask.loaded)
        pids = client.run(os.getpid)
    assert all(type(d) is nertag.Doc for d in tagged)
    assert [d.to_dict() for d in tagged] == expected
    # one model per worker that had work, kept from task to task
    assert len(loads) == n_workers
    assert all(v in ([None], []) for v in loads.values())
    assert sum(len(v) for v in loads.values()) >= 1
    assert os.getpid() not in pids.values()
    assert len(set(pids.values())) == n_workers
