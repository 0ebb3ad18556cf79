#!/usr/bin/env bash
# Paper proof (issue 14): the footer on every signed page is inside the signed revision
# (pdftotext finds it on each page, pdfsig says valid, changing a letter of it breaks
# the signature); the verification code typed by hand opens the page; the page and the
# API show the title, the page count and a preview of every page (PNG, phone-sized);
# `summary` hides pages 2..n and the file from strangers but not from the signer or
# staff; withdrawal by the signer or an administrator hides the content, is audited,
# and nobody else may do it. Then the same with the documents kept in PostgreSQL.
source "$(dirname "$0")/lib.sh"
: "${MAKE_LETTER:?}"
[ -n "${LONTAR_TEST_PG_URL:-}" ] || fail "LONTAR_TEST_PG_URL is not set: run the suite through scripts/test.sh"

# sign_as NIK IN OUT [ARGS...]: signs with `lontar doc sign`; prints the code.
sign_as() {
  local nik=$1 in=$2 out=$3
  shift 3
  lontar doc sign --data "$data" --in "$in" --out "$out" --key "$work/$nik.key" --cert "$work/$nik.pem" \
    --key-passphrase-file "$work/pw" "$@" | sed -n 's/.*verify at .*\/v\///p'
}
# previews_ready CODE: waits (at most 30 s) until the page previews are rendered.
previews_ready() {
  local deadline=$((SECONDS + 30))
  until curl -s "$url/api/v1/documents/$1" | grep -q '"previews_state":"ready"'; do
    [ $SECONDS -lt $deadline ] || fail "previews of $1 not ready: $(curl -s "$url/api/v1/documents/$1")"
    sleep 0.2
  done
}
status_of() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
withdraw() { # JAR CSRF CODE BODY → status
  curl -s -o "$work/withdraw.out" -w '%{http_code}' -b "$1" -H "Content-Type: application/json" -H "X-CSRF-Token: $2" \
    --data "$4" "$url/api/v1/documents/$3/withdraw"
}

init_at_own_port
issue_holder 5108010101900001 "Dr. I Made Rektor" applicant
issue_holder 5108010101900002 "Kadek Lain" applicant
issue_holder 5108010101900009 "Komang Verifikator" verifier
issue_holder 5108010101900010 "Wayan Admin" admin
"$MAKE_LETTER" "Surat Keputusan" 3 >"$work/in.pdf"
start_server --as-configured

