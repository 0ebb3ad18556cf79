#!/usr/bin/env bash
# lontar-lock sign: a LOCK holder signs a PDF on their own computer and registers it.
# Checked by tools nobody here wrote: pdfsig (valid, trusted with the root in an NSS
# database), qpdf --check, zbarimg reading the stamp's URL, openssl on the stored
# validation data; the registration is authenticated by the signature itself, so
# replays under another code, changed files, unsigned files and a taken code are
# refused; a revoked certificate signs nothing; the key never travels.
source "$(dirname "$0")/lib.sh"
: "${MAKE_LETTER:?}" "${LOCK_BIN:?LOCK_BIN must point at lontar-lock}"
tools=$(cd "$(dirname "$0")/../tools" && pwd)
# pdfsig asks the OCSP responder the certificate names: the public URL is this test's server.
reserve_port
data=$work/data
lontar init --data "$data" --organisation "Universitas Pendidikan Ganesha" --public-url "http://127.0.0.1:$port" \
  --listen "127.0.0.1:$port" >/dev/null
lontar user add --data "$data" --nik 5108010101900001 --name "Ni Luh Putu Ayu" --email ayu@undiksha.ac.id \
  --organisation "Universitas Pendidikan Ganesha" --unit "UPT TIK" >/dev/null
add_account 5108010101900002 "Kadek Verifikator" verifier
set_applicant_password 5108010101900002
"$MAKE_LETTER" >"$work/letter.pdf"
"$MAKE_LETTER" "Surat Tugas" 3 >"$work/in.pdf"
printf 'Kunci-LOCK-Saya-2026\n' >"$work/passphrase"
printf 'salah-sekali-2026\n' >"$work/wrong"
start_server --as-configured
applicant=$(bearer 5108010101900001)
verifier=$(bearer 5108010101900002)
ks=$work/keystore
lock() { "$LOCK_BIN" --keystore "$ks" --lang en --insecure-http "$@"; }

# Enrol, approve, fetch: a LOCK certificate whose key lives only in the keystore.
token=$(curl -s -H "Authorization: Bearer $applicant" -H 'Content-Type: application/json' \
  -d '{"product":"individual-1y","method":"lock","agreement_accepted":true}' "$url/api/v1/requests" | json_field '["csr_token"]')
out=$("$LOCK_BIN" --keystore "$ks" --insecure-http enroll --server "$url" --token-file "$(token_file "$token")" \
  --letter "$work/letter.pdf" --passphrase-file "$work/passphrase" --yes)
expect_contains "$out" "Perorangan, 1 tahun" "the product's Indonesian name for an Indonesian reader"
request_id=$(sqlite3 "$data/lontar.db" "SELECT id FROM requests WHERE state = 'submitted'")
curl -s -o /dev/null -H "Authorization: Bearer $verifier" -X POST "$url/api/v1/requests/$request_id/approve"
lock wait --timeout 30 --interval 0.2 >/dev/null
lock fetch >/dev/null
cert=$ks/request-$request_id/certificate.pem
serial=$(openssl x509 -in "$cert" -noout -serial | cut -d= -f2)

# Refusals that write nothing.
expect_failure 1 "The passphrase is wrong" lock sign --in "$work/in.pdf" --out "$work/no.pdf" --passphrase-file "$work/wrong"
expect_failure 1 "cannot be read" lock sign --in "$work/missing.pdf" --out "$work/no.pdf" --passphrase-file "$work/passphrase"
head -c 2000 /dev/urandom >"$work/garbage.pdf"
expect_failure 1 "cannot be signed" lock sign --in "$work/garbage.pdf" --out "$work/no.pdf" --passphrase-file "$work/passphrase"
[ ! -e "$work/no.pdf" ] || fail "a refused signature wrote a file"
pass

# Sign: the stamp on page 2, then a second, invisible signature on top.
out=$(lock sign --in "$work/in.pdf" --out "$work/signed.pdf" --page 2 --reason "Menugaskan" --title "Surat Tugas 3/2026" \
  --visibility summary --passphrase-file "$work/passphrase")
