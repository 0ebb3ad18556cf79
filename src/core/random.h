#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace lontar {

// Randomness is a port so tests can force collisions; production uses libsodium's CSPRNG.
class RandomSource {
 public:
  virtual ~RandomSource() = default;
  virtual void fill(std::span<std::uint8_t> out) = 0;
};

class SystemRandom final : public RandomSource {
 public:
  void fill(std::span<std::uint8_t> out) override;
};

// `bytes` random bytes rendered as lower-case hex.
std::string random_hex(RandomSource& random, std::size_t bytes);

}  // namespace lontar
