#!/usr/bin/env bash
# Every refusal: a clear one-line message, exit code 1, and nothing written.
source "$(dirname "$0")/lib.sh"
make_instance

openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/key.pem" -subj "/CN=x" -out "$work/good.csr" 2>/dev/null
lontar cert issue --data "$data" --nik 5108010101900001 --product individual-2y --csr "$work/good.csr" --out "$work/first.pem" >/dev/null

certs_before=$(db_count certificates)
audit_before=$(db_count audit_events)
requests_before=$(db_count requests)

refuse() { # file message
  expect_failure 1 "$2" lontar cert issue --data "$data" --nik 5108010101900001 --product individual-2y --csr "$1" --out "$work/out.pem"
  [ ! -e "$work/out.pem" ] || fail "an output file was written for a refused request ($1)"
}

# Broken signature: flip a byte inside the signature of the DER request.
openssl req -in "$work/good.csr" -outform DER -out "$work/good.der"
size=$(stat -c %s "$work/good.der")
cp "$work/good.der" "$work/badsig.der"
printf '\x00' | dd of="$work/badsig.der" bs=1 seek=$((size - 5)) conv=notrunc 2>/dev/null
refuse "$work/badsig.der" "signature does not match"

head -c 2048 /dev/urandom >"$work/random.bin"
refuse "$work/random.bin" "not a readable certificate request"

{ cat "$work/good.csr"; echo "trailing garbage"; } >"$work/trailing.csr"
refuse "$work/trailing.csr" "extra data after its END line"

head -c $((1024 * 1024)) /dev/zero | tr '\0' 'A' >"$work/huge.csr"
refuse "$work/huge.csr" "larger than 64 KiB"
head -c $((1024 * 1024 + 1)) /dev/zero >"$work/huger.csr"
refuse "$work/huger.csr" "larger than 1 MiB"

: >"$work/empty.csr"
refuse "$work/empty.csr" "The CSR is empty"

openssl req -new -newkey rsa:1024 -nodes -keyout /dev/null -subj "/CN=x" -out "$work/rsa1024.csr" 2>/dev/null
refuse "$work/rsa1024.csr" "does not accept a RSA 1024 key"

openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:secp256k1 -nodes -keyout /dev/null -subj "/CN=x" -out "$work/k1.csr" 2>/dev/null
refuse "$work/k1.csr" "does not accept a ECDSA secp256k1 key"

openssl req -new -key "$work/key.pem" -subj "/CN=renewal with the old key" -out "$work/reused.csr"
refuse "$work/reused.csr" "a renewal must use a newly generated key"

openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout /dev/null -subj "/CN=x" -out "$work/fresh.csr" 2>/dev/null
expect_failure 1 "There is no product named 'gold-5y'" lontar cert issue --data "$data" --nik 5108010101900001 --product gold-5y --csr "$work/fresh.csr" --out "$work/out.pem"
expect_failure 1 "No account has the NIK 9999999999999999" lontar cert issue --data "$data" --nik 9999999999999999 --product individual-2y --csr "$work/fresh.csr" --out "$work/out.pem"
expect_failure 1 "Cannot read" lontar cert issue --data "$data" --nik 5108010101900001 --product individual-2y --csr "$work/missing.csr" --out "$work/out.pem"
expect_failure 1 "not writable" lontar cert issue --data "$data" --nik 5108010101900001 --product individual-2y --csr "$work/fresh.csr" --out "$work/no/such/dir/out.pem"
[ ! -e "$work/out.pem" ] || fail "an output file was written"

expect_eq "$certs_before" "$(db_count certificates)" "no certificate written"
expect_eq "$audit_before" "$(db_count audit_events)" "no audit event written"
expect_eq "$requests_before" "$(db_count requests)" "no request written"

# The messages are one line each.
out=$(lontar cert issue --data "$data" --nik 5108010101900001 --product individual-2y --csr "$work/random.bin" --out "$work/out.pem" 2>&1 || true)
expect_eq 1 "$(printf '%s\n' "$out" | wc -l)" "one-line error"

# Wrong CA passphrase.
printf 'not the passphrase\n' >"$work/wrong"
expect_failure 1 "passphrase is wrong" lontar cert issue --data "$data" --nik 5108010101900001 --product individual-2y --csr "$work/fresh.csr" --out "$work/out.pem" --ca-passphrase-file "$work/wrong"
LONTAR_CA_PASSPHRASE_FILE=$work/wrong expect_failure 1 "passphrase is wrong" lontar cert issue --data "$data" --nik 5108010101900001 --product individual-2y --csr "$work/fresh.csr" --out "$work/out.pem"
done_checks
