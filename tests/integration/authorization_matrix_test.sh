#!/usr/bin/env bash
# Authorization matrix over the JSON API: every endpoint × every role × one's own and
# another's object. Applicants never reach another's request or certificate by
# guessing ids; verifiers never decide their own request; the helpdesk and
# administrators cannot approve; anonymous callers get 401. Also: CSRF on cookie
# sessions, bearer tokens, Idempotency-Key replays, the LOCK token endpoints.
source "$(dirname "$0")/lib.sh"
: "${MAKE_LETTER:?MAKE_LETTER must point at the make_letter tool}"
make_instance
add_account 5108010101900002 "Bagus Lain" applicant
add_account 5108010101900003 "Kadek Verifikator" verifier
add_account 5108010101900004 "Komang Verifikator" verifier
add_account 5108010101900005 "Putu Helpdesk" helpdesk
add_account 5108010101900006 "Made Admin" admin
set_applicant_password 5108010101900002
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout /dev/null -subj /CN=x -out "$work/a.csr" 2>/dev/null
lontar cert issue --data "$data" --nik 5108010101900001 --product individual-1y --csr "$work/a.csr" --out "$work/a.pem" >/dev/null
cert_a=$(openssl x509 -in "$work/a.pem" -noout -serial | cut -d= -f2)
letter_b64=$("$MAKE_LETTER" | base64 -w0)

start_server

declare -A token
for who in applicant:5108010101900001 other:5108010101900002 verifier:5108010101900003 verifier2:5108010101900004 \
           helpdesk:5108010101900005 admin:5108010101900006; do
  token[${who%%:*}]=$(curl -s -H 'Content-Type: application/json' \
    -d "{\"nik\":\"${who#*:}\",\"password\":\"Benar-sekali-2026\"}" "$url/api/v1/session" | json_field '["token"]')
done

# call ROLE METHOD PATH [JSON] → status; body in $work/body
call() {
  local auth=()
  [ "$1" != anonymous ] && auth=(-H "Authorization: Bearer ${token[$1]}")
  local data=()
  [ -n "${4:-}" ] && data=(-H 'Content-Type: application/json' --data "$4")
  curl -s -o "$work/body" -w '%{http_code}' -X "$2" "${auth[@]}" "${data[@]}" "$url$3"
}
check() { # expected role method path [json]
  local got
  got=$(call "$2" "$3" "$4" "${5:-}")
  [ "$got" == "$1" ] || fail "$2 $3 $4: expected $1, got $got: $(head -c 300 "$work/body")"
  pass
}
csr_with_token() { # token file
  printf '[req]\nprompt=no\ndistinguished_name=dn\nattributes=at\n[dn]\nCN=x\n[at]\nchallengePassword=%s\n' "$1" >"$work/req.cnf"
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$2.key" -config "$work/req.cnf" -out "$2" 2>/dev/null
}
submitted_request() { # role → request id (LOCK, submitted with a CSR)
  call "$1" POST /api/v1/requests "{\"product\":\"individual-1y\",\"method\":\"lock\",\"agreement_accepted\":true,\"letter_pdf_base64\":\"$letter_b64\"}" >/dev/null
  local id tok
  id=$(json_field '["request"]["id"]' <"$work/body")
  tok=$(json_field '["csr_token"]' <"$work/body")
  csr_with_token "$tok" "$work/$1.csr"
  call "$1" POST "/api/v1/requests/$id/csr" "$(python3 -c 'import json,sys; print(json.dumps({"csr": open(sys.argv[1]).read()}))' "$work/$1.csr")" >/dev/null
  echo "$id"
}

ra=$(submitted_request applicant)
rv=$(submitted_request verifier)
expect_eq submitted "$(sqlite3 "$data/lontar.db" "SELECT state FROM requests WHERE id=$ra")" "applicant's request submitted"
expect_eq submitted "$(sqlite3 "$data/lontar.db" "SELECT state FROM requests WHERE id=$rv")" "verifier's own request submitted"

# Reading.
for role in anonymous; do
  for path in /api/v1/certificates /api/v1/requests "/api/v1/requests/$ra" "/api/v1/requests/$ra/letter" /api/v1/queue "/api/v1/accounts?q=Bagus"; do
    check 401 $role GET "$path"
  done
