#!/usr/bin/env bash
# Registration-authority mode end to end: two `lontar serve` on loopback, a CA and an RA
# of it (`lontar init --mode ra`, registered at the CA with `lontar ra add`). An
# applicant walks the LOCK procedure at the RA (token, lontar-lock enroll, a verifier of
# the RA approves); the CA issues over CMP; openssl verify accepts the certificate
# against the CA's root; the holder signs a PDF at the RA and pdfsig validates it with
# the CA's OCSP; a revocation at the RA shows in the CA's OCSP within 5 s. With the CA
# stopped, approved requests wait and are issued once when it returns (the CA's count
# equals the RA's); an RA killed between the CA's answer and keeping it recovers the same
# certificate through the stored transaction id.
source "$(dirname "$0")/lib.sh"
: "${MAKE_LETTER:?}" "${LOCK_BIN:?LOCK_BIN must point at lontar-lock}"
"$MAKE_LETTER" >"$work/letter.pdf"
"$MAKE_LETTER" "Surat Keputusan" 2 >"$work/in.pdf"
printf 'Kunci-LOCK-Saya-2026\n' >"$work/passphrase"

# --- the CA, and the RA's certificate from it ---
reserve_port
ca_port=$port
ca_data=$work/ca
lontar init --data "$ca_data" --organisation "Lontar CA Nasional" --public-url "http://127.0.0.1:$ca_port" \
  --listen "127.0.0.1:$ca_port" >/dev/null
data=$ca_data
add_account 5108010101900077 "Operator RA Undiksha" applicant
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/ra.key" 2>/dev/null
openssl req -new -key "$work/ra.key" -subj /CN=ra -out "$work/ra.csr"
lontar cert issue --data "$ca_data" --nik 5108010101900077 --product individual-1y --csr "$work/ra.csr" --out "$work/ra.crt" >/dev/null
lontar ra add --data "$ca_data" --name undiksha --cert "$work/ra.crt" --products individual-1y,individual-2y >/dev/null
start_ca() {
  data=$ca_data
  start_server --as-configured
  ca_url=$url
  ca_server=$server
}
start_ca
ca_rows() { sqlite3 -cmd ".timeout 5000" "$ca_data/lontar.db" "SELECT COUNT(*) FROM $1" 2>&1; }

# --- the RA ---
reserve_port
ra_port=$port
ra_data=$work/ra
out=$(lontar init --data "$ra_data" --mode ra --upstream "$ca_url/.well-known/cmp" --upstream-name "Lontar CA Nasional" \
  --upstream-chain "$ca_data/ca/chain.pem" --ra-cert "$work/ra.crt" --ra-key "$work/ra.key" \
  --organisation "Universitas Pendidikan Ganesha" --public-url "http://127.0.0.1:$ra_port" --listen "127.0.0.1:$ra_port")
expect_contains "$out" "registration authority of $ca_url/.well-known/cmp" "lontar init --mode ra"
# Quick retries for the test: an unreachable CA is asked again after 1 s, 2 s, 4 s…
sed -i 's/^retry_seconds = .*/retry_seconds = 1/; s/^timeout_seconds = .*/timeout_seconds = 3/' "$ra_data/lontar.toml"
data=$ra_data
add_account 5108010101900001 "Ni Luh Putu Ayu" applicant
add_account 5108010101900009 "Kadek Verifikator" verifier
start_ra() {
  data=$ra_data
  start_server --as-configured "$@"
  ra_url=$url
  ra_server=$server
}
start_ra
expect_contains "$(curl -s "$ra_url/login")" "Sertifikat diterbitkan oleh Lontar CA Nasional" "the RA's portal names the CA that issues"
expect_contains "$(curl -s "$ca_url/login?lang=en")" "Certificates are issued by Lontar CA Nasional" "the CA's portal names itself"
ra_state() { sqlite3 -cmd ".timeout 5000" "$ra_data/lontar.db" "SELECT state FROM requests WHERE id = $1"; }
wait_issued() { # REQUEST: up to 30 s for the RA to keep its certificate
  for _ in $(seq 1 300); do [ "$(ra_state "$1")" = issued ] && return 0; sleep 0.1; done
}
ra_rows() { sqlite3 -cmd ".timeout 5000" "$ra_data/lontar.db" "SELECT COUNT(*) FROM $1" 2>&1; }
url=$ra_url
applicant=$(bearer 5108010101900001)
verifier=$(bearer 5108010101900009)
ks=$work/keystore
lock() { "$LOCK_BIN" --keystore "$ks" --lang en --insecure-http "$@"; }

