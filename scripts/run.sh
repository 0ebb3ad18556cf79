#!/usr/bin/env bash
# Sets everything up and runs Lontar's portal on 127.0.0.1 with an embedded SQLite
# database and a demo CA. The data folder (default ./demo-data) is kept between runs.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DLONTAR_BUILD_TESTS=OFF -DLONTAR_BUILD_BENCH=OFF >/dev/null
cmake --build build/release -j"$(nproc)" --target lontar lontar-lock

lontar=build/release/src/cli/lontar
data=${LONTAR_DATA:-$PWD/demo-data}
if [ ! -f "$data/lontar.toml" ]; then
  "$lontar" init --data "$data" --organisation "Universitas Demo Lontar"
  scripts/demo-accounts.sh "$lontar" "$data"
fi
exec "$lontar" serve --data "$data" "$@"
