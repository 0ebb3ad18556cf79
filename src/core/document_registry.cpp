#include "core/document_registry.h"

namespace lontar {

std::optional<RegisteredDocument> DocumentRegistry::find(std::string_view code) const {
  if (!is_document_code(code)) return std::nullopt;
  std::optional<RegisteredDocument> found;
  store_.read([&](StoreTransaction& tx) {
    auto document = tx.documents().find(code);
    if (!document) return;
    found = RegisteredDocument{*document, tx.certificates().find_by_serial(document->signer_serial)};
  });
  return found;
}

}  // namespace lontar
