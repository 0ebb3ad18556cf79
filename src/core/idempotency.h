#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/store.h"

namespace lontar {

// The answers to mutating calls made with an Idempotency-Key, kept so a retry gets the
// same answer instead of a second action.
class IdempotencyLedger final {
 public:
  explicit IdempotencyLedger(Store& store) : store_(store) {}

  std::optional<IdempotentResponse> find(std::int64_t account_id, std::string_view key) const;
  // Stores `response`; when a concurrent call with the same key stored first, returns
  // what that call stored instead.
  std::optional<IdempotentResponse> remember(const IdempotentResponse& response) const;

 private:
  Store& store_;
};

}  // namespace lontar
