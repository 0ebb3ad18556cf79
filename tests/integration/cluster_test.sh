#!/usr/bin/env bash
# Three `lontar serve` behind HAProxy on one PostgreSQL, under a bounded mixed load
# (portal pages, API reads, eSign requests and their approval, OCSP, CRL): one server
# is SIGKILLed and one SIGTERMed during it. Then: every acknowledged request and
# issuance is in the database, no request got two certificates, no two different CRLs
# carry one number, the background jobs' lease was never held by two servers at once
# (the audit trail records each change of holder), only requests in flight at the kill
# failed, and a draining server's /healthz said 503 while HAProxy took it out.
source "$(dirname "$0")/lib.sh"
: "${MAKE_LETTER:?}"
[ -n "${LONTAR_TEST_PG_URL:-}" ] || fail "LONTAR_TEST_PG_URL is not set: run the suite through scripts/test.sh"
command -v haproxy >/dev/null || fail "haproxy is not installed (scripts/install-deps.sh installs it)"
tools=$(cd "$(dirname "$0")/../tools" && pwd)
db="lontar_cluster_$$"
psql "$LONTAR_TEST_PG_URL" -qc "CREATE DATABASE $db" >/dev/null
cleanup_hooks+=("psql '$LONTAR_TEST_PG_URL' -qc 'DROP DATABASE IF EXISTS $db WITH (FORCE)' >/dev/null")
dburl="${LONTAR_TEST_PG_URL%/*}/$db"
sql() { psql "$dburl" -tAc "$1"; }

reserve_port
front=$port
data=$work/data
lontar init --data "$data" --db "$dburl" --public-url "http://127.0.0.1:$front" --listen "127.0.0.1:$front" >/dev/null
sed -i 's/^store = "folder"/store = "database"/; s/^drain_notice_seconds = 0/drain_notice_seconds = 2/' "$data/lontar.toml"
printf '%s\n' "$test_password" >"$work/pw"
add_account 5108010101900090 "Verifikator Satu" verifier
: >"$work/applicants"
for n in $(seq 10 49); do
  add_account "51080101019000$n" "Pegawai $n" applicant
  echo "51080101019000$n" >>"$work/applicants"
done
issue_holder 5108010101900080 "Pemegang OCSP" applicant
openssl ocsp -issuer "$data/ca/issuing.crt" -cert "$work/5108010101900080.pem" -no_nonce -reqout "$work/ocsp.req" 2>/dev/null
"$MAKE_LETTER" "Surat Rekomendasi" 1 >"$work/letter.pdf"

ports=() pids=()
for n in 1 2 3; do
  reserve_port
  ports+=("$port")
  "$LONTAR_BIN" serve --data "$data" --listen "127.0.0.1:$port" >"$work/s$n.out" 2>"$work/s$n.err" &
  pids+=("$!")
  stop_at_exit "$!" -KILL
done
for n in 0 1 2; do
  for _ in $(seq 1 200); do grep -q "listening on" "$work/s$((n + 1)).out" 2>/dev/null && break; sleep 0.1; done
  grep -q "listening on" "$work/s$((n + 1)).out" || fail "server $((n + 1)) did not start: $(tail -3 "$work/s$((n + 1)).err")"
done
pass
cat >"$work/haproxy.cfg" <<CFG
global
  maxconn 512
defaults
  mode http
  timeout connect 2s
  timeout client 30s
  timeout server 30s
  timeout check 3s
  retries 2
  option redispatch
frontend web
  bind 127.0.0.1:$front
  default_backend lontar
backend lontar
  balance roundrobin
  option httpchk GET /healthz
  http-check expect status 200
  default-server inter 500ms fall 2 rise 1
  server s1 127.0.0.1:${ports[0]} check
  server s2 127.0.0.1:${ports[1]} check
  server s3 127.0.0.1:${ports[2]} check