# --- the LOCK procedure at the RA; the CA issues ---
token=$(curl -s -H "Authorization: Bearer $applicant" -H 'Content-Type: application/json' \
  -d '{"product":"individual-1y","method":"lock","agreement_accepted":true}' "$ra_url/api/v1/requests" | json_field '["csr_token"]')
lock enroll --server "$ra_url" --token-file "$(token_file "$token")" --letter "$work/letter.pdf" \
  --passphrase-file "$work/passphrase" --yes >/dev/null
request_id=$(sqlite3 "$ra_data/lontar.db" "SELECT id FROM requests WHERE state = 'submitted'")
expect_eq 200 "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $verifier" -X POST "$ra_url/api/v1/requests/$request_id/approve")" \
  "the RA's verifier approves"
lock wait --timeout 30 --interval 0.2 >/dev/null || fail "the certificate did not come: $(tail -5 "$work/serve.err")"
lock fetch >/dev/null
cert=$ks/request-$request_id/certificate.pem
expect_contains "$(openssl verify -CAfile "$ca_data/ca/chain.pem" "$cert")" ": OK" "openssl verify against the CA's root"
expect_contains "$(openssl x509 -in "$cert" -noout -issuer)" "Lontar CA Nasional Issuing CA" "issued by the CA, not the RA"
expect_contains "$(openssl x509 -in "$cert" -noout -subject)" "CN = Ni Luh Putu Ayu" "the subject the RA vetted"
expect_contains "$(openssl x509 -in "$cert" -noout -text)" "127.0.0.1:$ca_port/ocsp" "the certificate names the CA's OCSP"
serial=$(openssl x509 -in "$cert" -noout -serial | cut -d= -f2)
expect_eq 1 "$(ca_rows "certificates WHERE serial = '$serial'")" "the CA keeps the certificate"
expect_eq 1 "$(ca_rows "audit_events WHERE actor = 'ra:undiksha' AND action = 'certificate.issued' AND object = 'certificate:$serial'")" \
  "the CA audits it under the RA's identity"
expect_eq 0 "$(ca_rows "requests WHERE state IN ('submitted', 'approved')")" "no verifier of the CA is asked"
expect_eq 1 "$(ra_rows "audit_events WHERE actor = 'upstream:Lontar CA Nasional' AND action = 'request.issued'")" "the RA audits the upstream's issuance"

# --- the holder signs at the RA; pdfsig validates with the CA's OCSP ---
out=$(lock sign --in "$work/in.pdf" --out "$work/signed.pdf" --passphrase-file "$work/passphrase" 2>&1) || fail "lontar-lock sign at the RA: $out $(tail -5 "$work/serve.err")"
expect_contains "$out" "The document is signed and registered" "lontar-lock signs against the RA"
mkdir -p "$work/nss"
certutil -N -d "sql:$work/nss" --empty-password
certutil -A -n ca-root -t "CT,C,C" -i "$ca_data/ca/root.crt" -d "sql:$work/nss"
report=$(pdfsig_online "$work/nss" "$work/signed.pdf")
expect_contains "$report" "Signature is Valid" "pdfsig: the signature is valid"
expect_contains "$report" "Certificate is Trusted" "pdfsig: trusted through the CA's root and its OCSP"
expect_contains "$(cat "$work/serve.err")" '"route":"/ocsp"' "the RA asked the CA's OCSP for the validation data"

# --- a revocation at the RA reaches the CA's OCSP within 5 s ---
ca_ocsp() { openssl ocsp -issuer "$ca_data/ca/issuing.crt" -cert "$1" -url "$ca_url/ocsp" -CAfile "$ca_data/ca/chain.pem" -no_nonce 2>&1; }
expect_contains "$(ca_ocsp "$cert")" ": good" "CA OCSP: good before"
revoked_at=$(date +%s%N)
lontar cert revoke --data "$ra_data" --serial "$serial" --reason keyCompromise >/dev/null
for _ in $(seq 1 50); do [[ "$(ca_ocsp "$cert")" == *"Reason: keyCompromise"* ]] && break; sleep 0.1; done
elapsed_ms=$((($(date +%s%N) - revoked_at) / 1000000))
expect_contains "$(ca_ocsp "$cert")" "Reason: keyCompromise" "revoked at the RA: the CA's OCSP says revoked, keyCompromise"
[ "$elapsed_ms" -le 5000 ] || fail "the revocation took ${elapsed_ms} ms to reach the CA"
pass
echo "revocation at the RA visible in the CA's OCSP after ${elapsed_ms} ms"
expect_eq 1 "$(ca_rows "audit_events WHERE actor = 'ra:undiksha' AND action = 'certificate.revoked'")" "the CA audits the RA's revocation"

