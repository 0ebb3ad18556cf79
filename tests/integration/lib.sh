# Shared helpers for the black-box tests of the lontar binary. Every check that fails
# prints what was expected and what happened, and the script exits non-zero.
set -euo pipefail
# A command that fails outside the expect_* helpers names itself before the script stops.
trap 'echo "FAIL: ${BASH_SOURCE[0]}:${LINENO}: $BASH_COMMAND exited $?" >&2' ERR
: "${LONTAR_BIN:?LONTAR_BIN must point at the lontar binary}"
lontar() { "$LONTAR_BIN" "$@"; }

work=$(mktemp -d /tmp/lontar-it.XXXXXX)
cleanup_hooks=()
cleanup() {
  for hook in "${cleanup_hooks[@]}"; do eval "$hook" || true; done
  rm -rf "$work"
}
trap cleanup EXIT

checks=0
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
pass() { checks=$((checks + 1)); }
expect_eq() { # expected actual what
  [ "$1" == "$2" ] || fail "$3: expected [$1], got [$2]"
  pass
}
expect_contains() { # haystack needle what
  [[ "$1" == *"$2"* ]] || fail "$3: [$2] not found in: $1"
  pass
}
expect_not_contains() {
  [[ "$1" != *"$2"* ]] || fail "$3: [$2] should not appear in: $1"
  pass
}
# Runs a command that must fail with exit code $1 and print $2 on stderr.
expect_failure() {
  local code=$1 message=$2
  shift 2
  local out status=0
  out=$("$@" 2>&1) || status=$?
  [ "$status" -eq "$code" ] || fail "'$*' exited $status, expected $code. Output: $out"
  [[ "$out" == *"$message"* ]] || fail "'$*' said [$out], expected it to mention [$message]"
  pass
}
done_checks() { echo "$checks checks passed"; }

# A data folder with one applicant.
make_instance() {
  data=$work/data
  lontar init --data "$data" --organisation "Universitas Pendidikan Ganesha" >/dev/null
  lontar user add --data "$data" --nik 5108010101900001 --name "Ni Luh Putu Ayu" --email ayu@undiksha.ac.id \
    --organisation "Universitas Pendidikan Ganesha" --unit "UPT TIK" >/dev/null
}

db_count() { sqlite3 "$data/lontar.db" "SELECT COUNT(*) FROM $1"; }
