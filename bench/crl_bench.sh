#!/usr/bin/env bash
# CRL generation time and peak memory for N revoked entries: `lontar crl generate`
# (streams from the database) against `openssl ca -gencrl` on the same entries.
set -euo pipefail
lontar=$1
shift
sizes=("${@:-100000 1000000}")
work=$(mktemp -d /tmp/lontar-crl-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

for n in ${sizes[*]}; do
  data=$work/data-$n
  "$lontar" init --data "$data" >/dev/null
  "$lontar" user add --data "$data" --nik 5108010101900001 --name "Bench" --email bench@undiksha.ac.id >/dev/null
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout /dev/null -subj /CN=x -out "$work/r.csr" 2>/dev/null
  "$lontar" cert issue --data "$data" --nik 5108010101900001 --product individual-1y --csr "$work/r.csr" --out "$work/c.pem" >/dev/null
  # N revoked certificates of the same account and request, with random serials.
  sqlite3 "$data/lontar.db" "
    WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < $n)
    INSERT INTO certificates (serial, account_id, request_id, product_id, cert_type, subject, key_description,
      key_sha256, not_before, not_after, issued_at, status, revoked_at, revocation_reason, pem)
    SELECT '4' || substr(hex(randomblob(16)), 2), c.account_id, c.request_id, c.product_id, c.cert_type, c.subject,
      c.key_description, hex(randomblob(32)), c.not_before, c.not_after, c.issued_at, 'revoked',
      c.issued_at + (i % 86400), CASE i % 3 WHEN 0 THEN 'keyCompromise' WHEN 1 THEN 'affiliationChanged'
      ELSE 'cessationOfOperation' END, ''
    FROM k, (SELECT * FROM certificates LIMIT 1) AS c;"

  /usr/bin/time -f "%e %M" -o "$work/lontar.time" "$lontar" crl generate --data "$data" --out "$work/lontar.crl" >/dev/null
  read -r lontar_s lontar_kb <"$work/lontar.time"
  entries=$(openssl crl -inform DER -in "$work/lontar.crl" -noout -text | grep -c "Serial Number" || true)
  [ "$entries" -eq "$n" ] || { echo "lontar CRL has $entries entries, expected $n" >&2; exit 1; }

  # The same entries for openssl ca.
  ossl=$work/ossl-$n
  mkdir -p "$ossl"
  sqlite3 -separator $'\t' "$data/lontar.db" "
    SELECT 'R', strftime('%Y%m%d%H%M%SZ', not_after, 'unixepoch'),
      substr(strftime('%Y%m%d%H%M%SZ', revoked_at, 'unixepoch'), 3) || ',' || revocation_reason, serial, 'unknown', '/CN=x'
    FROM certificates WHERE status = 'revoked'" >"$ossl/index.txt"
  echo 01 >"$ossl/crlnumber"
  cat >"$ossl/ca.cnf" <<CNF
[ca]
default_ca = lontar
[lontar]
database = $ossl/index.txt
crlnumber = $ossl/crlnumber
certificate = $data/ca/issuing.crt
private_key = $data/ca/issuing.key
default_md = sha256
default_crl_days = 7
unique_subject = no
CNF
  /usr/bin/time -f "%e %M" -o "$work/openssl.time" timeout 900 \
    openssl ca -gencrl -config "$ossl/ca.cnf" -passin "file:$data/secrets/ca-passphrase" -out "$ossl/crl.pem" 2>/dev/null
  read -r openssl_s openssl_kb <"$work/openssl.time"

  printf '%8d entries: lontar %6.2f s %7.1f MiB | openssl ca -gencrl %6.2f s %7.1f MiB (baseline) | time ratio %.2f\n' \
    "$n" "$lontar_s" "$(echo "$lontar_kb / 1024" | bc -l)" "$openssl_s" "$(echo "$openssl_kb / 1024" | bc -l)" \
    "$(echo "$lontar_s / $openssl_s" | bc -l)"
  rm -rf "$data" "$ossl"
done
