#include "instance/database_document_files.h"

#include "core/encoding.h"
#include "core/error.h"

namespace lontar {

namespace {
std::string preview_id(std::string_view sha256, int page) {
  require_sha256_hex(sha256);
  return std::string(sha256) + ".p" + std::to_string(page) + ".png";
}
}  // namespace

void DatabaseDocumentFiles::put(std::string_view sha256, std::string_view pdf) {
  if (sha256_hex(pdf) != sha256)
    throw Error(ErrorKind::internal, "document_hash_mismatch", "The document does not have the hash it is kept under.");
  try {
    store_.write([&](StoreTransaction& tx) { tx.blobs().put_as(sha256, "application/pdf", pdf); });
  } catch (const Error& e) {
    throw Error(ErrorKind::unavailable, "document_store_unavailable",
                std::string("The signed document could not be kept, so it was not registered: ") + e.what());
  }
}

std::optional<std::string> DatabaseDocumentFiles::get(std::string_view sha256) const {
  require_sha256_hex(sha256);
  return read(std::string(sha256));
}

void DatabaseDocumentFiles::put_preview(std::string_view sha256, int page, std::string_view png) {
  const auto id = preview_id(sha256, page);
  store_.write([&](StoreTransaction& tx) { tx.blobs().put_as(id, "image/png", png); });
}

std::optional<std::string> DatabaseDocumentFiles::get_preview(std::string_view sha256, int page) const {
  return read(preview_id(sha256, page));
}

std::optional<std::string> DatabaseDocumentFiles::read(const std::string& id) const {
  std::optional<Blob> blob;
  store_.read([&](StoreTransaction& tx) { blob = tx.blobs().get(id); });
  if (!blob) return std::nullopt;
  return std::move(blob->data);
}

}  // namespace lontar
