#!/usr/bin/env bash
# OCSP responses per second and p99 latency with wrk on loopback (64 connections,
# 10 s each, bounded), Lontar against `openssl ocsp` acting as responder (forked into
# one process per core with -multi) on the same certificate, in the same run.
set -euo pipefail
lontar=$1
seconds=${OCSP_BENCH_SECONDS:-10}
work=$(mktemp -d /tmp/lontar-ocsp-bench.XXXXXX)
pids=()
# openssl ocsp -multi forks workers: end the children as well as the parent.
stop() { pkill -P "$1" 2>/dev/null || true; kill "$1" 2>/dev/null || true; }
trap 'for p in "${pids[@]}"; do stop "$p"; done; rm -rf "$work"' EXIT

data=$work/data
"$lontar" init --data "$data" >/dev/null
"$lontar" user add --data "$data" --nik 5108010101900001 --name "Bench" --email bench@undiksha.ac.id >/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout /dev/null -subj /CN=x -out "$work/r.csr" 2>/dev/null
"$lontar" cert issue --data "$data" --nik 5108010101900001 --product individual-1y --csr "$work/r.csr" --out "$work/c.pem" >/dev/null
ca=$data/ca
openssl ocsp -issuer "$ca/issuing.crt" -cert "$work/c.pem" -no_nonce -reqout "$work/req.der" >/dev/null 2>&1

cat >"$work/post.lua" <<LUA
local f = io.open("$work/req.der", "rb")
wrk.body = f:read("*all")
f:close()
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/ocsp-request"
LUA

measure() { # name url
  local out rps p99
  out=$(wrk -t2 -c64 -d"${seconds}s" --latency -s "$work/post.lua" "$2")
  [ -z "${OCSP_BENCH_DEBUG:-}" ] || printf "%s\n" "$out" >&2
  rps=$(printf '%s\n' "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(printf '%s\n' "$out" | awk '$1 == "99%" {print $2}')
  errors=$(printf '%s\n' "$out" | grep -E "Non-2xx|Socket errors" | tr '\n' ' ' || true)
  printf '%-34s %10.0f responses/s   p99 %8s   %s\n' "$1" "$rps" "$p99" "$errors" >&2
  echo "$rps"
}

# Peer: openssl ocsp with an index of the same certificate.
serial=$(openssl x509 -in "$work/c.pem" -noout -serial | cut -d= -f2)
enddate=$(date -u -d "$(openssl x509 -in "$work/c.pem" -noout -enddate | cut -d= -f2)" +%y%m%d%H%M%SZ)
printf 'V\t%s\t\t%s\tunknown\t/CN=x\n' "$enddate" "$serial" >"$work/index.txt"
openssl pkey -in "$ca/ocsp.key" -passin "file:$data/secrets/ca-passphrase" -out "$work/ocsp-plain.key"
peer_port=$((20000 + RANDOM % 12000))  # below the ephemeral ports (32768 up) clients get
openssl ocsp -index "$work/index.txt" -port "$peer_port" -rsigner "$ca/ocsp.crt" -rkey "$work/ocsp-plain.key" \
  -CA "$ca/issuing.crt" -nmin 60 -multi 2 -ignore_err >"$work/peer.log" 2>&1 &
pids+=($!)
sleep 1  # openssl ocsp has no readiness signal; a probe connection would occupy a worker
[ -z "${OCSP_BENCH_DEBUG:-}" ] || cat "$work/peer.log" >&2
peer=$(measure "openssl ocsp -multi 2 (baseline)" "http://127.0.0.1:$peer_port/")
stop "${pids[-1]}"

# wrk's connections all come from one address: let it open more than a browser would.
sed -i 's/^max_connections_per_address = .*/max_connections_per_address = 256/' "$data/lontar.toml"
"$lontar" serve --data "$data" --listen 127.0.0.1:0 >"$work/serve.out" 2>/dev/null &
pids+=($!)
for _ in $(seq 1 100); do grep -q "listening on" "$work/serve.out" && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$work/serve.out")
ours=$(measure "lontar serve" "$url/ocsp")
awk -v a="$ours" -v b="$peer" 'BEGIN { printf "ratio lontar / openssl ocsp: %.2f\n", a / b }'
