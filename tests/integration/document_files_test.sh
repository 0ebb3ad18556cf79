#!/usr/bin/env bash
# The registered document is kept whole (issue 14, first step): signing keeps the
# signed PDF under the data folder by its SHA-256 (mode 0600) before registering it,
# and the code printed on the paper gives back exactly that file — from the
# verification page and the API — which pdfsig finds signed and intact. An unknown or
# malformed code gets nothing.
source "$(dirname "$0")/lib.sh"
: "${MAKE_LETTER:?}"
init_at_own_port
issue_holder 5108010101900001 "Dr. I Made Rektor" applicant
"$MAKE_LETTER" "Surat Keputusan" 2 >"$work/in.pdf"
start_server --as-configured
url_of=$(lontar doc sign --data "$data" --in "$work/in.pdf" --out "$work/signed.pdf" --key "$work/5108010101900001.key" --cert "$work/5108010101900001.pem" \
  --key-passphrase-file "$work/pw" | sed -n 's/.*verify at //p')
code=${url_of##*/}
[ ${#code} -ge 20 ] || fail "no verification code in [$url_of]"
sha=$(sha256sum "$work/signed.pdf" | cut -d' ' -f1)
kept="$data/documents/${sha:0:2}/$sha.pdf"
[ -f "$kept" ] || fail "the signed document is not kept at $kept"
expect_eq 600 "$(stat -c %a "$kept")" "kept readable by the service only"
expect_eq "$sha" "$(sha256sum "$kept" | cut -d' ' -f1)" "kept byte for byte"

page=$(curl -s "$url/v/$code")
expect_contains "$page" "/v/$code/pdf" "the verification page offers the registered file"
curl -s -D "$work/h" "$url/v/$code/pdf" -o "$work/from-page.pdf"
expect_eq "$sha" "$(sha256sum "$work/from-page.pdf" | cut -d' ' -f1)" "the page's download is the registered file"
expect_contains "$(tr -d '\r' <"$work/h")" "X-Robots-Tag: noindex" "not for search engines"
expect_contains "$(tr -d '\r' <"$work/h")" "Content-Disposition: attachment" "a download, not rendered here"
curl -s "$url/api/v1/documents/$code/pdf" -o "$work/from-api.pdf"
expect_eq "$sha" "$(sha256sum "$work/from-api.pdf" | cut -d' ' -f1)" "the API's download is the registered file"
expect_contains "$(pdfsig "$work/from-page.pdf" 2>&1)" "Signature Validation: Signature is Valid." "pdfsig: signed and intact"
expect_eq 404 "$(curl -s -o /dev/null -w '%{http_code}' "$url/v/ABCDEFGHJKMNPQRSTVWX/pdf")" "an unknown code"
expect_eq 404 "$(curl -s -o /dev/null -w '%{http_code}' "$url/v/..%2F..%2Flontar.toml/pdf")" "a path instead of a code"
done_checks
