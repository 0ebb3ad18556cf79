#!/usr/bin/env bash
# Document signing checked by tools nobody here wrote: three signers in turn (two
# officials, then the organisation's seal) each add a PAdES signature as an
# incremental update; pdfsig reports all three valid and, with the root CA in an NSS
# database and its own OCSP check against `lontar serve`, trusted; qpdf --check passes;
# pdftoppm + zbarimg read the registered verification URL from the stamp, and the page
# names the signer; the CMS carries signing-certificate-v2 and a timestamp token
# (openssl cms); a changed byte is reported; revocation after signing is shown as
# such, and signing with a revoked certificate is refused; bad PDFs get clear errors.
# B-LT: the document security store, extracted by qpdf, validates offline with openssl.
# The unit's eSign seal signs through `lontar doc seal` (invisible, --no-stamp).
source "$(dirname "$0")/lib.sh"
: "${MAKE_LETTER:?}"
init_at_own_port
signer() { # n nik name unit product
  lontar user add --data "$data" --nik "$2" --name "$3" --email "s$1@undiksha.ac.id" --organisation "Universitas Pendidikan Ganesha" \
    --unit "$4" --password-file "$work/pw" --no-forced-change >/dev/null
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -aes-256-cbc -pass "file:$work/pw" -out "$work/k$1.pem"
  openssl req -new -key "$work/k$1.pem" -passin "file:$work/pw" -subj /CN=x -out "$work/r$1.csr"
  lontar cert issue --data "$data" --nik "$2" --product "$5" --csr "$work/r$1.csr" --out "$work/c$1.pem" >/dev/null
}
signer 1 5108010101900001 "Dr. I Made Rektor" "Rektorat" individual-1y
signer 2 5108010101900002 "Dr. Ni Kadek Wakil" "Rektorat" individual-1y
signer 3 5108010101900003 "Seal Operator" "Universitas Pendidikan Ganesha" seal-1y
"$MAKE_LETTER" "Surat Keputusan" 3 >"$work/in.pdf"
start_server --as-configured
sign() { # n in out [args]
  lontar doc sign --data "$data" --in "$2" --out "$3" --key "$work/k$1.pem" --cert "$work/c$1.pem" \
    --key-passphrase-file "$work/pw" "${@:4}" | sed -n 's/.*verify at //p'
}
v1=$(sign 1 "$work/in.pdf" "$work/s1.pdf" --reason "Menyetujui")
v2=$(sign 2 "$work/s1.pdf" "$work/s2.pdf" --page 1)
v3=$(sign 3 "$work/s2.pdf" "$work/s3.pdf")
for f in s1 s2 s3; do
  expect_contains "$(qpdf --check "$work/$f.pdf" 2>&1)" "No syntax or stream encoding errors" "qpdf --check $f"
done
expect_eq 1 "$(cmp -n "$(stat -c %s "$work/s2.pdf")" "$work/s2.pdf" "$work/s3.pdf" >/dev/null && echo 1)" "incremental: the earlier file is a prefix"

mkdir -p "$work/nss"
certutil -N -d "sql:$work/nss" --empty-password
certutil -A -n lontar-root -t "CT,C,C" -i "$data/ca/root.crt" -d "sql:$work/nss"
report=$(pdfsig_online "$work/nss" "$work/s3.pdf")
expect_eq 3 "$(grep -c "Signature Validation: Signature is Valid." <<<"$report")" "three valid signatures"
expect_eq 3 "$(grep -c "Certificate Validation: Certificate is Trusted." <<<"$report")" "three trusted certificates"
expect_eq 3 "$(grep -c "Signature Type: ETSI.CAdES.detached" <<<"$report")" "PAdES subfilter"
expect_contains "$report" "Signer Certificate Common Name: Universitas Pendidikan Ganesha" "the seal signs last"
expect_contains "$(cat "$work/serve.out" "$work/serve.err" | grep '"route":"/ocsp' | head -1)" '"status":200' "pdfsig asked lontar's OCSP responder"

