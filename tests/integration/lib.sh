# Shared helpers for the black-box tests of the lontar binary. Every check that fails
# prints what was expected and what happened, and the script exits non-zero.
set -euo pipefail
# A command that fails outside the expect_* helpers names itself before the script stops.
trap 'echo "FAIL: ${BASH_SOURCE[0]}:${LINENO}: $BASH_COMMAND exited $?" >&2' ERR
: "${LONTAR_BIN:?LONTAR_BIN must point at the lontar binary}"
lontar() { "$LONTAR_BIN" "$@"; }

work=$(mktemp -d /tmp/lontar-it.XXXXXX)
cleanup_hooks=()
cleanup() {
  for hook in "${cleanup_hooks[@]}"; do eval "$hook" || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# A process's start time (field 22 of /proc/PID/stat): it tells the process from a later
# one given the same pid. Empty once the process is gone.
process_birth() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
  stat=${stat##*) }
  # shellcheck disable=SC2086  # the fields are split on purpose
  set -- $stat
  echo "${20}"
}
# kill_if_same PID BIRTH [SIGNAL]: signals PID only while it is still that process.
kill_if_same() {
  [ -n "$2" ] && [ "$(process_birth "$1")" = "$2" ] && kill "${3:--TERM}" "$1" 2>/dev/null
}
# stop_at_exit PID [SIGNAL]: the process is stopped when the test ends, unless it ended
# before. With pid_max at 32768 a busy parallel run reuses pids within minutes, and a
# blind `kill PID` at the end could hit another test's process.
stop_at_exit() {
  cleanup_hooks+=("kill_if_same $1 '$(process_birth "$1")' ${2:-}")
}

checks=0
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
pass() { checks=$((checks + 1)); }
expect_eq() { # expected actual what
  [ "$1" == "$2" ] || fail "$3: expected [$1], got [$2]"
  pass
}
expect_contains() { # haystack needle what
  [[ "$1" == *"$2"* ]] || fail "$3: [$2] not found in: $1"
  pass
}
expect_not_contains() {
  [[ "$1" != *"$2"* ]] || fail "$3: [$2] should not appear in: $1"
  pass
}
# Runs a command that must fail with exit code $1 and print $2 on stderr.
expect_failure() {
  local code=$1 message=$2
  shift 2
  local out status=0
  out=$("$@" 2>&1) || status=$?
  [ "$status" -eq "$code" ] || fail "'$*' exited $status, expected $code. Output: $out"
  [[ "$out" == *"$message"* ]] || fail "'$*' said [$out], expected it to mention [$message]"
  pass
}
done_checks() { echo "$checks checks passed"; }

# A data folder with one applicant.
make_instance() {
  data=$work/data
  lontar init --data "$data" --organisation "Universitas Pendidikan Ganesha" >/dev/null
  lontar user add --data "$data" --nik 5108010101900001 --name "Ni Luh Putu Ayu" --email ayu@undiksha.ac.id \
    --organisation "Universitas Pendidikan Ganesha" --unit "UPT TIK" >/dev/null
}

# A data folder whose certificates name this test's own server (their OCSP and CRL
# addresses must reach it: start it with --as-configured), and the shared test password
# in $work/pw. Sets $port and $data.
init_at_own_port() {
  reserve_port
  data=$work/data
  lontar init --data "$data" --public-url "http://127.0.0.1:$port" --listen "127.0.0.1:$port" >/dev/null
  printf '%s\n' "$test_password" >"$work/pw"
}

# reserve_port: sets $port to a loopback port nobody uses now and no other test of this
# run will take: below Linux's ephemeral range (32768 up), where the clients of the tests
# running beside this one get their ports, claimed by an atomic mkdir (a claim older
# than an hour is from a killed run) and checked free by binding it.
reserve_port() {
  local claims=/tmp/lontar-ports
  mkdir -p "$claims"
  find "$claims" -mindepth 1 -maxdepth 1 -mmin +60 -exec rm -rf {} + 2>/dev/null || true
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 12000))
    mkdir "$claims/$port" 2>/dev/null || continue
    if python3 -c 'import socket,sys; s=socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1])))' "$port" 2>/dev/null; then
      cleanup_hooks+=("rmdir '$claims/$port'")
      return 0
    fi
    rmdir "$claims/$port"
  done
  fail "no free loopback port found"
}

