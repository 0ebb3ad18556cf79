#!/usr/bin/env bash
# The operator path end to end: init, user add, cert issue, checked by openssl.
source "$(dirname "$0")/lib.sh"
make_instance

# The CA key files are encrypted PKCS#8 with mode 0600.
expect_eq "600" "$(stat -c %a "$data/ca/issuing.key")" "issuing key mode"
expect_eq "600" "$(stat -c %a "$data/secrets/ca-passphrase")" "demo passphrase mode"
expect_contains "$(head -1 "$data/ca/issuing.key")" "BEGIN ENCRYPTED PRIVATE KEY" "issuing key is encrypted"
if openssl pkey -in "$data/ca/issuing.key" -passin pass: -noout 2>/dev/null; then fail "key opened without passphrase"; fi
pass
openssl pkey -in "$data/ca/issuing.key" -passin "file:$data/secrets/ca-passphrase" -noout || fail "key does not open"
pass
expect_contains "$(openssl asn1parse -in "$data/ca/root.key")" ":scrypt" "scrypt KDF"

# Root, issuing, OCSP and TLS certificates chain up.
for name in issuing ocsp tls; do
  expect_contains "$(openssl verify -x509_strict -CAfile "$data/ca/root.crt" -untrusted "$data/ca/issuing.crt" "$data/ca/$name.crt")" ": OK" "$name chains to root"
done
expect_contains "$(openssl x509 -in "$data/ca/ocsp.crt" -noout -text)" "OCSP Signing" "OCSP EKU"
expect_contains "$(openssl x509 -in "$data/ca/ocsp.crt" -noout -text)" "OCSP No Check" "ocsp-nocheck"
expect_contains "$(openssl x509 -in "$data/ca/tls.crt" -noout -ext subjectAltName)" "IP Address:127.0.0.1" "TLS SAN"

# A CSR made by openssl that claims another subject.
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/key.pem" \
  -subj "/CN=Somebody Else/O=Evil Corp/emailAddress=evil@example.com" -out "$work/req.csr" 2>/dev/null
out=$(lontar cert issue --data "$data" --nik 5108010101900001 --product individual-2y --csr "$work/req.csr" --out "$work/cert.pem")
expect_contains "$out" "Issued certificate" "issue output"
expect_eq "$work/cert.pem: OK" "$(openssl verify -x509_strict -CAfile "$data/ca/root.crt" -untrusted "$data/ca/issuing.crt" "$work/cert.pem")" "openssl verify -x509_strict"

text=$(openssl x509 -in "$work/cert.pem" -noout -text)
for needle in "CA:FALSE" "Digital Signature, Non Repudiation" "1.3.6.1.5.5.7.3.36, E-mail Protection" \
  "X509v3 Subject Key Identifier" "X509v3 Authority Key Identifier" "URI:http://127.0.0.1:8080/crl/issuing.crl" \
  "OCSP - URI:http://127.0.0.1:8080/ocsp" "CA Issuers - URI:http://127.0.0.1:8080/ca/issuing.crt" \
  "Policy: 2.999.1.1" "email:ayu@undiksha.ac.id"; do
  expect_contains "$text" "$needle" "extension"
done
expect_contains "$(openssl x509 -in "$work/cert.pem" -noout -ext basicConstraints,keyUsage)" "critical" "critical extensions"
subject=$(openssl x509 -in "$work/cert.pem" -noout -subject -nameopt RFC2253)
expect_eq "subject=serialNumber=PNOID-5108010101900001,CN=Ni Luh Putu Ayu,OU=UPT TIK,O=Universitas Pendidikan Ganesha,C=ID" "$subject" "subject from the account"
expect_not_contains "$text" "Evil" "nothing copied from the CSR subject"

# The certificate's key is the CSR's key.
expect_eq "$(openssl pkey -in "$work/key.pem" -pubout)" "$(openssl x509 -in "$work/cert.pem" -noout -pubkey)" "public key"
# Serial: positive, 16 octets.
serial=$(openssl x509 -in "$work/cert.pem" -noout -serial | cut -d= -f2)
expect_eq 32 "${#serial}" "serial length"
# Two-year validity.
start=$(date -d "$(openssl x509 -in "$work/cert.pem" -noout -startdate | cut -d= -f2)" +%s)
end=$(date -d "$(openssl x509 -in "$work/cert.pem" -noout -enddate | cut -d= -f2)" +%s)
days=$(( (end - start) / 86400 ))
[ "$days" -ge 729 ] && [ "$days" -le 730 ] || fail "validity is $days days, expected 730"
pass

# list / show agree with the file.
expect_contains "$(lontar cert list --data "$data")" "$serial" "cert list"
expect_eq "$(cat "$work/cert.pem")" "$(lontar cert show --data "$data" --serial "$serial" --pem)" "cert show --pem"
expect_contains "$(lontar cert show --data "$data" --serial "${serial,,}")" "status:     valid" "cert show"

# A renewal with a new key supersedes the first certificate.
openssl req -new -newkey rsa:3072 -nodes -keyout "$work/key2.pem" -subj "/CN=x" -out "$work/req2.csr" 2>/dev/null
lontar cert issue --data "$data" --nik 5108010101900001 --product individual-1y --csr "$work/req2.csr" --out "$work/cert2.pem" >/dev/null
expect_contains "$(lontar cert show --data "$data" --serial "$serial")" "superseded" "renewal supersedes"
expect_eq "$work/cert2.pem: OK" "$(openssl verify -x509_strict -CAfile "$data/ca/root.crt" -untrusted "$data/ca/issuing.crt" "$work/cert2.pem")" "RSA certificate verifies"

expect_contains "$(lontar audit verify --data "$data")" "audit trail intact" "audit verify"
expect_eq "ok" "$(sqlite3 "$data/lontar.db" 'PRAGMA integrity_check')" "sqlite integrity"
expect_eq "wal" "$(sqlite3 "$data/lontar.db" 'PRAGMA journal_mode')" "WAL mode"
done_checks
