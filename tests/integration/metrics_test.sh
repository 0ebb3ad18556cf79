#!/usr/bin/env bash
# GET /metrics on its own listener: Prometheus's own checker (`promtool check metrics`,
# Debian's prometheus package) accepts it; its counters move as the server issues,
# revokes, answers OCSP and verifies documents, and its gauges show the waiting queue;
# the public listener does not serve it, and no path (with its codes) becomes a label.
source "$(dirname "$0")/lib.sh"
: "${MAKE_LETTER:?}"
command -v promtool >/dev/null || fail "promtool is not installed (scripts/install-deps.sh installs prometheus)"
init_at_own_port
add_account 5108010101900090 "Verifikator Satu" verifier
add_account 5108010101900001 "Pemohon Satu" applicant
add_account 5108010101900002 "Pemohon Dua" applicant
start_server --as-configured --metrics-listen 127.0.0.1:0
murl=$(sed -n 's/^metrics on //p' "$work/serve.out" | tail -1)
[ -n "$murl" ] || fail "the server did not say where its metrics are"
pass

scrape() { curl -sf "$murl"; }
# value NAME_WITH_LABELS: the sample's value (0 when absent), e.g. value 'lontar_certificates_issued_total'
value() { scrape | awk -v name="$1" '$1 == name { print $2; found = 1 } END { if (!found) print 0 }'; }
check_with_promtool() {
  local out status=0
  out=$(scrape | promtool check metrics 2>&1) || status=$?
  [ "$status" -eq 0 ] || fail "promtool check metrics refused /metrics ($1): $out"
  pass
}
check_with_promtool "at start"
expect_contains "$(curl -s -o /dev/null -w '%{http_code}' "$url/metrics")" "404" "the public listener does not serve /metrics"
expect_contains "$(scrape)" 'lontar_build_info{version="' "build info"
expect_eq "text/plain; version=0.0.4; charset=utf-8" "$(curl -s -o /dev/null -w '%{content_type}' "$murl")" "exposition content type"

issued0=$(value lontar_certificates_issued_total)
revoked0=$(value lontar_certificates_revoked_total)
health0=$(value 'lontar_http_requests_total{method="GET",route="/healthz",status="200"}')
curl -sf "$url/healthz" >/dev/null
curl -sf "$url/healthz" >/dev/null
expect_eq $((health0 + 2)) "$(value 'lontar_http_requests_total{method="GET",route="/healthz",status="200"}')" "request counter by route and status"
expect_contains "$(scrape)" 'lontar_http_request_duration_seconds_bucket{method="GET",route="/healthz",le="0.001"}' "latency histogram by route"
curl -s -o /dev/null "$url/v/NOSUCHCODE0000000000"
curl -s -o /dev/null -X INVENTEDMETHOD1 "$url/healthz"
expect_not_contains "$(scrape)" "NOSUCHCODE" "paths never become labels"
expect_not_contains "$(scrape)" "INVENTEDMETHOD1" "an invented method never becomes a label"
expect_contains "$(scrape)" 'method="other"' "it is counted as other"

# A request waits: the queue gauge shows it.
"$MAKE_LETTER" "Surat Rekomendasi" 1 >"$work/letter.pdf"
csrf=$(api_login 5108010101900001 "$work/h.jar")
printf '{"product":"individual-1y","method":"esign","agreement_accepted":true,"passphrase":"Rahasia-eSign-1","letter_pdf_base64":"%s"}' \
  "$(base64 -w0 "$work/letter.pdf")" >"$work/esign.json"
id=$(curl -s -b "$work/h.jar" -H "Content-Type: application/json" -H "X-CSRF-Token: $csrf" --data @"$work/esign.json" \
  "$url/api/v1/requests" | sed -n 's/.*"id":\([0-9]*\).*/\1/p')
[ -n "$id" ] || fail "no request"
expect_eq 1 "$(value lontar_requests_waiting)" "one request waiting"
sleep 1.1
awk 'BEGIN { exit !(ARGV[1] >= 1) }' "$(value lontar_requests_oldest_waiting_seconds)" || fail "oldest waiting age not counted"
pass