# pdfsig_online NSSDIR FILE: pdfsig's report, its certificates checked against the roots in
# NSSDIR and online at the OCSP address they name (this test's server). NSS says only
# "Unknown issue" when its OCSP fetch fails; that happened once on a loaded CI machine
# and was not reproducible, so the report that says so goes to stderr with pdfsig's
# offline view and the server's OCSP log, and the check is asked once more.
pdfsig_online() {
  local report
  report=$(pdfsig -nssdir "sql:$1" "$2" 2>/dev/null || true)
  if [[ "$report" == *"Unknown issue"* ]]; then
    {
      echo "pdfsig_online: NSS reported an unknown issue; offline it says:"
      pdfsig -nssdir "sql:$1" -no-ocsp "$2" 2>&1 | grep -E "Validation|Name:" || true
      echo "the server's last OCSP answers:"
      cat "$work"/serve*.out "$work/serve.err" 2>/dev/null | grep '"/ocsp' | tail -5 || true
    } >&2
    sleep 2
    report=$(pdfsig -nssdir "sql:$1" "$2" 2>/dev/null || true)
  fi
  printf '%s\n' "$report"
}

# token_file TOKEN: a file holding the CSR token, for `lontar-lock enroll --token-file`.
token_file() {
  local file
  file=$(mktemp "$work/token.XXXXXX")
  printf '%s\n' "$1" >"$file"
  echo "$file"
}

db_count() { sqlite3 "$data/lontar.db" "SELECT COUNT(*) FROM $1"; }

# add_account NIK NAME ROLE [EMAIL]: an account with the shared test password, no forced change.
test_password=Benar-sekali-2026
add_account() {
  printf '%s\n' "$test_password" >"$work/.pw"
  lontar user add --data "$data" --nik "$1" --name "$2" --role "$3" --email "${4:-u$1@undiksha.ac.id}" \
    --organisation "Universitas Pendidikan Ganesha" --unit "UPT TIK" --password-file "$work/.pw" --no-forced-change >/dev/null
}
# The make_instance applicant gets the shared test password too.
set_applicant_password() {
  sqlite3 "$data/lontar.db" "UPDATE accounts SET password_hash = (SELECT password_hash FROM accounts WHERE nik = '$1'), must_change_password = 0 WHERE nik = '5108010101900001'"
}
# start_server [--as-configured] [ARGS...]: `lontar serve` on a free loopback port (or,
# with --as-configured, on the address lontar.toml names, which the certificates'
# URLs point to); sets $url and $server (its pid).
start_server() {
  local out=$work/serve.$RANDOM.out listen=(--listen 127.0.0.1:0)
  if [ "${1:-}" = "--as-configured" ]; then listen=(); shift; fi
  "$LONTAR_BIN" serve --data "$data" "${listen[@]}" "$@" >"$out" 2>>"$work/serve.err" &
  server=$!
  stop_at_exit "$server"
  for _ in $(seq 1 300); do
    grep -q "listening on" "$out" 2>/dev/null && break
    kill -0 "$server" 2>/dev/null || break
    sleep 0.1
  done
  url=$(sed -n 's/^listening on //p' "$out")
  [ -n "$url" ] || fail "server did not start: $(tail -5 "$work/serve.err" 2>/dev/null)"
  cat "$out" >>"$work/serve.out"
}

# json_field PATH: one field of the JSON on stdin, by a Python subscript ('["request"]["id"]').
json_field() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval("d"+sys.argv[1]))' "$1"; }
# bearer NIK: an API bearer token for the account (shared test password).
bearer() { curl -s -H 'Content-Type: application/json' -d "{\"nik\":\"$1\",\"password\":\"$test_password\"}" "$url/api/v1/session" | json_field '["token"]'; }

# api_login NIK JAR: an API session (shared test password) in the cookie jar; prints its CSRF token.
api_login() {
  curl -s -c "$2" -H "Content-Type: application/json" \
    --data "{\"nik\":\"$1\",\"password\":\"$test_password\"}" "$url/api/v1/session" |
    sed -n 's/.*"csrf_token":"\([0-9a-f]*\)".*/\1/p'
}