# The signature value: CAdES attributes and the timestamp token, seen by openssl.
python3 - "$work/s3.pdf" "$work/last.p7s" "$work/last.signed" <<'PY'
import re, sys
data = open(sys.argv[1], "rb").read()
ranges = re.findall(rb"/ByteRange \[0 (\d+) (\d+) (\d+)\]", data)
start, end, length = int(ranges[-1][0]), int(ranges[-1][1]), int(ranges[-1][2])
open(sys.argv[2], "wb").write(bytes.fromhex(data[start + 1:end - 1].decode().rstrip("0") + ("0" if len(data[start + 1:end - 1].decode().rstrip("0")) % 2 else "")))
open(sys.argv[3], "wb").write(data[:start] + data[end:end + length])
PY
cms=$(openssl cms -cmsout -print -inform DER -in "$work/last.p7s" 2>&1 || true)
expect_contains "$cms" "id-smime-aa-signingCertificateV2" "signing-certificate-v2"
expect_contains "$cms" "id-smime-aa-timeStampToken" "signature timestamp (B-T)"
expect_contains "$cms" "messageDigest" "message digest attribute"
# (The timestamp token, an unsigned attribute, may carry its own.)
expect_not_contains "$(sed -n '1,/unsignedAttrs/p' <<<"$cms")" "signingTime" "no CMS signing-time (PAdES baseline: the time is /M and the timestamp)"
expect_contains "$(openssl cms -verify -binary -inform DER -in "$work/last.p7s" -content "$work/last.signed" -CAfile "$data/ca/root.crt" -purpose any -out /dev/null 2>&1)" \
  "Verification successful" "openssl cms -verify over the byte range"

# B-LT: the document security store, read by qpdf, holds what validates every
# signature offline: the chains, an OCSP answer per signer and for the TSA, the root's
# CRL over the issuing CA — each accepted by openssl with nothing but those bytes.
dss=$work/dss
# Each signature adds the answers it was made with: its signer's and the TSA's.
expect_eq "7 6 1" "$(python3 "$(dirname "$0")/../tools/extract_dss.py" "$work/s3.pdf" "$dss")" "DSS: certificates, OCSP answers, CRLs"
for f in "$dss"/cert-*.der; do openssl x509 -inform DER -in "$f" >>"$dss/all.pem"; done
openssl crl -inform DER -in "$dss/crl-0.der" -out "$dss/root.crl.pem"
for n in 1 2 3; do
  expect_contains "$(openssl verify -CAfile "$data/ca/root.crt" -untrusted "$dss/all.pem" "$work/c$n.pem")" ": OK" "signer $n chains with the stored certificates"
  good=0
  for o in "$dss"/ocsp-*.der; do
    openssl ocsp -respin "$o" -CAfile "$data/ca/chain.pem" -issuer "$data/ca/issuing.crt" -cert "$work/c$n.pem" 2>&1 |
      grep -q "c$n.pem: good" && good=1
  done
  expect_eq 1 "$good" "a stored, verified OCSP answer says signer $n is good"
