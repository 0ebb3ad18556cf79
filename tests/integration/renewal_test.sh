#!/usr/bin/env bash
# Renewal with the current certificate: `lontar-lock renew` (a CMP kur through OpenSSL's
# CMP client) under the verifier policy, stopping and resuming, then under the
# automatic policy; the eSign renewal through the API; the renewal window. The old
# certificate is superseded in OCSP and the keystore keeps both.
source "$(dirname "$0")/lib.sh"
: "${MAKE_LETTER:?}" "${LOCK_BIN:?LOCK_BIN must point at lontar-lock}"
init_at_own_port
add_account 5108010101900001 "Ni Luh Putu Ayu" applicant
add_account 5108010101900002 "Dr. Komang Rektor" applicant
add_account 5108010101900009 "Kadek Verifikator" verifier
"$MAKE_LETTER" >"$work/letter.pdf"
printf 'Kunci-LOCK-Saya-2026\n' >"$work/passphrase"
start_server --as-configured
applicant=$(bearer 5108010101900001)
verifier=$(bearer 5108010101900009)
approve() { curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $verifier" -X POST "$url/api/v1/requests/$1/approve"; }
ks=$work/keystore
lock() { "$LOCK_BIN" --keystore "$ks" --lang en --insecure-http "$@"; }
ocsp_of() { openssl ocsp -issuer "$data/ca/issuing.crt" -cert "$1" -url "$url/ocsp" -CAfile "$data/ca/chain.pem" -no_nonce 2>&1; }
submitted_renewal() { sqlite3 "$data/lontar.db" "SELECT id FROM requests WHERE kind = 'renewal' AND state = 'submitted' ORDER BY id DESC LIMIT 1"; }
wait_for_renewal() {
  for _ in $(seq 1 100); do [ -n "$(submitted_renewal)" ] && return; sleep 0.1; done
  fail "no renewal reached the verifier queue"
}
restart_with() { # SED-EXPRESSION
  kill "$server"
  wait "$server" 2>/dev/null || true
  sed -i "$1" "$data/lontar.toml"
  start_server --as-configured
}

# A LOCK holder, enrolled with lontar-lock.
token=$(curl -s -H "Authorization: Bearer $applicant" -H 'Content-Type: application/json' \
  -d '{"product":"individual-1y","method":"lock","agreement_accepted":true}' "$url/api/v1/requests" | json_field '["csr_token"]')
lock enroll --server "$url" --token-file "$(token_file "$token")" --letter "$work/letter.pdf" --passphrase-file "$work/passphrase" --yes >/dev/null
first=$(sqlite3 "$data/lontar.db" "SELECT id FROM requests WHERE state = 'submitted'")
expect_eq 200 "$(approve "$first")" "enrolment approved"
lock wait --timeout 30 --interval 0.2 >/dev/null
lock fetch >/dev/null
old=$ks/request-$first/certificate.pem

# Outside the window (60 days before expiry by default): refused, nothing written.
expect_failure 1 "can be renewed from" lock renew --passphrase-file "$work/passphrase"
expect_eq 0 "$(db_count "requests WHERE kind = 'renewal'")" "outside the window: no request"
expect_eq 1 "$(find "$ks" -name certificate.pem | wc -l)" "outside the window: the keystore is unchanged"

# --- Verifier policy: the renewal waits in the queue, marked as a renewal ---
restart_with 's/^renewal_window_days = .*/renewal_window_days = 400/'
lock renew --passphrase-file "$work/passphrase" >"$work/renew1.out" 2>&1 &
client=$!
wait_for_renewal
renewal=$(submitted_renewal)
queue=$(curl -s -H "Authorization: Bearer $verifier" "$url/api/v1/queue")
expect_contains "$queue" "\"kind\":\"renewal\"" "the verifier sees a renewal in the queue"
expect_eq 200 "$(approve "$renewal")" "renewal approved"
wait "$client" || fail "lontar-lock renew failed: $(cat "$work/renew1.out")"
expect_contains "$(cat "$work/renew1.out")" "The renewal waits for the verifier's decision — Request #$renewal" "renew names the request while it waits"
expect_contains "$(cat "$work/renew1.out")" "The new certificate is issued and kept in" "renew reports the new certificate"
new=$ks/request-$renewal/certificate.pem
expect_contains "$(openssl verify -CAfile "$data/ca/chain.pem" "$new")" ": OK" "openssl verify: the renewed certificate"
expect_eq "$(openssl x509 -in "$old" -noout -subject)" "$(openssl x509 -in "$new" -noout -subject)" "same holder, same subject"
[ "$(openssl x509 -in "$old" -noout -pubkey)" != "$(openssl x509 -in "$new" -noout -pubkey)" ] || fail "the renewal reused the key"
pass
expect_contains "$(ocsp_of "$old")" "revoked" "OCSP: the old certificate is superseded"
expect_contains "$(ocsp_of "$old")" "Reason: superseded" "…with the reason superseded"
expect_contains "$(ocsp_of "$new")" ": good" "OCSP: the new one is good"
expect_eq 2 "$(find "$ks" -name certificate.pem | wc -l)" "the keystore keeps both certificates"
expect_contains "$(lock list)" "$(openssl x509 -in "$new" -noout -serial | cut -d= -f2)" "list shows the new certificate"

# Stopping while it waits keeps the new key; the next renew resumes the same request.
expect_failure 3 "run \`lontar-lock renew\` again later" lock renew --passphrase-file "$work/passphrase" --timeout 2
pending=$(submitted_renewal)
expect_eq "$pending" "$(sqlite3 "$data/lontar.db" "SELECT id FROM requests WHERE kind = 'renewal' ORDER BY id DESC LIMIT 1")" "the stopped renewal waits"
expect_eq 200 "$(approve "$pending")" "the waiting renewal approved"
out=$(lock renew --passphrase-file "$work/passphrase")
expect_contains "$out" "The new certificate is issued" "renew resumes and fetches it"
expect_eq 2 "$(db_count "requests WHERE kind = 'renewal'")" "the resumed renewal opened no second request"
expect_contains "$(openssl verify -CAfile "$data/ca/chain.pem" "$ks/request-$pending/certificate.pem")" ": OK" "the resumed certificate verifies"

# --- Automatic policy: issued at once ---
restart_with 's/^renewal = .*/renewal = "automatic"/'
out=$(lock renew --passphrase-file "$work/passphrase")
expect_contains "$out" "The new certificate is issued" "automatic: issued at once"
expect_not_contains "$out" "waits for the verifier" "automatic: no waiting"
expect_eq 4 "$(find "$ks" -name certificate.pem | wc -l)" "every certificate kept"
expect_eq 1 "$(db_count "audit_events WHERE action = 'request.approved' AND actor = 'system:renewal'")" "automatic approval audited"

# --- eSign through the API ---
issue_esign 5108010101900002 5108010101900009 Frasa-Sandi-Rahasia-2026 "$work/letter.pdf"
holder=$(bearer 5108010101900002)
serial=$(curl -s -H "Authorization: Bearer $holder" "$url/api/v1/certificates" | json_field '["certificates"][0]["serial"]')
renew_esign() { curl -s -o "$work/renew.json" -w '%{http_code}' -H "Authorization: Bearer $2" -H 'Content-Type: application/json' \
  -d "{\"passphrase\":\"$3\"}" "$url/api/v1/certificates/$1/renew"; }
expect_eq 401 "$(renew_esign "$serial" "$holder" Salah-Sekali-2026)" "eSign renewal: a wrong passphrase"
expect_eq 404 "$(renew_esign "$serial" "$applicant" Frasa-Sandi-Rahasia-2026)" "eSign renewal: someone else's certificate"
expect_eq 201 "$(renew_esign "$serial" "$holder" Frasa-Sandi-Rahasia-2026)" "eSign renewal"
expect_eq issued "$(json_field '["state"]' <"$work/renew.json")" "eSign renewal issued at once (automatic)"
expect_eq superseded "$(sqlite3 "$data/lontar.db" "SELECT status FROM certificates WHERE serial = '$serial'")" "the old eSign certificate superseded"
lontar audit verify --data "$data" >/dev/null
done_checks
