#!/usr/bin/env bash
# The JSON API: an OpenAPI document, log in, list one's certificates, revoke one's own
# with the password and the CSRF header; anonymous, foreign and malformed calls get
# JSON errors with stable codes.
source "$(dirname "$0")/lib.sh"
make_instance
printf 'Benar-sekali-2026\n' >"$work/pw"
lontar user add --data "$data" --nik 5108010101900002 --name "I Made Api" --email made@undiksha.ac.id \
  --password-file "$work/pw" --no-forced-change >/dev/null
for who in 5108010101900001 5108010101900002; do
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout /dev/null -subj /CN=x -out "$work/$who.csr" 2>/dev/null
  lontar cert issue --data "$data" --nik "$who" --product individual-1y --csr "$work/$who.csr" --out "$work/$who.pem" >/dev/null
done
foreign=$(openssl x509 -in "$work/5108010101900001.pem" -noout -serial | cut -d= -f2)
own=$(openssl x509 -in "$work/5108010101900002.pem" -noout -serial | cut -d= -f2)

start_server
pass
call() { # method path [body] → "status body"
  local method=$1 path=$2 body=${3:-}
  curl -s -X "$method" -b "$work/jar" -c "$work/jar" -H "Content-Type: application/json" \
    -H "X-CSRF-Token: ${csrf:-}" ${body:+--data "$body"} -w ' %{http_code}' "$url$path"
}

spec=$(curl -s "$url/api/v1/openapi.json")
expect_contains "$spec" '"openapi":"3.0.3"' "OpenAPI document"
expect_contains "$spec" '/api/v1/certificates/{serial}/revoke' "revoke documented"

out=$(call GET /api/v1/certificates)
expect_contains "$out" '"code":"login_required"' "anonymous list"
expect_contains "$out" " 401" "anonymous status"
expect_contains "$(call POST /api/v1/session '{"nik":"5108010101900002","password":"wrong-one-1"}')" " 401" "wrong password"
expect_contains "$(call POST /api/v1/session 'not json')" '"code":"bad_json"' "malformed JSON"
expect_contains "$(call POST /api/v1/session '{"nik":"5108010101900002\u0000","password":"x"}')" '"code":"bad_text"' "a NUL in a JSON text"
expect_contains "$(call POST /api/v1/session "$(printf '{"nik":"\xff","password":"x"}')")" '"code":"bad_json"' "JSON that is not UTF-8"
out=$(call POST /api/v1/session '{"nik":"5108010101900002","password":"Benar-sekali-2026"}')
expect_contains "$out" " 200" "API login"
csrf=$(printf '%s' "$out" | sed -n 's/.*"csrf_token":"\([0-9a-f]*\)".*/\1/p')
[ ${#csrf} -eq 64 ] || fail "no CSRF token in: $out"
pass

out=$(call GET /api/v1/certificates)
expect_contains "$out" "\"serial\":\"$own\"" "own certificate listed"
expect_not_contains "$out" "$foreign" "foreign certificate hidden"

# The certificate itself, as the portal offers it: PEM, DER, chain; not someone else's.
call GET "/api/v1/certificates/$own" >/dev/null
curl -s -b "$work/jar" "$url/api/v1/certificates/$own" -o "$work/own.pem"
expect_eq "$(openssl x509 -in "$work/5108010101900002.pem" -noout -fingerprint -sha256)" \
  "$(openssl x509 -in "$work/own.pem" -noout -fingerprint -sha256)" "PEM download"
curl -s -b "$work/jar" "$url/api/v1/certificates/$own?format=der" -o "$work/own.der"
expect_contains "$(openssl x509 -inform DER -in "$work/own.der" -noout -serial)" "$own" "DER download"
curl -s -b "$work/jar" "$url/api/v1/certificates/$own?format=chain" -o "$work/chain.pem"
expect_eq "$work/chain.pem: OK" "$(openssl verify -CAfile "$data/ca/root.crt" -untrusted "$work/chain.pem" "$work/chain.pem" 2>&1 | head -1)" "chain verifies"
expect_contains "$(call GET "/api/v1/certificates/$foreign")" " 404" "a foreign certificate is not handed out"
expect_contains "$(call GET "/api/v1/certificates/$own?format=zip")" '"code":"bad_format"' "unknown format"

saved=$csrf
csrf=wrong
expect_contains "$(call POST "/api/v1/certificates/$own/revoke" '{"reason":"keyCompromise","password":"Benar-sekali-2026"}')" '"code":"csrf"' "CSRF header required"
csrf=$saved
expect_contains "$(call POST "/api/v1/certificates/$own/revoke" '{"reason":"keyCompromise","password":"nope-nope-1"}')" '"code":"wrong_password"' "password required"
expect_contains "$(call POST "/api/v1/certificates/$own/revoke" '{"reason":"cACompromise","password":"Benar-sekali-2026"}')" '"code":"bad_reason"' "holder cannot claim cACompromise"
expect_contains "$(call POST "/api/v1/certificates/$foreign/revoke" '{"reason":"keyCompromise","password":"Benar-sekali-2026"}')" " 404" "foreign certificate"
expect_eq "valid" "$(sqlite3 "$data/lontar.db" "SELECT status FROM certificates WHERE serial = '$foreign'")" "foreign untouched"
out=$(call POST "/api/v1/certificates/$own/revoke" '{"reason":"keyCompromise","password":"Benar-sekali-2026"}')
expect_contains "$out" '"status":"revoked"' "revoked through the API"
expect_contains "$out" " 200" "revoke status"
expect_contains "$(call POST "/api/v1/certificates/$own/revoke" '{"reason":"keyCompromise","password":"Benar-sekali-2026"}')" '"code":"already_revoked"' "second revocation"
expect_contains "$(openssl ocsp -issuer "$data/ca/issuing.crt" -cert "$work/5108010101900002.pem" -url "$url/ocsp" -CAfile "$data/ca/root.crt" -verify_other "$data/ca/issuing.crt" 2>&1)" "revoked" "OCSP agrees"
expect_not_contains "$(cat "$work/serve.err")" "Benar-sekali" "no password in the log"
done_checks
