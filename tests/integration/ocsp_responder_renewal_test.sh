#!/usr/bin/env bash
# The OCSP responder renewed by a running server. Its certificate is replaced, before the
# first start, by one in the last third of its life: made by openssl (not Lontar) for the
# responder's own key, signed by this CA's issuing key for OCSP signing, issued two hours
# ago and expiring in forty minutes. Within seconds the server issues a new responder,
# keeps it in the database and the folder, records `ocsp.responder_renewed` once, and
# answers with it; openssl accepts those answers against the root alone (a delegated
# responder needs id-kp-OCSPSigning) and so does `lontar check`.
source "$(dirname "$0")/lib.sh"
make_instance
ca=$data/ca
ca_pass=$data/secrets/ca-passphrase

mkdir -p "$work/openssl-ca/new"
: >"$work/openssl-ca/index.txt"
echo 1000 >"$work/openssl-ca/serial"
cat >"$work/openssl-ca/ca.cnf" <<EOF
[ca]
default_ca = issuing
[issuing]
database = $work/openssl-ca/index.txt
new_certs_dir = $work/openssl-ca/new
serial = $work/openssl-ca/serial
default_md = sha256
policy = any_name
unique_subject = no
[any_name]
commonName = supplied
[responder]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = OCSPSigning
EOF
openssl pkey -in "$ca/ocsp.key" -passin "file:$ca_pass" -out "$work/responder.key" 2>/dev/null
openssl req -new -key "$work/responder.key" -subj "/CN=Responder about to expire" -out "$work/old.csr" 2>/dev/null
openssl ca -batch -config "$work/openssl-ca/ca.cnf" -cert "$ca/issuing.crt" -keyfile "$ca/issuing.key" \
  -passin "file:$ca_pass" -in "$work/old.csr" -out "$work/old.pem" -notext -extensions responder \
  -startdate "$(date -u -d '-2 hours' +%y%m%d%H%M%SZ)" -enddate "$(date -u -d '+40 minutes' +%y%m%d%H%M%SZ)" 2>/dev/null
openssl verify -CAfile "$ca/root.crt" -untrusted "$ca/issuing.crt" -purpose ocsphelper "$work/old.pem" >/dev/null ||
  fail "openssl does not take the old responder as one of this CA's"
old_serial=$(openssl x509 -in "$work/old.pem" -noout -serial | cut -d= -f2)
cp "$work/old.pem" "$ca/ocsp.crt"

start_server
renewed=""
deadline=$((SECONDS + 30))
while [ $SECONDS -lt $deadline ]; do
  renewed=$(sqlite3 "$data/lontar.db" "SELECT serial FROM service_keys WHERE name = 'ocsp'" 2>/dev/null || true)
  [ -n "$renewed" ] && [ "${renewed^^}" != "${old_serial^^}" ] && break
  sleep 0.5
done
[ -n "$renewed" ] && [ "${renewed^^}" != "${old_serial^^}" ] ||
  fail "the responder was not renewed within 30 s (database has [$renewed], the old one is $old_serial): $(tail -5 "$work/serve.err")"
pass
expect_eq 1 "$(sqlite3 "$data/lontar.db" "SELECT COUNT(*) FROM audit_events WHERE action = 'ocsp.responder_renewed'")" \
  "one renewal in the audit trail"
expect_contains "$(sqlite3 "$data/lontar.db" "SELECT details FROM audit_events WHERE action = 'ocsp.responder_renewed'")" \
  "$renewed" "the audit event names the new responder"
new_serial=$(openssl x509 -in "$ca/ocsp.crt" -noout -serial | cut -d= -f2)
expect_eq "${renewed^^}" "${new_serial^^}" "the folder holds the new responder too"
expect_not_contains "$(openssl x509 -in "$ca/ocsp.crt" -noout -subject)" "about to expire" "a responder of Lontar's own"
# A new responder lives its full term: it is not due for the next renewal.
not_after=$(date -u -d "$(openssl x509 -in "$ca/ocsp.crt" -noout -enddate | cut -d= -f2)" +%s)
[ "$not_after" -gt $(($(date +%s) + 30 * 86400)) ] || fail "the new responder expires at $not_after, too soon"
pass

# A holder's certificate, asked about through openssl: the answer is signed by the new
# responder, which openssl accepts from the root and the issuing CA alone.
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout /dev/null -subj /CN=x \
  -out "$work/holder.csr" 2>/dev/null
lontar cert issue --data "$data" --nik 5108010101900001 --product individual-1y --csr "$work/holder.csr" \
  --out "$work/holder.pem" >/dev/null
answer=$(openssl ocsp -issuer "$ca/issuing.crt" -cert "$work/holder.pem" -url "$url/ocsp" -CAfile "$ca/root.crt" \
  -verify_other "$ca/issuing.crt" -resp_text 2>&1 || true)
expect_contains "$answer" "Response verify OK" "openssl verifies the answer"
expect_contains "$answer" "holder.pem: good" "the holder's certificate is good"
signer=$(printf '%s\n' "$answer" | awk '/^Certificate:/ {seen = 1} seen && /Serial Number:/ {getline; print; exit}' | tr -d ' :')
expect_eq "$(echo "${renewed^^}" | sed 's/^0*//')" "$(echo "${signer^^}" | sed 's/^0*//')" "the answer carries the new responder"
expect_contains "$(lontar check --data "$data" --ca-passphrase-file "$ca_pass")" "all 6 checks hold" \
  "lontar check accepts the renewed responder"
# Still one renewal: the new responder is not renewed again on the following ticks.
sleep 2
expect_eq 1 "$(sqlite3 "$data/lontar.db" "SELECT COUNT(*) FROM audit_events WHERE action = 'ocsp.responder_renewed'")" \
  "no second renewal"
done_checks
