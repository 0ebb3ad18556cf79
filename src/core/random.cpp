#include "core/random.h"

#include <sodium.h>

#include <stdexcept>
#include <vector>

#include "core/encoding.h"

namespace lontar {

void SystemRandom::fill(std::span<std::uint8_t> out) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  randombytes_buf(out.data(), out.size());
}

std::string random_hex(RandomSource& random, std::size_t bytes) {
  std::vector<std::uint8_t> buffer(bytes);
  random.fill(buffer);
  return to_hex(buffer);
}

std::string random_crockford(RandomSource& random, std::size_t symbols) {
  std::vector<std::uint8_t> buffer(symbols);
  random.fill(buffer);
  std::string out;
  for (const auto b : buffer) out += kCrockfordAlphabet[b & 31];
  return out;
}

}  // namespace lontar