CFG
haproxy -c -f "$work/haproxy.cfg" >/dev/null || fail "haproxy refused its configuration"
haproxy -db -f "$work/haproxy.cfg" >"$work/haproxy.log" 2>&1 &
stop_at_exit "$!"
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$front/healthz" >/dev/null && break; sleep 0.1; done
expect_contains "$(curl -s "http://127.0.0.1:$front/healthz")" '"status":"ok"' "HAProxy reaches the servers"

threads=6
python3 "$tools/mixed_load.py" "http://127.0.0.1:$front" 24 3000 "$threads" "$work/load.jsonl" "$work/letter.pdf" \
  "$work/ocsp.req" "$work/applicants" 5108010101900090 >"$work/load.out" 2>&1 &
load=$!
sleep 6
# SIGKILL the server holding the jobs' lease (the audit trail names its process), so
# another must take the jobs over; SIGTERM one of the other two.
holder=$(sql "SELECT details FROM audit_events WHERE action = 'jobs.lease_taken' ORDER BY seq DESC LIMIT 1" | json_field '["holder"]')
holder_pid=$(printf '%s' "$holder" | cut -d: -f2)
victim=-1
for n in 0 1 2; do [ "${pids[$n]}" = "$holder_pid" ] && victim=$n; done
[ "$victim" -ge 0 ] || fail "the lease holder $holder is none of the servers (${pids[*]})"
drained=$(((victim + 1) % 3))
killed_at=$(date +%s.%N)
kill -9 "${pids[$victim]}"
sleep 5
# The draining server says so on /healthz for drain_notice_seconds before it closes.
kill -TERM "${pids[$drained]}"
drain_seen=0
for _ in $(seq 1 15); do
  code=$(curl -s -o /dev/null -w '%{http_code}' "127.0.0.1:${ports[$drained]}/healthz" || true)
  [ "$code" = 503 ] && drain_seen=1 && break
  sleep 0.1
done
expect_eq 1 "$drain_seen" "a draining server's /healthz answers 503"
wait "$load" || fail "the load failed: $(cat "$work/load.out")"
status=0
wait "${pids[$drained]}" || status=$?
expect_eq 0 "$status" "the SIGTERMed server stopped cleanly"

summary=$(python3 - "$work/load.jsonl" "$killed_at" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
killed = float(sys.argv[2])
failed = [r for r in rows if not isinstance(r["status"], int) or r["status"] >= 500]
# In flight at the kill: started before HAProxy could notice it (two checks 500 ms
# apart) and ended after it.
in_flight = [r for r in failed if r["at"] <= killed + 1.0 and r["end"] >= killed - 0.05]
print(json.dumps({"requests": len(rows), "failed": len(failed), "failed_in_flight_at_kill": len(in_flight),
                  "error_rate": round(len(failed) / max(1, len(rows)), 4),
                  "first_5xx_after_kill": round(min([r["at"] for r in failed] or [killed]) - killed, 2),
                  "statuses": {str(s): sum(1 for r in rows if str(r["status"]) == str(s)) for s in sorted({str(r["status"]) for r in rows})},
                  "by_kind": {k: sum(1 for r in rows if r["kind"] == k) for k in sorted({r["kind"] for r in rows})}}))
PY
)
echo "load: $summary"
failed=$(printf '%s' "$summary" | json_field '["failed"]')
in_flight=$(printf '%s' "$summary" | json_field '["failed_in_flight_at_kill"]')
expect_eq "$in_flight" "$failed" "only requests in flight at the SIGKILL (or sent before HAProxy saw it) failed"
# Each thread loses at most the request in flight at the kill and the next one, which
# may reach the killed server's listening socket before the kernel closes it (an ASan
# process takes a while to die): accepted, it cannot be redispatched.
[ "$failed" -le $((2 * threads)) ] || fail "$failed requests failed; at most two per thread ($threads) were in flight"
pass
requests=$(printf '%s' "$summary" | json_field '["requests"]')
[ "$requests" -ge 100 ] || fail "the load made only $requests requests"
pass

# Every acknowledged write is there; nothing was issued twice.
python3 - "$work/load.jsonl" >"$work/acked" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["kind"] == "write" and r["status"] == 201: print("request", r["request"])
    if r["kind"] == "approve" and r.get("issued"): print("issued", r["request"])
