#!/usr/bin/env bash
# The README's commands run scripts that name the binaries by their place in a build
# tree; that place follows the source layout. Fails when a move leaves them behind.
# Arguments: the lontar binary, the lontar-lock binary, the build tree they are in.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
lontar=${1#"$3"/}
lock=${2#"$3"/}
status=0
for script in scripts/run.sh scripts/bench.sh; do
  grep -q "build/release/$lontar\b" "$root/$script" || { echo "FAIL: $script does not run build/release/$lontar"; status=1; }
done
grep -q "build/release/$lock\b" "$root/README.md" || { echo "FAIL: README does not name build/release/$lock"; status=1; }
[ $status -eq 0 ] && echo "script paths: ok"
exit $status
