#!/usr/bin/env bash
# Backup and restore while the server works: `lontar backup` is taken during a bounded
# storm of issuances (CLI) and eSign approvals (API); the backup restores into a new
# folder where `lontar check` holds, every certificate acknowledged before the backup
# started is there, and a server on the restored folder answers OCSP for them (openssl
# ocsp) and hands out CRL numbers above the old server's. A backup with one byte
# changed, truncated, or opened with the wrong passphrase is refused and leaves no
# folder behind; `lontar check` fails on a broken audit chain, a certificate without
# its issuing event, a CRL counter that went back, a missing document and a wrong CA
# passphrase.
source "$(dirname "$0")/lib.sh"
: "${MAKE_LETTER:?}"
init_at_own_port
original=$data
ca_pass=$data/secrets/ca-passphrase
printf 'backup passphrase for the test\n' >"$work/bpw"
add_account 5108010101900090 "Verifikator Satu" verifier
issue_holder 5108010101900080 "Penandatangan Dokumen" applicant
start_server --as-configured
first_url=$url
"$MAKE_LETTER" "Surat Edaran" 1 >"$work/letter.pdf"
lontar doc sign --data "$data" --in "$work/letter.pdf" --out "$work/signed.pdf" --key "$work/5108010101900080.key" \
  --cert "$work/5108010101900080.pem" --key-passphrase-file "$work/pw" >/dev/null
expect_eq 1 "$(db_count documents)" "one registered document"
for n in $(seq 10 39); do
  lontar user add --data "$data" --nik "51080101019000$n" --name "Pegawai $n" --email "p$n@undiksha.ac.id" \
    --organisation "Universitas Pendidikan Ganesha" --unit "UPT TIK" --password-file "$work/pw" --no-forced-change >/dev/null
done
# One certificate revoked before the backup: the restored server must say so.
issue_holder 5108010101900081 "Dicabut Sebelumnya" applicant
revoked_serial=$(openssl x509 -in "$work/5108010101900081.pem" -noout -serial | cut -d= -f2)
lontar cert revoke --data "$data" --serial "$revoked_serial" --reason keyCompromise >/dev/null
crl_before=$(curl -s "$first_url/crl/issuing.crl" | openssl crl -inform DER -noout -crlnumber | cut -d= -f2)

# The storm: CLI issuances (each acknowledged when the command returns with the
# certificate) and eSign requests approved through the API, bounded in count.
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout /dev/null -subj /CN=x -out "$work/s.csr" 2>/dev/null
issuance_storm 10 29
storm_cli=$storm
: >"$work/acked_requests"
(
  vcsrf=$(api_login 5108010101900090 "$work/v.jar")
  for n in $(seq 30 35); do
    csrf=$(api_login "51080101019000$n" "$work/h$n.jar")
    printf '{"product":"individual-1y","method":"esign","agreement_accepted":true,"passphrase":"Rahasia-eSign-%s","letter_pdf_base64":"%s"}' \
      "$n" "$(base64 -w0 "$work/letter.pdf")" >"$work/esign$n.json"
    id=$(curl -s -b "$work/h$n.jar" -H "Content-Type: application/json" -H "X-CSRF-Token: $csrf" \
      --data @"$work/esign$n.json" "$url/api/v1/requests" | sed -n 's/.*"id":\([0-9]*\).*/\1/p')
    [ -n "$id" ] || continue
    curl -s -b "$work/v.jar" -H "X-CSRF-Token: $vcsrf" -X POST "$url/api/v1/requests/$id/approve" |
      grep -q '"state":"issued"' && echo "$id" >>"$work/acked_requests"
  done
) &
storm_api=$!
deadline=$((SECONDS + 120))
until [ "$(wc -l <"$work/acked")" -ge 4 ] && [ "$(wc -l <"$work/acked_requests")" -ge 1 ]; do
  [ $SECONDS -lt $deadline ] || fail "the storm acknowledged nothing in 120 s"
  sleep 0.2
done
cp "$work/acked" "$work/acked_before"
cp "$work/acked_requests" "$work/acked_requests_before"
out=$(lontar backup --data "$data" --out "$work/lontar.backup" --passphrase-file "$work/bpw")
expect_contains "$out" "Backup written" "backup taken while the storm runs"
expect_contains "$out" "DATA/secrets was left out" "secrets are left out by default"
wait "$storm_cli" "$storm_api"
echo "acknowledged before the backup: $(cat "$work/acked_before" "$work/acked_requests_before" | wc -l); by the storm's end: $(cat "$work/acked" "$work/acked_requests" | wc -l)"
expect_eq 600 "$(stat -c %a "$work/lontar.backup")" "the backup file is private"
expect_not_contains "$(strings "$work/lontar.backup")" "BEGIN" "nothing readable in the backup"