done
expect_contains "$(openssl ocsp -respin "$dss/ocsp-1.der" -CAfile "$data/ca/chain.pem" -issuer "$data/ca/issuing.crt" -cert "$data/ca/tsa.crt" 2>&1)" "Response verify OK" "TSA status answer verifies"
expect_contains "$(openssl verify -CAfile "$data/ca/root.crt" -CRLfile "$dss/root.crl.pem" -crl_check "$data/ca/issuing.crt")" ": OK" "the stored root CRL clears the issuing CA"
expect_contains "$(pdfsig "$work/s1.pdf" 2>/dev/null)" "Signature is Valid" "pdfsig accepts the update after the signature"
# Offline, as a relying party years later: only the root certificate and the file.
offline=$(lontar doc verify --in "$work/s3.pdf" --trust "$data/ca/root.crt")
expect_contains "$offline" "all 3 signature(s) valid offline" "lontar doc verify: valid with the embedded data alone"
expect_eq 3 "$(grep -c "signer (embedded OCSP): good" <<<"$offline")" "each signer's embedded OCSP answer is good"
signed_end=$(python3 -c 'import re,sys; r=re.findall(rb"/ByteRange \[0 (\d+) (\d+) (\d+)\]", open(sys.argv[1],"rb").read())[-1]; print(int(r[1])+int(r[2]))' "$work/s1.pdf")
head -c "$signed_end" "$work/s1.pdf" >"$work/s1-without-dss.pdf"
expect_failure 1 "does not verify offline" lontar doc verify --in "$work/s1-without-dss.pdf" --trust "$data/ca/root.crt"
expect_contains "$(lontar doc verify --in "$work/s1-without-dss.pdf" --trust "$data/ca/root.crt" 2>/dev/null || true)" "signer (embedded OCSP): no data" "without the DSS there is nothing to judge status by"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout /dev/null -subj /CN=Other -days 1 -out "$work/other-root.pem" 2>/dev/null
expect_contains "$(lontar doc verify --in "$work/s3.pdf" --trust "$work/other-root.pem" 2>/dev/null || true)" "chain to the root at that time: NO" "another trust anchor does not vouch for it"
expect_eq True "$(curl -s -H 'Content-Type: application/pdf' --data-binary "@$work/s3.pdf" "$url/api/v1/verify" | python3 -c 'import json,sys; print(json.load(sys.stdin)["long_term_validation_data"])')" "the API reports the validation data"
expect_contains "$(curl -s -F "document=@$work/s3.pdf;type=application/pdf" "$url/verifikasi-dokumen?lang=en")" "Kept in the document" "the page says the signatures can be checked offline"
expect_contains "$(curl -s -F "document=@$work/in.pdf;type=application/pdf" "$url/verifikasi-dokumen?lang=en")" "Not in the document" "an unsigned file has none"

# The stamp's QR code opens the registration of that signature.
pdftoppm -r 150 -f 3 -l 3 -png "$work/s3.pdf" "$work/page"
expect_eq "$v3" "$(zbarimg -q --raw "$work"/page*.png)" "QR code read by zbarimg"
page=$(curl -s "$v3")
expect_contains "$page" "Universitas Pendidikan Ganesha" "verification page names the signer"
expect_contains "$page" 'data-testid="status-now">Aktif<' "certificate valid now"
expect_contains "$page" "$(sha256sum "$work/s3.pdf" | cut -d' ' -f1)" "registered SHA-256 is the signed file's"
expect_not_contains "$page" "5108010101900003" "no NIK on the public page"
expect_contains "$(curl -s "$v3?lang=en")" "electronic documents and their printouts are valid legal evidence" "legal meaning in English"
expect_eq 404 "$(curl -s -o /dev/null -w '%{http_code}' "$url/v/0000000000000000000Z")" "unknown code"

# One changed byte inside the signed range.
cp "$work/s3.pdf" "$work/changed.pdf"
printf 'X' | dd of="$work/changed.pdf" bs=1 seek=200 conv=notrunc status=none
changed=$(pdfsig "$work/changed.pdf" 2>/dev/null || true)
expect_eq 3 "$(grep -c "Digest Mismatch" <<<"$changed")" "pdfsig sees the change in all three signatures"
[ "$(sha256sum "$work/changed.pdf" | cut -d' ' -f1)" != "$(sha256sum "$work/s3.pdf" | cut -d' ' -f1)" ] || fail "hash unchanged"
expect_failure 1 "no longer matches the file" lontar doc sign --data "$data" --in "$work/changed.pdf" --out "$work/on-changed.pdf" \
  --key "$work/k1.pem" --cert "$work/c1.pem" --key-passphrase-file "$work/pw"
[ ! -e "$work/on-changed.pdf" ] || fail "a changed PDF was signed over"
pass

