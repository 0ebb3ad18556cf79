#!/usr/bin/env bash
# The soak: one server under a mixed load (portal, API reads, OCSP, CRL, an endless
# renewal cycle of eSign requests approved by a verifier) paced at 70 % of the capacity
# measured first in the same run, for SOAK_SECONDS (1800). The server's resident memory
# is sampled every 2 s; from the first window after the warm-up (the first fifth) to
# the last (each a fifteenth of the run, its lowest sample) it may grow by less than
# 5 %, and no answer may be a 5xx or a dropped connection.
# The server starts on a data folder of SOAK_CERTIFICATES people's certificates
# (scale_fill: two each, a tenth revoked, a tenth as many documents), and a fifth of the
# load asks OCSP about random ones of them with a nonce (looked up, never cached), so
# SQLite's caches fill to their bound during the warm-up as they would in service,
# instead of growing with the few rows the soak itself adds.
#   soak.sh LONTAR MAKE_LETTER SCALE_FILL
# Environment: SOAK_SECONDS (1800), SOAK_PROBE_SECONDS (20), SOAK_THREADS (16),
# SOAK_CERTIFICATES (100000),
# SOAK_GROWTH_LIMIT (5, in %; the sanitizer build's smoke run raises it, since
# AddressSanitizer's quarantine grows by design).
set -euo pipefail
lontar=$1
make_letter=$2
fill=$3
certificates=${SOAK_CERTIFICATES:-100000}
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
"$fill" --data "$data" --certificates "$certificates" --revoked $((certificates / 10)) \
  --documents $((certificates / 10)) --samples "$work/samples" >/dev/null 2>"$work/fill.err" ||
  { echo "soak: the fill failed: $(tail -2 "$work/fill.err")" >&2; exit 1; }
cat "$work/samples/serials.txt" "$work/samples/revoked.txt" >"$work/ocsp-serials.txt"
openssl ocsp -issuer "$data/ca/issuing.crt" -serial "0x$(head -1 "$work/ocsp-serials.txt")" \
  -reqout "$work/ocsp-template.der" >/dev/null 2>&1
"$make_letter" "Surat Rekomendasi" 1 >"$work/letter.pdf"

# The load comes from one address: let it open as many connections as it has threads.
sed -i 's/^max_connections_per_address = .*/max_connections_per_address = 256/' "$data/lontar.toml"
"$lontar" serve --data "$data" --listen 127.0.0.1:0 --metrics-listen 127.0.0.1:0 >"$work/serve.out" \
  2>"$work/serve.err" &
server=$!
for _ in $(seq 1 100); do grep -q "listening on" "$work/serve.out" && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$work/serve.out")
metrics=$(sed -n 's/^metrics on //p' "$work/serve.out")
[ -n "$url" ] || { echo "soak: the server did not start: $(tail -3 "$work/serve.err")" >&2; exit 1; }
rss() { awk '/VmRSS/ {print $2}' "/proc/$server/status"; }
sqlite_kib() { curl -s --max-time 5 "$metrics" | awk '$1 == "lontar_database_memory_bytes" { printf "%d", $2 / 1024 }'; }

run() { # seconds rate → JSON summary
  python3 "$load" "$url" "$1" "$2" "$threads" "$work/letter.pdf" "$work/ocsp.req" "$work/ocsp-template.der" \
    "$work/ocsp-serials.txt" "$work/applicants" 5108010101800001 "$password"
}
field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }

capacity_json=$(run "$probe" 0)
capacity=$(field "$capacity_json" rate)
target=$(awk -v c="$capacity" 'BEGIN { printf "%.1f", c * 0.7 }')
printf 'capacity (unpaced, %d threads, %s s, %s busy answers waited out): %s requests/s; soak at %s requests/s for %s s\n' \
  "$threads" "$probe" "$(field "$capacity_json" shed)" "$capacity" "$target" "$seconds"

: >"$work/rss"
(while kill -0 "$server" 2>/dev/null; do echo "$(date +%s) $(rss) $(sqlite_kib)" >>"$work/rss"; sleep 2; done) &
sampler=$!
start=$(date +%s)
soak_json=$(run "$seconds" "$target")
kill "$sampler" 2>/dev/null || true
echo "soak: $soak_json"

# Each password check and eSign unlock holds Argon2id's 64 MiB for a moment (at most
# one per worker of the pool that runs them), so a single sample says little. The
# lowest sample of a window is the server's own memory with no hash in flight: the
# first window after the warm-up (the first fifth) is compared with the last, each a
# fifteenth of the run.
warm_until=$((start + seconds / 5))
window=$(( seconds / 15 > 10 ? seconds / 15 : 10 ))
read -r warm late peak < <(awk -v w="$warm_until" -v span="$window" -v end="$((start + seconds))" '
  $1 > w && (peak == "" || $2 > peak) { peak = $2 }
  $1 > w && $1 <= w + span && (first == "" || $2 < first) { first = $2 }
  $1 > end - span && (last == "" || $2 < last) { last = $2 }
  END { if (first == "") first = peak; if (last == "") last = peak; print first, last, peak }' "$work/rss")
growth=$(awk -v a="$warm" -v b="$late" 'BEGIN { printf "%.2f", (b - a) * 100 / a }')
printf 'lowest sample of each window (MiB): %s\n' "$(awk -v s="$start" -v span="$window" '
  { w = int(($1 - s) / span); if (!(w in low) || $2 < low[w]) low[w] = $2; if (w > top) top = w }
  END { for (i = 0; i <= top; i++) if (i in low) printf "%.1f ", low[i] / 1024 }' "$work/rss")"
read -r sqlite_warm sqlite_late < <(awk -v w="$warm_until" -v span="$window" -v end="$((start + seconds))" '
  $1 > w && $1 <= w + span && $3 > a { a = $3 } $1 > end - span && $3 > b { b = $3 } END { print a + 0, b + 0 }' "$work/rss")
printf "SQLite's memory (the server's gauge, highest of the window): %.1f MiB after the warm-up, %.1f MiB at the end\n" \
  "$(echo "$sqlite_warm / 1024" | bc -l)" "$(echo "$sqlite_late / 1024" | bc -l)"
printf 'resident memory (lowest of each %d s window): %.1f MiB after the warm-up, %.1f MiB at the end: growth %s %% (highest sample %.1f MiB)\n' \
  "$window" "$(echo "$warm / 1024" | bc -l)" "$(echo "$late / 1024" | bc -l)" "$growth" "$(echo "$peak / 1024" | bc -l)"
printf 'answers: %s 2xx, %s 4xx, %s 5xx, %s dropped; %s renewals issued; %s requests/s reached (ratio to capacity %.2f)\n' \
  "$(field "$soak_json" 2xx)" "$(field "$soak_json" 4xx)" "$(field "$soak_json" 5xx)" "$(field "$soak_json" errors)" \
  "$(field "$soak_json" issued)" "$(field "$soak_json" rate)" "$(echo "$(field "$soak_json" rate) / $capacity" | bc -l)"

# Every 4xx by route, status and error code: refusals the procedure makes (one open
# request at a time, a certificate already held) are expected; anything else is a finding.
python3 -c 'import json,sys
for key, n in sorted(json.loads(sys.argv[1])["refusals"].items(), key=lambda kv: -kv[1]): print("  4xx: %6d  %s" % (n, key))' "$soak_json"

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
