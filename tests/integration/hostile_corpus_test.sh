#!/usr/bin/env bash
# The hostile-PDF corpus (tests/tools/hostile_corpus.cpp writes it from this test's own
# CA) through every path that judges a signature: the JSON API, the public page,
# registration and `lontar doc verify` offline — each file's verdict asserted on all
# four — and pdfsig beside them: Lontar may never call valid what pdfsig does not. The
# forgery's registration leaves no row and an audit event. While bombs and slow checks
# run, /healthz and OCSP answer within 200 ms; the server's peak memory stays under
# 512 MiB through the whole corpus. (fuzz_corpus_test.sh fuzzes the verifier from it.)
source "$(dirname "$0")/lib.sh"
: "${HOSTILE_CORPUS:?}"
reserve_port
data=$work/data
corpus=$work/corpus
lontar init --data "$data" --public-url "http://127.0.0.1:$port" --listen "127.0.0.1:$port" >/dev/null
# The corpus is checked many times from one address: lift the per-address budget.
sed -i 's/^per_address_per_minute = .*/per_address_per_minute = 100000/; s/^at_once = .*/at_once = 64/' "$data/lontar.toml"
"$HOSTILE_CORPUS" --data "$data" --out "$corpus"
count=$(wc -l <"$corpus/manifest.tsv")
[ "$count" -ge 30 ] || fail "the corpus has $count files, at least 30 expected"
pass

# ASan keeps freed memory in quarantine; a small one keeps the peak honest.
ASAN_OPTIONS="${ASAN_OPTIONS:-}:quarantine_size_mb=16:malloc_context_size=5" \
  start_server --as-configured

api_verdict() { # file → "STATUS VERDICT-or-ERROR-CODE"
  curl -s -o "$work/api.json" -w '%{http_code}' -H 'Content-Type: application/pdf' --data-binary "@$1" "$url/api/v1/verify" >"$work/api.status"
  python3 - "$work/api.json" "$(cat "$work/api.status")" <<'PY'
import json, sys
body = json.load(open(sys.argv[1]))
print(sys.argv[2], body["verdict"] if "verdict" in body else body["error"]["code"])
PY
}
page_verdict() { # file → "STATUS VERDICT-CLASS"
  local status
  status=$(curl -s -o "$work/page.html" -w '%{http_code}' -F "document=@$1;type=application/pdf" "$url/verifikasi-dokumen")
  echo "$status $(sed -n 's/.*class="verdict \([a-z_]*\)".*/\1/p' "$work/page.html" | head -1)"
}
code_of() { grep -aoE '/v/[0-9A-HJKMNP-TV-Z]{20}' "$1" | tail -1 | cut -c4- || true; }

mkdir -p "$work/nss"
certutil -N -d "sql:$work/nss" --empty-password
certutil -A -n lontar-root -t "CT,C,C" -i "$data/ca/root.crt" -d "sql:$work/nss"

while IFS=$'\t' read -r name verdicts why; do
  file=$corpus/$name.pdf
  read -r api_status api_result <<<"$(api_verdict "$file")"
  read -r page_status page_result <<<"$(page_verdict "$file")"
  offline=0
  lontar doc verify --in "$file" --trust "$data/ca/root.crt" >"$work/offline.out" 2>&1 || offline=$?
  pdfsig_valid=$(pdfsig -nssdir "sql:$work/nss" "$file" 2>/dev/null | grep -c "Signature Validation: Signature is Valid." || true)
  pdfsig_total=$(pdfsig -nssdir "sql:$work/nss" "$file" 2>/dev/null | grep -c "Signature Validation:" || true)
  if [ "$verdicts" == limit ]; then
    expect_eq 422 "$api_status" "$name ($why): API status"
    expect_contains "$api_result" "pdf_limit_" "$name: the API names the limit"
    expect_eq 422 "$page_status" "$name: page status"
    expect_contains "$(cat "$work/page.html")" "limit:" "$name: the page names the limit"
  else
    expect_eq 200 "$api_status" "$name ($why): API status"
    [[ ",$verdicts," == *",$api_result,"* ]] || fail "$name ($why): API verdict $api_result, expected one of $verdicts"
    pass
    [[ ",$verdicts," == *",$page_result,"* ]] || fail "$name ($why): page verdict $page_result, expected one of $verdicts"
    pass
    if [[ "$api_result" == valid || "$api_result" == identical ]]; then
      # Lontar valid ⇒ pdfsig valid, for every signature.
      [ "$pdfsig_total" -ge 1 ] && [ "$pdfsig_valid" -eq "$pdfsig_total" ] ||
        fail "$name: Lontar says $api_result but pdfsig finds $pdfsig_valid of $pdfsig_total signatures valid"
      pass
    fi
  fi
  case "$name" in
    control-genuine | control-two-signers) expect_eq 0 "$offline" "$name: valid offline" ;;
    control-*) ;;  # no validation data embedded: offline says "no data"
    *) [ "$offline" -ne 0 ] || fail "$name ($why): lontar doc verify accepted it: $(cat "$work/offline.out")"; pass ;;
  esac
  # Registration: only the genuine, already registered files answer 200.
  code=$(code_of "$file")
  [ -n "$code" ] || code=0123456789ABCDEFGHJK
  rows_before=$(sqlite3 "$data/lontar.db" "SELECT COUNT(*) FROM documents")
  status=$(curl -s -o "$work/reg.json" -w '%{http_code}' -X PUT -H 'Content-Type: application/pdf' --data-binary "@$file" "$url/api/v1/documents/$code")
  case "$name" in
    control-genuine | control-two-signers) expect_eq 200 "$status" "$name: registered already" ;;
    control-hand-built) expect_eq 201 "$status" "$name: a fresh honest signature registers" ;;
    *)
      [[ "$status" == 4* ]] || fail "$name ($why): registration answered $status: $(cat "$work/reg.json")"
      pass
      expect_eq "$rows_before" "$(sqlite3 "$data/lontar.db" "SELECT COUNT(*) FROM documents")" "$name: no row registered"
      ;;
  esac
