#!/usr/bin/env bash
# Page previews are drawn in a child process under limits (documents.preview_seconds,
# preview_memory_mib): a registered document whose page costs poppler more than that
# is killed there and marked failed — its page says there is no preview and still
# offers the file — while the server keeps answering and other documents still get
# their previews; a stopping server kills a child still drawing instead of waiting.
source "$(dirname "$0")/lib.sh"
: "${MAKE_LETTER:?}"
tools=$(cd "$(dirname "$0")/../tools" && pwd)
init_at_own_port
issue_holder 5108010101900001 "Dr. I Made Rektor" applicant
sign() { # IN OUT → code
  lontar doc sign --data "$data" --in "$1" --out "$2" --key "$work/5108010101900001.key" --cert "$work/5108010101900001.pem" \
    --key-passphrase-file "$work/pw" | sed -n 's/.*verify at .*\/v\///p'
}
python3 "$tools/heavy_page.py" 600000 >"$work/heavy.pdf"
"$MAKE_LETTER" "Surat Biasa" 2 >"$work/plain.pdf"
heavy=$(sign "$work/heavy.pdf" "$work/heavy-signed.pdf")
sleep 1  # previews are drawn oldest first: the heavy one is the child a stopping server finds
plain=$(sign "$work/plain.pdf" "$work/plain-signed.pdf")
[ ${#heavy} -eq 20 ] && [ ${#plain} -eq 20 ] || fail "signing gave no codes: [$heavy] [$plain]"
# A stopping server kills a child still drawing rather than waiting out its limit.
start_server --as-configured
for _ in $(seq 1 100); do pgrep -P "$server" -f render-previews >/dev/null && break; sleep 0.1; done
pgrep -P "$server" -f render-previews >/dev/null || fail "no preview child started"
kill -TERM "$server"
for _ in $(seq 1 100); do kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
kill -0 "$server" 2>/dev/null && fail "the server still waits for its preview child 10 s after SIGTERM"
pass
expect_eq 0 "$(sqlite3 "$data/lontar.db" "SELECT previews FROM documents WHERE id = '$heavy'")" \
  "the interrupted document is left for later, not marked failed"

sed -i "s/^preview_seconds = .*/preview_seconds = 5/" "$data/lontar.toml"
start_server --as-configured

state() { curl -s "$url/api/v1/documents/$1" | sed -n 's/.*"previews_state":"\([a-z]*\)".*/\1/p'; }
deadline=$((SECONDS + 60))
until [ "$(state "$heavy")" = failed ] && [ "$(state "$plain")" = ready ]; do
  [ $SECONDS -lt $deadline ] || fail "heavy: $(state "$heavy"), plain: $(state "$plain")"
  sleep 0.2
done
pass
kill -0 "$server" || fail "the server died with its renderer"
expect_eq 200 "$(curl -s -o /dev/null -w '%{http_code}' "$url/healthz")" "the server answers"
page=$(curl -s "$url/v/$heavy")
expect_contains "$page" "tidak memiliki pratinjau" "the heavy document's page says there is no preview"
expect_contains "$page" "/v/$heavy/pdf" "and still offers the file"
expect_eq 404 "$(curl -s -o /dev/null -w '%{http_code}' "$url/v/$heavy/pages/1")" "no preview image"
expect_eq 200 "$(curl -s -o /dev/null -w '%{http_code}' "$url/v/$plain/pages/2")" "the other document has its previews"
expect_contains "$(cat "$work/serve.err")" '"job":"previews"' "the failure is logged"
done_checks
