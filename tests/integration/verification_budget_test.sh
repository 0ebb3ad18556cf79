#!/usr/bin/env bash
# The public document checks share one budget per client address: with
# [verification] per_address_per_minute = 3, the fourth check within the minute — on
# the API or the page — gets 429 with Retry-After, and nothing is parsed for it.
source "$(dirname "$0")/lib.sh"
: "${MAKE_LETTER:?}"
make_instance
sed -i 's/^per_address_per_minute = .*/per_address_per_minute = 3/' "$data/lontar.toml"
"$MAKE_LETTER" >"$work/letter.pdf"
start_server
verify() { curl -s -o "$work/out" -D "$work/headers" -w '%{http_code}' -H 'Content-Type: application/pdf' --data-binary "@$work/letter.pdf" "$url/api/v1/verify"; }
expect_eq "200 200 200" "$(verify) $(verify) $(verify)" "three checks within the budget"
expect_eq 429 "$(verify)" "the fourth is refused"
expect_contains "$(cat "$work/headers")" "Retry-After: 60" "told when to come back"
expect_contains "$(cat "$work/out")" "too_many_verifications" "named"
page=$(curl -s -o "$work/page.html" -w '%{http_code}' -F "document=@$work/letter.pdf;type=application/pdf" "$url/verifikasi-dokumen?lang=en")
expect_eq 429 "$page" "the page shares the budget"
expect_contains "$(cat "$work/page.html")" "try again in a minute" "the page says why"
expect_eq 400 "$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H 'Content-Type: application/pdf' --data-binary "@$work/letter.pdf" "$url/api/v1/documents/not-a-code")" "a malformed registration is refused before it costs a check"
done_checks
