#!/usr/bin/env bash
# The verifier's queue as a verifier sees it: with more requests waiting than a page
# shows, the oldest 50 in the order they arrived and a notice that more wait (portal),
# `more` (API, whose page is 200); a filter that matches none says the queue is empty; once one is decided
# the rest fit a page and the notice goes.
source "$(dirname "$0")/lib.sh"
make_instance
add_account 5108010101900002 "Kadek Verifikator" verifier
for n in $(seq 10 60); do
  add_account "51080101019100$n" "Wira Sentana $n" applicant
done
# 51 waiting eSign requests, submitted a minute apart (the storage is what a page reads;
# the procedure that fills it has its own tests).
sqlite3 "$data/lontar.db" "INSERT INTO requests (account_id, product_id, cert_type, method, kind, state, created_at,
  updated_at, submitted_at, agreement_version) SELECT id, 'individual-1y', 'individual', 'esign', 'new', 'submitted',
  1790000000, 1790000000, 1790000000 + 60 * CAST(substr(nik, 15) AS INTEGER), 'v1'
  FROM accounts WHERE nik LIKE '51080101019100%'"
start_server
jar=$work/verifier.jar
csrf=$(api_login 5108010101900002 "$jar")
[ -n "$csrf" ] || fail "verifier login"
pass

page=$(curl -s -b "$jar" "$url/verifikasi")
rows=$(printf '%s' "$page" | grep -o '<td>Wira Sentana [0-9]*' | sed 's/<td>Wira Sentana //')
expect_eq 50 "$(printf '%s\n' "$rows" | wc -l)" "one page of 50 requests"
expect_eq "$(seq 10 59)" "$rows" "the oldest first, in the order they arrived"
expect_contains "$page" 'data-testid="queue-more"' "the page says more wait"
expect_contains "$page" "masih ada yang menunggu" "in Indonesian"
expect_contains "$(curl -s -b "$jar" "$url/verifikasi?lang=en")" "more are waiting behind them" "and in English"
expect_contains "$(curl -s -b "$jar" "$url/verifikasi?method=lock")" "Tidak ada permohonan yang menunggu" \
  "a filter that matches none: the queue is empty"
api=$(curl -s -b "$jar" "$url/api/v1/queue")
expect_eq "51 False" "$(printf '%s' "$api" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d["requests"]), d["more"])')" \
  "the API's page is 200: all 51, no more"

oldest=$(printf '%s' "$page" | grep -o 'permohonan?id=[0-9]*' | head -1 | cut -d= -f2)
code=$(curl -s -b "$jar" -o "$work/reject.json" -w '%{http_code}' -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
  --data '{"reason":"Surat rekomendasi tidak ditandatangani pimpinan unit."}' "$url/api/v1/requests/$oldest/reject")
expect_eq 200 "$code" "the verifier rejects the oldest: $(cat "$work/reject.json")"
page=$(curl -s -b "$jar" "$url/verifikasi")
expect_eq 50 "$(printf '%s' "$page" | grep -o '<td>Wira Sentana [0-9]*' | wc -l)" "the 50 left fit one page"
expect_contains "$page" "Wira Sentana 60" "the newest now on the page"
expect_not_contains "$page" 'data-testid="queue-more"' "and no longer says more wait"
expect_eq "50" "$(curl -s -b "$jar" "$url/api/v1/queue" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["requests"]))')" \
  "the API: 50 left"
done_checks
