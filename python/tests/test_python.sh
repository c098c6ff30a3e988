#!/bin/sh
# The Python package: its pytest tests (python/tests) on the build tree's
# package, then the package as make install puts it, imported from the
# Python site folder under a temporary root.
#
# Skipped (exit 77) when there is no Python 3, when the package was not
# built (configure found no Python headers: Debian python3-dev) or when
# pytest is missing (Debian python3-pytest).  The Dask test inside skips
# itself without distributed (Debian python3-distributed).
set -u

builddir=${abs_top_builddir:-$(pwd)}
srcdir=${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
PYTHON=${PYTHON:-python3}
MAKE=${MAKE:-make}

if [ "$PYTHON" = : ] || ! command -v "$PYTHON" >/dev/null 2>&1; then
    echo "SKIP: no Python 3"
    exit 77
fi
module="$builddir/python/nertag/_nertag.so"
if [ ! -f "$module" ]; then
    echo "SKIP: the Python package is not built (no Python 3 headers: Debian python3-dev)"
    exit 77
fi
"$PYTHON" -c 'import pytest' 2>/dev/null || {
    echo "SKIP: no pytest for $PYTHON (Debian python3-pytest)"
    exit 77
}

# A module built with AddressSanitizer (make check-sanitize) needs its
# runtime loaded first; Python's own memory at exit is not a leak of ours.
if ldd "$module" 2>/dev/null | grep -q libasan; then
    preload=""
    for lib in libasan.so libubsan.so; do
        path=$(${CC:-gcc} -print-file-name="$lib" 2>/dev/null)
        [ -f "$path" ] && preload="$preload $path"
    done
    export LD_PRELOAD="${preload# }"
    export ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0"
fi

export PYTHONPATH="$builddir/python${PYTHONPATH:+:$PYTHONPATH}"
export PYTHONDONTWRITEBYTECODE=1
failures=0
"$PYTHON" -m pytest -p no:cacheprovider -v -rs "$srcdir/python/tests" ||
    failures=1

# The installed package: the module and Python files alone, under a
# temporary root; outside the build tree its default data folder is the
# installed one.
root=$(mktemp -d /tmp/nertag-python-XXXXXX)
trap 'rm -rf "$root"' EXIT
unset MAKEFLAGS MFLAGS MAKELEVEL
if ! $MAKE -C "$builddir" install-nertagpyPYTHON install-nertagpyLTLIBRARIES \
        DESTDIR="$root" >"$root/install.log" 2>&1; then
    cat "$root/install.log"
    echo "FAIL: installing the Python package"
    exit 1
fi
init=$(find "$root" -path '*/nertag/__init__.py' | head -n 1)
if [ -z "$init" ] || [ ! -f "${init%/*}/_nertag.so" ]; then
    echo "FAIL: the package is not installed as nertag/ with _nertag.so"
    exit 1
fi
site=${init%/nertag/__init__.py}
echo "installed in ${site#"$root"}"
PYTHONPATH="$site" NERTAG_DATA= "$PYTHON" - "$root" "$srcdir" <<'EOF' ||
import os, sys
root, srcdir = sys.argv[1], sys.argv[2]
import nertag
assert nertag.__file__.startswith(root), nertag.__file__
data, compiled = nertag.default_data()
assert (data, compiled) == (nertag._nertag.PKGDATADIR, None), (data, compiled)
with open(os.path.join(srcdir, "tests", "data", "seed-fr.txt")) as f:
    doc = nertag.Model(srcdir).tag(f.read())
assert len(doc) > 20
assert "SPOKESPERSON" in [e.label_ for e in doc if e.text == "Mao Ning"]
print("the installed package tags:", doc)
EOF
    failures=1

exit $failures
