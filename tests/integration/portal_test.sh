#!/usr/bin/env bash
# The portal's first pages over real HTTP with curl: log in with NIK and password,
# CSRF on every form, uniform failures, temporary lock, per-address throttling, My
# Certificates with downloads, another applicant's certificate invisible, log out,
# Indonesian by default and English on request.
source "$(dirname "$0")/lib.sh"
make_instance
printf 'Benar-sekali-2026\n' >"$work/pw"
lontar user add --data "$data" --nik 5108010101900002 --name "I Made Lain" --email made@undiksha.ac.id \
  --password-file "$work/pw" --no-forced-change >/dev/null
lontar user add --data "$data" --nik 5108010101900003 --name "Ketut Kunci" --email ketut@undiksha.ac.id \
  --password-file "$work/pw" --no-forced-change >/dev/null
sqlite3 "$data/lontar.db" "UPDATE accounts SET password_hash = (SELECT password_hash FROM accounts WHERE nik = '5108010101900002'), must_change_password = 0 WHERE nik = '5108010101900001'"
for who in 5108010101900001 5108010101900002; do
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout /dev/null -subj /CN=x -out "$work/$who.csr" 2>/dev/null
  lontar cert issue --data "$data" --nik "$who" --product individual-1y --csr "$work/$who.csr" --out "$work/$who.pem" >/dev/null
done
mine=$(openssl x509 -in "$work/5108010101900001.pem" -noout -serial | cut -d= -f2)
theirs=$(openssl x509 -in "$work/5108010101900002.pem" -noout -serial | cut -d= -f2)

start_server
pass

status() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
csrf_of() { grep -o 'name="csrf" value="[0-9a-f]*"' "$1" | head -1 | sed 's/.*value="//; s/"$//'; }
# login JAR NIK PASSWORD → prints the HTTP status, leaves the page in $work/last.html
login() {
  curl -s -c "$1" -b "$1" "$url/login" -o "$work/form.html"
  curl -s -c "$1" -b "$1" -o "$work/last.html" -w '%{http_code}' \
    --data-urlencode "csrf=$(csrf_of "$work/form.html")" --data-urlencode "nik=$2" --data-urlencode "password=$3" "$url/login"
}
error_text() { sed -n 's/.*<p class="error" role="alert">\(.*\)<\/p>.*/\1/p' "$work/last.html"; }

# Anonymous visitors are sent to the login page; the page is Indonesian by default.
expect_eq 303 "$(status "$url/sertifikat")" "anonymous My Certificates"
expect_eq 401 "$(status "$url/sertifikat/unduh?serial=$mine")" "anonymous download"
page=$(curl -s -D "$work/h" "$url/login")
expect_contains "$page" '<html lang="id">' "Indonesian by default"
expect_contains "$page" "Kata sandi" "Indonesian words"
expect_contains "$(cat "$work/h")" "Content-Security-Policy: default-src 'self'" "CSP"
expect_contains "$(cat "$work/h")" "frame-ancestors 'none'" "no framing"
expect_not_contains "$page" "<script" "no script on the page"

# CSRF: a login post without the form's token is refused.
expect_eq 403 "$(status --data "nik=5108010101900001&password=Benar-sekali-2026" "$url/login")" "login without CSRF token"
curl -s -c "$work/j0" "$url/login" -o /dev/null
expect_eq 403 "$(status -b "$work/j0" --data "csrf=00&nik=5108010101900001&password=Benar-sekali-2026" "$url/login")" "login with a wrong CSRF token"

# Unknown NIK and wrong password answer alike.
expect_eq 401 "$(login "$work/j1" 9999999999999999 Benar-sekali-2026)" "unknown NIK"
unknown=$(error_text)
expect_eq 401 "$(login "$work/j1" 5108010101900001 wrong-password-1)" "wrong password"
expect_eq "$unknown" "$(error_text)" "same answer for unknown NIK and wrong password"
expect_contains "$unknown" "NIK atau kata sandi salah" "plain Indonesian message"

