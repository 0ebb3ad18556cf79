#!/usr/bin/env bash
# The issuing CA and TSA keys in a PKCS#11 token (SoftHSM): imported into the token,
# removed from the data folder, and used through [ca] issuing_key and tsa_key to issue
# certificates, sign CRLs and timestamps, which openssl verifies; a wrong PIN or a
# missing key is a plain error.
source "$(dirname "$0")/lib.sh"
command -v softhsm2-util >/dev/null || fail "softhsm2 is not installed (scripts/install-deps.sh installs it)"
make_instance
export SOFTHSM2_CONF=$work/softhsm2.conf
mkdir -p "$work/tokens"
printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' "$work/tokens" >"$SOFTHSM2_CONF"
softhsm2-util --init-token --free --label lontar --pin 246810 --so-pin 135790 >/dev/null
# The operator's one-time move: the key decrypted only into a private file for the import.
( umask 077 && openssl pkey -in "$data/ca/issuing.key" -passin "file:$data/secrets/ca-passphrase" -out "$work/plain.pem" )
softhsm2-util --import "$work/plain.pem" --token lontar --label issuing-ca --id 01 --pin 246810 >/dev/null
( umask 077 && openssl pkey -in "$data/ca/tsa.key" -passin "file:$data/secrets/ca-passphrase" -out "$work/plain.pem" )
softhsm2-util --import "$work/plain.pem" --token lontar --label tsa --id 02 --pin 246810 >/dev/null
rm -f "$work/plain.pem"
mv "$data/ca/issuing.key" "$work/issuing.key.offline"
mv "$data/ca/tsa.key" "$work/tsa.key.offline"
( umask 077 && printf '246810\n' >"$data/secrets/hsm-pin" )
sed -i '/^timestamp_policy/a issuing_key = "pkcs11:token=lontar;object=issuing-ca;type=private"\ntsa_key = "pkcs11:token=lontar;object=tsa;type=private"\npkcs11_pin_file = "secrets/hsm-pin"' "$data/lontar.toml"

openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/k.pem" -subj /CN=x -out "$work/r.csr" 2>/dev/null
lontar cert issue --data "$data" --nik 5108010101900001 --product individual-1y --csr "$work/r.csr" --out "$work/c.pem" >/dev/null
expect_contains "$(openssl verify -x509_strict -CAfile "$data/ca/chain.pem" "$work/c.pem" 2>&1)" ": OK" "a certificate signed inside the token verifies"
lontar crl generate --data "$data" --out "$work/issuing.crl" >/dev/null
expect_contains "$(openssl crl -inform DER -in "$work/issuing.crl" -CAfile "$data/ca/chain.pem" -noout 2>&1)" "verify OK" "a CRL signed inside the token verifies"
[ ! -e "$data/ca/issuing.key" ] || fail "the key file is still in the data folder"
pass
# The server signs its CRL in the token too and answers OCSP for the new certificate.
start_server
curl -s -o "$work/served.crl" "$url/crl/issuing.crl"
expect_contains "$(openssl crl -inform DER -in "$work/served.crl" -CAfile "$data/ca/chain.pem" -noout 2>&1)" "verify OK" "the served CRL verifies"
expect_contains "$(openssl ocsp -issuer "$data/ca/issuing.crt" -cert "$work/c.pem" -url "$url/ocsp" -CAfile "$data/ca/chain.pem" 2>&1)" \
  "c.pem: good" "OCSP answers for the certificate"
# The timestamp authority signs in the token as well.
printf 'Surat keputusan\n' >"$work/document.txt"
openssl ts -query -data "$work/document.txt" -sha256 -cert -out "$work/q.tsq" 2>/dev/null
curl -s -H 'Content-Type: application/timestamp-query' --data-binary "@$work/q.tsq" "$url/tsa" -o "$work/r.tsr"
expect_contains "$(openssl ts -verify -in "$work/r.tsr" -queryfile "$work/q.tsq" -CAfile "$data/ca/chain.pem" 2>&1)" \
  "Verification: OK" "a timestamp signed inside the token verifies"
[ ! -e "$data/ca/tsa.key" ] || fail "the TSA key file is still in the data folder"

( umask 077 && printf '000000\n' >"$work/wrong-pin" )
expect_failure 1 "cannot be used" env LONTAR_HSM_PIN_FILE="$work/wrong-pin" "$LONTAR_BIN" cert issue --data "$data" \
  --nik 5108010101900001 --product individual-1y --csr "$work/r.csr" --out "$work/x.pem"
sed -i 's/object=issuing-ca/object=no-such-key/' "$data/lontar.toml"
expect_failure 1 "no private key at pkcs11:token=lontar;object=no-such-key" lontar cert issue --data "$data" \
  --nik 5108010101900001 --product individual-1y --csr "$work/r.csr" --out "$work/x.pem"
[ ! -e "$work/x.pem" ] || fail "a refused issuance wrote a certificate"
done_checks
