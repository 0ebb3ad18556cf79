#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace lontar {

using TimePoint = std::chrono::system_clock::time_point;

// Time is a port so tests can move it (token expiry, certificate validity).
class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint now() const override { return std::chrono::system_clock::now(); }
};

inline std::int64_t to_unix(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}
inline TimePoint from_unix(std::int64_t seconds) {
  return TimePoint{std::chrono::seconds{seconds}};
}

// strftime in UTC: "2026-11-25", "2026-11-25 20:08 UTC".
std::string format_utc(std::int64_t unix_seconds, const char* format);

}  // namespace lontar