# The verifier approves: issued here, counted.
vcsrf=$(api_login 5108010101900090 "$work/v.jar")
curl -s -b "$work/v.jar" -H "X-CSRF-Token: $vcsrf" -X POST "$url/api/v1/requests/$id/approve" | grep -q '"state":"issued"' || fail "not issued"
expect_eq $((issued0 + 1)) "$(value lontar_certificates_issued_total)" "issuance counted"
expect_eq 0 "$(value lontar_requests_waiting)" "queue empty again"
expect_eq 1 "$(value 'lontar_audit_events_total{action="request.approved"}')" "audit actions counted"
awk 'BEGIN { exit !(ARGV[1] >= 1) }' "$(value 'lontar_database_transaction_seconds_count{kind="write"}')" || fail "no write transaction timed"
pass

# The holder revokes it through the API: counted; OCSP asked twice: a miss, then a hit.
serial=$(sqlite3 "$data/lontar.db" "SELECT serial FROM certificates WHERE request_id = $id")
curl -s -b "$work/h.jar" "$url/api/v1/certificates/$serial" -o "$work/c.pem"
hits0=$(value 'lontar_ocsp_cache_requests_total{result="hit"}')
misses0=$(value 'lontar_ocsp_cache_requests_total{result="miss"}')
ocsp() { openssl ocsp -issuer "$data/ca/issuing.crt" -cert "$work/c.pem" -url "$url/ocsp" -CAfile "$data/ca/root.crt" -verify_other "$data/ca/issuing.crt" -no_nonce 2>&1; }
ocsp >/dev/null
expect_eq $((misses0 + 1)) "$(value 'lontar_ocsp_cache_requests_total{result="miss"}')" "OCSP cache miss counted"
# The next answer comes from the cache, unless the status watcher emptied it meanwhile
# (the issuance changed a status a moment ago): then the one after does.
for _ in 1 2 3 4 5; do
  ocsp >/dev/null
  [ "$(value 'lontar_ocsp_cache_requests_total{result="hit"}')" -gt "$hits0" ] && break
  sleep 0.5
done
[ "$(value 'lontar_ocsp_cache_requests_total{result="hit"}')" -gt "$hits0" ] || fail "no OCSP cache hit counted"
pass
# Read before the revocation: the status watcher may publish the next CRL before the
# revocation's answer has been read.
crl0=$(value lontar_crl_number)
out=$(curl -s -b "$work/h.jar" -H "Content-Type: application/json" -H "X-CSRF-Token: $csrf" \
  --data "{\"reason\":\"keyCompromise\",\"password\":\"$test_password\"}" "$url/api/v1/certificates/$serial/revoke")
expect_contains "$out" '"status":"revoked"' "revoked through the API"
expect_eq $((revoked0 + 1)) "$(value lontar_certificates_revoked_total)" "revocation counted"
deadline=$((SECONDS + 10))
until [ "$(value lontar_crl_number)" -gt "$crl0" ]; do
  [ $SECONDS -lt $deadline ] || fail "the CRL number gauge did not move after the revocation"
  sleep 0.3
done
pass
awk 'BEGIN { exit !(ARGV[1] >= 0 && ARGV[1] < 60) }' "$(value lontar_crl_age_seconds)" || fail "CRL age"
pass

# A document check: counted by verdict.
unsigned0=$(value 'lontar_document_verifications_total{verdict="unsigned"}')
curl -s -H 'Content-Type: application/pdf' --data-binary "@$work/letter.pdf" "$url/api/v1/verify" >/dev/null
expect_eq $((unsigned0 + 1)) "$(value 'lontar_document_verifications_total{verdict="unsigned"}')" "verification counted by verdict"
expect_contains "$(scrape)" 'lontar_work_pool_saturation{lane="anonymous"}' "verification pool saturation"
expect_eq 1 "$(value lontar_database_up)" "database up"
# SQLite's memory is reported beside its limit (16 MiB by default) and kept near it.
expect_eq 16777216 "$(value lontar_database_memory_limit_bytes)" "SQLite's memory limit"
awk 'BEGIN { exit !(ARGV[1] > 0 && ARGV[1] < 2 * ARGV[2]) }' "$(value lontar_database_memory_bytes)" \
  "$(value lontar_database_memory_limit_bytes)" || fail "SQLite's memory $(value lontar_database_memory_bytes) not near its limit"
pass
check_with_promtool "after the walk"
done_checks
