#pragma once

#include <chrono>
#include <filesystem>

#include "documents/previews.h"

namespace lontar {

struct PreviewIsolation {
  std::filesystem::path executable;  // `lontar`, which has the render-previews command
  std::chrono::seconds time_limit{60};  // wall clock, and CPU seconds in the child
  int memory_mib = 1024;               // address space of the child
};

// Draws previews in a child process (`lontar render-previews`) under the limits: a PDF
// that crashes poppler, loops or swells is killed there and refused with
// Error(invalid_input, "preview_failed"), and the server goes on.
PreviewRenderer isolated_renderer(PreviewIsolation isolation);

}  // namespace lontar
