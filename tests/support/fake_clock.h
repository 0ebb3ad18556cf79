#pragma once

#include "core/clock.h"

namespace lontar::testing {

// A clock the test moves by hand (token expiry, certificate validity, lock windows).
class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimePoint start) : now_(start) {}
  TimePoint now() const override { return now_; }
  void advance(std::chrono::seconds by) { now_ += by; }

 private:
  TimePoint now_;
};

}  // namespace lontar::testing
