#include "core/account.h"

#include <gtest/gtest.h>

namespace lontar {
namespace {

TEST(Nik, AcceptsSixteenDigits) { EXPECT_EQ(check_nik("5108010101900001"), ""); }

TEST(Nik, RefusesWrongLengthOrLetters) {
  for (const char* bad : {"", "510801010190000", "51080101019000011", "51080101019000O1", " 108010101900001"})
    EXPECT_EQ(check_nik(bad), "A NIK has exactly 16 digits.") << bad;
}

TEST(Email, AcceptsPlainAddresses) {
  EXPECT_EQ(check_email("ayu@undiksha.ac.id"), "");
  EXPECT_EQ(check_email("i.made+ca@mail.example.org"), "");
}

TEST(Email, RefusesAddressesThatCouldBreakCertificateNames) {
  for (const char* bad : {"", "ayu", "@undiksha.ac.id", "ayu@", "ayu@@x.id", "a,b@x.id", "ayu@localhost",
                          "ayu@x..id", "ayu@.x.id", "ayu @x.id", "ayu@x.id,email:evil@x.id"})
    EXPECT_NE(check_email(bad), "") << bad;
}

TEST(Name, RefusesControlCharactersAndExtremes) {
  EXPECT_EQ(check_person_name("I Ketut Resika Arthana"), "");
  EXPECT_NE(check_person_name(""), "");
  EXPECT_NE(check_person_name(std::string(129, 'a')), "");
  EXPECT_NE(check_person_name("line\nbreak"), "");
}

TEST(Role, RoundTripsEveryName) {
  for (const auto role : {Role::applicant, Role::verifier, Role::helpdesk, Role::admin, Role::auditor})
    EXPECT_EQ(parse_role(to_string(role)), role);
  EXPECT_EQ(parse_role("root"), std::nullopt);
}

}  // namespace
}  // namespace lontar