done <"$corpus/manifest.tsv"

# The forgery: refused with its reason, no row, and the refusal is in the audit trail.
forgery=$corpus/forgery-issuer-serial.pdf
forgery_code=$(cat "$corpus/forgery-code.txt")
body=$(curl -s -X PUT -H 'Content-Type: application/pdf' --data-binary "@$forgery" "$url/api/v1/documents/$forgery_code")
expect_contains "$body" "signature_refused" "the forgery's registration is refused"
expect_contains "$body" "several certificates" "and says why"
expect_eq 0 "$(sqlite3 "$data/lontar.db" "SELECT COUNT(*) FROM documents WHERE id = '$forgery_code'")" "no row for the forgery"
expect_contains "$(sqlite3 "$data/lontar.db" "SELECT action || ' ' || object FROM audit_events WHERE object = 'document:$forgery_code'")" \
  "document.registration_refused" "the refusal is audited"
expect_contains "$(curl -s -H 'Content-Type: application/pdf' --data-binary "@$forgery" "$url/api/v1/verify")" '"verdict":"refused"' "the API refuses the forgery"
# pdfsig names the forger, not the holder: the signature is by the forged certificate.
expect_not_contains "$(lontar doc verify --in "$forgery" --trust "$data/ca/root.crt" 2>&1 || true)" "=> valid" "offline refuses the forgery"

# Heavy checks run apart: two bombs and ten slow verifications at once, while /healthz
# and OCSP keep answering within 200 ms. A full pool answers 503 with Retry-After.
holder=$(sqlite3 "$data/lontar.db" "SELECT pem FROM certificates WHERE status = 'valid' ORDER BY id DESC LIMIT 1")
printf '%s\n' "$holder" >"$work/holder.pem"
openssl ocsp -issuer "$data/ca/issuing.crt" -cert "$work/holder.pem" -no_nonce -reqout "$work/ocsp.req" >/dev/null 2>&1
heavy=()
for i in 1 2; do
  curl -s -o /dev/null -D "$work/heavy$i.h" -H 'Content-Type: application/pdf' --data-binary "@$corpus/bomb-dss.pdf" "$url/api/v1/verify" &
  heavy+=($!)
done
for i in $(seq 3 12); do
  curl -s -o /dev/null -D "$work/heavy$i.h" -H 'Content-Type: application/pdf' --data-binary "@$corpus/control-two-signers.pdf" "$url/api/v1/verify" &
  heavy+=($!)
done
slowest=0
for _ in $(seq 1 10); do
  for probe in healthz ocsp; do
    if [ "$probe" == healthz ]; then
      t=$(curl -s -o /dev/null -w '%{time_total}' "$url/healthz")
    else
      t=$(curl -s -o "$work/ocsp.resp" -w '%{time_total}' -H 'Content-Type: application/ocsp-request' --data-binary "@$work/ocsp.req" "$url/ocsp")
    fi
    slowest=$(python3 -c "print(max($slowest, $t))")
  done
done
for pid in "${heavy[@]}"; do wait "$pid"; done
python3 -c "import sys; sys.exit(0 if $slowest < 0.2 else 1)" || fail "/healthz or OCSP took ${slowest}s while checks ran"
pass
expect_contains "$(openssl ocsp -respin "$work/ocsp.resp" -CAfile "$data/ca/root.crt" -issuer "$data/ca/issuing.crt" -cert "$work/holder.pem" 2>&1)" ": good" "OCSP answered during the load"
for i in $(seq 1 12); do
  head=$(cat "$work/heavy$i.h")
  if [[ "$head" == *" 503 "* ]]; then
    expect_contains "$head" "Retry-After" "a full pool says when to come back"
  else
    [[ "$head" == *" 200 "* || "$head" == *" 422 "* ]] || fail "heavy request $i: $head"
    pass
  fi
done

peak_kib=$(sed -n 's/^VmHWM:\s*\([0-9]*\) kB/\1/p' "/proc/$server/status")
echo "server peak RSS: $((peak_kib / 1024)) MiB, slowest probe ${slowest}s"
[ "$peak_kib" -lt $((512 * 1024)) ] || fail "the server's peak RSS was $((peak_kib / 1024)) MiB"
pass
done_checks
