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
# Refused after the load (here a trap the database's owner set: an event trigger arms a
# trigger that refuses the restore's own audit event; its names are schema-qualified
# because pg_restore empties the search_path): what was loaded is taken out again, what
# the database held before stays, and the same database can be named again.
trapped="lontar_trapped_$$"
psql "$LONTAR_TEST_PG_URL" -qc "CREATE DATABASE $trapped" >/dev/null
cleanup_hooks+=("psql '$LONTAR_TEST_PG_URL' -qc 'DROP DATABASE IF EXISTS $trapped WITH (FORCE)' >/dev/null")
trapped_url="${LONTAR_TEST_PG_URL%/*}/$trapped"
psql "$trapped_url" -q >/dev/null <<'SQL'
CREATE TABLE kept_before (note text);
CREATE FUNCTION refuse_restored() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.action = 'backup.restored' THEN RAISE EXCEPTION 'trapped by the test'; END IF;
  RETURN NEW;
END $$;
CREATE FUNCTION arm_trap() RETURNS event_trigger LANGUAGE plpgsql AS $$
BEGIN
  IF to_regclass('public.audit_events') IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'refuse_restored') THEN
    CREATE TRIGGER refuse_restored BEFORE INSERT ON public.audit_events
      FOR EACH ROW EXECUTE FUNCTION public.refuse_restored();
  END IF;
END $$;
CREATE EVENT TRIGGER arm_trap ON ddl_command_end EXECUTE FUNCTION arm_trap();
SQL
status=0
out=$(lontar restore --in "$work/pg.backup" --data "$work/r-trapped" --passphrase-file "$work/bpw" \
  --db "$trapped_url" 2>&1) || status=$?
[ "$status" -ne 0 ] || fail "a restore refused after its load exited 0: $out"
expect_contains "$out" "was removed again" "the refusal says the load was taken out"
[ ! -e "$work/r-trapped" ] || fail "a restore refused after its load left its folder behind"
expect_eq "kept_before" "$(psql "$trapped_url" -Atc "SELECT string_agg(tablename, ',') FROM pg_tables WHERE schemaname = 'public'")" \
  "only what the database held before is left"
expect_eq 0 "$(psql "$trapped_url" -Atc "SELECT COUNT(*) FROM pg_extension WHERE extname = 'pg_trgm'")" \
  "the extension the load added is gone too"
psql "$trapped_url" -qc "DROP EVENT TRIGGER arm_trap" >/dev/null
out=$(lontar restore --in "$work/pg.backup" --data "$work/r-trapped" --passphrase-file "$work/bpw" --db "$trapped_url")
expect_contains "$out" "Restored into" "the same database restores once the trap is gone"
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
