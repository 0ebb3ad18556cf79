#!/usr/bin/env bash
# Builds the Debian package (Release, stripped) into build/package/ and prints its path.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh >&2
cmake -S . -B build/package -DCMAKE_BUILD_TYPE=Release -DLONTAR_PACKAGE=ON -DLONTAR_BUILD_TESTS=OFF \
  -DLONTAR_BUILD_BENCH=OFF >/dev/null
cmake --build build/package -j"$(nproc)" --target lontar lontar-lock manpages debian_changelog default_config >&2
(cd build/package && cpack -G DEB >&2)
ls "$PWD"/build/package/lontar_*.deb
