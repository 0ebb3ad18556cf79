#!/usr/bin/env bash
# The PDF fuzz target (the signature verifier's parsing and checks) under the build's
# sanitizers, seeded with the hostile-PDF corpus: 3,000 mutations of forgeries, bombs
# and scripted files must end in answers (refusals, limits), never a crash.
source "$(dirname "$0")/lib.sh"
: "${HOSTILE_CORPUS:?}" "${PDF_FUZZ:?}"
lontar init --data "$work/data" >/dev/null
"$HOSTILE_CORPUS" --data "$work/data" --out "$work/corpus"
status=0
out=$("$PDF_FUZZ" 3000 "$work/corpus" 2>&1) || status=$?
expect_eq 0 "$status" "the fuzz target's exit status (output: $out)"
expect_contains "$out" "no crash" "fuzzing the verifier from the corpus"
done_checks
