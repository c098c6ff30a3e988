#!/usr/bin/env python3
"""code-report.py - the shape of the C code: which object file calls into
which, the circles among them, and the largest files and functions.

    make && python3 scripts/code-report.py [--top N] [FOLDER...]

FOLDER (default: src) holds the sources and, after make, the object files
(a VPATH build: give the build tree's src too).  The calls are read from
the symbols each object file defines and needs (nm), so they are exact for
functions and global data; a circle is a set of files that all reach each
other.  Function sizes count the lines from the opening to the closing
brace of each function defined at the start of a line.
"""
import argparse
import os
import re
import subprocess
import sys
from collections import defaultdict

PREFIXES = ("libnertag_core_la-", "libnertag_tools_la-", "src_nertag-")


def unit_name(path, roots):
    rel = path
    for r in roots:
        r = r.rstrip("/")
        if path.startswith(r + "/"):
            rel = path[len(r) + 1:]
    folder, name = os.path.split(rel)
    for p in PREFIXES:
        if name.startswith(p):
            name = name[len(p):]
    return os.path.join(folder, name[:-2])


def symbols(path, flags):
    out = subprocess.run(["nm"] + flags + [path], capture_output=True,
                         text=True, check=True).stdout
    return [line.split()[-1] for line in out.splitlines() if line.strip()]


def call_graph(roots):
    objs = sorted(os.path.join(d, f) for r in roots for d, _, fs in os.walk(r)
                  for f in fs if f.endswith(".o") and "/.libs" not in d
                  and not f.startswith("tests_"))
    defs, uses = {}, defaultdict(set)
    for o in objs:
        for s in symbols(o, ["-g", "--defined-only"]):
            defs[s] = unit_name(o, roots)
    for o in objs:
        n = unit_name(o, roots)
        for s in symbols(o, ["-u"]):
            if s in defs and defs[s] != n:
                uses[n].add(defs[s])
    return sorted({unit_name(o, roots) for o in objs}), uses


def circles(nodes, uses):
    """Strongly connected components of more than one file (Tarjan)."""
    index, low, stack, on, found = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(uses[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in nodes:
        if v not in index:
            visit(v)
    return found


def function_sizes(roots):
    rows = []
    for r in roots:
        for d, _, fs in os.walk(r):
            for f in sorted(fs):
                if not f.endswith(".c"):
                    continue
                path = os.path.join(d, f)
                with open(path, encoding="utf-8") as fh:
                    lines = fh.read().split("\n")
                start = name = None
                for i, line in enumerate(lines):
                    if line == "{" and start is None:
                        j = i - 1
                        while j >= 0 and "(" not in lines[j]:
                            j -= 1
                        m = re.search(r"(\w+)\s*\(", lines[j]) if j >= 0 else None
                        name, start = (m.group(1) if m else "?"), i
                    elif line.startswith("}") and start is not None:
                        rows.append((i - start + 1, path, name))
                        start = None
    return sorted(rows, reverse=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--top", type=int, default=10)
    ap.add_argument("folders", nargs="*", default=["src"])
    a = ap.parse_args()
    nodes, uses = call_graph(a.folders)
    if not nodes:
        sys.exit("no object files under %s: run make first" % " ".join(a.folders))
    print("calls between object files (file -> the files it calls):")
    for n in nodes:
        if uses[n]:
            print("  %s -> %s" % (n, " ".join(sorted(uses[n]))))
    found = circles(nodes, uses)
    print("circles: %d" % len(found))
    for c in found:
        print("  " + ", ".join(c))
    sizes = []
    for r in a.folders:
        for d, _, fs in os.walk(r):
            for f in fs:
                if f.endswith((".c", ".h")):
                    p = os.path.join(d, f)
                    with open(p, encoding="utf-8") as fh:
                        sizes.append((sum(1 for _ in fh), p))
    print("largest files (lines):")
    for n, p in sorted(sizes, reverse=True)[:a.top]:
        print("  %5d  %s" % (n, p))
    rows = function_sizes(a.folders)
    print("largest functions (lines), of %d:" % len(rows))
    for n, p, name in rows[:a.top]:
        print("  %5d  %s: %s" % (n, p, name))


if __name__ == "__main__":
    main()