PY
[ "$(grep -c '^issued' "$work/acked")" -ge 3 ] || fail "fewer than 3 issuances were acknowledged: $(cat "$work/acked")"
pass
while read -r what id; do
  if [ "$what" = request ]; then
    expect_eq 1 "$(sql "SELECT COUNT(*) FROM requests WHERE id = $id")" "acknowledged request $id kept"
  else
    expect_eq "issued 1" "$(sql "SELECT state FROM requests WHERE id = $id") $(sql "SELECT COUNT(*) FROM certificates WHERE request_id = $id")" "acknowledged issuance $id kept"
  fi
done <"$work/acked"
expect_eq "" "$(sql "SELECT request_id FROM certificates GROUP BY request_id HAVING COUNT(*) > 1")" "no request has two certificates"
expect_eq "" "$(sql "SELECT object FROM audit_events WHERE action = 'certificate.issued' GROUP BY object HAVING COUNT(*) > 1")" "each issuance audited once"

# CRLs: one number, one content; each server's numbers only grow.
python3 - "$work/load.jsonl" <<'PY' >"$work/crl-shas"
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["kind"] == "crl" and r["status"] == 200: print(r["sha256"])
PY
survivor=$((3 - victim - drained))
for url in "http://127.0.0.1:${ports[$survivor]}" "http://127.0.0.1:$front"; do curl -s "$url/crl/issuing.crl" -o "$work/crl.$RANDOM.der"; done
for f in "$work"/crl.*.der; do
  echo "$(openssl crl -inform DER -in "$f" -noout -crlnumber | cut -d= -f2) $(sha256sum <"$f" | cut -d' ' -f1)"
done | sort -u >"$work/crl-numbers"
expect_eq "" "$(cut -d' ' -f1 "$work/crl-numbers" | uniq -d)" "no CRL number names two different CRLs"
counter=$(sql "SELECT crl_number FROM ca_state WHERE id = 1")
while read -r number _; do
  [ "$((16#$number))" -le "$counter" ] || fail "CRL number $number above the counter $counter"
done <"$work/crl-numbers"
pass

# The jobs' lease: the survivor took it over once the killed holder's ran out (10 s),
# and each change of holder came after the previous one's lease ran out or was
# released, so no two servers ran the jobs at once.
deadline=$((SECONDS + 20))
until [ "$(sql "SELECT COUNT(*) FROM audit_events WHERE action = 'jobs.lease_taken' AND details LIKE '%\"previous\":\"$holder\"%'")" -ge 1 ]; do
  [ $SECONDS -lt $deadline ] || fail "nobody took the jobs over from the killed $holder"
  sleep 0.5
done
pass
sql "SELECT at, details FROM audit_events WHERE action = 'jobs.lease_taken' ORDER BY seq" >"$work/leases"
[ -s "$work/leases" ] || fail "no lease was ever taken"
python3 - "$work/leases" <<'PY' || fail "the lease was taken from a live holder: $(cat "$work/leases")"
import json, sys
for line in open(sys.argv[1]):
    at, details = line.strip().split("|", 1)
    d = json.loads(details)
    if d["previous"] and d["previous_until"] > int(at):
        sys.exit(1)
PY
pass
echo "lease holders: $(wc -l <"$work/leases")"
# The OCSP responder is the cluster's, under the same lease: the first holder kept the
# folder's responder in the database once, and a renewal would replace it there.
expect_eq 1 "$(sql "SELECT COUNT(*) FROM audit_events WHERE action = 'ocsp.responder_shared'")" \
  "the responder shared once across the cluster"
expect_eq "$(openssl x509 -in "$data/ca/ocsp.crt" -noout -serial | cut -d= -f2 | sed 's/^0*//')" \
  "$(sql "SELECT serial FROM service_keys WHERE name = 'ocsp'" | sed 's/^0*//')" "the shared responder is the folder's"
expect_contains "$(lontar audit verify --data "$data")" "intact" "audit chain intact after the kill"
done_checks
