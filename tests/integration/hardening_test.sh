#!/usr/bin/env bash
# Findings of the hostile review (issue 13), each tried against a real `lontar serve` on
# loopback with curl, openssl and python as the clients: keys re-encoded or spelled with
# explicit curve parameters, one key on two requests, password re-entry and API logins
# counted towards lockouts, wrongly typed JSON fields, and an access log no path can forge.
source "$(dirname "$0")/lib.sh"
: "${MAKE_LETTER:?MAKE_LETTER must point at the make_letter tool}"
make_instance
add_account 5108010101900002 "I Made Kunci" applicant
add_account 5108010101900003 "Kadek Sandi" applicant
add_account 5108010101900004 "Komang Ulang" applicant
add_account 5108010101900005 "Wayan Esign" applicant
add_account 5108010101900006 "Nyoman Verifikator" verifier
add_account 5108010101900007 "Ketut Helpdesk" helpdesk
add_account 5108010101900008 "Gede Ganti" applicant
"$MAKE_LETTER" "Surat Rekomendasi" >"$work/letter.pdf"

# --- Keys -------------------------------------------------------------------------
# The same P-256 key with its point compressed is the same key: not certified twice,
# and the certificate carries the usual uncompressed point (strictly valid for openssl).
openssl ecparam -name prime256v1 -genkey -noout -out "$work/k.pem"
openssl ec -in "$work/k.pem" -conv_form compressed -out "$work/kc.pem" 2>/dev/null
openssl req -new -key "$work/k.pem" -subj /CN=x -out "$work/plain.csr"
openssl req -new -key "$work/kc.pem" -subj /CN=x -out "$work/compressed.csr"
openssl req -in "$work/compressed.csr" -noout -text | grep -A1 "pub:" | tail -1 | grep -Eq '^ *0[23]:' ||
  fail "openssl did not make a compressed point"
lontar cert issue --data "$data" --nik 5108010101900001 --product individual-1y --csr "$work/compressed.csr" \
  --out "$work/compressed.pem" >/dev/null
expect_eq "$work/compressed.pem: OK" "$(openssl verify -x509_strict -CAfile "$data/ca/root.crt" -untrusted "$data/ca/issuing.crt" "$work/compressed.pem" 2>&1)" \
  "a certificate for a compressed request verifies strictly"
openssl x509 -in "$work/compressed.pem" -noout -text | grep -A1 "pub:" | tail -1 | grep -Eq '^ *04:' ||
  fail "the certificate does not carry the uncompressed point"
expect_failure 1 "already certified" lontar cert issue --data "$data" --nik 5108010101900001 --product seal-1y \
  --csr "$work/plain.csr" --out "$work/again.pem"

# A key with explicit curve parameters is refused before anything is signed.
openssl ecparam -name prime256v1 -param_enc explicit -genkey -noout -out "$work/explicit.pem"
openssl req -new -key "$work/explicit.pem" -subj /CN=x -out "$work/explicit.csr"
expect_failure 1 "named curve" lontar cert issue --data "$data" --nik 5108010101900002 --product individual-1y \
  --csr "$work/explicit.csr" --out "$work/explicit.crt"
expect_eq 1 "$(db_count certificates)" "nothing was issued for the refused requests"

start_server
call() { # jar method path [body] [csrf] → "body status"
  curl -s -X "$2" -b "$1" -c "$1" -H "Content-Type: application/json" -H "X-CSRF-Token: ${5:-}" \
    ${4:+--data "$4"} -w ' %{http_code}' "$url$3"
}
login() { # jar nik → csrf token
  call "$1" POST /api/v1/session "{\"nik\":\"$2\",\"password\":\"$test_password\"}" |
    sed -n 's/.*"csrf_token":"\([0-9a-f]*\)".*/\1/p'
}
csr_with_token() { # token key out
  printf '[req]\nprompt=no\ndistinguished_name=dn\nattributes=attrs\n[dn]\nCN=x\n[attrs]\nchallengePassword=%s\n' "$1" >"$work/req.cnf"
  openssl req -new -key "$2" -config "$work/req.cnf" -out "$3"
}
json_string() { python3 -c 'import json,sys; print(json.dumps(open(sys.argv[1]).read()))' "$1"; }
letter=$(base64 -w0 "$work/letter.pdf")

