#include "core/request.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace lontar {
namespace {

using S = RequestState;

TEST(RequestState, FollowsTheProcedure) {
  EXPECT_TRUE(can_transition(S::draft, S::token_issued));
  EXPECT_TRUE(can_transition(S::token_issued, S::submitted));
  EXPECT_TRUE(can_transition(S::submitted, S::approved));
  EXPECT_TRUE(can_transition(S::approved, S::issued));
  EXPECT_TRUE(can_transition(S::approved, S::rejected));  // the CA refuses what it cannot issue
  EXPECT_TRUE(can_transition(S::submitted, S::rejected));
  EXPECT_TRUE(can_transition(S::token_issued, S::expired));
  EXPECT_TRUE(can_transition(S::submitted, S::cancelled));
}

TEST(RequestState, FinalStatesNeverMove) {
  for (const auto from : {S::issued, S::rejected, S::cancelled, S::expired})
    for (const auto to : {S::draft, S::token_issued, S::submitted, S::approved, S::issued, S::rejected, S::cancelled,
                          S::expired})
      EXPECT_FALSE(can_transition(from, to)) << to_string(from) << " -> " << to_string(to);
}

TEST(RequestState, NoSkippingTheVerifier) {
  EXPECT_FALSE(can_transition(S::token_issued, S::approved));
  EXPECT_FALSE(can_transition(S::submitted, S::issued));
  EXPECT_FALSE(can_transition(S::approved, S::cancelled));  // too late: issuance is under way
}

TEST(RequestId, OnlyAPositiveDecimalNumberNamesARequest) {
  EXPECT_EQ(parse_request_id("1"), 1);
  EXPECT_EQ(parse_request_id("123456789012345678"), 123456789012345678);
  for (const char* text : {"", "0", "-1", "+1", "1a", " 1", "1 ", "0x10", "1234567890123456789", "99999999999999999999"}) {
    try {
      parse_request_id(text);
      ADD_FAILURE() << "accepted '" << text << "'";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::not_found) << text;
      EXPECT_EQ(e.code(), "unknown_request") << text;
    }
  }
}

TEST(RequestState, NamesRoundTrip) {
  for (const auto s : {S::draft, S::token_issued, S::submitted, S::approved, S::issued, S::rejected, S::cancelled,
                       S::expired})
    EXPECT_EQ(parse_request_state(to_string(s)), s);
  EXPECT_FALSE(parse_request_state("done"));
  EXPECT_TRUE(is_open(S::submitted));
  EXPECT_FALSE(is_open(S::issued));
}

}  // namespace
}  // namespace lontar
