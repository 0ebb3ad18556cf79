#!/usr/bin/env bash
# The request procedure through the portal with curl, checked by independent tools:
# an applicant renews by LOCK (token shown once, CSR made by `openssl req` with the
# token as challengePassword, letter uploaded as PDF), a verifier reads the letter and
# approves, the new certificate passes `openssl verify` and the old one is superseded;
# an eSign request is issued with a server-held key; a rejection carries its reason;
# roles are enforced; the notices arrive at a local SMTP sink.
source "$(dirname "$0")/lib.sh"
: "${MAKE_LETTER:?MAKE_LETTER must point at the make_letter tool}"
make_instance
add_account 5108010101900002 "Kadek Verifikator" verifier kadek@undiksha.ac.id
add_account 5108010101900003 "Putu Helpdesk" helpdesk putu@undiksha.ac.id
add_account 5108010101900004 "Komang eSign" applicant komang@undiksha.ac.id
add_account 5108010101900005 "Wayan Ditolak" applicant wayan@undiksha.ac.id
set_applicant_password 5108010101900002
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout /dev/null -subj /CN=x -out "$work/old.csr" 2>/dev/null
lontar cert issue --data "$data" --nik 5108010101900001 --product individual-1y --csr "$work/old.csr" --out "$work/old.pem" >/dev/null
old_serial=$(openssl x509 -in "$work/old.pem" -noout -serial | cut -d= -f2)
"$MAKE_LETTER" "Surat Rekomendasi" >"$work/letter.pdf"
printf '<html><body>not a pdf</body></html>' >"$work/fake.pdf"
head -c $((6 * 1024 * 1024)) /dev/zero >"$work/huge.pdf"

# A local SMTP sink receives the notices.
python3 "$(dirname "$0")/../tools/smtp_sink.py" "$work/smtp.port" "$work/mail.txt" &
sink=$!
stop_at_exit "$sink"
for _ in $(seq 1 50); do [ -s "$work/smtp.port" ] && break; sleep 0.1; done
sed -i "s/^smtp_host = \"\"/smtp_host = \"127.0.0.1\"/; s/^smtp_port = 25/smtp_port = $(cat "$work/smtp.port")/" "$data/lontar.toml"

start_server

csrf_of() { grep -o 'name="csrf" value="[0-9a-f]*"' "$1" | head -1 | sed 's/.*value="//; s/"$//'; }
login() { # jar nik
  curl -s -c "$1" -b "$1" "$url/login" -o "$work/form.html"
  curl -s -c "$1" -b "$1" -o /dev/null --data-urlencode "csrf=$(csrf_of "$work/form.html")" \
    --data-urlencode "nik=$2" --data-urlencode "password=Benar-sekali-2026" "$url/login"
  curl -s -b "$1" "$url/sertifikat" -o "$work/page.html"
  csrf_of "$work/page.html"
}
status() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
new_request() { # jar csrf method product letter [passphrase] → status; page in $work/new.html
  local extra=()
  [ -n "${6:-}" ] && extra=(-F "passphrase=$6" -F "passphrase2=$6")
  curl -s -b "$1" -o "$work/new.html" -w '%{http_code}' -F "csrf=$2" -F "method=$3" -F "product=$4" \
    -F "letter=@$5;type=application/pdf" -F "agree=yes" "${extra[@]}" "$url/permohonan/baru"
}
csr_with_token() { # token out
  cat >"$work/req.cnf" <<CNF
[ req ]
prompt = no
distinguished_name = dn
attributes = attrs
[ dn ]
CN = Whatever The Applicant Typed
[ attrs ]
challengePassword = $1
CNF
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$2.key" -config "$work/req.cnf" -out "$2" 2>/dev/null
}

applicant=$(login "$work/a" 5108010101900001)
verifier=$(login "$work/v" 5108010101900002)
helpdesk=$(login "$work/h" 5108010101900003)
[ -n "$applicant" ] && [ -n "$verifier" ] && [ -n "$helpdesk" ] || fail "logins"

