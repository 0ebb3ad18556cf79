#!/usr/bin/env bash
# The CA side of registration-authority mode: an RA registered with `lontar ra add`
# signs CMP cr/p10cr with its own certificate for a product it may request, and the CA
# issues at once under its vetting (RAVerified accepted, the subject the RA decided), with
# `openssl cmp` as the RA. Sent again with the same transactionID, the request gets the
# same certificate, not a second one. The RA revokes what it asked for, and nothing
# else. An unknown RA certificate, a removed RA, a product it may not request and a
# subject Lontar would not write are refused, and write nothing.
source "$(dirname "$0")/lib.sh"
init_at_own_port
add_account 5108010101900077 "Operator RA Contoh" applicant
newkey() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/$1.key" 2>/dev/null; }
# The RA's certificate, issued by this CA to an operator's account like any other.
newkey ra
openssl req -new -key "$work/ra.key" -subj /CN=ra -out "$work/ra.csr"
lontar cert issue --data "$data" --nik 5108010101900077 --product individual-1y --csr "$work/ra.csr" --out "$work/ra.crt" >/dev/null
out=$(lontar ra add --data "$data" --name univ-contoh --cert "$work/ra.crt" --products individual-1y)
expect_contains "$out" "Registered the registration authority univ-contoh" "lontar ra add"
expect_failure 1 "registered already" lontar ra add --data "$data" --name univ-contoh --cert "$work/ra.crt" --products individual-1y
expect_failure 1 "no product named" lontar ra add --data "$data" --name other --cert "$work/ra.crt" --products no-such-product
expect_contains "$(lontar ra list --data "$data")" "individual-1y" "lontar ra list shows the products"
start_server --as-configured
host=${url#http://}
rows() { db_count "$1"; }
ra_cmp() { # PRODUCT ARGS...: openssl cmp as the RA, for the product the path names
  timeout 60 openssl cmp -server "$host" -path ".well-known/cmp/p/$1" -trusted "$data/ca/root.crt" \
    -cert "$work/ra.crt" -key "$work/ra.key" "${@:2}" 2>&1
}
subject="/C=ID/O=Universitas Contoh/OU=Fakultas Teknik/CN=I Wayan Pemohon/serialNumber=PNOID-5108010101900123"

# --- cr with RAVerified: the holder's public key only, the subject the RA vetted ---
newkey holder
openssl pkey -in "$work/holder.key" -pubout -out "$work/holder.pub"
certificates=$(rows certificates)
ra_cmp individual-1y -cmd cr -newkey "$work/holder.pub" -popo 0 -subject "$subject" -certout "$work/holder.crt" \
  -reqout "$work/cr.der" >"$work/cr.out" || fail "the RA's cr was refused: $(cat "$work/cr.out")"
expect_contains "$(openssl verify -CAfile "$data/ca/chain.pem" "$work/holder.crt")" ": OK" "openssl verify accepts the RA-vetted certificate"
expect_eq "$(cat "$work/holder.pub")" "$(openssl x509 -in "$work/holder.crt" -noout -pubkey)" "the certificate carries the holder's key"
expect_eq "subject=C = ID, O = Universitas Contoh, OU = Fakultas Teknik, CN = I Wayan Pemohon, serialNumber = PNOID-5108010101900123" \
  "$(openssl x509 -in "$work/holder.crt" -noout -subject)" "the subject is the one the RA asked for"
expect_eq $((certificates + 1)) "$(rows certificates)" "one certificate issued"
serial=$(openssl x509 -in "$work/holder.crt" -noout -serial | cut -d= -f2)
expect_eq 1 "$(rows "audit_events WHERE actor = 'ra:univ-contoh' AND action = 'certificate.issued' AND object = 'certificate:$serial'")" "audited with the RA's identity"
expect_eq "confirmed" "$(sqlite3 "$data/lontar.db" "SELECT state FROM cmp_transactions WHERE registration_authority = 'univ-contoh'")" "certConf recorded"
expect_eq 0 "$(rows "requests WHERE state IN ('submitted', 'approved')")" "no verifier of the CA is asked"
ocsp() { openssl ocsp -issuer "$data/ca/issuing.crt" -cert "$1" -url "$url/ocsp" -CAfile "$data/ca/chain.pem" -no_nonce 2>&1; }
expect_contains "$(ocsp "$work/holder.crt")" ": good" "OCSP: good"

# --- the same transaction sent again (the RA lost the answer): the same certificate ---
ra_cmp individual-1y -cmd cr -newkey "$work/holder.pub" -popo 0 -subject "$subject" -reqin "$work/cr.der" \
  -certout "$work/again.crt" >"$work/again.out" || true
expect_contains "$(cat "$work/serve.err")" "\"outcome\":\"issued $serial\"" "the resent request is answered with the certificate issued before"
expect_eq $((certificates + 1)) "$(rows certificates)" "sent again: still one certificate"

# --- p10cr: the holder's CSR, its subject the RA's ---
newkey p10
openssl req -new -key "$work/p10.key" -subj "/C=ID/O=Universitas Contoh/CN=Made Pemohon" -out "$work/p10.csr"
ra_cmp individual-1y -cmd p10cr -csr "$work/p10.csr" -certout "$work/p10.crt" >"$work/p10.out" || fail "p10cr: $(cat "$work/p10.out")"
expect_contains "$(openssl x509 -in "$work/p10.crt" -noout -subject)" "CN = Made Pemohon" "p10cr: the CSR's subject"

# --- refusals: nothing written ---
certificates=$(rows certificates)
newkey other
openssl pkey -in "$work/other.key" -pubout -out "$work/other.pub"
out=$(ra_cmp seal-1y -cmd cr -newkey "$work/other.pub" -popo 0 -subject "$subject" -certout "$work/x.crt") && fail "a product the RA may not request was issued"
expect_contains "$out" "notAuthorized" "a product not registered for the RA: notAuthorized"
expect_contains "$out" "may not request" "… and says so"
out=$(ra_cmp no-such-product -cmd cr -newkey "$work/other.pub" -popo 0 -subject "$subject" -certout "$work/x.crt") && fail "an unknown product was issued"
expect_contains "$out" "badCertTemplate" "an unknown product: badCertTemplate"
out=$(ra_cmp individual-1y -cmd cr -newkey "$work/other.pub" -popo 0 -subject "/CN=x/L=Somewhere" -certout "$work/x.crt") && fail "a subject with L was issued"
expect_contains "$out" "badCertTemplate" "a subject Lontar would not write: badCertTemplate"
# A request changed after the RA signed it (its subject, same length): written by the
# client without a server to send it to, altered, then posted as it is.
timeout 60 openssl cmp -server 127.0.0.1:1 -path .well-known/cmp/p/individual-1y -trusted "$data/ca/root.crt" \
  -cert "$work/ra.crt" -key "$work/ra.key" -cmd cr -newkey "$work/other.pub" -popo 0 -subject "$subject" \
  -certout "$work/x.crt" -reqout "$work/signed.der" >/dev/null 2>&1 || true
[ -s "$work/signed.der" ] || fail "openssl cmp wrote no request"
LC_ALL=C sed 's/I Wayan Pemohon/I Wayan Penipu!/' "$work/signed.der" >"$work/forged.der"
cmp -s "$work/signed.der" "$work/forged.der" && fail "the forged request is unchanged"
expect_eq 200 "$(curl -s -o "$work/forged.rsp" -w '%{http_code}' -H 'Content-Type: application/pkixcmp' \
  --data-binary @"$work/forged.der" "$url/.well-known/cmp/p/individual-1y")" "a forged RA request is answered in CMP"
expect_contains "$(cat "$work/serve.err")" "refused: The signature does not verify with the signer's certificate." \
  "a request altered after the RA signed it: badMessageCheck, nothing issued"
# An RA certificate the CA does not know: from another CA, and one of the CA's own holders.
newkey rogue-root
openssl req -x509 -new -key "$work/rogue-root.key" -subj /CN=rogue-root -days 30 -out "$work/rogue-root.crt"
openssl req -new -key "$work/other.key" -subj /CN=rogue-ra -out "$work/rogue.csr"
openssl x509 -req -in "$work/rogue.csr" -CA "$work/rogue-root.crt" -CAkey "$work/rogue-root.key" -CAcreateserial \
  -days 30 -out "$work/rogue.crt" 2>/dev/null
out=$(timeout 60 openssl cmp -server "$host" -path .well-known/cmp/p/individual-1y -trusted "$data/ca/root.crt" \
  -cert "$work/rogue.crt" -key "$work/other.key" -cmd cr -newkey "$work/other.pub" -popo 0 -subject "$subject" -certout "$work/x.crt" 2>&1) &&
  fail "an unknown RA certificate was accepted"
expect_contains "$out" "signerNotTrusted" "an RA certificate the CA does not know: signerNotTrusted"
issue_holder 5108010101900088 "Pemegang Biasa" applicant
certificates=$((certificates + 1))  # the holder's own, issued by an operator
openssl pkey -in "$work/5108010101900088.key" -passin "file:$work/pw" -out "$work/plain-holder.key"
out=$(timeout 60 openssl cmp -server "$host" -path .well-known/cmp/p/individual-1y -trusted "$data/ca/root.crt" \
  -cert "$work/5108010101900088.pem" -key "$work/plain-holder.key" -cmd cr -newkey "$work/other.pub" -popo 0 \
  -subject "$subject" -certout "$work/x.crt" 2>&1) && fail "a holder's certificate acted as an RA"
expect_contains "$out" "rejection" "a holder's certificate is no RA: refused"
expect_eq "$certificates" "$(rows certificates)" "refusals issue nothing"

# --- rr: the RA revokes what it asked for, and nothing else ---
out=$(ra_cmp individual-1y -cmd rr -oldcert "$work/5108010101900088.pem" -revreason 1) && fail "the RA revoked another's certificate"
expect_contains "$out" "notAuthorized" "rr for a certificate the RA did not ask for: notAuthorized"
expect_contains "$(ocsp "$work/5108010101900088.pem")" ": good" "… and it stays good"
ra_cmp individual-1y -cmd rr -oldcert "$work/holder.crt" -revreason 4 >"$work/rr.out" || fail "rr: $(cat "$work/rr.out")"
for _ in $(seq 1 50); do [[ "$(ocsp "$work/holder.crt")" == *"Reason: superseded"* ]] && break; sleep 0.1; done
expect_contains "$(ocsp "$work/holder.crt")" "Reason: superseded" "rr from the RA: revoked, superseded, in OCSP"
expect_eq 1 "$(rows "audit_events WHERE actor = 'ra:univ-contoh' AND action = 'certificate.revoked'")" "the revocation is audited with the RA's identity"

# --- the RA's account is no person's: no login, no password reset ---
expect_eq 401 "$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
  -d '{"nik":"ra:univ-contoh","password":"anything-at-all"}' "$url/api/v1/session")" "nobody logs in as the RA's account"
expect_failure 1 "registration authority" lontar user reset-password --data "$data" --nik ra:univ-contoh

# --- a removed RA may request nothing more ---
lontar ra remove --data "$data" --name univ-contoh >/dev/null
out=$(ra_cmp individual-1y -cmd cr -newkey "$work/other.pub" -popo 0 -subject "$subject" -certout "$work/x.crt") && fail "a removed RA was issued a certificate"
expect_contains "$out" "signerNotTrusted" "a removed RA: signerNotTrusted"
expect_contains "$(lontar audit verify --data "$data")" "intact" "the audit chain is intact"
done_checks
