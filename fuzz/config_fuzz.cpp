// Untrusted-ish input: an administrator's hand-edited configuration file.
#include <cstdlib>

#include "config/config.h"
#include "core/error.h"
#include "fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    lontar::parse_config(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.toml");
  } catch (const lontar::Error& e) {
    if (e.kind() != lontar::ErrorKind::invalid_input) std::abort();
  }
  return 0;
}

std::vector<std::string> lontar_fuzz_seeds() { return {lontar::default_config_toml(lontar::Config{})}; }