# --- the CA stopped during approvals: requests wait, then are issued once ---
esign_request() { # the applicant's eSign request, approved at the RA; prints its id
  local body id
  body=$(printf '{"product":"individual-%s","method":"esign","agreement_accepted":true,"passphrase":"Frasa-Sandi-Rahasia-2026","letter_pdf_base64":"%s"}' \
    "$1" "$(base64 -w0 "$work/letter.pdf")")
  id=$(curl -s -H "Authorization: Bearer $applicant" -H 'Content-Type: application/json' -d "$body" "$ra_url/api/v1/requests" | json_field '["request"]["id"]')
  curl -s -o /dev/null -H "Authorization: Bearer $verifier" -X POST "$ra_url/api/v1/requests/$id/approve"
  echo "$id"
}
kill "$ca_server"
wait "$ca_server" 2>/dev/null || true
down=$(esign_request 2y)
for _ in $(seq 1 150); do
  [ -n "$(sqlite3 "$ra_data/lontar.db" "SELECT last_error FROM upstream_orders WHERE request_id = $down")" ] && break
  sleep 0.1
done
expect_eq approved "$(sqlite3 "$ra_data/lontar.db" "SELECT state FROM requests WHERE id = $down")" "the CA down: the request stays approved"
expect_contains "$(sqlite3 "$ra_data/lontar.db" "SELECT last_error FROM upstream_orders WHERE request_id = $down")" "did not answer" \
  "the RA keeps why it could not forward"
[ "$(ra_rows "audit_events WHERE action = 'request.forward_failed'")" -ge 1 ] || fail "no forward_failed audit event"
pass
start_ca
wait_issued "$down"
expect_eq issued "$(ra_state "$down")" "the CA back: issued"

# --- the RA killed between the CA's answer and keeping it ---
kill "$ra_server"
wait "$ra_server" 2>/dev/null || true
LONTAR_TEST_CRASH_BEFORE_KEEPING=1 start_ra
url=$ra_url
crashed=$(esign_request 1y)
for _ in $(seq 1 100); do kill -0 "$ra_server" 2>/dev/null || break; sleep 0.1; done
kill -0 "$ra_server" 2>/dev/null && fail "the RA did not stop at the crash point"
pass
expect_eq approved "$(sqlite3 "$ra_data/lontar.db" "SELECT state FROM requests WHERE id = $crashed")" "killed before keeping: still approved"
transaction=$(sqlite3 "$ra_data/lontar.db" "SELECT transaction_id FROM upstream_orders WHERE request_id = $crashed")
expect_eq issued "$(sqlite3 "$ca_data/lontar.db" "SELECT state FROM cmp_transactions WHERE lower(id) = lower('$transaction')")" \
  "the CA had issued in the stored transaction"
start_ra
wait_issued "$crashed"
expect_eq issued "$(ra_state "$crashed")" "restarted: the certificate is kept"
recovered=$(sqlite3 "$ra_data/lontar.db" "SELECT certificate_serial FROM requests WHERE id = $crashed")
expect_eq "$recovered" "$(sqlite3 "$ca_data/lontar.db" "SELECT c.serial FROM certificates c JOIN requests r ON r.id = c.request_id JOIN cmp_transactions t ON t.request_id = r.id WHERE lower(t.id) = lower('$transaction')")" \
  "the same certificate the CA issued in that transaction"

# --- nothing issued twice: the CA's certificates for the RA are the RA's issued requests ---
ra_account=$(sqlite3 "$ca_data/lontar.db" "SELECT id FROM accounts WHERE nik = 'ra:undiksha'")
expect_eq "$(ra_rows "requests WHERE state = 'issued'")" "$(ca_rows "certificates WHERE account_id = $ra_account")" \
  "the CA's certificate count equals the RA's issued count"
expect_eq "$(sqlite3 "$ra_data/lontar.db" "SELECT serial FROM certificates ORDER BY serial")" \
  "$(sqlite3 "$ca_data/lontar.db" "SELECT serial FROM certificates WHERE account_id = $ra_account ORDER BY serial")" \
  "the same serials on both sides"
expect_contains "$(lontar audit verify --data "$ra_data")" "intact" "the RA's audit chain is intact"
expect_contains "$(lontar audit verify --data "$ca_data")" "intact" "the CA's audit chain is intact"
done_checks
