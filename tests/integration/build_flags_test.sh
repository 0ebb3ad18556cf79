#!/usr/bin/env bash
# A user's own build is not stopped by a compiler warning: a default Release
# configuration has no -Werror (only LONTAR_WERROR=ON adds it, for scripts/test.sh and
# CI), and the test file GCC 12 used to warn about at -O3 compiles warning-free with the
# Release command line plus -Werror. Arguments: the source tree.
set -euo pipefail
root=$1
work=$(mktemp -d /tmp/lontar-flags.XXXXXX)
trap 'rm -rf "$work"' EXIT
cmake -S "$root" -B "$work" -DCMAKE_BUILD_TYPE=Release >/dev/null
python3 - "$work/compile_commands.json" "$root" <<'PY'
import json, shlex, subprocess, sys
commands = json.load(open(sys.argv[1]))
assert commands, "no compile commands"
with_werror = [c["file"] for c in commands if "-Werror" in shlex.split(c["command"])]
assert not with_werror, f"a default build treats warnings as errors: {with_werror[:3]}"
entry = next(c for c in commands if c["file"].endswith("tests/unit/core/audit_test.cpp"))
argv = shlex.split(entry["command"])
assert "-O3" in argv, "not the Release flags"
out = argv.index("-o")
argv[out + 1] = "/dev/null"
argv += ["-Werror", "-Wno-error=restrict"]  # -Wrestrict: GCC bug 105329, warned but not an error
result = subprocess.run(argv, cwd=entry["directory"], capture_output=True, text=True)
assert result.returncode == 0, result.stderr[-2000:]
print("build flags: ok")
PY
