#!/usr/bin/env bash
# Installs every Debian package Lontar needs to build, run and test. Idempotent:
# when everything is present it changes nothing and asks no mirror.
set -euo pipefail

packages=(
  build-essential cmake pkg-config ccache git curl procps
  openssl libssl-dev
  libboost-dev libboost-system-dev
  libsoci-dev libsqlite3-dev sqlite3 libpq-dev postgresql
  libsodium-dev nlohmann-json3-dev libkainjow-mustache-dev prometheus-cpp-dev prometheus
  libqpdf-dev libqrencode-dev qpdf zlib1g-dev libzstd-dev libpoppler-cpp-dev
  libspdlog-dev libfmt-dev libcli11-dev libtomlplusplus-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  softhsm2 libengine-pkcs11-openssl
  poppler-utils zbar-tools wrk time bc python3 iproute2
  help2man lintian man-db haproxy adduser systemd
  chromium fonts-dejavu-core libnss3-tools
)

# Node.js runs the browser tests' Playwright; the machine usually has it already.
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: these packages are missing and installing them needs root: ${missing[*]}" >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
