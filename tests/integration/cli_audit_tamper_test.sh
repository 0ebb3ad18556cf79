#!/usr/bin/env bash
# Changing, deleting, inserting or reordering one audit event makes
# `lontar audit verify` fail and name the first bad event.
source "$(dirname "$0")/lib.sh"
make_instance
for i in 1 2 3; do
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout /dev/null -subj "/CN=x" -out "$work/r$i.csr" 2>/dev/null
  lontar cert issue --data "$data" --nik 5108010101900001 --product individual-2y --csr "$work/r$i.csr" --out "$work/c$i.pem" >/dev/null
done
events=$(db_count audit_events)
[ "$events" -ge 6 ] || fail "expected at least 6 audit events, found $events"
pass
expect_eq "audit trail intact: $events events" "$(lontar audit verify --data "$data")" "intact trail"
cp "$data/lontar.db" "$work/pristine.db"
restore() { cp "$work/pristine.db" "$data/lontar.db"; rm -f "$data/lontar.db-wal" "$data/lontar.db-shm"; }
tamper() { sqlite3 "$data/lontar.db" "$1"; }

action4=$(sqlite3 "$data/lontar.db" "SELECT action FROM audit_events WHERE seq = 4")
tamper "UPDATE audit_events SET details = '{\"nik\":\"0000000000000000\"}' WHERE seq = 4"
expect_failure 1 "audit trail broken at event 4: event 4 ($action4) was changed after it was written" lontar audit verify --data "$data"
restore

tamper "UPDATE audit_events SET actor = 'someone-else' WHERE seq = 2"
expect_failure 1 "audit trail broken at event 2" lontar audit verify --data "$data"
restore

tamper "DELETE FROM audit_events WHERE seq = 3"
expect_failure 1 "audit trail broken at event 4: event 4 stands where event 3 was expected" lontar audit verify --data "$data"
restore

tamper "DELETE FROM audit_events WHERE seq = $events"
expect_failure 1 "audit trail broken at event $events: the trail ends at event $((events - 1))" lontar audit verify --data "$data"
restore

# Reorder: swap the contents of events 3 and 4, keeping their sequence numbers.
tamper "CREATE TEMP TABLE a AS SELECT * FROM audit_events WHERE seq IN (3,4);
        UPDATE audit_events SET at=(SELECT at FROM a WHERE seq=4), actor=(SELECT actor FROM a WHERE seq=4), action=(SELECT action FROM a WHERE seq=4), object=(SELECT object FROM a WHERE seq=4), details=(SELECT details FROM a WHERE seq=4), prev_hash=(SELECT prev_hash FROM a WHERE seq=4), hash=(SELECT hash FROM a WHERE seq=4) WHERE seq=3;
        UPDATE audit_events SET at=(SELECT at FROM a WHERE seq=3), actor=(SELECT actor FROM a WHERE seq=3), action=(SELECT action FROM a WHERE seq=3), object=(SELECT object FROM a WHERE seq=3), details=(SELECT details FROM a WHERE seq=3), prev_hash=(SELECT prev_hash FROM a WHERE seq=3), hash=(SELECT hash FROM a WHERE seq=3) WHERE seq=4;"
expect_failure 1 "audit trail broken at event 3: event 3 does not link to the event before it" lontar audit verify --data "$data"
restore

# Insert: a forged event in the middle, renumbering everything after it.
tamper "UPDATE audit_events SET seq = seq + 1000 WHERE seq >= 3; UPDATE audit_events SET seq = seq - 999 WHERE seq >= 1003;
        INSERT INTO audit_events SELECT 3, at, actor, 'account.role_changed', object, details, prev_hash, hash FROM audit_events WHERE seq = 2;
        UPDATE audit_head SET seq = seq + 1"
expect_failure 1 "audit trail broken at event 3" lontar audit verify --data "$data"
restore

expect_eq "audit trail intact: $events events" "$(lontar audit verify --data "$data")" "restored trail"
done_checks
