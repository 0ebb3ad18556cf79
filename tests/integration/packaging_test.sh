#!/usr/bin/env bash
# The Debian package (scripts/package.sh, run by scripts/test.sh before ctest): lintian
# reports no error; `dpkg -i` installs a `lontar` that answers --version, the system
# user and the unit; `systemd-analyze verify` accepts the unit and `systemd-analyze
# security` rates its hardening; the installed binary initialises a data folder and
# serves it as the unprivileged user; `dpkg --purge` removes it again.
source "$(dirname "$0")/lib.sh"
: "${LONTAR_SOURCE:?}" "${LONTAR_VERSION:?}"
deb=$LONTAR_SOURCE/build/package/lontar_${LONTAR_VERSION}_amd64.deb
[ -f "$deb" ] || fail "no package at $deb: run scripts/package.sh (scripts/test.sh does)"
[ "$(id -u)" -eq 0 ] || fail "installing a package needs root"

report=$(lintian --tag-display-limit 0 "$deb" 2>&1) || fail "lintian failed: $report"
expect_not_contains "$report" "E: " "lintian reports no error"
echo "lintian: ${report:-clean}"
expect_eq "lontar" "$(dpkg-deb -f "$deb" Package)" "package name"
expect_contains "$(dpkg-deb -f "$deb" Depends)" "libssl3" "shared-library dependencies computed"
for path in ./usr/bin/lontar ./usr/bin/lontar-lock ./lib/systemd/system/lontar.service ./usr/share/man/man1/lontar.1.gz \
  ./usr/share/doc/lontar/copyright ./usr/share/doc/lontar/changelog.gz ./usr/share/doc/lontar/examples/lontar.toml; do
  expect_contains "$(dpkg-deb -c "$deb")" "$path" "the package holds $path"
done

dpkg -i "$deb" >"$work/dpkg.out" 2>&1 || fail "dpkg -i failed: $(cat "$work/dpkg.out")"
cleanup_hooks+=("dpkg --purge lontar >/dev/null 2>&1")
expect_eq "lontar $LONTAR_VERSION" "$(/usr/bin/lontar --version)" "the installed lontar answers --version"
expect_contains "$(/usr/bin/lontar-lock --help 2>&1)" "lontar-lock" "the installed lontar-lock runs"
id lontar >/dev/null || fail "the package did not create the lontar user"
pass
expect_contains "$(getent passwd lontar)" "/var/lib/lontar" "the user's home is the state directory"
out=$(systemd-analyze verify /lib/systemd/system/lontar.service 2>&1) || fail "systemd-analyze verify: $out"
pass
security=$(systemd-analyze security --offline=true /lib/systemd/system/lontar.service 2>&1 | tail -1)
echo "$security"
exposure=$(printf '%s\n' "$security" | sed -n 's/.*lontar.service: \([0-9.]*\).*/\1/p')
awk 'BEGIN { exit !(ARGV[1] != "" && ARGV[1] <= 2.0) }' "$exposure" || fail "hardening exposure $exposure (at most 2.0 wanted)"
pass
expect_contains "$(man -w lontar 2>&1)" "lontar.1.gz" "man lontar finds its page"

# The installed (Release) binary, as the service would run it: the lontar user.
state=$(mktemp -d /tmp/lontar-pkg.XXXXXX)
cleanup_hooks+=("rm -rf '$state'")
chown lontar:lontar "$state"
reserve_port
runuser -u lontar -- /usr/bin/lontar init --data "$state/data" --listen "127.0.0.1:$port" \
  --public-url "http://127.0.0.1:$port" >/dev/null
expect_eq lontar "$(stat -c %U "$state/data/lontar.db")" "the data folder belongs to lontar"
# The example configuration is what init writes (but for the address options given here).
drop_addresses() { grep -v -e '^listen = ' -e '^public_url = ' "$1"; }
expect_eq "$(drop_addresses "$state/data/lontar.toml")" "$(drop_addresses /usr/share/doc/lontar/examples/lontar.toml)" \
  "the packaged example configuration is init's"
runuser -u lontar -- /usr/bin/lontar serve --data "$state/data" >"$work/pkg-serve.out" 2>"$work/pkg-serve.err" &
pkg_server=$!
stop_at_exit "$pkg_server"
for _ in $(seq 1 100); do grep -q "listening on" "$work/pkg-serve.out" 2>/dev/null && break; sleep 0.1; done
expect_contains "$(curl -s "http://127.0.0.1:$port/healthz")" '"status":"ok"' "the installed server answers as lontar"
serving=$(pgrep -u lontar -f "lontar serve --data $state/data")
expect_eq lontar "$(ps -o user= -p "$serving" | tr -d ' ')" "the server runs as lontar"
kill -TERM "$serving"
status=0
wait "$pkg_server" || status=$?
expect_eq 0 "$status" "the installed server stops cleanly on SIGTERM"
pass

dpkg --purge lontar >"$work/purge.out" 2>&1 || fail "dpkg --purge: $(cat "$work/purge.out")"
[ ! -e /usr/bin/lontar ] && [ ! -e /lib/systemd/system/lontar.service ] || fail "purge left files behind"
pass
done_checks
