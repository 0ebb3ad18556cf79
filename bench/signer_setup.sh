# Sourced by the document benchmarks: one holder in the data folder "$data" with a
# P-256 key ($work/key.pem, encrypted with $work/pw) and its certificate
# ($work/cert.pem) from this CA. Needs $lontar, $data and $work.
printf 'Bench-password-2026\n' >"$work/pw"
"$lontar" user add --data "$data" --nik 5108010101900001 --name "Bench Signer" --email b@undiksha.ac.id --unit "UPT TIK" \
  --password-file "$work/pw" --no-forced-change >/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -aes-256-cbc -pass "file:$work/pw" -out "$work/key.pem"
openssl req -new -key "$work/key.pem" -passin "file:$work/pw" -subj /CN=x -out "$work/r.csr"
"$lontar" cert issue --data "$data" --nik 5108010101900001 --product individual-1y --csr "$work/r.csr" --out "$work/cert.pem" >/dev/null
