#!/usr/bin/env bash
# Runs the portal walks in a real browser (tests/e2e/portal_walk.mjs: Playwright with
# Debian's Chromium): LOCK renewal with openssl-made CSR, eSign (then signing a PDF in
# the portal and checking it as an anonymous visitor through its QR code), and LOCK in
# English.
source "$(dirname "$0")/lib.sh"
require_browser
make_instance
add_account 5108010101900002 "Komang eSign" applicant
add_account 5108010101900003 "Wayan English" applicant
add_account 5108010101900009 "Kadek Verifikator" verifier
set_applicant_password 5108010101900002
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout /dev/null -subj /CN=x -out "$work/old.csr" 2>/dev/null
lontar cert issue --data "$data" --nik 5108010101900001 --product individual-1y --csr "$work/old.csr" --out "$work/old.pem" >/dev/null
"$MAKE_LETTER" "Surat Rekomendasi" >"$work/letter.pdf"

start_server

rm -rf "$E2E_ARTIFACTS"
URL=$url WORK=$work LETTER=$work/letter.pdf ARTIFACTS=$E2E_ARTIFACTS \
  OLD_SERIAL=$(openssl x509 -in "$work/old.pem" -noout -serial | cut -d= -f2) \
  timeout 300 node "$e2e/portal_walk.mjs"
pass
expect_eq 3 "$(db_count "requests WHERE state = 'issued' AND decided_by > 0")" "three requests issued through the browser"
lontar audit verify --data "$data" >/dev/null
done_checks
