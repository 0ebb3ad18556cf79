#!/usr/bin/env bash
# The RFC 3161 timestamp authority of `lontar serve`, checked by `openssl ts`: a query
# made by `openssl ts -query` is answered, `openssl ts -verify` accepts the reply
# against the CA chain, the TSA certificate's only purpose is timeStamping (critical),
# policy and accuracy are stated, serials differ, and garbage gets a rejection.
source "$(dirname "$0")/lib.sh"
make_instance
[ -f "$data/ca/tsa.crt" ] && [ "$(stat -c %a "$data/ca/tsa.key")" = 600 ] || fail "lontar init made no TSA certificate and key"
init_tsa=$(openssl x509 -in "$data/ca/tsa.crt" -noout -fingerprint -sha256)
start_server
printf 'Surat keputusan rektor nomor 1\n' >"$work/document.txt"
curl -s "$url/ca/chain.pem" -o "$work/chain.pem"
curl -s "$url/ca/tsa.crt" -o "$work/tsa.der"
openssl x509 -inform DER -in "$work/tsa.der" -out "$work/tsa.pem"
expect_eq "$init_tsa" "$(openssl x509 -in "$work/tsa.pem" -noout -fingerprint -sha256)" "the server uses the TSA certificate lontar init made"
tsa_text=$(openssl x509 -in "$work/tsa.pem" -noout -text)
expect_contains "$tsa_text" "X509v3 Extended Key Usage: critical" "EKU critical"
expect_contains "$tsa_text" "Time Stamping" "EKU timeStamping"
expect_contains "$(openssl verify -CAfile "$work/chain.pem" -purpose timestampsign "$work/tsa.pem" 2>&1)" "OK" "TSA certificate verifies for timestamp signing"

stamp() { # query-file reply-file
  curl -s -H 'Content-Type: application/timestamp-query' --data-binary "@$1" "$url/tsa" -o "$2" -w '%{http_code} %{content_type}'
}
openssl ts -query -data "$work/document.txt" -sha256 -cert -out "$work/q1.tsq" 2>/dev/null
expect_eq "200 application/timestamp-reply" "$(stamp "$work/q1.tsq" "$work/r1.tsr")" "reply"
reply=$(openssl ts -reply -in "$work/r1.tsr" -text 2>&1)
expect_contains "$reply" "Status: Granted." "granted"
expect_contains "$reply" "Policy OID: 2.999.1.9" "policy stated"
expect_contains "$reply" "Accuracy: 0x01 seconds" "accuracy stated"
expect_contains "$reply" "Hash Algorithm: sha256" "imprint algorithm"
expect_contains "$(openssl ts -verify -in "$work/r1.tsr" -queryfile "$work/q1.tsq" -CAfile "$work/chain.pem" 2>&1)" \
  "Verification: OK" "openssl ts -verify (query)"
expect_contains "$(openssl ts -verify -in "$work/r1.tsr" -data "$work/document.txt" -CAfile "$work/chain.pem" 2>&1)" \
  "Verification: OK" "openssl ts -verify (data)"
printf 'changed\n' >"$work/other.txt"
expect_contains "$(openssl ts -verify -in "$work/r1.tsr" -data "$work/other.txt" -CAfile "$work/chain.pem" 2>&1 || true)" \
  "message imprint mismatch" "another document does not verify"

# Without -cert the token carries no certificate; verification then needs -untrusted.
openssl ts -query -data "$work/document.txt" -sha512 -out "$work/q2.tsq" 2>/dev/null
stamp "$work/q2.tsq" "$work/r2.tsr" >/dev/null
expect_contains "$(openssl ts -verify -in "$work/r2.tsr" -queryfile "$work/q2.tsq" -CAfile "$work/chain.pem" -untrusted "$work/tsa.pem" 2>&1)" \
  "Verification: OK" "SHA-512 imprint, certificate given separately"
serial() { openssl ts -reply -in "$1" -text 2>/dev/null | sed -n 's/^Serial number: //p'; }
[ "$(serial "$work/r1.tsr")" != "$(serial "$work/r2.tsr")" ] || fail "two tokens share a serial"
pass

# Garbage and unsupported digests are rejected inside a well-formed reply.
head -c 64 /dev/urandom >"$work/garbage.tsq"
stamp "$work/garbage.tsq" "$work/bad.tsr" >/dev/null
expect_contains "$(openssl ts -reply -in "$work/bad.tsr" -text 2>&1)" "Status: Rejected" "garbage rejected"
openssl ts -query -data "$work/document.txt" -sha1 -out "$work/q3.tsq" 2>/dev/null
stamp "$work/q3.tsq" "$work/r3.tsr" >/dev/null
expect_contains "$(openssl ts -reply -in "$work/r3.tsr" -text 2>&1)" "unrecognized or unsupported algorithm" "SHA-1 refused"
expect_eq 400 "$(curl -s -o /dev/null -w '%{http_code}' --data-binary "@$work/q1.tsq" "$url/tsa")" "wrong content type"
expect_eq 1 "$(db_count "audit_events WHERE action = 'tsa.certificate_issued'")" "TSA certificate issued once and audited"
done_checks
