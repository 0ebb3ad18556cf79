#!/usr/bin/env bash
# Runs each fuzz target under libFuzzer (clang) for a bounded time: FUZZ_SECONDS each.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
command -v clang++ >/dev/null || { apt-get install -y -qq clang libclang-rt-14-dev >/dev/null; }
CC=clang CXX=clang++ cmake -S . -B build/fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLONTAR_SANITIZE=ON \
  -DLONTAR_LIBFUZZER=ON -DLONTAR_BUILD_TESTS=OFF -DLONTAR_BUILD_BENCH=OFF >/dev/null
# (pdf_signatures_fuzz needs qpdf, whose headers clang cannot compile as C++20: ctest
# runs it under the mutation driver instead.)
cmake --build build/fuzz -j"$(nproc)" --target csr_fuzz ocsp_request_fuzz config_fuzz
for target in csr_fuzz ocsp_request_fuzz config_fuzz; do
  mkdir -p "build/fuzz/corpus/$target"
  "build/fuzz/fuzz/$target" -max_total_time="${FUZZ_SECONDS:-60}" -max_len=65536 "build/fuzz/corpus/$target"
done