done
check 200 applicant GET /api/v1/certificates
expect_contains "$(cat "$work/body")" "$cert_a" "own certificate listed"
check 200 other GET /api/v1/certificates
expect_not_contains "$(cat "$work/body")" "$cert_a" "another's certificate not listed"
check 200 other GET /api/v1/requests
expect_not_contains "$(cat "$work/body")" "\"id\":$ra," "another's request not listed"
check 200 applicant GET "/api/v1/requests/$ra"
expect_not_contains "$(cat "$work/body")" "token_sha256" "no token hash in the API"
expect_not_contains "$(cat "$work/body")" "BEGIN CERTIFICATE REQUEST" "no CSR in the API"
check 200 applicant GET "/api/v1/requests/$ra/letter"
for n in "$rv" $((rv + 1)) $((rv + 2)) 999999 0; do
  check 404 applicant GET "/api/v1/requests/$n"  # guessing ids finds nothing
done
check 404 other GET "/api/v1/requests/$ra"
check 404 other GET "/api/v1/requests/$ra/letter"
check 404 other GET "/api/v1/requests/abc"
for role in verifier verifier2 helpdesk admin; do
  check 200 $role GET "/api/v1/requests/$ra"
  expect_contains "$(cat "$work/body")" "5108010101900001" "$role sees the applicant"
  check 200 $role GET "/api/v1/requests/$ra/letter"
  check 200 $role GET /api/v1/queue
done
check 403 applicant GET /api/v1/queue
check 403 other GET /api/v1/queue
for role in applicant other verifier verifier2; do check 403 $role GET "/api/v1/accounts?q=Bagus"; done
check 200 helpdesk GET "/api/v1/accounts?q=Bagus"
expect_contains "$(cat "$work/body")" "5108010101900002" "helpdesk finds by name"
check 200 admin GET "/api/v1/accounts?q=510801010190000"
expect_eq "6 False" "$(json_field '["accounts"].__len__()' <"$work/body") $(json_field '["more"]' <"$work/body")" \
  "a search says whether more people match than it shows"

# Changing: nobody but the owner cancels; only another verifier decides.
for role in other verifier helpdesk admin; do check 404 $role POST "/api/v1/requests/$ra/cancel"; done
check 401 anonymous POST "/api/v1/requests/$ra/approve"
for role in applicant other helpdesk admin; do
  check 403 $role POST "/api/v1/requests/$ra/approve"
  check 403 $role POST "/api/v1/requests/$ra/reject" '{"reason":"not allowed to decide"}'
done
check 403 verifier POST "/api/v1/requests/$rv/approve"
check 403 verifier POST "/api/v1/requests/$rv/reject" '{"reason":"deciding my own request"}'
check 400 verifier2 POST "/api/v1/requests/$rv/reject" '{"reason":""}'
for role in anonymous; do check 401 $role POST /api/v1/requests '{}'; done
check 401 anonymous POST "/api/v1/accounts/5108010101900002/unlock"
for role in applicant other verifier; do check 403 $role POST "/api/v1/accounts/5108010101900002/unlock"; done
check 200 helpdesk POST "/api/v1/accounts/5108010101900002/unlock"
# Someone else's certificate cannot be revoked, whoever asks.
for role in other verifier helpdesk admin; do
  check 404 $role POST "/api/v1/certificates/$cert_a/revoke" '{"reason":"keyCompromise","password":"Benar-sekali-2026"}'
done
expect_eq valid "$(sqlite3 "$data/lontar.db" "SELECT status FROM certificates WHERE serial='$cert_a'")" "certificate untouched"

# Another's CSR token, uploaded to one's own request id or by someone else, is refused.
call other POST /api/v1/requests "{\"product\":\"individual-1y\",\"method\":\"lock\",\"agreement_accepted\":true}" >/dev/null
ro=$(json_field '["request"]["id"]' <"$work/body")
other_token=$(json_field '["csr_token"]' <"$work/body")
csr_with_token "$other_token" "$work/stolen.csr"
check 404 applicant POST "/api/v1/requests/$ra/csr" "$(python3 -c 'import json,sys; print(json.dumps({"csr": open(sys.argv[1]).read()}))' "$work/stolen.csr")"
check 404 applicant POST "/api/v1/requests/$ro/csr" "$(python3 -c 'import json,sys; print(json.dumps({"csr": open(sys.argv[1]).read()}))' "$work/stolen.csr")"
expect_eq token_issued "$(sqlite3 "$data/lontar.db" "SELECT state FROM requests WHERE id=$ro")" "stolen token unused"

