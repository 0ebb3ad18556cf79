#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

// Each fuzz target defines LLVMFuzzerTestOneInput (libFuzzer's entry point) and
// lontar_fuzz_seeds(): well-formed inputs to start mutating from. Built with clang
// they run under libFuzzer (scripts/fuzz.sh); built with any compiler they link the
// bounded mutation driver that ctest runs under ASan and UBSan.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
std::vector<std::string> lontar_fuzz_seeds();
