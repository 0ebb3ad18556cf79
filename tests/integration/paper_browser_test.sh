#!/usr/bin/env bash
# Paper proof in a real browser (tests/e2e/paper_proof.mjs: Playwright with Debian's
# Chromium): an eSign holder signs a three-page letter in the portal with a title; the
# QR code read by zbarimg from pdftoppm's rendering opens, on a phone-sized screen, a
# page showing every page; page 1's preview matches pdftoppm's rendering of the
# registered file, the download is that file byte for byte, and a forged letter
# carrying the copied QR code differs visibly from what the code shows.
source "$(dirname "$0")/lib.sh"
require_browser
init_at_own_port
add_account 5108010101900002 "Dr. Komang Rektor" applicant
add_account 5108010101900009 "Kadek Verifikator" verifier
"$MAKE_LETTER" "Surat Keputusan Rektor" 3 >"$work/letter.pdf"
start_server --as-configured
issue_esign 5108010101900002 5108010101900009 Frasa-Sandi-Rahasia-2026 "$work/letter.pdf"
pass

URL=$url WORK=$work LETTER=$work/letter.pdf MAKE_LETTER=$MAKE_LETTER ARTIFACTS=$E2E_ARTIFACTS/paper \
  timeout 300 node "$e2e/paper_proof.mjs"
pass
expect_eq 1 "$(db_count "documents WHERE title = 'SK Rektor 7/2026' AND pages = 3")" "registered with its title and pages"
lontar audit verify --data "$data" >/dev/null
done_checks
