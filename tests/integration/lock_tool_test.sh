#!/usr/bin/env bash
# lontar-lock against a real `lontar serve`: the whole LOCK path scripted (token from
# the API → enroll → approval → wait → fetch → export, checked by openssl), the key
# file encrypted and private, no private-key material in any request (captured by a
# recording proxy), every refusal plain and leaving nothing half-written, a
# submission cut mid-way and retried without a second request, an untrusted server
# refused, and the interactive mode answered through a pseudo-terminal.
source "$(dirname "$0")/lib.sh"
: "${MAKE_LETTER:?}" "${LOCK_BIN:?LOCK_BIN must point at lontar-lock}"
tools=$(cd "$(dirname "$0")/../tools" && pwd)
make_instance
add_account 5108010101900002 "Kadek Verifikator" verifier
add_account 5108010101900003 "Wayan Interaktif" applicant
set_applicant_password 5108010101900002
"$MAKE_LETTER" >"$work/letter.pdf"
printf 'not a pdf at all\n' >"$work/letter.txt"
printf 'Kunci-LOCK-Saya-2026\n' >"$work/passphrase"
printf 'lemah\n' >"$work/weak"

start_server --tls
tls_url=$url
start_server
port=${url##*:}
python3 "$tools/recording_proxy.py" "$port" "$work/proxy.port" "$work/bodies.log" /api/v1/lock/submit &
stop_at_exit "$!"
for _ in $(seq 1 50); do [ -s "$work/proxy.port" ] && break; sleep 0.1; done
proxy="http://127.0.0.1:$(cat "$work/proxy.port")"

applicant=$(bearer 5108010101900001)
verifier=$(bearer 5108010101900002)
new_token() { # bearer → CSR token of a new LOCK request
  curl -s -H "Authorization: Bearer $1" -H 'Content-Type: application/json' \
    -d '{"product":"individual-1y","method":"lock","agreement_accepted":true}' "$url/api/v1/requests" | json_field '["csr_token"]'
}
ks=$work/keystore
lock() { "$LOCK_BIN" --keystore "$ks" --lang en "$@"; }
keystore_entries() { find "$ks" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l | tr -d ' '; }

# Refusals first: each is plain, non-zero, and leaves the keystore empty.
# The token never goes on the command line, where the process list shows it.
expect_failure 2 "process list" lock enroll --server "$url" --insecure-http --token AAAA-BBBB-CCCC-DDDD-EEEE \
  --letter "$work/letter.pdf" --yes
token=$(new_token "$applicant")
expect_failure 1 "The CSR token is not known" lock enroll --server "$url" --insecure-http --token-file "$(token_file AAAA-BBBB-CCCC-DDDD-EEEE)" \
  --letter "$work/letter.pdf" --passphrase-file "$work/passphrase" --yes
expect_failure 1 "too weak" lock enroll --server "$url" --insecure-http --token-file "$(token_file "$token")" --letter "$work/letter.pdf" \
  --passphrase-file "$work/weak" --yes
expect_failure 1 "must be a complete PDF" lock enroll --server "$url" --insecure-http --token-file "$(token_file "$token")" --letter "$work/letter.txt" \
  --passphrase-file "$work/passphrase" --yes
expect_failure 1 "plain http:// address is refused" lock enroll --server "$url" --token-file "$(token_file "$token")" --letter "$work/letter.pdf" \
  --passphrase-file "$work/passphrase" --yes
expect_failure 1 "not trusted" lock enroll --server "$tls_url" --token-file "$(token_file "$token")" --letter "$work/letter.pdf" \
  --passphrase-file "$work/passphrase" --yes
expect_failure 1 "Add --yes" lock enroll --server "$url" --insecure-http --token-file "$(token_file "$token")" --letter "$work/letter.pdf" \
  --passphrase-file "$work/passphrase" </dev/null
# In Indonesian (the default) the refusals are Indonesian too, the passphrase rule included.
expect_failure 1 "Alamat http:// biasa ditolak" "$LOCK_BIN" --keystore "$ks" enroll --server "$url" \
  --token-file "$(token_file "$token")" --letter "$work/letter.pdf" --passphrase-file "$work/passphrase" --yes
expect_failure 1 "Frasa sandi terlalu lemah: paling sedikit 10 karakter" "$LOCK_BIN" --keystore "$ks" --insecure-http \
  enroll --server "$url" --token-file "$(token_file "$token")" --letter "$work/letter.pdf" --passphrase-file "$work/weak" --yes
# Interactive: a plain-http address is refused at once, before the token is asked for.
status=0
out=$(python3 "$tools/pty_drive.py" 20 "Server address=$url" -- "$LOCK_BIN" --keystore "$work/ks3" --lang en) || status=$?
expect_eq 1 "$status" "interactive: a plain-http address ends the dialogue"
expect_contains "$out" "plain http:// address is refused" "interactive: the address is checked first"
expect_not_contains "$out" "CSR token:" "interactive: no question after a refused address"
# With the institution's CA the TLS server is trusted (a wrong token shows the connection worked).
expect_failure 1 "The CSR token is not known" lock --ca-file "$data/ca/root.crt" enroll --server "$tls_url" \
  --token-file "$(token_file ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ)" --letter "$work/letter.pdf" --passphrase-file "$work/passphrase" --yes
expect_eq 0 "$(keystore_entries)" "refusals left nothing in the keystore"
expect_eq token_issued "$(sqlite3 "$data/lontar.db" "SELECT state FROM requests WHERE token_sha256 <> '' ORDER BY id DESC LIMIT 1")" "the token is still unused"

# The whole path, through the recording proxy that cuts the first submission's answer.
out=$(lock enroll --server "$proxy" --insecure-http --token-file "$(token_file "$token")" --letter "$work/letter.pdf" --passphrase-file "$work/passphrase" --yes 2>&1)
expect_contains "$out" "Ni Luh Putu Ayu" "enroll names the applicant"
expect_contains "$out" "trying again with the same CSR" "the cut submission is retried"
expect_contains "$out" "was submitted and awaits verification" "submitted"
expect_eq 2 "$(grep -c '^=== POST /api/v1/lock/submit' "$work/bodies.log")" "two submissions reached the server"
expect_eq 1 "$(db_count "requests WHERE account_id = 1 AND state = 'submitted'")" "one request, not two"
expect_eq 0 "$(grep -c -a -i 'PRIVATE' "$work/bodies.log" || true)" "no private key in any request"
request_id=$(sqlite3 "$data/lontar.db" "SELECT id FROM requests WHERE state = 'submitted'")
key=$ks/request-$request_id/key.pem
expect_eq 600 "$(stat -c %a "$key")" "key file mode"
expect_eq 700 "$(stat -c %a "$ks/request-$request_id")" "keystore folder mode"
expect_contains "$(head -1 "$key")" "BEGIN ENCRYPTED PRIVATE KEY" "key encrypted (PKCS#8)"
expect_failure 1 "" openssl pkey -in "$key" -passin pass:wrong-passphrase -noout
openssl pkey -in "$key" -passin "file:$work/passphrase" -noout
pass
# The key in the keystore is the one in the submitted CSR.
expect_eq "$(openssl pkey -in "$key" -passin "file:$work/passphrase" -pubout)" \
  "$(sqlite3 "$data/lontar.db" "SELECT csr_pem FROM requests WHERE id = $request_id" | openssl req -pubkey -noout)" "CSR carries the local key"

expect_contains "$(lock status)" "waiting for verification" "status"
expect_failure 3 "No decision yet" lock wait --timeout 1 --interval 0.2
curl -s -o /dev/null -H "Authorization: Bearer $verifier" -X POST "$url/api/v1/requests/$request_id/approve"
expect_contains "$(lock wait --timeout 30 --interval 0.2)" "The certificate is issued" "wait sees the decision"
expect_contains "$(lock fetch)" "certificate.pem" "fetch"
cert=$ks/request-$request_id/certificate.pem
expect_contains "$(openssl verify -CAfile "$ks/request-$request_id/chain.pem" "$cert" 2>&1)" "OK" "openssl verify"
expect_eq "$(openssl pkey -in "$key" -passin "file:$work/passphrase" -pubout)" "$(openssl x509 -in "$cert" -noout -pubkey)" "certificate's key is the local key"
expect_contains "$(lock export --p12 "$work/ayu.p12" --passphrase-file "$work/passphrase")" "PKCS#12 file written" "export"
expect_eq 600 "$(stat -c %a "$work/ayu.p12")" "PKCS#12 mode"
info=$(openssl pkcs12 -info -in "$work/ayu.p12" -passin "file:$work/passphrase" -nodes 2>&1)
expect_contains "$info" "PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC" "PKCS#12 encryption"
expect_contains "$info" "BEGIN PRIVATE KEY" "PKCS#12 holds the key"
expect_eq 3 "$(grep -c 'BEGIN CERTIFICATE' <<<"$info")" "PKCS#12 holds certificate and chain"
expect_failure 1 "" openssl pkcs12 -info -in "$work/ayu.p12" -passin pass:wrong -nokeys
expect_failure 1 "The passphrase is wrong" lock export --p12 "$work/other.p12" --passphrase-file "$work/weak"
expect_contains "$(lock list)" "certificate issued" "list"
expect_eq "" "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("token", ""))' "$ks/request-$request_id/request.json")" "the CSR token is forgotten once the certificate is fetched"
expect_contains "$(lock status)" "certificate issued" "status still answers from the keystore"
expect_contains "$(lock fetch)" "certificate.pem" "fetch again is harmless"

# A used token: refused, and the keystore keeps only the enrolment that succeeded.
expect_failure 1 "already used" lock enroll --server "$url" --insecure-http --token-file "$(token_file "$token")" --letter "$work/letter.pdf" \
  --passphrase-file "$work/passphrase" --yes
# An expired token.
expired=$(new_token "$applicant")
sqlite3 "$data/lontar.db" "UPDATE requests SET token_expires_at = 1 WHERE state = 'token_issued'"
expect_failure 1 "has expired" lock enroll --server "$url" --insecure-http --token-file "$(token_file "$expired")" --letter "$work/letter.pdf" \
  --passphrase-file "$work/passphrase" --yes
expect_eq 1 "$(keystore_entries)" "only the successful enrolment is kept"

# Interactive: the same steps answered at the prompts of a pseudo-terminal.
wayan=$(bearer 5108010101900003)
itoken=$(new_token "$wayan")
( for _ in $(seq 1 300); do
    id=$(sqlite3 "$data/lontar.db" "SELECT id FROM requests WHERE account_id = 3 AND state = 'submitted'")
    [ -n "$id" ] && curl -s -o /dev/null -H "Authorization: Bearer $verifier" -X POST "$url/api/v1/requests/$id/approve" && break
    sleep 0.1
  done ) &
out=$(python3 "$tools/pty_drive.py" 60 "Server address=$url" "CSR token=$itoken" "letter file=$work/letter.pdf" \
  "Continue?=y" "Passphrase:=Frasa-Wayan-2026" "Repeat the passphrase=Frasa-Wayan-2026" -- \
  "$LOCK_BIN" --keystore "$work/ks2" --lang en --insecure-http)
expect_contains "$out" "Wayan Interaktif" "interactive: token shown"
expect_contains "$out" "certificate.pem" "interactive: certificate fetched"
expect_not_contains "$out" "Frasa-Wayan-2026" "interactive: the passphrase is not echoed"
expect_eq 1 "$(ls "$work"/ks2/request-*/certificate.pem | wc -l | tr -d ' ')" "interactive keystore"
done_checks
