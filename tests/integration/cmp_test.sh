#!/usr/bin/env bash
# CMP (RFC 4210 / RFC 9483) at POST /.well-known/cmp, with OpenSSL's own `openssl cmp`
# as the client: ir with a real CSR token as the MAC secret, polling until a verifier
# approves through the API; p10cr; genm; kur signed with a LOCK holder's certificate
# under both renewal policies; rr and OCSP; certConf rejection revokes. Wrong secret,
# used token, replayed message, revoked signer, another holder's certificate and
# garbage are refused with the failInfo RFC 4210 names, and write nothing.
source "$(dirname "$0")/lib.sh"
: "${MAKE_LETTER:?}"
init_at_own_port
# Renewals right after issuance: a window wider than the certificates' year.
sed -i 's/^renewal_window_days = .*/renewal_window_days = 400/' "$data/lontar.toml"
add_account 5108010101900001 "Ni Luh Putu Ayu" applicant
add_account 5108010101900009 "Kadek Verifikator" verifier
"$MAKE_LETTER" >"$work/letter.pdf"
start_server --as-configured
host=${url#http://}
applicant=$(bearer 5108010101900001)
verifier=$(bearer 5108010101900009)
open_lock() {
  curl -s -H "Authorization: Bearer $1" -H 'Content-Type: application/json' \
    -d "{\"product\":\"individual-1y\",\"method\":\"lock\",\"agreement_accepted\":true,\"letter_pdf_base64\":\"$(base64 -w0 "$work/letter.pdf")\"}" \
    "$url/api/v1/requests" >"$work/open.json"
  request_id=$(json_field '["request"]["id"]' <"$work/open.json")
  token=$(json_field '["csr_token"]' <"$work/open.json")
}
approve() { curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $verifier" -X POST "$url/api/v1/requests/$1/approve"; }
newkey() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/$1.key" 2>/dev/null; }
ca=(-server "$host" -path .well-known/cmp -trusted "$data/ca/root.crt")
cmp() { timeout 60 openssl cmp "${ca[@]}" "$@" 2>&1; }
mac() { cmp -ref "$request_id" -secret "pass:$1" -recipient /CN=Lontar "${@:2}"; }
wait_for() { # PID: its output file's exit line
  wait "$1" || true
}
ocsp_of() { openssl ocsp -issuer "$data/ca/issuing.crt" -cert "$1" -url "$url/ocsp" -CAfile "$data/ca/chain.pem" -no_nonce 2>&1; }
rows() { db_count "$1"; }

# --- ir: MAC with the CSR token, the request number as reference ---
open_lock "$applicant"
newkey ir
out=$(mac WRONG-SECRET -cmd ir -newkey "$work/ir.key" -subject /CN=x -certout "$work/ir.crt") && fail "a wrong secret was accepted: $out"
expect_contains "$out" "badMessageCheck" "wrong secret: badMessageCheck, in a response the client could check (signed)"
expect_eq token_issued "$(sqlite3 "$data/lontar.db" "SELECT state FROM requests WHERE id = $request_id")" "wrong secret: the request is untouched"
expect_eq 0 "$(rows cmp_transactions)" "wrong secret: no transaction recorded"

out=$(mac "$token" -cmd genm)
expect_contains "$out" "genp contains ITAV of type: id-it-caCerts" "genm with the token's MAC: the CA certificates"

mac "$token" -cmd ir -newkey "$work/ir.key" -subject /CN=x -certout "$work/ir.crt" -reqout "$work/ir-req.der" >"$work/ir.out" &
client=$!
for _ in $(seq 1 100); do [ "$(sqlite3 "$data/lontar.db" "SELECT state FROM requests WHERE id = $request_id")" = submitted ] && break; sleep 0.1; done
expect_eq submitted "$(sqlite3 "$data/lontar.db" "SELECT state FROM requests WHERE id = $request_id")" "ir: the key waits for a verifier"
sleep 3
expect_contains "$(cat "$work/serve.err")" '"outcome":"still waiting"' "the client polls (pollReq/pollRep) while it waits"
expect_eq 200 "$(approve "$request_id")" "the verifier approves through the API"
wait "$client" || fail "openssl cmp ir failed: $(cat "$work/ir.out")"
expect_contains "$(cat "$work/ir.out")" "received ip/cp/kup after polling" "ir: the certificate arrives after polling"
expect_contains "$(openssl verify -CAfile "$data/ca/chain.pem" "$work/ir.crt")" ": OK" "openssl verify accepts the CMP certificate"
expect_eq "$(openssl pkey -in "$work/ir.key" -pubout)" "$(openssl x509 -in "$work/ir.crt" -noout -pubkey)" "the certificate carries the client's key"
expect_contains "$(openssl x509 -in "$work/ir.crt" -noout -subject)" "Ni Luh Putu Ayu" "the subject is the CA's decision, not the client's /CN=x"
expect_eq confirmed "$(sqlite3 "$data/lontar.db" "SELECT state FROM cmp_transactions WHERE request_id = $request_id AND body = 'ir'")" "certConf recorded"
expect_eq 1 "$(rows "audit_events WHERE action = 'request.submitted' AND details LIKE '%\"via\":\"cmp\"%'")" "the submission is audited as CMP"

certificates=$(rows certificates)
newkey used
out=$(mac "$token" -cmd ir -newkey "$work/used.key" -subject /CN=x -certout "$work/used.crt") && fail "a used token was accepted"
expect_contains "$out" "notAuthorized" "used token: notAuthorized"
expect_contains "$out" "already used" "used token: said so"
out=$(mac "$token" -cmd ir -newkey "$work/ir.key" -subject /CN=x -reqin "$work/ir-req.der" -certout "$work/replay.crt") && fail "a replayed ir was accepted"
expect_contains "$out" "transactionIdInUse" "replayed message (same transactionID and nonce): transactionIdInUse"
out=$(mac "$token" -cmd genm) && fail "genm under the MAC of a used token was answered: $out"
pass
expect_eq "$certificates" "$(rows certificates)" "refusals issue nothing"

# --- p10cr: a PKCS#10 CSR under the MAC of a second request's token ---
open_lock "$applicant"
newkey p10
openssl req -new -key "$work/p10.key" -subj /CN=p10 -out "$work/p10.csr"
mac "$token" -cmd p10cr -csr "$work/p10.csr" -certout "$work/p10.crt" >"$work/p10.out" &
client=$!
for _ in $(seq 1 100); do [ "$(sqlite3 "$data/lontar.db" "SELECT state FROM requests WHERE id = $request_id")" = submitted ] && break; sleep 0.1; done
expect_eq 200 "$(approve "$request_id")" "p10cr: approved"
wait "$client" || fail "openssl cmp p10cr failed: $(cat "$work/p10.out")"
expect_contains "$(openssl verify -CAfile "$data/ca/chain.pem" "$work/p10.crt")" ": OK" "p10cr: openssl verify"
expect_contains "$(ocsp_of "$work/ir.crt")" "revoked" "the ir certificate was superseded by the p10cr one (OCSP)"

# --- A request the verifier rejects: the polling client gets the rejection and its reason ---
open_lock "$applicant"
newkey rejected
mac "$token" -cmd ir -newkey "$work/rejected.key" -subject /CN=x -certout "$work/rejected.crt" >"$work/rejected.out" &
client=$!
for _ in $(seq 1 100); do [ "$(sqlite3 "$data/lontar.db" "SELECT state FROM requests WHERE id = $request_id")" = submitted ] && break; sleep 0.1; done
expect_eq 200 "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $verifier" -H 'Content-Type: application/json' \
  -d '{"reason":"Surat rekomendasi tidak ditandatangani pimpinan"}' "$url/api/v1/requests/$request_id/reject")" "the verifier rejects"
wait "$client" && fail "the client took a rejected request for issued"
expect_contains "$(cat "$work/rejected.out")" "rejection" "the polling client is told: rejection"
expect_contains "$(cat "$work/rejected.out")" "Surat rekomendasi tidak ditandatangani pimpinan" "…with the verifier's reason"
[ ! -s "$work/rejected.crt" ] || fail "a certificate was written for a rejected request"
pass

# --- Garbage, wrong content, too large ---
head -c 3000 /dev/urandom >"$work/garbage.der"
expect_eq 400 "$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/pkixcmp' --data-binary "@$work/garbage.der" "$url/.well-known/cmp")" "garbage DER: 400"
expect_eq 400 "$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: text/plain' --data-binary "@$work/ir-req.der" "$url/.well-known/cmp")" "wrong content type: 400"
head -c 200 "$work/ir-req.der" >"$work/cut.der"
expect_eq 400 "$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/pkixcmp' --data-binary "@$work/cut.der" "$url/.well-known/cmp")" "truncated message: 400"
head -c 70000 /dev/zero >"$work/large.der"
expect_eq 413 "$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/pkixcmp' --data-binary "@$work/large.der" "$url/.well-known/cmp")" "over 64 KiB: 413, never parsed"

# --- kur, verifier policy: queued, then issued after approval ---
holder=5108010101900002
issue_holder "$holder" "I Made Dosen" applicant
kur() { cmp -cert "$1" -key "$2" -keypass "file:$work/pw" "${@:3}"; }
newkey kur1
kur "$work/$holder.pem" "$work/$holder.key" -cmd kur -newkey "$work/kur1.key" -certout "$work/kur1.crt" >"$work/kur1.out" &
client=$!
for _ in $(seq 1 100); do [ "$(rows "requests WHERE kind = 'renewal' AND state = 'submitted'")" = 1 ] && break; sleep 0.1; done
renewal=$(sqlite3 "$data/lontar.db" "SELECT id FROM requests WHERE kind = 'renewal' AND state = 'submitted'")
[ -n "$renewal" ] || fail "the kur did not reach the verifier queue: $(cat "$work/kur1.out")"
expect_eq 200 "$(approve "$renewal")" "kur (verifier policy): approved"
wait "$client" || fail "openssl cmp kur failed: $(cat "$work/kur1.out")"
expect_contains "$(openssl verify -CAfile "$data/ca/chain.pem" "$work/kur1.crt")" ": OK" "kur: openssl verify"
expect_contains "$(cmp -cert "$work/kur1.crt" -key "$work/kur1.key" -cmd genm)" "id-it-caCerts" "genm signed by a holder"
expect_contains "$(ocsp_of "$work/$holder.pem")" "revoked" "kur: the old certificate is superseded (OCSP)"
expect_eq 1 "$(rows "audit_events WHERE action = 'request.opened' AND details LIKE '%\"renews\"%'")" "the renewal is audited with the certificate it renews"

# Refusals by a holder: the superseded certificate, another holder's certificate.
newkey kur2
out=$(kur "$work/$holder.pem" "$work/$holder.key" -cmd kur -newkey "$work/kur2.key" -certout "$work/no.crt") && fail "a superseded certificate renewed"
expect_contains "$out" "certRevoked" "a superseded signer: certRevoked"
other=5108010101900003
issue_holder "$other" "Komang Lain" applicant
out=$(cmp -cert "$work/$other.pem" -key "$work/$other.key" -keypass "file:$work/pw" -oldcert "$work/kur1.crt" -cmd kur \
  -newkey "$work/kur2.key" -certout "$work/no.crt") && fail "a kur for another holder's certificate was accepted"
expect_contains "$out" "notAuthorized" "another holder's certificate: notAuthorized"
out=$(cmp -cert "$work/$other.pem" -key "$work/$other.key" -keypass "file:$work/pw" -oldcert "$work/kur1.crt" -cmd rr) &&
  fail "an rr for another holder's certificate was accepted"
expect_contains "$out" "notAuthorized" "rr for another holder's certificate: notAuthorized"
expect_contains "$(ocsp_of "$work/kur1.crt")" ": good" "…and that certificate stays good"

# An expired signer. Nothing here can wait a day for a certificate to expire, so the
# CA's own record of its end is moved into the past: that record is what the server
# checks (OpenSSL checks the certificate's dates as well).
expired=5108010101900004
issue_holder "$expired" "Wayan Lampau" applicant
expired_serial=$(openssl x509 -in "$work/$expired.pem" -noout -serial | cut -d= -f2)
sqlite3 "$data/lontar.db" "UPDATE certificates SET not_after = 1000 WHERE serial = '$expired_serial'"
out=$(cmp -cert "$work/$expired.pem" -key "$work/$expired.key" -keypass "file:$work/pw" -cmd kur -newkey "$work/kur2.key" \
  -certout "$work/no.crt") && fail "an expired certificate renewed"
expect_contains "$out" "signerNotTrusted" "an expired signer: signerNotTrusted"
expect_contains "$out" "has expired" "an expired signer: said so"

# --- kur, automatic policy: issued at once ---
kill "$server"
wait "$server" 2>/dev/null || true
sed -i 's/^renewal = .*/renewal = "automatic"/' "$data/lontar.toml"
start_server --as-configured
out=$(cmp -cert "$work/kur1.crt" -key "$work/kur1.key" -cmd kur -newkey "$work/kur2.key" -certout "$work/kur2.crt")
expect_not_contains "$out" "polling" "automatic policy: no waiting"
expect_contains "$(openssl verify -CAfile "$data/ca/chain.pem" "$work/kur2.crt")" ": OK" "automatic kur: openssl verify"
expect_eq 1 "$(rows "audit_events WHERE action = 'request.approved' AND actor = 'system:renewal'")" "automatic approval audited"

# --- certConf rejection: a certificate the client will not use is revoked ---
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout /dev/null -subj /CN=Elsewhere -out "$work/elsewhere.pem" 2>/dev/null
newkey kur3
out=$(cmp -cert "$work/kur2.crt" -key "$work/kur2.key" -cmd kur -newkey "$work/kur3.key" -out_trusted "$work/elsewhere.pem" \
  -certout "$work/kur3.crt") && fail "the client accepted a certificate it could not validate"
rejected=$(sqlite3 "$data/lontar.db" "SELECT serial FROM certificates ORDER BY id DESC LIMIT 1")
expect_eq revoked "$(sqlite3 "$data/lontar.db" "SELECT status FROM certificates WHERE serial = '$rejected'")" "certConf rejection: the new certificate is revoked"
expect_eq rejected_by_client "$(sqlite3 "$data/lontar.db" "SELECT state FROM cmp_transactions ORDER BY created_at DESC, rowid DESC LIMIT 1")" "certConf rejection recorded"

# --- rr: the holder revokes with the certificate's own key; OCSP says revoked ---
out=$(cmp -cert "$work/$other.pem" -key "$work/$other.key" -keypass "file:$work/pw" -oldcert "$work/$other.pem" -cmd rr -revreason 1)
expect_contains "$out" "revocation accepted" "rr accepted"
for _ in $(seq 1 50); do ocsp_of "$work/$other.pem" | grep -q revoked && break; sleep 0.2; done
expect_contains "$(ocsp_of "$work/$other.pem")" "Reason: keyCompromise" "OCSP: revoked with the rr's reason"
newkey kur4
out=$(cmp -cert "$work/$other.pem" -key "$work/$other.key" -keypass "file:$work/pw" -cmd kur -newkey "$work/kur4.key" \
  -certout "$work/no.crt") && fail "a revoked certificate renewed"
expect_contains "$out" "certRevoked" "a revoked signer: certRevoked"
expect_eq 0 "$(rows "requests WHERE account_id = (SELECT id FROM accounts WHERE nik = '$other') AND kind = 'renewal'")" \
  "the refused renewals wrote no request"

lontar audit verify --data "$data" >/dev/null
done_checks
