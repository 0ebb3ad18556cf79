#pragma once

#include <string>

namespace lontar::testing {

// A small, well-formed PDF (one page per entry of `lines`, correct xref offsets) for
// recommendation-letter tests. Written here, checked by qpdf in the tests.
// `last_page_drawing` is content-stream syntax added to the last page (Helvetica is /F1).
std::string letter_pdf(const std::string& text = "Surat Rekomendasi", int pages = 1,
                       const std::string& last_page_drawing = "");

}  // namespace lontar::testing