# The decisions that are allowed.
check 200 verifier2 POST "/api/v1/requests/$rv/approve"
check 200 verifier POST "/api/v1/requests/$ra/approve"
expect_eq issued "$(json_field '["state"]' <"$work/body")" "approval issues"
check 409 verifier2 POST "/api/v1/requests/$ra/reject" '{"reason":"too late, already decided"}'
check 409 applicant POST "/api/v1/certificates/$cert_a/revoke" '{"reason":"cessationOfOperation","password":"Benar-sekali-2026"}'
expect_contains "$(cat "$work/body")" "already superseded" "the renewal superseded it; revocation is final"

# Cookie sessions need the CSRF header on every change.
curl -s -c "$work/jar" -H 'Content-Type: application/json' -d '{"nik":"5108010101900002","password":"Benar-sekali-2026"}' "$url/api/v1/session" -o "$work/login.json"
expect_eq 403 "$(curl -s -o /dev/null -w '%{http_code}' -b "$work/jar" -X POST "$url/api/v1/requests/$ro/cancel")" "cookie without CSRF header"
csrf=$(json_field '["csrf_token"]' <"$work/login.json")
expect_eq 200 "$(curl -s -o /dev/null -w '%{http_code}' -b "$work/jar" -H "X-CSRF-Token: $csrf" -X POST "$url/api/v1/requests/$ro/cancel")" "cookie with CSRF header"

# Idempotency-Key: a retried creation returns the first answer and creates nothing.
body='{"product":"individual-1y","method":"lock","agreement_accepted":true}'
first=$(curl -s -H "Authorization: Bearer ${token[other]}" -H 'Idempotency-Key: retry-1' -H 'Content-Type: application/json' -d "$body" "$url/api/v1/requests")
before=$(db_count requests)
second=$(curl -s -D "$work/h2" -H "Authorization: Bearer ${token[other]}" -H 'Idempotency-Key: retry-1' -H 'Content-Type: application/json' -d "$body" "$url/api/v1/requests")
expect_eq "$(json_field '["request"]["id"]' <<<"$first")" "$(json_field '["request"]["id"]' <<<"$second")" "the replay names the same request"
# The ledger keeps no token: the replay carries a fresh one, the lost one stops working.
[ "$(json_field '["csr_token"]' <<<"$first")" != "$(json_field '["csr_token"]' <<<"$second")" ] || fail "the replay reused the stored token"
pass
expect_contains "$(cat "$work/h2")" "Idempotent-Replayed: true" "replay marked"
expect_eq "$before" "$(db_count requests)" "no second request"
expect_eq 422 "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer ${token[other]}" -H 'Idempotency-Key: retry-1' -H 'Content-Type: application/json' -d '{"product":"individual-2y","method":"lock","agreement_accepted":true}' "$url/api/v1/requests")" "same key, other body"

# LOCK endpoints: the token is the credential.
lock_token=$(json_field '["csr_token"]' <<<"$second")
check 200 anonymous POST /api/v1/lock/redeem "{\"token\":\"$lock_token\"}"
expect_contains "$(cat "$work/body")" "Bagus Lain" "redeem names the applicant"
expect_not_contains "$(cat "$work/body")" "5108010101900002" "redeem masks the NIK"
check 404 anonymous POST /api/v1/lock/redeem '{"token":"AAAA-BBBB-CCCC-DDDD-EEEE"}'
check 401 anonymous GET /api/v1/lock/status
# Every endpoint exercised above is documented in the OpenAPI document.
curl -s "$url/api/v1/openapi.json" -o "$work/openapi.json"
missing=$(python3 - "$work/openapi.json" <<'PY'
import json, sys
paths = json.load(open(sys.argv[1]))["paths"]
wanted = ["/api/v1/session", "/api/v1/certificates", "/api/v1/certificates/{serial}",
          "/api/v1/certificates/{serial}/revoke", "/api/v1/requests",
          "/api/v1/requests/{id}", "/api/v1/requests/{id}/letter", "/api/v1/requests/{id}/csr",
          "/api/v1/requests/{id}/cancel", "/api/v1/requests/{id}/approve", "/api/v1/requests/{id}/reject",
          "/api/v1/queue", "/api/v1/accounts", "/api/v1/accounts/{nik}/unlock", "/api/v1/lock/redeem",
          "/api/v1/lock/submit", "/api/v1/lock/status"]
print(" ".join(p for p in wanted if p not in paths))
PY
)
expect_eq "" "$missing" "undocumented endpoints"
done_checks
