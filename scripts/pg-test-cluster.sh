#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster owned by the test run, on a private socket
# folder and a loopback port, and prints the connection URI. Stop it with
#   scripts/pg-test-cluster.sh stop DIR
# PostgreSQL refuses to run as root, so as root the cluster runs as 'postgres'.
# LONTAR_PG_OPTIONS adds server options (the scale bench's bulk fill: a larger
# shared_buffers and max_wal_size, full_page_writes=off on this fsync=off cluster).
set -euo pipefail
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-start}" in
  start)
    dir=$(mktemp -d /tmp/lontar-pg.XXXXXX)
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
    as_owner "$pgbin/initdb" -D "$dir/data" -A trust -U postgres --no-sync >"$dir/initdb.log" 2>&1 || {
      echo "pg-test-cluster: initdb failed:" >&2
      tail -5 "$dir/initdb.log" >&2
      exit 1
    }
    for attempt in 1 2 3 4 5 6 7 8; do
      port=$((20000 + RANDOM % 30000))
      if as_owner "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
          -o "-k $dir -p $port -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200 ${LONTAR_PG_OPTIONS:-}" start >/dev/null; then
        as_owner "$pgbin/createdb" -h 127.0.0.1 -p "$port" -U postgres lontar_test
        echo "LONTAR_TEST_PG_DIR=$dir"
        echo "LONTAR_TEST_PG_URL=postgresql://postgres@127.0.0.1:$port/lontar_test"
        exit 0
      fi
    done
    echo "pg-test-cluster: could not start PostgreSQL; see $dir/server.log" >&2
    exit 1
    ;;
  stop)
    dir=$2
    as_owner "$pgbin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
esac
