#!/usr/bin/env bash
# Creates the demo accounts listed in the README (one password for all: demo only).
set -euo pipefail
lontar=$1
data=$2
password_file=$(mktemp)
trap 'rm -f "$password_file"' EXIT
printf 'lontar-demo-2026\n' >"$password_file"
add() {
  "$lontar" user add --data "$data" --nik "$1" --name "$2" --email "$3" --role "$4" \
    --organisation "Universitas Demo Lontar" --unit "$5" --password-file "$password_file" --no-forced-change
}
add 5108010101900001 "Ni Luh Putu Ayu Lestari" ayu@demo.ac.id applicant "Fakultas Teknik dan Kejuruan"
add 5108010101900002 "I Made Verifikator" verifikator1@demo.ac.id verifier "UPT TIK"
add 5108010101900003 "Ni Kadek Verifikator" verifikator2@demo.ac.id verifier "UPT TIK"
add 5108010101900004 "Gede Helpdesk" helpdesk@demo.ac.id helpdesk "UPT TIK"
add 5108010101900005 "Komang Administrator" admin@demo.ac.id admin "UPT TIK"