expect_contains "$out" "The document is signed and registered" "sign reports success"
v=$(sed -n 's/.*verified at //p' <<<"$out")
code=${v##*/}
expect_contains "$(qpdf --check "$work/signed.pdf" 2>&1)" "No syntax or stream encoding errors" "qpdf --check"
mkdir -p "$work/nss"
certutil -N -d "sql:$work/nss" --empty-password
certutil -A -n lontar-root -t "CT,C,C" -i "$data/ca/root.crt" -d "sql:$work/nss"
report=$(pdfsig_online "$work/nss" "$work/signed.pdf")
expect_contains "$report" "Signature Validation: Signature is Valid." "pdfsig: valid"
expect_contains "$report" "Certificate Validation: Certificate is Trusted." "pdfsig: trusted"
expect_contains "$report" "Signer Certificate Common Name: Ni Luh Putu Ayu" "pdfsig: the LOCK holder signed"
pdftoppm -r 150 -f 2 -l 2 -png "$work/signed.pdf" "$work/page"
expect_eq "$v" "$(zbarimg -q --raw "$work"/page*.png)" "zbarimg reads the registered URL from page 2"
expect_eq "$url/v/$code" "$v" "the verification URL is under the public URL"
page=$(curl -s "$v")
expect_contains "$page" "Ni Luh Putu Ayu" "the verification page names the signer"
expect_contains "$page" 'data-testid="status-now">Aktif<' "certificate valid now"
expect_contains "$page" "$(sha256sum "$work/signed.pdf" | cut -d' ' -f1)" "registered SHA-256 is the written file's"
expect_eq 1 "$(db_count "audit_events WHERE action = 'document.registered' AND actor = 'certificate:$serial'")" "registration audited by certificate"
expect_eq "Surat Tugas 3/2026|summary" "$(sqlite3 "$data/lontar.db" "SELECT title || '|' || visibility FROM documents WHERE id = '$code'")" \
  "registered with the holder's title and visibility"
expect_contains "$(pdftotext -f 1 -l 1 "$work/signed.pdf" - | tr '\n' ' ')" "Keaslian dokumen ini dapat dibuktikan dengan memindai kode QR" \
  "lontar-lock prints the server's footer"
expect_eq "5 2 1" "$(python3 "$tools/extract_dss.py" "$work/signed.pdf" "$work/dss")" "B-LT: certificates, OCSP answers (signer, TSA), root CRL"
good=0
for o in "$work"/dss/ocsp-*.der; do
  openssl ocsp -respin "$o" -CAfile "$data/ca/chain.pem" -issuer "$data/ca/issuing.crt" -cert "$cert" 2>&1 | grep -q ": good" && good=1
done
expect_eq 1 "$good" "a stored OCSP answer, verified by openssl, says the signer is good"

out2=$(lock sign --in "$work/signed.pdf" --out "$work/twice.pdf" --no-stamp --passphrase-file "$work/passphrase")
expect_contains "$out2" "signed and registered" "a second, invisible signature"
expect_eq 1 "$(cmp -n "$(stat -c %s "$work/signed.pdf")" "$work/signed.pdf" "$work/twice.pdf" >/dev/null && echo 1)" "incremental: the first file is a prefix"
expect_eq 2 "$(pdfsig "$work/twice.pdf" 2>/dev/null | grep -c "Signature is Valid")" "pdfsig: both signatures valid"
# poppler 22.12 reports "Unknown issue" for the certificate of a second signature by the
# same certificate even in files it signed itself (pdfsig -add-signature twice, checked
# by hand); it trusts the first, and openssl and Lontar's own check trust both.
expect_contains "$(pdfsig -nssdir "sql:$work/nss" "$work/twice.pdf" 2>/dev/null | sed -n '/Signature #1/,/Signature #2/p')" "Certificate is Trusted" "pdfsig: the first signer trusted"
expect_eq "True True" "$(curl -s -H 'Content-Type: application/pdf' --data-binary "@$work/twice.pdf" "$url/api/v1/verify" | python3 -c 'import json,sys; print(*[s["trusted"] for s in json.load(sys.stdin)["signatures"]])')" "both signatures trusted by Lontar's check"
verdict=$(curl -s -H 'Content-Type: application/pdf' --data-binary "@$work/twice.pdf" "$url/api/v1/verify" | json_field '["verdict"]')
expect_eq identical "$verdict" "the API finds the second registration identical"

# The registration call, by a hostile client.
put() { curl -s -o "$work/put.json" -w '%{http_code}' -X PUT -H 'Content-Type: application/pdf' --data-binary "@$2" "$url/api/v1/documents/$1"; }
expect_eq 200 "$(put "$code" "$work/signed.pdf")" "the same file again: an idempotent 200"
fresh=$(curl -s -X POST "$url/api/v1/documents/codes" | json_field '["code"]')
expect_eq 400 "$(put "$fresh" "$work/signed.pdf")" "replayed under another code"
expect_contains "$(cat "$work/put.json")" "code_not_signed" "replay named"
expect_eq 409 "$(put "$code" "$work/twice.pdf")" "another file under a taken code"
expect_eq 400 "$(put "$fresh" "$work/in.pdf")" "an unsigned PDF"
expect_contains "$(cat "$work/put.json")" "not_signed" "unsigned named"
cp "$work/signed.pdf" "$work/changed.pdf"
printf 'X' | dd of="$work/changed.pdf" bs=1 seek=300 conv=notrunc status=none
expect_eq 400 "$(put "$fresh" "$work/changed.pdf")" "a changed file"
expect_failure 1 "no longer matches its content" lock sign --in "$work/changed.pdf" --out "$work/on-changed.pdf" --passphrase-file "$work/passphrase"
[ ! -e "$work/on-changed.pdf" ] || fail "lontar-lock signed over a changed PDF"
expect_eq 400 "$(put "$fresh" "$work/garbage.pdf")" "garbage"
expect_eq 400 "$(put "not-a-code" "$work/signed.pdf")" "a malformed code"
expect_eq 2 "$(db_count documents)" "only the two real signatures are registered"

# Revoked: once the responder's cached answer turns (within its one-second poll),
# nothing is signed, nothing registered, no file written.
lontar cert revoke --data "$data" --serial "$serial" --reason keyCompromise >/dev/null
for _ in $(seq 1 50); do
  openssl ocsp -no_nonce -issuer "$data/ca/issuing.crt" -cert "$cert" -url "$url/ocsp" -CAfile "$data/ca/chain.pem" 2>/dev/null | grep -q revoked && break
  sleep 0.2
done
expect_failure 1 "revoked" lock sign --in "$work/in.pdf" --out "$work/late.pdf" --passphrase-file "$work/passphrase"
[ ! -e "$work/late.pdf" ] || fail "a revoked certificate wrote a signed file"
expect_eq 2 "$(db_count documents)" "nothing registered after revocation"
lontar audit verify --data "$data" >/dev/null
done_checks
