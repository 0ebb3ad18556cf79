#!/usr/bin/env bash
# Time per signed document: `lontar doc sign` (PAdES B-T: CAdES, timestamp from the
# built-in TSA, visible QR stamp, registration in the database; one process per
# document, so it includes opening the data folder and the CA key for the TSA) against
# `pdfsig -add-signature` with an NSS database (adbe.pkcs7.detached, invisible; poppler 22.12 cannot add ETSI.CAdES.detached) on the same
# 1-page and 300-page files, in the same run. Bounded: RUNS documents each.
set -euo pipefail
lontar=$1
make_letter=$2
in_process=${3:-}  # document_signing_bench, for the in-process figure
runs=${SIGNING_BENCH_RUNS:-10}
work=$(mktemp -d /tmp/lontar-sign-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
data=$work/data
"$lontar" init --data "$data" >/dev/null
printf 'Bench-password-2026\n' >"$work/pw"
"$lontar" user add --data "$data" --nik 5108010101900001 --name "Bench Signer" --email b@undiksha.ac.id --unit "UPT TIK" \
  --password-file "$work/pw" --no-forced-change >/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -aes-256-cbc -pass "file:$work/pw" -out "$work/key.pem"
openssl req -new -key "$work/key.pem" -passin "file:$work/pw" -subj /CN=x -out "$work/r.csr"
"$lontar" cert issue --data "$data" --nik 5108010101900001 --product individual-1y --csr "$work/r.csr" --out "$work/cert.pem" >/dev/null
mkdir "$work/nss"
certutil -N -d "sql:$work/nss" --empty-password
openssl pkcs12 -export -inkey "$work/key.pem" -passin "file:$work/pw" -in "$work/cert.pem" -certfile "$data/ca/chain.pem" \
  -name signer -passout pass:bench -out "$work/signer.p12"
pk12util -i "$work/signer.p12" -d "sql:$work/nss" -W bench >/dev/null
# Rewritten by qpdf: poppler 22.12's signer fails on some hand-made files.
"$make_letter" "Bench" 1 >"$work/raw1.pdf" && qpdf "$work/raw1.pdf" "$work/p1.pdf"
"$make_letter" "Bench" 300 >"$work/raw300.pdf" && qpdf "$work/raw300.pdf" "$work/p300.pdf"

per_document_ms() { # command... (runs it $runs times, prints milliseconds per run)
  local start end
  start=$(date +%s%N)
  for i in $(seq 1 "$runs"); do "$@" "$i" >/dev/null 2>&1; done
  end=$(date +%s%N)
  awk -v ns=$((end - start)) -v n="$runs" 'BEGIN { printf "%.1f", ns / n / 1e6 }'
}
ours() { "$lontar" doc sign --data "$data" --in "$1" --out "$work/ours-$2.pdf" --key "$work/key.pem" --cert "$work/cert.pem" --key-passphrase-file "$work/pw"; }
peer() { rm -f "$work/peer-$2.pdf"; pdfsig -add-signature -nssdir "sql:$work/nss" -nick signer "$1" "$work/peer-$2.pdf"; }
for pages in 1 300; do
  file=$work/p$pages.pdf
  peer_ms=$(per_document_ms peer "$file")
  our_ms=$(per_document_ms ours "$file")
  pdfsig "$work/ours-$runs.pdf" 2>/dev/null | grep -q "Signature is Valid" || { echo "signing_bench: our output does not verify" >&2; exit 1; }
  # poppler 22.12's signer fails now and then ("unable update signature"); count it.
  peer_ok=0
  for i in $(seq 1 "$runs"); do pdfsig "$work/peer-$i.pdf" 2>/dev/null | grep -q "Signature is Valid" && peer_ok=$((peer_ok + 1)); done
  echo "pdfsig -add-signature produced a valid file $peer_ok times out of $runs" >&2
  printf '%3s page(s): pdfsig -add-signature %7s ms/document   lontar doc sign %7s ms/document   ratio pdfsig/lontar %s\n' \
    "$pages" "$peer_ms" "$our_ms" "$(awk -v a="$peer_ms" -v b="$our_ms" 'BEGIN { printf "%.2f", a / b }')"
  if [ -n "$in_process" ]; then
    inside=$("$in_process" --count "$runs" "$file" | sed -n 's/.*: \([0-9.]*\) ms\/document.*/\1/p')
    printf '%3s page(s): lontar in process (the server path) %7s ms/document   ratio pdfsig/lontar %s\n' \
      "$pages" "$inside" "$(awk -v a="$peer_ms" -v b="$inside" 'BEGIN { printf "%.2f", a / b }')"
  fi
done
