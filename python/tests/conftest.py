"""What the tests of the Python package share: the folders of the tree,
the command, one model for the session, and texts from tests/data."""

import json
import os
import pathlib
import re
import subprocess

import pytest

import nertag

HERE = pathlib.Path(__file__).resolve().parent
SRCDIR = pathlib.Path(os.environ.get("abs_top_srcdir") or HERE.parent.parent)
BUILDDIR = pathlib.Path(os.environ.get("abs_top_builddir") or SRCDIR)
DATA = SRCDIR / "tests" / "data"


def read(name):
    return (DATA / name).read_text(encoding="utf-8")


def run_command(*args, stdin=None):
    """The command's JSON Lines output, one object per document."""
    out = subprocess.run([str(BUILDDIR / "src" / "nertag"), *args],
                         input=stdin, capture_output=True, check=True)
    return [json.loads(line) for line in out.stdout.decode().splitlines()]


def sentences():
    """The sentences of the founding articles, French and English: short
    documents of both languages, some without mentions."""
    out = []
    for name in ("seed-fr.txt", "seed-en.txt"):
        for line in read(name).splitlines():
            out += [s for s in re.split(r"(?<=[.!?])\s+", line) if s.strip()]
    return out


@pytest.fixture(scope="session")
def model():
    return nertag.Model()