# Refusals first: nothing may appear where they were asked to restore.
printf 'pendek\n' >"$work/weak"
expect_failure 1 "at least 12 characters" lontar backup --data "$data" --out "$work/weak.backup" --passphrase-file "$work/weak"
[ ! -e "$work/weak.backup" ] || fail "a refused backup left a file"
pass
printf 'not the passphrase at all\n' >"$work/wrong"
expect_failure 1 "passphrase does not open" lontar restore --in "$work/lontar.backup" --data "$work/r-wrong" --passphrase-file "$work/wrong"
size=$(stat -c %s "$work/lontar.backup")
flip() { # offset out
  cp "$work/lontar.backup" "$2"
  python3 -c 'import sys; p=sys.argv[1]; o=int(sys.argv[2]); b=bytearray(open(p,"rb").read()); b[o]^=1; open(p,"wb").write(b)' "$2" "$1"
}
flip $((size / 2)) "$work/changed.backup"
expect_failure 1 "damaged" lontar restore --in "$work/changed.backup" --data "$work/r-changed" --passphrase-file "$work/bpw"
flip $((size - 3)) "$work/tail.backup"
expect_failure 1 "damaged" lontar restore --in "$work/tail.backup" --data "$work/r-tail" --passphrase-file "$work/bpw"
flip 30 "$work/header.backup"  # the Argon2id salt
expect_failure 1 "passphrase does not open" lontar restore --in "$work/header.backup" --data "$work/r-header" --passphrase-file "$work/bpw"
flip 80 "$work/stream.backup"  # the secretstream header, authenticated by the first chunk
expect_failure 1 "damaged" lontar restore --in "$work/stream.backup" --data "$work/r-stream" --passphrase-file "$work/bpw"
head -c $((size - 100)) "$work/lontar.backup" >"$work/short.backup"
expect_failure 1 "truncated" lontar restore --in "$work/short.backup" --data "$work/r-short" --passphrase-file "$work/bpw"
cat "$work/lontar.backup" "$work/lontar.backup" >"$work/long.backup"
expect_failure 1 "damaged" lontar restore --in "$work/long.backup" --data "$work/r-long" --passphrase-file "$work/bpw"
for r in r-wrong r-changed r-tail r-header r-stream r-short r-long; do
  [ ! -e "$work/$r" ] || fail "a refused restore left $r behind"
  pass
done
[ -z "$(ls -A "$work" | grep restoring)" ] || fail "a refused restore left its staging folder"
pass
mkdir -p "$work/used" && touch "$work/used/x"
expect_failure 1 "not empty" lontar restore --in "$work/lontar.backup" --data "$work/used" --passphrase-file "$work/bpw"

# The restore itself.
out=$(lontar restore --in "$work/lontar.backup" --data "$work/restored" --passphrase-file "$work/bpw")
expect_contains "$out" "Restored into" "restore"
restored=$work/restored
out=$(lontar check --data "$restored" --ca-passphrase-file "$ca_pass")
expect_contains "$out" "all 6 checks hold" "lontar check on the restored folder"
expect_contains "$out" "ok    documents: 1 kept" "the registered document came back"
expect_contains "$out" "open: root, issuing, ocsp, tsa, cmp, tls, shared ocsp" "every key opens, the cluster's responder too"
[ ! -e "$restored/secrets" ] || fail "secrets were restored although left out"
pass
while read -r serial _; do
  expect_eq 1 "$(sqlite3 "$restored/lontar.db" "SELECT COUNT(*) FROM certificates WHERE serial = '$serial'")" "acknowledged $serial restored"
done <"$work/acked_before"
while read -r id; do
  expect_eq issued "$(sqlite3 "$restored/lontar.db" "SELECT state FROM requests WHERE id = $id")" "approved request $id restored"
done <"$work/acked_requests_before"
expect_eq 1 "$(sqlite3 "$restored/lontar.db" "SELECT COUNT(*) FROM audit_events WHERE action = 'backup.restored'")" "the restore is audited"
# The snapshot travels compressed: the whole backup, documents and CA files included,
# is smaller than the database alone (stored, it would be larger).
db_bytes=$(stat -c %s "$restored/lontar.db")
echo "backup $size bytes for a database of $db_bytes"
[ "$size" -lt "$db_bytes" ] || fail "the backup ($size bytes) is not smaller than its database ($db_bytes bytes)"
pass

