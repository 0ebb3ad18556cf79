#!/usr/bin/env bash
# Sets everything up and runs every test through ctest: unit and integration tests
# built with AddressSanitizer and UBSan, the repository suite on SQLite and on a
# throwaway PostgreSQL cluster, and the CLI against openssl.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

scripts/install-deps.sh
# Playwright for the browser tests, pinned by tests/e2e/package-lock.json.
npm ci --prefix tests/e2e --no-audit --no-fund --loglevel=error >/dev/null
cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLONTAR_SANITIZE=ON -DLONTAR_WERROR=ON >/dev/null
cmake --build build/asan -j"$(nproc)"
# The Debian package from this tree (Release, stripped), for integration.packaging_test.
scripts/package.sh >/dev/null

# A cluster that cannot start stops the run here, with its log, instead of every
# PostgreSQL test failing on a missing URL.
cluster=$("$root/scripts/pg-test-cluster.sh" start) || { echo "test.sh: PostgreSQL did not start" >&2; exit 1; }
eval "$cluster"
export LONTAR_TEST_PG_URL
trap '"$root/scripts/pg-test-cluster.sh" stop "$LONTAR_TEST_PG_DIR" || true' EXIT

# Third-party caches that live as long as the process (see the file) are not leaks.
export LSAN_OPTIONS="suppressions=$root/tests/lsan.supp"
cd "$root/build/asan"
status=0
ctest --output-on-failure --timeout 900 -j"$(nproc)" "$@" || status=$?
exit "$status"
