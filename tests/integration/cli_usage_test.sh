#!/usr/bin/env bash
# Every command has --help; usage errors exit 1 with one plain line; a missing data
# folder and a second init are refused plainly.
source "$(dirname "$0")/lib.sh"
for command in "" "init" "serve" "user" "user add" "user list" "user set-role" "user unlock" "user reset-password" "cert" "cert issue" \
  "cert list" "cert show" "audit" "audit verify" "default-config"; do
  # shellcheck disable=SC2086
  out=$(lontar $command --help) || fail "'lontar $command --help' failed"
  expect_contains "$out" "Usage" "help of '$command'"
done
expect_failure 1 "error:" lontar cert issue --data "$work/x"
expect_failure 1 "is not a Lontar data folder" lontar cert list --data "$work/nowhere"
expect_failure 1 "error:" lontar frobnicate

make_instance
expect_failure 1 "already holds a Lontar instance" lontar init --data "$data"
expect_failure 1 "CA algorithm must be" lontar init --data "$work/other" --ca-algorithm dsa-1024
printf 'short\n' >"$work/short-passphrase"
expect_failure 1 "at least 12 characters" lontar init --data "$work/other3" --ca-passphrase-file "$work/short-passphrase"
printf 'a long enough CA passphrase\n' >"$work/passphrase"
lontar init --data "$work/own" --ca-passphrase-file "$work/passphrase" >/dev/null
[ ! -e "$work/own/secrets/ca-passphrase" ] || fail "a demo passphrase was written although one was given"
pass
expect_eq "$(cat "$work/own/lontar.toml")" "$(lontar default-config)" "default-config prints what init writes by default"
expect_failure 1 "CA key is encrypted" lontar crl generate --data "$work/own" --out "$work/x.crl"
lontar crl generate --data "$work/own" --out "$work/x.crl" --ca-passphrase-file "$work/passphrase" >/dev/null
expect_contains "$(openssl crl -inform DER -in "$work/x.crl" -noout -issuer)" "Issuing CA" "CRL with the given passphrase"
expect_failure 1 "public URL must start with http" lontar init --data "$work/other2" --public-url "ftp://x,y"
expect_failure 1 "A NIK has exactly 16 digits" lontar user add --data "$data" --nik 123 --name X --email x@y.id
expect_failure 1 "already exists" lontar user add --data "$data" --nik 5108010101900001 --name X --email x@y.id
expect_failure 1 "Unknown role" lontar user add --data "$data" --nik 5108010101900002 --name X --email x@y.id --role god
printf 'short\n' >"$work/pw"
expect_failure 1 "at least 10 characters" lontar user add --data "$data" --nik 5108010101900002 --name X --email x@y.id --password-file "$work/pw"

lontar user set-role --data "$data" --nik 5108010101900001 --role verifier >/dev/null
expect_contains "$(lontar user list --data "$data")" "verifier" "set-role"
expect_contains "$(lontar user list --data "$data" --json)" '"role": "verifier"' "list --json"
expect_contains "$(lontar user unlock --data "$data" --nik 5108010101900001)" "Unlocked" "unlock"
expect_failure 1 "No account has the NIK" lontar user unlock --data "$data" --nik 5108010101909999
expect_contains "$(lontar audit verify --data "$data")" "intact" "audit after account changes"
expect_contains "$(sqlite3 "$data/lontar.db" "SELECT group_concat(action) FROM audit_events")" "account.role_changed,account.unlocked" "account changes audited"
# The last administrator keeps the role, from the CLI as from the portal (one rule, in the core).
lontar user set-role --data "$data" --nik 5108010101900001 --role admin >/dev/null
expect_failure 1 "last administrator" lontar user set-role --data "$data" --nik 5108010101900001 --role verifier
lontar user add --data "$data" --nik 5108010101900004 --name Z --email z@y.id --role admin --no-forced-change >/dev/null
lontar user set-role --data "$data" --nik 5108010101900001 --role verifier >/dev/null
expect_contains "$(lontar user list --data "$data" --json)" '"role": "verifier"' "an administrator steps down once another exists"
# A reset gives a temporary password that logs in and must be changed; it is never stored or audited in clear.
reset=$(lontar user reset-password --data "$data" --nik 5108010101900001)
temporary=$(printf '%s\n' "$reset" | sed -n 's/^Temporary password for 5108010101900001: //p')
[ ${#temporary} -ge 16 ] || fail "no temporary password in: $reset"
if grep -a -q "$temporary" "$data/lontar.db"* 2>/dev/null; then fail "temporary password stored in clear"; fi
expect_eq 1 "$(sqlite3 "$data/lontar.db" "SELECT must_change_password FROM accounts WHERE nik='5108010101900001'")" "reset forces a change"
expect_contains "$(sqlite3 "$data/lontar.db" "SELECT group_concat(action) FROM audit_events")" "account.password_reset" "reset audited"
pass
# The password never reaches the audit trail or the database in clear.
printf 'Sup3r-secret-pw\n' >"$work/pw2"
lontar user add --data "$data" --nik 5108010101900003 --name Y --email y@y.id --password-file "$work/pw2" >/dev/null
if grep -a -q "Sup3r-secret-pw" "$data/lontar.db"* 2>/dev/null; then fail "password stored in clear"; fi
pass
expect_contains "$(sqlite3 "$data/lontar.db" "SELECT password_hash FROM accounts WHERE nik='5108010101900003'")" '$argon2id$' "argon2id hash"

# --db with PostgreSQL when the test cluster is there.
if [ -n "${LONTAR_TEST_PG_URL:-}" ]; then
  db="lontar_cli_$$"
  psql "$LONTAR_TEST_PG_URL" -qc "CREATE DATABASE $db" >/dev/null
  cleanup_hooks+=("psql '$LONTAR_TEST_PG_URL' -qc 'DROP DATABASE IF EXISTS $db WITH (FORCE)' >/dev/null")
  pg_url="${LONTAR_TEST_PG_URL%/*}/$db"
  lontar init --data "$work/pg" --db "$pg_url" >/dev/null
  lontar user add --data "$work/pg" --nik 5108010101900001 --name "PG User" --email pg@undiksha.ac.id >/dev/null
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout /dev/null -subj "/CN=x" -out "$work/pg.csr" 2>/dev/null
  lontar cert issue --data "$work/pg" --nik 5108010101900001 --product individual-2y --csr "$work/pg.csr" --out "$work/pg.pem" >/dev/null
  expect_eq "1" "$(psql "$pg_url" -tAc 'SELECT COUNT(*) FROM certificates')" "certificate in PostgreSQL"
  expect_contains "$(lontar audit verify --data "$work/pg")" "intact" "audit on PostgreSQL"
else
  fail "LONTAR_TEST_PG_URL is not set: run the suite through scripts/test.sh"
fi
done_checks
