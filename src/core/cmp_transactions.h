#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/store.h"

namespace lontar {

// CMP transactions as the protocol adapter records them: a transactionID is claimed
// once (a replayed message finds it taken), and a later pollReq or certConf finds the
// transaction's first message and outcome on whichever server it reaches.
class CmpTransactions final {
 public:
  CmpTransactions(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // False when the id was claimed before.
  bool claim(CmpTransaction transaction) const;
  std::optional<CmpTransaction> find(std::string_view id) const;
  void settle(std::string_view id, std::string_view state, std::int64_t request_id) const;

 private:
  Store& store_;
  const Clock& clock_;
};

}  // namespace lontar