# A good login: 303 to My Certificates, a fresh HttpOnly SameSite=Strict session cookie.
expect_eq 303 "$(login "$work/j2" 5108010101900001 Benar-sekali-2026)" "login"
session1=$(awk '$6 == "lontar_session" {print $7}' "$work/j2")
[ ${#session1} -eq 64 ] || fail "no session cookie"
pass
curl -s -c "$work/j3" "$url/login" -o "$work/form.html"
headers=$(curl -s -D - -o /dev/null -c "$work/j3" -b "$work/j3" --data-urlencode "csrf=$(csrf_of "$work/form.html")" \
  --data "nik=5108010101900001&password=Benar-sekali-2026" "$url/login")
expect_contains "$headers" "HttpOnly; SameSite=Strict" "session cookie flags"
session2=$(awk '$6 == "lontar_session" {print $7}' "$work/j3")
[ -n "$session2" ] && [ "$session1" != "$session2" ] || fail "the session id did not change at login"
pass
sqlite3 "$data/lontar.db" "SELECT id_hash FROM sessions" | grep -q "$session1" && fail "session id stored in clear"
pass

mine_page=$(curl -s -b "$work/j2" "$url/sertifikat")
expect_contains "$mine_page" "Sertifikat Saya" "My Certificates title"
expect_contains "$mine_page" "$mine" "own certificate listed"
expect_contains "$mine_page" "Aktif" "status label"
expect_not_contains "$mine_page" "$theirs" "someone else's certificate not listed"
curl -s -b "$work/j2" "$url/sertifikat/unduh?serial=$mine&format=pem" -o "$work/dl.pem"
expect_eq "$(cat "$work/5108010101900001.pem")" "$(cat "$work/dl.pem")" "PEM download"
curl -s -b "$work/j2" "$url/sertifikat/unduh?serial=$mine&format=der" -o "$work/dl.der"
expect_eq "$(openssl x509 -in "$work/dl.pem" -outform DER | sha256sum)" "$(sha256sum <"$work/dl.der")" "DER download"
curl -s -b "$work/j2" "$url/sertifikat/unduh?serial=$mine&format=chain" -o "$work/chain.pem"
expect_contains "$(openssl verify -CAfile "$data/ca/root.crt" -untrusted "$work/chain.pem" "$work/dl.pem")" ": OK" "chain download verifies"
expect_eq 404 "$(status -b "$work/j2" "$url/sertifikat/unduh?serial=$theirs&format=pem")" "another applicant's certificate"
expect_eq 404 "$(status -b "$work/j2" "$url/sertifikat/unduh?serial=NOPE")" "unknown serial looks the same"

# The holder revokes their own certificate with the password; nobody else's.
page_token=$(csrf_of <(curl -s -b "$work/j2" "$url/sertifikat"))
expect_contains "$(curl -s -b "$work/j2" "$url/sertifikat")" "Cabut sertifikat" "revoke form offered"
expect_eq 403 "$(status -b "$work/j2" --data "csrf=bad&serial=$mine&reason=keyCompromise&password=Benar-sekali-2026" "$url/sertifikat/cabut")" "revoke without CSRF"
curl -s -b "$work/j2" -o /dev/null -D "$work/r1" --data "csrf=$page_token&serial=$mine&reason=keyCompromise&password=nope-nope-1" "$url/sertifikat/cabut"
expect_contains "$(cat "$work/r1")" "Location: /sertifikat?error=wrong_password" "wrong password refuses revocation"
expect_contains "$(curl -s -b "$work/j2" "$url/sertifikat?error=wrong_password")" "Kata sandi salah" "wrong password explained"
expect_eq 404 "$(status -b "$work/j2" --data "csrf=$page_token&serial=$theirs&reason=keyCompromise&password=Benar-sekali-2026" "$url/sertifikat/cabut")" "cannot revoke someone else's"
curl -s -b "$work/j2" -o /dev/null -D "$work/r2" --data "csrf=$page_token&serial=$mine&reason=cACompromise&password=Benar-sekali-2026" "$url/sertifikat/cabut"
expect_contains "$(cat "$work/r2")" "error=reason_refused" "holder cannot claim cACompromise"
expect_eq "valid" "$(sqlite3 "$data/lontar.db" "SELECT status FROM certificates WHERE serial = '$mine'")" "still valid after refusals"
expect_eq 303 "$(status -b "$work/j2" --data "csrf=$page_token&serial=$mine&reason=keyCompromise&password=Benar-sekali-2026" "$url/sertifikat/cabut")" "holder revokes"
after=$(curl -s -b "$work/j2" "$url/sertifikat?revoked=1")
expect_contains "$after" "Sertifikat telah dicabut" "revocation confirmed"
expect_contains "$after" "status revoked" "shown as revoked"
expect_eq "revoked|keyCompromise" "$(sqlite3 "$data/lontar.db" "SELECT status, revocation_reason FROM certificates WHERE serial = '$mine'")" "stored as revoked"
expect_contains "$(openssl ocsp -issuer "$data/ca/issuing.crt" -cert "$work/5108010101900001.pem" -url "$url/ocsp" -CAfile "$data/ca/root.crt" -verify_other "$data/ca/issuing.crt" 2>&1)" "revoked" "OCSP agrees"
expect_eq "valid" "$(sqlite3 "$data/lontar.db" "SELECT status FROM certificates WHERE serial = '$theirs'")" "the other certificate untouched"

# English on request, remembered in a cookie.
curl -s -c "$work/j2" -b "$work/j2" "$url/sertifikat?lang=en" -o /dev/null
english=$(curl -s -b "$work/j2" "$url/sertifikat")
expect_contains "$english" "My Certificates" "English remembered"
expect_contains "$english" '<html lang="en">' "lang attribute"

# Log out needs the session's CSRF token; afterwards the session is dead.
expect_eq 403 "$(status -b "$work/j2" --data "csrf=bad" "$url/logout")" "logout without the right token"
token=$(csrf_of <(curl -s -b "$work/j2" "$url/sertifikat"))
expect_eq 303 "$(status -b "$work/j2" --data "csrf=$token" "$url/logout")" "logout"
expect_eq 303 "$(status -b "$work/j2" "$url/sertifikat")" "session ended"

# Five wrong passwords lock the account for a while: then even the right one fails alike.
for _ in 1 2 3 4 5; do login "$work/j4" 5108010101900003 wrong-password-1 >/dev/null; done
expect_eq 401 "$(login "$work/j4" 5108010101900003 Benar-sekali-2026)" "locked account"
expect_eq "$unknown" "$(error_text)" "locked answers like a wrong password"
expect_contains "$(sqlite3 "$data/lontar.db" "SELECT group_concat(action) FROM audit_events")" "account.temporarily_locked" "lock audited"
lontar user unlock --data "$data" --nik 5108010101900003 >/dev/null
expect_eq 303 "$(login "$work/j4" 5108010101900003 Benar-sekali-2026)" "helpdesk unlock releases the lock"

# An account an administrator created must replace its temporary password first.
temporary=$(lontar user add --data "$data" --nik 5108010101900004 --name "Wayan Baru" --email wayan@undiksha.ac.id | sed -n 's/^Temporary password: //p')
[ -n "$temporary" ] || fail "no temporary password printed"
pass
curl -s -c "$work/j6" "$url/login" -o "$work/form.html"
location=$(curl -s -D - -o /dev/null -c "$work/j6" -b "$work/j6" --data-urlencode "csrf=$(csrf_of "$work/form.html")"   --data "nik=5108010101900004" --data-urlencode "password=$temporary" "$url/login" | sed -n 's/^Location: //p' | tr -d '\r')
expect_eq "/kata-sandi" "$location" "first login goes to the password change"
expect_contains "$(curl -s -D - -o /dev/null -b "$work/j6" "$url/sertifikat")" "Location: /kata-sandi" "other pages wait for the change"
form_token=$(csrf_of <(curl -s -b "$work/j6" "$url/kata-sandi"))
change() { curl -s -o "$work/change.html" -w '%{http_code}' -b "$work/j6" --data-urlencode "csrf=$form_token" \
  --data-urlencode "current=$1" --data-urlencode "new=$2" --data-urlencode "repeat=$3" "$url/kata-sandi"; }
expect_eq 400 "$(change "$temporary" Baru-sekali-2026 Baru-sekali-2027)" "mismatched new passwords"
expect_contains "$(cat "$work/change.html")" "tidak sama" "mismatch explained"
expect_eq 400 "$(change "$temporary" pendek pendek)" "weak new password"
expect_eq 400 "$(change wrong-current-1 Baru-sekali-2026 Baru-sekali-2026)" "wrong current password"
expect_eq 303 "$(change "$temporary" Baru-sekali-2026 Baru-sekali-2026)" "password changed"
expect_eq 200 "$(status -b "$work/j6" "$url/sertifikat")" "My Certificates after the change"
expect_eq 401 "$(login "$work/j7" 5108010101900004 "$temporary")" "the temporary password is gone"
expect_eq 303 "$(login "$work/j7" 5108010101900004 Baru-sekali-2026)" "the new password works"

# Per-address throttling after many failures.
code=401
for _ in $(seq 1 40); do
  code=$(login "$work/j5" 5108010101900002 wrong-password-2)
  [ "$code" = 429 ] && break
done
expect_eq 429 "$code" "throttled after repeated failures"

# Nothing secret in the access log.
expect_not_contains "$(cat "$work/serve.err")" "$session1" "no session id in the log"
expect_not_contains "$(cat "$work/serve.err")" "Benar-sekali" "no password in the log"
done_checks
