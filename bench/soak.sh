#!/usr/bin/env bash
# The soak: one server under a mixed load (portal, API reads, OCSP, CRL, an endless
# renewal cycle of eSign requests approved by a verifier) paced at 70 % of the capacity
# measured first in the same run, for SOAK_SECONDS (1800). The server's resident memory
# is sampled every 5 s; after the warm-up (the first fifth) it may grow by less than
# 5 %, and no answer may be a 5xx or a dropped connection.
#   soak.sh LONTAR MAKE_LETTER
# Environment: SOAK_SECONDS (1800), SOAK_PROBE_SECONDS (20), SOAK_THREADS (16),
# SOAK_GROWTH_LIMIT (5, in %; the sanitizer build's smoke run raises it, since
# AddressSanitizer's quarantine grows by design).
set -euo pipefail
lontar=$1
make_letter=$2
seconds=${SOAK_SECONDS:-1800}
probe=${SOAK_PROBE_SECONDS:-20}
threads=${SOAK_THREADS:-16}
limit=${SOAK_GROWTH_LIMIT:-5}
load=$(dirname "$0")/soak_load.py
work=$(mktemp -d /tmp/lontar-soak.XXXXXX)
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT

data=$work/data
password=Soak-password-2026
"$lontar" init --data "$data" >/dev/null
printf '%s\n' "$password" >"$work/pw"
add() { "$lontar" user add --data "$data" --nik "$1" --name "$2" --email "$1@undiksha.ac.id" --role "$3" \
          --password-file "$work/pw" --no-forced-change >/dev/null; }
add 5108010101800001 "Verifikator Soak" verifier
: >"$work/applicants"
for i in $(seq 1 48); do
  nik=$(printf '51080101019%05d' "$i")
  add "$nik" "Pegawai Soak $i" applicant
  echo "$nik" >>"$work/applicants"
done
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout /dev/null -subj /CN=x -out "$work/r.csr" 2>/dev/null
"$lontar" cert issue --data "$data" --nik 5108010101900001 --product individual-1y --csr "$work/r.csr" \
  --out "$work/c.pem" >/dev/null
openssl ocsp -issuer "$data/ca/issuing.crt" -cert "$work/c.pem" -reqout "$work/ocsp.req" >/dev/null 2>&1
"$make_letter" "Surat Rekomendasi" 1 >"$work/letter.pdf"

# The load comes from one address: let it open as many connections as it has threads.
sed -i 's/^max_connections_per_address = .*/max_connections_per_address = 256/' "$data/lontar.toml"
"$lontar" serve --data "$data" --listen 127.0.0.1:0 >"$work/serve.out" 2>"$work/serve.err" &
server=$!
for _ in $(seq 1 100); do grep -q "listening on" "$work/serve.out" && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$work/serve.out")
[ -n "$url" ] || { echo "soak: the server did not start: $(tail -3 "$work/serve.err")" >&2; exit 1; }
rss() { awk '/VmRSS/ {print $2}' "/proc/$server/status"; }

run() { # seconds rate → JSON summary
  python3 "$load" "$url" "$1" "$2" "$threads" "$work/letter.pdf" "$work/ocsp.req" "$work/applicants" \
    5108010101800001 "$password"
}
field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }

capacity_json=$(run "$probe" 0)
capacity=$(field "$capacity_json" rate)
target=$(awk -v c="$capacity" 'BEGIN { printf "%.1f", c * 0.7 }')
printf 'capacity (unpaced, %d threads, %s s): %s requests/s; soak at %s requests/s for %s s\n' \
  "$threads" "$probe" "$capacity" "$target" "$seconds"

: >"$work/rss"
(while kill -0 "$server" 2>/dev/null; do echo "$(date +%s) $(rss)" >>"$work/rss"; sleep 5; done) &
sampler=$!
start=$(date +%s)
soak_json=$(run "$seconds" "$target")
kill "$sampler" 2>/dev/null || true
echo "soak: $soak_json"

warm_until=$((start + seconds / 5))
read -r warm peak last < <(awk -v w="$warm_until" '
  $1 <= w { warm = $2 } $1 > w { if ($2 > peak) peak = $2; last = $2 }
  END { print warm, peak, last }' "$work/rss")
growth=$(awk -v a="$warm" -v b="$peak" 'BEGIN { printf "%.2f", (b - a) * 100 / a }')
printf 'resident memory: %.1f MiB after the warm-up, %.1f MiB at most after it, %.1f MiB at the end: growth %s %%\n' \
  "$(echo "$warm / 1024" | bc -l)" "$(echo "$peak / 1024" | bc -l)" "$(echo "$last / 1024" | bc -l)" "$growth"
printf 'answers: %s 2xx, %s 4xx, %s 5xx, %s dropped; %s renewals issued; %s requests/s reached (ratio to capacity %.2f)\n' \
  "$(field "$soak_json" 2xx)" "$(field "$soak_json" 4xx)" "$(field "$soak_json" 5xx)" "$(field "$soak_json" errors)" \
  "$(field "$soak_json" issued)" "$(field "$soak_json" rate)" "$(echo "$(field "$soak_json" rate) / $capacity" | bc -l)"

status=0
[ "$(field "$soak_json" 5xx)" -eq 0 ] || { echo "FAIL: 5xx answers during the soak" >&2; status=1; }
[ "$(field "$soak_json" errors)" -eq 0 ] || { echo "FAIL: dropped connections during the soak" >&2; status=1; }
[ "$(field "$soak_json" issued)" -gt 0 ] || { echo "FAIL: no renewal was issued during the soak" >&2; status=1; }
if awk -v g="$growth" -v l="$limit" 'BEGIN { exit !(g >= l) }'; then
  echo "FAIL: resident memory grew by $growth % (limit $limit %)" >&2
  status=1
fi
[ "$status" -eq 0 ] && echo "soak passed"
exit "$status"
