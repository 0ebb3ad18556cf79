#include "pdf/page_previews.h"

#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-image.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <mutex>

#include "core/error.h"

namespace lontar::pdf {

namespace {
constexpr double kMaxAspect = 4.0;
constexpr double kMaxDpi = 400.0;

// Poppler reports every oddity of a document on stderr; a server's log wants none of it.
void quiet_poppler() {
  static std::once_flag once;
  std::call_once(once, [] { poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr); });
}

// poppler-cpp writes PNGs to files only: a private temporary file, read back and removed.
std::string png_of(const poppler::image& image) {
  auto pattern = (std::filesystem::temp_directory_path() / "lontar-preview-XXXXXX").string();
  const int fd = ::mkstemp(pattern.data());
  if (fd < 0) throw Error(ErrorKind::unavailable, "preview_failed", "No temporary file for a page preview.");
  ::close(fd);
  struct Remove {
    std::string path;
    ~Remove() {
      std::error_code ignored;
      std::filesystem::remove(path, ignored);
    }
  } remove{pattern};
  if (!image.save(pattern, "png")) throw Error(ErrorKind::unavailable, "preview_failed", "A page preview could not be saved.");
  std::ifstream in(pattern, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}
}  // namespace

int render_page_previews(std::string_view pdf, const PreviewSize& size,
                         const std::function<void(int page, std::string png)>& keep) {
  quiet_poppler();
  if (pdf.size() > static_cast<std::size_t>(INT_MAX))
    throw Error(ErrorKind::invalid_input, "pdf_unsuitable", "The PDF is too large to preview.");
  std::unique_ptr<poppler::document> doc(
      poppler::document::load_from_raw_data(pdf.data(), static_cast<int>(pdf.size())));
  if (!doc || doc->is_locked())
    throw Error(ErrorKind::invalid_input, "pdf_unsuitable", "The PDF cannot be opened for previews.");
  poppler::page_renderer renderer;
  renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
  renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
  renderer.set_image_format(poppler::image::format_rgb24);
  const int pages = std::min(doc->pages(), size.max_pages);
  for (int i = 0; i < pages; ++i) {
    std::unique_ptr<poppler::page> page(doc->create_page(i));
    if (!page) throw Error(ErrorKind::invalid_input, "pdf_unsuitable", "A page of the PDF cannot be read.");
    const auto box = page->page_rect(poppler::crop_box);
    const bool turned =
        page->orientation() == poppler::page::landscape || page->orientation() == poppler::page::seascape;
    const double wide = std::max(1.0, turned ? box.height() : box.width());
    const double high = std::max(1.0, turned ? box.width() : box.height());
    // Sized for a phone; a very tall page is drawn smaller rather than huge.
    double dpi = size.width * 72.0 / wide;
    dpi = std::min({dpi, size.width * kMaxAspect * 72.0 / high, kMaxDpi});
    const auto image = renderer.render_page(page.get(), dpi, dpi);
    if (!image.is_valid()) throw Error(ErrorKind::invalid_input, "pdf_unsuitable", "A page of the PDF cannot be drawn.");
    keep(i + 1, png_of(image));
  }
  return pages;
}

}  // namespace lontar::pdf