# issue_esign HOLDER_NIK VERIFIER_NIK PASSPHRASE LETTER: through the API of $url, the
# holder's eSign request (key kept under PASSPHRASE), approved by the verifier.
issue_esign() {
  local csrf vcsrf out request
  csrf=$(api_login "$1" "$work/.holder.jar")
  printf '{"product":"individual-1y","method":"esign","agreement_accepted":true,"passphrase":"%s","letter_pdf_base64":"%s"}' \
    "$3" "$(base64 -w0 "$4")" >"$work/.esign.json"
  out=$(curl -s -b "$work/.holder.jar" -H "Content-Type: application/json" -H "X-CSRF-Token: $csrf" \
    --data @"$work/.esign.json" "$url/api/v1/requests")
  request=$(printf '%s' "$out" | sed -n 's/.*"id":\([0-9]*\).*/\1/p')
  [ -n "$request" ] || fail "no eSign request: $out"
  vcsrf=$(api_login "$2" "$work/.verifier.jar")
  out=$(curl -s -b "$work/.verifier.jar" -H "X-CSRF-Token: $vcsrf" -X POST "$url/api/v1/requests/$request/approve")
  printf '%s' "$out" | grep -q '"state":"issued"' || fail "eSign request $request not issued: $out"
}

# issue_holder NIK NAME ROLE: an account (shared test password in $work/pw, from
# init_at_own_port) with a certificate; its encrypted key and certificate in
# $work/NIK.key and $work/NIK.pem, for `lontar doc sign`.
issue_holder() {
  lontar user add --data "$data" --nik "$1" --name "$2" --role "$3" --email "u$1@undiksha.ac.id" \
    --organisation "Universitas Pendidikan Ganesha" --unit Rektorat --password-file "$work/pw" --no-forced-change >/dev/null
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -aes-256-cbc -pass "file:$work/pw" -out "$work/$1.key"
  openssl req -new -key "$work/$1.key" -passin "file:$work/pw" -subj /CN=x -out "$work/$1.csr"
  lontar cert issue --data "$data" --nik "$1" --product individual-1y --csr "$work/$1.csr" --out "$work/$1.pem" >/dev/null
}

# issuance_storm FIRST LAST: in the background, `lontar cert issue` for the NIKs
# 51080101019000FIRST..LAST one after another; each certificate acknowledged (the
# command returned it) is appended to $work/acked as "SERIAL PEM". Sets $storm (its pid).
issuance_storm() {
  : >"$work/acked"
  (
    for n in $(seq "$1" "$2"); do
      openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout /dev/null -subj /CN=x \
        -out "$work/storm$n.csr" 2>/dev/null
      if lontar cert issue --data "$data" --nik "51080101019000$n" --product individual-1y --csr "$work/storm$n.csr" \
        --out "$work/storm$n.pem" >/dev/null 2>&1; then
        echo "$(openssl x509 -in "$work/storm$n.pem" -noout -serial | cut -d= -f2) $work/storm$n.pem" >>"$work/acked"
      fi
    done
  ) &
  storm=$!
}

# serve_restored DIR: `lontar serve` on a restored folder, its CA passphrase from $ca_pass;
# the first three certificates of $work/acked_before must be good to openssl ocsp and
# $work/5108010101900081.pem (revoked before the backup) revoked, in answers the
# restored responder signed. Sets $data, $url and $server.
serve_restored() {
  data=$1
  LONTAR_CA_PASSPHRASE_FILE=$ca_pass start_server
  local restored=$1
  restored_ocsp() {
    openssl ocsp -issuer "$restored/ca/issuing.crt" -cert "$1" -url "$url/ocsp" -CAfile "$restored/ca/root.crt" \
      -verify_other "$restored/ca/issuing.crt" -no_nonce 2>&1 || true
  }
  while read -r serial pem; do
    expect_contains "$(restored_ocsp "$pem")" ": good" "restored OCSP for $serial"
  done < <(head -3 "$work/acked_before")
  local answer
  answer=$(restored_ocsp "$work/5108010101900081.pem")
  expect_contains "$answer" ": revoked" "restored OCSP for the certificate revoked before"
  expect_contains "$answer" "Response verify OK" "the restored responder signs"
}

# require_browser: the browser tests' tools (Playwright from tests/e2e, Debian's
# Chromium, make_letter, the screenshot folder) are there; sets $e2e.
require_browser() {
  : "${MAKE_LETTER:?MAKE_LETTER must point at the make_letter tool}"
  : "${E2E_ARTIFACTS:?E2E_ARTIFACTS must name the screenshot folder}"
  e2e=$(cd "$(dirname "${BASH_SOURCE[0]}")/../e2e" && pwd)
  [ -d "$e2e/node_modules/playwright-core" ] || fail "run 'npm ci --prefix tests/e2e' first (scripts/test.sh does)"
  [ -x /usr/bin/chromium ] || fail "Debian's chromium is not installed (scripts/install-deps.sh installs it)"
}