# The form: the warning and the agreement are there; refusals keep the applicant on it.
form=$(curl -s -b "$work/a" "$url/permohonan/baru")
expect_contains "$form" "kerugian yang timbul menjadi tanggung jawab pemilik" "misuse warning on the form"
expect_contains "$form" 'enctype="multipart/form-data"' "upload form"
expect_contains "$form" "Perorangan, 1 tahun" "product names in Indonesian"
expect_contains "$(curl -s -b "$work/a" "$url/permohonan/baru?lang=en")" "Individual, 1 year" "and in English"
expect_contains "$(curl -s -b "$work/a" "$url/bantuan")" "lontar-lock sign --in surat.pdf --out surat-ttd.pdf" "help: how LOCK holders sign"
expect_contains "$(curl -s -b "$work/a" "$url/bantuan?lang=en")" "A signature stays valid after its certificate expires" "help: what the QR code and timestamp mean"
code=$(curl -s -b "$work/a" -o "$work/new.html" -w '%{http_code}' -F "csrf=$applicant" -F method=lock -F product=individual-1y \
  -F "letter=@$work/letter.pdf;type=application/pdf" "$url/permohonan/baru")
expect_eq 400 "$code" "no agreement accepted"
expect_contains "$(cat "$work/new.html")" "setujui peringatan" "agreement error in Indonesian"
expect_eq 400 "$(new_request "$work/a" "$applicant" lock individual-1y "$work/fake.pdf")" "HTML posing as PDF"
expect_contains "$(cat "$work/new.html")" "berkas PDF" "letter error"
expect_eq 413 "$(new_request "$work/a" "$applicant" lock individual-1y "$work/huge.pdf")" "6 MiB letter"
: >"$work/empty.pdf"
expect_eq 400 "$(new_request "$work/a" "$applicant" esign individual-1y "$work/empty.pdf" "Frasa-Sandi-Ayu-2026")" "empty letter (eSign)"
expect_contains "$(cat "$work/new.html")" "Lampirkan surat rekomendasi" "empty letter error"
head -c 300 "$work/letter.pdf" >"$work/broken.pdf"
expect_eq 400 "$(new_request "$work/a" "$applicant" lock individual-1y "$work/broken.pdf")" "broken PDF"
expect_contains "$(cat "$work/new.html")" "berkas PDF yang utuh" "broken PDF error"
# A file sent without a file name (curl -F "letter=<file") is still a file, judged as a PDF.
code=$(curl -s -b "$work/a" -o "$work/new.html" -w '%{http_code}' -F "csrf=$applicant" -F method=lock \
  -F product=individual-1y -F "letter=<$work/broken.pdf" -F agree=yes "$url/permohonan/baru")
expect_eq 400 "$code" "broken PDF sent without a file name"
expect_contains "$(cat "$work/new.html")" "berkas PDF yang utuh" "judged as a PDF, not as text"
expect_eq 403 "$(new_request "$work/a" 0000 lock individual-1y "$work/letter.pdf")" "wrong CSRF token"

# LOCK: the token is shown once.
expect_eq 201 "$(new_request "$work/a" "$applicant" lock individual-1y "$work/letter.pdf")" "LOCK request"
token=$(sed -n 's/.*data-testid="csr-token">\([0-9A-Z-]*\)<.*/\1/p' "$work/new.html")
expect_eq 24 "${#token}" "token shown"
request_id=$(grep -o 'permohonan?id=[0-9]*' "$work/new.html" | head -1 | cut -d= -f2)
expect_eq 0 "$(cat "$data"/lontar.db* | grep -c -a -- "$token" || true)" "token not stored in clear"
page=$(curl -s -b "$work/a" "$url/permohonan?id=$request_id")
expect_not_contains "$page" "$token" "the token is not shown again"
expect_contains "$page" 'aria-current="step"><span class="num">4</span>' "tracker at step 4"
expect_eq 400 "$(new_request "$work/a" "$applicant" lock individual-2y "$work/letter.pdf")" "second open request"
expect_contains "$(cat "$work/new.html")" "permohonan terbuka" "one open request per type"

# The CSR made with openssl carries the token; another applicant cannot use it.
csr_with_token "$token" "$work/new.csr"
esign_jar_csrf=$(login "$work/k" 5108010101900004)
curl -s -b "$work/k" -o /dev/null -F "csrf=$esign_jar_csrf" -F "id=$request_id" -F "csr=@$work/new.csr" "$url/permohonan/csr"
expect_eq token_issued "$(sqlite3 "$data/lontar.db" "SELECT state FROM requests WHERE id=$request_id")" "foreign upload refused"
expect_eq 303 "$(status -b "$work/a" -F "csrf=$applicant" -F "id=$request_id" -F "csr=@$work/new.csr" "$url/permohonan/csr")" "CSR upload"
expect_eq submitted "$(sqlite3 "$data/lontar.db" "SELECT state FROM requests WHERE id=$request_id")" "request submitted"
curl -s -b "$work/a" -o /dev/null -F "csrf=$applicant" -F "id=$request_id" -F "csr=@$work/new.csr" "$url/permohonan/csr"
expect_eq 1 "$(db_count "requests WHERE state='submitted'")" "a second upload creates nothing"

