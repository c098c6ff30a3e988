#!/bin/sh
# The installed library finds its data: the distribution is configured for
# a prefix of its own and installed there; examples/tag.c is built against
# it with the README's pkg-config line alone and run with no option and no
# environment variable but LD_LIBRARY_PATH, which the README names for a
# prefix the dynamic linker does not search.  The installed command and
# manual pages are there too.
#
# Skipped (exit 77) without pkg-config or a C compiler.
set -u

builddir=${abs_top_builddir:-$(pwd)}
srcdir=${abs_top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
MAKE=${MAKE:-make}
CC=${CC:-cc}
PKG_CONFIG=${PKG_CONFIG:-pkg-config}

command -v "$PKG_CONFIG" >/dev/null 2>&1 || { echo "SKIP: no pkg-config"; exit 77; }
command -v "${CC%% *}" >/dev/null 2>&1 || { echo "SKIP: no C compiler"; exit 77; }

work=$(mktemp -d /tmp/nertag-install-XXXXXX)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
failures=0
fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}
run_logged() {
    if ! "$@" >"$work/log" 2>&1; then
        tail -n 40 "$work/log"
        echo "FAIL: $*"
        exit 1
    fi
}

# a make of its own, not a job of the make that runs the tests; the same
# compiler and flags as this build (a sanitizer build stays one)
unset MAKEFLAGS MFLAGS MAKELEVEL
run_logged $MAKE -C "$builddir" distdir distdir="$work/src"
cd "$work/src" || exit 1
run_logged ./configure --quiet --prefix="$prefix" CC="$CC" \
    CFLAGS="${CFLAGS:-}" LDFLAGS="${LDFLAGS:-}" PYTHON=:
run_logged $MAKE -j2 install

# the README's line, with the prefix's pkg-config file
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
# shellcheck disable=SC2046,SC2086
$CC ${CFLAGS:-} -o "$work/tag" "$srcdir/examples/tag.c" \
    $("$PKG_CONFIG" --cflags --libs nertag) ${LDFLAGS:-} ||
    fail "examples/tag.c does not build"

if [ -x "$work/tag" ]; then
    unset NERTAG_DATA
    LD_LIBRARY_PATH="$prefix/lib" ldd "$work/tag" | grep -q "$prefix/lib" ||
        fail "tag is not linked with the installed library"
    LD_LIBRARY_PATH="$prefix/lib" "$work/tag" \
        <"$srcdir/examples/seed-en.txt" >"$work/out.txt"
    [ "$?" -eq 0 ] || fail "tag failed"
    cat "$work/out.txt"
    expect() {
        grep -Fq -- "$1" "$work/out.txt" || fail "tag did not print: $1"
    }
    tab=$(printf '\t')
    expect "# en, 27 mentions"
    expect "17-35${tab}STATE${tab}Chinese government${tab}China"
    expect "SPOKESPERSON${tab}Mao Ning${tab}Mao Ning${tab}for Ministry of Foreign Affairs (China)"
    expect "GROUP${tab}Bronze Silhouette${tab}Volt Typhoon"
    # arguments are documents too
    LD_LIBRARY_PATH="$prefix/lib" "$work/tag" "Le Canada" >"$work/arg.txt"
    grep -q "STATE${tab}Canada${tab}Canada" "$work/arg.txt" ||
        fail "tag did not tag its argument"
fi

# the command, its data (found without --data) and the manual pages
LD_LIBRARY_PATH="$prefix/lib" "$prefix/bin/nertag" --output text \
    "$srcdir/examples/seed-en.txt" |
    grep -q '\[Mao Ning\]{SPOKESPERSON' || fail "the installed nertag does not tag"
[ -f "$prefix/share/nertag/models/nertag.model" ] ||
    fail "the compiled model is not installed"
[ -f "$prefix/share/man/man1/nertag.1" ] || fail "nertag.1 not installed"
[ -f "$prefix/share/man/man3/libnertag.3" ] || fail "libnertag.3 not installed"
[ -f "$prefix/include/nertag.h" ] || fail "nertag.h not installed"

[ "$failures" -eq 0 ] || exit 1
exit 0
