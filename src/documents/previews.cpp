#include "documents/previews.h"

#include <spdlog/spdlog.h>

#include "core/error.h"

namespace lontar {

PreviewRenderer in_process_renderer() { return &pdf::render_page_previews; }

int render_awaiting_previews(Instance& instance, int batch, const PreviewRenderer& renderer) {
  std::vector<SignedDocument> awaiting;
  instance.store().read([&](StoreTransaction& tx) { awaiting = tx.documents().awaiting_previews(batch); });
  const auto& settings = instance.config().documents;
  for (const auto& document : awaiting) {
    int rendered = kPreviewsFailed;
    if (const auto pdf = instance.document_files().get(document.sha256)) {
      try {
        rendered = renderer(*pdf, {settings.preview_width, settings.preview_max_pages},
                            [&](int page, std::string png) {
                              instance.document_files().put_preview(document.sha256, page, png);
                            });
      } catch (const Error& e) {
        if (e.kind() == ErrorKind::unavailable) throw;  // the store or disk: try again later
        spdlog::warn(R"({{"job":"previews","document":"{}","error":"{}"}})", document.id, e.code());
      }
    }
    // Zero pages drawn is a failure too: zero means "not yet".
    instance.store().write([&](StoreTransaction& tx) {
      tx.documents().set_previews(document.id, rendered > 0 ? rendered : kPreviewsFailed);
    });
  }
  return static_cast<int>(awaiting.size());
}

}  // namespace lontar
