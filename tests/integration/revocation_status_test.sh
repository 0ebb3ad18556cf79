#!/usr/bin/env bash
# Revocation, CRL and OCSP checked by openssl against a running `lontar serve`:
# good for a fresh certificate; revoked (with reason and time) within 5 s of
# `lontar cert revoke` in another process; GET works; garbage gets malformedRequest;
# CRLs grow their number and carry reason codes; renewal supersedes in both.
source "$(dirname "$0")/lib.sh"
make_instance

new_cert() { # name product
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout /dev/null -subj "/CN=x" -out "$work/$1.csr" 2>/dev/null
  lontar cert issue --data "$data" --nik 5108010101900001 --product "$2" --csr "$work/$1.csr" --out "$work/$1.pem" >/dev/null
  openssl x509 -in "$work/$1.pem" -noout -serial | cut -d= -f2
}
seal_serial=$(new_cert seal seal-1y)
first_serial=$(new_cert first individual-1y)

start_server
pass
ca="$data/ca"
cat "$ca/issuing.crt" "$ca/root.crt" >"$work/chain.pem"

ocsp() { # cert-file [extra args]
  local cert=$1
  shift
  openssl ocsp -issuer "$ca/issuing.crt" -cert "$cert" -url "$url/ocsp" -CAfile "$ca/root.crt" -verify_other "$ca/issuing.crt" "$@" 2>&1 || true
}

out=$(ocsp "$work/first.pem")
expect_contains "$out" "Response verify OK" "OCSP response verifies"
expect_contains "$out" "$work/first.pem: good" "fresh certificate is good"
out=$(ocsp "$work/first.pem" -no_nonce)
expect_contains "$out" "$work/first.pem: good" "good without nonce (cached path)"

# Renewal supersedes the first certificate: revoked as superseded in OCSP and CRL.
second_serial=$(new_cert second individual-2y)
deadline=$((SECONDS + 5))
until ocsp "$work/first.pem" | grep -q "first.pem: revoked"; do
  [ $SECONDS -lt $deadline ] || fail "superseded certificate not revoked in OCSP within 5 s: $(ocsp "$work/first.pem")"
  sleep 0.2
done
pass
expect_contains "$(ocsp "$work/first.pem")" "Reason: superseded" "superseded reason in OCSP"

# Revocation from another process shows within 5 seconds, with reason and time.
lontar cert revoke --data "$data" --serial "$second_serial" --reason keyCompromise --invalidity-date 2026-01-02 >/dev/null
revoked_at=$(date -u +%s)
deadline=$((SECONDS + 5))
until ocsp "$work/second.pem" | grep -q "second.pem: revoked"; do
  [ $SECONDS -lt $deadline ] || fail "revocation not visible in OCSP within 5 s: $(ocsp "$work/second.pem")"
  sleep 0.2
done
pass
out=$(ocsp "$work/second.pem")
expect_contains "$out" "Reason: keyCompromise" "revocation reason"
expect_contains "$out" "Response verify OK" "revoked response verifies"
revocation_time=$(printf '%s\n' "$out" | sed -n 's/.*Revocation Time: //p')
[ -n "$revocation_time" ] || fail "no revocation time in: $out"
delta=$(( $(date -u -d "$revocation_time" +%s) - revoked_at ))
[ "${delta#-}" -le 5 ] || fail "revocation time $revocation_time is $delta s away from the revocation"
pass
expect_contains "$(ocsp "$work/seal.pem")" "seal.pem: good" "other certificates stay good"
expect_failure 1 "already revoked" lontar cert revoke --data "$data" --serial "$second_serial" --reason keyCompromise
expect_failure 1 "Unknown reason" lontar cert revoke --data "$data" --serial "$seal_serial" --reason bored
expect_failure 1 "No certificate has the serial" lontar cert revoke --data "$data" --serial 0BADC0DE --reason keyCompromise

# GET form (RFC 6960 A.1): base64 of the DER request in the path.
openssl ocsp -issuer "$ca/issuing.crt" -cert "$work/seal.pem" -no_nonce -reqout "$work/req.der" >/dev/null 2>&1
b64=$(base64 -w0 "$work/req.der" | sed 's/+/%2B/g; s/\//%2F/g; s/=/%3D/g')
curl -s -D "$work/get.headers" "$url/ocsp/$b64" -o "$work/get.der"
expect_contains "$(openssl ocsp -respin "$work/get.der" -issuer "$ca/issuing.crt" -cert "$work/seal.pem" -CAfile "$ca/root.crt" -verify_other "$ca/issuing.crt" 2>&1)" "seal.pem: good" "GET response"
expect_contains "$(cat "$work/get.headers")" "max-age=" "GET max-age"
expect_contains "$(cat "$work/get.headers")" "ETag:" "GET ETag"
expect_contains "$(cat "$work/get.headers")" "application/ocsp-response" "content type"