# Uploading a copy: identical, an earlier version, a changed file, an unsigned file.
upload() { curl -s -F "document=@$2;type=application/pdf" "$1" | sed -n 's/.*data-testid="verdict">\([^<]*\)<.*/\1/p'; }
expect_contains "$(upload "$v3" "$work/s3.pdf")" "identik dengan dokumen yang terdaftar" "the registered file is identical"
expect_contains "$(upload "$v3" "$work/s2.pdf")" "bukan salinan persis" "an earlier version is signed but not the registered file"
expect_contains "$(upload "$v3" "$work/changed.pdf")" "BERUBAH setelah ditandatangani" "a changed file is reported"
expect_contains "$(upload "$url/verifikasi-dokumen" "$work/in.pdf")" "tidak memiliki tanda tangan" "an unsigned file"
expect_contains "$(upload "$url/verifikasi-dokumen" "$work/s3.pdf")" "identik" "found by its hash without a code"
printf 'appended after signing' >>"$work/appended.pdf"; cat "$work/s3.pdf" "$work/appended.pdf" >"$work/tail.pdf"
expect_contains "$(upload "$url/verifikasi-dokumen?lang=en" "$work/tail.pdf")" "CHANGED after it was signed" "bytes appended after the last signature"
api=$(curl -s -H 'Content-Type: application/pdf' --data-binary "@$work/s3.pdf" "$url/api/v1/verify")
expect_eq identical "$(python3 -c 'import json,sys; print(json.load(sys.stdin)["verdict"])' <<<"$api")" "API verdict"
expect_eq "True True True" "$(python3 -c 'import json,sys; print(*[s["intact"] and s["trusted"] for s in json.load(sys.stdin)["signatures"]])' <<<"$api")" "API: every signature intact and trusted"
expect_eq changed "$(curl -s -H 'Content-Type: application/pdf' --data-binary "@$work/changed.pdf" "$url/api/v1/verify" | python3 -c 'import json,sys; print(json.load(sys.stdin)["verdict"])')" "API sees the change"
expect_contains "$(curl -s "$url/api/v1/documents/${v3##*/}")" '"certificate_status":"valid"' "API registration"
head -c 3000 /dev/urandom >"$work/garbage.pdf"
expect_eq 400 "$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/pdf' --data-binary "@$work/garbage.pdf" "$url/api/v1/verify")" "API: garbage"

# Revocation after signing: the page says the signature was made while valid; no new signature.
serial2=$(openssl x509 -in "$work/c2.pem" -noout -serial | cut -d= -f2)
lontar cert revoke --data "$data" --serial "$serial2" --reason keyCompromise >/dev/null
expect_contains "$(curl -s "$v2")" "Dicabut setelah dokumen ditandatangani" "revoked after signing"
expect_eq "True" "$(curl -s -H 'Content-Type: application/pdf' --data-binary "@$work/s3.pdf" "$url/api/v1/verify" | python3 -c 'import json,sys; print(json.load(sys.stdin)["signatures"][1]["revoked_after_signing"])')" "the timestamp precedes the revocation"
expect_failure 1 "revoked; no new document can be signed" lontar doc sign --data "$data" --in "$work/in.pdf" --out "$work/no.pdf" \
  --key "$work/k2.pem" --cert "$work/c2.pem" --key-passphrase-file "$work/pw"
[ ! -e "$work/no.pdf" ] || fail "a refused signature wrote a file"
pass

# The unit's eSign seal through `lontar doc seal`: requested by its holder, approved
# by two verifiers, opened with the holder's passphrase; an invisible signature with
# `--no-stamp` on top, still valid for pdfsig.
for n in 4 5 6; do
  role=$([ "$n" = 4 ] && echo applicant || echo verifier)
  lontar user add --data "$data" --nik "510801010190000$n" --name "Orang $n" --email "o$n@undiksha.ac.id" --role "$role" \
    --organisation "Universitas Pendidikan Ganesha" --unit "Biro Umum" --password-file "$work/pw" --no-forced-change >/dev/null
done
holder=$(bearer 5108010101900004)
seal_request=$(curl -s -H "Authorization: Bearer $holder" -H 'Content-Type: application/json' \
  -d "{\"product\":\"seal-1y\",\"method\":\"esign\",\"agreement_accepted\":true,\"passphrase\":\"Frasa-Segel-Biro-2026\",\"letter_pdf_base64\":\"$(base64 -w0 "$work/in.pdf")\"}" \
  "$url/api/v1/requests" | python3 -c 'import json,sys; print(json.load(sys.stdin)["request"]["id"])')
approve() { curl -s -o /dev/null -X POST -H "Authorization: Bearer $(bearer "$1")" "$url/api/v1/requests/$seal_request/approve"; }
approve 5108010101900005
# Half approved: the other verifier's queue shows it with its applicant and one approval.
expect_eq "Orang 4 5108010101900004 1" "$(curl -s -H "Authorization: Bearer $(bearer 5108010101900006)" "$url/api/v1/queue" |
  python3 -c 'import json,sys
for r in json.load(sys.stdin)["requests"]:
    if r["id"] == int(sys.argv[1]): print(r["applicant"]["name"], r["applicant"]["nik"], r["approvals"])' "$seal_request")" \
  "the queue row carries its applicant and its approval count"
approve 5108010101900006
for _ in $(seq 1 50); do [ "$(sqlite3 "$data/lontar.db" "SELECT state FROM requests WHERE id = $seal_request")" = issued ] && break; sleep 0.1; done
printf 'Frasa-Segel-Biro-2026\n' >"$work/seal-pass"
printf 'Frasa-Salah-2026\n' >"$work/seal-wrong"
expect_failure 1 "The passphrase does not open this key" lontar doc seal --data "$data" --nik 5108010101900004 --passphrase-file "$work/seal-wrong" --in "$work/s3.pdf" --out "$work/x.pdf"
expect_failure 1 "no valid eSign seal" lontar doc seal --data "$data" --nik 5108010101900001 --passphrase-file "$work/seal-pass" --in "$work/s3.pdf" --out "$work/x.pdf"
sealed=$(lontar doc seal --data "$data" --nik 5108010101900004 --passphrase-file "$work/seal-pass" --in "$work/s3.pdf" --out "$work/s4.pdf" --no-stamp)
expect_contains "$sealed" "signed by Biro Umum" "sealed in the unit's name"
report4=$(pdfsig -nssdir "sql:$work/nss" "$work/s4.pdf" 2>/dev/null)
expect_eq 4 "$(grep -c "Signature Validation: Signature is Valid." <<<"$report4")" "four valid signatures after the seal"
expect_contains "$report4" "Signer Certificate Common Name: Biro Umum" "pdfsig names the seal"
expect_contains "$(qpdf --check "$work/s4.pdf" 2>&1)" "No syntax or stream encoding errors" "qpdf --check after the seal"
expect_eq identical "$(curl -s -H 'Content-Type: application/pdf' --data-binary "@$work/s4.pdf" "$url/api/v1/verify" | python3 -c 'import json,sys; print(json.load(sys.stdin)["verdict"])')" "the sealed file is registered"

# Bad input: clear errors, nothing written.
qpdf --encrypt user owner 256 -- "$work/in.pdf" "$work/locked.pdf"
expect_failure 1 "encrypted" lontar doc sign --data "$data" --in "$work/locked.pdf" --out "$work/x.pdf" --key "$work/k1.pem" --cert "$work/c1.pem" --key-passphrase-file "$work/pw"
expect_failure 1 "damaged or not a PDF" lontar doc sign --data "$data" --in "$work/garbage.pdf" --out "$work/x.pdf" --key "$work/k1.pem" --cert "$work/c1.pem" --key-passphrase-file "$work/pw"
sed 's|/Type /Catalog|/Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >>|' "$work/in.pdf" >"$work/script.pdf"
qpdf "$work/script.pdf" "$work/script-fixed.pdf" 2>/dev/null || true
expect_failure 1 "contains JavaScript" lontar doc sign --data "$data" --in "$work/script-fixed.pdf" --out "$work/x.pdf" --key "$work/k1.pem" --cert "$work/c1.pem" --key-passphrase-file "$work/pw"
expect_failure 1 "does not belong to the certificate" lontar doc sign --data "$data" --in "$work/in.pdf" --out "$work/x.pdf" --key "$work/k1.pem" --cert "$work/c3.pem" --key-passphrase-file "$work/pw"
[ ! -e "$work/x.pdf" ] || fail "a refused signature wrote a file"
# A PDF 1.5 file with a cross-reference stream (made by qpdf) is updated in kind.
qpdf --object-streams=generate "$work/in.pdf" "$work/xs.pdf"
expect_eq "0 1" "$(grep -c -a '^xref' "$work/xs.pdf" || true) $(grep -c -a '/Type */XRef' "$work/xs.pdf")" "the input has a cross-reference stream and no table"
lontar doc sign --data "$data" --in "$work/xs.pdf" --out "$work/xs-signed.pdf" --key "$work/k1.pem" --cert "$work/c1.pem" --key-passphrase-file "$work/pw" >/dev/null
expect_eq 0 "$(tail -c +"$(($(stat -c %s "$work/xs.pdf") + 1))" "$work/xs-signed.pdf" | grep -c -a '^trailer' || true)" "no classic trailer appended"
expect_eq 2 "$(tail -c +"$(($(stat -c %s "$work/xs.pdf") + 1))" "$work/xs-signed.pdf" | grep -c -a '/Type /XRef')" "signature and DSS updates are cross-reference streams"
expect_contains "$(qpdf --check "$work/xs-signed.pdf" 2>&1)" "No syntax or stream encoding errors" "qpdf --check on the stream-updated file"
expect_contains "$(pdfsig -nssdir "sql:$work/nss" "$work/xs-signed.pdf" 2>/dev/null)" "Certificate is Trusted" "pdfsig on the stream-updated file"

# A batch: one key, opened once, signs several files into a folder; each is registered.
mkdir -p "$work/batch-in"
"$MAKE_LETTER" "Ijazah A" 1 >"$work/batch-in/a.pdf"
"$MAKE_LETTER" "Ijazah B" 2 >"$work/batch-in/b.pdf"
expect_failure 1 "--out-dir" lontar doc sign --data "$data" --in "$work/batch-in/a.pdf" --in "$work/batch-in/b.pdf" \
  --key "$work/k1.pem" --cert "$work/c1.pem" --key-passphrase-file "$work/pw"
expect_failure 1 "write one over the other" lontar doc sign --data "$data" --in "$work/batch-in/a.pdf" --in "$work/batch-in/a.pdf" \
  --out-dir "$work/batch-out" --key "$work/k1.pem" --cert "$work/c1.pem" --key-passphrase-file "$work/pw"
batch=$(lontar doc sign --data "$data" --in "$work/batch-in/a.pdf" --in "$work/batch-in/b.pdf" --out-dir "$work/batch-out" \
  --key "$work/k1.pem" --cert "$work/c1.pem" --key-passphrase-file "$work/pw")
expect_eq 2 "$(grep -c "verify at" <<<"$batch")" "two documents signed in one run"
for f in a b; do
  expect_contains "$(pdfsig -nssdir "sql:$work/nss" "$work/batch-out/$f.pdf" 2>/dev/null)" "Certificate is Trusted" "batch $f: valid and trusted"
done
expect_eq 7 "$(sqlite3 "$data/lontar.db" "SELECT COUNT(*) FROM documents")" "every signature registered"
lontar audit verify --data "$data" >/dev/null
done_checks
