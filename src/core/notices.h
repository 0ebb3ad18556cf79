#pragma once

#include <string>

#include "core/account.h"
#include "core/store.h"

namespace lontar {

// Writes a notice to the outbox inside the caller's transaction, in Indonesian and
// English. `kind`: request.submitted|approved|rejected|issued|cancelled, certificate.expiring,
// esign.key_locked.
// `detail` is the sentence-specific part (a reason, a serial, days left).
void queue_notice(StoreTransaction& tx, const Account& to, const std::string& kind, const std::string& object,
                  const std::string& detail, const std::string& dedupe_key, std::int64_t at);

}  // namespace lontar
