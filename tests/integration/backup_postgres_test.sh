#!/usr/bin/env bash
# Backup and restore of a folder whose database is PostgreSQL: `lontar backup` exports
# one snapshot (pg_export_snapshot, pg_dump --snapshot) during a bounded storm of
# issuances, and its manifest is counted in that same snapshot, so the restore's
# comparison of counts and audit head proves the dump is that moment. `lontar restore
# --db` loads it with pg_restore into a new, empty database; `lontar check` holds there,
# every certificate acknowledged before the backup is there, and a server on the
# restored folder answers OCSP for them. Refused: no --db, a database that holds a
# schema already, a --db for a SQLite backup, a changed byte.
source "$(dirname "$0")/lib.sh"
[ -n "${LONTAR_TEST_PG_URL:-}" ] || fail "LONTAR_TEST_PG_URL is not set: run the suite through scripts/test.sh"
db="lontar_backup_$$"
db2="lontar_restored_$$"
for d in "$db" "$db2"; do
  psql "$LONTAR_TEST_PG_URL" -qc "CREATE DATABASE $d" >/dev/null
  cleanup_hooks+=("psql '$LONTAR_TEST_PG_URL' -qc 'DROP DATABASE IF EXISTS $d WITH (FORCE)' >/dev/null")
done
dburl="${LONTAR_TEST_PG_URL%/*}/$db"
restored_url="${LONTAR_TEST_PG_URL%/*}/$db2"
reserve_port
data=$work/data
lontar init --data "$data" --db "$dburl" --public-url "http://127.0.0.1:$port" --listen "127.0.0.1:$port" >/dev/null
printf '%s\n' "$test_password" >"$work/pw"
ca_pass=$data/secrets/ca-passphrase
printf 'backup passphrase for the test\n' >"$work/bpw"
for n in $(seq 10 29); do add_account "51080101019000$n" "Pegawai $n" applicant; done
issue_holder 5108010101900081 "Dicabut Sebelumnya" applicant
revoked_serial=$(openssl x509 -in "$work/5108010101900081.pem" -noout -serial | cut -d= -f2)
lontar cert revoke --data "$data" --serial "$revoked_serial" --reason keyCompromise >/dev/null
start_server --as-configured

issuance_storm 10 29
deadline=$((SECONDS + 120))
until [ "$(wc -l <"$work/acked")" -ge 4 ]; do
  [ $SECONDS -lt $deadline ] || fail "the storm acknowledged nothing in 120 s"
  sleep 0.2
done
cp "$work/acked" "$work/acked_before"
out=$(lontar backup --data "$data" --out "$work/pg.backup" --passphrase-file "$work/bpw")
expect_contains "$out" "Backup written" "backup of a PostgreSQL folder taken while the storm runs"
wait "$storm"
after=$(psql "$dburl" -Atc "SELECT COUNT(*) FROM certificates")
echo "acknowledged before the backup: $(wc -l <"$work/acked_before"); certificates at the storm's end: $after"
expect_not_contains "$(strings "$work/pg.backup")" "COPY public" "nothing of the dump readable in the backup"

# Refusals: nothing restored, nothing left.
expect_failure 1 "--db postgresql://" lontar restore --in "$work/pg.backup" --data "$work/r-nodb" --passphrase-file "$work/bpw"
expect_failure 1 "already holds a Lontar schema" lontar restore --in "$work/pg.backup" --data "$work/r-used" \
  --passphrase-file "$work/bpw" --db "$dburl"
size=$(stat -c %s "$work/pg.backup")
cp "$work/pg.backup" "$work/changed.backup"
python3 -c 'import sys; p=sys.argv[1]; o=int(sys.argv[2]); b=bytearray(open(p,"rb").read()); b[o]^=1; open(p,"wb").write(b)' \
  "$work/changed.backup" $((size / 2))
expect_failure 1 "damaged" lontar restore --in "$work/changed.backup" --data "$work/r-changed" --passphrase-file "$work/bpw" \
  --db "$restored_url"
for r in r-nodb r-used r-changed; do
  [ ! -e "$work/$r" ] || fail "a refused restore left $r behind"
  pass
done
expect_eq "" "$(psql "$restored_url" -Atc "SELECT to_regclass('schema_migrations')")" "a refused restore loads nothing"
# A SQLite backup takes no --db.
lontar init --data "$work/lite" >/dev/null
lontar backup --data "$work/lite" --out "$work/lite.backup" --passphrase-file "$work/bpw" >/dev/null
expect_failure 1 "leave out --db" lontar restore --in "$work/lite.backup" --data "$work/r-lite" --passphrase-file "$work/bpw" \
  --db "$restored_url"

# The restore.
out=$(lontar restore --in "$work/pg.backup" --data "$work/restored" --passphrase-file "$work/bpw" --db "$restored_url")
expect_contains "$out" "Restored into" "restore into a new PostgreSQL database"
restored=$work/restored
expect_contains "$(grep '^url = ' "$restored/lontar.toml")" "$db2" "the restored folder names the new database"
expect_not_contains "$(grep '^url = ' "$restored/lontar.toml")" "$db\"" "and not the old one"
[ -z "$(find "$restored" -name 'database.pgdump')" ] || fail "the dump stayed in the restored folder"
pass
out=$(lontar check --data "$restored" --ca-passphrase-file "$ca_pass")
expect_contains "$out" "all 6 checks hold" "lontar check on the restored PostgreSQL folder"
while read -r serial _; do
  expect_eq 1 "$(psql "$restored_url" -Atc "SELECT COUNT(*) FROM certificates WHERE serial = '$serial'")" \
    "acknowledged $serial restored"
done <"$work/acked_before"
expect_eq 1 "$(psql "$restored_url" -Atc "SELECT COUNT(*) FROM audit_events WHERE action = 'backup.restored'")" \
  "the restore is audited"
expect_eq 0 "$(psql "$dburl" -Atc "SELECT COUNT(*) FROM audit_events WHERE action = 'backup.restored'")" \
  "the original database is untouched"

kill "$server"
wait "$server" 2>/dev/null || true
serve_restored "$restored"
done_checks
