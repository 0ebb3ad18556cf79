#pragma once

#include "instance/instance.h"

namespace lontar {

// Renders the page previews of up to `batch` registered documents that have none yet
// (oldest first) and records how many pages each got; a document whose file is not
// kept or cannot be drawn is marked so and not tried again. Returns the documents done.
int render_awaiting_previews(Instance& instance, int batch);

}  // namespace lontar
