#!/usr/bin/env bash
# National scale: the same operations at a small and a large fill (default 10 thousand
# and 10 million certificates; a tenth revoked, a tenth as many documents, 500 requests
# waiting), on SQLite and on PostgreSQL. Lookups (OCSP, My Certificates, the verifier
# queue, helpdesk search by NIK and by part of a name, a document's public page) are
# wrk p99s over random samples of the fill; CRL generation, `lontar audit verify`,
# backup and restore are timed and their rates reported (each only where the disk holds
# its copies: "no-disk" otherwise). The small fill is the
# baseline: an OCSP or portal p99 at the large one above twice its small value fails.
#   scale_bench.sh LONTAR SCALE_FILL
# Environment: SCALE_SIZES ("10000 10000000"), SCALE_ENGINES ("postgresql sqlite": the
# order of the measurements; each folder is removed once measured, to bound the disk),
# SCALE_PG_URL (a server whose user may create databases; needed for postgresql;
# LONTAR_TEST_PG_URL otherwise),
# SCALE_SECONDS (wrk seconds per lookup, 10), SCALE_WARMUP (unmeasured seconds before
# each, 5), SCALE_CONNECTIONS (16), SCALE_WRK_TIMEOUT
# (2s), SCALE_START_SECONDS (how long a server may take to start, 1800), SCALE_ENFORCE
# (1: a lookup above 2x fails).
set -euo pipefail
lontar=$1
fill=$2
read -r -a sizes <<<"${SCALE_SIZES:-10000 10000000}"
read -r -a engines <<<"${SCALE_ENGINES:-postgresql sqlite}"
seconds=${SCALE_SECONDS:-10}
warmup=${SCALE_WARMUP:-5}
connections=${SCALE_CONNECTIONS:-16}
wrk_timeout=${SCALE_WRK_TIMEOUT:-2s}  # an answer slower than this is an error
start_limit=${SCALE_START_SECONDS:-1800}
SCALE_PG_URL=${SCALE_PG_URL:-${LONTAR_TEST_PG_URL:-}}
enforce=${SCALE_ENFORCE:-1}
work=$(mktemp -d "${SCALE_WORK:-/tmp}/lontar-scale.XXXXXX")
server=
databases=()
fills=()
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  for db in "${databases[@]}"; do psql "$SCALE_PG_URL" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1; done
  rm -rf "$work"
}
trap cleanup EXIT
printf 'Bench-password-2026\n' >"$work/pw"
printf 'scale-bench-backup-passphrase\n' >"$work/backup-pw"
declare -A result

timed() { # label command... → seconds (and the peak resident KiB in $work/peak)
  local label=$1
  shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/timed.out" 2>"$work/timed.err" ||
    { echo "scale_bench: $label failed: $(tail -3 "$work/timed.err")" >&2; exit 1; }
  read -r s kb <"$work/time"
  echo "$kb" >"$work/peak"
  echo "$s"
}

# People who log in (their own certificates among the millions), a verifier and a helpdesk.
add_people() {
  local data=$1 nik
  for i in $(seq 1 16); do
    nik=$(printf '51080101019%05d' "$i")
    "$lontar" user add --data "$data" --nik "$nik" --name "Pegawai Uji $i" --email "p$i@undiksha.ac.id" \
      --password-file "$work/pw" --no-forced-change >/dev/null
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout /dev/null -subj /CN=x \
      -out "$data.csr" 2>/dev/null
    "$lontar" cert issue --data "$data" --nik "$nik" --product individual-1y --csr "$data.csr" --out "$data.pem" >/dev/null
  done
  "$lontar" user add --data "$data" --nik 5108010101800001 --name "Verifikator" --email v@undiksha.ac.id \
    --role verifier --password-file "$work/pw" --no-forced-change >/dev/null
  "$lontar" user add --data "$data" --nik 5108010101800002 --name "Helpdesk" --email h@undiksha.ac.id \
    --role helpdesk --password-file "$work/pw" --no-forced-change >/dev/null
}

login() { # url nik → the session cookie
  curl -s -c "$work/jar" "$1/login" -o "$work/form.html"
  local csrf
  csrf=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$work/form.html" | sed 's/.*value="//; s/"$//')
  curl -s -c "$work/jar" -b "$work/jar" -o /dev/null --data "csrf=$csrf&nik=$2&password=Bench-password-2026" "$1/login"
  echo "lontar_session=$(awk '$6 == "lontar_session" {print $7}' "$work/jar")"
}

