#!/bin/sh
# Installs what nertag needs on Debian, builds it, and tags a bundled example.
#
#   ./bootstrap.sh      then      make check
#
# Debian packages are installed only when missing (with sudo when not run
# as root).  The build is made in this folder; the example is tagged by the
# freshly built program, from the build tree.
set -e
cd "$(dirname "$0")"

PACKAGES="build-essential autoconf automake libtool pkg-config libicu-dev \
libstemmer-dev check"

missing=""
for p in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
        missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "Installing Debian packages:$missing"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO=sudo
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    # shellcheck disable=SC2086
    $SUDO apt-get install -y -qq $missing
fi

[ -x configure ] || ./autogen.sh
[ -f Makefile ] || ./configure
make -j"$(nproc 2>/dev/null || echo 2)"

echo
echo "== src/nertag --output text examples/seed-fr.txt"
src/nertag --output text examples/seed-fr.txt
