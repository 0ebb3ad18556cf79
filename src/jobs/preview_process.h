#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>

#include "documents/previews.h"

namespace lontar {

struct PreviewIsolation {
  std::filesystem::path executable;  // `lontar`, which has the render-previews command
  std::chrono::seconds time_limit{60};  // wall clock, and CPU seconds in the child
  int memory_mib = 1024;               // address space of the child
  // Once set, a child still drawing is killed and its document left for later: a
  // stopping server does not wait out a long rendering.
  std::shared_ptr<const std::atomic<bool>> stop;
};

// Draws previews in a child process (`lontar render-previews`) under the limits: a PDF
// that crashes poppler, loops or swells is killed there and refused with
// Error(invalid_input, "preview_failed"), and the server goes on.
PreviewRenderer isolated_renderer(PreviewIsolation isolation);

}  // namespace lontar
