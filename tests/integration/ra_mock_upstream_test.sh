#!/usr/bin/env bash
# RA mode against a CMP server nobody here wrote: OpenSSL's mock server (`openssl cmp
# -port`), answering with a certificate issued beforehand for the request's key. The
# RA's cr (signed with its certificate, RAVerified) is accepted by it and the
# certificate is kept; a certificate whose key is not the request's is refused — the RA
# tells the server so in certConf — and nothing is kept.
source "$(dirname "$0")/lib.sh"
: "${MAKE_LETTER:?}" "${LOCK_BIN:?LOCK_BIN must point at lontar-lock}"
"$MAKE_LETTER" >"$work/letter.pdf"
printf 'Kunci-LOCK-Saya-2026\n' >"$work/passphrase"
newkey() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/$1.key" 2>/dev/null; }
issue() { # NAME SUBJECT: NAME.crt for NAME.key, issued by the mock root
  openssl req -new -key "$work/$1.key" -subj "$2" -out "$work/$1.csr"
  printf 'subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\nkeyUsage=critical,digitalSignature\n' >"$work/ee.ext"
  openssl x509 -req -in "$work/$1.csr" -CA "$work/mroot.crt" -CAkey "$work/mroot.key" -CAcreateserial -days 30 \
    -extfile "$work/ee.ext" -out "$work/$1.crt" 2>/dev/null
}
newkey mroot
openssl req -x509 -new -key "$work/mroot.key" -subj "/CN=Mock Upstream Root" -days 30 -out "$work/mroot.crt"
newkey srv && issue srv "/CN=Mock CMP Server"
newkey ra && issue ra "/CN=Mock RA"

reserve_port
mock_port=$port
reserve_port
data=$work/ra
lontar init --data "$data" --mode ra --upstream "http://127.0.0.1:$mock_port" --upstream-name "Mock CA" \
  --upstream-chain "$work/mroot.crt" --ra-cert "$work/ra.crt" --ra-key "$work/ra.key" \
  --organisation "Universitas Pendidikan Ganesha" --public-url "http://127.0.0.1:$port" --listen "127.0.0.1:$port" >/dev/null
# The mock server knows no profiles: the address itself for every product.
sed -i 's/^retry_seconds = .*/retry_seconds = 1/; s/^timeout_seconds = .*/timeout_seconds = 3/; s/^\(individual-[12]y\|seal-[12]y\) = .*/\1 = ""/' \
  "$data/lontar.toml"
add_account 5108010101900001 "Ni Luh Putu Ayu" applicant
add_account 5108010101900009 "Kadek Verifikator" verifier
start_server --as-configured
applicant=$(bearer 5108010101900001)
verifier=$(bearer 5108010101900009)
rows() { sqlite3 -cmd ".timeout 5000" "$data/lontar.db" "SELECT COUNT(*) FROM $1"; }
subject="/C=ID/O=Universitas Pendidikan Ganesha/OU=UPT TIK/CN=Ni Luh Putu Ayu/serialNumber=PNOID-5108010101900001"