# A server on the restored folder answers for them.
serve_restored "$restored"
crl_after=$(curl -s "$url/crl/issuing.crl" | openssl crl -inform DER -noout -crlnumber | cut -d= -f2)
python3 -c 'import sys; sys.exit(0 if int(sys.argv[2], 16) > int(sys.argv[1], 16) else 1)' "$crl_before" "$crl_after" ||
  fail "restored CRL number $crl_after not above the old $crl_before"
pass
expect_contains "$(curl -s "$url/crl/issuing.crl" | openssl crl -inform DER -noout -text)" "$revoked_serial" "restored CRL lists the revocation"
kill "$server"
wait "$server" 2>/dev/null || true
unset LONTAR_CA_PASSPHRASE_FILE

# lontar check fails on what it is there to find, each in its own copy.
broken() { rm -rf "$work/b" && cp -a "$restored" "$work/b"; }
broken
sqlite3 "$work/b/lontar.db" "UPDATE audit_events SET actor = 'cli:mallory' WHERE seq = 3"
expect_failure 1 "FAIL  audit trail" lontar check --data "$work/b" --ca-passphrase-file "$ca_pass"
broken
sqlite3 "$work/b/lontar.db" "UPDATE certificates SET serial = 'DEADBEEF01' WHERE serial = '$revoked_serial'"
expect_failure 1 "FAIL  certificates: 1 of" lontar check --data "$work/b" --ca-passphrase-file "$ca_pass"
broken
sqlite3 "$work/b/lontar.db" "UPDATE ca_state SET crl_number = 3"
expect_failure 1 "FAIL  CRL number" lontar check --data "$work/b" --ca-passphrase-file "$ca_pass"
broken
find "$work/b/documents" -name '*.pdf' -delete
expect_failure 1 "FAIL  documents: 1 missing" lontar check --data "$work/b" --ca-passphrase-file "$ca_pass"
broken
expect_failure 1 "FAIL  keys" lontar check --data "$work/b" --ca-passphrase-file "$work/wrong"
# The cluster's responder in the database, its certificate swapped for one its own key
# signed (not the issuing CA): the servers would refuse it, and so does the check.
broken
openssl pkey -in "$work/b/ca/ocsp.key" -passin "file:$ca_pass" -out "$work/responder.key" 2>/dev/null
openssl req -new -x509 -key "$work/responder.key" -subj /CN=Mallory -days 1 -out "$work/foreign.pem" 2>/dev/null
sqlite3 "$work/b/lontar.db" "UPDATE service_keys SET certificate = readfile('$work/foreign.pem') WHERE name = 'ocsp'"
expect_failure 1 "not an OCSP responder certificate of this CA" lontar check --data "$work/b" --ca-passphrase-file "$ca_pass"
# The timestamp authority's certificate and key (this CA signed it, under the same
# passphrase) put in its place: not marked for OCSP signing, so no responder either.
broken
sqlite3 "$work/b/lontar.db" "UPDATE service_keys SET certificate = readfile('$work/b/ca/tsa.crt'),
  encrypted_key = readfile('$work/b/ca/tsa.key') WHERE name = 'ocsp'"
expect_failure 1 "not an OCSP responder certificate of this CA" lontar check --data "$work/b" --ca-passphrase-file "$ca_pass"
# The responder's own key, certified by this CA's issuing key (openssl, not Lontar)
# without any extended key usage: OpenSSL reads an absent extension as every usage,
# but no client takes such a responder, and neither does the check.
broken
openssl req -new -key "$work/responder.key" -subj /CN=Bare -out "$work/bare.csr" 2>/dev/null
openssl x509 -req -in "$work/bare.csr" -CA "$work/b/ca/issuing.crt" -CAkey "$work/b/ca/issuing.key" \
  -passin "file:$ca_pass" -set_serial 0x7eadbeef01 -days 30 -out "$work/bare.pem" 2>/dev/null
openssl verify -CAfile "$work/b/ca/root.crt" -untrusted "$work/b/ca/issuing.crt" "$work/bare.pem" >/dev/null ||
  fail "the bare certificate is not one of this CA's"
sqlite3 "$work/b/lontar.db" "UPDATE service_keys SET certificate = readfile('$work/bare.pem') WHERE name = 'ocsp'"
expect_failure 1 "not an OCSP responder certificate of this CA" lontar check --data "$work/b" --ca-passphrase-file "$ca_pass"
# The original folder, still served, checks too (the live database, a running server).
expect_contains "$(lontar check --data "$original")" "all 6 checks hold" "lontar check on the live folder"
done_checks