# Garbage gets malformedRequest (status 1) and the server keeps serving.
head -c 300 /dev/urandom | curl -s --data-binary @- -H 'Content-Type: application/ocsp-request' "$url/ocsp" -o "$work/bad.der"
expect_contains "$(openssl ocsp -respin "$work/bad.der" -resp_text 2>&1)" "malformedrequest" "malformedRequest"
curl -s --data-binary "" "$url/ocsp" -o "$work/empty.der"
expect_contains "$(openssl ocsp -respin "$work/empty.der" -resp_text 2>&1)" "malformedrequest" "empty request"
# A certificate of another CA: unauthorized.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/other.key" -subj "/CN=Other CA" -out "$work/other.crt" -days 2 2>/dev/null
openssl ocsp -issuer "$work/other.crt" -serial 0x1234 -no_nonce -reqout "$work/other.req" >/dev/null 2>&1
curl -s --data-binary @"$work/other.req" "$url/ocsp" -o "$work/other.der"
expect_contains "$(openssl ocsp -respin "$work/other.der" -resp_text 2>&1)" "unauthorized" "unauthorized for another issuer"
expect_contains "$(ocsp "$work/seal.pem")" "seal.pem: good" "still serving"
# An unknown serial of our CA.
expect_contains "$(openssl ocsp -issuer "$ca/issuing.crt" -serial 0x0BADC0DE -url "$url/ocsp" -CAfile "$ca/root.crt" -verify_other "$ca/issuing.crt" 2>&1)" ": unknown" "unknown serial"

# CRL: served as application/pkix-crl, verifies, lists both with reasons (a new CRL
# appears within 5 s of the revocation).
deadline=$((SECONDS + 5))
while :; do
  curl -s -D "$work/crl.headers" "$url/crl/issuing.crl" -o "$work/crl1.der"
  openssl crl -inform DER -in "$work/crl1.der" -noout -text | grep -q "$second_serial" && break
  [ $SECONDS -lt $deadline ] || fail "the revoked certificate is not in a CRL within 5 s"
  sleep 0.2
done
expect_contains "$(cat "$work/crl.headers")" "application/pkix-crl" "CRL content type"
expect_contains "$(cat "$work/crl.headers")" "Cache-Control: public, max-age=" "CRL caching"
openssl crl -inform DER -in "$work/crl1.der" -out "$work/crl1.pem"
crl_text=$(openssl crl -in "$work/crl1.pem" -noout -text)
expect_contains "$crl_text" "Version 2" "CRL v2"
expect_contains "$crl_text" "Serial Number: $first_serial" "superseded in CRL"
expect_contains "$crl_text" "Serial Number: $second_serial" "revoked in CRL"
expect_contains "$crl_text" "Key Compromise" "reason code"
expect_contains "$crl_text" "Superseded" "superseded reason code"
expect_contains "$crl_text" "Invalidity Date" "invalidity date"
expect_contains "$crl_text" "X509v3 Authority Key Identifier" "CRL AKI"
expect_contains "$(openssl crl -in "$work/crl1.pem" -noout -CAfile "$work/chain.pem" 2>&1)" "verify OK" "CRL signature"
number1=$(openssl crl -in "$work/crl1.pem" -noout -crlnumber | cut -d= -f2)

# openssl verify -crl_check refuses the revoked certificate and accepts the valid one.
cat "$work/crl1.pem" >"$work/crls.pem"
openssl crl -inform DER -in <(curl -s "$url/crl/root.crl") >>"$work/crls.pem"
expect_contains "$(openssl verify -crl_check -CAfile "$work/chain.pem" -CRLfile "$work/crls.pem" "$work/second.pem" 2>&1)" "certificate revoked" "verify refuses revoked"
expect_contains "$(openssl verify -crl_check_all -CAfile "$work/chain.pem" -CRLfile "$work/crls.pem" "$work/seal.pem" 2>&1)" "seal.pem: OK" "verify accepts valid"

# A further revocation makes a new CRL with a larger number.
lontar cert revoke --data "$data" --serial "$seal_serial" --reason cessationOfOperation >/dev/null
deadline=$((SECONDS + 5))
while :; do
  curl -s "$url/crl/issuing.crl" -o "$work/crl2.der"
  openssl crl -inform DER -in "$work/crl2.der" -noout -text | grep -q "$seal_serial" && break
  [ $SECONDS -lt $deadline ] || fail "new CRL without the revoked seal within 5 s"
  sleep 0.2
done
pass
number2=$(openssl crl -inform DER -in "$work/crl2.der" -noout -crlnumber | cut -d= -f2)
[ $((number2)) -gt $((number1)) ] || fail "CRL number did not grow: $number1 -> $number2"
pass
expect_contains "$(openssl crl -inform DER -in "$work/crl2.der" -noout -text)" "Cessation Of Operation" "cessation reason"

# The CLI writes the same CRL for offline publication.
lontar crl generate --data "$data" --out "$work/cli.crl" >/dev/null
expect_contains "$(openssl crl -inform DER -in "$work/cli.crl" -noout -text)" "$seal_serial" "CLI CRL"
expect_contains "$(lontar audit verify --data "$data")" "intact" "audit after revocations"
expect_contains "$(sqlite3 "$data/lontar.db" "SELECT group_concat(action) FROM audit_events WHERE action='certificate.revoked'")" "certificate.revoked,certificate.revoked" "revocations audited"
done_checks
