#include "core/job_lease.h"

#include <nlohmann/json.hpp>

#include "core/error.h"

namespace lontar {

bool JobLease::hold() {
  const auto now = to_unix(clock_.now());
  bool held = false;
  try {
    store_.write([&](StoreTransaction& tx) {
      held = false;
      auto& state = tx.ca_state();
      const auto current = state.lock_lease(name_);
      if (current && current->holder != holder_ && current->until > now) return;
      state.put_lease(name_, {holder_, now + duration_.count()});
      held = true;
      if (!current || current->holder != holder_) {
        const nlohmann::json details = {{"holder", holder_},
                                        {"previous", current ? current->holder : ""},
                                        {"previous_until", current ? current->until : 0}};
        tx.audit().append({"system", "jobs.lease_taken", "lease:" + name_, details.dump()}, now);
      }
    });
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::conflict) throw;
    held = false;  // another server created it at the same moment
  }
  return held;
}

void JobLease::release() {
  store_.write([&](StoreTransaction& tx) {
    auto& state = tx.ca_state();
    const auto current = state.lock_lease(name_);
    if (current && current->holder == holder_) state.put_lease(name_, {holder_, 0});
  });
}

}  // namespace lontar
