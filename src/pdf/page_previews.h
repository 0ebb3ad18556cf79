#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace lontar::pdf {

struct PreviewSize {
  int width = 800;      // pixels of every preview
  int max_pages = 50;   // pages past this get no preview
};

// Renders the pages of `pdf` (as a viewer shows them: annotations such as the
// signature stamp included, the page's rotation applied) with poppler, each as a PNG
// `size.width` pixels wide (height at most four times that), handing them to `keep`
// in page order. Returns the number of pages rendered. Throws Error(invalid_input)
// when poppler cannot open the file.
int render_page_previews(std::string_view pdf, const PreviewSize& size,
                         const std::function<void(int page, std::string png)>& keep);

}  // namespace lontar::pdf
