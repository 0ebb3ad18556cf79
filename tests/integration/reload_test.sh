#!/usr/bin/env bash
# SIGHUP (systemctl reload) applies what can change while serving: the log level (the
# access log stops at "warn") and the public checks' budget (a lower per-address limit
# answers 429 at once); an invalid file is reported and the running settings stay;
# the server keeps its connections and its answers through every reload.
source "$(dirname "$0")/lib.sh"
: "${MAKE_LETTER:?}"
make_instance
start_server
"$MAKE_LETTER" "Surat" 1 >"$work/letter.pdf"
verify() { curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/pdf' --data-binary "@$work/letter.pdf" "$url/api/v1/verify"; }
logged() { grep -c '"route":"/healthz"' "$work/serve.err" || true; }
# The line of the reload, awaited: the signal is handled on the server's own thread.
await_log() { # text
  local deadline=$((SECONDS + 10))
  until grep -q "$1" "$work/serve.err"; do
    [ $SECONDS -lt $deadline ] || fail "the server never logged [$1]: $(tail -3 "$work/serve.err")"
    sleep 0.1
  done
  pass
}

curl -sf "$url/healthz" >/dev/null
before=$(logged)
[ "$before" -ge 1 ] || fail "no access log at info"
pass
for _ in 1 2 3; do expect_eq 200 "$(verify)" "checks within the budget"; done

sed -i 's/^log_level = "info"/log_level = "warn"/; s/^per_address_per_minute = 60/per_address_per_minute = 3/' "$data/lontar.toml"
kill -HUP "$server"
await_log "configuration reloaded: log_level=warn"
curl -sf "$url/healthz" >/dev/null
expect_eq "$before" "$(logged)" "no access log after the reload to warn"
expect_eq 429 "$(verify)" "the lower budget holds at once"
kill -0 "$server" || fail "the server died on SIGHUP"
pass

cp "$data/lontar.toml" "$work/good.toml"
sed -i 's/^log_level = "warn"/log_level = "loud"/' "$data/lontar.toml"
kill -HUP "$server"
await_log "configuration not reloaded"
expect_eq 200 "$(curl -s -o /dev/null -w '%{http_code}' "$url/healthz")" "still serving after an invalid file"
expect_eq "$before" "$(logged)" "the running level stayed"

cp "$work/good.toml" "$data/lontar.toml"
sed -i 's/^log_level = "warn"/log_level = "info"/' "$data/lontar.toml"
kill -HUP "$server"
await_log "configuration reloaded: log_level=info"
curl -sf "$url/healthz" >/dev/null
expect_eq $((before + 1)) "$(logged)" "the access log is back at info"
done_checks