# Roles: the applicant and the helpdesk cannot decide; the helpdesk can look.
expect_eq 403 "$(status -b "$work/a" "$url/verifikasi")" "applicant has no queue"
expect_eq 403 "$(status -b "$work/a" --data "csrf=$applicant&id=$request_id" "$url/verifikasi/setujui")" "applicant cannot approve"
expect_eq 403 "$(status -b "$work/h" --data "csrf=$helpdesk&id=$request_id" "$url/verifikasi/setujui")" "helpdesk cannot approve"
expect_eq 200 "$(status -b "$work/h" "$url/helpdesk?q=Ayu")" "helpdesk search"
expect_contains "$(curl -s -b "$work/h" "$url/helpdesk?q=Ayu")" "5108010101900001" "helpdesk finds the applicant"
expect_eq 403 "$(status -b "$work/a" "$url/helpdesk?q=Ayu")" "applicant has no helpdesk"
# Bytes that are not text are refused where they enter, with a message the user can act on.
expect_eq 400 "$(status -b "$work/h" "$url/helpdesk?q=%FF%FEayu")" "a search that is not UTF-8"
expect_eq 400 "$(status -b "$work/h" "$url/helpdesk?q=ayu%00")" "a search with a NUL"
expect_contains "$(curl -s -b "$work/h" "$url/helpdesk?q=%C0%AFayu")" "not text" "and says why"
expect_eq 400 "$(curl -s -b "$work/a" -o /dev/null -w '%{http_code}' -F "csrf=$applicant" -F "method=$(printf 'lock\xff')" \
  -F product=individual-1y -F "letter=@$work/letter.pdf;type=application/pdf" -F agree=yes "$url/permohonan/baru")" \
  "an upload form field that is not UTF-8"

# The verifier's queue, the letter served so it cannot run script, the approval.
queue=$(curl -s -b "$work/v" "$url/verifikasi")
expect_contains "$queue" "permohonan?id=$request_id" "request in the queue"
review=$(curl -s -b "$work/v" "$url/verifikasi/permohonan?id=$request_id")
expect_contains "$review" "ECDSA P-256" "key algorithm shown"
expect_contains "$review" "$(openssl req -in "$work/new.csr" -pubkey -noout | openssl pkey -pubin -outform DER | sha256sum | cut -d' ' -f1)" "fingerprint equals openssl's"
curl -s -b "$work/v" -D "$work/letter.h" -o "$work/letter.got" "$url/verifikasi/surat?id=$request_id"
expect_eq "$(sha256sum <"$work/letter.pdf")" "$(sha256sum <"$work/letter.got")" "letter bytes"
expect_contains "$(cat "$work/letter.h")" "Content-Type: application/pdf" "letter type"
expect_contains "$(cat "$work/letter.h")" "Content-Security-Policy: sandbox" "letter sandboxed"
expect_contains "$(cat "$work/letter.h")" "Content-Disposition: inline; filename=\"surat-rekomendasi-$request_id.pdf\"" "letter disposition"
expect_eq 303 "$(status -b "$work/v" --data "csrf=$verifier&id=$request_id" "$url/verifikasi/setujui")" "approval"
expect_eq issued "$(sqlite3 "$data/lontar.db" "SELECT state FROM requests WHERE id=$request_id")" "issued on approval"
serial=$(sqlite3 "$data/lontar.db" "SELECT certificate_serial FROM requests WHERE id=$request_id")
curl -s -b "$work/a" "$url/sertifikat/unduh?serial=$serial&format=pem" -o "$work/new.pem"
curl -s "$url/ca/chain.pem" -o "$work/chain.pem"
expect_contains "$(openssl verify -x509_strict -CAfile "$work/chain.pem" "$work/new.pem" 2>&1)" "OK" "openssl verify"
expect_eq "$(openssl pkey -in "$work/new.csr.key" -pubout)" "$(openssl x509 -in "$work/new.pem" -noout -pubkey)" "certified key is the CSR's"
expect_not_contains "$(openssl x509 -in "$work/new.pem" -noout -subject)" "Whatever" "subject not copied from the CSR"
mine=$(curl -s -b "$work/a" "$url/sertifikat")
expect_contains "$mine" "$old_serial" "old certificate listed"
expect_contains "$(sqlite3 "$data/lontar.db" "SELECT status FROM certificates WHERE serial='$old_serial'")" superseded "old one superseded"
expect_eq 8 "$(curl -s -b "$work/a" "$url/permohonan?id=$request_id" | grep -o '<li class="done"' | wc -l | tr -d ' ')" "tracker: all eight steps done"

