// The public document checks' budget: per address per minute, and at once.
#include "instance/verification_budget.h"

#include <gtest/gtest.h>

#include <optional>
#include <vector>

#include "core/error.h"

namespace lontar {
namespace {

ErrorKind refusal(VerificationBudget& budget, const std::string& address, std::int64_t now) {
  try {
    budget.acquire(address, now);
  } catch (const Error& e) {
    return e.kind();
  }
  return ErrorKind::internal;  // not refused
}

TEST(VerificationBudgetTest, AnAddressGetsItsChecksPerMinuteThenWaits) {
  VerificationBudget budget(3, 10);
  for (int i = 0; i < 3; ++i) budget.acquire("192.0.2.1", 1000);
  EXPECT_EQ(refusal(budget, "192.0.2.1", 1010), ErrorKind::rate_limited);
  budget.acquire("192.0.2.2", 1010);  // another address is not affected
  budget.acquire("192.0.2.1", 1061);  // a minute later
}

TEST(VerificationBudgetTest, OnlySoManyRunAtOnceAndAFinishedOneFreesItsSlot) {
  VerificationBudget budget(100, 2);
  std::optional<VerificationBudget::Slot> first(budget.acquire("192.0.2.1", 1000));
  auto second = budget.acquire("192.0.2.2", 1000);
  EXPECT_EQ(refusal(budget, "192.0.2.3", 1000), ErrorKind::rate_limited);
  first.reset();
  auto third = budget.acquire("192.0.2.3", 1000);
}

TEST(VerificationBudgetTest, AFullHouseDoesNotUseUpTheCallersMinute) {
  VerificationBudget budget(2, 1);
  auto running = budget.acquire("192.0.2.9", 1000);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(refusal(budget, "192.0.2.1", 1000), ErrorKind::rate_limited);
  {
    auto finished = std::move(running);
  }
  budget.acquire("192.0.2.1", 1000);
  budget.acquire("192.0.2.1", 1000);
  EXPECT_EQ(refusal(budget, "192.0.2.1", 1000), ErrorKind::rate_limited);
}

}  // namespace
}  // namespace lontar