# A wrk script asking for a random one of the paths in a file, with one of the cookies.
paths_script() { # paths-file cookies-file → lua file
  local lua=$work/$(basename "$1").lua
  cat >"$lua" <<LUA
local paths, cookies = {}, {}
for line in io.lines("$1") do paths[#paths + 1] = line end
for line in io.lines("$2") do cookies[#cookies + 1] = line end
request = function()
  return wrk.format("GET", paths[math.random(#paths)], {Cookie = cookies[math.random(#cookies)]})
end
LUA
  echo "$lua"
}

# OCSP requests with a nonce (signed afresh, never from a cache) for random serials.
ocsp_script() { # data samples → lua file
  local base
  base=$(head -1 "$2/serials.txt")
  openssl ocsp -issuer "$1/ca/issuing.crt" -serial "0x$base" -reqout "$work/ocsp-template.der" >/dev/null 2>&1
  cat "$2/serials.txt" "$2/revoked.txt" >"$work/ocsp-serials.txt"
  cat >"$work/ocsp.lua" <<LUA
local f = assert(io.open("$work/ocsp-template.der", "rb"))
local template = f:read("*all")
f:close()
local function unhex(h) return (h:gsub("..", function(b) return string.char(tonumber(b, 16)) end)) end
local at = assert(template:find(unhex("$base"), 1, true))
local before, after = template:sub(1, at - 1), template:sub(at + 20)
local bodies = {}
for line in io.lines("$work/ocsp-serials.txt") do bodies[#bodies + 1] = before .. unhex(line) .. after end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/ocsp-request"
request = function() return wrk.format(nil, nil, nil, bodies[math.random(#bodies)]) end
LUA
  echo "$work/ocsp.lua"
}

# wrk's p99 in ms after an unmeasured warm-up of the same requests (a server's caches are
# warm in service; right after a fill of millions they are not). A non-2xx answer or a
# socket error is written to $work/errors and fails the run at its end, after the table,
# so one slow lookup does not lose hours of fill.
p99_ms() { # url lua label → p99 in ms
  local out p99
  wrk -t2 -c"$connections" -d"${warmup}s" --timeout 10s -s "$2" "$1" >/dev/null 2>&1 || true
  out=$(wrk -t2 -c"$connections" -d"${seconds}s" --timeout "$wrk_timeout" --latency -s "$2" "$1")
  if printf '%s\n' "$out" | grep -qE "Non-2xx|Socket errors"; then
    echo "$3: $(printf '%s\n' "$out" | grep -E 'Non-2xx|Socket errors' | tr -s ' ' | tr '\n' ' ')" >>"$work/errors"
  fi
  p99=$(printf '%s\n' "$out" | awk '$1 == "99%" {print $2}')
  awk -v v="$p99" 'BEGIN { if (v ~ /us$/) printf "%.2f", v / 1000; else if (v ~ /ms$/) printf "%.2f", v + 0;
                           else printf "%.2f", v * 1000 }'
}

# Waits until the server has finished its start-up work (CRL, caches): CPU time stops moving.
settle() {
  local last=-1 now
  for _ in $(seq 1 240); do
    now=$(awk '{print $14 + $15}' "/proc/$server/stat")
    [ "$now" = "$last" ] && return
    last=$now
    sleep 0.5
  done
}

lookups() { # engine size data samples
  local key="$1 $2" data=$3 samples=$4 url
  sed -i 's/^max_connections_per_address = .*/max_connections_per_address = 256/' "$data/lontar.toml"
  "$lontar" serve --data "$data" --listen 127.0.0.1:0 >"$work/serve.out" 2>"$work/serve.err" &
  server=$!
  # Its start-up (the first CRL from every revoked row, the caches) grows with the
  # table: it is measured, and waited for up to SCALE_START_SECONDS, so that a slow start
  # is a figure in the table and not the loss of hours of fill.
  local started=$SECONDS
  while ! grep -q "listening on" "$work/serve.out" && [ $((SECONDS - started)) -lt "$start_limit" ] &&
    kill -0 "$server" 2>/dev/null; do sleep 0.1; done
  url=$(sed -n 's/^listening on //p' "$work/serve.out")
  if [ -z "$url" ]; then
    # How it ended says who stopped it: an exit status of its own, or a signal (128+N).
    local ended=running
    if ! kill -0 "$server" 2>/dev/null; then
      ended=0
      wait "$server" 2>/dev/null || ended=$?
      ended="exit status $ended"
    fi
    echo "$key: the server did not start in ${start_limit} s ($ended): $(tail -3 "$work/serve.err" | tr '\n' ' ')" >>"$work/errors"
    kill "$server" 2>/dev/null
    wait "$server" 2>/dev/null || true
    server=
    for op in ocsp mine nik name word document queue rss start; do result["$key $op"]="-"; done
    return
  fi
  settle
  result["$key start"]=$((SECONDS - started))
  : >"$work/holders"
  for i in $(seq 1 16); do login "$url" "$(printf '51080101019%05d' "$i")" >>"$work/holders"; done
  login "$url" 5108010101800001 >"$work/verifier"
  login "$url" 5108010101800002 >"$work/helpdesk"
  echo /sertifikat >"$work/mine"
  echo /verifikasi >"$work/queue"
  sed 's|^|/helpdesk?q=|' "$samples/niks.txt" >"$work/by-nik"
  # A part of a name is compared on pages of one size: the fill's common name words
  # (birth-order names, a tenth of the people each) fill the 50-row page at every size.
  # A sampled person's own word matches a few people among thousands and a full page
  # among millions, and a page of 50 costs about twice one of a few rows (measured on
  # one 10k folder): that row is reported, not held to the ratio.
  printf '/helpdesk?q=%s\n' made luh gede komang wayan kadek putu nyoman ketut nengah dewa ayu >"$work/by-name"
  sed 's|^|/helpdesk?q=|' "$samples/names.txt" >"$work/by-word"
  sed 's|^|/v/|' "$samples/documents.txt" >"$work/documents"
  result["$key ocsp"]=$(p99_ms "$url/ocsp" "$(ocsp_script "$data" "$samples")" "$key ocsp")
  result["$key mine"]=$(p99_ms "$url" "$(paths_script "$work/mine" "$work/holders")" "$key mine")
  result["$key nik"]=$(p99_ms "$url" "$(paths_script "$work/by-nik" "$work/helpdesk")" "$key nik")
  result["$key name"]=$(p99_ms "$url" "$(paths_script "$work/by-name" "$work/helpdesk")" "$key name")
  result["$key word"]=$(p99_ms "$url" "$(paths_script "$work/by-word" "$work/helpdesk")" "$key word")
  result["$key document"]=$(p99_ms "$url" "$(paths_script "$work/documents" "$work/holders")" "$key document")
  result["$key queue"]=$(p99_ms "$url" "$(paths_script "$work/queue" "$work/verifier")" "$key queue")
  result["$key rss"]=$(awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$server/status")
  kill "$server"
  wait "$server" 2>/dev/null || true
  server=
}

free_mib() { df -Pm "$work" | awk 'NR == 2 {print $4}'; }

linear() { # engine size data
  local key="$1 $2" data=$3 s
  s=$(timed crl "$lontar" crl generate --data "$data" --out "$work/bench.crl")
  result["$key crl"]=$s
  s=$(timed audit "$lontar" audit verify --data "$data")
  result["$key audit"]=$s
  rm -f "$work/backup.lbk"
  # A SQLite backup holds a snapshot beside its archive, the snapshot compressed (taken
  # here as a third of the database at most: 10M made an eighth); a PostgreSQL one a
  # compressed dump beside its archive.
  local need=$((${result["$key size"]} * 4 / 3 + 2048))
  [ "$1" = postgresql ] && need=$((${result["$key size"]} + 2048))
  if [ "$(free_mib)" -lt "$need" ]; then
    result["$key backup"]="no-disk"
    result["$key backup_mb"]=0
    return
  fi
  s=$(timed backup "$lontar" backup --data "$data" --out "$work/backup.lbk" --passphrase-file "$work/backup-pw")
  result["$key backup"]=$s
  result["$key backup_mb"]=$(du -m "$work/backup.lbk" | cut -f1)
}

# Restores the backup linear() took, once the measured folder is gone (one copy on disk).
restored() { # engine size
  local key="$1 $2" s
  if [ ! -f "$work/backup.lbk" ] || [ "$(free_mib)" -lt $((${result["$key size"]} * 12 / 10 + 1024)) ]; then
    result["$key restore"]="no-disk"
  elif [ "$1" = sqlite ]; then
    s=$(timed restore "$lontar" restore --in "$work/backup.lbk" --data "$work/restored" --passphrase-file "$work/backup-pw")
    result["$key restore"]=$s
  else
    local target="lontar_scale_$$_${2}_restored"
    databases+=("$target")
    psql "$SCALE_PG_URL" -qc "CREATE DATABASE $target" >/dev/null
    s=$(timed restore "$lontar" restore --in "$work/backup.lbk" --data "$work/restored" \
      --passphrase-file "$work/backup-pw" --db "$(database_url "${2}_restored")")
    result["$key restore"]=$s
    psql "$SCALE_PG_URL" -qc "DROP DATABASE IF EXISTS $target WITH (FORCE)" >/dev/null
  fi
  rm -rf "$work/restored" "$work/backup.lbk"
}

database_url() { echo "${SCALE_PG_URL%/*}/lontar_scale_$$_$1"; }

# One data folder filled; its fill time and size go to $work/prepared-ENGINE-N.
prepare() { # engine size
  local data=$work/data-$1-$2 samples=$work/samples-$1-$2 db seconds size
  if [ "$1" = postgresql ]; then
    db="lontar_scale_$$_$2"
    psql "$SCALE_PG_URL" -qc "CREATE DATABASE $db" >/dev/null
    "$lontar" init --data "$data" --db "$(database_url "$2")" >/dev/null
  else
    "$lontar" init --data "$data" >/dev/null
  fi
  add_people "$data"
  # The loader may keep the page cache a bulk insert into millions of index rows wants;
  # the server is then measured with the default bound, as it runs in service.
  local bound
  bound=$(grep '^sqlite_memory_mib = ' "$data/lontar.toml")
  sed -i 's/^sqlite_memory_mib = .*/sqlite_memory_mib = 2048/' "$data/lontar.toml"
  "$fill" --data "$data" --certificates "$2" --revoked $(($2 / 10)) --documents $(($2 / 10)) --waiting 500 \
    --samples "$samples" >"$data.fill" 2>"$data.fill-err" || { echo "scale_bench: fill failed: $(tail -2 "$data.fill-err")" >&2; exit 1; }
  sed -i "s/^sqlite_memory_mib = .*/$bound/" "$data/lontar.toml"
  seconds=$(sed -n 's/.* in \([0-9.]*\) s$/\1/p' "$data.fill")
  # What a DBA runs after a bulk load (autovacuum would, later): statistics for the
  # planner and the visibility map that lets the CRL's covering index answer alone.
  local vacuum=-
  [ "$1" = postgresql ] && vacuum=$(timed vacuum psql "$(database_url "$2")" -qc "VACUUM (ANALYZE)")
  if [ "$1" = sqlite ]; then
    size=$(du -m "$data/lontar.db" | cut -f1)
  else
    size=$(psql "$(database_url "$2")" -Atc "SELECT pg_database_size(current_database()) / 1048576")
  fi
  echo "$seconds $size $vacuum" >"$work/prepared-$1-$2"
  echo "filled $1 with $2 certificates in $seconds s ($size MiB)" >&2
}

# The fills of the two engines run side by side (each is mostly one core); the
# measurements then run one at a time on a quiet machine.
[[ " ${engines[*]} " != *" postgresql "* ]] || [ -n "${SCALE_PG_URL:-}" ] ||
  { echo "scale_bench: SCALE_PG_URL is not set" >&2; exit 1; }
for engine in "${engines[@]}"; do
  [ "$engine" = postgresql ] && for n in "${sizes[@]}"; do databases+=("lontar_scale_$$_$n"); done
  (for n in "${sizes[@]}"; do prepare "$engine" "$n"; done) &
  fills+=($!)
done
for f in "${fills[@]}"; do wait "$f" || { echo "scale_bench: a fill failed" >&2; exit 1; }; done

for engine in "${engines[@]}"; do
  for n in "${sizes[@]}"; do
    data=$work/data-$engine-$n
    read -r result["$engine $n fill"] result["$engine $n size"] result["$engine $n vacuum"] <"$work/prepared-$engine-$n"
    lookups "$engine" "$n" "$data" "$work/samples-$engine-$n"
    # Printed at once: the timed operations after them may take long at a large fill.
    echo "looked up $engine at $n: $(for op in start ocsp mine queue nik name word document rss; do
      printf '%s %s  ' "$op" "${result["$engine $n $op"]}"; done)" >&2
    linear "$engine" "$n" "$data"
    echo "measured $engine at $n:" >&2
    for k in "${!result[@]}"; do
      if [[ $k == "$engine $n "* ]]; then echo "  ${k#"$engine $n "} ${result[$k]}" >&2; fi
    done
    [ "$engine" = postgresql ] && psql "$SCALE_PG_URL" -qc "DROP DATABASE IF EXISTS lontar_scale_$$_$n WITH (FORCE)" >/dev/null
    rm -rf "$data"
    restored "$engine" "$n"
  done
done

small=${sizes[0]}
large=${sizes[-1]}
status=0
rate() { awk -v n="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.0f/s", n / s; else print "-" }'; }
for engine in "${engines[@]}"; do
  a="$engine $small"
  b="$engine $large"
  echo "== $engine: $small against $large certificates ($((small / 10)) / $((large / 10)) revoked and documents)"
  printf '%-44s %12s %12s %8s\n' "operation" "$small" "$large" "ratio"
  for op in ocsp mine queue nik name word document; do
    case $op in
      ocsp) label="OCSP answer, fresh nonce (p99 ms)" ;;
      mine) label="My Certificates (p99 ms)" ;;
      queue) label="verifier queue (p99 ms)" ;;
      nik) label="helpdesk search by NIK prefix (p99 ms)" ;;
      name) label="helpdesk search by part of a name (p99 ms)" ;;
      word) label="  by a person's own word (p99 ms, not held)" ;;
      document) label="a document's public page /v/CODE (p99 ms)" ;;
    esac
    ratio=$(awk -v x="${result["$a $op"]}" -v y="${result["$b $op"]}" 'BEGIN { if (x + 0 > 0 && y + 0 > 0) printf "%.2f", y / x; else print "-" }')
    printf '%-44s %12s %12s %8s\n' "$label" "${result["$a $op"]}" "${result["$b $op"]}" "$ratio"
    # Every lookup is held to it, OCSP and the portal's pages alike, but the one whose
    # answer grows from a few rows to a page.
    if [ "$enforce" = 1 ] && [ "$op" != word ] && awk -v r="$ratio" 'BEGIN { exit !(r > 2) }'; then
      echo "FAIL: $label grows with the table: ratio $ratio > 2" >&2
      status=1
    fi
  done
  printf '%-44s %12s %12s\n' "server resident memory after lookups (MiB)" "${result["$a rss"]}" "${result["$b rss"]}"
  printf '%-44s %12s %12s\n' "database size (MiB)" "${result["$a size"]}" "${result["$b size"]}"
  printf '%-44s %12s %12s\n' "fill, beside the other engine's (s)" "${result["$a fill"]}" "${result["$b fill"]}"
  printf '%-44s %12s %12s\n' "VACUUM (ANALYZE) after the fill (s)" "${result["$a vacuum"]}" "${result["$b vacuum"]}"
  printf '%-44s %12s %12s\n' "server start, to listening and settled (s)" "${result["$a start"]}" "${result["$b start"]}"
  printf '%-44s %12s %12s   %s\n' "CRL generation (s)" "${result["$a crl"]}" "${result["$b crl"]}" \
    "$(rate $((large / 10)) "${result["$b crl"]}") entries"
  printf '%-44s %12s %12s   %s\n' "lontar audit verify (s)" "${result["$a audit"]}" "${result["$b audit"]}" \
    "$(rate $((large + large / 5)) "${result["$b audit"]}") events"
  printf '%-44s %12s %12s   %s MiB archive\n' "lontar backup (s)" "${result["$a backup"]}" "${result["$b backup"]}" \
    "${result["$b backup_mb"]}"
  printf '%-44s %12s %12s\n' "lontar restore (s)" "${result["$a restore"]}" "${result["$b restore"]}"
done
if [ -s "$work/errors" ]; then
  echo "FAIL: errors (a server that did not start; under load, answers slower than $wrk_timeout count as timeouts):" >&2
  cat "$work/errors" >&2
  status=1
fi
exit "$status"