# --- The footer, inside the signed revision ---
full=$(sign_as 5108010101900001 "$work/in.pdf" "$work/full.pdf" --title "SK Rektor No. 12/2026")
[ ${#full} -eq 20 ] || fail "no code from doc sign: [$full]"
expect_contains "$(pdfsig "$work/full.pdf" 2>&1)" "Signature Validation: Signature is Valid." "pdfsig: valid with the footer"
display=$(echo "$full" | sed 's/\(.....\)\(.....\)\(.....\)\(.....\)/\1-\2-\3-\4/')
for page in 1 2 3; do
  text=$(pdftotext -f $page -l $page "$work/full.pdf" - | tr '\n' ' ')
  expect_contains "$text" "Dokumen ini telah ditandatangani secara elektronik menggunakan sertifikat elektronik yang diterbitkan oleh" "footer on page $page"
  expect_contains "$text" "Keaslian dokumen ini dapat dibuktikan dengan memindai kode QR" "QR sentence on page $page"
  expect_contains "$text" "UU ITE No. 11 Tahun 2008 Pasal 5 ayat 1" "UU ITE line on page $page"
  expect_contains "$text" "$display" "the code on page $page"
  expect_contains "$text" "Halaman $page dari 3" "page $page of 3"
done
# The footer's bytes lie inside the signature's byte range: one changed letter breaks it.
python3 - "$work/full.pdf" "$work/tampered.pdf" <<'PY'
import re, sys
data = open(sys.argv[1], 'rb').read()
at = data.find(b'Keaslian dokumen')
ranges = [list(map(int, m.groups())) for m in re.finditer(rb'/ByteRange \[(\d+) (\d+) (\d+) (\d+)\]', data)]
a, b, c, d = ranges[-1]
assert at >= 0 and (a <= at < a + b or c <= at < c + d), "footer outside the signed bytes"
open(sys.argv[2], 'wb').write(data[:at] + b'Kepalsuan dokumen'[:16] + data[at + 16:])
PY
pass
expect_not_contains "$(pdfsig "$work/tampered.pdf" 2>&1)" "Signature is Valid" "a changed footer breaks the signature"

# --- The page, the previews, the API ---
previews_ready "$full"
api=$(curl -s "$url/api/v1/documents/$full")
expect_contains "$api" '"title":"SK Rektor No. 12/2026"' "API: the title the signer entered"
expect_contains "$api" '"pages":3' "API: three pages"
expect_contains "$api" '"visibility":"full"' "API: full by default"
expect_contains "$api" "/api/v1/documents/$full/pages/3" "API: a preview URL for page 3"
expect_contains "$api" '"pdf_url"' "API: the file for anyone with the code"
page=$(curl -s "$url/v/$full")
expect_contains "$page" "SK Rektor No. 12/2026" "page: the title"
for n in 1 2 3; do expect_contains "$page" "/v/$full/pages/$n" "page: preview $n shown"; done
expect_contains "$page" "setiap halaman harus sama" "page: compare with the paper"
curl -s -D "$work/ph" "$url/v/$full/pages/1" -o "$work/p1.png"
expect_eq "89504e47" "$(head -c 4 "$work/p1.png" | od -An -tx1 | tr -d ' \n')" "a PNG"
expect_eq 800 "$(python3 -c "import struct,sys; print(struct.unpack('>I', open(sys.argv[1],'rb').read()[16:20])[0])" "$work/p1.png")" "800 pixels wide"
expect_contains "$(tr -d '\r' <"$work/ph")" "X-Robots-Tag: noindex" "previews are not indexed"
expect_eq 404 "$(status_of "$url/v/$full/pages/4")" "no page 4"
expect_eq 404 "$(status_of "$url/v/$full/pages/0")" "no page 0"
expect_eq 404 "$(status_of "$url/v/$full/pages/..%2F1")" "a path as page"
# The code typed from paper, in lower case with dashes.
typed=$(echo "$display" | tr 'A-Z' 'a-z')
expect_contains "$(curl -s -D - -o /dev/null "$url/v?code=$typed" | tr -d '\r')" "Location: /v/$full" "typed code opens its page"
expect_contains "$(curl -s "$url/v?code=not-a-code")" 'role="alert"' "a mistyped code is said to be unknown"

# --- summary: strangers see page 1 only ---
summary=$(sign_as 5108010101900001 "$work/in.pdf" "$work/summary.pdf" --visibility summary)
previews_ready "$summary"
api=$(curl -s "$url/api/v1/documents/$summary")
expect_contains "$api" '"pages_shown":1' "summary: one page for strangers"
expect_not_contains "$api" '"pdf_url"' "summary: no file for strangers"
expect_contains "$(curl -s "$url/v/$summary")" 'data-testid="summary-only"' "summary: the page says so"
expect_eq 200 "$(status_of "$url/v/$summary/pages/1")" "summary: page 1 for anyone"
expect_eq 403 "$(status_of "$url/v/$summary/pages/2")" "summary: page 2 not for strangers"
expect_eq 403 "$(status_of "$url/v/$summary/pdf")" "summary: the file not for strangers"
expect_eq 403 "$(status_of "$url/api/v1/documents/$summary/pdf")" "summary: nor through the API"
signer_csrf=$(api_login 5108010101900001 "$work/signer.jar")
[ ${#signer_csrf} -eq 64 ] || fail "the signer could not log in"
expect_eq 200 "$(status_of -b "$work/signer.jar" "$url/v/$summary/pages/3")" "summary: page 3 for the signer"
expect_eq 200 "$(status_of -b "$work/signer.jar" "$url/v/$summary/pdf")" "summary: the file for the signer"
other_csrf=$(api_login 5108010101900002 "$work/other.jar")
expect_eq 403 "$(status_of -b "$work/other.jar" "$url/v/$summary/pages/2")" "summary: not for another applicant"
api_login 5108010101900009 "$work/verifier.jar" >/dev/null
expect_contains "$(curl -s -b "$work/verifier.jar" "$url/api/v1/documents/$summary")" '"pages_shown":3' "summary: staff see every page"

# --- Withdrawal ---
expect_eq 401 "$(withdraw /dev/null x "$full" '{"reason":"x"}')" "anonymous may not withdraw"
expect_eq 403 "$(withdraw "$work/other.jar" "$other_csrf" "$full" '{"reason":"bukan milik saya"}')" "another holder may not"
expect_eq 400 "$(withdraw "$work/signer.jar" "$signer_csrf" "$full" '{"reason":"  "}')" "a reason is required"
expect_eq 403 "$(withdraw "$work/signer.jar" "" "$full" '{"reason":"Salah nomor surat"}')" "the CSRF header is required"
expect_eq 200 "$(withdraw "$work/signer.jar" "$signer_csrf" "$full" '{"reason":"Salah nomor surat"}')" "the signer withdraws"
expect_eq 409 "$(withdraw "$work/signer.jar" "$signer_csrf" "$full" '{"reason":"lagi"}')" "once only"
page=$(curl -s "$url/v/$full")
expect_contains "$page" 'data-testid="withdrawn"' "page: withdrawn"
expect_contains "$page" "Salah nomor surat" "page: why"
expect_not_contains "$page" "SK Rektor" "page: no title any more"
expect_not_contains "$page" "/pages/1" "page: no previews any more"
expect_eq 404 "$(status_of "$url/v/$full/pages/1")" "withdrawn: no preview"
expect_eq 404 "$(status_of -b "$work/signer.jar" "$url/v/$full/pdf")" "withdrawn: no file, for the signer neither"
expect_contains "$(curl -s "$url/api/v1/documents/$full")" '"withdrawn":true' "API: withdrawn"
compared=$(curl -s -F "document=@$work/full.pdf;type=application/pdf" "$url/v/$full")
expect_contains "$compared" 'data-testid="withdrawn"' "comparing the genuine file with a withdrawn code says it was withdrawn"
expect_contains "$compared" "Salah nomor surat" "and why"
expect_contains "$(curl -s -H 'Content-Type: application/pdf' --data-binary @"$work/full.pdf" "$url/api/v1/verify")" \
  '"withdrawn":true' "API check: the registration is withdrawn"
admin_csrf=$(api_login 5108010101900010 "$work/admin.jar")
expect_eq 200 "$(withdraw "$work/admin.jar" "$admin_csrf" "$summary" '{"reason":"Dicabut atas permintaan unit"}')" "an administrator withdraws"
events=$(sqlite3 "$data/lontar.db" "SELECT actor || ' ' || details FROM audit_events WHERE action = 'document.withdrawn' ORDER BY seq")
expect_contains "$events" "Salah nomor surat" "audit: the signer's withdrawal and reason"
expect_contains "$events" "Dicabut atas permintaan unit" "audit: the administrator's"
expect_contains "$events" "5108010101900010" "audit: the administrator named"
lontar audit verify --data "$data" >/dev/null
pass
# The portal's withdraw form (on the page itself) needs the signer's session and CSRF token.
expect_eq 303 "$(status_of -X POST --data "reason=x" "$url/v/$summary/tarik")" "portal: anonymous is sent to log in"
by_portal=$(sign_as 5108010101900001 "$work/in.pdf" "$work/portal.pdf")
expect_contains "$(curl -s -b "$work/signer.jar" "$url/v/$by_portal")" 'data-testid="withdraw-form"' "portal: the signer is offered the form"
expect_not_contains "$(curl -s -b "$work/other.jar" "$url/v/$by_portal")" 'withdraw-form' "portal: another holder is not"
expect_not_contains "$(curl -s "$url/v/$by_portal")" 'withdraw-form' "portal: nor a stranger"
portal_withdraw() { # JAR CSRF REASON → status
  status_of -b "$1" --data-urlencode "csrf=$2" --data-urlencode "reason=$3" "$url/v/$by_portal/tarik"
}
expect_eq 403 "$(portal_withdraw "$work/other.jar" "$other_csrf" "bukan milik saya")" "portal: another holder may not"
expect_eq 403 "$(portal_withdraw "$work/signer.jar" "0000" "Salah kirim")" "portal: a wrong CSRF token is refused"
expect_eq 422 "$(portal_withdraw "$work/signer.jar" "$signer_csrf" "   ")" "portal: a reason is required"
expect_eq 303 "$(portal_withdraw "$work/signer.jar" "$signer_csrf" "Salah kirim")" "portal: the signer withdraws"
expect_contains "$(curl -s "$url/v/$by_portal")" "Salah kirim" "portal: the page says why"

# --- Documents in PostgreSQL, two servers: signed through one, shown by the other ---
kill "$server"
db="lontar_paper_$$"
psql "$LONTAR_TEST_PG_URL" -qc "CREATE DATABASE $db" >/dev/null
cleanup_hooks+=("psql '$LONTAR_TEST_PG_URL' -qc 'DROP DATABASE IF EXISTS $db WITH (FORCE)' >/dev/null")
reserve_port
data=$work/pgdata
lontar init --data "$data" --db "${LONTAR_TEST_PG_URL%/*}/$db" --public-url "http://127.0.0.1:$port" \
  --listen "127.0.0.1:$port" >/dev/null
sed -i 's/^store = "folder"/store = "database"/' "$data/lontar.toml"
add_account 5108010101900001 "Dr. I Made Rektor" applicant
add_account 5108010101900009 "Komang Verifikator" verifier
start_server --as-configured
first=$url
start_server
second=$url
url=$first
issue_esign 5108010101900001 5108010101900009 Frasa-Rahasia-2026 "$work/in.pdf"
holder_csrf=$(api_login 5108010101900001 "$work/pg-holder.jar")
letter=$(base64 -w0 "$work/in.pdf")
printf '{"pdf_base64":"%s","passphrase":"Frasa-Rahasia-2026","title":"Di PostgreSQL","visibility":"summary"}' "$letter" >"$work/sign.json"
curl -s -b "$work/pg-holder.jar" -H "Content-Type: application/json" -H "X-CSRF-Token: $holder_csrf" \
  --data @"$work/sign.json" -o "$work/sign.out" "$first/api/v1/documents/sign"
kept=$(sed -n 's/.*"code":"\([0-9A-Z]*\)".*/\1/p' "$work/sign.out")
[ ${#kept} -eq 20 ] || fail "eSign through the API gave no code: $(head -c 300 "$work/sign.out")"
python3 -c 'import base64,json,sys; open(sys.argv[2],"wb").write(base64.b64decode(json.load(open(sys.argv[1]))["pdf_base64"]))' \
  "$work/sign.out" "$work/pg.pdf"
url=$second
previews_ready "$kept"
api=$(curl -s "$second/api/v1/documents/$kept")
expect_contains "$api" '"title":"Di PostgreSQL"' "the other server: the title given to the API"
expect_contains "$api" '"visibility":"summary"' "the other server: the visibility given to the API"
expect_contains "$(curl -s "$second/v/$kept")" "/v/$kept/pages/1" "the other server: the page with its preview"
curl -s -b "$work/pg-holder.jar" "$second/v/$kept/pdf" -o "$work/pg-download.pdf"
expect_eq "$(sha256sum <"$work/pg.pdf")" "$(sha256sum <"$work/pg-download.pdf")" "the other server: the same file, to its signer"
expect_eq 200 "$(status_of "$second/v/$kept/pages/1")" "the other server: page 1 for anyone"
expect_eq 200 "$(status_of -b "$work/pg-holder.jar" "$second/v/$kept/pages/3")" "the other server: page 3 for the signer"
expect_eq 0 "$(find "$data" -path '*documents*' -type f | wc -l)" "nothing under the data folder"
expect_eq 4 "$(psql "${LONTAR_TEST_PG_URL%/*}/$db" -tAc "SELECT COUNT(*) FROM blobs WHERE id LIKE '$(sha256sum <"$work/pg.pdf" | cut -c1-64)%'")" \
  "in the database: the file and three previews"
done_checks
