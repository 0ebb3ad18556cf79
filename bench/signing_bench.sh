#!/usr/bin/env bash
# Time per signed document on the same 1-page and 300-page files, in the same run:
# `pdfsig -add-signature` with an NSS database (the baseline: adbe.pkcs7.detached, B-B,
# invisible; poppler 22.12 cannot add ETSI.CAdES.detached) against `lontar doc sign`
# (PAdES B-LT: CAdES without signing-time, timestamp from the built-in TSA, OCSP answers
# and CRL in a DSS, registration in the database) with the QR stamp and without, both
# as a batch (one process signs RUNS documents: the key and the CA's service keys are
# opened once, as on the server) and as one process per document (each first decrypts
# the TSA, OCSP and issuing keys with scrypt). Bounded: RUNS documents each.
set -euo pipefail
lontar=$1
make_letter=$2
runs=${SIGNING_BENCH_RUNS:-10}
work=$(mktemp -d /tmp/lontar-sign-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
data=$work/data
"$lontar" init --data "$data" >/dev/null
source "$(dirname "$0")/signer_setup.sh"
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
batch_ms() { # file stamp-flag... (one process signs $runs copies, prints milliseconds per document)
  local file=$1 start end
  shift
  rm -rf "$work/batch-in" "$work/batch-out" && mkdir "$work/batch-in"
  local inputs=()
  for i in $(seq 1 "$runs"); do cp "$file" "$work/batch-in/$i.pdf" && inputs+=(--in "$work/batch-in/$i.pdf"); done
  start=$(date +%s%N)
  "$lontar" doc sign --data "$data" "${inputs[@]}" --out-dir "$work/batch-out" --key "$work/key.pem" --cert "$work/cert.pem" \
    --key-passphrase-file "$work/pw" "$@" >/dev/null
  end=$(date +%s%N)
  pdfsig "$work/batch-out/$runs.pdf" 2>/dev/null | grep -q "Signature is Valid" || { echo "signing_bench: our batch output does not verify" >&2; exit 1; }
  awk -v ns=$((end - start)) -v n="$runs" 'BEGIN { printf "%.1f", ns / n / 1e6 }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
ours() { "$lontar" doc sign --data "$data" --in "$1" --out "$work/ours-$2.pdf" --key "$work/key.pem" --cert "$work/cert.pem" --key-passphrase-file "$work/pw"; }
peer() { rm -f "$work/peer-$2.pdf"; pdfsig -add-signature -nssdir "sql:$work/nss" -nick signer "$1" "$work/peer-$2.pdf"; }
for pages in 1 300; do
  file=$work/p$pages.pdf
  peer_ms=$(per_document_ms peer "$file")
  # poppler 22.12's signer fails now and then ("unable update signature"); count it.
  peer_ok=0
  for i in $(seq 1 "$runs"); do pdfsig "$work/peer-$i.pdf" 2>/dev/null | grep -q "Signature is Valid" && peer_ok=$((peer_ok + 1)); done
  echo "pdfsig -add-signature produced a valid file $peer_ok times out of $runs" >&2
  stamped=$(batch_ms "$file")
  invisible=$(batch_ms "$file" --no-stamp)
  single=$(per_document_ms ours "$file")
  pdfsig "$work/ours-$runs.pdf" 2>/dev/null | grep -q "Signature is Valid" || { echo "signing_bench: our output does not verify" >&2; exit 1; }
  printf '%3s page(s): pdfsig -add-signature %6s ms/document (baseline)\n' "$pages" "$peer_ms"
  printf '%3s page(s): lontar doc sign, batch, QR stamp      %6s ms/document   ratio pdfsig/lontar %s\n' "$pages" "$stamped" "$(ratio "$peer_ms" "$stamped")"
  printf '%3s page(s): lontar doc sign, batch, no stamp      %6s ms/document   ratio pdfsig/lontar %s\n' "$pages" "$invisible" "$(ratio "$peer_ms" "$invisible")"
  printf '%3s page(s): lontar doc sign, process per document %6s ms/document   ratio pdfsig/lontar %s\n' "$pages" "$single" "$(ratio "$peer_ms" "$single")"
done
