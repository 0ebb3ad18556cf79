#!/usr/bin/env bash
# The verification page a QR code opens, under load: wrk on loopback (32 connections,
# bounded time) against /v/{code} with its previews cached and against one page
# preview, beside a baseline measured in the same run on the same server (the static
# style sheet). Then a 300-page letter signed through POST /api/v1/documents/sign: the
# request's time beside the time until its previews are ready — they are rendered in
# the background, so the request does not wait for them. Targets: p99 < 20 ms.
set -euo pipefail
lontar=$1
make_letter=$2
seconds=${PAPER_BENCH_SECONDS:-10}
connections=${PAPER_BENCH_CONNECTIONS:-32}
pages=${PAPER_BENCH_PAGES:-300}
work=$(mktemp -d /tmp/lontar-paper-bench.XXXXXX)
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
data=$work/data
"$lontar" init --data "$data" >/dev/null
source "$(dirname "$0")/signer_setup.sh"
"$lontar" user add --data "$data" --nik 5108010101900009 --name "Bench Verifier" --email v@undiksha.ac.id \
  --role verifier --password-file "$work/pw" --no-forced-change >/dev/null
"$make_letter" "Surat Keputusan" 3 >"$work/letter.pdf"
"$make_letter" "Lampiran" "$pages" >"$work/long.pdf"
code=$("$lontar" doc sign --data "$data" --in "$work/letter.pdf" --out "$work/signed.pdf" --key "$work/key.pem" \
  --cert "$work/cert.pem" --key-passphrase-file "$work/pw" | sed -n 's/.*verify at .*\/v\///p')

# wrk's connections all come from one address: let it open more, and read more, than a browser would.
sed -i 's/^max_connections_per_address = .*/max_connections_per_address = 256/; s/^per_address_per_minute = .*/per_address_per_minute = 100000/' \
  "$data/lontar.toml"
"$lontar" serve --data "$data" --listen 127.0.0.1:0 >"$work/serve.out" 2>/dev/null &
server=$!
for _ in $(seq 1 100); do grep -q "listening on" "$work/serve.out" && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$work/serve.out")
wait_ready() { # code → milliseconds until its previews are ready (at most 600 s)
  local start=$(date +%s%N) deadline=$((SECONDS + 600))
  until curl -s "$url/api/v1/documents/$1" | grep -q '"previews_state":"ready"'; do
    [ $SECONDS -lt $deadline ] || { echo "paper_bench: previews of $1 not ready" >&2; exit 1; }
    sleep 0.05
  done
  echo $((($(date +%s%N) - start) / 1000000))
}
wait_ready "$code" >/dev/null
grep -q "/v/$code/pages/3" <(curl -s "$url/v/$code") || { echo "paper_bench: the page shows no previews" >&2; exit 1; }

measure() { # name path
  local out rps p99 errors
  out=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency "$url$2")
  rps=$(printf '%s\n' "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(printf '%s\n' "$out" | awk '$1 == "99%" {print $2}')
  errors=$(printf '%s\n' "$out" | grep -E "Non-2xx|Socket errors" | tr '\n' ' ' || true)
  printf '%-44s %9.0f requests/s   p99 %8s   %s\n' "$1" "$rps" "$p99" "$errors" >&2
  echo "$rps $p99"
}
to_ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) print v / 1000; else if (v ~ /ms$/) print v + 0; else print v * 1000 }'; }
read -r base_rps base_p99 < <(measure "static style sheet (baseline)" /static/lontar.css)
read -r page_rps page_p99 < <(measure "verification page /v/{code}" "/v/$code")
read -r preview_rps preview_p99 < <(measure "page preview /v/{code}/pages/1 (PNG)" "/v/$code/pages/1")
printf 'p99 verification page: %.2f ms, page preview: %.2f ms (target < 20 ms)\n' "$(to_ms "$page_p99")" "$(to_ms "$preview_p99")"
awk -v a="$page_rps" -v p="$preview_rps" -v b="$base_rps" \
  'BEGIN { printf "ratio verification page / static file: %.2f, preview / static file: %.2f\n", a / b, p / b }'

# A long letter through the API: the request returns before its previews are drawn.
login() { # nik jar → csrf
  curl -s -c "$2" -H "Content-Type: application/json" --data "{\"nik\":\"$1\",\"password\":\"Bench-password-2026\"}" \
    "$url/api/v1/session" | sed -n 's/.*"csrf_token":"\([0-9a-f]*\)".*/\1/p'
}
csrf=$(login 5108010101900001 "$work/holder")
printf '{"product":"individual-1y","method":"esign","agreement_accepted":true,"passphrase":"Frasa-Bench-2026","letter_pdf_base64":"%s"}' \
  "$(base64 -w0 "$work/letter.pdf")" >"$work/request.json"
request=$(curl -s -b "$work/holder" -H "Content-Type: application/json" -H "X-CSRF-Token: $csrf" --data @"$work/request.json" \
  "$url/api/v1/requests" | sed -n 's/.*"id":\([0-9]*\).*/\1/p')
vcsrf=$(login 5108010101900009 "$work/verifier")
curl -s -b "$work/verifier" -H "X-CSRF-Token: $vcsrf" -X POST "$url/api/v1/requests/$request/approve" >/dev/null
printf '{"pdf_base64":"%s","passphrase":"Frasa-Bench-2026","title":"Lampiran %s halaman"}' "$(base64 -w0 "$work/long.pdf")" "$pages" \
  >"$work/sign.json"
request_ms=$(curl -s -b "$work/holder" -H "Content-Type: application/json" -H "X-CSRF-Token: $csrf" --data @"$work/sign.json" \
  -o "$work/sign.out" -w '%{time_total}' "$url/api/v1/documents/sign" | awk '{printf "%.0f", $1 * 1000}')
long=$(sed -n 's/.*"code":"\([0-9A-Z]*\)".*/\1/p' "$work/sign.out")
[ -n "$long" ] || { echo "paper_bench: the $pages-page letter was not signed: $(head -c 300 "$work/sign.out")" >&2; exit 1; }
ready_ms=$(wait_ready "$long")
printf '%s-page letter: signing request %d ms; its previews ready %d ms after the answer (in the background)\n' \
  "$pages" "$request_ms" "$ready_ms"
awk -v r="$request_ms" -v p="$ready_ms" 'BEGIN { printf "ratio previews / signing request: %.2f\n", p / r }'
