#pragma once

#include <string>
#include <vector>

namespace lontar::pdf {

// Text printed at the foot of every page by the signing revision itself (page content,
// not an annotation a viewer could hide), so the paper says how it is proven.
struct PageFooter {
  std::vector<std::string> lines;  // "{page}" and "{pages}" are replaced per page
};

}  // namespace lontar::pdf
