#pragma once

#include "core/document_files.h"
#include "core/store.h"

namespace lontar {

// Documents in the database (blobs by SHA-256; previews under "SHA.pN.png"), for
// several servers on one PostgreSQL: whichever server answers has every file.
class DatabaseDocumentFiles final : public DocumentFiles {
 public:
  explicit DatabaseDocumentFiles(Store& store) : store_(store) {}
  void put(std::string_view sha256, std::string_view pdf) override;
  std::optional<std::string> get(std::string_view sha256) const override;
  void put_preview(std::string_view sha256, int page, std::string_view png) override;
  std::optional<std::string> get_preview(std::string_view sha256, int page) const override;

 private:
  std::optional<std::string> read(const std::string& id) const;
  Store& store_;
};

}  // namespace lontar
