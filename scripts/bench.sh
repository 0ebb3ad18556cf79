#!/usr/bin/env bash
# Builds in Release and runs the benchmarks; each prints its baseline beside its figure.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DLONTAR_BUILD_TESTS=OFF -DLONTAR_BUILD_BENCH=ON >/dev/null
cmake --build build/release -j"$(nproc)" --target issuance_bench scale_fill lontar
cmake -S . -B build/release-tools -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/release-tools -j"$(nproc)" --target make_letter
lontar=build/release/src/cli/lontar
echo "== issuance"
build/release/bench/issuance_bench
echo "== OCSP (wrk, 64 connections)"
bench/ocsp_bench.sh "$lontar"
echo "== My Certificates (wrk, 32 sessions)"
bench/portal_bench.sh "$lontar"
echo "== Signed documents (per document, 1 and 300 pages)"
bench/signing_bench.sh "$lontar" build/release-tools/tests/make_letter
echo "== Paper proof: the verification page and its previews (wrk, 32 connections); a 300-page letter"
bench/paper_bench.sh "$lontar" build/release-tools/tests/make_letter
echo "== Verification (4 MB, 8 B-LT signatures: offline and API against pdfsig)"
bench/verification_bench.sh "$lontar" build/release-tools/tests/make_letter
echo "== CMP (openssl cmp processes: genm under a MAC, chained kur renewals) against openssl ocsp"
bench/cmp_bench.sh "$lontar"
echo "== CRL generation"
bench/crl_bench.sh "$lontar" ${CRL_BENCH_SIZES:-100000 1000000}
echo "== National scale: 10 thousand against 10 million certificates, SQLite and PostgreSQL"
cluster=$(scripts/pg-test-cluster.sh start)
eval "$cluster"
trap 'scripts/pg-test-cluster.sh stop "$LONTAR_TEST_PG_DIR"' EXIT
SCALE_PG_URL=$LONTAR_TEST_PG_URL bench/scale_bench.sh "$lontar" build/release/bench/scale_fill
echo "== Soak: 30 minutes of mixed load at 70 % of the capacity measured first"
bench/soak.sh "$lontar" build/release-tools/tests/make_letter build/release/bench/scale_fill
