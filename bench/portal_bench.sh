#!/usr/bin/env bash
# My Certificates under load: 32 logged-in sessions, wrk on loopback for a bounded
# time; requests/s and p99 latency beside a baseline measured in the same run on the
# same server (the static style sheet: no session, no database), and the server's
# resident memory before and after. Targets: p99 < 20 ms, RSS < 64 MiB.
set -euo pipefail
lontar=$1
seconds=${PORTAL_BENCH_SECONDS:-10}
sessions=${PORTAL_BENCH_SESSIONS:-32}
work=$(mktemp -d /tmp/lontar-portal-bench.XXXXXX)
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT

data=$work/data
"$lontar" init --data "$data" >/dev/null
printf 'Bench-password-2026\n' >"$work/pw"
for i in $(seq 1 $sessions); do
  nik=$(printf '51080101019%05d' "$i")
  "$lontar" user add --data "$data" --nik "$nik" --name "Pegawai $i" --email "p$i@undiksha.ac.id" \
    --password-file "$work/pw" --no-forced-change >/dev/null
  for round in 1 2; do  # two certificates each, the first superseded
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout /dev/null -subj /CN=x -out "$work/r.csr" 2>/dev/null
    "$lontar" cert issue --data "$data" --nik "$nik" --product individual-1y --csr "$work/r.csr" --out "$work/c.pem" >/dev/null
  done
done

# wrk's connections all come from one address: let it open more than a browser would.
sed -i 's/^max_connections_per_address = .*/max_connections_per_address = 256/' "$data/lontar.toml"
"$lontar" serve --data "$data" --listen 127.0.0.1:0 >"$work/serve.out" 2>/dev/null &
server=$!
for _ in $(seq 1 100); do grep -q "listening on" "$work/serve.out" && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$work/serve.out")
rss() { awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$server/status"; }

cookies=()
for i in $(seq 1 $sessions); do
  nik=$(printf '51080101019%05d' "$i")
  curl -s -c "$work/j$i" "$url/login" -o "$work/f.html"
  csrf=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$work/f.html" | sed 's/.*value="//; s/"$//')
  curl -s -c "$work/j$i" -b "$work/j$i" -o /dev/null --data "csrf=$csrf&nik=$nik&password=Bench-password-2026" "$url/login"
  cookies+=("$(awk '$6 == "lontar_session" {print $7}' "$work/j$i")")
done
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: lontar_session=${cookies[0]}" "$url/sertifikat")" == 200 ] || {
  echo "portal_bench: a session does not reach My Certificates" >&2
  exit 1
}
{
  echo 'local cookies = {'
  for c in "${cookies[@]}"; do echo "  \"lontar_session=$c\","; done
  echo '}'
  echo 'local n = 0'
  echo 'request = function() n = n + 1; return wrk.format("GET", nil, {Cookie = cookies[(n % #cookies) + 1]}) end'
} >"$work/sessions.lua"

measure() { # name path [script]
  local out rps p99
  out=$(wrk -t2 -c$sessions -d"${seconds}s" --latency ${3:+-s "$3"} "$url$2")
  rps=$(printf '%s\n' "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(printf '%s\n' "$out" | awk '$1 == "99%" {print $2}')
  errors=$(printf '%s\n' "$out" | grep -E "Non-2xx|Socket errors" | tr '\n' ' ' || true)
  printf '%-40s %9.0f requests/s   p99 %8s   %s\n' "$1" "$rps" "$p99" "$errors" >&2
  echo "$rps $p99"
}

before=$(rss)
read -r base_rps base_p99 < <(measure "static style sheet (baseline)" /static/lontar.css)
read -r page_rps page_p99 < <(measure "My Certificates, $sessions sessions" /sertifikat "$work/sessions.lua")
after=$(rss)
to_ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) print v / 1000; else if (v ~ /ms$/) print v + 0; else print v * 1000 }'; }
printf 'resident memory: %s MiB before, %s MiB after (target < 64 MiB)\n' "$before" "$after"
printf 'p99 My Certificates: %.2f ms (target < 20 ms)\n' "$(to_ms "$page_p99")"
awk -v a="$page_rps" -v b="$base_rps" 'BEGIN { printf "ratio My Certificates / static file: %.2f\n", a / b }'
