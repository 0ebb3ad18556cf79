#!/usr/bin/env bash
# Verifying a 4 MB PDF with 8 PAdES B-LT signatures, in the same run: `pdfsig` (the
# baseline: poppler's NSS-based check of every signature, the root trusted in an NSS
# database, no network: -no-ocsp) against `lontar doc verify` (offline: integrity,
# timestamps, chains and the embedded OCSP answers and CRL of all 8 signatures, plus
# every revision compared with the next) and against `POST /api/v1/verify` on a running
# `lontar serve` (the same checks online, with the status from the database). Each is
# run RUNS times on the same file; the figures are milliseconds per verification and
# the ratio pdfsig / Lontar (above 1: Lontar is faster). Bounded: RUNS each.
set -euo pipefail
lontar=$1
make_letter=$2
runs=${VERIFY_BENCH_RUNS:-10}
signatures=${VERIFY_BENCH_SIGNATURES:-8}
work=$(mktemp -d /tmp/lontar-verify-bench.XXXXXX)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
server=
port=$((20000 + RANDOM % 12000))  # below the ephemeral ports (32768 up) clients get
data=$work/data
"$lontar" init --data "$data" --public-url "http://127.0.0.1:$port" --listen "127.0.0.1:$port" >/dev/null
sed -i 's/^per_address_per_minute = .*/per_address_per_minute = 100000/' "$data/lontar.toml"
source "$(dirname "$0")/signer_setup.sh"

# 4 MB: a 20-page letter whose first page shows a 4 MB image of noise (incompressible).
"$make_letter" "Bench" 20 >"$work/letter.pdf"
python3 - "$work/letter.pdf" "$work/big-raw.pdf" <<'PY'
import os, re, sys
pdf = open(sys.argv[1], "rb").read()
size = int(re.findall(rb"/Size (\d+)", pdf)[-1])
prev = int(re.findall(rb"startxref\s+(\d+)", pdf)[-1])
side = 1155  # 1155 x 1155 RGB = 4.0 MB
image = os.urandom(side * side * 3)
page = re.search(rb"\n(\d+) 0 obj\n(<< /Type /Page .*?)\nendobj", pdf, re.S)
number, body = int(page.group(1)), page.group(2)
body = body.replace(b"/Resources <<", b"/Resources << /XObject << /Im1 %d 0 R >>" % size, 1)
out = bytearray(pdf)
offsets = {}
offsets[size] = len(out)
out += b"%d 0 obj\n<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB /BitsPerComponent 8 /Length %d >>\nstream\n" % (size, side, side, len(image)) + image + b"\nendstream\nendobj\n"
offsets[number] = len(out)
out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
xref = len(out)
out += b"xref\n"
for n in sorted(offsets):
    out += b"%d 1\n%010d 00000 n \n" % (n, offsets[n])
out += b"trailer\n<< /Size %d /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (size + 1, prev, xref)
open(sys.argv[2], "wb").write(out)
PY
qpdf "$work/big-raw.pdf" "$work/signed-0.pdf"
for i in $(seq 1 "$signatures"); do
  "$lontar" doc sign --data "$data" --in "$work/signed-$((i - 1)).pdf" --out "$work/signed-$i.pdf" --key "$work/key.pem" \
    --cert "$work/cert.pem" --key-passphrase-file "$work/pw" --page "$i" >/dev/null
done
file=$work/signed-$signatures.pdf
echo "file: $(($(stat -c %s "$file") / 1024)) KiB, $signatures signatures (B-LT)"

mkdir "$work/nss"
certutil -N -d "sql:$work/nss" --empty-password
certutil -A -n lontar-root -t "CT,C,C" -i "$data/ca/root.crt" -d "sql:$work/nss"
# Each tool must first say the file is good, or its time means nothing.
valid=$(pdfsig -nssdir "sql:$work/nss" -no-ocsp "$file" 2>/dev/null | grep -c "Signature is Valid" || true)
[ "$valid" -eq "$signatures" ] || { echo "verification_bench: pdfsig finds $valid of $signatures signatures valid" >&2; exit 1; }
"$lontar" doc verify --in "$file" --trust "$data/ca/root.crt" >/dev/null ||
  { echo "verification_bench: lontar doc verify does not accept the file" >&2; exit 1; }

"$lontar" serve --data "$data" >"$work/serve.out" 2>/dev/null &
server=$!
for _ in $(seq 1 100); do grep -q "listening on" "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
verdict=$(curl -s -H 'Content-Type: application/pdf' --data-binary "@$file" "http://127.0.0.1:$port/api/v1/verify" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["verdict"])')
[ "$verdict" == identical ] || { echo "verification_bench: the API says $verdict" >&2; exit 1; }

ms_per_run() { # command... (runs it $runs times, prints milliseconds per run)
  local start end
  start=$(date +%s%N)
  for _ in $(seq 1 "$runs"); do "$@" >/dev/null 2>&1; done
  end=$(date +%s%N)
  awk -v ns=$((end - start)) -v n="$runs" 'BEGIN { printf "%.1f", ns / n / 1e6 }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
peer_ms=$(ms_per_run pdfsig -nssdir "sql:$work/nss" -no-ocsp "$file")
offline_ms=$(ms_per_run "$lontar" doc verify --in "$file" --trust "$data/ca/root.crt")
api_ms=$(ms_per_run curl -s -o /dev/null -H 'Content-Type: application/pdf' --data-binary "@$file" "http://127.0.0.1:$port/api/v1/verify")
echo "pdfsig -no-ocsp (baseline)     $peer_ms ms/verification"
echo "lontar doc verify (offline)    $offline_ms ms/verification   ratio pdfsig/lontar $(ratio "$peer_ms" "$offline_ms")"
echo "POST /api/v1/verify (server)   $api_ms ms/verification   ratio pdfsig/lontar $(ratio "$peer_ms" "$api_ms")"
