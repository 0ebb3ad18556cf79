#include "instance/failure_throttle.h"

#include <gtest/gtest.h>

namespace lontar {
namespace {

TEST(FailureThrottle, BlocksAfterTheLimitAndReleasesAfterTheWindow) {
  FailureThrottle throttle(3, 900);
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(throttle.blocked("10.0.0.1", 1000));
    throttle.failed("10.0.0.1", 1000);
  }
  EXPECT_TRUE(throttle.blocked("10.0.0.1", 1500));
  EXPECT_FALSE(throttle.blocked("10.0.0.2", 1500));  // per address
  EXPECT_FALSE(throttle.blocked("10.0.0.1", 1901));  // the window passed
}

TEST(FailureThrottle, AFloodOfAddressesDoesNotGrowTheTableWithoutBound) {
  FailureThrottle throttle(3, 900, 100);
  for (int i = 0; i < 10000; ++i) throttle.failed("10.1." + std::to_string(i / 256) + "." + std::to_string(i % 256), 1000);
  EXPECT_LE(throttle.tracked(), 100u);
  EXPECT_EQ(throttle.tracked() > 0, true);
}

}  // namespace
}  // namespace lontar
