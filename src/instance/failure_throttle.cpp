#include "instance/failure_throttle.h"

namespace lontar {

bool FailureThrottle::blocked(const std::string& address, std::int64_t now) {
  std::lock_guard lock(mutex_);
  const auto found = windows_.find(address);
  if (found == windows_.end()) return false;
  if (now - found->second.start > window_) {
    windows_.erase(found);
    return false;
  }
  return found->second.count >= max_failures_;
}

void FailureThrottle::failed(const std::string& address, std::int64_t now) {
  std::lock_guard lock(mutex_);
  if (windows_.size() >= max_entries_ && !windows_.count(address)) prune(now);
  auto& w = windows_[address];
  if (w.count == 0 || now - w.start > window_) w = Window{0, now};
  ++w.count;
}

std::size_t FailureThrottle::tracked() const {
  std::lock_guard lock(mutex_);
  return windows_.size();
}

// Drops expired windows; if every window is still live, the oldest half goes (those
// addresses start counting again rather than the table growing further).
void FailureThrottle::prune(std::int64_t now) {
  for (auto it = windows_.begin(); it != windows_.end();)
    it = now - it->second.start > window_ ? windows_.erase(it) : std::next(it);
  if (windows_.size() < max_entries_) return;
  std::multimap<std::int64_t, std::string> by_age;
  for (const auto& [address, w] : windows_) by_age.emplace(w.start, address);
  std::size_t drop = windows_.size() / 2;
  for (auto it = by_age.begin(); it != by_age.end() && drop > 0; ++it, --drop) windows_.erase(it->second);
}

}  // namespace lontar
