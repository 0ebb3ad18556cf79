#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "instance/instance.h"
#include "pdf/page_previews.h"

namespace lontar {

// Draws the pages of a PDF as PNGs (page numbers from 1, in order), returns how many.
// Throws Error(invalid_input) when the PDF cannot be drawn within its limits.
using PreviewRenderer = std::function<int(std::string_view pdf, const pdf::PreviewSize& size,
                                          const std::function<void(int page, std::string png)>& keep)>;

// In this process (tests, tools): poppler directly, with no limit of time or memory.
PreviewRenderer in_process_renderer();

// Renders the page previews of up to `batch` registered documents that have none yet
// (oldest first) and records how many pages each got; a document whose file is not
// kept or cannot be drawn is marked so and not tried again. Returns the documents done.
int render_awaiting_previews(Instance& instance, int batch, const PreviewRenderer& renderer = in_process_renderer());

}  // namespace lontar
