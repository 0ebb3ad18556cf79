#!/usr/bin/env bash
# The helpdesk's search as a helpdesk sees it: a word shared by more people than a page
# shows gives the first 50, ordered by name, and says that more match (portal notice,
# API `more`); typing more of the name narrows it to one person and the notice goes.
source "$(dirname "$0")/lib.sh"
make_instance
add_account 5108010101900003 "Putu Helpdesk" helpdesk
for n in $(seq 10 60); do
  add_account "51080101019100$n" "Wira Sentana $n" applicant
done
start_server
jar=$work/helpdesk.jar
csrf=$(api_login 5108010101900003 "$jar")
[ -n "$csrf" ] || fail "helpdesk login"
pass

page=$(curl -s -b "$jar" "$url/helpdesk?q=wira")
expect_eq 50 "$(printf '%s' "$page" | grep -o '<td><a href="/helpdesk/akun?nik=51080101019100[0-9]*">' | wc -l)" \
  "one page of 50 people"
expect_contains "$page" "Lebih banyak orang cocok daripada yang ditampilkan" "the page says more people match"
names=$(printf '%s' "$page" | grep -o '<td>Wira Sentana [0-9]*</td>' | sed 's/<[^>]*>//g')
expect_eq "$(printf '%s\n' "$names" | sort)" "$names" "ordered by name"
expect_not_contains "$names" "Wira Sentana 60" "the 51st by name is left for the next, narrower search"

page=$(curl -s -b "$jar" "$url/helpdesk?q=wira%20sentana%2060")
expect_contains "$page" "5108010101910060" "typing more of the name finds the one left out"
expect_not_contains "$page" "Lebih banyak orang cocok" "and no longer says more match"

api=$(curl -s -b "$jar" "$url/api/v1/accounts?q=sentana")
expect_eq "50 True" "$(printf '%s' "$api" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d["accounts"]), d["more"])')" \
  "the API: 50 accounts and more"
done_checks
