#!/usr/bin/env bash
# CMP as a client sees it: `openssl cmp` processes against `lontar serve` on loopback,
# beside a baseline measured in the same run on the same server — `openssl ocsp` asking
# about the same holder (a process, a connection, one signature by the server). Then a
# genm under a CSR token's MAC (the PBM's iterations on both sides), and chained kur
# renewals under the automatic policy (each message signs a certificate, supersedes
# the previous one and is confirmed with certConf). Prints milliseconds per operation
# and the ratio to the baseline.
set -euo pipefail
lontar=$1
runs=${CMP_BENCH_RUNS:-20}
work=$(mktemp -d /tmp/lontar-cmp-bench.XXXXXX)
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
data=$work/data
port=$((20000 + RANDOM % 12000))  # below the ephemeral ports (32768 up) clients get
"$lontar" init --data "$data" --public-url "http://127.0.0.1:$port" --listen "127.0.0.1:$port" >/dev/null
sed -i 's/^renewal_window_days = .*/renewal_window_days = 400/; s/^renewal = .*/renewal = "automatic"/; s/^per_address_per_minute = .*/per_address_per_minute = 100000/' \
  "$data/lontar.toml"
source "$(dirname "$0")/signer_setup.sh"
"$lontar" serve --data "$data" >"$work/serve.out" 2>/dev/null &
server=$!
for _ in $(seq 1 100); do grep -q "listening on" "$work/serve.out" && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$work/serve.out")
[ -n "$url" ] || { echo "cmp_bench: the server did not start" >&2; exit 1; }

session=$(curl -s -H 'Content-Type: application/json' -d "{\"nik\":\"5108010101900001\",\"password\":\"$(cat "$work/pw")\"}" "$url/api/v1/session" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
opened=$(curl -s -H "Authorization: Bearer $session" -H 'Content-Type: application/json' \
  -d '{"product":"seal-1y","method":"lock","agreement_accepted":true}' "$url/api/v1/requests")
reference=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["request"]["id"])' <<<"$opened")
token=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["csr_token"])' <<<"$opened")
cmp=(openssl cmp -server "${url#http://}" -path .well-known/cmp -trusted "$data/ca/root.crt")

per_run() { # LABEL COMMAND...: milliseconds per run of COMMAND, $runs times
  local label=$1 start
  shift
  start=$(date +%s%N)
  for _ in $(seq 1 "$runs"); do "$@" >/dev/null 2>&1 || { echo "cmp_bench: $label failed" >&2; exit 1; }; done
  echo $((($(date +%s%N) - start) / 1000 / runs))
}
ocsp() { openssl ocsp -issuer "$data/ca/issuing.crt" -cert "$work/cert.pem" -url "$url/ocsp" -CAfile "$data/ca/chain.pem"; }
genm() { "${cmp[@]}" -cmd genm -ref "$reference" -secret "pass:$token" -recipient /CN=Lontar; }
current_cert=$work/cert.pem current_key=$work/key.pem keypass=(-keypass "file:$work/pw") renewed=0
kur() {
  renewed=$((renewed + 1))
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/k$renewed.key" 2>/dev/null
  "${cmp[@]}" -cmd kur -cert "$current_cert" -key "$current_key" "${keypass[@]}" -newkey "$work/k$renewed.key" \
    -certout "$work/c$renewed.crt" >/dev/null 2>&1 || return 1
  current_cert=$work/c$renewed.crt current_key=$work/k$renewed.key keypass=()
}
kur_chain() { for _ in $(seq 1 "$runs"); do kur || return 1; done; }

baseline=$(per_run "openssl ocsp" ocsp)
genm_us=$(per_run "genm" genm)
start=$(date +%s%N)
kur_chain || { echo "cmp_bench: kur failed" >&2; exit 1; }
kur_us=$((($(date +%s%N) - start) / 1000 / runs))
openssl verify -CAfile "$data/ca/chain.pem" "$current_cert" >/dev/null
ratio() { python3 -c "import sys; print(f'{int(sys.argv[1]) / int(sys.argv[2]):.2f}')" "$1" "$baseline"; }
printf 'openssl ocsp (baseline)      %8.1f ms/request\n' "$(python3 -c "print($baseline / 1000)")"
printf 'genm, MAC-protected          %8.1f ms/request   ratio to baseline %s\n' "$(python3 -c "print($genm_us / 1000)")" "$(ratio "$genm_us")"
printf 'kur, automatic (+certConf)   %8.1f ms/renewal   ratio to baseline %s\n' "$(python3 -c "print($kur_us / 1000)")" "$(ratio "$kur_us")"
