// A small, deterministic stand-in for libFuzzer: mutates the target's seeds (bit
// flips, byte changes, truncation, duplication, splicing) a bounded number of times.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <iostream>
#include <random>

#include "fuzz_target.h"

// Usage: TARGET [ITERATIONS [SEED_FOLDER]]; the folder's files join the built-in seeds.
int main(int argc, char** argv) {
  const long iterations = argc > 1 ? std::atol(argv[1]) : 20000;
  auto seeds = lontar_fuzz_seeds();
  if (argc > 2)
    for (const auto& entry : std::filesystem::directory_iterator(argv[2])) {
      if (!entry.is_regular_file()) continue;
      std::ifstream in(entry.path(), std::ios::binary);
      seeds.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
  std::mt19937_64 random(0x4c6f6e746172ULL);
  long runs = 0;
  for (const auto& seed : seeds) {
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(seed.data()), seed.size());
    ++runs;
  }
  for (long i = 0; i < iterations; ++i) {
    std::string input = seeds[random() % seeds.size()];
    const int mutations = 1 + static_cast<int>(random() % 4);
    for (int m = 0; m < mutations && !input.empty(); ++m) {
      const auto at = random() % input.size();
      switch (random() % 6) {
        case 0: input[at] = static_cast<char>(input[at] ^ (1 << (random() % 8))); break;
        case 1: input[at] = static_cast<char>(random()); break;
        case 2: input.resize(at); break;
        case 3: input.insert(at, input.substr(at, random() % 16)); break;
        case 4: input.erase(at, random() % 8); break;
        case 5: input += seeds[random() % seeds.size()].substr(0, random() % 64); break;
      }
    }
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
    ++runs;
  }
  std::cout << runs << " inputs, no crash\n";
  return 0;
}
