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

// Crockford's base32 without I, L, O, U: nothing to misread when typed from paper.
inline constexpr char kCrockfordAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
// `symbols` random Crockford base32 symbols of 5 bits each.
std::string random_crockford(RandomSource& random, std::size_t symbols);

}  // namespace lontar
