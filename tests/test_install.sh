#!/bin/sh
# The installed layout: "make install" into a temporary root, then
# examples/tag.c is built against it with pkg-config alone and run on
# examples/seed-en.txt with the installed data; the installed command and
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

root=$(mktemp -d /tmp/nertag-install-XXXXXX)
trap 'rm -rf "$root"' EXIT
failures=0
fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

# a make of its own, not a job of the make that runs the tests
unset MAKEFLAGS MFLAGS MAKELEVEL
if ! $MAKE -C "$builddir" install DESTDIR="$root" >"$root.log" 2>&1; then
    cat "$root.log"
    rm -f "$root.log"
    echo "FAIL: make install"
    exit 1
fi
rm -f "$root.log"

pc=$(find "$root" -name nertag.pc | head -n 1)
[ -n "$pc" ] || { echo "FAIL: no nertag.pc installed"; exit 1; }
export PKG_CONFIG_PATH="${pc%/*}" PKG_CONFIG_SYSROOT_DIR="$root"

# the paths pkg-config gives are those of the real install; under the
# temporary root they start with it
libdir=$("$PKG_CONFIG" --variable=libdir nertag)
data=$("$PKG_CONFIG" --variable=pkgdatadir nertag)
prefix=$("$PKG_CONFIG" --variable=prefix nertag)
case $libdir in "$root"*) ;; *) libdir="$root$libdir" ;; esac
case $data in "$root"*) ;; *) data="$root$data" ;; esac
case $prefix in "$root"*) ;; *) prefix="$root$prefix" ;; esac

# CFLAGS and LDFLAGS of the build, so that a sanitizer build links
# shellcheck disable=SC2046,SC2086
$CC ${CFLAGS:-} -o "$root/tag" "$srcdir/examples/tag.c" \
    $("$PKG_CONFIG" --cflags --libs nertag) ${LDFLAGS:-} ||
    fail "examples/tag.c does not build"

if [ -x "$root/tag" ]; then
    LD_LIBRARY_PATH="$libdir" ldd "$root/tag" | grep -q "$root" ||
        fail "tag is not linked with the installed library"
    LD_LIBRARY_PATH="$libdir" NERTAG_DATA="$data" "$root/tag" \
        <"$srcdir/examples/seed-en.txt" >"$root/out.txt"
    [ "$?" -eq 0 ] || fail "tag failed"
    cat "$root/out.txt"
    expect() {
        grep -Fq -- "$1" "$root/out.txt" || fail "tag did not print: $1"
    }
    tab=$(printf '\t')
    expect "# en, 27 mentions"
    expect "17-35${tab}STATE${tab}Chinese government${tab}China"
    expect "SPOKESPERSON${tab}Mao Ning${tab}Mao Ning${tab}for Ministry of Foreign Affairs (China)"
    expect "GROUP${tab}Bronze Silhouette${tab}Volt Typhoon"
    # arguments are documents too
    LD_LIBRARY_PATH="$libdir" NERTAG_DATA="$data" "$root/tag" "Le Canada" \
        >"$root/arg.txt"
    grep -q "STATE${tab}Canada${tab}Canada" "$root/arg.txt" ||
        fail "tag did not tag its argument"
fi

# the command, its data and the manual pages
"$prefix/bin/nertag" --data "$data" --output text "$srcdir/examples/seed-en.txt" |
    grep -q '\[Mao Ning\]{SPOKESPERSON' || fail "the installed nertag does not tag"
[ -f "$prefix/share/man/man1/nertag.1" ] || fail "nertag.1 not installed"
[ -f "$prefix/share/man/man3/libnertag.3" ] || fail "libnertag.3 not installed"
[ -f "$prefix/include/nertag.h" ] || fail "nertag.h not installed"

[ "$failures" -eq 0 ] || exit 1
exit 0
