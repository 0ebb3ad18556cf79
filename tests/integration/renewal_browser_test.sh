#!/usr/bin/env bash
# The portal's Renew button in Chromium (tests/e2e/renewal.mjs), for an eSign and a LOCK
# holder, under the automatic renewal policy.
source "$(dirname "$0")/lib.sh"
require_browser
init_at_own_port
sed -i 's/^renewal_window_days = .*/renewal_window_days = 400/; s/^renewal = .*/renewal = "automatic"/' "$data/lontar.toml"
add_account 5108010101900002 "Dr. Komang Rektor" applicant
add_account 5108010101900009 "Kadek Verifikator" verifier
issue_holder 5108010101900003 "I Made Dosen" applicant
"$MAKE_LETTER" >"$work/letter.pdf"
start_server --as-configured
issue_esign 5108010101900002 5108010101900009 Frasa-Sandi-Rahasia-2026 "$work/letter.pdf"
pass

URL=$url ARTIFACTS=$E2E_ARTIFACTS/renewal ESIGN_NIK=5108010101900002 LOCK_NIK=5108010101900003 \
  PASSPHRASE=Frasa-Sandi-Rahasia-2026 timeout 300 node "$e2e/renewal.mjs"
pass
expect_eq 1 "$(db_count "requests WHERE kind = 'renewal' AND method = 'esign' AND state = 'issued'")" "one eSign renewal issued"
expect_eq 1 "$(db_count "audit_events WHERE action = 'request.approved' AND actor = 'system:renewal'")" "approved by the automatic policy"
expect_eq 1 "$(db_count "certificates WHERE status = 'superseded'")" "the old certificate superseded"
lontar audit verify --data "$data" >/dev/null
done_checks
