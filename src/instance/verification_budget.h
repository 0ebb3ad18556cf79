#pragma once

#include <cstdint>
#include <mutex>
#include <string>

#include "instance/failure_throttle.h"

namespace lontar {

// Checking an uploaded PDF (qpdf, OpenSSL, up to 20 MiB) costs real CPU and needs no
// account, so the public verification and registration calls share a budget: a few
// at a time in the whole process, and a number per client address per minute. A
// refused caller gets Error(rate_limited) and is told to try again shortly.
class VerificationBudget final {
 public:
  VerificationBudget(int per_address_per_minute, int at_once);

  // Holds one of the concurrent slots until destroyed.
  class Slot final {
   public:
    explicit Slot(VerificationBudget* owner) : owner_(owner) {}
    Slot(Slot&& other) noexcept : owner_(other.owner_) { other.owner_ = nullptr; }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    Slot& operator=(Slot&&) = delete;
    ~Slot();

   private:
    VerificationBudget* owner_;
  };

  Slot acquire(const std::string& address, std::int64_t now);

  // A read of a registered document (a page preview, the download): cheap, so no slot,
  // but counted per address (ten times the checks' rate) so nobody scrapes the store.
  void count_read(const std::string& address, std::int64_t now);

  // New limits (configuration reloaded); checks running now keep their slots.
  void adjust(int per_address_per_minute, int at_once);

 private:
  FailureThrottle per_address_;  // counts every check, not only failing ones
  FailureThrottle reads_per_address_;
  int at_once_;  // guarded by mutex_
  std::mutex mutex_;
  int running_ = 0;
};

}  // namespace lontar
