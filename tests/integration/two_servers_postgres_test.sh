#!/usr/bin/env bash
# Two `lontar serve` instances on one PostgreSQL database: a revocation made by the
# CLI shows in both servers' OCSP answers and CRLs within 5 s, and the CRL numbers
# they hand out never repeat.
source "$(dirname "$0")/lib.sh"
[ -n "${LONTAR_TEST_PG_URL:-}" ] || fail "LONTAR_TEST_PG_URL is not set: run the suite through scripts/test.sh"
db="lontar_two_$$"
psql "$LONTAR_TEST_PG_URL" -qc "CREATE DATABASE $db" >/dev/null
cleanup_hooks+=("psql '$LONTAR_TEST_PG_URL' -qc 'DROP DATABASE IF EXISTS $db WITH (FORCE)' >/dev/null")
data=$work/data
lontar init --data "$data" --db "${LONTAR_TEST_PG_URL%/*}/$db" >/dev/null
lontar user add --data "$data" --nik 5108010101900001 --name "Dua Server" --email dua@undiksha.ac.id >/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout /dev/null -subj /CN=x -out "$work/r.csr" 2>/dev/null
lontar cert issue --data "$data" --nik 5108010101900001 --product individual-1y --csr "$work/r.csr" --out "$work/c.pem" >/dev/null
serial=$(openssl x509 -in "$work/c.pem" -noout -serial | cut -d= -f2)

urls=()
for n in 1 2; do
  "$LONTAR_BIN" serve --data "$data" --listen 127.0.0.1:0 >"$work/serve$n.out" 2>"$work/serve$n.err" &
  stop_at_exit "$!"
  for _ in $(seq 1 100); do grep -q "listening on" "$work/serve$n.out" 2>/dev/null && break; sleep 0.1; done
  url=$(sed -n 's/^listening on //p' "$work/serve$n.out")
  [ -n "$url" ] || fail "server $n did not start: $(cat "$work/serve$n.err")"
  urls+=("$url")
done
pass

ocsp() {
  openssl ocsp -issuer "$data/ca/issuing.crt" -cert "$work/c.pem" -url "$1/ocsp" -CAfile "$data/ca/root.crt" \
    -verify_other "$data/ca/issuing.crt" -no_nonce 2>&1 || true
}
for url in "${urls[@]}"; do expect_contains "$(ocsp "$url")" "c.pem: good" "good on $url"; done

lontar cert revoke --data "$data" --serial "$serial" --reason affiliationChanged >/dev/null
for url in "${urls[@]}"; do
  deadline=$((SECONDS + 5))
  until ocsp "$url" | grep -q "c.pem: revoked"; do
    [ $SECONDS -lt $deadline ] || fail "$url still says: $(ocsp "$url")"
    sleep 0.2
  done
  pass
  deadline=$((SECONDS + 5))
  until curl -s "$url/crl/issuing.crl" | openssl crl -inform DER -noout -text | grep -q "$serial"; do
    [ $SECONDS -lt $deadline ] || fail "no CRL with the revocation from $url within 5 s"
    sleep 0.2
  done
  pass
done
n1=$(curl -s "${urls[0]}/crl/issuing.crl" | openssl crl -inform DER -noout -crlnumber | cut -d= -f2)
n2=$(curl -s "${urls[1]}/crl/issuing.crl" | openssl crl -inform DER -noout -crlnumber | cut -d= -f2)
[ "$((n1))" -ne "$((n2))" ] || fail "both servers published CRL number $n1"
pass
# Text that PostgreSQL cannot store is the caller's fault, a 400 with a reason, never a 500.
add_account 5108010101900009 "Putu Helpdesk" helpdesk
url=${urls[0]}
token=$(bearer 5108010101900009)
for q in '%FF%FEayu' 'ayu%00' '%ED%A0%80abc'; do
  out=$(curl -s -H "Authorization: Bearer $token" -w ' %{http_code}' "$url/api/v1/accounts?q=$q")
  expect_contains "$out" '"code":"bad_text"' "search q=$q on PostgreSQL"
  expect_contains "$out" " 400" "search q=$q is a 400"
done
expect_contains "$(curl -s -H "Authorization: Bearer $token" "$url/api/v1/accounts?q=dua%20ser")" '"nik":"5108010101900001"' \
  "a search that is text still finds on PostgreSQL"
expect_contains "$(lontar audit verify --data "$data")" "intact" "audit on PostgreSQL"
done_checks
