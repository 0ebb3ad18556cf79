#!/usr/bin/env bash
# Builds in Release and runs the benchmarks; each prints its baseline beside its figure.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DLONTAR_BUILD_TESTS=OFF -DLONTAR_BUILD_BENCH=ON >/dev/null
cmake --build build/release -j"$(nproc)" --target issuance_bench
echo "== issuance (openssl speed for reference: $(openssl speed -seconds 1 ecdsap256 2>/dev/null | tail -1))"
build/release/bench/issuance_bench "$@"
