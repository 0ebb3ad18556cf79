#include "core/request.h"

#include <gtest/gtest.h>

namespace lontar {
namespace {

using S = RequestState;

TEST(RequestState, FollowsTheProcedure) {
  EXPECT_TRUE(can_transition(S::draft, S::token_issued));
  EXPECT_TRUE(can_transition(S::token_issued, S::submitted));
  EXPECT_TRUE(can_transition(S::submitted, S::approved));
  EXPECT_TRUE(can_transition(S::approved, S::issued));
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
