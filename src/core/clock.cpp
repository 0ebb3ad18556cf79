#include "core/clock.h"

#include <ctime>

namespace lontar {

std::string format_utc(std::int64_t unix_seconds, const char* format) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm parts{};
  gmtime_r(&t, &parts);
  char text[64];
  const auto length = std::strftime(text, sizeof text, format, &parts);
  return std::string(text, length);
}

}  // namespace lontar