# enrol KEYSTORE: a LOCK request through lontar-lock; prints its id; its key in $work/KEYSTORE.pub
enrol() {
  local token id
  token=$(curl -s -H "Authorization: Bearer $applicant" -H 'Content-Type: application/json' \
    -d '{"product":"individual-1y","method":"lock","agreement_accepted":true}' "$url/api/v1/requests" | json_field '["csr_token"]')
  "$LOCK_BIN" --keystore "$work/$1" --lang en --insecure-http enroll --server "$url" --token-file "$(token_file "$token")" \
    --letter "$work/letter.pdf" --passphrase-file "$work/passphrase" --yes >/dev/null
  id=$(sqlite3 "$data/lontar.db" "SELECT id FROM requests WHERE state = 'submitted'")
  sqlite3 "$data/lontar.db" "SELECT csr_pem FROM requests WHERE id = $id" | openssl req -pubkey -noout >"$work/$1.pub"
  echo "$id"
}
# mock CERT: OpenSSL's mock CMP server answering every request with CERT
mock() {
  openssl cmp -port "$mock_port" -srv_cert "$work/srv.crt" -srv_key "$work/srv.key" -srv_trusted "$work/mroot.crt" \
    -rsp_cert "$1" -accept_raverified -max_msgs 2 >"$work/mock.out" 2>&1 &
  mock_pid=$!
  stop_at_exit "$mock_pid"
  # Listening (asked of the kernel: a probe connection would be a message to the mock).
  for _ in $(seq 1 50); do ss -Hltn "sport = :$mock_port" | grep -q LISTEN && break; sleep 0.1; done
}
approve() { curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $verifier" -X POST "$url/api/v1/requests/$1/approve"; }
state_of() { sqlite3 "$data/lontar.db" "SELECT state FROM requests WHERE id = $1"; }

# --- a certificate issued beforehand for the request's key: accepted and kept ---
first=$(enrol ks1)
openssl x509 -new -subj "$subject" -force_pubkey "$work/ks1.pub" -CA "$work/mroot.crt" -CAkey "$work/mroot.key" \
  -days 30 -out "$work/holder.crt" 2>/dev/null
mock "$work/holder.crt"
expect_eq 200 "$(approve "$first")" "approved at the RA"
for _ in $(seq 1 100); do [ "$(state_of "$first")" = issued ] && break; sleep 0.1; done
[ "$(state_of "$first")" = issued ] || fail "the mock's certificate was not kept: $(sqlite3 "$data/lontar.db" \
  "SELECT last_error FROM upstream_orders WHERE request_id = $first"); the mock said: $(cat "$work/mock.out") every attempt: $(sqlite3 "$data/lontar.db" "SELECT details FROM audit_events WHERE action = 'request.forward_failed'")"
pass
wait "$mock_pid" || true
expect_eq 2 "$(grep -c "Received request" "$work/mock.out")" "the mock server received the RA's cr and its certConf"
expect_not_contains "$(cat "$work/mock.out")" "error" "the mock server found nothing wrong in the RA's messages"
serial=$(openssl x509 -in "$work/holder.crt" -noout -serial | cut -d= -f2)
expect_eq "$serial" "$(sqlite3 "$data/lontar.db" "SELECT certificate_serial FROM requests WHERE id = $first")" \
  "the request names the mock's certificate"
"$LOCK_BIN" --keystore "$work/ks1" --lang en --insecure-http fetch >/dev/null
expect_eq "$(openssl x509 -in "$work/holder.crt" -outform DER | sha256sum)" \
  "$(openssl x509 -in "$work/ks1/request-$first/certificate.pem" -outform DER | sha256sum)" "lontar-lock fetches that very certificate"

# --- a certificate for another key: refused, the server told, nothing kept ---
second=$(enrol ks2)
newkey stranger
openssl pkey -in "$work/stranger.key" -pubout -out "$work/stranger.pub"
openssl x509 -new -subj "$subject" -force_pubkey "$work/stranger.pub" -CA "$work/mroot.crt" -CAkey "$work/mroot.key" \
  -days 30 -out "$work/wrong.crt" 2>/dev/null
certificates=$(rows certificates)
mock "$work/wrong.crt"
expect_eq 200 "$(approve "$second")" "approved at the RA"
for _ in $(seq 1 100); do
  [ -n "$(sqlite3 "$data/lontar.db" "SELECT last_error FROM upstream_orders WHERE request_id = $second")" ] && break
  sleep 0.1
done
expect_contains "$(sqlite3 "$data/lontar.db" "SELECT last_error FROM upstream_orders WHERE request_id = $second")" \
  "its key is not the request's key" "a certificate for another key is refused, and why is kept"
wait "$mock_pid" || true
expect_eq 2 "$(grep -c "Received request" "$work/mock.out")" "the mock server was told in certConf (its second message)"
expect_eq approved "$(state_of "$second")" "the request stays approved (asked again later in a new transaction)"
expect_eq "$certificates" "$(rows certificates)" "nothing is kept"
expect_eq 0 "$(rows "certificates WHERE serial = '$(openssl x509 -in "$work/wrong.crt" -noout -serial | cut -d= -f2)'")" \
  "the refused certificate is nowhere"
done_checks