# A rejection reaches the applicant with its reason.
rejected_csrf=$(login "$work/w" 5108010101900005)
new_request "$work/w" "$rejected_csrf" lock individual-1y "$work/letter.pdf" >/dev/null
wtoken=$(sed -n 's/.*data-testid="csr-token">\([0-9A-Z-]*\)<.*/\1/p' "$work/new.html")
wid=$(grep -o 'permohonan?id=[0-9]*' "$work/new.html" | head -1 | cut -d= -f2)
csr_with_token "$wtoken" "$work/w.csr"
curl -s -b "$work/w" -o /dev/null -F "csrf=$rejected_csrf" -F "id=$wid" -F "csr=@$work/w.csr" "$url/permohonan/csr"
curl -s -b "$work/v" -o /dev/null --data-urlencode "csrf=$verifier" --data-urlencode "id=$wid" \
  --data-urlencode "reason=Surat belum ditandatangani dekan <b>asli</b>" "$url/verifikasi/tolak"
page=$(curl -s -b "$work/w" "$url/permohonan?id=$wid")
expect_contains "$page" "Surat belum ditandatangani dekan &lt;b&gt;asli&lt;/b&gt;" "reason shown, escaped"
expect_contains "$page" "Ditolak" "rejected state"
expect_eq 404 "$(status -b "$work/a" "$url/permohonan?id=$wid")" "someone else's request is not found"

# eSign: the passphrase is set at submission and never stored; the key is made on approval.
code=$(new_request "$work/k" "$esign_jar_csrf" esign individual-1y "$work/letter.pdf" "Frasa-Sandi-Komang-2026")
expect_eq 303 "$code" "eSign request"
eid=$(sqlite3 "$data/lontar.db" "SELECT id FROM requests WHERE method='esign'")
curl -s -b "$work/v" -o /dev/null --data "csrf=$verifier&id=$eid" "$url/verifikasi/setujui"
expect_eq issued "$(sqlite3 "$data/lontar.db" "SELECT state FROM requests WHERE id=$eid")" "eSign issued"
expect_eq 0 "$(cat "$data"/lontar.db* | grep -c -a -- "Frasa-Sandi-Komang-2026" || true)" "passphrase not in the database"
eserial=$(sqlite3 "$data/lontar.db" "SELECT certificate_serial FROM requests WHERE id=$eid")
curl -s -b "$work/k" "$url/sertifikat/unduh?serial=$eserial&format=pem" -o "$work/esign.pem"
expect_contains "$(openssl verify -CAfile "$work/chain.pem" "$work/esign.pem" 2>&1)" "OK" "eSign certificate verifies"

# The eSign holder signs a PDF in the portal with the passphrase; a wrong one signs nothing.
"$MAKE_LETTER" "Surat Tugas" 2 >"$work/tugas.pdf"
code=$(curl -s -b "$work/k" -o "$work/signed.pdf" -D "$work/signed.h" -w '%{http_code}' -F "csrf=$esign_jar_csrf" \
  -F "document=@$work/tugas.pdf;type=application/pdf" -F "passphrase=Frasa-Sandi-Komang-2026" "$url/dokumen/tanda-tangan")
expect_eq 200 "$code" "eSign signing in the portal"
expect_contains "$(cat "$work/signed.h")" "Content-Type: application/pdf" "signed PDF downloaded"
sig=$(pdfsig "$work/signed.pdf" 2>/dev/null)
expect_contains "$sig" "Signature Validation: Signature is Valid." "pdfsig: the eSign signature is valid"
expect_contains "$sig" "Komang eSign" "signed by the eSign holder"
expect_eq "$(openssl x509 -in "$work/esign.pem" -noout -serial | cut -d= -f2)" \
  "$(sqlite3 "$data/lontar.db" "SELECT signer_serial FROM documents ORDER BY signed_at DESC LIMIT 1")" "signed with the eSign certificate"
code=$(curl -s -b "$work/k" -o "$work/wrong.html" -w '%{http_code}' -F "csrf=$esign_jar_csrf" \
  -F "document=@$work/tugas.pdf;type=application/pdf" -F "passphrase=Frasa-Sandi-Salah-2026" "$url/dokumen/tanda-tangan")
