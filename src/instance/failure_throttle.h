#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace lontar {

// Counts failures per client address in a fixed window and says when an address has
// had too many (wrong passwords, wrong CSR tokens). Only failing addresses get an
// entry, and stale entries are dropped once the table grows, so a flood of addresses
// cannot grow it without bound.
class FailureThrottle final {
 public:
  FailureThrottle(int max_failures, std::int64_t window_seconds, std::size_t max_entries = 10000)
      : max_failures_(max_failures), window_(window_seconds), max_entries_(max_entries) {}

  bool blocked(const std::string& address, std::int64_t now);
  void failed(const std::string& address, std::int64_t now);
  std::size_t tracked() const;
  // A new limit (configuration reloaded); the counts so far stay.
  void set_max_failures(int max_failures) { max_failures_.store(max_failures); }

 private:
  struct Window {
    int count = 0;
    std::int64_t start = 0;
  };
  void prune(std::int64_t now);

  std::atomic<int> max_failures_;
  const std::int64_t window_;
  const std::size_t max_entries_;
  mutable std::mutex mutex_;
  std::map<std::string, Window> windows_;
};

}  // namespace lontar
