#!/usr/bin/env bash
# `lontar serve` prints its URL once ready, answers /healthz and serves the CA
# certificates; bad requests get clear errors and the server keeps serving.
source "$(dirname "$0")/lib.sh"
make_instance
"$LONTAR_BIN" serve --data "$data" --listen 127.0.0.1:0 >"$work/serve.out" 2>"$work/serve.err" &
server=$!
stop_at_exit "$server"
for _ in $(seq 1 100); do
  grep -q "listening on" "$work/serve.out" 2>/dev/null && break
  sleep 0.1
done
url=$(sed -n 's/^listening on //p' "$work/serve.out")
[[ "$url" == http://127.0.0.1:* ]] || fail "no 'listening on URL' line: $(cat "$work/serve.out" "$work/serve.err")"
pass

health=$(curl -s -D "$work/headers" "$url/healthz")
expect_contains "$health" '"status":"ok"' "healthz body"
headers=$(cat "$work/headers")
expect_contains "$headers" "HTTP/1.1 200" "healthz status"
expect_contains "$headers" "X-Content-Type-Options: nosniff" "nosniff"
expect_contains "$headers" "frame-ancestors 'none'" "CSP frame-ancestors"

curl -s "$url/ca/issuing.crt" -o "$work/issuing.der"
expect_eq "$(openssl x509 -in "$data/ca/issuing.crt" -outform DER | sha256sum)" "$(sha256sum <"$work/issuing.der")" "issuing CA served as DER"
expect_eq "$(cat "$data/ca/chain.pem")" "$(curl -s "$url/ca/chain.pem")" "chain served"

expect_eq 404 "$(curl -s -o /dev/null -w '%{http_code}' "$url/no/such/page")" "unknown path"
expect_eq 405 "$(curl -s -o /dev/null -w '%{http_code}' -X DELETE "$url/healthz")" "wrong method"
# Garbage instead of HTTP, then an oversized header: clear errors, server still up.
printf 'NOT HTTP AT ALL\r\n\r\n' | timeout 5 bash -c "exec 3<>/dev/tcp/127.0.0.1/${url##*:}; cat >&3; cat <&3" >"$work/garbage" || true
expect_contains "$(cat "$work/garbage")" "400" "garbage gets 400"
expect_eq 431 "$(curl -s -o /dev/null -w '%{http_code}' -H "X-Big: $(head -c 20000 /dev/zero | tr '\0' a)" "$url/healthz")" "oversized header"
expect_eq 200 "$(curl -s -o /dev/null -w '%{http_code}' "$url/healthz")" "still serving"

# The access log is structured and holds no query strings.
curl -s "$url/healthz?token=SECRET-TOKEN-123" >/dev/null
sleep 0.2
expect_contains "$(cat "$work/serve.err")" '"route":"/healthz","status":200' "access log"
expect_not_contains "$(cat "$work/serve.err")" "SECRET-TOKEN-123" "no query string in the log"

# Plain HTTP is refused off loopback unless a TLS proxy is declared.
expect_failure 1 "Refusing to serve plain HTTP on 0.0.0.0" lontar serve --data "$data" --listen 0.0.0.0:0

# SIGTERM: the server stops accepting, lets open connections finish, and exits 0
# within the drain timeout even while an idle client holds a connection.
exec 3<>"/dev/tcp/127.0.0.1/${url##*:}"
started=$SECONDS
kill -TERM "$server"
status=0
wait "$server" || status=$?
exec 3>&-
expect_eq 0 "$status" "exit status after SIGTERM"
[ $((SECONDS - started)) -le 8 ] || fail "the server took $((SECONDS - started)) s to stop"
pass
expect_eq 000 "$(curl -s -o /dev/null -w '%{http_code}' "$url/healthz")" "no longer listening"

# Without open connections it stops at once.
"$LONTAR_BIN" serve --data "$data" --listen 127.0.0.1:0 >"$work/serve2.out" 2>/dev/null &
second=$!
for _ in $(seq 1 100); do grep -q "listening on" "$work/serve2.out" 2>/dev/null && break; sleep 0.1; done
curl -s "$(sed -n 's/^listening on //p' "$work/serve2.out")/healthz" >/dev/null
started=$SECONDS
kill -TERM "$second"
wait "$second" || fail "exit status after SIGTERM"
[ $((SECONDS - started)) -le 2 ] || fail "an idle server took $((SECONDS - started)) s to stop"
pass
done_checks
