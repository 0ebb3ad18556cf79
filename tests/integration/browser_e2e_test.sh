#!/usr/bin/env bash
# Runs the portal walks in a real browser (tests/e2e/portal_walk.mjs: Playwright with
# Debian's Chromium): LOCK renewal with openssl-made CSR, eSign, and LOCK in English.
source "$(dirname "$0")/lib.sh"
: "${MAKE_LETTER:?MAKE_LETTER must point at the make_letter tool}"
: "${E2E_ARTIFACTS:?E2E_ARTIFACTS must name the screenshot folder}"
e2e=$(cd "$(dirname "$0")/../e2e" && pwd)
[ -d "$e2e/node_modules/playwright-core" ] || fail "run 'npm ci --prefix tests/e2e' first (scripts/test.sh does)"
[ -x /usr/bin/chromium ] || fail "Debian's chromium is not installed (scripts/install-deps.sh installs it)"
make_instance
printf 'Benar-sekali-2026\n' >"$work/pw"
add() { # nik name role
  lontar user add --data "$data" --nik "$1" --name "$2" --role "$3" --email "u$1@undiksha.ac.id" \
    --organisation "Universitas Pendidikan Ganesha" --unit "UPT TIK" --password-file "$work/pw" --no-forced-change >/dev/null
}
add 5108010101900002 "Komang eSign" applicant
add 5108010101900003 "Wayan English" applicant
add 5108010101900009 "Kadek Verifikator" verifier
sqlite3 "$data/lontar.db" "UPDATE accounts SET password_hash = (SELECT password_hash FROM accounts WHERE nik = '5108010101900002'), must_change_password = 0 WHERE nik = '5108010101900001'"
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout /dev/null -subj /CN=x -out "$work/old.csr" 2>/dev/null
lontar cert issue --data "$data" --nik 5108010101900001 --product individual-1y --csr "$work/old.csr" --out "$work/old.pem" >/dev/null
"$MAKE_LETTER" "Surat Rekomendasi" >"$work/letter.pdf"

"$LONTAR_BIN" serve --data "$data" --listen 127.0.0.1:0 >"$work/serve.out" 2>"$work/serve.err" &
server=$!
cleanup_hooks+=("kill $server 2>/dev/null")
for _ in $(seq 1 100); do grep -q "listening on" "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$work/serve.out")
[ -n "$url" ] || fail "server did not start"

rm -rf "$E2E_ARTIFACTS"
URL=$url WORK=$work LETTER=$work/letter.pdf ARTIFACTS=$E2E_ARTIFACTS \
  OLD_SERIAL=$(openssl x509 -in "$work/old.pem" -noout -serial | cut -d= -f2) \
  timeout 300 node "$e2e/portal_walk.mjs"
pass
expect_eq 3 "$(db_count "requests WHERE state = 'issued' AND decided_by > 0")" "three requests issued through the browser"
lontar audit verify --data "$data" >/dev/null
done_checks
