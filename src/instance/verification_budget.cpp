#include "instance/verification_budget.h"

#include "core/error.h"

namespace lontar {

VerificationBudget::VerificationBudget(int per_address_per_minute, int at_once)
    : per_address_(per_address_per_minute, 60), reads_per_address_(per_address_per_minute * 10, 60), at_once_(at_once) {}

void VerificationBudget::count_read(const std::string& address, std::int64_t now) {
  if (reads_per_address_.blocked(address, now))
    throw Error(ErrorKind::rate_limited, "too_many_document_reads",
                "Too many document pages opened from this address; try again in a minute.");
  reads_per_address_.failed(address, now);
}

void VerificationBudget::adjust(int per_address_per_minute, int at_once) {
  per_address_.set_max_failures(per_address_per_minute);
  reads_per_address_.set_max_failures(per_address_per_minute * 10);
  std::lock_guard lock(mutex_);
  at_once_ = at_once;
}

VerificationBudget::Slot::~Slot() {
  if (!owner_) return;
  std::lock_guard lock(owner_->mutex_);
  --owner_->running_;
}

VerificationBudget::Slot VerificationBudget::acquire(const std::string& address, std::int64_t now) {
  if (per_address_.blocked(address, now))
    throw Error(ErrorKind::rate_limited, "too_many_verifications",
                "Too many documents checked from this address; try again in a minute.");
  {
    std::lock_guard lock(mutex_);
    if (running_ >= at_once_)
      throw Error(ErrorKind::rate_limited, "verification_busy",
                  "The server is checking other documents; try again in a few seconds.");
    ++running_;
  }
  per_address_.failed(address, now);
  return Slot(this);
}

}  // namespace lontar