# --- One key, two open requests -------------------------------------------------------
csrf=$(login "$work/kunci" 5108010101900002)
[ ${#csrf} -eq 64 ] || fail "API login"
tokens=() ids=()
for product in individual-1y seal-1y; do
  out=$(call "$work/kunci" POST /api/v1/requests \
    "{\"product\":\"$product\",\"method\":\"lock\",\"agreement_accepted\":true,\"letter_pdf_base64\":\"$letter\"}" "$csrf")
  expect_contains "$out" " 201" "LOCK request for $product opened"
  tokens+=("$(printf '%s' "$out" | sed -n 's/.*"csr_token":"\([0-9A-Z-]*\)".*/\1/p')")
  ids+=("$(printf '%s' "$out" | sed -n 's/.*"request":{[^}]*"id":\([0-9]*\).*/\1/p')")
done
[ -n "${ids[1]}" ] || fail "no request id in: $out"
openssl ecparam -name prime256v1 -genkey -noout -out "$work/shared.pem"
csr_with_token "${tokens[0]}" "$work/shared.pem" "$work/first.csr"
csr_with_token "${tokens[1]}" "$work/shared.pem" "$work/second.csr"
# A CSR posted to one request's address with the token of the applicant's other request
# is refused before anything is written.
out=$(call "$work/kunci" POST "/api/v1/requests/${ids[1]}/csr" "{\"csr\":$(json_string "$work/first.csr")}" "$csrf")
expect_contains "$out" " 404" "another request's token under this request's address"
expect_eq token_issued "$(sqlite3 "$data/lontar.db" "SELECT state FROM requests WHERE id = ${ids[0]}")" "the other request untouched"
out=$(call "$work/none" POST /api/v1/lock/submit "{\"csr\":$(json_string "$work/first.csr")}")
expect_contains "$out" '"state":"submitted"' "first request submitted"
out=$(call "$work/none" POST /api/v1/lock/submit "{\"csr\":$(json_string "$work/second.csr")}")
expect_contains "$out" '"code":"key_on_other_request"' "the same key on a second request is refused"
expect_eq 1 "$(sqlite3 "$data/lontar.db" "SELECT COUNT(*) FROM requests WHERE state = 'submitted'")" "only one submitted"

# --- Wrongly typed JSON fields are the client's mistake, named ---------------------------
out=$(call "$work/kunci" POST /api/v1/requests '{"product":"individual-1y","method":"esign","agreement_accepted":"yes"}' "$csrf")
expect_contains "$out" '"code":"bad_field"' "agreement_accepted as a string"
expect_contains "$out" "agreement_accepted" "the field is named"
expect_contains "$out" " 400" "a client error, not a crash"
out=$(call "$work/kunci" POST /api/v1/documents/sign '{"pdf_base64":"JVBERi0=","passphrase":"x","page":"one"}' "$csrf")
expect_contains "$out" "'page'" "page as a string is named"
expect_contains "$out" " 400" "page as a string"

# --- A password re-entered to revoke counts towards the account's lockout ---------------
csrf=$(login "$work/sandi" 5108010101900003)
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout /dev/null -subj /CN=x -out "$work/sandi.csr" 2>/dev/null
lontar cert issue --data "$data" --nik 5108010101900003 --product individual-1y --csr "$work/sandi.csr" --out "$work/sandi.pem" >/dev/null
serial=$(openssl x509 -in "$work/sandi.pem" -noout -serial | cut -d= -f2)
for i in 1 2 3 4 5; do
  expect_contains "$(call "$work/sandi" POST "/api/v1/certificates/$serial/revoke" "{\"reason\":\"keyCompromise\",\"password\":\"tebakan-$i-salah\"}" "$csrf")" \
    '"code":"wrong_password"' "wrong re-entry $i"
done
out=$(call "$work/sandi" POST "/api/v1/certificates/$serial/revoke" "{\"reason\":\"keyCompromise\",\"password\":\"$test_password\"}" "$csrf")
expect_contains "$out" '"code":"account_locked"' "the right password is refused while locked"
expect_contains "$(call "$work/other" POST /api/v1/session "{\"nik\":\"5108010101900003\",\"password\":\"$test_password\"}")" " 401" \
  "and so is a login"
expect_eq valid "$(sqlite3 "$data/lontar.db" "SELECT status FROM certificates WHERE serial = '$serial'")" "not revoked"

# --- eSign passphrases cannot be guessed: the key locks, the holder is told, the helpdesk releases
csrf=$(login "$work/esign" 5108010101900005)
out=$(call "$work/esign" POST /api/v1/requests \
  "{\"product\":\"individual-1y\",\"method\":\"esign\",\"agreement_accepted\":true,\"passphrase\":\"Frasa-Rahasia-Wayan-2026\",\"letter_pdf_base64\":\"$letter\"}" "$csrf")
esign_id=$(printf '%s' "$out" | sed -n 's/.*"id":\([0-9]*\).*/\1/p')
vcsrf=$(login "$work/verifier" 5108010101900006)
expect_contains "$(call "$work/verifier" POST "/api/v1/requests/$esign_id/approve" "" "$vcsrf")" '"state":"issued"' "eSign request issued"
sign_body() { printf '{"pdf_base64":"%s","passphrase":"%s","position":"none"}' "$letter" "$1" >"$work/sign.json"; }
sign_with() { sign_body "$1"; curl -s -b "$work/esign" -H "Content-Type: application/json" -H "X-CSRF-Token: $csrf" \
  --data @"$work/sign.json" -w ' %{http_code}' -o "$work/sign.out" "$url/api/v1/documents/sign"; cat "$work/sign.out"; }
for i in 1 2 3 4; do
  expect_contains "$(sign_with "Tebakan-Salah-$i-2026")" "wrong_passphrase" "wrong passphrase $i"
done
expect_contains "$(sign_with "Tebakan-Salah-5-2026")" "esign_key_locked" "the fifth wrong passphrase locks the key"
expect_contains "$(sign_with "Frasa-Rahasia-Wayan-2026")" "esign_key_locked" "then even the right one is refused"
expect_eq 1 "$(sqlite3 "$data/lontar.db" "SELECT COUNT(*) FROM notifications WHERE kind = 'esign.key_locked'")" "the holder is told"
hcsrf=$(login "$work/helpdesk" 5108010101900007)
expect_contains "$(call "$work/helpdesk" POST /api/v1/accounts/5108010101900005/release-esign-key "" "$hcsrf")" '"released":1' \
  "the helpdesk releases it"
expect_contains "$(call "$work/esign" POST /api/v1/accounts/5108010101900005/release-esign-key "" "$csrf")" " 403" \
  "a holder cannot release it"
expect_contains "$(sign_with "Frasa-Rahasia-Wayan-2026")" '"verification_url"' "signing works again"
expect_eq 2 "$(sqlite3 "$data/lontar.db" "SELECT COUNT(*) FROM audit_events WHERE action IN ('esign.key_locked', 'esign.key_released')")" \
  "both audited"

# --- The idempotency ledger keeps no usable CSR token -----------------------------------
csrf=$(login "$work/ulang" 5108010101900004)
body="{\"product\":\"individual-1y\",\"method\":\"lock\",\"agreement_accepted\":true,\"letter_pdf_base64\":\"$letter\"}"
idem() { curl -s -b "$work/ulang" -H "Content-Type: application/json" -H "X-CSRF-Token: $csrf" -H "Idempotency-Key: buka-1" \
  -D "$work/idem.headers" --data "$body" "$url/api/v1/requests"; }
first=$(idem | sed -n 's/.*"csr_token":"\([0-9A-Z-]*\)".*/\1/p')
[ ${#first} -eq 24 ] || fail "no CSR token in the first answer"
expect_eq 0 "$(sqlite3 "$data/lontar.db" "SELECT COUNT(*) FROM idempotency_keys WHERE body LIKE '%csr_token%' OR body LIKE '%$first%'")" \
  "the stored answer holds no token"
second=$(idem | sed -n 's/.*"csr_token":"\([0-9A-Z-]*\)".*/\1/p')
expect_contains "$(cat "$work/idem.headers")" "Idempotent-Replayed: true" "the retry is a replay"
[ ${#second} -eq 24 ] && [ "$second" != "$first" ] || fail "the replay should carry a fresh token, got [$second]"
pass
expect_contains "$(call "$work/none" POST /api/v1/lock/redeem "{\"token\":\"$first\"}")" " 404" "the lost token stops working"
expect_contains "$(call "$work/none" POST /api/v1/lock/redeem "{\"token\":\"$second\"}")" " 200" "the replayed one works"
expect_eq 1 "$(sqlite3 "$data/lontar.db" "SELECT COUNT(*) FROM requests r JOIN accounts a ON a.id = r.account_id WHERE a.nik = '5108010101900004'")" \
  "one request, not two"

# --- A password change ends every other session and bearer token of the account ------------
portal_login() { # jar → the page's CSRF token after logging in as 5108010101900008
  curl -s -c "$1" -b "$1" "$url/login" -o "$work/form.html"
  curl -s -c "$1" -b "$1" -o /dev/null --data-urlencode "csrf=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$work/form.html" | head -1 | sed 's/.*value="//; s/"$//')" \
    --data-urlencode nik=5108010101900008 --data-urlencode "password=$test_password" "$url/login"
  curl -s -b "$1" "$url/kata-sandi" | grep -o 'name="csrf" value="[0-9a-f]*"' | head -1 | sed 's/.*value="//; s/"$//'
}
changer=$(portal_login "$work/ganti-a")
portal_login "$work/ganti-b" >/dev/null
bearer=$(curl -s -H 'Content-Type: application/json' -d "{\"nik\":\"5108010101900008\",\"password\":\"$test_password\"}" \
  "$url/api/v1/session" | sed -n 's/.*"token":"\([0-9a-f]*\)".*/\1/p')
expect_eq 200 "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $bearer" "$url/api/v1/certificates")" "bearer works before"
expect_eq 303 "$(curl -s -o /dev/null -w '%{http_code}' -b "$work/ganti-a" --data-urlencode "csrf=$changer" \
  --data-urlencode "current=$test_password" --data-urlencode new=Baru-sekali-2027 --data-urlencode repeat=Baru-sekali-2027 \
  "$url/kata-sandi")" "password changed in one session"
expect_eq 200 "$(curl -s -o /dev/null -w '%{http_code}' -b "$work/ganti-a" "$url/sertifikat")" "the session that changed it stays"
expect_contains "$(curl -s -D - -o /dev/null -b "$work/ganti-b" "$url/sertifikat")" "Location: /login" "the other browser is logged out"
expect_eq 401 "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $bearer" "$url/api/v1/certificates")" \
  "the bearer token is dead"

# --- API logins are throttled per address, like the portal form -------------------------
for i in $(seq 1 30); do
  call "$work/guess" POST /api/v1/session "{\"nik\":\"51080101019$(printf '%05d' "$i")\",\"password\":\"tebakan\"}" >/dev/null
done
out=$(call "$work/guess" POST /api/v1/session "{\"nik\":\"5108010101900001\",\"password\":\"$test_password\"}")
expect_contains "$out" '"code":"too_many_attempts"' "the 31st login from the address is refused, right password or not"
page=$(curl -s -c "$work/portal" "$url/login")
form_csrf=$(printf '%s' "$page" | grep -o 'name="csrf" value="[0-9a-f]*"' | head -1 | sed 's/.*value="//; s/"$//')
page=$(curl -s -b "$work/portal" -c "$work/portal" --data-urlencode "csrf=$form_csrf" \
  --data-urlencode nik=5108010101900001 --data-urlencode "password=$test_password" "$url/login")
expect_contains "$page" "Terlalu banyak percobaan masuk" "the portal form shares the API's count"

# --- The language chosen on the address survives the redirect to the login page ---------
expect_contains "$(curl -s -o /dev/null -w '%{redirect_url}' "$url/?lang=en")" "/login?lang=en" "the redirect keeps ?lang=en"
expect_contains "$(curl -s -L "$url/?lang=en")" 'lang="en"' "and the login page is in English"

# --- The access log: one JSON object a line, route patterns instead of paths -------------
curl -s -o /dev/null "$url/api/v1/accounts/5108010101900001%22,%22status%22:999/unlock" -X POST
curl -s -o /dev/null "$url/v/ABCDEFGHJKMNPQRSTVWXYZ0123"
sleep 0.3
python3 - "$work/serve.err" <<'PY'
import json, sys
lines = [l for l in open(sys.argv[1]) if '"route"' in l or '"path"' in l]
access = []
for line in lines:
    start = line.index('{')
    entry = json.loads(line[start:])
    if 'route' in entry:
        access.append(entry)
assert access, "no access log lines"
assert all(set(e) == {"remote", "method", "route", "status", "bytes", "us"} for e in access), access[-1]
assert not any(e["status"] == 999 for e in access), "a path forged a field"
text = open(sys.argv[1]).read()
assert "5108010101900001" not in text, "a NIK reached the log"
assert "ABCDEFGHJKMNPQRSTVWXYZ0123" not in text, "a document code reached the log"
assert any(e["route"] == "/v/{code}" for e in access), "route patterns are logged"
print(len(access), "access lines parsed")
PY
pass

# --- After 20 wrong CSR tokens from an address even the right one is refused --------------
good=$second
for i in $(seq 1 20); do call "$work/none" POST /api/v1/lock/redeem "{\"token\":\"AAAA-BBBB-CCCC-DDDD-$(printf '%04d' "$i")\"}" >/dev/null; done
expect_contains "$(call "$work/none" POST /api/v1/lock/redeem "{\"token\":\"$good\"}")" '"code":"too_many_attempts"' \
  "the block comes before the lookup"

# --- Behind a TLS-terminating proxy: Secure cookies and HSTS when the operator says so ---
headers=$(curl -s -D - -o /dev/null "$url/login")
expect_not_contains "$headers" "Strict-Transport-Security" "plain loopback HTTP sends no HSTS"
sed -i 's/^behind_tls_proxy = false/behind_tls_proxy = true/' "$data/lontar.toml"
start_server --allow-plain-http
headers=$(curl -s -D - -o /dev/null "$url/login")
expect_contains "$headers" "Strict-Transport-Security: max-age=31536000" "HSTS behind the proxy"
expect_contains "$(printf '%s' "$headers" | grep -i '^set-cookie')" "Secure" "cookies stay Secure behind the proxy"
done_checks
