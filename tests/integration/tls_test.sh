#!/usr/bin/env bash
# `lontar serve --tls` speaks HTTPS with the certificate from `lontar init`: curl and
# openssl s_client verify it against the root CA, HSTS is sent, session cookies are
# Secure, and plain HTTP off loopback is refused unless asked for.
source "$(dirname "$0")/lib.sh"
make_instance
start_server --tls
[[ "$url" == https://127.0.0.1:* ]] || fail "no https URL: $(cat "$work/serve.out" "$work/serve.err")"
pass
port=${url##*:}

expect_contains "$(curl -s --cacert "$data/ca/root.crt" "$url/healthz")" '"status":"ok"' "HTTPS verified by curl"
headers=$(curl -s -D - -o /dev/null --cacert "$data/ca/root.crt" "$url/login")
expect_contains "$headers" "Strict-Transport-Security: max-age=" "HSTS"
expect_contains "$headers" "HttpOnly; SameSite=Strict; Secure" "Secure cookie under TLS"
expect_eq 60 "$(curl -s -o /dev/null -w '%{exitcode}' "$url/healthz")" "an untrusting client refuses the certificate"
chain=$(openssl s_client -connect "127.0.0.1:$port" -servername localhost -CAfile "$data/ca/root.crt" </dev/null 2>&1)
expect_contains "$chain" "Verify return code: 0 (ok)" "openssl s_client verifies the chain"
expect_contains "$(openssl s_client -connect "127.0.0.1:$port" -tls1_1 </dev/null 2>&1 || true)" "alert" "TLS 1.1 refused"
# Plain HTTP to the TLS port gets nothing useful, and the server stays up.
curl -s -m 3 "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 || true
expect_contains "$(curl -s --cacert "$data/ca/root.crt" "$url/healthz")" '"status":"ok"' "still serving"
done_checks