expect_eq 400 "$code" "wrong passphrase"
expect_contains "$(cat "$work/wrong.html")" "Frasa sandi salah" "wrong passphrase message"
code=$(curl -s -b "$work/a" -o "$work/none.html" -w '%{http_code}' -F "csrf=$applicant" \
  -F "document=@$work/tugas.pdf;type=application/pdf" -F "passphrase=whatever-2026" "$url/dokumen/tanda-tangan")
expect_contains "$(cat "$work/none.html")" "belum memiliki sertifikat eSign" "a LOCK holder has no server key to sign with"
komang=$(curl -s -H 'Content-Type: application/json' -d '{"nik":"5108010101900004","password":"Benar-sekali-2026"}' "$url/api/v1/session" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
api=$(python3 -c 'import base64,json,sys; print(json.dumps({"pdf_base64": base64.b64encode(open(sys.argv[1],"rb").read()).decode(), "passphrase": "Frasa-Sandi-Komang-2026", "page": 1}))' "$work/tugas.pdf" |
  curl -s -H "Authorization: Bearer $komang" -H 'Content-Type: application/json' --data-binary @- "$url/api/v1/documents/sign")
python3 -c 'import base64,json,sys; open(sys.argv[1],"wb").write(base64.b64decode(json.load(sys.stdin)["pdf_base64"]))' "$work/api-signed.pdf" <<<"$api"
expect_contains "$(pdfsig "$work/api-signed.pdf" 2>/dev/null)" "Signature is Valid." "API eSign signature valid"
bad_position=$(python3 -c 'import base64,json,sys; print(json.dumps({"pdf_base64": base64.b64encode(open(sys.argv[1],"rb").read()).decode(), "passphrase": "Frasa-Sandi-Komang-2026", "position": "middle"}))' "$work/tugas.pdf" |
  curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $komang" -H 'Content-Type: application/json' --data-binary @- "$url/api/v1/documents/sign")
expect_eq 400 "$bad_position" "API: an unknown stamp position"
# The portal's stamp at the top right of page 1, found there by zbarimg.
code=$(curl -s -b "$work/k" -o "$work/placed.pdf" -w '%{http_code}' -F "csrf=$esign_jar_csrf" -F "page=1" -F "position=top-right" \
  -F "document=@$work/tugas.pdf;type=application/pdf" -F "passphrase=Frasa-Sandi-Komang-2026" "$url/dokumen/tanda-tangan")
expect_eq 200 "$code" "signing with a chosen stamp position"
# Page 1 (A4, 595 × 842 pt) rendered by quadrant at 72 dpi: the code is in the top right one only.
quadrant() { pdftoppm -r 72 -f 1 -l 1 -x "$1" -y "$2" -W 298 -H 421 -png "$work/placed.pdf" "$work/q-$1-$2"; zbarimg -q --raw "$work"/q-"$1"-"$2"*.png 2>/dev/null | grep -c /v/ || true; }
expect_eq "1 0 0" "$(quadrant 297 0) $(quadrant 0 421) $(quadrant 0 0)" "zbarimg finds the QR code at the top right of page 1, not elsewhere"
expect_eq 0 "$(cat "$data"/lontar.db* | grep -c -a -- "Frasa-Sandi-Komang-2026" || true)" "passphrase still not in the database"

# Every step is in the audit trail, which still verifies.
expect_eq 1 "$(db_count "audit_events WHERE action='request.opened' AND object='request:$request_id' AND details LIKE '%agreement_version%'")" "acceptance audited"
lontar audit verify --data "$data" >/dev/null
pass

# The notices reach the SMTP sink.
for _ in $(seq 1 100); do grep -q "Sertifikat Anda telah terbit" "$work/mail.txt" 2>/dev/null && [ "$(grep -c -- '----END----' "$work/mail.txt")" -ge 8 ] && break; sleep 0.1; done
mail=$(cat "$work/mail.txt" 2>/dev/null || true)
expect_contains "$mail" "To: <ayu@undiksha.ac.id>" "notice to the applicant"
expect_contains "$mail" "Sertifikat Anda telah terbit. Nomor seri: $serial" "issued notice"
expect_contains "$mail" "Alasan: Surat belum ditandatangani" "rejection notice with reason"
expect_eq 0 "$(db_count "notifications WHERE sent_at = 0")" "outbox drained"
expect_not_contains "$(cat "$work/serve.out" "$work/serve.err")" "$token" "token never logged"
done_checks
